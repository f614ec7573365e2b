//! Chat and notifications: Emily Thompson's direct conversation with her coach Marie-Claude
//! Tremblay, the "Oral B practice" group David Chen runs for three learners, and the
//! notifications Emily's enrollments and Jean-François's would have produced.

use chrono::Duration;
use entity::chat::{chat_messages, chat_room_members, chat_rooms};
use entity::enums::{ChatMemberRole, ChatMessageType, ChatRoomType};
use entity::notifications::notifications;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::coaching::{DAVID, MARIE_CLAUDE};
use super::{Ids, Seeder, lookup};

const EMILY: &str = "emily.thompson@demo.rusingacademy.ca";
const JEAN_FRANCOIS: &str = "jean-francois.lavoie@demo.rusingacademy.ca";
const PRIYA: &str = "priya.sharma@demo.rusingacademy.ca";

/// Seeds the rooms, their members and messages, and a few notifications.
pub(super) async fn seed(
    seeder: &mut Seeder<'_>,
    coaches: &Ids,
    learners: &Ids,
) -> Result<(), DbErr> {
    let emily = lookup(learners, EMILY)?;
    let jean_francois = lookup(learners, JEAN_FRANCOIS)?;
    let priya = lookup(learners, PRIYA)?;
    let marie_claude = lookup(coaches, MARIE_CLAUDE)?;
    let david = lookup(coaches, DAVID)?;

    let direct = room(
        seeder,
        ChatRoomType::Direct,
        None,
        Some((emily, marie_claude)),
        marie_claude,
    )
    .await?;
    for (user, role) in [
        (emily, ChatMemberRole::Member),
        (marie_claude, ChatMemberRole::Member),
    ] {
        member(seeder, direct, user, role).await?;
    }
    let conversation = [
        (
            marie_claude,
            "demo-mc-1",
            "Bonjour Emily ! Prête pour notre séance de jeudi ?",
        ),
        (
            emily,
            "demo-et-1",
            "Oui ! I'd like to practise the opinion questions of the oral test.",
        ),
        (
            marie_claude,
            "demo-mc-2",
            "Parfait. Préparez deux exemples tirés de votre travail.",
        ),
    ];
    for (minutes, (sender, client_id, text)) in (0i64..).zip(conversation) {
        message(seeder, direct, sender, client_id, text, minutes).await?;
    }

    let group = room(
        seeder,
        ChatRoomType::Group,
        Some("Pratique orale B / Oral B practice"),
        None,
        david,
    )
    .await?;
    for (user, role) in [
        (david, ChatMemberRole::Owner),
        (emily, ChatMemberRole::Member),
        (jean_francois, ChatMemberRole::Member),
        (priya, ChatMemberRole::Member),
    ] {
        member(seeder, group, user, role).await?;
    }
    let practice = [
        (
            david,
            "demo-dc-1",
            "Bienvenue ! Chaque semaine : un sujet, trois minutes chacun.",
        ),
        (
            priya,
            "demo-ps-1",
            "Sujet de cette semaine : le télétravail dans la fonction publique ?",
        ),
        (jean_francois, "demo-jf-1", "Bonne idée, je commence !"),
    ];
    for (minutes, (sender, client_id, text)) in (10i64..).zip(practice) {
        message(seeder, group, sender, client_id, text, minutes).await?;
    }

    notification(
        seeder,
        emily,
        "enrollment.granted",
        "Enrollment confirmed",
        "You are enrolled in “Oral Interaction – Level B”. Happy learning!",
    )
    .await?;
    notification(
        seeder,
        jean_francois,
        "enrollment.granted",
        "Inscription confirmée",
        "Vous êtes inscrit au cours « Compréhension de l'écrit – niveau A ». Bon apprentissage !",
    )
    .await
}

async fn room(
    seeder: &mut Seeder<'_>,
    kind: ChatRoomType,
    name: Option<&str>,
    pair: Option<(i64, i64)>,
    created_by: i64,
) -> Result<i64, DbErr> {
    let direct_key = pair.map(|(a, b)| format!("{}:{}", a.min(b), a.max(b)));
    let existing = match (&direct_key, name) {
        (Some(key), _) => {
            chat_rooms::Entity::find().filter(chat_rooms::Column::DirectKey.eq(key.as_str()))
        }
        (None, name) => chat_rooms::Entity::find()
            .filter(chat_rooms::Column::Name.eq(name.unwrap_or_default()))
            .filter(chat_rooms::Column::Type.eq(kind)),
    };
    let row = chat_rooms::ActiveModel {
        name: Set(name.map(str::to_owned)),
        r#type: Set(kind),
        created_by: Set(Some(created_by)),
        session_id: Set(None),
        direct_key: Set(direct_key.clone()),
        last_message_at: Set(Some(seeder.now)),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    Ok(seeder.find_or_insert(existing, row).await?.id)
}

async fn member(
    seeder: &mut Seeder<'_>,
    room: i64,
    user: i64,
    role: ChatMemberRole,
) -> Result<(), DbErr> {
    let existing = chat_room_members::Entity::find()
        .filter(chat_room_members::Column::RoomId.eq(room))
        .filter(chat_room_members::Column::UserId.eq(user));
    let joined = seeder.now - Duration::days(1);
    let row = chat_room_members::ActiveModel {
        room_id: Set(room),
        user_id: Set(user),
        role: Set(role),
        joined_at: Set(joined),
        last_read_at: Set(None),
        last_read_message_id: Set(None),
        created_at: Set(joined),
        updated_at: Set(joined),
        ..Default::default()
    };
    seeder.find_or_insert(existing, row).await?;
    Ok(())
}

async fn message(
    seeder: &mut Seeder<'_>,
    room: i64,
    sender: i64,
    client_id: &str,
    text: &str,
    minutes: i64,
) -> Result<(), DbErr> {
    let existing = chat_messages::Entity::find()
        .filter(chat_messages::Column::SenderId.eq(sender))
        .filter(chat_messages::Column::ClientMessageId.eq(client_id));
    let sent_at = seeder.now - Duration::hours(20) + Duration::minutes(minutes);
    let row = chat_messages::ActiveModel {
        room_id: Set(room),
        sender_id: Set(Some(sender)),
        content: Set(text.to_owned()),
        r#type: Set(ChatMessageType::Text),
        sent_at: Set(sent_at),
        edited_at: Set(None),
        deleted_at: Set(None),
        client_message_id: Set(Some(client_id.to_owned())),
        created_at: Set(sent_at),
        updated_at: Set(sent_at),
        ..Default::default()
    };
    seeder.find_or_insert(existing, row).await?;
    Ok(())
}

async fn notification(
    seeder: &mut Seeder<'_>,
    user: i64,
    kind: &str,
    title: &str,
    text: &str,
) -> Result<(), DbErr> {
    let existing = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user))
        .filter(notifications::Column::Type.eq(kind))
        .filter(notifications::Column::Title.eq(title));
    let row = notifications::ActiveModel {
        user_id: Set(user),
        r#type: Set(kind.to_owned()),
        title: Set(title.to_owned()),
        message: Set(text.to_owned()),
        read: Set(false),
        data: Set(Some(json!({"demo": true}))),
        read_at: Set(None),
        created_at: Set(seeder.now),
        ..Default::default()
    };
    seeder.find_or_insert(existing, row).await?;
    Ok(())
}
