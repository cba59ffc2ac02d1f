#!/usr/bin/env python3
"""The mutation check of the verifier's semantic layer (issue 6). Converts one of the project's
corpora (Informatica by default), then for every generated spark.py and snowflake.sql applies
  - semantic mutations (negate a filter, change a literal, swap a join type, replace a function with
    a near relative, off-by-one in SUBSTR, drop a column, change a grouping key, the row operation a
    MERGE clause applies), each of which must
    make `etlport verify` answer `differs`, and
  - meaning-preserving rewrites (rename DataFrame variables / join aliases / CTEs, reorder the operands
    of an equality, F.expr instead of column functions), which must never be `differs`.
Prints both rates, and the rate of the structural layer alone (ETLPORT_VERIFY_NO_EXEC=1) and the share of
mutations with a counterexample from differential execution. Fails when a rewrite is flagged, a mutation is
judged `equal`, the detection rate is below --min or the rate with a counterexample below --min-cex (percent).
--show lists the mutations not detected and those without a counterexample (with the execution's why).

--corpus sql mutates the artifacts of corpus/sql (the project's own SQL scripts) instead of corpus/informatica.

usage: mutation_check.py ETLPORT SOURCE_DIR [--corpus informatica|sql] [--min N] [--min-cex N] [--show]
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def sub_first(pattern, repl, text, flags=0):
    new, n = re.subn(pattern, repl, text, count=1, flags=flags)
    return new if n else None


def sub_all(pattern, repl, text, flags=0):
    new, n = re.subn(pattern, repl, text, flags=flags)
    return new if n else None


def change_every_lit(text):
    # the first F.lit("X") and every other F.lit("X"): the same constant changed wherever it is used
    # (only the first could sit where its value does not matter, e.g. under an isNotNull test)
    m = re.search(r'F\.lit\("([^"\\]*)"\)', text)
    if not m:
        return None
    return text.replace(m.group(0), f'F.lit("{m.group(1)}~")')


def near_function(pairs):
    # the first function of the pairs the artifact calls becomes its near relative at every call
    # (one call alone could sit where it does not change the value: an equivalent mutant)
    def fn(text):
        for a, b in pairs:
            new = sub_all(a, b, text)
            if new:
                return new
        return None
    return fn


def drop_select_line(text):
    # the first plain pass-through column of the final (target) select
    idx = text.rfind(".saveAsTable(")
    if idx < 0:
        return None
    head = text[:idx]
    m = list(re.finditer(r'\n\s+F\.col\("[A-Za-z0-9_]+"\)(\.alias\("[A-Za-z0-9_]+"\))?,', head))
    if len(m) < 2:
        return None
    last = m[-1]
    return text[:last.start()] + text[last.end():]


def group_key_change(text):
    """A column the aggregates read becomes a group key too (finer groups: a classic slip), at the
    first groupBy(...).agg(...) that has one."""
    for m in re.finditer(r'\.groupBy\(((?:[^()]|\([^()]*\))*)\)(\s*)\.agg\(', text):
        arg = re.search(r'F\.(?:sum|max|min|avg|count)\((F\.col\("[A-Za-z0-9_]+"\))', text[m.end():m.end() + 2000])
        if not arg or arg.group(1) in m.group(1):
            continue
        keys = m.group(1).strip()
        return text[:m.start()] + ".groupBy(" + (keys + ", " if keys else "") + arg.group(1) + ")" + text[m.end(1) + 1:]
    return None


def snow_group_key_change(text):
    """The same in SQL: the first column an aggregate of the SELECT reads joins its GROUP BY."""
    for m in re.finditer(r'\n(\s*)GROUP BY ([^\n]*)\n', text):
        select = text.rfind("SELECT", 0, m.start())
        arg = re.search(r'\b(?:SUM|MAX|MIN|AVG|COUNT)\(([A-Za-z_][A-Za-z0-9_]*)\)', text[select:m.start()])
        if select < 0 or not arg or re.search(r'\b' + arg.group(1) + r'\b', m.group(2)):
            continue
        return text[:m.start()] + f"\n{m.group(1)}GROUP BY {m.group(2)}, {arg.group(1)}\n" + text[m.end():]
    return None


SPARK_MUTATIONS = [
    ("negate filter", lambda t: sub_first(r'\.filter\((?!F\.col\("_etlport)', '.filter(~', t)),
    ("change literal", change_every_lit),
    ("swap join type", lambda t: sub_first(r'how="inner"', 'how="left"', t) or sub_first(r'how="left"', 'how="inner"', t)),
    ("near function", near_function([(r'F\.upper\(', 'F.lower('), (r'F\.ltrim\(', 'F.rtrim('), (r'F\.sum\(', 'F.max('),
                                     (r'F\.lpad\(', 'F.rpad('), (r'F\.initcap\(', 'F.upper('), (r'F\.min\(', 'F.max(')])),
    ("off-by-one substr", lambda t: sub_first(r'F\.substring\(((?:[^()]|\([^()]*\))*?), (\d+), ',
                                              lambda m: f'F.substring({m.group(1)}, {int(m.group(2)) + 1}, ', t)),
    ("drop column", drop_select_line),
    ("change grouping key", group_key_change),
    ("merge clause code", lambda t: sub_first(r'condition="s\.(\w+) = 1"', r'condition="s.\1 = 0"', t)),
]

SNOW_MUTATIONS = [
    ("negate filter", lambda t: sub_first(r'\n(\s*)WHERE (.*)\n', lambda m: f'\n{m.group(1)}WHERE NOT ({m.group(2)})\n', t)),
    ("change literal", lambda t: sub_first(r"([=<>] )'([^'\n]*)'", lambda m: f"{m.group(1)}'{m.group(2)}~'", t)
     or sub_first(r"(SELECT[\s\S]*?)'([A-Za-z_][^'\n]*)'", lambda m: f"{m.group(1)}'{m.group(2)}~'", t)),
    ("swap join type", lambda t: sub_first(r'\bLEFT JOIN\b', 'INNER JOIN', t) or sub_first(r'\bINNER JOIN\b', 'LEFT JOIN', t)
     or sub_first(r'\n(\s*)JOIN\b', r'\n\1LEFT JOIN', t)),
    ("near function", near_function([(r'\bUPPER\(', 'LOWER('), (r'\bLTRIM\(', 'RTRIM('), (r'\bSUM\(', 'MAX('),
                                     (r'\bLPAD\(', 'RPAD('), (r'\bINITCAP\(', 'UPPER('), (r'\bMIN\(', 'MAX(')])),
    ("off-by-one substr", lambda t: sub_first(r'\bSUBSTR\(((?:[^()]|\([^()]*\))*?), (\d+)',
                                              lambda m: f'SUBSTR({m.group(1)}, {int(m.group(2)) + 1}', t)),
    ("change grouping key", snow_group_key_change),
    ("merge clause code", lambda t: sub_first(r'(WHEN MATCHED AND s\.\w+ = )1\b', r'\g<1>0', t)),
]


def spark_rename_vars(t):
    names = set(re.findall(r'\n    ([a-z][a-z0-9_]*) = ', t))
    names = [n for n in names if not n.startswith("p_") and n not in ("session_start_time", "_w", "_wf", "_wp", "_wi", "_wif")]
    if not names:
        return None
    for n in sorted(names):
        t = re.sub(r'\b' + re.escape(n) + r'\b(?!")', n + "_renamed", t)
    return t


def spark_rename_alias(t):
    if '.alias("d")' not in t:
        return None
    return t.replace('.alias("d")', '.alias("det")').replace('F.col("d.', 'F.col("det.')


def swap_eq(t):
    return sub_first(r'(F\.col\("[^"]+"\)) == (F\.col\("[^"]+"\))', r'\2 == \1', t)


def spark_fexpr(t):
    return (sub_first(r'F\.upper\(F\.col\("([A-Za-z0-9_]+)"\)\)', r'F.expr("upper(\1)")', t)
            or sub_first(r'F\.col\("([A-Za-z0-9_]+)"\)\.isNull\(\)', r'F.expr("\1 IS NULL")', t)
            or sub_first(r'F\.coalesce\(F\.col\("([A-Za-z0-9_]+)"\), F\.lit\((\d+)\)\)', r'F.expr("coalesce(\1, \2)")', t))


SPARK_REWRITES = [
    ("rename variables", spark_rename_vars),
    ("rename join alias", spark_rename_alias),
    ("reorder equality operands", swap_eq),
    ("F.expr for column functions", spark_fexpr),
    ("unchanged", lambda t: t),
]


def snow_rename_ctes(t):
    names = re.findall(r'\n([A-Za-z_][A-Za-z0-9_]*) AS \(', t)
    if not names:
        return None
    for n in names:
        t = re.sub(r'\b' + re.escape(n) + r'\b', "CTE_" + n, t)
    return t


def snow_swap_on(t):
    return sub_first(r'\bON ([A-Za-z0-9_.]+) = ([A-Za-z0-9_.]+)', r'ON \2 = \1', t)


def snow_reorder_ctes(t):
    # swap two adjacent CTEs (neither the last) when the second does not read the first
    ctes = [(m.start(), m.group(1)) for m in re.finditer(r'^([A-Za-z_][A-Za-z0-9_]*) AS \($', t, re.M)]
    for i in range(len(ctes) - 2):
        s1, n1 = ctes[i]
        s2, n2 = ctes[i + 1]
        e2 = t.find("\n),\n", s2)
        if e2 < 0 or e2 > ctes[i + 2][0]:
            continue
        first, second = t[s1:s2], t[s2:e2 + 4]
        if ";" in first or ";" in second or "INSERT" in first or "MERGE" in first:
            continue  # not within one statement
        if re.search(r'\b' + re.escape(n1) + r'\b', second):
            continue
        return t[:s1] + second + first + t[e2 + 4:]
    return None


SNOW_REWRITES = [
    ("rename CTEs", snow_rename_ctes),
    ("reorder CTEs", snow_reorder_ctes),
    ("reorder equality operands", snow_swap_on),
    ("unchanged", lambda t: t),
]


def verify(etlport, srcdir, legacy, job, path, structural_only=False):
    env = dict(os.environ, ETLPORT_VERIFY_NO_EXEC="1") if structural_only else None
    r = subprocess.run([etlport, "verify", "--legacy", legacy, "--generated", path, "--job", job, "--json"],
                       cwd=srcdir, capture_output=True, text=True, env=env)
    if "Sanitizer" in r.stderr or "runtime error" in r.stderr:
        print(f"sanitizer report on {path}:\n{r.stderr}")
        sys.exit(1)
    if not r.stdout.strip():
        return "error", None
    res = json.loads(r.stdout)
    return res["verdict"], res


def main():
    etlport, srcdir = sys.argv[1], sys.argv[2]
    minimum = float(sys.argv[sys.argv.index("--min") + 1]) if "--min" in sys.argv else 0.0
    min_cex = float(sys.argv[sys.argv.index("--min-cex") + 1]) if "--min-cex" in sys.argv else 0.0
    show = "--show" in sys.argv
    corpus = sys.argv[sys.argv.index("--corpus") + 1] if "--corpus" in sys.argv else "informatica"
    stats = {"mut": [0, 0], "rw": [0, 0]}
    structural = [0, 0]  # mutations `differs` without differential execution (the first layer alone)
    with_cex = 0         # mutations `differs` with a counterexample from differential execution
    by_kind = {}
    flagged = []
    missed = []  # mutants judged equal: the verifier did not see the change at all
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([etlport, "convert", os.path.join(srcdir, "corpus", corpus), "-o", out, "--quiet"],
                       cwd=srcdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report = json.load(open(os.path.join(out, "report.json"), encoding="utf-8"))
        for job in report["jobs"]:
            for name, muts, rws in (("spark.py", SPARK_MUTATIONS, SPARK_REWRITES),
                                    ("snowflake.sql", SNOW_MUTATIONS, SNOW_REWRITES)):
                art = os.path.join(out, job["output_dir"], name)
                if not os.path.exists(art):
                    continue
                text = open(art, encoding="utf-8").read()
                base, _ = verify(etlport, srcdir, job["source_file"], job["name"], art)
                if base in ("differs", "error"):
                    continue  # only artifacts the verifier accepts unmutated
                for label, fn, kind in [(l, f, "mut") for l, f in muts] + [(l, f, "rw") for l, f in rws]:
                    new = fn(text)
                    if new is None or (kind == "mut" and new == text):
                        continue
                    path = os.path.join(out, "mutant_" + name)
                    open(path, "w", encoding="utf-8").write(new)
                    verdict, res = verify(etlport, srcdir, job["source_file"], job["name"], path)
                    if kind == "mut":
                        sv, _ = verify(etlport, srcdir, job["source_file"], job["name"], path, structural_only=True)
                        structural[0] += 1
                        structural[1] += sv == "differs"
                        has_cex = bool(res and res.get("counterexamples"))
                        with_cex += has_cex
                        if show and not has_cex:
                            whys = "; ".join(f"{e['target']}: {e['verdict']} {e.get('why', '')} {e.get('not_compared', '')}"
                                             for e in (res or {}).get("execution", []))
                            print(f"  no counterexample ({verdict}): {name} {job['name']}: {label}: {whys}")
                    stats[kind][0] += 1
                    k = by_kind.setdefault((name, label), [0, 0])
                    k[0] += 1
                    if kind == "mut" and verdict == "equal":
                        missed.append(f"{name} {job['name']}: {label}")
                    if verdict == "differs":
                        stats[kind][1] += 1
                        k[1] += 1
                        if kind == "rw":
                            flagged.append(f"{name} {job['name']}: {label}")
                    elif show and kind == "mut":
                        print(f"  not detected ({verdict}): {name} {job['name']}: {label}")
    for (name, label), (n, d) in sorted(by_kind.items()):
        print(f"  {name:14} {label:28} {d}/{n} differs")
    m_n, m_d = stats["mut"]
    r_n, r_d = stats["rw"]
    rate = 100.0 * m_d / m_n if m_n else 0.0
    s_n, s_d = structural
    print(f"mutations detected by the structural layer alone: {s_d}/{s_n} = {100.0 * s_d / s_n if s_n else 0.0:.1f}%")
    print(f"mutations detected (differs): {m_d}/{m_n} = {rate:.1f}%")
    print(f"mutations with a counterexample from differential execution: {with_cex}/{m_n} = "
          f"{100.0 * with_cex / m_n if m_n else 0.0:.1f}%")
    print(f"meaning-preserving rewrites flagged (differs): {r_d}/{r_n} = {100.0 * r_d / r_n if r_n else 0.0:.1f}%")
    for f in flagged:
        print(f"  flagged rewrite: {f}")
    print(f"mutations judged equal: {len(missed)} (the rest of the undetected are unverified)")
    for m in missed:
        print(f"  missed mutation: {m}")
    cex_rate = 100.0 * with_cex / m_n if m_n else 0.0
    if cex_rate < min_cex:
        print(f"FAIL: mutations with a counterexample {cex_rate:.1f}% < {min_cex}%")
    if rate < minimum:
        print(f"FAIL: mutations detected {rate:.1f}% < {minimum}%")
    return 1 if flagged or missed or rate < minimum or cex_rate < min_cex else 0


if __name__ == "__main__":
    sys.exit(main())
