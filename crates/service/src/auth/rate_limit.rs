//! Fixed-window request counting per key (`login:ip:203.0.113.7`, `login:account:a@b.ca`, ...).
//!
//! In-process: with several replicas each one counts separately, so the effective limit is
//! per replica. That bounds brute force per instance; a shared store (Redis) can replace the map
//! without changing callers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Counts requests per key and window.
#[derive(Clone, Debug, Default)]
pub struct RateLimiter {
    windows: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
}

/// The caller must wait this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

impl RateLimiter {
    /// Counts one request for `key`; refuses it when `limit` requests were already counted in
    /// the current `window`.
    pub fn hit(&self, key: &str, limit: u32, window: Duration) -> Result<(), RetryAfter> {
        let now = Instant::now();
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        if windows.len() > 50_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(3600));
        }
        let entry = windows.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            let wait = window.saturating_sub(now.duration_since(entry.0));
            return Err(RetryAfter(wait.as_secs().max(1)));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_plus_one_request_is_refused_with_a_wait() {
        let limiter = RateLimiter::default();
        for _ in 0..3 {
            limiter.hit("k", 3, Duration::from_secs(60)).unwrap();
        }

        let refused = limiter.hit("k", 3, Duration::from_secs(60)).unwrap_err();

        assert!(refused.0 >= 59 && refused.0 <= 60);
        assert!(limiter.hit("other", 3, Duration::from_secs(60)).is_ok());
    }
}
