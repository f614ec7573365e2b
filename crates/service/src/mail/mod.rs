//! Outgoing mail: a [`Mailer`] that sends rendered [`Mail`] through the configured [`Transport`],
//! and the bilingual [`templates`] of the messages the platform sends.
//!
//! Messages are plain UTF-8 text (`text/plain; charset=utf-8`), always quoted-printable so that
//! they pass through any relay. Transport failures become [`Error::Dependency`] with
//! `dependency: "smtp"`; a bad configuration or an address that cannot be used is
//! [`Error::Internal`].

pub mod templates;

use std::{fmt, path::PathBuf, sync::Arc};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, SinglePart,
        header::{ContentTransferEncoding, ContentType},
    },
};

use crate::{Error, Result};

/// Where mail goes.
#[derive(Clone)]
pub enum Transport {
    /// One `<random hex>.eml` file per message in `dir` (created if missing), private to the
    /// service's user (see [`crate::files`]); for development and tests.
    Outbox {
        /// Directory the messages are written to.
        dir: PathBuf,
    },
    /// An SMTP relay, e.g. `smtps://user:pass@host:465`, `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), or `smtp://127.0.0.1:2525` (plain, no TLS: only for local sinks).
    Smtp {
        /// Connection URL; may contain credentials, which `Debug` never prints.
        url: String,
    },
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Outbox { dir } => f.debug_struct("Outbox").field("dir", dir).finish(),
            Self::Smtp { url } => f
                .debug_struct("Smtp")
                .field("url", &redact_password(url))
                .finish(),
        }
    }
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Recipient address (`addr` or `Name <addr>`).
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
}

/// Sends mail through the configured transport; cheap to clone (`Arc` inside).
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
}

struct Inner {
    from: Mailbox,
    backend: Backend,
    /// The transport as configured, for `Debug` (credentials redacted there).
    transport: Transport,
}

enum Backend {
    Outbox(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.inner.from.to_string())
            .field("transport", &self.inner.transport)
            .finish()
    }
}

impl Mailer {
    /// Builds a mailer sending as `from` (`Name <addr>` or `addr`) through `transport`.
    ///
    /// Fails with [`Error::Internal`] if `from` is not a mailbox, the SMTP URL is invalid, or the
    /// outbox directory cannot be created.
    pub fn new(transport: Transport, from: &str) -> Result<Self> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| Error::Internal(format!("invalid mail sender {from:?}: {e}")))?;
        let backend = match &transport {
            Transport::Outbox { dir } => {
                crate::files::create_private_dir(dir).map_err(|e| {
                    Error::Internal(format!("cannot create outbox {}: {e}", dir.display()))
                })?;
                Backend::Outbox(dir.clone())
            }
            Transport::Smtp { url } => Backend::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| {
                        Error::Internal(format!("invalid SMTP URL {}: {e}", redact_password(url)))
                    })?
                    .build(),
            ),
        };
        Ok(Self {
            inner: Arc::new(Inner {
                from,
                backend,
                transport,
            }),
        })
    }

    /// Sends `mail`; a transport failure is [`Error::Dependency`] (`smtp`).
    pub async fn send(&self, mail: &Mail) -> Result<()> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| Error::Internal(format!("invalid mail recipient: {e}")))?;
        // Set here (with the sender's domain) because not every relay adds one.
        let message_id = format!(
            "<{:032x}@{}>",
            rand::random::<u128>(),
            self.inner.from.email.domain()
        );
        let message = Message::builder()
            .message_id(Some(message_id))
            .from(self.inner.from.clone())
            .to(to)
            .subject(mail.subject.as_str())
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::QuotedPrintable)
                    .body(mail.text.clone()),
            )
            .map_err(|e| Error::Internal(format!("cannot build mail: {e}")))?;
        let failed = |message: String| Error::Dependency {
            dependency: "smtp",
            message,
        };
        match &self.inner.backend {
            Backend::Outbox(dir) => {
                crate::files::create_private_dir_async(dir)
                    .await
                    .map_err(|e| failed(format!("cannot create outbox: {e}")))?;
                let path = dir.join(format!("{:032x}.eml", rand::random::<u128>()));
                crate::files::write_new_private_async(&path, &message.formatted())
                    .await
                    .map_err(|e| failed(format!("cannot write {}: {e}", path.display())))?;
            }
            Backend::Smtp(transport) => {
                transport
                    .send(message)
                    .await
                    .map_err(|e| failed(e.to_string()))?;
            }
        }
        Ok(())
    }
}

/// `scheme://user:***@host...`: the URL with the password (if any) masked.
fn redact_password(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    let Some(at) = url[start..authority_end].rfind('@').map(|i| start + i) else {
        return url.to_owned();
    };
    match url[start..at].find(':').map(|i| start + i) {
        Some(colon) => format!("{}:***{}", &url[..colon], &url[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::enums::Language;
    use tokio::{
        io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
        net::TcpListener,
    };

    /// Decodes a quoted-printable body (soft line breaks and `=XX` escapes).
    fn decode_qp(raw: &str) -> String {
        let joined = raw.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
            match (bytes[i], hex) {
                (b'=', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap()
    }

    /// Splits a raw message into (headers, decoded body).
    fn split(raw: &str) -> (String, String) {
        let (headers, body) = raw.split_once("\r\n\r\n").unwrap();
        (headers.to_owned(), decode_qp(body))
    }

    fn reset_mail(language: Language, to: &str) -> (Mail, String) {
        let link = "https://app.rusingacademy.ca/reset-password?token=abc123XYZ_-";
        let (subject, text) = templates::password_reset(language, "Élodie", link);
        let mail = Mail {
            to: to.to_owned(),
            subject,
            text,
        };
        (mail, link.to_owned())
    }

    #[tokio::test]
    async fn outbox_writes_one_readable_eml_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("outbox/nested");
        let mailer = Mailer::new(
            Transport::Outbox { dir: dir.clone() },
            "RusingAcademy <no-reply@rusingacademy.ca>",
        )
        .unwrap();
        let (mail, link) = reset_mail(Language::Fr, "elodie@example.gc.ca");
        mailer.send(&mail).await.unwrap();

        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].extension().unwrap(), "eml");
        let raw = std::fs::read_to_string(&files[0]).unwrap();
        let (headers, body) = split(&raw);
        assert!(headers.contains("To: elodie@example.gc.ca"), "{headers}");
        assert!(headers.contains("From: RusingAcademy <no-reply@rusingacademy.ca>"));
        assert!(headers.contains("Subject: "), "{headers}");
        assert!(headers.contains("MIME-Version: 1.0"), "{headers}");
        let message_id = headers.lines().find_map(|l| l.strip_prefix("Message-ID: "));
        assert!(
            message_id.unwrap().ends_with("@rusingacademy.ca>"),
            "{headers}"
        );
        assert!(
            headers.contains("Content-Type: text/plain; charset=utf-8"),
            "{headers}"
        );
        assert!(headers.contains("Content-Transfer-Encoding: quoted-printable"));
        assert!(body.contains(&link), "{body}");
        assert!(body.contains("Bonjour Élodie"), "{body}");
        assert!(body.contains("L'équipe RusingAcademy"), "{body}");
    }

    /// A one-connection SMTP sink on 127.0.0.1; resolves to the DATA it received.
    async fn smtp_sink() -> (u16, tokio::task::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (read, mut write) = stream.into_split();
            let mut lines = BufReader::new(read).lines();
            let mut data = String::new();
            write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
            while let Some(line) = lines.next_line().await.unwrap() {
                let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
                let reply: &[u8] = match verb.as_str() {
                    "EHLO" | "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                    "DATA" => {
                        write.write_all(b"354 go ahead\r\n").await.unwrap();
                        while let Some(line) = lines.next_line().await.unwrap() {
                            if line == "." {
                                break;
                            }
                            data.push_str(&line);
                            data.push_str("\r\n");
                        }
                        b"250 queued\r\n"
                    }
                    "QUIT" => {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    }
                    _ => b"502 not implemented\r\n",
                };
                write.write_all(reply).await.unwrap();
            }
            data
        });
        (port, task)
    }

    #[tokio::test]
    async fn smtp_delivers_to_a_plain_local_sink() {
        let (port, sink) = smtp_sink().await;
        let mailer = Mailer::new(
            Transport::Smtp {
                url: format!("smtp://127.0.0.1:{port}"),
            },
            "no-reply@rusingacademy.ca",
        )
        .unwrap();
        let (mail, link) = reset_mail(Language::En, "Jane Doe <jane@example.gc.ca>");
        mailer.send(&mail).await.unwrap();

        let (headers, body) = split(&sink.await.unwrap());
        assert!(
            headers.contains("Subject: Reset your RusingAcademy password"),
            "{headers}"
        );
        assert!(
            headers.contains("To: \"Jane Doe\" <jane@example.gc.ca>"),
            "{headers}"
        );
        assert!(body.contains(&link), "{body}");
    }

    #[tokio::test]
    async fn smtp_refusal_is_a_dependency_error() {
        // Nothing listens on this port once the listener is dropped.
        let port = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mailer = Mailer::new(
            Transport::Smtp {
                url: format!("smtp://127.0.0.1:{port}"),
            },
            "no-reply@rusingacademy.ca",
        )
        .unwrap();
        let (mail, _) = reset_mail(Language::En, "jane@example.gc.ca");
        let err = mailer.send(&mail).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Dependency {
                    dependency: "smtp",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn bad_configuration_is_refused() {
        let outbox = || Transport::Outbox {
            dir: std::env::temp_dir(),
        };
        assert!(matches!(
            Mailer::new(outbox(), "not a mailbox"),
            Err(Error::Internal(_))
        ));
        let bad_url = Transport::Smtp {
            url: "ftp://host".into(),
        };
        assert!(matches!(
            Mailer::new(bad_url, "a@b.ca"),
            Err(Error::Internal(_))
        ));
    }

    #[test]
    fn debug_never_prints_the_password() {
        let transport = Transport::Smtp {
            url: "smtps://user:s3cret@smtp.example.com:465".into(),
        };
        let mailer = Mailer::new(
            transport.clone(),
            "RusingAcademy <no-reply@rusingacademy.ca>",
        )
        .unwrap();
        for shown in [format!("{transport:?}"), format!("{mailer:?}")] {
            assert!(!shown.contains("s3cret"), "{shown}");
            assert!(
                shown.contains("smtps://user:***@smtp.example.com:465"),
                "{shown}"
            );
        }
        assert_eq!(
            redact_password("smtp://127.0.0.1:2525"),
            "smtp://127.0.0.1:2525"
        );
        assert_eq!(
            redact_password("smtp://u@h:25/?tls=required"),
            "smtp://u@h:25/?tls=required"
        );
    }
}
