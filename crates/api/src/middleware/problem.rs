//! Finalises every error response as problem+json in the caller's language, adds the request id,
//! logs the failure once (4xx at `info`, 5xx at `error` with its cause) and records 5xx in
//! `errorLogs`.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue, WWW_AUTHENTICATE};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use tracing_actix_web::RequestId;

use crate::error::{ProblemMeta, problem_for_status, render};
use crate::i18n::Lang;
use crate::state::{AppState, CurrentUser};

/// Media type of error bodies.
pub const PROBLEM_JSON: &str = "application/problem+json";

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The middleware function (see the module docs).
pub async fn finalize(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let lang = Lang::from_headers(req.headers());
    let path = req.path().to_owned();
    let method = req.method().to_string();
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let state = req.app_data::<web::Data<AppState>>().cloned();

    let mut res = next.call(req).await?.map_into_boxed_body();
    if let Some(id) = request_id
        .as_deref()
        .and_then(|id| HeaderValue::from_str(id).ok())
    {
        res.headers_mut().insert(X_REQUEST_ID.clone(), id);
    }
    let status = res.status();
    if !status.is_client_error() && !status.is_server_error() {
        return Ok(res);
    }

    let meta = res
        .response()
        .extensions()
        .get::<ProblemMeta>()
        .cloned()
        .unwrap_or_else(|| ProblemMeta {
            problem: problem_for_status(status),
            errors: Vec::new(),
            cause: res.response().error().map(|e| e.to_string()),
            links: None,
        });
    let user_id = res.request().extensions().get::<CurrentUser>().map(|u| u.0);

    if status.is_server_error() {
        let cause = meta
            .cause
            .clone()
            .unwrap_or_else(|| "no cause recorded".to_owned());
        tracing::error!(status = status.as_u16(), code = meta.problem.code, %cause, "request failed");
        // The database being down is not an application error worth a row (and could not be written).
        if !std::ptr::eq(meta.problem, service::problem::DATABASE_UNAVAILABLE)
            && let Some(state) = &state
        {
            let failed = service::admin::error_logs::FailedRequest {
                message: format!("{} {}", meta.problem.code, cause),
                stack: None,
                user_id,
                request_id: request_id.clone(),
                path: Some(path.clone()),
                method: Some(method.clone()),
                status: Some(i32::from(status.as_u16())),
            };
            if let Err(err) = service::admin::error_logs::record(&state.db, failed).await {
                tracing::warn!(error = %err, "could not record the error in errorLogs");
            }
        }
    } else {
        tracing::info!(
            status = status.as_u16(),
            code = meta.problem.code,
            "request refused"
        );
    }

    let body = render(
        status,
        &meta,
        lang,
        Some(path),
        status.is_server_error().then_some(request_id).flatten(),
    );
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    Ok(res.map_body(|head, _| {
        head.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if status == actix_web::http::StatusCode::UNAUTHORIZED {
            head.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"rusing-academy\""),
            );
        }
        BoxBody::new(bytes)
    }))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};
    use migration::{Migrator, MigratorTrait};
    use sea_orm::EntityTrait;
    use serde_json::Value;

    use super::*;
    use crate::error::{ApiError, json_error};
    use crate::middleware::metrics::Metrics;

    async fn state() -> (tempfile::TempDir, web::Data<AppState>) {
        let dir = tempfile::tempdir().unwrap();
        let settings = crate::config::Settings::from_lookup(&|name| match name {
            "DATA_DIR" => Some(dir.path().display().to_string()),
            _ => None,
        })
        .unwrap();
        let db = service::db::connect(&service::db::DbOptions {
            url: settings.database_url.clone(),
            max_connections: 2,
            acquire_timeout: std::time::Duration::from_secs(3),
        })
        .await
        .unwrap();
        Migrator::up(&db, None).await.unwrap();
        let state = AppState {
            db,
            deps: service::Deps {
                auth: service::auth::Auth {
                    jwt: service::auth::tokens::JwtKeys::new(
                        b"0123456789abcdef0123456789abcdef",
                        settings.access_token_ttl,
                    ),
                    passwords: service::auth::password::Passwords::new(1).unwrap(),
                    refresh_ttl: settings.refresh_token_ttl,
                },
                mailer: service::mail::Mailer::new(
                    crate::startup::mail_transport(&settings),
                    &settings.mail_from,
                )
                .unwrap(),
                signer: service::certificates::Signer::load_or_generate(dir.path(), None).unwrap(),
                push: service::notifications::push::Push::load_or_generate(
                    dir.path(),
                    None,
                    "mailto:test@example.gc.ca".to_owned(),
                    true,
                )
                .unwrap(),
                realtime: Default::default(),
                public_base_url: settings.public_base_url.clone(),
                app_base_url: settings.app_base_url.clone(),
                calendly: None,
                payments: None,
            },
            limiter: Default::default(),
            settings: Arc::new(settings),
            metrics: Metrics::new().unwrap(),
        };
        (dir, web::Data::new(state))
    }

    async fn echo(body: web::Json<Value>) -> HttpResponse {
        HttpResponse::Ok().json(body.0)
    }

    async fn broken() -> Result<HttpResponse, ApiError> {
        Err(ApiError::internal(
            "connection to mysql://root:hunter2@db failed",
        ))
    }

    #[actix_web::test]
    async fn malformed_json_answers_400_malformed_json() {
        let app = test::init_service(
            App::new()
                .app_data(web::JsonConfig::default().error_handler(json_error))
                .wrap(from_fn(finalize))
                .route("/echo", web::post().to(echo)),
        )
        .await;

        let request = test::TestRequest::post()
            .uri("/echo")
            .insert_header(("content-type", "application/json"))
            .insert_header(("accept-language", "fr"))
            .set_payload("{\"oops\": ")
            .to_request();
        let response = test::call_service(&app, request).await;

        assert_eq!(response.status(), 400);
        assert_eq!(
            response.headers().get("content-type").unwrap(),
            PROBLEM_JSON
        );
        let body: Value = test::read_body_json(response).await;
        assert_eq!(body["code"], "malformed_json");
        assert_eq!(
            body["detail"],
            "Le corps de la requête n'est pas du JSON valide."
        );
        assert_eq!(body["instance"], "/echo");
    }

    #[actix_web::test]
    async fn a_server_error_shows_only_the_request_id_and_is_recorded_in_error_logs() {
        let (_dir, state) = state().await;
        let app = test::init_service(
            App::new()
                .app_data(state.clone())
                .wrap(from_fn(finalize))
                .wrap(tracing_actix_web::TracingLogger::default())
                .route("/broken", web::get().to(broken)),
        )
        .await;

        let response =
            test::call_service(&app, test::TestRequest::get().uri("/broken").to_request()).await;

        assert_eq!(response.status(), 500);
        let header_id = response
            .headers()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let text = String::from_utf8(test::read_body(response).await.to_vec()).unwrap();
        assert!(
            !text.contains("hunter2") && !text.contains("mysql"),
            "internals leaked: {text}"
        );
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["code"], "internal_error");
        assert_eq!(body["requestId"], header_id);
        let logs = entity::admin::error_logs::Entity::find()
            .all(&state.db)
            .await
            .unwrap();
        assert_eq!(logs.len(), 1);
        assert_eq!(logs[0].request_id.as_deref(), Some(header_id.as_str()));
        assert_eq!(logs[0].path.as_deref(), Some("/broken"));
        assert_eq!(logs[0].status, Some(500));
    }
}
