//! The session status machine: who may make each move, the moves it refuses, refunds on
//! cancellation, package sessions returned to their plan, rescheduling, the clock rules of start
//! and no-show, the coaching room, notifications and the audit trail.

use chrono::{DateTime, Duration, Utc};
use entity::chat::{chat_room_members, chat_rooms};
use entity::coaching::coaching_plan_purchases;
use entity::enums::{ChatRoomType, SessionStatus, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{
    act, audit_actions, booked, coach, free_stretch, instant, move_session, notifications_of,
    plan_purchase, session_row, slot_after, slots,
};
use rusing_academy_tests::fixtures::db_user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// 6500 + 13 % HST.
const FULL_REFUND: i64 = 7345;

struct Scene {
    app: TestApp,
    coach: users::Model,
    coach_id: i64,
    learner: users::Model,
    /// A free start two days ahead or more.
    at: DateTime<Utc>,
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let (coach_user, profile) = coach(&app, "status@coach.ca", "America/Toronto").await;
    let at = free_stretch(&app, profile.id, Duration::days(2), 10)
        .await
        .parse()
        .unwrap();
    Scene {
        learner: app.users.learner.clone(),
        app,
        coach: coach_user,
        coach_id: profile.id,
        at,
    }
}

impl Scene {
    /// A single session of the learner's `hours` after `at`.
    async fn single(&self, hours: i64) -> i64 {
        let when = (self.at + Duration::hours(hours)).to_rfc3339();
        booked(&self.app, &self.learner, self.coach_id, "single", &when).await["id"]
            .as_i64()
            .unwrap()
    }

    /// A confirmed single session `hours` after `at`.
    async fn confirmed(&self, hours: i64) -> i64 {
        let id = self.single(hours).await;
        let response = act(&self.app, &self.coach, id, "confirm", None).await;
        assert_eq!(json_ok(&response, StatusCode::OK)["status"], "confirmed");
        id
    }

    async fn status(&self, id: i64) -> SessionStatus {
        session_row(&self.app, id).await.status
    }
}

#[tokio::test]
async fn the_coach_confirms_and_the_room_opens_and_the_learner_is_told() {
    let s = scene().await;
    let app = &s.app;
    let id = s.single(0).await;

    let by_learner = act(app, &s.learner, id, "confirm", None).await;
    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");
    let outsider = db_user(&app.db.conn, "outsider@example.gc.ca", UserRole::Learner).await;
    let by_outsider = act(app, &outsider, id, "confirm", None).await;
    assert_problem(&by_outsider, StatusCode::NOT_FOUND, "not_found");
    let by_admin = act(app, &app.users.admin, id, "confirm", None).await;
    assert_problem(&by_admin, StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(s.status(id).await, SessionStatus::Pending);
    assert!(audit_actions(app, "session", id).await.is_empty());

    let confirmed = act(app, &s.coach, id, "confirm", None).await;
    assert_eq!(json_ok(&confirmed, StatusCode::OK)["status"], "confirmed");
    assert_eq!(s.status(id).await, SessionStatus::Confirmed);
    let room = chat_rooms::Entity::find()
        .filter(chat_rooms::Column::SessionId.eq(id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .expect("the session's room");
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
    let mut expected = vec![s.coach.id, s.learner.id];
    expected.sort_unstable();
    assert_eq!(members, expected);
    assert_eq!(audit_actions(app, "session", id).await, ["session.confirm"]);

    assert!(
        notifications_of(app, s.learner.id, "session.confirmed")
            .await
            .is_empty()
    );
    app.run_due_jobs().await;
    assert_eq!(
        notifications_of(app, s.learner.id, "session.confirmed")
            .await
            .len(),
        1
    );
    // The coach made the change: they are not told of it.
    assert!(
        notifications_of(app, s.coach.id, "session.confirmed")
            .await
            .is_empty()
    );

    let again = act(app, &s.coach, id, "confirm", None).await;
    assert_problem(&again, StatusCode::CONFLICT, "invalid_transition");
    let complete = act(app, &s.coach, id, "complete", None).await;
    assert_problem(&complete, StatusCode::CONFLICT, "invalid_transition");
    let decline = act(app, &s.coach, id, "decline", Some(json!({}))).await;
    assert_problem(&decline, StatusCode::CONFLICT, "invalid_transition");
    assert_eq!(s.status(id).await, SessionStatus::Confirmed);
    assert_eq!(audit_actions(app, "session", id).await, ["session.confirm"]);
}

#[tokio::test]
async fn a_learner_cancelling_a_day_ahead_is_refunded_in_full_and_later_not() {
    let s = scene().await;
    let app = &s.app;

    let early = s.single(0).await;
    let cancelled = act(
        app,
        &s.learner,
        early,
        "cancel",
        Some(json!({"reason": "Work meeting"})),
    )
    .await;
    let body = json_ok(&cancelled, StatusCode::OK);
    assert_eq!(body["status"], "cancelled");
    assert_eq!(body["refundDue"], FULL_REFUND);
    let row = session_row(app, early).await;
    assert_eq!(row.status, SessionStatus::Cancelled);
    assert_eq!(row.refund_due, Some(FULL_REFUND));
    assert_eq!(row.cancelled_by, Some(s.learner.id));
    assert_eq!(row.cancellation_reason.as_deref(), Some("Work meeting"));
    assert_eq!(
        audit_actions(app, "session", early).await,
        ["session.cancel"]
    );
    let twice = act(app, &s.learner, early, "cancel", Some(json!({}))).await;
    assert_problem(&twice, StatusCode::CONFLICT, "invalid_transition");

    let late = s.confirmed(2).await;
    move_session(app, late, service::now() + Duration::hours(2)).await;
    let cancelled = act(app, &s.learner, late, "cancel", Some(json!({}))).await;
    let body = json_ok(&cancelled, StatusCode::OK);
    assert_eq!(body["status"], "cancelled");
    assert!(body["refundDue"].is_null(), "{body}");
    let row = session_row(app, late).await;
    assert_eq!(row.status, SessionStatus::Cancelled);
    assert_eq!(row.refund_due, None);

    app.run_due_jobs().await;
    assert_eq!(
        notifications_of(app, s.coach.id, "session.cancelled")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn the_coach_and_administrators_always_refund_in_full() {
    let s = scene().await;
    let app = &s.app;

    let declined = s.single(0).await;
    let response = act(
        app,
        &s.coach,
        declined,
        "decline",
        Some(json!({"reason": "Away that week"})),
    )
    .await;
    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["status"], "cancelled");
    assert_eq!(body["refundDue"], FULL_REFUND);
    let row = session_row(app, declined).await;
    assert_eq!(
        (row.status, row.refund_due, row.cancelled_by),
        (
            SessionStatus::Cancelled,
            Some(FULL_REFUND),
            Some(s.coach.id)
        )
    );
    assert_eq!(
        audit_actions(app, "session", declined).await,
        ["session.decline"]
    );
    let learner_declines = act(
        app,
        &s.learner,
        s.single(4).await,
        "decline",
        Some(json!({})),
    )
    .await;
    assert_problem(&learner_declines, StatusCode::FORBIDDEN, "forbidden");

    // Late, but by the coach.
    let late = s.confirmed(2).await;
    move_session(app, late, service::now() + Duration::hours(2)).await;
    let response = act(app, &s.coach, late, "cancel", Some(json!({}))).await;
    assert_eq!(json_ok(&response, StatusCode::OK)["refundDue"], FULL_REFUND);
    assert_eq!(session_row(app, late).await.refund_due, Some(FULL_REFUND));

    // Late, by an administrator (who takes no part).
    let admin = &app.users.admin;
    let by_admin = s.confirmed(6).await;
    move_session(app, by_admin, service::now() + Duration::hours(3)).await;
    let response = act(app, admin, by_admin, "cancel", Some(json!({}))).await;
    assert_eq!(json_ok(&response, StatusCode::OK)["refundDue"], FULL_REFUND);
    let row = session_row(app, by_admin).await;
    assert_eq!(
        (row.status, row.refund_due, row.cancelled_by),
        (SessionStatus::Cancelled, Some(FULL_REFUND), Some(admin.id))
    );
    assert_eq!(
        audit_actions(app, "session", by_admin).await,
        ["session.confirm", "session.cancel"]
    );

    app.run_due_jobs().await;
    // Both parties hear of the administrator's cancellation, the learner of the decline.
    assert_eq!(
        notifications_of(app, s.learner.id, "session.declined")
            .await
            .len(),
        1
    );
    assert_eq!(
        notifications_of(app, s.coach.id, "session.cancelled")
            .await
            .len(),
        1
    );
}

async fn remaining(app: &TestApp, purchase: i64) -> i32 {
    coaching_plan_purchases::Entity::find_by_id(purchase)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
        .remaining_sessions
}

#[tokio::test]
async fn a_package_session_returns_to_its_plan_only_when_cancelled_in_time() {
    let s = scene().await;
    let app = &s.app;
    let plan = plan_purchase(app, s.learner.id, 3, 60).await;
    let learner = &s.learner;
    let package = |hours: i64| {
        let body = json!({
            "coachId": s.coach_id,
            "type": "package",
            "scheduledAt": (s.at + Duration::hours(hours)).to_rfc3339(),
            "planPurchaseId": plan.id,
        });
        async move {
            let response = rusing_academy_tests::coaching::book(app, learner, &body).await;
            json_ok(&response, StatusCode::CREATED)["id"]
                .as_i64()
                .unwrap()
        }
    };

    let in_time = package(0).await;
    assert_eq!(remaining(app, plan.id).await, 2);
    let response = act(app, &s.learner, in_time, "cancel", Some(json!({}))).await;
    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["status"], "cancelled");
    assert!(
        body["refundDue"].is_null(),
        "a package session is returned, not refunded"
    );
    assert_eq!(remaining(app, plan.id).await, 3);

    let late = package(2).await;
    assert_eq!(remaining(app, plan.id).await, 2);
    move_session(app, late, service::now() + Duration::hours(2)).await;
    let response = act(app, &s.learner, late, "cancel", Some(json!({}))).await;
    assert_eq!(json_ok(&response, StatusCode::OK)["status"], "cancelled");
    assert_eq!(remaining(app, plan.id).await, 2);
    assert_eq!(s.status(late).await, SessionStatus::Cancelled);

    // The coach's late cancellation gives it back.
    let by_coach = package(4).await;
    assert_eq!(remaining(app, plan.id).await, 1);
    move_session(app, by_coach, service::now() + Duration::hours(2)).await;
    let response = act(app, &s.coach, by_coach, "cancel", Some(json!({}))).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(remaining(app, plan.id).await, 2);
}

#[tokio::test]
async fn a_reschedule_needs_a_day_of_notice_and_a_free_slot() {
    let s = scene().await;
    let app = &s.app;
    let other = db_user(&app.db.conn, "other@example.gc.ca", UserRole::Learner).await;
    let mine = s.single(0).await;
    let theirs_at = s.at + Duration::hours(2);
    let theirs = booked(app, &other, s.coach_id, "single", &theirs_at.to_rfc3339()).await;
    let reschedule = |user: &users::Model, id: i64, to: DateTime<Utc>| {
        let request = app
            .request_as(
                user,
                Method::POST,
                &format!("/api/v1/sessions/{id}/reschedule"),
            )
            .json(&json!({"scheduledAt": to.to_rfc3339()}));
        send(request)
    };

    for taken in [theirs_at, theirs_at + Duration::minutes(30)] {
        let response = reschedule(&s.learner, mine, taken).await;
        assert_problem(&response, StatusCode::CONFLICT, "slot_unavailable");
    }
    let too_soon = reschedule(&s.learner, mine, service::now() + Duration::hours(3)).await;
    assert_problem(&too_soon, StatusCode::CONFLICT, "too_late_to_reschedule");
    let by_admin = reschedule(&app.users.admin, mine, s.at + Duration::hours(4)).await;
    assert_problem(&by_admin, StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(session_row(app, mine).await.scheduled_at, s.at);

    let to = s.at + Duration::hours(4);
    let moved = reschedule(&s.learner, mine, to).await;
    let body = json_ok(&moved, StatusCode::OK);
    assert_eq!(instant(&body["scheduledAt"]), to);
    assert_eq!(session_row(app, mine).await.scheduled_at, to);
    let free: Vec<DateTime<Utc>> = slots(app, s.coach_id, "single", s.at, 1)
        .await
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    assert!(free.contains(&s.at), "the old slot is free again");
    assert!(!free.contains(&to), "the new slot is taken");
    assert!(!free.contains(&theirs_at));
    assert_eq!(
        audit_actions(app, "session", mine).await,
        ["session.reschedule"]
    );

    // Within 24 hours of the start it stays put.
    move_session(app, mine, service::now() + Duration::hours(5)).await;
    let late = reschedule(&s.coach, mine, s.at + Duration::hours(6)).await;
    assert_problem(&late, StatusCode::CONFLICT, "too_late_to_reschedule");
    let row = session_row(app, mine).await;
    assert!(row.scheduled_at < service::now() + Duration::hours(6));
    assert_eq!(theirs["status"], "pending");

    app.run_due_jobs().await;
    assert_eq!(
        notifications_of(app, s.coach.id, "session.rescheduled")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn start_complete_and_no_show_follow_the_clock() {
    let s = scene().await;
    let app = &s.app;

    let pending = s.single(6).await;
    let not_confirmed = act(app, &s.coach, pending, "start", None).await;
    assert_problem(&not_confirmed, StatusCode::CONFLICT, "invalid_transition");

    let held = s.confirmed(0).await;
    let too_early = act(app, &s.coach, held, "start", None).await;
    assert_problem(&too_early, StatusCode::CONFLICT, "session_not_started");
    assert_eq!(s.status(held).await, SessionStatus::Confirmed);
    move_session(app, held, service::now() + Duration::minutes(20)).await;
    let still_early = act(app, &s.coach, held, "start", None).await;
    assert_problem(&still_early, StatusCode::CONFLICT, "session_not_started");

    move_session(app, held, service::now() + Duration::minutes(10)).await;
    let by_learner = act(app, &s.learner, held, "start", None).await;
    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");
    let started = act(app, &s.coach, held, "start", None).await;
    assert_eq!(json_ok(&started, StatusCode::OK)["status"], "in_progress");
    assert_eq!(s.status(held).await, SessionStatus::InProgress);
    let cancel_running = act(app, &s.learner, held, "cancel", Some(json!({}))).await;
    assert_problem(&cancel_running, StatusCode::CONFLICT, "invalid_transition");
    let no_show_running = act(app, &s.coach, held, "no-show", None).await;
    assert_problem(&no_show_running, StatusCode::CONFLICT, "invalid_transition");

    let by_learner = act(app, &s.learner, held, "complete", None).await;
    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");
    let completed = act(app, &s.coach, held, "complete", None).await;
    assert_eq!(json_ok(&completed, StatusCode::OK)["status"], "completed");
    assert_eq!(s.status(held).await, SessionStatus::Completed);
    let twice = act(app, &s.coach, held, "complete", None).await;
    assert_problem(&twice, StatusCode::CONFLICT, "invalid_transition");
    assert_eq!(
        audit_actions(app, "session", held).await,
        ["session.confirm", "session.start", "session.complete"]
    );

    let missed = s.confirmed(2).await;
    let before_start = act(app, &s.coach, missed, "no-show", None).await;
    assert_problem(&before_start, StatusCode::CONFLICT, "session_not_started");
    assert_eq!(s.status(missed).await, SessionStatus::Confirmed);
    move_session(app, missed, service::now() - Duration::minutes(5)).await;
    let marked = act(app, &s.coach, missed, "no-show", None).await;
    let body = json_ok(&marked, StatusCode::OK);
    assert_eq!(body["status"], "no_show");
    assert!(body["refundDue"].is_null());
    assert_eq!(s.status(missed).await, SessionStatus::NoShow);
    let start_missed = act(app, &s.coach, missed, "start", None).await;
    assert_problem(&start_missed, StatusCode::CONFLICT, "invalid_transition");
    assert_eq!(
        audit_actions(app, "session", missed).await,
        ["session.confirm", "session.no_show"]
    );

    app.run_due_jobs().await;
    for kind in ["session.started", "session.completed", "session.no_show"] {
        assert_eq!(
            notifications_of(app, s.learner.id, kind).await.len(),
            1,
            "{kind}"
        );
    }
}

#[tokio::test]
async fn two_sessions_rescheduled_into_one_slot_at_once_do_not_both_get_it() {
    let s = scene().await;
    let app = &s.app;
    let other = db_user(&app.db.conn, "other@example.gc.ca", UserRole::Learner).await;
    let mine = s.single(0).await;
    let theirs = booked(
        app,
        &other,
        s.coach_id,
        "single",
        &(s.at + Duration::hours(2)).to_rfc3339(),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let target = s.at + Duration::hours(6);
    let body = json!({"scheduledAt": target.to_rfc3339()});

    let requests = (0..20).map(|n| {
        let (user, id) = if n % 2 == 0 {
            (&s.learner, mine)
        } else {
            (&other, theirs)
        };
        send(
            app.request_as(
                user,
                Method::POST,
                &format!("/api/v1/sessions/{id}/reschedule"),
            )
            .json(&body),
        )
    });
    let responses = futures_util::future::join_all(requests).await;
    let mut at_target = Vec::new();
    for id in [mine, theirs] {
        if session_row(app, id).await.scheduled_at == target {
            at_target.push(id);
        }
    }
    assert_eq!(at_target.len(), 1, "{at_target:?}");
    let winner = at_target[0];
    for (n, response) in responses.iter().enumerate() {
        let id = if n % 2 == 0 { mine } else { theirs };
        if id == winner {
            assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        } else {
            assert_problem(response, StatusCode::CONFLICT, "slot_unavailable");
        }
    }
    let loser = if winner == mine { theirs } else { mine };
    assert_ne!(session_row(app, loser).await.scheduled_at, target);
}

#[tokio::test]
async fn concurrent_moves_of_one_session_happen_once() {
    let s = scene().await;
    let app = &s.app;
    let id = s.single(0).await;

    let confirms =
        futures_util::future::join_all((0..10).map(|_| act(app, &s.coach, id, "confirm", None)))
            .await;
    assert_race(&confirms, StatusCode::OK, 1, "invalid_transition");
    let rooms = chat_rooms::Entity::find()
        .filter(chat_rooms::Column::SessionId.eq(id))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rooms.len(), 1);
    assert_eq!(audit_actions(app, "session", id).await, ["session.confirm"]);

    // A package session cancelled ten times at once goes back to its plan once.
    let plan = plan_purchase(app, s.learner.id, 2, 60).await;
    let package = rusing_academy_tests::coaching::book(
        app,
        &s.learner,
        &json!({
            "coachId": s.coach_id,
            "type": "package",
            "scheduledAt": (s.at + Duration::hours(2)).to_rfc3339(),
            "planPurchaseId": plan.id,
        }),
    )
    .await;
    let package = json_ok(&package, StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(remaining(app, plan.id).await, 1);
    let cancels = futures_util::future::join_all(
        (0..10).map(|_| act(app, &s.learner, package, "cancel", Some(json!({})))),
    )
    .await;
    assert_race(&cancels, StatusCode::OK, 1, "invalid_transition");
    assert_eq!(remaining(app, plan.id).await, 2);
    assert_eq!(s.status(package).await, SessionStatus::Cancelled);
}

#[tokio::test]
async fn a_reschedule_into_the_learners_session_with_another_coach_is_refused() {
    let s = scene().await;
    let app = &s.app;
    let (_, other) = coach(app, "second@coach.ca", "America/Toronto").await;
    let mine = s.confirmed(0).await;
    let busy_at = s.at + Duration::hours(3);
    booked(app, &s.learner, other.id, "single", &busy_at.to_rfc3339()).await;

    let response = send(
        app.request_as(
            &s.coach,
            Method::POST,
            &format!("/api/v1/sessions/{mine}/reschedule"),
        )
        .json(&json!({"scheduledAt": busy_at.to_rfc3339()})),
    )
    .await;
    assert_problem(&response, StatusCode::CONFLICT, "slot_unavailable");
    assert_eq!(session_row(app, mine).await.scheduled_at, s.at);
    // Outside the coach's availability (off the grid) too.
    let off_grid = send(
        app.request_as(
            &s.coach,
            Method::POST,
            &format!("/api/v1/sessions/{mine}/reschedule"),
        )
        .json(&json!({"scheduledAt": (s.at + Duration::minutes(370)).to_rfc3339()})),
    )
    .await;
    assert_problem(&off_grid, StatusCode::CONFLICT, "slot_unavailable");
    assert_eq!(session_row(app, mine).await.scheduled_at, s.at);
}

#[tokio::test]
async fn a_package_session_is_not_rescheduled_past_its_plans_expiry() {
    let s = scene().await;
    let app = &s.app;
    let plan = plan_purchase(app, s.learner.id, 3, 5).await;
    let package = rusing_academy_tests::coaching::book(
        app,
        &s.learner,
        &json!({
            "coachId": s.coach_id,
            "type": "package",
            "scheduledAt": s.at.to_rfc3339(),
            "planPurchaseId": plan.id,
        }),
    )
    .await;
    let id = json_ok(&package, StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let reschedule = |to: DateTime<Utc>| {
        send(
            app.request_as(
                &s.learner,
                Method::POST,
                &format!("/api/v1/sessions/{id}/reschedule"),
            )
            .json(&json!({"scheduledAt": to.to_rfc3339()})),
        )
    };

    let after_expiry: DateTime<Utc> = slot_after(app, s.coach_id, "single", Duration::days(10))
        .await
        .parse()
        .unwrap();
    let refused = reschedule(after_expiry).await;
    assert_problem(&refused, StatusCode::CONFLICT, "plan_balance_unavailable");
    assert_eq!(session_row(app, id).await.scheduled_at, s.at);

    let within = s.at + Duration::hours(2);
    let moved = reschedule(within).await;
    assert_eq!(json_ok(&moved, StatusCode::OK)["status"], "confirmed");
    assert_eq!(session_row(app, id).await.scheduled_at, within);
    assert_eq!(remaining(app, plan.id).await, 2);
}

#[tokio::test]
async fn a_session_booked_in_calendly_is_rescheduled_there_not_here() {
    let s = scene().await;
    let id = s.confirmed(0).await;
    let mut row: entity::coaching::sessions::ActiveModel = session_row(&s.app, id).await.into();
    row.calendly_event_uri = sea_orm::Set(Some(
        "https://api.calendly.com/scheduled_events/EVT1".to_owned(),
    ));
    sea_orm::ActiveModelTrait::update(row, &s.app.db.conn)
        .await
        .unwrap();

    let to = (s.at + Duration::hours(3)).to_rfc3339();
    let response = act(
        &s.app,
        &s.learner,
        id,
        "reschedule",
        Some(json!({"scheduledAt": to})),
    )
    .await;
    assert_problem(&response, StatusCode::CONFLICT, "booked_in_calendly");
    assert_eq!(session_row(&s.app, id).await.scheduled_at, s.at);
}
