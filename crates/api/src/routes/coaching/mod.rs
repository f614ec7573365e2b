//! Coaching: become-a-coach applications, the public coach search and profiles, a coach's own
//! profile and availability, free slots, sessions (booking with `Idempotency-Key`, the status
//! machine, recordings, feedback) and coaching plans. A session exists only for its learner, its
//! coach and administrators (404 to anyone else).

mod applications;
mod coaches;
pub mod dto;
mod plans;
mod sessions;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this domain's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    // `/coaches/me…` before `/coaches/{id}…`, so that `me` is not read as an id.
    cfg.service(coaches::get_my_coach_profile)
        .service(coaches::update_my_coach_profile)
        .service(coaches::get_my_availability)
        .service(coaches::put_my_availability)
        .service(coaches::add_availability_exception)
        .service(coaches::delete_availability_exception)
        .service(coaches::list_coaches)
        .service(coaches::get_coach)
        .service(coaches::list_coach_slots)
        .service(applications::apply)
        .service(applications::list_applications)
        .service(applications::get_application)
        .service(applications::approve_application)
        .service(applications::reject_application)
        .service(sessions::book_session)
        .service(sessions::list_sessions)
        .service(sessions::get_session)
        .service(sessions::confirm_session)
        .service(sessions::decline_session)
        .service(sessions::cancel_session)
        .service(sessions::reschedule_session)
        .service(sessions::start_session)
        .service(sessions::complete_session)
        .service(sessions::mark_no_show)
        .service(sessions::list_recordings)
        .service(sessions::add_recording)
        .service(sessions::list_feedback)
        .service(sessions::give_feedback)
        .service(plans::list_coaching_plans)
        .service(plans::get_coaching_plan)
        .service(plans::create_coaching_plan)
        .service(plans::update_coaching_plan)
        .service(plans::archive_coaching_plan)
        .service(plans::my_coaching_plans);
}
