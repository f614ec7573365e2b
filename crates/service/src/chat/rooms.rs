//! Rooms and their members.

use entity::chat::{chat_room_members, chat_rooms};
use entity::enums::{ChatMemberRole, ChatRoomType, UserStatus};
use entity::users::users;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession as _,
};
use serde_json::json;

use super::{
    LAST_OWNER, MAX_GROUP_MEMBERS, MEMBERSHIP_FIXED, MODERATOR_REQUIRED, OWNER_REQUIRED, ROOM_FULL,
    lock_room, member_ids, membership, moderates, tell_room,
};
use crate::auth::actor::Actor;
use crate::db::Db;
use crate::pagination::{self, Cursor, Page, PageRequest};
use crate::problem::NOT_FOUND;
use crate::realtime::{self, Hub};
use crate::{Error, Result};

/// A room as one of its members sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomView {
    pub room: chat_rooms::Model,
    pub membership: chat_room_members::Model,
}

/// A member with the name shown beside their messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub membership: chat_room_members::Model,
    pub first_name: String,
    pub last_name: String,
}

impl Member {
    /// The member and their account (`None` once it is gone: no name).
    fn new(membership: chat_room_members::Model, user: Option<users::Model>) -> Self {
        let (first_name, last_name) =
            user.map_or_else(Default::default, |u| (u.first_name, u.last_name));
        Self {
            membership,
            first_name,
            last_name,
        }
    }
}

/// A new group room.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub name: String,
    /// The other members (the creator is the owner).
    pub member_ids: Vec<i64>,
}

/// What [`open_direct`] and [`add_member`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened<T> {
    pub value: T,
    /// False when it existed already (nothing changed).
    pub created: bool,
}

/// Opens the direct conversation between the caller and `other_id`: found if it exists,
/// created otherwise (both members, a `chat.membership` event to each).
pub async fn open_direct(
    db: &impl Db,
    hub: &Hub,
    actor: &Actor,
    other_id: i64,
) -> Result<Opened<RoomView>> {
    actor.require_session()?;
    if other_id == actor.user_id {
        return Err(Error::field(
            "userId",
            "cannot_chat_with_yourself",
            "is your own id; a direct conversation needs someone else",
        ));
    }
    require_active_users(db, "userId", &[other_id]).await?;
    let key = direct_key(actor.user_id, other_id);
    if let Some(found) = find_direct(db, &key, actor.user_id).await? {
        return Ok(Opened {
            value: found,
            created: false,
        });
    }
    let created = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        // Both people's rows first, in id order: the room's `createdBy` check would take a shared
        // lock that reserving event numbers must then upgrade (see `realtime::reserve`), and two
        // people opening their room at once must queue on the same row.
        lock_user(&txn, actor.user_id.min(other_id)).await?;
        lock_user(&txn, actor.user_id.max(other_id)).await?;
        let room = NewRoom {
            direct_key: Some(key.clone()),
            ..NewRoom::new(ChatRoomType::Direct, Some(actor.user_id))
        };
        let room = match chat_rooms::Entity::insert(room.row()).exec(&txn).await {
            Ok(done) => done.last_insert_id,
            Err(err) if Error::is_unique_violation(&err) => return Ok(None),
            Err(err) => return Err(err.into()),
        };
        let members = [
            (actor.user_id, ChatMemberRole::Member),
            (other_id, ChatMemberRole::Member),
        ];
        add_rows(&txn, room, &members).await?;
        let view = view_of(&txn, room, actor.user_id).await?;
        txn.commit().await?;
        Ok(Some(view))
    })
    .await?;
    match created {
        Some(view) => {
            hub.wake(&[actor.user_id, other_id]);
            Ok(Opened {
                value: view,
                created: true,
            })
        }
        // A concurrent request created it first: theirs is ours.
        None => find_direct(db, &key, actor.user_id)
            .await?
            .map(|value| Opened {
                value,
                created: false,
            })
            .ok_or(NOT_FOUND.into()),
    }
}

/// Creates a group room owned by the caller with `group.member_ids` as members.
pub async fn create_group(
    db: &impl Db,
    hub: &Hub,
    actor: &Actor,
    group: NewGroup,
) -> Result<RoomView> {
    actor.require_session()?;
    let mut others: Vec<i64> = group
        .member_ids
        .into_iter()
        .filter(|id| *id != actor.user_id)
        .collect();
    others.sort_unstable();
    others.dedup();
    if others.len() >= MAX_GROUP_MEMBERS {
        return Err(ROOM_FULL.into());
    }
    require_active_users(db, "memberIds", &others).await?;
    let mut members = vec![(actor.user_id, ChatMemberRole::Owner)];
    members.extend(others.iter().map(|id| (*id, ChatMemberRole::Member)));
    let view = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        lock_user(&txn, actor.user_id).await?;
        let room = NewRoom {
            name: Some(group.name.clone()),
            ..NewRoom::new(ChatRoomType::Group, Some(actor.user_id))
        };
        let room = chat_rooms::Entity::insert(room.row())
            .exec(&txn)
            .await?
            .last_insert_id;
        add_rows(&txn, room, &members).await?;
        let view = view_of(&txn, room, actor.user_id).await?;
        txn.commit().await?;
        Ok(view)
    })
    .await?;
    let ids: Vec<i64> = members.iter().map(|(id, _)| *id).collect();
    hub.wake(&ids);
    Ok(view)
}

/// The chat room of a coaching session, created with its coach and learner as members if it does
/// not exist yet (idempotent; unique per session). Runs on the caller's transaction, e.g. the one
/// that confirms the session; the members' streams learn of it from the next poll.
pub async fn open_for_session(
    db: &impl ConnectionTrait,
    session_id: i64,
    coach_id: i64,
    learner_id: i64,
) -> Result<chat_rooms::Model> {
    let existing = || {
        chat_rooms::Entity::find()
            .filter(chat_rooms::Column::SessionId.eq(session_id))
            .one(db)
    };
    if let Some(room) = existing().await? {
        return Ok(room);
    }
    let room = NewRoom {
        session_id: Some(session_id),
        ..NewRoom::new(ChatRoomType::Coaching, None)
    };
    let inserted = room.row().insert(db).await;
    match inserted {
        Ok(room) => {
            add_rows(
                db,
                room.id,
                &[
                    (coach_id, ChatMemberRole::Moderator),
                    (learner_id, ChatMemberRole::Member),
                ],
            )
            .await?;
            Ok(room)
        }
        // A concurrent confirmation created it: a locking read sees it even inside a snapshot.
        Err(err) if Error::is_unique_violation(&err) => chat_rooms::Entity::find()
            .filter(chat_rooms::Column::SessionId.eq(session_id))
            .lock_exclusive()
            .one(db)
            .await?
            .ok_or(NOT_FOUND.into()),
        Err(err) => Err(err.into()),
    }
}

/// The caller's rooms, most recently active first (`lastMessageAt`, which a room's creation
/// sets and each message moves).
pub async fn list_mine(
    db: &impl ConnectionTrait,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<RoomView>> {
    actor.require_session()?;
    let query = chat_rooms::Entity::find()
        .inner_join(chat_room_members::Entity)
        .filter(chat_room_members::Column::UserId.eq(actor.user_id));
    let rows = pagination::keyset(
        query,
        chat_rooms::Column::LastMessageAt,
        chat_rooms::Column::Id,
        &page,
    )
    .select_also(chat_room_members::Entity)
    .all(db)
    .await?;
    let rows: Vec<RoomView> = rows
        .into_iter()
        .filter_map(|(room, membership)| membership.map(|membership| RoomView { room, membership }))
        .collect();
    Ok(pagination::finish(rows, &page, |view| Cursor {
        at: view.room.last_message_at.unwrap_or(view.room.created_at),
        id: view.room.id,
    }))
}

/// A room of the caller's (404 for anyone else).
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, room_id: i64) -> Result<RoomView> {
    actor.require_session()?;
    view_of(db, room_id, actor.user_id).await
}

/// A room of the caller's with its members (404 for anyone else).
pub async fn detail(
    db: &impl ConnectionTrait,
    actor: &Actor,
    room_id: i64,
) -> Result<(RoomView, Vec<Member>)> {
    let view = get(db, actor, room_id).await?;
    let members = members_of(db, room_id).await?;
    Ok((view, members))
}

/// The members of a room of the caller's (404 for anyone else), owners first.
pub async fn members(
    db: &impl ConnectionTrait,
    actor: &Actor,
    room_id: i64,
) -> Result<Vec<Member>> {
    actor.require_session()?;
    membership(db, room_id, actor.user_id).await?;
    members_of(db, room_id).await
}

/// A room's members, owners first, then moderators, then members, each by seniority.
async fn members_of(db: &impl ConnectionTrait, room_id: i64) -> Result<Vec<Member>> {
    let rows = chat_room_members::Entity::find()
        .filter(chat_room_members::Column::RoomId.eq(room_id))
        .order_by_asc(chat_room_members::Column::JoinedAt)
        .order_by_asc(chat_room_members::Column::Id)
        .find_also_related(users::Entity)
        .all(db)
        .await?;
    let mut members: Vec<Member> = rows
        .into_iter()
        .map(|(membership, user)| Member::new(membership, user))
        .collect();
    members.sort_by_key(|m| rank(m.membership.role));
    Ok(members)
}

fn rank(role: ChatMemberRole) -> u8 {
    match role {
        ChatMemberRole::Owner => 0,
        ChatMemberRole::Moderator => 1,
        ChatMemberRole::Member => 2,
    }
}

/// Adds `user_id` to a group room with `role`, or changes the role of a member (owners only;
/// moderators add members). Idempotent: adding a member again with the same role changes
/// nothing (`created: false`).
pub async fn add_member(
    db: &impl Db,
    hub: &Hub,
    actor: &Actor,
    room_id: i64,
    user_id: i64,
    role: ChatMemberRole,
) -> Result<Opened<Member>> {
    actor.require_session()?;
    membership(db, room_id, actor.user_id).await?;
    require_active_users(db, "userId", &[user_id]).await?;
    let (opened, recipients) = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        lock_room(&txn, room_id).await?;
        let room = chat_rooms::Entity::find_by_id(room_id)
            .one(&txn)
            .await?
            .ok_or(NOT_FOUND)?;
        let mine = membership(&txn, room_id, actor.user_id).await?;
        if room.r#type != ChatRoomType::Group {
            return Err(MEMBERSHIP_FIXED.into());
        }
        if !moderates(mine.role) {
            return Err(MODERATOR_REQUIRED.into());
        }
        if role != ChatMemberRole::Member && mine.role != ChatMemberRole::Owner {
            return Err(OWNER_REQUIRED.into());
        }
        let existing = chat_room_members::Entity::find()
            .filter(chat_room_members::Column::RoomId.eq(room_id))
            .filter(chat_room_members::Column::UserId.eq(user_id))
            .one(&txn)
            .await?;
        let (membership, created) = match existing {
            Some(existing) if existing.role == role => {
                return Ok((
                    Opened {
                        value: existing,
                        created: false,
                    },
                    Vec::new(),
                ));
            }
            Some(existing) => {
                if mine.role != ChatMemberRole::Owner {
                    return Err(OWNER_REQUIRED.into());
                }
                if existing.role == ChatMemberRole::Owner && !other_owner(&txn, room_id, user_id).await? {
                    return Err(LAST_OWNER.into());
                }
                let mut row: chat_room_members::ActiveModel = existing.into();
                row.role = Set(role);
                row.updated_at = Set(crate::now());
                (row.update(&txn).await?, false)
            }
            None => {
                let count = chat_room_members::Entity::find()
                    .filter(chat_room_members::Column::RoomId.eq(room_id))
                    .count(&txn)
                    .await?;
                if count >= MAX_GROUP_MEMBERS as u64 {
                    return Err(ROOM_FULL.into());
                }
                add_rows(&txn, room_id, &[(user_id, role)]).await?;
                (membership(&txn, room_id, user_id).await?, true)
            }
        };
        // A new member: `add_rows` told everyone already.
        let recipients = if created {
            member_ids(&txn, room_id).await?
        } else {
            tell_room(
                &txn,
                room_id,
                &[],
                realtime::CHAT_MEMBERSHIP,
                json!({"roomId": room_id, "action": "role_changed", "userId": user_id, "role": role}),
            )
            .await?
        };
        txn.commit().await?;
        Ok((
            Opened {
                value: membership,
                created,
            },
            recipients,
        ))
    })
    .await?;
    hub.wake(&recipients);
    let user = users::Entity::find_by_id(user_id).one(db).await?;
    Ok(Opened {
        value: Member::new(opened.value, user),
        created: opened.created,
    })
}

/// Removes `user_id` from a group room: the member themselves (leaving; not the last owner while
/// others remain), a moderator removing a member, or an owner removing anyone.
pub async fn remove_member(
    db: &impl Db,
    hub: &Hub,
    actor: &Actor,
    room_id: i64,
    user_id: i64,
) -> Result<()> {
    actor.require_session()?;
    membership(db, room_id, actor.user_id).await?;
    let recipients = crate::db::retrying(|| async {
        let txn = crate::db::begin(db).await?;
        lock_room(&txn, room_id).await?;
        let room = chat_rooms::Entity::find_by_id(room_id)
            .one(&txn)
            .await?
            .ok_or(NOT_FOUND)?;
        let mine = membership(&txn, room_id, actor.user_id).await?;
        let target = membership(&txn, room_id, user_id).await?;
        if room.r#type != ChatRoomType::Group {
            return Err(MEMBERSHIP_FIXED.into());
        }
        if user_id == actor.user_id {
            let others = chat_room_members::Entity::find()
                .filter(chat_room_members::Column::RoomId.eq(room_id))
                .count(&txn)
                .await?
                > 1;
            if mine.role == ChatMemberRole::Owner
                && others
                && !other_owner(&txn, room_id, user_id).await?
            {
                return Err(LAST_OWNER.into());
            }
        } else {
            match (mine.role, target.role) {
                (ChatMemberRole::Owner, _)
                | (ChatMemberRole::Moderator, ChatMemberRole::Member) => {}
                (ChatMemberRole::Moderator, _) => return Err(OWNER_REQUIRED.into()),
                (ChatMemberRole::Member, _) => return Err(MODERATOR_REQUIRED.into()),
            }
        }
        chat_room_members::Entity::delete_by_id(target.id)
            .exec(&txn)
            .await?;
        let recipients = tell_room(
            &txn,
            room_id,
            &[user_id],
            realtime::CHAT_MEMBERSHIP,
            json!({"roomId": room_id, "action": "removed", "userId": user_id}),
        )
        .await?;
        txn.commit().await?;
        Ok(recipients)
    })
    .await?;
    hub.wake(&recipients);
    Ok(())
}

async fn other_owner(db: &impl ConnectionTrait, room_id: i64, except: i64) -> Result<bool> {
    Ok(chat_room_members::Entity::find()
        .filter(chat_room_members::Column::RoomId.eq(room_id))
        .filter(chat_room_members::Column::UserId.ne(except))
        .filter(chat_room_members::Column::Role.eq(ChatMemberRole::Owner))
        .count(db)
        .await?
        > 0)
}

/// Inserts memberships and tells the room's members (new ones included) who joined.
async fn add_rows(
    db: &impl ConnectionTrait,
    room_id: i64,
    members: &[(i64, ChatMemberRole)],
) -> Result<()> {
    let added: Vec<i64> = members.iter().map(|(id, _)| *id).collect();
    let mut recipients = member_ids(db, room_id).await?;
    recipients.extend(&added);
    let numbers = realtime::reserve(db, &recipients).await?;
    let now = crate::now();
    chat_room_members::Entity::insert_many(members.iter().map(|(user_id, role)| {
        chat_room_members::ActiveModel {
            id: NotSet,
            room_id: Set(room_id),
            user_id: Set(*user_id),
            role: Set(*role),
            joined_at: Set(now),
            last_read_at: Set(None),
            last_read_message_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
    }))
    .exec_without_returning(db)
    .await?;
    realtime::write(
        db,
        &numbers,
        realtime::CHAT_MEMBERSHIP,
        json!({"roomId": room_id, "action": "added", "userIds": added}),
    )
    .await
}

async fn view_of(db: &impl ConnectionTrait, room_id: i64, user_id: i64) -> Result<RoomView> {
    let membership = membership(db, room_id, user_id).await?;
    let room = chat_rooms::Entity::find_by_id(room_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    Ok(RoomView { room, membership })
}

async fn find_direct(
    db: &impl ConnectionTrait,
    key: &str,
    user_id: i64,
) -> Result<Option<RoomView>> {
    let room = chat_rooms::Entity::find()
        .filter(chat_rooms::Column::DirectKey.eq(key))
        .one(db)
        .await?;
    let Some(room) = room else {
        return Ok(None);
    };
    Ok(Some(RoomView {
        membership: membership(db, room.id, user_id).await?,
        room,
    }))
}

/// A room to create: what differs between the kinds.
struct NewRoom {
    kind: ChatRoomType,
    name: Option<String>,
    created_by: Option<i64>,
    session_id: Option<i64>,
    direct_key: Option<String>,
}

impl NewRoom {
    fn new(kind: ChatRoomType, created_by: Option<i64>) -> Self {
        Self {
            kind,
            name: None,
            created_by,
            session_id: None,
            direct_key: None,
        }
    }

    /// The row, created now; `lastMessageAt` starts at the creation (rooms are listed by it).
    fn row(self) -> chat_rooms::ActiveModel {
        let now = crate::now();
        chat_rooms::ActiveModel {
            id: NotSet,
            name: Set(self.name),
            r#type: Set(self.kind),
            created_by: Set(self.created_by),
            session_id: Set(self.session_id),
            direct_key: Set(self.direct_key),
            last_message_at: Set(Some(now)),
            created_at: Set(now),
            updated_at: Set(now),
        }
    }
}

async fn lock_user(db: &impl ConnectionTrait, user_id: i64) -> Result<()> {
    crate::db::lock::<users::Entity>(db, users::Column::Id, user_id).await
}

fn direct_key(a: i64, b: i64) -> String {
    format!("{}:{}", a.min(b), a.max(b))
}

/// Refuses ids that are not active accounts (422 on `field`, code `unknown_user`).
async fn require_active_users(db: &impl ConnectionTrait, field: &str, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let found = users::Entity::find()
        .filter(users::Column::Id.is_in(ids.iter().copied()))
        .filter(users::Column::Status.eq(UserStatus::Active))
        .count(db)
        .await?;
    if found != ids.len() as u64 {
        return Err(Error::field(
            field,
            "unknown_user",
            "names no active account",
        ));
    }
    Ok(())
}
