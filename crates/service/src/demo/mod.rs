//! Demo data for the `seed-demo` command: a small, realistic RusingAcademy catalogue for
//! Canadian federal public servants preparing their Second Language Evaluation (SLE).
//!
//! What is seeded (every e-mail ends in `@demo.rusingacademy.ca`, every account is active and
//! e-mail-verified and shares the password hash given by the caller):
//!
//! - people: 1 admin, 1 HR administrator, 3 coaches (with `coachProfiles` and weekly
//!   `coachAvailability`), 10 learners (with `userProfiles`: department, position, target language);
//! - learning: 4 published bilingual courses (SLE levels A, B and C; oral, written and reading; two
//!   free, two paid) with modules, lessons (video, text, quiz; the first lesson of each course is a
//!   free preview) and quiz questions, plus the `sle-b-level-path` learning path of three courses;
//! - commerce: 3 coaching packages, the monthly and yearly subscription plans and the commission
//!   tiers of the business rules (26 % down to 15 %, and 15 % for SLE-verified coaches);
//! - progress: five learners enrolled (free courses by themselves, a paid one by an administrator's
//!   grant), with lesson progress: Emily Thompson is mid-course in oral interaction (B), Jean-François
//!   Lavoie has just started reading (A);
//! - communication: Emily Thompson's conversation with her coach, a bilingual oral-practice group
//!   of three learners run by David Chen, and two notifications (one in French);
//! - administration: 3 feature flags and the `health-canada-demo` organisation, managed by the HR
//!   administrator, with 4 learners as members.
//!
//! Seeding is idempotent: every row is looked up by its natural key first (`users.email`,
//! `courses.slug`, `(courseId, order)` for modules, ...) and inserted only when missing, so a second
//! run creates nothing and does not fail. Existing rows are never modified. Everything runs in one
//! transaction: either the whole demo is there afterwards, or nothing changed.
//!
//! One file per domain (named like the entity crate's), seeded in this order: [`users`] (every
//! account and the learners' profiles), [`coaching`], [`courses`], [`enrollments`] (with lesson
//! progress), [`payments`], [`admin`], [`chat`] and [`hr`]; each one's `seed` takes the ids it needs from the
//! earlier steps.

mod admin;
mod chat;
mod coaching;
mod courses;
mod enrollments;
mod hr;
mod payments;
mod users;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, Select, TransactionTrait,
};

/// What one run of [`seed`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Rows inserted by this run.
    pub created: usize,
    /// Rows that were already there (matched by their natural key) and left untouched.
    pub existing: usize,
}

const CURRENCY: &str = "CAD";

/// Ids seeded earlier, by natural key (a user's e-mail, a course's slug).
type Ids = HashMap<&'static str, i64>;

/// Inserts the demo data that is not there yet, in one transaction, and reports what it did.
///
/// `password_hash` (an argon2id PHC string) becomes the password of every demo account created by
/// this run; accounts that already exist keep theirs.
pub async fn seed(db: &DatabaseConnection, password_hash: &str) -> Result<DemoSummary, DbErr> {
    let txn = db.begin().await?;
    let summary = {
        let mut seeder = Seeder {
            txn: &txn,
            now: crate::now(),
            password_hash,
            summary: DemoSummary::default(),
        };
        seeder.run().await?;
        seeder.summary
    };
    txn.commit().await?;
    Ok(summary)
}

/// The model an active model inserts.
type ModelOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// One seeding run: the transaction, the timestamp every row gets, and the running tally.
struct Seeder<'a> {
    txn: &'a DatabaseTransaction,
    now: DateTime<Utc>,
    password_hash: &'a str,
    summary: DemoSummary,
}

impl Seeder<'_> {
    async fn run(&mut self) -> Result<(), DbErr> {
        let people = users::seed(self).await?;
        coaching::seed(self, &people.coaches, &people.learners).await?;
        let course_ids = courses::seed(self, &people.coaches).await?;
        enrollments::seed(self, &people.learners, &course_ids).await?;
        payments::seed(self).await?;
        admin::seed(self).await?;
        chat::seed(self, &people.coaches, &people.learners).await?;
        hr::seed(self, people.hr_admin, &people.organization_members).await
    }

    /// Returns the row `existing` finds, or inserts `row`; counts either way.
    async fn find_or_insert<A>(
        &mut self,
        existing: Select<A::Entity>,
        row: A,
    ) -> Result<ModelOf<A>, DbErr>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        ModelOf<A>: IntoActiveModel<A>,
    {
        if let Some(found) = existing.one(self.txn).await? {
            self.summary.existing += 1;
            return Ok(found);
        }
        let inserted = row.insert(self.txn).await?;
        self.summary.created += 1;
        Ok(inserted)
    }
}

/// The id seeded earlier under `key` (a user e-mail or a course slug from the domain tables).
fn lookup(ids: &Ids, key: &str) -> Result<i64, DbErr> {
    ids.get(key).copied().ok_or_else(|| {
        DbErr::Custom(format!(
            "demo data refers to {key}, which is not part of the demo"
        ))
    })
}
