//! The fast path's expressions: call chains, closures, strings, arrays and the few operators
//! migrations use, built as tree-sitter-php builds them (see the parent module).

use super::lex::{self, Kind, Tok};
use super::{MAX_DEPTH, P};

/// Words that look like a function call but are language constructs (or keywords).
const CONSTRUCTS: &[&str] = &[
    "array",
    "list",
    "isset",
    "unset",
    "empty",
    "eval",
    "exit",
    "die",
    "echo",
    "print",
    "include",
    "include_once",
    "require",
    "require_once",
    "match",
    "fn",
    "function",
    "if",
    "elseif",
    "else",
    "foreach",
    "for",
    "while",
    "switch",
    "return",
    "new",
    "clone",
    "static",
    "self",
    "parent",
    "use",
    "class",
    "and",
    "or",
    "xor",
    "not",
    "instanceof",
    "throw",
    "yield",
    "true",
    "false",
    "null",
    "declare",
    "goto",
    "catch",
    "try",
    "do",
    "case",
    "default",
    "namespace",
    "const",
    "global",
    "abstract",
    "final",
    "readonly",
    "enum",
    "interface",
    "trait",
    "extends",
    "implements",
    "insteadof",
    "as",
    "break",
    "continue",
    "endif",
    "endforeach",
    "endfor",
    "endwhile",
    "endswitch",
    "enddeclare",
    "finally",
    "public",
    "protected",
    "private",
    "var",
    "callable",
    "int",
    "float",
    "bool",
    "string",
    "object",
    "mixed",
    "void",
    "never",
    "iterable",
    "print_r",
];

impl P<'_> {
    /// An expression: comparisons joined by one of `&&` / `||` (mixing them is not read).
    pub(super) fn expr(&mut self) -> Option<u32> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut e = self.comparison()?;
        let mut logical: Option<&'static str> = None;
        while let Some(op) = ["&&", "||"].into_iter().find(|o| self.is_punct(o)) {
            if logical.is_some_and(|l| l != op) {
                return None;
            }
            logical = Some(op);
            e = self.binary(e, op, Self::comparison)?;
        }
        // `a ?? b ?? c` is `a ?? (b ?? c)`
        if self.is_punct("??") {
            e = self.binary(e, "??", Self::expr)?;
        }
        self.depth -= 1;
        Some(e)
    }

    /// `left op right`, `right` read by `operand`.
    pub(super) fn binary(
        &mut self,
        left: u32,
        op: &'static str,
        operand: fn(&mut Self) -> Option<u32>,
    ) -> Option<u32> {
        let left = self.field(left, "left");
        let op = self.punct(op)?;
        let op = self.field(op, "operator");
        let right = operand(self)?;
        let right = self.field(right, "right");
        self.node("binary_expression", &[left, op, right])
    }

    /// One comparison of concatenations (`a === b`; a second comparison is not read).
    pub(super) fn comparison(&mut self) -> Option<u32> {
        let e = self.concat()?;
        let ops = ["===", "!==", "==", "!=", "<=", ">=", "<", ">"];
        let Some(op) = ops.into_iter().find(|o| self.is_punct(o)) else {
            return Some(e);
        };
        let e = self.binary(e, op, Self::concat)?;
        if ops.iter().any(|o| self.is_punct(o)) {
            return None;
        }
        Some(e)
    }

    /// `.` concatenations of operands.
    pub(super) fn concat(&mut self) -> Option<u32> {
        let mut e = self.unary()?;
        while self.is_punct(".") {
            e = self.binary(e, ".", Self::unary)?;
        }
        Some(e)
    }

    /// `-1`, `-1.5`, `!x`, or an operand with its calls.
    pub(super) fn unary(&mut self) -> Option<u32> {
        if self.is_punct("!") {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return None;
            }
            let op = self.punct("!")?;
            let op = self.field(op, "operator");
            let arg = self.unary()?;
            let arg = self.field(arg, "argument");
            self.depth -= 1;
            return self.node("unary_op_expression", &[op, arg]);
        }
        if self.is_punct("-") {
            let op = self.punct("-")?;
            let op = self.field(op, "operator");
            let arg = match self.peek()?.kind {
                Kind::Int => self.leaf("integer", true)?,
                Kind::Float => self.leaf("float", true)?,
                _ => return None,
            };
            let arg = self.field(arg, "argument");
            return self.node("unary_op_expression", &[op, arg]);
        }
        let mut e = self.primary()?;
        loop {
            let nullsafe = if self.is_punct("->") {
                false
            } else if self.is_punct("?->") {
                true
            } else {
                return Some(e);
            };
            let object = self.field(e, "object");
            let arrow = if nullsafe {
                self.punct("?->")?
            } else {
                self.punct("->")?
            };
            let name = self.name()?;
            let name = self.field(name, "name");
            if !self.is_punct("(") {
                let kind = if nullsafe {
                    "nullsafe_member_access_expression"
                } else {
                    "member_access_expression"
                };
                e = self.node(kind, &[object, arrow, name])?;
                continue;
            }
            let args = self.arguments()?;
            let args = self.field(args, "arguments");
            let kind = if nullsafe {
                "nullsafe_member_call_expression"
            } else {
                "member_call_expression"
            };
            e = self.node(kind, &[object, arrow, name, args])?;
        }
    }

    pub(super) fn primary(&mut self) -> Option<u32> {
        let t = self.peek()?;
        match t.kind {
            Kind::Var => self.variable(),
            Kind::Str => self.string(t),
            Kind::Encapsed => self.encapsed(t),
            Kind::Int => self.leaf("integer", true),
            Kind::Float => self.leaf("float", true),
            Kind::Punct("[") => self.array(),
            Kind::Name => {
                if matches!(self.peek_at(1), Some(x) if x.kind == Kind::Punct("::")) {
                    return self.scoped();
                }
                let w = self.text(t);
                match w {
                    "function" | "fn" => return self.closure(None),
                    "static" => {
                        let kw = self.kw("static")?;
                        let m = self.node("static_modifier", &[kw])?;
                        let m = self.field(m, "static_modifier");
                        return self.closure(Some(m));
                    }
                    _ => {}
                }
                if matches!(self.peek_at(1), Some(x) if x.kind == Kind::Punct("(")) {
                    return self.function_call(w);
                }
                if w.eq_ignore_ascii_case("true") || w.eq_ignore_ascii_case("false") {
                    self.leaf("boolean", true)
                } else if w.eq_ignore_ascii_case("null") {
                    self.leaf("null", true)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// `name(args)`: a plain function (not a construct PHP spells like one).
    pub(super) fn function_call(&mut self, w: &str) -> Option<u32> {
        let lower = w.to_ascii_lowercase();
        if CONSTRUCTS.contains(&lower.as_str()) {
            return None;
        }
        let f = self.name()?;
        let f = self.field(f, "function");
        let args = self.arguments()?;
        let args = self.field(args, "arguments");
        self.node("function_call_expression", &[f, args])
    }

    /// `Name::method(args)`, `Name::class`, `Name::CONSTANT`
    pub(super) fn scoped(&mut self) -> Option<u32> {
        let scope = self.peek()?;
        if matches!(
            self.text(scope).to_ascii_lowercase().as_str(),
            "static" | "self" | "parent"
        ) {
            return None;
        }
        let scope = self.name()?;
        let colons = self.punct("::")?;
        let name = self.name()?;
        if !self.is_punct("(") {
            return self.node("class_constant_access_expression", &[scope, colons, name]);
        }
        let scope = self.field(scope, "scope");
        let name = self.field(name, "name");
        let args = self.arguments()?;
        let args = self.field(args, "arguments");
        self.node("scoped_call_expression", &[scope, colons, name, args])
    }

    /// `function (…) use (…): void { … }`, `fn (…) => expr` (after `static`, if any).
    pub(super) fn closure(&mut self, static_modifier: Option<u32>) -> Option<u32> {
        let mut kids: Vec<u32> = static_modifier.into_iter().collect();
        let arrow = self.is_word("fn");
        kids.push(if arrow {
            self.kw("fn")?
        } else {
            self.kw("function")?
        });
        let params = self.parameters()?;
        kids.push(self.field(params, "parameters"));
        if !arrow && self.is_word("use") {
            let mut uses = vec![self.kw("use")?, self.punct("(")?];
            loop {
                uses.push(self.variable()?);
                if self.is_punct(",") {
                    uses.push(self.punct(",")?);
                } else {
                    break;
                }
            }
            uses.push(self.punct(")")?);
            kids.push(self.node("anonymous_function_use_clause", &uses)?);
        }
        self.return_type(&mut kids)?;
        if arrow {
            kids.push(self.punct("=>")?);
            let body = self.expr()?;
            kids.push(self.field(body, "body"));
            self.node("arrow_function", &kids)
        } else {
            let body = self.compound()?;
            kids.push(self.field(body, "body"));
            self.node("anonymous_function", &kids)
        }
    }

    /// `(a, name: b, …)`
    pub(super) fn arguments(&mut self) -> Option<u32> {
        self.list("(", ")", "arguments", Self::argument)
    }

    /// `a`, `name: a`
    pub(super) fn argument(&mut self) -> Option<u32> {
        let mut arg = Vec::new();
        if matches!(self.peek(), Some(t) if t.kind == Kind::Name)
            && matches!(self.peek_at(1), Some(t) if t.kind == Kind::Punct(":"))
        {
            let name = self.name()?;
            arg.push(self.field(name, "name"));
            arg.push(self.punct(":")?);
        }
        arg.push(self.expr()?);
        self.node("argument", &arg)
    }

    /// `['a', 'k' => 'v', …]`
    pub(super) fn array(&mut self) -> Option<u32> {
        self.list("[", "]", "array_creation_expression", Self::element)
    }

    /// `'a'`, `'k' => 'v'`
    pub(super) fn element(&mut self) -> Option<u32> {
        let mut el = vec![self.expr()?];
        if self.is_punct("=>") {
            el.push(self.punct("=>")?);
            el.push(self.expr()?);
        }
        self.node("array_element_initializer", &el)
    }

    /// `open item, item, … close` (a trailing comma allowed, comments between items).
    pub(super) fn list(
        &mut self,
        open: &'static str,
        close: &'static str,
        kind: &'static str,
        item: fn(&mut Self) -> Option<u32>,
    ) -> Option<u32> {
        let mut kids = vec![self.punct(open)?];
        loop {
            self.comments(&mut kids)?;
            if self.is_punct(close) {
                break;
            }
            kids.push(item(self)?);
            self.comments(&mut kids)?;
            if self.is_punct(",") {
                kids.push(self.punct(",")?);
            } else {
                break;
            }
        }
        kids.push(self.punct(close)?);
        self.node(kind, &kids)
    }

    /// `'…'`: `\\` and `\'` are escape sequences, the rest string content.
    pub(super) fn string(&mut self, t: Tok) -> Option<u32> {
        self.at += 1;
        let mut kids = vec![self.t.push("'", None, false, t.start, t.start + 1)];
        self.segments_of(t, &mut kids, |b| matches!(b, b'\\' | b'\''));
        kids.push(self.t.push("'", None, false, t.end - 1, t.end));
        self.node("string", &kids)
    }

    /// `"…"` (the lexer checked it): escapes, string content and interpolations.
    pub(super) fn encapsed(&mut self, t: Tok) -> Option<u32> {
        self.at += 1;
        let mut kids = vec![self.t.push("\"", None, false, t.start, t.start + 1)];
        let b = self.src.as_bytes();
        let (from, to) = (t.start + 1, t.end - 1);
        let mut run = from;
        let mut i = from;
        while i < to {
            let interp = match b[i] {
                b'$' => true,
                b'{' => b.get(i + 1) == Some(&b'$'),
                _ => false,
            };
            let escape = b[i] == b'\\' && i + 1 < to && lex::plain_escape(b[i + 1]);
            if !interp && !escape {
                i += 1;
                continue;
            }
            if run < i {
                kids.push(self.t.push("string_content", None, true, run, i));
            }
            if escape {
                kids.push(self.t.push("escape_sequence", None, true, i, i + 2));
                i += 2;
            } else {
                let x = lex::interpolation(b, i)?;
                if x.braced {
                    kids.push(self.t.push("{", None, false, i, i + 1));
                }
                let (vs, ve) = x.var;
                let dollar = self.t.push("$", None, false, vs, vs + 1);
                let name = self.t.push("name", None, true, vs + 1, ve);
                let mut e = self.node("variable_name", &[dollar, name])?;
                if let Some((ms, me)) = x.member {
                    let object = self.field(e, "object");
                    let arrow = self.t.push("->", None, false, ve, ve + 2);
                    let name = self.t.push("name", Some("name"), true, ms, me);
                    e = self.node("member_access_expression", &[object, arrow, name])?;
                }
                kids.push(e);
                if x.braced {
                    kids.push(self.t.push("}", None, false, x.end - 1, x.end));
                }
                i = x.end;
            }
            run = i;
        }
        if run < to {
            kids.push(self.t.push("string_content", None, true, run, to));
        }
        kids.push(self.t.push("\"", None, false, t.end - 1, t.end));
        self.node("encapsed_string", &kids)
    }

    /// The body of a quoted string token as `string_content` runs and `escape_sequence`s
    /// (a backslash before a byte `escape` accepts).
    pub(super) fn segments_of(&mut self, t: Tok, kids: &mut Vec<u32>, escape: impl Fn(u8) -> bool) {
        let b = self.src.as_bytes();
        let (from, to) = (t.start + 1, t.end - 1);
        let mut run = from;
        let mut i = from;
        while i < to {
            if b[i] == b'\\' && i + 1 < to && escape(b[i + 1]) {
                if run < i {
                    kids.push(self.t.push("string_content", None, true, run, i));
                }
                kids.push(self.t.push("escape_sequence", None, true, i, i + 2));
                i += 2;
                run = i;
            } else {
                i += 1;
            }
        }
        if run < to {
            kids.push(self.t.push("string_content", None, true, run, to));
        }
    }
}
