//! Coaches: the public search and its filters, cursor paging, paused profiles, and a coach's
//! own profile with `ETag`/`If-Match`.

use std::collections::BTreeSet;

use entity::coaching::coach_profiles;
use entity::enums::{CoachStatus, UserRole};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{coach, ids_of, profile_row};
use rusing_academy_tests::fixtures::{db_coach_profile, db_user};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::{Value, json};

struct Shape {
    languages: Value,
    specializations: Value,
    hourly_rate: i64,
    sle_verified: bool,
    rating_avg: f64,
    status: CoachStatus,
}

/// A coach profile with the given attributes, arranged in the database.
async fn profile(app: &TestApp, email: &str, shape: Shape) -> coach_profiles::Model {
    let user = db_user(&app.db.conn, email, UserRole::Coach).await;
    let profile = db_coach_profile(&app.db.conn, user.id).await;
    let mut row: coach_profiles::ActiveModel = profile.into();
    row.languages = Set(shape.languages);
    row.specializations = Set(Some(shape.specializations));
    row.hourly_rate = Set(shape.hourly_rate);
    row.trial_rate = Set(shape.hourly_rate / 4);
    row.sle_verified = Set(shape.sle_verified);
    row.rating_avg = Set(shape.rating_avg);
    row.rating_count = Set(i32::from(shape.rating_avg > 0.0) * 4);
    row.status = Set(shape.status);
    row.update(&app.db.conn).await.unwrap()
}

async fn search(app: &TestApp, query: &str) -> BTreeSet<i64> {
    let response = send(app.get(&format!("/api/v1/coaches?{query}"))).await;
    ids_of(&json_ok(&response, StatusCode::OK))
        .into_iter()
        .collect()
}

fn set(ids: &[i64]) -> BTreeSet<i64> {
    ids.iter().copied().collect()
}

#[tokio::test]
async fn the_search_lists_active_coaches_and_each_filter_narrows_it() {
    let app = spawn_app().await;
    let a = profile(
        &app,
        "a@coach.ca",
        Shape {
            languages: json!(["en", "fr"]),
            specializations: json!(["oral_exam", "exam_strategy"]),
            hourly_rate: 6500,
            sle_verified: true,
            rating_avg: 4.5,
            status: CoachStatus::Active,
        },
    )
    .await
    .id;
    let b = profile(
        &app,
        "b@coach.ca",
        Shape {
            languages: json!(["en"]),
            specializations: json!(["written_exam"]),
            hourly_rate: 4000,
            sle_verified: false,
            rating_avg: 3.0,
            status: CoachStatus::Active,
        },
    )
    .await
    .id;
    let c = profile(
        &app,
        "c@coach.ca",
        Shape {
            languages: json!(["fr"]),
            specializations: json!(["grammar", "oral_exam"]),
            hourly_rate: 9000,
            sle_verified: true,
            rating_avg: 0.0,
            status: CoachStatus::Active,
        },
    )
    .await
    .id;
    let paused = profile(
        &app,
        "paused@coach.ca",
        Shape {
            languages: json!(["en", "fr"]),
            specializations: json!(["oral_exam", "exam_strategy", "grammar", "written_exam"]),
            hourly_rate: 6500,
            sle_verified: true,
            rating_avg: 5.0,
            status: CoachStatus::Paused,
        },
    )
    .await;
    assert_eq!(paused.status, CoachStatus::Paused);

    // Newest first, the paused one never.
    let response = send(app.get("/api/v1/coaches")).await;
    let page = json_ok(&response, StatusCode::OK);
    assert_eq!(ids_of(&page), [c, b, a]);
    assert_eq!(page["items"][0]["firstName"], "Test");
    assert_eq!(page["items"][2]["ratingAvg"], 4.5);

    let cases: [(&str, &[i64]); 16] = [
        ("language=en", &[a, b]),
        ("language=fr", &[a, c]),
        ("specialization=oral_exam", &[a, c]),
        ("specialization=grammar", &[c]),
        ("specialization=pronunciation", &[]),
        ("minPrice=6500", &[a, c]),
        ("maxPrice=6500", &[a, b]),
        ("minPrice=5000&maxPrice=7000", &[a]),
        ("minPrice=9001", &[]),
        ("sleVerified=true", &[a, c]),
        ("sleVerified=false", &[b]),
        ("minRating=4", &[a]),
        ("minRating=3", &[a, b]),
        ("minRating=5", &[]),
        ("language=fr&sleVerified=true&maxPrice=7000", &[a]),
        ("language=en&specialization=written_exam&minRating=1", &[b]),
    ];
    for (query, expected) in cases {
        assert_eq!(search(&app, query).await, set(expected), "{query}");
    }

    let unknown = send(app.get("/api/v1/coaches?language=de")).await;
    assert_problem(&unknown, StatusCode::BAD_REQUEST, "invalid_query");
}

#[tokio::test]
async fn pages_of_one_walk_every_coach_once() {
    let app = spawn_app().await;
    let mut created = Vec::new();
    for n in 0..5 {
        let user = db_user(&app.db.conn, &format!("coach{n}@coach.ca"), UserRole::Coach).await;
        created.push(db_coach_profile(&app.db.conn, user.id).await.id);
    }

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let mut request = app.get("/api/v1/coaches").query(&[("limit", "1")]);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let page = json_ok(&send(request).await, StatusCode::OK);
        let ids = ids_of(&page);
        assert!(ids.len() <= 1, "{page}");
        seen.extend(ids);
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    created.reverse();
    assert_eq!(seen, created, "newest first, each once");
}

#[tokio::test]
async fn a_paused_coach_is_hidden_from_others_but_not_from_themselves() {
    let app = spawn_app().await;
    let (user, profile) = coach(&app, "paused@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let path = format!("/api/v1/coaches/{}", profile.id);

    let visible = send(app.get(&path)).await;
    assert_eq!(json_ok(&visible, StatusCode::OK)["id"], profile.id);

    let paused = send(
        app.request_as(&user, Method::PATCH, "/api/v1/coaches/me")
            .json(&json!({"status": "paused"})),
    )
    .await;
    assert_eq!(json_ok(&paused, StatusCode::OK)["status"], "paused");
    assert_eq!(
        profile_row(&app, profile.id).await.status,
        CoachStatus::Paused
    );

    assert_problem(
        &send(app.get(&path)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &send(app.request_as(&learner, Method::GET, &path)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &send(app.get(&format!("{path}/slots"))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let own = send(app.request_as(&user, Method::GET, &path)).await;
    assert_eq!(json_ok(&own, StatusCode::OK)["status"], "paused");
    let by_admin = send(app.request_as(&app.users.admin, Method::GET, &path)).await;
    assert_eq!(json_ok(&by_admin, StatusCode::OK)["id"], profile.id);
    assert!(search(&app, "").await.is_empty());

    // Nor can it be booked.
    let at = service::now() + chrono::Duration::days(2);
    let booking = send(
        app.request_as(&learner, Method::POST, "/api/v1/sessions")
            .json(&json!({"coachId": profile.id, "type": "single", "scheduledAt": at})),
    )
    .await;
    assert_problem(&booking, StatusCode::NOT_FOUND, "not_found");
}

fn etag(response: &TestResponse) -> String {
    response.header("etag").expect("an ETag")
}

async fn patch_me(
    app: &TestApp,
    user: &users::Model,
    tag: Option<&str>,
    body: Value,
) -> TestResponse {
    let mut request = app.request_as(user, Method::PATCH, "/api/v1/coaches/me");
    if let Some(tag) = tag {
        request = request.header("if-match", tag);
    }
    send(request.json(&body)).await
}

#[tokio::test]
async fn a_coach_changes_their_profile_with_if_match() {
    let app = spawn_app().await;
    let (user, profile) = coach(&app, "me@coach.ca", "America/Toronto").await;

    let read = send(app.request_as(&user, Method::GET, "/api/v1/coaches/me")).await;
    let first_tag = etag(&read);
    let body = json_ok(&read, StatusCode::OK);
    assert_eq!(body["id"], profile.id);
    assert_eq!(body["payoutsEnabled"], false);

    let changed = patch_me(
        &app,
        &user,
        Some(&first_tag),
        json!({"bio": "Ten years of SLE oral coaching.", "hourlyRate": 8000, "specializations": ["oral_exam"]}),
    )
    .await;
    let second_tag = etag(&changed);
    assert_ne!(first_tag, second_tag);
    let body = json_ok(&changed, StatusCode::OK);
    assert_eq!(body["hourlyRate"], 8000);
    assert_eq!(body["specializations"], json!(["oral_exam"]));
    let row = profile_row(&app, profile.id).await;
    assert_eq!(row.hourly_rate, 8000);
    assert_eq!(row.bio.as_deref(), Some("Ten years of SLE oral coaching."));
    assert_eq!(
        etag(&send(app.request_as(&user, Method::GET, "/api/v1/coaches/me")).await),
        second_tag
    );

    let stale = patch_me(&app, &user, Some(&first_tag), json!({"hourlyRate": 1000})).await;
    assert_problem(
        &stale,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    );
    assert_eq!(profile_row(&app, profile.id).await.hourly_rate, 8000);

    // The trial rate never exceeds the hourly rate, whichever side changes.
    let trial_above = patch_me(&app, &user, None, json!({"trialRate": 8001})).await;
    let problem = assert_problem(
        &trial_above,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(error_fields(&problem).contains("trialRate"), "{problem}");
    let hourly_below = patch_me(&app, &user, None, json!({"hourlyRate": 2000})).await;
    assert_problem(
        &hourly_below,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let row = profile_row(&app, profile.id).await;
    assert_eq!((row.hourly_rate, row.trial_rate), (8000, 2500));

    // `null` clears a text.
    let cleared = patch_me(&app, &user, Some(&second_tag), json!({"bio": null})).await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.text());
    assert_eq!(profile_row(&app, profile.id).await.bio, None);
}

#[tokio::test]
async fn someone_without_a_coach_profile_has_no_own_profile() {
    let app = spawn_app().await;
    for user in [app.users.coach.clone(), app.users.learner.clone()] {
        let read = send(app.request_as(&user, Method::GET, "/api/v1/coaches/me")).await;
        assert_problem(&read, StatusCode::NOT_FOUND, "coach_profile_required");
        let write = patch_me(&app, &user, None, json!({"bio": "Hello"})).await;
        assert_problem(&write, StatusCode::NOT_FOUND, "coach_profile_required");
        let availability =
            send(app.request_as(&user, Method::GET, "/api/v1/coaches/me/availability")).await;
        assert_problem(
            &availability,
            StatusCode::NOT_FOUND,
            "coach_profile_required",
        );
    }
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        coach_profiles::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn a_suspended_coach_is_neither_listed_nor_bookable() {
    let app = spawn_app().await;
    let (user, profile) = coach(&app, "suspended@coach.ca", "America/Toronto").await;
    let learner = app.users.learner.clone();
    let at = rusing_academy_tests::coaching::slot_after(
        &app,
        profile.id,
        "single",
        chrono::Duration::days(2),
    )
    .await;
    assert_eq!(search(&app, "").await, set(&[profile.id]));

    let suspended = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", user.id),
        )
        .json(&json!({"status": "suspended"})),
    )
    .await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.text());
    assert_eq!(
        profile_row(&app, profile.id).await.status,
        CoachStatus::Active
    );

    assert!(search(&app, "").await.is_empty());
    let path = format!("/api/v1/coaches/{}", profile.id);
    assert_problem(
        &send(app.get(&path)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &send(app.get(&format!("{path}/slots"))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let booking = send(
        app.request_as(&learner, Method::POST, "/api/v1/sessions")
            .json(&json!({"coachId": profile.id, "type": "single", "scheduledAt": at})),
    )
    .await;
    assert_problem(&booking, StatusCode::NOT_FOUND, "not_found");
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        entity::coaching::sessions::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );
    // Administrators still see the profile.
    let by_admin = send(app.request_as(&app.users.admin, Method::GET, &path)).await;
    assert_eq!(json_ok(&by_admin, StatusCode::OK)["id"], profile.id);
}

#[tokio::test]
async fn a_demoted_coach_is_no_longer_listed_bookable_or_editable() {
    let app = spawn_app().await;
    let (coach_user, profile) = coach(&app, "demoted@coach.ca", "America/Toronto").await;
    let slot = rusing_academy_tests::coaching::slot_after(
        &app,
        profile.id,
        "single",
        chrono::Duration::days(2),
    )
    .await;

    let demoted = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", coach_user.id),
        )
        .json(&json!({"role": "learner"})),
    )
    .await;
    assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.text());
    let now_a_learner = users::Entity::find_by_id(coach_user.id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now_a_learner.role, UserRole::Learner);

    assert!(!search(&app, "").await.contains(&profile.id));
    assert_problem(
        &send(app.get(&format!("/api/v1/coaches/{}", profile.id))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let booking = rusing_academy_tests::coaching::book(
        &app,
        &app.users.learner,
        &json!({"coachId": profile.id, "type": "single", "scheduledAt": slot}),
    )
    .await;
    assert_problem(&booking, StatusCode::NOT_FOUND, "not_found");
    let edit = send(
        app.request_as(&now_a_learner, Method::PATCH, "/api/v1/coaches/me")
            .json(&json!({"status": "active", "bio": "Still here"})),
    )
    .await;
    assert_problem(&edit, StatusCode::NOT_FOUND, "coach_profile_required");
    let row = profile_row(&app, profile.id).await;
    assert_eq!(row.bio, None);
    assert_eq!(
        entity::coaching::sessions::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );
}
