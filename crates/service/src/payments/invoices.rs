//! Invoices: the caller's (`GET /invoices`) and their bilingual PDF (`GET /invoices/{id}/pdf`),
//! rendered on request from the invoice's row and its payment ([`super::invoice_pdf`]). Only the
//! buyer and administrators see an invoice (404 for anyone else).

use chrono::NaiveDate;
use entity::coaching::{coaching_plans, sessions};
use entity::courses::{courses, learning_paths};
use entity::enums::{Language, PaymentPurpose};
use entity::payments::{invoices, payments, subscription_plans, subscriptions};
use entity::users::users;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::invoice_pdf::{self, Document, Line, Seller};
use crate::Result;
use crate::auth::actor::Actor;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;

/// The seller printed on invoices.
pub const SELLER_NAME: &str = "RusingAcademy Inc.";
pub const SELLER_ADDRESS: &[&str] = &[
    "150 Elgin Street, 10th floor",
    "Ottawa, ON K2P 1L4",
    "Canada",
];
/// HST registration number printed on invoices.
pub const HST_NUMBER: &str = "784512963 RT0001";

/// The caller's invoices, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<invoices::Model>> {
    actor.require_scope("payments:read")?;
    let query = invoices::Entity::find().filter(invoices::Column::UserId.eq(actor.user_id));
    let rows = pagination::keyset(
        query,
        invoices::Column::CreatedAt,
        invoices::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    Ok(pagination::finish(rows, &page, |i| Cursor {
        at: i.created_at,
        id: i.id,
    }))
}

/// An invoice's PDF: `(number, bytes)`.
pub async fn pdf(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<(String, Vec<u8>)> {
    actor.require_scope("payments:read")?;
    let invoice = invoices::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|i| i.user_id == actor.user_id || super::listing::administers(actor))
        .ok_or(NOT_FOUND)?;
    let buyer = users::Entity::find_by_id(invoice.user_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let language = buyer.language;
    let payment = match invoice.payment_id {
        Some(id) => payments::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let mut lines: Vec<(String, i64)> = Vec::new();
    let subtotal = invoice.amount - invoice.tax_amount;
    let description = describe(db, payment.as_ref(), &invoice, language).await?;
    match &payment {
        Some(p) if p.discount_amount > 0 => {
            lines.push((description, subtotal + p.discount_amount));
            let label = if language == Language::Fr {
                "Rabais (coupon)"
            } else {
                "Discount (coupon)"
            };
            lines.push((label.to_owned(), -p.discount_amount));
        }
        _ => lines.push((description, subtotal)),
    }
    let line_refs: Vec<Line<'_>> = lines
        .iter()
        .map(|(description, amount)| Line {
            description,
            amount: *amount,
        })
        .collect();
    let name = format!("{} {}", buyer.first_name, buyer.last_name);
    let issued_on: NaiveDate = invoice.paid_at.unwrap_or(invoice.created_at).date_naive();
    let doc = Document {
        number: &invoice.number,
        issued_on,
        paid_on: invoice.paid_at.map(|at| at.date_naive()),
        status: invoice.status,
        seller: Seller {
            name: SELLER_NAME,
            address: SELLER_ADDRESS,
            hst_number: HST_NUMBER,
        },
        buyer_name: name.trim(),
        buyer_email: &buyer.email,
        lines: &line_refs,
        subtotal,
        tax: invoice.tax_amount,
        tax_included: invoice.tax_amount == 0,
        total: invoice.amount,
        currency: &invoice.currency,
        language,
    };
    Ok((invoice.number.clone(), invoice_pdf::render(&doc)))
}

/// What the invoice is for, in the buyer's language.
async fn describe(
    db: &impl ConnectionTrait,
    payment: Option<&payments::Model>,
    invoice: &invoices::Model,
    language: Language,
) -> Result<String> {
    let fr = language == Language::Fr;
    let pick = |en: String, fr_text: String| if fr { fr_text } else { en };
    let Some(payment) = payment else {
        // A subscription period.
        let plan = match &invoice.stripe_invoice_id {
            Some(_) => {
                let subscription = subscriptions::Entity::find()
                    .filter(subscriptions::Column::UserId.eq(invoice.user_id))
                    .one(db)
                    .await?;
                match subscription {
                    Some(s) => {
                        subscription_plans::Entity::find()
                            .filter(subscription_plans::Column::Code.eq(s.plan))
                            .one(db)
                            .await?
                    }
                    None => None,
                }
            }
            None => None,
        };
        return Ok(match plan {
            Some(p) => pick(
                format!("Subscription: {}", p.name),
                format!("Abonnement : {}", p.name_fr),
            ),
            None => pick("Subscription".to_owned(), "Abonnement".to_owned()),
        });
    };
    let id = payment.reference_id;
    Ok(match payment.purpose {
        PaymentPurpose::Course => match courses::Entity::find_by_id(id).one(db).await? {
            Some(c) => pick(
                format!("Course: {}", c.title),
                format!("Cours : {}", c.title_fr),
            ),
            None => pick("Course".to_owned(), "Cours".to_owned()),
        },
        PaymentPurpose::Path => match learning_paths::Entity::find_by_id(id).one(db).await? {
            Some(p) => pick(
                format!("Learning path: {}", p.title),
                format!("Parcours : {}", p.title_fr),
            ),
            None => pick("Learning path".to_owned(), "Parcours".to_owned()),
        },
        PaymentPurpose::Session => match sessions::Entity::find_by_id(id).one(db).await? {
            Some(s) => {
                let at = s.scheduled_at.format("%Y-%m-%d %H:%M UTC");
                pick(
                    format!("Coaching session ({} min), {at}", s.duration_minutes),
                    format!("Séance d'accompagnement ({} min), {at}", s.duration_minutes),
                )
            }
            None => pick(
                "Coaching session".to_owned(),
                "Séance d'accompagnement".to_owned(),
            ),
        },
        PaymentPurpose::Plan => match coaching_plans::Entity::find_by_id(id).one(db).await? {
            Some(p) => pick(
                format!("Coaching plan: {}", p.name),
                format!("Forfait d'accompagnement : {}", p.name_fr),
            ),
            None => pick(
                "Coaching plan".to_owned(),
                "Forfait d'accompagnement".to_owned(),
            ),
        },
        PaymentPurpose::Subscription => pick("Subscription".to_owned(), "Abonnement".to_owned()),
    })
}
