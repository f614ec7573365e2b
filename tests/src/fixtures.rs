//! `db_*` helpers: arrange rows directly in the database when going through the API would only
//! add noise to a test. Every helper inserts one row with realistic defaults and returns it.

use entity::enums::*;
use entity::{Secret, chat, coaching, courses, enrollments, hr, payments, users};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

fn inserted<T>(result: Result<T, sea_orm::DbErr>, what: &str) -> T {
    match result {
        Ok(model) => model,
        Err(err) => panic!("inserting {what} failed: {err}"),
    }
}

/// A learner (or any role) with an unusable password hash and a verified e-mail address (an
/// established account; accounts registered through the API start unverified).
pub async fn db_user(
    db: &impl ConnectionTrait,
    email: &str,
    role: UserRole,
) -> users::users::Model {
    let now = service::now();
    let row = users::users::ActiveModel {
        email: Set(email.to_owned()),
        password: Set(Secret::new("!unusable")),
        role: Set(role),
        first_name: Set("Test".to_owned()),
        last_name: Set("User".to_owned()),
        language: Set(Language::En),
        status: Set(UserStatus::Active),
        email_verified_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        credential_version: Set(0),
        event_seq: Set(0),
        ..Default::default()
    };
    inserted(row.insert(db).await, "user")
}

/// A published, free, bilingual course.
pub async fn db_course(
    db: &impl ConnectionTrait,
    slug: &str,
    instructor: Option<i64>,
) -> courses::courses::Model {
    let now = service::now();
    let row = courses::courses::ActiveModel {
        title: Set(format!("Course {slug}")),
        title_fr: Set(format!("Cours {slug}")),
        slug: Set(slug.to_owned()),
        description: Set("Oral interaction practice".to_owned()),
        description_fr: Set("Pratique de l'interaction orale".to_owned()),
        price: Set(0),
        currency: Set("CAD".to_owned()),
        status: Set(CourseStatus::Published),
        language: Set(CourseLanguage::Bilingual),
        level: Set("B".to_owned()),
        instructor_id: Set(instructor),
        has_certificate: Set(true),
        published_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    inserted(row.insert(db).await, "course")
}

pub async fn db_module(
    db: &impl ConnectionTrait,
    course_id: i64,
    order: i32,
) -> courses::modules::Model {
    let now = service::now();
    let row = courses::modules::ActiveModel {
        course_id: Set(course_id),
        title: Set(format!("Module {order}")),
        title_fr: Set(format!("Module {order} (FR)")),
        order: Set(order),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    inserted(row.insert(db).await, "module")
}

pub async fn db_lesson(
    db: &impl ConnectionTrait,
    module_id: i64,
    order: i32,
) -> courses::lessons::Model {
    let now = service::now();
    let row = courses::lessons::ActiveModel {
        module_id: Set(module_id),
        title: Set(format!("Lesson {order}")),
        title_fr: Set(format!("Leçon {order}")),
        content: Set(Some("Body".to_owned())),
        content_fr: Set(Some("Contenu".to_owned())),
        r#type: Set(LessonType::Text),
        duration: Set(600),
        order: Set(order),
        is_preview: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    inserted(row.insert(db).await, "lesson")
}

pub async fn db_enrollment(
    db: &impl ConnectionTrait,
    user_id: i64,
    course_id: i64,
) -> enrollments::enrollments::Model {
    let now = service::now();
    let row = enrollments::enrollments::ActiveModel {
        user_id: Set(user_id),
        course_id: Set(course_id),
        enrolled_at: Set(now),
        status: Set(EnrollmentStatus::Active),
        source: Set(EnrollmentSource::Free),
        progress: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    inserted(row.insert(db).await, "enrollment")
}

/// A coach profile for an existing user.
pub async fn db_coach_profile(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> coaching::coach_profiles::Model {
    let now = service::now();
    let row = coaching::coach_profiles::ActiveModel {
        user_id: Set(user_id),
        hourly_rate: Set(6500),
        trial_rate: Set(2500),
        currency: Set("CAD".to_owned()),
        payouts_enabled: Set(false),
        languages: Set(serde_json::json!(["fr", "en"])),
        timezone: Set("America/Toronto".to_owned()),
        sle_verified: Set(false),
        status: Set(CoachStatus::Active),
        rating_avg: Set(0.0),
        rating_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    inserted(row.insert(db).await, "coach profile")
}

pub async fn db_session(
    db: &impl ConnectionTrait,
    coach_id: i64,
    learner_id: i64,
) -> coaching::sessions::Model {
    let now = service::now();
    let row = coaching::sessions::ActiveModel {
        coach_id: Set(coach_id),
        learner_id: Set(learner_id),
        scheduled_at: Set(now + chrono::Duration::days(2)),
        status: Set(SessionStatus::Confirmed),
        r#type: Set(SessionType::Single),
        duration_minutes: Set(60),
        price: Set(6500),
        tax_amount: Set(845),
        currency: Set("CAD".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    inserted(row.insert(db).await, "session")
}

pub async fn db_payment(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: PaymentPurpose,
    reference_id: i64,
    amount: i64,
) -> payments::payments::Model {
    let now = service::now();
    let row = payments::payments::ActiveModel {
        user_id: Set(user_id),
        amount: Set(amount),
        currency: Set("CAD".to_owned()),
        status: Set(PaymentStatus::Succeeded),
        purpose: Set(purpose),
        reference_id: Set(reference_id),
        tax_amount: Set(0),
        discount_amount: Set(0),
        refunded_amount: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    inserted(row.insert(db).await, "payment")
}

pub async fn db_chat_room(
    db: &impl ConnectionTrait,
    kind: ChatRoomType,
    created_by: i64,
) -> chat::chat_rooms::Model {
    let now = service::now();
    let row = chat::chat_rooms::ActiveModel {
        name: Set(Some("Study group".to_owned())),
        r#type: Set(kind),
        created_by: Set(Some(created_by)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    inserted(row.insert(db).await, "chat room")
}

pub async fn db_organization(db: &impl ConnectionTrait, slug: &str) -> hr::organizations::Model {
    let now = service::now();
    let row = hr::organizations::ActiveModel {
        name: Set(format!("Department {slug}")),
        slug: Set(slug.to_owned()),
        status: Set(OrganizationStatus::Active),
        billing_email: Set(Some(format!("billing@{slug}.gc.ca"))),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    inserted(row.insert(db).await, "organization")
}
