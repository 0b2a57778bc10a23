//! Machine formats: SARIF 2.1.0, GitHub workflow commands, GitLab Code Quality.
//! Snapshots of each, a structural SARIF check, and fingerprint stability.

use preflight::check::FileFacts;
use preflight::report;
use preflight::run::{FileError, Outcome, Settings, check_text};
use preflight::source::Lang;
use serde_json::Value;

const MIGRATION: &str = "\
-- 0042: clean up sessions
CREATE TABLE scratch (id int);
DROP TABLE scratch;
DROP TABLE user_sessions;
DELETE FROM users WHERE last_login IS NULL;
-- preflight: allow(drop-index) rebuilt concurrently in 0043, see #77
DROP INDEX idx_users_email;
UPDATE accounts SET balance = 0;
ALTER TABLE orders
  ADD COLUMN region text,
  DROP COLUMN legacy_note;
";

const SCRIPT: &str = "\
psql -c 'SELECT 1'
";

fn outcome_of(files: &[(&str, &str, Lang)]) -> Outcome {
    let mut out = Outcome::default();
    for (path, text, lang) in files {
        let f = check_text(
            path,
            text.as_bytes().to_vec(),
            *lang,
            FileFacts::default(),
            &Settings::default(),
        )
        .expect("text");
        out.files_checked += 1;
        out.suppressed += f.suppressed.len();
        out.files.push(f);
    }
    out.errors.push(FileError {
        file: "db/broken.sql".to_string(),
        message: "cannot read: permission denied".to_string(),
    });
    out.sort();
    out
}

fn sample() -> Outcome {
    outcome_of(&[
        ("db/migrate/0042_cleanup.sql", MIGRATION, Lang::Sql),
        ("scripts/deploy.sh", SCRIPT, Lang::Shell),
    ])
}

/// The SARIF log, with the driver's rule list cut to the rules that have results and
/// without doc text and rule indexes, so that adding a rule or editing its doc does not
/// touch this snapshot (the structure test checks those parts).
#[test]
fn sarif_snapshot() {
    let mut doc: Value = serde_json::from_str(&report::sarif::render(&sample())).expect("JSON");
    let used: Vec<Value> = arr(&doc["runs"][0]["results"], "results")
        .iter()
        .map(|r| r["ruleId"].clone())
        .collect();
    if let Some(rules) = doc["runs"][0]["tool"]["driver"]["rules"].as_array_mut() {
        rules.retain(|r| used.contains(&r["id"]));
        for r in rules.iter_mut() {
            if let Some(o) = r.as_object_mut() {
                o.remove("help");
                o.remove("fullDescription");
            }
        }
    }
    if let Some(results) = doc["runs"][0]["results"].as_array_mut() {
        for r in results.iter_mut() {
            if let Some(o) = r.as_object_mut() {
                o.remove("ruleIndex");
            }
        }
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&doc).expect("JSON"));
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!(report::github::render(&sample()));
}

#[test]
fn gitlab_snapshot() {
    insta::assert_snapshot!(report::gitlab::render(&sample()));
}

fn obj<'a>(v: &'a Value, what: &str) -> &'a serde_json::Map<String, Value> {
    v.as_object()
        .unwrap_or_else(|| panic!("{what} must be an object: {v}"))
}
fn arr<'a>(v: &'a Value, what: &str) -> &'a Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what} must be an array: {v}"))
}
fn string(v: &Value, what: &str) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} must be a string: {v}"))
        .to_string()
}
fn positive(v: &Value, what: &str) -> u64 {
    let n = v
        .as_u64()
        .unwrap_or_else(|| panic!("{what} must be an integer: {v}"));
    assert!(n >= 1, "{what} must be >= 1");
    n
}

/// The SARIF 2.1.0 schema's required structure, plus what GitHub code scanning needs.
fn check_sarif(doc: &Value) {
    let top = obj(doc, "sarifLog");
    assert_eq!(top.get("version"), Some(&Value::from("2.1.0")), "version");
    assert!(
        string(&doc["$schema"], "$schema").contains("sarif-2.1.0"),
        "$schema names 2.1.0"
    );
    let runs = arr(&doc["runs"], "runs");
    assert_eq!(runs.len(), 1, "one run");
    let run = &runs[0];
    // preflight's columns count characters; SARIF's default is UTF-16 code units
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = obj(&run["tool"]["driver"], "runs[0].tool.driver");
    assert_eq!(string(&driver["name"], "driver.name"), "preflight");
    let rules = arr(&run["tool"]["driver"]["rules"], "driver.rules");
    let mut ids = Vec::new();
    for r in rules {
        let id = string(&r["id"], "rule.id");
        assert!(!string(&r["shortDescription"]["text"], "shortDescription.text").is_empty());
        assert!(!string(&r["fullDescription"]["text"], "fullDescription.text").is_empty());
        // helpUri only as an absolute URL (the schema's `uri` format); the doc is in `help`
        if let Some(u) = r.get("helpUri") {
            assert!(string(u, "helpUri").starts_with("https://"), "{u}");
        }
        assert!(!string(&r["help"]["markdown"], "help.markdown").is_empty());
        let level = string(
            &r["defaultConfiguration"]["level"],
            "defaultConfiguration.level",
        );
        assert!(["none", "note", "warning", "error"].contains(&level.as_str()));
        ids.push(id);
    }
    for res in arr(&run["results"], "results") {
        let rule = string(&res["ruleId"], "result.ruleId");
        assert!(ids.contains(&rule), "ruleId {rule} is in driver.rules");
        if let Some(i) = res.get("ruleIndex") {
            let i = i.as_u64().expect("ruleIndex integer") as usize;
            assert_eq!(ids[i], rule, "ruleIndex points at the rule");
        }
        let level = string(&res["level"], "result.level");
        assert!(["none", "note", "warning", "error"].contains(&level.as_str()));
        assert!(!string(&res["message"]["text"], "message.text").is_empty());
        let locs = arr(&res["locations"], "locations");
        assert!(!locs.is_empty(), "at least one location");
        for loc in locs {
            let pl = &loc["physicalLocation"];
            let uri = string(&pl["artifactLocation"]["uri"], "artifactLocation.uri");
            assert!(!uri.starts_with("./") && !uri.contains('\\'), "{uri}");
            let region = &pl["region"];
            let sl = positive(&region["startLine"], "startLine");
            let sc = positive(&region["startColumn"], "startColumn");
            let el = positive(&region["endLine"], "endLine");
            let ec = positive(&region["endColumn"], "endColumn");
            assert!((el, ec) >= (sl, sc), "region ends after it starts");
        }
        let fps = obj(&res["partialFingerprints"], "partialFingerprints");
        assert!(!fps.is_empty());
        for (k, v) in fps {
            assert!(!string(v, k).is_empty());
        }
    }
}

#[test]
fn sarif_has_the_required_structure() {
    let doc: Value = serde_json::from_str(&report::sarif::render(&sample())).expect("JSON");
    check_sarif(&doc);
    let results = arr(&doc["runs"][0]["results"], "results");
    assert!(results.len() >= 3, "the sample has findings");
    // the unreadable file is reported, not dropped
    let notes = arr(
        &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"],
        "notifications",
    );
    assert_eq!(notes.len(), 1);
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

#[test]
fn sarif_structure_check_rejects_broken_logs() {
    let good: Value = serde_json::from_str(&report::sarif::render(&sample())).expect("JSON");
    for (path, value) in [
        ("/version", Value::from("2.0.0")),
        ("/runs/0/tool/driver/name", Value::Null),
        ("/runs/0/results/0/ruleId", Value::from("no-such-rule")),
        (
            "/runs/0/results/0/locations/0/physicalLocation/region/startLine",
            Value::from(0),
        ),
    ] {
        let mut bad = good.clone();
        *bad.pointer_mut(path).expect("pointer exists") = value;
        let r = std::panic::catch_unwind(|| check_sarif(&bad));
        assert!(r.is_err(), "structure check accepted a broken {path}");
    }
}

fn prints(o: &Outcome) -> Vec<(String, String)> {
    let doc: Value = serde_json::from_str(&report::sarif::render(o)).expect("JSON");
    arr(&doc["runs"][0]["results"], "results")
        .iter()
        .map(|r| {
            (
                string(&r["ruleId"], "ruleId"),
                string(&r["partialFingerprints"]["preflight/v1"], "fp"),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let before = prints(&outcome_of(&[("m.sql", MIGRATION, Lang::Sql)]));
    let edited = format!("-- a new header comment\n\nSELECT 1;\n{MIGRATION}\nSELECT 2;\n");
    let after = prints(&outcome_of(&[("m.sql", &edited, Lang::Sql)]));
    assert_eq!(before, after, "lines moved, fingerprints must not");

    // same statement twice: distinct fingerprints; another file: distinct too
    let twice = prints(&outcome_of(&[(
        "m.sql",
        "DROP TABLE a;\nDROP TABLE a;\n",
        Lang::Sql,
    )]));
    assert_ne!(twice[0].1, twice[1].1);
    let other = prints(&outcome_of(&[("n.sql", "DROP TABLE a;\n", Lang::Sql)]));
    assert_ne!(twice[0].1, other[0].1);

    // gitlab uses the same fingerprints
    let gl: Value = serde_json::from_str(&report::gitlab::render(&outcome_of(&[(
        "m.sql",
        MIGRATION,
        Lang::Sql,
    )])))
    .expect("JSON");
    let gl_prints: Vec<String> = arr(&gl, "issues")
        .iter()
        .filter(|i| i["check_name"] != "preflight-error")
        .map(|i| string(&i["fingerprint"], "fingerprint"))
        .collect();
    assert_eq!(
        gl_prints,
        before.iter().map(|(_, f)| f.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn github_commands_escape_properties_and_data() {
    let o = outcome_of(&[("db/a,b: c%.sql", "DELETE FROM t;\n", Lang::Sql)]);
    let text = report::github::render(&o);
    let first = text.lines().next().expect("a line");
    assert!(
        first.starts_with("::error file=db/a%2Cb%3A c%25.sql,line=1,col=1,endLine=1,endColumn=14,title=preflight delete-without-where::"),
        "{first}"
    );
    // the message's newlines are escaped: one finding is one line
    assert_eq!(text.lines().filter(|l| l.starts_with("::")).count(), 2);
}
