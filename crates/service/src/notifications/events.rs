//! The notifications that domain events create, one subscriber job per event (retried on its
//! own; see [`crate::jobs::events`]).

use entity::courses::courses;
use entity::enums::EnrollmentSource;
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Bilingual, Category, Notice, notify_now};
use crate::Result;
use crate::certificates::CertificateIssued;
use crate::enrollments::EnrollmentGranted;
use crate::jobs::{Context, Job};
use crate::progress::CourseCompleted;

/// The English and French titles of a course (`None` once it is gone).
async fn course_titles(ctx: &Context<'_>, course_id: i64) -> Result<Option<(String, String)>> {
    Ok(courses::Entity::find_by_id(course_id)
        .one(ctx.db)
        .await?
        .map(|c| (c.title, c.title_fr)))
}

/// "You are enrolled in …", or "An administrator enrolled you in …" for an administrator's grant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotifyEnrollment(pub EnrollmentGranted);

impl From<EnrollmentGranted> for NotifyEnrollment {
    fn from(event: EnrollmentGranted) -> Self {
        Self(event)
    }
}

impl Job for NotifyEnrollment {
    const KIND: &'static str = "notifications.enrollment_granted";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let event = self.0;
        let Some((en, fr)) = course_titles(ctx, event.course_id).await? else {
            return Ok(());
        };
        let (category, title, message) = if event.source == EnrollmentSource::Admin {
            (
                Category::Account,
                Bilingual {
                    en: "You were enrolled in a course".to_owned(),
                    fr: "Vous avez été inscrit à un cours".to_owned(),
                },
                Bilingual {
                    en: format!("An administrator enrolled you in “{en}”. You can start now."),
                    fr: format!(
                        "Une administratrice ou un administrateur vous a inscrit au cours «\u{a0}{fr}\u{a0}». Vous pouvez commencer dès maintenant."
                    ),
                },
            )
        } else {
            (
                Category::Learning,
                Bilingual {
                    en: "Enrollment confirmed".to_owned(),
                    fr: "Inscription confirmée".to_owned(),
                },
                Bilingual {
                    en: format!("You are enrolled in “{en}”. Happy learning!"),
                    fr: format!(
                        "Vous êtes inscrit au cours «\u{a0}{fr}\u{a0}». Bon apprentissage\u{a0}!"
                    ),
                },
            )
        };
        let notice = Notice {
            category,
            kind: "enrollment.granted".to_owned(),
            title,
            message,
            data: json!({"enrollmentId": event.enrollment_id, "courseId": event.course_id, "source": event.source}),
            dedupe_key: Some(format!("job:{}", ctx.job.id)),
        };
        notify_now(ctx.db, &ctx.deps.realtime, event.user_id, &notice).await
    }
}

crate::register_job!(NotifyEnrollment);
crate::subscribe!(EnrollmentGranted => NotifyEnrollment);

/// "You completed …".
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotifyCourseCompleted(pub CourseCompleted);

impl From<CourseCompleted> for NotifyCourseCompleted {
    fn from(event: CourseCompleted) -> Self {
        Self(event)
    }
}

impl Job for NotifyCourseCompleted {
    const KIND: &'static str = "notifications.course_completed";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let event = self.0;
        let Some((en, fr)) = course_titles(ctx, event.course_id).await? else {
            return Ok(());
        };
        let notice = Notice {
            category: Category::Learning,
            kind: "course.completed".to_owned(),
            title: Bilingual {
                en: "Course completed".to_owned(),
                fr: "Cours terminé".to_owned(),
            },
            message: Bilingual {
                en: format!("Congratulations: you completed “{en}”."),
                fr: format!("Félicitations\u{a0}: vous avez terminé le cours «\u{a0}{fr}\u{a0}»."),
            },
            data: json!({"enrollmentId": event.enrollment_id, "courseId": event.course_id}),
            dedupe_key: Some(format!("job:{}", ctx.job.id)),
        };
        notify_now(ctx.db, &ctx.deps.realtime, event.user_id, &notice).await
    }
}

crate::register_job!(NotifyCourseCompleted);
crate::subscribe!(CourseCompleted => NotifyCourseCompleted);

/// "Your certificate for … is ready".
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotifyCertificateIssued(pub CertificateIssued);

impl From<CertificateIssued> for NotifyCertificateIssued {
    fn from(event: CertificateIssued) -> Self {
        Self(event)
    }
}

impl Job for NotifyCertificateIssued {
    const KIND: &'static str = "notifications.certificate_issued";

    async fn run(self, ctx: &Context<'_>) -> Result<()> {
        let event = self.0;
        let Some((en, fr)) = course_titles(ctx, event.course_id).await? else {
            return Ok(());
        };
        let notice = Notice {
            category: Category::Certificates,
            kind: "certificate.issued".to_owned(),
            title: Bilingual {
                en: "Your certificate is ready".to_owned(),
                fr: "Votre certificat est prêt".to_owned(),
            },
            message: Bilingual {
                en: format!(
                    "Your certificate for “{en}” (number {}) is ready to download.",
                    event.number
                ),
                fr: format!(
                    "Votre certificat pour le cours «\u{a0}{fr}\u{a0}» (numéro {}) est prêt à télécharger.",
                    event.number
                ),
            },
            data: json!({"certificateId": event.certificate_id, "number": event.number, "courseId": event.course_id}),
            dedupe_key: Some(format!("job:{}", ctx.job.id)),
        };
        notify_now(ctx.db, &ctx.deps.realtime, event.user_id, &notice).await
    }
}

crate::register_job!(NotifyCertificateIssued);
crate::subscribe!(CertificateIssued => NotifyCertificateIssued);
