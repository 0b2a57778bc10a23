//! Migration awareness: the files of one migration set are checked in version order against
//! a schema model replayed from every earlier up-migration ([`schema`]), so a rule can judge a
//! change by the schema it meets ("column `orders.notes` was created nullable in
//! 0003_add_notes.sql:4").

pub mod detect;
pub mod dialects;
pub mod references;
pub mod schema;

use crate::diagnostic::Diagnostic;
use crate::discover::Discovered;
use crate::rules::sql::Context;
use crate::rules::{Check, RULES};
use crate::run::{FileError, FileOutcome, Settings};
use crate::source::Lang;
use crate::sql::{AlterOp, ObjectKind, Statement, StmtKind};
pub use detect::{Convention, MigrationSet, SetFile, natural_cmp};
use rayon::prelude::*;
use schema::{Origin, Schema, key};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a migration rule sees besides the statement: the schema as it stands before the
/// statement runs, and which file is being checked.
pub struct Ctx<'a> {
    pub schema: &'a Schema,
    /// Index of the file being checked (origins with this file were created by it).
    pub file: u32,
}

impl Ctx<'_> {
    /// "in 0001_init.sql:3", or "on line 3 of this file".
    pub fn at(&self, o: Origin) -> String {
        if o.file == self.file {
            format!("on line {} of this file", o.line)
        } else {
            format!("in {}:{}", self.schema.file_name(o.file), o.line)
        }
    }
    /// Created by the file being checked.
    pub fn here(&self, o: Option<Origin>) -> bool {
        o.is_some_and(|o| o.file == self.file)
    }
}

/// Replay state shared by the files of one set (or private to one file).
#[derive(Debug, Default)]
pub struct Replay {
    pub schema: Schema,
    check_down: bool,
    cur: u32,
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
}

/// A `RENAME COLUMN` on a table that existed before its migration.
#[derive(Debug, Clone)]
struct Rename {
    file: u32,
    span: crate::source::Span,
    old: String,
    /// Later statements (file, line) that still use the old name.
    later_uses: Vec<Origin>,
}

/// Does `text` contain `word` as a whole identifier (ASCII case-insensitive)?
fn mentions(text: &str, word: &str) -> bool {
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let (t, w) = (text.as_bytes(), word.as_bytes());
    if w.is_empty() || t.len() < w.len() {
        return false;
    }
    (0..=t.len() - w.len()).any(|i| {
        t[i..i + w.len()].eq_ignore_ascii_case(w)
            && (i == 0 || !is_ident(t[i - 1]))
            && t.get(i + w.len()).is_none_or(|&c| !is_ident(c))
    })
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
    }

    /// The text of the current file is known (called by the checker).
    pub fn begin_text(&mut self, src: &str) {
        if !self.started {
            self.next_file("", false);
        }
        self.line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.down_sections.clear();
        let mut down_start = None;
        for &start in &self.line_starts {
            let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
            let Some(rest) = src[start..end].trim().strip_prefix("--") else {
                continue;
            };
            // `-- migrate:up`, also with options (`-- migrate:up transaction:false`)
            let marker = rest.trim_start().to_ascii_lowercase();
            if marker.starts_with("migrate:down") && down_start.is_none() {
                down_start = Some(start);
            } else if marker.starts_with("migrate:up")
                && let Some(s) = down_start.take()
            {
                self.down_sections.push((s, start));
            }
        }
        if let Some(s) = down_start {
            self.down_sections.push((s, src.len()));
        }
    }

    fn in_down_section(&self, offset: usize) -> bool {
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
    fn apply_only(&mut self, stmt: &Statement) {
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
    fn seed(&mut self, name: &str, text: &str, dialect: crate::source::Dialect) {
        self.next_file(name, false);
        self.schema.seed_file = Some(self.cur);
        self.begin_text(text);
        for stmt in crate::sql::analyze(text, dialect, crate::sql::Options::default()) {
            self.apply_only(&stmt);
        }
    }

    /// Run the migration rules on `stmt` (after the per-statement rules, whose findings are
    /// `out[before..]`), then apply it to the schema.
    pub fn after_rules(
        &mut self,
        stmt: &Statement,
        ctx: &Context,
        out: &mut Vec<Diagnostic>,
        before: usize,
    ) {
        if self.cur_down || self.in_down_section(stmt.span.start) || stmt.in_body {
            return;
        }
        let mctx = Ctx {
            schema: &self.schema,
            file: self.cur,
        };
        if !ctx.down {
            for rule in RULES {
                if let Check::Migration(f) = rule.check {
                    f(stmt, ctx, &mctx, out);
                }
            }
            self.recreated(stmt, &mctx, out);
        }
        let before = before.min(out.len());
        annotate_drops(stmt, &mctx, &mut out[before..]);
        let line = self.line_of(stmt.span.start);
        self.track_renames(stmt, ctx, line);
        self.schema.apply(
            stmt,
            Origin {
                file: self.cur,
                line,
            },
        );
    }

    /// Remember column renames; note later statements that still use an old name.
    fn track_renames(&mut self, stmt: &Statement, ctx: &Context, line: u32) {
        if !self.renames.is_empty() {
            let tables = tables_of(stmt);
            if !tables.is_empty() {
                let text = ctx.text(stmt.span);
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
                    if (r.file, r.span) != (self.cur, stmt.span) && mentions(text, &r.old) {
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
            .is_some_and(|o| o.file == self.cur)
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
                    later_uses: Vec::new(),
                });
            }
        }
    }

    /// `rename-column` findings whose old name a later migration still uses become errors.
    /// `outcomes[file]` is the outcome of file index `file`, when it is reported.
    fn escalate_renames(&self, outcomes: &mut [Option<&mut FileOutcome>], settings: &Settings) {
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
                    notes.push(format!(
                        "index `{}` on `{table}` ({}) was created {}",
                        n.display,
                        i.columns.join(", "),
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

/// One migration set to check: its files in order, and which of them are reported (the
/// others are replayed only, e.g. unchanged files under `--since`).
#[derive(Debug, Clone)]
pub struct PlannedSet {
    pub set: MigrationSet,
    /// Per file of `set.files`: the display path when reported.
    pub reported: Vec<Option<String>>,
}

/// Split discovered files into migration sets and standalone files.
pub fn plan<'a>(
    files: &'a [Discovered],
    globs: &[String],
) -> (Vec<&'a Discovered>, Vec<PlannedSet>) {
    let matcher = glob_matcher(globs);
    let mut cache: HashMap<PathBuf, Option<usize>> = HashMap::new();
    let mut sets: Vec<PlannedSet> = Vec::new();
    // per set: file path → position (a set can hold thousands of files)
    let mut positions: Vec<HashMap<PathBuf, usize>> = Vec::new();
    let mut standalone = Vec::new();
    for f in files {
        if f.lang != Lang::Sql {
            standalone.push(f);
            continue;
        }
        let mut found = None;
        let configured_dir = matcher.as_ref().and_then(|m| {
            f.path
                .ancestors()
                .skip(1)
                .find(|a| !a.as_os_str().is_empty() && m.is_match(normalize(a)))
                .map(Path::to_path_buf)
        });
        let dirs = match configured_dir {
            Some(d) => vec![(d, true)],
            None => detect::candidate_dirs(&f.path)
                .into_iter()
                .map(|d| (d, false))
                .collect(),
        };
        for (dir, is_configured) in dirs {
            let idx = *cache.entry(dir.clone()).or_insert_with(|| {
                let set = if is_configured {
                    Some(detect::configured(&dir))
                } else {
                    detect::detect(&dir)
                };
                set.map(|set| {
                    positions.push(
                        set.files
                            .iter()
                            .enumerate()
                            .map(|(i, f)| (f.path.clone(), i))
                            .collect(),
                    );
                    sets.push(PlannedSet {
                        reported: vec![None; set.files.len()],
                        set,
                    });
                    sets.len() - 1
                })
            });
            if let Some(i) = idx
                && let Some(&pos) = positions[i].get(&f.path)
            {
                sets[i].reported[pos] = Some(f.display.clone());
                found = Some(i);
                break;
            }
        }
        if found.is_none() {
            standalone.push(f);
        }
    }
    sets.retain(|s| s.reported.iter().any(Option::is_some));
    (standalone, sets)
}

fn normalize(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./")
        .unwrap_or(&s)
        .trim_end_matches('/')
        .to_string()
}

fn glob_matcher(globs: &[String]) -> Option<globset::GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        let g = g.trim_end_matches('/');
        for pat in [g.to_string(), format!("**/{g}")] {
            if let Ok(glob) = globset::GlobBuilder::new(&pat)
                .literal_separator(true)
                .build()
            {
                b.add(glob);
            }
        }
    }
    b.build().ok()
}

fn display_of(f: &SetFile) -> String {
    f.path.to_string_lossy().to_string()
}

/// Bytes as text, invalid UTF-8 replaced (the same text as `String::from_utf8_lossy`, but
/// valid files, the usual case, take the fast ASCII-skipping validator).
fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A file read and parsed ahead: its bytes, and its statements unless it is binary.
type Loaded = (Vec<u8>, Option<Vec<Statement>>);

/// Check one set: every file in order against the shared schema; only reported files'
/// outcomes are returned.
pub fn check_set(planned: &PlannedSet, settings: &Settings) -> Vec<Result<FileOutcome, FileError>> {
    let set = &planned.set;
    let mut replay = Replay::new(settings.check_down);
    if let Some(seed) = &set.seed
        && let Ok(bytes) = std::fs::read(seed)
        && !crate::run::looks_binary(&bytes)
    {
        let text = lossy(&bytes);
        let name = seed
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string());
        let dialect = settings.dialect_for(&seed.to_string_lossy(), &text).dialect;
        replay.seed(&name, &text, dialect);
    }
    // Files are read and parsed ahead in parallel, a window at a time (memory stays bounded
    // by the window, not the set); rules and replay then run in order.
    const WINDOW: usize = 64;
    let mut out = Vec::new();
    let mut index_of: Vec<Option<usize>> = Vec::new();
    let items: Vec<(&SetFile, &Option<String>)> = set.files.iter().zip(&planned.reported).collect();
    for window in items.chunks(WINDOW) {
        let loaded: Vec<std::io::Result<Loaded>> = window
            .par_iter()
            .map(|(f, reported)| {
                let bytes = std::fs::read(&f.path)?;
                let stmts = (!crate::run::looks_binary(&bytes)).then(|| {
                    let text = lossy(&bytes);
                    let display = (*reported).clone().unwrap_or_else(|| display_of(f));
                    let dialect = settings.dialect_for(&display, &text).dialect;
                    crate::sql::analyze(&text, dialect, crate::sql::Options::default())
                });
                Ok((bytes, stmts))
            })
            .collect();
        for ((f, reported), item) in window.iter().zip(loaded) {
            let display = (*reported).clone().unwrap_or_else(|| display_of(f));
            replay.next_file(&f.name, f.down);
            index_of.resize(replay.cur as usize + 1, None);
            let (bytes, stmts) = match item {
                Ok(b) => b,
                Err(e) => {
                    out.push(Err(FileError {
                        file: display,
                        message: format!("cannot read: {e}"),
                    }));
                    continue;
                }
            };
            let facts = crate::check::FileFacts {
                down: f.down && !settings.check_down,
            };
            replay.analyzed = stmts;
            let r = crate::run::check_text_in(
                &display,
                bytes,
                Lang::Sql,
                facts,
                settings,
                Some(&mut replay),
            );
            replay.analyzed = None;
            if reported.is_some() || r.is_err() {
                if r.is_ok() {
                    index_of[replay.cur as usize] = Some(out.len());
                }
                out.push(r);
            }
        }
    }
    // file index → its outcome, for findings that later files change
    let mut by_file: Vec<Option<&mut FileOutcome>> = Vec::new();
    let mut slots: Vec<Option<&mut FileOutcome>> =
        out.iter_mut().map(|r| r.as_mut().ok()).collect();
    for i in &index_of {
        by_file.push(i.and_then(|i| slots.get_mut(i).and_then(Option::take)));
    }
    replay.escalate_renames(&mut by_file, settings);
    out
}

/// `preflight check --explain-order DIR`: the convention, the order, and what the schema
/// model could not apply.
pub fn explain_order(dir: &Path, settings: &Settings) -> Result<String, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    let matcher = glob_matcher(&settings.migrations);
    let set = if matcher.as_ref().is_some_and(|m| m.is_match(normalize(dir))) {
        Some(detect::configured(dir))
    } else {
        detect::detect(dir)
    };
    let Some(set) = set else {
        return Err(format!(
            "{}: no migration convention detected (Flyway, golang-migrate, dbmate, Prisma, diesel, \
             Supabase, Django, numbered files); list it under `migrations` in preflight.toml",
            dir.display()
        ));
    };
    let mut s = format!("{}: {}\n", normalize(dir), set.convention.name());
    let chains = dialects::chains(&set.files);
    for (chain_dialect, files) in chains {
        if let Some(d) = chain_dialect {
            s.push_str(&format!("chain for {} (file-name variants):\n", d.name()));
        }
        explain_chain(&set, &files, settings, &mut s);
    }
    Ok(s)
}

/// One replay chain of `--explain-order`: its files in order, each file's dialect where it
/// changes, and what the schema model could not apply.
fn explain_chain(set: &MigrationSet, files: &[&SetFile], settings: &Settings, s: &mut String) {
    let mut replay = Replay::new(settings.check_down);
    if let Some(seed) = &set.seed {
        s.push_str(&format!("  seeded from schema dump {}\n", normalize(seed)));
        if let Ok(bytes) = std::fs::read(seed) {
            let text = lossy(&bytes);
            let d = settings.dialect_for(&normalize(seed), &text).dialect;
            replay.seed(&normalize(seed), &text, d);
        }
    }
    let mut n = 0;
    // the dialect note is shown on the first file and wherever it changes
    let mut shown_dialect: Option<String> = None;
    let mut errors = Vec::new();
    for f in files {
        replay.next_file(&f.name, f.down);
        if f.down {
            s.push_str(&format!("       {}  (down: not replayed)\n", f.name));
            continue;
        }
        n += 1;
        match std::fs::read(&f.path) {
            Ok(bytes) => {
                let text = lossy(&bytes);
                let choice = settings.dialect_for(&display_of(f), &text);
                let note = choice.describe();
                if shown_dialect.as_ref() != Some(&note) {
                    s.push_str(&format!("  {n:>4}  {}  ({note})\n", f.name));
                    shown_dialect = Some(note);
                } else {
                    s.push_str(&format!("  {n:>4}  {}\n", f.name));
                }
                replay.begin_text(&text);
                for stmt in
                    crate::sql::analyze(&text, choice.dialect, crate::sql::Options::default())
                {
                    if !replay.in_down_section(stmt.span.start) {
                        replay.apply_only(&stmt);
                    }
                }
            }
            Err(e) => {
                s.push_str(&format!("  {n:>4}  {}\n", f.name));
                errors.push(format!("{}: cannot read: {e}", f.name))
            }
        }
    }
    let sch = &replay.schema;
    s.push_str(&format!(
        "schema after replay: {} tables, {} views, {} indexes\n",
        sch.tables.len(),
        sch.views.len(),
        sch.indexes.len()
    ));
    for (o, kw) in &sch.not_understood {
        s.push_str(&format!(
            "  not understood (model unchanged): {}:{} {kw} …\n",
            sch.file_name(o.file),
            o.line
        ));
    }
    for e in errors {
        s.push_str(&format!("  error: {e}\n"));
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
