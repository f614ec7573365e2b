//! The receiving end of Web Push, as pure functions for the black-box tests: what a browser
//! does with a push message (RFC 8291 over RFC 8188's `aes128gcm`) and what a push service
//! checks in the `Authorization` header (RFC 8292, VAPID).
//!
//! Written apart from the `webpush` crate on purpose (it must not call it), so that a shared
//! misreading of the RFCs does not pass unnoticed; the `webpush` crate's own tests include this
//! file and check it against the RFC 8291 example.

use aes_gcm::aead::Aead as _;
use aes_gcm::{Aes128Gcm, KeyInit as _, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::elliptic_curve::rand_core::{OsRng, RngCore as _};
use p256::elliptic_curve::sec1::ToEncodedPoint as _;
use p256::{PublicKey, SecretKey};
use serde_json::Value;
use sha2::Sha256;

/// Largest push message body a push service must accept (RFC 8291 §4).
pub const MAX_BODY: usize = 4096;
/// Longest VAPID token lifetime push services accept (RFC 8292 §2).
pub const MAX_VAPID_LIFETIME_SECS: i64 = 24 * 60 * 60;

/// A browser's push subscription keys: the P-256 key pair and the 16-byte auth secret.
#[derive(Clone)]
pub struct Subscription {
    /// Raw private scalar.
    pub private_key: [u8; 32],
    /// Uncompressed public point (`0x04 || x || y`).
    pub public_key: [u8; 65],
    /// The auth secret.
    pub auth: [u8; 16],
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("p256dh", &self.p256dh())
            .finish_non_exhaustive()
    }
}

impl Subscription {
    /// A fresh random subscription.
    pub fn generate() -> Self {
        let secret = SecretKey::random(&mut OsRng);
        let mut private_key = [0u8; 32];
        private_key.copy_from_slice(&secret.to_bytes());
        let mut public_key = [0u8; 65];
        public_key.copy_from_slice(secret.public_key().to_encoded_point(false).as_bytes());
        let mut auth = [0u8; 16];
        OsRng.fill_bytes(&mut auth);
        Self {
            private_key,
            public_key,
            auth,
        }
    }

    /// `keys.p256dh` of the subscription JSON: base64url, no padding.
    pub fn p256dh(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.public_key)
    }

    /// `keys.auth` of the subscription JSON: base64url, no padding.
    pub fn auth_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.auth)
    }

    /// [`decrypt`] with this subscription's keys.
    pub fn decrypt(&self, body: &[u8]) -> Result<Vec<u8>, String> {
        decrypt(body, &self.private_key, &self.auth)
    }
}

/// Decrypts a push message body as a browser would: RFC 8188 header (salt, record size, key id
/// = the sender's 65-byte ephemeral public key), RFC 8291 key derivation, one record (RFC 8291
/// §4), its padding checked and removed. The body may be at most 4096 bytes.
pub fn decrypt(
    body: &[u8],
    subscription_private_key: &[u8; 32],
    auth: &[u8; 16],
) -> Result<Vec<u8>, String> {
    if body.len() > MAX_BODY {
        return Err(format!("body of {} bytes exceeds {MAX_BODY}", body.len()));
    }
    let (salt, rest) = body
        .split_first_chunk::<16>()
        .ok_or("body shorter than the salt")?;
    let (rs, rest) = rest
        .split_first_chunk::<4>()
        .ok_or("body shorter than the record size")?;
    let rs = u32::from_be_bytes(*rs) as usize;
    let (&idlen, rest) = rest.split_first().ok_or("body has no key id length")?;
    if idlen != 65 {
        return Err(format!("key id length {idlen}, expected 65"));
    }
    let (key_id, ciphertext) = rest
        .split_at_checked(65)
        .ok_or("body shorter than the key id")?;
    if key_id.first() != Some(&0x04) {
        return Err("key id is not an uncompressed point".into());
    }
    let sender = PublicKey::from_sec1_bytes(key_id).map_err(|_| "key id is not a P-256 point")?;
    if rs < 18 {
        return Err(format!("record size {rs} below the minimum of 18"));
    }
    if ciphertext.len() < 17 {
        return Err("ciphertext shorter than tag plus delimiter".into());
    }
    if ciphertext.len() > rs {
        return Err("more than one record: RFC 8291 allows one".into());
    }

    let receiver =
        SecretKey::from_slice(subscription_private_key).map_err(|_| "invalid private key")?;
    let receiver_public = receiver.public_key().to_encoded_point(false);
    let ecdh = p256::ecdh::diffie_hellman(receiver.to_nonzero_scalar(), sender.as_affine());

    // RFC 8291 §3.4: IKM = HKDF(auth, ecdh_secret, "WebPush: info" 0x00 ua_public as_public, 32).
    let info: Vec<u8> = [
        b"WebPush: info\0".as_slice(),
        receiver_public.as_bytes(),
        key_id,
    ]
    .concat();
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), ecdh.raw_secret_bytes())
        .expand(&info, &mut ikm)
        .map_err(|_| "HKDF expand (IKM) failed")?;

    // RFC 8188 §2.2–2.3: CEK and nonce from the salt.
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut cek = [0u8; 16];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .map_err(|_| "HKDF expand (CEK) failed")?;
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .map_err(|_| "HKDF expand (nonce) failed")?;
    // Record sequence number 0: the nonce XOR 0 is the nonce itself.

    let cipher = Aes128Gcm::new_from_slice(&cek).map_err(|_| "bad CEK length")?;
    let mut plain = cipher
        .decrypt(&Nonce::from(nonce), ciphertext)
        .map_err(|_| "authentication failed (wrong keys or tampered body)")?;

    // RFC 8188 §2: data, then the delimiter (0x02 for the last record), then zero padding.
    let delimiter = plain
        .iter()
        .rposition(|&b| b != 0)
        .ok_or("record has no delimiter")?;
    if plain.get(delimiter) != Some(&0x02) {
        return Err("the only record lacks the last-record delimiter 0x02".into());
    }
    plain.truncate(delimiter);
    Ok(plain)
}

/// The claims of a VAPID token that passed [`verify_vapid`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VapidClaims {
    pub aud: String,
    pub exp: i64,
    pub sub: String,
    /// The `k` parameter: the sender's public key, base64url.
    pub public_key: String,
}

/// Checks an `Authorization` header as a push service would (RFC 8292): the `vapid` scheme with
/// `t=<JWT>` and `k=<base64url uncompressed P-256 point>`, an ES256 signature by `k`, `aud` equal
/// to the origin of `endpoint_url`, `exp` after `now_unix` and at most 24 hours ahead, and a
/// `mailto:` or `https:` `sub`.
pub fn verify_vapid(
    authorization_header: &str,
    endpoint_url: &str,
    now_unix: i64,
) -> Result<VapidClaims, String> {
    let header = authorization_header.trim();
    let (scheme, params) = header
        .split_once(' ')
        .ok_or("no authorization parameters")?;
    if !scheme.eq_ignore_ascii_case("vapid") {
        return Err(format!("scheme {scheme:?}, expected vapid"));
    }
    let mut token = None;
    let mut key = None;
    for param in params.split(',') {
        let (name, value) = param
            .trim()
            .split_once('=')
            .ok_or("parameter without '='")?;
        let slot = match name.trim() {
            "t" => &mut token,
            "k" => &mut key,
            other => return Err(format!("unknown parameter {other:?}")),
        };
        if slot.replace(value.trim()).is_some() {
            return Err(format!("parameter {name:?} given twice"));
        }
    }
    let token = token.ok_or("no t= parameter")?;
    let key = key.ok_or("no k= parameter")?;

    let key_bytes = URL_SAFE_NO_PAD
        .decode(key)
        .map_err(|_| "k is not unpadded base64url")?;
    if key_bytes.len() != 65 || key_bytes.first() != Some(&0x04) {
        return Err("k is not a 65-byte uncompressed point".into());
    }
    let verifying_key =
        VerifyingKey::from_sec1_bytes(&key_bytes).map_err(|_| "k is not a P-256 point")?;

    let mut parts = token.split('.');
    let (Some(header_b64), Some(claims_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("t is not a three-part JWS".into());
    };
    let jwt_header = json_part(header_b64, "header")?;
    if jwt_header.get("alg").and_then(Value::as_str) != Some("ES256") {
        return Err("JWT alg is not ES256".into());
    }
    if let Some(typ) = jwt_header.get("typ")
        && typ.as_str() != Some("JWT")
    {
        return Err("JWT typ is not JWT".into());
    }
    let signature_bytes = URL_SAFE_NO_PAD
        .decode(signature_b64)
        .map_err(|_| "signature is not unpadded base64url")?;
    if signature_bytes.len() != 64 {
        return Err("signature is not 64 bytes (raw r || s)".into());
    }
    let signature = Signature::from_slice(&signature_bytes).map_err(|_| "malformed signature")?;
    let signed = format!("{header_b64}.{claims_b64}");
    verifying_key
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| "signature does not verify with k")?;

    let claims = json_part(claims_b64, "claims")?;
    let aud = claims
        .get("aud")
        .and_then(Value::as_str)
        .ok_or("no string aud claim")?;
    let expected = endpoint_origin(endpoint_url)?;
    if aud != expected {
        return Err(format!(
            "aud {aud:?} is not the endpoint's origin {expected:?}"
        ));
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or("no integer exp claim")?;
    if exp <= now_unix {
        return Err(format!("token expired (exp {exp}, now {now_unix})"));
    }
    if exp - now_unix > MAX_VAPID_LIFETIME_SECS {
        return Err(format!("exp {exp} is more than 24 h after {now_unix}"));
    }
    let sub = claims
        .get("sub")
        .and_then(Value::as_str)
        .ok_or("no string sub claim")?;
    let contact = sub
        .strip_prefix("mailto:")
        .or_else(|| sub.strip_prefix("https:"));
    if contact.is_none_or(str::is_empty) {
        return Err(format!("sub {sub:?} is not a mailto: or https: URI"));
    }
    Ok(VapidClaims {
        aud: aud.to_owned(),
        exp,
        sub: sub.to_owned(),
        public_key: key.to_owned(),
    })
}

/// A JWS part: unpadded base64url of a JSON object.
fn json_part(part: &str, what: &str) -> Result<Value, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| format!("JWT {what} is not unpadded base64url"))?;
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|_| format!("JWT {what} is not JSON"))?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(format!("JWT {what} is not a JSON object"))
    }
}

/// Origin of an absolute http(s) URL: lowercase `scheme://host`, then `:port` unless it is the
/// scheme's default.
pub fn endpoint_origin(url: &str) -> Result<String, String> {
    let lower = url.to_ascii_lowercase();
    let (scheme, default_port, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        ("https", 443, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        ("http", 80, rest)
    } else {
        return Err(format!("{url:?} is not an absolute http(s) URL"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err(format!("{url:?} has no plain host"));
    }
    // The port is what follows the last ':' outside an IPv6 literal's brackets.
    let (host, port) = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority, None),
    };
    if host.is_empty() {
        return Err(format!("{url:?} has an empty host"));
    }
    let Some(port) = port else {
        return Ok(format!("{scheme}://{host}"));
    };
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{url:?}: bad port"));
    }
    let port: u16 = port.parse().map_err(|_| format!("{url:?}: bad port"))?;
    if port == default_port {
        Ok(format!("{scheme}://{host}"))
    } else {
        Ok(format!("{scheme}://{host}:{port}"))
    }
}
