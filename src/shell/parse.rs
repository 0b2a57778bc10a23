//! tree-sitter-bash glue: walks every place a command can run (top level, functions, `if` /
//! `while` / `for` / `case` bodies, pipelines, `&&`/`||` lists, subshells, command
//! substitutions) and produces [`Item`]s in document order. Strings run by `bash -c`, `eval`,
//! `ssh host '…'`, `trap '…'` are parsed again and walked with a map back into the file.

use super::command::{Command, Flow, Guard, Item, Mapped, Part, Parts, Text, Word, basename};
use super::tree::Node;
use super::tree::kind;
use super::unwrap;
use crate::source::Span;
use smallvec::SmallVec;

/// The node kinds a word is made of, as a pattern: plain and quoted words, concatenations,
/// expansions, numbers. The statement walk and the `[ … ]` / `[[ … ]]` reader both take them
/// whole (a macro: the walk's `match` stays one flat match on its hot path).
macro_rules! word_kinds {
    () => {
        "word"
            | "string"
            | "raw_string"
            | "concatenation"
            | "simple_expansion"
            | "expansion"
            | "number"
    };
}

mod builtins;
#[cfg(test)]
mod cache_tests;
mod conditionals;
mod eval;
#[cfg(test)]
mod feed_tests;
mod redirects;
mod words;

pub use eval::Env;

/// Deeper statement nesting than this is not walked (reported once).
const MAX_DEPTH: usize = 120;
/// Word structure (`${a:-${b:-…}}`) deeper than this is opaque.
const MAX_WORD_DEPTH: usize = 48;
/// `bash -c "eval '…'"` nesting.
const MAX_REPARSE: usize = 6;

pub struct Walker<'t> {
    src: &'t str,
    /// Offsets of `src` in the file; `None` when `src` is the file.
    map: Option<&'t Mapped>,
    pub items: Vec<Item>,
    /// Where nesting went deeper than [`MAX_DEPTH`].
    pub too_deep: Option<Span>,
    reparse_depth: usize,
    reparsed: bool,
    subs: Vec<Node<'t>>,
    feed_in: Option<Mapped>,
    feed_out: Option<Mapped>,
    /// Or the item whose command's output it is (its words and stdin never change).
    feed_at: Option<usize>,
    /// The previous pipeline stage's words, for the next stage's command (`fed_by`).
    fed_in: Vec<String>,
    fed_out: Vec<String>,
    in_pipeline: usize,
    /// What the script assigned so far: literal variables, aliases, and the positional
    /// parameters of the function call being walked ([`eval`]).
    pub env: Env,
    /// Functions defined so far: name → (body, definition span, whether the body reads
    /// positional parameters).
    funcs: super::command::NameMap<(Node<'t>, Span, bool)>,
    /// Functions being walked at a call (no recursion).
    calling: Vec<String>,
    /// Bodies walked at calls so far (a budget: calls in loops of calls stay cheap).
    calls_walked: usize,
    /// Set while a function body is walked at a call: see [`Command::bound`].
    bound: Option<Span>,
    /// Name of the command of the previous pipeline stage (`find` in `find … | xargs rm`).
    prev_stage: Option<String>,
    /// Words of function bodies converted at a call, by node: the next call copies them
    /// ([`Walker::word`]), with the substitutions they hold.
    word_cache:
        std::collections::HashMap<usize, (Word, Vec<Node<'t>>), foldhash::fast::RandomState>,
    /// Off in a test only (the cache against fresh conversions).
    cache_words: bool,
}

impl<'t> Walker<'t> {
    pub fn new(src: &'t str, map: Option<&'t Mapped>, reparse_depth: usize) -> Walker<'t> {
        Walker::with_items(src, map, reparse_depth, Vec::with_capacity(items_for(src)))
    }

    /// A walker that appends to `items` (a re-read string's commands go straight into the
    /// outer walk's list: no second list to copy over).
    fn with_items(
        src: &'t str,
        map: Option<&'t Mapped>,
        reparse_depth: usize,
        items: Vec<Item>,
    ) -> Walker<'t> {
        Walker {
            src,
            map,
            items,
            too_deep: None,
            reparse_depth,
            reparsed: map.is_some(),
            subs: Vec::new(),
            feed_in: None,
            feed_out: None,
            feed_at: None,
            fed_in: Vec::new(),
            fed_out: Vec::new(),
            in_pipeline: 0,
            env: Env::default(),
            funcs: Default::default(),
            calling: Vec::new(),
            calls_walked: 0,
            bound: None,
            prev_stage: None,
            word_cache: Default::default(),
            cache_words: true,
        }
    }

    fn at(&self, i: usize) -> usize {
        self.map.map_or(i, |m| m.at(i))
    }
    fn span_of(&self, a: usize, b: usize) -> Span {
        match self.map {
            None => Span::new(a, b),
            Some(m) => m.span(Span::new(a, b)),
        }
    }
    fn span(&self, n: Node) -> Span {
        self.span_of(n.start_byte(), n.end_byte())
    }
    fn text(&self, n: Node) -> &'t str {
        self.src.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }
    /// A command at `node` that reads no input and runs nothing else (a bare redirection, a
    /// test), with the walker's own state filled in.
    fn plain_command(
        &self,
        words: Vec<Word>,
        node: Node,
        flow: Flow,
        redirects: Vec<super::command::Redirect>,
    ) -> Command {
        Command {
            words,
            span: self.span(node),
            stdin: None,
            flow,
            via: Vec::new(),
            reparsed: self.reparsed,
            in_pipeline: self.in_pipeline > 0,
            redirects,
            bound: self.bound,
            fed_by: Vec::new(),
        }
    }
    fn push_src(&self, m: &mut Mapped, a: usize, b: usize) {
        if let Some(s) = self.src.get(a..b) {
            match self.map {
                None => m.push_run(s, a),
                Some(_) => m.push_with(s, |i| self.at(a + i)),
            }
        }
    }

    // ---------------------------------------------------------------- statements

    pub fn stmt(&mut self, node: Node<'t>, flow: Flow, depth: usize) {
        if depth > MAX_DEPTH {
            if self.too_deep.is_none() {
                self.too_deep = Some(self.span_of(node.start_byte(), node.start_byte() + 1));
            }
            return;
        }
        let d = depth + 1;
        match kind(node) {
            "comment" | "heredoc_body" | "heredoc_start" | "heredoc_end" | "heredoc_content"
            | "file_redirect" => {}
            "command" => self.command(node, &[], flow, d),
            "redirected_statement" => self.redirected(node, flow, d),
            "list" => self.list(node, d),
            "pipeline" => self.pipeline(node, flow, d),
            "subshell" => {
                self.items.push(Item::Enter);
                self.children(node, d);
                self.items.push(Item::Exit);
            }
            "function_definition" => {
                self.define(node);
                self.items.push(Item::Enter);
                if let Some(b) = node.field("body") {
                    self.stmt(b, Flow::default(), d);
                }
                self.items.push(Item::Exit);
            }
            "negated_command" => {
                let f = Flow {
                    checked: true,
                    ..Flow::default()
                };
                for ch in node.named_children() {
                    self.stmt(ch, f, d);
                }
            }
            "if_statement" => self.if_statement(node, d),
            "while_statement" | "until_statement" => self.clauses(fields(node), false, d),
            "for_statement" | "select_statement" => {
                let mut name = None;
                let mut non_empty = true;
                let kids = fields(node);
                for (field, ch) in &kids {
                    match *field {
                        Some("variable") => name = Some(self.text(*ch).to_string()),
                        Some("value") => {
                            let w = self.word(*ch, d);
                            self.walk_subs(d);
                            // quoted expansions ("$@", "$x") may yield empty words
                            let quoted_var = kind(*ch) == "string"
                                && w.parts.iter().any(|p| !matches!(p, Part::Lit { .. }));
                            if quoted_var || w.lit_cow().is_some_and(|l| l.is_empty()) {
                                non_empty = false;
                            }
                        }
                        _ => {}
                    }
                }
                if let Some(name) = name {
                    self.env.assign(&name, None);
                    self.items.push(Item::LoopVar { name, non_empty });
                }
                for (field, ch) in kids {
                    if field == Some("body") {
                        self.stmt(ch, Flow::default(), d);
                    }
                }
            }
            "case_statement" => {
                if let Some(v) = node.field("value") {
                    self.word(v, d);
                    self.walk_subs(d);
                }
                for item in node.named_children() {
                    if kind(item) == "case_item" {
                        let kids = item.fields();
                        for (field, ch) in kids {
                            if ch.is_named() && field != Some("value") {
                                self.stmt(ch, Flow::default(), d);
                            }
                        }
                    }
                }
            }
            "test_command" => self.test_command(node, flow, d),
            "declaration_command" => self.declaration(node, d),
            "unset_command" => {
                for ch in node.named_children() {
                    self.forget(ch);
                }
            }
            "variable_assignment" => self.assignment(node, d),
            "variable_assignments" => {
                for ch in node.named_children() {
                    self.assignment(ch, d);
                }
            }
            word_kinds!() | "ansi_c_string" | "arithmetic_expansion" => {
                self.word(node, d);
                self.walk_subs(d);
            }
            "command_substitution" | "process_substitution" => {
                self.items.push(Item::Enter);
                self.children(node, d);
                self.items.push(Item::Exit);
            }
            _ => self.children(node, d),
        }
    }

    fn children(&mut self, node: Node<'t>, depth: usize) {
        for ch in node.named_children() {
            self.stmt(ch, Flow::default(), depth);
        }
    }

    /// `a && b || c`: tree-sitter nests lists to the left; flatten so long chains do not
    /// recurse, and work out which operands have their failure handled.
    fn list(&mut self, node: Node<'t>, depth: usize) {
        // (on the stack: most lists have a few operands)
        let mut rest: SmallVec<[(&'static str, Node<'t>); 8]> = SmallVec::new();
        let mut cur = node;
        loop {
            if kind(cur) != "list" {
                break;
            }
            let Some(left) = cur.named_child(0) else {
                break;
            };
            let mut op = "";
            let mut right = None;
            for ch in cur.children().skip(1) {
                if ch.is_named() {
                    right = Some(ch);
                } else if op.is_empty() {
                    op = kind(ch);
                }
            }
            if let Some(r) = right {
                rest.push((op, r));
            }
            cur = left;
        }
        rest.reverse();
        let mut operands: SmallVec<[Node<'t>; 8]> = SmallVec::with_capacity(rest.len() + 1);
        operands.push(cur);
        let mut ops: SmallVec<[&'static str; 8]> = SmallVec::with_capacity(rest.len());
        for (op, n) in rest {
            ops.push(op);
            operands.push(n);
        }
        let exits: SmallVec<[bool; 8]> = operands.iter().map(|n| self.exits(*n, 0)).collect();
        let mut open_guards = 0;
        for (i, n) in operands.iter().enumerate() {
            // `a && b || c`: c runs when a or b failed, so a's guard ends before it
            if i > 0 && ops[i - 1] != "&&" {
                for _ in 0..open_guards {
                    self.items.push(Item::GuardEnd);
                }
                open_guards = 0;
            }
            let next = ops.get(i).copied();
            let mut on_fail_exits = false;
            for k in i + 1..operands.len() {
                match ops[k - 1] {
                    "||" => {
                        on_fail_exits = exits[k];
                        break;
                    }
                    "&&" => continue,
                    _ => break,
                }
            }
            let on_success_exits = next == Some("&&") && exits.get(i + 1) == Some(&true);
            let flow = Flow {
                checked: next == Some("&&") || on_fail_exits,
                on_fail_exits,
                on_success_exits,
                guards: next == Some("&&"),
            };
            if flow.guards {
                self.items.push(Item::GuardStart);
                open_guards += 1;
            }
            self.stmt(*n, flow, depth);
        }
        for _ in 0..open_guards {
            self.items.push(Item::GuardEnd);
        }
    }

    fn pipeline(&mut self, node: Node<'t>, flow: Flow, depth: usize) {
        self.pipeline_stages(node, None, flow, depth);
    }

    /// Walks the stages of a `pipeline` node, each fed by the previous one's output
    /// (the first by `feed`); only the last stage gets `flow`.
    fn pipeline_stages(
        &mut self,
        node: Node<'t>,
        mut feed: Option<Mapped>,
        flow: Flow,
        depth: usize,
    ) {
        let stages: Vec<Node> = node.named_children().collect();
        let n = stages.len();
        let mut prev = None;
        let mut fed = Vec::new();
        for (i, st) in stages.into_iter().enumerate() {
            self.items.push(Item::Enter);
            self.in_pipeline += 1;
            self.feed_in = feed.take();
            self.feed_out = None;
            self.feed_at = None;
            self.prev_stage = prev.take();
            self.fed_in = std::mem::take(&mut fed);
            self.fed_out = Vec::new();
            let f = if i + 1 == n { flow } else { Flow::default() };
            let start = self.items.len();
            self.stmt(st, f, depth);
            prev = self.items[start..].iter().find_map(|it| match it {
                Item::Cmd(c) => c.name().map(str::to_string),
                _ => None,
            });
            self.prev_stage = None;
            feed = self.take_feed();
            fed = std::mem::take(&mut self.fed_out);
            self.feed_in = None;
            self.fed_in = Vec::new();
            self.in_pipeline -= 1;
            self.items.push(Item::Exit);
        }
    }

    fn redirected(&mut self, node: Node<'t>, flow: Flow, depth: usize) {
        // (on the stack: a statement has a few redirections)
        let mut redirects: SmallVec<[Node<'t>; 4]> = SmallVec::new();
        let mut body = None;
        for (field, ch) in node.fields() {
            match field {
                Some("body") => body = Some(ch),
                _ if ch.is_named() => redirects.push(ch),
                _ => {}
            }
        }
        // what follows a heredoc on its line: `cat <<EOF | psql`, `cmd <<EOF && next`
        let mut pipe_cont: SmallVec<[Node<'t>; 2]> = SmallVec::new();
        let mut right: SmallVec<[Node<'t>; 2]> = SmallVec::new();
        let mut and_op = None;
        for r in &redirects {
            if kind(*r) != "heredoc_redirect" {
                continue;
            }
            for (field, ch) in r.fields() {
                match (field, kind(ch)) {
                    (_, "pipeline") => pipe_cont.push(ch),
                    (Some("right"), _) => right.push(ch),
                    (Some("operator"), k) => and_op = Some(k.to_string()),
                    _ => {}
                }
            }
        }
        let right_exits = right.iter().any(|r| self.exits(*r, 0));
        let mut bflow = flow;
        match and_op.as_deref() {
            Some("&&") => bflow.checked = true,
            Some("||") if right_exits => {
                bflow.checked = true;
                bflow.on_fail_exits = true;
            }
            _ => {}
        }
        if !pipe_cont.is_empty() {
            bflow = Flow::default();
            self.items.push(Item::Enter);
            self.in_pipeline += 1;
        }
        match body {
            Some(b) if kind(b) == "command" => self.command(b, &redirects, bflow, depth),
            Some(b) => {
                self.stmt(b, bflow, depth);
                for r in &redirects {
                    if kind(*r) != "heredoc_redirect" {
                        self.word(*r, depth);
                        self.walk_subs(depth);
                    }
                }
            }
            // `> prod.db` alone
            None => self.command(node, &[], bflow, depth),
        }
        if !pipe_cont.is_empty() {
            self.in_pipeline -= 1;
            self.items.push(Item::Exit);
            let feed = self.take_feed();
            let mut first = true;
            for p in pipe_cont {
                let feed = if first { feed.clone() } else { None };
                first = false;
                self.pipeline_stages(p, feed, flow, depth);
            }
        }
        for r in right {
            self.stmt(r, Flow::default(), depth);
        }
    }

    fn command(&mut self, node: Node<'t>, extra: &[Node<'t>], flow: Flow, depth: usize) {
        let feed = self.feed_in.take();
        let fed_by = std::mem::take(&mut self.fed_in);
        // sized up front (at most one word per child): no regrowth of the words
        let n = node.children().count();
        let mut words = Vec::with_capacity(n);
        // (on the stack: most commands have a few words)
        let mut quoted: smallvec::SmallVec<[bool; 8]> = smallvec::SmallVec::with_capacity(n);
        let mut assigns: SmallVec<[Node<'t>; 4]> = SmallVec::new();
        let mut stdin = None;
        let mut redirects = Vec::new();
        let kids = node.fields();
        for (field, ch) in kids {
            match (field, kind(ch)) {
                (_, "variable_assignment") => assigns.push(ch),
                (Some("name"), _) | (Some("argument"), _) => {
                    quoted.push(eval::is_quoted(ch));
                    words.push(self.word(ch, depth));
                }
                (_, "herestring_redirect") => stdin = self.herestring(ch, depth),
                (_, "file_redirect") if self.is_herestring(ch) => {
                    stdin = self.herestring(ch, depth)
                }
                (_, "file_redirect") => redirects.extend(self.file_redirect(ch, depth)),
                (_, "subshell") => self.stmt(ch, Flow::default(), depth),
                _ => {}
            }
        }
        for r in extra {
            match kind(*r) {
                "heredoc_redirect" => stdin = Some(self.heredoc(*r)),
                "herestring_redirect" => stdin = self.herestring(*r, depth),
                "file_redirect" if self.is_herestring(*r) => stdin = self.herestring(*r, depth),
                "file_redirect" => redirects.extend(self.file_redirect(*r, depth)),
                _ => {
                    self.word(*r, depth);
                }
            }
        }
        if words.is_empty() {
            self.walk_subs(depth);
            for a in assigns {
                self.assignment(a, depth);
            }
            // a bare redirection (`> prod.db`) runs nothing and empties the file: a `:`
            if let Some(first) = redirects.first().filter(|_| stdin.is_none()) {
                let mut w = first.target.clone();
                w.span = Span::new(first.span.start, first.span.start);
                w.parts = smallvec::smallvec![Part::Lit {
                    text: ":".into(),
                    quoted: false,
                }];
                w.src = Mapped::default();
                let cmd = self.plain_command(vec![w], node, flow, redirects);
                self.items.push(Item::Cmd(cmd));
            }
            return;
        }
        for a in &assigns {
            if let Some(v) = a.field("value") {
                self.word(v, depth);
            }
        }
        self.walk_subs(depth);
        let mut via = Vec::new();
        let words = match self.evaluate(words, &quoted, &mut via) {
            eval::Head::Words(w) => w,
            eval::Head::Reparse(r) => {
                self.reparse(r, depth);
                return;
            }
        };
        if words.is_empty() {
            return;
        }
        let cmd = Command {
            words,
            span: self.span(node),
            stdin: stdin.or(feed),
            flow,
            via,
            reparsed: self.reparsed,
            in_pipeline: self.in_pipeline > 0,
            redirects,
            bound: self.bound,
            fed_by,
        };
        // its output to a next stage: outside a pipeline read only by a heredoc's pipeline whose
        // body runs no command (`redirected`), worked out then from the item (`take_feed`)
        let as_is = unwrap::runs_nothing_else(&cmd);
        if self.in_pipeline > 0 || !as_is {
            self.feed_out = redirects::feed_of(&cmd);
            self.feed_at = None;
        } else {
            self.feed_out = None;
            self.feed_at = Some(self.items.len());
        }
        // read by the next stage only (`pipeline_stages`): outside a pipeline nothing reads it
        self.fed_out = if self.in_pipeline > 0 {
            cmd.words.iter().map(|w| w.src.text.to_string()).collect()
        } else {
            Vec::new()
        };
        let call = self.call_of(&cmd, node);
        self.emit(cmd, as_is, depth);
        if let Some(call) = call {
            self.call(call, depth);
        }
    }

    /// What the last command wrote to a next stage ([`Walker::feed_out`] or, from the item
    /// at [`Walker::feed_at`], [`redirects::feed_of`] now), taken.
    fn take_feed(&mut self) -> Option<Mapped> {
        match self.feed_at.take() {
            Some(i) => match self.items.get(i) {
                Some(Item::Cmd(c)) => redirects::feed_of(c),
                _ => None,
            },
            None => self.feed_out.take(),
        }
    }

    fn walk_subs(&mut self, depth: usize) {
        if self.subs.is_empty() {
            return;
        }
        let mut subs = std::mem::take(&mut self.subs);
        for &s in &subs {
            self.items.push(Item::Enter);
            self.children(s, depth + 1);
            self.items.push(Item::Exit);
        }
        // the list goes back for the next word's substitutions (no allocation per command),
        // unless the walk above left substitutions of its own there
        if self.subs.is_empty() {
            subs.clear();
            self.subs = subs;
        }
    }

    /// Unwrap (`sudo`, `xargs`, …) and push; re-read `bash -c` / `eval` strings. `as_is`:
    /// [`unwrap::runs_nothing_else`] of `cmd`.
    fn emit(&mut self, mut cmd: Command, as_is: bool, depth: usize) {
        // most commands: what `unwrap` would return, without its vector
        if as_is {
            self.mark_find_fed(&mut cmd);
            self.items.push(Item::Cmd(cmd));
            return;
        }
        let out = unwrap::unwrap(cmd);
        for mut c in out.commands {
            self.mark_find_fed(&mut c);
            self.items.push(Item::Cmd(c));
        }
        for r in out.reparse {
            self.reparse(r, depth);
        }
    }

    /// Parse a string run as shell (`bash -c`, `eval`, an alias) and walk it, mapped into
    /// the file.
    fn reparse(&mut self, r: unwrap::Reparse, depth: usize) {
        {
            if self.reparse_depth >= MAX_REPARSE {
                return;
            }
            let Some(tree) = super::tree::read(&r.text.text) else {
                return;
            };
            let Some(root) = tree.root() else {
                return;
            };
            // the inner walk appends to this walk's items (nothing in a walk reads the items
            // before its own start): the same list as walking apart and appending
            let mut items = std::mem::take(&mut self.items);
            if r.scoped {
                items.push(Item::Enter);
            }
            let start = items.len();
            let mut inner =
                Walker::with_items(&r.text.text, Some(&r.text), self.reparse_depth + 1, items);
            inner.env = self.env.clone();
            inner.bound = self.bound;
            inner.stmt(root, r.flow, depth);
            self.items = std::mem::take(&mut inner.items);
            for it in self.items[start..].iter_mut() {
                if let Item::Cmd(c) = it {
                    c.via.splice(0..0, r.via.iter().cloned());
                }
            }
            if r.scoped {
                self.items.push(Item::Exit);
            }
            if self.too_deep.is_none() {
                self.too_deep = inner.too_deep;
            }
        }
    }
}

/// The room for the items of a walk over `src`, sized up front: an item is ~200 bytes, and
/// each regrowth of the list copies all of it (the generated deploy scripts have about one
/// item per 15 bytes of text: room for one per 8 covers nearly every script in one
/// allocation; the cap bounds what a huge script reserves before it is read).
fn items_for(src: &str) -> usize {
    (src.len() / 8 + 4).min(1 << 14)
}

/// The children of a node with their field names (on the stack: statements have a few).
type Fields<'t> = SmallVec<[(Option<&'static str>, Node<'t>); 8]>;

/// Children with their field names.
fn fields(node: Node<'_>) -> Fields<'_> {
    node.fields().collect()
}

fn is_clause(kind: &str) -> bool {
    matches!(kind, "elif_clause" | "else_clause")
}
