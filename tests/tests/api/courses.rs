//! The catalog: authoring and publication, visibility of drafts, optimistic concurrency
//! (`ETag`/`If-Match`), catalog filters and pagination, lesson content gating, reviews,
//! learning paths, and the query budget of catalog reads.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Duration, Utc};
use entity::courses::{
    course_reviews, courses, learning_path_courses, learning_paths, lessons, modules,
    quiz_questions,
};
use entity::enrollments::enrollments;
use entity::enums::{CourseLanguage, CourseStatus, EnrollmentStatus, LessonType, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::db::TestDb;
use rusing_academy_tests::fixtures::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{Value, json};
use service::courses::{Key, catalog};
use service::pagination::PageRequest;

// ---------------------------------------------------------------------------------------------
// Arrangement helpers
// ---------------------------------------------------------------------------------------------

async fn course_row(db: &impl ConnectionTrait, id: i64) -> courses::Model {
    courses::Entity::find_by_id(id)
        .one(db)
        .await
        .expect("query courses")
        .expect("the course exists")
}

async fn course_count(app: &TestApp) -> u64 {
    courses::Entity::find()
        .count(&app.db.conn)
        .await
        .expect("count courses")
}

/// A published course with its fields adjusted by `tweak`.
async fn db_course_with(
    db: &impl ConnectionTrait,
    slug: &str,
    instructor: Option<i64>,
    tweak: impl FnOnce(&mut courses::ActiveModel),
) -> courses::Model {
    let course = db_course(db, slug, instructor).await;
    let mut row: courses::ActiveModel = course.into();
    tweak(&mut row);
    row.update(db).await.expect("adjust course")
}

/// A draft course (never published).
async fn db_draft(
    db: &impl ConnectionTrait,
    slug: &str,
    instructor: Option<i64>,
) -> courses::Model {
    db_course_with(db, slug, instructor, |c| {
        c.status = Set(CourseStatus::Draft);
        c.published_at = Set(None);
    })
    .await
}

/// A lesson with its fields adjusted by `tweak`.
async fn db_lesson_with(
    db: &impl ConnectionTrait,
    module_id: i64,
    order: i32,
    tweak: impl FnOnce(&mut lessons::ActiveModel),
) -> lessons::Model {
    let lesson = db_lesson(db, module_id, order).await;
    let mut row: lessons::ActiveModel = lesson.into();
    tweak(&mut row);
    row.update(db).await.expect("adjust lesson")
}

async fn db_review(db: &impl ConnectionTrait, user_id: i64, course_id: i64, rating: i32) {
    let now = service::now();
    course_reviews::ActiveModel {
        user_id: Set(user_id),
        course_id: Set(course_id),
        rating: Set(rating),
        comment: Set(Some("Très utile".to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("insert review");
}

async fn get_as(app: &TestApp, user: Option<&users::Model>, path: &str) -> TestResponse {
    match user {
        Some(user) => send(app.request_as(user, Method::GET, path)).await,
        None => send(app.get(path)).await,
    }
}

async fn create_course_as(app: &TestApp, user: &users::Model, body: Value) -> TestResponse {
    send(
        app.request_as(user, Method::POST, "/api/v1/courses")
            .json(&body),
    )
    .await
}

fn field_codes(problem: &Value) -> BTreeSet<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("problem has errors: {problem}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().expect("field").to_owned(),
                e["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page has items: {page}"))
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

fn etag_of(response: &TestResponse) -> String {
    response
        .header("etag")
        .unwrap_or_else(|| panic!("no ETag on {}", response.text()))
}

// ---------------------------------------------------------------------------------------------
// Authoring and publication
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_coach_authors_a_course_and_publishes_it_once_it_has_a_lesson_and_french_titles() {
    let app = spawn_app().await;
    let coach = &app.users.coach;

    let created = create_course_as(
        &app,
        coach,
        json!({
            "title": "Compréhension de l'écrit — niveau B",
            "description": "Reading strategies",
            "price": 0,
            "language": "bilingual",
            "level": "b",
            "category": "reading"
        }),
    )
    .await;
    let course = json_ok(&created, StatusCode::CREATED);
    let id = course["id"].as_i64().expect("id");
    assert_eq!(course["status"], "draft");
    assert_eq!(course["instructorId"], coach.id);
    assert_eq!(course["slug"], "comprehension-de-l-ecrit-niveau-b");
    assert_eq!(course["level"], "B");
    assert_eq!(course["currency"], "CAD");
    assert_eq!(course["hasCertificate"], true);
    assert_eq!(course["publishedAt"], Value::Null);
    assert_eq!(course["rating"], json!({"average": null, "count": 0}));
    assert!(
        created
            .header("etag")
            .is_some_and(|t| t.starts_with("W/\""))
    );
    assert_eq!(
        created.header("location").as_deref(),
        Some(format!("/api/v1/courses/{id}").as_str())
    );
    let keys: BTreeSet<&str> = course
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = [
        "id",
        "title",
        "titleFr",
        "slug",
        "description",
        "descriptionFr",
        "price",
        "currency",
        "status",
        "language",
        "level",
        "category",
        "hasCertificate",
        "instructorId",
        "publishedAt",
        "createdAt",
        "updatedAt",
        "rating",
    ]
    .into_iter()
    .collect();
    assert_eq!(keys, expected);

    // Nothing to publish yet.
    let publish = format!("/api/v1/courses/{id}/publish");
    let refused = send(app.request_as(coach, Method::POST, &publish)).await;
    assert_problem(
        &refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "course_not_publishable",
    );
    let module = json_ok(
        &send(
            app.request_as(
                coach,
                Method::POST,
                &format!("/api/v1/courses/{id}/modules"),
            )
            .json(&json!({"title": "Skimming", "order": 1})),
        )
        .await,
        StatusCode::CREATED,
    );
    let module_id = module["id"].as_i64().expect("module id");
    let refused = send(app.request_as(coach, Method::POST, &publish)).await;
    assert_problem(
        &refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "course_not_publishable",
    );
    assert_eq!(
        course_row(&app.db.conn, id).await.status,
        CourseStatus::Draft
    );

    let lesson = send(
        app.request_as(
            coach,
            Method::POST,
            &format!("/api/v1/modules/{module_id}/lessons"),
        )
        .json(&json!({
            "title": "Reading a memo", "titleFr": "Lire une note de service",
            "content": "Body", "contentFr": "Contenu", "type": "text", "duration": 600,
            "order": 1, "isPreview": false
        })),
    )
    .await;
    let lesson = json_ok(&lesson, StatusCode::CREATED);
    assert_eq!(lesson["courseId"], id);
    assert_eq!(lesson["locked"], false);

    // The course and its module still lack French titles: every missing title is named.
    let refused = send(app.request_as(coach, Method::POST, &publish)).await;
    let problem = assert_problem(
        &refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(
        field_codes(&problem),
        BTreeSet::from([
            ("titleFr".to_owned(), "required".to_owned()),
            ("modules[0].titleFr".to_owned(), "required".to_owned()),
        ])
    );
    assert_eq!(
        course_row(&app.db.conn, id).await.status,
        CourseStatus::Draft
    );

    for (path, title) in [
        (
            format!("/api/v1/courses/{id}"),
            "Compréhension de l'écrit, niveau B",
        ),
        (format!("/api/v1/modules/{module_id}"), "Survol"),
    ] {
        let patched = send(
            app.request_as(coach, Method::PATCH, &path)
                .json(&json!({"titleFr": title})),
        )
        .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
    }
    let published = send(app.request_as(coach, Method::POST, &publish)).await;
    let body = json_ok(&published, StatusCode::OK);
    assert_eq!(body["status"], "published");
    let row = course_row(&app.db.conn, id).await;
    assert_eq!(row.status, CourseStatus::Published);
    let first_published_at = row.published_at.expect("publishedAt is set");

    // Publishing again changes nothing.
    let again = send(app.request_as(coach, Method::POST, &publish)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        course_row(&app.db.conn, id).await.published_at,
        Some(first_published_at)
    );

    // Anonymous visitors now find it in the catalog and read its outline.
    let catalog = json_ok(&send(app.get("/api/v1/courses")).await, StatusCode::OK);
    assert_eq!(ids(&catalog), vec![id]);
    let detail = json_ok(
        &send(app.get("/api/v1/courses/comprehension-de-l-ecrit-niveau-b")).await,
        StatusCode::OK,
    );
    assert_eq!(detail["id"], id);
    assert_eq!(detail["modules"][0]["titleFr"], "Survol");
    assert_eq!(
        detail["modules"][0]["lessons"][0],
        json!({"id": lesson["id"], "title": "Reading a memo", "titleFr": "Lire une note de service",
               "type": "text", "duration": 600, "order": 1, "isPreview": false})
    );
}

#[tokio::test]
async fn publishing_names_every_missing_title_of_modules_and_lessons() {
    let app = spawn_app().await;
    let coach = &app.users.coach;
    let course = db_draft(&app.db.conn, "untranslated", Some(coach.id)).await;
    let module = db_module(&app.db.conn, course.id, 1).await;
    let mut row: modules::ActiveModel = module.clone().into();
    row.title_fr = Set(String::new());
    row.update(&app.db.conn).await.expect("blank module title");
    db_lesson(&app.db.conn, module.id, 1).await;
    db_lesson_with(&app.db.conn, module.id, 2, |l| l.title = Set("  ".into())).await;

    let refused = send(app.request_as(
        coach,
        Method::POST,
        &format!("/api/v1/courses/{}/publish", course.id),
    ))
    .await;

    let problem = assert_problem(
        &refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(
        field_codes(&problem),
        BTreeSet::from([
            ("modules[0].titleFr".to_owned(), "required".to_owned()),
            (
                "modules[0].lessons[1].title".to_owned(),
                "required".to_owned()
            ),
        ])
    );
    assert_eq!(
        course_row(&app.db.conn, course.id).await.status,
        CourseStatus::Draft
    );
}

#[tokio::test]
async fn an_administrator_names_the_instructor_and_a_coach_cannot() {
    let app = spawn_app().await;
    let body = |instructor: i64| {
        json!({"title": "Oral B", "titleFr": "Oral B", "language": "fr", "level": "B",
               "instructorId": instructor})
    };

    let by_admin = create_course_as(&app, &app.users.admin, body(app.users.coach.id)).await;
    let course = json_ok(&by_admin, StatusCode::CREATED);
    assert_eq!(
        course_row(&app.db.conn, course["id"].as_i64().unwrap())
            .await
            .instructor_id,
        Some(app.users.coach.id)
    );

    let cases = [
        (&app.users.admin, app.users.learner.id, "not_an_instructor"),
        (&app.users.admin, 999_999, "not_an_instructor"),
        (&app.users.coach, app.users.admin.id, "not_allowed"),
    ];
    for (author, instructor, code) in cases {
        let refused = create_course_as(&app, author, body(instructor)).await;
        let problem = assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(
            field_codes(&problem),
            BTreeSet::from([("instructorId".to_owned(), code.to_owned())])
        );
    }
    assert_eq!(course_count(&app).await, 1);
}

#[tokio::test]
async fn learners_and_hr_admins_cannot_author_and_non_instructors_get_403_or_404() {
    let app = spawn_app().await;
    let published = db_course(&app.db.conn, "published", Some(app.users.coach.id)).await;
    let draft = db_draft(&app.db.conn, "draft", Some(app.users.coach.id)).await;
    let module = db_module(&app.db.conn, published.id, 1).await;
    let lesson = db_lesson(&app.db.conn, module.id, 1).await;
    let other_coach = db_user(&app.db.conn, "other.coach@example.gc.ca", UserRole::Coach).await;
    let new_course = json!({"title": "Oral", "language": "fr", "level": "B"});

    for user in [&app.users.learner, &app.users.hr_admin] {
        let refused = create_course_as(&app, user, new_course.clone()).await;
        assert_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
    }
    let anonymous = send(app.post("/api/v1/courses").json(&new_course)).await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(course_count(&app).await, 2);

    let writes: Vec<(Method, String, Value)> = vec![
        (
            Method::PATCH,
            format!("/api/v1/courses/{}", published.id),
            json!({"title": "Hijacked"}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/courses/{}", published.id),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/courses/{}/modules", published.id),
            json!({"title": "X"}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/modules/{}", module.id),
            json!({"title": "X"}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/modules/{}", module.id),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/modules/{}/lessons", module.id),
            json!({"title": "X", "type": "text"}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/lessons/{}", lesson.id),
            json!({"title": "X"}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/lessons/{}", lesson.id),
            json!({}),
        ),
        (
            Method::PUT,
            format!("/api/v1/courses/{}/modules/order", published.id),
            json!({"moduleIds": [module.id]}),
        ),
        (
            Method::PUT,
            format!("/api/v1/modules/{}/lessons/order", module.id),
            json!({"lessonIds": [lesson.id]}),
        ),
    ];
    for user in [&app.users.learner, &other_coach] {
        for (method, path, body) in &writes {
            let refused = send(app.request_as(user, method.clone(), path).json(body)).await;
            assert_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
        }
        // A draft they cannot see does not exist for them.
        let hidden = send(
            app.request_as(
                user,
                Method::PATCH,
                &format!("/api/v1/courses/{}", draft.id),
            )
            .json(&json!({"title": "Hijacked"})),
        )
        .await;
        assert_problem(&hidden, StatusCode::NOT_FOUND, "not_found");
    }

    assert_eq!(course_row(&app.db.conn, published.id).await, published);
    assert_eq!(course_row(&app.db.conn, draft.id).await, draft);
    assert_eq!(
        lessons::Entity::find_by_id(lesson.id)
            .one(&app.db.conn)
            .await
            .unwrap()
            .map(|l| l.title),
        Some(lesson.title)
    );
}

#[tokio::test]
async fn drafts_are_visible_only_to_their_instructor_and_administrators() {
    let app = spawn_app().await;
    let draft = db_draft(&app.db.conn, "hidden-draft", Some(app.users.coach.id)).await;
    let archived = db_course_with(&app.db.conn, "old-course", Some(app.users.coach.id), |c| {
        c.status = Set(CourseStatus::Archived)
    })
    .await;
    let module = db_module(&app.db.conn, draft.id, 1).await;
    let lesson = db_lesson(&app.db.conn, module.id, 1).await;
    let other_coach = db_user(&app.db.conn, "other.coach@example.gc.ca", UserRole::Coach).await;

    for course in [&draft, &archived] {
        for path in [
            format!("/api/v1/courses/{}", course.id),
            format!("/api/v1/courses/{}", course.slug),
            format!("/api/v1/courses/{}/reviews", course.id),
        ] {
            for user in [None, Some(&app.users.learner), Some(&other_coach)] {
                assert_problem(
                    &get_as(&app, user, &path).await,
                    StatusCode::NOT_FOUND,
                    "not_found",
                );
            }
            for user in [&app.users.coach, &app.users.admin] {
                assert_eq!(get_as(&app, Some(user), &path).await.status, StatusCode::OK);
            }
        }
    }
    let lesson_path = format!("/api/v1/lessons/{}", lesson.id);
    assert_problem(
        &get_as(&app, None, &lesson_path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &get_as(&app, Some(&app.users.learner), &lesson_path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let own = json_ok(
        &get_as(&app, Some(&app.users.coach), &lesson_path).await,
        StatusCode::OK,
    );
    assert_eq!(own["content"], "Body");

    // Neither appears in the catalog, not even for their instructor.
    let catalog = json_ok(
        &get_as(&app, Some(&app.users.coach), "/api/v1/courses").await,
        StatusCode::OK,
    );
    assert!(ids(&catalog).is_empty());
}

#[tokio::test]
async fn deleting_a_course_archives_it() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "to-archive", Some(app.users.coach.id)).await;

    let deleted = send(app.request_as(
        &app.users.coach,
        Method::DELETE,
        &format!("/api/v1/courses/{}", course.id),
    ))
    .await;

    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let row = course_row(&app.db.conn, course.id).await;
    assert_eq!(row.status, CourseStatus::Archived);
    assert!(row.updated_at > course.updated_at);
    let catalog = json_ok(&send(app.get("/api/v1/courses")).await, StatusCode::OK);
    assert!(ids(&catalog).is_empty());
}

#[tokio::test]
async fn slugs_are_unique_explicit_collisions_answer_409_and_derived_ones_get_a_suffix() {
    let app = spawn_app().await;
    db_course(&app.db.conn, "oral-b", None).await;
    let admin = &app.users.admin;

    let taken = create_course_as(
        &app,
        admin,
        json!({"title": "Oral B", "slug": "oral-b", "language": "fr", "level": "B"}),
    )
    .await;
    assert_problem(&taken, StatusCode::CONFLICT, "slug_taken");

    let derived = create_course_as(
        &app,
        admin,
        json!({"title": "Oral B", "language": "fr", "level": "B"}),
    )
    .await;
    assert_eq!(json_ok(&derived, StatusCode::CREATED)["slug"], "oral-b-2");

    for (slug, _why) in [
        ("42", "numeric"),
        ("Oral B", "spaces"),
        ("a--b", "double dash"),
    ] {
        let refused = create_course_as(
            &app,
            admin,
            json!({"title": "X", "slug": slug, "language": "fr", "level": "B"}),
        )
        .await;
        let problem = assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert!(field_codes(&problem).contains(&("slug".to_owned(), "invalid_slug".to_owned())));
    }

    let second = db_course(&app.db.conn, "second", None).await;
    let renamed = send(
        app.request_as(
            admin,
            Method::PATCH,
            &format!("/api/v1/courses/{}", second.id),
        )
        .json(&json!({"slug": "oral-b"})),
    )
    .await;
    assert_problem(&renamed, StatusCode::CONFLICT, "slug_taken");
    assert_eq!(course_row(&app.db.conn, second.id).await.slug, "second");
    assert_eq!(course_count(&app).await, 3);
}

#[tokio::test]
async fn invalid_or_non_writable_course_fields_answer_422_and_change_nothing() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "strict", Some(app.users.coach.id)).await;
    let path = format!("/api/v1/courses/{}", course.id);
    let cases = [
        (json!({"status": "draft"}), None),
        (json!({"publishedAt": null}), None),
        (json!({"price": -1}), Some(("price", "out_of_range"))),
        (
            json!({"currency": "cad"}),
            Some(("currency", "invalid_currency")),
        ),
        (json!({"level": "D"}), Some(("level", "invalid_level"))),
        (json!({"title": "   "}), Some(("title", "required"))),
        (json!({"language": "de"}), None),
    ];
    for (body, field) in cases {
        let refused = send(
            app.request_as(&app.users.coach, Method::PATCH, &path)
                .json(&body),
        )
        .await;
        let problem = assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        if let Some((field, code)) = field {
            assert_eq!(
                field_codes(&problem),
                BTreeSet::from([(field.to_owned(), code.to_owned())]),
                "{body}"
            );
        }
    }
    assert_eq!(course_row(&app.db.conn, course.id).await, course);
}

// ---------------------------------------------------------------------------------------------
// ETag and If-Match
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_stale_if_match_answers_412_and_leaves_the_course_unchanged() {
    let app = spawn_app().await;
    let coach = &app.users.coach;
    let course = db_course(&app.db.conn, "versioned", Some(coach.id)).await;
    let path = format!("/api/v1/courses/{}", course.id);

    let read = send(app.request_as(coach, Method::GET, &path)).await;
    let first_tag = etag_of(&read);
    let first = send(
        app.request_as(coach, Method::PATCH, &path)
            .header("if-match", &first_tag)
            .json(&json!({"title": "First edit"})),
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let second_tag = etag_of(&first);
    assert_ne!(first_tag, second_tag);
    assert_eq!(
        etag_of(&send(app.request_as(coach, Method::GET, &path)).await),
        second_tag
    );

    let stale = send(
        app.request_as(coach, Method::PATCH, &path)
            .header("if-match", &first_tag)
            .json(&json!({"title": "Lost update"})),
    )
    .await;
    assert_problem(
        &stale,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    );
    let row = course_row(&app.db.conn, course.id).await;
    assert_eq!(row.title, "First edit");
    assert_eq!(etag_for(&row), second_tag);

    // `*` and a list containing the current tag match; no header means last writer wins.
    let mut current = second_tag;
    for if_match in ["*".to_owned(), "W/\"0-0\", {current}".to_owned()] {
        let if_match = if_match.replace("{current}", &current);
        let ok = send(
            app.request_as(coach, Method::PATCH, &path)
                .header("if-match", if_match)
                .json(&json!({"description": "ok"})),
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
        current = etag_of(&ok);
    }
    let blind = send(
        app.request_as(coach, Method::PATCH, &path)
            .json(&json!({"title": "Blind"})),
    )
    .await;
    assert_eq!(blind.status, StatusCode::OK);
    assert_eq!(course_row(&app.db.conn, course.id).await.title, "Blind");
}

/// The tag the API derives from a course row.
fn etag_for(course: &courses::Model) -> String {
    service::courses::etag(course.id, course.updated_at)
}

#[tokio::test]
async fn modules_and_lessons_carry_etags_and_refuse_stale_writes() {
    let app = spawn_app().await;
    let coach = &app.users.coach;
    let course = db_course(&app.db.conn, "etags", Some(coach.id)).await;
    let module = db_module(&app.db.conn, course.id, 1).await;
    let lesson = db_lesson(&app.db.conn, module.id, 1).await;

    let lesson_path = format!("/api/v1/lessons/{}", lesson.id);
    let read = send(app.request_as(coach, Method::GET, &lesson_path)).await;
    let tag = etag_of(&read);
    let edited = send(
        app.request_as(coach, Method::PATCH, &lesson_path)
            .header("if-match", &tag)
            .json(&json!({"content": "New body", "passMark": 80})),
    )
    .await;
    assert_eq!(json_ok(&edited, StatusCode::OK)["content"], "New body");
    let stale = send(
        app.request_as(coach, Method::PATCH, &lesson_path)
            .header("if-match", &tag)
            .json(&json!({"content": "Lost"})),
    )
    .await;
    assert_problem(
        &stale,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    );
    let row = lessons::Entity::find_by_id(lesson.id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.content.as_deref(), Some("New body"));
    assert_eq!(row.pass_mark, Some(80));

    let module_path = format!("/api/v1/modules/{}", module.id);
    let stale_module = send(
        app.request_as(coach, Method::PATCH, &module_path)
            .header(
                "if-match",
                service::courses::etag(module.id, module.updated_at),
            )
            .json(&json!({"title": "Lost"})),
    )
    .await;
    // The lesson edit touched its module: the module's version moved on.
    assert_problem(
        &stale_module,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    );
    let module_row = modules::Entity::find_by_id(module.id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(module_row.title, module.title);
    assert!(module_row.updated_at > module.updated_at);
    assert!(course_row(&app.db.conn, course.id).await.updated_at > course.updated_at);
}

// ---------------------------------------------------------------------------------------------
// Modules, lessons and their order
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_taken_position_answers_409_order_taken() {
    let app = spawn_app().await;
    let coach = &app.users.coach;
    let course = db_course(&app.db.conn, "ordered", Some(coach.id)).await;
    let first = db_module(&app.db.conn, course.id, 1).await;
    let second = db_module(&app.db.conn, course.id, 2).await;
    db_lesson(&app.db.conn, first.id, 1).await;
    let movable = db_lesson(&app.db.conn, first.id, 2).await;

    let cases: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            format!("/api/v1/courses/{}/modules", course.id),
            json!({"title": "Dup", "order": 2}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/modules/{}", second.id),
            json!({"order": 1}),
        ),
        (
            Method::POST,
            format!("/api/v1/modules/{}/lessons", first.id),
            json!({"title": "Dup", "type": "video", "order": 1}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/lessons/{}", movable.id),
            json!({"order": 1}),
        ),
    ];
    for (method, path, body) in cases {
        let refused = send(app.request_as(coach, method, &path).json(&body)).await;
        assert_problem(&refused, StatusCode::CONFLICT, "order_taken");
    }

    let modules_now = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course.id))
        .order_by_asc(modules::Column::Id)
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(modules_now, vec![first.clone(), second]);
    let lesson_count = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(first.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(lesson_count, 2);

    // Without an order, a new module goes last.
    let appended = send(
        app.request_as(
            coach,
            Method::POST,
            &format!("/api/v1/courses/{}/modules", course.id),
        )
        .json(&json!({"title": "Last", "titleFr": "Dernier"})),
    )
    .await;
    assert_eq!(json_ok(&appended, StatusCode::CREATED)["order"], 3);
}

#[tokio::test]
async fn reordering_rewrites_positions_one_to_n_in_one_go() {
    let app = spawn_app().await;
    let coach = &app.users.coach;
    let course = db_course(&app.db.conn, "reorder", Some(coach.id)).await;
    let a = db_module(&app.db.conn, course.id, 1).await;
    let b = db_module(&app.db.conn, course.id, 2).await;
    let c = db_module(&app.db.conn, course.id, 5).await;
    let l1 = db_lesson(&app.db.conn, a.id, 1).await;
    let l2 = db_lesson(&app.db.conn, a.id, 2).await;

    let path = format!("/api/v1/courses/{}/modules/order", course.id);
    let tag = etag_of(
        &send(app.request_as(
            coach,
            Method::GET,
            &format!("/api/v1/courses/{}", course.id),
        ))
        .await,
    );
    let reordered = send(
        app.request_as(coach, Method::PUT, &path)
            .header("if-match", &tag)
            .json(&json!({"moduleIds": [c.id, a.id, b.id]})),
    )
    .await;
    let body = json_ok(&reordered, StatusCode::OK);
    let order: Vec<i64> = body["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, vec![c.id, a.id, b.id]);
    let rows = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course.id))
        .order_by_asc(modules::Column::Order)
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(
        rows.iter().map(|m| (m.id, m.order)).collect::<Vec<_>>(),
        vec![(c.id, 1), (a.id, 2), (b.id, 3)]
    );

    // Stale version, missing or foreign ids: refused, nothing moves.
    let stale = send(
        app.request_as(coach, Method::PUT, &path)
            .header("if-match", &tag)
            .json(&json!({"moduleIds": [a.id, b.id, c.id]})),
    )
    .await;
    assert_problem(
        &stale,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    );
    for ids in [
        json!([a.id, b.id]),
        json!([a.id, b.id, c.id, c.id]),
        json!([a.id, b.id, 999_999]),
    ] {
        let refused = send(
            app.request_as(coach, Method::PUT, &path)
                .json(&json!({"moduleIds": ids})),
        )
        .await;
        let problem = assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(
            field_codes(&problem),
            BTreeSet::from([("moduleIds".to_owned(), "not_a_permutation".to_owned())])
        );
    }
    let unchanged = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course.id))
        .order_by_asc(modules::Column::Order)
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(
        unchanged.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![c.id, a.id, b.id]
    );

    let lessons_path = format!("/api/v1/modules/{}/lessons/order", a.id);
    let reordered = send(
        app.request_as(coach, Method::PUT, &lessons_path)
            .json(&json!({"lessonIds": [l2.id, l1.id]})),
    )
    .await;
    let body = json_ok(&reordered, StatusCode::OK);
    assert_eq!(body["lessons"][0]["id"], l2.id);
    assert!(reordered.header("etag").is_some());
    let lesson_orders: Vec<(i64, i32)> = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(a.id))
        .order_by_asc(lessons::Column::Order)
        .all(&app.db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.id, l.order))
        .collect();
    assert_eq!(lesson_orders, vec![(l2.id, 1), (l1.id, 2)]);
}

#[tokio::test]
async fn deleting_a_module_removes_its_lessons() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "prune", Some(app.users.coach.id)).await;
    let module = db_module(&app.db.conn, course.id, 1).await;
    let lesson = db_lesson(&app.db.conn, module.id, 1).await;
    let keep = db_module(&app.db.conn, course.id, 2).await;
    let kept_lesson = db_lesson(&app.db.conn, keep.id, 1).await;

    let gone = send(app.request_as(
        &app.users.admin,
        Method::DELETE,
        &format!("/api/v1/lessons/{}", kept_lesson.id),
    ))
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let deleted = send(app.request_as(
        &app.users.coach,
        Method::DELETE,
        &format!("/api/v1/modules/{}", module.id),
    ))
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);

    let db = &app.db.conn;
    assert!(
        modules::Entity::find_by_id(module.id)
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        lessons::Entity::find_by_id(lesson.id)
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        lessons::Entity::find_by_id(kept_lesson.id)
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        modules::Entity::find_by_id(keep.id)
            .one(db)
            .await
            .unwrap()
            .is_some()
    );
    let again = send(app.request_as(
        &app.users.coach,
        Method::DELETE,
        &format!("/api/v1/modules/{}", module.id),
    ))
    .await;
    assert_problem(&again, StatusCode::NOT_FOUND, "not_found");
}

// ---------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_catalog_filters_by_language_level_category_and_title_in_either_language() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let oral = db_course_with(db, "oral-b", None, |c| {
        c.title = Set("Oral Interaction B".into());
        c.title_fr = Set("Interaction orale B".into());
        c.language = Set(CourseLanguage::Fr);
        c.category = Set(Some("oral".into()));
    })
    .await;
    let reading = db_course_with(db, "reading-c", None, |c| {
        c.title = Set("Reading 100% C_level".into());
        c.title_fr = Set("Compréhension de l'écrit C".into());
        c.language = Set(CourseLanguage::En);
        c.level = Set("C".into());
        c.category = Set(Some("reading".into()));
    })
    .await;
    let written = db_course_with(db, "written-b1", None, |c| {
        c.title = Set("Written expression".into());
        c.title_fr = Set("Expression écrite".into());
        c.level = Set("B1".into());
        c.category = Set(Some("writing".into()));
    })
    .await;
    db_draft(db, "draft-oral", None).await;

    let cases: [(&str, Vec<i64>); 9] = [
        ("language=fr", vec![oral.id]),
        ("language=en", vec![reading.id]),
        ("level=b", vec![oral.id]),
        ("level=B1", vec![written.id]),
        ("category=reading", vec![reading.id]),
        ("q=COMPR%C3%89HENSION", vec![reading.id]),
        ("q=%C3%A9crit", vec![reading.id, written.id]),
        ("q=100%25", vec![reading.id]),
        ("q=_level&language=en&level=C", vec![reading.id]),
    ];
    for (query, expected) in cases {
        let page = json_ok(
            &send(app.get(&format!("/api/v1/courses?{query}"))).await,
            StatusCode::OK,
        );
        let mut found = ids(&page);
        found.sort_unstable();
        assert_eq!(found, expected, "{query}");
    }
    // LIKE wildcards in `q` are literals.
    for query in ["q=%25", "q=_"] {
        let page = json_ok(
            &send(app.get(&format!("/api/v1/courses?{query}"))).await,
            StatusCode::OK,
        );
        assert_eq!(ids(&page), vec![reading.id], "{query}");
    }
    let bad = send(app.get("/api/v1/courses?language=de")).await;
    assert_problem(&bad, StatusCode::BAD_REQUEST, "invalid_query");
}

#[tokio::test]
async fn catalog_pages_are_stable_and_list_every_course_exactly_once() {
    let app = spawn_app().await;
    let base = service::now() - Duration::days(1);
    let mut expected = Vec::new();
    for i in 0..25_i64 {
        // Groups of three share a publication instant: the id breaks the tie.
        let at = base + Duration::minutes(i / 3);
        let course = db_course_with(&app.db.conn, &format!("course-{i:02}"), None, |c| {
            c.published_at = Set(Some(at));
        })
        .await;
        expected.push((at, course.id));
    }
    expected.sort_by(|a, b| b.cmp(a));
    let expected: Vec<i64> = expected.into_iter().map(|(_, id)| id).collect();

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/courses?limit=10&cursor={c}"),
            None => "/api/v1/courses?limit=10".to_owned(),
        };
        let page = json_ok(&send(app.get(&path)).await, StatusCode::OK);
        pages += 1;
        seen.extend(ids(&page));
        // A course published meanwhile does not shift later pages.
        if pages == 1 {
            db_course(&app.db.conn, "late-arrival", None).await;
        }
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, expected);

    let bad = send(app.get("/api/v1/courses?cursor=garbage")).await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}

#[tokio::test]
async fn catalog_items_carry_their_rating() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let rated = db_course(db, "rated", None).await;
    let unrated = db_course(db, "unrated", None).await;
    for (i, rating) in [5, 4, 5].into_iter().enumerate() {
        let user = db_user(db, &format!("reviewer{i}@example.gc.ca"), UserRole::Learner).await;
        db_review(db, user.id, rated.id, rating).await;
    }

    let page = json_ok(&send(app.get("/api/v1/courses")).await, StatusCode::OK);
    for item in page["items"].as_array().unwrap() {
        if item["id"] == rated.id {
            assert_eq!(item["rating"], json!({"average": 4.67, "count": 3}));
        } else {
            assert_eq!(item["id"], unrated.id);
            assert_eq!(item["rating"], json!({"average": null, "count": 0}));
        }
    }
    let detail = json_ok(
        &send(app.get(&format!("/api/v1/courses/{}", rated.id))).await,
        StatusCode::OK,
    );
    assert_eq!(detail["rating"], json!({"average": 4.67, "count": 3}));
}

/// Seeds `courses` published courses, each with `modules` modules of `lessons` lessons and a
/// review per course.
async fn seed_catalog(
    db: &impl ConnectionTrait,
    prefix: &str,
    courses: usize,
    modules: i32,
    lessons: i32,
) {
    let reviewer = db_user(db, &format!("{prefix}@example.gc.ca"), UserRole::Learner).await;
    for c in 0..courses {
        let course = db_course(db, &format!("{prefix}-{c}"), None).await;
        db_review(db, reviewer.id, course.id, 4).await;
        for m in 1..=modules {
            let module = db_module(db, course.id, m).await;
            for l in 1..=lessons {
                db_lesson(db, module.id, l).await;
            }
        }
    }
}

/// Statements run by `f` on a connection that counts them.
async fn count_queries<F, Fut>(db: &TestDb, f: F) -> usize
where
    F: FnOnce(sea_orm::DatabaseConnection) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let counter = Arc::new(AtomicUsize::new(0));
    let mut conn = db.conn.clone();
    let seen = Arc::clone(&counter);
    conn.set_metric_callback(move |_info| {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    f(conn).await;
    counter.load(Ordering::SeqCst)
}

#[tokio::test]
async fn catalog_reads_run_a_fixed_number_of_queries_whatever_the_catalog_size() {
    let db = TestDb::migrated().await;
    seed_catalog(&db.conn, "small", 3, 1, 1).await;
    let small_detail = Key::Slug("small-0".into());

    let list = |conn: sea_orm::DatabaseConnection| async move {
        let page = catalog::list(
            &conn,
            catalog::Filter::default(),
            PageRequest::new(Some(100), None).unwrap(),
        )
        .await
        .expect("list");
        assert!(page.items.iter().all(|c| c.rating.count == 1));
    };
    let small_list = count_queries(&db, list).await;
    let small_get = count_queries(&db, |conn| async move {
        let outline = catalog::get(&conn, None, &small_detail).await.expect("get");
        assert_eq!(outline.modules.len(), 1);
    })
    .await;

    seed_catalog(&db.conn, "large", 12, 6, 5).await;
    let large_list = count_queries(&db, |conn| async move {
        let page = catalog::list(
            &conn,
            catalog::Filter::default(),
            PageRequest::new(Some(100), None).unwrap(),
        )
        .await
        .expect("list");
        assert_eq!(page.items.len(), 15);
        assert!(page.items.iter().all(|c| c.rating.count == 1));
    })
    .await;
    let large_get = count_queries(&db, |conn| async move {
        let outline = catalog::get(&conn, None, &Key::Slug("large-0".into()))
            .await
            .expect("get");
        assert_eq!(outline.modules.len(), 6);
        assert!(outline.modules.iter().all(|m| m.lessons.len() == 5));
    })
    .await;

    println!("queries: list {small_list} -> {large_list}, get {small_get} -> {large_get}");
    assert_eq!(small_list, large_list);
    assert_eq!(small_get, large_get);
    assert!(large_list <= 3, "list ran {large_list} queries");
    assert!(large_get <= 3, "get ran {large_get} queries");
}

// ---------------------------------------------------------------------------------------------
// Lesson content
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn lesson_content_reaches_only_entitled_callers_or_previews() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let course = db_course(db, "gated", Some(app.users.coach.id)).await;
    let module = db_module(db, course.id, 1).await;
    let lesson = db_lesson(db, module.id, 1).await;
    let preview = db_lesson_with(db, module.id, 2, |l| l.is_preview = Set(true)).await;
    let enrolled = db_user(db, "enrolled@example.gc.ca", UserRole::Learner).await;
    db_enrollment(db, enrolled.id, course.id).await;
    let graduate = db_user(db, "graduate@example.gc.ca", UserRole::Learner).await;
    let done = db_enrollment(db, graduate.id, course.id).await;
    let mut row: enrollments::ActiveModel = done.into();
    row.status = Set(EnrollmentStatus::Completed);
    row.update(db).await.unwrap();
    let refunded = db_user(db, "refunded@example.gc.ca", UserRole::Learner).await;
    let gone = db_enrollment(db, refunded.id, course.id).await;
    let mut row: enrollments::ActiveModel = gone.into();
    row.status = Set(EnrollmentStatus::Refunded);
    row.update(db).await.unwrap();
    let lapsed = db_user(db, "lapsed@example.gc.ca", UserRole::Learner).await;
    let expired = db_enrollment(db, lapsed.id, course.id).await;
    let mut row: enrollments::ActiveModel = expired.into();
    row.expires_at = Set(Some(Utc::now() - Duration::days(1)));
    row.update(db).await.unwrap();
    let other_coach = db_user(db, "other.coach@example.gc.ca", UserRole::Coach).await;

    let path = format!("/api/v1/lessons/{}", lesson.id);
    let cases: [(Option<&users::Model>, bool); 9] = [
        (None, false),
        (Some(&app.users.learner), false),
        (Some(&refunded), false),
        (Some(&lapsed), false),
        (Some(&other_coach), false),
        (Some(&enrolled), true),
        (Some(&graduate), true),
        (Some(&app.users.coach), true),
        (Some(&app.users.admin), true),
    ];
    for (user, open) in cases {
        let response = get_as(&app, user, &path).await;
        let body = json_ok(&response, StatusCode::OK);
        let who = user.map_or("anonymous", |u| u.email.as_str());
        assert!(response.header("etag").is_some());
        assert_eq!(body["title"], "Lesson 1", "{who}");
        assert_eq!(body["locked"], !open, "{who}");
        if open {
            assert_eq!(
                (body["content"].as_str(), body["contentFr"].as_str()),
                (Some("Body"), Some("Contenu")),
                "{who}"
            );
        } else {
            assert_eq!(
                (&body["content"], &body["contentFr"]),
                (&Value::Null, &Value::Null),
                "{who}"
            );
            assert!(!response.text().contains("Contenu"), "{who}");
        }
    }
    let open_preview = json_ok(
        &get_as(&app, None, &format!("/api/v1/lessons/{}", preview.id)).await,
        StatusCode::OK,
    );
    assert_eq!(open_preview["locked"], false);
    assert_eq!(open_preview["content"], "Body");

    assert_problem(
        &get_as(&app, None, "/api/v1/lessons/999999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

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

// ---------------------------------------------------------------------------------------------
// Reviews
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn only_enrolled_learners_review_a_course_once_and_the_rating_follows() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let course = db_course(db, "reviewed", Some(app.users.coach.id)).await;
    let path = format!("/api/v1/courses/{}/reviews", course.id);
    let learner = &app.users.learner;

    let outsider = send(
        app.request_as(learner, Method::POST, &path)
            .json(&json!({"rating": 5})),
    )
    .await;
    assert_problem(&outsider, StatusCode::FORBIDDEN, "enrollment_required");
    let anonymous = send(app.post(&path).json(&json!({"rating": 5}))).await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");

    db_enrollment(db, learner.id, course.id).await;
    for (body, field) in [
        (json!({"rating": 0}), "rating"),
        (json!({"rating": 6}), "rating"),
        (json!({"rating": 3, "comment": "x".repeat(5001)}), "comment"),
    ] {
        let refused = send(app.request_as(learner, Method::POST, &path).json(&body)).await;
        let problem = assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert!(field_codes(&problem).iter().any(|(f, _)| f == field));
    }
    let created = send(
        app.request_as(learner, Method::POST, &path)
            .json(&json!({"rating": 4, "comment": "  Très pratique  "})),
    )
    .await;
    let review = json_ok(&created, StatusCode::CREATED);
    assert_eq!(review["rating"], 4);
    assert_eq!(review["comment"], "Très pratique");
    assert_eq!(review["authorName"], "Test U.");
    assert!(review.get("userId").is_none());

    let again = send(
        app.request_as(learner, Method::POST, &path)
            .json(&json!({"rating": 1})),
    )
    .await;
    assert_problem(&again, StatusCode::CONFLICT, "already_reviewed");
    let stored = course_reviews::Entity::find()
        .filter(course_reviews::Column::CourseId.eq(course.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].user_id, stored[0].rating), (learner.id, 4));

    let other = db_user(db, "second@example.gc.ca", UserRole::Learner).await;
    db_enrollment(db, other.id, course.id).await;
    let second = send(
        app.request_as(&other, Method::POST, &path)
            .json(&json!({"rating": 5})),
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED);

    let detail = json_ok(
        &send(app.get(&format!("/api/v1/courses/{}", course.id))).await,
        StatusCode::OK,
    );
    assert_eq!(detail["rating"], json!({"average": 4.5, "count": 2}));
    let first_page = json_ok(
        &send(app.get(&format!("{path}?limit=1"))).await,
        StatusCode::OK,
    );
    assert_eq!(first_page["items"][0]["rating"], 5);
    let next = first_page["nextCursor"].as_str().expect("a second page");
    let second_page = json_ok(
        &send(app.get(&format!("{path}?limit=1&cursor={next}"))).await,
        StatusCode::OK,
    );
    assert_eq!(second_page["items"][0]["rating"], 4);
    assert_eq!(second_page["nextCursor"], Value::Null);

    let draft = db_draft(db, "unreleased", Some(app.users.coach.id)).await;
    db_enrollment(db, learner.id, draft.id).await;
    let hidden = send(
        app.request_as(
            learner,
            Method::POST,
            &format!("/api/v1/courses/{}/reviews", draft.id),
        )
        .json(&json!({"rating": 5})),
    )
    .await;
    assert_problem(&hidden, StatusCode::NOT_FOUND, "not_found");
}

// ---------------------------------------------------------------------------------------------
// Learning paths
// ---------------------------------------------------------------------------------------------

async fn db_path(
    db: &impl ConnectionTrait,
    slug: &str,
    status: CourseStatus,
    courses: &[(i64, i32)],
) -> learning_paths::Model {
    let now = service::now();
    let path = learning_paths::ActiveModel {
        title: Set(format!("Path {slug}")),
        title_fr: Set(format!("Parcours {slug}")),
        slug: Set(slug.to_owned()),
        description: Set(None),
        description_fr: Set(None),
        level: Set("B".into()),
        price: Set(39_900),
        currency: Set("CAD".into()),
        status: Set(status),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for (course_id, order) in courses {
        learning_path_courses::ActiveModel {
            path_id: Set(path.id),
            course_id: Set(*course_id),
            order: Set(*order),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    path
}

#[tokio::test]
async fn a_learning_path_lists_its_published_courses_in_path_order() {
    let app = spawn_app().await;
    let db = &app.db.conn;
    let first = db_course(db, "first", None).await;
    let second = db_course(db, "second", None).await;
    let third = db_course(db, "third", None).await;
    let draft = db_draft(db, "unfinished", None).await;
    let path = db_path(
        db,
        "sle-b",
        CourseStatus::Published,
        &[(third.id, 3), (first.id, 1), (draft.id, 2), (second.id, 4)],
    )
    .await;
    let hidden = db_path(db, "next-year", CourseStatus::Draft, &[(first.id, 1)]).await;

    for key in [path.id.to_string(), path.slug.clone()] {
        let detail = json_ok(
            &send(app.get(&format!("/api/v1/learning-paths/{key}"))).await,
            StatusCode::OK,
        );
        let order: Vec<i64> = detail["courses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(order, vec![first.id, third.id, second.id]);
        assert_eq!(detail["courseCount"], 3);
        assert_eq!(detail["price"], 39_900);
        assert!(detail["courses"][0]["rating"].is_object());
    }
    let list = json_ok(
        &send(app.get("/api/v1/learning-paths")).await,
        StatusCode::OK,
    );
    assert_eq!(ids(&list), vec![path.id]);
    assert_eq!(list["items"][0]["courseCount"], 3);
    assert_eq!(list["items"][0]["currency"], "CAD");

    let anonymous = send(app.get(&format!("/api/v1/learning-paths/{}", hidden.id))).await;
    assert_problem(&anonymous, StatusCode::NOT_FOUND, "not_found");
    let admin = get_as(
        &app,
        Some(&app.users.admin),
        &format!("/api/v1/learning-paths/{}", hidden.slug),
    )
    .await;
    assert_eq!(admin.status, StatusCode::OK);
}

#[tokio::test]
async fn problem_details_of_catalog_codes_are_translated() {
    let app = spawn_app().await;
    db_course(&app.db.conn, "taken", None).await;
    let taken = send(
        app.request_as(&app.users.admin, Method::POST, "/api/v1/courses")
            .header("accept-language", "fr-CA")
            .json(&json!({"title": "T", "slug": "taken", "language": "fr", "level": "B"})),
    )
    .await;
    let problem = assert_problem(&taken, StatusCode::CONFLICT, "slug_taken");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Un autre cours")
    );
}
