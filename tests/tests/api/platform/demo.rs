//! The demo data: loaded once; a second run creates nothing.

use entity::users::users;
use rusing_academy_tests::db::TestDb;
use sea_orm::{EntityTrait, PaginatorTrait};

#[tokio::test]
async fn the_demo_data_is_loaded_once_and_a_second_run_creates_nothing() {
    let db = TestDb::migrated().await;

    let first = service::demo::seed(
        &db.conn,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
    )
    .await
    .expect("first seed");
    let users_after_first = users::Entity::find().count(&db.conn).await.expect("count");
    let second = service::demo::seed(
        &db.conn,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
    )
    .await
    .expect("second seed");

    assert!(
        first.created > 50,
        "a realistic demo: {} rows",
        first.created
    );
    assert_eq!(second.created, 0);
    assert_eq!(second.existing, first.created + first.existing);
    assert_eq!(
        users::Entity::find().count(&db.conn).await.expect("count"),
        users_after_first
    );
    let courses = entity::courses::courses::Entity::find()
        .count(&db.conn)
        .await
        .expect("count");
    assert_eq!(courses, 4);
}
