//! Password hashing with argon2id (m = 19456 KiB, t = 2, p = 1).
//!
//! Hashing is CPU- and memory-heavy by design, so it never runs on the async executor: each hash
//! runs on the blocking pool, and a semaphore bounds how many run at once. A login flood therefore
//! queues instead of exhausting memory (each hash holds 19 MiB) or starving other routes.

use std::sync::Arc;

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, PasswordHash, Version};
use tokio::sync::Semaphore;

use crate::{Error, Result};

const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

/// Outcome of a password check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// Wrong password (or no such account: the dummy hash was checked instead).
    No,
    /// Right password.
    Yes {
        /// The stored hash uses other parameters than today's and should be replaced.
        needs_rehash: bool,
    },
}

/// Hashes and verifies passwords off the executor, at most `max_concurrent` at a time.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    dummy_hash: Arc<str>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("available_permits", &self.permits.available_permits())
            .finish()
    }
}

fn hasher() -> Result<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| Error::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_now(password: &str) -> Result<String> {
    hasher()?
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(format!("argon2 hash: {e}")))
}

fn verify_now(password: &str, stored: &str) -> Result<Verified> {
    let Ok(parsed) = PasswordHash::new(stored) else {
        // An unusable hash (for example an account without a password) never verifies.
        return Ok(Verified::No);
    };
    if hasher()?
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
    {
        return Ok(Verified::No);
    }
    let current = Params::try_from(&parsed).ok();
    let needs_rehash = parsed.algorithm.as_str() != "argon2id"
        || current.is_none_or(|p| {
            p.m_cost() != MEMORY_KIB || p.t_cost() != ITERATIONS || p.p_cost() != PARALLELISM
        });
    Ok(Verified::Yes { needs_rehash })
}

impl Passwords {
    /// A hasher allowing `max_concurrent` hashes at once (at least one).
    pub fn new(max_concurrent: usize) -> Result<Self> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            dummy_hash: hash_now("dummy password for unknown accounts")?.into(),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| Error::Internal("password hasher closed".to_owned()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| Error::Internal(format!("password task: {e}")))?
    }

    /// The PHC string of a new hash of `password`.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.to_owned();
        self.run(move || hash_now(&password)).await
    }

    /// Checks `password` against `stored`; with `None` (unknown account) a dummy hash is checked
    /// so that both cases take the same time.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<Verified> {
        let password = password.to_owned();
        let known = stored.is_some();
        let stored = stored.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let verified = self.run(move || verify_now(&password, &stored)).await?;
        Ok(if known { verified } else { Verified::No })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let passwords = Passwords::new(2).unwrap();
        let hash = passwords.hash("correct horse battery").await.unwrap();

        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(
            passwords
                .verify("correct horse battery", Some(&hash))
                .await
                .unwrap(),
            Verified::Yes {
                needs_rehash: false
            }
        );
        assert_eq!(
            passwords.verify("wrong", Some(&hash)).await.unwrap(),
            Verified::No
        );
        assert_eq!(
            passwords
                .verify("correct horse battery", None)
                .await
                .unwrap(),
            Verified::No
        );
    }

    #[tokio::test]
    async fn weaker_parameters_ask_for_a_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8, 1, 1, None).unwrap(),
        )
        .hash_password(b"correct horse battery")
        .unwrap()
        .to_string();

        let verified = Passwords::new(1)
            .unwrap()
            .verify("correct horse battery", Some(&weak))
            .await
            .unwrap();

        assert_eq!(verified, Verified::Yes { needs_rehash: true });
    }
}
