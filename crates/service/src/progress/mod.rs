//! Learning progress: lesson progress (online and offline), quizzes, course completion, daily
//! snapshots.
