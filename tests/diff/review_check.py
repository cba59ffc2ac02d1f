#!/usr/bin/env python3
"""The review pages of `etlport diff` (issue 7), without a browser (browser_check.py has the DOM):

  - `diff OUTDIR` over the conversion of the project's Informatica and SQL samples writes a page
    per job and an index, byte-identical from run to run;
  - every placed item points at real text: a legacy `file:line` is a line of the legacy file, and the
    generated code shown is the text at its generated `file:line`;
  - every `differs` item shows both canonical texts or why, and the page counts them;
  - `diff LEGACY GENERATED` on an untouched artifact exits 0 with no `differs`; on an artifact with a
    mutated literal it exits 1, and the item that differs shows both canonical texts;
  - two convert runs of the same input give an empty change report (`diff OUTDIR1 OUTDIR2`);
  - a real export loading one table from eight target instances has each item placed in its own;
  - usage errors exit 2.

usage: review_check.py ETLPORT SOURCE_DIR
"""
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)
    return cond


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def file_line(loc, base):
    path, _, line = loc.rpartition(":")
    if not os.path.isabs(path) and not os.path.exists(path):
        path = os.path.join(base, path)
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    n = int(line)
    return lines[n - 1] if 1 <= n <= len(lines) else None


def same_trees(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False
    return all(same_trees(os.path.join(a, d), os.path.join(b, d)) for d in cmp.common_dirs)


def main():
    etlport, src = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="etlport-review-")
    try:
        out = os.path.join(tmp, "out")
        for corpus in ("corpus/informatica", "corpus/sql"):
            run(etlport, "convert", os.path.join(src, corpus), "-o", os.path.join(out, os.path.basename(corpus)),
                "--to", "spark,snowflake")
        pages = 0
        for corpus in ("informatica", "sql"):
            conv = os.path.join(out, corpus)
            rev1, rev2 = os.path.join(tmp, corpus + "-r1"), os.path.join(tmp, corpus + "-r2")
            r1 = run(etlport, "diff", conv, "-o", rev1)
            r2 = run(etlport, "diff", conv, "-o", rev2)
            check(r1.returncode in (0, 1), f"{corpus}: diff OUTDIR exits 0 or 1 ({r1.returncode}: {r1.stderr.strip()})")
            check(same_trees(rev1, rev2), f"{corpus}: two runs write byte-identical reports")
            index = json.load(open(os.path.join(rev1, "index.json")))
            for j in index["jobs"]:
                page = json.load(open(os.path.join(rev1, j["page"][:-len(".html")] + ".json")))
                pages += 1
                for art in page["artifacts"]:
                    if "error" in art:
                        check(False, f"{j['page']}: {art['target']} readable ({art['error']})")
                        continue
                    gen_path = os.path.join(conv, art["file"])
                    for it in art["columns"] + art["steps"]:
                        name = f"{j['page']} {art['target']} {it['target']}.{it.get('column') or it.get('kind')}"
                        loc = it["legacy"].get("loc")
                        if loc:
                            for one in loc.split(", "):
                                check(file_line(one, src) is not None, f"{name}: legacy {one} is a line of its file")
                        code, gloc = it["generated"].get("code"), it["generated"].get("loc")
                        if code and gloc:
                            first = gloc.split(", ")[0]
                            text = file_line(first.replace(art["file"], gen_path, 1), src)
                            check(text is not None and code.split("\n")[0].strip() == text.strip(),
                                  f"{name}: the generated code shown is the text at {first}")
                        if it["verdict"] == "differs":
                            check(it["canonical"]["legacy"] != it["canonical"]["generated"] or it.get("why"),
                                  f"{name}: a difference shows both sides or why")
                    n_diff = sum(1 for it in art["columns"] + art["steps"] if it["verdict"] == "differs")
                    check(n_diff == art["differences"], f"{j['page']} {art['target']}: differences counted")
        check(pages >= 30, f"review pages written for the samples ({pages})")

        # two conversion runs of the same input: no change
        again = os.path.join(tmp, "again")
        run(etlport, "convert", os.path.join(src, "corpus/informatica"), "-o", again, "--to", "spark,snowflake")
        r = run(etlport, "diff", os.path.join(out, "informatica"), again, "--format", "json")
        ch = json.loads(r.stdout or "{}")
        check(r.returncode == 0 and ch.get("changes") == [],
              f"two convert runs of the same input: no change, exit 0 ({r.returncode}: {r.stderr.strip()[:200]})")

        # one pair, untouched and mutated
        legacy = os.path.join(src, "corpus/informatica/m_bank_customer_address_std.XML")
        gen = os.path.join(out, "informatica/BANK_DWH/m_bank_customer_address_std/spark.py")
        r = run(etlport, "diff", legacy, gen, "--format", "json")
        page = json.loads(r.stdout)
        check(r.returncode == 0 and page["verdict"] != "differs",
              f"untouched artifact: exit 0, nothing differs ({r.returncode}, {page['verdict']})")
        text = open(gen).read()
        i = text.find('F.lit("')
        check(i >= 0, "the artifact has a string literal to mutate")
        j = text.index('"', i + 7)
        mutated = text[:j] + "~" + text[j:]
        mpath = os.path.join(tmp, "spark_mutated.py")
        open(mpath, "w").write(mutated)
        r = run(etlport, "diff", legacy, mpath, "--format", "json")
        page = json.loads(r.stdout)
        check(r.returncode == 1 and page["verdict"] == "differs", f"mutated artifact: exit 1, differs ({r.returncode})")
        items = [it for a in page["artifacts"] for it in a["columns"] + a["steps"] if it["verdict"] == "differs"]
        check(any("~" in (it["canonical"]["generated"] or "") and "~" not in (it["canonical"]["legacy"] or "")
                  for it in items), "mutated artifact: the differing item shows the mutated literal on one side only")
        md = run(etlport, "diff", legacy, mpath, "--format", "md").stdout
        check("| differs |" in md, "mutated artifact: the Markdown table has the differing row")
        # the legacy file second works too
        r = run(etlport, "diff", mpath, legacy, "--format", "json")
        check(r.returncode == 1, "GENERATED LEGACY in that order works too")
        # eight target instances loading one table (a real export): each item placed in its own
        shared = os.path.join(src, "..", "shared", "corpus", "informatica", "paqoibanez_dwh",
                              "wkf_03_DI_CARGA_INDICADORES.XML")
        multi = os.path.join(tmp, "multi")
        run(etlport, "convert", shared, "-o", multi, "--to", "snowflake")
        arts = [os.path.join(d, "snowflake.sql") for d, _, fs in os.walk(multi)
                if os.path.basename(d) == "m_DI_CARGA_IND_CALIDAD" and "snowflake.sql" in fs]
        if check(len(arts) == 1, "m_DI_CARGA_IND_CALIDAD converts"):
            page = json.loads(run(etlport, "diff", shared, arts[0], "--job", "m_DI_CARGA_IND_CALIDAD",
                                  "--format", "json").stdout)
            items = [it for it in page["artifacts"][0]["columns"] if it["column"] == "FECHA_CORTE"]
            check(sorted(it.get("instance", 0) for it in items) == list(range(8)),
                  "eight instances of CADA_IND_CALIDAD.FECHA_CORTE, numbered")
            check(len({it["generated"]["loc"] for it in items}) >= 6,
                  "each instance's column placed at its own generated line (two pairs share a source)")
            check(len({it["legacy"]["node"] for it in items}) >= 6,
                  "each instance's column placed at its own source qualifier (two share one)")
        # usage
        check(run(etlport, "diff", legacy).returncode == 2, "one file that is no convert output: exit 2")
        check(run(etlport, "diff", legacy, gen, "--format", "pdf").returncode == 2, "an unknown format: exit 2")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"review check: {len(FAILS)} failure(s)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
