//! Password hashing with argon2id (m = 19456 KiB, t = 2, p = 1).
//!
//! Hashing is CPU- and memory-heavy by design, so it never runs on the async executor: each hash
//! runs on the blocking pool, and a semaphore bounds how many run at once. A login flood therefore
//! queues instead of exhausting memory (each hash holds 19 MiB) or starving other routes.

use std::sync::{Arc, Mutex};

use argon2::password_hash::PasswordVerifier as _;
use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
use rand::RngCore as _;
use subtle::ConstantTimeEq as _;
use tokio::sync::Semaphore;

use crate::{Error, Result};

const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
const OUTPUT_LEN: usize = 32;
const SALT_LEN: usize = 16;

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
///
/// Each running hash works in one of at most `max_concurrent` reusable 19 MiB buffers, so the
/// memory spent on hashing is bounded and allocated once: per-hash allocations of that size are
/// kept by the allocator's per-thread arenas and made a login flood grow the process to
/// gigabytes.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    buffers: Arc<Mutex<Vec<Vec<Block>>>>,
    dummy_hash: Arc<str>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("available_permits", &self.permits.available_permits())
            .finish()
    }
}

fn params() -> Result<Params> {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, Some(OUTPUT_LEN))
        .map_err(|e| Error::Internal(format!("argon2 parameters: {e}")))
}

fn hasher() -> Result<Argon2<'static>> {
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params()?))
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("argon2: {e}"))
}

/// A new PHC string for `password`, computed in `memory`.
fn hash_with(password: &str, memory: &mut [Block]) -> Result<String> {
    let mut salt = [0u8; SALT_LEN];
    rand::rng().fill_bytes(&mut salt);
    let mut out = [0u8; OUTPUT_LEN];
    hasher()?
        .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
        .map_err(internal)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params()?).map_err(internal)?,
        salt: Some(Salt::new(&salt).map_err(internal)?),
        hash: Some(Output::new(&out).map_err(internal)?),
    };
    Ok(phc.to_string())
}

/// Checks `password` against `stored`, in `memory` when the hash uses today's parameters.
fn verify_with(password: &str, stored: &str, memory: &mut [Block]) -> Result<Verified> {
    let Ok(parsed) = PasswordHash::new(stored) else {
        // An unusable hash (for example an account without a password) never verifies.
        return Ok(Verified::No);
    };
    let current = parsed.algorithm == Algorithm::Argon2id.ident()
        && parsed.version == Some(Version::V0x13.into())
        && Params::try_from(&parsed).is_ok_and(|p| {
            p.m_cost() == MEMORY_KIB && p.t_cost() == ITERATIONS && p.p_cost() == PARALLELISM
        });
    match (current, &parsed.salt, &parsed.hash) {
        (true, Some(salt), Some(expected)) if expected.len() == OUTPUT_LEN => {
            let mut out = [0u8; OUTPUT_LEN];
            if hasher()?
                .hash_password_into_with_memory(
                    password.as_bytes(),
                    salt.as_ref(),
                    &mut out,
                    memory,
                )
                .is_err()
            {
                return Ok(Verified::No);
            }
            let equal: bool = out.ct_eq(expected.as_bytes()).into();
            Ok(if equal {
                Verified::Yes {
                    needs_rehash: false,
                }
            } else {
                Verified::No
            })
        }
        // Older parameters: let argon2 allocate for this rare case, then ask for a rehash.
        _ => Ok(
            match Argon2::default().verify_password(password.as_bytes(), &parsed) {
                Ok(()) => Verified::Yes { needs_rehash: true },
                Err(_) => Verified::No,
            },
        ),
    }
}

impl Passwords {
    /// A hasher allowing `max_concurrent` hashes at once (at least one).
    pub fn new(max_concurrent: usize) -> Result<Self> {
        let mut memory = vec![Block::new(); params()?.block_count()];
        let dummy_hash = hash_with("dummy password for unknown accounts", &mut memory)?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            buffers: Arc::new(Mutex::new(vec![memory])),
            dummy_hash: dummy_hash.into(),
        })
    }

    fn take_buffer(&self) -> Result<Vec<Block>> {
        let pooled = self
            .buffers
            .lock()
            .ok()
            .and_then(|mut buffers| buffers.pop());
        Ok(pooled.unwrap_or_else(|| vec![Block::new(); params().map_or(0, |p| p.block_count())]))
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut [Block]) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| Error::Internal("password hasher closed".to_owned()))?;
        let mut buffer = self.take_buffer()?;
        let (buffer, result) = tokio::task::spawn_blocking(move || {
            let result = work(&mut buffer);
            (buffer, result)
        })
        .await
        .map_err(|e| Error::Internal(format!("password task: {e}")))?;
        if let Ok(mut buffers) = self.buffers.lock() {
            buffers.push(buffer);
        }
        result
    }

    /// The PHC string of a new hash of `password`.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.to_owned();
        self.run(move |memory| hash_with(&password, memory)).await
    }

    /// Checks `password` against `stored`; with `None` (unknown account) a dummy hash is checked
    /// so that both cases take the same time.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<Verified> {
        let password = password.to_owned();
        let known = stored.is_some();
        let stored = stored.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let verified = self
            .run(move |memory| verify_with(&password, &stored, memory))
            .await?;
        Ok(if known { verified } else { Verified::No })
    }
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordHasher as _;

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
