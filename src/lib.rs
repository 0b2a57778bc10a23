//! preflight: reads SQL migrations, SQL scripts and shell scripts before they run and reports
//! the operations that destroy data.
//!
//! The library is pure (text in, diagnostics out) except for [`discover`] and [`run`], which
//! read files; the binary (`main.rs`, `cli.rs`) owns arguments, output and exit codes.

pub mod bulk;
pub mod check;
pub mod config;
pub mod context;
pub mod diagnostic;
pub mod discover;
pub mod dryrun;
#[cfg(test)]
mod fast_tests;
pub mod fold;
pub mod hook;
pub mod idioms;
pub mod inline;
pub mod js;
pub mod live;
pub mod migrations;
mod mimalloc;
pub mod model;
pub mod orm;
pub mod outcome;
pub mod owned_tree;
pub mod php;
pub mod python;
pub mod rebuild;
pub mod report;
pub mod ruby;
pub mod rules;
pub mod run;
pub mod settings;
pub mod shell;
pub mod since;
pub mod source;
pub mod sql;
pub mod stream;
pub mod suppress;
#[cfg(test)]
mod test_rng;
pub mod tls;
pub mod tree_walk;
pub mod ts;
