//! Creates the learning tables: `courses`, `modules`, `lessons`, `lessonProgress`, `enrollments`, `certificates`, `quizQuestions`, `quizAttempts`, `courseReviews`, `learningPaths`, `learningPathCourses`, `sleResults`, `progressSyncQueue`, `progressSnapshots`.

use sea_orm_migration::prelude::*;

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        // courses: The course catalog. Bilingual: every text has an English and a French column.
        manager
            .create_table(
                Table::create()
                    .table("courses")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("title", 255).not_null())
                    .col(string("titleFr", 255).not_null())
                    .col(string("slug", 191).not_null())
                    .col(text("description").not_null())
                    .col(text("descriptionFr").not_null())
                    .col(big("price").not_null())
                    .col(currency("currency").not_null())
                    .col(enumeration("status").not_null())
                    .col(enumeration("language").not_null())
                    .col(string("level", 8).not_null())
                    .col(string("category", 64).null())
                    .col(big("instructorId").null())
                    .col(boolean("hasCertificate").not_null())
                    .col(timestamp(backend, "publishedAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "courses",
                        "instructorId",
                        "users",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "courses",
            "ux_courses_slug",
            &["slug"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "courses",
            "ix_courses_status_publishedAt",
            &["status", "publishedAt"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "courses",
            "ix_courses_category",
            &["category"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "courses",
            "ix_courses_instructorId",
            &["instructorId"],
            Unique::No,
        )
        .await?;

        // modules: Ordered modules of a course.
        manager
            .create_table(
                Table::create()
                    .table("modules")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("courseId").not_null())
                    .col(string("title", 255).not_null())
                    .col(string("titleFr", 255).not_null())
                    .col(int("order").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "modules",
                        "courseId",
                        "courses",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "modules",
            "ux_modules_courseId_order",
            &["courseId", "order"],
            Unique::Yes,
        )
        .await?;

        // lessons: Lessons of a module. `content` is visible only to enrolled learners, the instructor, admins, or for preview lessons.
        manager
            .create_table(
                Table::create()
                    .table("lessons")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("moduleId").not_null())
                    .col(string("title", 255).not_null())
                    .col(string("titleFr", 255).not_null())
                    .col(text("content").null())
                    .col(text("contentFr").null())
                    .col(enumeration("type").not_null())
                    .col(int("duration").not_null())
                    .col(int("order").not_null())
                    .col(boolean("isPreview").not_null())
                    .col(int("passMark").null())
                    .col(int("maxAttempts").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "lessons",
                        "moduleId",
                        "modules",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "lessons",
            "ix_lessons_moduleId_order",
            &["moduleId", "order"],
            Unique::No,
        )
        .await?;

        // lessonProgress: Progress of one learner in one lesson; merged from online and offline updates.
        manager
            .create_table(
                Table::create()
                    .table("lessonProgress")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("lessonId").not_null())
                    .col(int("progress").not_null())
                    .col(timestamp(backend, "completedAt").null())
                    .col(timestamp(backend, "lastSyncAt").null())
                    .col(big("timeSpentSeconds").not_null())
                    .col(int("syncVersion").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "lessonProgress",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "lessonProgress",
                        "lessonId",
                        "lessons",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "lessonProgress",
            "ux_lessonProgress_userId_lessonId",
            &["userId", "lessonId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "lessonProgress",
            "ix_lessonProgress_lessonId",
            &["lessonId"],
            Unique::No,
        )
        .await?;

        // enrollments: A learner's access to a course.
        manager
            .create_table(
                Table::create()
                    .table("enrollments")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("courseId").not_null())
                    .col(timestamp(backend, "enrolledAt").not_null())
                    .col(enumeration("status").not_null())
                    .col(enumeration("source").not_null())
                    .col(int("progress").not_null())
                    .col(timestamp(backend, "completedAt").null())
                    .col(timestamp(backend, "expiresAt").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "enrollments",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "enrollments",
                        "courseId",
                        "courses",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "enrollments",
            "ux_enrollments_userId_courseId",
            &["userId", "courseId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "enrollments",
            "ix_enrollments_courseId",
            &["courseId"],
            Unique::No,
        )
        .await?;

        // certificates: Completion certificates: one per learner and course, signed with Ed25519.
        manager
            .create_table(
                Table::create()
                    .table("certificates")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("courseId").not_null())
                    .col(timestamp(backend, "issuedAt").not_null())
                    .col(string("number", 32).not_null())
                    .col(enumeration("language").not_null())
                    .col(string("recipientName", 255).not_null())
                    .col(string("courseTitle", 255).not_null())
                    .col(string("signature", 128).not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "certificates",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "certificates",
                        "courseId",
                        "courses",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "certificates",
            "ux_certificates_number",
            &["number"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "certificates",
            "ux_certificates_userId_courseId",
            &["userId", "courseId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "certificates",
            "ix_certificates_courseId",
            &["courseId"],
            Unique::No,
        )
        .await?;

        // quizQuestions: Questions of a quiz lesson. `correctAnswer` is never sent to learners.
        manager
            .create_table(
                Table::create()
                    .table("quizQuestions")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("lessonId").not_null())
                    .col(text("question").not_null())
                    .col(text("questionFr").not_null())
                    .col(json("options").not_null())
                    .col(json("correctAnswer").not_null())
                    .col(text("explanation").null())
                    .col(text("explanationFr").null())
                    .col(int("order").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "quizQuestions",
                        "lessonId",
                        "lessons",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "quizQuestions",
            "ix_quizQuestions_lessonId",
            &["lessonId"],
            Unique::No,
        )
        .await?;

        // quizAttempts: Graded quiz attempts.
        manager
            .create_table(
                Table::create()
                    .table("quizAttempts")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("lessonId").not_null())
                    .col(json("answers").not_null())
                    .col(int("score").not_null())
                    .col(boolean("passed").not_null())
                    .col(int("attemptNumber").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "quizAttempts",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "quizAttempts",
                        "lessonId",
                        "lessons",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "quizAttempts",
            "ux_quizAttempts_userId_lessonId_attemptNumber",
            &["userId", "lessonId", "attemptNumber"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "quizAttempts",
            "ix_quizAttempts_userId_lessonId",
            &["userId", "lessonId"],
            Unique::No,
        )
        .await?;
        create_index(
            manager,
            "quizAttempts",
            "ix_quizAttempts_lessonId",
            &["lessonId"],
            Unique::No,
        )
        .await?;

        // courseReviews: One review per learner and course.
        manager
            .create_table(
                Table::create()
                    .table("courseReviews")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("courseId").not_null())
                    .col(int("rating").not_null())
                    .col(text("comment").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "courseReviews",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "courseReviews",
                        "courseId",
                        "courses",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "courseReviews",
            "ux_courseReviews_userId_courseId",
            &["userId", "courseId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "courseReviews",
            "ix_courseReviews_courseId",
            &["courseId"],
            Unique::No,
        )
        .await?;

        // learningPaths: Sold bundles of courses (for example "Path I-VI").
        manager
            .create_table(
                Table::create()
                    .table("learningPaths")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(string("title", 255).not_null())
                    .col(string("titleFr", 255).not_null())
                    .col(string("slug", 191).not_null())
                    .col(text("description").null())
                    .col(text("descriptionFr").null())
                    .col(string("level", 8).not_null())
                    .col(big("price").not_null())
                    .col(currency("currency").not_null())
                    .col(enumeration("status").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "learningPaths",
            "ux_learningPaths_slug",
            &["slug"],
            Unique::Yes,
        )
        .await?;

        // learningPathCourses: Ordered membership of courses in learning paths.
        manager
            .create_table(
                Table::create()
                    .table("learningPathCourses")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("pathId").not_null())
                    .col(big("courseId").not_null())
                    .col(int("order").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "learningPathCourses",
                        "pathId",
                        "learningPaths",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "learningPathCourses",
                        "courseId",
                        "courses",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "learningPathCourses",
            "ux_learningPathCourses_pathId_courseId",
            &["pathId", "courseId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "learningPathCourses",
            "ix_learningPathCourses_courseId",
            &["courseId"],
            Unique::No,
        )
        .await?;

        // sleResults: Second Language Evaluation results of a learner.
        manager
            .create_table(
                Table::create()
                    .table("sleResults")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(enumeration("skill").not_null())
                    .col(enumeration("level").not_null())
                    .col(date("testedAt").null())
                    .col(date("expiresAt").null())
                    .col(enumeration("source").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .col(timestamp(backend, "updatedAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "sleResults",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "sleResults",
            "ix_sleResults_userId",
            &["userId"],
            Unique::No,
        )
        .await?;

        // progressSyncQueue: Every offline progress operation received, keyed by (userId, clientOpId) so that a replay changes nothing.
        manager
            .create_table(
                Table::create()
                    .table("progressSyncQueue")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("lessonId").null())
                    .col(json("data").not_null())
                    .col(timestamp(backend, "syncedAt").not_null())
                    .col(string("clientOpId", 64).not_null())
                    .col(string("deviceId", 128).null())
                    .col(enumeration("status").not_null())
                    .col(string("error", 64).null())
                    .col(json("result").null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "progressSyncQueue",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "progressSyncQueue",
                        "lessonId",
                        "lessons",
                        OnDelete::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "progressSyncQueue",
            "ux_progressSyncQueue_userId_clientOpId",
            &["userId", "clientOpId"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "progressSyncQueue",
            "ix_progressSyncQueue_lessonId",
            &["lessonId"],
            Unique::No,
        )
        .await?;

        // progressSnapshots: Daily per-course progress snapshots, one per (user, course, day) with activity.
        manager
            .create_table(
                Table::create()
                    .table("progressSnapshots")
                    .if_not_exists()
                    .col(pk("id"))
                    .col(big("userId").not_null())
                    .col(big("courseId").not_null())
                    .col(json("snapshot").not_null())
                    .col(date("snapshotDate").not_null())
                    .col(timestamp(backend, "createdAt").not_null())
                    .foreign_key(&mut foreign_key(
                        "progressSnapshots",
                        "userId",
                        "users",
                        OnDelete::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "progressSnapshots",
                        "courseId",
                        "courses",
                        OnDelete::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "progressSnapshots",
            "ux_progressSnapshots_userId_courseId_snapshotDate",
            &["userId", "courseId", "snapshotDate"],
            Unique::Yes,
        )
        .await?;
        create_index(
            manager,
            "progressSnapshots",
            "ix_progressSnapshots_courseId",
            &["courseId"],
            Unique::No,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "progressSnapshots",
                "progressSyncQueue",
                "sleResults",
                "learningPathCourses",
                "learningPaths",
                "courseReviews",
                "quizAttempts",
                "quizQuestions",
                "certificates",
                "enrollments",
                "lessonProgress",
                "lessons",
                "modules",
                "courses",
            ],
        )
        .await
    }
}
