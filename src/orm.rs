//! Migrations written as code (Django, Alembic, and the other ORM front ends), as facts the
//! pipeline can run: each operation either a synthesised `sql::Statement` with its span on the
//! call, or SQL run as written, as a [`Template`] with a span map into the host-language string.
//! Front-end neutral: the language readers (`crate::python`, …) produce these; `check::orm`
//! runs them through the SQL and migration rules in order. The readers' expression values
//! share their helpers from here too (`value_methods!`, [`escape_char`], [`deeper`]).

use crate::source::Span;
use crate::sql::{AlterOp, Assignment, ColumnFacts, ObjName, ObjectKind, Statement, StmtKind};

mod index_ast;

/// A string literal's value, with where each byte came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// The value; each f-string hole is rendered as `${expr}` (its source text).
    pub text: String,
    /// For each byte of `text`, its byte offset in the host-language source (holes map to the hole).
    pub map: Vec<usize>,
    /// Spans of the `{…}` holes of f-strings, in order.
    pub holes: Vec<Span>,
    pub span: Span,
}

impl Template {
    /// An empty value at `span`, to be filled in.
    pub fn empty(span: Span) -> Template {
        Template {
            text: String::new(),
            map: Vec::new(),
            holes: Vec::new(),
            span,
        }
    }

    /// Source bytes `from..to` appended as written, each mapped to itself.
    pub fn push_raw(&mut self, src: &str, from: usize, to: usize) {
        if let Some(s) = src.get(from..to) {
            self.text.push_str(s);
            self.map.extend(from..to);
        }
    }

    /// A character an escape sequence at `at` stands for, every byte mapped to `at`.
    pub fn push_char(&mut self, ch: char, at: usize) {
        let mut buf = [0u8; 4];
        let enc = ch.encode_utf8(&mut buf);
        self.text.push_str(enc);
        self.map.extend(std::iter::repeat_n(at, enc.len()));
    }

    /// An escape sequence at `from..to`: the character it stands for, or as written when
    /// that is not known.
    pub fn push_escape(&mut self, ch: Option<char>, src: &str, from: usize, to: usize) {
        match ch {
            Some(ch) => self.push_char(ch, from),
            None => self.push_raw(src, from, to),
        }
    }

    /// The literal's value, when it has no holes.
    pub fn literal(&self) -> Option<&str> {
        self.holes.is_empty().then_some(self.text.as_str())
    }
    /// A span of `text` mapped into the host-language source.
    pub fn map_span(&self, s: Span) -> Span {
        let at = |i: usize| {
            self.map
                .get(i)
                .copied()
                .or_else(|| self.map.last().map(|&e| e + 1))
                .unwrap_or(self.span.start)
        };
        let start = at(s.start);
        let end = if s.end > s.start {
            at(s.end - 1) + 1
        } else {
            start
        };
        Span::new(start, end.max(start))
    }
}

/// What the backslash escapes Python and Ruby strings share stand for (`\n`, `\t`, `\r`,
/// `\\`, `\'`, `\"`), by the byte after the backslash.
pub fn escape_char(b: u8) -> Option<char> {
    match b {
        b'n' => Some('\n'),
        b't' => Some('\t'),
        b'r' => Some('\r'),
        b'\\' => Some('\\'),
        b'\'' => Some('\''),
        b'"' => Some('"'),
        _ => None,
    }
}

/// Nesting deeper than this reads as unknown in the expression readers (no stack overflow on
/// hostile input).
pub const MAX_DEPTH: usize = 64;

/// The depth of an expression's parts, or `None` when the expression is nested past
/// [`MAX_DEPTH`] itself.
pub fn deeper(depth: usize) -> Option<usize> {
    (depth <= MAX_DEPTH).then_some(depth + 1)
}

/// What one operation of a migration does to the database.
#[derive(Clone, Debug)]
pub enum Effect {
    /// A schema or data change, as the statement the framework runs.
    Statement(Statement),
    /// SQL run as written (`RunSQL`, `op.execute`): checked by the SQL front end, its spans
    /// mapped into the Python file through the template.
    Sql(Template),
}

#[derive(Clone, Debug)]
pub struct Fact {
    pub effect: Effect,
    /// The operation in the framework's words (`` `RemoveField` ``, `` `op.drop_column` ``).
    pub verb: String,
    /// On the down side (`reverse_sql`, `downgrade()`, a `RunPython` reverse function).
    pub down: bool,
}

/// A migration file's operations, in the order they run, and what could not be read.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub facts: Vec<Fact>,
    /// Operations whose arguments are not literals (model unchanged): (span, what).
    pub not_understood: Vec<(Span, String)>,
    /// Writes that are code, not literal SQL (`connection.execute(sa.update(t).values(…))`):
    /// where, and the words they mention. A column they mention may have been filled.
    pub code_writes: Vec<(Span, Vec<String>)>,
}

/// The identifier-like words of `code` (sorted, deduplicated).
pub fn words_of(code: &str) -> Vec<String> {
    let mut out: Vec<String> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A table name as the framework passes it to the database.
pub fn table_name(name: &str) -> ObjName {
    let parts: Vec<(String, bool)> = name
        .split('.')
        .map(|p| {
            let p = p.trim_matches('"');
            (p.to_string(), p.chars().any(|c| c.is_ascii_uppercase()))
        })
        .collect();
    ObjName::from_parts(&parts)
}

/// `ALTER TABLE table <op>`, one operation.
pub fn alter(table: &str, op: AlterOp) -> StmtKind {
    StmtKind::AlterTable {
        name: table_name(table),
        ops: vec![op],
    }
}

/// `DROP <object> [IF EXISTS] name [CASCADE]`.
pub fn drop(object: ObjectKind, name: &str, if_exists: bool, cascade: bool) -> StmtKind {
    StmtKind::Drop {
        object,
        names: vec![table_name(name)],
        if_exists,
        cascade,
        temporary: false,
    }
}

/// `CREATE TABLE name (columns)`, plain (not temporary, no `IF NOT EXISTS`).
pub fn create_table(name: ObjName, columns: Vec<ColumnFacts>) -> StmtKind {
    StmtKind::CreateTable {
        name,
        temporary: false,
        if_not_exists: false,
        or_replace: false,
        columns,
    }
}

/// `UPDATE table SET c = … , …` on every row, values unknown.
pub fn update_all(table: ObjName, columns: impl IntoIterator<Item = String>) -> StmtKind {
    StmtKind::Update {
        table: Some(table),
        predicate: None,
        assignments: columns
            .into_iter()
            .map(|column| Assignment {
                column,
                value: None,
            })
            .collect(),
        limited: false,
    }
}

/// `need_literal!(walker, span, verb, option)`: the value in `option`; when it is `None`, the
/// walker is told (`not_understood`: "`verb` with arguments that are not literals") and the
/// calling function returns its default.
macro_rules! need_literal {
    ($w:expr, $span:expr, $verb:expr, $e:expr) => {
        match $e {
            Some(v) => v,
            None => {
                $w.not_understood(
                    $span,
                    &format!("`{}` with arguments that are not literals", $verb),
                );
                return Default::default();
            }
        }
    };
}
pub(crate) use need_literal;

/// The helpers every front end's expression `Value` enum shares (each keeps its own enum),
/// generated as inherent methods: `span()`, `str()` (a string literal without holes) and
/// `as_bool()`. Every such enum has `Str(Template)` and `Bool(bool, Span)`; the call names its
/// other variants by where their span is: `structs` hold a struct with a `span` field
/// (`Call(c)`), `pairs` carry the span last (`Int(_, s)`), `spans` are only a span.
macro_rules! value_methods {
    ($value:ident; structs: $($st:ident),*; pairs: $($pair:ident),*; spans: $($one:ident),*) => {
        impl $value {
            pub fn span(&self) -> $crate::source::Span {
                match self {
                    $value::Str(t) => t.span,
                    $($value::$st(x) => x.span,)*
                    $value::Bool(_, s) $(| $value::$pair(_, s))* $(| $value::$one(s))* => *s,
                }
            }
            /// A string literal without holes.
            pub fn str(&self) -> Option<&str> {
                match self {
                    $value::Str(t) => t.literal(),
                    _ => None,
                }
            }
            pub fn as_bool(&self) -> Option<bool> {
                match self {
                    $value::Bool(b, _) => Some(*b),
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use value_methods;

/// A statement synthesised for an operation; `span` is the operation in the Python file.
pub fn statement(kind: StmtKind, span: Span, keyword: &str) -> Statement {
    Statement {
        span,
        kind,
        ast: None,
        parse_error: None,
        in_body: false,
        not_parsed: false,
        keyword: keyword.to_string(),
        actions: Vec::new(),
    }
}

/// A synthesised `CREATE INDEX` that also tells the model which columns the index covers
/// (the model reads them from the statement's tree, as for SQL files): `columns` as the
/// framework names them, `method` its `USING`, `predicate` its `WHERE` (SQL text). Any of
/// them that SQL cannot parse leaves the statement without a tree: the index's columns are
/// then unknown (it covers nothing, as before).
pub fn index_statement(
    kind: StmtKind,
    columns: &[String],
    method: Option<&str>,
    predicate: Option<&str>,
    span: Span,
) -> Statement {
    index_statement_in(kind, columns, method, predicate, span, true)
}

/// [`index_statement`]; `fast`: a plain statement's tree from the parser alone.
fn index_statement_in(
    kind: StmtKind,
    columns: &[String],
    method: Option<&str>,
    predicate: Option<&str>,
    span: Span,
    fast: bool,
) -> Statement {
    let mut st = statement(kind, span, "CREATE");
    let StmtKind::CreateIndex { table, unique, .. } = &st.kind else {
        return st;
    };
    if columns.is_empty() {
        return st;
    }
    let unique = *unique;
    let (schema, name) = crate::model::schema::key(table);
    let plain = fast
        && predicate.is_none()
        && method.is_none_or(is_word)
        && [schema.as_str(), name.as_str()]
            .into_iter()
            .chain(columns.iter().map(String::as_str))
            .all(is_word);
    if plain && method.is_none() {
        // the tree the parser gives the SQL below, built without printing and parsing it
        st.ast = Some(Box::new(index_ast::create_index(
            unique, &schema, &name, columns,
        )));
        return st;
    }
    with_ast_of(
        st,
        &index_sql(unique, &schema, &name, columns, method, predicate),
        plain,
    )
}

/// The SQL a synthesised index stands for (`i` its name; names quoted).
fn index_sql(
    unique: bool,
    schema: &str,
    name: &str,
    columns: &[String],
    method: Option<&str>,
    predicate: Option<&str>,
) -> String {
    let q = |x: &str| format!("\"{}\"", x.replace('"', "\"\""));
    format!(
        "CREATE {}INDEX i ON {}.{} {}({}){}",
        if unique { "UNIQUE " } else { "" },
        q(schema),
        q(name),
        method.map_or(String::new(), |m| format!("USING {m} ")),
        columns.iter().map(|c| q(c)).collect::<Vec<_>>().join(", "),
        predicate.map_or(String::new(), |p| format!(" WHERE {p}")),
    )
}

/// Letters, digits and `_` only (a name quoted in synthesised SQL needs no escaping).
fn is_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `st` with the PostgreSQL AST of `sql` (the statement it stands for), when `sql` parses as
/// exactly one statement; unchanged otherwise. `plain`: `sql` is keywords, plain names in
/// double quotes, parentheses, commas and a dot on one line — one statement to the
/// splitter, nothing to mask: `analyze` would parse it whole and keep the first tree, so
/// the parser alone gives the same tree without the rest of `analyze`'s work.
fn with_ast_of(mut st: Statement, sql: &str, plain: bool) -> Statement {
    if plain {
        if let Ok(mut v) = crate::sql::parse(sql, crate::source::Dialect::Postgres)
            && !v.is_empty()
        {
            st.ast = Some(Box::new(v.swap_remove(0)));
        }
        return st;
    }
    let mut v = crate::sql::analyze(
        sql,
        crate::source::Dialect::Postgres,
        crate::sql::Options::default(),
    );
    if v.len() == 1 && v[0].parse_error.is_none() && !v[0].not_parsed {
        st.ast = v.remove(0).ast;
    }
    st
}

/// A synthesised `ALTER TABLE table ADD CONSTRAINT name UNIQUE (columns)` (a framework's
/// unique constraint): the model knows it as a unique index named `name` on `columns`, as
/// for SQL files. Without a name or plain columns, or when SQL cannot parse them, the
/// statement changes nothing (an `ALTER TABLE` the model only touches).
pub fn unique_statement(
    table: &str,
    name: Option<&str>,
    columns: &[String],
    span: Span,
) -> Statement {
    unique_statement_in(table, name, columns, span, true)
}

/// [`unique_statement`]; `fast` as for [`index_statement_in`].
fn unique_statement_in(
    table: &str,
    name: Option<&str>,
    columns: &[String],
    span: Span,
    fast: bool,
) -> Statement {
    let st = statement(alter(table, AlterOp::Other), span, "ALTER");
    let (Some(name), false) = (name, columns.is_empty()) else {
        return st;
    };
    let q = |x: &str| format!("\"{}\"", x.replace('"', "\"\""));
    let (schema, t) = crate::model::schema::key(&table_name(table));
    let sql = format!(
        "ALTER TABLE {}.{} ADD CONSTRAINT {} UNIQUE ({})",
        q(&schema),
        q(&t),
        q(name),
        columns.iter().map(|c| q(c)).collect::<Vec<_>>().join(", "),
    );
    let plain = fast
        && [schema.as_str(), t.as_str(), name]
            .into_iter()
            .chain(columns.iter().map(String::as_str))
            .all(is_word);
    with_ast_of(st, &sql, plain)
}

/// Column names as a framework passes them (`["a", "b"]`), when every one is a plain
/// identifier (letters, digits, `_`): anything else (an expression, `lower(c)`, `a DESC`, a
/// value that is not a literal) leaves the index's columns unknown.
pub fn plain_columns<'a>(names: impl IntoIterator<Item = Option<&'a str>>) -> Option<Vec<String>> {
    let word = |c: &str| !c.is_empty() && c.chars().all(|x| x.is_ascii_alphanumeric() || x == '_');
    let v: Option<Vec<String>> = names
        .into_iter()
        .map(|n| n.filter(|c| word(c)).map(str::to_string))
        .collect();
    v.filter(|v| !v.is_empty())
}

/// The span of a call cut at the end of its first line (findings point at the operation's
/// line, not the whole call).
pub fn head_span(src: &str, s: Span) -> Span {
    let end = src
        .get(s.start..s.end)
        .and_then(|t| t.find('\n'))
        .map_or(s.end, |i| s.start + i);
    Span::new(s.start, end.max(s.start))
}

/// Every comment that mentions `preflight:` in a tree-sitter `tree` of `src`, with what it
/// covers: on its own line, the next statement or list item (a whole operation or call;
/// inside a node whose kind is in `bodies`, its first statement); at the end of a line, the
/// operation or call that ends on that line. The same for every ORM language.
pub fn comment_covers(tree: &tree_sitter::Tree, src: &str, bodies: &[&str]) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "comment" {
            if !src
                .get(n.start_byte()..n.end_byte())
                .is_some_and(|t| t.contains("preflight:"))
            {
                continue;
            }
            let line_start = src[..n.start_byte()].rfind('\n').map_or(0, |i| i + 1);
            let own_line = src[line_start..n.start_byte()].trim().is_empty();
            let line_end = src[n.end_byte()..]
                .find('\n')
                .map_or(src.len(), |i| n.end_byte() + i);
            let cover = if own_line {
                let mut next = n.next_named_sibling();
                while let Some(x) = next.filter(|x| x.kind() == "comment") {
                    next = x.next_named_sibling();
                }
                // a comment first in a method or block precedes its body: the body's first
                // statement
                while let Some(x) = next.filter(|x| bodies.contains(&x.kind())) {
                    let mut c = x.walk();
                    next = x.named_children(&mut c).find(|y| y.kind() != "comment");
                }
                next.map(|x| Span::new(x.start_byte(), x.end_byte()))
            } else {
                let mut prev = n.prev_named_sibling();
                while let Some(x) = prev.filter(|x| x.kind() == "comment") {
                    prev = x.prev_named_sibling();
                }
                prev.filter(|x| x.end_position().row == n.start_position().row)
                    .map(|x| Span::new(x.start_byte(), x.end_byte()))
            };
            out.push((
                Span::new(n.start_byte(), n.end_byte()),
                cover.unwrap_or(Span::new(line_start, line_end)),
            ));
            continue;
        }
        let mut c = n.walk();
        for ch in n.children(&mut c) {
            stack.push(ch);
        }
    }
    out.sort_by_key(|(c, _)| c.start);
    out
}

#[cfg(test)]
mod ast_tests {
    use super::*;

    /// The parser alone gives a plain synthesised statement the tree `analyze` gives it
    /// (spans included); names that are not plain take `analyze`.
    #[test]
    fn plain_statements_get_the_tree_analyze_gives() {
        let cols = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let index = |table: &str, unique: bool| StmtKind::CreateIndex {
            name: Some(crate::sql::model::ObjName::from_parts(&[(
                "i".into(),
                false,
            )])),
            table: crate::sql::model::ObjName::from_parts(
                &table
                    .split('.')
                    .map(|p| (p.to_string(), false))
                    .collect::<Vec<_>>(),
            ),
            concurrently: false,
            unique,
        };
        let span = Span::new(3, 9);
        let mut n = 0;
        for table in ["users", "public.users", "s1.T_2", "select", "9x"] {
            for columns in [cols(&["a"]), cols(&["a", "b_2", "C"]), cols(&["from", "9"])] {
                for method in [None, Some("gin"), Some("btree")] {
                    for unique in [false, true] {
                        let kind = index(table, unique);
                        let fast = index_statement(kind.clone(), &columns, method, None, span);
                        let slow = index_statement_in(kind, &columns, method, None, span, false);
                        assert!(fast.ast.is_some(), "{table} {columns:?}");
                        assert_eq!(format!("{:?}", fast.ast), format!("{:?}", slow.ast));
                        n += 1;
                    }
                }
            }
            let columns = cols(&["a", "b"]);
            let fast = unique_statement(table, Some("u_1"), &columns, span);
            let slow = unique_statement_in(table, Some("u_1"), &columns, span, false);
            assert!(fast.ast.is_some(), "{table}");
            assert_eq!(format!("{:?}", fast.ast), format!("{:?}", slow.ast));
        }
        assert_eq!(n, 5 * 3 * 3 * 2);
        // not plain: analyze decides (a predicate, a quote in a name)
        let kind = index("users", false);
        let st = index_statement(kind.clone(), &cols(&["a\"b"]), None, None, span);
        assert!(st.ast.is_some());
        let st = index_statement(kind, &cols(&["a"]), None, Some("a > 1; DROP TABLE x"), span);
        assert!(st.ast.is_none());
    }
}
