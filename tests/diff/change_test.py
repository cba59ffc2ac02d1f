#!/usr/bin/env python3
"""`etlport diff OLD NEW` change reports (docs/diff.md, "Change reports (OLD NEW)").

usage: change_test.py MODE ETLPORT SOURCE_DIR

  pairs   every versions/<format>/<case>/ folder holds old.*, new.* (or old/ and new/ with one
          file each, for SQL whose job names come from the file name) and expected.tsv, the
          hand-written list of the changes planted in new (level, kind, job, node, column, aspect;
          '#' lines are comments; no rows: a reformatted / reordered / renamed copy that means the
          same; an optional 7th column is the legacy text the change must point at). The JSON
          report must list exactly those changes in that order, with canonical text
          before and after where the kind has them, and a location on each side that has the
          element; diffing NEW against OLD must give the mirror image; the report must be the same
          bytes twice; the exit code is 1 with changes and 0 without; the Markdown rendering has a
          row per change, or says there is none.
  outdirs the same pairs, each also converted (etlport convert) and the two output folders
          compared: the same changes as the legacy files give.
  corpus  every file of the project's corpora (corpus/informatica, corpus/sql) compared with itself
          reports no change; a broken sample (corpus/informatica/broken) on either side prints its
          error; one no job could be read from exits 3 and writes no report, one read with an
          error inside a job is compared.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = ("level", "kind", "job", "node", "column", "aspect")
OUTDIRS = False  # pairs: also diff the two versions' convert outputs
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(etlport, srcdir, old, new, fmt):
    return subprocess.run([etlport, "diff", old, new, "--format", fmt], cwd=srcdir, capture_output=True, text=True)


def report(etlport, srcdir, old, new, where):
    r = run(etlport, srcdir, old, new, "json")
    if "Sanitizer" in r.stderr or "runtime error" in r.stderr:
        fail(f"{where}: sanitizer report:\n{r.stderr}")
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        fail(f"{where}: not JSON (exit {r.returncode}): {r.stderr.strip()[:400]}")
        return r, None


def read_expected(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        cells += [""] * (len(KEYS) + 1 - len(cells))
        rows.append((tuple(cells[: len(KEYS)]), cells[len(KEYS)]))
    return rows


def key_of(c):
    return tuple(c.get(k) or "" for k in KEYS)


def check_shape(where, rep):
    s = rep["summary"]
    kinds = [c["kind"] for c in rep["changes"]]
    for k in ("added", "removed", "changed"):
        if s[k] != kinds.count(k):
            fail(f"{where}: summary {k} = {s[k]}, but {kinds.count(k)} such changes are listed")
    for c in rep["changes"]:
        w = f"{where}: {key_of(c)}"
        if c["kind"] == "changed" and c["level"] != "job" and not (c.get("before") and c.get("after")):
            fail(f"{w}: a change without canonical text before and after")
        if c["kind"] == "added" and (c.get("before") or not c.get("after") or not c.get("new_loc")):
            fail(f"{w}: an addition must have text and a location on the new side only")
        if c["kind"] == "removed" and (c.get("after") or not c.get("before") or not c.get("old_loc")):
            fail(f"{w}: a removal must have text and a location on the old side only")
        if c["kind"] == "changed" and c["level"] != "job" and not (c.get("old_loc") and c.get("new_loc")):
            fail(f"{w}: a change without a location on both sides")
        if c.get("before") and c.get("before") == c.get("after"):
            fail(f"{w}: before and after are the same text")


MIRROR = {"added": "removed", "removed": "added", "changed": "changed"}


def check_pair(etlport, srcdir, case):
    files = sorted(os.listdir(case))
    where = os.path.relpath(case, HERE)

    def version(name):
        # old.EXT, or old/FILE where the file name matters (SQL job names come from it)
        if os.path.isdir(os.path.join(case, name)):
            inside = sorted(os.listdir(os.path.join(case, name)))
            return os.path.join(case, name, inside[0]) if len(inside) == 1 else None
        f = next((f for f in files if f.startswith(name + ".")), None)
        return os.path.join(case, f) if f else None

    old, new = version("old"), version("new")
    if not old or not new or "expected.tsv" not in files:
        fail(f"{where}: needs old.* (or old/ with one file), new.* (or new/) and expected.tsv")
        return
    rows = read_expected(os.path.join(case, "expected.tsv"))
    want = [k for k, _ in rows]
    r, rep = report(etlport, srcdir, old, new, where)
    if rep is None:
        return
    got = [key_of(c) for c in rep["changes"]]
    if got != want:
        fail(f"{where}: changes differ from expected.tsv\n  expected: {want}\n  got:      {got}")
    else:
        # the optional 7th column: the legacy text the change points at (the new side's, else the old's)
        for (k, legacy), c in zip(rows, rep["changes"]):
            shown = c.get("new_legacy") or c.get("old_legacy") or ""
            if legacy and legacy != shown:
                fail(f"{where}: {k}: points at legacy text {shown!r}, expected {legacy!r}")
    check_shape(where, rep)
    if r.returncode != (1 if want else 0):
        fail(f"{where}: exit code {r.returncode} with {len(want)} changes")
    again = run(etlport, srcdir, old, new, "json")
    if again.stdout != r.stdout:
        fail(f"{where}: two runs gave different bytes")
    # the other way round: additions become removals, before and after swap
    _, back = report(etlport, srcdir, new, old, where + " (reversed)")
    if back is not None:
        mirror = sorted((c["level"], MIRROR[c["kind"]], c.get("node") or "", c.get("column") or "",
                         c.get("aspect") or "", c.get("after") or "", c.get("before") or "") for c in rep["changes"])
        got_back = sorted((c["level"], c["kind"], c.get("node") or "", c.get("column") or "", c.get("aspect") or "",
                           c.get("before") or "", c.get("after") or "") for c in back["changes"])
        if mirror != got_back:
            fail(f"{where}: NEW OLD is not the mirror image of OLD NEW\n  mirror: {mirror}\n  got:    {got_back}")
    if OUTDIRS:
        # two convert outputs of the versions: read from their ir.json files, the same changes
        with tempfile.TemporaryDirectory() as tmp:
            outs = [os.path.join(tmp, "old"), os.path.join(tmp, "new")]
            for src, out in zip((old, new), outs):
                subprocess.run([etlport, "convert", src, "-o", out, "--quiet"], cwd=srcdir,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, conv = report(etlport, srcdir, outs[0], outs[1], where + " (convert outputs)")
            if conv is not None and [key_of(c) for c in conv["changes"]] != want:
                fail(f"{where}: convert outputs give other changes: {[key_of(c) for c in conv['changes']]}")
    md = run(etlport, srcdir, old, new, "md").stdout
    rows = [l for l in md.splitlines() if l.startswith("| ") and not l.startswith("| change ") and
            not l.startswith("| ---")]
    if len(rows) != len(want):
        fail(f"{where}: Markdown has {len(rows)} change rows for {len(want)} changes")
    if not want and "No semantic changes." not in md:
        fail(f"{where}: Markdown does not say there is no change")
    print(f"ok {where}: {len(want)} change(s)")


def pairs(etlport, srcdir):
    root = os.path.join(HERE, "versions")
    n = 0
    for fmt in sorted(os.listdir(root)):
        for case in sorted(os.listdir(os.path.join(root, fmt))):
            check_pair(etlport, srcdir, os.path.join(root, fmt, case))
            n += 1
    if n < 4:
        fail(f"only {n} version pairs")


def corpus(etlport, srcdir):
    n = 0
    for sub in ("corpus/informatica", "corpus/sql"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(srcdir, sub)):
            dirnames[:] = sorted(d for d in dirnames if d != "broken")
            for f in sorted(filenames):
                if not f.lower().endswith((".xml", ".sql", ".bteq")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, f), srcdir)
                r, rep = report(etlport, srcdir, path, path, path)
                if rep is None:
                    continue
                n += 1
                if rep["changes"]:
                    fail(f"{path}: compared with itself: {[key_of(c) for c in rep['changes']]}")
    print(f"{n} files compared with themselves")
    if n < 20:
        fail(f"only {n} corpus files read")
    good = "corpus/informatica/m_bank_wire_usd_amounts.XML"
    broken = sorted(os.path.join("corpus/informatica/broken", f)
                    for f in os.listdir(os.path.join(srcdir, "corpus/informatica/broken")) if f.endswith(".XML"))
    for path in broken:
        # a file no job could be read from (truncated XML) is not compared: exit 3, no report; a
        # mapping read with an error inside (a hole) is compared, its error still printed
        unreadable = path.endswith("truncated.XML")
        for old, new in ((path, good), (good, path)):
            r = run(etlport, srcdir, old, new, "json")
            if path + ":" not in r.stderr:
                fail(f"diff {old} {new}: the error of {path} is not printed")
            if unreadable and (r.returncode != 3 or r.stdout):
                fail(f"diff {old} {new}: exit {r.returncode}, {len(r.stdout)} bytes out, not 3 without a report")
            if not unreadable and (r.returncode != 1 or not r.stdout):
                fail(f"diff {old} {new}: exit {r.returncode}, not 1 with a report (the jobs differ)")
    if len(broken) < 3:
        fail(f"only {len(broken)} broken samples")


def main():
    global OUTDIRS
    if len(sys.argv) != 4 or sys.argv[1] not in ("pairs", "outdirs", "corpus"):
        print(__doc__)
        return 2
    mode, etlport, srcdir = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
    OUTDIRS = mode == "outdirs"
    (corpus if mode == "corpus" else pairs)(etlport, srcdir)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
