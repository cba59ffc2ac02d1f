#!/usr/bin/env python3
"""Hand-written PySpark (the idioms a person or a model writes, not the backend's) verified against
small legacy SQL jobs: each line of handwritten/cases.txt names the legacy file, the PySpark file,
the verdict `etlport verify` must give and, optionally, the verdict of differential execution
(`equal`, or `differs` with a counterexample) for every target.

usage: handwritten_check.py ETLPORT
"""
import json
import os
import subprocess
import sys


def main():
    etlport = sys.argv[1]
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "handwritten")
    failed = 0
    for line in open(os.path.join(here, "cases.txt"), encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        legacy, generated, expected = fields[:3]
        expected_exec = fields[3] if len(fields) > 3 else None
        r = subprocess.run([etlport, "verify", "--legacy", os.path.join(here, legacy),
                            "--generated", os.path.join(here, generated), "--json"], capture_output=True, text=True)
        res = json.loads(r.stdout) if r.stdout.strip() else {}
        got = res.get("verdict", "error")
        execs = [e["verdict"] for e in res.get("execution", [])]
        got_exec = execs[0] if execs and all(e == execs[0] for e in execs) else ",".join(execs) or "none"
        cex = len(res.get("counterexamples", []))
        bad = got != expected or "Sanitizer" in r.stderr or "runtime error" in r.stderr
        if expected_exec:
            bad |= got_exec != expected_exec or (expected_exec == "differs") != (cex > 0)
        print(f"{'FAIL' if bad else 'ok  '} {generated}: {got} (expected {expected})"
              + (f", execution {got_exec} (expected {expected_exec})" if expected_exec else ""))
        if bad:
            print(r.stdout + r.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
