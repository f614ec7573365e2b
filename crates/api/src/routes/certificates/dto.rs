//! Response types of the certificates domain.

use chrono::{DateTime, Utc};
use entity::certificates::certificates as certificate_rows;
use entity::enums::Language;
use serde::Serialize;
use service::certificates::{NameWithheld, Verification};
use utoipa::ToSchema;

/// A certificate in its owner's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CertificateDto {
    #[schema(example = 7)]
    pub id: i64,
    /// Public number, printed on the certificate and used to verify it.
    #[schema(example = "RA-7K3MZQ9XW2PD")]
    pub number: String,
    #[schema(example = 12)]
    pub course_id: i64,
    /// Course title as printed, in the certificate's language.
    #[schema(example = "Oral interaction: level B")]
    pub course_title: String,
    #[schema(example = "2026-11-27T15:04:05Z")]
    pub issued_at: DateTime<Utc>,
    /// Language of the certificate: the learner's language when it was issued.
    pub language: Language,
}

impl From<certificate_rows::Model> for CertificateDto {
    fn from(c: certificate_rows::Model) -> Self {
        Self {
            id: c.id,
            number: c.number,
            course_id: c.course_id,
            course_title: c.course_title,
            issued_at: c.issued_at,
            language: c.language,
        }
    }
}

/// Why a verification shows no recipient name.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NameWithheldDto {
    /// The holder deleted their account: their name was erased from the certificate, which
    /// remains a genuine certificate of this course and date.
    AccountDeleted,
}

impl From<NameWithheld> for NameWithheldDto {
    fn from(reason: NameWithheld) -> Self {
        match reason {
            NameWithheld::AccountDeleted => Self::AccountDeleted,
        }
    }
}

/// The outcome of a public verification: only what is printed on the certificate, and never the
/// name of a holder who deleted their account.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CertificateVerificationDto {
    /// True only if the certificate's Ed25519 signature verifies over the number, name, course
    /// title and issue date stored now (with an empty name once the holder's name was erased):
    /// the number was genuinely issued by the platform, for this course, on this date.
    #[schema(example = true)]
    pub valid: bool,
    #[schema(example = "RA-7K3MZQ9XW2PD")]
    pub number: String,
    /// The learner's name as printed; `null` when withheld (see `recipientNameWithheld`).
    #[schema(example = "Marie Tremblay")]
    pub recipient_name: Option<String>,
    /// Why `recipientName` is `null`, else `null`: `account_deleted` when the holder deleted
    /// their account and their name was erased (the certificate itself is still genuine).
    pub recipient_name_withheld: Option<NameWithheldDto>,
    /// The course title as printed, in the certificate's language.
    #[schema(example = "Oral interaction: level B")]
    pub course_title: String,
    #[schema(example = "2026-11-27T15:04:05Z")]
    pub issued_at: DateTime<Utc>,
}

impl From<Verification> for CertificateVerificationDto {
    fn from(v: Verification) -> Self {
        Self {
            valid: v.valid,
            number: v.number,
            recipient_name: v.recipient_name,
            recipient_name_withheld: v.name_withheld.map(Into::into),
            course_title: v.course_title,
            issued_at: v.issued_at,
        }
    }
}

/// A PDF file: the raw bytes of the response body.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, content_media_type = "application/pdf")]
pub struct PdfFile(pub Vec<u8>);
