#!/usr/bin/env python3
"""Translation-pairs measurement (docs/sql-scripts.md): for every pair of ../shared/corpus/sql/*pairs*.tsv
whose target is Snowflake and whose source is one SELECT/WITH query, converts
`CREATE TABLE etl_pair_result AS <source>` with `etlport convert --dialect <source dialect>` and compares
the generated Snowflake query with expected_sql after normalising case, whitespace and quotes.

Prints: pairs considered, converted to a job, converted without holes, exact agreement, and the mean token
overlap (Jaccard over words, numbers, strings and punctuation). Exits 1 below the floors given, 77 when
the corpus is missing.

usage: pairs_agreement.py ETLPORT CORPUS_SQL_DIR [--floor-converted PCT] [--floor-overlap PCT]
"""
import glob, json, os, re, subprocess, sys, tempfile

DIALECTS = {"oracle": "oracle", "tsql": "tsql", "fabric": "tsql", "teradata": "teradata", "db2": "db2",
            "snowflake": "snowflake", "postgres": "ansi", "redshift": "ansi", "sqlglot-generic": "ansi"}


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def norm(sql):
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    sql = sql.replace('"', "").lower().strip().rstrip(";")
    return re.sub(r"\s+", " ", sql).strip()


def tokens(sql):
    return set(re.findall(r"'[^']*'|[a-z_][a-z0-9_$]*|\d+(?:\.\d+)?|[^\s\w]", sql))


def generated_query(text):
    m = re.search(r"^INSERT (?:OVERWRITE )?INTO [^\n]*\n(.*)$", text, flags=re.S | re.M)
    return m.group(1) if m else None


def main():
    args = sys.argv[1:]
    floors = {"--floor-converted": 0.0, "--floor-overlap": 0.0}
    pos = []
    i = 0
    while i < len(args):
        if args[i] in floors:
            floors[args[i]] = float(args[i + 1])
            i += 2
        else:
            pos.append(args[i])
            i += 1
    etlport, corpus = pos
    files = sorted(glob.glob(os.path.join(corpus, "**", "*pairs*.tsv"), recursive=True))
    if not files:
        print("SKIP: no translation pairs under", corpus)
        return 77
    work = tempfile.mkdtemp(prefix="etlport-pairs.")
    pairs = {}
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fp:
            header = fp.readline().rstrip("\n").split("\t")
            for line in fp:
                row = dict(zip(header, line.rstrip("\n").split("\t")))
                if row.get("target_dialect") != "snowflake" or row.get("source_dialect") not in DIALECTS:
                    continue
                src = unescape(row["source_sql"]).strip().rstrip(";").strip()
                if not re.match(r"(?is)^\(?\s*(select|with|sel)\b", src) or ";" in src:
                    continue
                pid = re.sub(r"[^A-Za-z0-9_]", "_", row["pair_id"])
                d = DIALECTS[row["source_dialect"]]
                os.makedirs(os.path.join(work, d), exist_ok=True)
                name = "p_%s" % pid
                with open(os.path.join(work, d, name + ".sql"), "w") as out:
                    out.write("CREATE TABLE etl_pair_result AS\n%s;\n" % src)
                pairs[name] = (d, norm(unescape(row["expected_sql"])))
    converted = clean = exact = 0
    overlap = 0.0
    for d in sorted(os.listdir(work)):
        out = os.path.join(work, "out_" + d)
        r = subprocess.run([etlport, "convert", os.path.join(work, d), "-o", out, "--to", "snowflake",
                            "--dialect", d, "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode not in (0, 1):
            print("FAIL: etlport convert exited %d on the %s pairs" % (r.returncode, d))
            return 1
        report = json.load(open(os.path.join(out, "report.json")))
        for j in report["jobs"]:
            name = j["folder"]
            if name not in pairs or "snowflake" not in j["artifacts"]:
                continue
            q = generated_query(open(os.path.join(out, j["artifacts"]["snowflake"])).read())
            if q is None:
                continue
            converted += 1
            clean += j["hole_count"] == 0
            g, e = norm(q), pairs[name][1]
            exact += g == e
            tg, te = tokens(g), tokens(e)
            overlap += len(tg & te) / len(tg | te) if tg | te else 1.0
    n = len(pairs)
    pc = 100.0 * converted / n if n else 0.0
    po = 100.0 * overlap / converted if converted else 0.0
    print("pairs with a Snowflake target and a single-query source: %d" % n)
    print("converted to a job: %d (%.1f %%), without holes: %d (%.1f %%)" % (converted, pc, clean,
                                                                             100.0 * clean / n if n else 0))
    print("exact agreement after normalising case/whitespace/quotes: %d (%.1f %%)" % (exact, 100.0 * exact / n if n else 0))
    print("mean token overlap (Jaccard) of generated vs expected: %.1f %%" % po)
    subprocess.run(["rm", "-rf", work])
    ok = pc >= floors["--floor-converted"] and po >= floors["--floor-overlap"]
    if not ok:
        print("FAIL: below the floors", floors)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
