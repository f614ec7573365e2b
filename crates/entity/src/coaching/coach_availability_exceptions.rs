//! `coachAvailabilityExceptions`: Days off and extra slots.

use sea_orm::entity::prelude::*;

/// A row of `coachAvailabilityExceptions`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "coachAvailabilityExceptions", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `coachProfiles.id`.
    pub coach_id: i64,
    pub date: Date,
    /// HH:MM; NULL with endTime = the whole day.
    #[sea_orm(column_type = "String(StringLen::N(5))", nullable)]
    pub start_time: Option<String>,
    #[sea_orm(column_type = "String(StringLen::N(5))", nullable)]
    pub end_time: Option<String>,
    pub available: bool,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
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
