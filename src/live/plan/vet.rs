//! What the live check refuses to send: predicates with parameters or side-effecting calls,
//! and text that is not exactly one harmless statement.

use super::*;

fn side_effect_name(name: &ast::ObjectName) -> Option<String> {
    let last = name.0.last()?.as_ident()?.value.to_lowercase();
    SIDE_EFFECT_FUNCTIONS
        .contains(&last.as_str())
        .then_some(last)
}

/// Parameters and side-effecting calls inside a parsed predicate.
pub(super) fn vet_expr(expr: &Expr) -> Result<(), (String, bool)> {
    let r = ast::visit_expressions(expr, |e| match e {
        Expr::Value(v) => match &v.value {
            Value::Placeholder(p) => ControlFlow::Break((
                format!(
                    "the WHERE clause uses the parameter `{p}`; its value is only known when \
                     the statement runs"
                ),
                false,
            )),
            _ => ControlFlow::Continue(()),
        },
        Expr::Function(f) => match side_effect_name(&f.name) {
            Some(n) => ControlFlow::Break((
                format!(
                    "the WHERE clause calls `{n}()`, a function with side effects; preflight \
                     refuses to send it to the database"
                ),
                true,
            )),
            None => ControlFlow::Continue(()),
        },
        _ => ControlFlow::Continue(()),
    });
    match r {
        ControlFlow::Break(b) => Err(b),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// Joined relations (`USING dblink(…)`), and expressions inside them.
pub(super) fn vet_relations(list: &[ast::TableWithJoins]) -> Result<(), (String, bool)> {
    for t in list {
        let r = ast::visit_relations(t, |n| match side_effect_name(n) {
            Some(f) => ControlFlow::Break(f),
            None => ControlFlow::Continue(()),
        });
        if let ControlFlow::Break(f) = r {
            return Err((
                format!(
                    "the joined list calls `{f}()`, a function with side effects; preflight \
                     refuses to send it to the database"
                ),
                true,
            ));
        }
        let r = ast::visit_expressions(t, |e| match vet_expr(e) {
            Err(x) => ControlFlow::Break(x),
            Ok(()) => ControlFlow::Continue(()),
        });
        if let ControlFlow::Break(x) = r {
            return Err(x);
        }
    }
    Ok(())
}

/// Text-level guard on what will be embedded: no statement separator, no parameter, no
/// unterminated quote. (A parsed expression cannot contain these; this is the second fence.)
pub fn vet_text(text: &str, dialect: Dialect) -> Result<(), String> {
    for t in lexer::tokens(text, dialect) {
        match t.kind {
            TokenKind::Semicolon => {
                return Err(
                    "the WHERE clause contains `;` outside quotes; preflight refuses to send it"
                        .to_string(),
                );
            }
            TokenKind::Unterminated => {
                return Err(
                    "the WHERE clause has an unterminated quote; preflight refuses to send it"
                        .to_string(),
                );
            }
            TokenKind::ShellVar | TokenKind::Param => {
                return Err(format!(
                    "the WHERE clause uses `{}`, whose value is unknown until it runs",
                    t.text(text)
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
