//! The schema model: what exists, where it was created and what happened to it since, in one
//! [`schema::Schema`] per migration set (or per loose file): the history across files (tables,
//! indexes, views with file:line origins, replayed from every earlier up-migration) and its
//! top [`layer::Layer`], what the migration being checked did so far (with spans, including
//! statements the history does not replay). Fed by the front ends' statements; read by the
//! rules (through [`schema::Ctx`] and `rules::sql::Context`) and the live check.

pub mod keys;
pub mod layer;
mod lookup;
mod rename;
pub mod schema;

pub use layer::Layer;
pub use schema::{Ctx, Origin, Schema};
