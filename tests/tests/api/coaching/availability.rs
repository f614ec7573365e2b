//! A coach's weekly availability and dated exceptions, and the free slots computed from them in
//! the coach's time zone (across a DST change), for trials and single sessions.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::coaching::{coach_availability, coach_availability_exceptions, coach_profiles};
use entity::users::users;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{coach, profile_row, set_availability, slots};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn instants(slots: &[String]) -> Vec<DateTime<Utc>> {
    slots.iter().map(|s| s.parse().unwrap()).collect()
}

fn every_day(start: &str, end: &str) -> Vec<Value> {
    (0..7)
        .map(|day| json!({"dayOfWeek": day, "startTime": start, "endTime": end}))
        .collect()
}

async fn windows_of(app: &TestApp, coach: &coach_profiles::Model) -> u64 {
    coach_availability::Entity::find()
        .filter(coach_availability::Column::CoachId.eq(coach.id))
        .count(&app.db.conn)
        .await
        .unwrap()
}

async fn put(app: &TestApp, user: &users::Model, body: Value) -> TestResponse {
    send(
        app.request_as(user, Method::PUT, "/api/v1/coaches/me/availability")
            .json(&body),
    )
    .await
}

#[tokio::test]
async fn a_coach_replaces_the_weekly_availability_and_reads_it_back() {
    let app = spawn_app().await;
    let (user, profile) = coach(&app, "avail@coach.ca", "America/Toronto").await;
    assert_eq!(windows_of(&app, &profile).await, 7);

    let windows = json!([
        {"dayOfWeek": 3, "startTime": "13:00", "endTime": "17:00"},
        {"dayOfWeek": 1, "startTime": "09:00", "endTime": "12:00"}
    ]);
    let response = put(
        &app,
        &user,
        json!({"timezone": "America/Vancouver", "windows": windows}),
    )
    .await;
    let body = json_ok(&response, StatusCode::OK);
    let expected = json!([
        {"dayOfWeek": 1, "startTime": "09:00", "endTime": "12:00"},
        {"dayOfWeek": 3, "startTime": "13:00", "endTime": "17:00"}
    ]);
    assert_eq!(body["windows"], expected);
    assert_eq!(body["timezone"], "America/Vancouver");
    assert_eq!(windows_of(&app, &profile).await, 2);
    assert_eq!(
        profile_row(&app, profile.id).await.timezone,
        "America/Vancouver"
    );
    let read = send(app.request_as(&user, Method::GET, "/api/v1/coaches/me/availability")).await;
    let read = json_ok(&read, StatusCode::OK);
    assert_eq!(read["windows"], expected);
    assert_eq!(read["timezone"], "America/Vancouver");

    for bad in [
        json!([{"dayOfWeek": 2, "startTime": "12:00", "endTime": "09:00"}]),
        json!([{"dayOfWeek": 2, "startTime": "09:00", "endTime": "09:00"}]),
        json!([{"dayOfWeek": 7, "startTime": "09:00", "endTime": "10:00"}]),
    ] {
        let refused = put(
            &app,
            &user,
            json!({"timezone": "America/Toronto", "windows": bad}),
        )
        .await;
        assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    let bad_zone = put(
        &app,
        &user,
        json!({"timezone": "Mars/Olympus", "windows": []}),
    )
    .await;
    assert_problem(
        &bad_zone,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    // Nothing changed.
    assert_eq!(windows_of(&app, &profile).await, 2);
    assert_eq!(
        profile_row(&app, profile.id).await.timezone,
        "America/Vancouver"
    );

    // An empty week is allowed and leaves no slot.
    let cleared = put(
        &app,
        &user,
        json!({"timezone": "America/Toronto", "windows": []}),
    )
    .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.text());
    assert_eq!(windows_of(&app, &profile).await, 0);
    assert!(
        slots(&app, profile.id, "single", service::now(), 7)
            .await
            .is_empty()
    );
}

async fn add_exception(app: &TestApp, user: &users::Model, body: Value) -> TestResponse {
    send(
        app.request_as(
            user,
            Method::POST,
            "/api/v1/coaches/me/availability-exceptions",
        )
        .json(&body),
    )
    .await
}

/// The slots of a local day in America/Regina (UTC−6 all year, no DST).
async fn regina_day(app: &TestApp, coach: i64, day: NaiveDate) -> Vec<DateTime<Utc>> {
    let midnight = day.and_hms_opt(6, 0, 0).unwrap().and_utc();
    instants(&slots(app, coach, "single", midnight, 1).await)
}

fn utc(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, minute, 0).unwrap().and_utc()
}

#[tokio::test]
async fn exceptions_take_days_and_hours_off_and_add_hours() {
    let app = spawn_app().await;
    let (user, profile) = coach(&app, "exceptions@coach.ca", "America/Regina").await;
    set_availability(&app, &user, "America/Regina", &every_day("09:00", "12:00")).await;
    let today = (service::now() - Duration::hours(6)).date_naive();
    let (d1, d2, d3) = (
        today + Duration::days(7),
        today + Duration::days(8),
        today + Duration::days(9),
    );
    let weekly = |d: NaiveDate| -> Vec<DateTime<Utc>> {
        // 09:00–12:00 CST = 15:00–18:00Z: one-hour sessions start 15:00 … 17:00.
        (0..5)
            .map(|i| utc(d, 15, 0) + Duration::minutes(30 * i))
            .collect()
    };
    assert_eq!(regina_day(&app, profile.id, d1).await, weekly(d1));

    let day_off = add_exception(
        &app,
        &user,
        json!({"date": d1, "available": false, "reason": "Holidays"}),
    )
    .await;
    let day_off = json_ok(&day_off, StatusCode::CREATED);
    assert_eq!(day_off["available"], false);
    assert!(regina_day(&app, profile.id, d1).await.is_empty());
    assert_eq!(regina_day(&app, profile.id, d2).await, weekly(d2));

    let extra = add_exception(
        &app,
        &user,
        json!({"date": d2, "startTime": "18:00", "endTime": "19:00", "available": true}),
    )
    .await;
    assert_eq!(extra.status, StatusCode::CREATED, "{}", extra.text());
    let mut with_extra = weekly(d2);
    with_extra.push(utc(d3, 0, 0)); // 18:00 CST
    assert_eq!(regina_day(&app, profile.id, d2).await, with_extra);

    let hours_off = add_exception(
        &app,
        &user,
        json!({"date": d3, "startTime": "10:00", "endTime": "12:00", "available": false}),
    )
    .await;
    assert_eq!(
        hours_off.status,
        StatusCode::CREATED,
        "{}",
        hours_off.text()
    );
    assert_eq!(regina_day(&app, profile.id, d3).await, [utc(d3, 15, 0)]);

    let read = send(app.request_as(&user, Method::GET, "/api/v1/coaches/me/availability")).await;
    let read = json_ok(&read, StatusCode::OK);
    assert_eq!(read["exceptions"].as_array().unwrap().len(), 3);
    let rows = coach_availability_exceptions::Entity::find()
        .filter(coach_availability_exceptions::Column::CoachId.eq(profile.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 3);

    // Another coach cannot delete it; its coach can, once.
    let id = day_off["id"].as_i64().unwrap();
    let path = format!("/api/v1/coaches/me/availability-exceptions/{id}");
    let (other, _) = coach(&app, "other@coach.ca", "America/Toronto").await;
    let foreign = send(app.request_as(&other, Method::DELETE, &path)).await;
    assert_problem(&foreign, StatusCode::NOT_FOUND, "not_found");
    let deleted = send(app.request_as(&user, Method::DELETE, &path)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text());
    assert!(
        coach_availability_exceptions::Entity::find_by_id(id)
            .one(&app.db.conn)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(regina_day(&app, profile.id, d1).await, weekly(d1));
    let again = send(app.request_as(&user, Method::DELETE, &path)).await;
    assert_problem(&again, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn malformed_exceptions_are_refused() {
    let app = spawn_app().await;
    let (user, profile) = coach(&app, "exceptions@coach.ca", "America/Toronto").await;
    let ahead = (service::now() + Duration::days(5)).date_naive();
    let past = (service::now() - Duration::days(5)).date_naive();
    for (body, field) in [
        (
            json!({"date": ahead, "startTime": "10:00", "available": false}),
            "endTime",
        ),
        (json!({"date": ahead, "available": true}), "startTime"),
        (
            json!({"date": ahead, "startTime": "12:00", "endTime": "10:00", "available": true}),
            "endTime",
        ),
        (json!({"date": past, "available": false}), "date"),
    ] {
        let refused = add_exception(&app, &user, body.clone()).await;
        let problem = assert_problem(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert!(error_fields(&problem).contains(field), "{body}: {problem}");
    }
    let rows = coach_availability_exceptions::Entity::find()
        .filter(coach_availability_exceptions::Column::CoachId.eq(profile.id))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    let not_a_coach = add_exception(
        &app,
        &app.users.coach,
        json!({"date": ahead, "available": false}),
    )
    .await;
    assert_problem(
        &not_a_coach,
        StatusCode::NOT_FOUND,
        "coach_profile_required",
    );
}

#[tokio::test]
async fn slot_ranges_are_at_most_31_days_and_forward() {
    let app = spawn_app().await;
    let (_, profile) = coach(&app, "range@coach.ca", "America/Toronto").await;
    let path = format!("/api/v1/coaches/{}/slots", profile.id);
    let from = service::now() + Duration::days(1);
    let ask = |to: DateTime<Utc>| {
        let request = app
            .get(&path)
            .query(&[("from", from.to_rfc3339()), ("to", to.to_rfc3339())]);
        send(request)
    };

    let too_long = ask(from + Duration::days(31) + Duration::minutes(1)).await;
    let problem = assert_problem(
        &too_long,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(error_fields(&problem).contains("to"), "{problem}");
    let backwards = ask(from - Duration::hours(1)).await;
    assert_problem(
        &backwards,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let longest = ask(from + Duration::days(31)).await;
    let body = json_ok(&longest, StatusCode::OK);
    // All day every day, 00:00–23:30: 46 one-hour starts a day, over 31 days.
    let count = body["slots"].as_array().unwrap().len();
    assert!((30 * 46..=32 * 46).contains(&count), "{count}");
    let unknown = send(app.get("/api/v1/coaches/999999/slots")).await;
    assert_problem(&unknown, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn local_hours_hold_through_the_spring_change_for_trials_and_single_sessions() {
    let app = spawn_app().await;
    let (user, profile) = coach(&app, "dst@coach.ca", "America/Toronto").await;
    set_availability(&app, &user, "America/Toronto", &every_day("09:00", "10:00")).await;
    // DST starts in Toronto on Sunday 2027-03-14: 09:00 is 14:00Z before, 13:00Z from then on.
    let from = at("2027-03-12T00:00:00Z");

    let single = instants(&slots(&app, profile.id, "single", from, 4).await);
    assert_eq!(
        single,
        [
            at("2027-03-12T14:00:00Z"),
            at("2027-03-13T14:00:00Z"),
            at("2027-03-14T13:00:00Z"),
            at("2027-03-15T13:00:00Z"),
        ]
    );
    let trial = instants(&slots(&app, profile.id, "trial", from, 4).await);
    assert_eq!(
        trial,
        [
            at("2027-03-12T14:00:00Z"),
            at("2027-03-12T14:30:00Z"),
            at("2027-03-13T14:00:00Z"),
            at("2027-03-13T14:30:00Z"),
            at("2027-03-14T13:00:00Z"),
            at("2027-03-14T13:30:00Z"),
            at("2027-03-15T13:00:00Z"),
            at("2027-03-15T13:30:00Z"),
        ]
    );
    let response = send(
        app.get(&format!("/api/v1/coaches/{}/slots", profile.id))
            .query(&[
                ("from", "2027-03-12T00:00:00Z"),
                ("to", "2027-03-16T00:00:00Z"),
                ("type", "trial"),
            ]),
    )
    .await;
    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(body["durationMinutes"], 30);
    assert_eq!(body["timezone"], "America/Toronto");
    assert_eq!(body["type"], "trial");

    // A booked trial at 09:00 on the change day takes the one-hour slot that overlaps it.
    let learner = app.users.learner.clone();
    let booked = send(
        app.request_as(&learner, Method::POST, "/api/v1/sessions")
            .json(&json!({"coachId": profile.id, "type": "trial", "scheduledAt": "2027-03-14T13:00:00Z"})),
    )
    .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.text());
    let single = instants(&slots(&app, profile.id, "single", from, 4).await);
    assert_eq!(
        single,
        [
            at("2027-03-12T14:00:00Z"),
            at("2027-03-13T14:00:00Z"),
            at("2027-03-15T13:00:00Z"),
        ]
    );
    let trial = instants(&slots(&app, profile.id, "trial", from, 4).await);
    assert!(trial.contains(&at("2027-03-14T13:30:00Z")));
    assert!(!trial.contains(&at("2027-03-14T13:00:00Z")));
}

#[tokio::test]
async fn touching_windows_and_extra_hours_make_one_stretch() {
    let app = spawn_app().await;
    let (user, profile) = coach(&app, "split@coach.ca", "America/Regina").await;
    let mut windows = every_day("09:00", "10:30");
    windows.extend(every_day("10:30", "12:00"));
    set_availability(&app, &user, "America/Regina", &windows).await;
    let day = (service::now() - Duration::hours(6)).date_naive() + Duration::days(7);

    // 09:00–12:00 CST as one stretch: 10:00–11:00 spans both windows.
    let expected: Vec<DateTime<Utc>> = (0..5)
        .map(|i| utc(day, 15, 0) + Duration::minutes(30 * i))
        .collect();
    assert_eq!(regina_day(&app, profile.id, day).await, expected);

    // Extra hours right after the weekly ones extend them: 11:30–12:30 fits.
    let extra = add_exception(
        &app,
        &user,
        json!({"date": day, "startTime": "12:00", "endTime": "13:00", "available": true}),
    )
    .await;
    assert_eq!(extra.status, StatusCode::CREATED, "{}", extra.text());
    let expected: Vec<DateTime<Utc>> = (0..7)
        .map(|i| utc(day, 15, 0) + Duration::minutes(30 * i))
        .collect();
    assert_eq!(regina_day(&app, profile.id, day).await, expected);

    // And a booking across the seam is accepted.
    let seam = utc(day, 17, 30);
    let learner = app.users.learner.clone();
    let booked = send(
        app.request_as(&learner, Method::POST, "/api/v1/sessions")
            .json(
                &json!({"coachId": profile.id, "type": "single", "scheduledAt": seam.to_rfc3339()}),
            ),
    )
    .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.text());
}

#[tokio::test]
async fn local_hours_hold_through_the_autumn_change() {
    let app = spawn_app().await;
    let (user, profile) = coach(&app, "autumn@coach.ca", "America/Toronto").await;
    set_availability(&app, &user, "America/Toronto", &every_day("09:00", "10:00")).await;
    // DST ends in Toronto on Sunday 2027-11-07: 09:00 is 13:00Z before, 14:00Z from then on.
    let single = instants(&slots(&app, profile.id, "single", at("2027-11-06T00:00:00Z"), 3).await);
    assert_eq!(
        single,
        [
            at("2027-11-06T13:00:00Z"),
            at("2027-11-07T14:00:00Z"),
            at("2027-11-08T14:00:00Z"),
        ]
    );
}
