//! The tree sqlparser's PostgreSQL dialect gives a plain `UPDATE`, built from the tokens
//! directly: `UPDATE [schema.]t SET c = v[, …] [WHERE a op v {AND|OR} b op v …]`, where
//! every name is a plain word (no keyword but a few tested ones), every `v` a name, a
//! whole number or a plain `'…'` string and `op` one of `= <> < > <= >=`. This is the
//! statement scripts hand to `psql` most (`UPDATE jobs SET state = 'queued' WHERE …`), and
//! sqlparser spends ~30,000 instructions on it (a type-name attempt and a formatted error
//! per operand). It reads the fast tokenizer's [`Lite`] tokens (no `String` per token; the
//! tree's names and values are the only copies made). Anything else returns `None` and
//! sqlparser parses as before. The tests compare both trees' `Debug`, spans included, on
//! generated statements.

use super::fast_tokens::{Kind, Lite};
use sqlparser::ast::helpers::attached_token::AttachedToken;
use sqlparser::ast::{
    Assignment, AssignmentTarget, BinaryOperator, Expr, Ident, ObjectName, ObjectNamePart,
    Statement, TableFactor, TableWithJoins, Update, Value, ValueWithSpan,
};
use sqlparser::keywords::Keyword;

/// Keywords sqlparser reads as a plain name wherever this grammar puts a name (tested).
const NAME_KEYWORDS: &[Keyword] = &[
    Keyword::DATA,
    Keyword::ID,
    Keyword::NAME,
    Keyword::OWNER,
    Keyword::STATUS,
];

/// The tree of `tokens` (a whole statement, whitespace included, no `;`) when it is a plain
/// `UPDATE` as described above.
pub(super) fn update(tokens: &[Lite]) -> Option<Statement> {
    let mut p = P {
        toks: tokens,
        at: 0,
    };
    // most statements are no UPDATE: refuse them before anything is allocated
    let update_token = p.next()?;
    if !is_kw(update_token, Keyword::UPDATE) {
        return None;
    }
    let mut parts = vec![ObjectNamePart::Identifier(p.name()?)];
    if p.peek().is_some_and(|t| t.kind == Kind::Period) {
        p.at += 1;
        parts.push(ObjectNamePart::Identifier(p.name()?));
    }
    if !p.keyword(Keyword::SET) {
        return None;
    }
    let mut assignments = Vec::new();
    loop {
        let target =
            AssignmentTarget::ColumnName(ObjectName(vec![ObjectNamePart::Identifier(p.name()?)]));
        if p.next()?.kind != Kind::Eq {
            return None;
        }
        assignments.push(Assignment {
            target,
            value: p.operand()?,
        });
        if p.peek().is_some_and(|t| t.kind == Kind::Comma) {
            p.at += 1;
        } else {
            break;
        }
    }
    let selection = if p.keyword(Keyword::WHERE) {
        Some(p.condition()?)
    } else {
        None
    };
    if p.peek().is_some() {
        return None;
    }
    Some(Statement::Update(Update {
        update_token: AttachedToken(update_token.owned()),
        optimizer_hints: vec![],
        table: TableWithJoins {
            relation: TableFactor::Table {
                name: ObjectName(parts),
                alias: None,
                args: None,
                with_hints: vec![],
                version: None,
                with_ordinality: false,
                partitions: vec![],
                json_path: None,
                sample: None,
                index_directives: vec![],
                inheritance: None,
            },
            joins: vec![],
        },
        on_cluster: None,
        assignments,
        from: None,
        selection,
        returning: None,
        output: None,
        or: None,
        order_by: vec![],
        limit: None,
        settings: None,
    }))
}

fn is_kw(t: &Lite, k: Keyword) -> bool {
    t.kind == Kind::Word(k)
}

/// The statement's tokens, whitespace skipped.
struct P<'t, 'a> {
    toks: &'t [Lite<'a>],
    at: usize,
}

impl<'t, 'a> P<'t, 'a> {
    /// The next token that is not whitespace (`at` moves past the whitespace).
    fn peek(&mut self) -> Option<&'t Lite<'a>> {
        while self.toks.get(self.at)?.is_whitespace() {
            self.at += 1;
        }
        self.toks.get(self.at)
    }
    fn next(&mut self) -> Option<&'t Lite<'a>> {
        let t = self.peek()?;
        self.at += 1;
        Some(t)
    }
    fn keyword(&mut self, k: Keyword) -> bool {
        let hit = self.peek().is_some_and(|t| is_kw(t, k));
        self.at += usize::from(hit);
        hit
    }
    /// A plain name: a word that is no keyword, or one of [`NAME_KEYWORDS`]. Not `ISNULL`
    /// (no keyword to sqlparser): the parser reads it as `IS NULL` (`postfix_isnull`).
    fn name(&mut self) -> Option<Ident> {
        let t = self.next()?;
        match t.kind {
            Kind::Word(k)
                if (k == Keyword::NoKeyword || NAME_KEYWORDS.contains(&k))
                    && !t.text.eq_ignore_ascii_case("isnull") =>
            {
                Some(Ident {
                    value: t.text.to_string(),
                    quote_style: None,
                    span: t.span,
                })
            }
            _ => None,
        }
    }
    /// A name, a whole number or a plain string.
    fn operand(&mut self) -> Option<Expr> {
        let t = self.peek()?;
        let value = match t.kind {
            Kind::Number => Value::Number(t.text.to_string(), false),
            Kind::Str => Value::SingleQuotedString(t.text.to_string()),
            _ => return self.name().map(Expr::Identifier),
        };
        self.at += 1;
        Some(Expr::Value(ValueWithSpan {
            value,
            span: t.span,
        }))
    }
    /// `name op operand`, `name IS NULL` or `name IS NOT NULL`.
    fn comparison(&mut self) -> Option<Expr> {
        let left = Expr::Identifier(self.name()?);
        let t = self.next()?;
        if is_kw(t, Keyword::IS) {
            return self.is_null(left);
        }
        let op = match t.kind {
            Kind::Eq => BinaryOperator::Eq,
            Kind::Neq => BinaryOperator::NotEq,
            Kind::Lt => BinaryOperator::Lt,
            Kind::Gt => BinaryOperator::Gt,
            Kind::LtEq => BinaryOperator::LtEq,
            Kind::GtEq => BinaryOperator::GtEq,
            _ => return None,
        };
        let right = self.operand()?;
        Some(binary(left, op, right))
    }
    /// The rest of `left IS [NOT] NULL` after `IS`: sqlparser's `IsNull` / `IsNotNull`.
    /// `IS` binds looser than `=` but tighter than `AND`/`OR`, so only those or the end
    /// may follow (`a IS NULL = b` is another tree).
    fn is_null(&mut self, left: Expr) -> Option<Expr> {
        let negated = self.keyword(Keyword::NOT);
        if !is_kw(self.next()?, Keyword::NULL) {
            return None;
        }
        let next_ok = self
            .peek()
            .is_none_or(|t| is_kw(t, Keyword::AND) || is_kw(t, Keyword::OR));
        if !next_ok {
            return None;
        }
        let left = Box::new(left);
        Some(if negated {
            Expr::IsNotNull(left)
        } else {
            Expr::IsNull(left)
        })
    }
    /// Comparisons joined by `AND` and `OR`: `AND` binds tighter, both to the left.
    fn condition(&mut self) -> Option<Expr> {
        let mut or = self.conjunction()?;
        while self.keyword(Keyword::OR) {
            or = binary(or, BinaryOperator::Or, self.conjunction()?);
        }
        Some(or)
    }
    fn conjunction(&mut self) -> Option<Expr> {
        let mut and = self.comparison()?;
        while self.keyword(Keyword::AND) {
            and = binary(and, BinaryOperator::And, self.comparison()?);
        }
        Some(and)
    }
}

fn binary(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(left),
        op,
        right: Box::new(right),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Dialect;

    /// The tree built from `sql`'s tokens as `parse_inner` hands them over.
    fn build(sql: &str) -> Option<Statement> {
        update(&crate::sql::fast_tokens::lex(sql)?)
    }

    /// When the builder builds a tree, sqlparser parses the statement to the same tree.
    fn same(sql: &str) -> bool {
        if build(sql).is_none() {
            return false;
        }
        let fast = crate::sql::parse_inner(sql, Dialect::Postgres, true, None);
        let slow = crate::sql::parse_inner(sql, Dialect::Postgres, false, None);
        match (&fast, &slow) {
            (Ok(_), Ok(_)) => assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{sql}"),
            _ => panic!("{sql}: built, but sqlparser refused: {slow:?}"),
        }
        true
    }

    #[test]
    fn heredoc_updates_are_built() {
        for s in [
            "UPDATE jobs SET state = 'queued' WHERE state = 'stuck' AND id > 7",
            "UPDATE jobs SET state = 'queued'",
            "UPDATE app.accounts SET name = 'x', status = 2 WHERE id = 3 OR id <> 4",
            "UPDATE t\n  SET a = b\n  WHERE c <= 1 AND d >= 2 OR e < 3 AND f = 'g\nh'",
            "UPDATE table_34 SET data = '' WHERE data IS NULL AND id > 354",
            "UPDATE t SET a = 1 WHERE x = 1 OR y IS NOT NULL",
            "UPDATE t SET a = 1 WHERE x is null and y is not null or z Is Not Null",
        ] {
            assert!(same(s), "{s} not built");
        }
    }

    #[test]
    fn other_shapes_are_left_to_sqlparser() {
        for s in [
            "UPDATE jobs SET state = 'queued';",
            "UPDATE ONLY jobs SET a = 1",
            "UPDATE jobs AS j SET a = 1",
            "UPDATE jobs j SET a = 1",
            "UPDATE jobs SET a = 1 WHERE b IS DISTINCT FROM c",
            "UPDATE jobs SET a = 1 WHERE b IS NOT DISTINCT FROM c",
            "UPDATE jobs SET a = 1 WHERE b IS TRUE",
            "UPDATE jobs SET a = 1 WHERE b IS NOT FALSE",
            "UPDATE jobs SET a = 1 WHERE b IS UNKNOWN",
            "UPDATE jobs SET a = 1 WHERE b ISNULL",
            "UPDATE jobs SET a = 1 WHERE b NOTNULL",
            "UPDATE jobs SET isnull = 1",
            "UPDATE jobs SET a = ISNULL",
            "UPDATE isnull SET a = 1",
            "UPDATE jobs SET a = 1 WHERE isnull = 1",
            "UPDATE jobs SET a = 1 WHERE b = IsNull",
            "UPDATE jobs SET a = 1 WHERE b NOT NULL",
            "UPDATE jobs SET a = 1 WHERE b IS NULL = c",
            "UPDATE jobs SET a = 1 WHERE b IS NULL IS NULL",
            "UPDATE jobs SET a = 1 WHERE b = 1 IS NULL",
            "UPDATE jobs SET a = 1 WHERE b IS NOT",
            "UPDATE jobs SET a = 1 WHERE b IS",
            "UPDATE jobs SET a = 1 WHERE 'b' IS NULL",
            "UPDATE jobs SET a = 1 WHERE b IS \"NULL\"",
            "UPDATE jobs SET a = 1 WHERE b IN (1, 2)",
            "UPDATE jobs SET a = 1 WHERE NOT b = 1",
            "UPDATE jobs SET a = 1 WHERE b = 1 = c",
            "UPDATE jobs SET a = 1 WHERE b = now()",
            "UPDATE jobs SET a = 1 WHERE t.b = 1",
            "UPDATE jobs SET a = 1 WHERE b = TRUE",
            "UPDATE jobs SET a = 1 WHERE b = NULL",
            "UPDATE jobs SET a = 1 RETURNING *",
            "UPDATE jobs SET a = 1 FROM b WHERE c = 1",
            "UPDATE jobs SET date = 1",
            "UPDATE jobs SET (a, b) = (1, 2)",
            "UPDATE jobs SET a = 1 WHERE b = 1 AND",
            "UPDATE jobs SET a = 1,",
            "DELETE FROM jobs WHERE a = 1",
        ] {
            assert!(build(s).is_none(), "{s} was built");
        }
    }

    /// Generated statements: every name (plain, the allowed keywords, in both cases), value,
    /// operator and joiner in every position, with varied spacing and line breaks.
    #[test]
    fn generated_updates_build_as_sqlparser_parses_them() {
        const NAMES: &[&str] = &[
            "jobs",
            "state",
            "id",
            "ID",
            "name",
            "Status",
            "data",
            "OWNER",
            "_x",
            "a1",
            "created_at",
            "set_to",
            "where_",
            "order",
            "limit",
            "user",
            "date",
            "value",
            "and_",
            "jobsor",
        ];
        const VALUES: &[&str] = &["'queued'", "''", "'a b'", "7", "0", "0123", "x", "id"];
        const OPS: &[&str] = &["=", "<>", "<", ">", "<=", ">="];
        const NULLS: &[&str] = &[
            "IS NULL",
            "is null",
            "IS NOT NULL",
            "Is Not  Null",
            "IS\nNULL",
        ];
        // what must be refused (the builder knows none of these trees)
        const NOT_NULLS: &[&str] = &[
            "IS TRUE",
            "IS NOT FALSE",
            "IS DISTINCT FROM x",
            "IS NOT DISTINCT FROM 1",
            "ISNULL",
            "isnull",
            "NOTNULL",
            "NOT NULL",
            "IS NULL = 1",
            "IS NOT NULL <> x",
            "IS NULL IS NULL",
            "IS NOT",
            "IS UNKNOWN",
        ];
        const GAPS: &[&str] = &[" ", "  ", "\n", "\t", "\n  "];
        let mut rng = crate::test_rng::Rng::new(0x9e37_79b9_7f4a_7c15);
        let mut next = move |n: usize| rng.below(n);
        let (mut built, mut tried, mut nulls) = (0, 0, 0);
        for _ in 0..3_000 {
            let mut s = String::from("UPDATE");
            let mut refuse = false;
            macro_rules! push {
                ($list:expr) => {{
                    let i = next($list.len());
                    s.push_str($list[i]);
                }};
            }
            push!(GAPS);
            push!(NAMES);
            if next(4) == 0 {
                s.push('.');
                push!(NAMES);
            }
            push!(GAPS);
            s.push_str("SET");
            for i in 0..1 + next(3) {
                if i > 0 {
                    s.push(',');
                }
                push!(GAPS);
                push!(NAMES);
                push!(GAPS);
                s.push('=');
                push!(GAPS);
                push!(VALUES);
            }
            if next(3) > 0 {
                push!(GAPS);
                s.push_str("WHERE");
                for i in 0..1 + next(4) {
                    if i > 0 {
                        push!(GAPS);
                        push!(["AND", "OR", "and", "or"]);
                    }
                    push!(GAPS);
                    push!(NAMES);
                    push!(GAPS);
                    match next(12) {
                        0..=2 => push!(NULLS),
                        3 => {
                            push!(NOT_NULLS);
                            refuse = true;
                        }
                        _ => {
                            push!(OPS);
                            push!(GAPS);
                            push!(VALUES);
                        }
                    }
                }
            }
            tried += 1;
            if refuse {
                assert!(build(&s).is_none(), "{s} was built");
            } else if same(&s) {
                built += 1;
                nulls += usize::from(s.to_ascii_uppercase().contains(" NULL"));
            }
        }
        assert!(built > tried / 6 && built < tried, "{built} of {tried}");
        assert!(nulls > built / 8, "{nulls} of {built} with IS [NOT] NULL");
    }
}
