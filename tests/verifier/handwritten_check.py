#!/usr/bin/env python3
"""Hand-written PySpark (the idioms a person or a model writes, not the backend's) verified against
small legacy SQL jobs: each line of handwritten/cases.txt names the legacy file, the PySpark file
and the verdict `etlport verify` must give.

usage: handwritten_check.py ETLPORT
"""
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
        legacy, generated, expected = line.split("\t")
        r = subprocess.run([etlport, "verify", "--legacy", os.path.join(here, legacy),
                            "--generated", os.path.join(here, generated)], capture_output=True, text=True)
        got = r.stdout.split("\n", 1)[0].split(" ")[1] if r.stdout.startswith("verdict: ") else "error"
        bad = got != expected or "Sanitizer" in r.stderr or "runtime error" in r.stderr
        print(f"{'FAIL' if bad else 'ok  '} {generated}: {got} (expected {expected})")
        if bad:
            print(r.stdout + r.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
