#!/usr/bin/env python3
"""Per dialect of ../shared/corpus/sql (MANIFEST.tsv's dialect column): every file through
`etlport convert --from DIALECT`, and from its report.json the statements converted / parsed /
failed and the holes by kind. Prints one table; the parse rates themselves are sql_corpus's (with
floors). Fails only when etlport crashes (an exit status other than 0 or 1) or writes no report.

usage: corpus_holes.py ETLPORT CORPUS_SQL_DIR      (exit 77 when the corpus is missing)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

DIALECTS = ("oracle", "tsql", "teradata", "db2", "netezza", "ansi")


def main():
    etlport, corpus = sys.argv[1:3]
    manifest = os.path.join(corpus, "MANIFEST.tsv")
    if not os.path.exists(manifest):
        print("SKIP: no", manifest)
        return 77
    groups = {d: [] for d in DIALECTS}
    with open(manifest, encoding="utf-8") as fp:
        header = fp.readline().rstrip("\n").split("\t")
        for line in fp:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            d = row.get("dialect", "")
            path = os.path.join(corpus, row.get("local_path", ""))
            if d in groups and os.path.isfile(path) and not path.endswith(".tsv"):
                groups[d].append(path)
    work = tempfile.mkdtemp(prefix="etlport-holes.")
    kinds, rows, ok = set(), [], True
    try:
        for d in DIALECTS:
            if not groups[d]:
                continue
            out = os.path.join(work, d)
            r = subprocess.run([etlport, "convert", "--from", d, "--quiet", "-o", out] + groups[d],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1200)
            rep = os.path.join(out, "report.json")
            if r.returncode not in (0, 1) or not os.path.exists(rep):
                print("FAIL: etlport convert --from %s exited %d" % (d, r.returncode))
                ok = False
                continue
            t = json.load(open(rep))["totals"]
            st = t.get("statements", {})
            hk = t.get("holes_by_kind", {})
            kinds.update(hk)
            rows.append((d, len(groups[d]), st, t.get("units", 0), t.get("unit_steps", 0), hk))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    kinds = sorted(kinds)
    print("%-9s %5s %9s %8s %6s %6s %6s  holes: %s" % ("dialect", "files", "converted", "skipped", "hole",
                                                     "failed", "units", " ".join(kinds)))
    for d, n, st, units, steps, hk in rows:
        print("%-9s %5d %9d %8d %6d %6d %6d         %s" % (d, n, st.get("converted", 0), st.get("skipped", 0),
                                                        st.get("hole", 0), st.get("failed", 0), units,
                                                        " ".join("%s=%d" % (k, hk.get(k, 0)) for k in kinds)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
