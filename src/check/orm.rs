//! The ORM pipeline: a code migration's facts (`crate::orm::Facts`, from the Python front end
//! for Django and Alembic, and any other ORM front end) run through the same rules as SQL, in order, against the set's replayed schema. Operations are
//! statements the front end synthesised (spans on the operation's line); SQL the migration
//! runs as written (`RunSQL`, `op.execute`) goes through the SQL front end, its spans mapped
//! into the host-language string. Messages name the operation in the framework's words.

use super::replay::Replay;
use crate::diagnostic::Diagnostic;
use crate::python::{Effect, Facts};
use crate::source::Dialect;
use crate::sql::{self, Statement};

/// SQL phrases the rules open their messages with, and the same said of a framework
/// operation (`{}` is the operation).
const REWORD: &[(&str, &str)] = &[
    ("DROP COLUMN deletes", "{} drops column"),
    ("DROP TABLE deletes", "{} drops"),
    ("DROP INDEX removes", "{} removes"),
    (
        "CREATE INDEX without CONCURRENTLY on",
        "{} builds an index without CONCURRENTLY on",
    ),
    ("RENAME COLUMN", "{} renames column"),
    ("RENAME of table", "{} renames table"),
    ("SET NOT NULL on", "{} sets NOT NULL on"),
    ("DELETE without WHERE removes", "{} removes"),
    ("UPDATE without WHERE overwrites", "{} overwrites"),
    ("DROP SCHEMA deletes", "{} drops"),
    ("DROP DATABASE deletes", "{} drops"),
    ("TRUNCATE deletes every row", "{} deletes every row"),
    ("TRUNCATE deletes", "{} deletes"),
    ("ADD COLUMN", "{} adds column"),
];

/// The finding said of the operation `verb` instead of the SQL it stands for.
pub fn reword(d: &mut Diagnostic, verb: &str) {
    for (sqlp, framework) in REWORD {
        if let Some(rest) = d.message.strip_prefix(sqlp) {
            d.message = format!("{}{rest}", framework.replace("{}", verb));
            return;
        }
    }
    d.message = format!("{verb}: {}", d.message);
}

/// The up side's statements, for the live check (`--database-url`): synthesised ones on the
/// operation's line, embedded SQL with spans inside its string.
pub fn up_statements(dialect: Dialect, facts: &Facts) -> Vec<Statement> {
    let mut out = Vec::new();
    for fact in facts.facts.iter().filter(|f| !f.down) {
        match &fact.effect {
            Effect::Statement(s) => out.push(s.clone()),
            Effect::Sql(t) => {
                let opts = sql::Options {
                    shell_vars: !t.holes.is_empty(),
                };
                out.extend(
                    sql::analyze(&t.text, dialect, opts)
                        .into_iter()
                        .map(|mut s| {
                            s.map_spans(|sp| t.map_span(sp));
                            s
                        }),
                );
            }
        }
    }
    out
}

/// Replay a migration's up side into the model without judging it (a squashed Django
/// migration runs only on databases that applied none of the migrations it replaces).
pub fn replay_only(src: &str, dialect: Dialect, facts: &Facts, replay: &mut Replay) {
    replay.begin_text(src);
    for fact in facts.facts.iter().filter(|f| !f.down) {
        match &fact.effect {
            Effect::Statement(s) => replay.apply_only(s),
            Effect::Sql(t) => {
                for mut s in sql::analyze(&t.text, dialect, sql::Options::default()) {
                    s.map_spans(|sp| t.map_span(sp));
                    replay.apply_only(&s);
                }
            }
        }
    }
}

/// Check one Python migration's facts. `file_down`: the whole file is a down migration.
pub fn check(
    src: &str,
    dialect: Dialect,
    facts: &Facts,
    file_down: bool,
    check_down: bool,
    replay: &mut Replay,
) -> Vec<Diagnostic> {
    replay.begin_text(src);
    replay.begin_layer(true);
    let mut out = Vec::new();
    // the up side's statements and the indexes they drop: a DROP INDEX the migration undoes
    // (the index created again under its name) is not loss; borrowed (or moved) until a fold
    // below needs them whole
    let mut ups: Vec<std::borrow::Cow<Statement>> = Vec::new();
    let mut dropped = Vec::new();
    // tables the up side drops: a rebuild (copy, drop, rename back) keeps their data
    let mut dropped_tables = Vec::new();
    // statements of SQL the migration runs, with the call that runs it
    let mut sql_verbs: Vec<(crate::source::Span, &str)> = Vec::new();
    for fact in &facts.facts {
        let down = file_down || fact.down;
        let (stmts, synthesized): (std::borrow::Cow<[Statement]>, bool) = match &fact.effect {
            Effect::Statement(s) => (std::slice::from_ref(s).into(), true),
            Effect::Sql(t) => {
                let opts = sql::Options {
                    shell_vars: !t.holes.is_empty(),
                };
                let stmts: Vec<Statement> = sql::analyze(&t.text, dialect, opts)
                    .into_iter()
                    .map(|mut s| {
                        s.map_spans(|sp| t.map_span(sp));
                        s
                    })
                    .collect();
                (stmts.into(), false)
            }
        };
        if !synthesized {
            sql_verbs.extend(stmts.iter().map(|s| (s.span, fact.verb.as_str())));
        }
        for (k, stmt) in stmts.iter().enumerate() {
            let before = out.len();
            out.extend(super::parse_error(stmt));
            let at = (src, dialect, down && !check_down);
            let ctx = replay.context(at);
            let checked = out.len();
            for f in crate::rules::sql_checks() {
                f(stmt, &ctx, &mut out);
            }
            if ctx.down {
                // a down side undoes its up side: no per-statement rule reports it (as for
                // SQL down migrations in `check::check_sql_keep`)
                out.truncate(checked);
            }
            // the down side is checked (when asked) but never replayed
            if !down {
                dropped.extend(crate::idioms::dropped_indexes(stmt, &replay.schema));
                dropped_tables.extend(crate::rebuild::dropped_table(
                    stmt,
                    ups.len() + k,
                    &replay.schema,
                ));
                replay.after_rules(stmt, at, &mut out, before);
            } else {
                replay.schema.layer.apply(stmt);
            }
            // a column that code (not literal SQL) wrote earlier in this file may be filled
            if let sql::StmtKind::AlterTable { ops, .. } = &stmt.kind
                && ops.iter().any(|op| {
                    let column = match op {
                        sql::AlterOp::SetNotNull { column } => column,
                        // MySQL `MODIFY c … NOT NULL`
                        sql::AlterOp::Redefine { column, .. } if column.not_null => &column.name,
                        _ => return false,
                    };
                    facts
                        .code_writes
                        .iter()
                        .any(|(s, w)| s.start < stmt.span.start && w.binary_search(column).is_ok())
                })
            {
                let mut i = before;
                while i < out.len() {
                    if out[i].rule == "set-not-null" {
                        out.remove(i);
                    } else {
                        i += 1;
                    }
                }
            }
            for d in &mut out[before..] {
                if synthesized {
                    reword(d, &fact.verb);
                } else {
                    d.message = format!("{}: {}", fact.verb, d.message);
                }
            }
        }
        if !down {
            match stmts {
                std::borrow::Cow::Borrowed(v) => {
                    ups.extend(v.iter().map(std::borrow::Cow::Borrowed))
                }
                std::borrow::Cow::Owned(v) => {
                    ups.extend(v.into_iter().map(std::borrow::Cow::Owned))
                }
            }
        }
    }
    // the folds below change nothing when nothing is dropped and no table renamed (most
    // files): the statements are copied out only when one may
    let ups: Vec<Statement> = if dropped.is_empty()
        && dropped_tables.is_empty()
        && !out.iter().any(|d| d.rule == "rename-table")
    {
        Vec::new()
    } else {
        ups.into_iter().map(std::borrow::Cow::into_owned).collect()
    };
    crate::idioms::fold_drop_index(&ups, &dropped, &|_| true, &mut out);
    crate::rebuild::fold_rebuilds(src, dialect, &ups, &dropped_tables, &|_| true, &mut out);
    // a rebuild's own finding replaces the DROP's: said in the framework's words like it
    for d in &mut out {
        if let Some((_, verb)) = sql_verbs.iter().find(|(s, _)| *s == d.span) {
            let prefix = format!("{verb}: ");
            if !d.message.starts_with(&prefix) {
                d.message.insert_str(0, &prefix);
            }
        }
    }
    crate::rebuild::fold_swapped_renames(&ups, &|_| true, &mut out);
    out
}

/// One Python migration on its own (stdin, a file outside a set): its app label from the
/// path.
pub fn check_alone(path: &str, text: &str, dialect: Dialect, check_down: bool) -> Vec<Diagnostic> {
    let mut replay = Replay::new(check_down);
    replay.next_file("", false);
    let facts = match crate::migrations::python::read(text) {
        crate::migrations::python::Read::Django(raw) => {
            let dir = std::path::Path::new(path)
                .parent()
                .unwrap_or(std::path::Path::new(""));
            let mut state =
                crate::python::django::State::new(&crate::migrations::python::app_label(dir));
            crate::python::django::translate(&raw, text, &mut state)
        }
        crate::migrations::python::Read::Alembic(rev) => rev.facts,
        crate::migrations::python::Read::Other => crate::python::Facts::default(),
    };
    check(text, dialect, &facts, false, check_down, &mut replay)
}

/// `queryInterface.dropAllTables` stands for a DROP TABLE of every table: said so.
pub fn every_table(diags: &mut [Diagnostic]) {
    for d in diags {
        if d.message
            .contains("dropAllTables` drops table `\"all tables\"`")
            || d.message
                .contains("dropAllTables` drops table `all tables`")
        {
            d.message = "`queryInterface.dropAllTables` drops every table of the database and \
                         all of their rows"
                .to_string();
        }
    }
}

/// One Knex, TypeORM or Sequelize migration on its own (stdin, a file outside a set).
pub fn check_alone_js(text: &str, dialect: Dialect, check_down: bool) -> Vec<Diagnostic> {
    let mut replay = Replay::new(check_down);
    replay.next_file("", false);
    let facts = crate::js::read(text).map(|m| m.facts).unwrap_or_default();
    let mut out = check(text, dialect, &facts, false, check_down, &mut replay);
    every_table(&mut out);
    out
}
