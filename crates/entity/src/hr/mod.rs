//! Client organisations and their budget forecasts.

pub mod budget_forecasts;
pub mod organization_members;
pub mod organizations;
