//! Completion certificates: issued once per learner and course, numbered unguessably, signed
//! with Ed25519, rendered as PDF, publicly verifiable by number.
//!
//! Invariants:
//! - at most one certificate per (user, course) (unique key; [`issue`] is idempotent and
//!   race-safe, and runs inside the caller's transaction);
//! - certificates are issued only to accounts whose e-mail address is verified ([`may_hold`]).
//!   A learner who completes a course before verifying it has the completion recorded (the
//!   enrollment is `completed`) and the certificate withheld; verifying the address publishes
//!   `user.email_verified`, whose subscriber job ([`IssueWithheldCertificates`]) issues every
//!   withheld certificate then, dated that day, without completing anything again;
//! - numbers are `RA-` + 12 Crockford base32 characters from a CSPRNG (60 bits), unique;
//! - the recipient name and course title are frozen at issue time, in the learner's language,
//!   and signed together with the number and the issue date (see [`signed_message`]); changing
//!   any of them afterwards makes [`verify`] report `valid: false`;
//! - only the owner and administrators can read a certificate by id; the public verification by
//!   number reveals only the signed fields and their validity;
//! - when the holder's account is deleted ([`erase_holder`], inside the deletion's transaction),
//!   their name is erased from their certificates (`recipientName` emptied, `holderErasedAt`
//!   set) and each genuine certificate is signed again over its fields with an empty name. The
//!   public verification then still confirms the number, the course and the issue date
//!   (`valid: true`) but answers `recipientName: null` with the reason `account_deleted`: a
//!   verifier never learns anything personal about an erased person, and is never told that a
//!   genuine certificate is fake. Nobody can download the PDF of such a certificate any more
//!   ([`CERTIFICATE_ERASED`]): it would print a certificate without a holder.

mod access;
mod erasure;
pub(crate) mod helvetica;
mod issue;
pub mod pdf;
pub mod signer;
mod withheld;

use chrono::{DateTime, Utc};
use entity::certificates::certificates;

pub use access::{
    CertificatePdf, NameWithheld, Verification, find_for_viewer, list_mine, pdf_for_viewer, verify,
};
pub use erasure::erase_holder;
pub use issue::{
    CertificateIssued, NUMBER_PREFIX, course_title, issue, may_hold, new_number, normalize_number,
    recipient_name,
};
pub use signer::Signer;
pub use withheld::{IssueWithheldCertificates, issue_withheld};

crate::problems! {
    /// The PDF of a certificate whose holder deleted their account.
    pub CERTIFICATE_ERASED: Forbidden = "certificate_erased",
        "The holder of this certificate deleted their account: their name was erased and the certificate can no longer be printed.",
        "Le titulaire de ce certificat a supprimé son compte : son nom a été effacé et le certificat ne peut plus être imprimé.";
}

/// The exact bytes signed for a certificate (UTF-8):
///
/// `{number}|{recipientName}|{courseTitle}|{issuedAt as YYYY-MM-DD, UTC}`
///
/// e.g. `RA-7K3MZQ9XW2PD|Marie Tremblay|Oral interaction: level B|2026-11-27`. Inside the name
/// and the title, `\` and `|` are escaped as `\\` and `\|`, so no two different certificates
/// share a message (names and titles without those characters are signed verbatim). A
/// certificate whose holder was erased is signed with an empty name
/// (`RA-7K3MZQ9XW2PD||Oral interaction: level B|2026-11-27`, see [`message_of`]).
pub fn signed_message(
    number: &str,
    recipient_name: &str,
    course_title: &str,
    issued_at: DateTime<Utc>,
) -> String {
    fn escape(field: &str) -> String {
        field.replace('\\', "\\\\").replace('|', "\\|")
    }
    format!(
        "{number}|{}|{}|{}",
        escape(recipient_name),
        escape(course_title),
        issued_at.format("%Y-%m-%d")
    )
}

/// The message a stored certificate's signature must verify over: [`signed_message`] of its
/// fields, with an empty name once its holder was erased.
pub fn message_of(certificate: &certificates::Model) -> String {
    let name = if certificate.holder_erased_at.is_some() {
        ""
    } else {
        &certificate.recipient_name
    };
    signed_message(
        &certificate.number,
        name,
        &certificate.course_title,
        certificate.issued_at,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_message_is_the_documented_pipe_separated_line() {
        let at = DateTime::parse_from_rfc3339("2026-11-27T23:59:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            signed_message("RA-7K3MZQ9XW2PD", "Marie Tremblay", "Oral B", at),
            "RA-7K3MZQ9XW2PD|Marie Tremblay|Oral B|2026-11-27"
        );
        assert_ne!(
            signed_message("RA-1", "A|B", "C", at),
            signed_message("RA-1", "A", "B|C", at)
        );
    }
}
