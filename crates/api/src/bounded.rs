//! Bounded request values: every string, number, list and date a client sends is one of these
//! types, so its limit is declared once, in the field's type. The same declaration
//!
//! - refuses an out-of-bounds value while the body is read (422 with the field's path, through
//!   [`crate::extract::ValidatedJson`]; 400 `invalid_query` in a query string), before any
//!   service code runs, identically on every database engine, and
//! - emits the limit into the OpenAPI schema (`minLength`/`maxLength`, `minimum`/`maximum`,
//!   `maxItems`, `format`), which is what integrators and the fuzzer read.
//!
//! Limits come from the columns (a `VARCHAR(n)` holds `n` characters on MariaDB, TiDB and SQLite)
//! or from a stricter product rule; `TEXT` columns (65,535 bytes on MariaDB) take at most 16,000
//! characters, which fit even when every character needs four bytes. `openapi::finish` shows each
//! of these schemas in place of its reference, beside the field's description.
//!
//! Errors raised here start with a field code (`too_short: …`) that the extractor reports as the
//! field error's `code`.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{__dev::ComposeSchema, ToSchema};

/// Field codes of bound violations (the `code` of a 422 field error).
pub mod codes {
    pub const TOO_SHORT: &str = "too_short";
    pub const TOO_LONG: &str = "too_long";
    pub const OUT_OF_RANGE: &str = "out_of_range";
    pub const TOO_MANY: &str = "too_many";
    pub const TOO_FEW: &str = "too_few";
    pub const REQUIRED: &str = "required";
    pub const INVALID_FORMAT: &str = "invalid_format";

    /// The field code an error message starts with (`too_long: must be…`): one snake_case word
    /// before `": "`, which serde's own messages never have.
    pub fn split(message: &str) -> Option<(&str, &str)> {
        message.split_once(": ").filter(|(code, _)| {
            !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
    }
}

/// Text of `MIN` to `MAX` characters (Unicode scalar values, as `VARCHAR(n)` counts them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Text<const MIN: usize, const MAX: usize>(String);

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    /// The text, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<const MIN: usize, const MAX: usize> Deref for Text<MIN, MAX> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<const MIN: usize, const MAX: usize> From<Text<MIN, MAX>> for String {
    fn from(text: Text<MIN, MAX>) -> Self {
        text.0
    }
}

impl<'de, const MIN: usize, const MAX: usize> Deserialize<'de> for Text<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        let length = value.chars().count();
        if MIN > 0 && value.chars().all(is_blank) {
            return Err(D::Error::custom(format_args!(
                "{}: must not be blank",
                codes::REQUIRED
            )));
        }
        if length < MIN {
            return Err(D::Error::custom(format_args!(
                "{}: must be at least {MIN} characters",
                codes::TOO_SHORT
            )));
        }
        if length > MAX {
            return Err(D::Error::custom(format_args!(
                "{}: must be at most {MAX} characters",
                codes::TOO_LONG
            )));
        }
        Ok(Self(value))
    }
}

impl<const MIN: usize, const MAX: usize> ComposeSchema for Text<MIN, MAX> {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        text_schema(MIN, MAX).into()
    }
}

/// White space as the schema's pattern `\S` means it (ECMA-262 `\s`, which JSON Schema uses):
/// Unicode space separators, the line terminators, tab, vertical tab, form feed and the
/// byte-order mark, but not U+0085.
fn is_blank(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// A string of `min` to `max` characters; a required one (`min > 0`) must not be blank.
fn text_schema(min: usize, max: usize) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length((min > 0).then_some(min))
        .max_length(Some(max))
        .pattern((min > 0).then_some(r"\S"))
}

impl<const MIN: usize, const MAX: usize> ToSchema for Text<MIN, MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Text_{MIN}_{MAX}"))
    }
}

/// An integer from `MIN` to `MAX` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Int<const MIN: i64, const MAX: i64>(i64);

impl<const MIN: i64, const MAX: i64> Int<MIN, MAX> {
    /// The value.
    pub fn get(self) -> i64 {
        self.0
    }

    /// The value as an `i32`; only for bounds that fit one (checked at compile time).
    pub fn to_i32(self) -> i32 {
        const {
            assert!(MIN >= i32::MIN as i64 && MAX <= i32::MAX as i64);
        }
        i32::try_from(self.0).unwrap_or_default()
    }
}

impl<const MIN: i64, const MAX: i64> From<Int<MIN, MAX>> for i64 {
    fn from(value: Int<MIN, MAX>) -> Self {
        value.0
    }
}

impl<const MIN: i64, const MAX: i64> From<Int<MIN, MAX>> for i32 {
    fn from(value: Int<MIN, MAX>) -> Self {
        value.to_i32()
    }
}

/// An integer as JSON Schema counts them: `5` and `5.0` alike.
struct Integer;

impl serde::de::Visitor<'_> for Integer {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format_args!("{}: too large", codes::OUT_OF_RANGE)))
    }

    // The bounds (checked by the caller) keep a whole float far inside the exact range of f64.
    #[allow(clippy::cast_possible_truncation)]
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else if v.fract() == 0.0 {
            Err(E::custom(format_args!(
                "{}: too large",
                codes::OUT_OF_RANGE
            )))
        } else {
            Err(E::invalid_type(serde::de::Unexpected::Float(v), &self))
        }
    }

    // Query strings carry numbers as text.
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<i64, E> {
        v.parse()
            .map_err(|_| E::invalid_type(serde::de::Unexpected::Str(v), &self))
    }
}

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Int<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_any(Integer)?;
        if !(MIN..=MAX).contains(&value) {
            return Err(D::Error::custom(format_args!(
                "{}: must be from {MIN} to {MAX}",
                codes::OUT_OF_RANGE
            )));
        }
        Ok(Self(value))
    }
}

impl<const MIN: i64, const MAX: i64> ComposeSchema for Int<MIN, MAX> {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let format = if MIN >= i64::from(i32::MIN) && MAX <= i64::from(i32::MAX) {
            KnownFormat::Int32
        } else {
            KnownFormat::Int64
        };
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(format)))
            .minimum(Some(MIN))
            .maximum(Some(MAX))
            .into()
    }
}

impl<const MIN: i64, const MAX: i64> ToSchema for Int<MIN, MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Int_{MIN}_{MAX}"))
    }
}

/// A row id sent in a body (positive).
pub type Id = Int<1, { i64::MAX }>;

/// A list of `MIN` to `MAX` items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct List<T, const MIN: usize, const MAX: usize>(Vec<T>);

impl<T, const MIN: usize, const MAX: usize> List<T, MIN, MAX> {
    /// The items, owned.
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }

    /// The items converted one by one.
    pub fn convert<U: From<T>>(self) -> Vec<U> {
        self.0.into_iter().map(U::from).collect()
    }
}

impl<T, const MIN: usize, const MAX: usize> Deref for List<T, MIN, MAX> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<'de, T: Deserialize<'de>, const MIN: usize, const MAX: usize> Deserialize<'de>
    for List<T, MIN, MAX>
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Items<T, const MIN: usize, const MAX: usize>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>, const MIN: usize, const MAX: usize> serde::de::Visitor<'de>
            for Items<T, MIN, MAX>
        {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a list of {MIN} to {MAX} items")
            }

            // Counts while reading, so an oversized list is refused without being built.
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX));
                while let Some(item) = seq.next_element()? {
                    if items.len() == MAX {
                        return Err(A::Error::custom(format_args!(
                            "{}: must hold at most {MAX} items",
                            codes::TOO_MANY
                        )));
                    }
                    items.push(item);
                }
                if items.len() < MIN {
                    return Err(A::Error::custom(format_args!(
                        "{}: must hold at least {MIN} items",
                        codes::TOO_FEW
                    )));
                }
                Ok(items)
            }
        }

        deserializer
            .deserialize_seq(Items::<T, MIN, MAX>(std::marker::PhantomData))
            .map(Self)
    }
}

impl<T: ComposeSchema, const MIN: usize, const MAX: usize> ComposeSchema for List<T, MIN, MAX> {
    fn compose(mut generics: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let items = if generics.is_empty() {
            T::compose(Vec::new())
        } else {
            generics.swap_remove(0)
        };
        ArrayBuilder::new()
            .items(items)
            .min_items((MIN > 0).then_some(MIN))
            .max_items(Some(MAX))
            .into()
    }
}

impl<T: ToSchema + ComposeSchema, const MIN: usize, const MAX: usize> ToSchema
    for List<T, MIN, MAX>
{
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("List_{}_{MIN}_{MAX}", T::name()))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        T::schemas(schemas);
    }
}

/// The first and last day a date may name: calendar years 1970 to 2099.
const FIRST_YEAR: i32 = 1970;
const LAST_YEAR: i32 = 2099;

fn year_in_range<E: serde::de::Error>(year: i32) -> Result<(), E> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(E::custom(format_args!(
            "{}: must be in the years {FIRST_YEAR} to {LAST_YEAR}",
            codes::OUT_OF_RANGE
        )))
    }
}

/// An RFC 3339 instant in the years 1970 to 2099 (every engine's timestamp column holds it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Instant(DateTime<Utc>);

impl From<Instant> for DateTime<Utc> {
    fn from(value: Instant) -> Self {
        value.0
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = DateTime::<Utc>::deserialize(deserializer)?;
        year_in_range(value.year())?;
        Ok(Self(value))
    }
}

impl ComposeSchema for Instant {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some("RFC 3339 date and time, in the years 1970 to 2099."))
            .into()
    }
}

impl ToSchema for Instant {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Instant")
    }
}

/// A calendar date (`YYYY-MM-DD`) in the years 1970 to 2099.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Day(NaiveDate);

impl From<Day> for NaiveDate {
    fn from(value: Day) -> Self {
        value.0
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = NaiveDate::deserialize(deserializer)?;
        year_in_range(value.year())?;
        Ok(Self(value))
    }
}

impl ComposeSchema for Day {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .description(Some("Calendar date, in the years 1970 to 2099."))
            .into()
    }
}

impl ToSchema for Day {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Day")
    }
}

/// Declares a text type with a rule beyond its length: `check` decides, `pattern` (and
/// optionally `format`) say the same thing in the OpenAPI document, `code` names the field error,
/// and an optional `example` is a value that passes (shown in the document, used by tests that
/// need a valid value of the type).
macro_rules! checked_text {
    (
        $(#[$doc:meta])* $name:ident: $min:expr, $max:expr,
        check = $check:expr, pattern = $pattern:expr, format = $format:expr,
        code = $code:literal, message = $message:literal $(, example = $example:literal)?
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value known to pass (a default, a constant).
            #[allow(dead_code)]
            pub(crate) fn new_unchecked(value: String) -> Self {
                Self(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value: String = $crate::bounded::Text::<{ $min }, { $max }>::deserialize(deserializer)?.into();
                let check: fn(&str) -> bool = $check;
                if check(&value) {
                    Ok(Self(value))
                } else {
                    Err(<D::Error as serde::de::Error>::custom(concat!($code, ": ", $message)))
                }
            }
        }

        impl utoipa::__dev::ComposeSchema for $name {
            fn compose(
                _: Vec<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>>,
            ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let format: Option<utoipa::openapi::schema::KnownFormat> = $format;
                let examples: &[&str] = &[$($example)?];
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .min_length(Some($min))
                    .max_length(Some($max))
                    .pattern(Some($pattern))
                    .format(format.map(utoipa::openapi::schema::SchemaFormat::KnownFormat))
                    .examples(examples.iter().copied())
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}
pub(crate) use checked_text;

/// Declares a string type that takes exactly one of a list of values (a `&[&str]` constant
/// of the service), shown as a named `enum` schema.
macro_rules! one_of {
    ($(#[$doc:meta])* $name:ident = $values:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                if $values.contains(&value.as_str()) {
                    Ok(Self(value))
                } else {
                    Err(<D::Error as serde::de::Error>::unknown_variant(&value, $values))
                }
            }
        }

        impl utoipa::__dev::ComposeSchema for $name {
            fn compose(
                _: Vec<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>>,
            ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some($values.iter().copied()))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}
pub(crate) use one_of;

/// An ISO 4217 currency code: three upper-case letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CurrencyCode(String);

impl From<CurrencyCode> for String {
    fn from(value: CurrencyCode) -> Self {
        value.0
    }
}

impl<'de> Deserialize<'de> for CurrencyCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        if value.len() == 3 && value.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Self(value))
        } else {
            Err(D::Error::custom(
                "invalid_currency: must be three upper-case letters (ISO 4217)",
            ))
        }
    }
}

impl ComposeSchema for CurrencyCode {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[A-Z]{3}$"))
            .into()
    }
}

impl ToSchema for CurrencyCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("CurrencyCode")
    }
}

/// The schema of the bounded scalar type named `name` (`Text_1_8`, `Int_0_100`, `Instant`…),
/// for references that no component backs: `IntoParams` (query parameters) refers to its field
/// types by name without registering them.
pub fn scalar_schema(name: &str) -> Option<RefOr<Schema>> {
    let bounds = |prefix: &str| {
        let (min, max) = name.strip_prefix(prefix)?.split_once('_')?;
        Some((min.parse::<i64>().ok()?, max.parse::<i64>().ok()?))
    };
    if let Some((min, max)) = bounds("Text_") {
        let (min, max) = (usize::try_from(min).ok()?, usize::try_from(max).ok()?);
        return Some(text_schema(min, max).into());
    }
    if let Some((min, max)) = bounds("Int_") {
        return Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(min))
                .maximum(Some(max))
                .into(),
        );
    }
    match name {
        "Instant" => Some(Instant::compose(Vec::new())),
        "Day" => Some(Day::compose(Vec::new())),
        "CurrencyCode" => Some(CurrencyCode::compose(Vec::new())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_counts_characters_not_bytes() {
        let ok: Text<1, 3> = serde_json::from_str("\"éàü\"").unwrap();
        assert_eq!(&*ok, "éàü");
        let long = serde_json::from_str::<Text<1, 3>>("\"éàüö\"").unwrap_err();
        assert!(long.to_string().starts_with("too_long:"), "{long}");
        let empty = serde_json::from_str::<Text<1, 3>>("\"\"").unwrap_err();
        assert!(empty.to_string().starts_with("required:"), "{empty}");
        let short = serde_json::from_str::<Text<2, 3>>("\"é\"").unwrap_err();
        assert!(short.to_string().starts_with("too_short:"), "{short}");
    }

    #[test]
    fn numbers_lists_and_dates_are_bounded() {
        assert!(serde_json::from_str::<Int<0, 100>>("101").is_err());
        assert_eq!(
            serde_json::from_str::<Int<0, 100>>("100").unwrap().get(),
            100
        );
        assert!(serde_json::from_str::<List<i64, 0, 2>>("[1,2,3]").is_err());
        assert!(serde_json::from_str::<List<i64, 1, 2>>("[]").is_err());
        assert!(serde_json::from_str::<Day>("\"1969-12-31\"").is_err());
        assert!(serde_json::from_str::<Instant>("\"2100-01-01T00:00:00Z\"").is_err());
        assert!(serde_json::from_str::<Instant>("\"2099-12-31T23:59:59Z\"").is_ok());
    }
}
