#!/usr/bin/env python3
"""Translation pairs through `etlport transpile` (docs/sql-transpile.md).

For every pair of ../shared/corpus/sql/**/*.tsv (columns source_dialect, target_dialect, source_sql,
expected_sql) whose target is snowflake, spark, spark2 or databricks (the last two read as spark):

  1. etlport transpile --from SOURCE --to TARGET        the source text  -> our translation
  2. etlport transpile --from TARGET --canonical        our translation  -> canonical IR text
  3. etlport transpile --from TARGET --canonical        the expected text -> canonical IR text

A pair passes when step 1 succeeds without holes and the two canonical texts are equal: both texts
mean the same by the IR's rules. Pairs whose expected text fails to parse in the target dialect
fail too (counted apart). SnowConvert pairs whose expected text carries SnowConvert's warning
markers (SSC-..., EWI, FDM, !!!RESOLVE) are listed apart: their expected text is not a translation.

Source dialects etlport has no reader for are read as their nearest: fabric as tsql; postgres,
redshift, presto and sqlglot's generic dialect as ansi (said in the output).

Prints the pass rate per (source, target) and per pair file, writes every failure (pair id, why,
the three texts) to --failures FILE, and exits 1 when a group's rate is below its floor
(--floor GROUP=PCT, GROUP being the pair file's stem, e.g. sqlglot_pairs), 77 when the corpus is
missing.

With --mutations, checks the comparison itself instead: for every passing pair, each mutation of
the expected text that changes its meaning (another function, another join type, another literal,
another comparison) must give a different canonical text when it still parses. Any mutation that
compares equal is a canonicalisation bug; the run fails.

usage: pairs_transpile.py ETLPORT CORPUS_SQL_DIR [--floor GROUP=PCT ...] [--failures FILE] [--jobs N]
                          [--mutations]
"""
import glob
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

READ_AS = {"oracle": "oracle", "tsql": "tsql", "fabric": "tsql", "teradata": "teradata", "db2": "db2",
           "netezza": "netezza", "snowflake": "snowflake", "spark": "spark", "spark2": "spark",
           "databricks": "spark", "postgres": "ansi", "redshift": "ansi", "presto": "ansi",
           "sqlglot-generic": "ansi"}
TARGETS = {"snowflake": "snowflake", "spark": "spark", "spark2": "spark", "databricks": "spark"}
WARNING = re.compile(r"SSC-[A-Z]+-|\bEWI\b|\bFDM\b|!!!RESOLVE|\*\*\s*SSC")


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


def run(etlport, args, text):
    r = subprocess.run([etlport, "transpile"] + args + ["-"], input=text.encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


# a hole in a canonical text: a statement or declaration line, or an expression
CANON_HOLE = re.compile(r'^\s*hole \d|HOLE\("', re.M)


def check(etlport, pair):
    src_d, tgt, src, exp = pair["read_as"], pair["target"], pair["source"], pair["expected"]
    rc, ours, err = run(etlport, ["--from", src_d, "--to", tgt, "--fail-on", "unsupported"], src)
    if rc not in (0, 1):
        return "crash", ours, "", ""
    if rc == 1:
        why = "holes" if "ETLPORT" in ours else "source does not parse"
        return why, ours, "", ""
    rc1, c_ours, _ = run(etlport, ["--from", tgt, "--canonical"], ours)
    rc2, c_exp, _ = run(etlport, ["--from", tgt, "--canonical"], exp)
    if rc2 != 0:
        return "expected does not parse", ours, c_ours, c_exp
    if rc1 != 0 or CANON_HOLE.search(c_ours):
        return "translation does not read back", ours, c_ours, c_exp
    if CANON_HOLE.search(c_exp):
        # equal holes prove nothing: a part of the expected text that etlport cannot read
        return "expected not read", ours, c_ours, c_exp
    if c_ours.strip() != c_exp.strip():
        return "different meaning", ours, c_ours, c_exp
    return None, ours, c_ours, c_exp


# Mutations that change meaning: (name, pattern, replacement). Applied once, to the first match
# outside string literals and comments (a literal mutation applies inside one).
SWAPS = [("UPPER", "LOWER"), ("LOWER", "UPPER"), ("SUM", "MAX"), ("MAX", "MIN"), ("MIN", "MAX"),
         ("LTRIM", "RTRIM"), ("RTRIM", "LTRIM"), ("FLOOR", "CEIL"), ("CEIL", "FLOOR"), ("AVG", "SUM"),
         ("COALESCE", "NULLIF")]
# Array functions whose neighbours mean something else (docs/sql-transpile.md, "Arrays"), applied
# besides the swap above: another index base (element_at counts from 1), NULL size (-1), DISTINCT.
ARRAY_SWAPS = [("ARRAY_SIZE", "SIZE"), ("SIZE", "ARRAY_SIZE"), ("GET", "ELEMENT_AT"), ("ELEMENT_AT", "GET"),
               ("COLLECT_LIST", "COLLECT_SET"), ("COLLECT_SET", "COLLECT_LIST"), ("ARRAY_CAT", "ARRAY_APPEND")]


def mutations(text):
    out = []
    code = re.sub(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", lambda m: "\0" * len(m.group(0)), text, flags=re.S)

    def at(m, rep):
        return text[:m.start()] + rep + text[m.end():]
    for a, b in SWAPS:
        m = re.search(r"\b%s\s*\(" % a, code, flags=re.I)
        if m:
            out.append(("function %s->%s" % (a, b), at(m, b + "("), a.lower() + "("))
            break
    for a, b in ARRAY_SWAPS:
        m = re.search(r"\b%s\s*\(" % a, code, flags=re.I)
        if m:
            out.append(("array function %s->%s" % (a, b), at(m, b + "("), None))
            break
    m = re.search(r"\[(\d+)\]", code)
    if m:
        out.append(("subscript [%s]->[%d]" % (m.group(1), int(m.group(1)) + 1),
                    at(m, "[%d]" % (int(m.group(1)) + 1)), None))
    m = re.search(r"\bLEFT\s+(OUTER\s+)?JOIN\b", code, flags=re.I)
    if m:
        out.append(("join LEFT->INNER", at(m, "INNER JOIN"), "join left"))
    else:
        m = re.search(r"\b(INNER\s+)?JOIN\b", code, flags=re.I)
        if m and not re.search(r"\b(CROSS|FULL|RIGHT|NATURAL)\s+$", code[:m.start()], flags=re.I):
            out.append(("join INNER->LEFT", at(m, "LEFT JOIN"), "join inner"))
    m = re.search(r"(?<![\w.$@:])(\d+)(?![\w.])", code)
    if m:
        out.append(("number %s->%d" % (m.group(1), int(m.group(1)) + 1), at(m, str(int(m.group(1)) + 1)),
                    m.group(1)))
    m = re.search(r"'((?:[^']|'')*)'", text)
    if m and "\0" in code[m.start():m.end()]:
        out.append(("string literal", text[:m.start()] + "'" + m.group(1) + "_x'" + text[m.end():],
                    "'" + m.group(1) + "'"))
    m = re.search(r"(?<![<>!=])(<=|>=|<>|!=|=|<|>)(?![<>=])", code)
    if m:
        rep = {"<=": "<", ">=": ">", "<>": "=", "!=": "=", "=": "<>", "<": "<=", ">": ">="}[m.group(1)]
        out.append(("comparison %s->%s" % (m.group(1), rep), at(m, rep), "CMP"))
    return out


def check_mutations(etlport, pair):
    """[(mutation, outcome)] with outcome 'differs', 'unparsed' or 'EQUAL'."""
    tgt = pair["target"]
    rc, base, _ = run(etlport, ["--from", tgt, "--canonical"], pair["expected"])
    res = []
    for name, text, token in mutations(pair["expected"]):
        if token == "CMP":
            if not re.search(r"\b(eq|ne|lt|le|in)(\[[a-z_,]*\])?\(|\bon |where ", base):
                continue  # no comparison left in the canonical form (folded away)
        elif token is not None and token not in base:
            continue  # the mutated token is not in the canonical form (folded away, a comment, an option)
        rc2, c, _ = run(etlport, ["--from", tgt, "--canonical"], text)
        if rc2 != 0 or "HOLE(" in c or "not translated" in c:
            res.append((name, "unparsed", text, c, base))
        else:
            res.append((name, "differs" if c.strip() != base.strip() else "EQUAL", text, c, base))
    return res


def main():
    args = sys.argv[1:]
    floors, failures_path, jobs, pos, do_mutations = {}, None, os.cpu_count() or 2, [], False
    i = 0
    while i < len(args):
        if args[i] in ("-h", "--help"):
            print(__doc__)
            return 0
        if args[i] == "--floor":
            g, p = args[i + 1].split("=")
            floors[g] = float(p)
            i += 2
        elif args[i] == "--failures":
            failures_path = args[i + 1]
            i += 2
        elif args[i] == "--mutations":
            do_mutations = True
            i += 1
        elif args[i] == "--jobs":
            jobs = int(args[i + 1])
            i += 2
        else:
            pos.append(args[i])
            i += 1
    if len(pos) != 2:
        sys.stderr.write("usage:" + __doc__.split("usage:", 1)[1])
        return 2
    etlport, corpus = pos
    files = sorted(glob.glob(os.path.join(corpus, "**", "*.tsv"), recursive=True))
    files = [f for f in files if os.path.basename(f) != "MANIFEST.tsv"]
    if not files:
        print("SKIP: no translation pairs under", corpus)
        return 77
    pairs = []
    for f in files:
        group = os.path.splitext(os.path.basename(f))[0]
        with open(f, encoding="utf-8", errors="replace") as fp:
            header = fp.readline().rstrip("\n").split("\t")
            for line in fp:
                row = dict(zip(header, line.rstrip("\n").split("\t")))
                tgt = TARGETS.get(row.get("target_dialect", ""))
                src = row.get("source_dialect", "")
                if not tgt or src not in READ_AS:
                    continue
                exp = unescape(row.get("expected_sql", ""))
                pairs.append({"id": row["pair_id"], "group": group, "source_dialect": src, "read_as": READ_AS[src],
                              "target_dialect": row["target_dialect"], "target": tgt,
                              "source": unescape(row.get("source_sql", "")), "expected": exp,
                              "warned": bool(WARNING.search(exp))})
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        results = list(ex.map(lambda p: check(etlport, p), pairs))
    if do_mutations:
        passing = [p for p, r in zip(pairs, results) if r[0] is None]
        with ThreadPoolExecutor(max_workers=jobs) as ex:
            muts = list(ex.map(lambda p: check_mutations(etlport, p), passing))
        counts, bad = {}, []
        for p, ms in zip(passing, muts):
            for name, outcome, text, c, base in ms:
                kind = name.split(" ")[0]
                counts.setdefault(kind, {"differs": 0, "unparsed": 0, "EQUAL": 0})[outcome] += 1
                if outcome == "EQUAL":
                    bad.append((p["id"], name, text, base))
        print("meaning-changing mutations of the %d passing pairs' expected texts:" % len(passing))
        for kind, c in sorted(counts.items()):
            print("  %-12s %5d stay unequal, %4d no longer parse, %d compare EQUAL" % (kind, c["differs"],
                                                                                     c["unparsed"], c["EQUAL"]))
        for pid, name, text, base in bad:
            print("FAIL: %s: %s compares equal to the original\n%s\n%s" % (pid, name, text, base))
        applied = sum(c["differs"] for c in counts.values())
        if applied == 0:
            print("FAIL: no mutation could be checked")
        return 0 if not bad and applied > 0 else 1
    by_key, by_group, whys = {}, {}, {}
    crashes = 0
    for p, (why, *_rest) in zip(pairs, results):
        if why == "crash":
            crashes += 1
        key = (p["group"], p["source_dialect"], p["target_dialect"])
        for table, k in ((by_key, key), (by_group, p["group"] + (" (with warning markers)" if p["warned"] else ""))):
            n, ok = table.get(k, (0, 0))
            table[k] = (n + 1, ok + (why is None))
        whys[why or "pass"] = whys.get(why or "pass", 0) + 1
    print("translation pairs through etlport transpile (pass = same canonical IR, no holes)")
    print("%-34s %-16s %-11s %6s %6s %7s" % ("file", "source", "target", "pairs", "pass", "rate"))
    for (g, s, t), (n, ok) in sorted(by_key.items()):
        note = " (read as %s)" % READ_AS[s] if READ_AS[s] != s and s not in TARGETS else ""
        print("%-34s %-16s %-11s %6d %6d %6.1f%%%s" % (g, s, t, n, ok, 100.0 * ok / n, note))
    print("by file:")
    for g, (n, ok) in sorted(by_group.items()):
        print("  %-50s %5d pairs %5d pass %6.1f%%" % (g, n, ok, 100.0 * ok / n))
    print("outcomes:", ", ".join("%s %d" % kv for kv in sorted(whys.items())))
    if failures_path:
        with open(failures_path, "w") as out:
            for p, (why, ours, c_ours, c_exp) in zip(pairs, results):
                if why is None:
                    continue
                out.write("=== %s%s %s -> %s: %s\n--- source\n%s\n--- ours\n%s\n--- expected\n%s\n"
                          "--- canonical ours\n%s\n--- canonical expected\n%s\n\n"
                          % (p["id"], " (warning markers)" if p["warned"] else "", p["source_dialect"], p["target_dialect"], why, p["source"], ours,
                             p["expected"], c_ours, c_exp))
        print("failures written to", failures_path)
    ok = crashes == 0
    if crashes:
        print("FAIL: %d pairs crashed etlport" % crashes)
    for g, floor in floors.items():
        n, passed = by_group.get(g, (0, 0))
        rate = 100.0 * passed / n if n else 0.0
        if rate < floor:
            print("FAIL: %s at %.1f%%, below its floor %.1f%%" % (g, rate, floor))
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
