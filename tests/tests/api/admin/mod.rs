//! Administration beyond managing users: the `/admin` gate and the audit log, the bootstrap of
//! the first administrator, feature flags, and the operator's views.

mod access;
mod bootstrap;
mod flags;
mod ops;
