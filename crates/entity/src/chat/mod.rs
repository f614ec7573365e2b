//! Chat rooms, members and messages.

pub mod chat_messages;
pub mod chat_room_members;
pub mod chat_rooms;
