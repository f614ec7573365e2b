//! Coaching: applications, coach search and profiles, availability and slots, booking, the
//! session status machine, feedback, recordings and plans.

mod applications;
mod availability;
mod booking;
mod coaches;
mod feedback;
mod plans;
mod recordings;
mod status;
