//! The `/admin` scope: who may reach `/admin/users` and `/admin/audit-logs`, and how both lists
//! validate their cursor and limit.

use std::collections::BTreeSet;

use entity::auth::audit_logs;
use entity::enums::UserRole;
use reqwest::{Method, RequestBuilder, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::users::user_row;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

fn with_body(request: RequestBuilder, body: Option<&Value>) -> RequestBuilder {
    match body {
        Some(body) => request.json(body),
        None => request,
    }
}

#[tokio::test]
async fn admin_routes_refuse_non_admins_with_403_and_anonymous_callers_with_401() {
    let app = spawn_app().await;
    let target = app.users.learner.id;
    let escalate = json!({"role": "admin"});
    let routes: Vec<(Method, String, Option<&Value>)> = vec![
        (Method::GET, "/api/v1/admin/users".into(), None),
        (Method::GET, format!("/api/v1/admin/users/{target}"), None),
        (
            Method::PATCH,
            format!("/api/v1/admin/users/{target}"),
            Some(&escalate),
        ),
        (Method::GET, "/api/v1/admin/audit-logs".into(), None),
    ];
    let non_admins = [&app.users.learner, &app.users.coach, &app.users.hr_admin];

    for (method, path, body) in &routes {
        for user in non_admins {
            let response = send(with_body(app.request_as(user, method.clone(), path), *body)).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{method} {path} as {:?}",
                user.role
            );
            assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");
        }
        let anonymous = send(with_body(app.request(method.clone(), path), *body)).await;
        assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");
    }

    assert_eq!(
        user_row(&app, target).await.role,
        UserRole::Learner,
        "nobody escalated"
    );
    assert_eq!(
        audit_logs::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        0,
        "nothing was audited because nothing changed"
    );
}

#[tokio::test]
async fn an_invalid_cursor_or_an_out_of_range_limit_is_refused_with_422() {
    let app = spawn_app().await;
    let cases = [
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=bm90IGEgY3Vyc29y", "cursor"), // base64 of "not a cursor"
        ("limit=0", "limit"),
        ("limit=101", "limit"),
    ];

    for (query, field) in cases {
        for path in ["/api/v1/admin/users", "/api/v1/admin/audit-logs"] {
            let response =
                send(app.request_as(&app.users.admin, Method::GET, &format!("{path}?{query}")))
                    .await;

            let problem = assert_problem(
                &response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            );
            assert_eq!(
                error_fields(&problem),
                BTreeSet::from([field.to_owned()]),
                "{path}?{query}"
            );
        }
    }
}
