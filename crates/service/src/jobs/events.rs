//! Domain events: a fact one domain records (a course completed, a certificate issued, an
//! enrollment created) and other domains react to (notifications, integrators' webhooks).
//!
//! [`publish`] writes the event as a job of kind `event` in the transaction of the change (the
//! outbox). When it runs, it hands the event to every subscriber registered for its name with
//! [`subscribe!`](crate::subscribe): one job per subscriber, each retried on its own, queued once
//! (unique key `event:<id>:<subscriber kind>`) however often the fan-out itself runs.

use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Context, Job, enqueue, enqueue_once};
use crate::{Error, Result};

/// A domain event: `NAME` is `<domain>.<past tense>` and stable, the payload is `Self`.
pub trait Event: Serialize + DeserializeOwned + Send + Sync + 'static {
    const NAME: &'static str;
}

/// Records `event` in the outbox, in the caller's transaction.
pub async fn publish<E: Event>(db: &impl ConnectionTrait, event: &E) -> Result<()> {
    let data = serde_json::to_value(event)
        .map_err(|e| Error::Internal(format!("{} event: {e}", E::NAME)))?;
    enqueue(
        db,
        &Published {
            name: E::NAME.to_owned(),
            data,
        },
    )
    .await
}

/// The outbox row of an event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Published {
    pub name: String,
    pub data: serde_json::Value,
}

impl Job for Published {
    const KIND: &'static str = "event";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        for subscriber in SUBSCRIBERS.iter().filter(|s| s.event == self.name) {
            let key = format!("event:{}:{}", ctx.job.id, subscriber.kind);
            (subscriber.enqueue)(ctx.db, self.data.clone(), key).await?;
        }
        Ok(())
    }
}

crate::register_job!(Published);

/// Boxed future of queuing one subscriber's job.
pub type SubscribeFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<bool>> + Send + 'a>>;

/// A job kind that runs for every event of one name.
pub struct Subscriber {
    pub event: &'static str,
    pub kind: &'static str,
    pub enqueue: fn(&DatabaseConnection, serde_json::Value, String) -> SubscribeFuture<'_>,
}

impl std::fmt::Debug for Subscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscriber")
            .field("event", &self.event)
            .field("kind", &self.kind)
            .finish()
    }
}

/// Every subscription.
#[allow(unsafe_code)] // linkme's link section; no unsafe code is written
#[linkme::distributed_slice]
pub static SUBSCRIBERS: [Subscriber];

/// Queues the job `J` built from the event `E` in `data`, once for `key`.
pub fn enqueue_for<E: Event, J: Job + From<E>>(
    db: &DatabaseConnection,
    data: serde_json::Value,
    key: String,
) -> SubscribeFuture<'_> {
    Box::pin(async move {
        let event: E = serde_json::from_value(data)
            .map_err(|e| Error::Internal(format!("{} event: {e}", E::NAME)))?;
        enqueue_once(db, &J::from(event), crate::now(), &key).await
    })
}

/// Runs the job `J` (built with `From<E>`) for every event `E`: `subscribe!(CourseCompleted => Congratulate);`
/// The job type must also be registered with [`register_job!`](crate::register_job).
#[macro_export]
macro_rules! subscribe {
    ($event:ty => $job:ty) => {
        const _: () = {
            #[allow(unsafe_code)] // linkme's link section; no unsafe code is written
            #[$crate::jobs::linkme::distributed_slice($crate::jobs::events::SUBSCRIBERS)]
            #[linkme(crate = $crate::jobs::linkme)]
            static SUBSCRIBER: $crate::jobs::events::Subscriber =
                $crate::jobs::events::Subscriber {
                    event: <$event as $crate::jobs::events::Event>::NAME,
                    kind: <$job as $crate::jobs::Job>::KIND,
                    enqueue: $crate::jobs::events::enqueue_for::<$event, $job>,
                };
        };
    };
}
