//! Chat: rooms (direct, group, coaching), members, messages, read markers and unread counts.
//! Everything here is for the room's members only: to anyone else a room does not exist (404).
//! New messages, edits, deletions, read markers and membership changes also reach the members'
//! real-time streams (`GET /events`).

pub mod dto;
mod messages;
mod rooms;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(rooms::list_rooms)
        .service(rooms::create_room)
        .service(rooms::get_room)
        .service(rooms::list_members)
        .service(rooms::add_member)
        .service(rooms::remove_member)
        .service(messages::list_messages)
        .service(messages::send_message)
        .service(messages::edit_message)
        .service(messages::delete_message)
        .service(messages::mark_read)
        .service(messages::unread);
}
