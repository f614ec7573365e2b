//! Request and response types shared by several domains (users, pages) and the helpers that
//! read and write them (`PATCH` nulls, `ETag` responses). Entities never leave the API: every
//! response is a DTO built with `From`, so secret columns have no path out.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{ETAG, LOCATION};
use chrono::{DateTime, Utc};
use entity::enums::{Language, UserRole, UserStatus};
use entity::users::users;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::bounded::Text;

/// A user account as its owner sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    #[schema(example = 42)]
    pub id: i64,
    #[schema(example = "marie.tremblay@canada.ca")]
    pub email: String,
    #[schema(example = "Marie")]
    pub first_name: String,
    #[schema(example = "Tremblay")]
    pub last_name: String,
    pub role: UserRole,
    pub language: Language,
    /// Whether the e-mail address was verified.
    pub email_verified: bool,
    pub status: UserStatus,
    pub created_at: DateTime<Utc>,
}

impl From<users::Model> for UserDto {
    fn from(u: users::Model) -> Self {
        Self {
            id: u.id,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
            role: u.role,
            language: u.language,
            email_verified: u.email_verified_at.is_some(),
            status: u.status,
            created_at: u.created_at,
        }
    }
}

/// One page of a list; pass `nextCursor` as `cursor` to read the next page (null on the last).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<S, T: ToSchema + From<S>> From<service::pagination::Page<S>> for Page<T> {
    fn from(page: service::pagination::Page<S>) -> Self {
        let page = page.map(T::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// Cursor pagination parameters.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1-100 (default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// Opaque cursor from a previous page's `nextCursor`.
    pub cursor: Option<Text<1, 256>>,
}

impl PageQuery {
    /// Validated page request.
    pub fn page(&self) -> Result<service::pagination::PageRequest, service::Error> {
        service::pagination::PageRequest::new(self.limit, self.cursor.as_deref())
    }
}

/// `PATCH` bodies: tells "absent" (`None`) from `null` (`Some(None)`). Use with
/// `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A response body that carries its version: sent as `ETag`, checked with `If-Match`.
pub trait Versioned {
    /// The body's entity tag.
    fn etag(&self) -> String;
}

/// A JSON response with the body's version in `ETag`.
pub fn tagged(status: StatusCode, body: &(impl Serialize + Versioned)) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((ETAG, body.etag()))
        .json(body)
}

/// 201 with `body` when the request created it, 200 when it found it already there (idempotent
/// creations: a direct room, a member, a resent message, a push subscription).
pub fn created_or_found(created: bool, body: &impl Serialize) -> HttpResponse {
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    HttpResponse::build(status).json(body)
}

/// A 201 response for a new resource: its version in `ETag`, its URL in `Location`.
pub fn created(location: String, body: &(impl Serialize + Versioned)) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((ETAG, body.etag()))
        .insert_header((LOCATION, location))
        .json(body)
}
