//! Input rules for credentials: e-mail normalisation and the password policy.

use crate::FieldError;

const COMMON: &str = include_str!("common_passwords.txt");

/// Longest e-mail address (`users.email` is `VARCHAR(255)`).
pub const MAX_EMAIL: usize = 255;
/// Shortest new password.
pub const MIN_PASSWORD: usize = 10;
/// Longest password.
pub const MAX_PASSWORD: usize = 128;
/// Longest first or last name (`users.firstName`/`lastName` are `VARCHAR(100)`).
pub const MAX_NAME: usize = 100;

/// The plain addresses [`email`] accepts, as a regular expression (for the OpenAPI document):
/// a dot-atom local part, `@`, and a domain of two or more labels.
pub const EMAIL_PATTERN: &str = r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$";

/// Whether `address` is a plain addr-spec (RFC 5322 `dot-atom "@" dot-atom`) with a domain of
/// two or more labels: no display name (`x <victim@example.org>`), no quoted local part
/// (`"q"@example.com`, the same mailbox as `q@example.com`), no lists, no second `@`, no
/// comments, no spaces; a local part of at most 64 characters and domain labels of at most 63.
/// What [`EMAIL_PATTERN`] and the schema's `format: email` say together.
pub fn is_plain_address(address: &str) -> bool {
    fn atext(c: char) -> bool {
        c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c)
    }
    fn label(l: &str) -> bool {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    }
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    // RFC 5321's limits, which the schema's `format: email` states too.
    local.len() <= 64
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atext))
        && domain.split('.').count() >= 2
        && domain.split('.').all(label)
}

/// Trimmed, lower-cased e-mail, or the problem with `field`. Only plain addresses
/// ([`is_plain_address`]) are accepted, so one mailbox has one spelling and one account.
pub fn email(raw: &str, field: &str) -> std::result::Result<String, FieldError> {
    let email = raw.trim().to_lowercase();
    if email.chars().count() <= MAX_EMAIL && is_plain_address(&email) {
        Ok(email)
    } else {
        Err(FieldError {
            field: field.to_owned(),
            code: "invalid_email".to_owned(),
            message: "must be a plain e-mail address such as marie.tremblay@canada.ca".to_owned(),
        })
    }
}

/// Problems with a new password: 10 to 128 characters, not a common password.
pub fn password_problems(password: &str, field: &str) -> Option<FieldError> {
    let length = password.chars().count();
    let problem = if length < MIN_PASSWORD {
        Some(("too_short", "must be at least 10 characters"))
    } else if length > MAX_PASSWORD {
        Some(("too_long", "must be at most 128 characters"))
    } else if COMMON
        .lines()
        .any(|common| common.eq_ignore_ascii_case(password.trim()))
    {
        Some((
            "too_common",
            "is too common; choose a less guessable password",
        ))
    } else {
        None
    };
    problem.map(|(code, message)| FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        message: message.to_owned(),
    })
}

/// A person's name part: 1 to 100 characters after trimming.
pub fn name(raw: &str, field: &str) -> std::result::Result<String, FieldError> {
    let name = raw.trim();
    let length = name.chars().count();
    if (1..=MAX_NAME).contains(&length) && !name.chars().any(char::is_control) {
        Ok(name.to_owned())
    } else {
        Err(FieldError {
            field: field.to_owned(),
            code: "invalid_length".to_owned(),
            message: "must be 1 to 100 characters".to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            email("  Marie.Tremblay@Canada.CA ", "email").unwrap(),
            "marie.tremblay@canada.ca"
        );
        assert!(email("not-an-email", "email").is_err());
        assert!(email("a@b", "email").is_err());
    }

    #[test]
    fn only_plain_addresses_are_accepted() {
        for bad in [
            "x <victim@example.org>",
            "\"q\"@example.com",
            "a@example.com,b@example.com",
            "a@example.com, b@example.com",
            "a@b.c@d.e",
            "a..b@example.com",
            ".a@example.com",
            "a@-example.com",
            "a@example..com",
            "a(comment)@example.com",
            "a@[127.0.0.1]",
            &format!("{}@example.com", "a".repeat(65)),
            &format!("a@{}.com", "b".repeat(64)),
        ] {
            assert!(email(bad, "email").is_err(), "{bad}");
        }
        for good in [
            "marie.tremblay@canada.ca",
            "a+tag@tbs-sct.gc.ca",
            "o'neil@x.io",
        ] {
            assert!(email(good, "email").is_ok(), "{good}");
        }
    }

    #[test]
    fn passwords_must_be_long_and_uncommon() {
        assert_eq!(
            password_problems("short", "password").unwrap().code,
            "too_short"
        );
        assert_eq!(
            password_problems("Password123", "password").unwrap().code,
            "too_common"
        );
        assert_eq!(
            password_problems(&"x".repeat(129), "password")
                .unwrap()
                .code,
            "too_long"
        );
        assert!(password_problems("correct horse battery", "password").is_none());
    }
}
