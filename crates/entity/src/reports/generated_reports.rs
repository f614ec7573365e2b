//! `generatedReports`: Generated PDF reports and their status.

use crate::enums::ReportStatus;
use sea_orm::entity::prelude::*;

/// A row of `generatedReports`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "generatedReports", rename_all = "camelCase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub r#type: String,
    /// References `users.id`.
    pub generated_by: i64,
    #[sea_orm(column_type = "String(StringLen::N(512))", nullable)]
    pub file_path: Option<String>,
    pub status: ReportStatus,
    pub parameters: Json,
    /// References `organizations.id`.
    #[sea_orm(nullable)]
    pub organization_id: Option<i64>,
    #[sea_orm(nullable)]
    pub expires_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    #[sea_orm(nullable)]
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::users::users::Entity",
        from = "Column::GeneratedBy",
        to = "crate::users::users::Column::Id",
        on_delete = "Restrict"
    )]
    Users,
    #[sea_orm(
        belongs_to = "crate::hr::organizations::Entity",
        from = "Column::OrganizationId",
        to = "crate::hr::organizations::Column::Id",
        on_delete = "SetNull"
    )]
    Organizations,
}

impl Related<crate::users::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<crate::hr::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
