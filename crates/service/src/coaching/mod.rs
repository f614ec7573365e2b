//! Coaching: coach applications and profiles, weekly availability and free slots, sessions and
//! their status machine, recordings, feedback, and prepaid coaching plans.
//!
//! Rules (RULES.md, Coaching):
//! - A learner applies; an administrator approves (the user becomes `coach`, which ends their
//!   credentials like any role change, and gets a `coachProfiles` row built from the application)
//!   or rejects. One application under review per person; a coach does not apply again.
//! - Slots are the coach's weekly availability in their IANA time zone, plus dated extra windows,
//!   minus dated days off, minus sessions that still hold their time (not cancelled), in UTC
//!   ([`slots`]); a trial lasts 30 minutes, a single or package session 60, on a 30-minute grid.
//! - Booking re-checks the slot inside the transaction, after locking the coach's profile row and
//!   then the learner's user row: two bookings of one coach, or of one learner, run one after the
//!   other and the second sees the first ([`sessions::book`]). Every session write takes the
//!   same two locks in the same order.
//! - Status machine ([`status`]): `pending → confirmed | cancelled`; `confirmed → in_progress |
//!   cancelled | no_show`; `in_progress → completed`; anything else is 409 `invalid_transition`.
//!   A learner's cancellation 24 h or more ahead is refunded in full (or the package session
//!   returned), later not at all; a coach's cancellation or decline always is. Rescheduling only
//!   24 h or more ahead, into a free slot.
//! - Feedback: participants of a completed session, once each, 1–5; the coach's rating is the
//!   mean of the learners' ratings, recomputed under the profile's lock ([`feedback`]).
//! - Recordings: the session's participants and administrators only.
//! - A session the caller does not take part in does not exist for them (404), unless they are an
//!   administrator.

pub mod applications;
pub mod availability;
pub mod erasure;
pub mod events;
pub mod feedback;
pub mod plans;
pub mod profiles;
pub mod recordings;
pub mod sessions;
pub mod slots;
pub mod status;

use entity::coaching::coach_profiles;
use entity::enums::UserRole;
use entity::users::users;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::Result;
use crate::auth::actor::Actor;
use crate::problem::NOT_FOUND;

/// Languages a coach coaches in.
pub const LANGUAGES: &[&str] = &["en", "fr"];
/// Specialisation tags, what the search filters on.
pub const SPECIALIZATIONS: &[&str] = &[
    "oral_exam",
    "written_exam",
    "reading_exam",
    "conversation",
    "grammar",
    "pronunciation",
    "workplace",
    "exam_strategy",
];
/// SLE levels an applicant may state for themselves.
pub const SLE_LEVELS: &[&str] = &["A", "B", "C", "E"];
/// Longest motivation, bio (characters; `TEXT` columns).
pub const MAX_LONG_TEXT: usize = 4000;
/// Longest headline (`specialization`, `VARCHAR(255)`).
pub const MAX_HEADLINE: usize = 255;
/// Highest hourly or trial rate, in cents ($1,000).
pub const MAX_RATE: i64 = 100_000;
/// Lowest hourly rate, in cents ($10).
pub const MIN_HOURLY_RATE: i64 = 1_000;
/// HST added to coaching sessions, in basis points (RULES.md, Money).
pub const HST_BPS: i64 = 1_300;
/// Currency of every price.
pub const CURRENCY: &str = "CAD";

crate::problems! {
    pub COACH_PROFILE_REQUIRED: NotFound = "coach_profile_required",
        "You do not have a coach profile.",
        "Vous n'avez pas de profil de coach.";
    pub SLOT_UNAVAILABLE: Conflict = "slot_unavailable",
        "This time is not free: the coach or you already have a session then, or it is outside the coach's availability.",
        "Ce créneau n'est pas libre : le coach ou vous avez déjà une séance à ce moment, ou il est hors des disponibilités du coach.";
    pub INVALID_TRANSITION: Conflict = "invalid_transition",
        "The session cannot move to that status from its current one.",
        "La séance ne peut pas passer à ce statut depuis son statut actuel.";
    pub TOO_LATE_TO_RESCHEDULE: Conflict = "too_late_to_reschedule",
        "A session can only be rescheduled 24 hours or more before it starts.",
        "Une séance ne peut être déplacée que 24 heures ou plus avant son début.";
    pub BOOKED_IN_CALENDLY: Conflict = "booked_in_calendly",
        "This session was booked in Calendly: reschedule it there.",
        "Cette séance a été réservée dans Calendly : déplacez-la là-bas.";
    pub SESSION_NOT_STARTED: Conflict = "session_not_started",
        "The session has not started yet.",
        "La séance n'a pas encore commencé.";
}

/// Tax on a pre-tax amount, rounded half up to the cent.
pub fn hst(amount: i64) -> i64 {
    (amount * HST_BPS + 5_000) / 10_000
}

/// The coach profile of a user, if they have one.
pub async fn profile_of_user(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<coach_profiles::Model>> {
    Ok(coach_profiles::Entity::find()
        .filter(coach_profiles::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// Whether an account with `role` may act as a coach: coaches, and administrators (who keep their
/// role when their own application is approved). A coach demoted by an administrator keeps the
/// sessions they take part in, but no longer offers, edits or connects anything as a coach.
pub fn coaches(role: UserRole) -> bool {
    matches!(role, UserRole::Coach | UserRole::Admin)
}

/// The caller's own coach profile (404 `coach_profile_required` without one, or when their role
/// no longer lets them coach).
pub async fn my_profile(db: &impl ConnectionTrait, actor: &Actor) -> Result<coach_profiles::Model> {
    if !coaches(actor.role) {
        return Err(COACH_PROFILE_REQUIRED.into());
    }
    profile_of_user(db, actor.user_id)
        .await?
        .ok_or(COACH_PROFILE_REQUIRED.into())
}

/// Locks the coach's profile row, then the user rows of the coach and the learner in id order:
/// the order every session write takes. Writers of one coach, or of one person in either role (a
/// coach may also be coached), queue instead of racing, and cannot deadlock with each other: each
/// holds one profile, taken before any user row.
pub(crate) async fn lock_parties(
    db: &impl ConnectionTrait,
    coach: &coach_profiles::Model,
    learner_id: i64,
) -> Result<()> {
    crate::db::lock::<coach_profiles::Entity>(db, coach_profiles::Column::Id, coach.id).await?;
    let (first, second) = if coach.user_id <= learner_id {
        (coach.user_id, learner_id)
    } else {
        (learner_id, coach.user_id)
    };
    crate::db::lock::<users::Entity>(db, users::Column::Id, first).await?;
    if second != first {
        crate::db::lock::<users::Entity>(db, users::Column::Id, second).await?;
    }
    Ok(())
}

/// Whether the caller acts as an administrator of coaching: an administrator's own session, or
/// their API key with `coaching:admin` (any other key sees what the public sees).
pub(crate) fn administers(actor: &Actor) -> bool {
    actor.is_admin() && actor.require_scope("coaching:admin").is_ok()
}

/// A coach profile that is public (active, of an active account) or the caller's own, else 404.
/// One query.
pub(crate) async fn visible_profile(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    coach_id: i64,
) -> Result<coach_profiles::Model> {
    let (profile, account) = coach_profiles::Entity::find_by_id(coach_id)
        .find_also_related(users::Entity)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let own = actor.is_some_and(|a| a.user_id == profile.user_id || administers(a));
    if own {
        return Ok(profile);
    }
    // A suspended, deleted or demoted coach's profile is neither shown nor bookable.
    let account_active = account
        .is_some_and(|user| user.status == entity::enums::UserStatus::Active && coaches(user.role));
    if profile.status == entity::enums::CoachStatus::Active && account_active {
        Ok(profile)
    } else {
        Err(NOT_FOUND.into())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hst_rounds_half_up() {
        assert_eq!(super::hst(6_500), 845);
        assert_eq!(super::hst(2_500), 325);
        assert_eq!(super::hst(1), 0);
        assert_eq!(super::hst(4), 1); // 0.52 rounds up
        assert_eq!(super::hst(0), 0);
    }
}
