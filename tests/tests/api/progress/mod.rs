//! Progress: lesson progress online and course completion, offline sync batches, daily snapshots.

mod completion;
mod snapshots;
mod sync;
