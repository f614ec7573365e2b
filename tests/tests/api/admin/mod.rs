//! Administration beyond managing users: the `/admin` gate and the audit log, the bootstrap of
//! the first administrator, and feature flags.

mod access;
mod bootstrap;
mod flags;
