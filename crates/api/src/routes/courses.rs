//! `/courses`, `/modules`, `/lessons`, `/learning-paths`: the public catalog, course authoring
//! (administrators and the course's instructor), lessons with content for entitled callers,
//! reviews and learning paths.
//!
//! Editable resources (course, module, lesson) carry a weak `ETag` (`W/"<id>-<updatedAt µs>"`);
//! `PATCH`/`PUT` honour `If-Match` (412 `precondition_failed` when stale; without the header the
//! last writer wins).

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{ETAG, IF_MATCH, LOCATION};
use actix_web::{FromRequest, HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use entity::courses::{course_reviews, learning_paths, modules};
use entity::enums::{CourseLanguage, CourseStatus, LessonType};
use serde::{Deserialize, Deserializer, Serialize};
use service::courses::authoring::{self, CourseChanges, NewCourse};
use service::courses::catalog::{self, CourseOutline, LessonSummary, LessonView, ModuleOutline};
use service::courses::outline::{self, LessonChanges, ModuleChanges, NewLesson, NewModule};
use service::courses::paths::{self, PathDetail, PathSummary};
use service::courses::reviews::{self, NewReview, Review};
use service::courses::{CourseSummary, Key, Precondition, Rating, etag};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::dto::{Page, PageQuery};
use crate::error::{ApiError, ProblemDetails};
use crate::extract::{AuthUser, MaybeAuthUser, ValidatedJson};
use crate::state::AppState;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_courses)
        .service(create_course)
        .service(get_course)
        .service(update_course)
        .service(archive_course)
        .service(publish_course)
        .service(create_module)
        .service(reorder_modules)
        .service(update_module)
        .service(delete_module)
        .service(create_lesson)
        .service(reorder_lessons)
        .service(get_lesson)
        .service(update_lesson)
        .service(delete_lesson)
        .service(list_reviews)
        .service(create_review)
        .service(list_learning_paths)
        .service(get_learning_path);
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

/// The `If-Match` header, when sent. A header that is not text never matches.
#[derive(Debug, Clone)]
pub struct IfMatch(pub Option<Precondition>);

impl IfMatch {
    fn get(&self) -> Option<&Precondition> {
        self.0.as_ref()
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(IfMatch(req.headers().get(IF_MATCH).map(|value| {
            value
                .to_str()
                .map_or_else(|_| Precondition::Tags(Vec::new()), Precondition::parse)
        }))))
    }
}

fn tagged(status: StatusCode, tag: String, body: &impl Serialize) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((ETAG, tag))
        .json(body)
}

/// `PATCH` bodies: tells "absent" (`None`) from `null` (`Some(None)`).
fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

// ---------------------------------------------------------------------------------------------
// DTOs
// ---------------------------------------------------------------------------------------------

/// Rating summary of a course, from its reviews.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RatingDto {
    /// Mean rating (1-5, two decimals); null without reviews.
    #[schema(example = 4.67)]
    pub average: Option<f64>,
    /// Number of reviews.
    #[schema(example = 3)]
    pub count: i64,
}

impl From<Rating> for RatingDto {
    fn from(r: Rating) -> Self {
        Self {
            average: r.average,
            count: r.count,
        }
    }
}

/// A course.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CourseDto {
    #[schema(example = 12)]
    pub id: i64,
    #[schema(example = "SLE Oral Interaction, Level B")]
    pub title: String,
    #[schema(example = "ÉLS Interaction orale, niveau B")]
    pub title_fr: String,
    /// URL name; `GET /courses/{slug}` works like the id.
    #[schema(example = "sle-oral-interaction-level-b")]
    pub slug: String,
    #[schema(example = "Practise the oral test's tasks with feedback.")]
    pub description: String,
    #[schema(example = "Pratiquez les tâches du test oral avec rétroaction.")]
    pub description_fr: String,
    /// Price in cents, taxes included; 0 means free.
    #[schema(example = 14900)]
    pub price: i64,
    #[schema(example = "CAD")]
    pub currency: String,
    pub status: CourseStatus,
    pub language: CourseLanguage,
    /// SLE level (A, B, C) or CEFR level (A1-C2).
    #[schema(example = "B")]
    pub level: String,
    #[schema(example = "oral")]
    pub category: Option<String>,
    /// Whether completing the course earns a certificate.
    pub has_certificate: bool,
    #[schema(example = 7)]
    pub instructor_id: Option<i64>,
    /// Set on the first publication; the catalog is ordered by it.
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub rating: RatingDto,
}

impl From<CourseSummary> for CourseDto {
    fn from(s: CourseSummary) -> Self {
        let c = s.course;
        Self {
            id: c.id,
            title: c.title,
            title_fr: c.title_fr,
            slug: c.slug,
            description: c.description,
            description_fr: c.description_fr,
            price: c.price,
            currency: c.currency,
            status: c.status,
            language: c.language,
            level: c.level,
            category: c.category,
            has_certificate: c.has_certificate,
            instructor_id: c.instructor_id,
            published_at: c.published_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
            rating: s.rating.into(),
        }
    }
}

/// A lesson in a course outline (no content).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LessonSummaryDto {
    #[schema(example = 31)]
    pub id: i64,
    #[schema(example = "Describing your duties")]
    pub title: String,
    #[schema(example = "Décrire vos tâches")]
    pub title_fr: String,
    #[serde(rename = "type")]
    pub kind: LessonType,
    /// Seconds.
    #[schema(example = 600)]
    pub duration: i32,
    #[schema(example = 1)]
    pub order: i32,
    /// Preview lessons show their content to everyone.
    pub is_preview: bool,
}

impl From<LessonSummary> for LessonSummaryDto {
    fn from(l: LessonSummary) -> Self {
        Self {
            id: l.id,
            title: l.title,
            title_fr: l.title_fr,
            kind: l.r#type,
            duration: l.duration,
            order: l.order,
            is_preview: l.is_preview,
        }
    }
}

/// A module in a course outline, with its lessons in order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModuleOutlineDto {
    #[schema(example = 5)]
    pub id: i64,
    #[schema(example = "Talking about work")]
    pub title: String,
    #[schema(example = "Parler du travail")]
    pub title_fr: String,
    #[schema(example = 1)]
    pub order: i32,
    pub lessons: Vec<LessonSummaryDto>,
}

impl From<ModuleOutline> for ModuleOutlineDto {
    fn from(m: ModuleOutline) -> Self {
        Self {
            id: m.id,
            title: m.title,
            title_fr: m.title_fr,
            order: m.order,
            lessons: m.lessons.into_iter().map(Into::into).collect(),
        }
    }
}

/// A course with its outline: modules and lessons, ordered by `order`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CourseDetailDto {
    #[serde(flatten)]
    pub course: CourseDto,
    pub modules: Vec<ModuleOutlineDto>,
}

impl From<CourseOutline> for CourseDetailDto {
    fn from(o: CourseOutline) -> Self {
        Self {
            course: o.summary.into(),
            modules: o.modules.into_iter().map(Into::into).collect(),
        }
    }
}

/// A module.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModuleDto {
    #[schema(example = 5)]
    pub id: i64,
    #[schema(example = 12)]
    pub course_id: i64,
    #[schema(example = "Talking about work")]
    pub title: String,
    #[schema(example = "Parler du travail")]
    pub title_fr: String,
    #[schema(example = 1)]
    pub order: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<modules::Model> for ModuleDto {
    fn from(m: modules::Model) -> Self {
        Self {
            id: m.id,
            course_id: m.course_id,
            title: m.title,
            title_fr: m.title_fr,
            order: m.order,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A lesson. `content` and `contentFr` are null and `locked` is true for callers without
/// access to the course (unless the lesson is a preview).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LessonDto {
    #[schema(example = 31)]
    pub id: i64,
    #[schema(example = 5)]
    pub module_id: i64,
    #[schema(example = 12)]
    pub course_id: i64,
    #[schema(example = "Describing your duties")]
    pub title: String,
    #[schema(example = "Décrire vos tâches")]
    pub title_fr: String,
    /// The English content (Markdown or a media URL, by type).
    pub content: Option<String>,
    /// The French content.
    pub content_fr: Option<String>,
    #[serde(rename = "type")]
    pub kind: LessonType,
    /// Seconds.
    #[schema(example = 600)]
    pub duration: i32,
    #[schema(example = 1)]
    pub order: i32,
    pub is_preview: bool,
    /// Quiz pass mark in percent (70 when null).
    pub pass_mark: Option<i32>,
    /// Quiz attempt limit (3 when null).
    pub max_attempts: Option<i32>,
    /// Whether the content was withheld: enroll to read it.
    pub locked: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<LessonView> for LessonDto {
    fn from(v: LessonView) -> Self {
        let l = v.lesson;
        Self {
            id: l.id,
            module_id: l.module_id,
            course_id: v.course_id,
            title: l.title,
            title_fr: l.title_fr,
            content: l.content,
            content_fr: l.content_fr,
            kind: l.r#type,
            duration: l.duration,
            order: l.order,
            is_preview: l.is_preview,
            pass_mark: l.pass_mark,
            max_attempts: l.max_attempts,
            locked: v.locked,
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

/// A course review.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewDto {
    #[schema(example = 3)]
    pub id: i64,
    #[schema(example = 12)]
    pub course_id: i64,
    /// The reviewer's first name and last initial.
    #[schema(example = "Marie T.")]
    pub author_name: String,
    /// 1-5.
    #[schema(example = 5)]
    pub rating: i32,
    #[schema(example = "Clear, practical, and the mock interviews helped.")]
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Review> for ReviewDto {
    fn from(r: Review) -> Self {
        let review: course_reviews::Model = r.review;
        Self {
            id: review.id,
            course_id: review.course_id,
            author_name: r.author_name,
            rating: review.rating,
            comment: review.comment,
            created_at: review.created_at,
            updated_at: review.updated_at,
        }
    }
}

/// A learning path: a bundle of courses taken in order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LearningPathDto {
    #[schema(example = 2)]
    pub id: i64,
    #[schema(example = "SLE level B path")]
    pub title: String,
    #[schema(example = "Parcours ÉLS niveau B")]
    pub title_fr: String,
    #[schema(example = "sle-b-level-path")]
    pub slug: String,
    pub description: Option<String>,
    pub description_fr: Option<String>,
    #[schema(example = "B")]
    pub level: String,
    /// Price of the whole path in cents, taxes included.
    #[schema(example = 39900)]
    pub price: i64,
    #[schema(example = "CAD")]
    pub currency: String,
    pub status: CourseStatus,
    /// Number of published courses in the path.
    #[schema(example = 3)]
    pub course_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<PathSummary> for LearningPathDto {
    fn from(s: PathSummary) -> Self {
        let p: learning_paths::Model = s.path;
        Self {
            id: p.id,
            title: p.title,
            title_fr: p.title_fr,
            slug: p.slug,
            description: p.description,
            description_fr: p.description_fr,
            level: p.level,
            price: p.price,
            currency: p.currency,
            status: p.status,
            course_count: s.course_count,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A learning path with its published courses, in path order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LearningPathDetailDto {
    #[serde(flatten)]
    pub path: LearningPathDto,
    pub courses: Vec<CourseDto>,
}

impl From<PathDetail> for LearningPathDetailDto {
    fn from(d: PathDetail) -> Self {
        Self {
            path: d.summary.into(),
            courses: d.courses.into_iter().map(Into::into).collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// Catalog filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogQuery {
    pub language: Option<CourseLanguage>,
    /// `A`, `B`, `C` or `A1`-`C2` (case-insensitive).
    #[param(example = "B")]
    pub level: Option<String>,
    #[param(example = "oral")]
    pub category: Option<String>,
    /// Case-insensitive search in the English and French titles.
    #[param(example = "interaction")]
    pub q: Option<String>,
}

/// A new course (created as a `draft`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateCourseRequest {
    #[schema(example = "SLE Oral Interaction, Level B")]
    pub title: String,
    /// May be omitted while drafting; required to publish.
    #[schema(example = "ÉLS Interaction orale, niveau B")]
    pub title_fr: Option<String>,
    /// Lower-case letters, digits and dashes; derived from the title when omitted (a taken
    /// derived slug gets a `-2`, `-3`... suffix; a taken explicit one answers 409 `slug_taken`).
    #[schema(example = "sle-oral-interaction-level-b")]
    pub slug: Option<String>,
    pub description: Option<String>,
    pub description_fr: Option<String>,
    /// Cents, 0 or more (default 0: free).
    #[schema(example = 14900)]
    pub price: Option<i64>,
    /// Three upper-case letters (default `CAD`).
    #[schema(example = "CAD")]
    pub currency: Option<String>,
    pub language: CourseLanguage,
    /// `A`, `B`, `C` or `A1`-`C2`.
    #[schema(example = "B")]
    pub level: String,
    #[schema(example = "oral")]
    pub category: Option<String>,
    /// Default true.
    pub has_certificate: Option<bool>,
    /// Administrators only: a coach or administrator who teaches the course. A coach creating
    /// a course is its instructor.
    pub instructor_id: Option<i64>,
}

/// Changes to a course; omitted fields stay as they are. The status changes through
/// `publish` and `DELETE` only.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateCourseRequest {
    pub title: Option<String>,
    pub title_fr: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub description_fr: Option<String>,
    pub price: Option<i64>,
    pub currency: Option<String>,
    pub language: Option<CourseLanguage>,
    pub level: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub category: Option<Option<String>>,
    pub has_certificate: Option<bool>,
    /// Administrators only.
    pub instructor_id: Option<i64>,
}

/// A new module.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateModuleRequest {
    #[schema(example = "Talking about work")]
    pub title: String,
    #[schema(example = "Parler du travail")]
    pub title_fr: Option<String>,
    /// 1 or more, unique in the course (409 `order_taken`); after the last module when omitted.
    #[schema(example = 1)]
    pub order: Option<i32>,
}

/// Changes to a module.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateModuleRequest {
    pub title: Option<String>,
    pub title_fr: Option<String>,
    /// 1 or more, unique in the course (409 `order_taken`).
    pub order: Option<i32>,
}

/// A new lesson.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateLessonRequest {
    #[schema(example = "Describing your duties")]
    pub title: String,
    #[schema(example = "Décrire vos tâches")]
    pub title_fr: Option<String>,
    pub content: Option<String>,
    pub content_fr: Option<String>,
    #[serde(rename = "type")]
    pub kind: LessonType,
    /// Seconds, 0 or more (default 0).
    #[schema(example = 600)]
    pub duration: Option<i32>,
    /// 1 or more, unique in the module (409 `order_taken`); after the last lesson when omitted.
    #[schema(example = 1)]
    pub order: Option<i32>,
    /// Default false.
    pub is_preview: Option<bool>,
    /// Quiz pass mark in percent, 0-100 (70 when omitted).
    pub pass_mark: Option<i32>,
    /// Quiz attempt limit, 1 or more (3 when omitted).
    pub max_attempts: Option<i32>,
}

/// Changes to a lesson; `null` clears the nullable fields.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateLessonRequest {
    pub title: Option<String>,
    pub title_fr: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub content: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub content_fr: Option<Option<String>>,
    #[serde(rename = "type")]
    pub kind: Option<LessonType>,
    pub duration: Option<i32>,
    pub order: Option<i32>,
    pub is_preview: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>)]
    pub pass_mark: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>)]
    pub max_attempts: Option<Option<i32>>,
}

/// The new order of a course's modules: every module id exactly once.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReorderModulesRequest {
    #[schema(example = json!([6, 5, 7]))]
    pub module_ids: Vec<i64>,
}

/// The new order of a module's lessons: every lesson id exactly once.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReorderLessonsRequest {
    #[schema(example = json!([32, 31]))]
    pub lesson_ids: Vec<i64>,
}

/// A review.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateReviewRequest {
    /// 1-5.
    #[schema(example = 5)]
    pub rating: i32,
    /// At most 5000 characters.
    #[schema(example = "Clear, practical, and the mock interviews helped.")]
    pub comment: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Courses
// ---------------------------------------------------------------------------------------------

/// The public catalog: published courses, most recently published first, each with its rating.
#[utoipa::path(
    operation_id = "list_courses",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(PageQuery, CatalogQuery),
    responses(
        (status = 200, description = "A page of published courses", body = Page<CourseDto>),
        (status = 400, description = "Malformed filter", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Credentials sent but invalid", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/courses")]
pub async fn list_courses(
    state: web::Data<AppState>,
    _user: MaybeAuthUser,
    page: web::Query<PageQuery>,
    filter: web::Query<CatalogQuery>,
) -> Result<web::Json<Page<CourseDto>>, ApiError> {
    let f = filter.into_inner();
    let filter = catalog::Filter {
        language: f.language,
        level: f.level,
        category: f.category,
        q: f.q,
    };
    let page = catalog::list(&state.db, filter, page.page()?).await?;
    Ok(web::Json(Page::from_page(page, CourseDto::from)))
}

/// Creates a draft course (administrators and coaches).
#[utoipa::path(
    operation_id = "create_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    request_body = CreateCourseRequest,
    responses(
        (status = 201, description = "The new draft", body = CourseDto,
            headers(("ETag" = String, description = "Version of the course"), ("Location" = String, description = "URL of the course"))),
        (status = 403, description = "`forbidden`: learners cannot create courses", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`slug_taken`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/courses")]
pub async fn create_course(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidatedJson<CreateCourseRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let input = NewCourse {
        title: b.title,
        title_fr: b.title_fr,
        slug: b.slug,
        description: b.description,
        description_fr: b.description_fr,
        price: b.price,
        currency: b.currency,
        language: b.language,
        level: b.level,
        category: b.category,
        has_certificate: b.has_certificate,
        instructor_id: b.instructor_id,
    };
    let course = authoring::create_course(&state.db, &user.0, input).await?;
    let tag = etag(course.course.id, course.course.updated_at);
    let location = format!("/api/v1/courses/{}", course.course.id);
    Ok(HttpResponse::Created()
        .insert_header((ETAG, tag))
        .insert_header((LOCATION, location))
        .json(CourseDto::from(course)))
}

/// A course with its rating and outline, by id or slug. Drafts and archived courses exist only
/// for administrators and the instructor.
#[utoipa::path(
    operation_id = "get_course",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Course id, or its slug", example = "sle-oral-interaction-level-b")),
    responses(
        (status = 200, description = "The course and its outline", body = CourseDetailDto,
            headers(("ETag" = String, description = "Version of the course (changes with its outline)"))),
        (status = 401, description = "Credentials sent but invalid", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/courses/{id}")]
pub async fn get_course(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let outline = catalog::get(&state.db, user.0.as_ref(), &Key::parse(&id)).await?;
    let course = &outline.summary.course;
    let tag = etag(course.id, course.updated_at);
    Ok(tagged(StatusCode::OK, tag, &CourseDetailDto::from(outline)))
}

/// Changes a course (administrators and its instructor). Send `If-Match` with the `ETag` you
/// read to avoid overwriting someone else's change.
#[utoipa::path(
    operation_id = "update_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Course id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being changed"),
    ),
    request_body = UpdateCourseRequest,
    responses(
        (status = 200, description = "The updated course", body = CourseDto,
            headers(("ETag" = String, description = "New version of the course"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`slug_taken`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: the course changed since it was read", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or non-writable fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[patch("/courses/{id}")]
pub async fn update_course(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<UpdateCourseRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let changes = CourseChanges {
        title: b.title,
        title_fr: b.title_fr,
        slug: b.slug,
        description: b.description,
        description_fr: b.description_fr,
        price: b.price,
        currency: b.currency,
        language: b.language,
        level: b.level,
        category: b.category,
        has_certificate: b.has_certificate,
        instructor_id: b.instructor_id,
    };
    let course =
        authoring::update_course(&state.db, &user.0, id.into_inner(), changes, if_match.get())
            .await?;
    let tag = etag(course.course.id, course.course.updated_at);
    Ok(tagged(StatusCode::OK, tag, &CourseDto::from(course)))
}

/// Archives a course: it leaves the catalog but keeps its enrollments, progress and
/// certificates (administrators and its instructor).
#[utoipa::path(
    operation_id = "archive_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[delete("/courses/{id}")]
pub async fn archive_course(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    authoring::archive_course(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publishes a course: it needs at least one module with at least one lesson, and English and
/// French titles on the course, its modules and lessons. Idempotent.
#[utoipa::path(
    operation_id = "publish_course",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 200, description = "The published course", body = CourseDto,
            headers(("ETag" = String, description = "New version of the course"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`course_changed`: the outline changed during publication", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`course_not_publishable` (no lesson yet) or `validation_failed` (missing titles, one entry per title)", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/courses/{id}/publish")]
pub async fn publish_course(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let course = authoring::publish_course(&state.db, &user.0, id.into_inner()).await?;
    let tag = etag(course.course.id, course.course.updated_at);
    Ok(tagged(StatusCode::OK, tag, &CourseDto::from(course)))
}

// ---------------------------------------------------------------------------------------------
// Modules
// ---------------------------------------------------------------------------------------------

/// Adds a module to a course (administrators and its instructor).
#[utoipa::path(
    operation_id = "create_module",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Course id")),
    request_body = CreateModuleRequest,
    responses(
        (status = 201, description = "The new module", body = ModuleDto,
            headers(("ETag" = String, description = "Version of the module"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_taken`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/courses/{id}/modules")]
pub async fn create_module(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<CreateModuleRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let input = NewModule {
        title: b.title,
        title_fr: b.title_fr,
        order: b.order,
    };
    let module = outline::create_module(&state.db, &user.0, id.into_inner(), input).await?;
    let tag = etag(module.id, module.updated_at);
    Ok(tagged(StatusCode::CREATED, tag, &ModuleDto::from(module)))
}

/// Puts a course's modules in a new order (every module id exactly once); `If-Match` is the
/// course's `ETag`.
#[utoipa::path(
    operation_id = "reorder_modules",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Course id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the course"),
    ),
    request_body = ReorderModulesRequest,
    responses(
        (status = 200, description = "The course with its new outline", body = CourseDetailDto,
            headers(("ETag" = String, description = "New version of the course"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`moduleIds` is not a permutation of the course's modules", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[put("/courses/{id}/modules/order")]
pub async fn reorder_modules(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<ReorderModulesRequest>,
) -> Result<HttpResponse, ApiError> {
    let outline = outline::reorder_modules(
        &state.db,
        &user.0,
        id.into_inner(),
        body.0.module_ids,
        if_match.get(),
    )
    .await?;
    let course = &outline.summary.course;
    let tag = etag(course.id, course.updated_at);
    Ok(tagged(StatusCode::OK, tag, &CourseDetailDto::from(outline)))
}

/// Changes a module (administrators and the course's instructor).
#[utoipa::path(
    operation_id = "update_module",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Module id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being changed"),
    ),
    request_body = UpdateModuleRequest,
    responses(
        (status = 200, description = "The updated module", body = ModuleDto,
            headers(("ETag" = String, description = "New version of the module"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such module, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_taken`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[patch("/modules/{id}")]
pub async fn update_module(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<UpdateModuleRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let changes = ModuleChanges {
        title: b.title,
        title_fr: b.title_fr,
        order: b.order,
    };
    let module =
        outline::update_module(&state.db, &user.0, id.into_inner(), changes, if_match.get())
            .await?;
    let tag = etag(module.id, module.updated_at);
    Ok(tagged(StatusCode::OK, tag, &ModuleDto::from(module)))
}

/// Deletes a module with its lessons (administrators and the course's instructor).
#[utoipa::path(
    operation_id = "delete_module",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Module id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such module, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[delete("/modules/{id}")]
pub async fn delete_module(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    outline::delete_module(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------------------------
// Lessons
// ---------------------------------------------------------------------------------------------

/// Adds a lesson to a module (administrators and the course's instructor).
#[utoipa::path(
    operation_id = "create_lesson",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Module id")),
    request_body = CreateLessonRequest,
    responses(
        (status = 201, description = "The new lesson", body = LessonDto,
            headers(("ETag" = String, description = "Version of the lesson"), ("Location" = String, description = "URL of the lesson"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such module, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_taken`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/modules/{id}/lessons")]
pub async fn create_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<CreateLessonRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let input = NewLesson {
        title: b.title,
        title_fr: b.title_fr,
        content: b.content,
        content_fr: b.content_fr,
        r#type: b.kind,
        duration: b.duration,
        order: b.order,
        is_preview: b.is_preview,
        pass_mark: b.pass_mark,
        max_attempts: b.max_attempts,
    };
    let lesson = outline::create_lesson(&state.db, &user.0, id.into_inner(), input).await?;
    let tag = etag(lesson.lesson.id, lesson.lesson.updated_at);
    let location = format!("/api/v1/lessons/{}", lesson.lesson.id);
    Ok(HttpResponse::Created()
        .insert_header((ETAG, tag))
        .insert_header((LOCATION, location))
        .json(LessonDto::from(lesson)))
}

/// Puts a module's lessons in a new order (every lesson id exactly once); `If-Match` is the
/// module's `ETag`.
#[utoipa::path(
    operation_id = "reorder_lessons",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Module id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the module"),
    ),
    request_body = ReorderLessonsRequest,
    responses(
        (status = 200, description = "The module with its lessons in the new order", body = ModuleOutlineDto,
            headers(("ETag" = String, description = "New version of the module"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such module, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`lessonIds` is not a permutation of the module's lessons", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[put("/modules/{id}/lessons/order")]
pub async fn reorder_lessons(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<ReorderLessonsRequest>,
) -> Result<HttpResponse, ApiError> {
    let (module, outline) = outline::reorder_lessons(
        &state.db,
        &user.0,
        id.into_inner(),
        body.0.lesson_ids,
        if_match.get(),
    )
    .await?;
    let tag = etag(module.id, module.updated_at);
    Ok(tagged(
        StatusCode::OK,
        tag,
        &ModuleOutlineDto::from(outline),
    ))
}

/// A lesson. Its content is returned to learners enrolled in the course, the instructor,
/// administrators, and everyone for preview lessons; otherwise it is null and `locked` is true.
#[utoipa::path(
    operation_id = "get_lesson",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = i64, Path, description = "Lesson id")),
    responses(
        (status = 200, description = "The lesson", body = LessonDto,
            headers(("ETag" = String, description = "Version of the lesson"))),
        (status = 401, description = "Credentials sent but invalid", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such lesson, or its course is not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/lessons/{id}")]
pub async fn get_lesson(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let lesson = catalog::lesson(&state.db, user.0.as_ref(), id.into_inner()).await?;
    let tag = etag(lesson.lesson.id, lesson.lesson.updated_at);
    Ok(tagged(StatusCode::OK, tag, &LessonDto::from(lesson)))
}

/// Changes a lesson (administrators and the course's instructor).
#[utoipa::path(
    operation_id = "update_lesson",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(
        ("id" = i64, Path, description = "Lesson id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being changed"),
    ),
    request_body = UpdateLessonRequest,
    responses(
        (status = 200, description = "The updated lesson", body = LessonDto,
            headers(("ETag" = String, description = "New version of the lesson"))),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such lesson, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_taken`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[patch("/lessons/{id}")]
pub async fn update_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: ValidatedJson<UpdateLessonRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let changes = LessonChanges {
        title: b.title,
        title_fr: b.title_fr,
        content: b.content,
        content_fr: b.content_fr,
        r#type: b.kind,
        duration: b.duration,
        order: b.order,
        is_preview: b.is_preview,
        pass_mark: b.pass_mark,
        max_attempts: b.max_attempts,
    };
    let lesson =
        outline::update_lesson(&state.db, &user.0, id.into_inner(), changes, if_match.get())
            .await?;
    let tag = etag(lesson.lesson.id, lesson.lesson.updated_at);
    Ok(tagged(StatusCode::OK, tag, &LessonDto::from(lesson)))
}

/// Deletes a lesson and the progress recorded on it (administrators and the course's
/// instructor).
#[utoipa::path(
    operation_id = "delete_lesson",
    tag = "courses",
    security(("bearer" = []), ("apiKey" = ["courses:write"])),
    params(("id" = i64, Path, description = "Lesson id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`forbidden`: not the instructor or an administrator", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such lesson, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[delete("/lessons/{id}")]
pub async fn delete_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    outline::delete_lesson(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------------------------
// Reviews
// ---------------------------------------------------------------------------------------------

/// Reviews of a course, newest first.
#[utoipa::path(
    operation_id = "list_reviews",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = i64, Path, description = "Course id"), PageQuery),
    responses(
        (status = 200, description = "A page of reviews", body = Page<ReviewDto>),
        (status = 401, description = "Credentials sent but invalid", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/courses/{id}/reviews")]
pub async fn list_reviews(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<i64>,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<ReviewDto>>, ApiError> {
    let page = reviews::list(&state.db, user.0.as_ref(), id.into_inner(), page.page()?).await?;
    Ok(web::Json(Page::from_page(page, ReviewDto::from)))
}

/// Reviews a course: once per learner, and only with an enrollment that opens the course.
#[utoipa::path(
    operation_id = "create_review",
    tag = "courses",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Course id")),
    request_body = CreateReviewRequest,
    responses(
        (status = 201, description = "The review", body = ReviewDto),
        (status = 403, description = "`enrollment_required`, or `insufficient_scope` for API keys", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such course, or not visible to the caller", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`already_reviewed`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid rating or comment", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/courses/{id}/reviews")]
pub async fn create_review(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: ValidatedJson<CreateReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = NewReview {
        rating: body.0.rating,
        comment: body.0.comment,
    };
    let review = reviews::create(&state.db, &user.0, id.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(ReviewDto::from(review)))
}

// ---------------------------------------------------------------------------------------------
// Learning paths
// ---------------------------------------------------------------------------------------------

/// Published learning paths, newest first, with their number of courses and price.
#[utoipa::path(
    operation_id = "list_learning_paths",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of learning paths", body = Page<LearningPathDto>),
        (status = 401, description = "Credentials sent but invalid", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/learning-paths")]
pub async fn list_learning_paths(
    state: web::Data<AppState>,
    _user: MaybeAuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<LearningPathDto>>, ApiError> {
    let page = paths::list(&state.db, page.page()?).await?;
    Ok(web::Json(Page::from_page(page, LearningPathDto::from)))
}

/// A learning path, by id or slug, with its published courses in order.
#[utoipa::path(
    operation_id = "get_learning_path",
    tag = "courses",
    security((), ("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Learning path id, or its slug", example = "sle-b-level-path")),
    responses(
        (status = 200, description = "The learning path and its courses", body = LearningPathDetailDto),
        (status = 401, description = "Credentials sent but invalid", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such published learning path", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/learning-paths/{id}")]
pub async fn get_learning_path(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<String>,
) -> Result<web::Json<LearningPathDetailDto>, ApiError> {
    let path = paths::get(&state.db, user.0.as_ref(), &Key::parse(&id)).await?;
    Ok(web::Json(path.into()))
}
