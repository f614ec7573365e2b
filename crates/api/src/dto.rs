//! Response and request types shared by several route modules. Entities never leave the API:
//! every response is one of these DTOs, built with `From`, so secret columns have no path out.

use chrono::{DateTime, Utc};
use entity::enums::{Language, UserRole, UserStatus};
use entity::users::users;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

impl<T: ToSchema> Page<T> {
    /// Converts a service page.
    pub fn from_page<S>(page: service::pagination::Page<S>, f: impl FnMut(S) -> T) -> Self {
        let page = page.map(f);
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
    pub limit: Option<u64>,
    /// Opaque cursor from a previous page's `nextCursor`.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// Validated page request.
    pub fn page(&self) -> Result<service::pagination::PageRequest, service::Error> {
        service::pagination::PageRequest::new(self.limit, self.cursor.as_deref())
    }
}
