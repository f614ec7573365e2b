#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// The black-box suite's receiver, written apart from this crate.
#[path = "../../../tests/src/push_crypto.rs"]
#[allow(dead_code)]
mod receiver;

use base64::engine::general_purpose::URL_SAFE;
use receiver::{Subscription, verify_vapid};

fn b64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

// RFC 8291 §5 / Appendix A.
const PLAINTEXT: &str = "When I grow up, I want to be a watermelon";
const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
const AS_PUBLIC: &str =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
const UA_PUBLIC: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
const MESSAGE: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

fn rfc_subscription() -> Subscription {
    Subscription {
        private_key: b64(UA_PRIVATE).try_into().unwrap(),
        public_key: b64(UA_PUBLIC).try_into().unwrap(),
        auth: b64(AUTH).try_into().unwrap(),
    }
}

#[test]
fn rfc8291_example_is_reproduced_byte_for_byte() {
    let salt: [u8; 16] = b64(SALT).try_into().unwrap();
    let ephemeral: [u8; 32] = b64(AS_PRIVATE).try_into().unwrap();
    let body = encrypt_with(PLAINTEXT.as_bytes(), UA_PUBLIC, AUTH, salt, &ephemeral).unwrap();
    assert_eq!(URL_SAFE_NO_PAD.encode(&body), MESSAGE);
    assert_eq!(&body[21..86], b64(AS_PUBLIC).as_slice());
}

#[test]
fn receiver_decrypts_the_rfc8291_example() {
    let plain = rfc_subscription().decrypt(&b64(MESSAGE)).unwrap();
    assert_eq!(plain, PLAINTEXT.as_bytes());
}

#[test]
fn round_trip_through_the_receiver() {
    let sub = Subscription::generate();
    for payload in [
        &b""[..],
        b"{\"title\":\"Hello\"}",
        &[0u8; 100],
        &[7u8; MAX_PAYLOAD],
    ] {
        let body = encrypt(payload, &sub.p256dh(), &sub.auth_base64url()).unwrap();
        assert_eq!(body.len(), 86 + payload.len() + 1 + 16);
        assert!(body.len() <= RECORD_SIZE as usize);
        assert_eq!(sub.decrypt(&body).unwrap(), payload);
    }
    // Padded keys are accepted too.
    let padded_auth = URL_SAFE.encode(sub.auth);
    let padded_key = format!("{}=", sub.p256dh());
    assert!(padded_auth.ends_with("=="));
    let body = encrypt(b"padded", &padded_key, &padded_auth).unwrap();
    assert_eq!(sub.decrypt(&body).unwrap(), b"padded");
}

#[test]
fn each_message_has_fresh_salt_and_key() {
    let sub = Subscription::generate();
    let a = encrypt(b"same", &sub.p256dh(), &sub.auth_base64url()).unwrap();
    let b = encrypt(b"same", &sub.p256dh(), &sub.auth_base64url()).unwrap();
    assert_ne!(a[..16], b[..16]);
    assert_ne!(a[21..86], b[21..86]);
}

#[test]
fn payload_limit_is_3993_bytes() {
    assert_eq!(MAX_PAYLOAD, 3993);
    let sub = Subscription::generate();
    let body = encrypt(&[1u8; 3993], &sub.p256dh(), &sub.auth_base64url()).unwrap();
    assert_eq!(body.len(), 4096);
    let err = encrypt(&[1u8; 3994], &sub.p256dh(), &sub.auth_base64url()).unwrap_err();
    assert!(matches!(
        err,
        Error::PayloadTooLarge {
            len: 3994,
            max: 3993
        }
    ));
}

#[test]
fn tampering_and_wrong_keys_fail() {
    let sub = Subscription::generate();
    let body = encrypt(b"secret grade", &sub.p256dh(), &sub.auth_base64url()).unwrap();
    // Every byte matters (salt, key id, ciphertext) but the record size, which RFC 8188 leaves
    // unauthenticated: any size that still holds the one record decrypts the same.
    for i in (0..body.len()).filter(|i| !(16..20).contains(i)) {
        let mut tampered = body.clone();
        tampered[i] ^= 0x01;
        assert!(sub.decrypt(&tampered).is_err(), "byte {i} flipped");
    }
    assert!(sub.decrypt(&body[..body.len() - 1]).is_err());
    let mut small_records = body.clone();
    small_records[16..20].copy_from_slice(&18u32.to_be_bytes());
    assert!(sub.decrypt(&small_records).is_err());

    let mut wrong_auth = sub.clone();
    wrong_auth.auth[0] ^= 0xff;
    assert!(wrong_auth.decrypt(&body).is_err());

    let other = Subscription::generate();
    let wrong_key = Subscription {
        private_key: other.private_key,
        ..sub.clone()
    };
    assert!(wrong_key.decrypt(&body).is_err());
    assert_eq!(sub.decrypt(&body).unwrap(), b"secret grade");
}

#[test]
fn subscription_keys_are_validated() {
    let sub = Subscription::generate();
    let (p256dh, auth) = (sub.p256dh(), sub.auth_base64url());
    assert!(valid_subscription_keys(&p256dh, &auth));
    assert!(valid_subscription_keys(UA_PUBLIC, AUTH));
    assert!(valid_subscription_keys(
        &format!("{p256dh}="),
        &format!("{auth}==")
    ));

    let compressed = URL_SAFE_NO_PAD.encode(
        PublicKey::from_sec1_bytes(&sub.public_key)
            .unwrap()
            .to_encoded_point(true)
            .as_bytes(),
    );
    let mut off_curve = sub.public_key;
    off_curve[64] ^= 0x01;
    let off_curve = URL_SAFE_NO_PAD.encode(off_curve);
    let mut bad_prefix = sub.public_key;
    bad_prefix[0] = 0x05;
    let bad_prefix = URL_SAFE_NO_PAD.encode(bad_prefix);
    let standard_alphabet = base64::engine::general_purpose::STANDARD.encode([0xfbu8; 65]);
    for bad_key in [
        "",
        "!!!",
        "not base64 at all",
        &standard_alphabet,
        &compressed,
        &off_curve,
        &bad_prefix,
        &URL_SAFE_NO_PAD.encode([0u8; 65]),
        &format!("{p256dh}==="),
        &format!(" {p256dh}"),
        "é€𝄞",
    ] {
        assert!(!valid_subscription_keys(bad_key, &auth), "{bad_key:?}");
        assert!(matches!(
            encrypt(b"x", bad_key, &auth),
            Err(Error::InvalidSubscriptionKeys)
        ));
    }
    for bad_auth in [
        "",
        "!!!",
        &URL_SAFE_NO_PAD.encode([1u8; 15]),
        &URL_SAFE_NO_PAD.encode([1u8; 17]),
        "é€𝄞",
    ] {
        assert!(!valid_subscription_keys(&p256dh, bad_auth), "{bad_auth:?}");
    }
}

const ENDPOINT: &str = "https://push.example.net:8443/wpush/v2/gAAAAAB?x=1#frag";
const SUBJECT: &str = "mailto:ops@rusing.academy";
const NOW: i64 = 1_800_000_000;

#[test]
fn vapid_header_verifies() {
    let key = VapidKey::generate();
    let header = key
        .authorization(ENDPOINT, SUBJECT, NOW + 12 * 3600)
        .unwrap();
    assert!(header.starts_with("vapid t="));
    let claims = verify_vapid(&header, ENDPOINT, NOW).unwrap();
    assert_eq!(claims.aud, "https://push.example.net:8443");
    assert_eq!(claims.exp, NOW + 12 * 3600);
    assert_eq!(claims.sub, SUBJECT);
    assert_eq!(claims.public_key, key.public_key());

    // The JWT header is exactly the one RFC 8292 shows.
    let token = header
        .strip_prefix("vapid t=")
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let jwt_header = token.split('.').next().unwrap();
    assert_eq!(b64(jwt_header), br#"{"typ":"JWT","alg":"ES256"}"#);
}

#[test]
fn vapid_audience_is_the_origin() {
    let key = VapidKey::generate();
    for (endpoint, aud) in [
        (
            "https://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com",
        ),
        ("HTTPS://Push.Example.NET:443/x", "https://push.example.net"),
        ("http://127.0.0.1:8080/push/1", "http://127.0.0.1:8080"),
        ("http://localhost:80", "http://localhost"),
        ("http://[::1]:9000/p", "http://[::1]:9000"),
        (
            "https://updates.push.services.mozilla.com?x",
            "https://updates.push.services.mozilla.com",
        ),
    ] {
        let header = key.authorization(endpoint, SUBJECT, NOW + 60).unwrap();
        assert_eq!(
            verify_vapid(&header, endpoint, NOW).unwrap().aud,
            aud,
            "{endpoint}"
        );
    }
    for endpoint in [
        "",
        "/relative/path",
        "push.example.net/x",
        "ftp://push.example.net/x",
        "https://",
        "https:///x",
        "https://user@push.example.net/x",
        "https://push.example.net:/x",
        "https://push.example.net:99999/x",
        "https://push.example.net:8a/x",
        "https://push example.net/x",
        "https://push..example.net/x",
    ] {
        assert!(
            matches!(
                key.authorization(endpoint, SUBJECT, NOW + 60),
                Err(Error::InvalidEndpoint)
            ),
            "{endpoint:?}"
        );
    }
    for subject in ["", "ops@rusing.academy", "mailto:", "http://rusing.academy"] {
        assert!(matches!(
            key.authorization(ENDPOINT, subject, NOW + 60),
            Err(Error::InvalidSubject)
        ));
    }
    assert!(
        key.authorization(ENDPOINT, "https://rusing.academy/contact", NOW + 60)
            .is_ok()
    );
}

#[test]
fn vapid_rejections() {
    let key = VapidKey::generate();
    let other = VapidKey::generate();
    let header = key.authorization(ENDPOINT, SUBJECT, NOW + 3600).unwrap();

    // Another key's signature presented with this key (and vice versa).
    let other_header = other.authorization(ENDPOINT, SUBJECT, NOW + 3600).unwrap();
    let (token, _) = other_header.split_once(", k=").unwrap();
    let forged = format!("{token}, k={}", key.public_key());
    assert!(verify_vapid(&forged, ENDPOINT, NOW).is_err());

    // Wrong audience.
    assert!(verify_vapid(&header, "https://push.example.net/wpush", NOW).is_err());
    assert!(verify_vapid(&header, "https://other.example.net:8443/wpush", NOW).is_err());
    assert!(verify_vapid(&header, "http://push.example.net:8443/wpush", NOW).is_err());

    // Expired, and too far ahead.
    assert!(verify_vapid(&header, ENDPOINT, NOW + 3600).is_err());
    assert!(verify_vapid(&header, ENDPOINT, NOW + 7200).is_err());
    let far = key
        .authorization(ENDPOINT, SUBJECT, NOW + 24 * 3600 + 1)
        .unwrap();
    assert!(verify_vapid(&far, ENDPOINT, NOW).is_err());
    let day = key
        .authorization(ENDPOINT, SUBJECT, NOW + 24 * 3600)
        .unwrap();
    assert!(verify_vapid(&day, ENDPOINT, NOW).is_ok());

    // Claims changed after signing.
    let token = header.strip_prefix("vapid t=").unwrap();
    let (token, k) = token.split_once(", k=").unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    let claims = URL_SAFE_NO_PAD.encode(format!(
        r#"{{"aud":"https://evil.example","exp":{},"sub":"{SUBJECT}"}}"#,
        NOW + 3600
    ));
    let altered = format!("vapid t={}.{claims}.{}, k={k}", parts[0], parts[2]);
    assert!(verify_vapid(&altered, "https://evil.example/x", NOW).is_err());

    // Malformed headers.
    for bad in [
        "",
        "vapid",
        "Bearer abc",
        &format!("vapid t={token}"),
        &format!("vapid k={k}"),
        &format!("WebPush {token}"),
        &format!("vapid t={}.{}, k={k}", parts[0], parts[1]),
        &format!("vapid t={token}, k={k}, x=1"),
    ] {
        assert!(verify_vapid(bad, ENDPOINT, NOW).is_err(), "{bad:?}");
    }
}

#[test]
fn vapid_key_round_trips_and_refuses_garbage() {
    let key = VapidKey::generate();
    let private = key.private_base64url();
    assert_eq!(private.len(), 43);
    let again = VapidKey::from_base64url(&private).unwrap();
    assert_eq!(again.public_key(), key.public_key());
    assert_eq!(again.private_base64url(), private);
    let padded = VapidKey::from_base64url(&format!("{private}=")).unwrap();
    assert_eq!(padded.public_key(), key.public_key());
    assert_eq!(b64(&key.public_key()).len(), 65);
    assert_eq!(b64(&key.public_key())[0], 0x04);

    // The RFC's sender key gives the RFC's sender public key.
    assert_eq!(
        VapidKey::from_base64url(AS_PRIVATE).unwrap().public_key(),
        AS_PUBLIC
    );

    // The group order n (FFFFFFFF 00000000 FFFFFFFF FFFFFFFF BCE6FAAD A7179E84 F3B9CAC2 FC632551).
    let order = "_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE";
    let above_order = URL_SAFE_NO_PAD.encode([0xffu8; 32]);
    for bad in [
        "",
        "!!!",
        "not a key",
        &URL_SAFE_NO_PAD.encode([0u8; 32]),
        &URL_SAFE_NO_PAD.encode([1u8; 31]),
        &URL_SAFE_NO_PAD.encode([1u8; 33]),
        order,
        &above_order,
        &format!("{private}==="),
        "é€𝄞",
    ] {
        let err = VapidKey::from_base64url(bad).unwrap_err();
        assert!(matches!(err, Error::InvalidVapidKey), "{bad:?}");
    }
}

#[test]
fn secrets_are_not_printed() {
    let key = VapidKey::generate();
    let private = key.private_base64url();
    let debug = format!("{key:?}");
    assert!(!debug.contains(&private));
    assert!(debug.contains(&key.public_key()));
    let garbage = format!("{}!", &private[..42]);
    let message = VapidKey::from_base64url(&garbage).unwrap_err().to_string();
    assert!(!message.contains(&garbage[..10]));
}
