//! The RusingAcademy HTTP API (actix-web): configuration, routes, problem+json errors,
//! telemetry and the OpenAPI contract. Business rules live in the `service` crate; handlers
//! extract, call one service function and map the result to a DTO.

pub mod bounded;
pub mod client_ip;
pub mod commands;
pub mod config;
pub mod dto;
pub mod error;
pub mod extract;
pub mod i18n;
mod jobs;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use startup::{Application, openapi_document};
