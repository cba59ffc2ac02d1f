#!/usr/bin/env python3
"""Converts the project's corpora, then verifies every job's spark.py and snowflake.sql against its
legacy job (`etlport verify --json`) and prints the share of columns and row-shaping steps that are
equal / differs / unverified per target. Every `differs` must be listed, with its explanation, in
known-differs.txt (a backend bug reported, or a read-back limitation); an unlisted one fails.

usage: corpus_verify.py ETLPORT SOURCE_DIR [--show]
"""
import json
import os
import subprocess
import sys
import tempfile

ARTIFACTS = (("spark", "spark.py"), ("snowflake", "snowflake.sql"))


def load_known(path):
    known = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, _, why = line.partition("\t")
            known[key] = why
    return known


def main():
    etlport, srcdir = sys.argv[1], sys.argv[2]
    show = "--show" in sys.argv
    known = load_known(os.path.join(os.path.dirname(os.path.abspath(__file__)), "known-differs.txt"))
    counts = {t: {"equal": 0, "differs": 0, "unverified": 0} for t, _ in ARTIFACTS}
    steps = {t: {"equal": 0, "differs": 0, "unverified": 0} for t, _ in ARTIFACTS}
    verdicts = {t: {"equal": 0, "differs": 0, "unverified": 0} for t, _ in ARTIFACTS}
    unexplained = []
    seen_known = set()
    with tempfile.TemporaryDirectory() as out:
        inputs = [os.path.join(srcdir, "corpus", "informatica"), os.path.join(srcdir, "corpus", "sql")]
        subprocess.run([etlport, "convert", *inputs, "-o", out, "--quiet"], cwd=srcdir,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report = json.load(open(os.path.join(out, "report.json"), encoding="utf-8"))
        for job in report["jobs"]:
            if True:
                f = {"path": job["source_file"]}
                for target, name in ARTIFACTS:
                    art = os.path.join(out, job["output_dir"], name)
                    if not os.path.exists(art):
                        continue
                    r = subprocess.run([etlport, "verify", "--legacy", f["path"], "--generated", art,
                                        "--job", job["name"], "--json"], cwd=srcdir,
                                       capture_output=True, text=True)
                    if "Sanitizer" in r.stderr or "runtime error" in r.stderr:
                        print(f"{target} {job['name']}: sanitizer report:\n{r.stderr}")
                        unexplained.append(f"{target}/{job['name']}: sanitizer report")
                        continue
                    if r.returncode == 2 or not r.stdout.strip():
                        print(f"{target} {job['name']}: verify failed: {r.stderr.strip()}")
                        unexplained.append(f"{target}/{job['name']}: verify failed")
                        continue
                    res = json.loads(r.stdout)
                    verdicts[target][res["verdict"]] += 1
                    for items, table, fmt in ((res["columns"], counts, "{target}.{column}"),
                                              (res["nodes"], steps, "{target} [{kind}]")):
                        for c in items:
                            table[target][c["verdict"]] += 1
                            key = f"{target}/{job['name']}/" + fmt.format(**c)
                            if show and c["verdict"] != "equal":
                                print(f"  {c['verdict']:10} {key}: {c.get('why', '')}")
                                if c["verdict"] == "differs":
                                    print(f"      legacy:    {c.get('legacy')}\n      generated: {c.get('generated')}")
                            if c["verdict"] == "differs":
                                if key in known:
                                    seen_known.add(key)
                                else:
                                    unexplained.append(key)
    for target, _ in ARTIFACTS:
        for label, table in (("columns", counts), ("steps", steps), ("jobs", verdicts)):
            c = table[target]
            total = sum(c.values()) or 1
            print(f"{target:9} {label:7}: " + ", ".join(
                f"{k} {v} ({100.0 * v / total:.1f}%)" for k, v in c.items()))
    for key in sorted(set(known) - seen_known):
        print(f"note: known difference no longer seen: {key}")
    if unexplained:
        print(f"{len(unexplained)} unexplained differences:")
        for u in unexplained:
            print(f"  {u}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
