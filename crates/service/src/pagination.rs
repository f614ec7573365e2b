//! Keyset pagination: `?limit=&cursor=` → `{items, nextCursor}`.
//!
//! Lists are ordered newest first by `(createdAt, id)`: time first because TiDB ids are unique
//! but not ordered across servers, the id only to break ties. The cursor is the opaque,
//! URL-safe encoding of the last item's key, so pages stay stable while rows are added.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Value,
};

use crate::{Error, Result};

/// Default page size.
pub const DEFAULT_LIMIT: u64 = 20;
/// Largest page size.
pub const MAX_LIMIT: u64 = 100;

/// Position after the last item of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl Cursor {
    /// The opaque form given to clients.
    pub fn encode(&self) -> String {
        // Full precision, so the cursor equals the stored value whatever precision the backend keeps.
        let nanos = self
            .at
            .timestamp_nanos_opt()
            .unwrap_or_else(|| self.at.timestamp_micros().saturating_mul(1000));
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{nanos}:{}", self.id))
    }

    /// Parses a client's cursor (422 `invalid_cursor` when it is not one of ours).
    pub fn decode(raw: &str) -> Result<Self> {
        let invalid = || {
            Error::field(
                "cursor",
                "invalid_cursor",
                "is not a cursor returned by this list",
            )
        };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw)
            .map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let (nanos, id) = text.split_once(':').ok_or_else(invalid)?;
        let at = DateTime::from_timestamp_nanos(nanos.parse().map_err(|_| invalid())?);
        Ok(Self {
            at,
            id: id.parse().map_err(|_| invalid())?,
        })
    }
}

/// What page to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    pub after: Option<Cursor>,
}

impl PageRequest {
    /// Validates `limit` (1-100, default 20) and decodes `cursor`.
    pub fn new(limit: Option<u64>, cursor: Option<&str>) -> Result<Self> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(Error::field(
                "limit",
                "out_of_range",
                "must be between 1 and 100",
            ));
        }
        Ok(Self {
            limit,
            after: cursor
                .filter(|c| !c.is_empty())
                .map(Cursor::decode)
                .transpose()?,
        })
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Converts the items, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// Keeps the rows whose `column` is in `[from, to)`; an end left `None` is open.
pub fn within<E: EntityTrait, C: ColumnTrait>(
    mut query: Select<E>,
    column: C,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Select<E> {
    if let Some(from) = from {
        query = query.filter(column.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(column.lt(to));
    }
    query
}

/// Orders `query` newest first on `(created, id)`, starts after the cursor, and reads one row
/// more than the page to learn whether another page follows.
pub fn keyset<E, C>(query: Select<E>, created: C, id: C, page: &PageRequest) -> Select<E>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    let mut query = query
        .order_by_desc(created)
        .order_by_desc(id)
        .limit(page.limit + 1);
    if let Some(after) = page.after {
        query = query.filter(before(created, id, after.at, after.id));
    }
    query
}

/// A cursor's instant as a value to compare with a time column of `backend` in a query sent as
/// text: a plain `DATETIME` literal (naive UTC) for MySQL, MariaDB and TiDB; SQLite stores
/// RFC 3339 text with its offset, which only the zone-aware value matches.
pub fn instant(backend: DbBackend, at: DateTime<Utc>) -> Value {
    match backend {
        DbBackend::MySql => at.naive_utc().into(),
        _ => at.into(),
    }
}

/// Rows before `cursor` in `(time, id)` order: `time <= at AND NOT (time = at AND id >= id₀)`.
/// The first term is a range an index on the time column seeks to, and the rest a filter on the
/// few rows of that instant, so a page deep in a list costs what the first one does. (Written
/// as `time < at OR (time = at AND id < id₀)`, SQLite may answer the `OR` by a union of
/// two scans, one of them over every row with a smaller id: a cost that grows with the depth.)
pub fn before<C: ColumnTrait>(time: C, id: C, at: impl Into<Value> + Clone, id0: i64) -> Condition {
    Condition::all()
        .add(time.lte(at.clone()))
        .add(Condition::all().add(time.eq(at)).add(id.gte(id0)).not())
}

/// Rows after `cursor` in `(time, id)` order (see [`before`]).
pub fn after<C: ColumnTrait>(time: C, id: C, at: impl Into<Value> + Clone, id0: i64) -> Condition {
    Condition::all()
        .add(time.gte(at.clone()))
        .add(Condition::all().add(time.eq(at)).add(id.lte(id0)).not())
}

/// Cuts the extra row off and derives the next cursor from the last item kept.
pub fn finish<T>(mut rows: Vec<T>, page: &PageRequest, key: impl Fn(&T) -> Cursor) -> Page<T> {
    let more = rows.len() as u64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|last| key(last).encode())
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = Cursor {
            at: DateTime::from_timestamp_nanos(1_795_000_000_123_456_789),
            id: 77,
        };

        assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
        assert!(Cursor::decode("not-a-cursor").is_err());
        assert!(PageRequest::new(Some(0), None).is_err());
        assert!(PageRequest::new(Some(101), None).is_err());
    }
}
