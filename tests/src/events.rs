//! A Server-Sent Events client for `GET /events`: reads the stream chunk by chunk and parses
//! events as a browser's `EventSource` would (comments skipped, `id`, `event`, `data` fields).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

/// One event of the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: Option<String>,
    pub event: String,
    pub data: Value,
}

/// An open stream.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    /// Opens the stream of the bearer of `token` at `base` (`http://127.0.0.1:<port>`), resuming
    /// after `last_event_id` when given.
    pub async fn open(base: &str, token: &str, last_event_id: Option<&str>) -> Self {
        let client = reqwest::Client::new();
        let mut request = client
            .get(format!("{base}/api/v1/events"))
            .bearer_auth(token)
            .header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => panic!("opening the stream: {err}"),
        };
        assert_eq!(response.status(), StatusCode::OK, "stream status");
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next event, or `None` if none arrives within `wait` (or the stream ends).
    pub async fn next_within(&mut self, wait: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(event) = self.parse_one() {
                return Some(event);
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(Ok(None)) | Ok(Err(_)) | Err(_) => return None,
            }
        }
    }

    /// The next event (within 10 s), which must exist.
    pub async fn next(&mut self) -> Event {
        match self.next_within(Duration::from_secs(10)).await {
            Some(event) => event,
            None => panic!("no event arrived; buffered: {:?}", self.buffer),
        }
    }

    /// The next event of type `kind`, skipping others (within 10 s).
    pub async fn next_of(&mut self, kind: &str) -> Event {
        loop {
            let event = self.next().await;
            if event.event == kind {
                return event;
            }
        }
    }

    /// Whether the raw stream shows `text` (a comment line, say) within `wait`.
    pub async fn shows_within(&mut self, text: &str, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        while !self.buffer.contains(text) {
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return false,
            }
        }
        true
    }

    /// Events until none arrives for `quiet`.
    pub async fn drain(&mut self, quiet: Duration) -> Vec<Event> {
        let mut events = Vec::new();
        while let Some(event) = self.next_within(quiet).await {
            events.push(event);
        }
        events
    }

    fn parse_one(&mut self) -> Option<Event> {
        loop {
            let end = self.buffer.find("\n\n")?;
            let block: String = self.buffer.drain(..end + 2).collect();
            let mut id = None;
            let mut event = "message".to_owned();
            let mut data = String::new();
            for line in block.lines() {
                if line.starts_with(':') || line.is_empty() {
                    continue;
                }
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "id" => id = Some(value.to_owned()),
                    "event" => event = value.to_owned(),
                    "data" => data.push_str(value),
                    _ => {}
                }
            }
            if data.is_empty() && id.is_none() {
                continue; // a comment or `retry:` block
            }
            let data = serde_json::from_str(&data).unwrap_or(Value::String(data));
            return Some(Event { id, event, data });
        }
    }
}
