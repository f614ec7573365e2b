//! HR: the demo organisation, managed by the HR administrator, and its learner members.

use entity::enums::{OrganizationRole, OrganizationStatus};
use entity::hr::{organization_members, organizations};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::{Seeder, users::HR_ADMIN};

/// Seeds [`ORGANIZATION`] with `manager_id` as its manager and `member_ids` as members.
pub(super) async fn seed(
    seeder: &mut Seeder<'_>,
    manager_id: i64,
    member_ids: &[i64],
) -> Result<(), DbErr> {
    let row = organizations::ActiveModel {
        name: Set(ORGANIZATION.name.to_owned()),
        slug: Set(ORGANIZATION.slug.to_owned()),
        status: Set(OrganizationStatus::Active),
        billing_email: Set(Some(ORGANIZATION.billing_email.to_owned())),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing =
        organizations::Entity::find().filter(organizations::Column::Slug.eq(ORGANIZATION.slug));
    let organization_id = seeder.find_or_insert(existing, row).await?.id;

    let manager = std::iter::once((manager_id, OrganizationRole::Manager));
    let members = member_ids.iter().map(|&id| (id, OrganizationRole::Member));
    for (user_id, role) in manager.chain(members) {
        let row = organization_members::ActiveModel {
            organization_id: Set(organization_id),
            user_id: Set(user_id),
            role: Set(role),
            created_at: Set(seeder.now),
            updated_at: Set(seeder.now),
            ..Default::default()
        };
        let existing = organization_members::Entity::find()
            .filter(organization_members::Column::OrganizationId.eq(organization_id))
            .filter(organization_members::Column::UserId.eq(user_id));
        seeder.find_or_insert(existing, row).await?;
    }
    Ok(())
}

struct DemoOrganization {
    name: &'static str,
    slug: &'static str,
    billing_email: &'static str,
}

const ORGANIZATION: DemoOrganization = DemoOrganization {
    name: "Health Canada (demo)",
    slug: "health-canada-demo",
    billing_email: HR_ADMIN.email,
};
