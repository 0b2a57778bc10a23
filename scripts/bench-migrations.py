#!/usr/bin/env python3
"""Benchmark migration replay: generates numbered migration sets of several sizes (each file
creates a table, grows earlier ones, adds indexes and views, backfills, seeds data) and runs
the release binary on each set. Reports MB/s and peak RSS per size, and the same files checked
without the set (names that match no convention) for the cost of the replay itself.

Usage: scripts/bench-migrations.sh [--sizes 500,1000,2000] [--runs N] [--out DIR]
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


def migration(rng, i):
    p = [f"-- migration {i}\n"]
    cols = ",\n".join(
        f"    c{j} {rng.choice(['text', 'bigint', 'timestamptz', 'boolean', 'numeric(12,2)', 'varchar(200)'])}"
        + (" NOT NULL DEFAULT 0" if rng.random() < 0.3 else "")
        for j in range(rng.randint(4, 14))
    )
    ref = f",\n    parent_id bigint REFERENCES t_{i - 1} (id)" if i > 0 else ""
    p.append(f"CREATE TABLE t_{i} (\n    id bigserial PRIMARY KEY,\n{cols}{ref}\n);\n")
    p.append(f"CREATE INDEX t_{i}_c0_idx ON t_{i} (c0);\n")
    if i > 0:
        j = rng.randrange(i)
        p.append(f"ALTER TABLE t_{j} ADD COLUMN extra_{i} text;\n")
        p.append(f"UPDATE t_{j} SET extra_{i} = '' WHERE extra_{i} IS NULL;\n")
        p.append(f"ALTER TABLE t_{j} ALTER COLUMN extra_{i} SET NOT NULL;\n")
        p.append(f"CREATE INDEX CONCURRENTLY t_{j}_extra_{i}_idx ON t_{j} (extra_{i});\n")
    if i % 5 == 0:
        p.append(f"CREATE VIEW v_{i} AS SELECT id, c0, c1 FROM t_{i} WHERE c0 IS NOT NULL;\n")
    if i % 97 == 0 and i > 0:
        # a few findings, so the report path is exercised too
        p.append(f"ALTER TABLE t_{i - 1} RENAME COLUMN c0 TO c0_old;\n")
        p.append(f"ALTER TABLE t_{i - 1} ADD COLUMN late_{i} int;\nALTER TABLE t_{i - 1} ALTER COLUMN late_{i} SET NOT NULL;\n")
    rows = rng.choice([0, 5, 20, 40])
    if rows:
        vals = ",\n".join(
            f"  ({n}, 'user{n}@example.com', 'Name {n} O''Brien', {rng.randint(0, 10**6)})" for n in range(rows)
        )
        p.append(f"INSERT INTO t_{i} (id, c0, c1, c2) VALUES\n{vals};\n")
    return "".join(p)


def generate(out, n, as_set):
    rng = random.Random(42)
    d = os.path.join(out, f"{'set' if as_set else 'loose'}-{n}", "migrations")
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    total = 0
    for i in range(n):
        name = f"{i + 1:05d}_step.sql" if as_set else f"step_{i + 1:05d}.sql"
        text = migration(rng, i)
        total += len(text.encode())
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    return d, total


def measure(path, runs):
    """Median wall seconds, median CPU (user+sys) seconds, max peak RSS in KiB."""
    times, cpu, rss = [], [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(
            ["/usr/bin/time", "-f", "%U %S %M", BIN, "check", "--format", "json", path],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        times.append(time.perf_counter() - t0)
        if r.returncode not in (0, 1):
            sys.exit(f"preflight failed on {path}: {r.stderr}")
        u, s_, m = r.stderr.strip().splitlines()[-1].split()
        cpu.append(float(u) + float(s_))
        rss = max(rss, int(m))
    return statistics.median(times), statistics.median(cpu), rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="500,1000,2000,4000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "preflight-bench-migrations"))
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'files':>6} {'mode':>6} {'MB':>7} {'wall s':>7} {'MB/s':>7} {'cpu s':>6} {'MB/cpu-s':>9} {'peak RSS MB':>12}")
    for n in [int(s) for s in a.sizes.split(",")]:
        for as_set in (True, False):
            d, total = generate(a.out, n, as_set)
            secs, cpu, rss = measure(d, a.runs)
            mb = total / 1e6
            print(
                f"{n:>6} {'set' if as_set else 'loose':>6} {mb:>7.2f} {secs:>7.3f} {mb / secs:>7.1f} "
                f"{cpu:>6.2f} {mb / max(cpu, 0.01):>9.1f} {rss / 1024:>12.1f}"
            )


if __name__ == "__main__":
    main()
