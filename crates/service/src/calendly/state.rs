//! The OAuth `state`: proof that a callback continues a connection this server started, for
//! whom, and until when. It is `v1.<coachId>.<userId>.<expiry unix>.<nonce>.<tag>` where the tag
//! is base64url(HMAC-SHA256(key, everything before it)) under a key derived from the encryption
//! key for this purpose only. Nothing is stored: the signature and the expiry are the check (a
//! replayed state also needs a fresh code, which Calendly hands out once).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeZone as _, Utc};

use super::{STATE_EXPIRED, STATE_INVALID, STATE_TTL};
use crate::Result;

/// What a verified state says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// `coachProfiles.id`.
    pub coach_id: i64,
    /// `users.id` of the coach who asked.
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
}

/// A state for `coach_id` and `user_id`, valid [`STATE_TTL`] from `now`, and its expiry.
pub fn sign(
    key: &[u8],
    coach_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> (String, DateTime<Utc>) {
    use rand::RngCore as _;
    let expires_at = now + chrono::Duration::from_std(STATE_TTL).unwrap_or_default();
    let mut nonce = [0u8; 16];
    rand::rng().fill_bytes(&mut nonce);
    let message = format!(
        "v1.{coach_id}.{user_id}.{}.{}",
        expires_at.timestamp(),
        URL_SAFE_NO_PAD.encode(nonce)
    );
    let tag = crate::crypto::hmac_sha256(key, message.as_bytes());
    (
        format!("{message}.{}", URL_SAFE_NO_PAD.encode(tag)),
        expires_at,
    )
}

/// The claims of a state signed with `key` and not expired at `now`: `calendly_state_invalid`
/// for anything malformed or forged, `calendly_state_expired` for a genuine but old one.
pub fn verify(key: &[u8], state: &str, now: DateTime<Utc>) -> Result<Claims> {
    let (message, tag) = state.rsplit_once('.').ok_or(STATE_INVALID)?;
    let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| STATE_INVALID)?;
    if !crate::crypto::hmac_sha256_verify(key, message.as_bytes(), &tag) {
        return Err(STATE_INVALID.into());
    }
    let parts: Vec<&str> = message.split('.').collect();
    let [version, coach_id, user_id, expiry, _nonce] = parts.as_slice() else {
        return Err(STATE_INVALID.into());
    };
    if *version != "v1" {
        return Err(STATE_INVALID.into());
    }
    let number = |text: &str| text.parse::<i64>().map_err(|_| STATE_INVALID);
    let expires_at = Utc
        .timestamp_opt(number(expiry)?, 0)
        .single()
        .ok_or(STATE_INVALID)?;
    if expires_at <= now {
        return Err(STATE_EXPIRED.into());
    }
    Ok(Claims {
        coach_id: number(coach_id)?,
        user_id: number(user_id)?,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_state_names_its_coach_until_it_expires() {
        let now = Utc::now();
        let (state, expires_at) = sign(KEY, 7, 42, now);
        let claims = verify(KEY, &state, now).unwrap();
        assert_eq!((claims.coach_id, claims.user_id), (7, 42));
        assert_eq!(claims.expires_at.timestamp(), expires_at.timestamp());
        assert!(
            verify(KEY, &state, now + chrono::Duration::minutes(11))
                .is_err_and(|e| e.is(STATE_EXPIRED))
        );
        // Two states for the same coach differ (a random nonce).
        assert_ne!(state, sign(KEY, 7, 42, now).0);
    }

    #[test]
    fn a_forged_or_altered_state_is_invalid() {
        let now = Utc::now();
        let (state, _) = sign(KEY, 7, 42, now);
        let other_coach = state.replacen("v1.7.", "v1.8.", 1);
        let (foreign, _) = sign(b"another key another key another k", 7, 42, now);
        for bad in [
            other_coach.as_str(),
            foreign.as_str(),
            "",
            "v1",
            "v1.7.42.9999999999.nonce.",
            "....",
            &state[..state.len() - 2],
        ] {
            assert!(
                verify(KEY, bad, now).is_err_and(|e| e.is(STATE_INVALID)),
                "{bad}"
            );
        }
    }
}
