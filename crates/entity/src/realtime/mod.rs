//! The per-user event log that `GET /events` streams.

pub mod user_events;
