//! The fake Stripe of the test suite as a process, for runs against the release binary
//! (`.ci/schemathesis`): prints its base URL on the first line of standard output, then serves
//! until it is killed.

use rusing_academy_tests::stripe::FakeStripe;

#[tokio::main]
async fn main() {
    let stripe = FakeStripe::start().await;
    println!("{}", stripe.url());
    // Keep serving; the caller kills the process.
    std::future::pending::<()>().await;
}
