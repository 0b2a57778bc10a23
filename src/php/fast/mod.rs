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

mod expr;
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
}
