//! The lesson-progress merge rule, shared by online updates and offline batches.
//!
//! `progress = max(old, new)`; completion is sticky (`completedAt` is kept once set, and set when
//! an operation completes the lesson or reaches 100); `timeSpentSeconds` adds each operation's
//! delta once; `syncVersion` grows by one per operation that changed something; `lastSyncAt`
//! is the time the server applied the operation.

use chrono::{DateTime, Utc};

/// Stored state of one learner's progress in one lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct State {
    pub progress: i32,
    pub completed_at: Option<DateTime<Utc>>,
    pub time_spent_seconds: i64,
    pub sync_version: i32,
    pub last_sync_at: Option<DateTime<Utc>>,
}

/// One reported change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// 0-100.
    pub progress: i32,
    /// Seconds spent since the previous report from this device (a delta).
    pub time_spent_seconds: i64,
    pub completed: bool,
}

/// Applies `change` to `state` at `now`; returns the new state and whether anything changed.
pub fn merge(state: State, change: Change, now: DateTime<Utc>) -> (State, bool) {
    let completes = change.completed || change.progress >= 100;
    let progress = if completes {
        100
    } else {
        state.progress.max(change.progress.clamp(0, 100))
    };
    let completed_at = state.completed_at.or(completes.then_some(now));
    let time_spent_seconds = state
        .time_spent_seconds
        .saturating_add(change.time_spent_seconds.max(0));
    let changed = progress != state.progress
        || completed_at != state.completed_at
        || time_spent_seconds != state.time_spent_seconds;
    let next = State {
        progress,
        completed_at,
        time_spent_seconds,
        sync_version: if changed {
            state.sync_version.saturating_add(1)
        } else {
            state.sync_version
        },
        last_sync_at: Some(now),
    };
    (next, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_795_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn progress_never_decreases_and_time_adds_up() {
        let (first, _) = merge(
            State::default(),
            Change {
                progress: 60,
                time_spent_seconds: 120,
                completed: false,
            },
            at(0),
        );
        let (second, changed) = merge(
            first,
            Change {
                progress: 30,
                time_spent_seconds: 45,
                completed: false,
            },
            at(10),
        );

        assert_eq!(second.progress, 60);
        assert_eq!(second.time_spent_seconds, 165);
        assert!(changed);
        assert_eq!(second.sync_version, 2);
    }

    #[test]
    fn completion_is_sticky_and_keeps_its_first_time() {
        let (done, _) = merge(
            State::default(),
            Change {
                progress: 40,
                time_spent_seconds: 0,
                completed: true,
            },
            at(0),
        );
        let (later, _) = merge(
            done,
            Change {
                progress: 10,
                time_spent_seconds: 5,
                completed: false,
            },
            at(99),
        );

        assert_eq!(done.progress, 100);
        assert_eq!(later.completed_at, Some(at(0)));
        assert_eq!(later.progress, 100);
    }

    #[test]
    fn an_operation_that_changes_nothing_keeps_the_version() {
        let (state, _) = merge(
            State::default(),
            Change {
                progress: 50,
                time_spent_seconds: 0,
                completed: false,
            },
            at(0),
        );
        let (same, changed) = merge(
            state,
            Change {
                progress: 20,
                time_spent_seconds: 0,
                completed: false,
            },
            at(5),
        );

        assert!(!changed);
        assert_eq!(same.sync_version, state.sync_version);
        assert_eq!(same.last_sync_at, Some(at(5)));
    }
}
