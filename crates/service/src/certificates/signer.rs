//! The Ed25519 key that signs certificates.
//!
//! Configured as `CERTIFICATE_SIGNING_KEY` (base64 of the 32-byte seed) or, by default, generated
//! once into `DATA_DIR/certificate-signing.key` (mode 0600, see [`crate::files`]) and reused on every start, so
//! certificates issued before a restart still verify.

use std::path::Path;

use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use rand::RngCore as _;

use crate::{Error, Result};

/// File name of the generated key under `DATA_DIR`.
pub const KEY_FILE: &str = "certificate-signing.key";

/// Signs and verifies certificate payloads.
#[derive(Clone)]
pub struct Signer {
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("public_key", &self.public_key_base64())
            .finish()
    }
}

fn decode_seed(encoded: &str) -> Result<[u8; 32]> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| Error::Internal("the certificate signing key is not base64".to_owned()))?;
    bytes
        .try_into()
        .map_err(|_| Error::Internal("the certificate signing key must be 32 bytes".to_owned()))
}

impl Signer {
    /// A signer from a base64 seed.
    pub fn from_base64(seed: &str) -> Result<Self> {
        Ok(Self {
            key: SigningKey::from_bytes(&decode_seed(seed)?),
        })
    }

    /// The configured key, or the one stored in `data_dir` (generated on first use).
    pub fn load_or_generate(data_dir: &Path, configured: Option<&str>) -> Result<Self> {
        if let Some(seed) = configured {
            return Self::from_base64(seed);
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(seed) => Self::from_base64(&seed),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let mut seed = [0u8; 32];
                rand::rng().fill_bytes(&mut seed);
                crate::files::create_private_dir(data_dir)
                    .map_err(|e| Error::Internal(format!("{}: {e}", data_dir.display())))?;
                write_private(
                    &path,
                    &base64::engine::general_purpose::STANDARD.encode(seed),
                )?;
                Ok(Self {
                    key: SigningKey::from_bytes(&seed),
                })
            }
            Err(err) => Err(Error::Internal(format!("{}: {err}", path.display()))),
        }
    }

    /// Base64 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.key.sign(message).to_bytes())
    }

    /// Whether `signature` (base64) is this key's signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &str) -> bool {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(signature) else {
            return false;
        };
        let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
            return false;
        };
        self.verifying_key()
            .verify(message, &Signature::from_bytes(&bytes))
            .is_ok()
    }

    /// The public half.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The public key, base64, for publishing.
    pub fn public_key_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.verifying_key().to_bytes())
    }
}

fn write_private(path: &Path, contents: &str) -> Result<()> {
    crate::files::write_new_private(path, contents.as_bytes())
        .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_is_reused_and_verifies_its_signatures() {
        let dir = tempfile::tempdir().unwrap();
        let first = Signer::load_or_generate(dir.path(), None).unwrap();
        let second = Signer::load_or_generate(dir.path(), None).unwrap();
        let signature = first.sign(b"RA-ABC|Marie Tremblay|Oral B|2026-11-27");

        assert_eq!(first.public_key_base64(), second.public_key_base64());
        assert!(second.verify(b"RA-ABC|Marie Tremblay|Oral B|2026-11-27", &signature));
        assert!(!second.verify(b"RA-ABC|Mallory|Oral B|2026-11-27", &signature));
    }
}
