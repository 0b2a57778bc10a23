//! Redirections of a command: file redirections (`> out.db`, `< in.sql`, `2>>log`), here-strings
//! and heredoc bodies (what the command reads on stdin), and what a command writes to the next
//! pipeline stage.

use super::*;
use crate::shell::command::Redirect;

impl<'t> Walker<'t> {
    /// `2> log`, `> out.db`, `< in.sql`: operator, descriptor and target (the target's
    /// substitutions are walked like any word's).
    pub(super) fn file_redirect(&mut self, node: Node<'t>, depth: usize) -> Option<Redirect> {
        let mut op = None;
        let mut fd = None;
        let mut target = None;
        for ch in node.children() {
            if kind(ch) == "file_descriptor" {
                fd = Some(self.text(ch).to_string());
            } else if !ch.is_named() && op.is_none() {
                op = Some(kind(ch).to_string());
            } else if ch.is_named() && target.is_none() {
                target = Some(ch);
            }
        }
        // `exec 4<> "$LOG"` is parsed as `<` after input repair: the text says what it is
        if op.as_deref() == Some("<")
            && self
                .src
                .get(node.start_byte()..node.end_byte())
                .and_then(|t| t.find('<').map(|a| &t[a..]))
                .is_some_and(|t| t.starts_with("<>"))
        {
            op = Some("<>".to_string());
        }
        let Some(t) = target else {
            self.word(node, depth);
            return None;
        };
        let target = self.word(t, depth);
        Some(Redirect {
            op: op.unwrap_or_default(),
            fd,
            target,
            span: self.span(node),
        })
    }

    /// A here-string that input repair let tree-sitter read as a file redirection
    /// (`cat > "$f" <<< "$csr"` parsed as `cat > "$f" <   "$csr"`): the text has `<<<`.
    pub(super) fn is_herestring(&self, node: Node<'t>) -> bool {
        node.children()
            .find(|ch| !ch.is_named())
            .and_then(|op| self.src.get(op.start_byte()..))
            .is_some_and(|t| t.starts_with("<<<"))
    }

    pub(super) fn herestring(&mut self, node: Node<'t>, depth: usize) -> Option<Mapped> {
        let w = node
            .named_children()
            .find(|n| kind(*n) != "file_descriptor")?;
        Some(self.word(w, depth).src)
    }

    /// The body of a heredoc, with `<<-` leading tabs removed, mapped into the file.
    pub(super) fn heredoc(&self, node: Node<'t>) -> Mapped {
        let mut m = Mapped::default();
        let dash = node.children().any(|n| kind(n) == "<<-");
        let Some(body) = node.children().find(|n| kind(*n) == "heredoc_body") else {
            return m;
        };
        let (a, b) = (body.start_byte(), body.end_byte());
        let Some(text) = self.src.get(a..b) else {
            return m;
        };
        let mut off = 0;
        for line in text.split_inclusive('\n') {
            let skip = if dash {
                line.len() - line.trim_start_matches('\t').len()
            } else {
                0
            };
            self.push_src(&mut m, a + off + skip, a + off + line.len());
            off += line.len();
        }
        m
    }
}

/// What this command writes to a following pipeline stage, when that is plain text we can
/// read (`echo '…'`, `printf '…'`, `cat <<EOF`).
pub(super) fn feed_of(cmd: &Command) -> Option<Mapped> {
    let name = cmd.name()?;
    match name {
        "echo" => {
            let mut m = Mapped::default();
            let mut first = true;
            for w in cmd.args() {
                if first
                    && w.lit_cow()
                        .is_some_and(|l| l.starts_with('-') && l.len() <= 3)
                {
                    continue;
                }
                if !first {
                    m.push_at(" ", w.span.start);
                }
                first = false;
                m.append(&w.src);
            }
            Some(m)
        }
        "printf" => cmd
            .args()
            .iter()
            .find(|w| !w.is("--"))
            .map(|w| w.src.clone()),
        "cat" if cmd.args().is_empty() => cmd.stdin.clone(),
        _ => None,
    }
}
