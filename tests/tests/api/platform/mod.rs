//! The application platform: health and readiness, problem+json errors, middleware (security
//! headers, CORS, metrics), the OpenAPI contract and Swagger UI, the demo data.

mod authorization;
mod bounds;
mod concurrency;
mod demo;
mod errors;
mod health;
mod middleware;
mod openapi;
