//! Modules and the order of modules and lessons: taken positions, reordering in one go, deleting a
//! module with its lessons.

use std::collections::BTreeSet;

use entity::courses::{lessons, modules};
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use super::{etag_of, field_codes};

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
