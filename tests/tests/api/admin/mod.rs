//! Administration beyond managing users: the `/admin` gate and the audit log, and the bootstrap of
//! the first administrator.

mod access;
mod bootstrap;
