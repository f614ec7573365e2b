//! `GET /events`: the caller's real-time stream (Server-Sent Events).
//!
//! Each event is `id: <n>` (the caller's event number), `event: <type>` and one line of JSON
//! `data:`. A client that reconnects sends the last id it received as `Last-Event-ID` (browsers'
//! `EventSource` does so by itself) and receives every event after it, from whichever instance
//! it reaches: the stream reads the caller's event log in the database (see
//! `service::realtime`). Idle streams get a comment line every `EVENTS_HEARTBEAT`; a stream
//! whose account's credentials end (password reset, suspension, role change, deletion) sends
//! `event: end` and closes.

use std::collections::VecDeque;
use std::time::Duration;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use service::auth::actor::Actor;
use service::realtime::{self, Subscription};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::bounded::Int;
use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::state::AppState;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(stream_events);
}

/// The resume point of a reconnecting client.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct EventsHeaders {
    /// The `id` of the last event received: the stream resumes after it.
    #[serde(rename = "Last-Event-ID")]
    #[allow(dead_code)] // read from the request; declared for the document
    pub last_event_id: Option<Int<0, { i64::MAX }>>,
}

/// The caller's real-time stream (`text/event-stream`). Event types:
/// `chat.message`, `chat.message_edited`, `chat.message_deleted` (a room of the caller's),
/// `chat.read` (a member's read marker moved), `chat.membership` (someone joined or left a room
/// of the caller's, or the caller was removed), `notification` (a new notification),
/// `notification.read` (read on another device), `resync` (the events after `Last-Event-ID`
/// are no longer kept: reload through the REST API), `end` (`credentials_ended`: sign in again;
/// `reauthenticate`: the access token that opened the stream has expired, reconnect with a
/// fresh one and `Last-Event-ID`).
/// Chat events of rooms the caller has left are not delivered.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot open the stream
/// - `invalid_last_event_id`: `Last-Event-ID` is not an event id
/// - `too_many_streams`: the caller already has as many streams open on this server as allowed
#[utoipa::path(
    operation_id = "stream_events",
    tag = "realtime",
    security(("bearer" = [])),
    params(EventsHeaders),
    responses(
        (status = 200, description = "The stream: `id:`, `event:` and one-line JSON `data:` per event", content_type = "text/event-stream", body = String),
    )
)]
#[get("/events")]
pub async fn stream_events(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let last_event_id = match req.headers().get("last-event-id") {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| service::Error::from(realtime::INVALID_LAST_EVENT_ID))?,
        ),
        None => None,
    };
    let start = realtime::open(&state.db, &user.0, last_event_id).await?;
    let subscription = state
        .deps
        .realtime
        .subscribe(user.0.user_id, start.signal)
        .ok_or(realtime::TOO_MANY_STREAMS)
        .map_err(service::Error::from)?;
    let mut pending = VecDeque::from([Bytes::from_static(b"retry: 3000\n\n")]);
    if start.resync {
        pending.push_back(frame(None, "resync", "{}"));
    }
    let feed = Feed {
        db: state.db.clone(),
        actor: user.0,
        after: start.after,
        pending,
        subscription,
        heartbeat: state.settings.events_heartbeat,
        // No longer than the access token that opened it would have lived.
        until: tokio::time::Instant::now() + state.settings.access_token_ttl,
        ended: false,
    };
    let stream = futures_util::stream::unfold(feed, Feed::next);
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/event-stream"))
        .insert_header((CACHE_CONTROL, "no-cache, no-store"))
        // Compression would hold events back in its buffer.
        .insert_header((CONTENT_ENCODING, "identity"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream))
}

/// One open stream.
struct Feed {
    db: DatabaseConnection,
    actor: Actor,
    /// The number of the last event read from the log.
    after: i64,
    pending: VecDeque<Bytes>,
    subscription: Subscription,
    heartbeat: Duration,
    /// When the stream ends with `end` (`reauthenticate`): the access token that opened it
    /// has expired by then.
    until: tokio::time::Instant,
    ended: bool,
}

fn frame(id: Option<i64>, event: &str, data: &str) -> Bytes {
    let mut out = String::with_capacity(data.len() + 48);
    if let Some(id) = id {
        out.push_str(&format!("id: {id}\n"));
    }
    out.push_str(&format!("event: {event}\ndata: {data}\n\n"));
    Bytes::from(out)
}

impl Feed {
    /// The next chunk of the stream; `None` ends it.
    async fn next(mut self) -> Option<(Result<Bytes, std::io::Error>, Self)> {
        loop {
            if let Some(chunk) = self.pending.pop_front() {
                return Some((Ok(chunk), self));
            }
            if self.ended {
                return None;
            }
            // Marks the current signal seen before reading: a wake-up that arrives while the log
            // is read makes `changed` return at once below.
            let (signal, _) = *self.subscription.receiver.borrow_and_update();
            if !signal.active || signal.credential_version != self.actor.credential_version {
                self.pending
                    .push_back(frame(None, "end", r#"{"reason":"credentials_ended"}"#));
                self.ended = true;
                continue;
            }
            if tokio::time::Instant::now() >= self.until {
                self.pending
                    .push_back(frame(None, "end", r#"{"reason":"reauthenticate"}"#));
                self.ended = true;
                continue;
            }
            match realtime::read_visible(&self.db, self.actor.user_id, self.after).await {
                Ok(batch) => {
                    for event in &batch.events {
                        self.pending.push_back(frame(
                            Some(event.seq),
                            &event.r#type,
                            &event.data.to_string(),
                        ));
                    }
                    self.after = batch.last;
                    if batch.more || !self.pending.is_empty() {
                        continue;
                    }
                }
                Err(err) => tracing::warn!(error = %err, "reading the event log failed"),
            }
            tokio::select! {
                changed = self.subscription.receiver.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                () = tokio::time::sleep(self.heartbeat) => {
                    self.pending.push_back(Bytes::from_static(b": heartbeat\n\n"));
                }
                () = tokio::time::sleep_until(self.until) => {}
            }
        }
    }
}
