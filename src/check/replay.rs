//! One migration set's replay as the pipeline runs it: the schema the earlier files built,
//! down sections, the migration rules run after the per-statement rules, and the findings
//! that only the set's history can make (renames still used later, drop-recreate across
//! files, what a dropped object held).

use crate::diagnostic::Diagnostic;
use crate::model::Ctx;
use crate::model::schema::{self, Origin, Schema, key};
use crate::outcome::FileOutcome;
use crate::rules::migration_checks;
use crate::rules::sql::Context;
use crate::settings::Settings;
use crate::source::Dialect;
use crate::sql::{AlterOp, ObjectKind, Statement, StmtKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Replay state shared by the files of one set (or private to one file).
#[derive(Debug, Default)]
pub struct Replay {
    pub schema: Schema,
    check_down: bool,
    pub(crate) cur: u32,
    cur_down: bool,
    started: bool,
    prev_replayed: Option<u32>,
    line_starts: Vec<usize>,
    /// `-- migrate:down` sections of the current file (dbmate).
    down_sections: Vec<(usize, usize)>,
    /// The current file's statements, analysed ahead (of exactly the text the checker will
    /// see); taken by the checker.
    pub(crate) analyzed: Option<Vec<Statement>>,
    /// Column renames seen so far, and later statements that still use the old name.
    renames: Vec<Rename>,
    /// Indexes into `renames` by table key (the table under its name after the rename), so a
    /// statement looks only at the renames of the tables it touches, not at every rename of
    /// the set (which made replay quadratic in the number of renames).
    renames_by_table: HashMap<schema::Key, Vec<usize>>,
    /// Statements read by tokens only that cannot destroy data (`summary.not_parsed`).
    pub not_parsed: usize,
    /// The split migration (ory/popx version) the current file belongs to, if any.
    split_key: Option<String>,
    last_up_migration: Option<u32>,
}

/// The migration a file of a split set belongs to: ory/popx write one statement per file,
/// `<14-digit timestamp><6-digit sequence>_name[.dialect].up.sql`; files sharing the
/// timestamp are one migration.
pub fn split_key(name: &str) -> Option<String> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let digits = base.bytes().take_while(u8::is_ascii_digit).count();
    (digits == 20 && base.as_bytes().get(20) == Some(&b'_')).then(|| base[..14].to_string())
}

/// A `RENAME COLUMN` on a table that existed before its migration.
#[derive(Debug, Clone)]
struct Rename {
    file: u32,
    span: crate::source::Span,
    old: String,
    /// The table, under its name after the rename.
    table: schema::Key,
    /// Later statements (file, line) that still use the old name.
    later_uses: Vec<Origin>,
    /// A later `ADD COLUMN` took the old name again: what follows uses the new column.
    readded: bool,
}

/// The tables a statement acts on or reads.
fn tables_of(stmt: &Statement) -> Vec<schema::Key> {
    match &stmt.kind {
        StmtKind::AlterTable { name, .. } => vec![key(name)],
        StmtKind::CreateIndex { table, .. } => vec![key(table)],
        StmtKind::Update { table: Some(t), .. } | StmtKind::Delete { table: Some(t), .. } => {
            vec![key(t)]
        }
        StmtKind::CreateView { references, .. } => references.iter().map(key).collect(),
        _ => Vec::new(),
    }
}

impl Replay {
    pub fn new(check_down: bool) -> Replay {
        Replay {
            check_down,
            ..Replay::default()
        }
    }

    /// The next file of the set starts (`name` as messages show it).
    pub fn next_file(&mut self, name: &str, down: bool) {
        if self.started && !self.cur_down {
            self.prev_replayed = Some(self.cur);
        }
        self.started = true;
        self.schema.files.push(name.to_string());
        self.cur = (self.schema.files.len() - 1) as u32;
        self.cur_down = down;
        // a down file sits between the up files of a split migration without ending it
        let mut migration = self.cur;
        if !down {
            let key = split_key(name);
            let continues = key.is_some() && key == self.split_key;
            if continues && let Some(m) = self.last_up_migration {
                migration = m;
            }
            self.split_key = key;
            self.last_up_migration = Some(migration);
        }
        self.schema.migration_of.push(migration);
    }

    /// The model's layer for the current file: what the earlier files of its split migration
    /// did counts; a down file starts empty. `alone`: start empty anyway (an ORM file).
    pub(crate) fn begin_layer(&mut self, alone: bool) {
        let open = self.last_up_migration.filter(|_| self.cur_down);
        self.schema
            .begin_layer(self.cur, alone || self.cur_down, open);
    }

    /// The text of the current file is known (called by the checker).
    pub fn begin_text(&mut self, src: &str) {
        if !self.started {
            self.next_file("", false);
        }
        // the vector of the file before is reused
        self.line_starts.clear();
        self.line_starts.push(0);
        self.line_starts
            .extend(src.match_indices('\n').map(|(i, _)| i + 1));
        self.down_sections.clear();
        // a marker is a `--` comment: most code migrations hold none
        if !src.contains("--") {
            return;
        }
        let mut down_start = None;
        for &start in &self.line_starts {
            let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
            let Some(rest) = src[start..end].trim().strip_prefix("--") else {
                continue;
            };
            // `-- migrate:up`, also with options (`-- migrate:up transaction:false`)
            let marker = rest.trim_start().to_ascii_lowercase();
            // dbmate `-- migrate:down`, goose `-- +goose Down`
            let down = marker.starts_with("migrate:down") || marker.starts_with("+goose down");
            let up = marker.starts_with("migrate:up") || marker.starts_with("+goose up");
            if down && down_start.is_none() {
                down_start = Some(start);
            } else if up && let Some(s) = down_start.take() {
                self.down_sections.push((s, start));
            }
        }
        if let Some(s) = down_start {
            self.down_sections.push((s, src.len()));
        }
    }

    pub(crate) fn in_down_section(&self, offset: usize) -> bool {
        self.down_sections
            .iter()
            .any(|&(s, e)| offset >= s && offset < e)
    }

    /// The statement at `offset` sits in a down section that is exempt from the drop rules.
    pub fn exempt(&self, offset: usize) -> bool {
        !self.check_down && self.in_down_section(offset)
    }

    fn line_of(&self, offset: usize) -> u32 {
        self.line_starts.partition_point(|&s| s <= offset) as u32
    }

    /// Apply `stmt` of the current file to the schema, no rules run (seed dumps,
    /// `--explain-order`).
    pub(crate) fn apply_only(&mut self, stmt: &Statement) {
        let line = self.line_of(stmt.span.start);
        self.schema.apply(
            stmt,
            Origin {
                file: self.cur,
                line,
            },
        );
    }

    /// The schema dump `text` (`name` as messages show it) seeds the schema: its statements
    /// are applied before the set's first file, no rules run.
    pub(crate) fn seed(&mut self, name: &str, text: &str, dialect: crate::source::Dialect) {
        self.next_file(name, false);
        self.schema.seed_file = Some(self.cur);
        self.begin_text(text);
        for stmt in crate::sql::analyze(text, dialect, crate::sql::Options::default()) {
            self.apply_only(&stmt);
        }
    }

    /// Run the migration rules on `stmt` (after the per-statement rules, whose findings are
    /// `out[before..]`, with the context `at` gives), then apply it to the history and
    /// record it in the layer.
    pub fn after_rules(
        &mut self,
        stmt: &Statement,
        at: (&str, Dialect, bool),
        out: &mut Vec<Diagnostic>,
        before: usize,
    ) {
        if self.replays(stmt) {
            self.judge(stmt, at, out, before);
            let line = self.line_of(stmt.span.start);
            self.track_renames(stmt, at.0, line);
            self.schema.apply(
                stmt,
                Origin {
                    file: self.cur,
                    line,
                },
            );
        }
        self.schema.layer.apply(stmt);
    }

    /// [`Replay::after_rules`]'s findings without recording the statement: for a statement
    /// whose mark on the history and the layer no later check reads.
    pub(crate) fn rules_only(
        &self,
        stmt: &Statement,
        at: (&str, Dialect, bool),
        out: &mut Vec<Diagnostic>,
        before: usize,
    ) {
        if self.replays(stmt) {
            self.judge(stmt, at, out, before);
        }
    }

    /// The statement is replayed into the history (not in a down file or section, nor a
    /// routine's body).
    fn replays(&self, stmt: &Statement) -> bool {
        !(self.cur_down || self.in_down_section(stmt.span.start) || stmt.in_body)
    }

    /// The context the rules see for a statement of the current text: `at` is (text, dialect,
    /// down), the layer the model's.
    pub fn context<'a>(&'a self, (src, dialect, down): (&'a str, Dialect, bool)) -> Context<'a> {
        Context {
            src,
            dialect,
            file: &self.schema.layer,
            down,
        }
    }

    /// The migration rules on `stmt` and the findings only the history makes, against the
    /// history before it.
    fn judge(
        &self,
        stmt: &Statement,
        at: (&str, Dialect, bool),
        out: &mut Vec<Diagnostic>,
        before: usize,
    ) {
        let ctx = &self.context(at);
        let mctx = Ctx {
            schema: &self.schema,
            file: self.cur,
        };
        if !ctx.down {
            for f in migration_checks() {
                f(stmt, ctx, &mctx, out);
            }
            self.recreated(stmt, &mctx, out);
        }
        let before = before.min(out.len());
        annotate_drops(stmt, &mctx, &mut out[before..]);
    }

    /// Remember column renames; note later statements that still use an old name.
    fn track_renames(&mut self, stmt: &Statement, src: &str, line: u32) {
        if !self.renames.is_empty() {
            let tables = tables_of(stmt);
            if !tables.is_empty() {
                let text = src.get(stmt.span.start..stmt.span.end).unwrap_or("");
                let mut hits: Vec<usize> = tables
                    .iter()
                    .filter_map(|t| self.renames_by_table.get(t))
                    .flatten()
                    .copied()
                    .collect();
                // each rename once, even when a view reads its table twice
                hits.sort_unstable();
                hits.dedup();
                for i in hits {
                    let r = &mut self.renames[i];
                    if r.readded {
                        continue;
                    }
                    // the retype pattern: the old name is taken by a new column, not used
                    if crate::idioms::adds_column(stmt, &r.old) {
                        r.readded = true;
                        continue;
                    }
                    if (r.file, r.span) != (self.cur, stmt.span)
                        && super::uses::uses_column(stmt, text, &r.table, &r.old, &self.schema)
                    {
                        r.later_uses.push(Origin {
                            file: self.cur,
                            line,
                        });
                    }
                }
            }
        }
        let StmtKind::AlterTable { name, ops } = &stmt.kind else {
            return;
        };
        if self
            .schema
            .table(name)
            .and_then(|t| t.created)
            .is_some_and(|o| self.schema.same_migration(o.file, self.cur))
        {
            return;
        }
        let mut table = key(name);
        if let Some(AlterOp::RenameTo(to)) = ops.iter().find(|o| matches!(o, AlterOp::RenameTo(_)))
        {
            table = key(to);
        }
        for op in ops {
            if let AlterOp::RenameColumn { from, .. } = op {
                self.renames_by_table
                    .entry(table.clone())
                    .or_default()
                    .push(self.renames.len());
                self.renames.push(Rename {
                    file: self.cur,
                    span: stmt.span,
                    old: from.clone(),
                    table: table.clone(),
                    later_uses: Vec::new(),
                    readded: false,
                });
            }
        }
    }

    /// `rename-column` findings whose old name a later migration still uses become errors.
    /// `outcomes[file]` is the outcome of file index `file`, when it is reported.
    pub(crate) fn escalate_renames(
        &self,
        outcomes: &mut [Option<&mut FileOutcome>],
        settings: &Settings,
    ) {
        let overridden = settings.filter.severity.contains_key("rename-column");
        for r in self.renames.iter().filter(|r| !r.later_uses.is_empty()) {
            let Some(Some(fo)) = outcomes.get_mut(r.file as usize) else {
                continue;
            };
            let uses: Vec<String> = r
                .later_uses
                .iter()
                .map(|o| format!("{}:{}", self.schema.file_name(o.file), o.line))
                .collect();
            for d in fo
                .diagnostics
                .iter_mut()
                .filter(|d| d.rule == "rename-column" && d.span == r.span)
            {
                if !overridden {
                    d.severity = crate::diagnostic::Severity::Error;
                }
                d.message.push_str(&format!(
                    "; a later migration still uses `{}`: {}",
                    r.old,
                    uses.join(", ")
                ));
            }
        }
    }

    /// `drop-recreate` across consecutive files of the set.
    fn recreated(&self, stmt: &Statement, mctx: &Ctx, out: &mut Vec<Diagnostic>) {
        let StmtKind::CreateTable { name, .. } = &stmt.kind else {
            return;
        };
        let k = key(name);
        let Some(dropped) = self.schema.dropped_tables.get(&k) else {
            return;
        };
        if dropped.file == self.cur
            || Some(dropped.file) != self.prev_replayed
            || self.schema.tables.contains_key(&k)
        {
            return;
        }
        out.push(
            Diagnostic::new(
                "drop-recreate",
                stmt.span,
                format!(
                    "table `{}` was dropped {} and is created again here: every row it held is \
                     lost, even though the new table has the same name",
                    name.display,
                    mctx.at(*dropped)
                ),
            )
            .label("an empty table replaces the dropped one")
            .help(
                "change the table in place with `ALTER TABLE` (ADD/DROP/ALTER COLUMN, RENAME); if \
                 a rebuild is needed, create the new table, copy rows with INSERT … SELECT, then \
                 swap names",
            ),
        );
    }
}

/// The replay a text checked on its own starts from (`Replay::new(false)`, its one file
/// begun, not a down file, no down section), built once: what [`check::check_sql`] judges
/// the statements of a text against when they leave nothing a later statement reads.
///
/// [`check::check_sql`]: crate::check::check_sql
pub(crate) fn fresh() -> &'static Replay {
    static FRESH: OnceLock<Replay> = OnceLock::new();
    FRESH.get_or_init(|| {
        let mut r = Replay::new(false);
        r.next_file("", false);
        r.begin_text("");
        r.begin_layer(false);
        r
    })
}

/// Give drop findings the history of what they drop.
fn annotate_drops(stmt: &Statement, mctx: &Ctx, diags: &mut [Diagnostic]) {
    let s = mctx.schema;
    let mut notes = Vec::new();
    let rule = match &stmt.kind {
        StmtKind::Drop {
            object: ObjectKind::Table,
            names,
            ..
        } => {
            for n in names {
                if let Some(t) = s.table(n) {
                    let later = t.altered_in.iter().filter(|&&f| f != mctx.file).count();
                    let altered = if later == 0 {
                        String::new()
                    } else {
                        format!(
                            " and altered in {later} later {}",
                            if later == 1 {
                                "migration"
                            } else {
                                "migrations"
                            }
                        )
                    };
                    match t.created {
                        Some(o) if o.file != mctx.file => notes.push(format!(
                            "table `{}` was created {}{altered}",
                            n.display,
                            mctx.at(o)
                        )),
                        None if later > 0 => notes.push(format!(
                            "table `{}` was altered in {later} {} of this set",
                            n.display,
                            if later == 1 {
                                "migration"
                            } else {
                                "migrations"
                            }
                        )),
                        _ => {}
                    }
                }
            }
            "drop-table"
        }
        StmtKind::Drop {
            object: ObjectKind::Index,
            names,
            ..
        } => {
            for n in names {
                let found = s.indexes.get(&key(n)).or_else(|| {
                    s.indexes
                        .values()
                        .find(|i| i.display.eq_ignore_ascii_case(&n.display))
                });
                if let Some(i) = found.filter(|i| i.created.file != mctx.file) {
                    let table = s.table_display(&i.table);
                    // an ORM operation's index may come without its columns
                    let cols = if i.columns.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", i.columns.join(", "))
                    };
                    notes.push(format!(
                        "index `{}` on `{table}`{cols} was created {}",
                        n.display,
                        mctx.at(i.created)
                    ));
                }
            }
            "drop-index"
        }
        StmtKind::AlterTable { name, ops } => {
            if let Some(t) = s.table(name) {
                for op in ops {
                    if let AlterOp::DropColumn { names, .. } = op {
                        for c in names {
                            if let Some(col) = t.column(c).filter(|c| c.created.file != mctx.file) {
                                notes.push(format!(
                                    "column `{}.{c}` was created {}",
                                    name.display,
                                    mctx.at(col.created)
                                ));
                            }
                        }
                    }
                }
            }
            "drop-column"
        }
        _ => return,
    };
    if notes.is_empty() {
        return;
    }
    for d in diags.iter_mut().filter(|d| d.rule == rule) {
        d.message.push_str(&format!(" ({})", notes.join("; ")));
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{SqlOptions, check_sql};
    use crate::source::Dialect;

    fn rules(src: &str) -> Vec<String> {
        check_sql(src, Dialect::Postgres, &SqlOptions::default())
            .into_iter()
            .map(|d| d.rule)
            .collect()
    }

    #[test]
    fn popx_split_keys() {
        use super::split_key;
        assert_eq!(
            split_key("20210410175418000001_x.sqlite3.up.sql").as_deref(),
            Some("20210410175418")
        );
        // a plain timestamp (golang-migrate, 14 digits) is its own migration
        assert_eq!(split_key("20210410175418_x.up.sql"), None);
        assert_eq!(split_key("0001_init.up.sql"), None);
    }

    #[test]
    fn dbmate_down_sections_are_exempt_and_not_replayed() {
        let f = "-- migrate:up\nCREATE TABLE t (a int);\n\n-- migrate:down\nDROP TABLE users;\n";
        assert!(!rules(f).contains(&"drop-table".to_string()));
        // options after the marker
        let f = "-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\nDROP TABLE users;\n";
        assert!(!rules(f).contains(&"drop-table".to_string()));
        // a comment that only mentions the marker is not one
        let f = "-- see the migrate:down docs\nDROP TABLE users;\n";
        assert!(rules(f).contains(&"drop-table".to_string()));
        // a down section's ALTER is not replayed: the up section's SET NOT NULL is judged
        // against the column as the up section left it
        let f = "-- migrate:up\nALTER TABLE o ADD COLUMN n text NOT NULL DEFAULT '';\n\
                 ALTER TABLE o ALTER COLUMN n SET NOT NULL;\n\
                 -- migrate:down\nALTER TABLE o ALTER COLUMN n DROP NOT NULL;\n";
        assert!(!rules(f).contains(&"set-not-null".to_string()));
    }

    #[test]
    fn made_nullable_later_is_named() {
        let d = check_sql(
            "ALTER TABLE o ADD COLUMN n text NOT NULL DEFAULT '';\n\
             ALTER TABLE o ALTER COLUMN n DROP NOT NULL;\n\
             ALTER TABLE o ALTER COLUMN n SET NOT NULL;\n",
            Dialect::Postgres,
            &SqlOptions::default(),
        );
        let m = d
            .iter()
            .find(|d| d.rule == "set-not-null")
            .map(|d| d.message.clone())
            .unwrap_or_default();
        assert!(m.contains("made nullable on line 2"), "{m}");
    }

    #[test]
    fn statements_the_model_does_not_know_are_not_fatal() {
        let mut r = super::Replay::new(false);
        let src = "CREATE TRIGGER t BEFORE INSERT ON o FOR EACH ROW EXECUTE FUNCTION f();\n\
                   ALTER TABLE o ADD CONSTRAINT c CHECK (a > 0);\n\
                   CREATE EXTENSION IF NOT EXISTS pgcrypto;\n\
                   ALTER TABLE o GIBBERISH;\n\
                   DROP INDEX i ON o;\n";
        r.next_file("x.sql", false);
        r.begin_text(src);
        for stmt in crate::sql::analyze(src, Dialect::Postgres, crate::sql::Options::default()) {
            let line = r.line_of(stmt.span.start);
            r.schema.apply(&stmt, super::Origin { file: r.cur, line });
        }
        assert!(r.schema.views.is_empty());
    }

    #[test]
    fn later_uses_of_renamed_columns_are_found_per_table() {
        let mut r = super::Replay::new(false);
        let opts = SqlOptions::default();
        let files = [
            "CREATE TABLE a (x int, y int);\nCREATE TABLE b (x int);\n",
            "ALTER TABLE a RENAME COLUMN x TO x2;\nALTER TABLE a RENAME COLUMN y TO y2;\n\
             ALTER TABLE b RENAME COLUMN x TO x3;\n",
            // reads `a` twice: each rename is noted once for the statement
            "SELECT 1;\nCREATE VIEW v AS SELECT a.x FROM a JOIN a AS a2 ON a.y = a2.y;\n\
             UPDATE b SET y = 1 WHERE y IS NULL;\nUPDATE a SET z = 1 WHERE z IS NULL;\n",
        ];
        for (i, f) in files.iter().enumerate() {
            r.next_file(&format!("{i}.sql"), false);
            crate::check::check_sql_in(f, Dialect::Postgres, &opts, Some(&mut r));
        }
        let uses: Vec<Vec<(u32, u32)>> = r
            .renames
            .iter()
            .map(|x| x.later_uses.iter().map(|o| (o.file, o.line)).collect())
            .collect();
        // a.x and a.y: the view on line 2 of file 2; b.x: not used again
        assert_eq!(uses, vec![vec![(2, 2)], vec![(2, 2)], vec![]]);
    }

    #[test]
    fn renames_follow_through_views_and_keys() {
        let src = "CREATE TABLE a (id int PRIMARY KEY);\n\
                   CREATE TABLE b (id int, a_id int REFERENCES a (id));\n\
                   CREATE VIEW v AS SELECT id FROM a;\n\
                   ALTER TABLE a RENAME TO a2;\n";
        let mut r = super::Replay::new(false);
        r.next_file("x.sql", false);
        r.begin_text(src);
        for stmt in crate::sql::analyze(src, Dialect::Postgres, crate::sql::Options::default()) {
            let line = r.line_of(stmt.span.start);
            r.schema.apply(&stmt, super::Origin { file: r.cur, line });
        }
        let k = ("public".to_string(), "a2".to_string());
        assert!(r.schema.tables.contains_key(&k));
        assert_eq!(r.schema.views_on(&k).len(), 1);
        assert_eq!(r.schema.references_to(&k).len(), 1);
        let b = &r.schema.tables[&("public".to_string(), "b".to_string())];
        assert_eq!(b.column("a_id").map(|c| c.created.line), Some(2));
    }
}
