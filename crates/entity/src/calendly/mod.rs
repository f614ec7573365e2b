//! Calendly connections of coaches.

pub mod coach_calendly_integrations;
