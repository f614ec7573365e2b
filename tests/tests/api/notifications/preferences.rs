//! Preferences: defaults, validation, storage.

use entity::notifications::notification_preferences;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

const PATH: &str = "/api/v1/users/me/notification-preferences";

#[tokio::test]
async fn preferences_start_from_defaults_and_refuse_what_they_cannot_keep() {
    let app = spawn_app().await;
    let learner = app.users.learner.clone();

    let defaults = json_ok(
        &send(app.request_as(&learner, Method::GET, PATH)).await,
        StatusCode::OK,
    );
    assert_eq!(defaults["emailEnabled"], true);
    assert_eq!(
        defaults["categories"]["chat"],
        json!({"inApp": false, "email": false, "push": true})
    );
    assert_eq!(defaults["timezone"], "America/Toronto");
    assert!(defaults["quietHoursStart"].is_null());

    for (body, field, code) in [
        (
            json!({"emailEnabled": true, "pushEnabled": true, "quietHoursStart": "22:00"}),
            "quietHoursEnd",
            "required",
        ),
        (
            json!({"emailEnabled": true, "pushEnabled": true, "quietHoursStart": "24:00", "quietHoursEnd": "07:00"}),
            "quietHoursStart",
            "invalid_time",
        ),
        (
            json!({"emailEnabled": true, "pushEnabled": true, "timezone": "Mars/Olympus_Mons"}),
            "timezone",
            "invalid_timezone",
        ),
    ] {
        let refused = send(app.request_as(&learner, Method::PUT, PATH).json(&body)).await;
        let problem = assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(
            (
                problem["errors"][0]["field"].clone(),
                problem["errors"][0]["code"].clone()
            ),
            (json!(field), json!(code)),
            "{body}"
        );
    }
    assert!(
        notification_preferences::Entity::find()
            .filter(notification_preferences::Column::UserId.eq(learner.id))
            .one(&app.db.conn)
            .await
            .unwrap()
            .is_none()
    );

    let wanted = json!({
        "emailEnabled": false,
        "pushEnabled": true,
        "categories": {"learning": {"inApp": true, "email": true, "push": false}},
        "quietHoursStart": "22:30",
        "quietHoursEnd": "06:45",
        "timezone": "America/Vancouver"
    });
    let saved = json_ok(
        &send(app.request_as(&learner, Method::PUT, PATH).json(&wanted)).await,
        StatusCode::OK,
    );
    let read = json_ok(
        &send(app.request_as(&learner, Method::GET, PATH)).await,
        StatusCode::OK,
    );
    assert_eq!(saved, read);
    assert_eq!(
        read["categories"]["learning"],
        json!({"inApp": true, "email": true, "push": false})
    );
    assert_eq!(
        read["categories"]["chat"],
        json!({"inApp": false, "email": false, "push": true})
    );
    let row = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::UserId.eq(learner.id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.email_enabled,
            row.quiet_hours_start.as_deref(),
            row.quiet_hours_end.as_deref(),
            row.timezone.as_str()
        ),
        (false, Some("22:30"), Some("06:45"), "America/Vancouver")
    );
}
