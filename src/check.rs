//! The per-file pipeline: text in, diagnostics out. No I/O here.

use crate::diagnostic::Diagnostic;
pub mod inline;
pub mod orm;
pub mod replay;
pub mod ruby;
pub mod shell;
pub mod shell_files;
mod uses;

use crate::rules::sql_checks;
use crate::source::{Dialect, Lang, Source};
use crate::sql::{self, Statement};
use replay::Replay;

#[derive(Debug, Clone, Copy, Default)]
pub struct SqlOptions {
    /// A down/rollback migration: the drop rules do not apply.
    pub down: bool,
    /// SQL lifted out of a shell script: `$VAR` expansions are opaque.
    pub shell_vars: bool,
}

/// Check a SQL text. Diagnostic spans point into `src`.
pub fn check_sql(src: &str, dialect: Dialect, opts: &SqlOptions) -> Vec<Diagnostic> {
    // the statements are dropped here and the replay is the text's own, so a statement needs
    // a tree only where a check reads one: a plain UPDATE's is read by no rule, model or
    // fold (`update_has_from` finds no FROM either way; the renames it would be matched
    // against are reported by a set's replay only), so it gets none (`sql::analyze_facts`)
    check_sql_with(src, dialect, opts, None, false).0
}

/// [`check_sql`] as one file of a migration set: `replay` holds the schema the earlier files
/// built (`None`: a schema private to this file).
pub fn check_sql_in(
    src: &str,
    dialect: Dialect,
    opts: &SqlOptions,
    replay: Option<&mut Replay>,
) -> Vec<Diagnostic> {
    check_sql_keep(src, dialect, opts, replay).0
}

/// [`check_sql_in`], also returning the statements the findings came from (analysed once,
/// reused by the live check).
pub fn check_sql_keep(
    src: &str,
    dialect: Dialect,
    opts: &SqlOptions,
    replay: Option<&mut Replay>,
) -> (Vec<Diagnostic>, Vec<Statement>) {
    check_sql_with(src, dialect, opts, replay, true)
}

/// [`check_sql_keep`]; `trees`: the statements carry sqlparser's trees (`sql::analyze`),
/// else only where [`sql::analyze_facts`] keeps them.
fn check_sql_with(
    src: &str,
    dialect: Dialect,
    opts: &SqlOptions,
    replay: Option<&mut Replay>,
    trees: bool,
) -> (Vec<Diagnostic>, Vec<Statement>) {
    let analyze = || {
        let o = sql::Options {
            shell_vars: opts.shell_vars,
        };
        if trees {
            sql::analyze(src, dialect, o)
        } else {
            sql::analyze_facts(src, dialect, o)
        }
    };
    let mut local;
    let (statements, replay) = match replay {
        Some(r) => {
            r.begin_text(src);
            let statements = match r.analyzed.take() {
                // parsed ahead, in parallel, by the migration set runner
                Some(s) if !opts.shell_vars => s,
                _ => analyze(),
            };
            (statements, Seen::Own(r))
        }
        None => {
            let statements = analyze();
            if leaves_nothing_read(src, opts, &statements) {
                (statements, Seen::Fresh(replay::fresh()))
            } else {
                local = Replay::new(false);
                local.next_file("", opts.down);
                local.begin_text(src);
                (statements, Seen::Own(&mut local))
            }
        }
    };
    let out = check_statements(src, dialect, opts, &statements, replay);
    (out, statements)
}

/// The replay a text's statements are judged against and recorded into: its own (or its
/// set's), or the fresh one every text starts from when nothing they record is read
/// ([`leaves_nothing_read`]; they record nothing).
enum Seen<'r> {
    Own(&'r mut Replay),
    Fresh(&'r Replay),
}

impl Seen<'_> {
    fn get(&self) -> &Replay {
        match self {
            Seen::Own(r) => r,
            Seen::Fresh(r) => r,
        }
    }
}

/// A text checked on its own whose statements after the first are all of a kind no check
/// reads the history or the layer for (`StmtKind::Other`: every SQL and migration rule,
/// `idioms::dropped_indexes`, `rebuild::dropped_table` and the replay's own checks start
/// from the statement's kind and return for it; a test holds them to it): nothing a
/// statement records is read, so no replay need be built for the text. Not a down file, no
/// `--` (a down section marker) in it: the fresh replay has no down section.
fn leaves_nothing_read(src: &str, opts: &SqlOptions, statements: &[Statement]) -> bool {
    !opts.down
        && statements
            .iter()
            .skip(1)
            .all(|s| matches!(s.kind, sql::StmtKind::Other))
        && !src.contains("--")
}

/// The rules on every statement of `src`, against and into `replay`, then the findings of
/// the whole text.
fn check_statements(
    src: &str,
    dialect: Dialect,
    opts: &SqlOptions,
    statements: &[Statement],
    mut replay: Seen,
) -> Vec<Diagnostic> {
    if let Seen::Own(r) = &mut replay {
        r.not_parsed += statements.iter().filter(|s| s.not_parsed).count();
        r.begin_layer(false);
    }
    let mut out = Vec::new();
    let mut dropped_indexes = Vec::new();
    let mut dropped_tables = Vec::new();
    for (index, stmt) in statements.iter().enumerate() {
        out.extend(parse_error(stmt));
        let r = replay.get();
        let at = (src, dialect, opts.down || r.exempt(stmt.span.start));
        let before = out.len();
        let ctx = r.context(at);
        for f in sql_checks() {
            f(stmt, &ctx, &mut out);
        }
        if ctx.down {
            // a down side undoes its up side: every per-statement rule reports data loss
            out.truncate(before);
        }
        dropped_indexes.extend(crate::idioms::dropped_indexes(stmt, &r.schema));
        dropped_tables.extend(crate::rebuild::dropped_table(stmt, index, &r.schema));
        match &mut replay {
            Seen::Own(r) => r.after_rules(stmt, at, &mut out, before),
            Seen::Fresh(r) => r.rules_only(stmt, at, &mut out, before),
        }
    }
    let replay = replay.get();
    crate::idioms::fold_drop_index(
        statements,
        &dropped_indexes,
        &|s| !replay.in_down_section(s.span.start),
        &mut out,
    );
    crate::rebuild::fold_rebuilds(
        src,
        dialect,
        statements,
        &dropped_tables,
        &|s| !replay.in_down_section(s.span.start),
        &mut out,
    );
    crate::rebuild::fold_swapped_renames(
        statements,
        &|s| !replay.in_down_section(s.span.start),
        &mut out,
    );
    crate::bulk::fold(statements, &mut out, 0);
    out
}

/// Per-file facts known from discovery.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileFacts {
    pub down: bool,
}

/// Check one source file.
pub fn check_source(source: &Source, dialect: Dialect, facts: FileFacts) -> Vec<Diagnostic> {
    check_source_in(source, dialect, facts, None)
}

/// [`check_source`] as one file of a migration set (see [`check_sql_in`]).
pub fn check_source_in(
    source: &Source,
    dialect: Dialect,
    facts: FileFacts,
    replay: Option<&mut Replay>,
) -> Vec<Diagnostic> {
    check_source_keep(source, dialect, facts, replay).0
}

/// [`check_source_in`], also returning a SQL file's statements (see [`check_sql_keep`]).
pub fn check_source_keep(
    source: &Source,
    dialect: Dialect,
    facts: FileFacts,
    replay: Option<&mut Replay>,
) -> (Vec<Diagnostic>, Vec<Statement>) {
    match source.lang {
        Lang::Sql => check_sql_keep(
            &source.text,
            dialect,
            &SqlOptions {
                down: facts.down,
                shell_vars: false,
            },
            replay,
        ),
        Lang::Shell => (shell::check(&source.text, dialect), Vec::new()),
        Lang::Ruby => (ruby::check_alone(&source.text, dialect, false), Vec::new()),
        Lang::Python => (
            orm::check_alone(&source.path, &source.text, dialect, false),
            Vec::new(),
        ),
        Lang::Js => (
            orm::check_alone_js(&source.text, dialect, false),
            Vec::new(),
        ),
        Lang::Php => (
            crate::run::php::check_alone(&source.text, dialect, false),
            Vec::new(),
        ),
    }
}

/// The `parse-error` finding of a statement the SQL parser rejected (it was still checked by
/// its tokens), if it was rejected.
pub fn parse_error(stmt: &Statement) -> Option<Diagnostic> {
    let err = stmt.parse_error.as_ref()?;
    Some(
        Diagnostic::new(
            "parse-error",
            stmt.span,
            format!("statement could not be parsed: {err}"),
        )
        .label("checked by tokens only")
        .help(
            "this statement was still checked for DROP, TRUNCATE, DELETE and UPDATE by its \
             tokens; if it is valid SQL for your database, set the dialect (`--dialect`) or \
             report the statement to preflight",
        ),
    )
}

#[cfg(test)]
#[path = "check/alone_tests.rs"]
mod alone_tests;
