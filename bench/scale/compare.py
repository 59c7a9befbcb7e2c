#!/usr/bin/env python3
"""Times `candor audit`, the DuckDB version (duckdb_audit.py) and `grep -c -F` on the same files.

Run through bench/scale/run.sh, which builds Candor and installs DuckDB first. For each size a log is
generated (examples/generate_logs.rs, seed 7, mixed languages, a share of lines out of place), then each
tool reads it once, in this order: grep, Candor, DuckDB. Wall time and peak memory come from
/usr/bin/time -v. Candor's findings are counted per rule as conversations with at least one finding of
that rule, as the DuckDB script counts them, and the two are compared.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CANDOR = os.path.join(ROOT, "target", "release", "candor")
GENERATE = os.path.join(ROOT, "target", "release", "examples", "generate_logs")
DUCKDB = os.path.join(ROOT, "bench", "scale", "duckdb_audit.py")
BENCH_DIR = os.environ.get("BENCH_DIR", "/tmp/candor-bench")
OUT_OF_PLACE = float(os.environ.get("OUT_OF_PLACE", "0.02"))
RULES = [
    "DISCLOSURE_MISSING",
    "DISCLOSURE_LATE",
    "HUMAN_OPTION_MISSING",
    "HUMAN_REQUEST_UNMET",
    "HUMAN_REQUEST_REPEATED",
    "IDENTITY_QUESTION_UNANSWERED",
    "AI_IDENTITY_DENIED",
]


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time -v: (wall seconds, peak RSS in MB, exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        p = subprocess.run(["/usr/bin/time", "-v", "-o", t.name] + cmd, stdout=stdout, stderr=subprocess.PIPE)
        text = t.read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", text).group(1)
    parts = [float(x) for x in wall.split(":")]
    seconds = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    # /usr/bin/time reports KiB; MB here are 10^6 bytes, like the file sizes they are compared with.
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) * 1024 / 1e6
    return seconds, rss, p.returncode, p.stdout if stdout == subprocess.PIPE else p.stderr


def generate(n, out_of_place):
    os.makedirs(BENCH_DIR, exist_ok=True)
    path = os.path.join(BENCH_DIR, f"logs-{n}-oop{out_of_place}.jsonl")
    if not os.path.exists(path):
        tmp = path + ".part"
        subprocess.run(
            [GENERATE, "--conversations", str(n), "--seed", "7", "--out-of-place", str(out_of_place), "--out", tmp],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        os.replace(tmp, path)
    return path


def candor_counts(report_path):
    with open(report_path) as f:
        report = json.load(f)
    per_rule = {r: set() for r in RULES}
    for finding in report["findings"]:
        per_rule.setdefault(finding["rule"], set()).add((finding["conversation_id"], finding.get("source", 0)))
    conversations = sum(i["conversations"] for i in report["inputs"])
    return conversations, {r: len(per_rule[r]) for r in RULES}


def run(n, out_of_place):
    path = generate(n, out_of_place)
    size_mb = os.path.getsize(path) / 1e6
    print(f"\n== {n:,} conversations, {size_mb:,.0f} MB, {out_of_place:.0%} of lines out of place: {path}", flush=True)
    # The floor: one pass over every byte. The fixed word is on every line, so grep cannot stop early.
    grep_s, grep_mb, _, _ = timed(["grep", "-c", "-F", '"conversation_id"', path], stdout=subprocess.PIPE)
    print(f"grep -c -F         {grep_s:7.2f} s  {grep_mb:7.0f} MB", flush=True)
    report = os.path.join(BENCH_DIR, f"candor-{n}.json")
    candor_s, candor_mb, code, err = timed([CANDOR, "audit", path, "--quiet", "--force", "--format", "json", "--out", report])
    if code not in (0, 1):
        sys.exit(f"candor failed ({code}): {err.decode(errors='replace')}")
    conversations, candor_rules = candor_counts(report)
    print(f"candor audit       {candor_s:7.2f} s  {candor_mb:7.0f} MB", flush=True)
    duck_s, duck_mb, code, out = timed(["python3", DUCKDB, path], stdout=subprocess.PIPE)
    if code != 0:
        sys.exit(f"duckdb failed ({code})")
    duck = json.loads(out)
    print(f"duckdb (SQL)       {duck_s:7.2f} s  {duck_mb:7.0f} MB", flush=True)
    return {
        "n": n,
        "mb": size_mb,
        "oop": out_of_place,
        "grep": grep_s,
        "candor": candor_s,
        "candor_mb": candor_mb,
        "duck": duck_s,
        "duck_mb": duck_mb,
        "conversations": conversations,
        "candor_rules": candor_rules,
        "duck_rules": duck["rules"],
        "duck_conversations": duck["conversations"],
    }


def main():
    sizes = [int(a.replace("_", "")) for a in sys.argv[1:]] or [100_000, 1_000_000, 3_000_000]
    print(f"cores: {os.cpu_count()}; Candor {CANDOR}; files in {BENCH_DIR}")
    rows = [run(n, OUT_OF_PLACE) for n in sizes]
    if OUT_OF_PLACE > 0:
        # What lines out of place cost: the middle size again with every line in place.
        mid = sizes[len(sizes) // 2]
        in_place = run(mid, 0.0)
    else:
        in_place = None
    print("\n| conversations | MB | grep -c -F | candor | duckdb | candor MB/s | candor conv/s | candor peak MB | duckdb peak MB | duckdb ÷ candor | candor ÷ grep |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['mb']:,.0f} | {r['grep']:.2f} s | {r['candor']:.2f} s | {r['duck']:.2f} s | "
            f"{r['mb'] / r['candor']:,.0f} | {r['conversations'] / r['candor']:,.0f} | {r['candor_mb']:,.0f} | "
            f"{r['duck_mb']:,.0f} | {r['duck'] / r['candor']:.2f}× | {r['candor'] / r['grep']:.1f}× |"
        )
    base = rows[0]
    for r in rows[1:]:
        scale = r["n"] / base["n"]
        print(f"time from {base['n']:,} to {r['n']:,}: {r['candor'] / base['candor']:.2f}× for {scale:.0f}× the conversations "
              f"({r['candor'] / base['candor'] / scale:.2f} of linear)")
    for r in rows:
        print(f"peak memory at {r['n']:,}: {r['candor_mb'] / r['mb']:.0%} of the input")
    print("\nConversations per rule, Candor / DuckDB (agreement where the SQL can express the rule):")
    print("| rule | " + " | ".join(f"{r['n']:,}" for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    print("| conversations | " + " | ".join(f"{r['conversations']:,} / {r['duck_conversations']:,}" for r in rows) + " |")
    for rule in RULES:
        cells = []
        for r in rows:
            c, d = r["candor_rules"][rule], r["duck_rules"].get(rule, 0)
            cells.append(f"{c:,} / {d:,} ({(c - d) / max(d, 1):+.1%})")
        print(f"| {rule} | " + " | ".join(cells) + " |")
    if in_place:
        same = next(r for r in rows if r["n"] == in_place["n"])
        print(f"lines out of place cost: {same['candor'] / in_place['candor'] - 1:+.0%} "
              f"({same['candor']:.2f} s with {OUT_OF_PLACE:.0%} out of place, {in_place['candor']:.2f} s in place)")


if __name__ == "__main__":
    main()
