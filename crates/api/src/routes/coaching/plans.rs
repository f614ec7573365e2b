//! Coaching plans and the caller's plan balances.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use service::coaching::plans;

use super::dto::{BalanceDto, PlanDto, PlanRequest, PlansQuery, UpdatePlanRequest};
use crate::dto::{created, tagged};
use crate::error::ApiError;
use crate::extract::{AuthUser, ClientInfo, IfMatch, MaybeAuthUser, ValidatedJson};
use crate::state::AppState;

/// Coaching plans on sale, cheapest first (administrators may include the others).
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
#[utoipa::path(
    operation_id = "list_coaching_plans",
    tag = "coaching",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(PlansQuery),
    responses((status = 200, description = "The plans", body = Vec<PlanDto>))
)]
#[get("/coaching-plans")]
pub async fn list_coaching_plans(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    query: web::Query<PlansQuery>,
) -> Result<web::Json<Vec<PlanDto>>, ApiError> {
    let include = query.include_inactive.unwrap_or(false);
    let rows = plans::list(&state.db, user.0.as_ref(), include).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// A coaching plan on sale (administrators also see the others), with its version in `ETag`.
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
/// - `not_found`: no such plan on sale
#[utoipa::path(
    operation_id = "get_coaching_plan",
    tag = "coaching",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, description = "The plan", body = PlanDto,
        headers(("ETag" = String, description = "Version of the plan"))))
)]
#[get("/coaching-plans/{id}")]
pub async fn get_coaching_plan(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let plan = plans::get(&state.db, user.0.as_ref(), id.into_inner()).await?;
    Ok(tagged(StatusCode::OK, &PlanDto::from(plan)))
}

/// Creates a coaching plan (administrators). Audited.
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `insufficient_scope`: the API key lacks `coaching:admin`
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "create_coaching_plan",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:admin"])),
    request_body = PlanRequest,
    responses((status = 201, description = "The plan", body = PlanDto,
        headers(("ETag" = String, description = "Version of the plan"))))
)]
#[post("/coaching-plans")]
pub async fn create_coaching_plan(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: ValidatedJson<PlanRequest>,
) -> Result<HttpResponse, ApiError> {
    let plan = plans::create(&state.db, &user.0, &client.0, body.0.into()).await?;
    let location = format!("/api/v1/coaching-plans/{}", plan.id);
    Ok(created(location, &PlanDto::from(plan)))
}

/// Changes a coaching plan (administrators; `If-Match` optional). Purchases already made keep
/// what they bought. Audited.
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `insufficient_scope`: the API key lacks `coaching:admin`
/// - `not_found`: no such plan
/// - `precondition_failed`: the plan changed since the `ETag` in `If-Match`
/// - `validation_failed`: invalid fields
#[utoipa::path(
    operation_id = "update_coaching_plan",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:admin"])),
    params(("id" = i64, Path, description = "Plan id")),
    request_body = UpdatePlanRequest,
    responses((status = 200, description = "The plan", body = PlanDto,
        headers(("ETag" = String, description = "Version of the plan"))))
)]
#[patch("/coaching-plans/{id}")]
pub async fn update_coaching_plan(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    if_match: IfMatch,
    id: web::Path<i64>,
    body: ValidatedJson<UpdatePlanRequest>,
) -> Result<HttpResponse, ApiError> {
    let plan = plans::update(
        &state.db,
        &user.0,
        &client.0,
        id.into_inner(),
        body.0.into(),
        if_match.get(),
    )
    .await?;
    Ok(tagged(StatusCode::OK, &PlanDto::from(plan)))
}

/// Takes a coaching plan off sale (administrators): it stays for the purchases that hold it.
/// Audited.
///
/// Problems:
/// - `forbidden`: not an administrator
/// - `insufficient_scope`: the API key lacks `coaching:admin`
/// - `not_found`: no such plan
#[utoipa::path(
    operation_id = "archive_coaching_plan",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:admin"])),
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 204, description = "Off sale"))
)]
#[delete("/coaching-plans/{id}")]
pub async fn archive_coaching_plan(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let changes = plans::PlanChanges {
        active: Some(false),
        ..Default::default()
    };
    plans::update(
        &state.db,
        &user.0,
        &client.0,
        id.into_inner(),
        changes,
        None,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's coaching plan purchases and the sessions left on each, newest first.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `coaching:read`
#[utoipa::path(
    operation_id = "list_my_coaching_plans",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:read"])),
    responses((status = 200, description = "The balances", body = Vec<BalanceDto>))
)]
#[get("/users/me/coaching-plans")]
pub async fn my_coaching_plans(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Vec<BalanceDto>>, ApiError> {
    let rows = plans::balances(&state.db, &user.0).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}
