//! `coachAvailability`: Weekly availability windows in the coach's time zone.

use sea_orm::entity::prelude::*;

/// A row of `coachAvailability`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "coachAvailability", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `coachProfiles.id`.
    pub coach_id: i64,
    /// 0 = Sunday ... 6 = Saturday.
    pub day_of_week: i32,
    /// HH:MM.
    #[sea_orm(column_type = "String(StringLen::N(5))")]
    pub start_time: String,
    /// HH:MM.
    #[sea_orm(column_type = "String(StringLen::N(5))")]
    pub end_time: String,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub timezone: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::coaching::coach_profiles::Entity",
        from = "Column::CoachId",
        to = "crate::coaching::coach_profiles::Column::Id",
        on_delete = "Cascade"
    )]
    CoachProfiles,
}

impl Related<crate::coaching::coach_profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoachProfiles.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
