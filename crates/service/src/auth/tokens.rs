//! Access tokens (HS256 JWTs) and opaque secrets (refresh tokens, reset tokens, API keys).
//!
//! Access tokens carry `iss`, `aud`, `exp`, `iat`, `nbf`, `sub`, `role` and `typ = "access"`, and a
//! `kid` header naming the key, so keys can be rotated. Verification pins the algorithm to HS256
//! (`alg: none` and every other algorithm are refused), requires every claim, and allows 30 s of
//! clock skew. Opaque secrets are 256 random bits; only their SHA-256 is ever stored.

use base64::Engine as _;
use chrono::Utc;
use entity::enums::UserRole;
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::{INVALID_TOKEN, TOKEN_EXPIRED};
use crate::{Error, Result};

/// Issuer of access tokens.
pub const ISSUER: &str = "rusing-academy";
/// Audience of access tokens.
pub const AUDIENCE: &str = "rusing-academy-api";
/// Allowed clock skew, in seconds.
pub const LEEWAY_SECONDS: u64 = 30;

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    pub sub: String,
    pub role: UserRole,
    pub typ: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    /// The account's `credentialVersion` when the token was issued (required: a token from
    /// before versions existed is refused).
    pub ver: i32,
}

/// The signing key of access tokens.
#[derive(Clone)]
pub struct JwtKeys {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl_seconds: i64,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn invalid() -> Error {
    Error::from(INVALID_TOKEN)
}

impl JwtKeys {
    /// Keys from the shared secret; the `kid` is derived from it, so a new secret is a new key id.
    pub fn new(secret: &[u8], ttl: std::time::Duration) -> Self {
        let kid = hex::encode(&Sha256::digest(secret)[..8]);
        Self {
            kid,
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl_seconds: i64::try_from(ttl.as_secs()).unwrap_or(900),
        }
    }

    /// Lifetime of access tokens, in seconds.
    pub fn ttl_seconds(&self) -> i64 {
        self.ttl_seconds
    }

    /// Key id in the token header.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs an access token for a user.
    pub fn issue(&self, user_id: i64, role: UserRole, version: i32) -> Result<String> {
        let now = Utc::now().timestamp();
        let claims = AccessClaims {
            sub: user_id.to_string(),
            role,
            typ: "access".to_owned(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now,
            nbf: now,
            exp: now + self.ttl_seconds,
            ver: version,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        encode(&header, &claims, &self.encoding)
            .map_err(|e| Error::Internal(format!("jwt encode: {e}")))
    }

    /// Verifies an access token and returns the user id it names and the credential version it
    /// was issued under.
    pub fn verify(&self, token: &str) -> Result<(i64, i32)> {
        let header = decode_header(token).map_err(|_| invalid())?;
        if header.alg != Algorithm::HS256 || header.kid.as_deref() != Some(self.kid.as_str()) {
            return Err(invalid());
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_nbf = true;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "nbf", "iss", "aud", "sub"]);
        let data =
            decode::<AccessClaims>(token, &self.decoding, &validation).map_err(|e| {
                match e.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => Error::from(TOKEN_EXPIRED),
                    _ => invalid(),
                }
            })?;
        if data.claims.typ != "access" {
            return Err(invalid());
        }
        let user_id = data.claims.sub.parse().map_err(|_| invalid())?;
        Ok((user_id, data.claims.ver))
    }
}

/// A new 256-bit secret, URL-safe base64 without padding (43 characters).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Hex SHA-256 of a secret: what the database stores.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_with_its_key_only() {
        let keys = JwtKeys::new(
            b"0123456789abcdef0123456789abcdef",
            std::time::Duration::from_secs(900),
        );
        let other = JwtKeys::new(
            b"another-secret-another-secret-!!",
            std::time::Duration::from_secs(900),
        );
        let token = keys.issue(42, UserRole::Learner, 0).unwrap();

        assert_eq!(keys.verify(&token).unwrap(), (42, 0));
        assert!(other.verify(&token).is_err());
    }

    #[test]
    fn secrets_are_256_bit_and_hashes_are_hex_sha256() {
        let secret = new_secret();
        assert_eq!(secret.len(), 43);
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
