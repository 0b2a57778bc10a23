//! PHP inline code (tree-sitter-php; `php -r`, or a program on stdin): `unlink`/`rmdir`;
//! `system`/`exec`/`shell_exec`/`passthru`/`popen`/`proc_open`/backticks; `->query`/
//! `->exec`, `mysqli_query`, `pg_query`.

use super::Effect;
use super::tree::{Cx, kids, parse};
use super::walk::{self, concat};
use crate::shell::command::Mapped;
use tree_sitter::Node;

pub fn read(cx: &Cx, tags: bool) -> Vec<Effect> {
    let tree = if tags {
        parse(4, || tree_sitter_php::LANGUAGE_PHP.into(), cx.src)
    } else {
        parse(5, || tree_sitter_php::LANGUAGE_PHP_ONLY.into(), cx.src)
    };
    walk::read::<Php>(cx, tree)
}

walk::language!(Php: "assignment_expression", "left", "right", "variable_name");

impl Reader<'_, '_> {
    /// The literal content of a string (no variables inside).
    fn content(&self, n: Node) -> Option<Mapped> {
        let parts = kids(n);
        if parts
            .iter()
            .any(|k| !matches!(k.kind(), "string_content" | "escape_sequence"))
        {
            return None;
        }
        match (parts.first(), parts.last()) {
            (Some(a), Some(b)) => Some(self.cx.slice(a.start_byte(), b.end_byte())),
            _ => Some(Mapped::default()),
        }
    }

    fn args<'t>(&self, call: Node<'t>) -> Vec<Node<'t>> {
        call.child_by_field_name("arguments")
            .map(|a| {
                kids(a)
                    .into_iter()
                    .filter(|k| k.kind() == "argument")
                    .filter_map(|k| k.named_children(&mut k.walk()).last())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn eval(&self, n: Node) -> Option<Mapped> {
        match n.kind() {
            "string" | "encapsed_string" => self.content(n),
            "parenthesized_expression" => self.eval(n.named_child(0)?),
            "variable_name" => self.var(n),
            "subscript_expression" => {
                let t: String = self.cx.text(n).split_whitespace().collect();
                matches!(
                    t.as_str(),
                    "$_SERVER['HOME']" | "$_SERVER[\"HOME\"]" | "$_ENV['HOME']" | "$_ENV[\"HOME\"]"
                )
                .then(|| self.cx.made("~", n))
            }
            "binary_expression" => {
                let op = self.cx.text(n.child_by_field_name("operator")?);
                let l = self.eval(n.child_by_field_name("left")?)?;
                let r = self.eval(n.child_by_field_name("right")?)?;
                (op == ".").then(|| concat(l, &r))
            }
            "function_call_expression" => {
                let f = self.cx.text(n.child_by_field_name("function")?);
                let args = self.args(n);
                match f {
                    "getenv" => args
                        .first()
                        .and_then(|a| self.eval(*a))
                        .filter(|k| k.text == "HOME")
                        .map(|_| self.cx.made("~", n)),
                    "realpath" => args.first().and_then(|a| self.eval(*a)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn visit(&mut self, n: Node) {
        match n.kind() {
            "function_call_expression" | "member_call_expression" => self.call(n),
            "shell_command_expression" => {
                let text = self.content(n);
                self.out.extend(Effect::shell("backticks", text));
            }
            _ => {}
        }
    }

    fn call(&mut self, n: Node) {
        let args = self.args(n);
        let member = n.kind() == "member_call_expression";
        let f = if member {
            n.child_by_field_name("name")
                .map(|x| self.cx.text(x).to_string())
                .unwrap_or_default()
        } else {
            n.child_by_field_name("function")
                .map(|x| self.cx.text(x).trim_start_matches('\\').to_string())
                .unwrap_or_default()
        };
        let first = || args.first().and_then(|a| self.eval(*a));
        let span = self.cx.span(n);
        let e = match (member, f.as_str()) {
            (false, "unlink" | "rmdir") => Effect::delete(&f, span, false, first()),
            (false, "system" | "exec" | "shell_exec" | "passthru" | "popen" | "proc_open") => {
                Effect::shell(&f, first())
            }
            (true, "query" | "exec" | "execute" | "multi_query") => {
                first().map(|text| Effect::Sql {
                    call: format!("->{f}"),
                    text,
                    dialect: self.cx.dialect(),
                })
            }
            (false, "mysqli_query" | "mysqli_multi_query" | "pg_query" | "pg_exec") => args
                .last()
                .and_then(|a| self.eval(*a))
                .map(|text| Effect::Sql {
                    call: f.clone(),
                    text,
                    dialect: if f.starts_with("pg") {
                        crate::source::Dialect::Postgres
                    } else {
                        crate::source::Dialect::Mysql
                    },
                }),
            _ => None,
        };
        self.out.extend(e);
    }
}
