//! Messages, read markers and unread counts.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use service::chat::{messages, reads};
use service::pagination::{Cursor, PageRequest};

use super::dto::{
    EditMessageRequest, MessageDto, MessagesQuery, ReadMarkerDto, ReadRequest, SendMessageRequest,
    UnreadDto,
};
use crate::dto::{Page, created_or_found};
use crate::error::ApiError;
use crate::extract::{AuthUser, ValidatedJson};
use crate::routes::auth::rate_limit::{MINUTE, rate_limit};
use crate::state::AppState;

/// Default page of messages.
const DEFAULT_LIMIT: u64 = 50;

/// A page of a room's messages: the latest (newest first), those `before` a cursor (older,
/// newest first) or those `after` one (newer, oldest first). `nextCursor` continues in the same
/// direction. Deleted messages stay as tombstones (empty content, `deletedAt`). Every page costs
/// the same however deep (keyset on `(sentAt, id)`).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read chats
/// - `not_found`: no such room, or the caller is not a member
/// - `validation_failed`: invalid limit or cursor, or both `before` and `after`
#[utoipa::path(
    operation_id = "list_chat_messages",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id"), MessagesQuery),
    responses(
        (status = 200, description = "A page of messages", body = Page<MessageDto>),
    )
)]
#[get("/chat/rooms/{id}/messages")]
pub async fn list_messages(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    query: web::Query<MessagesQuery>,
) -> Result<web::Json<Page<MessageDto>>, ApiError> {
    let query = query.into_inner();
    let limit = PageRequest::new(Some(query.limit.unwrap_or(DEFAULT_LIMIT)), None)?.limit;
    let cursor = |field: &str, raw: &str| {
        Cursor::decode(raw).map_err(|_| {
            service::Error::field(field, "invalid_cursor", "is not a cursor of this list")
        })
    };
    let window = match (query.before.as_deref(), query.after.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(service::Error::field(
                "after",
                "conflicting_cursors",
                "cannot be combined with before",
            )
            .into());
        }
        (Some(before), None) => messages::Window::Before(cursor("before", before)?),
        (None, Some(after)) => messages::Window::After(cursor("after", after)?),
        (None, None) => messages::Window::Latest,
    };
    let page = messages::list(&state.db, &user.0, id.into_inner(), window, limit).await?;
    Ok(web::Json(page.into()))
}

/// Sends a message (201). Sending again with the same `clientMessageId` returns the first
/// message (200) and creates nothing; the members' streams get `chat.message`.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot chat
/// - `not_found`: no such room, or the caller is not a member
/// - `client_message_id_reused`: the id was used for a message in another room
/// - `rate_limited`: too many messages in the last minute
/// - `validation_failed`: empty or too long content or id
#[utoipa::path(
    operation_id = "send_chat_message",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    request_body = SendMessageRequest,
    responses(
        (status = 200, description = "Sent before with this clientMessageId", body = MessageDto),
        (status = 201, description = "Sent", body = MessageDto),
    )
)]
#[post("/chat/rooms/{id}/messages")]
pub async fn send_message(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<SendMessageRequest>,
) -> Result<HttpResponse, ApiError> {
    rate_limit(
        &state,
        "chat",
        &user.0.user_id.to_string(),
        state.settings.rate_limit_chat_per_minute,
        MINUTE,
    )?;
    let sent = messages::send(
        &state.db,
        &state.deps.realtime,
        &user.0,
        id.into_inner(),
        body.0.into(),
    )
    .await?;
    Ok(created_or_found(
        sent.created,
        &MessageDto::from(sent.message),
    ))
}

/// Edits a message (its sender only).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot chat
/// - `not_found`: no such message, or the caller is not a member of its room
/// - `chat_not_sender`: someone else's message
/// - `chat_message_deleted`
/// - `validation_failed`: empty or too long content
#[utoipa::path(
    operation_id = "edit_chat_message",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Message id")),
    request_body = EditMessageRequest,
    responses(
        (status = 200, description = "The edited message", body = MessageDto),
    )
)]
#[patch("/chat/messages/{id}")]
pub async fn edit_message(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<EditMessageRequest>,
) -> Result<web::Json<MessageDto>, ApiError> {
    let message = messages::edit(
        &state.db,
        &state.deps.realtime,
        &user.0,
        id.into_inner(),
        body.0.content.into(),
    )
    .await?;
    Ok(web::Json(message.into()))
}

/// Deletes a message softly (its sender, or an owner or moderator of the room): the content is
/// emptied, the message stays as a tombstone. Deleting it again changes nothing (204).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot chat
/// - `not_found`: no such message, or the caller is not a member of its room
/// - `chat_not_sender`: someone else's message, and the caller does not moderate the room
#[utoipa::path(
    operation_id = "delete_chat_message",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Message id")),
    responses(
        (status = 204, description = "Deleted"),
    )
)]
#[delete("/chat/messages/{id}")]
pub async fn delete_message(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    messages::delete(&state.db, &state.deps.realtime, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Moves the caller's read marker forward to a message (the room's latest when omitted); it never
/// moves back. The room's members get `chat.read`.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot chat
/// - `not_found`: no such room, or the caller is not a member
/// - `validation_failed`: the message is not in this room
#[utoipa::path(
    operation_id = "mark_chat_read",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    request_body = ReadRequest,
    responses(
        (status = 200, description = "The read marker", body = ReadMarkerDto),
    )
)]
#[post("/chat/rooms/{id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<ReadRequest>,
) -> Result<web::Json<ReadMarkerDto>, ApiError> {
    let marker = reads::mark_read(
        &state.db,
        &state.deps.realtime,
        &user.0,
        id.into_inner(),
        body.0.message_id.map(|id| id.get()),
    )
    .await?;
    Ok(web::Json(marker.into()))
}

/// The caller's unread messages, in total and per room.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read chats
#[utoipa::path(
    operation_id = "get_chat_unread",
    tag = "chat",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Unread counts", body = UnreadDto),
    )
)]
#[get("/chat/unread")]
pub async fn unread(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<UnreadDto>, ApiError> {
    Ok(web::Json(reads::unread(&state.db, &user.0).await?.into()))
}
