//! Creates the communication tables: `chatRooms`, `chatMessages`, `chatRoomMembers`, `notifications`, `notificationPreferences`, `pushSubscriptions`.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        // chatRooms: Chat rooms: direct (exactly two members, unique per pair), group, or coaching (one per session).
        manager
            .create_table(
                Table::create()
                    .table("chatRooms")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("name", 255).null())
                    .col(enumeration("type").not_null())
                    .col(big("createdBy").null())
                    .col(big("sessionId").null())
                    .col(string("directKey", 64).null())
                    .col(timestamp(backend, "lastMessageAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "chatRooms",
                        "createdBy",
                        "users",
                        OnDelete::SetNull,
                    ))
                    .foreign_key(&mut foreign_key(
                        "chatRooms",
                        "sessionId",
                        "sessions",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "chatRooms",
            "ux_chatRooms_sessionId",
            &["sessionId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "chatRooms",
            "ux_chatRooms_directKey",
            &["directKey"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "chatRooms",
            "ix_chatRooms_createdBy",
            &["createdBy"],
            Unique::No,
        )
        .await?;

        // chatMessages: Chat messages, paginated on (sentAt, id).
        manager
            .create_table(
                Table::create()
                    .table("chatMessages")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("roomId").not_null())
                    .col(big("senderId").null())
                    .col(text("content").not_null())
                    .col(enumeration("type").not_null())
                    .col(timestamp(backend, "sentAt").not_null())
                    .col(timestamp(backend, "editedAt").null())
                    .col(timestamp(backend, "deletedAt").null())
                    .col(string("clientMessageId", 64).null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "chatMessages",
                        "roomId",
                        "chatRooms",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "chatMessages",
                        "senderId",
                        "users",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "chatMessages",
            "ux_chatMessages_senderId_clientMessageId",
            &["senderId", "clientMessageId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "chatMessages",
            "ix_chatMessages_roomId_sentAt",
            &["roomId", "sentAt"],
            Unique::No,
        )
        .await?;

        // chatRoomMembers: Room membership and read markers.
        manager
            .create_table(
                Table::create()
                    .table("chatRoomMembers")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("roomId").not_null())
                    .col(big("userId").not_null())
                    .col(enumeration("role").not_null())
                    .col(timestamp(backend, "joinedAt").not_null())
                    .col(timestamp(backend, "lastReadAt").null())
                    .col(big("lastReadMessageId").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "chatRoomMembers",
                        "roomId",
                        "chatRooms",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "chatRoomMembers",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "chatRoomMembers",
                        "lastReadMessageId",
                        "chatMessages",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "chatRoomMembers",
            "ux_chatRoomMembers_roomId_userId",
            &["roomId", "userId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "chatRoomMembers",
            "ix_chatRoomMembers_userId",
            &["userId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "chatRoomMembers",
            "ix_chatRoomMembers_lastReadMessageId",
            &["lastReadMessageId"],
            Unique::No,
        )
        .await?;

        // notifications: In-app notifications created by domain events.
        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(string("type", 64).not_null())
                    .col(string("title", 255).not_null())
                    .col(text("message").not_null())
                    .col(boolean("read").not_null())
                    .col(json("data").null())
                    .col(timestamp(backend, "readAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "notifications",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "notifications",
            "ix_notifications_userId_read",
            &["userId", "read"],
            Unique::No,
        )
        .await?;

        // notificationPreferences: Per-user channel and category switches.
        manager
            .create_table(
                Table::create()
                    .table("notificationPreferences")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(boolean("emailEnabled").not_null())
                    .col(boolean("pushEnabled").not_null())
                    .col(json("categories").not_null())
                    .col(string("quietHoursStart", 5).null())
                    .col(string("quietHoursEnd", 5).null())
                    .col(string("timezone", 64).not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "notificationPreferences",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "notificationPreferences",
            "ux_notificationPreferences_userId",
            &["userId"],
            Unique::Yes,
        )
        .await?;

        // pushSubscriptions: Web Push subscriptions of a user's browsers and devices.
        manager
            .create_table(
                Table::create()
                    .table("pushSubscriptions")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(string("endpoint", 512).not_null())
                    .col(string("p256dh", 255).not_null())
                    .col(string("auth", 64).not_null())
                    .col(string("userAgent", 512).null())
                    .col(timestamp(backend, "lastSuccessAt").null())
                    .col(int("failureCount").not_null())
                    .col(boolean("active").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "pushSubscriptions",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "pushSubscriptions",
            "ux_pushSubscriptions_userId_endpoint",
            &["userId", "endpoint"],
            Unique::Yes,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "pushSubscriptions",
                "notificationPreferences",
                "notifications",
                "chatRoomMembers",
                "chatMessages",
                "chatRooms",
            ],
        )
        .await
    }
}
