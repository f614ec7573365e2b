//! Completion certificates: issued once per learner and course, numbered unguessably, signed
//! with Ed25519, rendered as PDF, publicly verifiable by number.

pub mod signer;

pub use signer::Signer;
