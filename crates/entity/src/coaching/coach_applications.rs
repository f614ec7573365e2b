//! `coachApplications`: Become-a-coach requests, approved or rejected by an admin.

use crate::enums::ApplicationStatus;
use sea_orm::entity::prelude::*;

/// A row of `coachApplications`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "coachApplications", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// References `users.id`.
    pub user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub motivation: String,
    #[sea_orm(column_type = "String(StringLen::N(255))", nullable)]
    pub specialization: Option<String>,
    #[sea_orm(nullable)]
    pub proposed_hourly_rate: Option<i64>,
    /// Proposed trial-session rate in cents.
    #[sea_orm(nullable)]
    pub proposed_trial_rate: Option<i64>,
    /// Languages coached (`["en","fr"]`).
    #[sea_orm(nullable)]
    pub languages: Option<Json>,
    /// Specialisation tags (`["oral_exam", …]`).
    #[sea_orm(nullable)]
    pub specializations: Option<Json>,
    /// The applicant's own SLE levels (`{"reading":"C","writing":"C","oral":"C"}`).
    #[sea_orm(nullable)]
    pub sle_levels: Option<Json>,
    pub status: ApplicationStatus,
    /// References `users.id`.
    #[sea_orm(nullable)]
    pub reviewed_by: Option<i64>,
    #[sea_orm(nullable)]
    pub reviewed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "String(StringLen::N(1000))", nullable)]
    pub review_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::UserId",
        to = "crate::users::users::Column::Id",
        on_delete = "Restrict"
    )]
    Users,
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::ReviewedBy",
        to = "crate::users::users::Column::Id",
        on_delete = "SetNull"
    )]
    ReviewedBy,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
