//! Reading certificates: the learner's own list, the PDF for its owner (and administrators),
//! and the public verification by number.

use chrono::{DateTime, Utc};
use entity::certificates::certificates;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{CERTIFICATE_ERASED, Signer, issue::normalize_number, message_of, pdf};
use crate::Result;
use crate::auth::actor::Actor;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;

/// The caller's certificates, newest first.
pub async fn list_mine(
    db: &impl ConnectionTrait,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<certificates::Model>> {
    actor.require_scope("profile:read")?;
    let query = certificates::Entity::find().filter(certificates::Column::UserId.eq(actor.user_id));
    let rows = pagination::keyset(
        query,
        certificates::Column::IssuedAt,
        certificates::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    Ok(pagination::finish(rows, &page, |c| Cursor {
        at: c.issued_at,
        id: c.id,
    }))
}

/// A certificate its owner or an administrator may see; anyone else gets
/// [`NOT_FOUND`](crate::problem::NOT_FOUND), exactly as for a certificate that does not exist.
pub async fn find_for_viewer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<certificates::Model> {
    actor.require_scope("profile:read")?;
    let certificate = certificates::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let admin = actor.is_admin() && actor.require_scope("users:read").is_ok();
    if certificate.user_id == actor.user_id || admin {
        Ok(certificate)
    } else {
        Err(NOT_FOUND.into())
    }
}

/// A rendered certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificatePdf {
    /// The certificate number (names the file).
    pub number: String,
    /// The PDF file.
    pub bytes: Vec<u8>,
}

/// Renders certificate `id` for its owner or an administrator. `verification_url` builds the
/// public URL printed on the page from the certificate number. A certificate whose holder was
/// erased is never rendered ([`CERTIFICATE_ERASED`]).
pub async fn pdf_for_viewer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    verification_url: impl FnOnce(&str) -> String,
) -> Result<CertificatePdf> {
    let certificate = find_for_viewer(db, actor, id).await?;
    if certificate.holder_erased_at.is_some() {
        return Err(CERTIFICATE_ERASED.into());
    }
    let url = verification_url(&certificate.number);
    let bytes = pdf::render(&pdf::Document {
        language: certificate.language,
        recipient_name: &certificate.recipient_name,
        course_title: &certificate.course_title,
        issued_on: certificate.issued_at.date_naive(),
        number: &certificate.number,
        verification_url: &url,
    });
    Ok(CertificatePdf {
        number: certificate.number,
        bytes,
    })
}

/// Why a verification shows no recipient name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameWithheld {
    /// The holder deleted their account; their name was erased from the certificate.
    AccountDeleted,
}

/// What the public verification reveals: the printed fields and whether they are authentic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Whether the stored signature verifies, with the current key, over the stored fields
    /// (see [`message_of`]).
    pub valid: bool,
    pub number: String,
    /// `None` when withheld (then `name_withheld` says why).
    pub recipient_name: Option<String>,
    pub name_withheld: Option<NameWithheld>,
    pub course_title: String,
    pub issued_at: DateTime<Utc>,
}

/// Checks certificate `number` (public: no caller). The number is read the Crockford way
/// (case-insensitive, `O` for `0`, `I`/`L` for `1`); unknown or malformed numbers are
/// [`NOT_FOUND`](crate::problem::NOT_FOUND). For a certificate whose holder was erased the
/// validity is still checked (over the fields with an empty name) but no name is returned.
pub async fn verify(
    db: &impl ConnectionTrait,
    signer: &Signer,
    number: &str,
) -> Result<Verification> {
    let number = normalize_number(number).ok_or(NOT_FOUND)?;
    let certificate = certificates::Entity::find()
        .filter(certificates::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let valid = signer.verify(message_of(&certificate).as_bytes(), &certificate.signature);
    let erased = certificate.holder_erased_at.is_some();
    Ok(Verification {
        valid,
        number: certificate.number,
        recipient_name: (!erased).then_some(certificate.recipient_name),
        name_withheld: erased.then_some(NameWithheld::AccountDeleted),
        course_title: certificate.course_title,
        issued_at: certificate.issued_at,
    })
}
