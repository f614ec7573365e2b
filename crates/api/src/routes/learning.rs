//! Learning: enrollment, quizzes, lesson progress (online and offline), course progress,
//! snapshots and SLE results.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use entity::enrollments::enrollments;
use entity::enums::{
    CourseLanguage, EnrollmentSource, EnrollmentStatus, SleLevel, SleSkill, SleSource,
};
use serde::{Deserialize, Serialize};
use service::courses::quizzes;
use service::progress::{self, Operation, Outcome, snapshots};
use service::users::sle;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::dto::{Page, PageQuery};
use crate::error::{ApiError, ProblemDetails};
use crate::extract::{AuthUser, ClientInfo, ValidatedJson};
use crate::state::AppState;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(enroll)
        .service(my_enrollments)
        .service(admin_grant)
        .service(get_quiz)
        .service(submit_quiz)
        .service(put_quiz_questions)
        .service(put_progress)
        .service(course_progress)
        .service(sync_progress)
        .service(my_snapshots)
        .service(get_sle_results)
        .service(put_sle_results);
}

/// An enrollment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnrollmentDto {
    pub id: i64,
    pub user_id: i64,
    pub course_id: i64,
    pub status: EnrollmentStatus,
    pub source: EnrollmentSource,
    /// Course progress 0-100.
    pub progress: i32,
    pub enrolled_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<enrollments::Model> for EnrollmentDto {
    fn from(e: enrollments::Model) -> Self {
        Self {
            id: e.id,
            user_id: e.user_id,
            course_id: e.course_id,
            status: e.status,
            source: e.source,
            progress: e.progress,
            enrolled_at: e.enrolled_at,
            completed_at: e.completed_at,
            expires_at: e.expires_at,
        }
    }
}

/// The course of one of my enrollments.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnrolledCourseDto {
    pub id: i64,
    pub title: String,
    pub title_fr: String,
    pub slug: String,
    pub level: String,
    pub language: CourseLanguage,
}

/// One of my enrollments with its course.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyEnrollmentDto {
    #[serde(flatten)]
    pub enrollment: EnrollmentDto,
    pub course: EnrolledCourseDto,
}

/// An administrator's grant.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrantRequest {
    pub user_id: i64,
    pub course_id: i64,
}

/// Enrolls the caller in a free published course. Paid courses answer 402 `payment_required`:
/// they are entered through a payment, a learning path, a subscription or an administrator.
#[utoipa::path(
    operation_id = "enroll",
    tag = "learning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 201, description = "Enrolled", body = EnrollmentDto),
        (status = 402, description = "`payment_required`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such published course", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`already_enrolled`", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/courses/{id}/enroll")]
pub async fn enroll(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let enrollment = service::enrollments::enroll_free(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Created().json(EnrollmentDto::from(enrollment)))
}

/// The caller's enrollments, newest first.
#[utoipa::path(
    operation_id = "list_my_enrollments",
    tag = "learning",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of enrollments", body = Page<MyEnrollmentDto>),
        (status = 422, description = "Invalid limit or cursor", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/users/me/enrollments")]
pub async fn my_enrollments(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<MyEnrollmentDto>>, ApiError> {
    let page = service::enrollments::mine(&state.db, &user.0, page.page()?).await?;
    Ok(web::Json(Page::from_page(page, |(e, c)| MyEnrollmentDto {
        enrollment: e.into(),
        course: EnrolledCourseDto {
            id: c.id,
            title: c.title,
            title_fr: c.title_fr,
            slug: c.slug,
            level: c.level,
            language: c.language,
        },
    })))
}

/// Enrolls a user in a published course, paid or free (administrators; audited).
#[utoipa::path(
    operation_id = "admin_grant_enrollment",
    tag = "learning",
    security(("bearer" = [])),
    request_body = GrantRequest,
    responses(
        (status = 201, description = "Enrolled (or already enrolled)", body = EnrollmentDto),
        (status = 403, description = "Not an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Unknown user or course", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/admin/enrollments")]
pub async fn admin_grant(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: ValidatedJson<GrantRequest>,
) -> Result<HttpResponse, ApiError> {
    let enrollment = service::enrollments::admin_grant(
        &state.db,
        &user.0,
        body.0.user_id,
        body.0.course_id,
        &client.0,
    )
    .await?;
    Ok(HttpResponse::Created().json(EnrollmentDto::from(enrollment)))
}

/// A quiz question as learners see it (never with its answer).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuizQuestionDto {
    pub id: i64,
    pub question: String,
    pub question_fr: String,
    /// The options, in order; answer with the index of the chosen one.
    #[schema(value_type = Vec<String>)]
    pub options: serde_json::Value,
    pub order: i32,
}

/// A quiz and the caller's standing.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuizDto {
    pub lesson_id: i64,
    /// Score needed to pass, in percent.
    pub pass_mark: i32,
    pub max_attempts: i32,
    pub attempts_used: i32,
    pub passed: bool,
    pub questions: Vec<QuizQuestionDto>,
}

/// One answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnswerDto {
    pub question_id: i64,
    /// The index of the chosen option.
    #[schema(value_type = i64)]
    pub answer: serde_json::Value,
}

/// An attempt.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuizSubmission {
    #[validate(length(max = 100))]
    pub answers: Vec<AnswerDto>,
}

/// Grading of one question.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuestionResultDto {
    pub question_id: i64,
    pub correct: bool,
    pub explanation: Option<String>,
    pub explanation_fr: Option<String>,
}

/// A graded attempt.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GradedDto {
    pub attempt_number: i32,
    /// Percent of questions answered correctly.
    pub score: i32,
    pub passed: bool,
    pub attempts_remaining: i32,
    pub results: Vec<QuestionResultDto>,
    /// The quiz lesson's progress after a pass (it is then completed).
    pub lesson_progress: Option<LessonProgressDto>,
}

/// A question to author.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthoredQuestionDto {
    pub question: String,
    pub question_fr: String,
    #[schema(value_type = Vec<String>)]
    pub options: serde_json::Value,
    /// Index of the correct option.
    #[schema(value_type = i64)]
    pub correct_answer: serde_json::Value,
    pub explanation: Option<String>,
    pub explanation_fr: Option<String>,
}

/// The full question set of a quiz.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuizQuestionsRequest {
    pub questions: Vec<AuthoredQuestionDto>,
}

/// The questions of a quiz lesson, without answers, and the caller's attempts so far.
#[utoipa::path(
    operation_id = "get_quiz",
    tag = "learning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Quiz lesson id")),
    responses(
        (status = 200, description = "The quiz", body = QuizDto),
        (status = 403, description = "`enrollment_required`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such quiz", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/lessons/{id}/quiz")]
pub async fn get_quiz(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<QuizDto>, ApiError> {
    let quiz = quizzes::get(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(QuizDto {
        lesson_id: quiz.lesson_id,
        pass_mark: quiz.pass_mark,
        max_attempts: quiz.max_attempts,
        attempts_used: quiz.attempts_used,
        passed: quiz.passed,
        questions: quiz
            .questions
            .into_iter()
            .map(|q| QuizQuestionDto {
                id: q.id,
                question: q.question,
                question_fr: q.question_fr,
                options: q.options,
                order: q.order,
            })
            .collect(),
    }))
}

/// Submits an attempt; it is graded at once. A pass completes the quiz lesson.
#[utoipa::path(
    operation_id = "submit_quiz",
    tag = "learning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Quiz lesson id")),
    request_body = QuizSubmission,
    responses(
        (status = 201, description = "The graded attempt", body = GradedDto),
        (status = 403, description = "`enrollment_required`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such quiz", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`attempt_in_progress`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`attempts_exhausted`, `quiz_has_no_questions` or invalid answers", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/lessons/{id}/quiz")]
pub async fn submit_quiz(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<QuizSubmission>,
) -> Result<HttpResponse, ApiError> {
    let answers = body
        .0
        .answers
        .into_iter()
        .map(|a| quizzes::Answer {
            question_id: a.question_id,
            answer: a.answer,
        })
        .collect();
    let graded = quizzes::submit(
        &state.db,
        &state.deps.signer,
        &user.0,
        id.into_inner(),
        answers,
    )
    .await?;
    Ok(HttpResponse::Created().json(GradedDto {
        attempt_number: graded.attempt_number,
        score: graded.score,
        passed: graded.passed,
        attempts_remaining: graded.attempts_remaining,
        results: graded
            .results
            .into_iter()
            .map(|r| QuestionResultDto {
                question_id: r.question_id,
                correct: r.correct,
                explanation: r.explanation,
                explanation_fr: r.explanation_fr,
            })
            .collect(),
        lesson_progress: graded.lesson_progress.map(LessonProgressDto::from),
    }))
}

/// Replaces the questions of a quiz lesson (administrators and the course's instructor). The
/// response, for authors only, includes the answers.
#[utoipa::path(
    operation_id = "put_quiz_questions",
    tag = "learning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Quiz lesson id")),
    request_body = QuizQuestionsRequest,
    responses(
        (status = 200, description = "The saved questions", body = QuizQuestionsRequest),
        (status = 403, description = "Not an author of the course", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such quiz", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid questions", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[put("/lessons/{id}/quiz/questions")]
pub async fn put_quiz_questions(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<QuizQuestionsRequest>,
) -> Result<web::Json<QuizQuestionsRequest>, ApiError> {
    let questions = body
        .0
        .questions
        .into_iter()
        .map(|q| quizzes::NewQuestion {
            question: q.question,
            question_fr: q.question_fr,
            options: q.options,
            correct_answer: q.correct_answer,
            explanation: q.explanation,
            explanation_fr: q.explanation_fr,
        })
        .collect();
    let saved = quizzes::replace_questions(&state.db, &user.0, id.into_inner(), questions).await?;
    Ok(web::Json(QuizQuestionsRequest {
        questions: saved
            .into_iter()
            .map(|q| AuthoredQuestionDto {
                question: q.question,
                question_fr: q.question_fr,
                options: q.options,
                correct_answer: q.correct_answer,
                explanation: q.explanation,
                explanation_fr: q.explanation_fr,
            })
            .collect(),
    }))
}

/// Progress of a lesson.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LessonProgressDto {
    pub lesson_id: i64,
    /// 0-100; never decreases.
    pub progress: i32,
    /// Set once the lesson is completed; never cleared.
    pub completed_at: Option<DateTime<Utc>>,
    /// Total seconds spent in the lesson.
    pub time_spent_seconds: i64,
    /// Grows by one with every change.
    pub sync_version: i32,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// The caller's progress in the whole course, 0-100.
    pub course_progress: i32,
}

impl From<progress::LessonProgress> for LessonProgressDto {
    fn from(p: progress::LessonProgress) -> Self {
        Self {
            lesson_id: p.lesson_id,
            progress: p.progress,
            completed_at: p.completed_at,
            time_spent_seconds: p.time_spent_seconds,
            sync_version: p.sync_version,
            last_sync_at: p.last_sync_at,
            course_progress: p.course_progress,
        }
    }
}

/// A progress report from an online client.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgressRequest {
    #[validate(range(min = 0, max = 100))]
    #[schema(example = 60)]
    pub progress: i32,
    /// Seconds spent since the previous report (added to the total).
    #[validate(range(min = 0, max = 86400))]
    #[schema(example = 120)]
    pub time_spent_seconds: Option<i64>,
    /// Marks the lesson completed (sticky).
    pub completed: Option<bool>,
}

/// Records progress in a lesson of a course the caller is enrolled in (the same merge as the
/// offline sync: progress never decreases, completion is sticky, time adds up).
#[utoipa::path(
    operation_id = "put_lesson_progress",
    tag = "learning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Lesson id")),
    request_body = ProgressRequest,
    responses(
        (status = 200, description = "The merged progress", body = LessonProgressDto),
        (status = 403, description = "`enrollment_required`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such lesson", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[put("/lessons/{id}/progress")]
pub async fn put_progress(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<ProgressRequest>,
) -> Result<web::Json<LessonProgressDto>, ApiError> {
    let op = Operation {
        client_op_id: None,
        lesson_id: id.into_inner(),
        progress: body.0.progress,
        time_spent_seconds: body.0.time_spent_seconds.unwrap_or(0),
        completed: body.0.completed.unwrap_or(false),
        recorded_at: None,
        graded: false,
    };
    let view = progress::report(&state.db, &state.deps.signer, &user.0, op).await?;
    Ok(web::Json(view.into()))
}

/// Progress of the caller in a course.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CourseProgressDto {
    pub course_id: i64,
    /// Completed lessons of the caller over the lessons of the course, 0-100.
    pub progress: i32,
    pub completed_lessons: i64,
    pub total_lessons: i64,
    pub completed: bool,
}

/// The caller's progress in a course (404 unless enrolled).
#[utoipa::path(
    operation_id = "get_course_progress",
    tag = "learning",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 200, description = "Course progress", body = CourseProgressDto),
        (status = 404, description = "Not enrolled in this course", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/courses/{id}/progress")]
pub async fn course_progress(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<CourseProgressDto>, ApiError> {
    let p = progress::of_course(&state.db, &user.0, id.into_inner()).await?;
    Ok(web::Json(CourseProgressDto {
        course_id: p.course_id,
        progress: p.progress,
        completed_lessons: p.completed_lessons,
        total_lessons: p.total_lessons,
        completed: p.completed,
    }))
}

/// One offline operation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncOperationDto {
    /// Unique per learner and operation; a replay with the same id changes nothing.
    #[schema(example = "b7c2e0a4-2f1d-4c55-9a8e-0d8f6b2a1c11")]
    pub client_op_id: String,
    pub lesson_id: i64,
    #[schema(example = 80)]
    pub progress: i32,
    /// Seconds spent since the device's previous operation for this lesson.
    #[serde(default)]
    pub time_spent_seconds: i64,
    #[serde(default)]
    pub completed: bool,
    /// When the device recorded it; operations apply in this order.
    pub recorded_at: Option<DateTime<Utc>>,
}

/// A batch of offline operations (at most 500).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncRequest {
    #[schema(example = "ipad-7f3a")]
    pub device_id: Option<String>,
    pub operations: Vec<SyncOperationDto>,
}

/// Outcome of one operation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncResultDto {
    pub client_op_id: Option<String>,
    /// `applied`, `duplicate` (the same id twice in one batch) or `rejected`.
    #[schema(example = "applied")]
    pub status: String,
    /// Why an operation was rejected: `lesson_not_found`, `enrollment_required`, `invalid_operation`.
    pub code: Option<String>,
    pub lesson_progress: Option<LessonProgressDto>,
}

/// Results, in the order of the operations.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncResponse {
    pub results: Vec<SyncResultDto>,
}

/// Applies a batch of offline operations in one transaction, with a result per operation.
/// Replaying a batch (or part of it) returns the first results again and changes nothing.
/// Honours `Idempotency-Key`: the first reply to a key is replayed for the same body (with
/// `Idempotency-Replayed: true`); the key with another body answers 422 `idempotency_key_reused`.
#[utoipa::path(
    operation_id = "sync_progress",
    tag = "learning",
    security(("bearer" = [])),
    request_body = SyncRequest,
    responses(
        (status = 200, description = "Per-operation results", body = SyncResponse),
        (status = 409, description = "`idempotency_key_in_progress`: a request with this `Idempotency-Key` is still running", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: an empty or oversized batch, or operations without clientOpId; `idempotency_key_reused`: the `Idempotency-Key` was used with another body", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post(
    "/sync/progress",
    wrap = "actix_web::middleware::from_fn(crate::middleware::idempotency::replay)"
)]
pub async fn sync_progress(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<SyncRequest>,
) -> Result<web::Json<SyncResponse>, ApiError> {
    let SyncRequest {
        device_id,
        operations,
    } = body.0;
    let operations: Vec<Operation> = operations
        .into_iter()
        .map(|op| Operation {
            client_op_id: Some(op.client_op_id),
            lesson_id: op.lesson_id,
            progress: op.progress,
            time_spent_seconds: op.time_spent_seconds,
            completed: op.completed,
            recorded_at: op.recorded_at,
            graded: false,
        })
        .collect();
    progress::validate_batch(device_id.as_deref(), &operations)?;
    let results = progress::apply(
        &state.db,
        &state.deps.signer,
        &user.0,
        device_id.as_deref(),
        operations,
    )
    .await?;
    Ok(web::Json(SyncResponse {
        results: results
            .into_iter()
            .map(|r| SyncResultDto {
                client_op_id: r.client_op_id,
                status: match r.status {
                    Outcome::Applied => "applied",
                    Outcome::Duplicate => "duplicate",
                    Outcome::Rejected => "rejected",
                }
                .to_owned(),
                code: r.code,
                lesson_progress: r.lesson_progress.map(LessonProgressDto::from),
            })
            .collect(),
    }))
}

/// A daily snapshot of my progress in a course.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotDto {
    pub id: i64,
    pub course_id: i64,
    pub snapshot_date: NaiveDate,
    /// `{progress, status, lessonsTouched, timeSpentSeconds}` at the end of that day.
    pub snapshot: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// The caller's daily progress snapshots, newest first.
#[utoipa::path(
    operation_id = "list_my_progress_snapshots",
    tag = "learning",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of snapshots", body = Page<SnapshotDto>),
        (status = 422, description = "Invalid limit or cursor", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/users/me/progress-snapshots")]
pub async fn my_snapshots(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<SnapshotDto>>, ApiError> {
    let page = snapshots::mine(&state.db, &user.0, page.page()?).await?;
    Ok(web::Json(Page::from_page(page, |s| SnapshotDto {
        id: s.id,
        course_id: s.course_id,
        snapshot_date: s.snapshot_date,
        snapshot: s.snapshot,
        created_at: s.created_at,
    })))
}

/// One Second Language Evaluation result.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SleResultDto {
    pub skill: SleSkill,
    pub level: SleLevel,
    pub tested_at: Option<NaiveDate>,
    pub expires_at: Option<NaiveDate>,
    /// `official` or `assessment` (coach assessments are recorded by coaches).
    pub source: SleSource,
}

/// All of the caller's self-reported results.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SleResultsDto {
    #[validate(length(max = 20))]
    pub results: Vec<SleResultDto>,
}

fn sle_dto(rows: Vec<entity::users::sle_results::Model>) -> SleResultsDto {
    SleResultsDto {
        results: rows
            .into_iter()
            .map(|r| SleResultDto {
                skill: r.skill,
                level: r.level,
                tested_at: r.tested_at,
                expires_at: r.expires_at,
                source: r.source,
            })
            .collect(),
    }
}

/// The caller's SLE results.
#[utoipa::path(
    operation_id = "get_my_sle_results",
    tag = "learning",
    security(("bearer" = []), ("apiKey" = ["profile:read"])),
    responses(
        (status = 200, description = "My results", body = SleResultsDto),
    )
)]
#[get("/users/me/sle-results")]
pub async fn get_sle_results(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<SleResultsDto>, ApiError> {
    Ok(web::Json(sle_dto(sle::mine(&state.db, &user.0).await?)))
}

/// Replaces the caller's self-reported SLE results (one per skill and source).
#[utoipa::path(
    operation_id = "put_my_sle_results",
    tag = "learning",
    security(("bearer" = [])),
    request_body = SleResultsDto,
    responses(
        (status = 200, description = "The saved results", body = SleResultsDto),
        (status = 422, description = "Invalid results", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[put("/users/me/sle-results")]
pub async fn put_sle_results(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<SleResultsDto>,
) -> Result<web::Json<SleResultsDto>, ApiError> {
    let results = body
        .0
        .results
        .into_iter()
        .map(|r| sle::NewResult {
            skill: r.skill,
            level: r.level,
            tested_at: r.tested_at,
            expires_at: r.expires_at,
            source: r.source,
        })
        .collect();
    Ok(web::Json(sle_dto(
        sle::replace(&state.db, &user.0, results).await?,
    )))
}
