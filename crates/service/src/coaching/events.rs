//! `coaching.session_changed`: a session was requested, confirmed, declined, cancelled,
//! rescheduled, started, completed or marked a no-show. Its subscriber tells the other party
//! (both parties when the change came from outside, e.g. Calendly).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::coaching::{coach_profiles, sessions};
use entity::users::users;
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Result;
use crate::jobs::events::Event;
use crate::jobs::{Context, Job};
use crate::notifications::preferences::{self, Category};
use crate::notifications::{Bilingual, Notice, notify_now};

/// What happened to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Requested,
    Confirmed,
    Declined,
    Cancelled,
    Rescheduled,
    Started,
    Completed,
    NoShow,
}

/// A session changed; `by_user_id` is who changed it (`None`: an integration or the system).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionChanged {
    pub session_id: i64,
    pub change: Change,
    pub by_user_id: Option<i64>,
}

impl Event for SessionChanged {
    const NAME: &'static str = "coaching.session_changed";
}

/// Tells the party who did not make the change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotifySessionChange(pub SessionChanged);

impl From<SessionChanged> for NotifySessionChange {
    fn from(event: SessionChanged) -> Self {
        Self(event)
    }
}

crate::register_job!(NotifySessionChange);
crate::subscribe!(SessionChanged => NotifySessionChange);

/// `2026-12-03 10:00 EST`, in the reader's time zone.
fn local(at: DateTime<Utc>, timezone: &str) -> String {
    let tz: Tz = timezone.parse().unwrap_or(chrono_tz::America::Toronto);
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

fn texts(change: Change, with: &str, when: &str) -> (Bilingual, Bilingual) {
    let (en_title, fr_title, en, fr) = match change {
        Change::Requested => (
            "New session request",
            "Nouvelle demande de séance",
            format!("{with} asked for a session on {when}. Confirm or decline it."),
            format!("{with} demande une séance le {when}. Confirmez-la ou refusez-la."),
        ),
        Change::Confirmed => (
            "Session confirmed",
            "Séance confirmée",
            format!("Your session with {with} on {when} is confirmed."),
            format!("Votre séance avec {with} le {when} est confirmée."),
        ),
        Change::Declined => (
            "Session declined",
            "Séance refusée",
            format!("{with} declined the session on {when}. Any payment will be refunded in full."),
            format!("{with} a refusé la séance du {when}. Tout paiement sera remboursé en entier."),
        ),
        Change::Cancelled => (
            "Session cancelled",
            "Séance annulée",
            format!("The session with {with} on {when} was cancelled."),
            format!("La séance avec {with} du {when} a été annulée."),
        ),
        Change::Rescheduled => (
            "Session rescheduled",
            "Séance déplacée",
            format!("Your session with {with} now takes place on {when}."),
            format!("Votre séance avec {with} a maintenant lieu le {when}."),
        ),
        Change::Started => (
            "Session started",
            "Séance commencée",
            format!("{with} started your session."),
            format!("{with} a commencé votre séance."),
        ),
        Change::Completed => (
            "Session completed",
            "Séance terminée",
            format!("Your session with {with} is complete. Tell us how it went."),
            format!("Votre séance avec {with} est terminée. Dites-nous comment elle s'est passée."),
        ),
        Change::NoShow => (
            "Missed session",
            "Séance manquée",
            format!("{with} marked the session on {when} as missed."),
            format!("{with} a indiqué que la séance du {when} a été manquée."),
        ),
    };
    (
        Bilingual {
            en: en_title.to_owned(),
            fr: fr_title.to_owned(),
        },
        Bilingual { en, fr },
    )
}

impl Job for NotifySessionChange {
    const KIND: &'static str = "coaching.notify_session_change";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let event = self.0;
        let Some(session) = sessions::Entity::find_by_id(event.session_id)
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        let Some(coach) = coach_profiles::Entity::find_by_id(session.coach_id)
            .one(ctx.db)
            .await?
        else {
            return Ok(());
        };
        let parties = [
            (coach.user_id, session.learner_id),
            (session.learner_id, coach.user_id),
        ];
        for (recipient, other) in parties {
            if event.by_user_id == Some(recipient) {
                continue;
            }
            let Some(other) = users::Entity::find_by_id(other).one(ctx.db).await? else {
                continue;
            };
            let timezone = preferences::load(ctx.db, recipient).await?.timezone;
            let with = format!("{} {}", other.first_name, other.last_name);
            let (title, message) =
                texts(event.change, &with, &local(session.scheduled_at, &timezone));
            let notice = Notice {
                category: Category::Coaching,
                kind: format!(
                    "session.{}",
                    serde_json::to_value(event.change)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                ),
                title,
                message,
                data: json!({"sessionId": session.id, "status": session.status, "scheduledAt": session.scheduled_at}),
                dedupe_key: Some(format!("job:{}:{recipient}", ctx.job.id)),
            };
            notify_now(ctx.db, &ctx.deps.realtime, recipient, &notice).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_shown_in_the_readers_zone() {
        let at = "2026-11-02T14:00:00Z".parse().unwrap();
        assert_eq!(super::local(at, "America/Toronto"), "2026-11-02 09:00 EST");
        assert_eq!(
            super::local(at, "America/Vancouver"),
            "2026-11-02 06:00 PST"
        );
    }
}
