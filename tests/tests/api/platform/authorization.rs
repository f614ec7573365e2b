//! The authorisation matrix, generated from the OpenAPI document: every operation is called by
//! every kind of caller that must not reach it, against resources someone else owns, and must
//! answer 401 (anonymous), 403 `insufficient_scope` (an API key without the operation's scope) or
//! 401/403/404 (the others), without a byte of the foreign resource in the body. An operation of
//! the document that is missing from the table fails the test: a new route joins it by
//! construction, with its decision written down.

use std::collections::BTreeMap;

use chrono::Utc;
use entity::enums::{LessonType, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    /// No credentials.
    Anonymous,
    /// A learner who owns nothing here.
    OtherLearner,
    /// A coach who does not teach the course.
    OtherCoach,
    /// An administrator's API key without the scope the operation needs.
    KeyWithoutScope,
}
use Caller::*;

/// Which resource the operation's path parameter names.
#[derive(Debug, Clone, Copy)]
enum Target {
    None,
    DraftCourse,
    DraftModule,
    DraftLesson,
    OwnersCertificate,
    OwnersKey,
    Owner,
    Job,
    CertificateNumber,
    PublicPath,
    OwnersRoom,
    OwnersMessage,
    OwnersNotification,
    PausedCoach,
    OwnersApplication,
    OwnersException,
    OwnersSession,
    Plan,
    OwnersPayment,
    OwnersInvoice,
    Coupon,
    Flag,
}
use Target::*;

/// The callers an operation refuses, and what its `{id}` names.
struct Row {
    target: Target,
    refused: &'static [Caller],
}

const EVERYONE: &[Caller] = &[Anonymous, OtherLearner, OtherCoach, KeyWithoutScope];
const SIGNED_IN_ONLY: &[Caller] = &[Anonymous, KeyWithoutScope];
const ADMIN_ONLY: &[Caller] = EVERYONE;
const PUBLIC: &[Caller] = &[];

/// The table: one row per operation of the document.
fn matrix() -> BTreeMap<&'static str, Row> {
    let row = |target, refused| Row { target, refused };
    BTreeMap::from([
        // Probes and the public side of accounts: nothing to protect (metrics: see SECURITY.md).
        ("health_live", row(None, PUBLIC)),
        ("health_ready", row(None, PUBLIC)),
        ("metrics", row(None, PUBLIC)),
        ("register", row(None, PUBLIC)),
        ("login", row(None, PUBLIC)),
        ("refresh_token", row(None, PUBLIC)),
        ("logout", row(None, PUBLIC)),
        ("request_password_reset", row(None, PUBLIC)),
        ("confirm_password_reset", row(None, PUBLIC)),
        ("verify_email", row(None, PUBLIC)),
        // One's own account: only one's own session (or a key with the scope).
        ("list_api_keys", row(None, SIGNED_IN_ONLY)),
        ("create_api_key", row(None, SIGNED_IN_ONLY)),
        ("revoke_api_key", row(OwnersKey, EVERYONE)),
        ("get_me", row(None, SIGNED_IN_ONLY)),
        ("delete_me", row(None, SIGNED_IN_ONLY)),
        ("update_me", row(None, SIGNED_IN_ONLY)),
        ("get_my_profile", row(None, SIGNED_IN_ONLY)),
        ("put_my_profile", row(None, SIGNED_IN_ONLY)),
        ("export_my_data", row(None, SIGNED_IN_ONLY)),
        ("get_my_sle_results", row(None, SIGNED_IN_ONLY)),
        ("put_my_sle_results", row(None, SIGNED_IN_ONLY)),
        ("list_my_enrollments", row(None, SIGNED_IN_ONLY)),
        ("list_my_progress_snapshots", row(None, SIGNED_IN_ONLY)),
        ("list_my_certificates", row(None, SIGNED_IN_ONLY)),
        ("sync_progress", row(None, SIGNED_IN_ONLY)),
        // Administration.
        ("admin_list_users", row(None, ADMIN_ONLY)),
        ("admin_get_user", row(Owner, ADMIN_ONLY)),
        ("admin_update_user", row(Owner, ADMIN_ONLY)),
        ("admin_list_audit_logs", row(None, ADMIN_ONLY)),
        ("admin_grant_enrollment", row(None, ADMIN_ONLY)),
        ("admin_list_jobs", row(None, ADMIN_ONLY)),
        ("admin_retry_job", row(Job, ADMIN_ONLY)),
        // The catalog is public; a draft is its instructor's and the administrators'.
        ("list_courses", row(None, PUBLIC)),
        ("list_learning_paths", row(None, PUBLIC)),
        ("get_learning_path", row(PublicPath, PUBLIC)),
        ("verify_certificate", row(CertificateNumber, PUBLIC)),
        (
            "create_course",
            row(None, &[Anonymous, OtherLearner, KeyWithoutScope]),
        ),
        ("get_course", row(DraftCourse, EVERYONE)),
        ("archive_course", row(DraftCourse, EVERYONE)),
        ("update_course", row(DraftCourse, EVERYONE)),
        ("publish_course", row(DraftCourse, EVERYONE)),
        ("create_module", row(DraftCourse, EVERYONE)),
        ("reorder_modules", row(DraftCourse, EVERYONE)),
        ("list_reviews", row(DraftCourse, EVERYONE)),
        ("create_review", row(DraftCourse, EVERYONE)),
        ("enroll", row(DraftCourse, EVERYONE)),
        ("get_course_progress", row(DraftCourse, EVERYONE)),
        ("delete_module", row(DraftModule, EVERYONE)),
        ("update_module", row(DraftModule, EVERYONE)),
        ("create_lesson", row(DraftModule, EVERYONE)),
        ("reorder_lessons", row(DraftModule, EVERYONE)),
        ("get_lesson", row(DraftLesson, EVERYONE)),
        ("delete_lesson", row(DraftLesson, EVERYONE)),
        ("update_lesson", row(DraftLesson, EVERYONE)),
        ("get_quiz", row(DraftLesson, EVERYONE)),
        ("submit_quiz", row(DraftLesson, EVERYONE)),
        ("put_quiz_questions", row(DraftLesson, EVERYONE)),
        ("put_lesson_progress", row(DraftLesson, EVERYONE)),
        ("get_certificate_pdf", row(OwnersCertificate, EVERYONE)),
        // Chat: a room and its messages exist for its members only.
        ("list_chat_rooms", row(None, SIGNED_IN_ONLY)),
        ("create_chat_room", row(None, SIGNED_IN_ONLY)),
        ("get_chat_unread", row(None, SIGNED_IN_ONLY)),
        ("get_chat_room", row(OwnersRoom, EVERYONE)),
        ("list_chat_members", row(OwnersRoom, EVERYONE)),
        ("add_chat_member", row(OwnersRoom, EVERYONE)),
        ("remove_chat_member", row(OwnersRoom, EVERYONE)),
        ("list_chat_messages", row(OwnersRoom, EVERYONE)),
        ("send_chat_message", row(OwnersRoom, EVERYONE)),
        ("mark_chat_read", row(OwnersRoom, EVERYONE)),
        ("edit_chat_message", row(OwnersMessage, EVERYONE)),
        ("delete_chat_message", row(OwnersMessage, EVERYONE)),
        // One's own stream, notifications, preferences and push subscriptions.
        ("stream_events", row(None, SIGNED_IN_ONLY)),
        ("list_notifications", row(None, SIGNED_IN_ONLY)),
        ("get_notifications_unread_count", row(None, SIGNED_IN_ONLY)),
        ("mark_all_notifications_read", row(None, SIGNED_IN_ONLY)),
        ("mark_notification_read", row(OwnersNotification, EVERYONE)),
        ("get_notification_preferences", row(None, SIGNED_IN_ONLY)),
        ("put_notification_preferences", row(None, SIGNED_IN_ONLY)),
        ("create_push_subscription", row(None, SIGNED_IN_ONLY)),
        ("delete_push_subscription", row(None, SIGNED_IN_ONLY)),
        ("get_vapid_public_key", row(None, PUBLIC)),
        // Coaching: the search and active profiles are public; a paused profile is its coach's,
        // a session its participants', an application its applicant's (and administrators').
        ("list_coaches", row(None, PUBLIC)),
        ("get_coach", row(PausedCoach, EVERYONE)),
        ("list_coach_slots", row(PausedCoach, EVERYONE)),
        ("get_my_coach_profile", row(None, SIGNED_IN_ONLY)),
        ("update_my_coach_profile", row(None, SIGNED_IN_ONLY)),
        ("get_my_availability", row(None, SIGNED_IN_ONLY)),
        ("put_my_availability", row(None, SIGNED_IN_ONLY)),
        ("add_availability_exception", row(None, SIGNED_IN_ONLY)),
        (
            "delete_availability_exception",
            row(OwnersException, EVERYONE),
        ),
        ("create_coach_application", row(None, SIGNED_IN_ONLY)),
        ("list_coach_applications", row(None, SIGNED_IN_ONLY)),
        ("get_coach_application", row(OwnersApplication, EVERYONE)),
        (
            "approve_coach_application",
            row(OwnersApplication, ADMIN_ONLY),
        ),
        (
            "reject_coach_application",
            row(OwnersApplication, ADMIN_ONLY),
        ),
        ("book_session", row(None, SIGNED_IN_ONLY)),
        ("list_sessions", row(None, SIGNED_IN_ONLY)),
        ("get_session", row(OwnersSession, EVERYONE)),
        ("confirm_session", row(OwnersSession, EVERYONE)),
        ("decline_session", row(OwnersSession, EVERYONE)),
        ("cancel_session", row(OwnersSession, EVERYONE)),
        ("reschedule_session", row(OwnersSession, EVERYONE)),
        ("start_session", row(OwnersSession, EVERYONE)),
        ("complete_session", row(OwnersSession, EVERYONE)),
        ("mark_session_no_show", row(OwnersSession, EVERYONE)),
        ("list_session_recordings", row(OwnersSession, EVERYONE)),
        ("add_session_recording", row(OwnersSession, EVERYONE)),
        ("list_session_feedback", row(OwnersSession, EVERYONE)),
        ("give_session_feedback", row(OwnersSession, EVERYONE)),
        ("list_coaching_plans", row(None, PUBLIC)),
        ("get_coaching_plan", row(Plan, PUBLIC)),
        ("create_coaching_plan", row(None, ADMIN_ONLY)),
        ("update_coaching_plan", row(Plan, ADMIN_ONLY)),
        ("archive_coaching_plan", row(Plan, ADMIN_ONLY)),
        ("list_my_coaching_plans", row(None, SIGNED_IN_ONLY)),
        // Calendly: a coach's own connection (a coach without a coach profile is refused too);
        // the callback is the browser coming back from Calendly (it checks the signed state and
        // connects nothing); completing takes a signed-in person, whose user id the state must
        // name (the service decides: a signed-in caller with a state not theirs gets 400
        // `calendly_state_invalid`, tested in `calendly::connect`); the webhook is Calendly's
        // (the signature decides).
        ("calendly_authorize", row(None, EVERYONE)),
        ("calendly_disconnect", row(None, EVERYONE)),
        ("calendly_callback", row(None, PUBLIC)),
        ("calendly_complete", row(None, SIGNED_IN_ONLY)),
        ("calendly_webhook", row(None, PUBLIC)),
        // Payments: buying, one's own payments, invoices and subscription; a payment or invoice
        // is its buyer's (and administrators'); refunds, coupons and commission tiers are
        // administrators'; onboarding and earnings need a coach profile; plans are public; the
        // webhook is Stripe's (the signature decides).
        ("start_checkout", row(None, SIGNED_IN_ONLY)),
        ("list_payments", row(None, SIGNED_IN_ONLY)),
        ("get_payment", row(OwnersPayment, EVERYONE)),
        ("refund_payment", row(OwnersPayment, ADMIN_ONLY)),
        ("list_subscription_plans", row(None, PUBLIC)),
        ("get_my_subscription", row(None, SIGNED_IN_ONLY)),
        ("cancel_my_subscription", row(None, SIGNED_IN_ONLY)),
        ("open_subscription_portal", row(None, SIGNED_IN_ONLY)),
        ("list_invoices", row(None, SIGNED_IN_ONLY)),
        ("get_invoice_pdf", row(OwnersInvoice, EVERYONE)),
        ("start_stripe_onboarding", row(None, EVERYONE)),
        ("get_my_earnings", row(None, EVERYONE)),
        ("list_coupons", row(None, ADMIN_ONLY)),
        ("create_coupon", row(None, ADMIN_ONLY)),
        ("update_coupon", row(Coupon, ADMIN_ONLY)),
        ("list_commission_tiers", row(None, ADMIN_ONLY)),
        ("replace_commission_tiers", row(None, ADMIN_ONLY)),
        ("stripe_webhook", row(None, PUBLIC)),
        // Feature flags: one's own evaluation; the flags themselves are administrators'.
        ("get_my_feature_flags", row(None, SIGNED_IN_ONLY)),
        ("admin_list_feature_flags", row(None, ADMIN_ONLY)),
        ("admin_create_feature_flag", row(None, ADMIN_ONLY)),
        ("admin_get_feature_flag", row(Flag, ADMIN_ONLY)),
        ("admin_update_feature_flag", row(Flag, ADMIN_ONLY)),
        ("admin_delete_feature_flag", row(Flag, ADMIN_ONLY)),
        ("admin_feature_flag_history", row(Flag, ADMIN_ONLY)),
        ("admin_list_metrics", row(None, ADMIN_ONLY)),
        ("admin_list_error_logs", row(None, ADMIN_ONLY)),
    ])
}

/// What the callers must never see.
const SECRETS: [&str; 12] = [
    "SECRETFLAGDESCRIPTION",
    "RA-2026-SECRET",
    "SECRETCOUPON",
    "Secret draft title",
    "Secret lesson body",
    "owner.of.things@example.gc.ca",
    "CERT-SECRET-NUMBER",
    "Secret chat message",
    "Secret notification",
    "Secret coach biography",
    "Secret motivation of the applicant",
    "Secret reason for the exception",
];

struct Fixtures {
    ids: BTreeMap<&'static str, String>,
    tokens: BTreeMap<Caller, Option<String>>,
    narrow_keys: Vec<(&'static str, String)>,
}

impl Fixtures {
    /// `Authorization` of `caller` for an operation whose API keys need `scopes`.
    fn credentials(&self, caller: Caller, scopes: &[String]) -> Option<String> {
        if caller == KeyWithoutScope {
            let (_, key) = self
                .narrow_keys
                .iter()
                .find(|(scope, _)| !scopes.iter().any(|s| s == scope))
                .expect("a key without the scope");
            return Some(format!("ApiKey {key}"));
        }
        self.tokens.get(&caller).cloned().flatten()
    }
}

async fn fixtures(app: &TestApp) -> Fixtures {
    let db = &app.db.conn;
    let owner = db_user(db, "owner.of.things@example.gc.ca", UserRole::Learner).await;
    let instructor = db_user(db, "instructor@example.gc.ca", UserRole::Coach).await;
    let other_learner = db_user(db, "other.learner@example.gc.ca", UserRole::Learner).await;
    let other_coach = db_user(db, "other.coach@example.gc.ca", UserRole::Coach).await;

    let draft = db_course(db, "secret-draft", Some(instructor.id)).await;
    let mut row: entity::courses::courses::ActiveModel = draft.clone().into();
    row.title = Set("Secret draft title".to_owned());
    row.status = Set(entity::enums::CourseStatus::Draft);
    row.update(db).await.expect("draft");
    let module = db_module(db, draft.id, 1).await;
    let lesson = db_lesson(db, module.id, 1).await;
    let mut row: entity::courses::lessons::ActiveModel = lesson.clone().into();
    row.content = Set(Some("Secret lesson body".to_owned()));
    row.r#type = Set(LessonType::Quiz);
    row.update(db).await.expect("lesson");

    let published = db_course(db, "published-of-owner", Some(instructor.id)).await;
    let signer = service::certificates::Signer::load_or_generate(app.data_dir.path(), Option::None)
        .expect("signer");
    let certificate = service::certificates::issue(db, &signer, &owner, &published, Utc::now())
        .await
        .expect("certificate")
        .expect("a verified owner gets one");
    let mut row: entity::certificates::certificates::ActiveModel = certificate.clone().into();
    row.number = Set("CERT-SECRET-NUMBER".to_owned());
    row.update(db).await.expect("number");

    let owner_session = app.token_for(&owner);
    let key = send(
        app.post("/api/v1/api-keys")
            .bearer_auth(&owner_session)
            .json(&json!({"name": "owner", "scopes": ["profile:read"]})),
    )
    .await;
    let key_id = json_ok(&key, StatusCode::CREATED)["id"].clone();
    // Administrators' keys with one scope each: an operation is called with one it does not list.
    let mut narrow_keys = Vec::new();
    for scope in ["audit:read", "learning:read"] {
        let key = send(
            app.request_as(&app.users.admin, Method::POST, "/api/v1/api-keys")
                .json(&json!({"name": scope, "scopes": [scope]})),
        )
        .await;
        let key = json_ok(&key, StatusCode::CREATED)["key"]
            .as_str()
            .expect("key")
            .to_owned();
        narrow_keys.push((scope, key));
    }
    service::jobs::enqueue(
        db,
        &service::auth::recovery::SendEmailVerification { user_id: owner.id },
    )
    .await
    .expect("job");
    let job: entity::jobs::background_jobs::Model = entity::jobs::background_jobs::Entity::find()
        .one(db)
        .await
        .expect("q")
        .expect("job");

    let room = rusing_academy_tests::chat::direct_room(app, &owner, &instructor).await;
    let message = rusing_academy_tests::chat::said(app, &owner, room, "Secret chat message").await;
    let notification = entity::notifications::notifications::ActiveModel {
        user_id: Set(owner.id),
        r#type: Set("account.notice".to_owned()),
        title: Set("Secret notification".to_owned()),
        message: Set("Secret notification".to_owned()),
        read: Set(false),
        created_at: Set(service::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("notification");

    // The instructor's coach profile, paused; a session of theirs with the owner; an exception;
    // the owner's application; a plan.
    let profile = db_coach_profile(db, instructor.id).await;
    let mut row: entity::coaching::coach_profiles::ActiveModel = profile.clone().into();
    row.bio = Set(Some("Secret coach biography".to_owned()));
    row.status = Set(entity::enums::CoachStatus::Paused);
    row.update(db).await.expect("paused");
    let session = db_session(db, profile.id, owner.id).await;
    let exception = entity::coaching::coach_availability_exceptions::ActiveModel {
        coach_id: Set(profile.id),
        date: Set(Utc::now().date_naive() + chrono::Duration::days(3)),
        available: Set(false),
        reason: Set(Some("Secret reason for the exception".to_owned())),
        created_at: Set(service::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("exception");
    let application = entity::coaching::coach_applications::ActiveModel {
        user_id: Set(owner.id),
        motivation: Set("Secret motivation of the applicant".to_owned()),
        status: Set(entity::enums::ApplicationStatus::Submitted),
        created_at: Set(service::now()),
        updated_at: Set(service::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("application");
    let plan = rusing_academy_tests::coaching::plan_purchase(app, owner.id, 1, 30).await;
    // The owner's paid course, its invoice; a coupon.
    let payment = db_payment(
        db,
        owner.id,
        entity::enums::PaymentPurpose::Course,
        published.id,
        4900,
    )
    .await;
    let invoice = entity::payments::invoices::ActiveModel {
        user_id: Set(owner.id),
        payment_id: Set(Some(payment.id)),
        amount: Set(4900),
        paid_at: Set(Some(service::now())),
        number: Set("RA-2026-SECRET".to_owned()),
        status: Set(entity::enums::InvoiceStatus::Paid),
        tax_amount: Set(0),
        currency: Set("CAD".to_owned()),
        created_at: Set(service::now()),
        updated_at: Set(service::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("invoice");
    let coupon = entity::payments::coupons::ActiveModel {
        code: Set("SECRETCOUPON".to_owned()),
        kind: Set(entity::enums::CouponKind::Percentage),
        value: Set(10),
        used_count: Set(0),
        applies_to: Set(entity::enums::CouponScope::All),
        active: Set(true),
        created_at: Set(service::now()),
        updated_at: Set(service::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("coupon");

    let flag = entity::admin::feature_flags::ActiveModel {
        key: Set("secret_flag".to_owned()),
        enabled: Set(true),
        description: Set(Some("SECRETFLAGDESCRIPTION".to_owned())),
        roles: Set(json!([])),
        rollout_percentage: Set(100),
        user_ids: Set(json!([])),
        created_at: Set(service::now()),
        updated_at: Set(service::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("flag");

    let ids = BTreeMap::from([
        ("Flag", flag.id.to_string()),
        ("OwnersPayment", payment.id.to_string()),
        ("OwnersInvoice", invoice.id.to_string()),
        ("Coupon", coupon.id.to_string()),
        ("PausedCoach", profile.id.to_string()),
        ("OwnersApplication", application.id.to_string()),
        ("OwnersException", exception.id.to_string()),
        ("OwnersSession", session.id.to_string()),
        ("Plan", plan.plan_id.to_string()),
        ("OwnersRoom", room.to_string()),
        ("OwnersMessage", message["id"].to_string()),
        ("OwnersNotification", notification.id.to_string()),
        ("DraftCourse", draft.id.to_string()),
        ("DraftModule", module.id.to_string()),
        ("DraftLesson", lesson.id.to_string()),
        ("OwnersCertificate", certificate.id.to_string()),
        ("OwnersKey", key_id.to_string()),
        ("Owner", owner.id.to_string()),
        ("Job", job.id.to_string()),
        ("CertificateNumber", "CERT-SECRET-NUMBER".to_owned()),
        ("PublicPath", "1".to_owned()),
    ]);
    let tokens = BTreeMap::from([
        (Anonymous, Option::None),
        (
            OtherLearner,
            Some(format!("Bearer {}", app.token_for(&other_learner))),
        ),
        (
            OtherCoach,
            Some(format!("Bearer {}", app.token_for(&other_coach))),
        ),
    ]);
    Fixtures {
        ids,
        tokens,
        narrow_keys,
    }
}

fn example_body(spec: &Value, operation: &Value) -> Option<Value> {
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    let reference = schema["$ref"].as_str()?;
    let example = spec
        .pointer(&format!("{}/example", reference.trim_start_matches('#')))
        .cloned();
    Some(example.unwrap_or_else(|| json!({})))
}

#[tokio::test]
async fn every_operation_refuses_every_caller_that_must_not_reach_it() {
    let app = spawn_app().await;
    let spec = serde_json::to_value(api::openapi_document()).expect("spec");
    let fx = fixtures(&app).await;
    let matrix = matrix();
    let mut checked = 0;

    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let id = operation["operationId"].as_str().expect("operationId");
            let Some(row) = matrix.get(id) else {
                panic!("{id} ({method} {path}) is missing from the authorisation matrix");
            };
            let target = format!("{:?}", row.target);
            let url = path
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        fx.ids
                            .get(target.as_str())
                            .cloned()
                            .unwrap_or_else(|| panic!("{id}: no resource for {segment}"))
                    } else {
                        segment.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let method: Method = method.to_uppercase().parse().expect("method");
            for caller in row.refused {
                let mut request = app.request(method.clone(), &url);
                let scopes: Vec<String> = operation["security"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find_map(|r| r.get("apiKey"))
                    .and_then(|s| serde_json::from_value(s.clone()).ok())
                    .unwrap_or_default();
                if let Some(credentials) = fx.credentials(*caller, &scopes) {
                    request = request.header("authorization", credentials);
                }
                if let Some(body) = example_body(&spec, operation) {
                    request = request.json(&body);
                }
                let response = send(request).await;
                let at = format!(
                    "{id} as {caller:?}: {} {}",
                    response.status,
                    response.text()
                );
                let public = operation["security"].as_array().is_some_and(|r| {
                    r.iter()
                        .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
                });
                match caller {
                    // Where credentials are optional, what an anonymous caller may not see is 404.
                    Anonymous if public => {
                        assert_eq!(response.status, StatusCode::NOT_FOUND, "{at}");
                    }
                    Anonymous => assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{at}"),
                    // A key where any key is taken sees what the public sees.
                    KeyWithoutScope if scopes.is_empty() && public => {
                        assert_eq!(response.status, StatusCode::NOT_FOUND, "{at}");
                    }
                    KeyWithoutScope => assert_eq!(
                        (response.status, response.json()["code"].clone()),
                        (StatusCode::FORBIDDEN, json!("insufficient_scope")),
                        "{at}"
                    ),
                    _ => assert!(
                        [
                            StatusCode::UNAUTHORIZED,
                            StatusCode::FORBIDDEN,
                            StatusCode::NOT_FOUND
                        ]
                        .contains(&response.status),
                        "{at}"
                    ),
                }
                let text = response.text();
                for secret in SECRETS {
                    assert!(!text.contains(secret), "{at}: leaks {secret}");
                }
                checked += 1;
            }
        }
    }
    let documented = spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| item.as_object().map_or(0, serde_json::Map::len))
        .sum::<usize>();
    assert_eq!(
        matrix.len(),
        documented,
        "rows for operations that no longer exist"
    );
    assert!(checked > 100, "{checked}");

    // The owner and the instructor still have what was theirs: nothing was changed by the refusals.
    let draft_id: i64 = fx.ids["DraftCourse"].parse().expect("id");
    let draft = entity::courses::courses::Entity::find_by_id(draft_id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(draft.title, "Secret draft title");
    assert_eq!(draft.status, entity::enums::CourseStatus::Draft);
    let owner_id: i64 = fx.ids["Owner"].parse().expect("id");
    let owner: users::Model = users::Entity::find_by_id(owner_id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(owner.role, UserRole::Learner);
    let session_id: i64 = fx.ids["OwnersSession"].parse().expect("id");
    let session = entity::coaching::sessions::Entity::find_by_id(session_id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(session.status, entity::enums::SessionStatus::Confirmed);
    let application_id: i64 = fx.ids["OwnersApplication"].parse().expect("id");
    let application = entity::coaching::coach_applications::Entity::find_by_id(application_id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(
        application.status,
        entity::enums::ApplicationStatus::Submitted
    );
}
