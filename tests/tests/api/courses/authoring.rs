//! Authoring (`/courses`): creation and publication rules, who may write, archiving, slugs, field
//! validation, and `ETag`/`If-Match` on courses.

use std::collections::BTreeSet;

use entity::courses::{courses, lessons, modules};
use entity::enums::{CourseStatus, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::{Value, json};

use super::{course_row, db_draft, db_lesson_with, etag_of, field_codes, ids};

async fn course_count(app: &TestApp) -> u64 {
    courses::Entity::find()
        .count(&app.db.conn)
        .await
        .expect("count courses")
}

async fn create_course_as(app: &TestApp, user: &users::Model, body: Value) -> TestResponse {
    send(
        app.request_as(user, Method::POST, "/api/v1/courses")
            .json(&body),
    )
    .await
}

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
            "level": "B",
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
        (json!({"level": "D"}), Some(("level", "invalid_value"))),
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

#[tokio::test]
async fn a_demoted_instructor_can_no_longer_author_their_courses() {
    let app = spawn_app().await;
    let coach = &app.users.coach;
    let published = db_course(&app.db.conn, "demoted-published", Some(coach.id)).await;
    let module = db_module(&app.db.conn, published.id, 1).await;
    let lesson = db_lesson(&app.db.conn, module.id, 1).await;
    let quiz = db_lesson_with(&app.db.conn, module.id, 2, |l| {
        l.r#type = Set(entity::enums::LessonType::Quiz);
    })
    .await;
    let demoted = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", coach.id),
        )
        .json(&json!({"role": "learner"})),
    )
    .await;
    assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.text());
    // Signed in again as what they are now.
    let now = users::Entity::find_by_id(coach.id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    let before = courses::Entity::find_by_id(published.id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");

    let attempts = [
        (
            Method::PATCH,
            format!("/api/v1/courses/{}", published.id),
            json!({"price": 1}),
        ),
        (
            Method::POST,
            format!("/api/v1/courses/{}/modules", published.id),
            json!({"title": "More"}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/lessons/{}", lesson.id),
            json!({"content": "Rewritten"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/lessons/{}/quiz/questions", quiz.id),
            json!({"questions": [{"question": "Q", "questionFr": "Q", "options": ["a", "b"], "correctAnswer": 0}]}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/courses/{}", published.id),
            Value::Null,
        ),
    ];
    for (method, path, body) in attempts {
        let mut request = app.request_as(&now, method.clone(), &path);
        if !body.is_null() {
            request = request.json(&body);
        }
        let response = send(request).await;
        assert_eq!(
            (response.status, response.json()["code"].clone()),
            (StatusCode::FORBIDDEN, json!("forbidden")),
            "{method} {path}: {}",
            response.text()
        );
    }
    let after = courses::Entity::find_by_id(published.id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(after, before, "nothing changed");
    let lesson_after = lessons::Entity::find_by_id(lesson.id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(lesson_after.content, lesson.content);

    // A draft of theirs is no longer theirs to see.
    let draft = db_course(&app.db.conn, "demoted-draft", Some(coach.id)).await;
    let mut row: courses::ActiveModel = draft.clone().into();
    row.status = Set(CourseStatus::Draft);
    row.update(&app.db.conn).await.expect("draft");
    let response =
        send(app.request_as(&now, Method::GET, &format!("/api/v1/courses/{}", draft.id))).await;
    assert_problem(&response, StatusCode::NOT_FOUND, "not_found");
}
