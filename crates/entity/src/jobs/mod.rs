//! The durable background job queue.

pub mod background_jobs;
