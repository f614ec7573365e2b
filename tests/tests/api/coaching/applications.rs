//! Become-a-coach applications: one under review at a time, the administrator's approval (role,
//! profile, audit, ended credentials, notification) or rejection, and who sees which.

use entity::coaching::{coach_applications, coach_profiles};
use entity::enums::{ApplicationStatus, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{audit_actions, ids_of, notifications_of};
use rusing_academy_tests::fixtures::db_user;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

fn application(hourly: i64, trial: i64) -> Value {
    json!({
        "motivation": "Certified SLE examiner, ten years of oral exam coaching.",
        "specialization": "Oral exam preparation",
        "specializations": ["oral_exam", "conversation"],
        "languages": ["fr", "en"],
        "sleLevels": {"reading": "E", "writing": "C", "oral": "E"},
        "proposedHourlyRate": hourly,
        "proposedTrialRate": trial
    })
}

async fn apply(app: &TestApp, user: &users::Model, body: &Value) -> TestResponse {
    send(
        app.request_as(user, Method::POST, "/api/v1/coach-applications")
            .json(body),
    )
    .await
}

async fn applied(app: &TestApp, user: &users::Model) -> i64 {
    let response = apply(app, user, &application(7500, 2500)).await;
    json_ok(&response, StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

async fn review(
    app: &TestApp,
    user: &users::Model,
    id: i64,
    decision: &str,
    body: Value,
) -> TestResponse {
    send(
        app.request_as(
            user,
            Method::POST,
            &format!("/api/v1/coach-applications/{id}/{decision}"),
        )
        .json(&body),
    )
    .await
}

async fn application_row(app: &TestApp, id: i64) -> coach_applications::Model {
    coach_applications::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
}

async fn user_row(app: &TestApp, id: i64) -> users::Model {
    users::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
}

async fn applications_of(app: &TestApp, user_id: i64) -> u64 {
    coach_applications::Entity::find()
        .filter(coach_applications::Column::UserId.eq(user_id))
        .count(&app.db.conn)
        .await
        .unwrap()
}

async fn profile_of(app: &TestApp, user_id: i64) -> Option<coach_profiles::Model> {
    coach_profiles::Entity::find()
        .filter(coach_profiles::Column::UserId.eq(user_id))
        .one(&app.db.conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_learner_has_one_application_under_review_at_a_time() {
    let app = spawn_app().await;
    let learner = app.users.learner.clone();

    let response = apply(&app, &learner, &application(7500, 2500)).await;
    let created = json_ok(&response, StatusCode::CREATED);
    assert_eq!(created["status"], "submitted");
    assert_eq!(created["userId"], learner.id);
    let row = application_row(&app, created["id"].as_i64().unwrap()).await;
    assert_eq!(row.status, ApplicationStatus::Submitted);
    assert_eq!(row.user_id, learner.id);
    assert_eq!(
        (row.proposed_hourly_rate, row.proposed_trial_rate),
        (Some(7500), Some(2500))
    );

    let again = apply(&app, &learner, &application(8000, 2000)).await;
    assert_problem(&again, StatusCode::CONFLICT, "application_pending");
    assert_eq!(applications_of(&app, learner.id).await, 1);
}

#[tokio::test]
async fn a_trial_rate_above_the_hourly_rate_is_refused() {
    let app = spawn_app().await;
    let learner = app.users.learner.clone();

    let response = apply(&app, &learner, &application(5000, 5001)).await;
    let problem = assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(
        error_fields(&problem).contains("proposedTrialRate"),
        "{problem}"
    );
    assert_eq!(applications_of(&app, learner.id).await, 0);

    // Equal rates are allowed.
    let equal = apply(&app, &learner, &application(5000, 5000)).await;
    assert_eq!(equal.status, StatusCode::CREATED, "{}", equal.text());
    assert_eq!(applications_of(&app, learner.id).await, 1);
}

#[tokio::test]
async fn an_approval_makes_the_applicant_a_coach_with_a_profile_from_the_application() {
    let app = spawn_app().await;
    let applicant = app.users.learner.clone();
    let admin = app.users.admin.clone();
    let id = applied(&app, &applicant).await;

    let by_learner = review(&app, &applicant, id, "approve", json!({})).await;
    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(
        application_row(&app, id).await.status,
        ApplicationStatus::Submitted
    );
    assert!(profile_of(&app, applicant.id).await.is_none());

    let approved = review(&app, &admin, id, "approve", json!({"sleVerified": true})).await;
    let body = json_ok(&approved, StatusCode::OK);
    assert_eq!(body["status"], "approved");
    assert_eq!(body["reviewedBy"], admin.id);

    let row = application_row(&app, id).await;
    assert_eq!(row.status, ApplicationStatus::Approved);
    assert_eq!(row.reviewed_by, Some(admin.id));
    let user = user_row(&app, applicant.id).await;
    assert_eq!(user.role, UserRole::Coach);
    let profile = profile_of(&app, applicant.id)
        .await
        .expect("a coach profile");
    assert_eq!((profile.hourly_rate, profile.trial_rate), (7500, 2500));
    assert_eq!(profile.languages, json!(["en", "fr"]));
    assert_eq!(
        profile.specializations,
        Some(json!(["conversation", "oral_exam"]))
    );
    assert_eq!(
        profile.specialization.as_deref(),
        Some("Oral exam preparation")
    );
    assert!(profile.sle_verified);
    assert_eq!(profile.status, entity::enums::CoachStatus::Active);
    assert_eq!(
        audit_actions(&app, "coach_application", id).await,
        ["coach_application.approved"]
    );

    // The role change ended the applicant's credentials.
    let old = send(app.request_as(&applicant, Method::GET, "/api/v1/users/me")).await;
    assert_problem(&old, StatusCode::UNAUTHORIZED, "invalid_token");
    assert!(user.credential_version > applicant.credential_version);

    assert!(
        notifications_of(&app, applicant.id, "coach_application.approved")
            .await
            .is_empty()
    );
    app.run_due_jobs().await;
    assert_eq!(
        notifications_of(&app, applicant.id, "coach_application.approved")
            .await
            .len(),
        1
    );

    let twice = review(&app, &admin, id, "approve", json!({})).await;
    assert_problem(&twice, StatusCode::CONFLICT, "application_reviewed");
    let rejected_late = review(&app, &admin, id, "reject", json!({})).await;
    assert_problem(&rejected_late, StatusCode::CONFLICT, "application_reviewed");
    assert_eq!(
        application_row(&app, id).await.status,
        ApplicationStatus::Approved
    );

    // Signed in again (a fresh token), the coach cannot apply again.
    let again = apply(&app, &user, &application(9000, 0)).await;
    assert_problem(&again, StatusCode::CONFLICT, "already_coach");
    assert_eq!(applications_of(&app, applicant.id).await, 1);
    assert_eq!(
        coach_profiles::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn a_rejection_keeps_the_role_and_tells_the_applicant_with_the_note() {
    let app = spawn_app().await;
    let applicant = app.users.learner.clone();
    let admin = app.users.admin.clone();
    let id = applied(&app, &applicant).await;

    let rejected = review(
        &app,
        &admin,
        id,
        "reject",
        json!({"note": "Please complete your SLE oral first."}),
    )
    .await;
    let body = json_ok(&rejected, StatusCode::OK);
    assert_eq!(body["status"], "rejected");
    assert_eq!(body["reviewNote"], "Please complete your SLE oral first.");

    let row = application_row(&app, id).await;
    assert_eq!(row.status, ApplicationStatus::Rejected);
    assert_eq!(
        row.review_note.as_deref(),
        Some("Please complete your SLE oral first.")
    );
    assert!(profile_of(&app, applicant.id).await.is_none());
    let user = user_row(&app, applicant.id).await;
    assert_eq!(user.role, UserRole::Learner);
    assert_eq!(user.credential_version, applicant.credential_version);
    assert_eq!(
        audit_actions(&app, "coach_application", id).await,
        ["coach_application.rejected"]
    );

    app.run_due_jobs().await;
    let told = notifications_of(&app, applicant.id, "coach_application.rejected").await;
    assert_eq!(told.len(), 1);
    assert!(
        told[0]
            .message
            .contains("Please complete your SLE oral first."),
        "{}",
        told[0].message
    );

    // The token still works, and a rejected applicant may apply again.
    let again = apply(&app, &applicant, &application(7000, 2000)).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
    assert_eq!(applications_of(&app, applicant.id).await, 2);
}

#[tokio::test]
async fn learners_see_their_own_applications_and_administrators_all() {
    let app = spawn_app().await;
    let marie = app.users.learner.clone();
    let luc = db_user(&app.db.conn, "luc@example.gc.ca", UserRole::Learner).await;
    let admin = app.users.admin.clone();
    let mine = applied(&app, &marie).await;
    let theirs = applied(&app, &luc).await;

    let list = |user: users::Model, query: &'static str| {
        let app = &app;
        async move {
            let response = send(app.request_as(
                &user,
                Method::GET,
                &format!("/api/v1/coach-applications{query}"),
            ))
            .await;
            ids_of(&json_ok(&response, StatusCode::OK))
        }
    };
    assert_eq!(list(marie.clone(), "").await, [mine]);
    assert_eq!(list(luc.clone(), "").await, [theirs]);
    let mut all = list(admin.clone(), "").await;
    all.sort_unstable();
    assert_eq!(all, [mine, theirs]);

    let other = send(app.request_as(
        &marie,
        Method::GET,
        &format!("/api/v1/coach-applications/{theirs}"),
    ))
    .await;
    assert_problem(&other, StatusCode::NOT_FOUND, "not_found");
    let own = send(app.request_as(
        &marie,
        Method::GET,
        &format!("/api/v1/coach-applications/{mine}"),
    ))
    .await;
    assert_eq!(json_ok(&own, StatusCode::OK)["id"], mine);
    let by_admin = send(app.request_as(
        &admin,
        Method::GET,
        &format!("/api/v1/coach-applications/{theirs}"),
    ))
    .await;
    assert_eq!(json_ok(&by_admin, StatusCode::OK)["userId"], luc.id);

    // The status filter, once one is decided.
    let decided = review(&app, &admin, theirs, "reject", json!({})).await;
    assert_eq!(decided.status, StatusCode::OK);
    assert_eq!(list(admin.clone(), "?status=submitted").await, [mine]);
    assert_eq!(list(admin.clone(), "?status=rejected").await, [theirs]);
    assert!(list(marie.clone(), "?status=rejected").await.is_empty());
}

#[tokio::test]
async fn concurrent_applications_and_approvals_each_happen_once() {
    let app = spawn_app().await;
    let applicant = app.users.learner.clone();
    let body = application(7500, 2500);

    let responses =
        futures_util::future::join_all((0..20).map(|_| apply(&app, &applicant, &body))).await;
    let created = assert_race(&responses, StatusCode::CREATED, 1, "application_pending");
    assert_eq!(applications_of(&app, applicant.id).await, 1);
    let id = created[0].json()["id"].as_i64().unwrap();

    let admin = app.users.admin.clone();
    let decisions = futures_util::future::join_all((0..10).map(|n| {
        let decision = if n % 2 == 0 { "approve" } else { "reject" };
        review(&app, &admin, id, decision, json!({}))
    }))
    .await;
    let decided = assert_race(&decisions, StatusCode::OK, 1, "application_reviewed");
    let status = application_row(&app, id).await.status;
    assert_eq!(decided[0].json()["status"], json!(status));
    let profiles = coach_profiles::Entity::find()
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(profiles, u64::from(status == ApplicationStatus::Approved));
    assert_eq!(audit_actions(&app, "coach_application", id).await.len(), 1);
}

#[tokio::test]
async fn a_suspended_applicant_is_not_approved() {
    let app = spawn_app().await;
    let applicant = app.users.learner.clone();
    let id = applied(&app, &applicant).await;
    let suspended = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", applicant.id),
        )
        .json(&json!({"status": "suspended"})),
    )
    .await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.text());

    let approved = review(&app, &app.users.admin, id, "approve", json!({})).await;
    assert_problem(
        &approved,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(
        application_row(&app, id).await.status,
        ApplicationStatus::Submitted
    );
    assert!(profile_of(&app, applicant.id).await.is_none());
    assert_eq!(user_row(&app, applicant.id).await.role, UserRole::Learner);
}
