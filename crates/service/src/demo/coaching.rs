//! Coaching: the coaches' profiles and weekly availability (their accounts come from `users`) and
//! the coaching packages.

use entity::coaching::{coach_availability, coach_profiles, coaching_plans};
use entity::enums::{CoachStatus, Language};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::Value as Json;

use super::{CURRENCY, Ids, Seeder, lookup, users::DemoUser};

/// Seeds the profile and availability of every coach in [`COACHES`] (`coach_ids`: their user ids
/// by e-mail), then the coaching packages.
pub(super) async fn seed(seeder: &mut Seeder<'_>, coach_ids: &Ids) -> Result<(), DbErr> {
    for coach in COACHES {
        let user_id = lookup(coach_ids, coach.user.email)?;
        coach_profile(seeder, coach, user_id).await?;
    }
    coaching_plans(seeder).await
}

async fn coach_profile(
    seeder: &mut Seeder<'_>,
    coach: &DemoCoach,
    user_id: i64,
) -> Result<(), DbErr> {
    let row = coach_profiles::ActiveModel {
        user_id: Set(user_id),
        specialization: Set(Some(coach.specialization.to_owned())),
        hourly_rate: Set(coach.hourly_rate),
        trial_rate: Set(coach.trial_rate),
        currency: Set(CURRENCY.to_owned()),
        payouts_enabled: Set(false),
        bio: Set(Some(coach.bio.to_owned())),
        bio_fr: Set(Some(coach.bio_fr.to_owned())),
        languages: Set(Json::from(coach.languages)),
        timezone: Set(coach.timezone.to_owned()),
        sle_verified: Set(coach.sle_verified),
        status: Set(CoachStatus::Active),
        rating_avg: Set(0.0),
        rating_count: Set(0),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing =
        coach_profiles::Entity::find().filter(coach_profiles::Column::UserId.eq(user_id));
    let profile = seeder.find_or_insert(existing, row).await?;

    for &day in coach.days {
        for &(start, end) in coach.windows {
            let row = coach_availability::ActiveModel {
                coach_id: Set(profile.id),
                day_of_week: Set(day),
                start_time: Set(start.to_owned()),
                end_time: Set(end.to_owned()),
                timezone: Set(coach.timezone.to_owned()),
                created_at: Set(seeder.now),
                updated_at: Set(seeder.now),
                ..Default::default()
            };
            let existing = coach_availability::Entity::find()
                .filter(coach_availability::Column::CoachId.eq(profile.id))
                .filter(coach_availability::Column::DayOfWeek.eq(day))
                .filter(coach_availability::Column::StartTime.eq(start));
            seeder.find_or_insert(existing, row).await?;
        }
    }
    Ok(())
}

async fn coaching_plans(seeder: &mut Seeder<'_>) -> Result<(), DbErr> {
    for plan in COACHING_PLANS {
        let row = coaching_plans::ActiveModel {
            name: Set(plan.name.to_owned()),
            name_fr: Set(plan.name_fr.to_owned()),
            sessions_included: Set(plan.sessions),
            validity_days: Set(plan.validity_days),
            price: Set(plan.price),
            currency: Set(CURRENCY.to_owned()),
            active: Set(true),
            created_at: Set(seeder.now),
            updated_at: Set(seeder.now),
            ..Default::default()
        };
        let existing =
            coaching_plans::Entity::find().filter(coaching_plans::Column::Name.eq(plan.name));
        seeder.find_or_insert(existing, row).await?;
    }
    Ok(())
}

pub(super) struct DemoCoach {
    pub(super) user: DemoUser,
    specialization: &'static str,
    /// Cents per hour.
    hourly_rate: i64,
    /// Cents for the 30-minute trial session.
    trial_rate: i64,
    bio: &'static str,
    bio_fr: &'static str,
    languages: &'static [&'static str],
    timezone: &'static str,
    sle_verified: bool,
    /// 0 = Sunday ... 6 = Saturday.
    days: &'static [i32],
    /// `(start, end)` as `HH:MM`, repeated on each of `days`.
    windows: &'static [(&'static str, &'static str)],
}

struct DemoCoachingPlan {
    name: &'static str,
    name_fr: &'static str,
    sessions: i32,
    validity_days: i32,
    price: i64,
}

pub(super) const MARIE_CLAUDE: &str = "marie-claude.tremblay@demo.rusingacademy.ca";
pub(super) const DAVID: &str = "david.chen@demo.rusingacademy.ca";
pub(super) const AMELIE: &str = "amelie.bouchard@demo.rusingacademy.ca";

pub(super) const COACHES: &[DemoCoach] = &[
    DemoCoach {
        user: DemoUser {
            email: MARIE_CLAUDE,
            first_name: "Marie-Claude",
            last_name: "Tremblay",
            language: Language::Fr,
        },
        specialization: "Oral interaction, SLE levels B and C",
        hourly_rate: 7500,
        trial_rate: 2500,
        bio: "Former Public Service Commission language assessor with 15 years of experience. I help public servants reach level C in oral interaction through realistic mock interviews.",
        bio_fr: "Ancienne évaluatrice linguistique à la Commission de la fonction publique, forte de 15 ans d'expérience. J'aide les fonctionnaires à atteindre le niveau C à l'oral grâce à des entrevues simulées réalistes.",
        languages: &["fr", "en"],
        timezone: "America/Montreal",
        sle_verified: true,
        days: &[1, 2, 3, 4, 5],
        windows: &[("09:00", "12:00"), ("13:00", "17:00")],
    },
    DemoCoach {
        user: DemoUser {
            email: DAVID,
            first_name: "David",
            last_name: "Chen",
            language: Language::En,
        },
        specialization: "Written expression and French grammar",
        hourly_rate: 6500,
        trial_rate: 2000,
        bio: "Certified translator (OTTIAQ) and French teacher. I focus on the grammar points the SLE written test actually checks and on clear workplace writing.",
        bio_fr: "Traducteur agréé (OTTIAQ) et professeur de français. Je me concentre sur les points de grammaire réellement évalués au test écrit de l'ELS et sur la rédaction claire au travail.",
        languages: &["en", "fr"],
        timezone: "America/Toronto",
        sle_verified: false,
        days: &[1, 2, 3, 4],
        windows: &[("08:30", "12:00"), ("13:00", "16:30")],
    },
    DemoCoach {
        user: DemoUser {
            email: AMELIE,
            first_name: "Amélie",
            last_name: "Bouchard",
            language: Language::Fr,
        },
        specialization: "Reading comprehension and exam strategy",
        hourly_rate: 6000,
        trial_rate: 1500,
        bio: "Francophone from Saint-Boniface now based in Vancouver. I coach learners from level A to B with reading strategies and plenty of practice on real government documents.",
        bio_fr: "Francophone de Saint-Boniface établie à Vancouver. J'accompagne les apprenants du niveau A au niveau B avec des stratégies de lecture et beaucoup de pratique sur de vrais documents gouvernementaux.",
        languages: &["fr", "en", "es"],
        timezone: "America/Vancouver",
        sle_verified: false,
        days: &[1, 2, 3, 4, 5],
        windows: &[("07:00", "11:00"), ("12:00", "15:00")],
    },
];

const COACHING_PLANS: &[DemoCoachingPlan] = &[
    DemoCoachingPlan {
        name: "Starter package: 5 sessions",
        name_fr: "Forfait découverte : 5 séances",
        sessions: 5,
        validity_days: 90,
        price: 32500,
    },
    DemoCoachingPlan {
        name: "Progress package: 10 sessions",
        name_fr: "Forfait progression : 10 séances",
        sessions: 10,
        validity_days: 180,
        price: 60000,
    },
    DemoCoachingPlan {
        name: "SLE intensive: 20 sessions",
        name_fr: "Intensif ELS : 20 séances",
        sessions: 20,
        validity_days: 365,
        price: 110000,
    },
];
