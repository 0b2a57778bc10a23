//! Which SQL dialect a file is written in, chosen the way a person would, first match wins:
//! `--dialect` › `[[per-file]] dialect` › the migration framework's convention (file-name
//! infixes, directory names, Prisma's `migration_lock.toml`) › the content › `dialect` in
//! config › PostgreSQL. The front end only reads plain values here (no config, no CLI).

use crate::source::Dialect;
use std::path::Path;

/// Why a file is read in its dialect (shown by `--explain-order` and in parse-error messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// `--dialect` on the command line.
    Flag,
    /// `[[per-file]] dialect` in preflight.toml, with the entry's glob.
    PerFile(String),
    /// A file-name infix such as `.mysql.` (the pattern as `*.mysql.*`).
    FileName(String),
    /// A directory on the path named after the dialect (`mysql/`).
    Directory(String),
    /// Prisma's `migration_lock.toml` names the provider.
    PrismaLock,
    /// The content gives it away (what was seen).
    Content(&'static str),
    /// `dialect` in preflight.toml.
    Config,
    /// Nothing said otherwise.
    Default,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub dialect: Dialect,
    pub reason: Reason,
}

impl Choice {
    pub fn new(dialect: Dialect, reason: Reason) -> Choice {
        Choice { dialect, reason }
    }
    /// "file name `*.mysql.*`", "`--dialect`", …
    pub fn why(&self) -> String {
        match &self.reason {
            Reason::Flag => "`--dialect`".to_string(),
            Reason::PerFile(g) => format!("[[per-file]] glob `{g}` in preflight.toml"),
            Reason::FileName(p) => format!("file name `{p}`"),
            Reason::Directory(d) => format!("directory `{d}/`"),
            Reason::PrismaLock => "Prisma migration_lock.toml".to_string(),
            Reason::Content(what) => format!("content: {what}"),
            Reason::Config => "`dialect` in preflight.toml".to_string(),
            Reason::Default => "default".to_string(),
        }
    }
    /// "read as MySQL (file name `*.mysql.*`)".
    pub fn describe(&self) -> String {
        format!("read as {} ({})", self.dialect.name(), self.why())
    }
    /// Chosen from the file itself (name, directory, content), not from settings.
    pub fn from_file(&self) -> bool {
        matches!(
            self.reason,
            Reason::FileName(_) | Reason::Directory(_) | Reason::PrismaLock | Reason::Content(_)
        )
    }
}

/// The whole precedence. `per_file` is the first matching `[[per-file]]` entry with a
/// dialect (its dialect and glob).
pub fn choose(
    path: &str,
    text: &str,
    forced: Option<Dialect>,
    per_file: Option<(Dialect, &str)>,
    config: Option<Dialect>,
) -> Choice {
    if let Some(d) = forced {
        return Choice::new(d, Reason::Flag);
    }
    if let Some((d, glob)) = per_file {
        return Choice::new(d, Reason::PerFile(glob.to_string()));
    }
    if let Some(c) = by_path(path) {
        return c;
    }
    if let Some(c) = by_content(text) {
        return c;
    }
    match config {
        Some(d) => Choice::new(d, Reason::Config),
        None => Choice::new(Dialect::Postgres, Reason::Default),
    }
}

/// The dialect a file-name infix names: `x.mysql.up.sql`, `x.sqlite3.sql`, `x_h2.sql`.
fn infix(name: &str) -> Option<(Dialect, String)> {
    let lower = name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('.').collect();
    // the extension itself is never the marker; the stem's dotted parts are
    for part in parts.iter().take(parts.len().saturating_sub(1)).skip(1) {
        if let Some(d) = dialect_word(part) {
            return Some((d, format!("*.{part}.*")));
        }
    }
    // `V1__init_h2.sql`, `schema-mysql.sql`: a suffix after `_` or `-` on the stem
    let stem = parts.first().copied().unwrap_or("");
    if parts.len() >= 2 {
        for sep in ['_', '-'] {
            if let Some((_, tail)) = stem.rsplit_once(sep)
                && let Some(d) = dialect_word(tail)
            {
                return Some((d, format!("*{sep}{tail}.{}", parts[parts.len() - 1])));
            }
        }
    }
    None
}

/// A word that names a dialect in file and directory names.
fn dialect_word(w: &str) -> Option<Dialect> {
    Some(match w {
        "postgres" | "postgresql" | "pg" | "pgsql" => Dialect::Postgres,
        "mysql" | "mariadb" => Dialect::Mysql,
        "sqlite" | "sqlite3" => Dialect::Sqlite,
        "cockroach" | "cockroachdb" | "crdb" => Dialect::Cockroach,
        "clickhouse" => Dialect::Clickhouse,
        "mssql" | "sqlserver" | "tsql" => Dialect::Mssql,
        "h2" | "hsqldb" | "hsql" | "oracle" | "db2" => Dialect::Generic,
        _ => return None,
    })
}

/// The framework convention: a file-name infix, Prisma's lock file, or a directory name.
pub fn by_path(path: &str) -> Option<Choice> {
    let p = Path::new(path);
    let name = p.file_name()?.to_str()?;
    if let Some((d, pat)) = infix(name) {
        return Some(Choice::new(d, Reason::FileName(pat)));
    }
    if name == "migration.sql"
        && let Some(lock) = p.parent().and_then(Path::parent)
        && let Ok(text) = std::fs::read_to_string(lock.join("migration_lock.toml"))
        && let Some(d) = prisma_provider(&text)
    {
        return Some(Choice::new(d, Reason::PrismaLock));
    }
    for dir in p.parent()?.iter().rev() {
        let Some(d) = dir.to_str() else { continue };
        let lower = d.to_ascii_lowercase();
        // `mysql`, `postgres`, and also `migrations_mysql` / `mysql-migrations`
        let hit = dialect_word(&lower).or_else(|| {
            lower
                .split(['_', '-', '.'])
                .filter(|w| w.len() > 2)
                .find_map(dialect_word)
        });
        if let Some(dialect) = hit {
            return Some(Choice::new(dialect, Reason::Directory(d.to_string())));
        }
    }
    None
}

fn prisma_provider(text: &str) -> Option<Dialect> {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("provider"))?;
    let value = line.split_once('=')?.1.trim().trim_matches('"');
    Some(match value {
        "postgresql" | "postgres" => Dialect::Postgres,
        "mysql" => Dialect::Mysql,
        "sqlite" => Dialect::Sqlite,
        "sqlserver" => Dialect::Mssql,
        "cockroachdb" => Dialect::Cockroach,
        _ => return None,
    })
}

/// How much of a file content sniffing reads (the markers show up early in practice).
const SNIFF_BYTES: usize = 16 * 1024;

/// Strong content markers of one dialect. PostgreSQL markers (`$$`, `::`) only count when no
/// other dialect's marker is present, since they are the default anyway.
pub fn by_content(text: &str) -> Option<Choice> {
    let mut end = text.len().min(SNIFF_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // one lower-cased copy of the window, then plain substring searches (fast)
    let lower = text[..end].to_ascii_lowercase();
    let t = lower.as_str();
    let has_ci = |needle: &str| t.contains(needle);
    let c = |d, what| Some(Choice::new(d, Reason::Content(what)));
    if has_ci("engine = mergetree")
        || has_ci("engine=mergetree")
        || has_ci("replacingmergetree")
        || has_ci(" on cluster ")
    {
        return c(
            Dialect::Clickhouse,
            "ClickHouse `ENGINE = …MergeTree` / `ON CLUSTER`",
        );
    }
    if t.contains("$$") || t.contains("::") || t.contains("language plpgsql") {
        return c(Dialect::Postgres, "PostgreSQL `$$` / `::`");
    }
    if (t.starts_with("go") || t.contains("\ngo")) && has_go_line(t)
        || has_ci("[dbo].")
        || has_ci("identity(1,1)")
        || has_ci("nvarchar(max)")
    {
        return c(
            Dialect::Mssql,
            "T-SQL `GO` batches / `[dbo].` / `IDENTITY(1,1)`",
        );
    }
    if has_ci("engine=innodb")
        || has_ci("engine = innodb")
        || has_ci("engine=myisam")
        || has_ci(" auto_increment")
        || t.contains("delimiter ") && line_starts_ci(t, "delimiter ")
        || backtick_ident(t)
    {
        return c(
            Dialect::Mysql,
            "MySQL backtick identifiers / `ENGINE=` / `AUTO_INCREMENT`",
        );
    }
    if t.contains("pragma ") && line_starts_ci(t, "pragma ") || has_ci(" autoincrement") {
        return c(Dialect::Sqlite, "SQLite `PRAGMA` / `AUTOINCREMENT`");
    }
    None
}

fn line_starts_ci(t: &str, prefix: &str) -> bool {
    t.lines().any(|l| {
        let l = l.trim_start();
        l.len() >= prefix.len()
            && l.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    })
}

/// A line that is just `GO` (T-SQL batch separator), optionally with a count.
fn has_go_line(t: &str) -> bool {
    t.lines().any(|l| {
        let l = l.trim();
        l.len() >= 2
            && l.as_bytes()[..2].eq_ignore_ascii_case(b"GO")
            && l[2..].trim().bytes().all(|b| b.is_ascii_digit())
    })
}

/// `` `name` `` used as an identifier after a DDL keyword (not inside a comment or string,
/// which a quick scan cannot tell for sure, so it asks for the keyword right before it).
/// `t` is lower-cased.
fn backtick_ident(t: &str) -> bool {
    t.contains('`')
        && [
            "table `", "exists `", "into `", "update `", "from `", "column `", "on `",
        ]
        .iter()
        .any(|k| t.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(path: &str, text: &str) -> (Dialect, String) {
        let c = choose(path, text, None, None, None);
        (c.dialect, c.why())
    }

    #[test]
    fn file_name_infixes_win_over_content() {
        assert_eq!(
            pick("m/20200101_init.mysql.up.sql", "CREATE TABLE a (id int);"),
            (Dialect::Mysql, "file name `*.mysql.*`".to_string())
        );
        assert_eq!(pick("m/1.sqlite3.up.sql", "x").0, Dialect::Sqlite);
        assert_eq!(pick("m/1.cockroach.up.sql", "x").0, Dialect::Cockroach);
        assert_eq!(pick("m/1.postgres.down.sql", "`a`").0, Dialect::Postgres);
        assert_eq!(
            pick("db/V1__init_h2.sql", "x"),
            (Dialect::Generic, "file name `*_h2.sql`".to_string())
        );
    }

    #[test]
    fn directories_name_the_dialect() {
        assert_eq!(
            pick("db/migrations/mysql/000001_init.up.sql", "x"),
            (Dialect::Mysql, "directory `mysql/`".to_string())
        );
        assert_eq!(pick("x/clickhouse/a.sql", "x").0, Dialect::Clickhouse);
        assert_eq!(pick("x/sqlserver/a.sql", "x").0, Dialect::Mssql);
        assert_eq!(pick("x/postgresql/a.sql", "`a`").0, Dialect::Postgres);
        // a word inside a longer name is not a directory convention
        assert_eq!(pick("mysqlish/a.sql", "x").0, Dialect::Postgres);
    }

    #[test]
    fn content_markers() {
        assert_eq!(
            pick("a.sql", "CREATE TABLE `a` (id int) ENGINE=InnoDB;").0,
            Dialect::Mysql
        );
        assert_eq!(
            pick(
                "a.sql",
                "CREATE TABLE a ON CLUSTER c (x Int8) ENGINE = MergeTree ORDER BY x;"
            )
            .0,
            Dialect::Clickhouse
        );
        assert_eq!(
            pick("a.sql", "CREATE TABLE [dbo].[a] (x int)\nGO\n").0,
            Dialect::Mssql
        );
        assert_eq!(
            pick("a.sql", "PRAGMA foreign_keys = ON;").0,
            Dialect::Sqlite
        );
        assert_eq!(pick("a.sql", "SELECT 1::int;").0, Dialect::Postgres);
        assert_eq!(pick("a.sql", "SELECT 1").1, "default");
    }

    #[test]
    fn settings_order() {
        let c = choose("a.mysql.sql", "", Some(Dialect::Sqlite), None, None);
        assert_eq!((c.dialect, c.reason), (Dialect::Sqlite, Reason::Flag));
        let c = choose(
            "a.mysql.sql",
            "",
            None,
            Some((Dialect::Clickhouse, "ch/**")),
            None,
        );
        assert_eq!(c.dialect, Dialect::Clickhouse);
        let c = choose("a.sql", "SELECT 1", None, None, Some(Dialect::Mysql));
        assert_eq!((c.dialect, &c.reason), (Dialect::Mysql, &Reason::Config));
        assert_eq!(c.describe(), "read as MySQL (`dialect` in preflight.toml)");
    }
}
