//! Certificates: issuing once and only to verified accounts, the PDF, the learner's list, the
//! public verification and the erasure of a deleted holder's name; the helpers below issue
//! certificates with the application's own signing key.

mod erasure;
mod issuing;
mod list;
mod pdf;
mod verification;
mod withheld;

use chrono::Utc;
use entity::certificates::certificates;
use entity::courses::courses;
use entity::users::users;
use rusing_academy_tests::app::TestApp;
use service::certificates::Signer;

/// The application's own signing key (generated into `DATA_DIR` at start-up).
fn signer(app: &TestApp) -> Signer {
    Signer::load_or_generate(app.data_dir.path(), None).expect("the app's signing key")
}

async fn issue(app: &TestApp, user: &users::Model, course: &courses::Model) -> certificates::Model {
    service::certificates::issue(&app.db.conn, &signer(app), user, course, Utc::now())
        .await
        .expect("issue a certificate")
        .expect("a verified account holds certificates")
}
