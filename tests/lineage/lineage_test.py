#!/usr/bin/env python3
"""Tests of `etlport lineage` (docs/lineage.md). One CTest test per mode:

  edges ETLPORT SRC        column edges of four of the project's mappings match the hand-written
                           tests/lineage/expected-edges/*.txt exactly (direct and indirect)
  shared ETLPORT SRC       a dataset written by a job of one file and read by a job of another is
                           one node; name normalisation and --names; queries; determinism
  corpus ETLPORT SRC SHARED  the shared Informatica and SQL corpora (read in place) and the
                           project's corpus give DOT, SVG, PNG, JSON, OpenLineage and Markdown
  openlineage ETLPORT SRC SHARED  every event and every facet validates against the published
                           schemas in ../shared/specs/openlineage (offline; exit 77 without jsonschema)
"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SKIP = 77


def run_lineage(etlport, args, out_dir=None, ok=(0,)):
    cmd = [etlport, "lineage"] + args + (["-o", out_dir] if out_dir else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in ok:
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"FAIL: {' '.join(cmd)} exited {p.returncode}")
    return p


def load(out_dir, name="lineage.json"):
    with open(os.path.join(out_dir, name), encoding="utf-8") as f:
        return json.load(f)


def edge_line(e):
    to_col = e["to_column"] if e["to_column"] is not None else "*"
    return f'{e["to"]}.{to_col} <- {e["from"]}.{e["from_column"]} {e["subtype"]}'


def test_edges(etlport, src):
    exp_dir = os.path.join(src, "tests", "lineage", "expected-edges")
    cases = sorted(f for f in os.listdir(exp_dir) if f.endswith(".txt"))
    inputs = [os.path.join(src, "corpus", "informatica", c[:-4] + ".XML") for c in cases]
    failed = 0
    with tempfile.TemporaryDirectory() as out:
        run_lineage(etlport, inputs, out)
        graph = load(out)
        for case in cases:
            job, expected = None, set()
            with open(os.path.join(exp_dir, case), encoding="utf-8") as f:
                for line in f:
                    line = line.split("#", 1)[0].strip()
                    if line.startswith("job "):
                        job = line[4:].strip()
                    elif line:
                        expected.add(" ".join(line.split()))
            got = {edge_line(e) for e in graph["edges"] if e["job"] == job}
            missing, extra = sorted(expected - got), sorted(got - expected)
            if missing or extra:
                failed += 1
                print(f"FAIL {case}: job {job}")
                for m in missing:
                    print(f"  missing: {m}")
                for x in extra:
                    print(f"  extra:   {x}")
            else:
                print(f"ok   {case}: {len(got)} edges")
            for e in graph["edges"]:  # every edge says where it comes from
                if e["job"] == job and (not e.get("expression") or not e.get("file") or e["line"] <= 0):
                    failed += 1
                    print(f"FAIL {case}: edge without expression or location: {e}")
                    break
    return 1 if failed else 0


NAMES_A = """-- writes DW.SALES under a quoted, mixed-case spelling, reading a three-part name
INSERT INTO "Dw"."Sales" (id, amt, region)
SELECT o.id, o.amt * 2, o.region FROM prod.stg.orders o WHERE o.status = 'OK';
"""
NAMES_B = """-- reads DW.SALES by its plain name
INSERT INTO mart.sales_summary (region, total)
SELECT s.region, SUM(s.amt) FROM dw.sales s GROUP BY s.region;
"""
NAMES_C = """-- reads DW.SALES through a synonym the names file declares
INSERT INTO mart.sales_copy (id, amt)
SELECT id, amt FROM sales_syn;
"""
NAMES_FILE = """# dataset name settings for the test
default_database = PROD
SALES_SYN = DW.SALES
"""


def test_shared(etlport, src):
    failed = 0

    def check(cond, what):
        nonlocal failed
        print(("ok   " if cond else "FAIL ") + what)
        failed += not cond

    # 1. the project's own scripts: stg.customer_dim is written by oracle_cursor_loops.sql and read
    #    by oracle_load_sales.sql
    a = os.path.join(src, "corpus", "sql", "oracle_cursor_loops.sql")
    b = os.path.join(src, "corpus", "sql", "oracle_load_sales.sql")
    with tempfile.TemporaryDirectory() as out:
        run_lineage(etlport, [a, b], out)
        g = load(out)
        dims = [d for d in g["datasets"] if d["name"].lower() == "stg.customer_dim"]
        check(len(dims) == 1, "STG.CUSTOMER_DIM is one node")
        if dims:
            d = dims[0]
            check("oracle_cursor_loops_03_stg_customer_dim" in d["written_by"], "written by oracle_cursor_loops.sql")
            check("oracle_load_sales_05_dw_sales_fact" in d["read_by"], "read by oracle_load_sales.sql")
        files = {j["name"]: j["file"] for j in g["jobs"]}
        cross = [e for e in g["edges"] if e["from"] == "STG.CUSTOMER_DIM" and e["to"] == "DW.SALES_FACT"]
        check(bool(cross), "column edges run from the shared table into the second file's target")
        check(len({files[j] for j in files}) == 2, "jobs from both files")
        check(any(o["from"] == "oracle_cursor_loops_02_dw_order_fact" for o in g["job_order"]),
              "statement order of a script is kept as job order")
        q = run_lineage(etlport, [a, b, "--upstream", "dw.sales_fact", "--json"])
        res = json.loads(q.stdout)
        names = {r["dataset"] for r in res["results"]}
        check("STG.REGION_MOVES" in names, "table upstream crosses files (DW.SALES_FACT <- STG.CUSTOMER_DIM <- STG.REGION_MOVES)")

    # 2. name normalisation: quoting, case, default database, synonyms
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, text in (("a.sql", NAMES_A), ("b.sql", NAMES_B), ("c.sql", NAMES_C), ("names.txt", NAMES_FILE)):
            p = os.path.join(tmp, name)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            paths.append(p)
        out = os.path.join(tmp, "out")
        run_lineage(etlport, paths[:3] + ["--from", "oracle", "--names", paths[3]], out)
        g = load(out)
        names = sorted(d["name"] for d in g["datasets"])
        check(names == ["DW.SALES", "MART.SALES_COPY", "MART.SALES_SUMMARY", "STG.ORDERS"], f"normalised names {names}")
        sales = next((d for d in g["datasets"] if d["name"] == "DW.SALES"), None)
        check(sales is not None and len(sales["written_by"]) == 1 and len(sales["read_by"]) == 2,
              "DW.SALES: one writer, two readers (one through the synonym)")
        args = paths[:3] + ["--from", "oracle", "--names", paths[3]]
        up = json.loads(run_lineage(etlport, args + ["--upstream", "mart.sales_summary.total", "--json"]).stdout)
        got = {(r["dataset"], r["column"], r["distance"]) for r in up["results"]}
        check(("DW.SALES", "AMT", 1) in got and ("STG.ORDERS", "AMT", 2) in got, f"column upstream {sorted(got)}")
        check(("STG.ORDERS", "STATUS", 2) in got, "upstream includes the filter column (INDIRECT)")
        up1 = json.loads(run_lineage(etlport, args + ["--upstream", "MART.SALES_SUMMARY.TOTAL", "--depth", "1", "--json"]).stdout)
        check(all(r["distance"] == 1 for r in up1["results"]) and up1["results"], "--depth 1 stops after one hop")
        down = run_lineage(etlport, args + ["--downstream", "stg.orders"]).stdout
        check("DW.SALES" in down and "MART.SALES_SUMMARY" in down and "MART.SALES_COPY" in down,
              "table downstream reaches both readers")
        miss = subprocess.run([etlport, "lineage"] + args + ["--upstream", "NO.SUCH"], capture_output=True, text=True)
        check(miss.returncode == 1, "an unknown dataset in a query exits 1")
        # a selection at column level: the selected datasets, their jobs, the other side
        sel = os.path.join(tmp, "sel")
        run_lineage(etlport, args + ["--level", "column", "--select", "mart.*"], sel)
        with open(os.path.join(sel, "lineage.dot"), encoding="utf-8") as f:
            dot = f.read()
        check("<b>MART.SALES_SUMMARY</b>" in dot and "<b>DW.SALES</b>" in dot and "STG.ORDERS" not in dot
              and "port=\"c" in dot, "--select mart.* draws MART.*, their input DW.SALES, not STG.ORDERS")
        # determinism: a second run writes the same bytes
        out2 = os.path.join(tmp, "out2")
        run_lineage(etlport, args, out2)
        for f in sorted(os.listdir(out)):
            with open(os.path.join(out, f), "rb") as x, open(os.path.join(out2, f), "rb") as y:
                check(x.read() == y.read(), f"{f} is the same on a second run")
    return 1 if failed else 0


OUTPUTS = ["lineage.dot", "lineage.svg", "lineage.png", "lineage.json", "openlineage.json", "lineage.md"]


def check_outputs(out, label):
    bad = 0
    for f in OUTPUTS:
        p = os.path.join(out, f)
        if not os.path.isfile(p) or os.path.getsize(p) == 0:
            print(f"FAIL {label}: {f} missing or empty")
            bad += 1
    if bad:
        return bad
    with open(os.path.join(out, "lineage.png"), "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            print(f"FAIL {label}: lineage.png is not a PNG")
            bad += 1
    try:
        root = ET.parse(os.path.join(out, "lineage.svg")).getroot()
        if not root.tag.endswith("svg"):
            raise ValueError(root.tag)
    except Exception as e:  # noqa: BLE001 - any parse error fails the test
        print(f"FAIL {label}: lineage.svg does not parse as SVG: {e}")
        bad += 1
    with open(os.path.join(out, "lineage.dot"), encoding="utf-8") as f:
        if not f.read().startswith("digraph lineage {"):
            print(f"FAIL {label}: lineage.dot is not a digraph")
            bad += 1
    g = load(out)
    ev = load(out, "openlineage.json")
    if not isinstance(ev, list) or not ev:
        print(f"FAIL {label}: openlineage.json is not a non-empty array")
        bad += 1
    with open(os.path.join(out, "lineage.md"), encoding="utf-8") as f:
        if "```mermaid\nflowchart LR\n" not in f.read():
            print(f"FAIL {label}: lineage.md has no Mermaid flowchart")
            bad += 1
    c = g["counts"]
    print(f"{'ok  ' if not bad else 'FAIL'} {label}: {c['jobs']} jobs, {c['datasets']} datasets "
          f"({c['shared_datasets']} shared), {c['columns']} columns, {len(g['edges'])} column edges, "
          f"{c['job_order']} job-order edges, {len(ev)} OpenLineage events")
    return bad


def corpus_runs(src, shared):
    """(label, inputs, extra args, accepted exit codes) of the corpus runs."""
    runs = [("project corpus (column level)",
             [os.path.join(src, "corpus", "informatica", f) for f in sorted(os.listdir(os.path.join(src, "corpus", "informatica")))
              if f.endswith(".XML")] + [os.path.join(src, "corpus", "informatica", "workflows"), os.path.join(src, "corpus", "sql")],
             ["--level", "column"], (0, 1))]
    for sub in ("informatica", "sql"):
        d = os.path.join(shared, sub)
        if os.path.isdir(d):
            runs.append((f"shared {sub} corpus", [d], [], (0, 1)))  # some shared files do not parse: exit 1
    return runs


def test_corpus(etlport, src, shared):
    if not all(os.path.isdir(os.path.join(shared, s)) for s in ("informatica", "sql")):
        print(f"SKIP: shared corpus not found at {shared}")
        return SKIP
    bad = 0
    for label, inputs, extra, ok in corpus_runs(src, shared):
        with tempfile.TemporaryDirectory() as out:
            run_lineage(etlport, inputs + extra, out, ok)
            bad += check_outputs(out, label)
            if label.startswith("shared"):  # readable at table level: no column nodes
                with open(os.path.join(out, "lineage.dot"), encoding="utf-8") as f:
                    if "<table" in f.read():
                        print(f"FAIL {label}: column nodes in a table-level diagram")
                        bad += 1
    return 1 if bad else 0


def make_validators(spec_dir):
    import jsonschema  # noqa: F401 - the caller checked it imports

    schemas = {}
    with open(os.path.join(spec_dir, "OpenLineage.json"), encoding="utf-8") as f:
        core = json.load(f)
    schemas[core["$id"]] = core
    facet_by_key = {}
    fdir = os.path.join(spec_dir, "facets")
    for name in sorted(os.listdir(fdir)):
        with open(os.path.join(fdir, name), encoding="utf-8") as f:
            s = json.load(f)
        schemas[s["$id"]] = s
        for key, prop in s.get("properties", {}).items():
            if "$ref" in prop:  # (LineageFacet's one property is an anyOf: not a facet we write)
                facet_by_key[key] = (s, prop["$ref"].split("/")[-1])
    from jsonschema import Draft202012Validator, FormatChecker
    try:
        from referencing import Registry, Resource

        registry = Registry().with_resources((uri, Resource.from_contents(s)) for uri, s in schemas.items())

        def validator(schema):
            return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
    except ImportError:  # jsonschema before 4.18: RefResolver with a local store
        from jsonschema import RefResolver

        def validator(schema):
            resolver = RefResolver.from_schema(schema, store=dict(schemas))
            return Draft202012Validator(schema, resolver=resolver, format_checker=FormatChecker())
    return core, facet_by_key, validator


def test_openlineage(etlport, src, shared):
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        print("SKIP: python3-jsonschema is not installed (tools/bootstrap.sh installs it)")
        return SKIP
    spec_dir = os.path.join(src, "..", "shared", "specs", "openlineage")
    if not os.path.isdir(spec_dir):
        print(f"FAIL: no OpenLineage schemas at {spec_dir}")
        return 1
    core, facet_by_key, validator = make_validators(spec_dir)
    event_v = validator(core)
    kinds = {k: validator({"$ref": core["$id"] + "#/$defs/" + k}) for k in ("JobEvent", "DatasetEvent")}
    facet_v = {}
    counts = {"events": 0, "facets": 0, "errors": 0}

    def fail(msg):
        counts["errors"] += 1
        if counts["errors"] <= 20:
            print("FAIL " + msg)

    def check_facets(facets, where):
        for key, facet in (facets or {}).items():
            counts["facets"] += 1
            if key not in facet_by_key:
                fail(f"{where}: facet '{key}' has no published schema")
                continue
            schema, defname = facet_by_key[key]
            want = schema["$id"] + "#/$defs/" + defname
            if facet.get("_schemaURL") != want:
                fail(f"{where}: facet '{key}' _schemaURL {facet.get('_schemaURL')} is not {want}")
            v = facet_v.setdefault(key, validator(schema))
            for err in v.iter_errors({key: facet}):
                fail(f"{where}: facet '{key}': {err.message} at {list(err.absolute_path)}")

    runs = corpus_runs(src, shared)
    for label, inputs, extra, ok in runs:
        with tempfile.TemporaryDirectory() as out:
            run_lineage(etlport, inputs + extra, out, ok)
            events = load(out, "openlineage.json")
        for i, ev in enumerate(events):
            counts["events"] += 1
            where = f"{label} event {i}"
            for err in event_v.iter_errors(ev):
                fail(f"{where}: {err.message}")
            kind = ev.get("schemaURL", "").rsplit("/", 1)[-1]
            if kind not in kinds:
                fail(f"{where}: schemaURL {ev.get('schemaURL')} names no static event")
                continue
            for err in kinds[kind].iter_errors(ev):
                fail(f"{where} ({kind}): {err.message}")
            if kind == "JobEvent":
                check_facets(ev["job"].get("facets"), where + " job")
                for ds in ev.get("inputs", []) + ev.get("outputs", []):
                    check_facets(ds.get("facets"), f"{where} dataset {ds['name']}")
            else:
                check_facets(ev["dataset"].get("facets"), f"{where} dataset {ev['dataset']['name']}")
    print(f"{'ok  ' if not counts['errors'] else 'FAIL'} {counts['events']} events and {counts['facets']} facets "
          f"validated against {spec_dir}: {counts['errors']} errors")
    return 1 if counts["errors"] else 0


def main():
    mode, etlport, src = sys.argv[1], sys.argv[2], sys.argv[3]
    shared = sys.argv[4] if len(sys.argv) > 4 else os.path.join(src, "..", "shared", "corpus")
    if mode == "edges":
        return test_edges(etlport, src)
    if mode == "shared":
        return test_shared(etlport, src)
    if mode == "corpus":
        return test_corpus(etlport, src, shared)
    if mode == "openlineage":
        return test_openlineage(etlport, src, shared)
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    sys.exit(main())
