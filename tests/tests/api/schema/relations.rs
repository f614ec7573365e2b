//! The entities walk the relation graph of every domain, and the database enforces their unique
//! keys.

use chrono::Utc;
use entity::enums::*;
use entity::{
    certificates, chat, coaching, courses, enrollments, hr, notifications, payments, progress,
    users,
};
use rusing_academy_tests::db::TestDb;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, EntityTrait, ModelTrait, Set};

#[tokio::test]
async fn duplicate_email_is_refused_by_the_database() {
    let db = TestDb::migrated().await;
    db_user(&db.conn, "marie@example.gc.ca", UserRole::Learner).await;

    let now = Utc::now();
    let duplicate = users::users::ActiveModel {
        email: Set("marie@example.gc.ca".to_owned()),
        password: Set(entity::Secret::new("!unusable")),
        role: Set(UserRole::Learner),
        first_name: Set("Marie".to_owned()),
        last_name: Set("Tremblay".to_owned()),
        language: Set(Language::Fr),
        status: Set(UserStatus::Active),
        created_at: Set(now),
        updated_at: Set(now),
        credential_version: Set(0),
        event_seq: Set(0),
        ..Default::default()
    };

    assert!(duplicate.insert(&db.conn).await.is_err());
    assert_eq!(
        users::users::Entity::find()
            .all(&db.conn)
            .await
            .expect("users")
            .len(),
        1
    );
}

#[tokio::test]
async fn accounts_round_trip_through_relations() {
    let db = TestDb::migrated().await;
    let user = db_user(&db.conn, "jean@example.gc.ca", UserRole::Learner).await;
    let now = Utc::now();
    users::user_profiles::ActiveModel {
        user_id: Set(user.id),
        timezone: Set("America/Toronto".to_owned()),
        department: Set(Some("Health Canada".to_owned())),
        target_language: Set(Some(TargetLanguage::French)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .expect("profile");
    entity::auth::refresh_tokens::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(entity::Secret::new("a".repeat(64))),
        family_id: Set("family-1".to_owned()),
        expires_at: Set(now + chrono::Duration::days(30)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .expect("refresh token");

    let profiles = user
        .find_related(users::user_profiles::Entity)
        .all(&db.conn)
        .await
        .expect("profiles");
    let tokens = user
        .find_related(entity::auth::refresh_tokens::Entity)
        .all(&db.conn)
        .await
        .expect("tokens");

    assert_eq!(profiles.len(), 1);
    assert_eq!(profiles[0].department.as_deref(), Some("Health Canada"));
    assert_eq!(tokens.len(), 1);
    assert_eq!(format!("{:?}", tokens[0].token_hash), "[redacted]");
}

#[tokio::test]
async fn learning_round_trip_from_user_to_lesson_progress() {
    let db = TestDb::migrated().await;
    let learner = db_user(&db.conn, "learner@example.gc.ca", UserRole::Learner).await;
    let course = db_course(&db.conn, "oral-b", None).await;
    let module = db_module(&db.conn, course.id, 1).await;
    let lesson = db_lesson(&db.conn, module.id, 1).await;
    db_enrollment(&db.conn, learner.id, course.id).await;
    let now = Utc::now();
    let progress_row = progress::lesson_progress::ActiveModel {
        user_id: Set(learner.id),
        lesson_id: Set(lesson.id),
        progress: Set(40),
        time_spent_seconds: Set(120),
        sync_version: Set(1),
        last_sync_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    progress_row
        .clone()
        .insert(&db.conn)
        .await
        .expect("progress");
    certificates::certificates::ActiveModel {
        user_id: Set(learner.id),
        course_id: Set(course.id),
        issued_at: Set(now),
        number: Set("RA-ABCDEFGHJKLM".to_owned()),
        language: Set(Language::En),
        recipient_name: Set("Test User".to_owned()),
        course_title: Set(course.title.clone()),
        signature: Set("sig".to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .expect("certificate");

    let enrolled = learner
        .find_related(enrollments::enrollments::Entity)
        .all(&db.conn)
        .await
        .expect("enrollments");
    let enrolled_course = enrolled[0]
        .find_related(courses::courses::Entity)
        .one(&db.conn)
        .await
        .expect("course");
    let modules = enrolled_course
        .expect("course exists")
        .find_related(courses::modules::Entity)
        .all(&db.conn)
        .await
        .expect("modules");
    let lessons = modules[0]
        .find_related(courses::lessons::Entity)
        .all(&db.conn)
        .await
        .expect("lessons");
    let progress_rows = lessons[0]
        .find_related(progress::lesson_progress::Entity)
        .all(&db.conn)
        .await
        .expect("progress");
    let certs = learner
        .find_related(certificates::certificates::Entity)
        .all(&db.conn)
        .await
        .expect("certificates");

    assert_eq!(lessons[0].id, lesson.id);
    assert_eq!(progress_rows.len(), 1);
    assert_eq!(progress_rows[0].progress, 40);
    assert_eq!(certs[0].number, "RA-ABCDEFGHJKLM");
    // The seed's composite key: one progress row per learner and lesson.
    assert!(
        progress_row.insert(&db.conn).await.is_err(),
        "duplicate (userId, lessonId) must fail"
    );
}

#[tokio::test]
async fn coaching_round_trip_from_coach_to_feedback_and_recordings() {
    let db = TestDb::migrated().await;
    let coach_user = db_user(&db.conn, "coach@example.gc.ca", UserRole::Coach).await;
    let learner = db_user(&db.conn, "learner@example.gc.ca", UserRole::Learner).await;
    let coach = db_coach_profile(&db.conn, coach_user.id).await;
    let session = db_session(&db.conn, coach.id, learner.id).await;
    let now = Utc::now();
    coaching::session_recordings::ActiveModel {
        session_id: Set(session.id),
        recording_url: Set("https://media.example/rec/1.mp4".to_owned()),
        duration: Set(3600),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .expect("recording");
    let feedback = coaching::session_feedback::ActiveModel {
        session_id: Set(session.id),
        rating: Set(5),
        comment: Set(Some("Excellent".to_owned())),
        from_user_id: Set(learner.id),
        created_at: Set(now),
        ..Default::default()
    };
    feedback.clone().insert(&db.conn).await.expect("feedback");

    let sessions = coach
        .find_related(coaching::sessions::Entity)
        .all(&db.conn)
        .await
        .expect("sessions");
    let recordings = sessions[0]
        .find_related(coaching::session_recordings::Entity)
        .all(&db.conn)
        .await
        .expect("recordings");
    let feedbacks = sessions[0]
        .find_related(coaching::session_feedback::Entity)
        .all(&db.conn)
        .await
        .expect("feedback");
    let learner_of_session = sessions[0]
        .find_related(users::users::Entity)
        .one(&db.conn)
        .await
        .expect("learner");

    assert_eq!(recordings.len(), 1);
    assert_eq!(feedbacks[0].rating, 5);
    assert_eq!(learner_of_session.map(|u| u.id), Some(learner.id));
    assert!(
        feedback.insert(&db.conn).await.is_err(),
        "one feedback per participant"
    );
}

#[tokio::test]
async fn payments_round_trip_from_payment_to_refunds_and_ledger() {
    let db = TestDb::migrated().await;
    let learner = db_user(&db.conn, "payer@example.gc.ca", UserRole::Learner).await;
    let course = db_course(&db.conn, "written-c", None).await;
    let payment = db_payment(
        &db.conn,
        learner.id,
        PaymentPurpose::Course,
        course.id,
        19900,
    )
    .await;
    let now = Utc::now();
    payments::refunds::ActiveModel {
        payment_id: Set(payment.id),
        amount: Set(5000),
        stripe_refund_id: Set(Some("re_123".to_owned())),
        status: Set(RefundStatus::Succeeded),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .expect("refund");
    let duplicate_event = payments::webhook_events::ActiveModel {
        provider: Set(WebhookProvider::Stripe),
        external_id: Set("evt_1".to_owned()),
        r#type: Set("checkout.session.completed".to_owned()),
        status: Set(WebhookStatus::Processed),
        attempts: Set(1),
        payload: Set(serde_json::json!({"id": "evt_1"})),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    duplicate_event
        .clone()
        .insert(&db.conn)
        .await
        .expect("event");

    let refunds = payment
        .find_related(payments::refunds::Entity)
        .all(&db.conn)
        .await
        .expect("refunds");
    let payer = payment
        .find_related(users::users::Entity)
        .one(&db.conn)
        .await
        .expect("payer");

    assert_eq!(refunds[0].amount, 5000);
    assert_eq!(
        payer.map(|u| u.email),
        Some("payer@example.gc.ca".to_owned())
    );
    assert!(
        duplicate_event.insert(&db.conn).await.is_err(),
        "webhook events are unique per provider and id"
    );
}

#[tokio::test]
async fn communication_round_trip_from_room_to_members_and_messages() {
    let db = TestDb::migrated().await;
    let alice = db_user(&db.conn, "alice@example.gc.ca", UserRole::Learner).await;
    let room = db_chat_room(&db.conn, ChatRoomType::Group, alice.id).await;
    let now = Utc::now();
    chat::chat_room_members::ActiveModel {
        room_id: Set(room.id),
        user_id: Set(alice.id),
        role: Set(ChatMemberRole::Owner),
        joined_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .expect("member");
    chat::chat_messages::ActiveModel {
        room_id: Set(room.id),
        sender_id: Set(Some(alice.id)),
        content: Set("Bonjour !".to_owned()),
        r#type: Set(ChatMessageType::Text),
        sent_at: Set(now),
        client_message_id: Set(Some("c-1".to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .expect("message");
    notifications::notifications::ActiveModel {
        user_id: Set(alice.id),
        r#type: Set("chat.message".to_owned()),
        title: Set("New message".to_owned()),
        message: Set("Bonjour !".to_owned()),
        read: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .expect("notification");

    let members = room
        .find_related(chat::chat_room_members::Entity)
        .all(&db.conn)
        .await
        .expect("members");
    let messages = room
        .find_related(chat::chat_messages::Entity)
        .all(&db.conn)
        .await
        .expect("messages");
    let unread = alice
        .find_related(notifications::notifications::Entity)
        .all(&db.conn)
        .await
        .expect("notifications");

    assert_eq!(members[0].user_id, alice.id);
    assert_eq!(messages[0].content, "Bonjour !");
    assert_eq!(unread.len(), 1);
}

#[tokio::test]
async fn hr_round_trip_from_organization_to_members_and_forecasts() {
    let db = TestDb::migrated().await;
    let manager = db_user(&db.conn, "manager@example.gc.ca", UserRole::HrAdmin).await;
    let org = db_organization(&db.conn, "hc-sc").await;
    let now = Utc::now();
    hr::organization_members::ActiveModel {
        organization_id: Set(org.id),
        user_id: Set(manager.id),
        role: Set(OrganizationRole::Manager),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .expect("member");
    let forecast = hr::budget_forecasts::ActiveModel {
        period: Set("2027".to_owned()),
        category: Set("coaching".to_owned()),
        amount: Set(5_000_000),
        created_by: Set(manager.id),
        organization_id: Set(org.id),
        currency: Set("CAD".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    forecast.clone().insert(&db.conn).await.expect("forecast");

    let members = org
        .find_related(hr::organization_members::Entity)
        .all(&db.conn)
        .await
        .expect("members");
    let forecasts = org
        .find_related(hr::budget_forecasts::Entity)
        .all(&db.conn)
        .await
        .expect("forecasts");

    assert_eq!(members[0].role, OrganizationRole::Manager);
    assert_eq!(forecasts[0].amount, 5_000_000);
    assert!(
        forecast.insert(&db.conn).await.is_err(),
        "one forecast per organisation, period and category"
    );
}
