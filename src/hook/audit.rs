//! The hook's audit trail: one JSON line per decision (`[hook] log = "PATH"` or `--log`),
//! and `preflight hook --replay LOG` to decide a log again with the current rules.
//!
//! A line:
//! ```json
//! {"time":"2026-11-29T18:50:02.417Z","tool":"Bash","command":"rm -rf /srv","cwd":"/home/dev/app",
//!  "decision":"deny","rules":[{"rule":"rm-root-path","severity":"error","message":"…"}],
//!  "version":"0.1.0"}
//! ```
//! Writes carry `file` and the whole `tool_input` (so a replay sees the same content);
//! input the hook could not read carries `error` and the raw `input`.
//!
//! Each line is written with one `write(2)` on a file opened with `O_APPEND`, so lines of
//! concurrent hooks never interleave up to `PIPE_BUF` (4096 bytes); a longer line takes an
//! exclusive advisory lock first (tried for up to 200 ms, then written without it: the log
//! never holds up a decision).

use super::{Decision, Verdict};
use serde_json::{Map, Value, json};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Bytes one `write(2)` appends atomically with `O_APPEND` (POSIX `PIPE_BUF` on Linux).
const ATOMIC_LINE: usize = 4096;
/// Raw input kept for a line the hook could not read.
const MAX_RAW: usize = 64 * 1024;

/// `2026-11-29T18:50:02.417Z` for a time since the epoch.
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

fn decision_str(d: &Decision) -> &'static str {
    match d {
        Decision::Allow => "allow",
        Decision::Deny(_) => "deny",
    }
}

fn cwd_of(payload: Option<&Value>) -> Value {
    payload
        .and_then(|p| p.get("cwd"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            std::env::current_dir()
                .ok()
                .map(|p| p.display().to_string())
        })
        .map_or(Value::Null, Value::String)
}

/// The log line (without the newline) for one decision: `Ok` a verdict, `Err` input the
/// hook could not read (it blocked the call).
pub fn record(input: &[u8], outcome: &Result<Verdict, String>, now: SystemTime) -> String {
    let mut m = Map::new();
    m.insert("time".into(), Value::String(rfc3339(now)));
    match outcome {
        Ok(v) => {
            let tool = v.payload.get("tool_name").cloned().unwrap_or(Value::Null);
            let ti = v.payload.get("tool_input");
            m.insert("tool".into(), tool.clone());
            if tool.as_str() == Some("Bash") {
                let cmd = ti.and_then(|t| t.get("command")).cloned();
                m.insert("command".into(), cmd.unwrap_or(Value::Null));
            } else {
                if let Some(f) = ti.and_then(|t| t.get("file_path")) {
                    m.insert("file".into(), f.clone());
                }
                m.insert("tool_input".into(), ti.cloned().unwrap_or(Value::Null));
            }
            m.insert("cwd".into(), cwd_of(Some(&v.payload)));
            m.insert("decision".into(), decision_str(&v.decision).into());
            let rules: Vec<Value> = v
                .findings
                .iter()
                .map(|d| {
                    json!({
                        "rule": d.rule,
                        "severity": d.severity.as_str(),
                        "message": d.message,
                    })
                })
                .collect();
            m.insert("rules".into(), Value::Array(rules));
        }
        Err(e) => {
            let payload: Option<Value> = serde_json::from_slice(input).ok();
            let tool = payload
                .as_ref()
                .and_then(|p| p.get("tool_name"))
                .cloned()
                .unwrap_or(Value::Null);
            m.insert("tool".into(), tool);
            m.insert("cwd".into(), cwd_of(payload.as_ref()));
            m.insert("decision".into(), "deny".into());
            m.insert("rules".into(), Value::Array(Vec::new()));
            m.insert("error".into(), Value::String(e.clone()));
            let raw = String::from_utf8_lossy(&input[..input.len().min(MAX_RAW)]);
            m.insert("input".into(), Value::String(raw.into_owned()));
        }
    }
    m.insert("version".into(), env!("CARGO_PKG_VERSION").into());
    Value::Object(m).to_string()
}

/// Append one line to the log: created if missing, one `write(2)` with `O_APPEND`, an
/// exclusive lock for lines longer than `PIPE_BUF` (see the module docs).
pub fn append(path: &Path, line: &str) -> std::io::Result<()> {
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    let mut buf = String::with_capacity(line.len() + 1);
    buf.push_str(line);
    buf.push('\n');
    let locked = buf.len() > ATOMIC_LINE && try_lock(&f, Duration::from_millis(200));
    let res = f.write_all(buf.as_bytes());
    if locked {
        let _ = f.unlock();
    }
    res
}

/// Append the decision to the log at `path`; a log that cannot be written is a note on
/// stderr, never an error (the decision stands).
pub fn log_decision(path: &Path, input: &[u8], outcome: &Result<Verdict, String>) {
    let line = record(input, outcome, SystemTime::now());
    if let Err(e) = append(path, &line) {
        eprintln!(
            "preflight hook: cannot write the audit log {}: {e} (the decision is not affected)",
            path.display()
        );
    }
}

fn try_lock(f: &File, wait: Duration) -> bool {
    let start = Instant::now();
    loop {
        match f.try_lock() {
            Ok(()) => return true,
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(_) => return false,
        }
    }
}

/// What a replay found.
#[derive(Debug, Default)]
pub struct Replay {
    /// Lines re-decided.
    pub decided: usize,
    pub now_denied: usize,
    pub now_allowed: usize,
    /// Same decision, other rules.
    pub other_rules: usize,
    /// Lines that are not a decision this version can read.
    pub unreadable: usize,
    /// One line per change (and per unreadable line), then the summary.
    pub report: String,
}

impl Replay {
    pub fn changed(&self) -> usize {
        self.now_denied + self.now_allowed + self.other_rules
    }
}

/// `preflight hook --replay LOG`: print what changed; the exit code is 0 when every
/// decision is the same, 1 when some decision changed, 2 when the log or a line of it
/// cannot be read.
pub fn replay_file(path: &Path, decide: &dyn Fn(&[u8]) -> Result<Verdict, String>) -> u8 {
    let text = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("preflight hook: cannot read {}: {e}", path.display());
            return 2;
        }
    };
    let r = replay(&text, decide);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(r.report.as_bytes());
    let _ = out.flush();
    if r.unreadable > 0 {
        2
    } else if r.changed() > 0 {
        1
    } else {
        0
    }
}

/// The payload a log line was decided on.
fn payload_of(v: &Value) -> Option<Vec<u8>> {
    if let Some(raw) = v.get("input").and_then(Value::as_str) {
        return Some(raw.as_bytes().to_vec());
    }
    let tool = v.get("tool")?.as_str()?;
    let tool_input = match tool {
        "Bash" => json!({ "command": v.get("command")?.as_str()? }),
        _ => v.get("tool_input")?.clone(),
    };
    let mut p = json!({ "tool_name": tool, "tool_input": tool_input });
    if let Some(cwd) = v.get("cwd").filter(|c| c.is_string()) {
        p["cwd"] = cwd.clone();
    }
    serde_json::to_vec(&p).ok()
}

fn rules_of(v: &Value) -> Vec<String> {
    let mut r: Vec<String> = v
        .get("rules")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("rule").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    r.sort();
    r.dedup();
    r
}

fn show(decision: &str, rules: &[String]) -> String {
    if rules.is_empty() {
        decision.to_string()
    } else {
        format!("{decision} ({})", rules.join(", "))
    }
}

/// What a line was about: the command or the file, shortened.
fn subject(v: &Value) -> String {
    let tool = v.get("tool").and_then(Value::as_str).unwrap_or("?");
    let what = v
        .get("command")
        .or_else(|| v.get("file"))
        .and_then(Value::as_str)
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
    match what {
        Some(w) if w.chars().count() > 80 => {
            format!("{tool} `{}…`", w.chars().take(79).collect::<String>())
        }
        Some(w) => format!("{tool} `{w}`"),
        None if v.get("error").is_some() => "unreadable hook input".to_string(),
        None => tool.to_string(),
    }
}

/// Decide every line of `log` again with `decide` and report what changed.
pub fn replay(log: &str, decide: &dyn Fn(&[u8]) -> Result<Verdict, String>) -> Replay {
    let mut r = Replay::default();
    let mut lines = String::new();
    for (i, line) in log.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let Some((v, payload)) = serde_json::from_str::<Value>(line)
            .ok()
            .and_then(|v| payload_of(&v).map(|p| (v, p)))
        else {
            r.unreadable += 1;
            lines.push_str(&format!("line {n}: not a hook decision; skipped\n"));
            continue;
        };
        r.decided += 1;
        let was = v.get("decision").and_then(Value::as_str).unwrap_or("?");
        let was_rules = rules_of(&v);
        let (now, now_rules) = match decide(&payload) {
            Ok(verdict) => {
                let mut rules: Vec<String> =
                    verdict.findings.iter().map(|d| d.rule.clone()).collect();
                rules.sort();
                rules.dedup();
                (decision_str(&verdict.decision), rules)
            }
            // unreadable input is still blocked
            Err(_) => ("deny", Vec::new()),
        };
        if was == now && was_rules == now_rules {
            continue;
        }
        match (was, now) {
            ("allow", "deny") => r.now_denied += 1,
            ("deny", "allow") => r.now_allowed += 1,
            _ => r.other_rules += 1,
        }
        lines.push_str(&format!(
            "line {n}: {}: {} → {}\n",
            subject(&v),
            show(was, &was_rules),
            show(now, &now_rules)
        ));
    }
    let mut summary = format!(
        "replayed {} decisions: {} unchanged, {} now denied, {} now allowed, {} with other rules",
        r.decided,
        r.decided - r.changed(),
        r.now_denied,
        r.now_allowed,
        r.other_rules
    );
    if r.unreadable > 0 {
        summary.push_str(&format!("; {} lines not read", r.unreadable));
    }
    lines.push_str(&summary);
    lines.push('\n');
    r.report = lines;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_utc() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_796_064_602_417);
        assert_eq!(rfc3339(t), "2026-11-30T18:50:02.417Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00.000Z");
    }
}
