#!/usr/bin/env python3
"""Run this repository's action.yml (a composite action) locally, the way the GitHub runner
does: `run:` steps with `bash --noprofile --norc -eo pipefail`, their `env:` and `if:`
expressions evaluated from the inputs, `$GITHUB_OUTPUT` / `$GITHUB_PATH` honoured. The two
`uses:` steps are stood in for: actions/cache restores from and saves to a local directory
(`--cache-store`), github/codeql-action/upload-sarif checks that the file is a SARIF 2.1.0
log and records it. Prints a JSON report; exits with the action's status (0 or 1).

usage: run_action.py ACTION_DIR WORKDIR CACHE_STORE '{"paths": "...", ...}'
"""
import json, os, re, shutil, subprocess, sys, tempfile

import yaml


def main():
    action_dir, workdir, store, inputs_json = sys.argv[1:5]
    action = yaml.safe_load(open(os.path.join(action_dir, "action.yml")))
    assert action["runs"]["using"] == "composite"
    inputs = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
    given = json.loads(inputs_json)
    unknown = set(given) - set(inputs)
    if unknown:
        sys.exit(f"unknown inputs: {sorted(unknown)}")
    inputs.update({k: str(v) for k, v in given.items()})
    temp = tempfile.mkdtemp(prefix="action-runner-")
    ctx = {
        "inputs": inputs,
        "github": {
            "action_path": os.path.abspath(action_dir),
            "action_repository": "",
            "server_url": "https://github.com",
            "workspace": os.path.abspath(workdir),
        },
        "runner": {"temp": temp, "os": "Linux", "arch": "X64"},
        "steps": {},
    }
    path_prepend = []
    failed = False
    report = {"steps": [], "uploaded": [], "saved": []}
    for i, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", f"step{i}")
        cond = step.get("if", "success()")
        if not truthy(evaluate(cond, ctx, failed)):
            report["steps"].append({"id": sid, "skipped": True})
            ctx["steps"][sid] = {"outputs": {}, "outcome": "skipped"}
            continue
        outputs = {}
        ok = True
        stdout = ""
        if "run" in step:
            assert step.get("shell") == "bash", f"{sid}: every run step sets shell: bash"
            env = dict(os.environ)
            env["PATH"] = os.pathsep.join(path_prepend + [env.get("PATH", "")])
            for k, v in (step.get("env") or {}).items():
                env[k] = substitute(str(v), ctx, failed)
            out_file = os.path.join(temp, f"output-{i}")
            path_file = os.path.join(temp, f"path-{i}")
            open(out_file, "w").close()
            open(path_file, "w").close()
            env.update(GITHUB_OUTPUT=out_file, GITHUB_PATH=path_file,
                       GITHUB_ACTION_PATH=ctx["github"]["action_path"], RUNNER_TEMP=temp)
            assert "${{" not in step["run"], f"{sid}: expressions go through env:, not into the script"
            script = os.path.join(temp, f"step-{i}.sh")
            open(script, "w").write(step["run"])
            p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                               cwd=workdir, env=env, capture_output=True, text=True)
            ok = p.returncode == 0
            stdout = p.stdout
            for line in open(out_file):
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    outputs[k] = v
            path_prepend = [l.strip() for l in open(path_file) if l.strip()] + path_prepend
            report["steps"].append({"id": sid, "exit": p.returncode, "stdout": p.stdout,
                                    "stderr": p.stderr[-4000:]})
        elif step["uses"].startswith("actions/cache/restore@"):
            w = {k: substitute(str(v), ctx, failed) for k, v in step["with"].items()}
            saved = os.path.join(store, re.sub(r"[^A-Za-z0-9._-]", "_", w["key"]))
            hit = os.path.isdir(saved)
            if hit:
                shutil.rmtree(w["path"], ignore_errors=True)
                shutil.copytree(saved, w["path"])
            outputs["cache-hit"] = "true" if hit else "false"
            report["steps"].append({"id": sid, "cache-hit": outputs["cache-hit"], "key": w["key"]})
        elif step["uses"].startswith("actions/cache/save@"):
            w = {k: substitute(str(v), ctx, failed) for k, v in step["with"].items()}
            saved = os.path.join(store, re.sub(r"[^A-Za-z0-9._-]", "_", w["key"]))
            ok = os.path.isdir(w["path"]) and os.listdir(w["path"]) != []
            if ok and not os.path.isdir(saved):
                shutil.copytree(w["path"], saved)
                report["saved"].append(w["key"])
            report["steps"].append({"id": sid, "saved": ok})
        elif step["uses"].startswith("github/codeql-action/upload-sarif@"):
            w = {k: substitute(str(v), ctx, failed) for k, v in step["with"].items()}
            doc = json.load(open(w["sarif_file"]))
            ok = doc.get("version") == "2.1.0" and len(doc.get("runs", [])) == 1
            report["uploaded"].append({"file": w["sarif_file"], "category": w.get("category"),
                                       "results": len(doc["runs"][0].get("results", []))})
            report["steps"].append({"id": sid, "uploaded": ok})
        else:
            sys.exit(f"{sid}: no stand-in for {step['uses']}")
        ctx["steps"][sid] = {"outputs": outputs, "outcome": "success" if ok else "failure"}
        failed = failed or not ok
    report["outputs"] = {k: substitute(str(v["value"]), ctx, failed)
                         for k, v in action.get("outputs", {}).items()}
    report["failed"] = failed
    print(json.dumps(report, indent=2))
    shutil.rmtree(temp, ignore_errors=True)
    sys.exit(1 if failed else 0)


def substitute(s, ctx, failed):
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: str(evaluate(m.group(1), ctx, failed)), s)


TOKEN = re.compile(r"\s*(&&|\|\||==|!=|!|\(|\)|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_.-]*\(\)|[A-Za-z_][A-Za-z0-9_.-]*)")


def evaluate(expr, ctx, failed):
    """The subset of the expression language action.yml uses: contexts, 'strings', ==, !=,
    !, &&, ||, parentheses, always(), success(), failure()."""
    toks, pos = [], 0
    expr = expr.strip()
    if expr.startswith("${{") and expr.endswith("}}"):
        expr = expr[3:-2]
    while pos < len(expr.rstrip()):
        m = TOKEN.match(expr, pos)
        if not m:
            raise SystemExit(f"cannot read expression {expr!r} at {pos}")
        toks.append(m.group(1))
        pos = m.end()
    toks.append(None)
    i = 0

    def peek():
        return toks[i]

    def take():
        nonlocal i
        i += 1
        return toks[i - 1]

    def primary():
        t = take()
        if t == "(":
            v = disj()
            assert take() == ")"
            return v
        if t == "!":
            return not truthy(primary())
        if t.startswith("'"):
            return t[1:-1].replace("''", "'")
        if t == "always()":
            return True
        if t == "success()":
            return not failed
        if t == "failure()":
            return failed
        if t in ("true", "false"):
            return t == "true"
        v = ctx
        for part in t.split("."):
            v = v.get(part, "") if isinstance(v, dict) else ""
        return v

    def comparison():
        v = primary()
        while peek() in ("==", "!="):
            op = take()
            w = primary()
            v = (str(v).lower() == str(w).lower()) == (op == "==")
        return v

    def conj():
        v = comparison()
        while peek() == "&&":
            take()
            w = comparison()
            v = w if truthy(v) else v
        return v

    def disj():
        v = conj()
        while peek() == "||":
            take()
            w = conj()
            v = v if truthy(v) else w
        return v

    v = disj()
    assert peek() is None, f"trailing tokens in {expr!r}"
    return v


def truthy(v):
    # as on GitHub: '' and false are falsy, any other string (even 'false') is truthy
    return bool(v)


if __name__ == "__main__":
    main()
