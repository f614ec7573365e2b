//! Completion certificates: the learner's list, the PDF, and the public verification by number.

pub mod dto;

use actix_web::http::header::CONTENT_DISPOSITION;
use actix_web::{HttpResponse, get, web};
use service::certificates;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::state::AppState;
use dto::{CertificateDto, CertificateVerificationDto, PdfFile};

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_my_certificates)
        .service(get_certificate_pdf)
        .service(verify_certificate);
}

/// The caller's certificates, newest first.
///
/// A certificate is issued when its course is completed, and only to an account whose e-mail
/// address is verified; the certificates of courses completed before the verification are
/// issued when the address is verified.
///
/// Problems:
/// - `insufficient_scope`: an API key without `profile:read`
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_my_certificates",
    tag = "certificates",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the caller's certificates", body = Page<CertificateDto>),
    )
)]
#[get("/users/me/certificates")]
pub async fn list_my_certificates(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<CertificateDto>>, ApiError> {
    let page = certificates::list_mine(&state.db, &user.0, page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// The certificate as a printable PDF (A4 landscape, in the certificate's language), with the
/// recipient, the course, the issue date, the number and the verification URL. Served inline
/// as `<number>.pdf`. Only its owner and administrators can download it; for anyone else the
/// certificate does not exist (404). Once its holder deleted their account (their name was
/// erased), nobody can download it (403 `certificate_erased`); its public verification still
/// works.
///
/// Problems:
/// - `certificate_erased`: the holder deleted their account
/// - `insufficient_scope`: an API key without `profile:read`
/// - `not_found`: no such certificate, or not the caller's
#[utoipa::path(
    operation_id = "get_certificate_pdf",
    tag = "certificates",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    params(("id" = i64, Path, description = "Certificate id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = inline(PdfFile),
            headers(("Content-Disposition" = String, description = "`inline; filename=\"<number>.pdf\"`"))),
    )
)]
#[get("/certificates/{id}/pdf")]
pub async fn get_certificate_pdf(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let base = &state.settings.public_base_url;
    let pdf = certificates::pdf_for_viewer(&state.db, &user.0, id.into_inner(), |number| {
        verification_url(base, number)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            CONTENT_DISPOSITION,
            format!("inline; filename=\"{}.pdf\"", pdf.number),
        ))
        .body(pdf.bytes))
}

/// Public verification of a certificate by its number (no authentication).
///
/// `valid` is true only if the Ed25519 signature stored with the certificate verifies, with the
/// platform's current public key, over this exact UTF-8 message built from the stored fields:
///
/// `{number}|{recipientName}|{courseTitle}|{issue date as YYYY-MM-DD, UTC}`
///
/// for example `RA-7K3MZQ9XW2PD|Marie Tremblay|Oral interaction: level B|2026-11-27`; a `\` or
/// `|` inside the name or the title is escaped as `\\` or `\|`. Altering any of these fields
/// makes the certificate invalid. The number is read case-insensitively, with `O` read as `0`
/// and `I`/`L` as `1`. Nothing else about the learner is revealed.
///
/// When the holder has deleted their account, their name was erased: the answer has
/// `recipientName: null` and `recipientNameWithheld: "account_deleted"`, and `valid` tells
/// whether the signature verifies over the same message with an empty name
/// (`RA-7K3MZQ9XW2PD||Oral interaction: level B|2026-11-27`). So a genuine certificate still
/// verifies as valid (it was issued, for this course, on this date) but names nobody.
///
/// Problems:
/// - `not_found`: no certificate has this number
#[utoipa::path(
    operation_id = "verify_certificate",
    tag = "certificates",
    params(("number" = String, Path, description = "Certificate number", example = "RA-7K3MZQ9XW2PD")),
    responses(
        (status = 200, description = "The certificate's printed fields and whether they are authentic", body = CertificateVerificationDto),
    )
)]
#[get("/certificates/{number}/verify")]
pub async fn verify_certificate(
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<web::Json<CertificateVerificationDto>, ApiError> {
    Ok(web::Json(
        certificates::verify(&state.db, &state.deps.signer, &number)
            .await?
            .into(),
    ))
}

/// Where anyone can check certificate `number`.
fn verification_url(public_base_url: &str, number: &str) -> String {
    format!("{public_base_url}/api/v1/certificates/{number}/verify")
}
