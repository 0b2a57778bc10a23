//! Heredocs of the fast path: one with a quoted delimiter, or a plain one over a body
//! without expansions (anything else is left to tree-sitter).

use super::P;
use super::words::name_char;

impl P<'_> {
    /// The rest of a heredoc after `<<`/`<<-`: the delimiter, then (right after the line's
    /// newline) the body and the closing line.
    pub(super) fn heredoc(&mut self, dash: bool, mark: usize) -> Option<()> {
        let s = self.s;
        let quote = matches!(self.b(0), b'\'' | b'"').then(|| self.b(0));
        let ds = self.i + usize::from(quote.is_some());
        let mut de = ds;
        while de < s.len() && name_char(s[de]) {
            de += 1;
        }
        if de == ds {
            return None;
        }
        let mut after = de;
        if let Some(q) = quote {
            if s.get(de) != Some(&q) {
                return None;
            }
            after += 1;
        }
        let delim = &s[ds..de];
        self.tok("heredoc_start", true, after - self.i);
        while matches!(self.b(0), b' ' | b'\t') {
            self.i += 1;
        }
        if self.b(0) != b'\n' {
            return None;
        }
        self.i += 1;
        let first = self.i;
        let mut body = first;
        while matches!(s.get(body), Some(b' ' | b'\t')) {
            body += 1;
        }
        let mut line = first;
        let end = loop {
            if line >= s.len() {
                return None;
            }
            let le = s[line..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(s.len(), |k| line + k);
            let text = &s[line..le];
            let tabs = if dash {
                text.iter().take_while(|&&c| c == b'\t').count()
            } else {
                0
            };
            if &text[tabs..] == delim {
                break line + tabs;
            }
            let trimmed = text
                .iter()
                .position(|c| !matches!(c, b' ' | b'\t'))
                .map_or(&text[text.len()..], |k| &text[k..]);
            if trimmed.starts_with(delim) || (line == first && trimmed.is_empty()) {
                return None;
            }
            if quote.is_none() && text.iter().any(|c| matches!(c, b'$' | b'`' | b'\\')) {
                return None;
            }
            line = le + 1;
        };
        // `\<tab>` starting the body is a continuation to tree-sitter
        if (line == first && body != first) || s.get(body) == Some(&b'\\') {
            return None;
        }
        self.i = body;
        self.tok("heredoc_body", true, end - body);
        self.tok("heredoc_end", true, delim.len());
        self.node("heredoc_redirect", mark)?;
        Some(())
    }
}
