//! Calendly: connecting a coach's account (OAuth state, encrypted tokens), refreshing and
//! disconnecting it, and the signed webhook that books and cancels sessions once.

mod connect;
mod tokens;
mod webhooks;
