//! Building and running the application: used by `main` and by the test suite alike.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, http, web};
use migration::{Migrator, MigratorTrait};
use secrecy::ExposeSecret;
use service::auth::Auth;
use service::auth::password::Passwords;
use service::auth::rate_limit::RateLimiter;
use service::auth::tokens::JwtKeys;
use service::certificates::Signer;
use service::mail::{Mailer, Transport};
use tokio::sync::watch;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::{AppExt, UtoipaApp, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::config::{AppEnv, MailTransport, Settings};
use crate::middleware::{metrics::Metrics, problem, security};
use crate::state::AppState;
use crate::{error, jobs, openapi, routes};

/// A built application: listening, not yet serving.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

/// Registers every documented route on `app`.
fn with_routes<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.configure(routes::root)
        .service(scope::scope("/api/v1").configure(routes::api_v1))
}

/// The OpenAPI document of the application (what `rusing-academy openapi` prints and
/// `/api/v1/openapi.json` serves).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, doc) =
        with_routes(App::new().into_utoipa_app().openapi(openapi::base())).split_for_parts();
    openapi::finish(doc)
}

fn cors(settings: &Settings) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            http::header::AUTHORIZATION,
            http::header::CONTENT_TYPE,
            http::header::ACCEPT,
            http::header::ACCEPT_LANGUAGE,
            http::header::IF_MATCH,
            http::header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            http::header::ETAG,
            http::header::RETRY_AFTER,
            http::header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(3600)
        // A foreign origin gets an answer without CORS headers (the browser then refuses it)
        // rather than an error that would bypass the problem+json rendering.
        .block_on_origin_mismatch(false);
    for origin in &settings.cors_allowed_origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// The actix application with its middleware stack (see [`crate::middleware`]).
pub fn build_app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let limit = state.settings.json_body_limit;
    let cors = cors(&state.settings);
    // The spec and Swagger UI come first: the `/api/v1` scope would otherwise claim
    // `/api/v1/openapi.json`.
    let app = App::new()
        .service(web::redirect("/docs", "/docs/"))
        .service(SwaggerUi::new("/docs/{_:.*}").url("/api/v1/openapi.json", openapi_document()))
        .into_utoipa_app()
        .openapi(openapi::base());
    with_routes(app)
        .into_app()
        .app_data(state)
        .app_data(
            web::JsonConfig::default()
                .limit(limit)
                .error_handler(error::json_error),
        )
        .app_data(web::QueryConfig::default().error_handler(error::query_error))
        .app_data(web::PathConfig::default().error_handler(error::path_error))
        .default_service(web::to(unmatched))
        .wrap(from_fn(security::body_limit))
        .wrap(cors)
        .wrap(from_fn(security::headers))
        .wrap(from_fn(problem::finalize))
        .wrap(from_fn(crate::middleware::metrics::track))
        .wrap(TracingLogger::default())
}

/// Where mail goes, from the settings.
pub fn mail_transport(settings: &Settings) -> Transport {
    match (&settings.mail_transport, &settings.smtp_url) {
        (MailTransport::Smtp, Some(url)) => Transport::Smtp {
            url: url.expose_secret().to_owned(),
        },
        _ => Transport::Outbox {
            dir: settings.data_dir.join("outbox"),
        },
    }
}

/// The Stripe gateway when `STRIPE_SECRET_KEY` is set. `STRIPE_WEBHOOK_SECRET` may list several
/// secrets separated by commas (during a rotation both are accepted).
fn payments(settings: &Settings) -> anyhow::Result<Option<service::payments::Gateway>> {
    let Some(secret_key) = &settings.stripe_secret_key else {
        return Ok(None);
    };
    let webhook_secrets = settings
        .stripe_webhook_secret
        .as_ref()
        .map(|s| {
            s.expose_secret()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| secrecy::SecretString::from(s.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let gateway = service::payments::Gateway::new(service::payments::gateway::Settings {
        secret_key: secret_key.clone(),
        api_base: settings.stripe_api_base.clone(),
        webhook_secrets,
    })?;
    Ok(Some(gateway))
}

/// The Calendly integration when `CALENDLY_CLIENT_ID` and `CALENDLY_CLIENT_SECRET` are set, with
/// its tokens' cipher: `ENCRYPTION_KEY`, or in development a key generated into `DATA_DIR`.
fn calendly(settings: &Settings) -> anyhow::Result<Option<service::calendly::Calendly>> {
    let (Some(client_id), Some(client_secret)) = (
        &settings.calendly_client_id,
        &settings.calendly_client_secret,
    ) else {
        return Ok(None);
    };
    let (cipher, generated) = service::crypto::Cipher::load_or_generate(
        &settings.data_dir,
        settings.encryption_key.as_ref().map(|k| k.expose_secret()),
    )?;
    if generated {
        tracing::warn!(
            "ENCRYPTION_KEY is not set: Calendly tokens are encrypted with DATA_DIR/encryption-key; \
             set ENCRYPTION_KEY (the same on every replica) from a secret store"
        );
    }
    let calendly = service::calendly::Calendly::new(
        service::calendly::Settings {
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
            api_base: settings
                .calendly_api_base
                .clone()
                .unwrap_or_else(|| "https://api.calendly.com".to_owned()),
            auth_base: settings
                .calendly_auth_base
                .clone()
                .unwrap_or_else(|| "https://auth.calendly.com".to_owned()),
            webhook_signing_key: settings.calendly_webhook_signing_key.clone(),
            public_base_url: settings.public_base_url.clone(),
        },
        cipher,
    )?;
    Ok(Some(calendly))
}

/// The methods of every documented path template, from the OpenAPI document (every route is in
/// it), for the `Allow` header of 405 answers.
fn allowed_methods() -> &'static [(Vec<String>, String)] {
    static ALLOWED: std::sync::OnceLock<Vec<(Vec<String>, String)>> = std::sync::OnceLock::new();
    ALLOWED.get_or_init(|| {
        let doc = serde_json::to_value(openapi_document()).unwrap_or_default();
        let Some(paths) = doc["paths"].as_object() else {
            return Vec::new();
        };
        paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let mut methods: Vec<String> = item
                    .as_object()
                    .map(|ops| ops.keys().map(|m| m.to_ascii_uppercase()).collect())
                    .unwrap_or_default();
                methods.sort();
                (segments, methods.join(", "))
            })
            .collect()
    })
}

/// The `Allow` value for a request path (segments in braces match any one segment).
fn allow_for(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.split('/').collect();
    allowed_methods()
        .iter()
        .find(|(template, _)| {
            template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
        })
        .map(|(_, methods)| methods.as_str())
}

/// Requests no route accepted: 405 with `Allow` when the path exists for other methods (routes
/// are method-guarded resources), 404 otherwise. The problem middleware renders the body.
async fn unmatched(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    if req.resource_map().has_resource(req.path()) {
        let mut response = actix_web::HttpResponse::MethodNotAllowed();
        if let Some(methods) = allow_for(req.path()) {
            response.insert_header((http::header::ALLOW, methods));
        }
        response.finish()
    } else {
        actix_web::HttpResponse::NotFound().finish()
    }
}

impl Application {
    /// Connects to the database (migrating it when `AUTO_MIGRATE` is on), bootstraps the first
    /// administrator, and binds the listener. Port 0 picks a free port (tests).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = service::db::connect(&service::db::DbOptions {
            url: settings.database_url.clone(),
            max_connections: settings.db_max_connections,
            acquire_timeout: settings.db_acquire_timeout,
        })
        .await?;
        if settings.auto_migrate {
            Migrator::up(&db, None).await?;
        }
        let auth = Auth {
            jwt: JwtKeys::new(
                settings.jwt_secret.expose_secret().as_bytes(),
                settings.access_token_ttl,
            ),
            passwords: Passwords::new(settings.password_hash_concurrency)?,
            refresh_ttl: settings.refresh_token_ttl,
        };
        let mailer = Mailer::new(mail_transport(&settings), &settings.mail_from)?;
        let signer = Signer::load_or_generate(
            &settings.data_dir,
            settings
                .certificate_signing_key
                .as_ref()
                .map(|k| k.expose_secret()),
        )?;
        let push = service::notifications::push::Push::load_or_generate(
            &settings.data_dir,
            settings
                .vapid_private_key
                .as_ref()
                .map(|k| k.expose_secret()),
            settings
                .vapid_subject
                .clone()
                .unwrap_or_else(|| "mailto:support@rusingacademy.ca".to_owned()),
            settings.push_allow_local_endpoints,
        )?;
        if settings.app_env == AppEnv::Production && settings.vapid_private_key.is_none() {
            tracing::warn!(
                "VAPID_PRIVATE_KEY is not set: this replica signs Web Push with a key of its own \
                 (DATA_DIR/vapid-private-key); every replica must share one key"
            );
        }
        let calendly = calendly(&settings)?;
        let payments = payments(&settings)?;
        if let Some(mode) = service::files::open_to_others(&settings.data_dir) {
            tracing::warn!(
                data_dir = %settings.data_dir.display(),
                "DATA_DIR is open to other users (mode {mode:o}): it holds the database, mails with \
                 reset links and keys; `chmod 700` it (directories created here are 0700, files 0600)"
            );
        }
        if let (Some(email), Some(password)) = (&settings.admin_email, &settings.admin_password) {
            let outcome = service::admin::bootstrap::ensure_admin(
                &db,
                &auth.passwords,
                email,
                password.expose_secret(),
            )
            .await?;
            tracing::info!(?outcome, "administrator bootstrap");
        }
        let listener = TcpListener::bind((settings.host, settings.port))?;
        let port = listener.local_addr()?.port();
        let shutdown_timeout = settings.shutdown_timeout.as_secs();
        let deps = service::Deps {
            auth,
            mailer,
            signer,
            push,
            realtime: service::realtime::Hub::default(),
            public_base_url: settings.public_base_url.clone(),
            app_base_url: settings.app_base_url.clone(),
            calendly,
            payments,
        };
        let state = web::Data::new(AppState {
            db,
            settings: Arc::new(settings),
            deps,
            limiter: RateLimiter::default(),
            metrics: Metrics::new()?,
        });
        let server_state = state.clone();
        let server = HttpServer::new(move || build_app(server_state.clone()))
            .listen(listener)?
            .shutdown_timeout(shutdown_timeout)
            .run();
        Ok(Self {
            port,
            server,
            state,
        })
    }

    /// The shared state (tests drive the job queue with it).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT or SIGTERM: in-flight requests get `SHUTDOWN_TIMEOUT` to finish, then
    /// the job worker is told to stop and awaited (it finishes the job in progress).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let (stop, stopped) = watch::channel(false);
        // Streams on this instance learn of events committed by others from this poll.
        let poll = tokio::spawn(self.state.deps.realtime.clone().run(
            self.state.db.clone(),
            self.state.settings.events_poll_interval,
            stopped.clone(),
        ));
        let worker = jobs::worker(&self.state).map(|worker| tokio::spawn(worker.run(stopped)));
        let served = self.server.await;
        let _ = stop.send(true);
        let _ = poll.await;
        if let Some(worker) = worker {
            // The job in progress finishes; an unfinished one's lease expires and another replica takes it.
            let _ = worker.await;
        }
        self.state.db.clone().close().await?;
        tracing::info!("stopped");
        Ok(served?)
    }
}
