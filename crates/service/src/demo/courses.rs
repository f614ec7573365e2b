//! The catalogue: courses with their modules, lessons and quiz questions, and the learning path
//! that bundles three of them.

use entity::courses::{
    courses, learning_path_courses, learning_paths, lessons, modules, quiz_questions,
};
use entity::enums::{CourseLanguage, CourseStatus, LessonType};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::Value as Json;

use super::coaching::{AMELIE, DAVID, MARIE_CLAUDE};
use super::{CURRENCY, Ids, Seeder, lookup};

/// Seeds every course in [`COURSES`] (`coach_ids`: the instructors' user ids by e-mail), then the
/// learning path; returns the course ids by slug.
pub(super) async fn seed(seeder: &mut Seeder<'_>, coach_ids: &Ids) -> Result<Ids, DbErr> {
    let mut course_ids = Ids::new();
    for course in COURSES {
        let instructor_id = lookup(coach_ids, course.instructor)?;
        course_ids.insert(
            course.slug,
            seed_course(seeder, course, instructor_id).await?,
        );
    }
    seed_learning_path(seeder, &LEARNING_PATH, &course_ids).await?;
    Ok(course_ids)
}

/// Seeds a course with its modules, lessons and quiz questions; returns the course id.
async fn seed_course(
    seeder: &mut Seeder<'_>,
    course: &DemoCourse,
    instructor_id: i64,
) -> Result<i64, DbErr> {
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
        published_at: Set(Some(seeder.now)),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing = courses::Entity::find().filter(courses::Column::Slug.eq(course.slug));
    let course_id = seeder.find_or_insert(existing, row).await?.id;

    for (module_order, module) in (1..).zip(course.modules) {
        let module_id = seed_module(seeder, course_id, module_order, module).await?;
        for (lesson_order, lesson) in (1..).zip(module.lessons) {
            let is_preview = module_order == 1 && lesson_order == 1;
            seed_lesson(seeder, module_id, lesson_order, lesson, is_preview).await?;
        }
    }
    Ok(course_id)
}

/// Seeds the module at position `order` of a course; returns the module id.
async fn seed_module(
    seeder: &mut Seeder<'_>,
    course_id: i64,
    order: i32,
    module: &DemoModule,
) -> Result<i64, DbErr> {
    let row = modules::ActiveModel {
        course_id: Set(course_id),
        title: Set(module.title.to_owned()),
        title_fr: Set(module.title_fr.to_owned()),
        order: Set(order),
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course_id))
        .filter(modules::Column::Order.eq(order));
    Ok(seeder.find_or_insert(existing, row).await?.id)
}

/// Seeds the lesson at position `order` of a module, with its quiz questions.
async fn seed_lesson(
    seeder: &mut Seeder<'_>,
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
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(module_id))
        .filter(lessons::Column::Order.eq(order));
    let lesson_id = seeder.find_or_insert(existing, row).await?.id;

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
            created_at: Set(seeder.now),
            updated_at: Set(seeder.now),
            ..Default::default()
        };
        let existing = quiz_questions::Entity::find()
            .filter(quiz_questions::Column::LessonId.eq(lesson_id))
            .filter(quiz_questions::Column::Order.eq(order));
        seeder.find_or_insert(existing, row).await?;
    }
    Ok(())
}

/// Seeds a learning path and its courses, in path order (`course_ids`: course ids by slug).
async fn seed_learning_path(
    seeder: &mut Seeder<'_>,
    path: &DemoPath,
    course_ids: &Ids,
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
        created_at: Set(seeder.now),
        updated_at: Set(seeder.now),
        ..Default::default()
    };
    let existing =
        learning_paths::Entity::find().filter(learning_paths::Column::Slug.eq(path.slug));
    let path_id = seeder.find_or_insert(existing, row).await?.id;

    for (order, slug) in (1..).zip(path.courses) {
        let course_id = lookup(course_ids, slug)?;
        let row = learning_path_courses::ActiveModel {
            path_id: Set(path_id),
            course_id: Set(course_id),
            order: Set(order),
            created_at: Set(seeder.now),
            ..Default::default()
        };
        let existing = learning_path_courses::Entity::find()
            .filter(learning_path_courses::Column::PathId.eq(path_id))
            .filter(learning_path_courses::Column::CourseId.eq(course_id));
        seeder.find_or_insert(existing, row).await?;
    }
    Ok(())
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

pub(super) const READING_A: &str = "sle-reading-foundations-a";
pub(super) const ORAL_B: &str = "sle-oral-interaction-b";
pub(super) const WRITTEN_B: &str = "sle-written-expression-b";
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
