//! Booking: prices and tax, the slot it takes, no double booking under concurrency (per coach and
//! per learner), `Idempotency-Key`, one trial per coach, package sessions from a plan, and the
//! caller's session list.

use chrono::{DateTime, Duration, Utc};
use entity::chat::{chat_room_members, chat_rooms};
use entity::coaching::{coaching_plan_purchases, sessions};
use entity::enums::{ChatRoomType, PlanPurchaseStatus, SessionStatus, SessionType, UserRole};
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{
    act, book, booked, coach, free_stretch, ids_of, instant, notifications_of, plan_purchase,
    session_row, set_availability, slot_after, slots,
};
use rusing_academy_tests::fixtures::db_user;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

async fn sessions_of_coach(app: &TestApp, coach_id: i64) -> Vec<sessions::Model> {
    sessions::Entity::find()
        .filter(sessions::Column::CoachId.eq(coach_id))
        .all(&app.db.conn)
        .await
        .unwrap()
}

async fn sessions_of_learner(app: &TestApp, learner_id: i64) -> Vec<sessions::Model> {
    sessions::Entity::find()
        .filter(sessions::Column::LearnerId.eq(learner_id))
        .all(&app.db.conn)
        .await
        .unwrap()
}

async fn purchase_row(app: &TestApp, id: i64) -> coaching_plan_purchases::Model {
    coaching_plan_purchases::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
}

/// `book` with an owned body, for closures that build it.
async fn book_owned(
    app: &TestApp,
    learner: &entity::users::users::Model,
    body: Value,
) -> TestResponse {
    book(app, learner, &body).await
}

#[tokio::test]
async fn a_single_session_is_booked_pending_at_the_hourly_rate_plus_hst() {
    let app = spawn_app().await;
    let (coach_user, profile) = coach(&app, "price@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    // Two hours into a free stretch: the hours either side of the booking are free too, whatever
    // the time of day the test runs.
    let stretch: DateTime<Utc> = free_stretch(&app, profile.id, Duration::days(2), 10)
        .await
        .parse()
        .unwrap();
    let start = stretch + Duration::hours(2);
    let at = start.to_rfc3339();

    let session = booked(&app, &learner, profile.id, "single", &at).await;
    assert_eq!(session["status"], "pending");
    assert_eq!(session["type"], "single");
    assert_eq!(session["price"], 6500);
    assert_eq!(session["taxAmount"], 845); // 13 % of 65.00
    assert_eq!(session["currency"], "CAD");
    assert_eq!(session["durationMinutes"], 60);
    assert_eq!(session["learnerId"], learner.id);
    assert_eq!(session["coachUserId"], coach_user.id);
    assert_eq!(instant(&session["scheduledAt"]), start);
    assert_eq!(instant(&session["endsAt"]), start + Duration::hours(1));
    let row = session_row(&app, session["id"].as_i64().unwrap()).await;
    assert_eq!(row.status, SessionStatus::Pending);
    assert_eq!((row.price, row.tax_amount), (6500, 845));
    assert_eq!(row.scheduled_at, start);
    assert_eq!(row.learner_id, learner.id);

    // The hour is taken: that start and the starts overlapping it are gone.
    let free = slots(&app, profile.id, "single", start - Duration::hours(2), 1).await;
    let free: Vec<DateTime<Utc>> = free.iter().map(|s| s.parse().unwrap()).collect();
    for taken in [
        start - Duration::minutes(30),
        start,
        start + Duration::minutes(30),
    ] {
        assert!(!free.contains(&taken), "{taken} still free");
    }
    assert!(free.contains(&(start + Duration::hours(1))));
    assert!(free.contains(&(start - Duration::hours(1))));

    // A trial is half an hour at the trial rate.
    let trial_at = (start + Duration::hours(3)).to_rfc3339();
    let trial = booked(&app, &learner, profile.id, "trial", &trial_at).await;
    assert_eq!(trial["price"], 2500);
    assert_eq!(trial["taxAmount"], 325);
    assert_eq!(trial["durationMinutes"], 30);
    assert_eq!(sessions_of_coach(&app, profile.id).await.len(), 2);

    // The coach is told of the requests.
    app.run_due_jobs().await;
    assert_eq!(
        notifications_of(&app, coach_user.id, "session.requested")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn twenty_learners_racing_for_one_slot_get_it_once() {
    let app = spawn_app().await;
    let (_, profile) = coach(&app, "race@coach.ca", "America/Toronto").await;
    let mut learners = Vec::new();
    for n in 0..20 {
        learners.push(
            db_user(
                &app.db.conn,
                &format!("l{n}@example.gc.ca"),
                UserRole::Learner,
            )
            .await,
        );
    }
    let at = free_stretch(&app, profile.id, Duration::days(2), 10).await;
    let body = json!({"coachId": profile.id, "type": "single", "scheduledAt": at});

    let responses = join_all(learners.iter().map(|l| book(&app, l, &body))).await;
    let created = assert_race(&responses, StatusCode::CREATED, 1, "slot_unavailable");
    let rows = sessions_of_coach(&app, profile.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, created[0].json()["id"].as_i64().unwrap());
}

#[tokio::test]
async fn one_learner_booking_two_coaches_at_once_gets_one_session() {
    let app = spawn_app().await;
    let (_, first) = coach(&app, "first@coach.ca", "America/Toronto").await;
    let (_, second) = coach(&app, "second@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let at = free_stretch(&app, first.id, Duration::days(2), 10).await;
    let start: DateTime<Utc> = at.parse().unwrap();
    let second_free = slots(&app, second.id, "single", start, 1).await;
    assert_eq!(
        second_free
            .first()
            .map(|s| s.parse::<DateTime<Utc>>().unwrap()),
        Some(start)
    );

    let bodies: Vec<Value> = (0..20)
        .map(|n| {
            let coach = if n % 2 == 0 { first.id } else { second.id };
            json!({"coachId": coach, "type": "single", "scheduledAt": at})
        })
        .collect();
    let responses = join_all(bodies.iter().map(|b| book(&app, &learner, b))).await;
    assert_race(&responses, StatusCode::CREATED, 1, "slot_unavailable");
    assert_eq!(sessions_of_learner(&app, learner.id).await.len(), 1);
    // Half an hour later overlaps too, with either coach.
    let overlapping = (start + Duration::minutes(30)).to_rfc3339();
    for coach in [first.id, second.id] {
        let response = book(
            &app,
            &learner,
            &json!({"coachId": coach, "type": "single", "scheduledAt": overlapping}),
        )
        .await;
        assert_problem(&response, StatusCode::CONFLICT, "slot_unavailable");
    }
    assert_eq!(sessions_of_learner(&app, learner.id).await.len(), 1);
}

#[tokio::test]
async fn times_outside_the_availability_and_booking_oneself_are_refused() {
    let app = spawn_app().await;
    let (coach_user, profile) = coach(&app, "outside@coach.ca", "America/Regina").await;
    // 09:00–17:00 CST (UTC−6 all year) = 15:00–23:00Z.
    let windows: Vec<Value> = (0..7)
        .map(|day| json!({"dayOfWeek": day, "startTime": "09:00", "endTime": "17:00"}))
        .collect();
    set_availability(&app, &coach_user, "America/Regina", &windows).await;
    let learner = app.users.learner.clone();
    let at: DateTime<Utc> = slot_after(&app, profile.id, "single", Duration::days(2))
        .await
        .parse()
        .unwrap();
    let attempt = |when: DateTime<Utc>| {
        book_owned(
            &app,
            &learner,
            json!({"coachId": profile.id, "type": "single", "scheduledAt": when.to_rfc3339()}),
        )
    };

    // Off the half-hour grid, in the past, in the evening, and running past the window's end.
    let off_grid = attempt(at + Duration::minutes(10)).await;
    assert_problem(&off_grid, StatusCode::CONFLICT, "slot_unavailable");
    let past = attempt(at - Duration::days(4)).await;
    assert_problem(&past, StatusCode::CONFLICT, "slot_unavailable");
    let day = at.date_naive() + Duration::days(1);
    let evening = day.and_hms_opt(3, 0, 0).unwrap().and_utc(); // 21:00 CST
    let late = attempt(evening).await;
    assert_problem(&late, StatusCode::CONFLICT, "slot_unavailable");
    let overrunning = day.and_hms_opt(22, 30, 0).unwrap().and_utc(); // 16:30–17:30 CST
    let overrun = attempt(overrunning).await;
    assert_problem(&overrun, StatusCode::CONFLICT, "slot_unavailable");
    assert!(sessions_of_coach(&app, profile.id).await.is_empty());

    let oneself = book(
        &app,
        &coach_user,
        &json!({"coachId": profile.id, "type": "single", "scheduledAt": at.to_rfc3339()}),
    )
    .await;
    let problem = assert_problem(
        &oneself,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(error_fields(&problem).contains("coachId"), "{problem}");
    let unknown = book(
        &app,
        &learner,
        &json!({"coachId": 999_999, "type": "single", "scheduledAt": at.to_rfc3339()}),
    )
    .await;
    assert_problem(&unknown, StatusCode::NOT_FOUND, "not_found");
    assert!(sessions_of_coach(&app, profile.id).await.is_empty());
}

#[tokio::test]
async fn an_idempotency_key_replays_the_booking_and_refuses_another_body() {
    let app = spawn_app().await;
    let (_, profile) = coach(&app, "idem@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let at = free_stretch(&app, profile.id, Duration::days(2), 10).await;
    let body = json!({"coachId": profile.id, "type": "single", "scheduledAt": at});
    let send_with_key = |body: Value| {
        send(
            app.request_as(&learner, Method::POST, "/api/v1/sessions")
                .header("idempotency-key", "booking-7f3a")
                .json(&body),
        )
    };

    let first = send_with_key(body.clone()).await;
    let first_id = json_ok(&first, StatusCode::CREATED)["id"].clone();
    let replay = send_with_key(body.clone()).await;
    assert_eq!(json_ok(&replay, StatusCode::CREATED)["id"], first_id);
    assert_eq!(
        replay.header("idempotency-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(sessions_of_learner(&app, learner.id).await.len(), 1);

    let other_time = (instant(&json!(at)) + Duration::hours(2)).to_rfc3339();
    let reused =
        send_with_key(json!({"coachId": profile.id, "type": "single", "scheduledAt": other_time}))
            .await;
    assert_problem(
        &reused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    );
    assert_eq!(sessions_of_learner(&app, learner.id).await.len(), 1);

    // Without the key, the same body is a new booking: refused, the slot being taken.
    let again = book(&app, &learner, &body).await;
    assert_problem(&again, StatusCode::CONFLICT, "slot_unavailable");
}

#[tokio::test]
async fn a_trial_is_had_once_per_coach() {
    let app = spawn_app().await;
    let (coach_user, profile) = coach(&app, "trial@coach.ca", "America/Toronto").await;
    let (_, other) = coach(&app, "other@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let at: DateTime<Utc> = free_stretch(&app, profile.id, Duration::days(2), 10)
        .await
        .parse()
        .unwrap();
    let trial = |coach: i64, when: DateTime<Utc>| {
        book_owned(
            &app,
            &learner,
            json!({"coachId": coach, "type": "trial", "scheduledAt": when.to_rfc3339()}),
        )
    };

    let first = json_ok(&trial(profile.id, at).await, StatusCode::CREATED);
    let second = trial(profile.id, at + Duration::hours(3)).await;
    assert_problem(&second, StatusCode::CONFLICT, "trial_already_used");
    assert_eq!(sessions_of_coach(&app, profile.id).await.len(), 1);
    let elsewhere = trial(other.id, at + Duration::hours(3)).await;
    assert_eq!(
        elsewhere.status,
        StatusCode::CREATED,
        "{}",
        elsewhere.text()
    );

    // A trial the coach declined was not had.
    let declined = act(
        &app,
        &coach_user,
        first["id"].as_i64().unwrap(),
        "decline",
        Some(json!({})),
    )
    .await;
    assert_eq!(declined.status, StatusCode::OK, "{}", declined.text());
    let after_decline = trial(profile.id, at + Duration::hours(5)).await;
    assert_eq!(
        after_decline.status,
        StatusCode::CREATED,
        "{}",
        after_decline.text()
    );
    let rows = sessions::Entity::find()
        .filter(sessions::Column::CoachId.eq(profile.id))
        .filter(sessions::Column::Type.eq(SessionType::Trial))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 2);
}

#[tokio::test]
async fn a_package_session_is_taken_from_the_learners_own_plan() {
    let app = spawn_app().await;
    let (coach_user, profile) = coach(&app, "package@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let at: DateTime<Utc> = free_stretch(&app, profile.id, Duration::days(2), 10)
        .await
        .parse()
        .unwrap();
    let package = |plan: Option<i64>, when: DateTime<Utc>| {
        let mut body =
            json!({"coachId": profile.id, "type": "package", "scheduledAt": when.to_rfc3339()});
        if let Some(plan) = plan {
            body["planPurchaseId"] = json!(plan);
        }
        book_owned(&app, &learner, body)
    };
    let mine = plan_purchase(&app, learner.id, 3, 60).await;
    let lucs = plan_purchase(&app, luc.id, 3, 60).await;

    let missing = package(None, at).await;
    let problem = assert_problem(
        &missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(error_fields(&problem).contains("planPurchaseId"));
    let not_mine = package(Some(lucs.id), at).await;
    let problem = assert_problem(
        &not_mine,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(error_fields(&problem).contains("planPurchaseId"));
    let single_from_plan = book(
        &app,
        &learner,
        &json!({"coachId": profile.id, "type": "single", "scheduledAt": at.to_rfc3339(), "planPurchaseId": mine.id}),
    )
    .await;
    assert_problem(
        &single_from_plan,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(sessions_of_coach(&app, profile.id).await.is_empty());
    assert_eq!(purchase_row(&app, lucs.id).await.remaining_sessions, 3);

    let session = json_ok(&package(Some(mine.id), at).await, StatusCode::CREATED);
    assert_eq!(session["status"], "confirmed");
    assert_eq!(session["type"], "package");
    assert_eq!(session["price"], 0);
    assert_eq!(session["planPurchaseId"], mine.id);
    let id = session["id"].as_i64().unwrap();
    assert_eq!(session_row(&app, id).await.status, SessionStatus::Confirmed);
    let purchase = purchase_row(&app, mine.id).await;
    assert_eq!(purchase.remaining_sessions, 2);
    assert_eq!(purchase.status, PlanPurchaseStatus::Active);
    let room = chat_rooms::Entity::find()
        .filter(chat_rooms::Column::SessionId.eq(id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .expect("a coaching room for the session");
    assert_eq!(room.r#type, ChatRoomType::Coaching);
    let mut members: Vec<i64> = chat_room_members::Entity::find()
        .filter(chat_room_members::Column::RoomId.eq(room.id))
        .all(&app.db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    members.sort_unstable();
    let mut expected = vec![learner.id, coach_user.id];
    expected.sort_unstable();
    assert_eq!(members, expected);

    // The last two sessions use the plan up.
    for hours in [2, 4] {
        let more = package(Some(mine.id), at + Duration::hours(hours)).await;
        assert_eq!(more.status, StatusCode::CREATED, "{}", more.text());
    }
    let purchase = purchase_row(&app, mine.id).await;
    assert_eq!(purchase.remaining_sessions, 0);
    assert_eq!(purchase.status, PlanPurchaseStatus::Exhausted);
    let exhausted = package(Some(mine.id), at + Duration::hours(6)).await;
    assert_problem(&exhausted, StatusCode::CONFLICT, "plan_balance_unavailable");
    assert_eq!(purchase_row(&app, mine.id).await.remaining_sessions, 0);

    // A plan that expires before the session, or has expired, gives none.
    let short = plan_purchase(&app, learner.id, 5, 1).await;
    let too_late = package(Some(short.id), at + Duration::hours(6)).await;
    assert_problem(&too_late, StatusCode::CONFLICT, "plan_balance_unavailable");
    let expired = plan_purchase(&app, learner.id, 5, -1).await;
    let gone = package(Some(expired.id), at + Duration::hours(6)).await;
    assert_problem(&gone, StatusCode::CONFLICT, "plan_balance_unavailable");
    assert_eq!(purchase_row(&app, short.id).await.remaining_sessions, 5);
    assert_eq!(purchase_row(&app, expired.id).await.remaining_sessions, 5);
    assert_eq!(sessions_of_coach(&app, profile.id).await.len(), 3);
}

async fn listed(app: &TestApp, user: &entity::users::users::Model, query: &str) -> Vec<i64> {
    let response =
        send(app.request_as(user, Method::GET, &format!("/api/v1/sessions{query}"))).await;
    ids_of(&json_ok(&response, StatusCode::OK))
}

#[tokio::test]
async fn sessions_are_listed_by_side_and_status_and_hidden_from_outsiders() {
    let app = spawn_app().await;
    let (coach_user, profile) = coach(&app, "list@coach.ca", "America/Toronto").await;
    let (_, other) = coach(&app, "other@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let outsider = db_user(&app.db.conn, "outsider@example.gc.ca", UserRole::Learner).await;
    let at: DateTime<Utc> = free_stretch(&app, profile.id, Duration::days(2), 10)
        .await
        .parse()
        .unwrap();

    // The learner books the coach; the coach books another coach two hours later.
    let coached = booked(&app, &learner, profile.id, "single", &at.to_rfc3339()).await["id"]
        .as_i64()
        .unwrap();
    let learning = booked(
        &app,
        &coach_user,
        other.id,
        "single",
        &(at + Duration::hours(2)).to_rfc3339(),
    )
    .await["id"]
        .as_i64()
        .unwrap();

    assert_eq!(listed(&app, &coach_user, "").await, [learning, coached]);
    assert_eq!(listed(&app, &coach_user, "?as=coach").await, [coached]);
    assert_eq!(listed(&app, &coach_user, "?as=learner").await, [learning]);
    assert_eq!(listed(&app, &learner, "").await, [coached]);
    assert!(listed(&app, &learner, "?as=coach").await.is_empty());
    assert!(listed(&app, &outsider, "").await.is_empty());

    let confirmed = act(&app, &coach_user, coached, "confirm", None).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());
    assert_eq!(
        listed(&app, &coach_user, "?status=confirmed").await,
        [coached]
    );
    assert_eq!(
        listed(&app, &coach_user, "?status=pending").await,
        [learning]
    );
    assert_eq!(
        listed(&app, &coach_user, "?as=learner&status=confirmed").await,
        Vec::<i64>::new()
    );

    let path = format!("/api/v1/sessions/{coached}");
    let hidden = send(app.request_as(&outsider, Method::GET, &path)).await;
    assert_problem(&hidden, StatusCode::NOT_FOUND, "not_found");
    let other_coach = send(app.request_as(&app.users.coach, Method::GET, &path)).await;
    assert_problem(&other_coach, StatusCode::NOT_FOUND, "not_found");
    for party in [&learner, &coach_user, &app.users.admin] {
        let seen = send(app.request_as(party, Method::GET, &path)).await;
        assert_eq!(json_ok(&seen, StatusCode::OK)["status"], "confirmed");
    }
}

#[tokio::test]
async fn the_last_sessions_of_a_plan_go_to_exactly_as_many_concurrent_bookings() {
    let app = spawn_app().await;
    let (_, profile) = coach(&app, "plan-race@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let plan = plan_purchase(&app, learner.id, 2, 60).await;
    let at: DateTime<Utc> = free_stretch(&app, profile.id, Duration::days(2), 10)
        .await
        .parse()
        .unwrap();

    let bodies: Vec<Value> = (0..10)
        .map(|n| {
            json!({
                "coachId": profile.id,
                "type": "package",
                "scheduledAt": (at + Duration::hours(n)).to_rfc3339(),
                "planPurchaseId": plan.id,
            })
        })
        .collect();
    let responses = join_all(bodies.iter().map(|b| book(&app, &learner, b))).await;
    assert_race(
        &responses,
        StatusCode::CREATED,
        2,
        "plan_balance_unavailable",
    );
    let purchase = purchase_row(&app, plan.id).await;
    assert_eq!(purchase.remaining_sessions, 0);
    assert_eq!(purchase.status, PlanPurchaseStatus::Exhausted);
    assert_eq!(sessions_of_learner(&app, learner.id).await.len(), 2);
}

#[tokio::test]
async fn concurrent_trials_with_one_coach_make_one() {
    let app = spawn_app().await;
    let (_, profile) = coach(&app, "trial-race@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let at: DateTime<Utc> = free_stretch(&app, profile.id, Duration::days(2), 10)
        .await
        .parse()
        .unwrap();

    let bodies: Vec<Value> = (0..10)
        .map(|n| {
            json!({
                "coachId": profile.id,
                "type": "trial",
                "scheduledAt": (at + Duration::hours(n)).to_rfc3339(),
            })
        })
        .collect();
    let responses = join_all(bodies.iter().map(|b| book(&app, &learner, b))).await;
    assert_race(&responses, StatusCode::CREATED, 1, "trial_already_used");
    assert_eq!(sessions_of_coach(&app, profile.id).await.len(), 1);
}

#[tokio::test]
async fn sessions_are_listed_latest_first_within_a_time_range() {
    let app = spawn_app().await;
    let (_, profile) = coach(&app, "range@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let at: DateTime<Utc> = free_stretch(&app, profile.id, Duration::days(2), 10)
        .await
        .parse()
        .unwrap();
    let mut ids = Vec::new();
    for hours in [0, 2, 4] {
        let when = (at + Duration::hours(hours)).to_rfc3339();
        ids.push(
            booked(&app, &learner, profile.id, "single", &when).await["id"]
                .as_i64()
                .unwrap(),
        );
    }

    let range = |from: DateTime<Utc>, to: DateTime<Utc>| {
        let request = app
            .request_as(&learner, Method::GET, "/api/v1/sessions")
            .query(&[("from", from.to_rfc3339()), ("to", to.to_rfc3339())]);
        send(request)
    };
    let all = range(at, at + Duration::hours(5)).await;
    assert_eq!(
        ids_of(&json_ok(&all, StatusCode::OK)),
        [ids[2], ids[1], ids[0]]
    );
    // `from` is inclusive, `to` exclusive.
    let middle = range(at + Duration::hours(2), at + Duration::hours(4)).await;
    assert_eq!(ids_of(&json_ok(&middle, StatusCode::OK)), [ids[1]]);
    let paged = send(
        app.request_as(&learner, Method::GET, "/api/v1/sessions")
            .query(&[("limit", "2")]),
    )
    .await;
    let first = json_ok(&paged, StatusCode::OK);
    assert_eq!(ids_of(&first), [ids[2], ids[1]]);
    let cursor = first["nextCursor"].as_str().unwrap().to_owned();
    let rest = send(
        app.request_as(&learner, Method::GET, "/api/v1/sessions")
            .query(&[("limit", "2"), ("cursor", cursor.as_str())]),
    )
    .await;
    let rest = json_ok(&rest, StatusCode::OK);
    assert_eq!(ids_of(&rest), [ids[0]]);
    assert!(rest["nextCursor"].is_null());
    assert_eq!(sessions_of_learner(&app, learner.id).await.len(), 3);
}

#[tokio::test]
async fn a_coach_is_one_person_whether_coaching_or_being_coached() {
    let app = spawn_app().await;
    let (anne, annes) = coach(&app, "anne@coach.ca", "America/Toronto").await;
    let (_, bens) = coach(&app, "ben@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let at: DateTime<Utc> = free_stretch(&app, annes.id, Duration::days(2), 10)
        .await
        .parse()
        .unwrap();
    let when = at.to_rfc3339();

    // Anne takes a session with Ben: she is busy then, for her own learners too.
    booked(&app, &anne, bens.id, "single", &when).await;
    let free: Vec<DateTime<Utc>> = slots(&app, annes.id, "single", at - Duration::hours(1), 1)
        .await
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(!free.contains(&at), "Anne is being coached then");
    let response = book(
        &app,
        &learner,
        &json!({"coachId": annes.id, "type": "single", "scheduledAt": when}),
    )
    .await;
    assert_problem(&response, StatusCode::CONFLICT, "slot_unavailable");
    assert!(sessions_of_coach(&app, annes.id).await.is_empty());

    // And when Anne coaches, she cannot be coached at the same time.
    let later = (at + Duration::hours(3)).to_rfc3339();
    booked(&app, &learner, annes.id, "single", &later).await;
    let response = book(
        &app,
        &anne,
        &json!({"coachId": bens.id, "type": "single", "scheduledAt": later}),
    )
    .await;
    assert_problem(&response, StatusCode::CONFLICT, "slot_unavailable");
    assert_eq!(sessions_of_learner(&app, anne.id).await.len(), 1);
}
