//! Notifications: the caller's list, unread count and read markers; their preferences (channels
//! per category, quiet hours); and Web Push (the server's VAPID key, the caller's
//! subscriptions). Notifications are created by the platform's events, never through the API.

pub mod dto;

use actix_web::{HttpResponse, delete, get, post, put, web};
use service::notifications::{self, preferences, push};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::dto::{Page, PageQuery, created_or_found};
use crate::error::ApiError;
use crate::extract::{AuthUser, ValidatedJson};
use crate::state::AppState;
use dto::{
    NotificationDto, NotificationsQuery, PreferencesDto, PreferencesRequest, SubscribeRequest,
    SubscriptionDto, UnreadCountDto, UnsubscribeQuery, VapidKeyDto,
};

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_notifications)
        .service(unread_count)
        .service(mark_all_read)
        .service(mark_read)
        .service(get_preferences)
        .service(put_preferences)
        .service(vapid_public_key)
        .service(subscribe)
        .service(unsubscribe);
}

/// The caller's notifications, newest first (`unread=true`: only unread ones).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read notifications
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_notifications",
    tag = "notifications",
    security(("bearer" = [])),
    params(PageQuery, NotificationsQuery),
    responses(
        (status = 200, description = "A page of notifications", body = Page<NotificationDto>),
    )
)]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    query: web::Query<NotificationsQuery>,
) -> Result<web::Json<Page<NotificationDto>>, ApiError> {
    let page = notifications::list(
        &state.db,
        &user.0,
        query.unread.unwrap_or(false),
        page.page()?,
    )
    .await?;
    Ok(web::Json(page.into()))
}

/// How many of the caller's notifications are unread.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read notifications
#[utoipa::path(
    operation_id = "get_notifications_unread_count",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The count", body = UnreadCountDto),
    )
)]
#[get("/notifications/unread-count")]
pub async fn unread_count(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<UnreadCountDto>, ApiError> {
    let count = notifications::unread_count(&state.db, &user.0).await?;
    Ok(web::Json(UnreadCountDto { count }))
}

/// Marks one of the caller's notifications read (again: no change).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change notifications
/// - `not_found`: no such notification of the caller's
#[utoipa::path(
    operation_id = "mark_notification_read",
    tag = "notifications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Notification id")),
    responses(
        (status = 200, description = "The notification", body = NotificationDto),
    )
)]
#[post("/notifications/{id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<NotificationDto>, ApiError> {
    let row =
        notifications::mark_read(&state.db, &state.deps.realtime, &user.0, id.into_inner()).await?;
    Ok(web::Json(row.into()))
}

/// Marks all the caller's notifications read.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change notifications
#[utoipa::path(
    operation_id = "mark_all_notifications_read",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "All read"),
    )
)]
#[post("/notifications/read-all")]
pub async fn mark_all_read(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    notifications::mark_all_read(&state.db, &state.deps.realtime, &user.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's notification preferences (the defaults until they save theirs).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read preferences
#[utoipa::path(
    operation_id = "get_notification_preferences",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The preferences", body = PreferencesDto),
    )
)]
#[get("/users/me/notification-preferences")]
pub async fn get_preferences(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<PreferencesDto>, ApiError> {
    Ok(web::Json(
        preferences::get(&state.db, &user.0).await?.into(),
    ))
}

/// Replaces the caller's notification preferences. During quiet hours (in `timezone`), e-mail
/// and push notifications wait until the quiet hours end; in-app ones do not.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change preferences
/// - `validation_failed`: an unknown time zone, a malformed time, one end of the quiet hours only
#[utoipa::path(
    operation_id = "put_notification_preferences",
    tag = "notifications",
    security(("bearer" = [])),
    request_body = PreferencesRequest,
    responses(
        (status = 200, description = "The stored preferences", body = PreferencesDto),
    )
)]
#[put("/users/me/notification-preferences")]
pub async fn put_preferences(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<PreferencesRequest>,
) -> Result<web::Json<PreferencesDto>, ApiError> {
    let current = preferences::get(&state.db, &user.0).await?;
    let wanted = body.0.into_preferences(current.timezone)?;
    Ok(web::Json(
        preferences::put(&state.db, &user.0, wanted).await?.into(),
    ))
}

/// The server's VAPID public key, for `pushManager.subscribe({applicationServerKey})`.
#[utoipa::path(
    operation_id = "get_vapid_public_key",
    tag = "notifications",
    security(()),
    responses(
        (status = 200, description = "The key", body = VapidKeyDto),
    )
)]
#[get("/push/vapid-public-key")]
pub async fn vapid_public_key(state: web::Data<AppState>) -> web::Json<VapidKeyDto> {
    web::Json(VapidKeyDto {
        public_key: state.deps.push.public_key(),
    })
}

/// Saves a push subscription of the caller's browser or device (201; 200 when the endpoint was
/// saved before: its keys are replaced and it is active again).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot subscribe
/// - `validation_failed`: not an https push service URL, or invalid keys
#[utoipa::path(
    operation_id = "create_push_subscription",
    tag = "notifications",
    security(("bearer" = [])),
    request_body = SubscribeRequest,
    responses(
        (status = 200, description = "Saved again", body = SubscriptionDto),
        (status = 201, description = "Saved", body = SubscriptionDto),
    )
)]
#[post("/push-subscriptions")]
pub async fn subscribe(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<SubscribeRequest>,
) -> Result<HttpResponse, ApiError> {
    let (row, created) =
        push::subscribe(&state.db, &state.deps.push, &user.0, body.0.into()).await?;
    Ok(created_or_found(created, &SubscriptionDto::from(row)))
}

/// Deletes the caller's subscription of an endpoint.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot unsubscribe
/// - `not_found`: the caller has no subscription of this endpoint
#[utoipa::path(
    operation_id = "delete_push_subscription",
    tag = "notifications",
    security(("bearer" = [])),
    params(UnsubscribeQuery),
    responses(
        (status = 204, description = "Deleted"),
    )
)]
#[delete("/push-subscriptions")]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    user: AuthUser,
    req: actix_web::HttpRequest,
) -> actix_web::Result<HttpResponse> {
    // Read after authentication: a caller who may not be here learns nothing of the parameters.
    let query = web::Query::<UnsubscribeQuery>::from_query(req.query_string())
        .map_err(|e| crate::error::query_error(e, &req))?;
    push::unsubscribe(&state.db, &user.0, &query.endpoint)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::NoContent().finish())
}
