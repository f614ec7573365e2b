//! Issuing: one certificate per (learner, course), whoever gets there first, and only to an
//! account whose e-mail address is verified.

use chrono::{DateTime, DurationRound as _, TimeDelta, Utc};
use entity::certificates::certificates;
use entity::courses::courses;
use entity::enums::{Language, UserStatus};
use entity::users::users;
use rand::RngCore as _;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::{Signer, signed_message};
use crate::jobs::events::{self, Event};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Prefix of every certificate number.
pub const NUMBER_PREFIX: &str = "RA-";
/// Crockford base32: digits and upper-case letters without I, L, O and U.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters after the prefix (5 random bits each: 60 bits).
const NUMBER_LENGTH: usize = 12;
/// Fresh numbers tried when an insert collides on `number` rather than on (user, course).
const NUMBER_ATTEMPTS: usize = 3;

/// A fresh, unguessable certificate number: `RA-` and 12 Crockford base32 characters drawn from
/// the operating system's CSPRNG (60 bits).
pub fn new_number() -> String {
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    let bits = u64::from_le_bytes(bytes);
    let mut number = String::with_capacity(NUMBER_PREFIX.len() + NUMBER_LENGTH);
    number.push_str(NUMBER_PREFIX);
    for i in 0..NUMBER_LENGTH {
        let index = (bits >> (5 * i)) & 0x1f;
        number.push(char::from(CROCKFORD[index as usize]));
    }
    number
}

/// A number as people type it, in canonical form: trimmed, upper case, and the letters Crockford
/// base32 reads as digits (`O` → `0`, `I`/`L` → `1`) fixed; `None` when it cannot be a number.
pub fn normalize_number(raw: &str) -> Option<String> {
    let upper = raw.trim().to_ascii_uppercase();
    let body = upper.strip_prefix(NUMBER_PREFIX)?;
    if body.len() != NUMBER_LENGTH {
        return None;
    }
    let mut number = String::from(NUMBER_PREFIX);
    for c in body.chars() {
        let c = match c {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !CROCKFORD.contains(&u8::try_from(c).ok()?) {
            return None;
        }
        number.push(c);
    }
    Some(number)
}

/// The name printed and signed: `First Last`.
pub fn recipient_name(user: &users::Model) -> String {
    [user.first_name.trim(), user.last_name.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The course title in `language`.
pub fn course_title(course: &courses::Model, language: Language) -> &str {
    match language {
        Language::En => &course.title,
        Language::Fr => &course.title_fr,
    }
}

async fn existing(
    db: &impl ConnectionTrait,
    user_id: i64,
    course_id: i64,
    locking: bool,
) -> Result<Option<certificates::Model>> {
    let mut query = certificates::Entity::find()
        .filter(certificates::Column::UserId.eq(user_id))
        .filter(certificates::Column::CourseId.eq(course_id));
    if locking {
        // A locking read sees the latest committed row even inside a REPEATABLE READ
        // transaction whose snapshot predates the competing insert (MySQL, MariaDB, TiDB);
        // SQLite ignores it. `FOR UPDATE` rather than a shared lock: TiDB refuses the latter.
        query = query.lock_exclusive();
    }
    Ok(query.one(db).await?)
}

/// Whether `user` may be issued certificates now: an account that is not deleted and whose
/// e-mail address is verified (a certificate names its holder; the platform vouches only for
/// accounts that proved their address).
pub fn may_hold(user: &users::Model) -> bool {
    user.email_verified_at.is_some() && user.status != UserStatus::Deleted
}

/// Issues the certificate of `user` for `course`, exactly once; `None` (nothing written) while
/// the account may not hold certificates ([`may_hold`]): the certificate is withheld until the
/// address is verified, then [`issue_withheld`](super::issue_withheld) issues it.
///
/// If the learner already holds one for this course it is returned unchanged; a concurrent
/// issuer losing the race on the (user, course) unique key gets the winner's row. The
/// certificate is in the learner's language (title, course title), carries `First Last` as
/// printed at issue time, a fresh [`new_number`], and the Ed25519 signature of
/// [`signed_message`]. Runs on any connection, so the caller can include it in the transaction
/// that completes the course.
pub async fn issue(
    db: &impl ConnectionTrait,
    signer: &Signer,
    user: &users::Model,
    course: &courses::Model,
    now: DateTime<Utc>,
) -> Result<Option<certificates::Model>> {
    if !may_hold(user) {
        return Ok(None);
    }
    if let Some(found) = existing(db, user.id, course.id, false).await? {
        return Ok(Some(found));
    }
    // Stored with microsecond precision: keep the returned row identical to the stored one.
    let issued_at = now
        .duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(now);
    let language = user.language;
    let recipient_name = recipient_name(user);
    let course_title = course_title(course, language).trim().to_owned();
    for _ in 0..NUMBER_ATTEMPTS {
        let number = new_number();
        let signature = signer
            .sign(signed_message(&number, &recipient_name, &course_title, issued_at).as_bytes());
        let row = certificates::ActiveModel {
            user_id: Set(user.id),
            course_id: Set(course.id),
            issued_at: Set(issued_at),
            number: Set(number),
            language: Set(language),
            recipient_name: Set(recipient_name.clone()),
            course_title: Set(course_title.clone()),
            signature: Set(signature),
            created_at: Set(issued_at),
            ..Default::default()
        };
        match row.insert(db).await {
            Ok(certificate) => {
                events::publish(
                    db,
                    &CertificateIssued {
                        certificate_id: certificate.id,
                        number: certificate.number.clone(),
                        user_id: user.id,
                        course_id: course.id,
                    },
                )
                .await?;
                tracing::info!(
                    certificate_id = certificate.id,
                    user_id = user.id,
                    course_id = course.id,
                    "certificate issued"
                );
                return Ok(Some(certificate));
            }
            Err(err) if Error::is_unique_violation(&err) => {
                if let Some(found) = existing(db, user.id, course.id, true).await? {
                    return Ok(Some(found));
                }
                // Not (user, course): the random number itself collided. Draw another.
            }
            Err(err) => return Err(err.into()),
        }
    }
    Err(Error::Internal(
        "no free certificate number after several attempts".to_owned(),
    ))
}

/// A certificate was issued (published in the transaction that issued it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateIssued {
    pub certificate_id: i64,
    pub number: String,
    pub user_id: i64,
    pub course_id: i64,
}

impl Event for CertificateIssued {
    const NAME: &'static str = "certificate.issued";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_prefixed_crockford_base32_and_differ() {
        let numbers: std::collections::HashSet<String> = (0..200).map(|_| new_number()).collect();
        assert_eq!(numbers.len(), 200);
        for number in &numbers {
            assert_eq!(number.len(), 15);
            let body = number.strip_prefix("RA-").unwrap();
            assert!(body.bytes().all(|b| CROCKFORD.contains(&b)), "{number}");
            assert!(!body.contains(['I', 'L', 'O', 'U']), "{number}");
        }
    }

    #[test]
    fn typed_numbers_are_normalized_the_crockford_way() {
        assert_eq!(
            normalize_number(" ra-7k3mzq9xw2pd ").as_deref(),
            Some("RA-7K3MZQ9XW2PD")
        );
        assert_eq!(
            normalize_number("RA-OOIL00000000").as_deref(),
            Some("RA-001100000000")
        );
        assert_eq!(normalize_number("RA-7K3MZQ9XW2P"), None);
        assert_eq!(normalize_number("RA-7K3MZQ9XW2PU"), None);
        assert_eq!(normalize_number("XX-7K3MZQ9XW2PD"), None);
        assert_eq!(normalize_number("RA-7K3MZQ9XW2PÉ"), None);
    }
}
