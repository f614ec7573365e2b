//! Secrets at rest: AES-256-GCM encryption of third-party tokens (Calendly's), and keys derived
//! from the one encryption key for other purposes (HMAC of the OAuth `state`, the webhook signing
//! key), each under its own label.
//!
//! - The key is 32 bytes (`ENCRYPTION_KEY`, base64 or hex), or generated once into
//!   `DATA_DIR/encryption-key` (0600) where the deployment allows it (see [`Cipher::load_or_generate`]).
//! - A stored value is `v1:<base64(nonce ‖ ciphertext ‖ tag)>` with a random 96-bit nonce per
//!   encryption. The associated data names what the value is and where it belongs
//!   (`coachCalendlyIntegrations:<coachId>:access`): a ciphertext copied into another row or
//!   column does not decrypt there.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretBox, SecretString};
use sha2::Sha256;

use crate::{Error, Result};

/// File of the generated key in `DATA_DIR`.
const KEY_FILE: &str = "encryption-key";
/// Prefix of the current format of stored values.
const VERSION: &str = "v1:";
/// Bytes of a nonce.
const NONCE_LEN: usize = 12;

/// Encrypts and decrypts secrets at rest with one AES-256-GCM key. `Debug` shows no key.
#[derive(Clone)]
pub struct Cipher {
    key: std::sync::Arc<SecretBox<[u8; 32]>>,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher([redacted])")
    }
}

/// Decodes a 32-byte key written as base64 (standard or URL-safe, padded or not) or as 64 hex
/// digits; `None` when it is neither.
pub fn parse_key(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    let decoded = if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        hex::decode(text).ok()
    } else {
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
        let unpadded = text.trim_end_matches('=');
        STANDARD_NO_PAD
            .decode(unpadded)
            .or_else(|_| URL_SAFE_NO_PAD.decode(unpadded))
            .ok()
    }?;
    decoded.try_into().ok()
}

impl Cipher {
    /// A cipher with this key.
    pub fn new(key: [u8; 32]) -> Self {
        Self {
            key: std::sync::Arc::new(SecretBox::new(Box::new(key))),
        }
    }

    /// The key from `configured` (`ENCRYPTION_KEY`), else the one generated earlier into
    /// `data_dir`, else a new one written there (0600). Returns the cipher and whether the key
    /// came from `DATA_DIR` (worth a warning: every replica needs the same key).
    pub fn load_or_generate(data_dir: &Path, configured: Option<&str>) -> Result<(Self, bool)> {
        if let Some(text) = configured {
            let key = parse_key(text).ok_or_else(|| {
                Error::Internal("ENCRYPTION_KEY: expected 32 bytes, base64 or hex".to_owned())
            })?;
            return Ok((Self::new(key), false));
        }
        let path = data_dir.join(KEY_FILE);
        let key = match std::fs::read_to_string(&path) {
            Ok(text) => parse_key(&text)
                .ok_or_else(|| Error::Internal(format!("{}: not a 32-byte key", path.display())))?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                use rand::RngCore as _;
                let mut key = [0u8; 32];
                rand::rng().fill_bytes(&mut key);
                crate::files::create_private_dir(data_dir)
                    .map_err(|e| Error::Internal(format!("{}: {e}", data_dir.display())))?;
                crate::files::write_new_private(&path, STANDARD.encode(key).as_bytes())
                    .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
                key
            }
            Err(err) => return Err(Error::Internal(format!("{}: {err}", path.display()))),
        };
        Ok((Self::new(key), true))
    }

    fn aead(&self) -> Aes256Gcm {
        Aes256Gcm::new(self.key.expose_secret().into())
    }

    /// Encrypts `plaintext` bound to `aad` (what the value is and where it is stored).
    pub fn encrypt(&self, plaintext: &str, aad: &str) -> Result<String> {
        use rand::RngCore as _;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .aead()
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| Error::Internal("encryption failed".to_owned()))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(format!("{VERSION}{}", STANDARD.encode(out)))
    }

    /// Decrypts a value [`Cipher::encrypt`] produced with the same `aad`. Fails (without saying
    /// why) on another key, another `aad`, or any change to the stored value.
    pub fn decrypt(&self, stored: &str, aad: &str) -> Result<SecretString> {
        let undecryptable = || Error::Internal(format!("a secret does not decrypt ({aad})"));
        let bytes = stored
            .strip_prefix(VERSION)
            .and_then(|b64| STANDARD.decode(b64).ok())
            .filter(|bytes| bytes.len() > NONCE_LEN)
            .ok_or_else(undecryptable)?;
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| undecryptable())?;
        let plain = self
            .aead()
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| undecryptable())?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| undecryptable())
    }

    /// A 32-byte key for another purpose, derived from this one under `label`
    /// (HMAC-SHA256(key, label)): knowing a derived key reveals nothing of the others.
    pub fn derive(&self, label: &str) -> [u8; 32] {
        let mut mac = mac(self.key.expose_secret());
        mac.update(label.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

/// HMAC-SHA256 keyed with `key` (HMAC takes keys of any length: the fallback is never used).
fn mac(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as Mac>::new(&Default::default()))
}

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = mac(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Whether `tag` is HMAC-SHA256 of `message` under `key`, compared in constant time.
pub fn hmac_sha256_verify(key: &[u8], message: &[u8], tag: &[u8]) -> bool {
    let mut mac = mac(key);
    mac.update(message);
    mac.verify_slice(tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> Cipher {
        Cipher::new([7u8; 32])
    }

    #[test]
    fn a_value_round_trips_under_its_associated_data() {
        let c = cipher();
        let stored = c.encrypt("token-123", "t:1:access").unwrap();
        assert!(stored.starts_with("v1:"));
        assert!(!stored.contains("token-123"));
        assert_eq!(
            c.decrypt(&stored, "t:1:access").unwrap().expose_secret(),
            "token-123"
        );
        // A fresh nonce each time.
        assert_ne!(stored, c.encrypt("token-123", "t:1:access").unwrap());
    }

    #[test]
    fn another_row_or_column_or_key_does_not_decrypt() {
        let c = cipher();
        let stored = c.encrypt("token-123", "t:1:access").unwrap();
        assert!(c.decrypt(&stored, "t:2:access").is_err());
        assert!(c.decrypt(&stored, "t:1:refresh").is_err());
        assert!(
            Cipher::new([8u8; 32])
                .decrypt(&stored, "t:1:access")
                .is_err()
        );
    }

    #[test]
    fn any_change_to_the_stored_value_is_refused() {
        let c = cipher();
        let stored = c.encrypt("token-123", "aad").unwrap();
        let mut bytes = STANDARD.decode(&stored[3..]).unwrap();
        for i in [0, NONCE_LEN, bytes.len() - 1] {
            bytes[i] ^= 1;
            let tampered = format!("v1:{}", STANDARD.encode(&bytes));
            assert!(c.decrypt(&tampered, "aad").is_err(), "byte {i}");
            bytes[i] ^= 1;
        }
        assert!(c.decrypt("token-123", "aad").is_err());
        assert!(c.decrypt("v1:", "aad").is_err());
        assert!(c.decrypt("v1:!!", "aad").is_err());
    }

    #[test]
    fn keys_are_base64_or_hex_of_32_bytes() {
        let key = [5u8; 32];
        assert_eq!(parse_key(&STANDARD.encode(key)), Some(key));
        assert_eq!(parse_key(&hex::encode(key)), Some(key));
        assert_eq!(parse_key("c2hvcnQ="), None);
        assert_eq!(parse_key("not a key"), None);
    }

    #[test]
    fn a_generated_key_is_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let (first, generated) = Cipher::load_or_generate(dir.path(), None).unwrap();
        assert!(generated);
        assert_eq!(
            crate::files::open_to_others(&dir.path().join(KEY_FILE)),
            None
        );
        let (second, _) = Cipher::load_or_generate(dir.path(), None).unwrap();
        let stored = first.encrypt("x", "a").unwrap();
        assert_eq!(second.decrypt(&stored, "a").unwrap().expose_secret(), "x");
        assert_ne!(first.derive("a"), first.derive("b"));
    }
}
