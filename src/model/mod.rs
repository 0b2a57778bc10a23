//! The schema model: what exists, where it was created and what happened to it since.
//! [`schema::Schema`] is a migration set's history across files (origins are file:line),
//! replayed from every earlier up-migration; [`file::FileState`] is what the text being
//! checked did so far (origins are spans). Fed by the front ends' statements; read by the
//! rules (through [`schema::Ctx`] and `rules::sql::Context`) and the live check.

pub mod file;
pub mod keys;
pub mod schema;

pub use file::FileState;
pub use schema::{Ctx, Origin, Schema};
