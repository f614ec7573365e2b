//! The concurrency table: 20 identical requests at once at every write route (and a few mixed
//! pairs), on SQLite and MariaDB. None may answer 5xx; the number of successes is what the route
//! promises; the database is consistent afterwards. A new write route joins this table.

use std::collections::BTreeMap;

use entity::courses::{course_reviews, lessons, modules};
use entity::enrollments::enrollments;
use entity::progress::lesson_progress;
use entity::users::{sle_results, user_profiles};
use futures_util::future::join_all;
use reqwest::{Method, RequestBuilder};
use rusing_academy_tests::app::{TestApp, TestResponse, send, spawn_app, spawn_app_with};
use rusing_academy_tests::courses::course_with_lessons;
use rusing_academy_tests::fixtures::{db_course, db_enrollment, db_lesson, db_module};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const N: usize = 20;

/// Sends the requests all at once; returns the responses.
async fn burst(requests: impl IntoIterator<Item = RequestBuilder>) -> Vec<TestResponse> {
    join_all(requests.into_iter().map(send)).await
}

/// Responses counted by status, after checking that none is a server error.
fn tally(route: &str, responses: &[TestResponse]) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for response in responses {
        assert!(
            !response.status.is_server_error(),
            "{route}: {} {}",
            response.status,
            response.text()
        );
        let count = counts.entry(response.status.as_u16()).or_insert(0);
        if *count == 0 && response.status.is_client_error() {
            eprintln!("{route}: {} {}", response.status, response.text());
        }
        *count += 1;
    }
    counts
}

/// `N` copies of the same request by `user`.
fn same(
    app: &TestApp,
    user: &entity::users::users::Model,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Vec<RequestBuilder> {
    (0..N)
        .map(|_| {
            let request = app.request_as(user, method.clone(), path);
            match &body {
                Some(body) => request.json(body),
                None => request,
            }
        })
        .collect()
}

async fn module_orders(app: &TestApp, course_id: i64) -> Vec<i32> {
    let mut orders: Vec<i32> = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course_id))
        .all(&app.db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.order)
        .collect();
    orders.sort_unstable();
    orders
}

async fn lesson_orders(app: &TestApp, module_id: i64) -> Vec<i32> {
    let mut orders: Vec<i32> = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(module_id))
        .all(&app.db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.order)
        .collect();
    orders.sort_unstable();
    orders
}

#[tokio::test]
async fn creating_modules_at_once_gives_each_its_own_position() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "concurrent-modules", None).await;
    let path = format!("/api/v1/courses/{}/modules", course.id);
    let appended = tally(
        "POST /courses/{id}/modules",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            &path,
            Some(json!({"title": "Module", "titleFr": "Module"})),
        ))
        .await,
    );
    assert_eq!(appended, BTreeMap::from([(201, N)]));
    assert_eq!(
        module_orders(&app, course.id).await,
        (1..=N as i32).collect::<Vec<_>>()
    );

    let same_order = tally(
        "POST /courses/{id}/modules (same order)",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            &path,
            Some(json!({"title": "Dup", "order": 100})),
        ))
        .await,
    );
    assert_eq!(same_order, BTreeMap::from([(201, 1), (409, N - 1)]));
    let orders = module_orders(&app, course.id).await;
    assert_eq!(
        orders.iter().filter(|&&o| o == 100).count(),
        1,
        "{orders:?}"
    );
}

#[tokio::test]
async fn creating_lessons_at_once_gives_each_its_own_position() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "concurrent-lessons", None).await;
    let module = db_module(&app.db.conn, course.id, 1).await;
    let path = format!("/api/v1/modules/{}/lessons", module.id);
    let body = json!({"title": "Lesson", "titleFr": "Leçon", "type": "text"});
    let appended = tally(
        "POST /modules/{id}/lessons",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            &path,
            Some(body),
        ))
        .await,
    );
    assert_eq!(appended, BTreeMap::from([(201, N)]));
    assert_eq!(
        lesson_orders(&app, module.id).await,
        (1..=N as i32).collect::<Vec<_>>()
    );

    let same_order = tally(
        "POST /modules/{id}/lessons (same order)",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            &path,
            Some(json!({"title": "Dup", "type": "video", "order": 100})),
        ))
        .await,
    );
    assert_eq!(same_order, BTreeMap::from([(201, 1), (409, N - 1)]));
}

#[tokio::test]
async fn reordering_and_deleting_modules_and_lessons_at_once_stays_consistent() {
    let app = spawn_app().await;
    let course = db_course(&app.db.conn, "concurrent-reorder", None).await;
    let first = db_module(&app.db.conn, course.id, 1).await;
    let second = db_module(&app.db.conn, course.id, 2).await;
    let a = db_lesson(&app.db.conn, first.id, 1).await;
    let b = db_lesson(&app.db.conn, first.id, 2).await;

    let path = format!("/api/v1/courses/{}/modules/order", course.id);
    let reordered = tally(
        "PUT /courses/{id}/modules/order",
        &burst(same(
            &app,
            &app.users.admin,
            Method::PUT,
            &path,
            Some(json!({"moduleIds": [second.id, first.id]})),
        ))
        .await,
    );
    assert_eq!(reordered, BTreeMap::from([(200, N)]));
    assert_eq!(module_orders(&app, course.id).await, vec![1, 2]);

    let path = format!("/api/v1/modules/{}/lessons/order", first.id);
    let reordered = tally(
        "PUT /modules/{id}/lessons/order",
        &burst(same(
            &app,
            &app.users.admin,
            Method::PUT,
            &path,
            Some(json!({"lessonIds": [b.id, a.id]})),
        ))
        .await,
    );
    assert_eq!(reordered, BTreeMap::from([(200, N)]));
    assert_eq!(lesson_orders(&app, first.id).await, vec![1, 2]);

    // Deletes race updates of the same lesson: the lesson ends deleted, nobody sees a 5xx.
    let path = format!("/api/v1/lessons/{}", a.id);
    let mut mixed = same(&app, &app.users.admin, Method::DELETE, &path, None);
    mixed.truncate(N / 2);
    mixed.extend((0..N / 2).map(|_| {
        app.request_as(&app.users.admin, Method::PATCH, &path)
            .json(&json!({"title": "Renamed"}))
    }));
    let outcome = tally("DELETE vs PATCH /lessons/{id}", &burst(mixed).await);
    assert_eq!(outcome.get(&204), Some(&1), "{outcome:?}");
    assert!(
        lessons::Entity::find_by_id(a.id)
            .one(&app.db.conn)
            .await
            .unwrap()
            .is_none()
    );

    let path = format!("/api/v1/lessons/{}", b.id);
    let deleted = tally(
        "DELETE /lessons/{id}",
        &burst(same(&app, &app.users.admin, Method::DELETE, &path, None)).await,
    );
    assert_eq!(deleted, BTreeMap::from([(204, 1), (404, N - 1)]));
    assert!(lesson_orders(&app, first.id).await.is_empty());

    let path = format!("/api/v1/modules/{}", second.id);
    let deleted = tally(
        "DELETE /modules/{id}",
        &burst(same(&app, &app.users.admin, Method::DELETE, &path, None)).await,
    );
    assert_eq!(deleted, BTreeMap::from([(204, 1), (404, N - 1)]));
    assert_eq!(module_orders(&app, course.id).await.len(), 1);
}

#[tokio::test]
async fn course_writes_at_once() {
    let app = spawn_app().await;
    let body = json!({"title": "Concurrent", "titleFr": "Concurrent", "slug": "same-slug", "level": "B", "language": "bilingual"});
    let created = tally(
        "POST /courses",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            "/api/v1/courses",
            Some(body),
        ))
        .await,
    );
    assert_eq!(created, BTreeMap::from([(201, 1), (409, N - 1)]));

    let (course, _) = course_with_lessons(&app, "concurrent-course", 1, 0).await;
    let path = format!("/api/v1/courses/{}", course.id);
    let updated = tally(
        "PATCH /courses/{id}",
        &burst(same(
            &app,
            &app.users.admin,
            Method::PATCH,
            &path,
            Some(json!({"title": "New title"})),
        ))
        .await,
    );
    assert_eq!(updated, BTreeMap::from([(200, N)]));
    let published = tally(
        "POST /courses/{id}/publish",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            &format!("{path}/publish"),
            None,
        ))
        .await,
    );
    assert_eq!(published, BTreeMap::from([(200, N)]));
    let archived = tally(
        "DELETE /courses/{id}",
        &burst(same(&app, &app.users.admin, Method::DELETE, &path, None)).await,
    );
    assert_eq!(
        archived.get(&204).copied().unwrap_or(0) + archived.get(&404).copied().unwrap_or(0),
        N,
        "{archived:?}"
    );
}

#[tokio::test]
async fn learner_writes_at_once() {
    let app = spawn_app().await;
    let learner = app.users.learner.clone();
    let (course, lesson_ids) = course_with_lessons(&app, "concurrent-learning", 2, 0).await;

    let enrolled = tally(
        "POST /courses/{id}/enroll",
        &burst(same(
            &app,
            &learner,
            Method::POST,
            &format!("/api/v1/courses/{}/enroll", course.id),
            None,
        ))
        .await,
    );
    assert_eq!(enrolled, BTreeMap::from([(201, 1), (409, N - 1)]));
    let rows = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 1);

    let path = format!("/api/v1/lessons/{}/progress", lesson_ids[0]);
    let reported = tally(
        "PUT /lessons/{id}/progress",
        &burst(same(
            &app,
            &learner,
            Method::PUT,
            &path,
            Some(json!({"progress": 50, "timeSpentSeconds": 10})),
        ))
        .await,
    );
    assert_eq!(reported, BTreeMap::from([(200, N)]));
    let row = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(learner.id))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(row.len(), 1);
    assert_eq!(row[0].time_spent_seconds, 10 * N as i64);

    let batch = json!({"deviceId": "ipad-1", "operations": [{"clientOpId": "op-1", "lessonId": lesson_ids[1], "progress": 100, "completed": true}]});
    let synced = tally(
        "POST /sync/progress",
        &burst(same(
            &app,
            &learner,
            Method::POST,
            "/api/v1/sync/progress",
            Some(batch),
        ))
        .await,
    );
    assert_eq!(synced, BTreeMap::from([(200, N)]));

    let reviewed = tally(
        "POST /courses/{id}/reviews",
        &burst(same(
            &app,
            &learner,
            Method::POST,
            &format!("/api/v1/courses/{}/reviews", course.id),
            Some(json!({"rating": 5})),
        ))
        .await,
    );
    assert_eq!(reviewed, BTreeMap::from([(201, 1), (409, N - 1)]));
    let reviews = course_reviews::Entity::find()
        .filter(course_reviews::Column::CourseId.eq(course.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(reviews, 1);
}

#[tokio::test]
async fn account_writes_at_once() {
    let app = spawn_app_with(&[("RATE_LIMIT_REGISTER_PER_HOUR", "1000")]).await;
    let learner = app.users.learner.clone();
    let body = json!({"email": "twin@canada.ca", "password": "Oral-Interaction-B-2027", "firstName": "Twin", "lastName": "Tremblay"});
    let registered = tally(
        "POST /auth/register",
        &burst((0..N).map(|_| app.post("/api/v1/auth/register").json(&body))).await,
    );
    assert_eq!(registered, BTreeMap::from([(201, 1), (409, N - 1)]));

    let profile = tally(
        "PUT /users/me/profile",
        &burst(same(
            &app,
            &learner,
            Method::PUT,
            "/api/v1/users/me/profile",
            Some(json!({"bio": "Same", "timezone": "America/Toronto"})),
        ))
        .await,
    );
    assert_eq!(profile, BTreeMap::from([(200, N)]));
    let rows = user_profiles::Entity::find()
        .filter(user_profiles::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 1);

    let sle = json!({"results": [{"skill": "oral", "level": "B", "source": "assessment", "testedAt": "2026-10-01"}]});
    let saved = tally(
        "PUT /users/me/sle-results",
        &burst(same(
            &app,
            &learner,
            Method::PUT,
            "/api/v1/users/me/sle-results",
            Some(sle),
        ))
        .await,
    );
    assert_eq!(saved, BTreeMap::from([(200, N)]));
    let rows = sle_results::Entity::find()
        .filter(sle_results::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 1);

    let patched = tally(
        "PATCH /users/me",
        &burst(same(
            &app,
            &learner,
            Method::PATCH,
            "/api/v1/users/me",
            Some(json!({"firstName": "Léa"})),
        ))
        .await,
    );
    assert_eq!(patched, BTreeMap::from([(200, N)]));

    let keys = tally(
        "POST /api-keys",
        &burst(same(
            &app,
            &learner,
            Method::POST,
            "/api/v1/api-keys",
            Some(json!({"name": "Reporting", "scopes": ["profile:read"]})),
        ))
        .await,
    );
    assert_eq!(keys, BTreeMap::from([(201, N)]));

    let deleted = tally(
        "DELETE /users/me",
        &burst(same(
            &app,
            &learner,
            Method::DELETE,
            "/api/v1/users/me",
            None,
        ))
        .await,
    );
    assert!(deleted.get(&204).is_some_and(|&n| n >= 1), "{deleted:?}");
    assert_eq!(
        deleted.keys().filter(|s| ![204, 401].contains(*s)).count(),
        0,
        "{deleted:?}"
    );
}

#[tokio::test]
async fn administrator_writes_at_once() {
    let app = spawn_app().await;
    let (course, _) = course_with_lessons(&app, "concurrent-grant", 1, 4900).await;
    let learner = app.users.learner.clone();
    let body = json!({"userId": learner.id, "courseId": course.id});
    let granted = tally(
        "POST /admin/enrollments",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            "/api/v1/admin/enrollments",
            Some(body),
        ))
        .await,
    );
    assert_eq!(
        granted.keys().filter(|s| ![200, 201].contains(*s)).count(),
        0,
        "{granted:?}"
    );
    let rows = enrollments::Entity::find()
        .filter(enrollments::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 1);
    db_enrollment(&app.db.conn, app.users.coach.id, course.id).await;

    let path = format!("/api/v1/admin/users/{}", learner.id);
    let suspended = tally(
        "PATCH /admin/users/{id}",
        &burst(same(
            &app,
            &app.users.admin,
            Method::PATCH,
            &path,
            Some(json!({"status": "suspended"})),
        ))
        .await,
    );
    assert_eq!(suspended, BTreeMap::from([(200, N)]));
}

#[tokio::test]
async fn session_and_recovery_writes_at_once() {
    let app = spawn_app().await;
    let body = json!({"email": "pair@canada.ca", "password": "Oral-Interaction-B-2027", "firstName": "Pair", "lastName": "Roy"});
    let session = send(app.post("/api/v1/auth/register").json(&body))
        .await
        .json();
    let refresh = json!({"refreshToken": session["refreshToken"]});

    let refreshed = tally(
        "POST /auth/refresh",
        &burst((0..N).map(|_| app.post("/api/v1/auth/refresh").json(&refresh))).await,
    );
    assert_eq!(refreshed.get(&200), Some(&1), "{refreshed:?}");
    assert_eq!(refreshed.values().sum::<usize>(), N);
    assert_eq!(
        refreshed
            .keys()
            .filter(|s| ![200, 401].contains(*s))
            .count(),
        0,
        "{refreshed:?}"
    );

    let logins = tally(
        "POST /auth/login",
        &burst((0..N).map(|_| {
            app.post("/api/v1/auth/login")
                .json(&json!({"email": "pair@canada.ca", "password": "Oral-Interaction-B-2027"}))
        }))
        .await,
    );
    assert_eq!(
        logins.keys().filter(|s| ![200, 429].contains(*s)).count(),
        0,
        "{logins:?}"
    );

    let verification = app.mails_to("pair@canada.ca", 1).await.remove(0);
    let token = json!({"token": rusing_academy_tests::app::token_in(&verification)});
    let verified = tally(
        "POST /auth/verify-email",
        &burst((0..N).map(|_| app.post("/api/v1/auth/verify-email").json(&token))).await,
    );
    assert_eq!(
        verified.get(&204).copied().unwrap_or(0) + verified.get(&200).copied().unwrap_or(0),
        1,
        "{verified:?}"
    );

    let requested = tally(
        "POST /auth/password-reset",
        &burst((0..N).map(|_| {
            app.post("/api/v1/auth/password-reset")
                .json(&json!({"email": "pair@canada.ca"}))
        }))
        .await,
    );
    assert_eq!(
        requested
            .keys()
            .filter(|s| ![202, 429].contains(*s))
            .count(),
        0,
        "{requested:?}"
    );
    // Several requests went through the limiter; only the newest token is live.
    let mut live = None;
    for mail in app
        .mails_to("pair@canada.ca", 2)
        .await
        .iter()
        .filter(|m| m.contains("reset-password"))
    {
        let token = rusing_academy_tests::app::token_in(mail);
        let row = entity::auth::password_resets::Entity::find()
            .filter(
                entity::auth::password_resets::Column::Token
                    .eq(service::auth::tokens::hash_secret(&token)),
            )
            .filter(entity::auth::password_resets::Column::UsedAt.is_null())
            .one(&app.db.conn)
            .await
            .unwrap();
        if row.is_some() {
            live = Some(token);
        }
    }
    let reset = live.expect("a live reset token");
    let confirm = json!({"token": reset, "newPassword": "Written-Expression-C-2028"});
    let confirmed = tally(
        "POST /auth/password-reset/confirm",
        &burst((0..N).map(|_| {
            app.post("/api/v1/auth/password-reset/confirm")
                .json(&confirm)
        }))
        .await,
    );
    assert_eq!(
        confirmed.get(&204).copied().unwrap_or(0) + confirmed.get(&200).copied().unwrap_or(0),
        1,
        "{confirmed:?}"
    );

    let logout = json!({"refreshToken": session["refreshToken"]});
    let logged_out = tally(
        "POST /auth/logout",
        &burst((0..N).map(|_| app.post("/api/v1/auth/logout").json(&logout))).await,
    );
    assert!(logged_out.keys().all(|s| *s < 500), "{logged_out:?}");
}

#[tokio::test]
async fn authoring_updates_and_quizzes_at_once() {
    let app = spawn_app().await;
    let admin = app.users.admin.clone();
    let (course, lesson_ids) = course_with_lessons(&app, "concurrent-quiz", 2, 0).await;
    let module = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course.id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();

    let renamed = tally(
        "PATCH /modules/{id}",
        &burst(same(
            &app,
            &admin,
            Method::PATCH,
            &format!("/api/v1/modules/{}", module.id),
            Some(json!({"title": "Renamed"})),
        ))
        .await,
    );
    assert_eq!(renamed, BTreeMap::from([(200, N)]));
    let edited = tally(
        "PATCH /lessons/{id}",
        &burst(same(
            &app,
            &admin,
            Method::PATCH,
            &format!("/api/v1/lessons/{}", lesson_ids[1]),
            Some(json!({"type": "quiz", "maxAttempts": 3})),
        ))
        .await,
    );
    assert_eq!(edited, BTreeMap::from([(200, N)]));

    let questions = json!({"questions": [{"question": "Formal greeting?", "questionFr": "Salutation formelle ?", "options": ["Salut", "Bonjour madame"], "correctAnswer": 1}]});
    let path = format!("/api/v1/lessons/{}/quiz/questions", lesson_ids[1]);
    let authored = tally(
        "PUT /lessons/{id}/quiz/questions",
        &burst(same(&app, &admin, Method::PUT, &path, Some(questions))).await,
    );
    assert_eq!(authored, BTreeMap::from([(200, N)]));
    let stored = entity::courses::quiz_questions::Entity::find()
        .filter(entity::courses::quiz_questions::Column::LessonId.eq(lesson_ids[1]))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);

    let learner = app.users.learner.clone();
    db_enrollment(&app.db.conn, learner.id, course.id).await;
    let answer = json!({"answers": [{"questionId": stored[0].id, "answer": 0}]});
    let path = format!("/api/v1/lessons/{}/quiz", lesson_ids[1]);
    let attempts = tally(
        "POST /lessons/{id}/quiz",
        &burst(same(&app, &learner, Method::POST, &path, Some(answer))).await,
    );
    let graded =
        attempts.get(&200).copied().unwrap_or(0) + attempts.get(&201).copied().unwrap_or(0);
    assert!((1..=3).contains(&graded), "{attempts:?}");
    let rows = entity::courses::quiz_attempts::Entity::find()
        .filter(entity::courses::quiz_attempts::Column::UserId.eq(learner.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(
        rows as usize, graded,
        "every graded attempt is one row, at most the limit"
    );
}

#[tokio::test]
async fn key_revocation_and_job_retries_at_once() {
    let app = spawn_app().await;
    let learner = app.users.learner.clone();
    let key = send(
        app.request_as(&learner, Method::POST, "/api/v1/api-keys")
            .json(&json!({"name": "Once", "scopes": ["profile:read"]})),
    )
    .await
    .json();
    let path = format!("/api/v1/api-keys/{}", key["id"]);
    let revoked = tally(
        "DELETE /api-keys/{id}",
        &burst(same(&app, &learner, Method::DELETE, &path, None)).await,
    );
    assert_eq!(
        revoked.keys().filter(|s| ![204, 404].contains(*s)).count(),
        0,
        "{revoked:?}"
    );
    assert!(revoked.get(&204).is_some_and(|&n| n >= 1));

    service::jobs::enqueue(
        &app.db.conn,
        &service::jobs::events::Published {
            name: "test.nothing".into(),
            data: json!({}),
        },
    )
    .await
    .unwrap();
    app.run_due_jobs().await;
    let job = entity::jobs::background_jobs::Entity::find()
        .filter(entity::jobs::background_jobs::Column::Kind.eq("event"))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    let path = format!("/api/v1/admin/jobs/{}/retry", job.id);
    let retried = tally(
        "POST /admin/jobs/{id}/retry",
        &burst(same(&app, &app.users.admin, Method::POST, &path, None)).await,
    );
    assert_eq!(
        retried,
        BTreeMap::from([(409, N)]),
        "a succeeded job is not retried"
    );
}

#[tokio::test]
async fn communication_writes_at_once() {
    use entity::chat::{chat_messages, chat_room_members, chat_rooms};
    use entity::notifications::{notification_preferences, notifications, push_subscriptions};
    use entity::realtime::user_events;

    let app = spawn_app().await;
    let marie = app.users.learner.clone();
    let luc = app.users.coach.clone();
    let eve = app.users.hr_admin.clone();

    let opened = tally(
        "POST /chat/rooms",
        &burst(same(
            &app,
            &marie,
            Method::POST,
            "/api/v1/chat/rooms",
            Some(json!({"type": "direct", "userId": luc.id})),
        ))
        .await,
    );
    assert_eq!(opened, BTreeMap::from([(200, N - 1), (201, 1)]));
    assert_eq!(
        chat_rooms::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        1
    );
    let direct = chat_rooms::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
        .id;

    let messages = format!("/api/v1/chat/rooms/{direct}/messages");
    let resent = tally(
        "POST /chat/rooms/{id}/messages",
        &burst(same(
            &app,
            &marie,
            Method::POST,
            &messages,
            Some(json!({"content": "Once", "clientMessageId": "same"})),
        ))
        .await,
    );
    assert_eq!(resent, BTreeMap::from([(200, N - 1), (201, 1)]));
    let distinct = tally(
        "POST /chat/rooms/{id}/messages (distinct)",
        &burst((0..N).map(|i| {
            app.request_as(
                if i % 2 == 0 { &marie } else { &luc },
                Method::POST,
                &messages,
            )
            .json(&json!({"content": format!("m{i}")}))
        }))
        .await,
    );
    assert_eq!(distinct, BTreeMap::from([(201, N)]));
    assert_eq!(
        chat_messages::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        N as u64 + 1
    );
    // Every member's events are numbered 1, 2, 3... without a gap or a duplicate.
    for user in [&marie, &luc] {
        let mut seqs: Vec<i64> = user_events::Entity::find()
            .filter(user_events::Column::UserId.eq(user.id))
            .all(&app.db.conn)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.seq)
            .collect();
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
        assert!(seqs.len() > N);
    }

    let message = chat_messages::Entity::find()
        .filter(chat_messages::Column::ClientMessageId.eq("same"))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap()
        .id;
    let edited = tally(
        "PATCH /chat/messages/{id}",
        &burst(same(
            &app,
            &marie,
            Method::PATCH,
            &format!("/api/v1/chat/messages/{message}"),
            Some(json!({"content": "Edited"})),
        ))
        .await,
    );
    assert_eq!(edited, BTreeMap::from([(200, N)]));
    let read = tally(
        "POST /chat/rooms/{id}/read",
        &burst(same(
            &app,
            &luc,
            Method::POST,
            &format!("/api/v1/chat/rooms/{direct}/read"),
            Some(json!({})),
        ))
        .await,
    );
    assert_eq!(read, BTreeMap::from([(200, N)]));
    let deleted = tally(
        "DELETE /chat/messages/{id}",
        &burst(same(
            &app,
            &marie,
            Method::DELETE,
            &format!("/api/v1/chat/messages/{message}"),
            None,
        ))
        .await,
    );
    assert_eq!(deleted, BTreeMap::from([(204, N)]));

    // Edits race a moderator's delete of one message: it ends deleted, its text gone.
    let raced = json_body(
        send(
            app.request_as(&luc, Method::POST, &messages)
                .json(&json!({"content": "Race me"})),
        )
        .await,
    )["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/chat/messages/{raced}");
    let mut mixed: Vec<RequestBuilder> = (0..N / 2)
        .map(|_| {
            app.request_as(&luc, Method::PATCH, &path)
                .json(&json!({"content": "Edited again"}))
        })
        .collect();
    mixed.extend((0..N / 2).map(|_| app.request_as(&luc, Method::DELETE, &path)));
    let outcome = tally("PATCH vs DELETE /chat/messages/{id}", &burst(mixed).await);
    assert!(
        outcome.keys().all(|s| [200, 204, 409].contains(s)),
        "{outcome:?}"
    );
    let stored = chat_messages::Entity::find_by_id(raced)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.deleted_at.is_some() && stored.content.is_empty(),
        "{stored:?}"
    );

    // Both people open their room at once, from either side.
    let pair = tally(
        "POST /chat/rooms (both sides)",
        &burst((0..N).map(|i| {
            let (me, other) = if i % 2 == 0 {
                (&luc, &eve)
            } else {
                (&eve, &luc)
            };
            app.request_as(me, Method::POST, "/api/v1/chat/rooms")
                .json(&json!({"type": "direct", "userId": other.id}))
        }))
        .await,
    );
    assert_eq!(pair, BTreeMap::from([(200, N - 1), (201, 1)]));
    let groups = tally(
        "POST /chat/rooms (groups)",
        &burst(same(
            &app,
            &marie,
            Method::POST,
            "/api/v1/chat/rooms",
            Some(json!({"type": "group", "name": "Study", "memberIds": [luc.id]})),
        ))
        .await,
    );
    assert_eq!(groups, BTreeMap::from([(201, N)]));

    let group = json_body(
        send(
            app.request_as(&marie, Method::POST, "/api/v1/chat/rooms")
                .json(&json!({"type": "group", "name": "Study"})),
        )
        .await,
    )["id"]
        .as_i64()
        .unwrap();
    let members = format!("/api/v1/chat/rooms/{group}/members");
    let added = tally(
        "POST /chat/rooms/{id}/members",
        &burst(same(
            &app,
            &marie,
            Method::POST,
            &members,
            Some(json!({"userId": eve.id})),
        ))
        .await,
    );
    assert_eq!(added, BTreeMap::from([(200, N - 1), (201, 1)]));
    let removed = tally(
        "DELETE /chat/rooms/{id}/members/{userId}",
        &burst(same(
            &app,
            &marie,
            Method::DELETE,
            &format!("{members}/{}", eve.id),
            None,
        ))
        .await,
    );
    assert_eq!(removed, BTreeMap::from([(204, 1), (404, N - 1)]));
    assert_eq!(
        chat_room_members::Entity::find()
            .filter(chat_room_members::Column::RoomId.eq(group))
            .count(&app.db.conn)
            .await
            .unwrap(),
        1
    );

    let prefs = tally(
        "PUT /users/me/notification-preferences",
        &burst(same(
            &app,
            &marie,
            Method::PUT,
            "/api/v1/users/me/notification-preferences",
            Some(json!({"emailEnabled": false, "pushEnabled": true, "quietHoursStart": "22:00", "quietHoursEnd": "07:00"})),
        ))
        .await,
    );
    assert_eq!(prefs, BTreeMap::from([(200, N)]));
    assert_eq!(
        notification_preferences::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        1
    );

    let subscription = json!({
        "endpoint": "http://127.0.0.1:9/push/1",
        "keys": {"p256dh": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", "auth": "BTBZMqHH6r4Tts7J_aSIgg"}
    });
    let subscribed = tally(
        "POST /push-subscriptions",
        &burst(same(
            &app,
            &marie,
            Method::POST,
            "/api/v1/push-subscriptions",
            Some(subscription),
        ))
        .await,
    );
    assert_eq!(subscribed.get(&201), Some(&1), "{subscribed:?}");
    assert_eq!(subscribed.get(&200), Some(&(N - 1)), "{subscribed:?}");
    assert_eq!(
        push_subscriptions::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        1
    );
    let unsubscribed = tally(
        "DELETE /push-subscriptions",
        &burst((0..N).map(|_| {
            app.request_as(&marie, Method::DELETE, "/api/v1/push-subscriptions")
                .query(&[("endpoint", "http://127.0.0.1:9/push/1")])
        }))
        .await,
    );
    assert_eq!(unsubscribed, BTreeMap::from([(204, 1), (404, N - 1)]));

    let now = service::now();
    let notification = entity::notifications::notifications::ActiveModel {
        user_id: sea_orm::Set(marie.id),
        r#type: sea_orm::Set("account.notice".to_owned()),
        title: sea_orm::Set("Notice".to_owned()),
        message: sea_orm::Set("Notice".to_owned()),
        read: sea_orm::Set(false),
        created_at: sea_orm::Set(now),
        ..Default::default()
    };
    let id = sea_orm::ActiveModelTrait::insert(notification, &app.db.conn)
        .await
        .unwrap()
        .id;
    let marked = tally(
        "POST /notifications/{id}/read",
        &burst(same(
            &app,
            &marie,
            Method::POST,
            &format!("/api/v1/notifications/{id}/read"),
            None,
        ))
        .await,
    );
    assert_eq!(marked, BTreeMap::from([(200, N)]));
    let all = tally(
        "POST /notifications/read-all",
        &burst(same(
            &app,
            &marie,
            Method::POST,
            "/api/v1/notifications/read-all",
            None,
        ))
        .await,
    );
    assert_eq!(all, BTreeMap::from([(204, N)]));
    let unread = notifications::Entity::find()
        .filter(notifications::Column::Read.eq(false))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(unread, 0);
}

#[tokio::test]
async fn coaching_writes_at_once() {
    use entity::coaching::{
        coach_applications, coach_availability, coach_availability_exceptions, coaching_plans,
        session_feedback, session_recordings, sessions,
    };
    use rusing_academy_tests::coaching::{coach, move_session, slot_after};
    use rusing_academy_tests::fixtures::db_user;

    let app = spawn_app().await;
    let db = &app.db.conn;
    let learner = &app.users.learner;

    // Applications: one submitted of twenty; one decision of twenty.
    let body = json!({
        "motivation": "Twenty years of oral exam preparation for public servants.",
        "specializations": ["oral_exam"], "languages": ["fr"],
        "sleLevels": {"reading": "C", "writing": "C", "oral": "E"},
        "proposedHourlyRate": 6000, "proposedTrialRate": 0
    });
    let applied = tally(
        "POST /coach-applications",
        &burst(same(
            &app,
            learner,
            Method::POST,
            "/api/v1/coach-applications",
            Some(body),
        ))
        .await,
    );
    assert_eq!(applied, BTreeMap::from([(201, 1), (409, N - 1)]));
    let application = coach_applications::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let approved = tally(
        "POST /coach-applications/{id}/approve",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            &format!("/api/v1/coach-applications/{}/approve", application.id),
            Some(json!({})),
        ))
        .await,
    );
    assert_eq!(approved, BTreeMap::from([(200, 1), (409, N - 1)]));
    let rejected = tally(
        "POST /coach-applications/{id}/reject",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            &format!("/api/v1/coach-applications/{}/reject", application.id),
            Some(json!({"note": "Too late"})),
        ))
        .await,
    );
    assert_eq!(rejected, BTreeMap::from([(409, N)]));
    assert_eq!(
        entity::coaching::coach_profiles::Entity::find()
            .filter(entity::coaching::coach_profiles::Column::UserId.eq(learner.id))
            .count(db)
            .await
            .unwrap(),
        1
    );

    // A coach's profile, availability and exceptions.
    let (coach_user, profile) = coach(&app, "racing.coach@example.gc.ca", "America/Toronto").await;
    let patched = tally(
        "PATCH /coaches/me",
        &burst(same(
            &app,
            &coach_user,
            Method::PATCH,
            "/api/v1/coaches/me",
            Some(json!({"bio": "Racing", "hourlyRate": 7000})),
        ))
        .await,
    );
    assert_eq!(patched, BTreeMap::from([(200, N)]));
    let windows = json!({"timezone": "America/Toronto", "windows": (0..7).map(|d| json!({"dayOfWeek": d, "startTime": "00:00", "endTime": "23:30"})).collect::<Vec<_>>()});
    let put = tally(
        "PUT /coaches/me/availability",
        &burst(same(
            &app,
            &coach_user,
            Method::PUT,
            "/api/v1/coaches/me/availability",
            Some(windows),
        ))
        .await,
    );
    assert_eq!(put, BTreeMap::from([(200, N)]));
    assert_eq!(
        coach_availability::Entity::find()
            .filter(coach_availability::Column::CoachId.eq(profile.id))
            .count(db)
            .await
            .unwrap(),
        7
    );
    let day = (service::now() + chrono::Duration::days(20)).date_naive();
    let added = tally(
        "POST /coaches/me/availability-exceptions",
        &burst(same(
            &app,
            &coach_user,
            Method::POST,
            "/api/v1/coaches/me/availability-exceptions",
            Some(json!({"date": day, "available": false})),
        ))
        .await,
    );
    assert_eq!(added, BTreeMap::from([(201, N)]));
    let exception = coach_availability_exceptions::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let deleted = tally(
        "DELETE /coaches/me/availability-exceptions/{id}",
        &burst(same(
            &app,
            &coach_user,
            Method::DELETE,
            &format!(
                "/api/v1/coaches/me/availability-exceptions/{}",
                exception.id
            ),
            None,
        ))
        .await,
    );
    assert_eq!(deleted, BTreeMap::from([(204, 1), (404, N - 1)]));

    // Twenty learners race for one slot: one gets it.
    let slot = slot_after(&app, profile.id, "single", chrono::Duration::days(3)).await;
    let mut racers = Vec::new();
    for i in 0..N {
        racers.push(
            db_user(
                db,
                &format!("racer{i}@example.gc.ca"),
                entity::enums::UserRole::Learner,
            )
            .await,
        );
    }
    let booked = tally(
        "POST /sessions",
        &burst(racers.iter().map(|racer| {
            app.request_as(racer, Method::POST, "/api/v1/sessions")
                .json(&json!({"coachId": profile.id, "type": "single", "scheduledAt": slot}))
        }))
        .await,
    );
    assert_eq!(booked, BTreeMap::from([(201, 1), (409, N - 1)]));
    let session = sessions::Entity::find()
        .filter(sessions::Column::CoachId.eq(profile.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        sessions::Entity::find()
            .filter(sessions::Column::CoachId.eq(profile.id))
            .count(db)
            .await
            .unwrap(),
        1
    );
    let winner = racers.iter().find(|r| r.id == session.learner_id).unwrap();
    let path = |action: &str| format!("/api/v1/sessions/{}/{action}", session.id);

    let new_slot = slot_after(&app, profile.id, "single", chrono::Duration::days(5)).await;
    let rescheduled = tally(
        "POST /sessions/{id}/reschedule",
        &burst(same(
            &app,
            winner,
            Method::POST,
            &path("reschedule"),
            Some(json!({"scheduledAt": new_slot})),
        ))
        .await,
    );
    assert_eq!(rescheduled, BTreeMap::from([(200, N)]));
    let confirmed = tally(
        "POST /sessions/{id}/confirm",
        &burst(same(
            &app,
            &coach_user,
            Method::POST,
            &path("confirm"),
            None,
        ))
        .await,
    );
    assert_eq!(confirmed, BTreeMap::from([(200, 1), (409, N - 1)]));
    assert_eq!(
        entity::chat::chat_rooms::Entity::find()
            .filter(entity::chat::chat_rooms::Column::SessionId.eq(session.id))
            .count(db)
            .await
            .unwrap(),
        1
    );
    move_session(&app, session.id, service::now()).await;
    let started = tally(
        "POST /sessions/{id}/start",
        &burst(same(&app, &coach_user, Method::POST, &path("start"), None)).await,
    );
    assert_eq!(started, BTreeMap::from([(200, 1), (409, N - 1)]));
    let recording = json!({"recordingUrl": "https://video.example.ca/r/1", "duration": 3600});
    let recorded = tally(
        "POST /sessions/{id}/recordings",
        &burst(same(
            &app,
            &coach_user,
            Method::POST,
            &path("recordings"),
            Some(recording),
        ))
        .await,
    );
    assert_eq!(recorded, BTreeMap::from([(201, N)]));
    assert_eq!(
        session_recordings::Entity::find().count(db).await.unwrap(),
        N as u64
    );
    let completed = tally(
        "POST /sessions/{id}/complete",
        &burst(same(
            &app,
            &coach_user,
            Method::POST,
            &path("complete"),
            None,
        ))
        .await,
    );
    assert_eq!(completed, BTreeMap::from([(200, 1), (409, N - 1)]));
    let rated = tally(
        "POST /sessions/{id}/feedback",
        &burst(same(
            &app,
            winner,
            Method::POST,
            &path("feedback"),
            Some(json!({"rating": 4})),
        ))
        .await,
    );
    assert_eq!(rated, BTreeMap::from([(201, 1), (409, N - 1)]));
    assert_eq!(session_feedback::Entity::find().count(db).await.unwrap(), 1);
    let profile_now = entity::coaching::coach_profiles::Entity::find_by_id(profile.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((profile_now.rating_count, profile_now.rating_avg), (1, 4.0));

    // Cancellation, decline and no-show: one move each of twenty.
    let later = slot_after(&app, profile.id, "single", chrono::Duration::days(7)).await;
    let second = json_body(
        send(
            app.request_as(&racers[0], Method::POST, "/api/v1/sessions")
                .json(&json!({"coachId": profile.id, "type": "single", "scheduledAt": later})),
        )
        .await,
    );
    let second_path = |action: &str| format!("/api/v1/sessions/{}/{action}", second["id"]);
    let declined = tally(
        "POST /sessions/{id}/decline",
        &burst(same(
            &app,
            &coach_user,
            Method::POST,
            &second_path("decline"),
            Some(json!({})),
        ))
        .await,
    );
    assert_eq!(declined, BTreeMap::from([(200, 1), (409, N - 1)]));
    let cancelled = tally(
        "POST /sessions/{id}/cancel",
        &burst(same(
            &app,
            &racers[0],
            Method::POST,
            &second_path("cancel"),
            Some(json!({})),
        ))
        .await,
    );
    assert_eq!(cancelled, BTreeMap::from([(409, N)]));
    let third = json_body(
        send(
            app.request_as(&racers[1], Method::POST, "/api/v1/sessions")
                .json(&json!({"coachId": profile.id, "type": "single", "scheduledAt": later})),
        )
        .await,
    );
    let third_path = |action: &str| format!("/api/v1/sessions/{}/{action}", third["id"]);
    let cancelled = tally(
        "POST /sessions/{id}/cancel",
        &burst(same(
            &app,
            &racers[1],
            Method::POST,
            &third_path("cancel"),
            Some(json!({"reason": "Sick"})),
        ))
        .await,
    );
    assert_eq!(cancelled, BTreeMap::from([(200, 1), (409, N - 1)]));
    let fourth = json_body(
        send(
            app.request_as(&racers[2], Method::POST, "/api/v1/sessions")
                .json(&json!({"coachId": profile.id, "type": "single", "scheduledAt": later})),
        )
        .await,
    );
    let fourth_id = fourth["id"].as_i64().unwrap();
    assert_eq!(
        send(app.request_as(
            &coach_user,
            Method::POST,
            &format!("/api/v1/sessions/{fourth_id}/confirm")
        ))
        .await
        .status,
        reqwest::StatusCode::OK
    );
    move_session(
        &app,
        fourth_id,
        service::now() - chrono::Duration::minutes(20),
    )
    .await;
    let missed = tally(
        "POST /sessions/{id}/no-show",
        &burst(same(
            &app,
            &coach_user,
            Method::POST,
            &format!("/api/v1/sessions/{fourth_id}/no-show"),
            None,
        ))
        .await,
    );
    assert_eq!(missed, BTreeMap::from([(200, 1), (409, N - 1)]));

    // Plans.
    let plan = json!({"name": "Racing plan", "nameFr": "Forfait", "sessionsIncluded": 5, "validityDays": 90, "price": 30000});
    let created = tally(
        "POST /coaching-plans",
        &burst(same(
            &app,
            &app.users.admin,
            Method::POST,
            "/api/v1/coaching-plans",
            Some(plan),
        ))
        .await,
    );
    assert_eq!(created, BTreeMap::from([(201, N)]));
    let plan = coaching_plans::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let updated = tally(
        "PATCH /coaching-plans/{id}",
        &burst(same(
            &app,
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/coaching-plans/{}", plan.id),
            Some(json!({"price": 25000})),
        ))
        .await,
    );
    assert_eq!(updated, BTreeMap::from([(200, N)]));
    let archived = tally(
        "DELETE /coaching-plans/{id}",
        &burst(same(
            &app,
            &app.users.admin,
            Method::DELETE,
            &format!("/api/v1/coaching-plans/{}", plan.id),
            None,
        ))
        .await,
    );
    assert_eq!(archived, BTreeMap::from([(204, N)]));
    let plan = coaching_plans::Entity::find_by_id(plan.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((plan.price, plan.active), (25000, false));
}

#[tokio::test]
async fn calendly_writes_at_once() {
    use rusing_academy_tests::calendly::*;
    let fake = FakeCalendly::start("COACH1").await;
    let app = spawn_app_for(&fake, &[]).await;
    let coach = app.users.coach.clone();
    db_coach_profile(&app.db.conn, &coach).await;

    // Calendly's redirect 20 times (a reloaded page): each hands the code back, none exchanges it.
    let state = authorize_state(&app, &coach).await;
    let callbacks = burst((0..N).map(|_| {
        app.get("/api/v1/integrations/calendly/callback")
            .query(&[("code", "one-code"), ("state", state.as_str())])
    }))
    .await;
    let counts = tally("GET /integrations/calendly/callback", &callbacks);
    assert_eq!(counts, BTreeMap::from([(302, N)]));
    assert!(fake.grants("authorization_code").is_empty());

    // The same completion 20 times: Calendly accepts its code once; the others are refused.
    let completions = burst(same(
        &app,
        &coach,
        Method::POST,
        "/api/v1/integrations/calendly/callback",
        Some(json!({"code": "one-code", "state": state})),
    ))
    .await;
    let counts = tally("POST /integrations/calendly/callback", &completions);
    assert_eq!(counts, BTreeMap::from([(200, 1), (400, N - 1)]));
    for refused in completions
        .iter()
        .filter(|r| r.status == reqwest::StatusCode::BAD_REQUEST)
    {
        assert_eq!(refused.json()["code"], "calendly_authorization_refused");
    }
    assert_eq!(
        entity::calendly::coach_calendly_integrations::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        1
    );

    // One booking delivered 20 times at once: one session, all 200.
    let booking = invitee_created(&fake, "EVT1", &app.users.learner.email);
    let deliveries = join_all((0..N).map(|_| deliver(&app, &booking))).await;
    let counts = tally("POST /webhooks/calendly", &deliveries);
    assert_eq!(counts, BTreeMap::from([(200, N)]));
    let sessions = entity::coaching::sessions::Entity::find()
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(sessions, 1);

    // Disconnecting 20 times at once: one 204, the others find nothing left (404).
    let responses = burst(same(
        &app,
        &coach,
        Method::DELETE,
        "/api/v1/integrations/calendly",
        None,
    ))
    .await;
    let counts = tally("DELETE /integrations/calendly", &responses);
    assert_eq!(counts, BTreeMap::from([(204, 1), (404, N - 1)]));
    let queued = entity::jobs::background_jobs::Entity::find()
        .filter(entity::jobs::background_jobs::Column::Kind.eq("calendly.disconnected"))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(queued, 1);
}

#[tokio::test]
async fn payments_writes_at_once() {
    use entity::payments::{coupons, invoices, payments, refunds};
    use rusing_academy_tests::coaching::coach;
    use rusing_academy_tests::payments::{paid_course, shop};

    let shop = shop().await;
    let app = &shop.app;
    let db = &app.db.conn;
    let learner = &app.users.learner;
    let admin = &app.users.admin;

    // One purchase asked 20 times at once: one checkout at Stripe, handed to every caller that
    // does not find it still being created.
    let course = paid_course(app, "bought-at-once", 4900).await;
    let body = json!({"purpose": "course", "referenceId": course.id});
    let counts = tally(
        "POST /checkout",
        &burst(same(
            app,
            learner,
            Method::POST,
            "/api/v1/checkout",
            Some(body),
        ))
        .await,
    );
    assert_eq!(counts.get(&201), Some(&1), "{counts:?}");
    assert!(
        counts.keys().all(|s| [200, 201, 409].contains(s)),
        "{counts:?}"
    );
    assert_eq!(payments::Entity::find().count(db).await.unwrap(), 1);
    assert_eq!(shop.stripe.requests_to("/v1/checkout/sessions").len(), 1);

    // Its completion delivered 20 times at once: granted once.
    let payment = payments::Entity::find().one(db).await.unwrap().unwrap();
    let completed = shop
        .stripe
        .checkout_completed(payment.stripe_checkout_session_id.as_deref().unwrap());
    let signature = shop.stripe.sign(&completed);
    let deliveries = burst((0..N).map(|_| {
        app.post("/api/v1/webhooks/stripe")
            .header("Stripe-Signature", signature.as_str())
            .header("Content-Type", "application/json")
            .body(completed.clone())
    }))
    .await;
    assert_eq!(
        tally("POST /webhooks/stripe", &deliveries),
        BTreeMap::from([(200, N)])
    );
    assert_eq!(invoices::Entity::find().count(db).await.unwrap(), 1);
    let enrolled = enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(course.id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(enrolled, 1);

    // A full refund asked 20 times at once: one refund.
    let counts = tally(
        "POST /payments/{id}/refunds",
        &burst(same(
            app,
            admin,
            Method::POST,
            &format!("/api/v1/payments/{}/refunds", payment.id),
            Some(json!({})),
        ))
        .await,
    );
    assert_eq!(counts, BTreeMap::from([(202, 1), (409, N - 1)]));
    assert_eq!(refunds::Entity::find().count(db).await.unwrap(), 1);

    // Coupons: one code, one coupon; a change made 20 times, the same coupon.
    let coupon = json!({"code": "ONCE", "kind": "percentage", "value": 10, "appliesTo": "all"});
    let counts = tally(
        "POST /coupons",
        &burst(same(
            app,
            admin,
            Method::POST,
            "/api/v1/coupons",
            Some(coupon),
        ))
        .await,
    );
    assert_eq!(counts, BTreeMap::from([(201, 1), (409, N - 1)]));
    let id = coupons::Entity::find().one(db).await.unwrap().unwrap().id;
    let counts = tally(
        "PATCH /coupons/{id}",
        &burst(same(
            app,
            admin,
            Method::PATCH,
            &format!("/api/v1/coupons/{id}"),
            Some(json!({"maxUses": 5, "active": false})),
        ))
        .await,
    );
    assert_eq!(counts, BTreeMap::from([(200, N)]));
    assert_eq!(coupons::Entity::find().count(db).await.unwrap(), 1);

    // The tiers replaced 20 times at once: the same two tiers, once each.
    let tiers = json!({"tiers": [
        {"name": "all", "minHours": 0, "maxHours": null, "feeBps": 2000, "sleVerifiedOnly": false},
        {"name": "verified", "minHours": 0, "maxHours": null, "feeBps": 1500, "sleVerifiedOnly": true}
    ]});
    let counts = tally(
        "PUT /commission-tiers",
        &burst(same(
            app,
            admin,
            Method::PUT,
            "/api/v1/commission-tiers",
            Some(tiers),
        ))
        .await,
    );
    assert_eq!(counts, BTreeMap::from([(200, N)]));
    assert_eq!(
        entity::payments::commission_tiers::Entity::find()
            .count(db)
            .await
            .unwrap(),
        2
    );

    // A coach onboarding 20 times at once: one Stripe account.
    let (coach_user, _) = coach(app, "onboarding-at-once@example.gc.ca", "America/Toronto").await;
    let counts = tally(
        "POST /coaches/me/stripe/onboarding",
        &burst(same(
            app,
            &coach_user,
            Method::POST,
            "/api/v1/coaches/me/stripe/onboarding",
            None,
        ))
        .await,
    );
    assert_eq!(counts, BTreeMap::from([(200, N)]));
    assert_eq!(shop.stripe.accounts().len(), 1);

    // A subscription cancelled and its portal opened 20 times at once.
    let plan = entity::payments::subscription_plans::ActiveModel {
        code: sea_orm::Set("monthly".to_owned()),
        name: sea_orm::Set("Monthly".to_owned()),
        name_fr: sea_orm::Set("Mensuel".to_owned()),
        interval: sea_orm::Set(entity::enums::PlanInterval::Month),
        price: sea_orm::Set(3900),
        currency: sea_orm::Set("CAD".to_owned()),
        active: sea_orm::Set(true),
        created_at: sea_orm::Set(service::now()),
        updated_at: sea_orm::Set(service::now()),
        ..Default::default()
    };
    let plan = sea_orm::ActiveModelTrait::insert(plan, db).await.unwrap();
    let (_, session) = shop.checked_out(learner, "subscription", plan.id).await;
    shop.processed(&shop.stripe.checkout_completed(&session))
        .await;
    let counts = tally(
        "POST /subscriptions/me/cancel",
        &burst(same(
            app,
            learner,
            Method::POST,
            "/api/v1/subscriptions/me/cancel",
            None,
        ))
        .await,
    );
    assert_eq!(counts, BTreeMap::from([(200, N)]));
    let counts = tally(
        "POST /subscriptions/me/portal",
        &burst(same(
            app,
            learner,
            Method::POST,
            "/api/v1/subscriptions/me/portal",
            None,
        ))
        .await,
    );
    assert_eq!(counts, BTreeMap::from([(200, N)]));
    let subscription = entity::payments::subscriptions::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(subscription.cancel_at_period_end);
}

#[tokio::test]
async fn feature_flag_writes_at_once() {
    use entity::admin::{feature_flag_history, feature_flags};

    let app = spawn_app().await;
    let admin = &app.users.admin;
    let counts = tally(
        "POST /admin/feature-flags",
        &burst(same(
            &app,
            admin,
            Method::POST,
            "/api/v1/admin/feature-flags",
            Some(json!({"key": "once", "enabled": true})),
        ))
        .await,
    );
    assert_eq!(counts, BTreeMap::from([(201, 1), (409, N - 1)]));
    let flag = feature_flags::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    let path = format!("/api/v1/admin/feature-flags/{}", flag.id);
    let counts = tally(
        "PATCH /admin/feature-flags/{id}",
        &burst(same(
            &app,
            admin,
            Method::PATCH,
            &path,
            Some(json!({"rolloutPercentage": 40})),
        ))
        .await,
    );
    assert_eq!(counts, BTreeMap::from([(200, N)]));
    // One history row per change: created, then twenty updates.
    assert_eq!(
        feature_flag_history::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        u64::try_from(N + 1).unwrap()
    );
    let counts = tally(
        "DELETE /admin/feature-flags/{id}",
        &burst(same(&app, admin, Method::DELETE, &path, None)).await,
    );
    assert_eq!(counts, BTreeMap::from([(204, 1), (404, N - 1)]));
    assert_eq!(
        feature_flags::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );
}

fn json_body(response: TestResponse) -> Value {
    assert!(response.status.is_success(), "{}", response.text());
    response.json()
}

/// Every write operation of the OpenAPI document is fired at in this file (by its `tally` label,
/// `METHOD /path` as in the document without `/api/v1`): a new write route fails this test until
/// it joins the table.
#[test]
fn every_write_route_is_in_the_table() {
    let source = include_str!("concurrency.rs");
    let doc = serde_json::to_value(api::openapi_document()).unwrap();
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if !["post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let label = format!(
                "\"{} {}",
                method.to_uppercase(),
                path.trim_start_matches("/api/v1")
            );
            if !source.contains(&label) {
                missing.push(label);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "write routes missing from the concurrency table: {missing:?}"
    );
}
