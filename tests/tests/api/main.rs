//! The black-box suite, one module per domain. A single test binary keeps link time down.

mod schema;
