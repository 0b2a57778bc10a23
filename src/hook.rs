//! `preflight hook`: an AI agent's pre-tool hook (Claude Code shape).
//!
//! Input on stdin: `{"tool_name":"Bash","tool_input":{"command":"…"}}`, or for file-writing
//! tools `tool_input.file_path` plus `content` (Write), `new_string` (Edit) or
//! `edits[].new_string` (MultiEdit). The command is checked as shell (SQL inside included),
//! written content by the file's type. Anything else (other tools, files that are neither
//! SQL nor shell) is allowed. Malformed input is an error: the caller blocks (fail closed).

use crate::check::FileFacts;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{is_down_migration, lang_by_name, lang_by_shebang};
use crate::run::{FileOutcome, Settings, check_text};
use crate::source::{Lang, LineIndex};
use serde_json::Value;
use std::path::Path;

pub mod audit;

/// What to do with the tool call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Block, with a short reason for the agent (rule, snippet, safe alternative).
    Deny(String),
}

/// A decision with what it was made on, for the audit log ([`audit`]).
#[derive(Debug, Clone)]
pub struct Verdict {
    pub decision: Decision,
    /// The payload as read (`tool_name`, `tool_input`, `cwd`, …).
    pub payload: Value,
    /// The findings that decided a denial (none when allowed).
    pub findings: Vec<Diagnostic>,
}

/// One piece of text to check.
struct Input {
    name: String,
    text: String,
    lang: Lang,
    down: bool,
}

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn inputs(
    payload: &Value,
    excluded: &dyn Fn(&Path) -> bool,
) -> Result<(String, Vec<Input>), String> {
    let obj = payload
        .as_object()
        .ok_or("hook input is not a JSON object")?;
    let tool = obj
        .get("tool_name")
        .and_then(Value::as_str)
        .ok_or("hook input has no string `tool_name`")?
        .to_string();
    let ti = obj.get("tool_input");
    let need_ti = || -> Result<&Value, String> {
        ti.filter(|v| v.is_object())
            .ok_or(format!("`{tool}` call without a `tool_input` object"))
    };
    let mut out = Vec::new();
    match tool.as_str() {
        "Bash" => {
            let command = field(need_ti()?, "command")
                .ok_or("`Bash` call without a string `tool_input.command`")?;
            out.push(Input {
                name: "<command>".to_string(),
                text: command.to_string(),
                lang: Lang::Shell,
                down: false,
            });
        }
        "Write" | "Edit" | "MultiEdit" => {
            let ti = need_ti()?;
            let path = field(ti, "file_path").ok_or(format!(
                "`{tool}` call without a string `tool_input.file_path`"
            ))?;
            let texts: Vec<String> = match tool.as_str() {
                "Write" => vec![
                    field(ti, "content")
                        .ok_or("`Write` call without a string `tool_input.content`")?
                        .to_string(),
                ],
                "Edit" => vec![
                    field(ti, "new_string")
                        .ok_or("`Edit` call without a string `tool_input.new_string`")?
                        .to_string(),
                ],
                _ => ti
                    .get("edits")
                    .and_then(Value::as_array)
                    .ok_or("`MultiEdit` call without a `tool_input.edits` list")?
                    .iter()
                    .map(|e| {
                        field(e, "new_string")
                            .map(str::to_string)
                            .ok_or("a `MultiEdit` edit without a string `new_string`")
                    })
                    .collect::<Result<_, _>>()?,
            };
            let p = Path::new(path);
            if excluded(p) {
                return Ok((tool, out));
            }
            for text in texts {
                let lang = lang_by_name(p).or_else(|| {
                    if p.extension().is_none() {
                        lang_by_shebang(text.as_bytes())
                    } else {
                        None
                    }
                });
                if let Some(lang) = lang {
                    out.push(Input {
                        name: path.to_string(),
                        text,
                        lang,
                        down: is_down_migration(p),
                    });
                }
            }
        }
        _ => {}
    }
    Ok((tool, out))
}

/// Decide on one hook payload. `Err` = malformed input (the caller must block).
pub fn decide(
    input: &[u8],
    settings: &Settings,
    fail_on: Option<Severity>,
) -> Result<Decision, String> {
    decide_with(input, settings, fail_on, &|_| false)
}

/// [`decide`], skipping writes to files the config excludes.
pub fn decide_with(
    input: &[u8],
    settings: &Settings,
    fail_on: Option<Severity>,
    excluded: &dyn Fn(&Path) -> bool,
) -> Result<Decision, String> {
    evaluate(input, settings, fail_on, excluded).map(|v| v.decision)
}

/// [`decide_with`], keeping the payload and the findings that decided (for the audit log).
pub fn evaluate(
    input: &[u8],
    settings: &Settings,
    fail_on: Option<Severity>,
    excluded: &dyn Fn(&Path) -> bool,
) -> Result<Verdict, String> {
    let payload: Value =
        serde_json::from_slice(input).map_err(|e| format!("hook input is not valid JSON: {e}"))?;
    let (tool, inputs) = inputs(&payload, excluded)?;
    let allow = |payload: Value| Verdict {
        decision: Decision::Allow,
        payload,
        findings: Vec::new(),
    };
    let Some(threshold) = fail_on else {
        return Ok(allow(payload));
    };
    // commands run in the payload's `cwd` (else ours): files they run are read from there,
    // and the repository there is protected
    let cwd = field(&payload, "cwd")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::current_dir().ok());
    let mut own = settings.clone();
    own.shell_env = Some(crate::shell::env::Env::hook(cwd.as_deref()));
    // rules whose severity depends on the mode take their hook severity
    own.hook = true;
    let settings = &own;
    let mut blocking: Vec<(FileOutcome, Vec<Diagnostic>)> = Vec::new();
    for i in inputs {
        let facts = FileFacts {
            down: i.down && !settings.check_down,
        };
        let out = check_text(&i.name, i.text.into_bytes(), i.lang, facts, settings)
            .map_err(|e| format!("{}: {}", e.file, e.message))?;
        // `parse-error` says how sure preflight is, not that data is at risk (the statement
        // is still checked by its tokens); edits are fragments that often do not parse
        let hits: Vec<Diagnostic> = out
            .diagnostics
            .iter()
            .filter(|d| d.severity <= threshold && d.rule != "parse-error")
            .cloned()
            .collect();
        if !hits.is_empty() {
            blocking.push((out, hits));
        }
    }
    if blocking.is_empty() {
        return Ok(allow(payload));
    }
    Ok(Verdict {
        decision: Decision::Deny(reason(&tool, &blocking)),
        payload,
        findings: blocking.into_iter().flat_map(|(_, h)| h).collect(),
    })
}

fn reason(tool: &str, blocking: &[(FileOutcome, Vec<Diagnostic>)]) -> String {
    let what = if tool == "Bash" {
        "this command".to_string()
    } else {
        format!("this write to {}", blocking[0].0.path)
    };
    let total: usize = blocking.iter().map(|(_, h)| h.len()).sum();
    let mut s = format!("preflight blocked {what}: it may destroy data.\n");
    let mut shown = 0;
    for (f, hits) in blocking {
        let idx = LineIndex::new(&f.text);
        for d in hits {
            if shown == 3 {
                break;
            }
            shown += 1;
            let snippet = snippet(&f.text, d);
            let line = idx.position(&f.text, d.span.start).line;
            s.push_str(&format!(
                "- {}[{}]: {}\n",
                d.severity.as_str(),
                d.rule,
                d.message
            ));
            if tool == "Bash" {
                s.push_str(&format!("  > {snippet}\n"));
            } else {
                s.push_str(&format!("  > line {line}: {snippet}\n"));
            }
            if !d.help.is_empty() {
                s.push_str(&format!("  instead: {}\n", d.help));
            }
        }
    }
    if total > shown {
        s.push_str(&format!("- and {} more\n", total - shown));
    }
    s.push_str(
        "Use the safer alternative, or stop and ask the user to run or approve this \
         themselves (`preflight explain RULE` has details).",
    );
    s
}

fn snippet(text: &str, d: &Diagnostic) -> String {
    let s = text
        .get(d.span.start..d.span.end.min(text.len()))
        .unwrap_or("");
    let folded: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > 120 {
        format!("{}…", folded.chars().take(119).collect::<String>())
    } else {
        folded
    }
}

/// The Claude Code `PreToolUse` JSON answer for a denial.
pub fn deny_json(reason: &str) -> String {
    let v = serde_json::json!({
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": reason,
        }
    });
    let mut s = v.to_string();
    s.push('\n');
    s
}
