//! A local Web Push service: accepts push requests over HTTP on a random port, answers with the
//! statuses a test queues (201 once they run out), and keeps what it received. The subscription's
//! private key lives here, so a test decrypts what the server sent ([`crate::push_crypto`], an
//! implementation independent of the server's) and checks its VAPID signature.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use crate::push_crypto::{Subscription, VapidClaims, verify_vapid};

pub use crate::http::Received;
use crate::http::read_request;

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    statuses: VecDeque<u16>,
}

/// The push service, listening until dropped with the test's runtime.
pub struct PushService {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The key pair and auth secret of the one subscription this service stands for.
    pub subscription: Subscription,
    shared: Arc<Mutex<Shared>>,
}

impl PushService {
    /// Starts the service.
    pub async fn start() -> Self {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(err) => panic!("push service: {err}"),
        };
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let state = shared.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let state = state.clone();
                tokio::spawn(async move {
                    let Some(received) = read_request(&mut socket).await else {
                        return;
                    };
                    let status = {
                        let mut shared = state.lock().unwrap_or_else(|e| e.into_inner());
                        shared.received.push(received);
                        shared.statuses.pop_front().unwrap_or(201)
                    };
                    let answer = format!(
                        "HTTP/1.1 {status} Push\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                    );
                    let _ = socket.write_all(answer.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self {
            base: format!("http://127.0.0.1:{port}"),
            subscription: Subscription::generate(),
            shared,
        }
    }

    /// The endpoint URL of the subscription.
    pub fn endpoint(&self) -> String {
        format!("{}/push/device-1", self.base)
    }

    /// The body of `POST /push-subscriptions` for this subscription.
    pub fn subscription_json(&self) -> serde_json::Value {
        serde_json::json!({
            "endpoint": self.endpoint(),
            "expirationTime": null,
            "keys": {"p256dh": self.subscription.p256dh(), "auth": self.subscription.auth_base64url()},
            "userAgent": "Firefox 133 (test)"
        })
    }

    /// Answers the next requests with these statuses.
    pub fn answer_with(&self, statuses: &[u16]) {
        let mut shared = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        shared.statuses.extend(statuses);
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .received
            .clone()
    }

    /// Decrypts a received push as the browser would, after checking its headers and VAPID
    /// signature; returns the JSON payload and the VAPID claims.
    pub fn open(&self, push: &Received) -> (serde_json::Value, VapidClaims) {
        assert_eq!(
            push.headers.get("content-encoding").map(String::as_str),
            Some("aes128gcm")
        );
        assert!(push.headers.contains_key("ttl"), "TTL header");
        let authorization = push
            .headers
            .get("authorization")
            .unwrap_or_else(|| panic!("no Authorization header"));
        let now = chrono::Utc::now().timestamp();
        let claims = verify_vapid(authorization, &self.endpoint(), now)
            .unwrap_or_else(|e| panic!("VAPID: {e}"));
        let plain = self
            .subscription
            .decrypt(&push.body)
            .unwrap_or_else(|e| panic!("decrypting the push: {e}"));
        let payload = serde_json::from_slice(&plain)
            .unwrap_or_else(|e| panic!("push payload is not JSON ({e})"));
        (payload, claims)
    }
}
