//! Quizzes: questions are served without their answers; an attempt is graded on the server
//! (score = % correct), limited in number (3 unless the lesson says otherwise), and passing (70 %
//! unless set) completes the quiz lesson through the ordinary progress merge.
//!
//! Which questions were answered correctly (and their explanations) is revealed only once the
//! quiz is over for the learner: by the attempt that passes it (or any attempt after a pass), or
//! by the last attempt allowed. Before that an attempt answers only its score and the attempts
//! remaining: per-question flags on a failed attempt would let a learner rebuild the answers
//! (change one answer per attempt and read which flag moved) and pass the next attempt by
//! construction.

use entity::courses::{courses, lessons, modules, quiz_attempts, quiz_questions};
use entity::enums::LessonType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::Value;

use crate::auth::actor::Actor;
use crate::certificates::Signer;
use crate::db::Db;
use crate::enrollments::ENROLLMENT_REQUIRED;
use crate::problem::{FORBIDDEN, NOT_FOUND};
use crate::progress::{self, LessonProgress, Operation, Outcome};
use crate::{Error, FieldError, Result};
use sea_orm::TransactionSession as _;

crate::problems! {
    pub ATTEMPTS_EXHAUSTED: Unprocessable = "attempts_exhausted",
        "No attempts are left for this quiz.",
        "Il ne reste aucune tentative pour ce questionnaire.";
    pub ATTEMPT_IN_PROGRESS: Conflict = "attempt_in_progress",
        "Another attempt is being graded; retry.",
        "Une autre tentative est en cours de correction ; réessayez.";
    pub QUIZ_HAS_NO_QUESTIONS: Unprocessable = "quiz_has_no_questions",
        "This quiz has no questions yet.",
        "Ce questionnaire ne contient pas encore de questions.";
}

/// Pass mark when the lesson sets none.
pub const DEFAULT_PASS_MARK: i32 = 70;
/// Attempt limit when the lesson sets none.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 3;
/// Most questions in a quiz (and answers in an attempt).
pub const MAX_QUESTIONS: usize = 100;
/// Most options of a question.
pub const MAX_OPTIONS: usize = 10;
/// Longest question or explanation (characters).
pub const MAX_QUESTION_TEXT: usize = 2000;
/// Longest option (characters).
pub const MAX_OPTION_TEXT: usize = 500;

/// A question as learners see it: never with its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: i64,
    pub question: String,
    pub question_fr: String,
    pub options: Value,
    pub order: i32,
}

/// A quiz and the caller's standing in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quiz {
    pub lesson_id: i64,
    pub pass_mark: i32,
    pub max_attempts: i32,
    pub attempts_used: i32,
    pub passed: bool,
    pub questions: Vec<Question>,
}

/// Grading of one answered question.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    pub question_id: i64,
    pub correct: bool,
    pub explanation: Option<String>,
    pub explanation_fr: Option<String>,
}

/// A graded attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub attempt_number: i32,
    pub score: i32,
    pub passed: bool,
    pub attempts_remaining: i32,
    /// Per-question grading, only once the quiz is over for the learner (passed, or no attempt
    /// left); `None` before (see the module docs).
    pub results: Option<Vec<QuestionResult>>,
    /// The lesson's progress after a passing attempt.
    pub lesson_progress: Option<LessonProgress>,
}

/// An answer to one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub question_id: i64,
    pub answer: Value,
}

/// A question to author.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQuestion {
    pub question: String,
    pub question_fr: String,
    pub options: Value,
    pub correct_answer: Value,
    pub explanation: Option<String>,
    pub explanation_fr: Option<String>,
}

enum Role {
    Learner,
    Author,
}

/// The quiz lesson, its course, and how the caller relates to it (404 when the caller may not
/// see it or it is not a quiz).
async fn quiz_lesson(
    db: &impl ConnectionTrait,
    actor: &Actor,
    lesson_id: i64,
) -> Result<(lessons::Model, courses::Model, Role)> {
    let (lesson, module) = lessons::Entity::find_by_id(lesson_id)
        .find_also_related(modules::Entity)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    let module = module.ok_or(NOT_FOUND)?;
    let course = courses::Entity::find_by_id(module.course_id)
        .one(db)
        .await?
        .ok_or(NOT_FOUND)?;
    if lesson.r#type != LessonType::Quiz {
        return Err(NOT_FOUND.into());
    }
    if super::can_author(Some(actor), &course) {
        return Ok((lesson, course, Role::Author));
    }
    if crate::enrollments::has_access(db, actor.user_id, course.id).await? {
        Ok((lesson, course, Role::Learner))
    } else if course.status == entity::enums::CourseStatus::Published {
        Err(Error::from(ENROLLMENT_REQUIRED))
    } else {
        Err(NOT_FOUND.into())
    }
}

fn view(q: quiz_questions::Model) -> Question {
    Question {
        id: q.id,
        question: q.question,
        question_fr: q.question_fr,
        options: q.options,
        order: q.order,
    }
}

/// The quiz of a lesson, without answers.
pub async fn get(db: &impl Db, actor: &Actor, lesson_id: i64) -> Result<Quiz> {
    actor.require_scope(super::LEARNING_READ)?;
    let (lesson, _, _) = quiz_lesson(db, actor, lesson_id).await?;
    let questions = quiz_questions::Entity::find()
        .filter(quiz_questions::Column::LessonId.eq(lesson_id))
        .order_by_asc(quiz_questions::Column::Order)
        .all(db)
        .await?;
    let attempts = quiz_attempts::Entity::find()
        .filter(quiz_attempts::Column::UserId.eq(actor.user_id))
        .filter(quiz_attempts::Column::LessonId.eq(lesson_id))
        .all(db)
        .await?;
    Ok(Quiz {
        lesson_id,
        pass_mark: lesson.pass_mark.unwrap_or(DEFAULT_PASS_MARK),
        max_attempts: lesson.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS),
        attempts_used: i32::try_from(attempts.len()).unwrap_or(i32::MAX),
        passed: attempts.iter().any(|a| a.passed),
        questions: questions.into_iter().map(view).collect(),
    })
}

/// Grades an attempt of the caller; a pass completes the lesson. The per-question results are
/// returned only by an attempt that ends the quiz for the caller (a pass, an attempt after a
/// pass, or the last attempt allowed).
pub async fn submit(
    db: &impl Db,
    signer: &Signer,
    actor: &Actor,
    lesson_id: i64,
    answers: Vec<Answer>,
) -> Result<Graded> {
    actor.require_session()?;
    let (lesson, _, _) = quiz_lesson(db, actor, lesson_id).await?;
    let questions = quiz_questions::Entity::find()
        .filter(quiz_questions::Column::LessonId.eq(lesson_id))
        .order_by_asc(quiz_questions::Column::Order)
        .all(db)
        .await?;
    if questions.is_empty() {
        return Err(Error::from(QUIZ_HAS_NO_QUESTIONS));
    }
    let unknown = answers
        .iter()
        .any(|a| !questions.iter().any(|q| q.id == a.question_id));
    if unknown {
        return Err(Error::field(
            "answers",
            "unknown_question",
            "every answer must name a question of this quiz",
        ));
    }
    let mut answered = std::collections::HashSet::new();
    if !answers.iter().all(|a| answered.insert(a.question_id)) {
        return Err(Error::field(
            "answers",
            "duplicate_answer",
            "answer each question at most once",
        ));
    }
    let max_attempts = lesson.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS);
    let pass_mark = lesson.pass_mark.unwrap_or(DEFAULT_PASS_MARK);
    let previous = quiz_attempts::Entity::find()
        .filter(quiz_attempts::Column::UserId.eq(actor.user_id))
        .filter(quiz_attempts::Column::LessonId.eq(lesson_id))
        .all(db)
        .await?;
    let used = i32::try_from(previous.len()).unwrap_or(i32::MAX);
    let passed_before = previous.iter().any(|a| a.passed);
    if used >= max_attempts {
        return Err(Error::from(ATTEMPTS_EXHAUSTED));
    }
    let results: Vec<QuestionResult> = questions
        .iter()
        .map(|q| QuestionResult {
            question_id: q.id,
            correct: answers
                .iter()
                .any(|a| a.question_id == q.id && a.answer == q.correct_answer),
            explanation: q.explanation.clone(),
            explanation_fr: q.explanation_fr.clone(),
        })
        .collect();
    let correct = results.iter().filter(|r| r.correct).count();
    let score = i32::try_from((correct * 100 + questions.len() / 2) / questions.len()).unwrap_or(0);
    let passed = score >= pass_mark;
    let attempt_number = used + 1;
    let stored = quiz_attempts::ActiveModel {
        user_id: Set(actor.user_id),
        lesson_id: Set(lesson_id),
        answers: Set(Value::Array(
            answers
                .iter()
                .map(|a| serde_json::json!({ "questionId": a.question_id, "answer": a.answer }))
                .collect(),
        )),
        score: Set(score),
        passed: Set(passed),
        attempt_number: Set(attempt_number),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match stored {
        Ok(_) => {}
        // A concurrent submission took this attempt number.
        Err(err) if Error::is_unique_violation(&err) => {
            return Err(Error::from(ATTEMPT_IN_PROGRESS));
        }
        Err(err) => return Err(err.into()),
    }
    let lesson_progress = if passed {
        let op = Operation {
            client_op_id: None,
            lesson_id,
            progress: 100,
            time_spent_seconds: 0,
            completed: true,
            recorded_at: None,
            graded: true,
        };
        progress::apply(db, signer, actor, None, vec![op])
            .await?
            .into_iter()
            .find(|r| r.status == Outcome::Applied)
            .and_then(|r| r.lesson_progress)
    } else {
        None
    };
    let attempts_remaining = max_attempts - attempt_number;
    let over = passed || passed_before || attempts_remaining <= 0;
    Ok(Graded {
        attempt_number,
        score,
        passed,
        attempts_remaining,
        results: over.then_some(results),
        lesson_progress,
    })
}

/// Replaces the questions of a quiz lesson (administrators and the course's instructor).
pub async fn replace_questions(
    db: &impl Db,
    actor: &Actor,
    lesson_id: i64,
    questions: Vec<NewQuestion>,
) -> Result<Vec<quiz_questions::Model>> {
    let (_, _, role) = match quiz_lesson(db, actor, lesson_id).await {
        Err(Error::Problem(p)) if p.kind == crate::Kind::Forbidden => return Err(FORBIDDEN.into()),
        other => other?,
    };
    if !matches!(role, Role::Author) {
        return Err(Error::from(FORBIDDEN));
    }
    actor.require_scope("courses:write")?;
    let mut problems = Vec::new();
    if questions.is_empty() || questions.len() > MAX_QUESTIONS {
        problems.push(FieldError {
            field: "questions".into(),
            code: "invalid_length".into(),
            message: format!("must hold 1 to {MAX_QUESTIONS} questions"),
        });
    }
    for (i, q) in questions.iter().enumerate() {
        let options = q.options.as_array().map_or(0, Vec::len);
        if q.question.trim().is_empty() || q.question_fr.trim().is_empty() {
            problems.push(FieldError {
                field: format!("questions.{i}.question"),
                code: "required".into(),
                message: "both the English and the French text are required".into(),
            });
        }
        if options < 2 {
            problems.push(FieldError {
                field: format!("questions.{i}.options"),
                code: "too_few_options".into(),
                message: "must be an array of at least two options".into(),
            });
        }
        if q.correct_answer
            .as_u64()
            .is_none_or(|index| index >= options as u64)
        {
            problems.push(FieldError {
                field: format!("questions.{i}.correctAnswer"),
                code: "invalid_answer".into(),
                message: "must be the index of one of the options".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    let now = crate::now();
    let course_id = super::outline::course_of_lesson(db, lesson_id).await?;
    let txn = crate::db::begin(db).await?;
    super::outline::lock_course(&txn, course_id).await?;
    quiz_questions::Entity::delete_many()
        .filter(quiz_questions::Column::LessonId.eq(lesson_id))
        .exec(&txn)
        .await?;
    let rows = questions
        .into_iter()
        .enumerate()
        .map(|(i, q)| quiz_questions::ActiveModel {
            lesson_id: Set(lesson_id),
            question: Set(q.question.trim().to_owned()),
            question_fr: Set(q.question_fr.trim().to_owned()),
            options: Set(q.options),
            correct_answer: Set(q.correct_answer),
            explanation: Set(q.explanation),
            explanation_fr: Set(q.explanation_fr),
            order: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    quiz_questions::Entity::insert_many(rows).exec(&txn).await?;
    let saved = quiz_questions::Entity::find()
        .filter(quiz_questions::Column::LessonId.eq(lesson_id))
        .order_by_asc(quiz_questions::Column::Order)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(saved)
}
