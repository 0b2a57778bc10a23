#!/usr/bin/env python3
"""Benchmark preflight on a corpus this script generates.

Generates (deterministically, seeded) a SQL corpus of realistic migrations, including large
seed-data INSERTs, and a shell corpus of deploy/maintenance scripts; runs the release binary
on each and reports files/s, MB/s and peak RSS; times one small file (the pre-commit case);
and, when `shellcheck` is installed, runs it on the same shell corpus for a throughput ratio.

Usage: scripts/bench.sh [--sql-files N] [--shell-files N] [--runs N] [--out DIR]
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "preflight")


def sql_file(rng, i):
    t = f"t_{i % 400}"
    parts = [f"-- migration {i}: generated for the benchmark\n"]
    kind = rng.random()
    if kind < 0.35:
        cols = ",\n".join(
            f"    c{j} {rng.choice(['text', 'bigint', 'timestamptz', 'boolean', 'numeric(12,2)'])}"
            + (" NOT NULL" if rng.random() < 0.4 else "")
            for j in range(rng.randint(3, 12))
        )
        parts.append(f"CREATE TABLE {t}_{i} (\n    id bigserial PRIMARY KEY,\n{cols}\n);\n")
        parts.append(f"CREATE INDEX idx_{t}_{i}_c0 ON {t}_{i} (c0);\n")
    elif kind < 0.6:
        parts.append(f"ALTER TABLE {t} ADD COLUMN note_{i} text;\n")
        parts.append(f"UPDATE {t} SET note_{i} = 'x' WHERE id < {rng.randint(10, 99999)};\n")
        parts.append(f"COMMENT ON COLUMN {t}.note_{i} IS 'added in {i}; DROP TABLE is not here';\n")
    elif kind < 0.75:
        parts.append(
            "CREATE OR REPLACE FUNCTION touch_%d() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n  NEW.updated_at := now();\n  IF NEW.id < 0 THEN\n    DELETE FROM %s WHERE id = NEW.id;\n"
            "  END IF;\n  RETURN NEW;\nEND\n$$;\n" % (i, t)
        )
    elif kind < 0.85:
        parts.append(f"DELETE FROM {t} WHERE created_at < now() - interval '90 days';\n")
        if rng.random() < 0.2:
            parts.append(f"DROP TABLE IF EXISTS {t}_old;\n")
    else:
        parts.append(f"ALTER TABLE {t} ALTER COLUMN c1 SET DEFAULT 0;\nCREATE VIEW v_{i} AS SELECT id, c1 FROM {t} WHERE c1 > 0;\n")
    # seed data: most files a little, a few a lot
    rows = rng.choice([0, 0, 5, 20, 40]) if rng.random() > 0.02 else rng.randint(1000, 2000)
    if rows:
        vals = ",\n".join(
            f"  ({n}, 'user{n}@example.com', 'Name {n} O''Brien', {rng.randint(0, 10**6)}, '2024-01-{1 + n % 28:02d}')"
            for n in range(rows)
        )
        parts.append(f"INSERT INTO seed_{t} (id, email, name, score, day) VALUES\n{vals};\n")
    return "".join(parts)


def shell_file(rng, i):
    parts = ["#!/usr/bin/env bash\nset -euo pipefail\n\n", f"# deploy step {i}\n"]
    parts.append(f'APP_DIR="/opt/app{i % 7}"\nRELEASE="$APP_DIR/releases/$(date +%s)"\n')
    parts.append("log() {\n  echo \"[$(date -Is)] $*\" >&2\n}\n\n")
    for j in range(rng.randint(4, 14)):
        k = rng.random()
        if k < 0.2:
            parts.append(f'if [ -d "$RELEASE/tmp{j}" ]; then\n  rm -rf "${{RELEASE:?}}/tmp{j}"\nfi\n')
        elif k < 0.35:
            parts.append(f"for f in /var/log/app{j}/*.log; do\n  gzip -9 \"$f\" || log \"gzip failed: $f\"\ndone\n")
        elif k < 0.5:
            parts.append(
                f"psql \"$DATABASE_URL\" <<'SQL'\nUPDATE jobs SET state = 'queued' WHERE state = 'stuck' AND id > {j};\nSELECT count(*) FROM jobs;\nSQL\n"
            )
        elif k < 0.6:
            parts.append(f"tmp=$(mktemp -d)\ntrap 'rm -rf \"$tmp\"' EXIT\ntar -xzf build{j}.tgz -C \"$tmp\"\n")
        elif k < 0.7:
            parts.append(f"case \"${{1:-}}\" in\n  start) systemctl start app{j} ;;\n  stop) systemctl stop app{j} ;;\n  *) log usage ;;\nesac\n")
        elif k < 0.8:
            parts.append(f"find /var/cache/app{j} -name '*.tmp' -mtime +7 -delete\n")
        elif k < 0.9:
            parts.append(f"kubectl rollout status deploy/app{j} --timeout=120s && log ok{j}\n")
        else:
            parts.append(f"rsync -a --delete ./build/ \"$RELEASE/\"\nln -sfn \"$RELEASE\" \"$APP_DIR/current\"\n")
    return "".join(parts)


def generate(out, n_sql, n_shell):
    rng = random.Random(42)
    if os.path.exists(out):
        shutil.rmtree(out)
    for sub, n, ext, gen in (("sql", n_sql, "sql", sql_file), ("shell", n_shell, "sh", shell_file)):
        base = os.path.join(out, sub)
        for i in range(n):
            d = os.path.join(base, f"d{i // 250:03d}")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f"{i:05d}_step.{ext}"), "w") as f:
                f.write(gen(rng, i))


def size_of(path):
    total = files = 0
    for dp, _, fs in os.walk(path):
        for f in fs:
            total += os.path.getsize(os.path.join(dp, f))
            files += 1
    return files, total


def timed(cmd):
    """Wall seconds and peak RSS (MiB) of one command run."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def bench(label, cmd, path, runs):
    files, total = size_of(path)
    results = [timed(cmd) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    rss = max(r[1] for r in results)
    mb = total / 1e6
    print(f"| {label} | {files} | {mb:.1f} MB | {wall:.2f} s | {files / wall:,.0f} | {mb / wall:.1f} | {rss:.0f} MiB |")
    return wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sql-files", type=int, default=5000)
    ap.add_argument("--shell-files", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    # outside the repository: its .gitignore (target/) would hide the corpus
    ap.add_argument("--out", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "preflight-bench-corpus"))
    a = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    generate(a.out, a.sql_files, a.shell_files)
    cpus = os.cpu_count()
    print(f"machine: {cpus} cores; preflight {subprocess.run([BIN, '--version'], capture_output=True, text=True).stdout.strip()}")
    print()
    print("| corpus | files | size | wall (median) | files/s | MB/s | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    sql = os.path.join(a.out, "sql")
    shell = os.path.join(a.out, "shell")
    bench("SQL", [BIN, "check", sql, "--format", "json"], sql, a.runs)
    pf_shell = bench("shell", [BIN, "check", shell, "--format", "json"], shell, a.runs)

    one = os.path.join(a.out, "one.sql")
    with open(one, "w") as f:
        f.write(sql_file(random.Random(7), 1))
    walls = [timed([BIN, "check", one])[0] for _ in range(20)]
    print()
    print(f"single small file ({os.path.getsize(one)} bytes): median {statistics.median(walls) * 1000:.1f} ms over 20 runs")

    if shutil.which("shellcheck"):
        files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(shell) for f in fs)
        # shellcheck gets both cores too: two processes, each with half the files
        half = len(files) // 2
        start = time.perf_counter()
        procs = [
            subprocess.Popen(["shellcheck", "-f", "gcc", *chunk], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for chunk in (files[:half], files[half:])
        ]
        for p in procs:
            p.wait()
        sc = time.perf_counter() - start
        print(f"shellcheck on the same shell corpus (2 processes): {sc:.2f} s; preflight is {sc / pf_shell:.1f}x faster")
    else:
        print("shellcheck not installed (apt-get install shellcheck) — no comparison")


if __name__ == "__main__":
    sys.exit(main())
