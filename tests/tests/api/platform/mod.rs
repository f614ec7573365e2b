//! The application platform: health and readiness, problem+json errors, middleware (security
//! headers, CORS, metrics), the OpenAPI contract and Swagger UI, the demo data, private files.

mod authorization;
mod bounds;
mod concurrency;
mod demo;
mod errors;
#[cfg(unix)]
mod files;
mod health;
mod middleware;
mod openapi;
