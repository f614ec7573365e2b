//! Quizzes of quiz lessons: taking them (enrolled learners) and authoring their questions
//! (administrators and the course's instructor).

use actix_web::{HttpResponse, get, post, put, web};
use service::courses::quizzes;

use super::dto::{GradedDto, QuizDto, QuizQuestionsDto, QuizQuestionsRequest, QuizSubmission};
use crate::error::ApiError;
use crate::extract::{AuthUser, ValidatedJson};
use crate::state::AppState;

/// The questions of a quiz lesson, without answers, and the caller's attempts so far.
///
/// Problems:
/// - `enrollment_required`
/// - `not_found`: no such quiz
#[utoipa::path(
    operation_id = "get_quiz",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["learning:read"])),
    params(("id" = i64, Path, description = "Quiz lesson id")),
    responses(
        (status = 200, description = "The quiz", body = QuizDto),
    )
)]
#[get("/lessons/{id}/quiz")]
pub async fn get_quiz(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<QuizDto>, ApiError> {
    let quiz = quizzes::get(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(quiz.into()))
}

/// Submits an attempt; it is graded at once. A pass completes the quiz lesson.
///
/// When the quiz was the course's last lesson to complete, a pass completes the course; its
/// certificate is issued to a verified account, or once the e-mail address is verified.
///
/// The answer always carries the score and the attempts remaining. Per-question results
/// (`correct` and the explanations) come only with the attempt that ends the quiz for the
/// learner: the passing attempt (or any attempt after a pass) or the last attempt allowed;
/// before that `results` is `null`, so comparing failed attempts cannot reveal the answers.
///
/// Problems:
/// - `enrollment_required`
/// - `not_found`: no such quiz
/// - `attempt_in_progress`
/// - `attempts_exhausted`: no attempt left
/// - `quiz_has_no_questions`: nothing to answer yet
/// - `validation_failed`: invalid answers
#[utoipa::path(
    operation_id = "submit_quiz",
    tag = "courses",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Quiz lesson id")),
    request_body = QuizSubmission,
    responses(
        (status = 201, description = "The graded attempt", body = GradedDto),
    )
)]
#[post("/lessons/{id}/quiz")]
pub async fn submit_quiz(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<QuizSubmission>,
) -> Result<HttpResponse, ApiError> {
    let graded = quizzes::submit(
        &state.db,
        &state.deps.signer,
        &user.0,
        id.into_inner(),
        body.0.into(),
    )
    .await?;
    Ok(HttpResponse::Created().json(GradedDto::from(graded)))
}

/// Replaces the questions of a quiz lesson (administrators and the course's instructor). The
/// response, for authors only, includes the answers.
///
/// Problems:
/// - `forbidden`: not an author of the course
/// - `not_found`: no such quiz
/// - `validation_failed`: invalid questions
#[utoipa::path(
    operation_id = "put_quiz_questions",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Quiz lesson id")),
    request_body = QuizQuestionsRequest,
    responses(
        (status = 200, description = "The saved questions", body = QuizQuestionsDto),
    )
)]
#[put("/lessons/{id}/quiz/questions")]
pub async fn put_quiz_questions(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<QuizQuestionsRequest>,
) -> Result<web::Json<QuizQuestionsDto>, ApiError> {
    let saved =
        quizzes::replace_questions(&state.db, &user.0, id.into_inner(), body.0.into()).await?;
    Ok(web::Json(saved.into()))
}
