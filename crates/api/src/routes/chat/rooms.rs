//! Rooms and their members.

use actix_web::{HttpResponse, delete, get, post, web};
use service::chat::rooms;

use super::dto::{AddMemberRequest, CreateRoomRequest, MemberDto, RoomDetailDto, RoomDto};
use crate::dto::{Page, PageQuery, created_or_found};
use crate::error::ApiError;
use crate::extract::{AuthUser, ValidatedJson};
use crate::state::AppState;

/// The caller's rooms, most recently active first.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read chats
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_chat_rooms",
    tag = "chat",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of rooms", body = Page<RoomDto>),
    )
)]
#[get("/chat/rooms")]
pub async fn list_rooms(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<RoomDto>>, ApiError> {
    let page = rooms::list_mine(&state.db, &user.0, page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// Opens the direct conversation with a person (200 with the existing room when there is one,
/// 201 when it is created), or creates a group room owned by the caller (201).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot chat
/// - `chat_room_full`: too many members
/// - `validation_failed`: unknown or inactive users, yourself as the other person, invalid name
#[utoipa::path(
    operation_id = "create_chat_room",
    tag = "chat",
    security(("bearer" = [])),
    request_body = CreateRoomRequest,
    responses(
        (status = 200, description = "The existing direct conversation", body = RoomDto),
        (status = 201, description = "The new room", body = RoomDto),
    )
)]
#[post("/chat/rooms")]
pub async fn create_room(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<CreateRoomRequest>,
) -> Result<HttpResponse, ApiError> {
    let hub = &state.deps.realtime;
    match body.0 {
        CreateRoomRequest::Direct { user_id } => {
            let opened = rooms::open_direct(&state.db, hub, &user.0, user_id.get()).await?;
            Ok(created_or_found(
                opened.created,
                &RoomDto::from(opened.value),
            ))
        }
        CreateRoomRequest::Group { name, member_ids } => {
            let group = rooms::NewGroup {
                name: name.into(),
                member_ids: member_ids
                    .map(|ids| ids.into_inner().into_iter().map(|id| id.get()).collect())
                    .unwrap_or_default(),
            };
            let room = rooms::create_group(&state.db, hub, &user.0, group).await?;
            Ok(HttpResponse::Created().json(RoomDto::from(room)))
        }
    }
}

/// A room of the caller's, with its members.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read chats
/// - `not_found`: no such room, or the caller is not a member
#[utoipa::path(
    operation_id = "get_chat_room",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    responses(
        (status = 200, description = "The room", body = RoomDetailDto),
    )
)]
#[get("/chat/rooms/{id}")]
pub async fn get_room(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<RoomDetailDto>, ApiError> {
    let (room, members) = rooms::detail(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(RoomDetailDto {
        room: room.into(),
        members: members.into_iter().map(Into::into).collect(),
    }))
}

/// The members of a room of the caller's: owners, then moderators, then members.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot read chats
/// - `not_found`: no such room, or the caller is not a member
#[utoipa::path(
    operation_id = "list_chat_members",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    responses(
        (status = 200, description = "The members", body = Vec<MemberDto>),
    )
)]
#[get("/chat/rooms/{id}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<MemberDto>>, ApiError> {
    let members = rooms::members(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(members.into_iter().map(Into::into).collect()))
}

/// Adds a member to a group room (owners and moderators), or changes a member's role (owners):
/// 201 for a new member, 200 when the member was already there.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot chat
/// - `not_found`: no such room, or the caller is not a member
/// - `chat_moderator_required`: only owners and moderators add members
/// - `chat_owner_required`: only owners give roles other than member
/// - `chat_membership_fixed`: a direct or coaching room
/// - `chat_room_full`
/// - `chat_last_owner`: the room's last owner cannot step down
/// - `validation_failed`: unknown or inactive user
#[utoipa::path(
    operation_id = "add_chat_member",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    request_body = AddMemberRequest,
    responses(
        (status = 200, description = "The member was already there (with this role now)", body = MemberDto),
        (status = 201, description = "The new member", body = MemberDto),
    )
)]
#[post("/chat/rooms/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<AddMemberRequest>,
) -> Result<HttpResponse, ApiError> {
    let opened = rooms::add_member(
        &state.db,
        &state.deps.realtime,
        &user.0,
        id.into_inner(),
        body.0.user_id.get(),
        body.0.role,
    )
    .await?;
    Ok(created_or_found(
        opened.created,
        &MemberDto::from(opened.value),
    ))
}

/// Removes a member from a group room: oneself (leaving), a member (moderators), anyone
/// (owners).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot chat
/// - `not_found`: no such room or member, or the caller is not a member
/// - `chat_moderator_required`: members remove only themselves
/// - `chat_owner_required`: moderators remove only members
/// - `chat_membership_fixed`: a direct or coaching room
/// - `chat_last_owner`: the last owner cannot leave while others remain
#[utoipa::path(
    operation_id = "remove_chat_member",
    tag = "chat",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Room id"),
        ("userId" = i64, Path, description = "The member's user id"),
    ),
    responses(
        (status = 204, description = "Removed"),
    )
)]
#[delete("/chat/rooms/{id}/members/{userId}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (room, member) = path.into_inner();
    rooms::remove_member(&state.db, &state.deps.realtime, &user.0, room, member).await?;
    Ok(HttpResponse::NoContent().finish())
}
