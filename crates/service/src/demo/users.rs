//! People: the administrator, the HR administrator, the coaches' and learners' accounts, and the
//! learners' profiles (department, position, target language).

use entity::Secret;
use entity::enums::{Language, TargetLanguage, UserRole, UserStatus};
use entity::users::{user_profiles, users};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::{Ids, Seeder, coaching::COACHES};

/// The accounts later steps refer to.
pub(super) struct People {
    pub(super) hr_admin: i64,
    /// Coach user ids by e-mail.
    pub(super) coaches: Ids,
    /// Learner user ids by e-mail.
    pub(super) learners: Ids,
    /// The learners that belong to the demo organisation, in [`LEARNERS`] order.
    pub(super) organization_members: Vec<i64>,
}

/// Seeds every demo account (and the learners' profiles) and returns the ids later steps need.
pub(super) async fn seed(seeder: &mut Seeder<'_>) -> Result<People, DbErr> {
    user(seeder, &ADMIN, UserRole::Admin).await?;
    let hr_admin = user(seeder, &HR_ADMIN, UserRole::HrAdmin).await?.id;

    let mut coaches = Ids::new();
    for coach in COACHES {
        let id = user(seeder, &coach.user, UserRole::Coach).await?.id;
        coaches.insert(coach.user.email, id);
    }

    let mut organization_members = Vec::new();
    let mut learners = Ids::new();
    for learner in LEARNERS {
        let id = user(seeder, &learner.user, UserRole::Learner).await?.id;
        learners.insert(learner.user.email, id);
        user_profile(seeder, learner, id).await?;
        if learner.in_organization {
            organization_members.push(id);
        }
    }

    Ok(People {
        hr_admin,
        coaches,
        learners,
        organization_members,
    })
}

async fn user(
    seeder: &mut Seeder<'_>,
    user: &DemoUser,
    role: UserRole,
) -> Result<users::Model, DbErr> {
    let row = users::ActiveModel {
        email: Set(user.email.to_owned()),
        password: Set(Secret::new(seeder.password_hash)),
        role: Set(role),
        first_name: Set(user.first_name.to_owned()),
        last_name: Set(user.last_name.to_owned()),
        language: Set(user.language),
        email_verified_at: Set(Some(seeder.now)),
        status: Set(UserStatus::Active),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        credential_version: Set(0),
        event_seq: Set(0),
        ..Default::default()
    };
    let existing = users::Entity::find().filter(users::Column::Email.eq(user.email));
    seeder.find_or_insert(existing, row).await
}

async fn user_profile(
    seeder: &mut Seeder<'_>,
    learner: &DemoLearner,
    user_id: i64,
) -> Result<(), DbErr> {
    let row = user_profiles::ActiveModel {
        user_id: Set(user_id),
        timezone: Set(learner.timezone.to_owned()),
        department: Set(Some(learner.department.to_owned())),
        position: Set(Some(learner.position.to_owned())),
        target_language: Set(Some(learner.target_language)),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing = user_profiles::Entity::find().filter(user_profiles::Column::UserId.eq(user_id));
    seeder.find_or_insert(existing, row).await?;
    Ok(())
}

pub(super) struct DemoUser {
    pub(super) email: &'static str,
    pub(super) first_name: &'static str,
    pub(super) last_name: &'static str,
    pub(super) language: Language,
}

struct DemoLearner {
    user: DemoUser,
    department: &'static str,
    position: &'static str,
    target_language: TargetLanguage,
    timezone: &'static str,
    /// Member of the demo organisation (`hr::ORGANIZATION`).
    in_organization: bool,
}

const ADMIN: DemoUser = DemoUser {
    email: "admin@demo.rusingacademy.ca",
    first_name: "Alexandra",
    last_name: "Roy",
    language: Language::En,
};

pub(super) const HR_ADMIN: DemoUser = DemoUser {
    email: "nathalie.bergeron@demo.rusingacademy.ca",
    first_name: "Nathalie",
    last_name: "Bergeron",
    language: Language::Fr,
};

const LEARNERS: &[DemoLearner] = &[
    DemoLearner {
        user: DemoUser {
            email: "emily.thompson@demo.rusingacademy.ca",
            first_name: "Emily",
            last_name: "Thompson",
            language: Language::En,
        },
        department: "Health Canada",
        position: "Policy Analyst (EC-04)",
        target_language: TargetLanguage::French,
        timezone: "America/Toronto",
        in_organization: true,
    },
    DemoLearner {
        user: DemoUser {
            email: "jean-francois.lavoie@demo.rusingacademy.ca",
            first_name: "Jean-François",
            last_name: "Lavoie",
            language: Language::Fr,
        },
        department: "Health Canada",
        position: "Senior Program Officer (PM-05)",
        target_language: TargetLanguage::English,
        timezone: "America/Montreal",
        in_organization: true,
    },
    DemoLearner {
        user: DemoUser {
            email: "priya.sharma@demo.rusingacademy.ca",
            first_name: "Priya",
            last_name: "Sharma",
            language: Language::En,
        },
        department: "Health Canada",
        position: "Regulatory Scientist (BI-03)",
        target_language: TargetLanguage::French,
        timezone: "America/Toronto",
        in_organization: true,
    },
    DemoLearner {
        user: DemoUser {
            email: "olivier.cote@demo.rusingacademy.ca",
            first_name: "Olivier",
            last_name: "Côté",
            language: Language::Fr,
        },
        department: "Health Canada",
        position: "Communications Advisor (IS-04)",
        target_language: TargetLanguage::English,
        timezone: "America/Toronto",
        in_organization: true,
    },
    DemoLearner {
        user: DemoUser {
            email: "michael.obrien@demo.rusingacademy.ca",
            first_name: "Michael",
            last_name: "O'Brien",
            language: Language::En,
        },
        department: "Canada Revenue Agency",
        position: "Team Leader, Collections (PM-04)",
        target_language: TargetLanguage::French,
        timezone: "America/Halifax",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "isabelle.fortin@demo.rusingacademy.ca",
            first_name: "Isabelle",
            last_name: "Fortin",
            language: Language::Fr,
        },
        department: "Canada Revenue Agency",
        position: "Auditor (AU-03)",
        target_language: TargetLanguage::English,
        timezone: "America/Montreal",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "daniel.wright@demo.rusingacademy.ca",
            first_name: "Daniel",
            last_name: "Wright",
            language: Language::En,
        },
        department: "Immigration, Refugees and Citizenship Canada",
        position: "Case Processing Agent (CR-05)",
        target_language: TargetLanguage::French,
        timezone: "America/Vancouver",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "chloe.pelletier@demo.rusingacademy.ca",
            first_name: "Chloé",
            last_name: "Pelletier",
            language: Language::Fr,
        },
        department: "Employment and Social Development Canada",
        position: "Human Resources Advisor (AS-03)",
        target_language: TargetLanguage::English,
        timezone: "America/Toronto",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "ryan.mitchell@demo.rusingacademy.ca",
            first_name: "Ryan",
            last_name: "Mitchell",
            language: Language::En,
        },
        department: "Public Services and Procurement Canada",
        position: "Procurement Officer (PG-03)",
        target_language: TargetLanguage::French,
        timezone: "America/Winnipeg",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "aisha.mohamed@demo.rusingacademy.ca",
            first_name: "Aisha",
            last_name: "Mohamed",
            language: Language::En,
        },
        department: "Statistics Canada",
        position: "Data Scientist (EC-06)",
        target_language: TargetLanguage::French,
        timezone: "America/Toronto",
        in_organization: false,
    },
];
