//! Typed configuration, read once from the environment (a `.env` file is honoured by `main`)
//! and validated at start-up. Secrets are [`SecretString`]s: their `Debug` is redacted, so
//! logging the settings cannot leak them.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

use crate::client_ip::TrustedProxies;

/// Deployment environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    /// Local work: a random JWT secret is generated when none is configured.
    Development,
    /// Everything security-relevant must be configured explicitly.
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// How outgoing mail leaves the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// One `.eml` file per message under `DATA_DIR/outbox`.
    Log,
    /// SMTP via `SMTP_URL`.
    Smtp,
}

/// All settings of the service.
#[derive(Debug, Clone)]
pub struct Settings {
    pub app_env: AppEnv,
    /// Things worth a warning at start (logged once logging is set up).
    pub warnings: Vec<String>,
    /// The web application's URL (`APP_BASE_URL`): links in e-mails point there
    /// (`/verify-email?token=…`, `/reset-password?token=…`), and the page posts the token to the API.
    pub app_base_url: String,
    pub database_url: String,
    pub host: IpAddr,
    pub port: u16,
    pub public_base_url: String,
    pub jwt_secret: SecretString,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// 32 bytes, base64 or hex (`ENCRYPTION_KEY`): encrypts third-party tokens at rest. Without
    /// it, a configured Calendly integration uses a key generated into `DATA_DIR` (development
    /// only; production refuses to start).
    pub encryption_key: Option<SecretString>,
    /// Base64 Ed25519 seed for certificates; generated into `DATA_DIR` when absent.
    pub certificate_signing_key: Option<SecretString>,
    pub stripe_secret_key: Option<SecretString>,
    pub stripe_webhook_secret: Option<SecretString>,
    pub stripe_api_base: Option<String>,
    pub calendly_client_id: Option<String>,
    pub calendly_client_secret: Option<SecretString>,
    pub calendly_webhook_signing_key: Option<SecretString>,
    pub calendly_api_base: Option<String>,
    /// Calendly's OAuth server (`CALENDLY_AUTH_BASE`, default `https://auth.calendly.com`).
    pub calendly_auth_base: Option<String>,
    pub mail_transport: MailTransport,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub vapid_private_key: Option<SecretString>,
    pub vapid_subject: Option<String>,
    pub cors_allowed_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`); empty by
    /// default: the socket peer is the client.
    pub trusted_proxies: TrustedProxies,
    /// Bearer token `/metrics` requires (`METRICS_TOKEN`). Without one, `/metrics` is open in
    /// development and not exposed (404) in production.
    pub metrics_token: Option<SecretString>,
    pub data_dir: PathBuf,
    pub db_max_connections: u32,
    pub db_acquire_timeout: Duration,
    pub log_format: LogFormat,
    pub auto_migrate: bool,
    pub json_body_limit: usize,
    pub rate_limit_login_per_minute: u32,
    pub rate_limit_reset_per_hour: u32,
    pub rate_limit_reset_per_ip_per_hour: u32,
    pub rate_limit_register_per_hour: u32,
    /// Accept Web Push endpoints on `http://` and local addresses (`PUSH_ALLOW_LOCAL_ENDPOINTS`;
    /// tests and local development only).
    pub push_allow_local_endpoints: bool,
    /// Chat messages one user may send per minute (`RATE_LIMIT_CHAT_PER_MINUTE`).
    pub rate_limit_chat_per_minute: u32,
    /// How often each instance polls the database for events committed elsewhere
    /// (`EVENTS_POLL_INTERVAL_MS`): the longest a stream waits for an event written by another
    /// instance.
    pub events_poll_interval: Duration,
    /// Pause between heartbeats of an idle event stream (`EVENTS_HEARTBEAT`).
    pub events_heartbeat: Duration,
    pub admin_email: Option<String>,
    pub admin_password: Option<SecretString>,
    /// Concurrent password hashes allowed (each holds 19 MiB for ~50 ms).
    pub password_hash_concurrency: usize,
    /// Requests still running at shutdown get this long to finish.
    pub shutdown_timeout: Duration,
    /// Jobs the background worker runs at once (`JOB_WORKERS`); 0 runs no worker in this process.
    pub job_workers: usize,
    /// Pause between polls of the job queue when nothing is due (`JOB_POLL_INTERVAL`).
    pub job_poll_interval: Duration,
    /// How long a claimed job is reserved for its worker (`JOB_LEASE`).
    pub job_lease: Duration,
}

/// Everything wrong with the environment, reported together.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  - {}", .0.join("\n  - "))]
pub struct ConfigError(pub Vec<String>);

/// Parses a duration given as seconds (`900`) or with a unit (`15m`, `12h`, `30d`, `45s`).
pub fn parse_duration(value: &str) -> Option<Duration> {
    let value = value.trim();
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: u64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" => number,
        "m" | "min" => number.checked_mul(60)?,
        "h" => number.checked_mul(3600)?,
        "d" => number.checked_mul(86_400)?,
        _ => return None,
    };
    (seconds > 0).then(|| Duration::from_secs(seconds))
}

struct Reader<'a> {
    get: &'a dyn Fn(&str) -> Option<String>,
    errors: Vec<String>,
}

impl Reader<'_> {
    fn string(&self, name: &str) -> Option<String> {
        (self.get)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn secret(&self, name: &str) -> Option<SecretString> {
        self.string(name).map(SecretString::from)
    }

    fn parsed<T: std::str::FromStr>(&mut self, name: &str, default: T, what: &str) -> T {
        match self.string(name) {
            None => default,
            Some(raw) => raw.parse().unwrap_or_else(|_| {
                self.errors
                    .push(format!("{name}: expected {what}, got {raw:?}"));
                default
            }),
        }
    }

    fn duration(&mut self, name: &str, default: Duration) -> Duration {
        match self.string(name) {
            None => default,
            Some(raw) => parse_duration(&raw).unwrap_or_else(|| {
                self.errors.push(format!(
                    "{name}: expected a duration such as 900, 15m, 30d; got {raw:?}"
                ));
                default
            }),
        }
    }

    fn boolean(&mut self, name: &str, default: bool) -> bool {
        match self.string(name).map(|v| v.to_ascii_lowercase()) {
            None => default,
            Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => true,
            Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => false,
            Some(v) => {
                self.errors
                    .push(format!("{name}: expected true or false, got {v:?}"));
                default
            }
        }
    }
}

fn random_secret() -> SecretString {
    use base64::Engine as _;
    use rand::RngCore as _;
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    SecretString::from(base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes))
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    /// Reads settings through `get` (the environment in production, a map in tests).
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut r = Reader {
            get,
            errors: Vec::new(),
        };

        let app_env = match r.string("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") | Some("test") => AppEnv::Development,
            Some("production") | Some("prod") => AppEnv::Production,
            Some(other) => {
                r.errors.push(format!(
                    "APP_ENV: expected development or production, got {other:?}"
                ));
                AppEnv::Development
            }
        };
        let data_dir = PathBuf::from(r.string("DATA_DIR").unwrap_or_else(|| "./data".to_owned()));
        let database_url = r.string("DATABASE_URL").unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("rusing-academy.db").display()
            )
        });
        let is_sqlite = database_url.starts_with("sqlite:");
        if !is_sqlite && !database_url.starts_with("mysql://") {
            r.errors
                .push("DATABASE_URL: expected a sqlite:// or mysql:// URL".to_owned());
        }
        let host = r.parsed("HOST", IpAddr::from([127, 0, 0, 1]), "an IP address");
        let port = r.parsed("PORT", 8080u16, "a port number");
        let public_base_url = r
            .string("PUBLIC_BASE_URL")
            .unwrap_or_else(|| format!("http://{host}:{port}"))
            .trim_end_matches('/')
            .to_owned();

        let mut warnings = Vec::new();
        let app_base_url = r
            .string("APP_BASE_URL")
            .unwrap_or_else(|| public_base_url.clone())
            .trim_end_matches('/')
            .to_owned();
        let jwt_secret = match (r.secret("JWT_SECRET"), app_env) {
            (Some(secret), _) => {
                use secrecy::ExposeSecret as _;
                if secret.expose_secret().len() < 32 {
                    r.errors
                        .push("JWT_SECRET: must be at least 32 characters".to_owned());
                }
                secret
            }
            (None, AppEnv::Development) => {
                warnings.push(
                    "JWT_SECRET is not set: using a random secret; tokens will not survive a restart"
                        .to_owned(),
                );
                random_secret()
            }
            (None, AppEnv::Production) => {
                r.errors
                    .push("JWT_SECRET: required when APP_ENV=production".to_owned());
                random_secret()
            }
        };

        let mail_transport = match r.string("MAIL_TRANSPORT").as_deref() {
            None | Some("log") => MailTransport::Log,
            Some("smtp") => MailTransport::Smtp,
            Some(other) => {
                r.errors.push(format!(
                    "MAIL_TRANSPORT: expected log or smtp, got {other:?}"
                ));
                MailTransport::Log
            }
        };
        let smtp_url = r.secret("SMTP_URL");
        if mail_transport == MailTransport::Smtp && smtp_url.is_none() {
            r.errors
                .push("SMTP_URL: required when MAIL_TRANSPORT=smtp".to_owned());
        }
        let log_format = match r.string("LOG_FORMAT").as_deref() {
            None | Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => {
                r.errors.push(format!(
                    "LOG_FORMAT: expected json or pretty, got {other:?}"
                ));
                LogFormat::Json
            }
        };
        let cors_allowed_origins = r
            .string("CORS_ALLOWED_ORIGINS")
            .map(|v| {
                v.split(',')
                    .map(|o| o.trim().trim_end_matches('/').to_owned())
                    .filter(|o| !o.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let trusted_proxies = match r
            .string("TRUSTED_PROXIES")
            .map(|v| TrustedProxies::parse(&v))
        {
            None => TrustedProxies::default(),
            Some(Ok(proxies)) => proxies,
            Some(Err(invalid)) => {
                r.errors.push(format!(
                    "TRUSTED_PROXIES: expected IP addresses or CIDR networks (10.0.0.0/8), got {}",
                    invalid
                        .iter()
                        .map(|e| format!("{e:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                TrustedProxies::default()
            }
        };
        let metrics_token = r.secret("METRICS_TOKEN");
        if let Some(token) = &metrics_token {
            use secrecy::ExposeSecret as _;
            if token.expose_secret().len() < 16 {
                r.errors
                    .push("METRICS_TOKEN: must be at least 16 characters".to_owned());
            }
        }
        let admin_email = r.string("ADMIN_EMAIL");
        let admin_password = r.secret("ADMIN_PASSWORD");
        if admin_email.is_some() != admin_password.is_some() {
            r.errors
                .push("ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither".to_owned());
        }

        let settings = Settings {
            app_env,
            host,
            port,
            public_base_url,
            app_base_url,
            warnings,
            jwt_secret,
            access_token_ttl: r.duration("ACCESS_TOKEN_TTL", Duration::from_secs(15 * 60)),
            refresh_token_ttl: r.duration("REFRESH_TOKEN_TTL", Duration::from_secs(30 * 86_400)),
            encryption_key: r.secret("ENCRYPTION_KEY"),
            certificate_signing_key: r.secret("CERTIFICATE_SIGNING_KEY"),
            stripe_secret_key: r.secret("STRIPE_SECRET_KEY"),
            stripe_webhook_secret: r.secret("STRIPE_WEBHOOK_SECRET"),
            stripe_api_base: r.string("STRIPE_API_BASE"),
            calendly_client_id: r.string("CALENDLY_CLIENT_ID"),
            calendly_client_secret: r.secret("CALENDLY_CLIENT_SECRET"),
            calendly_webhook_signing_key: r.secret("CALENDLY_WEBHOOK_SIGNING_KEY"),
            calendly_api_base: r.string("CALENDLY_API_BASE"),
            calendly_auth_base: r.string("CALENDLY_AUTH_BASE"),
            mail_transport,
            smtp_url,
            mail_from: r
                .string("MAIL_FROM")
                .unwrap_or_else(|| "RusingAcademy <no-reply@rusingacademy.ca>".to_owned()),
            vapid_private_key: r.secret("VAPID_PRIVATE_KEY"),
            vapid_subject: r.string("VAPID_SUBJECT"),
            cors_allowed_origins,
            trusted_proxies,
            metrics_token,
            db_max_connections: r.parsed(
                "DB_MAX_CONNECTIONS",
                if is_sqlite { 8 } else { 20 },
                "a number of connections",
            ),
            db_acquire_timeout: Duration::from_millis(r.parsed(
                "DB_ACQUIRE_TIMEOUT_MS",
                3000u64,
                "milliseconds",
            )),
            log_format,
            auto_migrate: r.boolean("AUTO_MIGRATE", is_sqlite),
            json_body_limit: r.parsed("JSON_BODY_LIMIT_BYTES", 1024 * 1024, "a size in bytes"),
            rate_limit_login_per_minute: r.parsed("RATE_LIMIT_LOGIN_PER_MINUTE", 5, "a number"),
            rate_limit_reset_per_hour: r.parsed("RATE_LIMIT_RESET_PER_HOUR", 3, "a number"),
            rate_limit_reset_per_ip_per_hour: r.parsed(
                "RATE_LIMIT_RESET_PER_IP_PER_HOUR",
                10,
                "a number",
            ),
            rate_limit_register_per_hour: r.parsed("RATE_LIMIT_REGISTER_PER_HOUR", 10, "a number"),
            push_allow_local_endpoints: r.boolean("PUSH_ALLOW_LOCAL_ENDPOINTS", false),
            rate_limit_chat_per_minute: r.parsed("RATE_LIMIT_CHAT_PER_MINUTE", 60, "a number"),
            events_poll_interval: Duration::from_millis(
                r.parsed("EVENTS_POLL_INTERVAL_MS", 500u64, "milliseconds")
                    .max(10),
            ),
            events_heartbeat: r.duration("EVENTS_HEARTBEAT", Duration::from_secs(20)),
            admin_email,
            admin_password,
            password_hash_concurrency: r.parsed("PASSWORD_HASH_CONCURRENCY", 4, "a number"),
            shutdown_timeout: r.duration("SHUTDOWN_TIMEOUT", Duration::from_secs(30)),
            job_workers: r.parsed("JOB_WORKERS", 4, "a number"),
            job_poll_interval: r.duration("JOB_POLL_INTERVAL", Duration::from_secs(1)),
            job_lease: r.duration("JOB_LEASE", Duration::from_secs(300)),
            database_url,
            data_dir,
        };
        if let Some(key) = &settings.encryption_key {
            use secrecy::ExposeSecret as _;
            if service::crypto::parse_key(key.expose_secret()).is_none() {
                r.errors.push(
                    "ENCRYPTION_KEY: expected 32 bytes, base64 (44 characters) or hex (64)"
                        .to_owned(),
                );
            }
        }
        if settings.calendly_client_id.is_some() != settings.calendly_client_secret.is_some() {
            r.errors.push(
                "CALENDLY_CLIENT_ID and CALENDLY_CLIENT_SECRET: set both or neither".to_owned(),
            );
        }
        if settings.calendly_client_id.is_some()
            && settings.encryption_key.is_none()
            && settings.app_env == AppEnv::Production
        {
            r.errors.push(
                "ENCRYPTION_KEY: required when APP_ENV=production and Calendly is configured"
                    .to_owned(),
            );
        }
        if settings.db_max_connections == 0 {
            r.errors
                .push("DB_MAX_CONNECTIONS: must be at least 1".to_owned());
        }
        if settings.db_acquire_timeout.is_zero() {
            r.errors
                .push("DB_ACQUIRE_TIMEOUT_MS: must be positive".to_owned());
        }
        if r.errors.is_empty() {
            Ok(settings)
        } else {
            Err(ConfigError(r.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(&|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_give_an_embedded_sqlite_service() {
        let s = settings(&[]).unwrap();

        assert_eq!(s.database_url, "sqlite://./data/rusing-academy.db?mode=rwc");
        assert!(s.auto_migrate);
        assert_eq!(s.port, 8080);
        assert_eq!(s.access_token_ttl, Duration::from_secs(900));
        assert_eq!(s.db_acquire_timeout, Duration::from_secs(3));
    }

    #[test]
    fn production_requires_a_jwt_secret_and_reports_every_problem() {
        let err = settings(&[
            ("APP_ENV", "production"),
            ("PORT", "eighty"),
            ("LOG_FORMAT", "xml"),
        ])
        .unwrap_err();

        assert_eq!(err.0.len(), 3, "{err}");
        assert!(err.to_string().contains("JWT_SECRET"));
        assert!(err.to_string().contains("PORT"));
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let s = settings(&[("JWT_SECRET", "a-very-long-secret-value-for-signing-tokens")]).unwrap();

        assert!(!format!("{s:?}").contains("a-very-long-secret"));

        let s = settings(&[("METRICS_TOKEN", "scrape-token-0123456789")]).unwrap();
        assert!(!format!("{s:?}").contains("scrape-token"));
        assert!(
            settings(&[("METRICS_TOKEN", "short")])
                .unwrap_err()
                .to_string()
                .contains("METRICS_TOKEN")
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let s = settings(&[("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")]).unwrap();
        assert!(s.trusted_proxies.contains("10.1.2.3".parse().unwrap()));
        assert!(settings(&[]).unwrap().trusted_proxies == TrustedProxies::default());

        let err = settings(&[
            ("TRUSTED_PROXIES", "10.0.0.0/8, lb.internal"),
            ("PORT", "x"),
        ])
        .unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
        assert!(err.to_string().contains("TRUSTED_PROXIES"), "{err}");
        assert!(err.to_string().contains("lb.internal"), "{err}");
    }

    #[test]
    fn calendly_needs_both_credentials_and_in_production_an_encryption_key() {
        let key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        assert!(settings(&[("CALENDLY_CLIENT_ID", "id")]).is_err());
        assert!(
            settings(&[
                ("CALENDLY_CLIENT_ID", "id"),
                ("CALENDLY_CLIENT_SECRET", "s")
            ])
            .is_ok()
        );
        let production = [
            ("APP_ENV", "production"),
            ("JWT_SECRET", "a-very-long-secret-value-for-signing-tokens"),
            ("CALENDLY_CLIENT_ID", "id"),
            ("CALENDLY_CLIENT_SECRET", "s"),
        ];
        let err = settings(&production).unwrap_err();
        assert!(err.to_string().contains("ENCRYPTION_KEY"), "{err}");
        let mut with_key = production.to_vec();
        with_key.push(("ENCRYPTION_KEY", key));
        assert!(settings(&with_key).is_ok());
        // Without Calendly, production needs no key.
        assert!(settings(&production[..2]).is_ok());
        let err = settings(&[("ENCRYPTION_KEY", "too-short")]).unwrap_err();
        assert!(err.to_string().contains("ENCRYPTION_KEY"), "{err}");
        assert!(
            !err.to_string().contains("too-short"),
            "the value is not echoed"
        );
    }

    #[test]
    fn durations_accept_units() {
        assert_eq!(parse_duration("900"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("30d"), Some(Duration::from_secs(2_592_000)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("0"), None);
    }
}
