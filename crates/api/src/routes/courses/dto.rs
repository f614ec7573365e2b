//! Request and response types of the courses domain: the catalog, authoring (courses, modules,
//! lessons), reviews, learning paths and quizzes, with their `From` conversions.

use chrono::{DateTime, Utc};
use entity::courses::{course_reviews, learning_paths, modules, quiz_questions};
use entity::enums::{CourseLanguage, CourseStatus, LessonType};
use serde::{Deserialize, Serialize};
use service::courses::authoring::{self, CourseChanges, NewCourse};
use service::courses::catalog::{self, CourseOutline, LessonSummary, LessonView, ModuleOutline};
use service::courses::outline::{self, LessonChanges, ModuleChanges, NewLesson, NewModule};
use service::courses::paths::{PathDetail, PathSummary};
use service::courses::quizzes::{self, Graded, Quiz};
use service::courses::reviews::{self, NewReview, Review};
use service::courses::{CourseSummary, Rating, etag};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::bounded::{CurrencyCode, Id, Int, List, Text, checked_text, one_of};
use crate::dto::{Versioned, nullable};
use crate::routes::progress::dto::LessonProgressDto;

/// A course, module or lesson title.
pub type Title = Text<1, { authoring::MAX_TITLE }>;
checked_text! {
    /// A course's URL name: lower-case letters, digits and single dashes, not only digits.
    Slug: 1, authoring::MAX_SLUG,
    check = authoring::is_valid_slug,
    pattern = "^([a-z0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*|[0-9]+(-[a-z0-9]+)+)$",
    format = None,
    code = "invalid_slug",
    message = "must be lower-case letters, digits and single dashes, and not only digits"
}
/// A course description.
pub type Description = Text<0, { authoring::MAX_DESCRIPTION }>;
/// A course category.
pub type Category = Text<1, { authoring::MAX_CATEGORY }>;
/// A price in cents.
pub type Price = Int<0, { authoring::MAX_PRICE }>;
/// The position of a module in its course or of a lesson in its module.
pub type Order = Int<1, { outline::MAX_ORDER }>;
/// Lesson content.
pub type Content = Text<0, { outline::MAX_CONTENT }>;
/// A lesson duration in seconds.
pub type Seconds = Int<0, { outline::MAX_DURATION }>;
/// A percentage.
pub type Percent = Int<0, 100>;
/// A quiz attempt limit.
pub type Attempts = Int<1, { outline::MAX_QUIZ_ATTEMPTS }>;
/// A question or explanation text.
pub type QuestionText = Text<1, { quizzes::MAX_QUESTION_TEXT }>;
/// The index of a question's option.
pub type OptionIndex = Int<0, { quizzes::MAX_OPTIONS as i64 - 1 }>;

one_of! {
    /// A course level: SLE (`A`, `B`, `C`) or CEFR (`A1` to `C2`).
    Level = authoring::LEVELS
}

// ---------------------------------------------------------------------------------------------
// Responses
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
    /// Whether completing the course earns a certificate (issued once the learner's e-mail
    /// address is verified).
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

impl Versioned for CourseDto {
    fn etag(&self) -> String {
        etag(self.id, self.updated_at)
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

/// The course's version, which changes with its outline.
impl Versioned for CourseDetailDto {
    fn etag(&self) -> String {
        self.course.etag()
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

impl Versioned for ModuleDto {
    fn etag(&self) -> String {
        etag(self.id, self.updated_at)
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

impl Versioned for LessonDto {
    fn etag(&self) -> String {
        etag(self.id, self.updated_at)
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
    pub level: Option<Text<1, 8>>,
    pub category: Option<Text<1, { authoring::MAX_CATEGORY }>>,
    /// Case-insensitive search in the English and French titles.
    pub q: Option<Text<1, { authoring::MAX_TITLE }>>,
}

impl From<CatalogQuery> for catalog::Filter {
    fn from(q: CatalogQuery) -> Self {
        Self {
            language: q.language,
            level: q.level.map(Into::into),
            category: q.category.map(Into::into),
            q: q.q.map(Into::into),
        }
    }
}

/// A new course (created as a `draft`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "title": "SLE Oral Interaction, Level B",
    "titleFr": "ÉLS Interaction orale, niveau B",
    "slug": "sle-oral-interaction-level-b",
    "description": "Practise the oral interaction test with mock interviews.",
    "descriptionFr": "Préparez le test d'interaction orale avec des entrevues simulées.",
    "price": 14900,
    "currency": "CAD",
    "language": "fr",
    "level": "B",
    "category": "oral"
}))]
pub struct CreateCourseRequest {
    pub title: Title,
    /// May be omitted while drafting; required to publish.
    pub title_fr: Option<Title>,
    /// Lower-case letters, digits and dashes; derived from the title when omitted (a taken
    /// derived slug gets a `-2`, `-3`... suffix; a taken explicit one answers 409 `slug_taken`).
    pub slug: Option<Slug>,
    pub description: Option<Description>,
    pub description_fr: Option<Description>,
    /// Cents (default 0: free).
    pub price: Option<Price>,
    /// Default `CAD`.
    pub currency: Option<CurrencyCode>,
    pub language: CourseLanguage,
    pub level: Level,
    pub category: Option<Category>,
    /// Default true.
    pub has_certificate: Option<bool>,
    /// Administrators only: a coach or administrator who teaches the course. A coach creating
    /// a course is its instructor.
    pub instructor_id: Option<Id>,
}

impl From<CreateCourseRequest> for NewCourse {
    fn from(r: CreateCourseRequest) -> Self {
        Self {
            title: r.title.into(),
            title_fr: r.title_fr.map(Into::into),
            slug: r.slug.map(Into::into),
            description: r.description.map(Into::into),
            description_fr: r.description_fr.map(Into::into),
            price: r.price.map(Into::into),
            currency: r.currency.map(Into::into),
            language: r.language,
            level: r.level.into(),
            category: r.category.map(Into::into),
            has_certificate: r.has_certificate,
            instructor_id: r.instructor_id.map(Into::into),
        }
    }
}

/// Changes to a course; omitted fields stay as they are. The status changes through
/// `publish` and `DELETE` only.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"price": 12900, "category": null}))]
pub struct UpdateCourseRequest {
    pub title: Option<Title>,
    pub title_fr: Option<Title>,
    pub slug: Option<Slug>,
    pub description: Option<Description>,
    pub description_fr: Option<Description>,
    /// Cents.
    pub price: Option<Price>,
    pub currency: Option<CurrencyCode>,
    pub language: Option<CourseLanguage>,
    pub level: Option<Level>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    pub category: Option<Option<Category>>,
    pub has_certificate: Option<bool>,
    /// Administrators only.
    pub instructor_id: Option<Id>,
}

impl From<UpdateCourseRequest> for CourseChanges {
    fn from(r: UpdateCourseRequest) -> Self {
        Self {
            title: r.title.map(Into::into),
            title_fr: r.title_fr.map(Into::into),
            slug: r.slug.map(Into::into),
            description: r.description.map(Into::into),
            description_fr: r.description_fr.map(Into::into),
            price: r.price.map(Into::into),
            currency: r.currency.map(Into::into),
            language: r.language,
            level: r.level.map(Into::into),
            category: r.category.map(|c| c.map(Into::into)),
            has_certificate: r.has_certificate,
            instructor_id: r.instructor_id.map(Into::into),
        }
    }
}

/// A new module.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"title": "Talking about work", "titleFr": "Parler du travail", "order": 1}))]
pub struct CreateModuleRequest {
    pub title: Title,
    pub title_fr: Option<Title>,
    /// Unique in the course (409 `order_taken`); after the last module when omitted.
    pub order: Option<Order>,
}

impl From<CreateModuleRequest> for NewModule {
    fn from(r: CreateModuleRequest) -> Self {
        Self {
            title: r.title.into(),
            title_fr: r.title_fr.map(Into::into),
            order: r.order.map(Into::into),
        }
    }
}

/// Changes to a module.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"title": "Talking about your work", "order": 2}))]
pub struct UpdateModuleRequest {
    pub title: Option<Title>,
    pub title_fr: Option<Title>,
    /// Unique in the course (409 `order_taken`).
    pub order: Option<Order>,
}

impl From<UpdateModuleRequest> for ModuleChanges {
    fn from(r: UpdateModuleRequest) -> Self {
        Self {
            title: r.title.map(Into::into),
            title_fr: r.title_fr.map(Into::into),
            order: r.order.map(Into::into),
        }
    }
}

/// A new lesson.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "title": "Describing your duties",
    "titleFr": "Décrire vos tâches",
    "content": "Listen to the model answer, then describe your own duties in two minutes.",
    "contentFr": "Écoutez la réponse modèle, puis décrivez vos tâches en deux minutes.",
    "type": "video",
    "duration": 600,
    "order": 1
}))]
pub struct CreateLessonRequest {
    pub title: Title,
    pub title_fr: Option<Title>,
    pub content: Option<Content>,
    pub content_fr: Option<Content>,
    #[serde(rename = "type")]
    pub kind: LessonType,
    /// Seconds (default 0).
    pub duration: Option<Seconds>,
    /// Unique in the module (409 `order_taken`); after the last lesson when omitted.
    pub order: Option<Order>,
    /// Default false.
    pub is_preview: Option<bool>,
    /// Quiz pass mark in percent (70 when omitted).
    pub pass_mark: Option<Percent>,
    /// Quiz attempt limit (3 when omitted).
    pub max_attempts: Option<Attempts>,
}

impl From<CreateLessonRequest> for NewLesson {
    fn from(r: CreateLessonRequest) -> Self {
        Self {
            title: r.title.into(),
            title_fr: r.title_fr.map(Into::into),
            content: r.content.map(Into::into),
            content_fr: r.content_fr.map(Into::into),
            r#type: r.kind,
            duration: r.duration.map(Into::into),
            order: r.order.map(Into::into),
            is_preview: r.is_preview,
            pass_mark: r.pass_mark.map(Into::into),
            max_attempts: r.max_attempts.map(Into::into),
        }
    }
}

/// Changes to a lesson; `null` clears the nullable fields.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"duration": 720, "passMark": null}))]
pub struct UpdateLessonRequest {
    pub title: Option<Title>,
    pub title_fr: Option<Title>,
    #[serde(default, deserialize_with = "nullable")]
    pub content: Option<Option<Content>>,
    #[serde(default, deserialize_with = "nullable")]
    pub content_fr: Option<Option<Content>>,
    #[serde(rename = "type")]
    pub kind: Option<LessonType>,
    /// Seconds.
    pub duration: Option<Seconds>,
    /// Unique in the module (409 `order_taken`).
    pub order: Option<Order>,
    pub is_preview: Option<bool>,
    /// Quiz pass mark in percent; `null` restores the default (70).
    #[serde(default, deserialize_with = "nullable")]
    pub pass_mark: Option<Option<Percent>>,
    /// Quiz attempt limit; `null` restores the default (3).
    #[serde(default, deserialize_with = "nullable")]
    pub max_attempts: Option<Option<Attempts>>,
}

impl From<UpdateLessonRequest> for LessonChanges {
    fn from(r: UpdateLessonRequest) -> Self {
        Self {
            title: r.title.map(Into::into),
            title_fr: r.title_fr.map(Into::into),
            content: r.content.map(|c| c.map(Into::into)),
            content_fr: r.content_fr.map(|c| c.map(Into::into)),
            r#type: r.kind,
            duration: r.duration.map(Into::into),
            order: r.order.map(Into::into),
            is_preview: r.is_preview,
            pass_mark: r.pass_mark.map(|p| p.map(Into::into)),
            max_attempts: r.max_attempts.map(|m| m.map(Into::into)),
        }
    }
}

/// The new order of a course's modules: every module id exactly once.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"moduleIds": [6, 5, 7]}))]
pub struct ReorderModulesRequest {
    #[schema(example = json!([6, 5, 7]))]
    pub module_ids: List<Id, 1, { outline::MAX_REORDER }>,
}

/// The new order of a module's lessons: every lesson id exactly once.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"lessonIds": [32, 31]}))]
pub struct ReorderLessonsRequest {
    #[schema(example = json!([32, 31]))]
    pub lesson_ids: List<Id, 1, { outline::MAX_REORDER }>,
}

/// A review.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"rating": 5, "comment": "Clear, practical, and the mock interviews helped."}))]
pub struct CreateReviewRequest {
    /// Stars.
    pub rating: Int<1, 5>,
    pub comment: Option<Text<0, { reviews::MAX_COMMENT }>>,
}

impl From<CreateReviewRequest> for NewReview {
    fn from(r: CreateReviewRequest) -> Self {
        Self {
            rating: r.rating.into(),
            comment: r.comment.map(Into::into),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Quizzes
// ---------------------------------------------------------------------------------------------

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

impl From<quizzes::Question> for QuizQuestionDto {
    fn from(q: quizzes::Question) -> Self {
        Self {
            id: q.id,
            question: q.question,
            question_fr: q.question_fr,
            options: q.options,
            order: q.order,
        }
    }
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

impl From<Quiz> for QuizDto {
    fn from(quiz: Quiz) -> Self {
        Self {
            lesson_id: quiz.lesson_id,
            pass_mark: quiz.pass_mark,
            max_attempts: quiz.max_attempts,
            attempts_used: quiz.attempts_used,
            passed: quiz.passed,
            questions: quiz.questions.into_iter().map(Into::into).collect(),
        }
    }
}

/// One answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnswerDto {
    pub question_id: Id,
    /// The index of the chosen option.
    pub answer: OptionIndex,
}

impl From<AnswerDto> for quizzes::Answer {
    fn from(a: AnswerDto) -> Self {
        Self {
            question_id: a.question_id.into(),
            answer: serde_json::Value::from(a.answer.get()),
        }
    }
}

/// An attempt.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"answers": [{"questionId": 41, "answer": 2}, {"questionId": 42, "answer": 0}]}))]
pub struct QuizSubmission {
    pub answers: List<AnswerDto, 0, { quizzes::MAX_QUESTIONS }>,
}

impl From<QuizSubmission> for Vec<quizzes::Answer> {
    fn from(s: QuizSubmission) -> Self {
        s.answers.convert()
    }
}

/// Grading of one question (only in an attempt that ends the quiz: see `GradedDto.results`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuestionResultDto {
    pub question_id: i64,
    /// Whether this attempt answered the question correctly.
    pub correct: bool,
    /// The author's explanation of the answer, in English.
    pub explanation: Option<String>,
    /// The author's explanation of the answer, in French.
    pub explanation_fr: Option<String>,
}

impl From<quizzes::QuestionResult> for QuestionResultDto {
    fn from(r: quizzes::QuestionResult) -> Self {
        Self {
            question_id: r.question_id,
            correct: r.correct,
            explanation: r.explanation,
            explanation_fr: r.explanation_fr,
        }
    }
}

/// A graded attempt. While the quiz is still open for the learner (not passed, attempts left) it
/// tells only the score and the attempts remaining; which questions were right, and their
/// explanations, come with the attempt that ends the quiz: the one that passes (or any later
/// one) or the last one allowed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GradedDto {
    /// 1 for the first attempt.
    pub attempt_number: i32,
    /// Percent of questions answered correctly.
    pub score: i32,
    /// Whether this attempt reached the pass mark.
    pub passed: bool,
    /// Attempts the learner may still submit (0 after the last one).
    pub attempts_remaining: i32,
    /// Per-question grading, one item per question of the quiz: only when this attempt passes,
    /// follows a pass, or is the last one allowed (`attemptsRemaining` 0); `null` otherwise, so
    /// that failed attempts cannot be compared to rebuild the answers.
    pub results: Option<Vec<QuestionResultDto>>,
    /// The quiz lesson's progress after a pass (it is then completed).
    pub lesson_progress: Option<LessonProgressDto>,
}

impl From<Graded> for GradedDto {
    fn from(g: Graded) -> Self {
        Self {
            attempt_number: g.attempt_number,
            score: g.score,
            passed: g.passed,
            attempts_remaining: g.attempts_remaining,
            results: g
                .results
                .map(|results| results.into_iter().map(Into::into).collect()),
            lesson_progress: g.lesson_progress.map(Into::into),
        }
    }
}

/// A question as its authors see it (with the answer).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
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

/// A question to author.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuestionInput {
    pub question: QuestionText,
    pub question_fr: QuestionText,
    /// The options, in order.
    pub options: List<Text<1, { quizzes::MAX_OPTION_TEXT }>, 2, { quizzes::MAX_OPTIONS }>,
    /// Index of the correct option.
    pub correct_answer: OptionIndex,
    pub explanation: Option<QuestionText>,
    pub explanation_fr: Option<QuestionText>,
}

impl From<QuestionInput> for quizzes::NewQuestion {
    fn from(q: QuestionInput) -> Self {
        Self {
            question: q.question.into(),
            question_fr: q.question_fr.into(),
            options: serde_json::Value::from(q.options.convert::<String>()),
            correct_answer: serde_json::Value::from(q.correct_answer.get()),
            explanation: q.explanation.map(Into::into),
            explanation_fr: q.explanation_fr.map(Into::into),
        }
    }
}

impl From<quiz_questions::Model> for AuthoredQuestionDto {
    fn from(q: quiz_questions::Model) -> Self {
        Self {
            question: q.question,
            question_fr: q.question_fr,
            options: q.options,
            correct_answer: q.correct_answer,
            explanation: q.explanation,
            explanation_fr: q.explanation_fr,
        }
    }
}

/// The full question set of a quiz, replacing the previous one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"questions": [{
    "question": "Which sentence is the most formal?",
    "questionFr": "Quelle phrase est la plus soutenue?",
    "options": ["Tu peux m'aider?", "Pourriez-vous m'aider?", "Aide-moi."],
    "correctAnswer": 1,
    "explanation": "The conditional with vous is the formal register.",
    "explanationFr": "Le conditionnel avec vous marque le registre soutenu."
}]}))]
pub struct QuizQuestionsRequest {
    pub questions: List<QuestionInput, 1, { quizzes::MAX_QUESTIONS }>,
}

impl From<QuizQuestionsRequest> for Vec<quizzes::NewQuestion> {
    fn from(r: QuizQuestionsRequest) -> Self {
        r.questions.convert()
    }
}

/// The full question set of a quiz, with the answers.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuizQuestionsDto {
    pub questions: Vec<AuthoredQuestionDto>,
}

impl From<Vec<quiz_questions::Model>> for QuizQuestionsDto {
    fn from(saved: Vec<quiz_questions::Model>) -> Self {
        Self {
            questions: saved.into_iter().map(Into::into).collect(),
        }
    }
}
