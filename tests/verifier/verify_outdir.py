#!/usr/bin/env python3
"""`etlport verify OUTDIR` over a convert of the project's corpora (corpus/informatica, corpus/sql):
every job with artifacts gets a verify.json and, in report.json, layer scores, a composite score
and a tier per target; totals.verify holds the column verdict shares and the tier distribution,
which this test prints. A second run leaves report.json byte-identical (scores are deterministic),
and the non-production profile adds masking findings without changing the comparison.

usage: verify_outdir.py ETLPORT SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

TIERS = ("auto_approve", "pr_review", "senior_review", "regenerate", "reject")
LAYERS = ("syntax", "security", "semantic", "performance")


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if "Sanitizer" in r.stderr or "runtime error" in r.stderr:
        fail(f"sanitizer report from {' '.join(cmd)}:\n{r.stderr}")
    return r


def shares(c):
    n = sum(c.values()) or 1
    return ", ".join(f"{k} {c[k]} ({100.0 * c[k] / n:.1f}%)" for k in ("equal", "differs", "unverified"))


def main():
    etlport, srcdir = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as out:
        inputs = [os.path.join("corpus", "informatica"), os.path.join("corpus", "sql")]
        run([etlport, "convert", *inputs, "-o", out, "--quiet"], srcdir)
        r = run([etlport, "verify", out, "--json"], srcdir)
        if r.returncode not in (0, 1):
            fail(f"verify OUTDIR exited {r.returncode}: {r.stderr}")
        totals = json.loads(r.stdout)
        report = json.load(open(os.path.join(out, "report.json"), encoding="utf-8"))
        if report["totals"].get("verify") != totals:
            fail("report.json totals.verify differs from what --json printed")
        jobs = [j for j in report["jobs"] if j.get("artifacts", {}).get("ir")]
        if len(jobs) < 30:
            fail(f"only {len(jobs)} jobs converted")
        for job in jobs:
            v = job.get("verify")
            if not v or "tier" not in v:
                fail(f"{job['name']}: no verify summary in report.json")
            if v["tier"] not in TIERS or v["tier"] == "auto_approve":
                fail(f"{job['name']}: tier {v['tier']} (migration artifacts never auto-approve)")
            for target in ("spark", "snowflake"):
                if target not in job["artifacts"]:
                    continue
                s = v[target]
                if set(s["layers"]) != set(LAYERS) or not 0 <= s["composite"] <= 1:
                    fail(f"{job['name']}/{target}: bad scores {s}")
                want = round(sum(w * s["layers"][k] for k, w in
                                 (("syntax", 0.20), ("security", 0.35), ("semantic", 0.30), ("performance", 0.15))), 4)
                if abs(want - s["composite"]) > 1e-9:
                    fail(f"{job['name']}/{target}: composite {s['composite']} != weighted sum {want}")
            path = os.path.join(out, job["artifacts"]["verify"])
            vj = json.load(open(path, encoding="utf-8"))
            for target, t in vj["targets"].items():
                for f in t["findings"]:
                    if not {"rule", "layer", "severity", "file", "line", "col", "message"} <= set(f):
                        fail(f"{path}: finding without file:line:col: {f}")
                if t["tier"] != v[target]["tier"]:
                    fail(f"{path}: tier differs from report.json")
        job = next(j for j in jobs if "spark" in j["artifacts"])
        r = run([etlport, "verify", "--legacy", job["source_file"], "--job", job["name"], "--generated",
                 os.path.join(out, job["artifacts"]["spark"]), "--json"], srcdir)
        one = json.loads(r.stdout)
        if not {"verdict", "layers", "composite", "tier", "findings"} <= set(one) or \
                one["tier"] != job["verify"]["spark"]["tier"]:
            fail(f"single-pair --json lacks the scores or disagrees with OUTDIR mode: {sorted(one)}")
        before = open(os.path.join(out, "report.json"), "rb").read()
        run([etlport, "verify", out], srcdir)
        if open(os.path.join(out, "report.json"), "rb").read() != before:
            fail("a second verify run changed report.json")

        for target in ("spark", "snowflake"):
            print(f"{target:9} columns: {shares(totals['columns'][target])}")
            print(f"{target:9} steps:   {shares(totals['steps'][target])}")
            print(f"{target:9} tiers:   " + ", ".join(f"{k} {totals['tiers'][target][k]}" for k in TIERS))
        print("jobs      tiers:   " + ", ".join(f"{k} {totals['tiers']['jobs'][k]}" for k in TIERS))
        if "unit_tiers" in totals:
            for target in ("spark", "snowflake"):
                print(f"{target:9} units ({totals['units']}): " +
                      ", ".join(f"{k} {totals['unit_tiers'][target][k]}" for k in TIERS))

        r = run([etlport, "verify", out, "--json", "--profile", "non-production"], srcdir)
        np = json.loads(r.stdout)
        if np["columns"] != totals["columns"]:
            fail("the profile changed the comparison")
        report = json.load(open(os.path.join(out, "report.json"), encoding="utf-8"))
        masked = 0
        for job in report["jobs"]:
            if not job.get("artifacts", {}).get("verify"):
                continue
            vj = json.load(open(os.path.join(out, job["artifacts"]["verify"]), encoding="utf-8"))
            for target, t in vj["targets"].items():
                masked += sum(f["rule"] == f"security/{'py' if target == 'spark' else 'sql'}-unmasked"
                              for f in t["findings"])
        if masked == 0:
            fail("the non-production profile found no unmasked classified column in the corpus")
        print(f"non-production: {masked} unmasked classified target columns; jobs tiers: " +
              ", ".join(f"{k} {np['tiers']['jobs'][k]}" for k in TIERS))
    print("ok")


if __name__ == "__main__":
    main()
