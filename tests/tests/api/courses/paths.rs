//! Learning paths (`/learning-paths`): their published courses in path order; draft paths hidden.

use entity::courses::{learning_path_courses, learning_paths};
use entity::enums::CourseStatus;
use reqwest::StatusCode;
use rusing_academy_tests::app::*;
use rusing_academy_tests::fixtures::*;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::{db_draft, get_as, ids};

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
