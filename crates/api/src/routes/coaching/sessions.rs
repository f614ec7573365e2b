//! Sessions: booking, the caller's sessions, the status machine, recordings and feedback.

use actix_web::{HttpResponse, get, post, web};
use service::coaching::status::Action;
use service::coaching::{feedback, recordings, sessions, status};

use super::dto::{
    BookRequest, FeedbackDto, FeedbackRequest, ReasonRequest, RecordingDto, RecordingRequest,
    RescheduleRequest, SessionDto, SessionsQuery,
};
use crate::dto::{Page, PageQuery};
use crate::error::ApiError;
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

/// Books a session with a coach, for the caller: `trial` (30 min at the coach's trial rate, once
/// per coach) and `single` (60 min at their hourly rate) are `pending` until paid or confirmed by
/// the coach; `package` takes one session from a plan purchase of the caller's and is
/// `confirmed` at once. Prices are in cents before tax, HST (13 %) apart. The slot is checked
/// again inside the booking's transaction: of concurrent bookings of one time (for the coach or
/// for the learner), one succeeds and the others answer 409 `slot_unavailable`.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot book
/// - `not_found`: no such active coach
/// - `slot_unavailable`: not a free slot of the coach, or the caller has a session then
/// - `trial_already_used`: a trial with this coach was already booked
/// - `plan_balance_unavailable`: the plan purchase is used up, expired before the session, or refunded
/// - `coach_not_payable`: payments are on and the coach cannot receive them yet (priced sessions)
/// - `idempotency_key_in_progress`: a request with this `Idempotency-Key` is still running
/// - `idempotency_key_reused`: the `Idempotency-Key` was used with another body
/// - `validation_failed`: invalid fields, booking oneself, a plan purchase missing for a package or given for another type, or not the caller's
#[utoipa::path(
    operation_id = "book_session",
    tag = "coaching",
    security(("bearer" = [])),
    request_body = BookRequest,
    params(
        ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 255,
         pattern = "^[!-~]+$",
         description = "Makes a retry safe: printable ASCII, unique per booking you mean to make once"),
    ),
    responses(
        (status = 201, description = "The session", body = SessionDto),
    )
)]
#[post(
    "/sessions",
    wrap = "actix_web::middleware::from_fn(crate::middleware::idempotency::replay)"
)]
pub async fn book_session(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<BookRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut booking: sessions::Booking = body.0.into();
    booking.payments = state.deps.payments.is_some();
    let session = sessions::book(&state.db, &user.0, booking).await?;
    Ok(HttpResponse::Created().json(SessionDto::from(session)))
}

/// The caller's sessions, as learner and as coach (or one side with `as`), latest start first.
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `coaching:read`
/// - `validation_failed`: invalid limit or cursor
#[utoipa::path(
    operation_id = "list_sessions",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:read"])),
    params(PageQuery, SessionsQuery),
    responses(
        (status = 200, description = "A page of sessions", body = Page<SessionDto>),
    )
)]
#[get("/sessions")]
pub async fn list_sessions(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<SessionsQuery>,
) -> Result<web::Json<Page<SessionDto>>, ApiError> {
    let page = sessions::list(&state.db, &user.0, filter.into_inner().into(), page.page()?).await?;
    Ok(web::Json(page.into()))
}

/// A session of the caller's (its learner, its coach, or an administrator).
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `coaching:read`
/// - `not_found`: no such session, or the caller takes no part in it
#[utoipa::path(
    operation_id = "get_session",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:read"])),
    params(("id" = i64, Path, description = "Session id")),
    responses(
        (status = 200, description = "The session", body = SessionDto),
    )
)]
#[get("/sessions/{id}")]
pub async fn get_session(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<SessionDto>, ApiError> {
    let session = sessions::get(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(session.into()))
}

/// Applies a move of the status machine and answers the session.
async fn act(
    state: &AppState,
    user: &AuthUser,
    client: &ClientInfo,
    id: i64,
    action: Action,
) -> Result<web::Json<SessionDto>, ApiError> {
    let payments = state.deps.payments.is_some();
    let session = status::apply(&state.db, &user.0, &client.0, id, action, payments).await?;
    Ok(web::Json(session.into()))
}

/// Confirms a pending session (its coach): the coaching chat room opens and the learner is told.
/// When payments are on, a priced session is confirmed by the learner's payment instead.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change sessions
/// - `not_found`: no such session, or the caller takes no part in it
/// - `forbidden`: only the coach confirms
/// - `invalid_transition`: the session is not pending
/// - `payment_pending`: payments are on and the learner has not paid yet (the payment confirms it)
#[utoipa::path(
    operation_id = "confirm_session",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The session", body = SessionDto))
)]
#[post("/sessions/{id}/confirm")]
pub async fn confirm_session(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
) -> Result<web::Json<SessionDto>, ApiError> {
    act(&state, &user, &client, id.into_inner(), Action::Confirm).await
}

/// Declines a pending session (its coach): cancelled, any payment refunded in full
/// (`refundDue`), the learner told.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change sessions
/// - `not_found`: no such session, or the caller takes no part in it
/// - `forbidden`: only the coach declines
/// - `invalid_transition`: the session is not pending
/// - `validation_failed`: invalid reason
#[utoipa::path(
    operation_id = "decline_session",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    request_body = ReasonRequest,
    responses((status = 200, description = "The session", body = SessionDto))
)]
#[post("/sessions/{id}/decline")]
pub async fn decline_session(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: ValidatedJson<ReasonRequest>,
) -> Result<web::Json<SessionDto>, ApiError> {
    let reason = body.0.reason.map(|r| r.into_inner());
    act(
        &state,
        &user,
        &client,
        id.into_inner(),
        Action::Decline { reason },
    )
    .await
}

/// Cancels a pending or confirmed session (its learner, its coach, or an administrator). A
/// learner cancelling 24 hours or more before the start is refunded in full (`refundDue`; a
/// package session returns to its plan), later not at all; a cancellation by the coach or an
/// administrator is always refunded in full. The other party is told.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change sessions
/// - `not_found`: no such session, or the caller takes no part in it
/// - `invalid_transition`: the session is not pending or confirmed
/// - `validation_failed`: invalid reason
#[utoipa::path(
    operation_id = "cancel_session",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    request_body = ReasonRequest,
    responses((status = 200, description = "The session", body = SessionDto))
)]
#[post("/sessions/{id}/cancel")]
pub async fn cancel_session(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: ValidatedJson<ReasonRequest>,
) -> Result<web::Json<SessionDto>, ApiError> {
    let reason = body.0.reason.map(|r| r.into_inner());
    act(
        &state,
        &user,
        &client,
        id.into_inner(),
        Action::Cancel { reason },
    )
    .await
}

/// Moves a pending or confirmed session to another free slot (its learner or its coach), only
/// when both the current and the new start are 24 hours or more ahead. The other party is told.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change sessions
/// - `not_found`: no such session, or the caller takes no part in it
/// - `forbidden`: only the learner and the coach reschedule
/// - `invalid_transition`: the session is not pending or confirmed
/// - `too_late_to_reschedule`: the session, or the new time, is less than 24 hours ahead
/// - `slot_unavailable`: the new time is not a free slot of the coach, or the learner is busy then
/// - `plan_balance_unavailable`: a package session moved past its plan's expiry
/// - `booked_in_calendly`: the session was booked in Calendly, where it is rescheduled
/// - `validation_failed`: invalid time
#[utoipa::path(
    operation_id = "reschedule_session",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    request_body = RescheduleRequest,
    responses((status = 200, description = "The session", body = SessionDto))
)]
#[post("/sessions/{id}/reschedule")]
pub async fn reschedule_session(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: ValidatedJson<RescheduleRequest>,
) -> Result<web::Json<SessionDto>, ApiError> {
    let to = body.0.scheduled_at.into();
    act(
        &state,
        &user,
        &client,
        id.into_inner(),
        Action::Reschedule { to },
    )
    .await
}

/// Starts a confirmed session (its coach), from 15 minutes before its start.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change sessions
/// - `not_found`: no such session, or the caller takes no part in it
/// - `forbidden`: only the coach starts
/// - `invalid_transition`: the session is not confirmed
/// - `session_not_started`: more than 15 minutes before the start
#[utoipa::path(
    operation_id = "start_session",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The session", body = SessionDto))
)]
#[post("/sessions/{id}/start")]
pub async fn start_session(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
) -> Result<web::Json<SessionDto>, ApiError> {
    act(&state, &user, &client, id.into_inner(), Action::Start).await
}

/// Completes a session in progress (its coach); both parties may then leave feedback.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change sessions
/// - `not_found`: no such session, or the caller takes no part in it
/// - `forbidden`: only the coach completes
/// - `invalid_transition`: the session is not in progress
#[utoipa::path(
    operation_id = "complete_session",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The session", body = SessionDto))
)]
#[post("/sessions/{id}/complete")]
pub async fn complete_session(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
) -> Result<web::Json<SessionDto>, ApiError> {
    act(&state, &user, &client, id.into_inner(), Action::Complete).await
}

/// Marks a confirmed session whose start has passed as missed by the learner (its coach). No
/// refund.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot change sessions
/// - `not_found`: no such session, or the caller takes no part in it
/// - `forbidden`: only the coach marks a no-show
/// - `invalid_transition`: the session is not confirmed
/// - `session_not_started`: the start has not passed
#[utoipa::path(
    operation_id = "mark_session_no_show",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The session", body = SessionDto))
)]
#[post("/sessions/{id}/no-show")]
pub async fn mark_no_show(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
) -> Result<web::Json<SessionDto>, ApiError> {
    act(&state, &user, &client, id.into_inner(), Action::NoShow).await
}

/// The recordings of a session that have not expired (its participants and administrators).
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `coaching:read`
/// - `not_found`: no such session, or the caller takes no part in it
#[utoipa::path(
    operation_id = "list_session_recordings",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:read"])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The recordings", body = Vec<RecordingDto>))
)]
#[get("/sessions/{id}/recordings")]
pub async fn list_recordings(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<RecordingDto>>, ApiError> {
    let rows = recordings::list(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// Adds a recording to a session that has started (its coach, or an administrator).
///
/// Problems:
/// - `insufficient_scope`: API keys cannot add recordings
/// - `not_found`: no such session, or the caller takes no part in it
/// - `forbidden`: learners cannot add recordings
/// - `session_not_held`: the session has not started
/// - `validation_failed`: invalid URL, duration, or an expiry that is not in the future
#[utoipa::path(
    operation_id = "add_session_recording",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    request_body = RecordingRequest,
    responses((status = 201, description = "The recording", body = RecordingDto))
)]
#[post("/sessions/{id}/recordings")]
pub async fn add_recording(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<RecordingRequest>,
) -> Result<HttpResponse, ApiError> {
    let row = recordings::add(&state.db, &user.0, id.into_inner(), body.0.into()).await?;
    Ok(HttpResponse::Created().json(RecordingDto::from(row)))
}

/// The feedback given on a session (its participants and administrators).
///
/// Problems:
/// - `insufficient_scope`: the API key lacks `coaching:read`
/// - `not_found`: no such session, or the caller takes no part in it
#[utoipa::path(
    operation_id = "list_session_feedback",
    tag = "coaching",
    security(("bearer" = []), ("apiKey" = ["coaching:read"])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The feedback", body = Vec<FeedbackDto>))
)]
#[get("/sessions/{id}/feedback")]
pub async fn list_feedback(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<FeedbackDto>>, ApiError> {
    let rows = feedback::list(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// Gives feedback on a completed session (its learner or its coach, once each). The learner's
/// rating counts in the coach's `ratingAvg` and `ratingCount`.
///
/// Problems:
/// - `insufficient_scope`: API keys cannot give feedback
/// - `not_found`: no such session, or the caller takes no part in it
/// - `forbidden`: administrators who take no part cannot give feedback
/// - `session_not_completed`: the session is not completed
/// - `feedback_exists`: the caller already gave feedback on it
/// - `validation_failed`: rating not 1-5, or comment too long
#[utoipa::path(
    operation_id = "give_session_feedback",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    request_body = FeedbackRequest,
    responses((status = 201, description = "The feedback", body = FeedbackDto))
)]
#[post("/sessions/{id}/feedback")]
pub async fn give_feedback(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<FeedbackRequest>,
) -> Result<HttpResponse, ApiError> {
    let row = feedback::give(&state.db, &user.0, id.into_inner(), body.0.into()).await?;
    Ok(HttpResponse::Created().json(FeedbackDto::from(row)))
}
