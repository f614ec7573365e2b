//! Chat: rooms and their members, messages, read markers and unread counts.

mod messages;
mod rooms;
