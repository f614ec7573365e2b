//! Stripe Connect: a coach's Express account, created once, its onboarding link, and
//! `account.updated` making the coach payable (or not).

use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::{coach, profile_row};
use rusing_academy_tests::payments::shop;

#[tokio::test]
async fn onboarding_creates_one_express_account_and_account_updated_makes_the_coach_payable() {
    let shop = shop().await;
    let app = &shop.app;
    let (user, profile) = coach(app, "connect@example.gc.ca", "America/Toronto").await;
    let responses = join_all((0..5).map(|_| {
        send(app.request_as(&user, Method::POST, "/api/v1/coaches/me/stripe/onboarding"))
    }))
    .await;
    for response in &responses {
        let body = json_ok(response, StatusCode::OK);
        assert!(body["url"].as_str().unwrap().starts_with("https://"));
        assert_eq!(body["payoutsEnabled"], false);
    }
    let accounts = shop.stripe.accounts();
    let row = profile_row(app, profile.id).await;
    let account = row.stripe_connect_id.clone().unwrap();
    assert!(accounts.iter().any(|a| a.id == account));
    let created: Vec<_> = shop.stripe.requests_to("/v1/accounts");
    let call = &created[0];
    assert_eq!(call.field("type"), Some("express"));
    assert_eq!(call.field("country"), Some("CA"));
    assert_eq!(
        call.field("metadata[coachProfileId]"),
        Some(profile.id.to_string().as_str())
    );
    // One key for the profile: Stripe made one account however many requests raced.
    assert!(
        created
            .iter()
            .all(|c| c.idempotency_key.as_deref() == Some(&*format!("connect:{}", profile.id)))
    );
    assert_eq!(shop.stripe.accounts().len(), 1);
    let links = shop.stripe.requests_to("/v1/account_links");
    assert!(
        links
            .iter()
            .all(|l| l.field("account") == Some(account.as_str()))
    );
    assert_eq!(links[0].field("type"), Some("account_onboarding"));

    shop.processed(&shop.stripe.account_updated(&account, true))
        .await;
    assert!(profile_row(app, profile.id).await.payouts_enabled);
    shop.processed(&shop.stripe.account_updated(&account, false))
        .await;
    assert!(!profile_row(app, profile.id).await.payouts_enabled);
}

#[tokio::test]
async fn only_coaches_onboard_and_see_earnings() {
    let shop = shop().await;
    let app = &shop.app;
    for path in ["/api/v1/coaches/me/stripe/onboarding"] {
        let response = send(app.request_as(&app.users.learner, Method::POST, path)).await;
        assert_problem(&response, StatusCode::NOT_FOUND, "coach_profile_required");
    }
    let response = send(app.request_as(
        &app.users.learner,
        Method::GET,
        "/api/v1/coaches/me/earnings",
    ))
    .await;
    assert_problem(&response, StatusCode::NOT_FOUND, "coach_profile_required");
    assert!(shop.stripe.requests_to("/v1/accounts").is_empty());
}
