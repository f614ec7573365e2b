//! People: accounts, profiles and their Second Language Evaluation results.

pub mod sle_results;
pub mod user_profiles;
pub mod users;
