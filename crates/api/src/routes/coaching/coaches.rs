//! Coaches: the public search, profiles and free slots; a coach's own profile and availability.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use service::coaching::{availability, profiles, slots};

use super::dto::{
    AvailabilityDto, AvailabilityRequest, CoachDto, CoachesQuery, ExceptionDto, ExceptionRequest,
    MyCoachDto, SlotsDto, SlotsQuery, UpdateCoachRequest,
};
use crate::dto::{Page, PageQuery, tagged};
use crate::error::ApiError;
use crate::extract::{AuthUser, IfMatch, MaybeAuthUser, ValidatedJson};
use crate::state::AppState;

/// Active coaches, newest first, filtered by language, specialisation, hourly rate range,
/// SLE verification and minimum rating (all combined).
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_coaches",
    tag = "coaching",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(PageQuery, CoachesQuery),
    responses(
        (status = 200, description = "A page of coaches", body = Page<CoachDto>),
    )
)]
#[get("/coaches")]
pub async fn list_coaches(
    state: web::Data<AppState>,
    _user: MaybeAuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<CoachesQuery>,
) -> Result<web::Json<Page<CoachDto>>, ApiError> {
    let page = profiles::search(&state.db, filter.into_inner().into(), page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// A coach's public profile (a paused one only to its coach and administrators).
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
/// - `not_found`: no such active coach
#[utoipa::path(
    operation_id = "get_coach",
    tag = "coaching",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = i64, Path, description = "Coach profile id")),
    responses(
        (status = 200, description = "The coach", body = CoachDto),
    )
)]
#[get("/coaches/{id}")]
pub async fn get_coach(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<CoachDto>, ApiError> {
    let coach = profiles::get(&state.db, user.0.as_ref(), id.into_inner()).await?;
    Ok(web::Json(coach.into()))
}

/// A coach's free slots (UTC starts) for a session type over a range of at most 31 days: their
/// weekly availability in their time zone, with exceptions, minus the sessions they have.
///
/// Problems:
/// - `unauthenticated`: credentials sent but invalid
/// - `not_found`: no such active coach
/// - `validation_failed`: `to` not after `from`, or more than 31 days after it
#[utoipa::path(
    operation_id = "list_coach_slots",
    tag = "coaching",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = i64, Path, description = "Coach profile id"), SlotsQuery),
    responses(
        (status = 200, description = "Free slots", body = SlotsDto),
    )
)]
#[get("/coaches/{id}/slots")]
pub async fn list_coach_slots(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<i64>,
    query: web::Query<SlotsQuery>,
) -> Result<web::Json<SlotsDto>, ApiError> {
    let q = query.into_inner();
    let free = slots::free(
        &state.db,
        user.0.as_ref(),
        id.into_inner(),
        q.from.map(Into::into),
        q.to.map(Into::into),
        q.r#type,
    )
    .await?;
    Ok(web::Json(SlotsDto {
        coach_id: free.coach.id,
        r#type: free.kind,
        duration_minutes: slots::duration_of(free.kind),
        timezone: free.coach.timezone,
        from: free.from,
        to: free.to,
        slots: free.starts,
    }))
}

/// The caller's own coach profile, with its version in `ETag`.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot manage a coach profile
/// - `coach_profile_required`: the caller is not a coach
#[utoipa::path(
    operation_id = "get_my_coach_profile",
    tag = "coaching",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = MyCoachDto,
            headers(("ETag" = String, description = "Version of the profile"))),
    )
)]
#[get("/coaches/me")]
pub async fn get_my_coach_profile(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    let coach = profiles::mine(&state.db, &user.0).await?;
    Ok(tagged(StatusCode::OK, &MyCoachDto::from(coach)))
}

/// Changes the caller's coach profile (`If-Match` optional: 412 when the profile changed since).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot manage a coach profile
/// - `coach_profile_required`: the caller is not a coach
/// - `precondition_failed`: the profile changed since the `ETag` in `If-Match`
/// - `validation_failed`: invalid fields, or a trial rate above the hourly rate
#[utoipa::path(
    operation_id = "update_my_coach_profile",
    tag = "coaching",
    security(("bearer" = [])),
    request_body = UpdateCoachRequest,
    responses(
        (status = 200, description = "The profile", body = MyCoachDto,
            headers(("ETag" = String, description = "Version of the profile"))),
    )
)]
#[patch("/coaches/me")]
pub async fn update_my_coach_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    if_match: IfMatch,
    body: ValidatedJson<UpdateCoachRequest>,
) -> Result<HttpResponse, ApiError> {
    let coach = profiles::update(&state.db, &user.0, body.0.into(), if_match.get()).await?;
    Ok(tagged(StatusCode::OK, &MyCoachDto::from(coach)))
}

/// The caller's weekly availability, time zone, and exceptions from yesterday on.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot manage availability
/// - `coach_profile_required`: the caller is not a coach
#[utoipa::path(
    operation_id = "get_my_availability",
    tag = "coaching",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The availability", body = AvailabilityDto),
    )
)]
#[get("/coaches/me/availability")]
pub async fn get_my_availability(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<AvailabilityDto>, ApiError> {
    let availability = availability::get(&state.db, &user.0).await?;
    Ok(web::Json(availability.into()))
}

/// Replaces the caller's weekly availability and sets its time zone. Sessions already booked
/// keep their times.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot manage availability
/// - `coach_profile_required`: the caller is not a coach
/// - `validation_failed`: invalid windows (end not after start) or time zone
#[utoipa::path(
    operation_id = "put_my_availability",
    tag = "coaching",
    security(("bearer" = [])),
    request_body = AvailabilityRequest,
    responses(
        (status = 200, description = "The availability", body = AvailabilityDto),
    )
)]
#[put("/coaches/me/availability")]
pub async fn put_my_availability(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<AvailabilityRequest>,
) -> Result<web::Json<AvailabilityDto>, ApiError> {
    let (timezone, windows) = body.0.windows();
    let availability = availability::put(&state.db, &user.0, timezone, windows).await?;
    Ok(web::Json(availability.into()))
}

/// Adds a dated exception to the caller's availability: a day off, hours off, or extra hours.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot manage availability
/// - `coach_profile_required`: the caller is not a coach
/// - `validation_failed`: a past date, one time without the other, extra hours without times,
///   or too many exceptions ahead
#[utoipa::path(
    operation_id = "add_availability_exception",
    tag = "coaching",
    security(("bearer" = [])),
    request_body = ExceptionRequest,
    responses(
        (status = 201, description = "The exception", body = ExceptionDto),
    )
)]
#[post("/coaches/me/availability-exceptions")]
pub async fn add_availability_exception(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<ExceptionRequest>,
) -> Result<HttpResponse, ApiError> {
    let exception = availability::add_exception(&state.db, &user.0, body.0.into()).await?;
    Ok(HttpResponse::Created().json(ExceptionDto::from(exception)))
}

/// Deletes one of the caller's availability exceptions.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot manage availability
/// - `coach_profile_required`: the caller is not a coach
/// - `not_found`: no such exception of the caller's
#[utoipa::path(
    operation_id = "delete_availability_exception",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Exception id")),
    responses(
        (status = 204, description = "Deleted"),
    )
)]
#[delete("/coaches/me/availability-exceptions/{id}")]
pub async fn delete_availability_exception(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    availability::delete_exception(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
