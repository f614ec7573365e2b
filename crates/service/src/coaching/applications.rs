//! Become-a-coach applications: a person applies; an administrator approves (the user becomes
//! `coach` and gets a profile built from the application) or rejects; either way the applicant is
//! told, and the decision is audited.

use std::collections::BTreeMap;

use entity::coaching::{coach_applications, coach_profiles};
use entity::enums::{ApplicationStatus, CoachStatus, UserRole, UserStatus};
use entity::users::users;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession as _,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{CURRENCY, profile_of_user};
use crate::Result;
use crate::admin::audit;
use crate::auth::actor::Actor;
use crate::auth::sessions::Client;
use crate::db::Db;
use crate::jobs::{Context, Job};
use crate::notifications::preferences::Category;
use crate::notifications::{Bilingual, Notice, notify_now};
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;

/// Longest review note (the column's length).
pub const MAX_NOTE: usize = 1000;

crate::problems! {
    pub APPLICATION_PENDING: Conflict = "application_pending",
        "You already have an application under review.",
        "Vous avez déjà une candidature en cours d'examen.";
    pub ALREADY_COACH: Conflict = "already_coach",
        "You are already a coach.",
        "Vous êtes déjà coach.";
    pub APPLICATION_REVIEWED: Conflict = "application_reviewed",
        "This application was already reviewed.",
        "Cette candidature a déjà été examinée.";
}

/// An application as submitted.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub motivation: String,
    pub specialization: Option<String>,
    pub specializations: Vec<String>,
    pub languages: Vec<String>,
    /// Skill (`reading`, `writing`, `oral`) → level (`A`, `B`, `C`, `E`).
    pub sle_levels: BTreeMap<String, String>,
    pub proposed_hourly_rate: i64,
    pub proposed_trial_rate: i64,
}

/// An administrator's decision.
#[derive(Debug, Clone, Default)]
pub struct Review {
    pub note: Option<String>,
    /// Approvals: the applicant's SLE results were verified.
    pub sle_verified: bool,
}

/// Submits the caller's application (anyone with an account who is not a coach yet, one under
/// review at a time).
pub async fn apply(
    db: &impl Db,
    actor: &Actor,
    new: NewApplication,
) -> Result<coach_applications::Model> {
    actor.require_session()?;
    if new.proposed_trial_rate > new.proposed_hourly_rate {
        return Err(crate::Error::field(
            "proposedTrialRate",
            "above_hourly_rate",
            "must not exceed the proposed hourly rate",
        ));
    }
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        // One application at a time per person: their row orders their applications.
        crate::db::lock::<users::Entity>(&txn, users::Column::Id, actor.user_id).await?;
        if profile_of_user(&txn, actor.user_id).await?.is_some() {
            return Err(ALREADY_COACH.into());
        }
        let pending = coach_applications::Entity::find()
            .filter(coach_applications::Column::UserId.eq(actor.user_id))
            .filter(coach_applications::Column::Status.eq(ApplicationStatus::Submitted))
            .one(&txn)
            .await?;
        if pending.is_some() {
            return Err(APPLICATION_PENDING.into());
        }
        let now = crate::now();
        let row = coach_applications::ActiveModel {
            user_id: Set(actor.user_id),
            motivation: Set(new.motivation.clone()),
            specialization: Set(new.specialization.clone()),
            proposed_hourly_rate: Set(Some(new.proposed_hourly_rate)),
            proposed_trial_rate: Set(Some(new.proposed_trial_rate)),
            languages: Set(Some(Value::from(new.languages.clone()))),
            specializations: Set(Some(Value::from(new.specializations.clone()))),
            sle_levels: Set(Some(json!(new.sle_levels))),
            status: Set(ApplicationStatus::Submitted),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(row)
    })
    .await
}

/// Filters of [`list`].
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<ApplicationStatus>,
}

/// Applications, newest first: all of them for administrators, one's own for anyone else.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<coach_applications::Model>> {
    actor.require_session()?;
    let mut query = coach_applications::Entity::find();
    if !actor.is_admin() {
        query = query.filter(coach_applications::Column::UserId.eq(actor.user_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(coach_applications::Column::Status.eq(status));
    }
    let rows = pagination::keyset(
        query,
        coach_applications::Column::CreatedAt,
        coach_applications::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    Ok(pagination::finish(rows, &page, |a| Cursor {
        at: a.created_at,
        id: a.id,
    }))
}

/// One application: its applicant's, or any for administrators.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<coach_applications::Model> {
    actor.require_session()?;
    let application = coach_applications::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    if application.user_id != actor.user_id && !actor.is_admin() {
        return Err(NOT_FOUND.into());
    }
    Ok(application)
}

/// The SLE levels stated with an application, by skill.
pub fn levels_of(application: &coach_applications::Model) -> BTreeMap<String, String> {
    application
        .sle_levels
        .as_ref()
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// Approves an application (administrators): the applicant becomes a coach with a profile built
/// from it (rates, languages, specialisations; active, no availability yet), their credentials end
/// (their role changed: they sign in again as a coach), and they are told.
pub async fn approve(
    db: &impl Db,
    actor: &Actor,
    client: &Client,
    id: i64,
    review: Review,
) -> Result<coach_applications::Model> {
    decide(db, actor, client, id, review, ApplicationStatus::Approved).await
}

/// Rejects an application (administrators); the applicant is told, with the note when given.
pub async fn reject(
    db: &impl Db,
    actor: &Actor,
    client: &Client,
    id: i64,
    review: Review,
) -> Result<coach_applications::Model> {
    decide(db, actor, client, id, review, ApplicationStatus::Rejected).await
}

async fn decide(
    db: &impl Db,
    actor: &Actor,
    client: &Client,
    id: i64,
    review: Review,
    decision: ApplicationStatus,
) -> Result<coach_applications::Model> {
    actor.require_admin("coaching:admin")?;
    let application = coach_applications::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        crate::db::lock::<users::Entity>(&txn, users::Column::Id, application.user_id).await?;
        let current = coach_applications::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(NOT_FOUND)?;
        if current.status != ApplicationStatus::Submitted {
            return Err(APPLICATION_REVIEWED.into());
        }
        let user = users::Entity::find_by_id(current.user_id)
            .one(&txn)
            .await?
            .ok_or(NOT_FOUND)?;
        if decision == ApplicationStatus::Approved && user.status != UserStatus::Active {
            return Err(crate::Error::field(
                "id",
                "applicant_inactive",
                "the applicant's account is not active",
            ));
        }
        let now = crate::now();
        let mut row: coach_applications::ActiveModel = current.clone().into();
        row.status = Set(decision);
        row.reviewed_by = Set(Some(actor.user_id));
        row.reviewed_at = Set(Some(now));
        row.review_note = Set(review.note.clone());
        row.updated_at = Set(now);
        let decided = row.update(&txn).await?;
        if decision == ApplicationStatus::Approved {
            make_coach(&txn, &decided, &user, review.sle_verified).await?;
        }
        audit::record(
            &txn,
            audit::Event {
                actor_id: Some(actor.user_id),
                action: if decision == ApplicationStatus::Approved {
                    "coach_application.approved"
                } else {
                    "coach_application.rejected"
                },
                entity_type: "coach_application",
                entity_id: Some(id),
                before: Some(json!({"status": current.status})),
                after: Some(json!({"status": decided.status, "note": decided.review_note})),
            },
            client,
        )
        .await?;
        crate::jobs::enqueue(&txn, &TellApplicant { application_id: id }).await?;
        txn.commit().await?;
        Ok(decided)
    })
    .await
}

/// Creates the profile of an approved applicant and makes them a coach (ending their
/// credentials, as every role change does). An administrator keeps their role.
async fn make_coach(
    db: &impl ConnectionTrait,
    application: &coach_applications::Model,
    user: &users::Model,
    sle_verified: bool,
) -> Result<()> {
    // The applicant's own time zone until they set their availability.
    let timezone = crate::notifications::preferences::load(db, user.id)
        .await?
        .timezone;
    let now = crate::now();
    let hourly = application
        .proposed_hourly_rate
        .unwrap_or(super::MIN_HOURLY_RATE);
    coach_profiles::ActiveModel {
        user_id: Set(user.id),
        specialization: Set(application.specialization.clone()),
        specializations: Set(application.specializations.clone()),
        hourly_rate: Set(hourly),
        trial_rate: Set(application.proposed_trial_rate.unwrap_or(0).min(hourly)),
        currency: Set(CURRENCY.to_owned()),
        payouts_enabled: Set(false),
        languages: Set(application.languages.clone().unwrap_or_else(|| json!([]))),
        timezone: Set(timezone),
        sle_verified: Set(sle_verified),
        status: Set(CoachStatus::Active),
        rating_avg: Set(0.0),
        rating_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if matches!(user.role, UserRole::Learner) {
        let mut row: users::ActiveModel = user.clone().into();
        row.role = Set(UserRole::Coach);
        row.updated_at = Set(now);
        row.update(db).await?;
        crate::auth::credentials::end_all(db, user.id).await?;
    }
    Ok(())
}

/// Tells the applicant of the decision on their application.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TellApplicant {
    pub application_id: i64,
}

impl Job for TellApplicant {
    const KIND: &'static str = "coaching.tell_applicant";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let Some(application) = coach_applications::Entity::find_by_id(self.application_id)
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        let approved = application.status == ApplicationStatus::Approved;
        let note = application.review_note.clone().unwrap_or_default();
        let (title, message) = if approved {
            (
                Bilingual {
                    en: "Welcome, coach!".to_owned(),
                    fr: "Bienvenue parmi les coachs!".to_owned(),
                },
                Bilingual {
                    en: "Your coach application was approved. Sign in again, then set your availability so learners can book you.".to_owned(),
                    fr: "Votre candidature de coach a été acceptée. Reconnectez-vous, puis indiquez vos disponibilités pour que les apprenants puissent réserver.".to_owned(),
                },
            )
        } else {
            (
                Bilingual {
                    en: "Coach application".to_owned(),
                    fr: "Candidature de coach".to_owned(),
                },
                Bilingual {
                    en: format!("Your coach application was not accepted. {note}")
                        .trim()
                        .to_owned(),
                    fr: format!("Votre candidature de coach n'a pas été retenue. {note}")
                        .trim()
                        .to_owned(),
                },
            )
        };
        let notice = Notice {
            category: Category::Account,
            kind: if approved {
                "coach_application.approved"
            } else {
                "coach_application.rejected"
            }
            .to_owned(),
            title,
            message,
            data: json!({"applicationId": application.id, "status": application.status}),
            dedupe_key: Some(format!("job:{}", ctx.job.id)),
        };
        notify_now(ctx.db, &ctx.deps.realtime, application.user_id, &notice).await
    }
}

crate::register_job!(TellApplicant);
