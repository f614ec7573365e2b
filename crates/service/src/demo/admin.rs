//! Administration: the feature flags.

use entity::admin::feature_flags;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::Value as Json;

use super::Seeder;

/// Seeds [`FEATURE_FLAGS`].
pub(super) async fn seed(seeder: &mut Seeder<'_>) -> Result<(), DbErr> {
    for flag in FEATURE_FLAGS {
        let row = feature_flags::ActiveModel {
            key: Set(flag.key.to_owned()),
            enabled: Set(flag.enabled),
            description: Set(Some(flag.description.to_owned())),
            roles: Set(Json::from(flag.roles)),
            rollout_percentage: Set(flag.rollout_percentage),
            user_ids: Set(Json::Array(Vec::new())),
            created_at: Set(seeder.now),
            updated_at: Set(seeder.now),
            ..Default::default()
        };
        let existing =
            feature_flags::Entity::find().filter(feature_flags::Column::Key.eq(flag.key));
        seeder.find_or_insert(existing, row).await?;
    }
    Ok(())
}

struct DemoFeatureFlag {
    key: &'static str,
    description: &'static str,
    enabled: bool,
    rollout_percentage: i32,
    /// Empty = every role.
    roles: &'static [&'static str],
}

const FEATURE_FLAGS: &[DemoFeatureFlag] = &[
    DemoFeatureFlag {
        key: "offline_sync",
        description: "Offline lesson progress, synchronised when the device is back online.",
        enabled: true,
        rollout_percentage: 100,
        roles: &[],
    },
    DemoFeatureFlag {
        key: "ai_pronunciation_coach",
        description: "AI feedback on pronunciation in oral practice lessons.",
        enabled: true,
        rollout_percentage: 25,
        roles: &["learner"],
    },
    DemoFeatureFlag {
        key: "hr_dashboard_v2",
        description: "Redesigned HR dashboard with budget forecasts.",
        enabled: false,
        rollout_percentage: 0,
        roles: &[],
    },
];
