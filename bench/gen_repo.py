#!/usr/bin/env python3
"""gen_repo.py — a synthetic Informatica PowerCenter repository export, for benchmarks.

Each mapping has the shape of a typical warehouse load:

    SRC_n (Oracle table) -> SQ_n (Source Qualifier, source filter)
      -> EXP_n (Expression: pass-through ports plus computed ports: IIF, DECODE, SUBSTR, ||,
                TO_CHAR/TO_DATE, NVL-style ISNULL tests, arithmetic, $$parameters)
      -> FIL_n (Filter) -> LKP_n (connected Lookup on a shared reference table)
      -> AGG_n (Aggregator: group-by ports, SUM/MAX/MIN/COUNT)
      -> UPD_n (Update Strategy: DD_INSERT / DD_UPDATE) -> TGT_n (Oracle table)

with SOURCE/TARGET definitions, TABLEATTRIBUTEs, INSTANCEs, CONNECTORs and TARGETLOADORDER as
PowerCenter writes them, plus (unless --no-workflows) one workflow per folder with a session per
mapping. Output is deterministic for a given seed and arguments: no dates, no UUIDs from the clock.

usage:
    gen_repo.py --mappings 100 -o repo.xml
    gen_repo.py --size-mb 20 -o repo20.xml          # as many mappings as fill 20 MB
    gen_repo.py --size-mb 200 --seed 7 --ports 16 --columns 30 -o repo200.xml
"""

import argparse
import random
import sys

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE POWERMART SYSTEM "powrmart.dtd">
<POWERMART CREATION_DATE="01/01/2024 00:00:00" REPOSITORY_VERSION="188.97">
<REPOSITORY NAME="BENCH_REPO" VERSION="188" CODEPAGE="UTF-8" DATABASETYPE="Oracle">
"""
FOOTER = """</REPOSITORY>
</POWERMART>
"""

WORDS = ["CUSTOMER", "ORDER", "ACCOUNT", "PRODUCT", "REGION", "STORE", "INVOICE", "PAYMENT", "SUPPLIER",
         "EMPLOYEE", "CONTRACT", "SHIPMENT", "LEDGER", "BRANCH", "CAMPAIGN", "POLICY", "CLAIM", "ASSET"]
ATTRS = ["CODE", "NAME", "DESC", "STATUS", "TYPE", "AMOUNT", "QTY", "PRICE", "DATE", "FLAG", "CITY",
         "COUNTRY", "EMAIL", "PHONE", "RATE", "BALANCE", "SCORE", "CATEGORY", "SEGMENT", "CURRENCY"]


def esc(s):
    """XML attribute escape."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#xD;&#xA;"))


class Col:
    __slots__ = ("name", "kind", "prec", "scale", "key")

    def __init__(self, name, kind, prec, scale, key=False):
        self.name, self.kind, self.prec, self.scale, self.key = name, kind, prec, scale, key

    # (database type, transformation type)
    def db_type(self):
        return {"num": "number(p,s)", "str": "varchar2", "date": "date", "int": "number(p,s)"}[self.kind]

    def tx_type(self):
        return {"num": "decimal", "str": "string", "date": "date/time", "int": "integer"}[self.kind]

    def tx_prec(self):
        if self.kind == "date":
            return 29, 9
        if self.kind == "int":
            return 10, 0
        return self.prec, self.scale


def make_columns(rng, n, entity):
    cols = [Col(entity + "_ID", "int", 10, 0, key=True)]
    used = {cols[0].name}
    while len(cols) < n:
        attr = rng.choice(ATTRS)
        base = rng.choice(["CREATED_DATE", "UPDATED_DATE", "EFFECTIVE_DATE"]) if attr == "DATE" else attr
        name = base if base not in used else "%s_%d" % (base, len(cols))
        used.add(name)
        if attr in ("AMOUNT", "PRICE", "RATE", "BALANCE", "SCORE"):
            cols.append(Col(name, "num", rng.choice([10, 12, 15, 18]), rng.choice([2, 2, 4])))
        elif attr in ("QTY",):
            cols.append(Col(name, "int", 10, 0))
        elif attr == "DATE":
            cols.append(Col(name, "date", 19, 0))
        else:
            cols.append(Col(name, "str", rng.choice([1, 10, 20, 40, 60, 120, 240]), 0))
    return cols


def field(tag, c, extra, number=None):
    if tag == "SOURCEFIELD":
        return ('<SOURCEFIELD BUSINESSNAME ="" DATATYPE ="%s" DESCRIPTION ="" FIELDNUMBER ="%d" FIELDPROPERTY ="0" '
                'FIELDTYPE ="ELEMITEM" HIDDEN ="NO" KEYTYPE ="%s" LENGTH ="0" LEVEL ="0" NAME ="%s" NULLABLE ="%s" '
                'OCCURS ="0" OFFSET ="0" PHYSICALLENGTH ="%d" PHYSICALOFFSET ="0" PICTURETEXT ="" PRECISION ="%d" '
                'SCALE ="%d" USAGE_FLAGS =""/>\n'
                % (c.db_type(), number, "PRIMARY KEY" if c.key else "NOT A KEY", c.name,
                   "NOTNULL" if c.key else "NULL", c.prec, c.prec, c.scale))
    return ('<TARGETFIELD BUSINESSNAME ="" DATATYPE ="%s" DESCRIPTION ="" FIELDNUMBER ="%d" KEYTYPE ="%s" '
            'NAME ="%s" NULLABLE ="%s" PICTURETEXT ="" PRECISION ="%d" SCALE ="%d"/>\n'
            % (c.db_type(), number, "PRIMARY KEY" if c.key else "NOT A KEY", c.name,
               "NOTNULL" if c.key else "NULL", c.prec, c.scale))


def tfield(name, dtype, prec, scale, porttype, expr=None, exprtype="GENERAL"):
    e = ' EXPRESSION ="%s" EXPRESSIONTYPE ="%s"' % (esc(expr), exprtype) if expr is not None else ""
    return ('<TRANSFORMFIELD DATATYPE ="%s" DEFAULTVALUE ="" DESCRIPTION =""%s NAME ="%s" PICTURETEXT ="" '
            'PORTTYPE ="%s" PRECISION ="%d" SCALE ="%d"/>\n' % (dtype, e, name, porttype, prec, scale))


def tcol(c, porttype, expr=None, exprtype="GENERAL"):
    p, s = c.tx_prec()
    return tfield(c.name, c.tx_type(), p, s, porttype, expr, exprtype)


def attr(name, value):
    return '<TABLEATTRIBUTE NAME ="%s" VALUE ="%s"/>\n' % (name, esc(value))


def transformation(name, ttype, body, reusable="NO"):
    return ('<TRANSFORMATION DESCRIPTION ="" NAME ="%s" OBJECTVERSION ="1" REUSABLE ="%s" TYPE ="%s" '
            'VERSIONNUMBER ="1">\n%s</TRANSFORMATION>\n' % (name, reusable, ttype, body))


def connectors(out, frm, frm_type, to, to_type, names, to_names=None):
    for i, n in enumerate(names):
        out.append('<CONNECTOR FROMFIELD ="%s" FROMINSTANCE ="%s" FROMINSTANCETYPE ="%s" TOFIELD ="%s" '
                   'TOINSTANCE ="%s" TOINSTANCETYPE ="%s"/>\n'
                   % (n, frm, frm_type, to_names[i] if to_names else n, to, to_type))


def computed_ports(rng, cols, n, params):
    """n computed Expression ports over cols: (Col, expression)."""
    strs = [c for c in cols if c.kind == "str"] or cols[:1]
    nums = [c for c in cols if c.kind in ("num", "int")] or cols[:1]
    dates = [c for c in cols if c.kind == "date"]
    out = []
    for i in range(n):
        k = rng.randrange(9)
        s, t = rng.choice(strs).name, rng.choice(strs).name
        x, y = rng.choice(nums).name, rng.choice(nums).name
        if k == 0:
            out.append((Col("O_CLEAN_%d" % i, "str", 120, 0), "LTRIM(RTRIM(UPPER(%s)))" % s))
        elif k == 1:
            out.append((Col("O_FULL_%d" % i, "str", 240, 0), "%s || ' ' || %s" % (s, t)))
        elif k == 2:
            out.append((Col("O_AMT_%d" % i, "num", 18, 2), "IIF(ISNULL(%s), 0, %s * 1.05 + %s)" % (x, x, y)))
        elif k == 3:
            out.append((Col("O_CODE_%d" % i, "str", 20, 0),
                        "DECODE(%s, 'A', 'Active', 'I', 'Inactive', 'C', 'Closed', 'Unknown')" % s))
        elif k == 4:
            out.append((Col("O_PREFIX_%d" % i, "str", 3, 0), "SUBSTR(%s, 1, 3)" % s))
        elif k == 5 and dates:
            d = rng.choice(dates).name
            out.append((Col("O_DAY_%d" % i, "str", 10, 0), "TO_CHAR(%s, 'YYYY-MM-DD')" % d))
        elif k == 6 and params:
            out.append((Col("O_LOAD_DT_%d" % i, "date", 19, 0), "TO_DATE($$%s, 'MM/DD/YYYY HH24:MI:SS')" % params[0]))
        elif k == 7:
            out.append((Col("O_BAND_%d" % i, "str", 10, 0),
                        "IIF(%s > 1000, 'HIGH', IIF(%s > 100, 'MEDIUM', 'LOW'))" % (x, x)))
        else:
            out.append((Col("O_RATIO_%d" % i, "num", 18, 4),
                        "IIF(%s = 0 OR ISNULL(%s), NULL, ROUND(%s / %s, 4))" % (y, y, x, y)))
    return out


def gen_mapping(rng, idx, args, ref):
    """Returns (SOURCE text, TARGET text, MAPPING text, mapping name)."""
    entity = rng.choice(WORDS)
    src_name = "SRC_%s_%05d" % (entity, idx)
    tgt_name = "TGT_%s_%05d" % (entity, idx)
    m_name = "m_load_%s_%05d" % (entity.lower(), idx)
    ncols = max(4, args.columns + rng.randint(-args.columns // 4, args.columns // 4))
    cols = make_columns(rng, ncols, entity)
    key = cols[0]
    params = ["LOAD_DATE"] if rng.random() < 0.7 else []

    d = []
    d.append('<SOURCE BUSINESSNAME ="" DATABASETYPE ="Oracle" DBDNAME ="ORA_SRC" DESCRIPTION ="" NAME ="%s" '
             'OBJECTVERSION ="1" OWNERNAME ="STG" VERSIONNUMBER ="1">\n' % src_name)
    for i, c in enumerate(cols):
        d.append(field("SOURCEFIELD", c, "", i + 1))
    d.append("</SOURCE>\n")
    src_def, d = "".join(d), []

    # Expression: pass-through plus computed ports
    comp = computed_ports(rng, cols, args.ports, params)
    exp_out = cols + [c for c, _ in comp]
    # Filter on a numeric or key column
    nums = [c for c in cols if c.kind in ("num", "int")]
    fcol = rng.choice(nums)
    # Aggregator: group by the key's surrogate bucket and one string column
    strs = [c for c in cols if c.kind == "str"]
    gb = [key] + ([rng.choice(strs)] if strs else [])
    measures = [c for c in exp_out if c.kind in ("num", "int") and c not in gb][:4] or [key]
    lkp_val = Col("LKP_" + ref["value"].name, ref["value"].kind, ref["value"].prec, ref["value"].scale)
    agg_out = list(gb) + [lkp_val]
    agg_exprs = []
    for j, m in enumerate(measures):
        fn = ["SUM", "MAX", "MIN", "AVG"][j % 4]
        agg_exprs.append((Col("%s_%s" % (fn, m.name), "num", 18, 2), "%s(%s)" % (fn, m.name)))
    agg_exprs.append((Col("ROW_COUNT", "int", 10, 0), "COUNT(%s)" % key.name))
    tgt_cols = agg_out + [c for c, _ in agg_exprs] + [Col("DW_ROW_OP", "str", 1, 0)]

    d.append('<TARGET BUSINESSNAME ="" CONSTRAINT ="" DATABASETYPE ="Oracle" DESCRIPTION ="" NAME ="%s" '
             'OBJECTVERSION ="1" TABLEOPTIONS ="" VERSIONNUMBER ="1">\n' % tgt_name)
    for i, c in enumerate(tgt_cols):
        d.append(field("TARGETFIELD", c, "", i + 1))
    d.append("</TARGET>\n")

    m = []
    m.append('<MAPPING DESCRIPTION ="Synthetic load of %s" ISVALID ="YES" NAME ="%s" OBJECTVERSION ="1" '
             'VERSIONNUMBER ="1">\n' % (tgt_name, m_name))
    sq, exp, fil, lkp, agg, upd = ("SQ_" + src_name, "EXP_%05d" % idx, "FIL_%05d" % idx, "LKP_%05d" % idx,
                                   "AGG_%05d" % idx, "UPD_%05d" % idx)
    # Source Qualifier
    body = "".join(tcol(c, "INPUT/OUTPUT") for c in cols)
    body += attr("Sql Query", "")
    body += attr("User Defined Join", "")
    body += attr("Source Filter", "%s.%s IS NOT NULL" % (src_name, key.name))
    body += attr("Number Of Sorted Ports", "0")
    body += attr("Tracing Level", "Normal")
    body += attr("Select Distinct", "NO")
    body += attr("Is Partitionable", "NO")
    body += attr("Pre SQL", "")
    body += attr("Post SQL", "")
    body += attr("Output is deterministic", "NO")
    body += attr("Output is repeatable", "Never")
    m.append(transformation(sq, "Source Qualifier", body))
    # Expression
    body = "".join(tcol(c, "INPUT/OUTPUT", c.name) for c in cols)
    body += "".join(tcol(c, "OUTPUT", e) for c, e in comp)
    body += attr("Tracing Level", "Normal")
    m.append(transformation(exp, "Expression", body))
    # Filter
    body = "".join(tcol(c, "INPUT/OUTPUT") for c in exp_out)
    body += attr("Filter Condition", "NOT ISNULL(%s) AND %s >= 0" % (fcol.name, fcol.name))
    body += attr("Tracing Level", "Normal")
    m.append(transformation(fil, "Filter", body))
    # Lookup (connected): pass-through inputs, the lookup key and value
    lk, lv = ref["key"], ref["value"]
    body = "".join(tcol(c, "INPUT/OUTPUT") for c in agg_out[:-1] + measures if c is not None)
    body += tfield("IN_" + key.name, "integer", 10, 0, "INPUT")
    body += tfield(lk.name, "integer", 10, 0, "LOOKUP")
    p, s = lv.tx_prec()
    body += tfield(lkp_val.name, lv.tx_type(), p, s, "LOOKUP/OUTPUT")
    body += attr("Lookup Sql Override", "")
    body += attr("Lookup table name", ref["name"])
    body += attr("Lookup Source Filter", "")
    body += attr("Lookup caching enabled", "YES")
    body += attr("Lookup policy on multiple match", rng.choice(["Use First Value", "Use Last Value",
                                                                   "Use Any Value", "Report Error"]))
    body += attr("Lookup condition", "%s = IN_%s" % (lk.name, key.name))
    body += attr("Connection Information", "$Source")
    body += attr("Source Type", "Database")
    body += attr("Tracing Level", "Normal")
    body += attr("Lookup cache persistent", "NO")
    body += attr("Dynamic Lookup Cache", "NO")
    body += attr("Case Sensitive String Comparison", "NO")
    body += attr("Null ordering", "Null Is Highest Value")
    body += attr("Sorted Input", "NO")
    m.append(transformation(lkp, "Lookup Procedure", body))
    # Aggregator
    body = "".join(tcol(c, "INPUT/OUTPUT", c.name, "GROUPBY") for c in gb)
    body += tcol(lkp_val, "INPUT/OUTPUT", lkp_val.name)
    body += "".join(tcol(c, "INPUT") for c in measures if c not in gb)
    body += "".join(tcol(c, "OUTPUT", e) for c, e in agg_exprs)
    body += attr("Cache Directory", "$PMCacheDir")
    body += attr("Tracing Level", "Normal")
    body += attr("Sorted Input", "NO")
    body += attr("Aggregator Data Cache Size", "Auto")
    body += attr("Aggregator Index Cache Size", "Auto")
    body += attr("Transformation Scope", "All Input")
    m.append(transformation(agg, "Aggregator", body))
    # Update Strategy
    body = "".join(tcol(c, "INPUT/OUTPUT") for c in tgt_cols[:-1])
    body += tfield("DW_ROW_OP", "string", 1, 0, "OUTPUT", "IIF(ISNULL(%s), 'I', 'U')" % lkp_val.name)
    body += attr("Update Strategy Expression", "IIF(ISNULL(%s), DD_INSERT, DD_UPDATE)" % lkp_val.name)
    body += attr("Forward Rejected Rows", "YES")
    body += attr("Tracing Level", "Normal")
    m.append(transformation(upd, "Update Strategy", body))

    def inst(name, tname, ttype, typ, extra="", assoc=None):
        s = ('<INSTANCE %sDESCRIPTION ="" NAME ="%s" %sTRANSFORMATION_NAME ="%s" TRANSFORMATION_TYPE ="%s" '
             'TYPE ="%s"' % (extra, name, 'REUSABLE ="NO" ' if typ == "TRANSFORMATION" else "", tname, ttype, typ))
        if assoc:
            return s + '>\n<ASSOCIATED_SOURCE_INSTANCE NAME ="%s"/>\n</INSTANCE>\n' % assoc
        return s + "/>\n"

    m.append(inst(src_name, src_name, "Source Definition", "SOURCE", 'DBDNAME ="ORA_SRC" '))
    m.append(inst(sq, sq, "Source Qualifier", "TRANSFORMATION", assoc=src_name))
    m.append(inst(exp, exp, "Expression", "TRANSFORMATION"))
    m.append(inst(fil, fil, "Filter", "TRANSFORMATION"))
    m.append(inst(lkp, lkp, "Lookup Procedure", "TRANSFORMATION"))
    m.append(inst(agg, agg, "Aggregator", "TRANSFORMATION"))
    m.append(inst(upd, upd, "Update Strategy", "TRANSFORMATION"))
    m.append(inst(tgt_name, tgt_name, "Target Definition", "TARGET"))

    names = [c.name for c in cols]
    connectors(m, src_name, "Source Definition", sq, "Source Qualifier", names)
    connectors(m, sq, "Source Qualifier", exp, "Expression", names)
    connectors(m, exp, "Expression", fil, "Filter", [c.name for c in exp_out])
    lkp_in = [c.name for c in agg_out[:-1] + measures]
    connectors(m, fil, "Filter", lkp, "Lookup Procedure", lkp_in)
    connectors(m, fil, "Filter", lkp, "Lookup Procedure", [key.name], ["IN_" + key.name])
    connectors(m, lkp, "Lookup Procedure", agg, "Aggregator",
               [c.name for c in gb] + [lkp_val.name] + [c.name for c in measures if c not in gb])
    connectors(m, agg, "Aggregator", upd, "Update Strategy", [c.name for c in tgt_cols[:-1]])
    connectors(m, upd, "Update Strategy", tgt_name, "Target Definition", [c.name for c in tgt_cols])
    m.append('<TARGETLOADORDER ORDER ="1" TARGETINSTANCE ="%s"/>\n' % tgt_name)
    for p in params:
        m.append('<MAPPINGVARIABLE DATATYPE ="string" DEFAULTVALUE ="01/01/2024 00:00:00" DESCRIPTION ="" '
                 'ISEXPRESSIONVARIABLE ="NO" ISPARAM ="YES" NAME ="$$%s" PRECISION ="19" SCALE ="0" '
                 'USERDEFINED ="YES"/>\n' % p)
    m.append('<ERPINFO/>\n</MAPPING>\n')
    return src_def, "".join(d), "".join(m), m_name


def gen_ref(rng, f):
    cols = [Col("REF_ID", "int", 10, 0, key=True), Col("REF_NAME", "str", 60, 0)]
    d = ['<SOURCE BUSINESSNAME ="" DATABASETYPE ="Oracle" DBDNAME ="ORA_SRC" DESCRIPTION ="" NAME ="REF_%02d" '
         'OBJECTVERSION ="1" OWNERNAME ="REF" VERSIONNUMBER ="1">\n' % f]
    for i, c in enumerate(cols):
        d.append(field("SOURCEFIELD", c, "", i + 1))
    d.append("</SOURCE>\n")
    return {"name": "REF_%02d" % f, "key": cols[0], "value": cols[1]}, "".join(d)


def workflow(folder, mappings):
    w = ['<WORKFLOW DESCRIPTION ="" ISENABLED ="YES" ISRUNNABLESERVICE ="NO" ISSERVICE ="NO" ISVALID ="YES" '
         'NAME ="wf_%s" REUSABLE_SCHEDULER ="NO" SCHEDULERNAME ="Scheduler" SERVERNAME ="IS_BENCH" '
         'SERVER_DOMAINNAME ="Domain_Bench" SUSPEND_ON_ERROR ="NO" TASKS_MUST_RUN_ON_SERVER ="NO" VERSIONNUMBER ="1">\n'
         % folder,
         '<SCHEDULER DESCRIPTION ="" NAME ="Scheduler" REUSABLE ="NO" VERSIONNUMBER ="1">\n'
         '<SCHEDULEINFO SCHEDULETYPE ="ONDEMAND"/>\n</SCHEDULER>\n',
         '<TASK DESCRIPTION ="" NAME ="Start" REUSABLE ="NO" TYPE ="Start" VERSIONNUMBER ="1"/>\n',
         '<TASKINSTANCE DESCRIPTION ="" ISENABLED ="YES" NAME ="Start" REUSABLE ="NO" TASKNAME ="Start" '
         'TASKTYPE ="Start"/>\n']
    prev = "Start"
    for m in mappings:
        s = "s_" + m
        w.append('<SESSION DESCRIPTION ="" ISVALID ="YES" MAPPINGNAME ="%s" NAME ="%s" REUSABLE ="NO" '
                 'SORTORDER ="Binary" VERSIONNUMBER ="1">\n'
                 '<ATTRIBUTE NAME ="Treat source rows as" VALUE ="Data driven"/>\n'
                 '<ATTRIBUTE NAME ="Commit Interval" VALUE ="10000"/>\n</SESSION>\n' % (m, s))
        w.append('<TASKINSTANCE DESCRIPTION ="" FAIL_PARENT_IF_INSTANCE_FAILS ="YES" ISENABLED ="YES" NAME ="%s" '
                 'REUSABLE ="NO" TASKNAME ="%s" TASKTYPE ="Session" TREAT_INPUTLINK_AS_AND ="YES"/>\n' % (s, s))
        w.append('<WORKFLOWLINK CONDITION ="$%s.Status = SUCCEEDED" FROMTASK ="%s" TOTASK ="%s"/>\n'
                 % (prev, prev, s) if prev != "Start" else
                 '<WORKFLOWLINK CONDITION ="" FROMTASK ="Start" TOTASK ="%s"/>\n' % s)
        prev = s
    w.append("</WORKFLOW>\n")
    return "".join(w)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--mappings", type=int, help="number of mappings (default 100)")
    g.add_argument("--size-mb", type=float, help="generate mappings until the file reaches this size (MB, 10^6)")
    ap.add_argument("--folders", type=int, default=1, help="repository folders (default 1)")
    ap.add_argument("--columns", type=int, default=20, help="source columns per mapping, +-25%% (default 20)")
    ap.add_argument("--ports", type=int, default=8, help="computed ports per Expression (default 8)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--no-workflows", action="store_true", help="mappings only")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    args = ap.parse_args()
    if args.mappings is None and args.size_mb is None:
        args.mappings = 100
    limit = int(args.size_mb * 1e6) if args.size_mb else None

    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="\n")
    written = 0

    def put(s):
        nonlocal written
        out.write(s)
        written += len(s)  # ASCII only, so characters are bytes

    put(HEADER)
    idx, folders = 0, max(1, args.folders)
    tail = len(FOOTER) + len("</FOLDER>\n") * folders
    for f in range(folders):
        put('<FOLDER NAME ="BENCH_%02d" GROUP ="" OWNER ="Administrator" SHARED ="NOTSHARED" DESCRIPTION ="" '
            'PERMISSIONS ="rwx---r--" UUID ="00000000-0000-4000-8000-%012d">\n' % (f, f))
        ref, ref_def = gen_ref(rng, f)
        put(ref_def)
        # PowerCenter's order inside a folder: sources, targets, mappings, then workflows.
        names, srcs, tgts, maps = [], [], [], []
        pending = 0
        while True:
            if limit is None:
                # spread the mappings evenly over the folders
                if idx >= args.mappings * (f + 1) // folders:
                    break
            elif written + pending + tail >= limit * (f + 1) // folders:
                break
            src, tgt, mapping, name = gen_mapping(rng, idx, args, ref)
            srcs.append(src)
            tgts.append(tgt)
            maps.append(mapping)
            # a session per mapping in the workflow: about 560 bytes
            pending += len(src) + len(tgt) + len(mapping) + (0 if args.no_workflows else 560)
            names.append(name)
            idx += 1
        for part in (srcs, tgts, maps):
            for text in part:
                put(text)
            part.clear()
        if not args.no_workflows and names:
            put(workflow("BENCH_%02d" % f, names))
        put("</FOLDER>\n")
    put(FOOTER)
    if out is not sys.stdout:
        out.close()
    print("gen_repo: %d mappings, %d folders, %d bytes" % (idx, folders, written), file=sys.stderr)


if __name__ == "__main__":
    main()
