//! Source files, byte spans and the line index that turns spans into 1-based positions.

use serde::Serialize;

/// SQL dialect used to parse statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    #[default]
    Postgres,
    Mysql,
    Sqlite,
    Generic,
    Clickhouse,
    /// T-SQL (SQL Server), with `GO` batch separators.
    Mssql,
    /// CockroachDB: PostgreSQL's grammar, its own behaviour (online schema changes).
    Cockroach,
}

impl Dialect {
    pub fn parse(name: &str) -> Option<Dialect> {
        match name.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Some(Dialect::Postgres),
            "mysql" | "mariadb" => Some(Dialect::Mysql),
            "sqlite" | "sqlite3" => Some(Dialect::Sqlite),
            "generic" | "ansi" => Some(Dialect::Generic),
            "clickhouse" => Some(Dialect::Clickhouse),
            "mssql" | "sqlserver" | "tsql" | "t-sql" => Some(Dialect::Mssql),
            "cockroach" | "cockroachdb" | "crdb" => Some(Dialect::Cockroach),
            _ => None,
        }
    }
    /// The id used in config and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
            Dialect::Generic => "generic",
            Dialect::Clickhouse => "clickhouse",
            Dialect::Mssql => "mssql",
            Dialect::Cockroach => "cockroach",
        }
    }
    /// The name messages use.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::Mysql => "MySQL",
            Dialect::Sqlite => "SQLite",
            Dialect::Generic => "generic SQL",
            Dialect::Clickhouse => "ClickHouse",
            Dialect::Mssql => "T-SQL",
            Dialect::Cockroach => "CockroachDB",
        }
    }
    /// PostgreSQL's grammar (PostgreSQL and CockroachDB).
    pub fn is_postgres_like(self) -> bool {
        matches!(self, Dialect::Postgres | Dialect::Cockroach)
    }
    pub const ALL: &'static str =
        "postgres, mysql, sqlite, clickhouse, mssql, cockroach or generic";
}

/// What a file is, once classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Sql,
    Shell,
    /// Django and Alembic migrations.
    Python,
    /// Knex, TypeORM and Sequelize migrations (JavaScript / TypeScript).
    Js,
    /// Laravel migrations.
    Php,
    /// Rails migrations.
    Ruby,
}

impl Lang {
    pub fn parse(name: &str) -> Option<Lang> {
        match name.to_ascii_lowercase().as_str() {
            "sql" => Some(Lang::Sql),
            "shell" | "sh" | "bash" => Some(Lang::Shell),
            "python" | "py" => Some(Lang::Python),
            "js" | "javascript" | "ts" | "typescript" => Some(Lang::Js),
            "php" => Some(Lang::Php),
            "ruby" | "rb" => Some(Lang::Ruby),
            _ => None,
        }
    }
}

/// A half-open byte range `[start, end)` into a source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// This span moved by `offset` bytes (used when a text was cut out of a larger one).
    pub fn shift(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }
}

/// One file to check: read once, decoded lossily (the lossy decode is reported by the caller).
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as given on the command line (relative paths stay relative), or the stdin name.
    pub path: String,
    pub text: String,
    pub lang: Lang,
}

/// Byte offsets of line starts, for turning byte offsets into 1-based line/column pairs.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The full text of the 1-based line, without its line break.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(text.len(), |e| *e);
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b'\n').then_some(i))
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `a/./b/../c` → `a/c` without touching the file system.
pub fn lexical(p: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\nçd\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 3), Position { line: 2, column: 1 });
        // 'd' is after a two-byte character
        assert_eq!(idx.position(text, 5), Position { line: 2, column: 2 });
        assert_eq!(idx.line_text(text, 2), "çd");
    }
}
