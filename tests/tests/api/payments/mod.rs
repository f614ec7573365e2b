//! Payments with Stripe, against the fake Stripe (`rusing_academy_tests::stripe`): the gateway,
//! checkout, the webhook, coaching payments and refunds, subscriptions, Connect, and what
//! administrators do.

mod admin;
mod checkout;
mod connect;
mod gateway;
mod sessions;
mod subscriptions;
mod webhook;
