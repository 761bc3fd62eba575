//! The one crate both sides of TCP Lab depend on.
//!
//! It holds everything the server and the browser must agree on, so that nothing is computed twice:
//! the JSON shapes of the HTTP API ([`api`]) and the languages the interface speaks ([`lang`]).
//! The TCP model ([`tcp`]) lives here for the same reason; quiz grading and tuning rules follow.
//!
//! It must stay pure: no I/O, no async, no threads, so that it builds unchanged for the host and for
//! `wasm32-unknown-unknown`.

pub mod api;
pub mod capture;
pub mod classroom;
pub mod lang;
pub mod quiz;
pub mod tcp;
pub mod tuning;
