//! SQL front end: split → parse each statement with sqlparser → plain facts ([`StmtKind`]).
//! A statement sqlparser cannot parse is read by tokens (fail closed), and statements inside
//! plpgsql bodies (`DO $$ … $$`, `CREATE FUNCTION … AS $$ … $$`) are split and read too.

mod actions;
mod ast_facts;
mod chunks;
pub mod dialect;
mod fast_split;
mod fast_tokens;
mod fast_update;
pub mod lexer;
pub mod model;
pub mod psql;
mod recover;
pub mod split;
pub mod template;
mod token_facts;

use crate::source::{Dialect, Span};
use chunks::{line_chunks, nesting, run_together};
use lexer::{Token, TokenKind};
pub use model::*;
use sqlparser::parser::Parser;

/// One analysed statement. Spans are relative to the text given to [`analyze`].
#[derive(Debug, Clone)]
pub struct Statement {
    /// From the first keyword to the last token (terminator excluded).
    pub span: Span,
    pub kind: StmtKind,
    /// sqlparser's tree, when it parsed.
    pub ast: Option<Box<sqlparser::ast::Statement>>,
    /// Why sqlparser refused the statement (the facts then come from tokens).
    pub parse_error: Option<String>,
    /// The statement sits inside a routine body (plpgsql); it runs when the routine is called.
    pub in_body: bool,
    /// First keyword, upper-cased (`DROP`, `ALTER`, …).
    pub keyword: String,
    /// sqlparser refused it, and it cannot destroy data (or its tokens told everything it
    /// can): read by tokens, no finding, counted in `summary.not_parsed`.
    pub not_parsed: bool,
    /// `ALTER TABLE` with two or more actions: the span of each, aligned with its `ops`
    /// (empty otherwise, or when the pieces could not be matched to the operations).
    pub actions: Vec<Span>,
}

impl Statement {
    /// The span of the `i`-th action of a multi-action `ALTER TABLE`, for a finding about
    /// that action alone (`None`: the statement has one action, or it is not known).
    pub fn action(&self, i: usize) -> Option<Span> {
        self.actions.get(i).copied()
    }
    /// Move the statement's spans into another text (SQL cut out of a string in code).
    pub fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        self.span = f(self.span);
        for a in &mut self.actions {
            *a = f(*a);
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `$VAR` / `${VAR}` are shell expansions (SQL lifted out of a script), kept opaque.
    pub shell_vars: bool,
}

/// Statements (by first keyword) no rule looks at: not worth a parse (large seed-data INSERTs are most of the
/// bytes of a migration corpus).
fn skip_parse(keyword: &str) -> bool {
    matches!(
        keyword,
        "INSERT"
            | "SELECT"
            | "VALUES"
            | "COPY"
            | "SET"
            | "SHOW"
            | "COMMENT"
            | "GRANT"
            | "REVOKE"
            | "BEGIN"
            | "COMMIT"
            | "ROLLBACK"
            | "START"
            | "SAVEPOINT"
            | "RELEASE"
            | "END"
            | "ANALYZE"
            | "VACUUM"
            | "REFRESH"
            | "LOCK"
            | "USE"
            | "PRAGMA"
            | "CALL"
            | "NOTIFY"
            | "LISTEN"
            | "DECLARE"
            | "FETCH"
            | "CLOSE"
            | "RESET"
            | "DISCARD"
            | "CHECKPOINT"
            | "CLUSTER"
            | "REINDEX"
            | "SECURITY"
            | "PREPARE"
            | "EXECUTE"
            | "DEALLOCATE"
            // plpgsql block: its body is split and read below
            | "DO"
    )
}

pub fn analyze(src: &str, dialect: Dialect, opts: Options) -> Vec<Statement> {
    analyze_with(src, dialect, opts, true)
}

/// [`analyze`] for a caller that reads only the statements' facts, never sqlparser's tree
/// (`Statement::ast`): a plain PostgreSQL `UPDATE`'s facts are read from its tokens and it
/// gets no tree (`fast_update::kind`); every other statement is as [`analyze`] gives it.
pub fn analyze_facts(src: &str, dialect: Dialect, opts: Options) -> Vec<Statement> {
    analyze_with(src, dialect, opts, false)
}

/// What every statement of one analysed text shares.
#[derive(Clone, Copy)]
struct Text<'a> {
    /// The text as read: template holes and shell expansions masked.
    text: &'a str,
    /// The text as written.
    original: &'a str,
    dialect: Dialect,
    /// The caller reads the trees ([`analyze`]), or only the facts ([`analyze_facts`]).
    trees: bool,
}

fn analyze_with(src: &str, dialect: Dialect, opts: Options, trees: bool) -> Vec<Statement> {
    let mut out = Vec::new();
    // template holes (and shell expansions) become same-length placeholders
    let masked = template::mask(src, dialect, opts.shell_vars);
    let text: &str = masked.as_ref().map_or(src, |m| m.text.as_str());
    let at = Text {
        text,
        original: src,
        dialect,
        trees,
    };
    // a plain text is lexed once, for the split and the parse
    if let Some((stmts, lite)) = fast_split::split(text) {
        for (raw, range) in stmts {
            let (t, s, l) = (&raw.tokens, raw.span, lite.get(range));
            analyze_one(at, t, s, false, false, l, &mut out);
        }
    } else {
        for raw in split::split(text, dialect) {
            let (t, s, u) = (&raw.tokens, raw.span, raw.unterminated);
            analyze_one(at, t, s, u, false, None, &mut out);
        }
    }
    if let Some(m) = &masked {
        for stmt in &mut out {
            let (s, e) = (stmt.span.start, stmt.span.end);
            let holes: Vec<Span> = m
                .holes
                .iter()
                .filter(|h| h.start >= s && h.end <= e)
                .copied()
                .collect();
            if holes.is_empty() {
                continue;
            }
            stmt.kind.for_each_name(&mut |n| {
                n.display = template::unmask(&n.display, text, src, &holes)
            });
            if let Some(pe) = &mut stmt.parse_error {
                *pe = template::unmask(pe, text, src, &holes);
            }
        }
    }
    out
}

/// Analyse one statement (`tokens`, `span` in `at.text`); `lite`: its fast tokens, spans in
/// the whole text, when the one-pass split read them.
fn analyze_one(
    at: Text,
    tokens: &[Token],
    span: Span,
    unterminated: bool,
    in_body: bool,
    lite: Option<&[fast_tokens::Lite]>,
    out: &mut Vec<Statement>,
) {
    let Text {
        text,
        original,
        dialect,
        ..
    } = at;
    let Some(first) = tokens.first() else { return };
    let keyword = first.text(text).to_ascii_uppercase();
    let stmt_text = &text[span.start..span.end];
    // a span holding a template hole or shell expansion cannot be judged
    let opaque = |s: Span| {
        original
            .get(s.start..s.end)
            .is_some_and(|t| t != &text[s.start..s.end])
    };
    // the statement as masked is the statement as written: no span in it is opaque
    let masked = || original.get(span.start..span.end) != Some(stmt_text);
    let opaque_in = || masked().then_some(&opaque as &dyn Fn(Span) -> bool);

    let mut stmt = Statement {
        span,
        kind: StmtKind::Other,
        ast: None,
        parse_error: None,
        in_body,
        keyword,
        not_parsed: false,
        actions: Vec::new(),
    };

    let skip = first.kind == TokenKind::Word && skip_parse(&stmt.keyword);
    if skip && !unterminated {
        // nothing to learn from the tree
    } else if unterminated {
        stmt.parse_error = Some("unterminated quote, comment or dollar quote".to_string());
        stmt.kind = recover::recover(text, tokens, &opaque).0;
    } else if let Some(kind) = lite
        .filter(|_| !at.trees && matches!(dialect, Dialect::Postgres | Dialect::Cockroach))
        .and_then(|l| {
            let base = fast_split::Base::first_of(l)?;
            let where_opaque = || ast_facts::where_opaque(stmt_text, span.start, opaque_in());
            fast_update::kind(l, base, &where_opaque)
        })
    {
        // a plain UPDATE, no tree wanted: its facts straight from its tokens
        stmt.kind = kind;
    } else {
        match parse_inner(stmt_text, dialect, true, lite.map(fast_split::rebase)) {
            Ok(stmts) if stmts.len() > 1 && line_chunks(text, tokens).len() > 1 => {
                // T-SQL batches hold statements without `;` between them: read each alone
                for c in line_chunks(text, tokens) {
                    if let (Some(f), Some(l)) = (c.first(), c.last()) {
                        let sp = Span::new(f.span.start, l.span.end);
                        analyze_one(at, c, sp, false, in_body, None, out);
                    }
                }
                return;
            }
            Ok(mut stmts) if !stmts.is_empty() => {
                let ast = stmts.swap_remove(0);
                stmt.kind = ast_facts::facts(&ast, stmt_text, span.start, opaque_in());
                stmt.ast = Some(Box::new(ast));
            }
            Ok(_) => {}
            Err(e) => {
                if !in_body && let Some(chunks) = run_together(text, tokens, dialect) {
                    let next = chunks[1]
                        .iter()
                        .take(3)
                        .map(|t| t.text(text))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let head = out.len();
                    for c in chunks {
                        if let (Some(f), Some(l)) = (c.first(), c.last()) {
                            let sp = Span::new(f.span.start, l.span.end);
                            analyze_one(at, c, sp, false, in_body, None, out);
                        }
                    }
                    if let Some(first) = out.get_mut(head) {
                        first.parse_error = Some(format!(
                            "two statements run together: `{next} …` starts a new statement \
                             with no `;` before it"
                        ));
                    }
                    return;
                }
                let (kind, complete) = recover::recover(text, tokens, &opaque);
                stmt.kind = kind;
                if complete || in_body {
                    // nothing it can destroy went unread: no parse-error
                    stmt.not_parsed = true;
                } else {
                    stmt.parse_error = Some(clean_parse_error(&e.to_string()));
                }
            }
        }
    }
    if let StmtKind::AlterTable { ops, .. } = &stmt.kind
        && ops.len() > 1
    {
        let actions = actions::alter_actions(text, tokens);
        if actions.len() == ops.len() {
            stmt.actions = actions;
        }
    }
    // routine bodies: DO $$ … $$, CREATE FUNCTION/PROCEDURE … AS $$ … $$, and
    // CREATE TRIGGER/PROCEDURE … BEGIN … END (MySQL, SQLite)
    let routine = routine_kind(text, &stmt.keyword, tokens);
    out.push(stmt);
    if let Some(routine) = routine {
        let mut bodies: Vec<Span> = tokens
            .iter()
            .filter_map(|t| match t.kind {
                TokenKind::DollarStr { body } => Some(body),
                _ => None,
            })
            .collect();
        if routine != "DO" {
            let begin = tokens.iter().position(|t| t.is_word(text, "BEGIN"));
            let end = tokens.iter().rposition(|t| t.is_word(text, "END"));
            if let (Some(b), Some(e)) = (begin, end)
                && b + 1 < e
            {
                bodies.push(Span::new(tokens[b].span.end, tokens[e].span.start));
                // we read the body ourselves: sqlparser's refusal of the wrapper is noise
                if let Some(last) = out.last_mut().filter(|s| s.span == span) {
                    last.parse_error = None;
                }
            }
        }
        for body in bodies {
            analyze_body(at, body, out);
        }
    }
}

/// `DO`, or the object word of `CREATE [OR REPLACE] … FUNCTION|PROCEDURE|TRIGGER|EVENT`.
fn routine_kind(text: &str, keyword: &str, tokens: &[Token]) -> Option<&'static str> {
    if keyword == "DO" {
        return Some("DO");
    }
    if keyword != "CREATE" {
        return None;
    }
    tokens.iter().take(12).find_map(|t| {
        ["FUNCTION", "PROCEDURE", "TRIGGER", "EVENT"]
            .into_iter()
            .find(|k| t.is_word(text, k))
    })
}

fn analyze_body(at: Text, body: Span, out: &mut Vec<Statement>) {
    let text = at.text;
    let body_text = &text[body.start..body.end];
    for raw in split::split(body_text, at.dialect) {
        let toks: Vec<Token> = raw
            .tokens
            .iter()
            .map(|t| Token {
                kind: shift_kind(t.kind, body.start),
                span: t.span.shift(body.start),
            })
            .collect();
        // drop control words (BEGIN, IF … THEN, LOOP) before the statement proper
        let start = body_statement_start(text, &toks);
        if let Some(rest) = toks.get(start..).filter(|r| !r.is_empty()) {
            let sp = Span::new(rest[0].span.start, raw.span.end + body.start);
            analyze_one(at, rest, sp, raw.unterminated, true, None, out);
        }
    }
}

fn shift_kind(kind: TokenKind, by: usize) -> TokenKind {
    match kind {
        TokenKind::DollarStr { body } => TokenKind::DollarStr {
            body: body.shift(by),
        },
        k => k,
    }
}

const BODY_STATEMENTS: &[&str] = &[
    "DROP", "TRUNCATE", "DELETE", "UPDATE", "ALTER", "CREATE", "INSERT", "RENAME",
];
const BODY_CONTROL: &[&str] = &["BEGIN", "THEN", "ELSE", "LOOP", "DECLARE", "ATOMIC"];

/// Index of the first token of a real statement inside a plpgsql chunk such as
/// `IF x THEN DELETE FROM t` or `BEGIN DROP TABLE a`. Returns `toks.len()` for none.
fn body_statement_start(src: &str, toks: &[Token]) -> usize {
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate() {
        depth += nesting(src, t);
        if depth != 0 || t.kind != TokenKind::Word {
            continue;
        }
        let w = t.text(src);
        if BODY_STATEMENTS.iter().any(|k| w.eq_ignore_ascii_case(k)) {
            let prev_ok = i == 0
                || toks[i - 1].kind == TokenKind::Word
                    && BODY_CONTROL
                        .iter()
                        .any(|k| toks[i - 1].text(src).eq_ignore_ascii_case(k));
            if prev_ok {
                return i;
            }
        }
    }
    toks.len()
}

/// Parse one statement's text; a recursion limit keeps deep nesting an error, not a crash.
pub fn parse(
    text: &str,
    dialect: Dialect,
) -> Result<Vec<sqlparser::ast::Statement>, sqlparser::parser::ParserError> {
    parse_inner(text, dialect, true, None)
}

/// [`parse`]; `fast`: a plain statement's tokens are read by `fast_tokens` and a plain
/// PostgreSQL `UPDATE` gets sqlparser's tree built from them directly (a statement only
/// sqlparser's tokenizer reads is left to sqlparser's parser); else sqlparser alone (tests).
/// `lexed`: the fast tokens of `text`, when the splitter read them already.
fn parse_inner(
    text: &str,
    dialect: Dialect,
    fast: bool,
    lexed: Option<Vec<fast_tokens::Lite>>,
) -> Result<Vec<sqlparser::ast::Statement>, sqlparser::parser::ParserError> {
    use sqlparser::dialect as d;
    let pg = d::PostgreSqlDialect {};
    let my = d::MySqlDialect {};
    let lite = d::SQLiteDialect {};
    let gen_ = d::GenericDialect {};
    let ch = d::ClickHouseDialect {};
    let ms = d::MsSqlDialect {};
    let dia: &dyn d::Dialect = match dialect {
        Dialect::Postgres | Dialect::Cockroach => &pg,
        Dialect::Mysql => &my,
        Dialect::Sqlite => &lite,
        Dialect::Generic => &gen_,
        Dialect::Clickhouse => &ch,
        Dialect::Mssql => &ms,
    };
    let mut options = sqlparser::parser::ParserOptions::new();
    // T-SQL batches hold statements with no `;` between them
    options.require_semicolon_stmt_delimiter = dialect != Dialect::Mssql;
    let lite = if fast {
        lexed.or_else(|| fast_tokens::lex(text))
    } else {
        None
    };
    if fast
        && matches!(dialect, Dialect::Postgres | Dialect::Cockroach)
        && let Some(stmt) = lite.as_deref().and_then(fast_update::update)
    {
        return Ok(vec![stmt]);
    }
    let tokens = match lite {
        Some(t) => t.iter().map(fast_tokens::Lite::owned).collect(),
        None => sqlparser::tokenizer::Tokenizer::new(dia, text)
            .with_unescape(options.unescape)
            .tokenize_with_location()?,
    };
    let tokens = match dialect {
        Dialect::Postgres | Dialect::Cockroach | Dialect::Sqlite | Dialect::Generic => {
            postfix_isnull(tokens)
        }
        _ => tokens,
    };
    Parser::new(dia)
        .with_options(options)
        .with_recursion_limit(64)
        .with_tokens_with_locations(tokens)
        .parse_statements()
}

/// PostgreSQL and SQLite accept `expr ISNULL` for `expr IS NULL` (as they accept `NOTNULL`,
/// which sqlparser reads); sqlparser does not, so an unquoted `ISNULL` word that is not a
/// function call becomes the two tokens `IS NULL`, both at the word's place.
fn postfix_isnull(
    tokens: Vec<sqlparser::tokenizer::TokenWithSpan>,
) -> Vec<sqlparser::tokenizer::TokenWithSpan> {
    use sqlparser::tokenizer::{Token, TokenWithSpan};
    let is_isnull = |t: &Token| matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("isnull"));
    if !tokens.iter().any(|t| is_isnull(&t.token)) {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len() + 1);
    for (i, t) in tokens.iter().enumerate() {
        let call = tokens[i + 1..]
            .iter()
            .find(|n| !matches!(n.token, Token::Whitespace(_)))
            .is_some_and(|n| n.token == Token::LParen);
        if is_isnull(&t.token) && !call {
            out.push(TokenWithSpan::new(Token::make_keyword("IS"), t.span));
            out.push(TokenWithSpan::new(
                Token::Whitespace(sqlparser::tokenizer::Whitespace::Space),
                t.span,
            ));
            out.push(TokenWithSpan::new(Token::make_keyword("NULL"), t.span));
        } else {
            out.push(t.clone());
        }
    }
    out
}

/// sqlparser's message without its prefix and its statement-relative position (the
/// diagnostic already points at the statement).
fn clean_parse_error(msg: &str) -> String {
    let msg = msg.trim_start_matches("sql parser error: ");
    match msg.find(" at Line: ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Replace each `$VAR` / `${…}` with an identifier of the same byte length, so sqlparser can
/// parse the statement and spans still line up with the original text.
pub fn mask_shell_vars(src: &str) -> String {
    let bytes = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'$' {
            let n = if bytes.get(i + 1) == Some(&b'{') {
                bytes[i..].iter().position(|&c| c == b'}').map(|p| p + 1)
            } else if bytes
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
            {
                Some(
                    1 + bytes[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                        .count(),
                )
            } else {
                None
            };
            if let Some(n) = n.filter(|n| src.is_char_boundary(i + n)) {
                // a letter first keeps it an identifier in every dialect
                out.push('v');
                for c in src[i + 1..i + n].chars() {
                    for _ in 0..c.len_utf8() {
                        out.push('_');
                    }
                }
                i += n;
                continue;
            }
        }
        let ch_len = src[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&src[i..i + ch_len]);
        i += ch_len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<StmtKind> {
        analyze(src, Dialect::Postgres, Options::default())
            .into_iter()
            .map(|s| s.kind)
            .collect()
    }

    #[test]
    fn drop_table_facts() {
        let k = kinds("DROP TABLE IF EXISTS public.user_sessions CASCADE;");
        match &k[0] {
            StmtKind::Drop {
                object,
                names,
                if_exists,
                cascade,
                ..
            } => {
                assert_eq!(*object, ObjectKind::Table);
                assert_eq!(names[0].display, "public.user_sessions");
                assert!(*if_exists && *cascade);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unparseable_statement_is_still_read_by_tokens() {
        let s = analyze(
            "DROP TABLE users WITH SOME GIBBERISH (((;",
            Dialect::Postgres,
            Options::default(),
        );
        assert!(s[0].parse_error.is_some());
        assert!(
            matches!(&s[0].kind, StmtKind::Drop { object: ObjectKind::Table, names, .. } if names[0].name == "users")
        );
    }

    #[test]
    fn plpgsql_bodies_are_read() {
        let s = analyze(
            "DO $$ BEGIN IF true THEN DELETE FROM users; END IF; END $$;",
            Dialect::Postgres,
            Options::default(),
        );
        assert!(
            s.iter().any(|s| s.in_body
                && matches!(
                    s.kind,
                    StmtKind::Delete {
                        predicate: None,
                        ..
                    }
                )),
            "{s:?}"
        );
    }

    #[test]
    fn masked_names_are_shown_as_written() {
        let s = analyze(
            "DELETE FROM ${T};",
            Dialect::Postgres,
            Options { shell_vars: true },
        );
        match &s[0].kind {
            StmtKind::Delete { table: Some(t), .. } => assert_eq!(t.display, "${T}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn shell_vars_are_masked_to_same_length() {
        let src = "DELETE FROM ${T} WHERE $COND";
        let m = mask_shell_vars(src);
        assert_eq!(m.len(), src.len());
        assert_eq!(m, "DELETE FROM v___ WHERE v____");
    }
}
