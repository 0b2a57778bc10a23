//! JavaScript inline code (tree-sitter-javascript; `node -e`, `deno eval`, `bun -e`):
//! `fs.rm*`/`rmdir*` with `recursive`, `fs.unlink*`, fs-extra `remove*`, `rimraf`,
//! `Deno.remove`; `child_process.exec*`/`spawn*`/`execFile*`; a client's `query`/`execute`.

use super::Effect;
use super::tree::{Cx, argv, join, kids, parse, unquote};
use super::walk::{self, concat};
use crate::shell::command::Mapped;
use tree_sitter::Node;

pub fn read(cx: &Cx) -> Vec<Effect> {
    walk::read::<Js>(
        cx,
        parse(2, || tree_sitter_javascript::LANGUAGE.into(), cx.src),
    )
}

walk::language!(Js: "variable_declarator", "name", "value", "identifier");

impl Reader<'_, '_> {
    fn callee(&self, call: Node) -> String {
        call.child_by_field_name("function")
            .map(|f| self.cx.text(f).split_whitespace().collect())
            .unwrap_or_default()
    }

    fn args<'t>(&self, call: Node<'t>) -> Vec<Node<'t>> {
        call.child_by_field_name("arguments")
            .map(|a| {
                kids(a)
                    .into_iter()
                    .filter(|k| k.kind() != "comment")
                    .collect()
            })
            .unwrap_or_default()
    }

    fn eval(&self, n: Node) -> Option<Mapped> {
        match n.kind() {
            "string" => unquote(self.cx, n),
            "template_string" => {
                let mut m = Mapped::default();
                let mut last = n.start_byte() + 1;
                for k in kids(n) {
                    if k.kind() == "template_substitution" {
                        m.append(&self.cx.slice(last, k.start_byte()));
                        m.append(&self.eval(k.named_child(0)?)?);
                        last = k.end_byte();
                    }
                }
                m.append(
                    &self
                        .cx
                        .slice(last, n.end_byte().saturating_sub(1).max(last)),
                );
                Some(m)
            }
            "parenthesized_expression" => self.eval(n.named_child(0)?),
            "identifier" => self.var(n),
            "member_expression" => {
                let t: String = self.cx.text(n).split_whitespace().collect();
                matches!(
                    t.as_str(),
                    "process.env.HOME" | "process.env.USERPROFILE" | "Deno.env.HOME"
                )
                .then(|| self.cx.made("~", n))
            }
            "subscript_expression" => {
                let o: String = self
                    .cx
                    .text(n.child_by_field_name("object")?)
                    .split_whitespace()
                    .collect();
                let k = self.eval(n.child_by_field_name("index")?)?;
                (o == "process.env" && k.text == "HOME").then(|| self.cx.made("~", n))
            }
            "binary_expression" => {
                let l = self.eval(n.child_by_field_name("left")?)?;
                let r = self.eval(n.child_by_field_name("right")?)?;
                Some(concat(l, &r))
            }
            "call_expression" => {
                let f = self.callee(n);
                let args = self.args(n);
                let last = f.rsplit('.').next().unwrap_or("");
                match last {
                    "homedir" => Some(self.cx.made("~", n)),
                    "get" if f == "Deno.env.get" => args
                        .first()
                        .and_then(|a| self.eval(*a))
                        .filter(|k| k.text == "HOME")
                        .map(|_| self.cx.made("~", n)),
                    "join" | "resolve"
                        if f.ends_with("path.join") || f.ends_with("path.resolve") =>
                    {
                        join(self.evals(args.iter().copied())?)
                    }
                    _ => None,
                }
            }
            "array" => argv(self.evals(kids(n))?),
            _ => None,
        }
    }

    /// `{recursive: true}` among the arguments.
    fn recursive(&self, args: &[Node]) -> bool {
        args.iter().skip(1).any(|a| {
            a.kind() == "object"
                && kids(*a).iter().any(|p| {
                    p.kind() == "pair"
                        && p.child_by_field_name("key").is_some_and(|k| {
                            self.cx.text(k).trim_matches(['"', '\'']) == "recursive"
                        })
                        && p.child_by_field_name("value")
                            .is_some_and(|v| self.cx.text(v) == "true")
                })
        })
    }

    fn visit(&mut self, n: Node) {
        if n.kind() == "call_expression" {
            self.call(n);
        }
    }

    fn call(&mut self, n: Node) {
        let f = self.callee(n);
        let args = self.args(n);
        let (obj, last) = match f.rsplit_once('.') {
            Some((o, l)) => (o, l),
            None => ("", f.as_str()),
        };
        let first = || args.first().and_then(|a| self.eval(*a));
        let span = self.cx.span(n);
        let delete = |recursive: bool| Effect::delete(&f, span, recursive, first());
        let fs = obj.ends_with("fs")
            || obj.contains("require('fs")
            || obj.contains("require(\"fs")
            || obj.ends_with("fs.promises")
            || obj.ends_with("promises")
            || obj.starts_with("fse")
            || obj == "Deno";
        let cp =
            obj.is_empty() || obj.contains("child_process") || obj == "cp" || obj == "childProcess";
        let e = match last {
            "rm" | "rmSync" | "rmdir" | "rmdirSync" | "remove" if fs => {
                delete(self.recursive(&args))
            }
            "unlink" | "unlinkSync" if fs => delete(false),
            // fs-extra: `remove` deletes a directory with its contents
            "removeSync" | "emptyDirSync" | "emptyDir" if fs => delete(true),
            "rimraf" | "rimrafSync" | "sync" if f.contains("rimraf") => delete(true),
            "exec" | "execSync" if cp => Effect::shell(&f, first()),
            "spawn" | "spawnSync" | "execFile" | "execFileSync" if cp => {
                let mut words = vec![];
                if let Some(c) = first() {
                    words.push(c);
                }
                if let Some(a) = args.get(1).filter(|a| a.kind() == "array") {
                    for k in kids(*a) {
                        match self.eval(k) {
                            Some(w) => words.push(w),
                            None => return,
                        }
                    }
                }
                Effect::shell(&f, argv(words))
            }
            // not `/re/.exec(s)`
            "query" | "execute" | "exec" | "unsafe"
                if !obj.is_empty() && !cp && !obj.starts_with('/') =>
            {
                Effect::sql(&f, self.cx.dialect(), first())
            }
            _ => None,
        };
        self.out.extend(e);
    }
}
