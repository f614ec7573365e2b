//! Users: one's own account (`/users/me`), the administrators' `/admin/users`, SLE results.

mod admin;
mod erasure;
mod me;
mod sle;
