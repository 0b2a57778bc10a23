//! Python inline code (tree-sitter-python): `shutil.rmtree`, `os.remove`/`unlink`/`rmdir`/
//! `removedirs`, pathlib `.unlink()`/`.rmdir()`; `os.system`/`os.popen`/`subprocess.*`;
//! a cursor's or connection's `execute`/`executescript`/`executemany`.

use super::Effect;
use super::tree::{Cx, argv, join, kids, parse, unquote};
use super::walk::{self, concat};
use crate::shell::command::Mapped;
use std::collections::HashMap;
use tree_sitter::Node;

pub fn read(cx: &Cx) -> Vec<Effect> {
    walk::read::<Python>(cx, parse(1, || tree_sitter_python::LANGUAGE.into(), cx.src))
}

walk::language!(Python: "assignment", "left", "right", "identifier", forget: true);

impl Reader<'_, '_> {
    /// Positional arguments and the value of keyword `kw`.
    fn args<'t>(&self, call: Node<'t>) -> (Vec<Node<'t>>, HashMap<String, Node<'t>>) {
        let mut pos = Vec::new();
        let mut kw = HashMap::new();
        if let Some(a) = call.child_by_field_name("arguments") {
            for k in kids(a) {
                if k.kind() == "keyword_argument" {
                    if let (Some(n), Some(v)) = (
                        k.child_by_field_name("name"),
                        k.child_by_field_name("value"),
                    ) {
                        kw.insert(self.cx.text(n).to_string(), v);
                    }
                } else if k.kind() != "comment" {
                    pos.push(k);
                }
            }
        }
        (pos, kw)
    }

    fn callee(&self, call: Node) -> String {
        call.child_by_field_name("function")
            .map(|f| self.cx.text(f).split_whitespace().collect())
            .unwrap_or_default()
    }

    /// A path, a command or SQL known from literals.
    fn eval(&self, n: Node) -> Option<Mapped> {
        match n.kind() {
            "string" => {
                if kids(n).iter().any(|k| k.kind() == "interpolation") {
                    return None;
                }
                unquote(self.cx, n)
            }
            "concatenated_string" => {
                let mut m = Mapped::default();
                for k in kids(n) {
                    m.append(&self.eval(k)?);
                }
                Some(m)
            }
            "parenthesized_expression" => self.eval(n.named_child(0)?),
            "identifier" => self.var(n),
            "subscript" => {
                let v = self.cx.text(n.child_by_field_name("value")?);
                let key = self.eval(n.child_by_field_name("subscript")?)?;
                (v.ends_with("environ") && key.text == "HOME").then(|| self.cx.made("~", n))
            }
            "binary_operator" => {
                let op = n.child_by_field_name("operator").map(|o| self.cx.text(o));
                let l = self.eval(n.child_by_field_name("left")?)?;
                let r = self.eval(n.child_by_field_name("right")?)?;
                match op {
                    Some("/") => join(vec![l, r]),
                    Some("+") => Some(concat(l, &r)),
                    _ => None,
                }
            }
            "call" => {
                let f = self.callee(n);
                let (pos, kw) = self.args(n);
                let last = f.rsplit('.').next().unwrap_or("");
                match last {
                    "home" if f.contains("Path") => Some(self.cx.made("~", n)),
                    "getenv" | "get"
                        if (f.ends_with("os.getenv") || f.ends_with("environ.get"))
                            && pos
                                .first()
                                .and_then(|a| self.eval(*a))
                                .is_some_and(|k| k.text == "HOME") =>
                    {
                        Some(self.cx.made("~", n))
                    }
                    "expanduser" | "abspath" | "realpath" | "normpath" | "fspath" | "str" => {
                        match pos.first() {
                            Some(a) => self.eval(*a),
                            // `Path('~').expanduser()`
                            None => self.object(n),
                        }
                    }
                    "resolve" | "absolute" => self.object(n),
                    "join" if f.ends_with("path.join") => join(self.evals(pos.iter().copied())?),
                    "Path" | "PurePath" | "PosixPath" => {
                        let _ = kw;
                        join(self.evals(pos.iter().copied())?)
                    }
                    "text" => pos.first().and_then(|a| self.eval(*a)),
                    _ => None,
                }
            }
            "list" | "tuple" => argv(self.evals(kids(n))?),
            _ => None,
        }
    }

    /// The receiver of a method call, evaluated (`Path('/x')` of `Path('/x').unlink()`).
    fn object(&self, call: Node) -> Option<Mapped> {
        let f = call.child_by_field_name("function")?;
        if f.kind() != "attribute" {
            return None;
        }
        self.eval(f.child_by_field_name("object")?)
    }

    fn visit(&mut self, n: Node) {
        if n.kind() == "call" {
            self.call(n);
        }
    }

    fn call(&mut self, n: Node) {
        let f = self.callee(n);
        let (pos, kw) = self.args(n);
        let (obj, last) = match f.rsplit_once('.') {
            Some((o, l)) => (o, l),
            None => ("", f.as_str()),
        };
        let arg = |k: &str| pos.first().copied().or_else(|| kw.get(k).copied());
        let span = self.cx.span(n);
        let delete = |recursive: bool, path| Effect::delete(&f, span, recursive, path);
        let e = match last {
            "rmtree" if obj.is_empty() || obj.ends_with("shutil") => {
                delete(true, arg("path").and_then(|a| self.eval(a)))
            }
            "remove" | "unlink" | "rmdir" | "removedirs"
                if (obj.is_empty() || obj == "os") && !pos.is_empty() =>
            {
                delete(false, arg("path").and_then(|a| self.eval(a)))
            }
            // pathlib: `Path('/x').unlink()`
            "unlink" | "rmdir" if !obj.is_empty() && pos.is_empty() => {
                delete(false, self.object(n))
            }
            "system" | "popen" if obj == "os" || obj.is_empty() => {
                Effect::shell(&f, arg("command").and_then(|a| self.eval(a)))
            }
            "run" | "call" | "check_call" | "check_output" | "Popen" | "getoutput"
            | "getstatusoutput"
                if obj.ends_with("subprocess")
                    || (obj.is_empty() && last != "run" && last != "call") =>
            {
                Effect::shell(&f, arg("args").and_then(|a| self.eval(a)))
            }
            "execute" | "executescript" | "executemany" if !obj.is_empty() => {
                let sql = arg("sql").or_else(|| kw.get("statement").copied());
                Effect::sql(&f, self.cx.dialect(), sql.and_then(|a| self.eval(a)))
            }
            _ => None,
        };
        self.out.extend(e);
    }
}
