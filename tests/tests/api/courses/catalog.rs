//! The catalog (`GET /courses`, `GET /courses/{id or slug}`): drafts hidden, filters, stable cursor
//! pages, ratings, and a query budget independent of the catalog's size.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Duration;
use entity::courses::course_reviews;
use entity::enums::{CourseLanguage, CourseStatus, UserRole};
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::db::TestDb;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::json;
use service::courses::{Key, catalog};
use service::pagination::PageRequest;

use super::{db_course_with, db_draft, get_as, ids};

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
