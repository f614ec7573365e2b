//! Quizzes: answers never leave the server, attempts are limited, per-question results come only
//! with the attempt that ends the quiz, only authors write questions, and only answering passes a
//! quiz.

use entity::courses::{courses, lessons, quiz_attempts, quiz_questions};
use entity::enums::{EnrollmentStatus, LessonType};
use entity::progress::lesson_progress;
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::certificates::certificates_of;
use rusing_academy_tests::courses::course_with_lessons;
use rusing_academy_tests::enrollments::{enroll, enrollment_of};
use rusing_academy_tests::fixtures::*;
use rusing_academy_tests::progress::{progress, sync};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

use super::{db_lesson_with, get_as};

#[tokio::test]
async fn no_response_ever_contains_quiz_answers() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let course = db_course(db, "quizzed", Some(app.users.coach.id)).await;
    let module = db_module(db, course.id, 1).await;
    let quiz = db_lesson_with(db, module.id, 1, |l| l.r#type = Set(LessonType::Quiz)).await;
    let secret = "the-correct-answer-is-option-c";
    let now = service::now();
    quiz_questions::ActiveModel {
        lesson_id: Set(quiz.id),
        question: Set("Which form is formal?".into()),
        question_fr: Set("Quelle forme est soutenue ?".into()),
        options: Set(json!(["a", "b", "c"])),
        correct_answer: Set(json!(secret)),
        order: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    db_enrollment(db, app.users.learner.id, course.id).await;

    for user in [
        None,
        Some(&app.users.learner),
        Some(&app.users.coach),
        Some(&app.users.admin),
    ] {
        for path in [
            "/api/v1/courses".to_owned(),
            format!("/api/v1/courses/{}", course.id),
            format!("/api/v1/lessons/{}", quiz.id),
        ] {
            let response = get_as(&app, user, &path).await;
            assert_eq!(response.status, StatusCode::OK);
            assert!(!response.text().contains("correctAnswer"), "{path}");
            assert!(!response.text().contains(secret), "{path}");
        }
    }
    let edited = send(
        app.request_as(
            &app.users.coach,
            Method::PATCH,
            &format!("/api/v1/lessons/{}", quiz.id),
        )
        .json(&json!({"passMark": 75})),
    )
    .await;
    assert!(
        !json_ok(&edited, StatusCode::OK)
            .to_string()
            .contains("correctAnswer")
    );
    assert_no_response_contains(&[secret.to_owned()]);
}

async fn quiz_lesson(app: &TestApp) -> (courses::Model, i64) {
    let (course, lessons) = course_with_lessons(app, "quiz-course", 1, 0).await;
    let mut lesson: lessons::ActiveModel = lessons::Entity::find_by_id(lessons[0])
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("lesson")
        .into();
    lesson.r#type = Set(LessonType::Quiz);
    lesson.max_attempts = Set(Some(2));
    let lesson = lesson.update(&app.db.conn).await.expect("quiz");
    let authored = send(app.request_as(&app.users.admin, Method::PUT, &format!("/api/v1/lessons/{}/quiz/questions", lesson.id)).json(&json!({
        "questions": [
            { "question": "Choose the formal greeting", "questionFr": "Choisissez la salutation formelle", "options": ["Salut", "Bonjour madame"], "correctAnswer": 1,
              "explanation": "Salut is familiar.", "explanationFr": "Salut est familier." },
            { "question": "Past tense of 'aller'", "questionFr": "Passé composé de « aller »", "options": ["je suis allé", "j'ai allé", "j'allais"], "correctAnswer": 0,
              "explanation": "Aller takes être.", "explanationFr": "Aller se conjugue avec être." }
        ]
    })))
    .await;
    assert_eq!(authored.status, StatusCode::OK, "{}", authored.text());
    (course, lesson.id)
}

#[tokio::test]
async fn quiz_answers_never_reach_learners_and_attempts_are_limited() {
    let app = spawn_app().await;
    let (course, lesson) = quiz_lesson(&app).await;
    let learner = &app.users.learner;
    assert_problem(
        &send(app.request_as(
            learner,
            Method::GET,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        ))
        .await,
        StatusCode::FORBIDDEN,
        "enrollment_required",
    );
    enroll(&app, learner, course.id).await;

    let quiz = send(app.request_as(
        learner,
        Method::GET,
        &format!("/api/v1/lessons/{lesson}/quiz"),
    ))
    .await;
    let body = json_ok(&quiz, StatusCode::OK);
    let questions = body["questions"].as_array().expect("questions").clone();
    let answer = |first: i64, second: i64| {
        json!({ "answers": [
            { "questionId": questions[0]["id"], "answer": first }, { "questionId": questions[1]["id"], "answer": second }
        ]})
    };
    let failed = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        )
        .json(&answer(0, 0)),
    )
    .await;
    let passed = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        )
        .json(&answer(1, 0)),
    )
    .await;
    let exhausted = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        )
        .json(&answer(1, 0)),
    )
    .await;

    for response in [&quiz, &failed, &passed] {
        assert!(
            !response.text().contains("correctAnswer"),
            "answers leaked: {}",
            response.text()
        );
    }
    assert_eq!(body["passMark"], 70);
    let failed = json_ok(&failed, StatusCode::CREATED);
    assert_eq!(
        (failed["score"].as_i64(), failed["passed"].as_bool()),
        (Some(50), Some(false))
    );
    let passed = json_ok(&passed, StatusCode::CREATED);
    assert_eq!(
        (
            passed["score"].as_i64(),
            passed["passed"].as_bool(),
            passed["attemptsRemaining"].as_i64()
        ),
        (Some(100), Some(true), Some(0))
    );
    assert!(passed["lessonProgress"]["completedAt"].is_string());
    assert_problem(
        &exhausted,
        StatusCode::UNPROCESSABLE_ENTITY,
        "attempts_exhausted",
    );
    let completed = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::LessonId.eq(lesson))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert!(completed.completed_at.is_some());
    assert_eq!(
        certificates_of(&app, learner.id).await.len(),
        1,
        "the quiz was the course's only lesson"
    );
}

/// Submits `answers` (option indexes, one per question in order) as `learner`.
async fn attempt(app: &TestApp, learner: &users::Model, lesson: i64, answers: [i64; 2]) -> Value {
    let quiz = json_ok(
        &send(app.request_as(
            learner,
            Method::GET,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        ))
        .await,
        StatusCode::OK,
    );
    let body = json!({ "answers": [
        { "questionId": quiz["questions"][0]["id"], "answer": answers[0] },
        { "questionId": quiz["questions"][1]["id"], "answer": answers[1] }
    ]});
    json_ok(
        &send(
            app.request_as(
                learner,
                Method::POST,
                &format!("/api/v1/lessons/{lesson}/quiz"),
            )
            .json(&body),
        )
        .await,
        StatusCode::CREATED,
    )
}

async fn attempts_stored(app: &TestApp, learner: &users::Model) -> u64 {
    quiz_attempts::Entity::find()
        .filter(quiz_attempts::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .expect("count")
}

/// The `correct` flags in order, or `None` when the attempt reveals none.
fn flags(graded: &Value) -> Option<Vec<bool>> {
    graded["results"].as_array().map(|results| {
        results
            .iter()
            .map(|r| r["correct"].as_bool().expect("a correct flag"))
            .collect()
    })
}

#[tokio::test]
async fn a_failed_attempt_with_attempts_left_tells_only_the_score_and_the_last_attempt_tells_the_rest()
 {
    let app = spawn_app().await;
    let (course, lesson) = quiz_lesson(&app).await; // two attempts allowed
    let learner = &app.users.learner;
    enroll(&app, learner, course.id).await;

    let first = attempt(&app, learner, lesson, [0, 0]).await;
    let last = attempt(&app, learner, lesson, [1, 1]).await;

    assert_eq!(
        (
            first["score"].as_i64(),
            first["passed"].as_bool(),
            first["attemptsRemaining"].as_i64()
        ),
        (Some(50), Some(false), Some(1))
    );
    assert!(first["results"].is_null(), "no per-question flags: {first}");
    for hidden in ["correct", "Salut is familiar", "Aller takes"] {
        assert!(!first.to_string().contains(hidden), "{hidden} in {first}");
    }
    assert_eq!(
        (
            last["score"].as_i64(),
            last["passed"].as_bool(),
            last["attemptsRemaining"].as_i64()
        ),
        (Some(50), Some(false), Some(0))
    );
    assert_eq!(flags(&last), Some(vec![true, false]), "{last}");
    assert_eq!(last["results"][1]["explanation"], "Aller takes être.");
    assert_eq!(
        last["results"][1]["explanationFr"],
        "Aller se conjugue avec être."
    );
    assert_eq!(attempts_stored(&app, learner).await, 2);
}

#[tokio::test]
async fn the_attempt_that_passes_and_any_attempt_after_it_tell_which_answers_were_right() {
    let app = spawn_app().await;
    let (course, lesson) = quiz_lesson(&app).await;
    let mut row: lessons::ActiveModel = lessons::Entity::find_by_id(lesson)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("lesson")
        .into();
    row.max_attempts = Set(Some(3));
    row.update(&app.db.conn).await.expect("three attempts");
    let learner = &app.users.learner;
    enroll(&app, learner, course.id).await;

    let failed = attempt(&app, learner, lesson, [0, 1]).await;
    let passed = attempt(&app, learner, lesson, [1, 0]).await;
    let after_the_pass = attempt(&app, learner, lesson, [0, 0]).await;

    assert_eq!(
        (
            failed["score"].as_i64(),
            failed["attemptsRemaining"].as_i64()
        ),
        (Some(0), Some(2))
    );
    assert!(failed["results"].is_null(), "{failed}");
    assert_eq!(
        (
            passed["passed"].as_bool(),
            passed["attemptsRemaining"].as_i64()
        ),
        (Some(true), Some(1))
    );
    assert_eq!(flags(&passed), Some(vec![true, true]), "{passed}");
    assert_eq!(passed["results"][0]["explanation"], "Salut is familiar.");
    assert_eq!(flags(&after_the_pass), Some(vec![false, true]));
    assert_eq!(attempts_stored(&app, learner).await, 3);
    let completed = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::LessonId.eq(lesson))
        .filter(lesson_progress::Column::UserId.eq(learner.id))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert!(
        completed.completed_at.is_some(),
        "the pass completed the lesson"
    );
}

#[tokio::test]
async fn only_authors_can_write_quiz_questions() {
    let app = spawn_app().await;
    let (_, lesson) = quiz_lesson(&app).await;

    let by_learner = send(app.request_as(&app.users.learner, Method::PUT, &format!("/api/v1/lessons/{lesson}/quiz/questions")).json(&json!({
        "questions": [{ "question": "Q", "questionFr": "Q", "options": ["a", "b"], "correctAnswer": 0 }]
    })))
    .await;
    let invalid = send(app.request_as(&app.users.admin, Method::PUT, &format!("/api/v1/lessons/{lesson}/quiz/questions")).json(&json!({
        "questions": [{ "question": "Q", "questionFr": "Q", "options": ["a", "b"], "correctAnswer": 5 }]
    })))
    .await;

    assert_problem(&by_learner, StatusCode::FORBIDDEN, "forbidden");
    assert_problem(
        &invalid,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let stored = entity::courses::quiz_questions::Entity::find()
        .filter(entity::courses::quiz_questions::Column::LessonId.eq(lesson))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(stored, 2, "the authored questions are unchanged");
}

#[tokio::test]
async fn a_quiz_cannot_be_passed_by_answering_a_question_twice_nor_completed_by_a_progress_report()
{
    let app = spawn_app().await;
    let (course, lesson) = quiz_lesson(&app).await;
    let learner = &app.users.learner;
    enroll(&app, learner, course.id).await;
    let quiz = json_ok(
        &send(app.request_as(
            learner,
            Method::GET,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        ))
        .await,
        StatusCode::OK,
    );
    let first = quiz["questions"][0]["id"].clone();
    let second = quiz["questions"][1]["id"].clone();

    let every_option = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/lessons/{lesson}/quiz"),
        )
        .json(&json!({ "answers": [
            { "questionId": first, "answer": 0 }, { "questionId": first, "answer": 1 },
            { "questionId": second, "answer": 0 }
        ]})),
    )
    .await;
    let reported = json_ok(
        &progress(
            &app,
            learner,
            lesson,
            json!({ "progress": 100, "completed": true }),
        )
        .await,
        StatusCode::OK,
    );
    let synced = json_ok(
        &sync(
            &app,
            learner,
            json!([{ "clientOpId": "q", "lessonId": lesson, "progress": 100, "completed": true }]),
        )
        .await,
        StatusCode::OK,
    );

    let body = assert_problem(
        &every_option,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(body["errors"][0]["code"], "duplicate_answer");
    assert_eq!(
        entity::courses::quiz_attempts::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count"),
        0,
        "no attempt was used"
    );
    assert_eq!(
        (
            reported["progress"].as_i64(),
            reported["completedAt"].is_null()
        ),
        (Some(99), true)
    );
    assert_eq!(
        synced["results"][0]["lessonProgress"]["completedAt"],
        Value::Null
    );
    assert!(certificates_of(&app, learner.id).await.is_empty());
    assert_eq!(
        enrollment_of(&app, learner.id, course.id)
            .await
            .expect("row")
            .status,
        EnrollmentStatus::Active
    );
}
