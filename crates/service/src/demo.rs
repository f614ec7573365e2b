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
//! - administration: 3 feature flags and the `health-canada-demo` organisation, managed by the HR
//!   administrator, with 4 learners as members.
//!
//! Seeding is idempotent: every row is looked up by its natural key first (`users.email`,
//! `courses.slug`, `(courseId, order)` for modules, ...) and inserted only when missing, so a second
//! run creates nothing and does not fail. Existing rows are never modified. Everything runs in one
//! transaction: either the whole demo is there afterwards, or nothing changed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::Secret;
use entity::admin::feature_flags;
use entity::coaching::{coach_availability, coach_profiles, coaching_plans};
use entity::courses::{
    courses, learning_path_courses, learning_paths, lessons, modules, quiz_questions,
};
use entity::enrollments::enrollments;
use entity::enums::{
    CoachStatus, CourseLanguage, CourseStatus, EnrollmentSource, EnrollmentStatus, Language,
    LessonType, OrganizationRole, OrganizationStatus, PlanInterval, TargetLanguage, UserRole,
    UserStatus,
};
use entity::hr::{organization_members, organizations};
use entity::payments::{commission_tiers, subscription_plans};
use entity::progress::lesson_progress;
use entity::users::{user_profiles, users};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    DbErr, EntityTrait, IntoActiveModel, QueryFilter, Select, Set, TransactionTrait,
};
use serde_json::Value as Json;

/// A demo enrollment: the learner, the course, how many lessons (in course order) are completed,
/// and the progress of the next one.
struct DemoEnrollment {
    learner: &'static str,
    course: &'static str,
    completed_lessons: usize,
    next_lesson_progress: i32,
}

const ENROLLMENTS: &[DemoEnrollment] = &[
    DemoEnrollment {
        learner: "emily.thompson@demo.rusingacademy.ca",
        course: ORAL_B,
        completed_lessons: 3,
        next_lesson_progress: 40,
    },
    DemoEnrollment {
        learner: "emily.thompson@demo.rusingacademy.ca",
        course: READING_A,
        completed_lessons: 1,
        next_lesson_progress: 0,
    },
    DemoEnrollment {
        learner: "jean-francois.lavoie@demo.rusingacademy.ca",
        course: READING_A,
        completed_lessons: 0,
        next_lesson_progress: 25,
    },
    DemoEnrollment {
        learner: "priya.sharma@demo.rusingacademy.ca",
        course: WRITTEN_B,
        completed_lessons: 2,
        next_lesson_progress: 60,
    },
    DemoEnrollment {
        learner: "olivier.cote@demo.rusingacademy.ca",
        course: ORAL_B,
        completed_lessons: 0,
        next_lesson_progress: 0,
    },
];

/// What one run of [`seed`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Rows inserted by this run.
    pub created: usize,
    /// Rows that were already there (matched by their natural key) and left untouched.
    pub existing: usize,
}

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

const CURRENCY: &str = "CAD";

struct DemoUser {
    email: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    language: Language,
}

struct DemoCoach {
    user: DemoUser,
    specialization: &'static str,
    /// Cents per hour.
    hourly_rate: i64,
    /// Cents for the 30-minute trial session.
    trial_rate: i64,
    bio: &'static str,
    bio_fr: &'static str,
    languages: &'static [&'static str],
    timezone: &'static str,
    sle_verified: bool,
    /// 0 = Sunday ... 6 = Saturday.
    days: &'static [i32],
    /// `(start, end)` as `HH:MM`, repeated on each of `days`.
    windows: &'static [(&'static str, &'static str)],
}

struct DemoLearner {
    user: DemoUser,
    department: &'static str,
    position: &'static str,
    target_language: TargetLanguage,
    timezone: &'static str,
    /// Member of the demo organisation ([`ORGANIZATION`]).
    in_organization: bool,
}

struct DemoCourse {
    slug: &'static str,
    title: &'static str,
    title_fr: &'static str,
    description: &'static str,
    description_fr: &'static str,
    level: &'static str,
    category: &'static str,
    language: CourseLanguage,
    /// Cents; 0 = free.
    price: i64,
    /// E-mail of the coach who teaches the course.
    instructor: &'static str,
    modules: &'static [DemoModule],
}

struct DemoModule {
    title: &'static str,
    title_fr: &'static str,
    lessons: &'static [DemoLesson],
}

struct DemoLesson {
    title: &'static str,
    title_fr: &'static str,
    kind: LessonType,
    /// Seconds.
    duration: i32,
    content: &'static str,
    content_fr: &'static str,
    questions: &'static [DemoQuestion],
}

struct DemoQuestion {
    question: &'static str,
    question_fr: &'static str,
    options: &'static [&'static str],
    /// Index into `options`.
    correct: u8,
    explanation: &'static str,
    explanation_fr: &'static str,
}

struct DemoPath {
    slug: &'static str,
    title: &'static str,
    title_fr: &'static str,
    description: &'static str,
    description_fr: &'static str,
    level: &'static str,
    price: i64,
    /// Course slugs, in path order.
    courses: &'static [&'static str],
}

struct DemoCoachingPlan {
    name: &'static str,
    name_fr: &'static str,
    sessions: i32,
    validity_days: i32,
    price: i64,
}

struct DemoSubscriptionPlan {
    code: &'static str,
    name: &'static str,
    name_fr: &'static str,
    interval: PlanInterval,
    price: i64,
}

struct DemoCommissionTier {
    name: &'static str,
    min_hours: i32,
    max_hours: Option<i32>,
    fee_bps: i32,
    sle_verified_only: bool,
}

struct DemoFeatureFlag {
    key: &'static str,
    description: &'static str,
    enabled: bool,
    rollout_percentage: i32,
    /// Empty = every role.
    roles: &'static [&'static str],
}

struct DemoOrganization {
    name: &'static str,
    slug: &'static str,
    billing_email: &'static str,
}

/// A video or text lesson.
const fn lesson(
    kind: LessonType,
    title: &'static str,
    title_fr: &'static str,
    minutes: i32,
    content: &'static str,
    content_fr: &'static str,
) -> DemoLesson {
    DemoLesson {
        title,
        title_fr,
        kind,
        duration: minutes * 60,
        content,
        content_fr,
        questions: &[],
    }
}

/// A quiz lesson with the standard instructions.
const fn quiz(
    title: &'static str,
    title_fr: &'static str,
    minutes: i32,
    questions: &'static [DemoQuestion],
) -> DemoLesson {
    DemoLesson {
        title,
        title_fr,
        kind: LessonType::Quiz,
        duration: minutes * 60,
        content: "Answer every question, then check the explanations. Pass mark: 70 %.",
        content_fr: "Répondez à toutes les questions, puis lisez les explications. Note de passage : 70 %.",
        questions,
    }
}

const ADMIN: DemoUser = DemoUser {
    email: "admin@demo.rusingacademy.ca",
    first_name: "Alexandra",
    last_name: "Roy",
    language: Language::En,
};

const HR_ADMIN: DemoUser = DemoUser {
    email: "nathalie.bergeron@demo.rusingacademy.ca",
    first_name: "Nathalie",
    last_name: "Bergeron",
    language: Language::Fr,
};

const MARIE_CLAUDE: &str = "marie-claude.tremblay@demo.rusingacademy.ca";
const DAVID: &str = "david.chen@demo.rusingacademy.ca";
const AMELIE: &str = "amelie.bouchard@demo.rusingacademy.ca";

const COACHES: &[DemoCoach] = &[
    DemoCoach {
        user: DemoUser {
            email: MARIE_CLAUDE,
            first_name: "Marie-Claude",
            last_name: "Tremblay",
            language: Language::Fr,
        },
        specialization: "Oral interaction, SLE levels B and C",
        hourly_rate: 7500,
        trial_rate: 2500,
        bio: "Former Public Service Commission language assessor with 15 years of experience. I help public servants reach level C in oral interaction through realistic mock interviews.",
        bio_fr: "Ancienne évaluatrice linguistique à la Commission de la fonction publique, forte de 15 ans d'expérience. J'aide les fonctionnaires à atteindre le niveau C à l'oral grâce à des entrevues simulées réalistes.",
        languages: &["fr", "en"],
        timezone: "America/Montreal",
        sle_verified: true,
        days: &[1, 2, 3, 4, 5],
        windows: &[("09:00", "12:00"), ("13:00", "17:00")],
    },
    DemoCoach {
        user: DemoUser {
            email: DAVID,
            first_name: "David",
            last_name: "Chen",
            language: Language::En,
        },
        specialization: "Written expression and French grammar",
        hourly_rate: 6500,
        trial_rate: 2000,
        bio: "Certified translator (OTTIAQ) and French teacher. I focus on the grammar points the SLE written test actually checks and on clear workplace writing.",
        bio_fr: "Traducteur agréé (OTTIAQ) et professeur de français. Je me concentre sur les points de grammaire réellement évalués au test écrit de l'ELS et sur la rédaction claire au travail.",
        languages: &["en", "fr"],
        timezone: "America/Toronto",
        sle_verified: false,
        days: &[1, 2, 3, 4],
        windows: &[("08:30", "12:00"), ("13:00", "16:30")],
    },
    DemoCoach {
        user: DemoUser {
            email: AMELIE,
            first_name: "Amélie",
            last_name: "Bouchard",
            language: Language::Fr,
        },
        specialization: "Reading comprehension and exam strategy",
        hourly_rate: 6000,
        trial_rate: 1500,
        bio: "Francophone from Saint-Boniface now based in Vancouver. I coach learners from level A to B with reading strategies and plenty of practice on real government documents.",
        bio_fr: "Francophone de Saint-Boniface établie à Vancouver. J'accompagne les apprenants du niveau A au niveau B avec des stratégies de lecture et beaucoup de pratique sur de vrais documents gouvernementaux.",
        languages: &["fr", "en", "es"],
        timezone: "America/Vancouver",
        sle_verified: false,
        days: &[1, 2, 3, 4, 5],
        windows: &[("07:00", "11:00"), ("12:00", "15:00")],
    },
];

const LEARNERS: &[DemoLearner] = &[
    DemoLearner {
        user: DemoUser {
            email: "emily.thompson@demo.rusingacademy.ca",
            first_name: "Emily",
            last_name: "Thompson",
            language: Language::En,
        },
        department: "Health Canada",
        position: "Policy Analyst (EC-04)",
        target_language: TargetLanguage::French,
        timezone: "America/Toronto",
        in_organization: true,
    },
    DemoLearner {
        user: DemoUser {
            email: "jean-francois.lavoie@demo.rusingacademy.ca",
            first_name: "Jean-François",
            last_name: "Lavoie",
            language: Language::Fr,
        },
        department: "Health Canada",
        position: "Senior Program Officer (PM-05)",
        target_language: TargetLanguage::English,
        timezone: "America/Montreal",
        in_organization: true,
    },
    DemoLearner {
        user: DemoUser {
            email: "priya.sharma@demo.rusingacademy.ca",
            first_name: "Priya",
            last_name: "Sharma",
            language: Language::En,
        },
        department: "Health Canada",
        position: "Regulatory Scientist (BI-03)",
        target_language: TargetLanguage::French,
        timezone: "America/Toronto",
        in_organization: true,
    },
    DemoLearner {
        user: DemoUser {
            email: "olivier.cote@demo.rusingacademy.ca",
            first_name: "Olivier",
            last_name: "Côté",
            language: Language::Fr,
        },
        department: "Health Canada",
        position: "Communications Advisor (IS-04)",
        target_language: TargetLanguage::English,
        timezone: "America/Toronto",
        in_organization: true,
    },
    DemoLearner {
        user: DemoUser {
            email: "michael.obrien@demo.rusingacademy.ca",
            first_name: "Michael",
            last_name: "O'Brien",
            language: Language::En,
        },
        department: "Canada Revenue Agency",
        position: "Team Leader, Collections (PM-04)",
        target_language: TargetLanguage::French,
        timezone: "America/Halifax",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "isabelle.fortin@demo.rusingacademy.ca",
            first_name: "Isabelle",
            last_name: "Fortin",
            language: Language::Fr,
        },
        department: "Canada Revenue Agency",
        position: "Auditor (AU-03)",
        target_language: TargetLanguage::English,
        timezone: "America/Montreal",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "daniel.wright@demo.rusingacademy.ca",
            first_name: "Daniel",
            last_name: "Wright",
            language: Language::En,
        },
        department: "Immigration, Refugees and Citizenship Canada",
        position: "Case Processing Agent (CR-05)",
        target_language: TargetLanguage::French,
        timezone: "America/Vancouver",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "chloe.pelletier@demo.rusingacademy.ca",
            first_name: "Chloé",
            last_name: "Pelletier",
            language: Language::Fr,
        },
        department: "Employment and Social Development Canada",
        position: "Human Resources Advisor (AS-03)",
        target_language: TargetLanguage::English,
        timezone: "America/Toronto",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "ryan.mitchell@demo.rusingacademy.ca",
            first_name: "Ryan",
            last_name: "Mitchell",
            language: Language::En,
        },
        department: "Public Services and Procurement Canada",
        position: "Procurement Officer (PG-03)",
        target_language: TargetLanguage::French,
        timezone: "America/Winnipeg",
        in_organization: false,
    },
    DemoLearner {
        user: DemoUser {
            email: "aisha.mohamed@demo.rusingacademy.ca",
            first_name: "Aisha",
            last_name: "Mohamed",
            language: Language::En,
        },
        department: "Statistics Canada",
        position: "Data Scientist (EC-06)",
        target_language: TargetLanguage::French,
        timezone: "America/Toronto",
        in_organization: false,
    },
];

const READING_A: &str = "sle-reading-foundations-a";
const ORAL_B: &str = "sle-oral-interaction-b";
const WRITTEN_B: &str = "sle-written-expression-b";
const ORAL_C: &str = "sle-oral-mastery-c";

const COURSES: &[DemoCourse] = &[
    DemoCourse {
        slug: READING_A,
        title: "Reading Comprehension Foundations (SLE Level A)",
        title_fr: "Compréhension de l'écrit : les bases (ELS niveau A)",
        description: "Build the reading strategies you need for the SLE reading test: skimming, scanning, cognates and the vocabulary of everyday government documents.",
        description_fr: "Développez les stratégies de lecture nécessaires au test de compréhension de l'écrit de l'ELS : lecture en diagonale, repérage, mots apparentés et vocabulaire des documents gouvernementaux courants.",
        level: "A",
        category: "reading",
        language: CourseLanguage::Bilingual,
        price: 0,
        instructor: AMELIE,
        modules: &[
            DemoModule {
                title: "Reading strategies",
                title_fr: "Stratégies de lecture",
                lessons: &[
                    lesson(
                        LessonType::Video,
                        "Skimming and scanning",
                        "Lire en diagonale et repérer l'information",
                        8,
                        "How to find the main idea of a memo in 30 seconds, then locate dates, names and figures without reading every word.",
                        "Comment trouver l'idée principale d'une note de service en 30 secondes, puis repérer les dates, les noms et les chiffres sans tout lire.",
                    ),
                    lesson(
                        LessonType::Text,
                        "Cognates and false friends",
                        "Mots apparentés et faux amis",
                        10,
                        "Many French words look like English ones (gouvernement, politique, ressources). Watch out for false friends: « librairie » is a bookstore, « actuellement » means currently and « formation » means training.",
                        "Beaucoup de mots français ressemblent à des mots anglais (gouvernement, politique, ressources). Attention aux faux amis : « librairie » n'est pas library, « actuellement » signifie currently et « formation » signifie training.",
                    ),
                ],
            },
            DemoModule {
                title: "Workplace documents",
                title_fr: "Documents de travail",
                lessons: &[
                    lesson(
                        LessonType::Text,
                        "Reading memos and notices",
                        "Lire les notes de service et les avis",
                        12,
                        "Memos follow a fixed structure: recipients, subject, purpose, details, action required. Identify the action required first; it is what the test asks about most often.",
                        "Les notes de service suivent une structure fixe : destinataires, objet, but, détails, suite à donner. Repérez d'abord la suite à donner : c'est ce que le test demande le plus souvent.",
                    ),
                    quiz(
                        "Check your understanding: notices",
                        "Vérifiez votre compréhension : les avis",
                        5,
                        &[
                            DemoQuestion {
                                question: "A notice reads « Le bureau sera fermé lundi en raison d'un jour férié. » What does it mean?",
                                question_fr: "Un avis indique « Le bureau sera fermé lundi en raison d'un jour férié. » Que signifie-t-il ?",
                                options: &[
                                    "The office will be closed on Monday for a statutory holiday.",
                                    "The office will close early on Monday.",
                                    "The office is moving on Monday.",
                                ],
                                correct: 0,
                                explanation: "« Jour férié » means statutory holiday and « fermé » means closed.",
                                explanation_fr: "« Jour férié » signifie statutory holiday et « fermé » signifie closed.",
                            },
                            DemoQuestion {
                                question: "In « Veuillez remplir le formulaire avant vendredi », what must you do?",
                                question_fr: "Dans « Veuillez remplir le formulaire avant vendredi », que devez-vous faire ?",
                                options: &[
                                    "Sign the form on Friday.",
                                    "Fill out the form before Friday.",
                                    "Send the form after Friday.",
                                ],
                                correct: 1,
                                explanation: "« Remplir » means to fill out and « avant » means before.",
                                explanation_fr: "« Remplir » signifie fill out et « avant » signifie before.",
                            },
                        ],
                    ),
                ],
            },
        ],
    },
    DemoCourse {
        slug: ORAL_B,
        title: "SLE Oral Interaction: Level B Essentials",
        title_fr: "Interaction orale ELS : l'essentiel du niveau B",
        description: "Practise the situations of the SLE oral test at level B: describing your duties, narrating past events and explaining a work process clearly.",
        description_fr: "Exercez-vous aux situations du test oral de l'ELS au niveau B : décrire vos tâches, raconter des événements passés et expliquer clairement un processus de travail.",
        level: "B",
        category: "oral",
        language: CourseLanguage::Fr,
        price: 0,
        instructor: MARIE_CLAUDE,
        modules: &[
            DemoModule {
                title: "Introducing yourself at work",
                title_fr: "Se présenter au travail",
                lessons: &[
                    lesson(
                        LessonType::Video,
                        "Welcome and overview of the oral test",
                        "Bienvenue et aperçu du test oral",
                        6,
                        "How the SLE oral test is organised, what the assessor listens for at level B, and how this course prepares you.",
                        "Le déroulement du test oral de l'ELS, ce que l'évaluateur écoute au niveau B et la façon dont ce cours vous y prépare.",
                    ),
                    lesson(
                        LessonType::Text,
                        "Describing your duties",
                        "Décrire vos tâches",
                        10,
                        "Useful structures: « Je suis responsable de... », « Je m'occupe de... », « Mon rôle consiste à... ». Give one concrete example for each duty.",
                        "Structures utiles : « Je suis responsable de... », « Je m'occupe de... », « Mon rôle consiste à... ». Donnez un exemple concret pour chaque tâche.",
                    ),
                    quiz(
                        "Check: workplace vocabulary",
                        "Vérification : vocabulaire du travail",
                        5,
                        &[
                            DemoQuestion {
                                question: "Which sentence correctly describes your role?",
                                question_fr: "Quelle phrase décrit correctement votre rôle ?",
                                options: &[
                                    "Je suis responsable de l'analyse des politiques.",
                                    "Je suis responsable à l'analyse des politiques.",
                                    "Je suis responsable pour analyser les politiques.",
                                ],
                                correct: 0,
                                explanation: "The adjective « responsable » takes the preposition « de ».",
                                explanation_fr: "L'adjectif « responsable » se construit avec la préposition « de ».",
                            },
                            DemoQuestion {
                                question: "Choose the correct translation of 'I have been working here for five years'.",
                                question_fr: "Choisissez la bonne traduction de « I have been working here for five years ».",
                                options: &[
                                    "Je travaille ici depuis cinq ans.",
                                    "J'ai travaillé ici pour cinq ans.",
                                    "Je travaille ici pour cinq ans.",
                                ],
                                correct: 0,
                                explanation: "An action that is still going on takes the present tense with « depuis ».",
                                explanation_fr: "Une action qui se poursuit s'exprime au présent avec « depuis ».",
                            },
                            DemoQuestion {
                                question: "Which word means 'deadline'?",
                                question_fr: "Quel mot signifie « deadline » ?",
                                options: &["l'échéance", "la ligne morte", "le délai mort"],
                                correct: 0,
                                explanation: "« Échéance » (or « date limite ») is the standard term.",
                                explanation_fr: "« Échéance » ou « date limite » est le terme juste.",
                            },
                        ],
                    ),
                ],
            },
            DemoModule {
                title: "Narrating past events",
                title_fr: "Raconter des événements passés",
                lessons: &[
                    lesson(
                        LessonType::Video,
                        "Passé composé or imparfait?",
                        "Passé composé ou imparfait ?",
                        12,
                        "Completed actions move the story forward (passé composé); descriptions and ongoing actions set the scene (imparfait).",
                        "Les actions terminées font avancer le récit (passé composé) ; les descriptions et les actions en cours posent le décor (imparfait).",
                    ),
                    lesson(
                        LessonType::Text,
                        "Model answer: a recent project",
                        "Réponse modèle : un projet récent",
                        8,
                        "« L'an dernier, notre équipe devait moderniser le processus de traitement des demandes. Au début, les délais étaient longs, alors nous avons consulté les clients et nous avons simplifié le formulaire. »",
                        "« L'an dernier, notre équipe devait moderniser le processus de traitement des demandes. Au début, les délais étaient longs, alors nous avons consulté les clients et nous avons simplifié le formulaire. »",
                    ),
                    quiz(
                        "Check: past tenses",
                        "Vérification : les temps du passé",
                        5,
                        &[
                            DemoQuestion {
                                question: "Complete: « Quand je ___ au ministère, j'ai rencontré ma gestionnaire. »",
                                question_fr: "Complétez : « Quand je ___ au ministère, j'ai rencontré ma gestionnaire. »",
                                options: &["suis arrivé", "arrivais", "arriverai"],
                                correct: 0,
                                explanation: "A completed, one-time action takes the passé composé.",
                                explanation_fr: "Une action ponctuelle et terminée se met au passé composé.",
                            },
                            DemoQuestion {
                                question: "Complete: « Pendant que nous ___ le rapport, le téléphone a sonné. »",
                                question_fr: "Complétez : « Pendant que nous ___ le rapport, le téléphone a sonné. »",
                                options: &["avons rédigé", "rédigions", "rédigerons"],
                                correct: 1,
                                explanation: "An action in progress in the background takes the imparfait.",
                                explanation_fr: "Une action en cours, en arrière-plan, se met à l'imparfait.",
                            },
                        ],
                    ),
                ],
            },
        ],
    },
    DemoCourse {
        slug: WRITTEN_B,
        title: "French Written Expression for the SLE (Level B)",
        title_fr: "Expression écrite pour l'ELS (niveau B)",
        description: "Master the grammar points the SLE written test checks most often and learn to write clear, anglicism-free e-mails and briefing notes. Taught in English.",
        description_fr: "Maîtrisez les points de grammaire les plus souvent évalués au test écrit de l'ELS et apprenez à rédiger des courriels et des notes d'information clairs, sans anglicismes. Cours donné en anglais.",
        level: "B",
        category: "written",
        language: CourseLanguage::En,
        price: 14900,
        instructor: DAVID,
        modules: &[
            DemoModule {
                title: "Grammar the test checks",
                title_fr: "La grammaire évaluée",
                lessons: &[
                    lesson(
                        LessonType::Video,
                        "How the written test is structured",
                        "La structure du test écrit",
                        7,
                        "The two parts of the SLE test of written expression, the time you have and how to manage it.",
                        "Les deux parties du test d'expression écrite de l'ELS, le temps alloué et la façon de le gérer.",
                    ),
                    lesson(
                        LessonType::Text,
                        "Agreement of past participles",
                        "L'accord du participe passé",
                        15,
                        "With « être », the participle agrees with the subject. With « avoir », it agrees only with a direct object placed before the verb: « les notes que j'ai envoyées ».",
                        "Avec « être », le participe s'accorde avec le sujet. Avec « avoir », il s'accorde seulement avec le complément d'objet direct placé avant le verbe : « les notes que j'ai envoyées ».",
                    ),
                    quiz(
                        "Check: past participles",
                        "Vérification : le participe passé",
                        6,
                        &[
                            DemoQuestion {
                                question: "Choose the correct form: « Les notes que j'ai ___ hier. »",
                                question_fr: "Choisissez la bonne forme : « Les notes que j'ai ___ hier. »",
                                options: &["envoyé", "envoyées", "envoyés"],
                                correct: 1,
                                explanation: "The direct object « que » (les notes, feminine plural) comes before the verb, so the participle agrees.",
                                explanation_fr: "Le COD « que » (les notes, féminin pluriel) est placé avant le verbe : le participe s'accorde.",
                            },
                            DemoQuestion {
                                question: "Choose the correct form: « Elles se sont ___ la main. »",
                                question_fr: "Choisissez la bonne forme : « Elles se sont ___ la main. »",
                                options: &["serré", "serrées", "serrés"],
                                correct: 0,
                                explanation: "The direct object « la main » follows the verb, so there is no agreement.",
                                explanation_fr: "Le COD « la main » est placé après le verbe : pas d'accord.",
                            },
                            DemoQuestion {
                                question: "Choose the correct form: « Les employés sont ___ à 9 h. »",
                                question_fr: "Choisissez la bonne forme : « Les employés sont ___ à 9 h. »",
                                options: &["arrivé", "arrivés", "arrivées"],
                                correct: 1,
                                explanation: "With « être », the participle agrees with the subject (masculine plural).",
                                explanation_fr: "Avec « être », le participe s'accorde avec le sujet (masculin pluriel).",
                            },
                        ],
                    ),
                ],
            },
            DemoModule {
                title: "Workplace writing",
                title_fr: "La rédaction au travail",
                lessons: &[
                    lesson(
                        LessonType::Text,
                        "Writing a clear briefing note",
                        "Rédiger une note d'information claire",
                        12,
                        "A briefing note states the issue, the background, the considerations and the recommendation, in that order, in short paragraphs.",
                        "Une note d'information présente l'enjeu, le contexte, les considérations et la recommandation, dans cet ordre, en paragraphes courts.",
                    ),
                    lesson(
                        LessonType::Text,
                        "Common anglicisms to avoid",
                        "Les anglicismes courants à éviter",
                        10,
                        "« Appliquer sur un poste » becomes « poser sa candidature », « prendre place » becomes « avoir lieu », « céduler » becomes « planifier ».",
                        "« Appliquer sur un poste » devient « poser sa candidature », « prendre place » devient « avoir lieu », « céduler » devient « planifier ».",
                    ),
                    quiz(
                        "Check: anglicisms",
                        "Vérification : les anglicismes",
                        5,
                        &[
                            DemoQuestion {
                                question: "What is the correct French for 'to apply for a position'?",
                                question_fr: "Quelle est la bonne façon de dire « to apply for a position » ?",
                                options: &[
                                    "appliquer sur un poste",
                                    "poser sa candidature à un poste",
                                    "appliquer pour un poste",
                                ],
                                correct: 1,
                                explanation: "« Appliquer » in this sense is an anglicism.",
                                explanation_fr: "« Appliquer » dans ce sens est un anglicisme.",
                            },
                            DemoQuestion {
                                question: "Which sentence avoids an anglicism?",
                                question_fr: "Quelle phrase évite l'anglicisme ?",
                                options: &[
                                    "La réunion prendra place mardi.",
                                    "La réunion aura lieu mardi.",
                                    "La réunion va prendre place mardi.",
                                ],
                                correct: 1,
                                explanation: "« Prendre place » is a calque of 'take place'; use « avoir lieu ».",
                                explanation_fr: "« Prendre place » est un calque de l'anglais ; on dit « avoir lieu ».",
                            },
                        ],
                    ),
                    lesson(
                        LessonType::Video,
                        "Correcting a sample e-mail",
                        "Correction d'un courriel type",
                        9,
                        "We correct a real-looking e-mail to a client line by line: agreement, prepositions, anglicisms and tone.",
                        "Nous corrigeons ligne par ligne un courriel à un client : accords, prépositions, anglicismes et ton.",
                    ),
                ],
            },
            DemoModule {
                title: "Practice test",
                title_fr: "Examen pratique",
                lessons: &[
                    quiz(
                        "Mock written test",
                        "Test écrit simulé",
                        15,
                        &[
                            DemoQuestion {
                                question: "Choose the correct sentence.",
                                question_fr: "Choisissez la phrase correcte.",
                                options: &[
                                    "Il faut que nous finissons le rapport.",
                                    "Il faut que nous finissions le rapport.",
                                    "Il faut que nous finirons le rapport.",
                                ],
                                correct: 1,
                                explanation: "« Il faut que » is followed by the subjunctive.",
                                explanation_fr: "« Il faut que » est suivi du subjonctif.",
                            },
                            DemoQuestion {
                                question: "Complete: « ___ dossiers avez-vous traités ? »",
                                question_fr: "Complétez : « ___ dossiers avez-vous traités ? »",
                                options: &["Quel", "Quels", "Quelles"],
                                correct: 1,
                                explanation: "« Dossiers » is masculine plural.",
                                explanation_fr: "« Dossiers » est masculin pluriel.",
                            },
                            DemoQuestion {
                                question: "Which closing suits a professional e-mail?",
                                question_fr: "Quelle formule de salutation convient à un courriel professionnel ?",
                                options: &["À plus tard !", "Cordialement,", "Bisous,"],
                                correct: 1,
                                explanation: "« Cordialement » is the standard closing for professional e-mails.",
                                explanation_fr: "« Cordialement » est la formule habituelle des courriels professionnels.",
                            },
                        ],
                    ),
                    lesson(
                        LessonType::Text,
                        "Answer key and strategies",
                        "Corrigé et stratégies",
                        10,
                        "Review each answer, note the rule behind it and add your mistakes to a personal checklist to reread before the test.",
                        "Revoyez chaque réponse, notez la règle qui la justifie et ajoutez vos erreurs à une liste personnelle à relire avant le test.",
                    ),
                ],
            },
        ],
    },
    DemoCourse {
        slug: ORAL_C,
        title: "Oral Mastery: Reaching SLE Level C",
        title_fr: "Maîtrise de l'oral : atteindre le niveau C de l'ELS",
        description: "For learners who hold a B and need a C: defend an opinion with nuance, handle hypotheses and abstract topics, and stay fluent under pressure in a full mock interview.",
        description_fr: "Pour les apprenants qui ont un B et visent un C : défendre une opinion avec nuance, formuler des hypothèses, aborder des sujets abstraits et rester fluide sous pression lors d'une entrevue simulée complète.",
        level: "C",
        category: "oral",
        language: CourseLanguage::Fr,
        price: 24900,
        instructor: MARIE_CLAUDE,
        modules: &[
            DemoModule {
                title: "Expressing and defending opinions",
                title_fr: "Exprimer et défendre une opinion",
                lessons: &[
                    lesson(
                        LessonType::Video,
                        "What level C assessors look for",
                        "Ce que recherchent les évaluateurs au niveau C",
                        10,
                        "Precision, nuance and the ability to support a position on an abstract or hypothetical topic.",
                        "La précision, la nuance et la capacité de soutenir une position sur un sujet abstrait ou hypothétique.",
                    ),
                    lesson(
                        LessonType::Text,
                        "Nuance and connectors",
                        "Nuance et connecteurs",
                        12,
                        "Concede, then counter: « Certes..., mais... », « Bien que (+ subjonctif)... », « Il n'en demeure pas moins que... ».",
                        "Concéder, puis nuancer : « Certes..., mais... », « Bien que (+ subjonctif)... », « Il n'en demeure pas moins que... ».",
                    ),
                    quiz(
                        "Check: connectors",
                        "Vérification : les connecteurs",
                        5,
                        &[
                            DemoQuestion {
                                question: "Which connector introduces a concession?",
                                question_fr: "Quel connecteur introduit une concession ?",
                                options: &["donc", "bien que", "parce que"],
                                correct: 1,
                                explanation: "« Bien que » (followed by the subjunctive) introduces a concession.",
                                explanation_fr: "« Bien que » (suivi du subjonctif) introduit une concession.",
                            },
                            DemoQuestion {
                                question: "Which expression best nuances an opinion?",
                                question_fr: "Quelle expression nuance le mieux une opinion ?",
                                options: &[
                                    "C'est comme ça.",
                                    "Il me semble que...",
                                    "Point final.",
                                ],
                                correct: 1,
                                explanation: "« Il me semble que » softens the statement and invites discussion.",
                                explanation_fr: "« Il me semble que » atténue l'affirmation et ouvre la discussion.",
                            },
                        ],
                    ),
                ],
            },
            DemoModule {
                title: "Hypotheses and the conditional",
                title_fr: "Hypothèses et conditionnel",
                lessons: &[
                    lesson(
                        LessonType::Video,
                        "« Si » clauses in context",
                        "Les phrases en « si » en contexte",
                        11,
                        "Si + présent, futur; si + imparfait, conditionnel présent; si + plus-que-parfait, conditionnel passé, with examples from policy discussions.",
                        "Si + présent, futur ; si + imparfait, conditionnel présent ; si + plus-que-parfait, conditionnel passé, avec des exemples tirés de discussions sur les politiques.",
                    ),
                    lesson(
                        LessonType::Text,
                        "Model answer: policy trade-offs",
                        "Réponse modèle : arbitrages en matière de politiques",
                        9,
                        "« Si le ministère investissait davantage dans le numérique, il pourrait réduire les délais de traitement ; cela dit, il faudrait d'abord former le personnel. »",
                        "« Si le ministère investissait davantage dans le numérique, il pourrait réduire les délais de traitement ; cela dit, il faudrait d'abord former le personnel. »",
                    ),
                    quiz(
                        "Check: hypotheses",
                        "Vérification : les hypothèses",
                        6,
                        &[
                            DemoQuestion {
                                question: "Complete: « Si nous ___ plus de ressources, nous pourrions réduire les délais. »",
                                question_fr: "Complétez : « Si nous ___ plus de ressources, nous pourrions réduire les délais. »",
                                options: &["avons", "aurions", "avions"],
                                correct: 2,
                                explanation: "Si + imparfait, then conditionnel présent.",
                                explanation_fr: "Si + imparfait, puis conditionnel présent.",
                            },
                            DemoQuestion {
                                question: "Complete: « Si j'avais su, je ___ autrement. »",
                                question_fr: "Complétez : « Si j'avais su, je ___ autrement. »",
                                options: &["aurais agi", "avais agi", "agirais"],
                                correct: 0,
                                explanation: "Si + plus-que-parfait, then conditionnel passé.",
                                explanation_fr: "Si + plus-que-parfait, puis conditionnel passé.",
                            },
                            DemoQuestion {
                                question: "Which sentence is correct?",
                                question_fr: "Quelle phrase est correcte ?",
                                options: &[
                                    "Si je serais ministre, je changerais la politique.",
                                    "Si j'étais ministre, je changerais la politique.",
                                    "Si j'étais ministre, je changerai la politique.",
                                ],
                                correct: 1,
                                explanation: "Never use the conditional right after a hypothetical « si ».",
                                explanation_fr: "On n'emploie jamais le conditionnel après le « si » d'hypothèse.",
                            },
                        ],
                    ),
                ],
            },
            DemoModule {
                title: "Simulated interview",
                title_fr: "Entrevue simulée",
                lessons: &[
                    lesson(
                        LessonType::Video,
                        "Full mock interview",
                        "Entrevue simulée complète",
                        30,
                        "A complete 30-minute mock SLE oral interview with a level C candidate, with the assessor's comments.",
                        "Une entrevue orale simulée complète de 30 minutes avec un candidat de niveau C, accompagnée des commentaires de l'évaluatrice.",
                    ),
                    lesson(
                        LessonType::Text,
                        "Self-assessment grid",
                        "Grille d'autoévaluation",
                        8,
                        "Record yourself answering three questions, then rate fluency, accuracy, vocabulary range and nuance from 1 to 5.",
                        "Enregistrez-vous en répondant à trois questions, puis évaluez de 1 à 5 votre aisance, votre précision, l'étendue de votre vocabulaire et la nuance.",
                    ),
                ],
            },
        ],
    },
];

const LEARNING_PATH: DemoPath = DemoPath {
    slug: "sle-b-level-path",
    title: "SLE Level B Path",
    title_fr: "Parcours ELS niveau B",
    description: "From reading foundations to level B in oral interaction and written expression: three courses to take in order.",
    description_fr: "Des bases de la lecture au niveau B en interaction orale et en expression écrite : trois cours à suivre dans l'ordre.",
    level: "B",
    price: 12900,
    courses: &[READING_A, ORAL_B, WRITTEN_B],
};

const COACHING_PLANS: &[DemoCoachingPlan] = &[
    DemoCoachingPlan {
        name: "Starter package: 5 sessions",
        name_fr: "Forfait découverte : 5 séances",
        sessions: 5,
        validity_days: 90,
        price: 32500,
    },
    DemoCoachingPlan {
        name: "Progress package: 10 sessions",
        name_fr: "Forfait progression : 10 séances",
        sessions: 10,
        validity_days: 180,
        price: 60000,
    },
    DemoCoachingPlan {
        name: "SLE intensive: 20 sessions",
        name_fr: "Intensif ELS : 20 séances",
        sessions: 20,
        validity_days: 365,
        price: 110000,
    },
];

const SUBSCRIPTION_PLANS: &[DemoSubscriptionPlan] = &[
    DemoSubscriptionPlan {
        code: "monthly",
        name: "All-access monthly",
        name_fr: "Accès complet mensuel",
        interval: PlanInterval::Month,
        price: 3900,
    },
    DemoSubscriptionPlan {
        code: "yearly",
        name: "All-access yearly",
        name_fr: "Accès complet annuel",
        interval: PlanInterval::Year,
        price: 39000,
    },
];

/// Platform fee by hours taught (upper bound exclusive), as the business rules set them.
const COMMISSION_TIERS: &[DemoCommissionTier] = &[
    DemoCommissionTier {
        name: "0-10 hours",
        min_hours: 0,
        max_hours: Some(10),
        fee_bps: 2600,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "10-30 hours",
        min_hours: 10,
        max_hours: Some(30),
        fee_bps: 2200,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "30-60 hours",
        min_hours: 30,
        max_hours: Some(60),
        fee_bps: 1900,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "60-100 hours",
        min_hours: 60,
        max_hours: Some(100),
        fee_bps: 1700,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "100+ hours",
        min_hours: 100,
        max_hours: None,
        fee_bps: 1500,
        sle_verified_only: false,
    },
    DemoCommissionTier {
        name: "SLE verified",
        min_hours: 0,
        max_hours: None,
        fee_bps: 1500,
        sle_verified_only: true,
    },
];

const FEATURE_FLAGS: &[DemoFeatureFlag] = &[
    DemoFeatureFlag {
        key: "offline_sync",
        description: "Offline lesson progress, synchronised when the device is back online.",
        enabled: true,
        rollout_percentage: 100,
        roles: &[],
    },
    DemoFeatureFlag {
        key: "ai_pronunciation_coach",
        description: "AI feedback on pronunciation in oral practice lessons.",
        enabled: true,
        rollout_percentage: 25,
        roles: &["learner"],
    },
    DemoFeatureFlag {
        key: "hr_dashboard_v2",
        description: "Redesigned HR dashboard with budget forecasts.",
        enabled: false,
        rollout_percentage: 0,
        roles: &[],
    },
];

const ORGANIZATION: DemoOrganization = DemoOrganization {
    name: "Health Canada (demo)",
    slug: "health-canada-demo",
    billing_email: HR_ADMIN.email,
};

// ---------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------

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
        self.user(&ADMIN, UserRole::Admin).await?;
        let hr_admin = self.user(&HR_ADMIN, UserRole::HrAdmin).await?;

        let mut coach_ids = HashMap::new();
        for coach in COACHES {
            let user = self.user(&coach.user, UserRole::Coach).await?;
            self.coach_profile(coach, user.id).await?;
            coach_ids.insert(coach.user.email, user.id);
        }

        let mut organization_members = Vec::new();
        let mut learner_ids = HashMap::new();
        for learner in LEARNERS {
            let user = self.user(&learner.user, UserRole::Learner).await?;
            learner_ids.insert(learner.user.email, user.id);
            self.user_profile(learner, user.id).await?;
            if learner.in_organization {
                organization_members.push(user.id);
            }
        }

        let mut course_ids = HashMap::new();
        for course in COURSES {
            let instructor_id = lookup(&coach_ids, course.instructor)?;
            course_ids.insert(course.slug, self.course(course, instructor_id).await?);
        }
        self.learning_path(&LEARNING_PATH, &course_ids).await?;
        for enrollment in ENROLLMENTS {
            let user_id = lookup(&learner_ids, enrollment.learner)?;
            let course_id = lookup(&course_ids, enrollment.course)?;
            self.enrollment(enrollment, user_id, course_id).await?;
        }

        self.coaching_plans().await?;
        self.subscription_plans().await?;
        self.commission_tiers().await?;
        self.feature_flags().await?;
        self.organization(hr_admin.id, &organization_members).await
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

    async fn user(&mut self, user: &DemoUser, role: UserRole) -> Result<users::Model, DbErr> {
        let row = users::ActiveModel {
            email: Set(user.email.to_owned()),
            password: Set(Secret::new(self.password_hash)),
            role: Set(role),
            first_name: Set(user.first_name.to_owned()),
            last_name: Set(user.last_name.to_owned()),
            language: Set(user.language),
            email_verified_at: Set(Some(self.now)),
            status: Set(UserStatus::Active),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        let existing = users::Entity::find().filter(users::Column::Email.eq(user.email));
        self.find_or_insert(existing, row).await
    }

    async fn user_profile(&mut self, learner: &DemoLearner, user_id: i64) -> Result<(), DbErr> {
        let row = user_profiles::ActiveModel {
            user_id: Set(user_id),
            timezone: Set(learner.timezone.to_owned()),
            department: Set(Some(learner.department.to_owned())),
            position: Set(Some(learner.position.to_owned())),
            target_language: Set(Some(learner.target_language)),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        let existing =
            user_profiles::Entity::find().filter(user_profiles::Column::UserId.eq(user_id));
        self.find_or_insert(existing, row).await?;
        Ok(())
    }

    async fn coach_profile(&mut self, coach: &DemoCoach, user_id: i64) -> Result<(), DbErr> {
        let row = coach_profiles::ActiveModel {
            user_id: Set(user_id),
            specialization: Set(Some(coach.specialization.to_owned())),
            hourly_rate: Set(coach.hourly_rate),
            trial_rate: Set(coach.trial_rate),
            currency: Set(CURRENCY.to_owned()),
            payouts_enabled: Set(false),
            bio: Set(Some(coach.bio.to_owned())),
            bio_fr: Set(Some(coach.bio_fr.to_owned())),
            languages: Set(Json::from(coach.languages)),
            timezone: Set(coach.timezone.to_owned()),
            sle_verified: Set(coach.sle_verified),
            status: Set(CoachStatus::Active),
            rating_avg: Set(0.0),
            rating_count: Set(0),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        let existing =
            coach_profiles::Entity::find().filter(coach_profiles::Column::UserId.eq(user_id));
        let profile = self.find_or_insert(existing, row).await?;

        for &day in coach.days {
            for &(start, end) in coach.windows {
                let row = coach_availability::ActiveModel {
                    coach_id: Set(profile.id),
                    day_of_week: Set(day),
                    start_time: Set(start.to_owned()),
                    end_time: Set(end.to_owned()),
                    timezone: Set(coach.timezone.to_owned()),
                    created_at: Set(self.now),
                    updated_at: Set(self.now),
                    ..Default::default()
                };
                let existing = coach_availability::Entity::find()
                    .filter(coach_availability::Column::CoachId.eq(profile.id))
                    .filter(coach_availability::Column::DayOfWeek.eq(day))
                    .filter(coach_availability::Column::StartTime.eq(start));
                self.find_or_insert(existing, row).await?;
            }
        }
        Ok(())
    }

    /// Seeds a course with its modules, lessons and quiz questions; returns the course id.
    async fn course(&mut self, course: &DemoCourse, instructor_id: i64) -> Result<i64, DbErr> {
        let row = courses::ActiveModel {
            title: Set(course.title.to_owned()),
            title_fr: Set(course.title_fr.to_owned()),
            slug: Set(course.slug.to_owned()),
            description: Set(course.description.to_owned()),
            description_fr: Set(course.description_fr.to_owned()),
            price: Set(course.price),
            currency: Set(CURRENCY.to_owned()),
            status: Set(CourseStatus::Published),
            language: Set(course.language),
            level: Set(course.level.to_owned()),
            category: Set(Some(course.category.to_owned())),
            instructor_id: Set(Some(instructor_id)),
            has_certificate: Set(true),
            published_at: Set(Some(self.now)),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        let existing = courses::Entity::find().filter(courses::Column::Slug.eq(course.slug));
        let course_id = self.find_or_insert(existing, row).await?.id;

        for (module_order, module) in (1..).zip(course.modules) {
            let module_id = self.module(course_id, module_order, module).await?;
            for (lesson_order, lesson) in (1..).zip(module.lessons) {
                let is_preview = module_order == 1 && lesson_order == 1;
                self.lesson(module_id, lesson_order, lesson, is_preview)
                    .await?;
            }
        }
        Ok(course_id)
    }

    async fn module(
        &mut self,
        course_id: i64,
        order: i32,
        module: &DemoModule,
    ) -> Result<i64, DbErr> {
        let row = modules::ActiveModel {
            course_id: Set(course_id),
            title: Set(module.title.to_owned()),
            title_fr: Set(module.title_fr.to_owned()),
            order: Set(order),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        let existing = modules::Entity::find()
            .filter(modules::Column::CourseId.eq(course_id))
            .filter(modules::Column::Order.eq(order));
        Ok(self.find_or_insert(existing, row).await?.id)
    }

    async fn lesson(
        &mut self,
        module_id: i64,
        order: i32,
        lesson: &DemoLesson,
        is_preview: bool,
    ) -> Result<(), DbErr> {
        let row = lessons::ActiveModel {
            module_id: Set(module_id),
            title: Set(lesson.title.to_owned()),
            title_fr: Set(lesson.title_fr.to_owned()),
            content: Set(Some(lesson.content.to_owned())),
            content_fr: Set(Some(lesson.content_fr.to_owned())),
            r#type: Set(lesson.kind),
            duration: Set(lesson.duration),
            order: Set(order),
            is_preview: Set(is_preview),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        let existing = lessons::Entity::find()
            .filter(lessons::Column::ModuleId.eq(module_id))
            .filter(lessons::Column::Order.eq(order));
        let lesson_id = self.find_or_insert(existing, row).await?.id;

        for (order, question) in (1..).zip(lesson.questions) {
            let row = quiz_questions::ActiveModel {
                lesson_id: Set(lesson_id),
                question: Set(question.question.to_owned()),
                question_fr: Set(question.question_fr.to_owned()),
                options: Set(Json::from(question.options)),
                correct_answer: Set(Json::from(question.correct)),
                explanation: Set(Some(question.explanation.to_owned())),
                explanation_fr: Set(Some(question.explanation_fr.to_owned())),
                order: Set(order),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                ..Default::default()
            };
            let existing = quiz_questions::Entity::find()
                .filter(quiz_questions::Column::LessonId.eq(lesson_id))
                .filter(quiz_questions::Column::Order.eq(order));
            self.find_or_insert(existing, row).await?;
        }
        Ok(())
    }

    /// An enrollment and its lesson progress (the course progress is derived from it).
    async fn enrollment(
        &mut self,
        demo: &DemoEnrollment,
        user_id: i64,
        course_id: i64,
    ) -> Result<(), DbErr> {
        let course = courses::Entity::find_by_id(course_id)
            .one(self.txn)
            .await?
            .ok_or_else(|| DbErr::Custom(format!("course {course_id} missing")))?;
        let lesson_ids: Vec<i64> = lessons::Entity::find()
            .find_also_related(modules::Entity)
            .filter(modules::Column::CourseId.eq(course_id))
            .all(self.txn)
            .await?
            .into_iter()
            .filter_map(|(lesson, module)| module.map(|m| ((m.order, lesson.order), lesson.id)))
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_values()
            .collect();
        let done = demo.completed_lessons.min(lesson_ids.len());
        let progress = if lesson_ids.is_empty() {
            0
        } else {
            i32::try_from(done * 100 / lesson_ids.len()).unwrap_or(0)
        };
        let row = enrollments::ActiveModel {
            user_id: Set(user_id),
            course_id: Set(course_id),
            enrolled_at: Set(self.now),
            status: Set(EnrollmentStatus::Active),
            source: Set(if course.price > 0 {
                EnrollmentSource::Admin
            } else {
                EnrollmentSource::Free
            }),
            progress: Set(progress),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        let existing = enrollments::Entity::find()
            .filter(enrollments::Column::UserId.eq(user_id))
            .filter(enrollments::Column::CourseId.eq(course_id));
        self.find_or_insert(existing, row).await?;
        let partial = (demo.next_lesson_progress > 0).then_some(demo.next_lesson_progress);
        for (index, lesson_id) in lesson_ids
            .iter()
            .enumerate()
            .take(done + usize::from(partial.is_some()))
        {
            let completed = index < done;
            let minutes = i64::try_from(index).unwrap_or(0) * 3 + 7;
            let row = lesson_progress::ActiveModel {
                user_id: Set(user_id),
                lesson_id: Set(*lesson_id),
                progress: Set(if completed { 100 } else { partial.unwrap_or(0) }),
                completed_at: Set(completed.then_some(self.now)),
                last_sync_at: Set(Some(self.now)),
                time_spent_seconds: Set(minutes * 60),
                sync_version: Set(1),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                ..Default::default()
            };
            let existing = lesson_progress::Entity::find()
                .filter(lesson_progress::Column::UserId.eq(user_id))
                .filter(lesson_progress::Column::LessonId.eq(*lesson_id));
            self.find_or_insert(existing, row).await?;
        }
        Ok(())
    }

    async fn learning_path(
        &mut self,
        path: &DemoPath,
        course_ids: &HashMap<&str, i64>,
    ) -> Result<(), DbErr> {
        let row = learning_paths::ActiveModel {
            title: Set(path.title.to_owned()),
            title_fr: Set(path.title_fr.to_owned()),
            slug: Set(path.slug.to_owned()),
            description: Set(Some(path.description.to_owned())),
            description_fr: Set(Some(path.description_fr.to_owned())),
            level: Set(path.level.to_owned()),
            price: Set(path.price),
            currency: Set(CURRENCY.to_owned()),
            status: Set(CourseStatus::Published),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        let existing =
            learning_paths::Entity::find().filter(learning_paths::Column::Slug.eq(path.slug));
        let path_id = self.find_or_insert(existing, row).await?.id;

        for (order, slug) in (1..).zip(path.courses) {
            let course_id = lookup(course_ids, slug)?;
            let row = learning_path_courses::ActiveModel {
                path_id: Set(path_id),
                course_id: Set(course_id),
                order: Set(order),
                created_at: Set(self.now),
                ..Default::default()
            };
            let existing = learning_path_courses::Entity::find()
                .filter(learning_path_courses::Column::PathId.eq(path_id))
                .filter(learning_path_courses::Column::CourseId.eq(course_id));
            self.find_or_insert(existing, row).await?;
        }
        Ok(())
    }

    async fn coaching_plans(&mut self) -> Result<(), DbErr> {
        for plan in COACHING_PLANS {
            let row = coaching_plans::ActiveModel {
                name: Set(plan.name.to_owned()),
                name_fr: Set(plan.name_fr.to_owned()),
                sessions_included: Set(plan.sessions),
                validity_days: Set(plan.validity_days),
                price: Set(plan.price),
                currency: Set(CURRENCY.to_owned()),
                active: Set(true),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                ..Default::default()
            };
            let existing =
                coaching_plans::Entity::find().filter(coaching_plans::Column::Name.eq(plan.name));
            self.find_or_insert(existing, row).await?;
        }
        Ok(())
    }

    async fn subscription_plans(&mut self) -> Result<(), DbErr> {
        for plan in SUBSCRIPTION_PLANS {
            let row = subscription_plans::ActiveModel {
                code: Set(plan.code.to_owned()),
                name: Set(plan.name.to_owned()),
                name_fr: Set(plan.name_fr.to_owned()),
                interval: Set(plan.interval),
                price: Set(plan.price),
                currency: Set(CURRENCY.to_owned()),
                stripe_price_id: Set(None),
                active: Set(true),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                ..Default::default()
            };
            let existing = subscription_plans::Entity::find()
                .filter(subscription_plans::Column::Code.eq(plan.code));
            self.find_or_insert(existing, row).await?;
        }
        Ok(())
    }

    async fn commission_tiers(&mut self) -> Result<(), DbErr> {
        for tier in COMMISSION_TIERS {
            let row = commission_tiers::ActiveModel {
                name: Set(tier.name.to_owned()),
                min_hours: Set(tier.min_hours),
                max_hours: Set(tier.max_hours),
                fee_bps: Set(tier.fee_bps),
                sle_verified_only: Set(tier.sle_verified_only),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                ..Default::default()
            };
            let existing = commission_tiers::Entity::find()
                .filter(commission_tiers::Column::Name.eq(tier.name));
            self.find_or_insert(existing, row).await?;
        }
        Ok(())
    }

    async fn feature_flags(&mut self) -> Result<(), DbErr> {
        for flag in FEATURE_FLAGS {
            let row = feature_flags::ActiveModel {
                key: Set(flag.key.to_owned()),
                enabled: Set(flag.enabled),
                description: Set(Some(flag.description.to_owned())),
                roles: Set(Json::from(flag.roles)),
                rollout_percentage: Set(flag.rollout_percentage),
                user_ids: Set(Json::Array(Vec::new())),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                ..Default::default()
            };
            let existing =
                feature_flags::Entity::find().filter(feature_flags::Column::Key.eq(flag.key));
            self.find_or_insert(existing, row).await?;
        }
        Ok(())
    }

    async fn organization(&mut self, manager_id: i64, member_ids: &[i64]) -> Result<(), DbErr> {
        let row = organizations::ActiveModel {
            name: Set(ORGANIZATION.name.to_owned()),
            slug: Set(ORGANIZATION.slug.to_owned()),
            status: Set(OrganizationStatus::Active),
            billing_email: Set(Some(ORGANIZATION.billing_email.to_owned())),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        let existing =
            organizations::Entity::find().filter(organizations::Column::Slug.eq(ORGANIZATION.slug));
        let organization_id = self.find_or_insert(existing, row).await?.id;

        let manager = std::iter::once((manager_id, OrganizationRole::Manager));
        let members = member_ids.iter().map(|&id| (id, OrganizationRole::Member));
        for (user_id, role) in manager.chain(members) {
            let row = organization_members::ActiveModel {
                organization_id: Set(organization_id),
                user_id: Set(user_id),
                role: Set(role),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                ..Default::default()
            };
            let existing = organization_members::Entity::find()
                .filter(organization_members::Column::OrganizationId.eq(organization_id))
                .filter(organization_members::Column::UserId.eq(user_id));
            self.find_or_insert(existing, row).await?;
        }
        Ok(())
    }
}

/// The id seeded earlier under `key` (a coach e-mail or a course slug from the tables above).
fn lookup(ids: &HashMap<&str, i64>, key: &str) -> Result<i64, DbErr> {
    ids.get(key).copied().ok_or_else(|| {
        DbErr::Custom(format!(
            "demo data refers to {key}, which is not part of the demo"
        ))
    })
}
