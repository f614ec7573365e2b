//! Administrators: refunds (partial, then the rest), everyone's payments, coupons and
//! commission tiers; and the buyer's invoices with their PDF.

use entity::enrollments::enrollments;
use entity::enums::{EnrollmentStatus, PaymentStatus, RefundStatus};
use entity::payments::{commission_tiers, coupons, refunds};
use reqwest::{Method, StatusCode};
use rusing_academy_tests::app::*;
use rusing_academy_tests::coaching::audit_actions;
use rusing_academy_tests::payments::{paid_course, shop};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

#[tokio::test]
async fn an_administrator_refunds_part_then_the_rest_and_the_course_is_taken_back() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "refundable", 4900).await;
    let (payment, session) = shop.paid(&app.users.learner, "course", course.id).await;
    let path = format!("/api/v1/payments/{payment}/refunds");

    // Only administrators.
    let response = send(
        app.request_as(&app.users.learner, Method::POST, &path)
            .json(&json!({})),
    )
    .await;
    assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");
    // Not more than was paid.
    let response = send(
        app.request_as(&app.users.admin, Method::POST, &path)
            .json(&json!({"amount": 4901})),
    )
    .await;
    let problem = assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "exceeds_refundable");

    let response = send(
        app.request_as(&app.users.admin, Method::POST, &path)
            .json(&json!({"amount": 1900, "reason": "Partial goodwill"})),
    )
    .await;
    let refund = json_ok(&response, StatusCode::ACCEPTED);
    assert_eq!(refund["status"], "pending");
    // While it is pending, what is left accounts for it.
    let response = send(
        app.request_as(&app.users.admin, Method::POST, &path)
            .json(&json!({"amount": 3001})),
    )
    .await;
    assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    app.run_due_jobs().await;
    let row = shop.payment_row(payment).await;
    assert_eq!(row.status, PaymentStatus::PartiallyRefunded);
    assert_eq!(row.refunded_amount, 1900);
    let intent = shop
        .stripe
        .session(&session)
        .unwrap()
        .payment_intent
        .unwrap();
    assert_eq!(shop.stripe.refunds_for(&intent)[0].amount, 1900);
    assert!(
        !shop.stripe.refunds_for(&intent)[0].reverse_transfer,
        "not a destination charge"
    );
    let enrollment = || async {
        enrollments::Entity::find()
            .filter(enrollments::Column::CourseId.eq(course.id))
            .one(&app.db.conn)
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(enrollment().await.status, EnrollmentStatus::Active);

    // The rest (no amount: all that is left).
    let response = send(
        app.request_as(&app.users.admin, Method::POST, &path)
            .json(&json!({})),
    )
    .await;
    assert_eq!(json_ok(&response, StatusCode::ACCEPTED)["amount"], 3000);
    app.run_due_jobs().await;
    let row = shop.payment_row(payment).await;
    assert_eq!(row.status, PaymentStatus::Refunded);
    assert_eq!(enrollment().await.status, EnrollmentStatus::Refunded);
    let rows = refunds::Entity::find().all(&app.db.conn).await.unwrap();
    assert!(
        rows.iter()
            .all(|r| r.status == RefundStatus::Succeeded
                && r.requested_by == Some(app.users.admin.id))
    );
    let response = send(
        app.request_as(&app.users.admin, Method::POST, &path)
            .json(&json!({})),
    )
    .await;
    assert_problem(&response, StatusCode::CONFLICT, "payment_not_refundable");
    assert_eq!(
        audit_actions(app, "payment", payment).await,
        ["payment.refund_requested", "payment.refund_requested"]
    );

    // The buyer sees both refunds on the payment.
    let response = send(app.request_as(
        &app.users.learner,
        Method::GET,
        &format!("/api/v1/payments/{payment}"),
    ))
    .await;
    let detail = json_ok(&response, StatusCode::OK);
    assert_eq!(detail["status"], "refunded");
    assert_eq!(detail["refunds"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn everyones_payments_are_for_administrators_with_filters() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "listed", 4900).await;
    shop.paid(&app.users.learner, "course", course.id).await;
    shop.checked_out(&app.users.coach, "course", course.id)
        .await;
    let response =
        send(app.request_as(&app.users.learner, Method::GET, "/api/v1/payments?all=true")).await;
    assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");
    let response =
        send(app.request_as(&app.users.admin, Method::GET, "/api/v1/payments?all=true")).await;
    assert_eq!(
        json_ok(&response, StatusCode::OK)["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let response = send(app.request_as(
        &app.users.admin,
        Method::GET,
        "/api/v1/payments?all=true&status=succeeded",
    ))
    .await;
    let page = json_ok(&response, StatusCode::OK);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["userId"], app.users.learner.id);
    let response = send(app.request_as(
        &app.users.admin,
        Method::GET,
        &format!("/api/v1/payments?all=true&userId={}", app.users.coach.id),
    ))
    .await;
    assert_eq!(
        json_ok(&response, StatusCode::OK)["items"][0]["status"],
        "pending"
    );
}

#[tokio::test]
async fn coupons_are_created_changed_and_validated_by_administrators() {
    let shop = shop().await;
    let app = &shop.app;
    let create = |body: serde_json::Value| async move {
        send(
            app.request_as(&app.users.admin, Method::POST, "/api/v1/coupons")
                .json(&body),
        )
        .await
    };
    let response =
        create(json!({"code": "SPRING", "kind": "percentage", "value": 101, "appliesTo": "all"}))
            .await;
    assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let response = create(
        json!({"code": "SPRING", "kind": "fixed_amount", "value": 500, "appliesTo": "all",
        "validFrom": "2027-01-02T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z"}),
    )
    .await;
    assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let response = create(
        json!({"code": "has space", "kind": "fixed_amount", "value": 500, "appliesTo": "all"}),
    )
    .await;
    assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let response = create(
        json!({"code": "spring", "kind": "fixed_amount", "value": 500, "appliesTo": "course"}),
    )
    .await;
    let coupon = json_ok(&response, StatusCode::CREATED);
    assert_eq!(coupon["code"], "SPRING");
    let response =
        create(json!({"code": "Spring", "kind": "percentage", "value": 5, "appliesTo": "all"}))
            .await;
    assert_problem(&response, StatusCode::CONFLICT, "coupon_code_taken");
    let response = send(
        app.request_as(&app.users.learner, Method::POST, "/api/v1/coupons")
            .json(&json!({"code": "MINE", "kind": "percentage", "value": 5, "appliesTo": "all"})),
    )
    .await;
    assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");

    let id = coupon["id"].as_i64().unwrap();
    let response = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/coupons/{id}"),
        )
        .json(&json!({"active": false, "maxUses": 10})),
    )
    .await;
    let changed = json_ok(&response, StatusCode::OK);
    assert_eq!(changed["active"], false);
    assert_eq!(changed["maxUses"], 10);
    let response = send(
        app.request_as(
            &app.users.admin,
            Method::PATCH,
            &format!("/api/v1/coupons/{id}"),
        )
        .json(&json!({"maxUses": null})),
    )
    .await;
    assert_eq!(
        json_ok(&response, StatusCode::OK)["maxUses"],
        serde_json::Value::Null
    );
    let row = coupons::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.active && row.max_uses.is_none());
    // An inactive coupon is unknown at checkout.
    let course = paid_course(app, "inactive-coupon", 4900).await;
    let response = shop
        .checkout(&app.users.learner, "course", course.id, Some("SPRING"))
        .await;
    let problem = assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "unknown_coupon");
    let response = send(app.request_as(&app.users.admin, Method::GET, "/api/v1/coupons")).await;
    assert_eq!(
        json_ok(&response, StatusCode::OK).as_array().unwrap().len(),
        1
    );
    assert_eq!(
        audit_actions(app, "coupon", id).await,
        ["coupon.created", "coupon.updated", "coupon.updated"]
    );
}

#[tokio::test]
async fn commission_tiers_are_replaced_whole_and_must_cover_every_hour() {
    let shop = shop().await;
    let app = &shop.app;
    let put = |body: serde_json::Value| async move {
        send(
            app.request_as(&app.users.admin, Method::PUT, "/api/v1/commission-tiers")
                .json(&body),
        )
        .await
    };
    let gap = json!({"tiers": [
        {"name": "a", "minHours": 0, "maxHours": 10, "feeBps": 2000, "sleVerifiedOnly": false},
        {"name": "b", "minHours": 12, "maxHours": null, "feeBps": 1500, "sleVerifiedOnly": false}
    ]});
    let response = put(gap).await;
    let problem = assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(problem["errors"][0]["code"], "invalid_ranges");
    let response = put(json!({"tiers": [{"name": "a", "minHours": 0, "maxHours": null, "feeBps": 10001, "sleVerifiedOnly": false}]})).await;
    assert_problem(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let response = put(json!({"tiers": [
        {"name": "flat", "minHours": 0, "maxHours": null, "feeBps": 2000, "sleVerifiedOnly": false},
        {"name": "verified", "minHours": 0, "maxHours": null, "feeBps": 1200, "sleVerifiedOnly": true}
    ]})).await;
    assert_eq!(
        json_ok(&response, StatusCode::OK).as_array().unwrap().len(),
        2
    );
    assert_eq!(
        commission_tiers::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap(),
        2
    );
    let response =
        send(app.request_as(&app.users.learner, Method::GET, "/api/v1/commission-tiers")).await;
    assert_problem(&response, StatusCode::FORBIDDEN, "forbidden");
    let response =
        send(app.request_as(&app.users.admin, Method::GET, "/api/v1/commission-tiers")).await;
    assert_eq!(json_ok(&response, StatusCode::OK)[0]["feeBps"], 2000);
}

#[tokio::test]
async fn the_buyer_gets_a_bilingual_invoice_pdf_and_nobody_else_does() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "invoiced", 4900).await;
    let (payment, _) = shop.paid(&app.users.learner, "course", course.id).await;
    let response = send(app.request_as(&app.users.learner, Method::GET, "/api/v1/invoices")).await;
    let page = json_ok(&response, StatusCode::OK);
    let invoice = &page["items"][0];
    assert_eq!(invoice["paymentId"], payment);
    assert_eq!(invoice["amount"], 4900);
    assert_eq!(invoice["status"], "paid");
    let number = invoice["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("RA-"));
    let id = invoice["id"].as_i64().unwrap();
    let response = send(app.request_as(
        &app.users.learner,
        Method::GET,
        &format!("/api/v1/invoices/{id}/pdf"),
    ))
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(response.body.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&response.body);
    assert!(text.contains(&number));
    assert!(text.contains("Invoice / Facture"));
    assert!(text.contains(service::payments::invoices::HST_NUMBER));
    let response = send(app.request_as(
        &app.users.coach,
        Method::GET,
        &format!("/api/v1/invoices/{id}/pdf"),
    ))
    .await;
    assert_problem(&response, StatusCode::NOT_FOUND, "not_found");
    let response = send(app.request_as(
        &app.users.admin,
        Method::GET,
        &format!("/api/v1/invoices/{id}/pdf"),
    ))
    .await;
    assert_eq!(response.status, StatusCode::OK);
}

#[tokio::test]
async fn an_administrators_key_needs_payments_admin_to_see_someone_elses_payment() {
    let shop = shop().await;
    let app = &shop.app;
    let course = paid_course(app, "scoped", 4900).await;
    let (payment, _) = shop.paid(&app.users.learner, "course", course.id).await;
    let mut keys = Vec::new();
    for scope in ["payments:read", "payments:admin"] {
        let response = send(
            app.request_as(&app.users.admin, Method::POST, "/api/v1/api-keys")
                .json(&json!({"name": scope, "scopes": [scope]})),
        )
        .await;
        keys.push(
            json_ok(&response, StatusCode::CREATED)["key"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let path = format!("/api/v1/payments/{payment}");
    let response = send(
        app.get(&path)
            .header("Authorization", format!("ApiKey {}", keys[0])),
    )
    .await;
    assert_problem(&response, StatusCode::NOT_FOUND, "not_found");
    let response = send(
        app.get(&path)
            .header("Authorization", format!("ApiKey {}", keys[1])),
    )
    .await;
    assert_problem(&response, StatusCode::FORBIDDEN, "insufficient_scope");
    // With both scopes it is visible.
    let response = send(
        app.request_as(&app.users.admin, Method::POST, "/api/v1/api-keys")
            .json(&json!({"name": "both", "scopes": ["payments:read", "payments:admin"]})),
    )
    .await;
    let both = json_ok(&response, StatusCode::CREATED)["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = send(
        app.get(&path)
            .header("Authorization", format!("ApiKey {both}")),
    )
    .await;
    assert_eq!(json_ok(&response, StatusCode::OK)["id"], payment);
}
