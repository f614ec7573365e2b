//! End-to-end walks across domains, through HTTP only: from authoring a course to a verified
//! certificate.

use entity::enums::UserRole;
use entity::progress::lesson_progress;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::certificates::certificates_of;
use rusing_academy_tests::enrollments::enroll;
use rusing_academy_tests::fixtures::*;
use rusing_academy_tests::progress::{progress, sync};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// The scripted walk, through HTTP only: an admin authors and publishes a bilingual
/// course; a learner enrols, progresses online and through an offline batch replayed twice,
/// completes, and gets one certificate whose PDF opens and whose public verification is valid;
/// a second learner's view stays separate.
#[tokio::test]
async fn the_learning_walk_from_authoring_to_a_verified_certificate() {
    let app = spawn_app().await;
    let admin = &app.users.admin;
    let learner = &app.users.learner;
    let second = db_user(&app.db.conn, "second.learner@canada.ca", UserRole::Learner).await;

    let course = json_ok(
        &send(app.request_as(admin, Method::POST, "/api/v1/courses").json(&json!({
            "title": "Oral interaction B", "titleFr": "Interaction orale B", "description": "Prepare the oral test",
            "descriptionFr": "Préparez l'examen oral", "language": "bilingual", "level": "B", "category": "oral"
        })))
        .await,
        StatusCode::CREATED,
    );
    let course_id = course["id"].as_i64().expect("course id");
    let module = json_ok(
        &send(
            app.request_as(
                admin,
                Method::POST,
                &format!("/api/v1/courses/{course_id}/modules"),
            )
            .json(&json!({
                "title": "Meetings", "titleFr": "Réunions", "order": 1
            })),
        )
        .await,
        StatusCode::CREATED,
    );
    let module_id = module["id"].as_i64().expect("module id");
    let mut lesson_ids = Vec::new();
    for (order, (title, title_fr)) in [
        ("Opening a meeting", "Ouvrir une réunion"),
        ("Summarising", "Résumer"),
    ]
    .into_iter()
    .enumerate()
    {
        let lesson = json_ok(
            &send(app.request_as(admin, Method::POST, &format!("/api/v1/modules/{module_id}/lessons")).json(&json!({
                "title": title, "titleFr": title_fr, "content": "…", "contentFr": "…", "type": "text",
                "duration": 600, "order": order + 1, "isPreview": order == 0
            })))
            .await,
            StatusCode::CREATED,
        );
        lesson_ids.push(lesson["id"].as_i64().expect("lesson id"));
    }
    let published = json_ok(
        &send(app.request_as(
            admin,
            Method::POST,
            &format!("/api/v1/courses/{course_id}/publish"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(published["status"], "published");

    assert_eq!(
        enroll(&app, learner, course_id).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        enroll(&app, &second, course_id).await.status,
        StatusCode::CREATED
    );
    json_ok(
        &progress(
            &app,
            learner,
            lesson_ids[0],
            json!({ "progress": 100, "timeSpentSeconds": 420 }),
        )
        .await,
        StatusCode::OK,
    );
    let batch = json!([{ "clientOpId": "walk-1", "lessonId": lesson_ids[1], "progress": 100, "timeSpentSeconds": 300, "completed": true }]);
    let first = json_ok(&sync(&app, learner, batch.clone()).await, StatusCode::OK);
    for _ in 0..2 {
        assert_eq!(
            json_ok(&sync(&app, learner, batch.clone()).await, StatusCode::OK),
            first
        );
    }
    assert_eq!(first["results"][0]["lessonProgress"]["courseProgress"], 100);

    let certificates = json_ok(
        &send(app.request_as(learner, Method::GET, "/api/v1/users/me/certificates")).await,
        StatusCode::OK,
    );
    let items = certificates["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    let (id, number) = (
        items[0]["id"].as_i64().expect("id"),
        items[0]["number"].as_str().expect("number").to_owned(),
    );
    let pdf = send(app.request_as(
        learner,
        Method::GET,
        &format!("/api/v1/certificates/{id}/pdf"),
    ))
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(pdf.body.starts_with(b"%PDF-"));
    let verified = json_ok(
        &send(app.get(&format!("/api/v1/certificates/{number}/verify"))).await,
        StatusCode::OK,
    );
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["courseTitle"], "Oral interaction B");
    assert_problem(
        &send(app.request_as(
            &second,
            Method::GET,
            &format!("/api/v1/certificates/{id}/pdf"),
        ))
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    let theirs = json_ok(
        &send(app.request_as(
            &second,
            Method::GET,
            &format!("/api/v1/courses/{course_id}/progress"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (theirs["progress"].as_i64(), theirs["completed"].as_bool()),
        (Some(0), Some(false))
    );
    assert!(certificates_of(&app, second.id).await.is_empty());
    let time: i64 = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(learner.id))
        .all(&app.db.conn)
        .await
        .expect("rows")
        .iter()
        .map(|r| r.time_spent_seconds)
        .sum();
    assert_eq!(time, 720, "the replayed batch added its time once");
}

/// The coaching walk, through HTTP: a learner applies, an administrator approves, the new coach
/// sets availability in America/Toronto, a learner books a slot (20 racing duplicates fail), the
/// coach confirms (the coaching room opens, the learner is told), starts, completes, both leave
/// feedback and the rating shows; a learner cancelling inside 24 hours has no refund due, outside
/// one.
#[tokio::test]
async fn the_coaching_walk_from_application_to_rating() {
    use entity::coaching::{coach_profiles, sessions};
    use futures_util::future::join_all;
    use rusing_academy_tests::coaching::{act, move_session, slot_after};

    let app = spawn_app().await;
    let db = &app.db.conn;
    let applicant = db_user(db, "future.coach@canada.ca", UserRole::Learner).await;
    let learner = &app.users.learner;

    let application = json_ok(
        &send(
            app.request_as(&applicant, Method::POST, "/api/v1/coach-applications")
                .json(&json!({
                    "motivation": "Former SLE examiner; I coach oral interaction at levels B and C.",
                    "specialization": "Oral interaction B and C",
                    "specializations": ["oral_exam", "conversation"],
                    "languages": ["fr", "en"],
                    "sleLevels": {"reading": "E", "writing": "C", "oral": "E"},
                    "proposedHourlyRate": 8000,
                    "proposedTrialRate": 2000
                })),
        )
        .await,
        StatusCode::CREATED,
    );
    let approved = json_ok(
        &send(
            app.request_as(
                &app.users.admin,
                Method::POST,
                &format!("/api/v1/coach-applications/{}/approve", application["id"]),
            )
            .json(&json!({"sleVerified": true})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(approved["status"], "approved");
    // The role changed: the old session ended; the coach signs in again.
    assert_eq!(
        send(app.request_as(&applicant, Method::GET, "/api/v1/users/me"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let coach = entity::users::users::Entity::find_by_id(applicant.id)
        .one(db)
        .await
        .expect("q")
        .expect("coach");
    assert_eq!(coach.role, UserRole::Coach);

    let windows: Vec<_> = (1..=5)
        .map(|day| json!({"dayOfWeek": day, "startTime": "09:00", "endTime": "17:00"}))
        .collect();
    json_ok(
        &send(
            app.request_as(&coach, Method::PUT, "/api/v1/coaches/me/availability")
                .json(&json!({"timezone": "America/Toronto", "windows": windows})),
        )
        .await,
        StatusCode::OK,
    );
    let profile = json_ok(
        &send(app.request_as(&coach, Method::GET, "/api/v1/coaches/me")).await,
        StatusCode::OK,
    );
    let coach_id = profile["id"].as_i64().expect("profile id");
    assert_eq!(profile["hourlyRate"], 8000);
    assert_eq!(profile["sleVerified"], true);
    let found = json_ok(
        &send(
            app.get("/api/v1/coaches")
                .query(&[("specialization", "oral_exam"), ("language", "fr")]),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(found["items"][0]["id"], coach_id);

    // The learner books; nineteen racing duplicates are refused.
    let slot = slot_after(&app, coach_id, "single", chrono::Duration::days(3)).await;
    let body = json!({"coachId": coach_id, "type": "single", "scheduledAt": slot});
    let responses = join_all((0..20).map(|_| {
        send(
            app.request_as(learner, Method::POST, "/api/v1/sessions")
                .json(&body),
        )
    }))
    .await;
    let created = assert_race(&responses, StatusCode::CREATED, 1, "slot_unavailable");
    let session = created[0].json();
    let session_id = session["id"].as_i64().expect("session id");
    assert_eq!(session["status"], "pending");
    assert_eq!(
        (session["price"].clone(), session["taxAmount"].clone()),
        (json!(8000), json!(1040))
    );

    // Confirmed: the coaching room opens and the learner is told.
    let confirmed = json_ok(
        &act(&app, &coach, session_id, "confirm", None).await,
        StatusCode::OK,
    );
    assert_eq!(confirmed["status"], "confirmed");
    let rooms = json_ok(
        &send(app.request_as(learner, Method::GET, "/api/v1/chat/rooms")).await,
        StatusCode::OK,
    );
    assert!(
        rooms["items"]
            .as_array()
            .expect("rooms")
            .iter()
            .any(|r| r["type"] == "coaching" && r["sessionId"] == session_id),
        "{rooms}"
    );
    app.run_due_jobs().await;
    let notifications = json_ok(
        &send(app.request_as(learner, Method::GET, "/api/v1/notifications")).await,
        StatusCode::OK,
    );
    assert!(
        notifications["items"]
            .as_array()
            .expect("notifications")
            .iter()
            .any(|n| n["type"] == "session.confirmed"),
        "{notifications}"
    );

    // Held, completed, rated by both; the learner's rating shows on the profile.
    move_session(&app, session_id, service::now()).await;
    json_ok(
        &act(&app, &coach, session_id, "start", None).await,
        StatusCode::OK,
    );
    json_ok(
        &act(&app, &coach, session_id, "complete", None).await,
        StatusCode::OK,
    );
    for (who, rating) in [(learner, 5), (&coach, 4)] {
        json_ok(
            &act(
                &app,
                who,
                session_id,
                "feedback",
                Some(json!({"rating": rating})),
            )
            .await,
            StatusCode::CREATED,
        );
    }
    let public = json_ok(
        &send(app.get(&format!("/api/v1/coaches/{coach_id}"))).await,
        StatusCode::OK,
    );
    assert_eq!(
        (public["ratingAvg"].clone(), public["ratingCount"].clone()),
        (json!(5.0), json!(1))
    );

    // Cancellation policy: early → refund due; late → none.
    let early = slot_after(&app, coach_id, "single", chrono::Duration::days(4)).await;
    let early = json_ok(
        &send(
            app.request_as(learner, Method::POST, "/api/v1/sessions")
                .json(&json!({"coachId": coach_id, "type": "single", "scheduledAt": early})),
        )
        .await,
        StatusCode::CREATED,
    );
    let cancelled = json_ok(
        &act(
            &app,
            learner,
            early["id"].as_i64().expect("id"),
            "cancel",
            Some(json!({})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(cancelled["refundDue"], 9040);
    let late = slot_after(&app, coach_id, "single", chrono::Duration::days(5)).await;
    let late = json_ok(
        &send(
            app.request_as(learner, Method::POST, "/api/v1/sessions")
                .json(&json!({"coachId": coach_id, "type": "single", "scheduledAt": late})),
        )
        .await,
        StatusCode::CREATED,
    );
    let late_id = late["id"].as_i64().expect("id");
    move_session(&app, late_id, service::now() + chrono::Duration::hours(3)).await;
    let cancelled = json_ok(
        &act(
            &app,
            learner,
            late_id,
            "cancel",
            Some(json!({"reason": "Meeting"})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(cancelled["refundDue"], serde_json::Value::Null);
    let rows = sessions::Entity::find()
        .filter(sessions::Column::CoachId.eq(coach_id))
        .all(db)
        .await
        .expect("q");
    assert_eq!(rows.len(), 3);
    let stored = coach_profiles::Entity::find_by_id(coach_id)
        .one(db)
        .await
        .expect("q")
        .expect("profile");
    assert_eq!((stored.rating_avg, stored.rating_count), (5.0, 1));
}

/// Every row the payments walk can touch, to compare before and after replays.
async fn money_rows(app: &TestApp) -> Vec<String> {
    use entity::coaching::sessions;
    use entity::enrollments::enrollments;
    use entity::payments::{invoices, payments, payout_ledger, refunds, webhook_events};
    let db = &app.db.conn;
    vec![
        format!("{:?}", payments::Entity::find().all(db).await.unwrap()),
        format!("{:?}", refunds::Entity::find().all(db).await.unwrap()),
        format!("{:?}", payout_ledger::Entity::find().all(db).await.unwrap()),
        format!("{:?}", invoices::Entity::find().all(db).await.unwrap()),
        format!("{:?}", enrollments::Entity::find().all(db).await.unwrap()),
        format!("{:?}", sessions::Entity::find().all(db).await.unwrap()),
        format!(
            "{:?}",
            webhook_events::Entity::find().all(db).await.unwrap()
        ),
    ]
}

/// The scripted walk against the fake Stripe, with events signed exactly as Stripe signs
/// them: a paid course bought from its 402 link and entered; a coach onboarded and made payable
/// by `account.updated`; a session bought and confirmed, the fee per tier on the pre-tax price;
/// the learner's cancellation a day ahead refunded with the coach's ledger reversed; every event
/// replayed three times in reverse order, and a bad and a stale signature, changing nothing.
#[tokio::test]
async fn the_payments_walk_from_checkout_to_refund() {
    use chrono::Duration;
    use rusing_academy_tests::coaching::{act, booked, coach, free_stretch, session_row};
    use rusing_academy_tests::payments::{paid_course, shop};
    use rusing_academy_tests::stripe::{WEBHOOK_SECRET, sign_with};

    let shop = shop().await;
    let app = &shop.app;
    let learner = &app.users.learner;
    let mut delivered: Vec<String> = Vec::new();

    // A paid course: 402 with the way to pay, the checkout, Stripe's word, the enrollment.
    let course = paid_course(app, "walk-paid", 4900).await;
    let refused = send(app.request_as(
        learner,
        Method::POST,
        &format!("/api/v1/courses/{}/enroll", course.id),
    ))
    .await;
    let problem = assert_problem(&refused, StatusCode::PAYMENT_REQUIRED, "payment_required");
    let link = problem["links"]["checkout"].clone();
    let checkout = json_ok(
        &send(
            app.request_as(learner, Method::POST, link["href"].as_str().unwrap())
                .json(&link["body"]),
        )
        .await,
        StatusCode::CREATED,
    );
    let course_payment = checkout["paymentId"].as_i64().unwrap();
    let completed = shop
        .stripe
        .checkout_completed(&shop.session_of(course_payment).id);
    shop.processed(&completed).await;
    delivered.push(completed);
    let mine = json_ok(
        &send(app.request_as(learner, Method::GET, "/api/v1/users/me/enrollments")).await,
        StatusCode::OK,
    );
    assert_eq!(mine["items"][0]["course"]["id"], course.id, "{mine}");
    assert_eq!(mine["items"][0]["source"], "purchase");

    // A coach onboards; Stripe enables the account; the coach becomes payable.
    let (coach_user, profile) = coach(app, "walk.coach@canada.ca", "America/Toronto").await;
    json_ok(
        &send(app.request_as(
            &coach_user,
            Method::POST,
            "/api/v1/coaches/me/stripe/onboarding",
        ))
        .await,
        StatusCode::OK,
    );
    let account = shop.stripe.accounts().pop().unwrap().id;
    let enabled = shop.stripe.account_updated(&account, true);
    shop.processed(&enabled).await;
    delivered.push(enabled);

    // A session bought: confirmed by the payment; HST apart; 2600 bps of the pre-tax price.
    let at = free_stretch(app, profile.id, Duration::days(3), 2).await;
    let session = booked(app, learner, profile.id, "single", &at).await;
    let session_id = session["id"].as_i64().unwrap();
    let price = session["price"].as_i64().unwrap();
    let hst = session["taxAmount"].as_i64().unwrap();
    assert_eq!(hst, (price * 13 + 50) / 100);
    let (session_payment, stripe_session) = shop.checked_out(learner, "session", session_id).await;
    let completed = shop.stripe.checkout_completed(&stripe_session);
    shop.processed(&completed).await;
    delivered.push(completed);
    assert_eq!(
        session_row(app, session_id).await.status,
        entity::enums::SessionStatus::Confirmed
    );
    let fee = (price * 2600 + 5000) / 10000;
    let earnings = json_ok(
        &send(app.request_as(&coach_user, Method::GET, "/api/v1/coaches/me/earnings")).await,
        StatusCode::OK,
    );
    assert_eq!(earnings["total"]["gross"], price);
    assert_eq!(earnings["total"]["fees"], fee);
    assert_eq!(earnings["total"]["net"], price - fee);

    // The learner cancels a day ahead: refunded in full, the coach's share and fee reversed.
    json_ok(
        &act(
            app,
            learner,
            session_id,
            "cancel",
            Some(json!({"reason": "Exam moved"})),
        )
        .await,
        StatusCode::OK,
    );
    app.run_due_jobs().await;
    let refunds = shop.stripe.refunds();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].amount, price + hst);
    assert!(refunds[0].reverse_transfer && refunds[0].refund_application_fee);
    let refunded = shop.stripe.charge_refunded(&stripe_session);
    shop.processed(&refunded).await;
    delivered.push(refunded);
    let detail = json_ok(
        &send(app.request_as(
            learner,
            Method::GET,
            &format!("/api/v1/payments/{session_payment}"),
        ))
        .await,
        StatusCode::OK,
    );
    assert_eq!(detail["status"], "refunded");
    let earnings = json_ok(
        &send(app.request_as(&coach_user, Method::GET, "/api/v1/coaches/me/earnings")).await,
        StatusCode::OK,
    );
    assert_eq!(earnings["total"]["net"], 0);
    assert_eq!(earnings["total"]["refunds"], price);

    // Every event again, three times, newest first; then forged and stale ones: nothing moves.
    let before = money_rows(app).await;
    for _ in 0..3 {
        for payload in delivered.iter().rev() {
            let response = shop.deliver(payload).await;
            assert_eq!(json_ok(&response, StatusCode::OK)["status"], "duplicate");
        }
    }
    let now = chrono::Utc::now().timestamp();
    for payload in &delivered {
        for signature in [
            sign_with("whsec_forged", payload, now),
            sign_with(WEBHOOK_SECRET, payload, now - 600),
        ] {
            let response = shop.deliver_signed(payload, &signature).await;
            assert_problem(
                &response,
                StatusCode::BAD_REQUEST,
                "webhook_signature_invalid",
            );
        }
    }
    assert_eq!(money_rows(app).await, before);
    assert_eq!(shop.stripe.refunds().len(), 1);
}
