//! Ruby inline code (tree-sitter-ruby; `ruby -e`): `FileUtils.rm_rf`/`rm_r`/`remove_dir`/
//! `remove_entry`, `File.delete`/`unlink`, `Dir.rmdir`; `system`/`exec`/`spawn`/backticks/
//! `%x()`/`IO.popen`/`Open3.*`; a connection's `exec`/`execute`/`query`.

use super::Effect;
use super::tree::{Cx, argv, join, kids, parse};
use super::walk::{self, concat};
use crate::shell::command::Mapped;
use tree_sitter::Node;

pub fn read(cx: &Cx) -> Vec<Effect> {
    walk::read::<Ruby>(cx, parse(3, || tree_sitter_ruby::LANGUAGE.into(), cx.src))
}

walk::language!(Ruby: "assignment", "left", "right", "identifier");

impl Reader<'_, '_> {
    /// The literal content of a string or backtick node (no interpolation).
    fn content(&self, n: Node) -> Option<Mapped> {
        let parts = kids(n);
        if parts.iter().any(|k| k.kind() == "interpolation") {
            return None;
        }
        match (parts.first(), parts.last()) {
            (Some(a), Some(b)) => Some(self.cx.slice(a.start_byte(), b.end_byte())),
            _ => Some(Mapped::default()),
        }
    }

    /// Receiver and method name of a call.
    fn parts(&self, call: Node) -> (String, String) {
        let recv = call
            .child_by_field_name("receiver")
            .map(|r| self.cx.text(r).to_string())
            .unwrap_or_default();
        let method = call
            .child_by_field_name("method")
            .map(|m| self.cx.text(m).to_string())
            .unwrap_or_default();
        (recv, method)
    }

    fn args<'t>(&self, call: Node<'t>) -> Vec<Node<'t>> {
        call.child_by_field_name("arguments")
            .map(|a| {
                kids(a)
                    .into_iter()
                    .filter(|k| !matches!(k.kind(), "comment" | "pair" | "hash"))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn eval(&self, n: Node) -> Option<Mapped> {
        match n.kind() {
            "string" => self.content(n),
            "parenthesized_statements" => self.eval(n.named_child(0)?),
            "identifier" => self.var(n),
            "element_reference" => {
                let o = self.cx.text(n.child_by_field_name("object")?);
                let k = self.eval(n.named_child(1)?)?;
                (o == "ENV" && k.text == "HOME").then(|| self.cx.made("~", n))
            }
            "binary" => {
                let l = self.eval(n.child_by_field_name("left")?)?;
                let r = self.eval(n.child_by_field_name("right")?)?;
                let op = self.cx.text(n.child_by_field_name("operator")?);
                match op {
                    "+" => Some(concat(l, &r)),
                    "/" | "+ '/' +" => join(vec![l, r]),
                    _ => None,
                }
            }
            "call" => {
                let (recv, method) = self.parts(n);
                let args = self.args(n);
                match (recv.as_str(), method.as_str()) {
                    ("Dir", "home") => Some(self.cx.made("~", n)),
                    ("ENV", "fetch") => args
                        .first()
                        .and_then(|a| self.eval(*a))
                        .filter(|k| k.text == "HOME")
                        .map(|_| self.cx.made("~", n)),
                    ("File", "expand_path") | ("Pathname", "new") => {
                        args.first().and_then(|a| self.eval(*a))
                    }
                    ("File", "join") => join(self.evals(args.iter().copied())?),
                    _ => None,
                }
            }
            "array" => argv(self.evals(kids(n))?),
            _ => None,
        }
    }

    fn visit(&mut self, n: Node) {
        match n.kind() {
            "call" => self.call(n),
            "subshell" => {
                let text = self.content(n);
                self.out.extend(Effect::shell("backticks", text));
            }
            _ => {}
        }
    }

    fn call(&mut self, n: Node) {
        let (recv, method) = self.parts(n);
        let args = self.args(n);
        let f = if recv.is_empty() {
            method.clone()
        } else {
            format!("{recv}.{method}")
        };
        let first = || args.first().and_then(|a| self.eval(*a));
        let span = self.cx.span(n);
        let delete = |recursive: bool, path| Effect::delete(&f, span, recursive, path);
        let fu = recv.is_empty() || recv == "FileUtils" || recv == "FileUtils::Verbose";
        let e = match (recv.as_str(), method.as_str()) {
            (
                _,
                "rm_rf" | "rm_r" | "remove_dir" | "remove_entry" | "remove_entry_secure" | "rmtree",
            ) if fu || recv.starts_with("Pathname") => {
                delete(true, first().or_else(|| self.receiver_path(n)))
            }
            (_, "rm" | "rm_f" | "remove" | "remove_file") if fu => delete(false, first()),
            ("File" | "Dir", "delete" | "unlink" | "rmdir") => delete(false, first()),
            ("", "system" | "exec" | "spawn")
            | ("Kernel" | "Process", "system" | "exec" | "spawn")
            | ("IO", "popen")
            | (
                "Open3",
                "capture2" | "capture2e" | "capture3" | "popen2" | "popen2e" | "popen3"
                | "pipeline",
            ) => {
                let words: Option<Vec<Mapped>> = args
                    .iter()
                    .filter(|a| a.kind() != "hash")
                    .map(|a| self.eval(*a))
                    .collect();
                let text = match words {
                    Some(w) if w.len() == 1 => w.into_iter().next(),
                    Some(w) => argv(w),
                    None => None,
                };
                Effect::shell(&f, text)
            }
            (r, "exec" | "execute" | "query" | "exec_query" | "execute_batch" | "async_exec")
                if !r.is_empty() =>
            {
                Effect::sql(&f, self.cx.dialect(), first())
            }
            _ => None,
        };
        self.out.extend(e);
    }

    /// `Pathname.new('/x').rmtree`
    fn receiver_path(&self, call: Node) -> Option<Mapped> {
        self.eval(call.child_by_field_name("receiver")?)
    }
}
