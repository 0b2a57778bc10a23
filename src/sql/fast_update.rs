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

use super::fast_split::Base;
use super::fast_tokens::{Kind, Lite};
use super::model::{Assignment as SetColumn, ObjName, Predicate, StmtKind};
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

/// A plain `UPDATE` as read: the tokens of its names, its values and its condition (the
/// expressions with their spans in the statement's own text).
struct Read<'t, 'a> {
    update_token: &'t Lite<'a>,
    /// `[schema.]table`: one or two name tokens.
    table: Vec<&'t Lite<'a>>,
    assignments: Vec<(&'t Lite<'a>, Expr)>,
    selection: Option<Expr>,
}

/// The tokens of a statement read as a plain `UPDATE` as described above (whitespace
/// included, no `;`); `base`: how their spans become spans in the statement's own text.
fn read<'t, 'a>(tokens: &'t [Lite<'a>], base: Base) -> Option<Read<'t, 'a>> {
    let mut p = P {
        toks: tokens,
        at: 0,
        base,
    };
    // most statements are no UPDATE: refuse them before anything is allocated
    let update_token = p.next()?;
    if !is_kw(update_token, Keyword::UPDATE) {
        return None;
    }
    let mut table = vec![p.name_token()?];
    if p.peek().is_some_and(|t| t.kind == Kind::Period) {
        p.at += 1;
        table.push(p.name_token()?);
    }
    if !p.keyword(Keyword::SET) {
        return None;
    }
    let mut assignments = Vec::new();
    loop {
        let column = p.name_token()?;
        if p.next()?.kind != Kind::Eq {
            return None;
        }
        assignments.push((column, p.operand()?));
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
    Some(Read {
        update_token,
        table,
        assignments,
        selection,
    })
}

/// The tree of `tokens` (a whole statement, whitespace included, no `;`, spans in the
/// statement's own text) when it is a plain `UPDATE` as described above.
pub(super) fn update(tokens: &[Lite]) -> Option<Statement> {
    let base = Base::NONE;
    let r = read(tokens, base)?;
    let ident = |t: &Lite| ObjectNamePart::Identifier(base.ident(t));
    Some(Statement::Update(Update {
        update_token: AttachedToken(r.update_token.owned()),
        optimizer_hints: vec![],
        table: TableWithJoins {
            relation: TableFactor::Table {
                name: ObjectName(r.table.iter().map(|t| ident(t)).collect()),
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
        assignments: r
            .assignments
            .into_iter()
            .map(|(column, value)| Assignment {
                target: AssignmentTarget::ColumnName(ObjectName(vec![ident(column)])),
                value,
            })
            .collect(),
        from: None,
        selection: r.selection,
        returning: None,
        output: None,
        or: None,
        order_by: vec![],
        limit: None,
        settings: None,
    }))
}

/// The facts `ast_facts::facts` reads from [`update`]'s tree, read from the tokens without
/// the tree: the statement's tokens in a whole text (`base` from its first token), `opaque`
/// whether its WHERE clause is (asked only when there is one).
pub(super) fn kind(tokens: &[Lite], base: Base, opaque: &dyn Fn() -> bool) -> Option<StmtKind> {
    let r = read(tokens, base)?;
    // `ObjName::from_ast` of unquoted parts; a word is ASCII, so its lower case is ASCII's
    let display = match r.table.as_slice() {
        [t] => t.text.to_string(),
        [s, t] => format!("{}.{}", s.text, t.text),
        _ => return None,
    };
    let table = ObjName {
        schema: (r.table.len() == 2).then(|| r.table[0].text.to_ascii_lowercase()),
        name: r.table[r.table.len() - 1].text.to_ascii_lowercase(),
        display,
    };
    Some(StmtKind::Update {
        table: Some(table),
        predicate: r.selection.map(|e| Predicate {
            expr: Some(Box::new(e)),
            opaque: opaque(),
        }),
        assignments: r
            .assignments
            .into_iter()
            .map(|(column, value)| SetColumn {
                column: column.text.to_ascii_lowercase(),
                value: Some(value),
            })
            .collect(),
        limited: false,
    })
}

fn is_kw(t: &Lite, k: Keyword) -> bool {
    t.kind == Kind::Word(k)
}

/// The statement's tokens, whitespace skipped.
struct P<'t, 'a> {
    toks: &'t [Lite<'a>],
    at: usize,
    base: Base,
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
    fn name_token(&mut self) -> Option<&'t Lite<'a>> {
        let t = self.next()?;
        match t.kind {
            Kind::Word(k)
                if (k == Keyword::NoKeyword || NAME_KEYWORDS.contains(&k))
                    && !t.text.eq_ignore_ascii_case("isnull") =>
            {
                Some(t)
            }
            _ => None,
        }
    }
    fn name(&mut self) -> Option<Ident> {
        let t = self.name_token()?;
        Some(self.base.ident(t))
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
            span: self.base.span(t.span),
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
#[path = "fast_update_tests.rs"]
mod tests;
