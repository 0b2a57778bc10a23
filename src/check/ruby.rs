//! Rails migrations in the ORM pipeline (`check::orm`), and how strong_migrations'
//! `safety_assured { … }` counts: the team's written acknowledgement, like a preflight
//! suppression whose reason is the comment that explains the block. With a reason, the
//! findings inside the block are suppressed (reported as suppressed, the reason quoted);
//! without one they stay, saying the acknowledgement gives no reason.

use super::replay::Replay;
use crate::diagnostic::{Diagnostic, Label};
use crate::ruby::rails::{self, Assured, Migration};
use crate::source::Dialect;

/// Check one migration's facts against the set's replayed schema.
pub fn check(
    src: &str,
    dialect: Dialect,
    m: &Migration,
    check_down: bool,
    replay: &mut Replay,
) -> Vec<Diagnostic> {
    super::orm::check(src, dialect, &m.facts, false, check_down, replay)
}

/// Split findings by `safety_assured` blocks: (kept, acknowledged with a reason).
pub fn acknowledge(
    assured: &[Assured],
    diags: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut kept = Vec::new();
    let mut acked = Vec::new();
    for mut d in diags {
        let inside = assured
            .iter()
            .filter(|a| a.span.start <= d.span.start && d.span.start < a.span.end)
            // the innermost block
            .min_by_key(|a| a.span.len());
        match inside {
            Some(a) => match &a.reason {
                Some(reason) => {
                    d.help = format!("acknowledged by `safety_assured`: {reason}");
                    acked.push(d);
                }
                None => {
                    d.message.push_str(
                        " (inside `safety_assured`, which gives no reason: it does not apply)",
                    );
                    d.labels.push(Label {
                        span: a.head,
                        message: "acknowledged here without a comment saying why".to_string(),
                    });
                    d.help = format!(
                        "{}; or, if this is intended, say why in a comment on the line above \
                         `safety_assured`",
                        d.help
                    );
                    kept.push(d);
                }
            },
            None => kept.push(d),
        }
    }
    (kept, acked)
}

/// One Rails migration on its own (stdin, a file outside `db/migrate/`): findings a
/// reasoned `safety_assured` acknowledges are left out.
pub fn check_alone(text: &str, dialect: Dialect, check_down: bool) -> Vec<Diagnostic> {
    let mut replay = Replay::new(check_down);
    replay.next_file("", false);
    let Some(m) = rails::read(text) else {
        return Vec::new();
    };
    let diags = check(text, dialect, &m, check_down, &mut replay);
    acknowledge(&m.assured, diags).0
}
