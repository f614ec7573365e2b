//! Payments: checkout (`POST /checkout`), the caller's payments and invoices, refunds
//! (administrators), subscriptions and their plans, a coach's Stripe onboarding and earnings,
//! coupons and commission tiers (administrators), and Stripe's webhook. Without
//! `STRIPE_SECRET_KEY` the routes that need Stripe answer 503 `payments_unavailable`.

pub mod dto;

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};
use service::payments::{
    checkout, connect, coupons, fees, invoices, listing, refunds, subscriptions, webhook,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;
use dto::{
    CheckoutDto, CheckoutRequest, CommissionTierDto, CouponDto, CreateCouponRequest, EarningsDto,
    InvoiceDto, OnboardingDto, PaymentDetailDto, PaymentDto, PaymentsQuery, RefundDto,
    RefundRequest, ReplaceTiersRequest, StripeAckDto, StripeEventBody, SubscriptionDto,
    SubscriptionPlanDto, UpdateCouponRequest, UrlDto,
};

/// The header Stripe signs its deliveries with.
const SIGNATURE_HEADER: &str = "Stripe-Signature";

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(start_checkout)
        .service(list_payments)
        .service(get_payment)
        .service(refund_payment)
        .service(list_subscription_plans)
        .service(my_subscription)
        .service(cancel_my_subscription)
        .service(subscription_portal)
        .service(list_invoices)
        .service(invoice_pdf)
        .service(stripe_onboarding)
        .service(my_earnings)
        .service(list_coupons)
        .service(create_coupon)
        .service(update_coupon)
        .service(list_commission_tiers)
        .service(replace_commission_tiers)
        .service(stripe_webhook);
}

/// The `checkout` link of a `payment_required` problem: the request that buys the thing.
pub fn checkout_link(purpose: &str, reference_id: i64) -> serde_json::Value {
    serde_json::json!({
        "checkout": {
            "href": "/api/v1/checkout",
            "method": "POST",
            "body": { "purpose": purpose, "referenceId": reference_id },
        }
    })
}

/// Starts paying for a course, a learning path, a pending coaching session of the caller's, a
/// coaching plan or a subscription: a `payments` row `pending` and a Stripe Checkout page to send
/// the buyer to. Nothing is granted until Stripe confirms the payment (webhook). Coaching
/// sessions add 13 % HST on a line of their own; everything else is tax-included. A coupon is
/// checked now and counted when the payment succeeds; an open checkout holds one of its uses
/// until it expires. While a checkout of the same purchase (and coupon) is open, it is answered
/// again (200) instead of a second one; with the same `Idempotency-Key`, a retry answers the
/// first response again.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot buy
/// - `not_found`: no such published course or path, session of the caller's, active plan
/// - `not_purchasable`: free, or not for sale
/// - `already_owned`: the caller already has access
/// - `already_subscribed`: the caller's subscription is running
/// - `checkout_in_progress`: a checkout of the same purchase is being created; retry
/// - `session_not_payable`: the session is not awaiting payment, is a package session, or has started
/// - `coach_not_payable`: the coach has not finished Stripe onboarding
/// - `payments_unavailable`: the server has no Stripe settings
/// - `dependency_unavailable`: Stripe did not answer; retry
/// - `idempotency_key_in_progress`: a request with this `Idempotency-Key` is still running
/// - `idempotency_key_reused`: the `Idempotency-Key` was used with another body
/// - `validation_failed`: invalid fields; `couponCode`: `unknown_coupon`, `coupon_expired`,
///   `coupon_not_applicable`, `coupon_used_up`, `amount_too_small`
#[utoipa::path(
    operation_id = "start_checkout",
    tag = "payments",
    security(("bearer" = [])),
    request_body = CheckoutRequest,
    params(
        ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 255,
         pattern = "^[!-~]+$",
         description = "Makes a retry safe: printable ASCII, unique per purchase you mean to start once"),
    ),
    responses(
        (status = 201, description = "A new checkout", body = CheckoutDto),
        (status = 200, description = "The caller's open checkout of the same purchase", body = CheckoutDto),
    )
)]
#[post(
    "/checkout",
    wrap = "actix_web::middleware::from_fn(crate::middleware::idempotency::replay)"
)]
pub async fn start_checkout(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<CheckoutRequest>,
) -> Result<HttpResponse, ApiError> {
    let started = checkout::start(
        &state.db,
        state.deps.payments.as_ref(),
        &user.0,
        &state.deps.app_base_url,
        body.0.into(),
    )
    .await?;
    let status = if started.reused {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::CREATED
    };
    Ok(HttpResponse::build(status).json(CheckoutDto::from(started)))
}

/// The caller's payments, newest first; an administrator's `all=true` lists everyone's, with
/// filters.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:read` (`payments:admin` with `all=true`)
/// - `forbidden`: `all=true` by a non-administrator
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_payments",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:read"])),
    params(PageQuery, PaymentsQuery),
    responses(
        (status = 200, description = "A page of payments", body = Page<PaymentDto>),
    )
)]
#[get("/payments")]
pub async fn list_payments(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<PaymentsQuery>,
) -> Result<web::Json<Page<PaymentDto>>, ApiError> {
    let page = listing::list(&state.db, &user.0, filter.into_inner().into(), page.page()?).await?;
    Ok(web::Json(page.map(PaymentDto::from).into()))
}

/// One payment with its refunds: the caller's own, or any for an administrator.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:read`
/// - `not_found`: no such payment of the caller's
#[utoipa::path(
    operation_id = "get_payment",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:read"])),
    params(("id" = i64, Path, description = "Payment id")),
    responses(
        (status = 200, description = "The payment", body = PaymentDetailDto),
    )
)]
#[get("/payments/{id}")]
pub async fn get_payment(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<PaymentDetailDto>, ApiError> {
    let (payment, refunds) = listing::get(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(PaymentDetailDto {
        payment: payment.into(),
        refunds: refunds.into_iter().map(RefundDto::from).collect(),
    }))
}

/// Refunds a succeeded payment, in full or in part (administrators). The refund is `pending`
/// until a job has Stripe make it (202); then the payment's `refundedAmount` grows, a coach's
/// ledger gets a negative entry with the fee reversed in proportion, and a fully refunded course,
/// path or plan is taken back. Audited.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:admin`
/// - `forbidden`: administrators only
/// - `not_found`: no such payment
/// - `payment_not_refundable`: not paid, or nothing left to refund
/// - `validation_failed`: `amount` above what is left (`exceeds_refundable`)
#[utoipa::path(
    operation_id = "refund_payment",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:admin"])),
    params(("id" = i64, Path, description = "Payment id")),
    request_body = RefundRequest,
    responses(
        (status = 202, description = "The refund, pending", body = RefundDto),
    )
)]
#[post("/payments/{id}/refunds")]
pub async fn refund_payment(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: ValidatedJson<RefundRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let refund = refunds::request(
        &state.db,
        &user.0,
        &client.0,
        id.into_inner(),
        body.amount.map(|a| a.get()),
        body.reason.map(Into::into),
    )
    .await?;
    Ok(HttpResponse::Accepted().json(RefundDto::from(refund)))
}

/// The subscription plans on sale (public), cheapest first.
#[utoipa::path(
    operation_id = "list_subscription_plans",
    tag = "payments",
    responses(
        (status = 200, description = "The plans", body = Vec<SubscriptionPlanDto>),
    )
)]
#[get("/subscription-plans")]
pub async fn list_subscription_plans(
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<SubscriptionPlanDto>>, ApiError> {
    let plans = subscriptions::plans(&state.db).await?;
    Ok(web::Json(plans.into_iter().map(Into::into).collect()))
}

/// The caller's subscription (the latest), as Stripe last reported it.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:read`
/// - `no_subscription`: the caller never subscribed
#[utoipa::path(
    operation_id = "get_my_subscription",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:read"])),
    responses(
        (status = 200, description = "The subscription", body = SubscriptionDto),
    )
)]
#[get("/subscriptions/me")]
pub async fn my_subscription(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<SubscriptionDto>, ApiError> {
    user.0
        .require_scope("payments:read")
        .map_err(ApiError::from)?;
    let subscription = subscriptions::mine(&state.db, &user.0).await?;
    Ok(web::Json(subscription.into()))
}

/// Ends the caller's running subscription at the end of the current period (it stays open until
/// then). Stripe is told at once.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change subscriptions
/// - `no_subscription`: no running subscription
/// - `payments_unavailable`: the server has no Stripe settings
/// - `dependency_unavailable`: Stripe did not answer; retry
#[utoipa::path(
    operation_id = "cancel_my_subscription",
    tag = "payments",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The subscription", body = SubscriptionDto),
    )
)]
#[post("/subscriptions/me/cancel")]
pub async fn cancel_my_subscription(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<SubscriptionDto>, ApiError> {
    let subscription =
        subscriptions::cancel_at_period_end(&state.db, state.deps.payments.as_ref(), &user.0, true)
            .await?;
    Ok(web::Json(subscription.into()))
}

/// A Stripe customer portal page for the caller's subscription (card, invoices, plan).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot open the portal
/// - `no_subscription`: the caller never subscribed
/// - `payments_unavailable`: the server has no Stripe settings
/// - `dependency_unavailable`: Stripe did not answer; retry
#[utoipa::path(
    operation_id = "open_subscription_portal",
    tag = "payments",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Where to send the browser", body = UrlDto),
    )
)]
#[post("/subscriptions/me/portal")]
pub async fn subscription_portal(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<UrlDto>, ApiError> {
    let url = subscriptions::portal(
        &state.db,
        state.deps.payments.as_ref(),
        &user.0,
        &state.deps.app_base_url,
    )
    .await?;
    Ok(web::Json(UrlDto { url }))
}

/// The caller's invoices, newest first.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:read`
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_invoices",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:read"])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of invoices", body = Page<InvoiceDto>),
    )
)]
#[get("/invoices")]
pub async fn list_invoices(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<InvoiceDto>>, ApiError> {
    let page = invoices::list(&state.db, &user.0, page.page()?).await?;
    Ok(web::Json(page.map(InvoiceDto::from).into()))
}

/// An invoice as a PDF: bilingual (the buyer's language first), with the seller's HST number,
/// the lines, the tax and the total.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:read`
/// - `not_found`: no such invoice of the caller's
#[utoipa::path(
    operation_id = "get_invoice_pdf",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:read"])),
    params(("id" = i64, Path, description = "Invoice id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
    )
)]
#[get("/invoices/{id}/pdf")]
pub async fn invoice_pdf(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (number, bytes) = invoices::pdf(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/pdf"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("inline; filename=\"{number}.pdf\""),
        ))
        .body(bytes))
}

/// Starts or continues the caller's Stripe Connect onboarding (an Express account in Canada,
/// created on the first call): the page to send the coach to. Learners can pay for sessions
/// with the coach once Stripe enables charges and payouts on the account.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot onboard
/// - `coach_profile_required`: the caller is not a coach
/// - `payments_unavailable`: the server has no Stripe settings
/// - `dependency_unavailable`: Stripe did not answer; retry
#[utoipa::path(
    operation_id = "start_stripe_onboarding",
    tag = "payments",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Where to send the browser", body = OnboardingDto),
    )
)]
#[post("/coaches/me/stripe/onboarding")]
pub async fn stripe_onboarding(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<OnboardingDto>, ApiError> {
    let onboarding = connect::onboarding(
        &state.db,
        state.deps.payments.as_ref(),
        &user.0,
        &state.deps.app_base_url,
    )
    .await?;
    Ok(web::Json(onboarding.into()))
}

/// The caller's earnings as a coach, from the ledger: gross (before tax), the platform's fees,
/// the net and the refunds, all time and by month.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `coaching:read`
/// - `coach_profile_required`: the caller is not a coach
#[utoipa::path(
    operation_id = "get_my_earnings",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["coaching:read"])),
    responses(
        (status = 200, description = "The earnings", body = EarningsDto),
    )
)]
#[get("/coaches/me/earnings")]
pub async fn my_earnings(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<EarningsDto>, ApiError> {
    user.0
        .require_scope("coaching:read")
        .map_err(ApiError::from)?;
    let earnings = connect::earnings(&state.db, &user.0).await?;
    Ok(web::Json(earnings.into()))
}

/// Every coupon, newest first (administrators).
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:admin`
/// - `forbidden`: administrators only
#[utoipa::path(
    operation_id = "list_coupons",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:admin"])),
    responses(
        (status = 200, description = "The coupons", body = Vec<CouponDto>),
    )
)]
#[get("/coupons")]
pub async fn list_coupons(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Vec<CouponDto>>, ApiError> {
    let all = coupons::list(&state.db, &user.0).await?;
    Ok(web::Json(all.into_iter().map(Into::into).collect()))
}

/// Creates a coupon (administrators). Audited.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:admin`
/// - `forbidden`: administrators only
/// - `coupon_code_taken`: a coupon has this code
/// - `validation_failed`: invalid fields, a percentage above 100, `validUntil` not after `validFrom`
#[utoipa::path(
    operation_id = "create_coupon",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:admin"])),
    request_body = CreateCouponRequest,
    responses(
        (status = 201, description = "The coupon", body = CouponDto),
    )
)]
#[post("/coupons")]
pub async fn create_coupon(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: ValidatedJson<CreateCouponRequest>,
) -> Result<HttpResponse, ApiError> {
    let coupon = coupons::create(&state.db, &user.0, &client.0, body.0.into()).await?;
    Ok(HttpResponse::Created().json(CouponDto::from(coupon)))
}

/// Changes a coupon's limits, dates or activity (administrators). Audited.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:admin`
/// - `forbidden`: administrators only
/// - `not_found`: no such coupon
/// - `validation_failed`: invalid fields, `validUntil` not after `validFrom`
#[utoipa::path(
    operation_id = "update_coupon",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:admin"])),
    params(("id" = i64, Path, description = "Coupon id")),
    request_body = UpdateCouponRequest,
    responses(
        (status = 200, description = "The coupon", body = CouponDto),
    )
)]
#[patch("/coupons/{id}")]
pub async fn update_coupon(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: ValidatedJson<UpdateCouponRequest>,
) -> Result<web::Json<CouponDto>, ApiError> {
    let coupon = coupons::update(
        &state.db,
        &user.0,
        &client.0,
        id.into_inner(),
        body.0.into(),
    )
    .await?;
    Ok(web::Json(coupon.into()))
}

/// The commission tiers (administrators). Empty: the business rules' defaults apply (0-10 h
/// 2600 bps, 10-30 h 2200, 30-60 h 1900, 60-100 h 1700, 100 h+ 1500; SLE-verified 1500).
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:admin`
/// - `forbidden`: administrators only
#[utoipa::path(
    operation_id = "list_commission_tiers",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:admin"])),
    responses(
        (status = 200, description = "The tiers", body = Vec<CommissionTierDto>),
    )
)]
#[get("/commission-tiers")]
pub async fn list_commission_tiers(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Vec<CommissionTierDto>>, ApiError> {
    let tiers = fees::tiers(&state.db, &user.0).await?;
    Ok(web::Json(tiers.into_iter().map(Into::into).collect()))
}

/// Replaces every commission tier (administrators). The hour ranges of the tiers that are not
/// `sleVerifiedOnly` start at 0 and follow each other without gap or overlap, the last without
/// an upper bound. Fees of checkouts already started do not change. Audited.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `payments:admin`
/// - `forbidden`: administrators only
/// - `validation_failed`: invalid fields, or ranges that leave hours uncovered (`invalid_ranges`)
#[utoipa::path(
    operation_id = "replace_commission_tiers",
    tag = "payments",
    security(("bearer" = []), ("apiKey" = ["payments:admin"])),
    request_body = ReplaceTiersRequest,
    responses(
        (status = 200, description = "The tiers", body = Vec<CommissionTierDto>),
    )
)]
#[put("/commission-tiers")]
pub async fn replace_commission_tiers(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: ValidatedJson<ReplaceTiersRequest>,
) -> Result<web::Json<Vec<CommissionTierDto>>, ApiError> {
    let tiers = fees::replace(&state.db, &user.0, &client.0, body.0.into()).await?;
    Ok(web::Json(tiers.into_iter().map(Into::into).collect()))
}

/// Stripe's event deliveries (called by Stripe, not by clients). The `Stripe-Signature` header
/// is verified on the raw body before anything else (5 minutes' tolerance; several `v1`
/// signatures and several endpoint secrets are accepted during a rotation); the event is
/// recorded once and processed once, its effects and its `processed` mark in one transaction:
/// a redelivery answers 200 and changes nothing, a delivery that crashed is processed again by
/// the next one once its lease ends. Events converge whatever their order.
///
/// Problems:
/// - `webhook_signature_invalid`: the signature is missing, malformed, older than 5 minutes, or
///   does not match the body
/// - `webhook_payload_invalid`: a signed body that is not a Stripe event
/// - `webhook_in_progress`: the same event is still being processed by another delivery
/// - `payments_unavailable`: the server has no Stripe settings
/// - `dependency_unavailable`: Stripe did not answer a lookup; Stripe retries
#[utoipa::path(
    operation_id = "stripe_webhook",
    tag = "payments",
    params(
        ("Stripe-Signature" = String, Header, pattern = r"^t=\d+,v1=[0-9a-f]+",
            description = "`t=<unix seconds>,v1=<hex HMAC-SHA256(endpoint secret, \"<t>.<raw body>\")>`"),
    ),
    request_body(content = StripeEventBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Accepted (processed now, or before)", body = StripeAckDto),
    )
)]
#[post("/webhooks/stripe")]
pub async fn stripe_webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<web::Json<StripeAckDto>, ApiError> {
    let signature = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    let outcome =
        webhook::receive(&state.db, state.deps.payments.as_ref(), signature, &body).await?;
    Ok(web::Json(StripeAckDto {
        status: match outcome {
            webhook::Outcome::Processed => "processed",
            webhook::Outcome::Duplicate => "duplicate",
        }
        .to_owned(),
    }))
}
