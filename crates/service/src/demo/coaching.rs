//! Coaching: the coaches' profiles and weekly availability (their accounts come from `users`), the
//! coaching packages, a package bought by Emily, and sessions in every status (with the feedback
//! and ratings of the completed one, and the chat room of the confirmed one).

use chrono::{Duration, DurationRound as _};
use entity::coaching::{
    coach_availability, coach_profiles, coaching_plan_purchases, coaching_plans, session_feedback,
    sessions,
};
use entity::enums::{CoachStatus, Language, PlanPurchaseStatus, SessionStatus, SessionType};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::Value as Json;

use super::{CURRENCY, Ids, Seeder, lookup, users::DemoUser};

/// Seeds the profile and availability of every coach in [`COACHES`] (`coach_ids`: their user ids
/// by e-mail), the coaching packages, and the sessions of [`SESSIONS`] (`learner_ids`).
pub(super) async fn seed(
    seeder: &mut Seeder<'_>,
    coach_ids: &Ids,
    learner_ids: &Ids,
) -> Result<(), DbErr> {
    let mut profiles = Ids::new();
    for coach in COACHES {
        let user_id = lookup(coach_ids, coach.user.email)?;
        let profile = coach_profile(seeder, coach, user_id).await?;
        profiles.insert(coach.user.email, profile);
    }
    let starter = coaching_plans(seeder).await?;
    package(seeder, lookup(learner_ids, EMILY)?, starter).await?;
    for demo in SESSIONS {
        session(seeder, demo, &profiles, coach_ids, learner_ids).await?;
    }
    Ok(())
}

const EMILY: &str = "emily.thompson@demo.rusingacademy.ca";
const JEAN_FRANCOIS: &str = "jean-francois.lavoie@demo.rusingacademy.ca";
const PRIYA: &str = "priya.sharma@demo.rusingacademy.ca";

/// A demo session: who, when (hours from the current hour), and how it went.
struct DemoSession {
    coach: &'static str,
    learner: &'static str,
    kind: SessionType,
    status: SessionStatus,
    hours_from_now: i64,
    /// `(learner's, coach's)` ratings of a completed session.
    feedback: Option<(i32, i32)>,
}

const SESSIONS: &[DemoSession] = &[
    DemoSession {
        coach: MARIE_CLAUDE,
        learner: EMILY,
        kind: SessionType::Single,
        status: SessionStatus::Completed,
        hours_from_now: -7 * 24,
        feedback: Some((5, 5)),
    },
    DemoSession {
        coach: MARIE_CLAUDE,
        learner: EMILY,
        kind: SessionType::Single,
        status: SessionStatus::Confirmed,
        hours_from_now: 3 * 24,
        feedback: None,
    },
    DemoSession {
        coach: DAVID,
        learner: JEAN_FRANCOIS,
        kind: SessionType::Trial,
        status: SessionStatus::Pending,
        hours_from_now: 4 * 24,
        feedback: None,
    },
    DemoSession {
        coach: AMELIE,
        learner: PRIYA,
        kind: SessionType::Single,
        status: SessionStatus::InProgress,
        hours_from_now: 0,
        feedback: None,
    },
    DemoSession {
        coach: MARIE_CLAUDE,
        learner: JEAN_FRANCOIS,
        kind: SessionType::Single,
        status: SessionStatus::Cancelled,
        hours_from_now: 5 * 24,
        feedback: None,
    },
    DemoSession {
        coach: DAVID,
        learner: PRIYA,
        kind: SessionType::Single,
        status: SessionStatus::NoShow,
        hours_from_now: -2 * 24,
        feedback: None,
    },
];

/// Emily's starter package, two sessions used.
async fn package(seeder: &mut Seeder<'_>, learner: i64, plan: i64) -> Result<(), DbErr> {
    let row = coaching_plan_purchases::ActiveModel {
        user_id: Set(learner),
        plan_id: Set(plan),
        remaining_sessions: Set(3),
        expires_at: Set(seeder.now + Duration::days(90)),
        status: Set(PlanPurchaseStatus::Active),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing = coaching_plan_purchases::Entity::find()
        .filter(coaching_plan_purchases::Column::UserId.eq(learner))
        .filter(coaching_plan_purchases::Column::PlanId.eq(plan));
    seeder.find_or_insert(existing, row).await?;
    Ok(())
}

async fn session(
    seeder: &mut Seeder<'_>,
    demo: &DemoSession,
    profiles: &Ids,
    coach_ids: &Ids,
    learner_ids: &Ids,
) -> Result<(), DbErr> {
    let coach = lookup(profiles, demo.coach)?;
    let coach_user = lookup(coach_ids, demo.coach)?;
    let learner = lookup(learner_ids, demo.learner)?;
    let hour = seeder
        .now
        .duration_trunc(Duration::hours(1))
        .unwrap_or(seeder.now);
    let at = hour + Duration::hours(demo.hours_from_now);
    let rate = COACHES
        .iter()
        .find(|c| c.user.email == demo.coach)
        .map_or(0, |c| match demo.kind {
            SessionType::Trial => c.trial_rate,
            _ => c.hourly_rate,
        });
    let cancelled = demo.status == SessionStatus::Cancelled;
    let tax = crate::coaching::hst(rate);
    let row = sessions::ActiveModel {
        coach_id: Set(coach),
        learner_id: Set(learner),
        scheduled_at: Set(at),
        status: Set(demo.status),
        r#type: Set(demo.kind),
        duration_minutes: Set(
            i32::try_from(crate::coaching::slots::duration_of(demo.kind)).unwrap_or(60),
        ),
        price: Set(rate),
        tax_amount: Set(tax),
        currency: Set(CURRENCY.to_owned()),
        cancelled_by: Set(cancelled.then_some(learner)),
        cancelled_at: Set(cancelled.then_some(seeder.now)),
        cancellation_reason: Set(cancelled.then(|| "Conflict with a work meeting".to_owned())),
        refund_due: Set(cancelled.then_some(rate + tax)),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing = sessions::Entity::find()
        .filter(sessions::Column::CoachId.eq(coach))
        .filter(sessions::Column::LearnerId.eq(learner))
        .filter(sessions::Column::Status.eq(demo.status));
    let session = seeder.find_or_insert(existing, row).await?;
    let failed = |e: crate::Error| DbErr::Custom(format!("demo coaching: {e}"));
    if demo.status == SessionStatus::Confirmed {
        crate::chat::rooms::open_for_session(seeder.txn, session.id, coach_user, learner)
            .await
            .map_err(failed)?;
    }
    if let Some((from_learner, from_coach)) = demo.feedback {
        for (from, rating, comment) in [
            (
                learner,
                from_learner,
                "Very concrete advice for the oral test. Merci !",
            ),
            (
                coach_user,
                from_coach,
                "Well prepared, great progress on opinion questions.",
            ),
        ] {
            let row = session_feedback::ActiveModel {
                session_id: Set(session.id),
                rating: Set(rating),
                comment: Set(Some(comment.to_owned())),
                from_user_id: Set(from),
                created_at: Set(seeder.now),
                ..Default::default()
            };
            let existing = session_feedback::Entity::find()
                .filter(session_feedback::Column::SessionId.eq(session.id))
                .filter(session_feedback::Column::FromUserId.eq(from));
            seeder.find_or_insert(existing, row).await?;
        }
        crate::coaching::feedback::rerate(seeder.txn, coach)
            .await
            .map_err(failed)?;
    }
    Ok(())
}

async fn coach_profile(
    seeder: &mut Seeder<'_>,
    coach: &DemoCoach,
    user_id: i64,
) -> Result<i64, DbErr> {
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
        specializations: Set(Some(Json::from(coach.specializations))),
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
    Ok(profile.id)
}

/// Seeds the plans; returns the first one's id.
async fn coaching_plans(seeder: &mut Seeder<'_>) -> Result<i64, DbErr> {
    let mut first = None;
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
        let plan = seeder.find_or_insert(existing, row).await?;
        first.get_or_insert(plan.id);
    }
    first.ok_or_else(|| DbErr::Custom("no demo coaching plan".to_owned()))
}

pub(super) struct DemoCoach {
    pub(super) user: DemoUser,
    specialization: &'static str,
    /// Tags the search filters on.
    specializations: &'static [&'static str],
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
        specializations: &["oral_exam", "conversation", "exam_strategy"],
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
        specializations: &["written_exam", "grammar", "workplace"],
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
        specializations: &["reading_exam", "exam_strategy"],
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
