//! Migrations create exactly the tables, columns, keys and indexes the entities describe, and run up
//! again or down to zero and back cleanly.

use std::collections::{BTreeMap, BTreeSet};

use migration::{Migrator, MigratorTrait, SchemaManager};
use rusing_academy_tests::db::TestDb;
use rusing_academy_tests::schema::{self, Family};

const MIGRATIONS_TABLE: &str = "seaql_migrations";

/// Unique constraints of SCHEMA.md, the seed's unique indexes included.
const UNIQUE: &[(&str, &[&str])] = &[
    ("users", &["email"]),
    ("userProfiles", &["userId"]),
    ("passwordResets", &["token"]),
    ("emailVerifications", &["token"]),
    ("refreshTokens", &["tokenHash"]),
    ("apiKeys", &["keyPrefix"]),
    ("idempotencyKeys", &["userId", "key"]),
    ("courses", &["slug"]),
    ("modules", &["courseId", "order"]),
    ("lessonProgress", &["userId", "lessonId"]),
    ("enrollments", &["userId", "courseId"]),
    ("certificates", &["number"]),
    ("certificates", &["userId", "courseId"]),
    ("courseReviews", &["userId", "courseId"]),
    ("learningPaths", &["slug"]),
    ("learningPathCourses", &["pathId", "courseId"]),
    ("coachProfiles", &["userId"]),
    ("sessions", &["calendlyEventUri"]),
    ("sessionFeedback", &["sessionId", "fromUserId"]),
    ("coachCalendlyIntegrations", &["coachId"]),
    ("coachCalendlyIntegrations", &["calendlyUserUri"]),
    ("payments", &["stripePaymentId"]),
    ("payments", &["stripeCheckoutSessionId"]),
    ("refunds", &["stripeRefundId"]),
    ("subscriptions", &["stripeSubscriptionId"]),
    ("subscriptionPlans", &["code"]),
    ("invoices", &["number"]),
    ("invoices", &["stripeInvoiceId"]),
    ("coupons", &["code"]),
    ("webhookEvents", &["provider", "externalId"]),
    ("chatRoomMembers", &["roomId", "userId"]),
    ("chatMessages", &["senderId", "clientMessageId"]),
    ("notificationPreferences", &["userId"]),
    ("pushSubscriptions", &["userId", "endpoint"]),
    ("progressSyncQueue", &["userId", "clientOpId"]),
    ("progressSnapshots", &["userId", "courseId", "snapshotDate"]),
    ("featureFlags", &["key"]),
    ("organizations", &["slug"]),
    ("organizationMembers", &["organizationId", "userId"]),
    ("budgetForecasts", &["organizationId", "period", "category"]),
    ("userEvents", &["userId", "seq"]),
    ("notifications", &["userId", "dedupeKey"]),
];

/// The seed's performance indexes and the other indexes SCHEMA.md names (unique or not).
const INDEXED: &[(&str, &[&str])] = &[
    ("users", &["email"]),
    ("lessonProgress", &["userId", "lessonId"]),
    ("sessions", &["coachId", "scheduledAt"]),
    ("chatMessages", &["roomId", "sentAt"]),
    ("notifications", &["userId", "read"]),
    ("featureFlags", &["key"]),
    ("refreshTokens", &["familyId"]),
    ("quizAttempts", &["userId", "lessonId"]),
    ("systemMetrics", &["metric", "timestamp"]),
    ("backgroundJobs", &["status", "runAt"]),
    ("modules", &["courseId"]),
    ("lessons", &["moduleId"]),
    ("quizQuestions", &["lessonId"]),
    ("userEvents", &["userId", "seq"]),
    ("pushSubscriptions", &["endpoint"]),
];

async fn table_names(db: &TestDb) -> BTreeSet<String> {
    schema::tables(&db.conn).await.into_iter().collect()
}

fn expected_tables() -> BTreeSet<String> {
    let mut names: BTreeSet<String> = schema::all_entity_tables()
        .into_iter()
        .map(|t| t.name)
        .collect();
    names.insert(MIGRATIONS_TABLE.to_owned());
    names
}

#[tokio::test]
async fn migrations_create_exactly_the_58_tables() {
    let db = TestDb::migrated().await;

    assert_eq!(entity::TABLE_COUNT, 58);
    assert_eq!(schema::all_entity_tables().len(), 58);
    assert_eq!(table_names(&db).await, expected_tables());
}

#[tokio::test]
async fn every_entity_matches_its_table_column_for_column() {
    let db = TestDb::migrated().await;
    let mut problems = Vec::new();

    for table in schema::all_entity_tables() {
        let actual: BTreeMap<String, schema::DbColumn> = schema::columns(&db.conn, &table.name)
            .await
            .into_iter()
            .map(|c| (c.name.clone(), c))
            .collect();
        let expected: BTreeSet<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        for extra in actual
            .keys()
            .filter(|name| !expected.contains(name.as_str()))
        {
            problems.push(format!(
                "{}.{extra}: in the database, not in the entity",
                table.name
            ));
        }
        for column in &table.columns {
            let Some(found) = actual.get(&column.name) else {
                problems.push(format!(
                    "{}.{}: in the entity, not in the database",
                    table.name, column.name
                ));
                continue;
            };
            let family_ok = found.family == column.family
                // SQLite has no JSON type of its own: sea-query declares it as text.
                || (column.family == Family::Json && found.declared.to_ascii_lowercase().contains("json"));
            if !family_ok {
                problems.push(format!(
                    "{}.{}: entity {:?}, database {} ({:?})",
                    table.name, column.name, column.family, found.declared, found.family
                ));
            }
            if found.nullable != column.nullable {
                problems.push(format!(
                    "{}.{}: entity nullable={}, database nullable={}",
                    table.name, column.name, column.nullable, found.nullable
                ));
            }
            if let (Some(want), Some(got)) = (column.max_len, found.max_len)
                && column.family == Family::Text
                && want != got
            {
                problems.push(format!(
                    "{}.{}: entity length {want}, database {got}",
                    table.name, column.name
                ));
            }
        }
    }

    assert!(
        problems.is_empty(),
        "schema drift:\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
async fn seed_indexes_and_unique_constraints_exist() {
    let db = TestDb::migrated().await;
    let mut missing = Vec::new();

    for (unique, list) in [(true, UNIQUE), (false, INDEXED)] {
        for (table, columns) in list {
            let indexes = schema::indexes(&db.conn, table).await;
            let found = indexes.iter().any(|index| {
                let leading: Vec<&str> = index
                    .columns
                    .iter()
                    .take(columns.len())
                    .map(String::as_str)
                    .collect();
                if unique {
                    index.unique && index.columns.len() == columns.len() && leading == *columns
                } else {
                    leading == *columns
                }
            });
            if !found {
                missing.push(format!(
                    "{}{table}({})",
                    if unique { "UNIQUE " } else { "" },
                    columns.join(", ")
                ));
            }
        }
    }

    assert!(
        missing.is_empty(),
        "missing indexes:\n{}",
        missing.join("\n")
    );
}

#[tokio::test]
async fn every_foreign_key_is_declared_in_entities_and_indexed() {
    let db = TestDb::migrated().await;
    let mut problems = Vec::new();

    for table in schema::all_entity_tables() {
        let actual: BTreeSet<(String, String)> = schema::foreign_keys(&db.conn, &table.name)
            .await
            .into_iter()
            .map(|(column, target, target_column)| {
                assert_eq!(
                    target_column, "id",
                    "{}.{column} must reference an id",
                    table.name
                );
                (column, target)
            })
            .collect();
        let expected: BTreeSet<(String, String)> = table.foreign_keys.iter().cloned().collect();
        if actual != expected {
            problems.push(format!(
                "{}: entity {expected:?}, database {actual:?}",
                table.name
            ));
        }
        let indexes = schema::indexes(&db.conn, &table.name).await;
        for (column, _) in &expected {
            if !indexes
                .iter()
                .any(|index| index.columns.first() == Some(column))
            {
                problems.push(format!(
                    "{}.{column}: foreign key without an index",
                    table.name
                ));
            }
        }
    }

    assert!(
        problems.is_empty(),
        "foreign key problems:\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
async fn running_up_on_an_up_to_date_database_changes_nothing() {
    let db = TestDb::migrated().await;
    let before = table_names(&db).await;

    Migrator::up(&db.conn, None).await.expect("second up");
    // Each migration's own `up` is idempotent too, not only the bookkeeping around it.
    let manager = SchemaManager::new(&db.conn);
    for migration in Migrator::migrations() {
        migration
            .up(&manager)
            .await
            .expect("re-running a migration's up");
    }

    assert_eq!(table_names(&db).await, before);
    assert!(
        Migrator::get_pending_migrations(&db.conn)
            .await
            .expect("pending")
            .is_empty()
    );
    assert_eq!(
        Migrator::get_applied_migrations(&db.conn)
            .await
            .expect("applied")
            .len(),
        Migrator::migrations().len()
    );
}

#[tokio::test]
async fn down_to_zero_then_up_again_rebuilds_the_schema() {
    let db = TestDb::migrated().await;

    Migrator::down(&db.conn, None).await.expect("down to zero");
    assert_eq!(
        table_names(&db).await,
        BTreeSet::from([MIGRATIONS_TABLE.to_owned()])
    );

    Migrator::up(&db.conn, None).await.expect("up again");
    assert_eq!(table_names(&db).await, expected_tables());
}
