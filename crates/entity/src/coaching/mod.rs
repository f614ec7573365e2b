//! Coaches, their availability, sessions, recordings, feedback and prepaid plans.

pub mod coach_applications;
pub mod coach_availability;
pub mod coach_availability_exceptions;
pub mod coach_profiles;
pub mod coaching_plan_purchases;
pub mod coaching_plans;
pub mod session_feedback;
pub mod session_recordings;
pub mod sessions;
