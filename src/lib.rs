//! Candor audits how AI is used in customer service.
//!
//! It reads conversation logs ([`import`]), checks every AI-handled conversation for AI disclosure, an offer
//! of a human and related failures ([`rules`]), summarises escalation and satisfaction ([`metrics`]), and
//! writes the results as evidence ([`export`]). [`audit`] ties these together; [`cli`] is the headless
//! `candor audit` command. The desktop app lives in `ui`, behind the `gui` feature; nothing else here knows
//! about it.

pub mod audit;
pub mod cli;
pub mod detect;
pub mod eval;
pub mod export;
pub mod import;
pub mod memory;
pub mod metrics;
pub mod model;
pub mod query;
pub mod redact;
pub mod rules;
pub mod session;
pub mod store;

#[cfg(feature = "gui")]
pub mod ui;
