//! Connecting: the authorize URL, Calendly's redirect (which checks the signed `state` and hands
//! the code to the web application), the completion bound to the signed-in coach, and tokens that
//! exist in the database only encrypted, for their own row.

use entity::calendly::coach_calendly_integrations as integrations;
use entity::enums::UserRole;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::calendly::*;
use rusing_academy_tests::fixtures::db_user;
use sea_orm::{EntityTrait, PaginatorTrait};
use secrecy::ExposeSecret;
use service::calendly::{state, token_aad};

fn error_location(code: &str) -> String {
    format!("{APP_BASE_URL}/coach/integrations?calendly=error&code={code}")
}

#[tokio::test]
async fn a_coach_connects_and_the_tokens_are_stored_encrypted_for_their_row_only() {
    let fake = FakeCalendly::start("COACH1").await;
    let app = spawn_app_for(&fake, &[]).await;
    let coach = app.users.coach.clone();
    let profile = db_coach_profile(&app.db.conn, &coach).await;

    let response = send(app.request_as(
        &coach,
        Method::GET,
        "/api/v1/integrations/calendly/authorize",
    ))
    .await;
    let body = json_ok(&response, StatusCode::OK);
    let url = body["authorizeUrl"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/oauth/authorize?", fake.base)),
        "{url}"
    );
    let query = parse_form(url.split_once('?').unwrap().1);
    // Under PUBLIC_BASE_URL (the test apps' is `http://127.0.0.1:0`: they listen on port 0).
    let redirect_uri = query["redirect_uri"].clone();
    assert!(redirect_uri.ends_with("/api/v1/integrations/calendly/callback"));
    assert_eq!(query["client_id"], CLIENT_ID);
    assert_eq!(query["response_type"], "code");
    assert!(body["expiresAt"].is_string());

    // Calendly's redirect connects nothing: back to the application with the code and the state.
    let response = callback(&app, "the-code", &query["state"]).await;
    let back = location(&response);
    assert!(
        back.starts_with(&format!(
            "{APP_BASE_URL}/coach/integrations?calendly=authorized&code=the-code&state="
        )),
        "{back}"
    );
    let (code, state) = authorized(&response);
    assert_eq!(
        (code.as_str(), state.as_str()),
        ("the-code", query["state"].as_str())
    );
    assert!(fake.received().is_empty(), "nothing sent to Calendly yet");
    assert_eq!(
        integrations::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );

    // The web application completes as the coach.
    let response = complete(&app, &coach, &code, &state).await;
    let body = json_ok(&response, StatusCode::OK);
    assert_eq!(
        body,
        serde_json::json!({"coachId": profile.id, "calendlyUserUri": fake.user, "connected": true})
    );

    // The code was exchanged once, with the client's secret and the same redirect URI.
    let exchanges = fake.grants("authorization_code");
    assert_eq!(exchanges.len(), 1);
    let form = exchanges[0].form();
    assert_eq!(form["code"], "the-code");
    assert_eq!(form["client_secret"], CLIENT_SECRET);
    assert_eq!(form["redirect_uri"], redirect_uri);
    // The webhook is subscribed for the coach's user, signed with the configured key.
    let subscribed = fake.requests("POST", "/webhook_subscriptions");
    assert_eq!(subscribed.len(), 1);
    let sent = subscribed[0].json();
    assert_eq!(
        sent["url"],
        redirect_uri.replace("/integrations/calendly/callback", "/webhooks/calendly")
    );
    assert_eq!(sent["user"], fake.user);
    assert_eq!(sent["scope"], "user");
    assert_eq!(sent["signing_key"], SIGNING_KEY);
    assert_eq!(
        sent["events"],
        serde_json::json!(["invitee.created", "invitee.canceled"])
    );

    let row = integrations::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .expect("the integration");
    assert_eq!(row.coach_id, profile.id);
    assert_eq!(row.calendly_user_uri.as_deref(), Some(fake.user.as_str()));
    assert_eq!(
        row.webhook_subscription_uri,
        Some(fake.subscriptions()[0].0.clone())
    );
    assert!(row.active);
    assert!(row.token_expires_at.is_some());

    // No token the fake handed out is anywhere in the database, or in any response.
    let tokens = fake.tokens();
    assert_eq!(tokens.len(), 2);
    let dump = database_dump(&app).await;
    assert!(
        dump.contains("coachCalendlyIntegrations"),
        "the dump reads the table"
    );
    for token in &tokens {
        assert!(
            !dump.contains(token.as_str()),
            "plaintext token in the database"
        );
    }
    assert_no_response_contains(&tokens);

    // The stored values decrypt to the tokens, for their own row and column only.
    let cipher = cipher();
    let access = row.access_token.expose();
    let refresh = row.refresh_token.expose();
    assert!(access.starts_with("v1:") && refresh.starts_with("v1:"));
    assert_eq!(
        cipher
            .decrypt(access, &token_aad(profile.id, "access"))
            .unwrap()
            .expose_secret(),
        tokens[0]
    );
    assert_eq!(
        cipher
            .decrypt(refresh, &token_aad(profile.id, "refresh"))
            .unwrap()
            .expose_secret(),
        tokens[1]
    );
    assert!(
        cipher
            .decrypt(access, &token_aad(profile.id + 1, "access"))
            .is_err()
    );
    assert!(
        cipher
            .decrypt(access, &token_aad(profile.id, "refresh"))
            .is_err()
    );

    // Replaying the completion: Calendly refuses the used code; the connection is unchanged.
    let replay = complete(&app, &coach, "the-code", &query["state"]).await;
    assert_problem(
        &replay,
        StatusCode::BAD_REQUEST,
        "calendly_authorization_refused",
    );
    let after = integrations::Entity::find()
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after, row);
}

#[tokio::test]
async fn forged_expired_or_foreign_states_are_refused_and_nothing_is_stored() {
    let fake = FakeCalendly::start("COACH1").await;
    let app = spawn_app_for(&fake, &[]).await;
    let coach = app.users.coach.clone();
    let profile = db_coach_profile(&app.db.conn, &coach).await;
    let other = db_user(&app.db.conn, "other.coach@example.gc.ca", UserRole::Coach).await;
    let others_profile = db_coach_profile(&app.db.conn, &other).await;

    let genuine = authorize_state(&app, &coach).await;
    let key = cipher().derive("calendly.oauth-state");
    let now = chrono::Utc::now();
    let (expired, _) = state::sign(
        &key,
        profile.id,
        coach.id,
        now - chrono::Duration::minutes(11),
    );
    let (wrong_key, _) = state::sign(
        b"not the server's key, not at all!",
        profile.id,
        coach.id,
        now,
    );
    // Signed by the server, but the profile is not that user's, or does not exist.
    let (not_theirs, _) = state::sign(&key, others_profile.id, coach.id, now);
    let (no_profile, _) = state::sign(&key, 999_999, coach.id, now);
    let forged = genuine.replacen(
        &format!("v1.{}.", profile.id),
        &format!("v1.{}.", others_profile.id),
        1,
    );
    assert_ne!(forged, genuine);

    // Calendly's redirect checks the signature and the expiry.
    for (state, code) in [
        (forged.as_str(), "calendly_state_invalid"),
        (wrong_key.as_str(), "calendly_state_invalid"),
        ("garbage", "calendly_state_invalid"),
        (expired.as_str(), "calendly_state_expired"),
    ] {
        let response = callback(&app, "a-code", state).await;
        assert_eq!(location(&response), error_location(code), "{state}");
    }
    // Without a code (and no error) there is nothing to complete.
    let no_code = send(
        app.get("/api/v1/integrations/calendly/callback")
            .query(&[("state", genuine.as_str())]),
    )
    .await;
    assert_eq!(location(&no_code), error_location("calendly_state_invalid"));

    // The completion checks it all again, and the profile: each refused before any exchange.
    for (state, code) in [
        (forged.as_str(), "calendly_state_invalid"),
        (wrong_key.as_str(), "calendly_state_invalid"),
        ("garbage", "calendly_state_invalid"),
        (not_theirs.as_str(), "calendly_state_invalid"),
        (no_profile.as_str(), "calendly_state_invalid"),
        (expired.as_str(), "calendly_state_expired"),
    ] {
        let response = complete(&app, &coach, "a-code", state).await;
        assert_problem(&response, StatusCode::BAD_REQUEST, code);
    }
    // Bodies out of bounds (a missing state, an empty or too long code).
    for body in [
        serde_json::json!({"code": "a-code"}),
        serde_json::json!({"code": "", "state": genuine}),
        serde_json::json!({"code": "x".repeat(513), "state": genuine}),
    ] {
        let response = send(
            app.request_as(
                &coach,
                Method::POST,
                "/api/v1/integrations/calendly/callback",
            )
            .json(&body),
        )
        .await;
        assert_problem(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    // Declining on Calendly's page.
    let declined = send(
        app.get("/api/v1/integrations/calendly/callback")
            .query(&[("error", "access_denied"), ("state", genuine.as_str())]),
    )
    .await;
    assert_eq!(
        location(&declined),
        error_location("calendly_access_denied")
    );
    // Without a state the request itself is malformed.
    let missing = send(app.get("/api/v1/integrations/calendly/callback?code=x")).await;
    assert_problem(&missing, StatusCode::BAD_REQUEST, "invalid_query");

    assert!(
        fake.grants("authorization_code").is_empty(),
        "no code exchanged"
    );
    assert_eq!(
        integrations::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn only_coaches_connect_and_only_where_calendly_is_configured() {
    let fake = FakeCalendly::start("COACH1").await;
    let app = spawn_app_for(&fake, &[]).await;
    let authorize = "/api/v1/integrations/calendly/authorize";
    for user in [&app.users.learner, &app.users.coach] {
        let response = send(app.request_as(user, Method::GET, authorize)).await;
        assert_problem(&response, StatusCode::FORBIDDEN, "calendly_coach_required");
    }
    let anonymous = send(app.get(authorize)).await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");

    let unconfigured = spawn_app().await;
    db_coach_profile(&unconfigured.db.conn, &unconfigured.users.coach).await;
    let response =
        send(unconfigured.request_as(&unconfigured.users.coach, Method::GET, authorize)).await;
    assert_problem(
        &response,
        StatusCode::SERVICE_UNAVAILABLE,
        "calendly_not_configured",
    );
    let response = deliver(
        &unconfigured,
        &invitee_created(&fake, "E1", "x@example.gc.ca"),
    )
    .await;
    assert_problem(
        &response,
        StatusCode::SERVICE_UNAVAILABLE,
        "calendly_not_configured",
    );
    let response = callback(&unconfigured, "a-code", "a-state").await;
    assert!(
        location(&response)
            .ends_with("/coach/integrations?calendly=error&code=calendly_not_configured")
    );
    let response = complete(
        &unconfigured,
        &unconfigured.users.coach,
        "a-code",
        "a-state",
    )
    .await;
    assert_problem(
        &response,
        StatusCode::SERVICE_UNAVAILABLE,
        "calendly_not_configured",
    );

    // Completing takes a signed-in person: no credentials, or an API key, are refused.
    let anonymous = send(
        app.post("/api/v1/integrations/calendly/callback")
            .json(&serde_json::json!({"code": "a-code", "state": "a-state"})),
    )
    .await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");
}

/// The link hijack: coach A sends their authorize URL to V, V approves on Calendly, and V's
/// browser comes back signed in as V. The state names A, so V's completion connects nothing, and
/// V's code never reaches Calendly's token endpoint.
#[tokio::test]
async fn a_state_completes_only_for_the_user_it_was_made_for() {
    let fake = FakeCalendly::start("VICTIM").await;
    let app = spawn_app_for(&fake, &[]).await;
    let attacker = app.users.coach.clone();
    db_coach_profile(&app.db.conn, &attacker).await;
    let victim = db_user(&app.db.conn, "victim.coach@example.gc.ca", UserRole::Coach).await;
    db_coach_profile(&app.db.conn, &victim).await;

    let state = authorize_state(&app, &attacker).await;
    // The victim approves: Calendly's redirect hands the (valid) code to the application.
    let (code, state) = authorized(&callback(&app, "victims-code", &state).await);
    for someone_else in [&victim, &app.users.learner, &app.users.admin] {
        let response = complete(&app, someone_else, &code, &state).await;
        assert_problem(&response, StatusCode::BAD_REQUEST, "calendly_state_invalid");
    }
    assert!(
        fake.grants("authorization_code").is_empty(),
        "no code exchanged"
    );
    assert!(fake.received().is_empty(), "nothing sent to Calendly");
    assert_eq!(
        integrations::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn a_calendly_account_connects_to_one_coach_at_a_time() {
    let fake = FakeCalendly::start("SHARED").await;
    let app = spawn_app_for(&fake, &[]).await;
    db_coach_profile(&app.db.conn, &app.users.coach).await;
    connect(&app, &app.users.coach).await;
    let other = db_user(&app.db.conn, "other.coach@example.gc.ca", UserRole::Coach).await;
    db_coach_profile(&app.db.conn, &other).await;

    let state = authorize_state(&app, &other).await;
    let (code, state) = authorized(&callback(&app, "second-code", &state).await);
    let response = complete(&app, &other, &code, &state).await;
    assert_problem(&response, StatusCode::CONFLICT, "calendly_account_in_use");
    assert_eq!(
        integrations::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        1
    );
    // Connecting again as the same coach replaces the connection (and cleans up the old one).
    connect(&app, &app.users.coach).await;
    assert_eq!(
        integrations::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        1
    );
    app.run_due_jobs().await;
    assert_eq!(fake.subscriptions().len(), 1, "the subscription is reused");
    assert_eq!(fake.revoked().len(), 2, "the replaced tokens are revoked");
}
