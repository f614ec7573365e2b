//! People: one's own account and profile, the data export and account deletion, and the
//! administrators' view of all users.

pub mod admin;
pub mod export;
pub mod sle;

use entity::Secret;
use entity::auth::{email_verifications, password_resets};
use entity::enums::{Language, TargetLanguage, UserRole, UserStatus};
use entity::notifications::{notification_preferences, push_subscriptions};
use entity::users::{sle_results, user_profiles, users};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TryIntoModel};

use crate::admin::audit;
use crate::auth::actor::Actor;
use crate::auth::policy;
use crate::auth::sessions::Client;
use crate::certificates::Signer;
use crate::db::Db;
use crate::problem::NOT_FOUND;
use crate::{Error, FieldError, Result};
use sea_orm::TransactionSession as _;

crate::problems! {
    pub LAST_ADMIN: Conflict = "last_admin",
        "The last active administrator cannot be demoted or suspended.",
        "Le dernier administrateur actif ne peut pas être rétrogradé ni suspendu.";
}

/// Default time zone of a profile.
pub const DEFAULT_TIMEZONE: &str = "America/Toronto";

/// The caller's own account.
pub async fn me(db: &impl Db, actor: &Actor) -> Result<users::Model> {
    actor.require_scope("profile:read")?;
    users::Entity::find_by_id(actor.user_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND.into())
}

/// Changes to one's own account; only these fields are writable here.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub language: Option<Language>,
}

/// Updates the caller's name and language.
pub async fn update_me(
    db: &impl Db,
    actor: &Actor,
    changes: AccountChanges,
) -> Result<users::Model> {
    actor.require_session()?;
    let mut problems: Vec<FieldError> = Vec::new();
    let first_name = changes
        .first_name
        .map(|n| policy::name(&n, "firstName"))
        .transpose()
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    let last_name = changes
        .last_name
        .map(|n| policy::name(&n, "lastName"))
        .transpose()
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    let user = users::Entity::find_by_id(actor.user_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let mut row: users::ActiveModel = user.into();
    if let Some(first_name) = first_name {
        row.first_name = Set(first_name);
    }
    if let Some(last_name) = last_name {
        row.last_name = Set(last_name);
    }
    if let Some(language) = changes.language {
        row.language = Set(language);
    }
    row.updated_at = Set(crate::now());
    Ok(row.update(db).await?)
}

/// A profile as shown (defaults when none was saved yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub bio: Option<String>,
    pub avatar: Option<String>,
    pub timezone: String,
    pub phone: Option<String>,
    pub department: Option<String>,
    pub position: Option<String>,
    pub target_language: Option<TargetLanguage>,
}

impl From<user_profiles::Model> for Profile {
    fn from(p: user_profiles::Model) -> Self {
        Self {
            bio: p.bio,
            avatar: p.avatar,
            timezone: p.timezone,
            phone: p.phone,
            department: p.department,
            position: p.position,
            target_language: p.target_language,
        }
    }
}

/// The caller's profile.
pub async fn profile(db: &impl Db, actor: &Actor) -> Result<Profile> {
    actor.require_scope("profile:read")?;
    let saved = user_profiles::Entity::find()
        .filter(user_profiles::Column::UserId.eq(actor.user_id))
        .one(db)
        .await?;
    Ok(saved.map(Profile::from).unwrap_or(Profile {
        bio: None,
        avatar: None,
        timezone: DEFAULT_TIMEZONE.to_owned(),
        phone: None,
        department: None,
        position: None,
        target_language: None,
    }))
}

/// Longest biography (a product limit; `userProfiles.bio` is `TEXT`).
pub const MAX_BIO: usize = 5000;
/// Longest avatar URL (`VARCHAR(1024)`).
pub const MAX_AVATAR: usize = 1024;
/// Longest phone number (`VARCHAR(32)`).
pub const MAX_PHONE: usize = 32;
/// Longest department or position (`VARCHAR(255)`).
pub const MAX_ORGANISATION_TEXT: usize = 255;
/// Longest IANA time zone name (`VARCHAR(64)`).
pub const MAX_TIMEZONE: usize = 64;

fn optional_text(
    value: Option<String>,
    field: &str,
    max: usize,
    problems: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        problems.push(FieldError {
            field: field.to_owned(),
            code: "too_long".to_owned(),
            message: format!("must be at most {max} characters"),
        });
    }
    Some(value)
}

/// Whether `tz` looks like an IANA time zone name (`UTC` or `Area/Location[/Sub]`).
pub fn valid_timezone(tz: &str) -> bool {
    // IANA names: Area/Location[/Sub], letters, digits, '_', '-', '+'.
    tz == "UTC"
        || (tz.contains('/')
            && tz.len() <= MAX_TIMEZONE
            && tz.split('/').all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-+".contains(c))
            }))
}

/// Replaces the caller's profile.
pub async fn put_profile(db: &impl Db, actor: &Actor, profile: Profile) -> Result<Profile> {
    actor.require_session()?;
    let mut problems = Vec::new();
    let bio = optional_text(profile.bio, "bio", MAX_BIO, &mut problems);
    let avatar = optional_text(profile.avatar, "avatar", MAX_AVATAR, &mut problems);
    if avatar
        .as_deref()
        .is_some_and(|a| !a.starts_with("https://"))
    {
        problems.push(FieldError {
            field: "avatar".into(),
            code: "invalid_url".into(),
            message: "must be an https:// URL".into(),
        });
    }
    let phone = optional_text(profile.phone, "phone", MAX_PHONE, &mut problems);
    let department = optional_text(
        profile.department,
        "department",
        MAX_ORGANISATION_TEXT,
        &mut problems,
    );
    let position = optional_text(
        profile.position,
        "position",
        MAX_ORGANISATION_TEXT,
        &mut problems,
    );
    if !valid_timezone(&profile.timezone) {
        problems.push(FieldError {
            field: "timezone".into(),
            code: "invalid_timezone".into(),
            message: "must be an IANA time zone such as America/Toronto".into(),
        });
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    // A first save races other first saves on the unique userId: the loser retries as an update.
    crate::db::retrying(|| async {
        let now = crate::now();
        let existing = user_profiles::Entity::find()
            .filter(user_profiles::Column::UserId.eq(actor.user_id))
            .one(db)
            .await?;
        let mut row = match existing {
            Some(existing) => existing.into(),
            None => user_profiles::ActiveModel {
                user_id: Set(actor.user_id),
                created_at: Set(now),
                ..Default::default()
            },
        };
        row.bio = Set(bio.clone());
        row.avatar = Set(avatar.clone());
        row.timezone = Set(profile.timezone.clone());
        row.phone = Set(phone.clone());
        row.department = Set(department.clone());
        row.position = Set(position.clone());
        row.target_language = Set(profile.target_language);
        row.updated_at = Set(now);
        let saved = row.save(db).await.map_err(Error::busy_if_unique)?;
        Ok(saved.try_into_model()?.into())
    })
    .await
}

/// Deletes the caller's account: personal fields are anonymised, every credential is revoked,
/// financial records are kept (legal retention) but no longer name the person, and the name is
/// erased from the person's certificates, which stay publicly verifiable without it
/// ([`certificates::erase_holder`](crate::certificates::erase_holder), signed again with
/// `signer`). One transaction.
pub async fn delete_me(
    db: &impl Db,
    signer: &Signer,
    actor: &Actor,
    client: &Client,
) -> Result<()> {
    actor.require_session()?;
    // Retried whole on a serialization failure: erasing chat locks rooms that senders lock
    // before the users they notify.
    crate::db::retrying(|| async {
        let now = crate::now();
        let txn = crate::db::begin(db).await?;
        // The lock comes first: on MariaDB the transaction's snapshot starts at its first read, and
        // it must include a certificate issued by a writer that held this lock just before.
        crate::db::lock::<users::Entity>(&txn, users::Column::Id, actor.user_id).await?;
        let user = users::Entity::find_by_id(actor.user_id)
            .one(&txn)
            .await?
            .ok_or(NOT_FOUND)?;
        if user.role == UserRole::Admin && user.status == UserStatus::Active {
            admin::ensure_another_active_admin(&txn).await?;
        }
        let mut row: users::ActiveModel = user.into();
        row.email = Set(format!("deleted-{}@deleted.invalid", actor.user_id));
        row.password = Set(Secret::new("!deleted"));
        row.first_name = Set("Deleted".to_owned());
        row.last_name = Set("User".to_owned());
        row.status = Set(UserStatus::Deleted);
        row.email_verified_at = Set(None);
        row.updated_at = Set(now);
        row.update(&txn).await?;
        user_profiles::Entity::delete_many()
            .filter(user_profiles::Column::UserId.eq(actor.user_id))
            .exec(&txn)
            .await?;
        sle_results::Entity::delete_many()
            .filter(sle_results::Column::UserId.eq(actor.user_id))
            .exec(&txn)
            .await?;
        push_subscriptions::Entity::delete_many()
            .filter(push_subscriptions::Column::UserId.eq(actor.user_id))
            .exec(&txn)
            .await?;
        notification_preferences::Entity::delete_many()
            .filter(notification_preferences::Column::UserId.eq(actor.user_id))
            .exec(&txn)
            .await?;
        password_resets::Entity::delete_many()
            .filter(password_resets::Column::UserId.eq(actor.user_id))
            .exec(&txn)
            .await?;
        email_verifications::Entity::delete_many()
            .filter(email_verifications::Column::UserId.eq(actor.user_id))
            .exec(&txn)
            .await?;
        crate::certificates::erase_holder(&txn, signer, actor.user_id, now).await?;
        crate::chat::erase_member(&txn, actor.user_id).await?;
        crate::coaching::erasure::erase(&txn, actor.user_id).await?;
        crate::payments::erasure::erase(&txn, actor.user_id).await?;
        crate::notifications::erase(&txn, actor.user_id).await?;
        crate::auth::credentials::end_all(&txn, actor.user_id).await?;
        audit::record(
            &txn,
            audit::Event {
                actor_id: Some(actor.user_id),
                action: "user.deleted",
                entity_type: "user",
                entity_id: Some(actor.user_id),
                ..Default::default()
            },
            client,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    })
    .await
}
