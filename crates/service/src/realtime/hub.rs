//! [`Hub`]: the streams open on this instance, and what wakes them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::watch;

/// What a stream watches of its account: the event counter and the credential state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Signal {
    /// `users.eventSeq`: the number of the account's latest event.
    pub seq: i64,
    /// `users.credentialVersion`: a stream opened under another version must end.
    pub credential_version: i32,
    /// Whether the account is active.
    pub active: bool,
}

/// Streams one user may hold open on one instance (each re-reads the log when woken).
pub const MAX_STREAMS_PER_USER: usize = 8;

struct Entry {
    sender: watch::Sender<(Signal, u64)>,
    streams: usize,
}

/// The users this instance streams to, each with a [`watch`] channel that wakes their streams.
/// In-process by design: every instance keeps its own and learns of changes committed elsewhere
/// from the database ([`Hub::poll`]), so nothing here must agree across replicas.
#[derive(Clone, Default)]
pub struct Hub {
    users: Arc<Mutex<HashMap<i64, Entry>>>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("users", &self.watched().len())
            .finish()
    }
}

/// An open stream's registration; dropping it unregisters the stream.
pub struct Subscription {
    hub: Hub,
    user_id: i64,
    /// Changes when the account's signal changes or a writer on this instance wakes the user
    /// (the counter part of the value).
    pub receiver: watch::Receiver<(Signal, u64)>,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("user_id", &self.user_id)
            .finish()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Ok(mut users) = self.hub.users.lock()
            && let Some(entry) = users.get_mut(&self.user_id)
        {
            entry.streams = entry.streams.saturating_sub(1);
            if entry.streams == 0 {
                users.remove(&self.user_id);
            }
        }
    }
}

impl Hub {
    /// Registers a stream of `user_id`, whose account was just read as `signal`; `None` when
    /// the user already has [`MAX_STREAMS_PER_USER`] streams here.
    pub fn subscribe(&self, user_id: i64, signal: Signal) -> Option<Subscription> {
        let mut users = self
            .users
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = users.entry(user_id).or_insert_with(|| Entry {
            sender: watch::Sender::new((signal, 0)),
            streams: 0,
        });
        if entry.streams >= MAX_STREAMS_PER_USER {
            return None;
        }
        // A fresher reading (a new sign-in after a password reset) replaces the one the other
        // streams last saw, so this stream does not end at once on a stale version.
        entry.sender.send_if_modified(|(current, _)| {
            let newer =
                signal.credential_version > current.credential_version || signal.seq > current.seq;
            if newer {
                *current = signal;
            }
            newer
        });
        entry.streams += 1;
        Some(Subscription {
            hub: self.clone(),
            user_id,
            receiver: entry.sender.subscribe(),
        })
    }

    /// Wakes the streams of `user_ids` open on this instance (call it after the commit that gave
    /// them events).
    pub fn wake(&self, user_ids: &[i64]) {
        let Ok(users) = self.users.lock() else {
            return;
        };
        for id in user_ids {
            if let Some(entry) = users.get(id) {
                entry
                    .sender
                    .send_modify(|(_, nudges)| *nudges = nudges.wrapping_add(1));
            }
        }
    }

    /// The users with at least one open stream here.
    pub fn watched(&self) -> Vec<i64> {
        self.users
            .lock()
            .map(|users| users.keys().copied().collect())
            .unwrap_or_default()
    }

    fn update(&self, user_id: i64, signal: Signal) {
        let Ok(users) = self.users.lock() else {
            return;
        };
        if let Some(entry) = users.get(&user_id) {
            entry.sender.send_if_modified(|(current, _)| {
                let changed = *current != signal;
                *current = signal;
                changed
            });
        }
    }

    /// Reads the signals of every watched user (one query per 500 users) and wakes the streams
    /// whose account changed: new events committed by any instance, ended credentials, a
    /// deleted or suspended account.
    pub async fn poll(&self, db: &DatabaseConnection) -> crate::Result<()> {
        for chunk in self.watched().chunks(500) {
            let found = super::signals(db, chunk).await?;
            for id in chunk {
                let signal = found
                    .iter()
                    .find(|(found, _)| found == id)
                    .map_or(Signal::default(), |(_, signal)| *signal);
                self.update(*id, signal);
            }
        }
        Ok(())
    }

    /// Polls every `interval` until `stop` turns true (one task per instance, started with the
    /// server). A failed poll is logged and tried again at the next tick.
    pub async fn run(
        self,
        db: DatabaseConnection,
        interval: Duration,
        mut stop: watch::Receiver<bool>,
    ) {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                return;
            }
            if self.watched().is_empty() {
                continue;
            }
            if let Err(err) = self.poll(&db).await {
                tracing::warn!(error = %err, "polling the event counters failed");
            }
        }
    }
}
