#!/usr/bin/env python3
"""Differential execution over the project's own corpora (docs/verification.md, "Differential
execution"): converts corpus/informatica and corpus/sql, verifies every job's spark.py and
snowflake.sql, and prints per artifact kind how many targets executed `equal`, `differs` (with a
counterexample) or were not executable, and why not (grouped). Every `differs` must be listed in
known-differs.txt as `<target>/<job>/<dataset> [execution]` with its explanation; an unlisted one
fails, as does a sanitizer report.

usage: exec_corpus.py ETLPORT SOURCE_DIR [--show]
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ARTIFACTS = (("spark", "spark.py"), ("snowflake", "snowflake.sql"))


def load_known(path):
    known = set()
    for line in open(path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            known.add(line.split("\t")[0])
    return known


def main():
    etlport, srcdir = sys.argv[1], sys.argv[2]
    show = "--show" in sys.argv
    known = load_known(os.path.join(os.path.dirname(os.path.abspath(__file__)), "known-differs.txt"))
    counts = {t: collections.Counter() for t, _ in ARTIFACTS}
    reasons = collections.Counter()
    unexplained = []
    with tempfile.TemporaryDirectory() as out:
        inputs = [os.path.join(srcdir, "corpus", "informatica"), os.path.join(srcdir, "corpus", "sql")]
        subprocess.run([etlport, "convert", *inputs, "-o", out, "--quiet"], cwd=srcdir,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report = json.load(open(os.path.join(out, "report.json"), encoding="utf-8"))
        for job in report["jobs"]:
            for target, name in ARTIFACTS:
                art = os.path.join(out, job["output_dir"], name)
                if not os.path.exists(art):
                    continue
                r = subprocess.run([etlport, "verify", "--legacy", job["source_file"], "--generated", art,
                                    "--job", job["name"], "--json"], cwd=srcdir, capture_output=True, text=True)
                if "Sanitizer" in r.stderr or "runtime error" in r.stderr:
                    print(f"{target} {job['name']}: sanitizer report:\n{r.stderr}")
                    unexplained.append(f"{target}/{job['name']}: sanitizer report")
                    continue
                if not r.stdout.strip():
                    continue
                res = json.loads(r.stdout)
                cex = {c["target"]: c for c in res.get("counterexamples", [])}
                for ex in res.get("execution", []):
                    counts[target][ex["verdict"]] += 1
                    if ex["verdict"] == "not executable":
                        why = re.sub(r"'[^']*'", "'…'", ex.get("why", ""))
                        why = re.sub(r"SQLite: .*", "SQLite error", why)
                        reasons[why] += 1
                    key = f"{target}/{job['name']}/{ex['target']} [execution]"
                    if ex["verdict"] == "differs":
                        if key not in known:
                            unexplained.append(key)
                        if show or key not in known:
                            print(f"differs {key}\n  {json.dumps(cex.get(ex['target']))}")
                    elif show and ex["verdict"] == "not executable":
                        print(f"not executable {key}: {ex.get('why')}")
    for target, _ in ARTIFACTS:
        c = counts[target]
        total = sum(c.values()) or 1
        print(f"{target:10} targets: equal {c['equal']} ({100.0 * c['equal'] / total:.1f}%), "
              f"differs {c['differs']}, not executable {c['not executable']} "
              f"({100.0 * c['not executable'] / total:.1f}%)")
    print("not executable, by reason:")
    for why, n in reasons.most_common():
        print(f"  {n:3}  {why}")
    for u in unexplained:
        print(f"unexplained: {u}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
