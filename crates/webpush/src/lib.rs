//! Web Push on the application server's side, in pure Rust.
//!
//! - Message encryption: RFC 8291 ("Message Encryption for Web Push") over the `aes128gcm`
//!   content coding of RFC 8188 ("Encrypted Content-Encoding for HTTP"). Every message is one
//!   record of at most 4096 bytes, encrypted with a fresh random salt and a fresh ephemeral P-256
//!   key; the body starts with the RFC 8188 header (salt, record size 4096, the 65-byte ephemeral
//!   public key as key id), so the push request needs no `Crypto-Key` or `Encryption` header, only
//!   `Content-Encoding: aes128gcm`.
//! - Sender identification: RFC 8292 (VAPID). [`VapidKey::authorization`] builds the
//!   `Authorization: vapid t=<JWT>, k=<public key>` header value, the JWT signed with ES256
//!   (ECDSA P-256 with SHA-256, RFC 7515/7518) and holding the endpoint's origin as `aud`.
//!
//! Keys and secrets are never printed: [`VapidKey`]'s `Debug` shows the public key only, and
//! [`Error`]'s messages carry no input.

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes128Gcm, KeyInit};
use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hkdf::Hkdf;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::rand_core::{OsRng, RngCore as _};
use p256::elliptic_curve::sec1::ToEncodedPoint as _;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

#[cfg(test)]
mod tests;

/// The record size written in every message header (RFC 8291 §4 fixes the message at one
/// record, and push services need only accept 4096-byte bodies).
pub const RECORD_SIZE: u32 = 4096;

/// The largest payload [`encrypt`] takes: 4096 − 86 (header: 16 salt + 4 record size + 1 key-id
/// length + 65 key id) − 16 (AES-GCM tag) − 1 (padding delimiter) = 3993 bytes, as RFC 8291 §4
/// states.
pub const MAX_PAYLOAD: usize = RECORD_SIZE as usize - HEADER_LEN - TAG_LEN - 1;

const SALT_LEN: usize = 16;
const KEY_LEN: usize = 65;
const AUTH_LEN: usize = 16;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = SALT_LEN + 4 + 1 + KEY_LEN;
/// Delimiter after the plaintext of the last (here: only) record (RFC 8188 §2).
const LAST_RECORD_DELIMITER: u8 = 0x02;

/// Why an operation was refused. No message includes the input it was about.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("the VAPID private key is not the base64url encoding of a valid 32-byte P-256 scalar")]
    InvalidVapidKey,
    #[error(
        "invalid subscription keys: p256dh must be a base64url uncompressed P-256 point and auth 16 base64url bytes"
    )]
    InvalidSubscriptionKeys,
    #[error("the ephemeral private key is not a valid P-256 scalar")]
    InvalidEphemeralKey,
    #[error("the payload is {len} bytes; one aes128gcm record of 4096 bytes holds at most {max}")]
    PayloadTooLarge { len: usize, max: usize },
    #[error("the push endpoint is not an absolute http(s) URL")]
    InvalidEndpoint,
    #[error("the VAPID subject must be a mailto: or https: URI")]
    InvalidSubject,
    #[error("encryption failed")]
    Encryption,
}

/// A VAPID signing key (P-256).
#[derive(Clone)]
pub struct VapidKey {
    key: SigningKey,
}

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapidKey")
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

impl VapidKey {
    /// A new random key (from the operating system's generator).
    pub fn generate() -> Self {
        Self {
            key: SigningKey::random(&mut OsRng),
        }
    }

    /// `private` = base64url (no padding) of the raw 32-byte scalar, as `VAPID_PRIVATE_KEY`
    /// holds it. Padding is tolerated; anything but a valid non-zero scalar below the group
    /// order is refused.
    pub fn from_base64url(private: &str) -> Result<Self, Error> {
        let bytes = decode_base64url(private).ok_or(Error::InvalidVapidKey)?;
        if bytes.len() != 32 {
            return Err(Error::InvalidVapidKey);
        }
        let key = SigningKey::from_slice(&bytes).map_err(|_| Error::InvalidVapidKey)?;
        Ok(Self { key })
    }

    /// The private scalar as base64url without padding (to save it in a 0600 file).
    pub fn private_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.key.to_bytes())
    }

    /// The public key as base64url (no padding) of the 65-byte uncompressed point: the
    /// `applicationServerKey` browsers need.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.key.verifying_key().to_encoded_point(false).as_bytes())
    }

    /// The `Authorization` header value `vapid t=<jwt>, k=<public key>` for a push to
    /// `endpoint` (RFC 8292 §2–3): JWT header `{"typ":"JWT","alg":"ES256"}`, claims
    /// `{"aud": origin of endpoint, "exp": expires_unix, "sub": subject}`, signed ES256 (raw
    /// `r || s`, base64url).
    ///
    /// Errors when `endpoint` is not an absolute http(s) URL or `subject` is not a `mailto:` or
    /// `https:` URI. `expires_unix` is taken as given: push services refuse more than 24 hours
    /// ahead.
    pub fn authorization(
        &self,
        endpoint: &str,
        subject: &str,
        expires_unix: i64,
    ) -> Result<String, Error> {
        let aud = origin(endpoint).ok_or(Error::InvalidEndpoint)?;
        if !valid_subject(subject) {
            return Err(Error::InvalidSubject);
        }
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({ "aud": aud, "exp": expires_unix, "sub": subject });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{header}.{claims}");
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(signature.to_bytes());
        Ok(format!(
            "vapid t={signing_input}.{signature}, k={}",
            self.public_key()
        ))
    }
}

/// Whether `p256dh` (base64url, padding tolerated) decodes to a valid uncompressed P-256 point
/// and `auth` (base64url) decodes to exactly 16 bytes.
pub fn valid_subscription_keys(p256dh: &str, auth: &str) -> bool {
    subscription_keys(p256dh, auth).is_some()
}

/// Encrypts `payload` for a subscription (RFC 8291, aes128gcm, one record, random salt and
/// ephemeral key). Errors when the keys are invalid or the payload is over [`MAX_PAYLOAD`]
/// (3993) bytes. The result is the whole request body (at most 4096 bytes).
pub fn encrypt(payload: &[u8], p256dh: &str, auth: &str) -> Result<Vec<u8>, Error> {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let ephemeral = SecretKey::random(&mut OsRng);
    let mut ephemeral_bytes = [0u8; 32];
    ephemeral_bytes.copy_from_slice(&ephemeral.to_bytes());
    let result = encrypt_with(payload, p256dh, auth, salt, &ephemeral_bytes);
    ephemeral_bytes.fill(0);
    result
}

/// [`encrypt`] with a given salt and ephemeral private key (raw 32 bytes), as the RFC 8291
/// test vector needs. Reusing a salt or key across messages breaks the scheme: use [`encrypt`].
pub fn encrypt_with(
    payload: &[u8],
    p256dh: &str,
    auth: &str,
    salt: [u8; 16],
    ephemeral_private: &[u8; 32],
) -> Result<Vec<u8>, Error> {
    if payload.len() > MAX_PAYLOAD {
        return Err(Error::PayloadTooLarge {
            len: payload.len(),
            max: MAX_PAYLOAD,
        });
    }
    let (ua_public, auth) =
        subscription_keys(p256dh, auth).ok_or(Error::InvalidSubscriptionKeys)?;
    let ephemeral =
        SecretKey::from_slice(ephemeral_private).map_err(|_| Error::InvalidEphemeralKey)?;
    let as_public = ephemeral.public_key().to_encoded_point(false);
    let ua_public_point = ua_public.to_encoded_point(false);

    // RFC 8291 §3.3–3.4: the ECDH secret and the auth secret give the IKM of RFC 8188.
    let shared = p256::ecdh::diffie_hellman(ephemeral.to_nonzero_scalar(), ua_public.as_affine());
    let mut key_info = Vec::with_capacity(14 + 2 * KEY_LEN);
    key_info.extend_from_slice(b"WebPush: info\0");
    key_info.extend_from_slice(ua_public_point.as_bytes());
    key_info.extend_from_slice(as_public.as_bytes());
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(&auth), shared.raw_secret_bytes())
        .expand(&key_info, &mut ikm)
        .map_err(|_| Error::Encryption)?;

    // RFC 8188 §2.2–2.3: content-encryption key and nonce from the salt and the IKM.
    let prk = Hkdf::<Sha256>::new(Some(&salt), &ikm);
    ikm.fill(0);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .map_err(|_| Error::Encryption)?;
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .map_err(|_| Error::Encryption)?;
    let cipher = Aes128Gcm::new_from_slice(&cek).map_err(|_| Error::Encryption)?;
    cek.fill(0);

    // One record, sequence number 0 (the nonce as derived): plaintext, delimiter, no padding.
    let mut record = Vec::with_capacity(payload.len() + 1 + TAG_LEN);
    record.extend_from_slice(payload);
    record.push(LAST_RECORD_DELIMITER);
    cipher
        .encrypt_in_place(&nonce.into(), b"", &mut record)
        .map_err(|_| Error::Encryption)?;

    let mut body = Vec::with_capacity(HEADER_LEN + record.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(KEY_LEN as u8);
    body.extend_from_slice(as_public.as_bytes());
    body.extend_from_slice(&record);
    Ok(body)
}

/// The receiver's public key and auth secret, when both are valid.
fn subscription_keys(p256dh: &str, auth: &str) -> Option<(PublicKey, [u8; AUTH_LEN])> {
    let point = decode_base64url(p256dh)?;
    // Uncompressed form only (0x04 || x || y), as the Push API hands it out.
    if point.len() != KEY_LEN || point.first() != Some(&0x04) {
        return None;
    }
    let public = PublicKey::from_sec1_bytes(&point).ok()?;
    let auth: [u8; AUTH_LEN] = decode_base64url(auth)?.try_into().ok()?;
    Some((public, auth))
}

/// Base64url with or without padding; `None` for anything else (never panics).
fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(text).ok()
}

/// RFC 8292 §2: `sub` is a contact URI, `mailto:` or `https:`.
fn valid_subject(subject: &str) -> bool {
    let rest = subject
        .strip_prefix("mailto:")
        .or_else(|| subject.strip_prefix("https:"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.chars().any(char::is_control))
}

/// The ASCII serialisation of an absolute http(s) URL's origin (RFC 6454 §6.2):
/// `scheme://host[:port]`, lowercase, the port left out when it is the scheme's default.
/// `None` for anything that is not an absolute http(s) URL with a plain host.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port: u16 = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, _) = rest.split_at(end);
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (address, after) = bracketed.split_once(']')?;
        if address.is_empty()
            || !address
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return None;
        }
        (format!("[{address}]"), after)
    } else {
        let (host, after) = match authority.find(':') {
            Some(colon) => authority.split_at(colon),
            None => (authority, ""),
        };
        let labels_ok = !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !labels_ok {
            return None;
        }
        (host.to_owned(), after)
    };
    let host = host.to_ascii_lowercase();
    if port.is_empty() {
        return Some(format!("{scheme}://{host}"));
    }
    let digits = port.strip_prefix(':')?;
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let port: u16 = digits.parse().ok()?;
    if port == default_port {
        Some(format!("{scheme}://{host}"))
    } else {
        Some(format!("{scheme}://{host}:{port}"))
    }
}
