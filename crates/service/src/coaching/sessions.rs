//! Sessions: booking (`POST /sessions`), reading and listing them, and the bookings Calendly
//! makes for a coach ([`book_external`], [`cancel_external`]).

use chrono::{DateTime, Duration, Utc};
use entity::coaching::{coach_profiles, coaching_plan_purchases, sessions};
use entity::enums::{PlanPurchaseStatus, SessionStatus, SessionType};
use sea_orm::sea_query::{Condition, Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set, TransactionSession as _,
};

use super::events::{Change, SessionChanged};
use super::slots::{self, Busy, duration_of, overlaps};
use super::{CURRENCY, SLOT_UNAVAILABLE, hst, lock_parties, profile_of_user, visible_profile};
use crate::auth::actor::Actor;
use crate::db::Db;
use crate::jobs::events;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;
use crate::{Error, Result};

crate::problems! {
    pub TRIAL_ALREADY_USED: Conflict = "trial_already_used",
        "You already had a trial session with this coach.",
        "Vous avez déjà eu une séance d'essai avec ce coach.";
    pub PLAN_BALANCE_UNAVAILABLE: Conflict = "plan_balance_unavailable",
        "This coaching plan has no session left for that date: it is used up, expired or refunded.",
        "Ce forfait d'accompagnement n'a plus de séance disponible pour cette date : il est épuisé, expiré ou remboursé.";
}

/// A session with its coach's user id (the other party of a learner, and the chat member).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionView {
    pub session: sessions::Model,
    pub coach_user_id: i64,
}

/// The caller's part in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Learner,
    Coach,
    /// An administrator who takes no part in it.
    Admin,
}

/// A booking request.
#[derive(Debug, Clone)]
pub struct Booking {
    /// `coachProfiles.id`.
    pub coach_id: i64,
    pub kind: SessionType,
    pub scheduled_at: DateTime<Utc>,
    /// The plan purchase a `package` session is taken from.
    pub plan_purchase_id: Option<i64>,
    /// Payments are on: a priced session is paid through checkout, so its coach must be able
    /// to receive payments (409 `coach_not_payable`).
    pub payments: bool,
}

/// Whether the caller takes part in `session` (404 when they may not see it).
pub(crate) async fn access(
    db: &impl ConnectionTrait,
    actor: &Actor,
    session_id: i64,
) -> Result<(sessions::Model, coach_profiles::Model, Party)> {
    let session = sessions::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let coach = coach_profiles::Entity::find_by_id(session.coach_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let party = if session.learner_id == actor.user_id {
        Party::Learner
    } else if coach.user_id == actor.user_id {
        Party::Coach
    } else if super::administers(actor) {
        Party::Admin
    } else {
        return Err(NOT_FOUND.into());
    };
    Ok((session, coach, party))
}

/// Takes the parties' locks ([`lock_parties`]) and reads the session and its coach again under
/// them: what a previous writer of the session committed is what the caller sees.
pub(crate) async fn relock(
    db: &impl ConnectionTrait,
    coach: &coach_profiles::Model,
    session: &sessions::Model,
) -> Result<(sessions::Model, coach_profiles::Model)> {
    lock_parties(db, coach, session.learner_id).await?;
    let current = sessions::Entity::find_by_id(session.id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let coach = coach_profiles::Entity::find_by_id(current.coach_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    Ok((current, coach))
}

/// One session of the caller's (learner, coach, or an administrator).
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<SessionView> {
    actor.require_scope("coaching:read")?;
    let (session, coach, _) = access(db, actor, id).await?;
    Ok(SessionView {
        session,
        coach_user_id: coach.user_id,
    })
}

/// Which side of the caller's sessions to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Learner,
    Coach,
}

/// Filters of [`list`].
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Both sides when `None`.
    pub side: Option<Side>,
    pub status: Option<SessionStatus>,
    /// Sessions starting at or after.
    pub from: Option<DateTime<Utc>>,
    /// Sessions starting before.
    pub to: Option<DateTime<Utc>>,
}

/// The caller's sessions as learner and/or coach, latest start first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<SessionView>> {
    actor.require_scope("coaching:read")?;
    let coach = profile_of_user(db, actor.user_id).await?;
    let mut mine = Condition::any();
    if filter.side != Some(Side::Coach) {
        mine = mine.add(sessions::Column::LearnerId.eq(actor.user_id));
    }
    if filter.side != Some(Side::Learner)
        && let Some(coach) = &coach
    {
        mine = mine.add(sessions::Column::CoachId.eq(coach.id));
    }
    if mine.is_empty() {
        return Ok(Page {
            items: Vec::new(),
            next_cursor: None,
        });
    }
    let mut query = sessions::Entity::find().filter(mine);
    if let Some(status) = filter.status {
        query = query.filter(sessions::Column::Status.eq(status));
    }
    let query = pagination::within(query, sessions::Column::ScheduledAt, filter.from, filter.to);
    let rows = pagination::keyset(
        query,
        sessions::Column::ScheduledAt,
        sessions::Column::Id,
        &page,
    )
    .all(db)
    .await?;
    let page = pagination::finish(rows, &page, |s| Cursor {
        at: s.scheduled_at,
        id: s.id,
    });
    views(db, page).await
}

/// Adds the coaches' user ids to a page of sessions (one query).
async fn views(
    db: &impl ConnectionTrait,
    page: Page<sessions::Model>,
) -> Result<Page<SessionView>> {
    let ids: Vec<i64> = page.items.iter().map(|s| s.coach_id).collect();
    let coaches: std::collections::HashMap<i64, i64> = coach_profiles::Entity::find()
        .select_only()
        .column(coach_profiles::Column::Id)
        .column(coach_profiles::Column::UserId)
        .filter(coach_profiles::Column::Id.is_in(ids))
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(page.map(|session| SessionView {
        coach_user_id: coaches.get(&session.coach_id).copied().unwrap_or_default(),
        session,
    }))
}

/// Whether `[start, start + minutes)` is a free slot of `coach` and free for `learner_id`,
/// leaving out `except` (a session being moved). Call under [`lock_parties`].
pub(crate) async fn is_free(
    db: &impl ConnectionTrait,
    coach: &coach_profiles::Model,
    learner_id: i64,
    start: DateTime<Utc>,
    minutes: i64,
    except: Option<i64>,
) -> Result<bool> {
    let end = start + Duration::minutes(minutes);
    let calendar = slots::calendar(db, coach, start, start + Duration::seconds(1), except).await?;
    if !calendar
        .free(start, start + Duration::seconds(1), minutes, crate::now())
        .contains(&start)
    {
        return Ok(false);
    }
    let slot = Busy { start, end };
    // A learner who is also a coach is busy with their own learners too.
    let learner = slots::held(db, learner_id, start, end, except).await?;
    Ok(!learner.iter().any(|b| overlaps(b, &slot)))
}

/// Books a session with a coach for the caller (the learner): `trial` (30 min, the coach's trial
/// rate) and `single` (60 min, the hourly rate) are `pending` until paid or confirmed by the
/// coach; `package` takes one session of an active plan purchase of the caller's and is
/// `confirmed` at once (its chat room opens). Prices are pre-tax; HST is its own line.
///
/// Runs in one transaction that takes the parties' locks ([`lock_parties`]), then re-checks the
/// slot: of two bookings of one time, one gets it and the other 409 `slot_unavailable`.
pub async fn book(db: &impl Db, actor: &Actor, booking: Booking) -> Result<SessionView> {
    actor.require_session()?;
    // Bookable is what the public sees: an active profile of an active account (administrators
    // included).
    let coach = visible_profile(db, None, booking.coach_id).await?;
    if coach.user_id == actor.user_id {
        return Err(Error::field(
            "coachId",
            "cannot_book_yourself",
            "is your own coach profile",
        ));
    }
    match (booking.kind, booking.plan_purchase_id) {
        (SessionType::Package, None) => {
            return Err(Error::field(
                "planPurchaseId",
                "required",
                "a package session is taken from one of your coaching plans",
            ));
        }
        (SessionType::Trial | SessionType::Single, Some(_)) => {
            return Err(Error::field(
                "planPurchaseId",
                "not_allowed",
                "only package sessions are taken from a coaching plan",
            ));
        }
        _ => {}
    }
    let minutes = duration_of(booking.kind);
    let learner_id = actor.user_id;
    let session = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        lock_parties(&txn, &coach, learner_id).await?;
        // Still bookable now that nothing about the coach can change (not paused meanwhile).
        let coach = visible_profile(&txn, None, coach.id).await?;
        if !is_free(
            &txn,
            &coach,
            learner_id,
            booking.scheduled_at,
            minutes,
            None,
        )
        .await?
        {
            return Err(SLOT_UNAVAILABLE.into());
        }
        if booking.kind == SessionType::Trial && had_trial(&txn, coach.id, learner_id).await? {
            return Err(TRIAL_ALREADY_USED.into());
        }
        let (price, status) = match booking.kind {
            SessionType::Trial => (coach.trial_rate, SessionStatus::Pending),
            SessionType::Single => (coach.hourly_rate, SessionStatus::Pending),
            SessionType::Package => {
                let purchase = booking.plan_purchase_id.unwrap_or_default();
                take_from_plan(&txn, learner_id, purchase, booking.scheduled_at).await?;
                (0, SessionStatus::Confirmed)
            }
        };
        if booking.payments
            && price > 0
            && (!coach.payouts_enabled || coach.stripe_connect_id.is_none())
        {
            return Err(crate::payments::COACH_NOT_PAYABLE.into());
        }
        let now = crate::now();
        let session = sessions::ActiveModel {
            coach_id: Set(coach.id),
            learner_id: Set(learner_id),
            scheduled_at: Set(booking.scheduled_at),
            status: Set(status),
            r#type: Set(booking.kind),
            duration_minutes: Set(i32::try_from(minutes).unwrap_or(60)),
            price: Set(price),
            tax_amount: Set(hst(price)),
            currency: Set(CURRENCY.to_owned()),
            plan_purchase_id: Set(booking.plan_purchase_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = if status == SessionStatus::Confirmed {
            confirmed(&txn, &session, coach.user_id).await?;
            Change::Confirmed
        } else {
            Change::Requested
        };
        events::publish(
            &txn,
            &SessionChanged {
                session_id: session.id,
                change,
                by_user_id: Some(learner_id),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(session)
    })
    .await?;
    Ok(SessionView {
        session,
        coach_user_id: coach.user_id,
    })
}

/// Whether the learner had (or has booked) a trial with this coach that was not cancelled.
async fn had_trial(db: &impl ConnectionTrait, coach_id: i64, learner_id: i64) -> Result<bool> {
    Ok(sessions::Entity::find()
        .filter(sessions::Column::CoachId.eq(coach_id))
        .filter(sessions::Column::LearnerId.eq(learner_id))
        .filter(sessions::Column::Type.eq(SessionType::Trial))
        .filter(sessions::Column::Status.ne(SessionStatus::Cancelled))
        .count(db)
        .await?
        > 0)
}

/// Takes one session from the learner's plan purchase, which must be theirs, active, unused up,
/// and valid until after the session (409 `plan_balance_unavailable` otherwise).
async fn take_from_plan(
    db: &impl ConnectionTrait,
    learner_id: i64,
    purchase_id: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    let exists = coaching_plan_purchases::Entity::find_by_id(purchase_id)
        .filter(coaching_plan_purchases::Column::UserId.eq(learner_id))
        .count(db)
        .await?;
    if exists == 0 {
        return Err(Error::field(
            "planPurchaseId",
            "unknown_plan_purchase",
            "is not one of your coaching plans",
        ));
    }
    let now = crate::now();
    // The status first: MySQL/MariaDB evaluate `SET` assignments left to right, each seeing the
    // ones before it, so the `CASE` must read the count before it is decremented.
    let taken = coaching_plan_purchases::Entity::update_many()
        .col_expr(
            coaching_plan_purchases::Column::Status,
            Expr::case(
                Expr::col(coaching_plan_purchases::Column::RemainingSessions).lte(1),
                PlanPurchaseStatus::Exhausted,
            )
            .finally(PlanPurchaseStatus::Active)
            .into(),
        )
        .col_expr(
            coaching_plan_purchases::Column::RemainingSessions,
            Expr::col(coaching_plan_purchases::Column::RemainingSessions).sub(1),
        )
        .col_expr(coaching_plan_purchases::Column::UpdatedAt, now.into())
        .filter(coaching_plan_purchases::Column::Id.eq(purchase_id))
        .filter(coaching_plan_purchases::Column::Status.eq(PlanPurchaseStatus::Active))
        .filter(coaching_plan_purchases::Column::RemainingSessions.gt(0))
        .filter(coaching_plan_purchases::Column::ExpiresAt.gt(now))
        .filter(coaching_plan_purchases::Column::ExpiresAt.gt(at))
        .exec(db)
        .await?;
    if taken.rows_affected == 0 {
        return Err(PLAN_BALANCE_UNAVAILABLE.into());
    }
    Ok(())
}

/// Gives a cancelled package session back to its plan purchase (unless it was refunded).
pub(crate) async fn return_to_plan(db: &impl ConnectionTrait, purchase_id: i64) -> Result<()> {
    coaching_plan_purchases::Entity::update_many()
        .col_expr(
            coaching_plan_purchases::Column::RemainingSessions,
            Expr::col(coaching_plan_purchases::Column::RemainingSessions).add(1),
        )
        .col_expr(
            coaching_plan_purchases::Column::Status,
            PlanPurchaseStatus::Active.into(),
        )
        .col_expr(
            coaching_plan_purchases::Column::UpdatedAt,
            crate::now().into(),
        )
        .filter(coaching_plan_purchases::Column::Id.eq(purchase_id))
        .filter(
            coaching_plan_purchases::Column::Status
                .is_in([PlanPurchaseStatus::Active, PlanPurchaseStatus::Exhausted]),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// What confirming a session does besides its status: its coaching chat room opens.
pub(crate) async fn confirmed(
    db: &impl ConnectionTrait,
    session: &sessions::Model,
    coach_user_id: i64,
) -> Result<()> {
    crate::chat::rooms::open_for_session(db, session.id, coach_user_id, session.learner_id).await?;
    Ok(())
}

/// A session booked outside the API (Calendly).
#[derive(Debug, Clone)]
pub struct ExternalBooking {
    /// `coachProfiles.id`.
    pub coach_id: i64,
    pub learner_id: i64,
    pub scheduled_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub calendly_event_uri: String,
    pub meeting_url: Option<String>,
}

/// Records a session booked in Calendly as `confirmed` (type `single`, no price here: Calendly
/// took the booking), opens its chat room and tells the learner, on the caller's transaction.
/// Idempotent on the event URI: a redelivery returns the session already recorded. The time is
/// not checked against the coach's slots: it was booked on the coach's Calendly, which is the
/// authority for it, and it now holds that time here.
pub async fn book_external(
    db: &impl ConnectionTrait,
    booking: ExternalBooking,
) -> Result<sessions::Model> {
    let by_uri = || {
        sessions::Entity::find()
            .filter(sessions::Column::CalendlyEventUri.eq(booking.calendly_event_uri.clone()))
            .one(db)
    };
    if let Some(found) = by_uri().await? {
        return Ok(found);
    }
    let coach = coach_profiles::Entity::find_by_id(booking.coach_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    lock_parties(db, &coach, booking.learner_id).await?;
    let now = crate::now();
    let session = sessions::ActiveModel {
        coach_id: Set(coach.id),
        learner_id: Set(booking.learner_id),
        scheduled_at: Set(booking.scheduled_at),
        status: Set(SessionStatus::Confirmed),
        r#type: Set(SessionType::Single),
        duration_minutes: Set(booking.duration_minutes.clamp(1, 24 * 60)),
        price: Set(0),
        tax_amount: Set(0),
        currency: Set(CURRENCY.to_owned()),
        meeting_url: Set(booking.meeting_url.clone()),
        calendly_event_uri: Set(Some(booking.calendly_event_uri.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    // Writers of one coach queue on its lock, and the locking read sees what the previous one
    // committed even inside an older snapshot; the unique URI decides any race left.
    let locked = sessions::Entity::find()
        .filter(sessions::Column::CalendlyEventUri.eq(booking.calendly_event_uri.clone()))
        .lock_exclusive();
    if let Some(found) = locked.clone().one(db).await? {
        return Ok(found);
    }
    let session = match session.insert(db).await {
        Ok(session) => session,
        // A failed insert undoes only itself on MySQL/TiDB and SQLite.
        Err(err) if Error::is_unique_violation(&err) => {
            return locked.one(db).await?.ok_or(NOT_FOUND.into());
        }
        Err(err) => return Err(err.into()),
    };
    confirmed(db, &session, coach.user_id).await?;
    events::publish(
        db,
        &SessionChanged {
            session_id: session.id,
            change: Change::Confirmed,
            by_user_id: None,
        },
    )
    .await?;
    Ok(session)
}

/// Cancels the session booked with this Calendly event, on the caller's transaction; nothing
/// when there is none or it already ended. Refunds are Calendly's: none is recorded here.
pub async fn cancel_external(
    db: &impl ConnectionTrait,
    calendly_event_uri: &str,
    reason: Option<String>,
) -> Result<Option<sessions::Model>> {
    let Some(session) = sessions::Entity::find()
        .filter(sessions::Column::CalendlyEventUri.eq(calendly_event_uri))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let coach = coach_profiles::Entity::find_by_id(session.coach_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    lock_parties(db, &coach, session.learner_id).await?;
    let now = crate::now();
    let cancelled = sessions::Entity::update_many()
        .col_expr(sessions::Column::Status, SessionStatus::Cancelled.into())
        .col_expr(sessions::Column::CancelledAt, Some(now).into())
        .col_expr(sessions::Column::CancellationReason, reason.into())
        .col_expr(sessions::Column::UpdatedAt, now.into())
        .filter(sessions::Column::Id.eq(session.id))
        .filter(sessions::Column::Status.is_in([SessionStatus::Pending, SessionStatus::Confirmed]))
        .exec(db)
        .await?;
    if cancelled.rows_affected > 0 {
        events::publish(
            db,
            &SessionChanged {
                session_id: session.id,
                change: Change::Cancelled,
                by_user_id: None,
            },
        )
        .await?;
    }
    Ok(sessions::Entity::find_by_id(session.id).one(db).await?)
}
