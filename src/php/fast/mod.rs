//! A fast path around tree-sitter for the common Laravel migration: `<?php`, a namespace,
//! `use` imports, comments, and a class extending `Migration` (named, or `return new class
//! extends Migration { … };`) whose methods are call chains, assignments of variables and
//! closures (`Schema::table('t', function (Blueprint $table) { $table->…; })`), with strings,
//! numbers, booleans, arrays and `.` concatenations as arguments. A strict hand-written lexer
//! ([`lex`]) and recursive-descent reader build exactly the syntax tree tree-sitter-php gives
//! (the same kinds, fields and spans, anonymous tokens included) or return `None` on anything
//! they do not fully understand — then the caller parses with tree-sitter as before, so a
//! broken or unusual file is still read the way it always was. The tests run both builders on
//! every fixture (and every truncation of it), on tricky snippets and, ignored, on a corpus
//! (`PREFLIGHT_PHP_CORPUS=dir`), and require equal trees whenever the fast path answers.

mod lex;
#[cfg(test)]
mod tests;

use super::tree::Tree;
use lex::{Kind, Tok};

/// Nesting deeper than this: not the fast path's business.
const MAX_DEPTH: usize = 100;

/// The syntax tree of `src`, built without tree-sitter; `None`: not in the subset.
pub fn tree(src: &str) -> Option<Tree> {
    let toks = lex::lex(src)?;
    let mut p = P {
        src,
        toks,
        at: 0,
        t: Tree::default(),
        depth: 0,
    };
    let done = p.program();
    #[cfg(test)]
    if done.is_none() {
        FAILED_AT.set(p.peek().map_or(src.len(), |t| t.start));
    }
    done?;
    Some(p.t)
}

#[cfg(test)]
thread_local! {
    /// Where the reader last gave up (tests only: which shapes fall back).
    pub(crate) static FAILED_AT: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

struct P<'a> {
    src: &'a str,
    toks: Vec<Tok>,
    at: usize,
    t: Tree,
    depth: usize,
}

/// Primitive types read here (lower case, as the keyword): a `primitive_type` around it.
const PRIMITIVE: &[&str] = &["string", "int", "array", "object", "bool", "float"];

/// Type names tree-sitter-php reads as `primitive_type` (or otherwise not a `named_type`).
const NOT_NAMED_TYPES: &[&str] = &[
    "array", "callable", "iterable", "bool", "float", "int", "string", "void", "mixed", "null",
    "object", "static", "self", "parent", "false", "true", "never", "integer", "boolean", "double",
    "fn", "function", "use", "new", "class",
];

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

impl<'a> P<'a> {
    fn peek(&self) -> Option<Tok> {
        self.toks.get(self.at).copied()
    }

    fn peek_at(&self, k: usize) -> Option<Tok> {
        self.toks.get(self.at + k).copied()
    }

    fn text(&self, t: Tok) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok { kind: Kind::Punct(x), .. }) if x == p)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(t) if t.kind == Kind::Name && self.text(t) == w)
    }

    /// The next token as a leaf of `kind`.
    fn leaf(&mut self, kind: &'static str, named: bool) -> Option<u32> {
        let t = self.peek()?;
        self.at += 1;
        Some(self.t.push(kind, None, named, t.start, t.end))
    }

    /// `p` (punctuation) as an anonymous leaf.
    fn punct(&mut self, p: &'static str) -> Option<u32> {
        if !self.is_punct(p) {
            return None;
        }
        self.leaf(p, false)
    }

    /// The keyword `w` (exactly, lower case) as an anonymous leaf.
    fn kw(&mut self, w: &'static str) -> Option<u32> {
        if !self.is_word(w) {
            return None;
        }
        self.leaf(w, false)
    }

    /// A name as a named `name` leaf.
    fn name(&mut self) -> Option<u32> {
        let t = self.peek()?;
        (t.kind == Kind::Name).then_some(())?;
        self.leaf("name", true)
    }

    /// A node over `kids` (in order, at least one).
    fn node(&mut self, kind: &'static str, kids: &[u32]) -> Option<u32> {
        let (start, _) = self.t.span(*kids.first()?);
        let (_, end) = self.t.span(*kids.last()?);
        let i = self.t.push(kind, None, true, start, end);
        self.t.link(i, kids);
        Some(i)
    }

    fn field(&mut self, i: u32, f: &'static str) -> u32 {
        self.t.set_field(i, f);
        i
    }

    /// Comments at a place where tree-sitter makes them children of the enclosing node.
    fn comments(&mut self, kids: &mut Vec<u32>) -> Option<()> {
        while matches!(self.peek(), Some(t) if t.kind == Kind::Comment) {
            kids.push(self.leaf("comment", true)?);
        }
        Some(())
    }

    fn program(&mut self) -> Option<()> {
        let root = self.t.push("program", None, true, 0, self.src.len());
        let mut kids = vec![self.t.push("php_tag", None, true, 0, 5)];
        loop {
            self.comments(&mut kids)?;
            let Some(t) = self.peek() else { break };
            if t.kind != Kind::Name {
                return None;
            }
            kids.push(match self.text(t) {
                "namespace" => self.namespace()?,
                "use" => self.use_declaration()?,
                "class" => self.class()?,
                "return" => self.return_new_class()?,
                _ => return None,
            });
        }
        self.t.link(root, &kids);
        Some(())
    }

    /// `A\B\C`: the names and backslashes (at least one name).
    fn segments(&mut self) -> Option<Vec<u32>> {
        let mut kids = vec![self.name()?];
        while self.is_punct("\\") {
            kids.push(self.punct("\\")?);
            kids.push(self.name()?);
        }
        Some(kids)
    }

    /// `namespace A\B;`
    fn namespace(&mut self) -> Option<u32> {
        let kw = self.kw("namespace")?;
        let segs = self.segments()?;
        let name = self.node("namespace_name", &segs)?;
        let name = self.field(name, "name");
        let semi = self.punct(";")?;
        self.node("namespace_definition", &[kw, name, semi])
    }

    /// A name or qualified name (`A\B\C`: `prefix: namespace_name`, `prefix: \`, name).
    fn qualified(&mut self) -> Option<u32> {
        let mut segs = self.segments()?;
        if segs.len() == 1 {
            return segs.pop();
        }
        let last = segs.pop()?;
        let slash = segs.pop()?;
        let prefix = self.node("namespace_name", &segs)?;
        let prefix = self.field(prefix, "prefix");
        let slash = self.field(slash, "prefix");
        self.node("qualified_name", &[prefix, slash, last])
    }

    /// `use A\B\C;`, `use A\B as C;`
    fn use_declaration(&mut self) -> Option<u32> {
        let kw = self.kw("use")?;
        let mut clause = vec![self.qualified()?];
        if self.is_word("as") {
            clause.push(self.kw("as")?);
            let alias = self.name()?;
            clause.push(self.field(alias, "alias"));
        }
        let clause = self.node("namespace_use_clause", &clause)?;
        let semi = self.punct(";")?;
        self.node("namespace_use_declaration", &[kw, clause, semi])
    }

    /// `extends Migration`
    fn base_clause(&mut self) -> Option<u32> {
        let kw = self.kw("extends")?;
        let name = self.name()?;
        self.node("base_clause", &[kw, name])
    }

    /// `class Name extends Base { … }`
    fn class(&mut self) -> Option<u32> {
        let mut kids = vec![self.kw("class")?];
        let name = self.name()?;
        kids.push(self.field(name, "name"));
        if self.is_word("extends") {
            kids.push(self.base_clause()?);
        }
        let body = self.declarations()?;
        kids.push(self.field(body, "body"));
        self.node("class_declaration", &kids)
    }

    /// `return new class extends Base { … };`
    fn return_new_class(&mut self) -> Option<u32> {
        let ret = self.kw("return")?;
        let new = self.kw("new")?;
        let class = self.kw("class")?;
        let base = self.base_clause()?;
        let body = self.declarations()?;
        let body = self.field(body, "body");
        let anon = self.node("anonymous_class", &[class, base, body])?;
        let obj = self.node("object_creation_expression", &[new, anon])?;
        let semi = self.punct(";")?;
        self.node("return_statement", &[ret, obj, semi])
    }

    /// `{ methods }`
    fn declarations(&mut self) -> Option<u32> {
        self.block("declaration_list", Self::method)
    }

    /// `{ item item … }` with comments between the items.
    fn block(&mut self, kind: &'static str, item: fn(&mut Self) -> Option<u32>) -> Option<u32> {
        let mut kids = vec![self.punct("{")?];
        loop {
            self.comments(&mut kids)?;
            if self.is_punct("}") {
                kids.push(self.punct("}")?);
                break;
            }
            kids.push(item(self)?);
        }
        self.node(kind, &kids)
    }

    /// `public function up(): void { … }`
    fn method(&mut self) -> Option<u32> {
        let t = self.peek()?;
        let vis = match self.text(t) {
            "public" => self.kw("public")?,
            "protected" => self.kw("protected")?,
            "private" => self.kw("private")?,
            _ => return None,
        };
        let mut kids = vec![self.node("visibility_modifier", &[vis])?];
        kids.push(self.kw("function")?);
        let name = self.name()?;
        kids.push(self.field(name, "name"));
        let params = self.parameters()?;
        kids.push(self.field(params, "parameters"));
        self.return_type(&mut kids)?;
        let body = self.compound()?;
        kids.push(self.field(body, "body"));
        self.node("method_declaration", &kids)
    }

    /// `: void`, `: array`… (a primitive type), when there is one.
    fn return_type(&mut self, kids: &mut Vec<u32>) -> Option<()> {
        if self.is_punct(":") {
            kids.push(self.punct(":")?);
            let t = self.peek()?;
            let w = self.text(t);
            let ty = if w == "void" {
                self.leaf("primitive_type", true)?
            } else if let Some(k) = PRIMITIVE.iter().find(|k| **k == w) {
                let k = self.leaf(k, false)?;
                self.node("primitive_type", &[k])?
            } else {
                return None;
            };
            kids.push(self.field(ty, "return_type"));
        }
        Some(())
    }

    /// `(Blueprint $table, $x)`
    fn parameters(&mut self) -> Option<u32> {
        let mut kids = vec![self.punct("(")?];
        loop {
            if self.is_punct(")") {
                break;
            }
            let mut p = Vec::new();
            if let Some(t) = self.peek()
                && t.kind == Kind::Name
            {
                let w = self.text(t);
                let ty = if let Some(k) = PRIMITIVE.iter().find(|k| **k == w) {
                    let k = self.leaf(k, false)?;
                    self.node("primitive_type", &[k])?
                } else if NOT_NAMED_TYPES.contains(&w.to_ascii_lowercase().as_str()) {
                    return None;
                } else {
                    let name = self.name()?;
                    self.node("named_type", &[name])?
                };
                p.push(self.field(ty, "type"));
            }
            let var = self.variable()?;
            p.push(self.field(var, "name"));
            kids.push(self.node("simple_parameter", &p)?);
            if self.is_punct(",") {
                kids.push(self.punct(",")?);
            } else {
                break;
            }
        }
        kids.push(self.punct(")")?);
        self.node("formal_parameters", &kids)
    }

    /// `$name`
    fn variable(&mut self) -> Option<u32> {
        let t = self.peek()?;
        (t.kind == Kind::Var).then_some(())?;
        self.at += 1;
        let dollar = self.t.push("$", None, false, t.start, t.start + 1);
        let name = self.t.push("name", None, true, t.start + 1, t.end);
        self.node("variable_name", &[dollar, name])
    }

    /// `{ statements }`
    fn compound(&mut self) -> Option<u32> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let block = self.block("compound_statement", Self::statement)?;
        self.depth -= 1;
        Some(block)
    }

    /// `expr;`, `$x = expr;`, `if`, `foreach`, `return`.
    fn statement(&mut self) -> Option<u32> {
        if let Some(t) = self.peek()
            && t.kind == Kind::Name
        {
            match self.text(t) {
                "if" => return self.if_statement(),
                "foreach" => return self.foreach(),
                "return" => {
                    let mut kids = vec![self.kw("return")?];
                    if !self.is_punct(";") {
                        kids.push(self.expr()?);
                    }
                    kids.push(self.punct(";")?);
                    return self.node("return_statement", &kids);
                }
                _ => {}
            }
        }
        let mut e = self.expr()?;
        let assignable = matches!(self.t.kind(e), "variable_name" | "member_access_expression");
        if assignable && (self.is_punct("=") || self.is_punct(".=")) {
            let left = self.field(e, "left");
            let augmented = self.is_punct(".=");
            let op = if augmented {
                let op = self.punct(".=")?;
                self.field(op, "operator")
            } else {
                self.punct("=")?
            };
            let right = self.expr()?;
            let right = self.field(right, "right");
            let kind = if augmented {
                "augmented_assignment_expression"
            } else {
                "assignment_expression"
            };
            e = self.node(kind, &[left, op, right])?;
        }
        let semi = self.punct(";")?;
        self.node("expression_statement", &[e, semi])
    }

    /// `(expr)` as an `if` condition.
    fn condition(&mut self) -> Option<u32> {
        let open = self.punct("(")?;
        let e = self.expr()?;
        let close = self.punct(")")?;
        let c = self.node("parenthesized_expression", &[open, e, close])?;
        Some(self.field(c, "condition"))
    }

    /// `if (…) { … } elseif (…) { … } else { … }`
    fn if_statement(&mut self) -> Option<u32> {
        let mut kids = vec![self.kw("if")?, self.condition()?];
        let body = self.compound()?;
        kids.push(self.field(body, "body"));
        while self.is_word("elseif") {
            let kw = self.kw("elseif")?;
            let cond = self.condition()?;
            let body = self.compound()?;
            let body = self.field(body, "body");
            let c = self.node("else_if_clause", &[kw, cond, body])?;
            kids.push(self.field(c, "alternative"));
        }
        if self.is_word("else") {
            let kw = self.kw("else")?;
            let body = self.compound()?;
            let body = self.field(body, "body");
            let c = self.node("else_clause", &[kw, body])?;
            kids.push(self.field(c, "alternative"));
        }
        self.node("if_statement", &kids)
    }

    /// `foreach (expr as $v) { … }`, `foreach (expr as $k => $v) { … }`
    fn foreach(&mut self) -> Option<u32> {
        let mut kids = vec![self.kw("foreach")?, self.punct("(")?, self.expr()?];
        kids.push(self.kw("as")?);
        let v = self.variable()?;
        if self.is_punct("=>") {
            let arrow = self.punct("=>")?;
            let w = self.variable()?;
            kids.push(self.node("pair", &[v, arrow, w])?);
        } else {
            kids.push(v);
        }
        kids.push(self.punct(")")?);
        let body = self.compound()?;
        kids.push(self.field(body, "body"));
        self.node("foreach_statement", &kids)
    }

    /// An expression: comparisons joined by one of `&&` / `||` (mixing them is not read).
    fn expr(&mut self) -> Option<u32> {
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
    fn binary(
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
    fn comparison(&mut self) -> Option<u32> {
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
    fn concat(&mut self) -> Option<u32> {
        let mut e = self.unary()?;
        while self.is_punct(".") {
            e = self.binary(e, ".", Self::unary)?;
        }
        Some(e)
    }

    /// `-1`, `-1.5`, `!x`, or an operand with its calls.
    fn unary(&mut self) -> Option<u32> {
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

    fn primary(&mut self) -> Option<u32> {
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
    fn function_call(&mut self, w: &str) -> Option<u32> {
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
    fn scoped(&mut self) -> Option<u32> {
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
    fn closure(&mut self, static_modifier: Option<u32>) -> Option<u32> {
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
    fn arguments(&mut self) -> Option<u32> {
        self.list("(", ")", "arguments", Self::argument)
    }

    /// `a`, `name: a`
    fn argument(&mut self) -> Option<u32> {
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
    fn array(&mut self) -> Option<u32> {
        self.list("[", "]", "array_creation_expression", Self::element)
    }

    /// `'a'`, `'k' => 'v'`
    fn element(&mut self) -> Option<u32> {
        let mut el = vec![self.expr()?];
        if self.is_punct("=>") {
            el.push(self.punct("=>")?);
            el.push(self.expr()?);
        }
        self.node("array_element_initializer", &el)
    }

    /// `open item, item, … close` (a trailing comma allowed, comments between items).
    fn list(
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
    fn string(&mut self, t: Tok) -> Option<u32> {
        self.at += 1;
        let mut kids = vec![self.t.push("'", None, false, t.start, t.start + 1)];
        self.segments_of(t, &mut kids, |b| matches!(b, b'\\' | b'\''));
        kids.push(self.t.push("'", None, false, t.end - 1, t.end));
        self.node("string", &kids)
    }

    /// `"…"` (the lexer checked it): escapes, string content and interpolations.
    fn encapsed(&mut self, t: Tok) -> Option<u32> {
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
    fn segments_of(&mut self, t: Tok, kids: &mut Vec<u32>, escape: impl Fn(u8) -> bool) {
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
