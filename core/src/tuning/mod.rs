//! The Linux sysctl config generator and linter.
//!
//! [`generate`] turns a few facts about a host and its traffic ([`Inputs`]) into an
//! `/etc/sysctl.d/` drop-in, open-file limits and the commands to save, apply, verify and undo,
//! explaining every value with the numbers that led to it. [`lint()`] reads an existing sysctl.conf
//! (or `sysctl -a` output) and says which lines do not do what their authors thought.
//!
//! Both run in the browser (wasm) and on the server and give the same answer: pure functions, no
//! I/O. What TCP Lab knows about each parameter (units, scopes, doc sections, explanations in
//! English and Chinese) is data, [`Knowledge`], loaded by the server from
//! `content/tuning/params.toml`; the formulas are code ([`plan`], [`defaults`]).
//!
//! Principles, from the facts file and from what TuneD, PGTune and Mozilla's generator taught:
//! limits are only raised, never lowered below the kernel default for that version and RAM; a value
//! equal to the default is reported as "keep default" and not written (so a newer kernel's better
//! default still applies); every value cites its kernel doc section; the file begins with its
//! inputs and permalink; originals are saved before anything changes.

pub mod defaults;
pub mod files;
pub mod inputs;
pub mod knowledge;
pub mod lint;
pub mod plan;
pub mod query;
pub mod report;
pub mod rules;
pub mod units;
pub mod warnings;

#[cfg(test)]
mod tests;

pub use defaults::{KernelDefaults, Val};
pub use inputs::{BOOL_FIELDS, BoolField, FieldError, Inputs, KernelVersion, NUM_FIELDS, NumField, Workload};
pub use knowledge::{Direction, Knowledge, Param, Scope, ValueKind};
pub use lint::{Finding, LineKind, LintContext, LintError, LintReport, ParsedLine, lint, lint_bytes, lint_with};
pub use query::{QUERY_VERSION, query_key};
pub use report::{Action, Commands, Figures, Files, Nofile, Report, Setting, Severity, Warning};

use crate::lang::Lang;

/// Generates the report with the permalink placeholder `https://<host>/config?<query>`; the
/// server or the browser may put its own base in with [`generate_with_permalink`].
pub fn generate(inputs: &Inputs, knowledge: &Knowledge, lang: Lang) -> Report {
    generate_with_permalink(inputs, knowledge, lang, files::PERMALINK_BASE)
}

/// Generates the report; `permalink_base` is the page address without the query, such as
/// `https://tcplab.example/config`.
///
/// Never panics. Inputs out of range are moved into range for the computation, and the report
/// lists each validation error as an error-severity warning naming the field.
pub fn generate_with_permalink(inputs: &Inputs, knowledge: &Knowledge, lang: Lang, permalink_base: &str) -> Report {
    let input_errors = inputs.validate().err().unwrap_or_default();
    let used = inputs.clamped();
    let plan = plan::Plan::new(&used);
    let rules = rules::Rules { p: &plan, k: knowledge, lang };
    let settings = rules.settings();
    let nofile = rules.nofile();
    let warnings = warnings::Warnings { p: &plan, k: knowledge, lang }.all(&input_errors, &settings);
    let query = inputs.to_query();
    let render = files::Render {
        p: &plan,
        k: knowledge,
        lang,
        settings: &settings,
        nofile: &nofile,
        permalink: format!("{permalink_base}?{query}"),
    };
    let files = render.files();
    Report { lang, inputs: inputs.clone(), input_errors, query, settings, nofile, warnings, figures: plan.figures(), files }
}
