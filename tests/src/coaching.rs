//! Coaching arrangements several test domains share: a coach with weekly availability, the free
//! slots of a coach, a booking, a plan purchase.

#![allow(clippy::expect_used)] // a failed expectation is a failed test

use chrono::{DateTime, Duration, Utc};
use entity::coaching::{coach_profiles, coaching_plan_purchases, coaching_plans};
use entity::enums::{PlanPurchaseStatus, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::app::{TestApp, TestResponse, json_ok, send};
use crate::fixtures::{db_coach_profile, db_user};

/// A coach account (`email`) with a profile available every day, all day (00:00–23:30), in
/// `timezone`.
pub async fn coach(
    app: &TestApp,
    email: &str,
    timezone: &str,
) -> (users::Model, coach_profiles::Model) {
    let user = db_user(&app.db.conn, email, UserRole::Coach).await;
    let profile = db_coach_profile(&app.db.conn, user.id).await;
    let windows: Vec<Value> = (0..7)
        .map(|day| json!({"dayOfWeek": day, "startTime": "00:00", "endTime": "23:30"}))
        .collect();
    set_availability(app, &user, timezone, &windows).await;
    (user, profile)
}

/// Replaces `coach`'s weekly availability.
pub async fn set_availability(
    app: &TestApp,
    coach: &users::Model,
    timezone: &str,
    windows: &[Value],
) {
    let response = send(
        app.request_as(coach, Method::PUT, "/api/v1/coaches/me/availability")
            .json(&json!({"timezone": timezone, "windows": windows})),
    )
    .await;
    json_ok(&response, StatusCode::OK);
}

/// The free slots of a coach (`type`: `trial`, `single`) from `from` for `days`.
pub async fn slots(
    app: &TestApp,
    coach_id: i64,
    kind: &str,
    from: DateTime<Utc>,
    days: i64,
) -> Vec<String> {
    let response = send(
        app.get(&format!("/api/v1/coaches/{coach_id}/slots"))
            .query(&[
                ("from", from.to_rfc3339()),
                ("to", (from + Duration::days(days)).to_rfc3339()),
                ("type", kind.to_owned()),
            ]),
    )
    .await;
    json_ok(&response, StatusCode::OK)["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .map(|s| s.as_str().expect("instant").to_owned())
        .collect()
}

/// The first free slot of a coach at least `ahead` from now.
pub async fn slot_after(app: &TestApp, coach_id: i64, kind: &str, ahead: Duration) -> String {
    slots(app, coach_id, kind, service::now() + ahead, 3)
        .await
        .into_iter()
        .next()
        .expect("a free slot")
}

/// `learner` books `body` (`{"coachId", "type", "scheduledAt"}`).
pub async fn book(app: &TestApp, learner: &users::Model, body: &Value) -> TestResponse {
    send(
        app.request_as(learner, Method::POST, "/api/v1/sessions")
            .json(body),
    )
    .await
}

/// `learner` books a `kind` session with the coach at `at`; returns the session.
pub async fn booked(
    app: &TestApp,
    learner: &users::Model,
    coach_id: i64,
    kind: &str,
    at: &str,
) -> Value {
    let response = book(
        app,
        learner,
        &json!({"coachId": coach_id, "type": kind, "scheduledAt": at}),
    )
    .await;
    json_ok(&response, StatusCode::CREATED)
}

/// `user` moves `session` with `action` (`confirm`, `start`, …), with `body` when given.
pub async fn act(
    app: &TestApp,
    user: &users::Model,
    session: i64,
    action: &str,
    body: Option<Value>,
) -> TestResponse {
    let request = app.request_as(
        user,
        Method::POST,
        &format!("/api/v1/sessions/{session}/{action}"),
    );
    send(match body {
        Some(body) => request.json(&body),
        None => request,
    })
    .await
}

/// A coaching plan and a purchase of it by `user` with `remaining` sessions, valid `days`.
pub async fn plan_purchase(
    app: &TestApp,
    user_id: i64,
    remaining: i32,
    days: i64,
) -> coaching_plan_purchases::Model {
    let now = service::now();
    let plan = coaching_plans::ActiveModel {
        name: Set("5 sessions".to_owned()),
        name_fr: Set("5 séances".to_owned()),
        sessions_included: Set(5),
        validity_days: Set(90),
        price: Set(30_000),
        currency: Set("CAD".to_owned()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .expect("plan");
    coaching_plan_purchases::ActiveModel {
        user_id: Set(user_id),
        plan_id: Set(plan.id),
        remaining_sessions: Set(remaining),
        expires_at: Set(now + Duration::days(days)),
        status: Set(if remaining > 0 {
            PlanPurchaseStatus::Active
        } else {
            PlanPurchaseStatus::Exhausted
        }),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .expect("purchase")
}

/// Moves a session's start (to bring it within a rule's window without waiting).
pub async fn move_session(app: &TestApp, session: i64, at: DateTime<Utc>) {
    use sea_orm::EntityTrait as _;
    let row = entity::coaching::sessions::Entity::find_by_id(session)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("session");
    let mut row: entity::coaching::sessions::ActiveModel = row.into();
    row.scheduled_at = Set(at);
    row.update(&app.db.conn).await.expect("moved");
}

/// The stored row of a session.
pub async fn session_row(app: &TestApp, session: i64) -> entity::coaching::sessions::Model {
    use sea_orm::EntityTrait as _;
    entity::coaching::sessions::Entity::find_by_id(session)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("session")
}

/// The stored row of a coach profile.
pub async fn profile_row(app: &TestApp, profile: i64) -> coach_profiles::Model {
    use sea_orm::EntityTrait as _;
    coach_profiles::Entity::find_by_id(profile)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("coach profile")
}

/// The `auditLogs` actions recorded on one entity (`entity_type`, `id`), oldest first.
pub async fn audit_actions(app: &TestApp, entity_type: &str, id: i64) -> Vec<String> {
    use entity::auth::audit_logs;
    use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QueryOrder as _};
    audit_logs::Entity::find()
        .filter(audit_logs::Column::EntityType.eq(entity_type))
        .filter(audit_logs::Column::EntityId.eq(id))
        .order_by_asc(audit_logs::Column::CreatedAt)
        .order_by_asc(audit_logs::Column::Id)
        .all(&app.db.conn)
        .await
        .expect("audit logs")
        .into_iter()
        .map(|row| row.action)
        .collect()
}

/// The notifications of a user with type `kind`.
pub async fn notifications_of(
    app: &TestApp,
    user_id: i64,
    kind: &str,
) -> Vec<entity::notifications::notifications::Model> {
    use entity::notifications::notifications;
    use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
    notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user_id))
        .filter(notifications::Column::Type.eq(kind))
        .all(&app.db.conn)
        .await
        .expect("notifications")
}

/// A parsed instant of a response (`"2026-12-07T14:00:00Z"`).
pub fn instant(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .expect("an instant")
        .parse()
        .expect("an RFC 3339 instant")
}

/// The ids of a page's `items`.
pub fn ids_of(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_i64().expect("id"))
        .collect()
}

/// The first free single-session start at least `ahead` from now from which every half hour for
/// `hours` more is a free start too: room for a test's bookings at offsets from it, whatever the
/// time of day the test runs (a coach of [`coach`] is free 00:00–23:30 local).
pub async fn free_stretch(app: &TestApp, coach_id: i64, ahead: Duration, hours: i64) -> String {
    let free: std::collections::BTreeSet<DateTime<Utc>> =
        slots(app, coach_id, "single", service::now() + ahead, 3)
            .await
            .iter()
            .map(|s| s.parse().expect("an instant"))
            .collect();
    free.iter()
        .find(|start| {
            (0..=hours * 2).all(|i| free.contains(&(**start + Duration::minutes(30 * i))))
        })
        .expect("a free stretch")
        .to_rfc3339()
}
