/*
 * test_spark.c — the PySpark backend: small IR jobs built by hand with the ir.h API, the emitted
 * module checked by golden text (small cases) or substrings (big ones), determinism, and
 * `python3 -m py_compile` on every module written (skipped with a note when python3 is missing).
 * Also the coverage of functions.def: every row is supported or has a stated reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backend.h"
#include "backends/spark/spark_internal.h"
#include "ir/ir.h"
#include "tests/testlib.h"

extern const backend spark_backend;

static int have_python = -1;

/* Writes text to a temporary .py file and byte-compiles it. Returns 1 when it compiles. */
static int py_compiles(const char *text)
{
    if (have_python < 0)
        have_python = system("python3 -c 'pass' >/dev/null 2>&1") == 0;
    if (!have_python)
        return 1;
    char path[] = "/tmp/etlport_spark_XXXXXX.py";
    int fd = mkstemps(path, 3);
    if (fd < 0)
        return 0;
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len;
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "python3 -c 'import ast,sys; ast.parse(open(sys.argv[1]).read())' %s && "
                              "python3 -m py_compile %s", path, path);
    ok = ok && system(cmd) == 0;
    if (!ok)
        fprintf(stderr, "--- module that does not compile (%s) ---\n%s\n", path, text);
    else
        unlink(path);
    /* py_compile leaves __pycache__ next to the file */
    return ok;
}

/* Emits job; checks it compiles and that a second emission is byte-identical. Caller frees. */
static char *emit(const ir_job *job, be_result *res)
{
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    be_result r1 = {0, 0}, r2 = {0, 0};
    CHECK(spark_backend.emit_job(job, NULL, &a, &r1, NULL) == 0);
    CHECK(spark_backend.emit_job(job, NULL, &b, &r2, NULL) == 0);
    CHECK_STR(sb_cstr(&a), sb_cstr(&b));
    CHECK(r1.holes == r2.holes && r1.unsupported == r2.unsupported);
    CHECK(py_compiles(sb_cstr(&a)));
    if (res)
        *res = r1;
    /* ETLPORT_SPARK_DUMP=DIR keeps every module (for review and for other syntax checkers) */
    const char *dump = getenv("ETLPORT_SPARK_DUMP");
    if (dump && *dump) {
        static int seq;
        char path[1024];
        snprintf(path, sizeof path, "%s/%02d_%s.py", dump, ++seq, job->name);
        FILE *f = fopen(path, "wb");
        if (f) {
            fputs(sb_cstr(&a), f);
            fclose(f);
        }
    }
    sb_free(&b);
    return sb_take(&a);
}

static int contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        return 1;
    fprintf(stderr, "  missing: %s\n", needle);
    return 0;
}

static ir_type T(const char *s)
{
    ir_type t;
    if (ir_type_parse(s, &t) != 0)
        t = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    return t;
}

/* A source node over dataset with "NAME:type" columns. */
static ir_node *source(ir_job *job, const char *name, const char *dataset, const char *const *cols, int line)
{
    ir_node *n = ir_node_add(job, IR_OP_SOURCE, name);
    n->dataset = ir_intern(job, dataset);
    n->legacy_type = ir_intern(job, "Source Qualifier");
    n->span.file = ir_intern(job, "m.xml");
    n->span.line = line;
    for (int i = 0; cols[i]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cols[i]);
        char *colon = strchr(buf, ':');
        *colon = '\0';
        ir_node_add_col(job, n, buf, T(colon + 1), NULL);
    }
    return n;
}

/* Pass-through columns of in into n. */
static void pass_all(ir_job *job, ir_node *n, const ir_node *in)
{
    for (int i = 0; i < in->n_cols; i++)
        ir_node_add_col(job, n, in->cols[i].name, in->cols[i].type, ir_ref(job, in->id, in->cols[i].name));
}

static ir_node *node(ir_job *job, ir_op op, const char *name, const char *type, int line, ir_node *in)
{
    ir_node *n = ir_node_add(job, op, name);
    n->legacy_type = type ? ir_intern(job, type) : NULL;
    n->span.file = ir_intern(job, "m.xml");
    n->span.line = line;
    if (in)
        ir_node_add_input(job, n, in->id);
    return n;
}

static const char *const CUST[] = {"CUST_ID:decimal(10,0)", "FIRST_NAME:string(40)", "LAST_NAME:string(40)",
                                   "EMAIL:string(120)", NULL};

/* ---- the design doc's sample mapping, as a golden module ---- */

static ir_job *customers_job(ir_load_mode load)
{
    ir_job *job = ir_job_new("m_load_customers");
    job->file = ir_intern(job, "exports/crm.xml");
    job->line = 412;
    job->folder = ir_intern(job, "CRM");
    job->format = ir_intern(job, "informatica");
    ir_param *p = ir_job_add_param(job, "LOAD_DATE");
    p->type = T("string");
    p->default_value = ir_intern(job, "2024-01-31");
    ir_node *sq = source(job, "SQ_CUSTOMERS", "SRC.CUSTOMERS", CUST, 118);
    ir_node *ex = node(job, IR_OP_PROJECT, "EXP_FullName", "Expression", 230, sq);
    ir_node_add_col(job, ex, "CUST_ID", T("decimal(10,0)"), ir_ref(job, sq->id, "CUST_ID"));
    ir_expr *args[] = {ir_ref(job, sq->id, "FIRST_NAME"), ir_lit_str(job, " "), ir_ref(job, sq->id, "LAST_NAME")};
    ir_column *fn = ir_node_add_col(job, ex, "FULL_NAME", T("string(81)"), ir_call(job, IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 3, args));
    fn->legacy = ir_intern(job, "FIRST_NAME || ' ' || LAST_NAME");
    ir_node_add_col(job, ex, "EMAIL", T("string(120)"), ir_ref(job, sq->id, "EMAIL"));
    ir_node *fil = node(job, IR_OP_FILTER, "FIL_HasEmail", "Filter", 251, ex);
    fil->legacy = ir_intern(job, "ISNULL(EMAIL) = FALSE");
    fil->predicate = ir_call1(job, IR_FN_NOT, ir_call1(job, IR_FN_IS_NULL, ir_ref(job, ex->id, "EMAIL")));
    pass_all(job, fil, ex);
    ir_node *tgt = node(job, IR_OP_TARGET, "DIM_CUSTOMER", "Target Definition", 300, fil);
    tgt->dataset = ir_intern(job, "DWH.DIM_CUSTOMER");
    tgt->load = load;
    pass_all(job, tgt, fil);
    return job;
}

static const char golden_customers[] =
    "\"\"\"m_load_customers: PySpark job generated by etlport.\n"
    "\n"
    "Legacy: informatica exports/crm.xml:412, folder CRM\n"
    "Target: PySpark 3.5 DataFrame API; assumes spark.sql.ansi.enabled=false (the 3.x default).\n"
    "\n"
    "Holes: none.\n"
    "\"\"\"\n"
    "import json\n"
    "import sys\n"
    "\n"
    "from pyspark.sql import SparkSession, DataFrame, Window\n"
    "from pyspark.sql import functions as F\n"
    "\n"
    "\n"
    "def _etlport_hole(kind, location, legacy_text):\n"
    "    \"\"\"Legacy logic etlport could not translate: fill it in by hand. Raises when reached.\"\"\"\n"
    "    raise NotImplementedError(f\"etlport hole ({kind}) at {location}: {legacy_text}\")\n"
    "\n"
    "\n"
    "def run(spark: SparkSession, params: dict) -> None:\n"
    "    \"\"\"Runs m_load_customers with the given job parameters (names without $$).\"\"\"\n"
    "    # job parameters ($$NAME in the legacy job), as strings\n"
    "    p_load_date = params.get(\"LOAD_DATE\", \"2024-01-31\")\n"
    "\n"
    "    # SQ_CUSTOMERS (Source Qualifier), m.xml:118\n"
    "    sq_customers = spark.table(\"SRC.CUSTOMERS\").select(\n"
    "        F.col(\"CUST_ID\"),\n"
    "        F.col(\"FIRST_NAME\"),\n"
    "        F.col(\"LAST_NAME\"),\n"
    "        F.col(\"EMAIL\"),\n"
    "    )\n"
    "\n"
    "    # EXP_FullName (Expression), m.xml:230\n"
    "    exp_full_name = sq_customers.select(\n"
    "        F.col(\"CUST_ID\"),\n"
    "        # FULL_NAME = FIRST_NAME || ' ' || LAST_NAME\n"
    "        F.concat_ws(\"\", F.col(\"FIRST_NAME\"), F.lit(\" \"), F.col(\"LAST_NAME\")).alias(\"FULL_NAME\"),\n"
    "        F.col(\"EMAIL\"),\n"
    "    )\n"
    "\n"
    "    # FIL_HasEmail (Filter), m.xml:251\n"
    "    # legacy: ISNULL(EMAIL) = FALSE\n"
    "    fil_has_email = exp_full_name.filter(~F.col(\"EMAIL\").isNull())\n"
    "\n"
    "    # DIM_CUSTOMER (Target Definition), m.xml:300\n"
    "    dim_customer = fil_has_email.select(F.col(\"CUST_ID\"), F.col(\"FULL_NAME\"), F.col(\"EMAIL\"))\n"
    "    dim_customer.write.mode(\"append\").saveAsTable(\"DWH.DIM_CUSTOMER\")\n"
    "\n"
    "\n"
    "def _params_from_argv(argv):\n"
    "    \"\"\"Job parameters from the command line: one JSON object, or NAME=VALUE pairs.\"\"\"\n"
    "    if len(argv) == 1 and argv[0].lstrip().startswith(\"{\"):\n"
    "        return {k.lstrip(\"$\"): v for k, v in json.loads(argv[0]).items()}\n"
    "    params = {}\n"
    "    for arg in argv:\n"
    "        name, sep, value = arg.partition(\"=\")\n"
    "        if not sep:\n"
    "            raise SystemExit(f\"expected NAME=VALUE or a JSON object, got {arg!r}\")\n"
    "        params[name.lstrip(\"$\")] = value\n"
    "    return params\n"
    "\n"
    "\n"
    "if __name__ == \"__main__\":\n"
    "    _spark = SparkSession.builder.appName(\"m_load_customers\").getOrCreate()\n"
    "    try:\n"
    "        run(_spark, _params_from_argv(sys.argv[1:]))\n"
    "    finally:\n"
    "        _spark.stop()\n";

static void test_pipeline_golden(void)
{
    ir_job *job = customers_job(IR_LOAD_APPEND);
    be_result res;
    char *out = emit(job, &res);
    CHECK_STR(out, golden_customers);
    CHECK(res.holes == 0 && res.unsupported == 0);
    free(out);
    ir_job_free(job);
}

static void test_overwrite_and_truncate(void)
{
    ir_job *job = customers_job(IR_LOAD_OVERWRITE);
    char *out = emit(job, NULL);
    CHECK(contains(out, "dim_customer.write.mode(\"overwrite\").saveAsTable(\"DWH.DIM_CUSTOMER\")"));
    free(out);
    ir_job_free(job);
    job = customers_job(IR_LOAD_TRUNCATE_INSERT);
    out = emit(job, NULL);
    CHECK(contains(out, "# truncate and insert: overwrite the table's rows\n"
                        "    dim_customer.write.mode(\"overwrite\")"));
    CHECK(!strstr(out, "DeltaTable"));
    free(out);
    ir_job_free(job);
}

/* ---- joins ---- */

static ir_job *join_job(ir_join_kind kind)
{
    static const char *const ORD[] = {"ORDER_ID:bigint", "CUST_ID:decimal(10,0)", "AMOUNT:decimal(12,2)", NULL};
    ir_job *job = ir_job_new("m_join");
    ir_node *o = source(job, "SQ_ORDERS", "SRC.ORDERS", ORD, 10);
    ir_node *c = source(job, "SQ_CUSTOMERS", "SRC.CUSTOMERS", CUST, 20);
    ir_node *j = node(job, IR_OP_JOIN, "JNR_OrdersCustomers", "Joiner", 30, o);
    ir_node_add_input(job, j, c->id);
    j->join = kind;
    if (kind != IR_JOIN_CROSS)
        j->predicate = ir_call2(job, IR_FN_EQ, ir_ref(job, o->id, "CUST_ID"), ir_ref(job, c->id, "CUST_ID"));
    ir_node_add_col(job, j, "ORDER_ID", T("bigint"), ir_ref(job, o->id, "ORDER_ID"));
    ir_node_add_col(job, j, "CUST_ID", T("decimal(10,0)"), ir_ref(job, o->id, "CUST_ID"));
    ir_node_add_col(job, j, "CUST_ID1", T("decimal(10,0)"), ir_ref(job, c->id, "CUST_ID"));
    ir_node_add_col(job, j, "EMAIL", T("string(120)"), NULL); /* resolved by name on the master side */
    return job;
}

static void test_join_kinds(void)
{
    static const struct {
        ir_join_kind k;
        const char *how;
    } kinds[] = {{IR_JOIN_INNER, "inner"}, {IR_JOIN_LEFT, "left"}, {IR_JOIN_RIGHT, "right"}, {IR_JOIN_FULL, "full"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        ir_job *job = join_job(kinds[i].k);
        char *out = emit(job, NULL);
        char want[256];
        snprintf(want, sizeof want, ".join(sq_customers.alias(\"m\"), F.col(\"d.CUST_ID\") == F.col(\"m.CUST_ID\"), how=\"%s\")\n",
                 kinds[i].how);
        CHECK(contains(out, "    jnr_orders_customers = (\n        sq_orders.alias(\"d\")\n"));
        CHECK(contains(out, want));
        CHECK(contains(out, "F.col(\"d.ORDER_ID\"),\n"));
        CHECK(contains(out, "F.col(\"m.CUST_ID\").alias(\"CUST_ID1\"),\n"));
        CHECK(contains(out, "F.col(\"m.EMAIL\"),\n"));
        free(out);
        ir_job_free(job);
    }
    ir_job *job = join_job(IR_JOIN_CROSS);
    char *out = emit(job, NULL);
    CHECK(contains(out, ".crossJoin(sq_customers.alias(\"m\"))"));
    free(out);
    ir_job_free(job);
}

/* ---- aggregate ---- */

static void test_aggregate(void)
{
    static const char *const S[] = {"REGION:string(10)", "NAME:string(40)", "AMOUNT:decimal(12,2)", "QTY:integer", NULL};
    ir_job *job = ir_job_new("m_agg");
    ir_node *s = source(job, "SQ_SALES", "SRC.SALES", S, 1);
    ir_node *a = node(job, IR_OP_AGGREGATE, "AGG_ByRegion", "Aggregator", 2, s);
    ir_node_add_key(job, a, ir_ref(job, s->id, "REGION"));
    ir_node_add_col(job, a, "REGION", T("string(10)"), ir_ref(job, s->id, "REGION"));
    ir_expr *sf[] = {ir_ref(job, s->id, "AMOUNT"), ir_call2(job, IR_FN_GT, ir_ref(job, s->id, "QTY"), ir_lit_int(job, 0))};
    ir_node_add_col(job, a, "TOTAL", T("decimal(22,2)"), ir_call(job, IR_FN_SUM, 0, 2, sf));
    ir_node_add_col(job, a, "N", T("bigint"), ir_call(job, IR_FN_COUNT_STAR, 0, 0, NULL));
    ir_column *last = ir_node_add_col(job, a, "NAME", T("string(40)"), ir_ref(job, s->id, "NAME"));
    last->flags |= IR_COL_ORDER_DEPENDENT;
    /* no keys: one row */
    ir_node *t = node(job, IR_OP_AGGREGATE, "AGG_Total", "Aggregator", 3, s);
    ir_node_add_col(job, t, "GRAND", T("decimal(22,2)"), ir_call1(job, IR_FN_SUM, ir_ref(job, s->id, "AMOUNT")));
    char *out = emit(job, NULL);
    CHECK(contains(out, "    agg_by_region = (\n        sq_sales\n        .groupBy(F.col(\"REGION\"))\n        .agg(\n"));
    CHECK(contains(out, "F.sum(F.when(F.col(\"QTY\") > 0, F.col(\"AMOUNT\"))).alias(\"TOTAL\"),\n"));
    CHECK(contains(out, "F.count(F.lit(1)).alias(\"N\"),\n"));
    CHECK(contains(out, "# ORDER-DEPENDENT"));
    CHECK(contains(out, "F.last(F.col(\"NAME\"), ignorenulls=False).alias(\"NAME\"),\n"));
    /* no group-by ports: Informatica sends no row for an empty input, Spark's global agg one */
    CHECK(contains(out, "    # no group-by ports: one row, and none for an empty input (Informatica)\n"
                        "    agg_total = (\n        sq_sales\n"
                        "        .agg(\n            F.sum(F.col(\"AMOUNT\")).alias(\"GRAND\"),\n"
                        "            F.count(F.lit(1)).alias(\"_etlport_rows\"),\n        )\n"
                        "        .filter(F.col(\"_etlport_rows\") > 0)\n"
                        "        .select(F.col(\"GRAND\"))\n    )\n"));
    CHECK(contains(out, "Order-dependent values: 1"));
    free(out);
    ir_job_free(job);
}

/* ---- router ---- */

static void test_router(void)
{
    static const char *const S[] = {"ID:bigint", "REGION:string(10)", NULL};
    ir_job *job = ir_job_new("m_route");
    ir_node *s = source(job, "SQ_X", "SRC.X", S, 1);
    ir_node *r = node(job, IR_OP_ROUTER, "RTR_Region", "Router", 2, s);
    pass_all(job, r, s);
    ir_node *east = node(job, IR_OP_FILTER, "RTR_Region_EAST", NULL, 3, r);
    east->group = ir_intern(job, "EAST");
    east->predicate = ir_call2(job, IR_FN_EQ, ir_ref(job, r->id, "REGION"), ir_lit_str(job, "E"));
    ir_node_add_col(job, east, "ID1", T("bigint"), ir_ref(job, r->id, "ID"));
    ir_node *def = node(job, IR_OP_FILTER, "RTR_Region_DEFAULT", NULL, 4, r);
    def->group = ir_intern(job, "DEFAULT");
    pass_all(job, def, r);
    char *out = emit(job, NULL);
    CHECK(contains(out, "# rows pass to the group filters below (EAST, DEFAULT)"));
    CHECK(contains(out, "    rtr_region = sq_x\n"));
    CHECK(contains(out, "# router group EAST of RTR_Region\n"));
    CHECK(contains(out, ".filter(F.col(\"REGION\") == \"E\")\n        .select(F.col(\"ID\").alias(\"ID1\"))\n"));
    CHECK(contains(out, "    rtr_region_default = rtr_region.filter(~F.coalesce(F.col(\"REGION\") == \"E\", F.lit(False)))\n"));
    free(out);
    ir_job_free(job);
}

/* ---- lookups ---- */

static ir_job *lookup_job(ir_match_policy policy, bool range)
{
    static const char *const O[] = {"ORDER_ID:bigint", "REGION_ID:integer", "ORDER_DATE:date", NULL};
    static const char *const R[] = {"REGION_ID:integer", "REGION_NAME:string(30)", "VALID_FROM:date", NULL};
    ir_job *job = ir_job_new("m_lookup");
    ir_node *o = source(job, "SQ_ORDERS", "SRC.ORDERS", O, 1);
    ir_node *r = source(job, "LKP_REGION_SRC", "REF.REGION", R, 2);
    ir_node *l = node(job, IR_OP_LOOKUP, "LKP_Region", "Lookup Procedure", 3, o);
    ir_node_add_input(job, l, r->id);
    l->match = policy;
    ir_expr *eq = ir_call2(job, IR_FN_EQ, ir_ref(job, o->id, "REGION_ID"), ir_ref(job, r->id, "REGION_ID"));
    if (range) {
        ir_expr *ge = ir_call2(job, IR_FN_GE, ir_ref(job, o->id, "ORDER_DATE"), ir_ref(job, r->id, "VALID_FROM"));
        l->predicate = ir_call2(job, IR_FN_AND, eq, ge);
    } else {
        l->predicate = eq;
    }
    ir_node_add_col(job, l, "ORDER_ID", T("bigint"), ir_ref(job, o->id, "ORDER_ID"));
    ir_node_add_col(job, l, "REGION_NAME", T("string(30)"), ir_ref(job, r->id, "REGION_NAME"));
    return job;
}

static void test_lookup(void)
{
    ir_job *job = lookup_job(IR_MATCH_FIRST, false);
    char *out = emit(job, NULL);
    CHECK(contains(out, "# i: input rows, l: lookup rows; multiple matches: first\n"));
    CHECK(contains(out, "# ORDER-DEPENDENT: the legacy lookup order is unknown"));
    CHECK(contains(out, "    _w = Window.partitionBy(F.col(\"REGION_ID\")).orderBy(F.col(\"REGION_ID\").asc(), "
                        "F.col(\"REGION_NAME\").asc(), F.col(\"VALID_FROM\").asc())\n"));
    CHECK(contains(out, "    _lookup = (\n        lkp_region_src\n        .withColumn(\"_etlport_rn\", F.row_number().over(_w))\n"
                        "        .filter(F.col(\"_etlport_rn\") == 1)\n        .drop(\"_etlport_rn\")\n    )\n"));
    CHECK(contains(out, "        .join(_lookup.alias(\"l\"), F.col(\"i.REGION_ID\") == F.col(\"l.REGION_ID\"), how=\"left\")\n"));
    CHECK(contains(out, ".select(F.col(\"i.ORDER_ID\"), F.col(\"l.REGION_NAME\"))\n"));
    free(out);
    ir_job_free(job);

    job = lookup_job(IR_MATCH_LAST, false);
    out = emit(job, NULL);
    CHECK(contains(out, "orderBy(F.col(\"REGION_ID\").desc(), F.col(\"REGION_NAME\").desc()"));
    free(out);
    ir_job_free(job);

    job = lookup_job(IR_MATCH_ALL, false);
    out = emit(job, NULL);
    CHECK(!strstr(out, "_lookup ="));
    CHECK(contains(out, ".join(lkp_region_src.alias(\"l\"), "));
    free(out);
    ir_job_free(job);

    job = lookup_job(IR_MATCH_ERROR, false);
    out = emit(job, NULL);
    CHECK(contains(out, "    if lkp_region_src.groupBy(F.col(\"REGION_ID\")).count().filter(F.col(\"count\") > 1).limit(1).count() > 0:\n"
                        "        raise ValueError(\"LKP_Region: more than one lookup row matches\")\n"));
    free(out);
    ir_job_free(job);

    /* a range condition: join first, then one match per input row */
    job = lookup_job(IR_MATCH_FIRST, true);
    out = emit(job, NULL);
    CHECK(contains(out, "sq_orders.withColumn(\"_etlport_row\", F.monotonically_increasing_id()).alias(\"i\")"));
    CHECK(contains(out, "(F.col(\"i.REGION_ID\") == F.col(\"l.REGION_ID\")) & (F.col(\"i.ORDER_DATE\") >= F.col(\"l.VALID_FROM\"))"));
    CHECK(contains(out, "Window.partitionBy(\"_etlport_row\").orderBy(F.col(\"l.REGION_ID\").asc()"));
    free(out);
    ir_job_free(job);
}

/* ---- update strategy + merge ---- */

static void test_update_merge(void)
{
    ir_job *job = ir_job_new("m_upsert");
    ir_node *s = source(job, "SQ_CUSTOMERS", "SRC.CUSTOMERS", CUST, 1);
    ir_node *u = node(job, IR_OP_UPDATE, "UPD_Customers", "Update Strategy", 2, s);
    pass_all(job, u, s);
    ir_expr *cond = ir_call1(job, IR_FN_IS_NULL, ir_ref(job, s->id, "EMAIL"));
    ir_column *ro = ir_node_add_col(job, u, "ROW_OP", T("integer"),
                                    ir_call3(job, IR_FN_IF, cond, ir_lit_int(job, 2), ir_lit_int(job, 1)));
    ro->flags |= IR_COL_ROW_OP;
    ro->legacy = ir_intern(job, "IIF(ISNULL(EMAIL), DD_DELETE, DD_UPDATE)");
    ir_node *f = node(job, IR_OP_FILTER, "FIL_Pass", "Filter", 3, u);
    f->predicate = ir_lit_bool(job, true);
    pass_all(job, f, u);
    ir_node *t = node(job, IR_OP_TARGET, "DIM_CUSTOMER", "Target Definition", 4, f);
    t->dataset = ir_intern(job, "DWH.DIM_CUSTOMER");
    t->load = IR_LOAD_MERGE;
    static const char *keys[] = {"CUST_ID"};
    t->merge_keys = keys;
    t->n_merge_keys = 1;
    for (int i = 0; i < s->n_cols; i++)
        ir_node_add_col(job, t, s->cols[i].name, s->cols[i].type, ir_ref(job, f->id, s->cols[i].name));
    char *out = emit(job, NULL);
    CHECK(contains(out, "from delta.tables import DeltaTable\n"));
    CHECK(contains(out, "        # ROW_OP = IIF(ISNULL(EMAIL), DD_DELETE, DD_UPDATE)  row operation: 0 insert, 1 update, 2 delete, 3 reject\n"));
    CHECK(contains(out, "F.when(F.col(\"EMAIL\").isNull(), 2).otherwise(1).alias(\"ROW_OP\"),\n"));
    CHECK(contains(out, "            # row operation for the merge clauses\n            F.col(\"ROW_OP\"),\n"));
    /* rejects never reach the merge, and one source row per key (Delta fails on several) */
    CHECK(contains(out, "    # rows flagged reject (ROW_OP = 3) are dropped before the merge\n"));
    CHECK(contains(out, "        .filter(F.col(\"ROW_OP\").isin(0, 1, 2))\n"));
    CHECK(contains(out, "F.row_number().over(Window.partitionBy(F.col(\"CUST_ID\")).orderBy(F.col(\"FIRST_NAME\").desc(), "
                        "F.col(\"LAST_NAME\").desc(), F.col(\"EMAIL\").desc(), F.col(\"ROW_OP\").desc()))"));
    CHECK(contains(out, "        .filter((F.col(\"_etlport_rn\") == 1) | F.col(\"CUST_ID\").isNull())\n"
                        "        .drop(\"_etlport_rn\")\n    )\n    (\n        DeltaTable.forName("));
    CHECK(contains(out, "        DeltaTable.forName(spark, \"DWH.DIM_CUSTOMER\").alias(\"t\")\n"
                        "        .merge(dim_customer.alias(\"s\"), \"t.CUST_ID = s.CUST_ID\")\n"
                        "        .whenMatchedUpdate(condition=\"s.ROW_OP = 1\", set={\n"
                        "            \"FIRST_NAME\": \"s.FIRST_NAME\",\n"));
    CHECK(contains(out, "        .whenMatchedDelete(condition=\"s.ROW_OP = 2\")\n"
                        "        .whenNotMatchedInsert(condition=\"s.ROW_OP = 0\", values={\n"
                        "            \"CUST_ID\": \"s.CUST_ID\",\n"));
    CHECK(contains(out, "        .execute()\n    )\n"));
    free(out);
    ir_job_free(job);
}

/* ---- normalize, rank, sequence, dedup, sort, union ---- */

static void test_normalize(void)
{
    static const char *const S[] = {"ID:bigint", "Q1:decimal(12,2)", "Q2:decimal(12,2)", NULL};
    ir_job *job = ir_job_new("m_norm");
    ir_node *s = source(job, "SQ_Q", "SRC.Q", S, 1);
    ir_node *n = node(job, IR_OP_NORMALIZE, "NRM_Quarters", "Normalizer", 2, s);
    n->occurs = 2;
    ir_node_add_col(job, n, "ID", T("bigint"), ir_ref(job, s->id, "ID"));
    ir_column *q = ir_node_add_col(job, n, "AMOUNT", T("decimal(12,2)"), NULL);
    q->alts = arena_alloc(job->arena, 2 * sizeof *q->alts);
    q->alts[0] = ir_ref(job, s->id, "Q1");
    q->alts[1] = ir_ref(job, s->id, "Q2");
    q->n_alts = 2;
    ir_column *g = ir_node_add_col(job, n, "GCID_AMOUNT", T("integer"), NULL);
    g->flags |= IR_COL_GENERATED;
    char *out = emit(job, NULL);
    CHECK(contains(out, "# each input row becomes 2 rows, one per occurrence\n"));
    CHECK(contains(out, "F.struct(F.col(\"ID\").alias(\"ID\"), F.col(\"Q1\").cast(\"decimal(12,2)\").alias(\"AMOUNT\"), F.lit(1).alias(\"GCID_AMOUNT\")),\n"));
    CHECK(contains(out, "F.struct(F.col(\"ID\").alias(\"ID\"), F.col(\"Q2\").cast(\"decimal(12,2)\").alias(\"AMOUNT\"), F.lit(2).alias(\"GCID_AMOUNT\")),\n"));
    CHECK(contains(out, ")).alias(\"_etlport_occ\")\n        )\n        .select(\"_etlport_occ.*\")\n"));
    free(out);
    ir_job_free(job);
}

/* A per-row count: each row exploded over sequence(1, count), guarded (sequence(1, 0) is [1, 0]). */
static void test_normalize_count(void)
{
    static const char *const S[] = {"ID:bigint", "N_ITEMS:integer", NULL};
    ir_job *job = ir_job_new("m_norm_count");
    ir_node *s = source(job, "SQ_O", "SRC.O", S, 1);
    ir_node *n = node(job, IR_OP_NORMALIZE, "NRM_Items", "Normalize", 2, s);
    n->count = ir_ref(job, s->id, "N_ITEMS");
    ir_node_add_col(job, n, "ID", T("bigint"), ir_ref(job, s->id, "ID"));
    ir_node_add_col(job, n, "ITEM_NO", T("integer"), NULL)->flags |= IR_COL_GENERATED | IR_COL_OCCURRENCE;
    char *out = emit(job, NULL);
    CHECK(contains(out, "    _cnt = (F.col(\"N_ITEMS\")).cast(\"int\")\n"));
    CHECK(contains(out, ".withColumn(\"_etlport_occ\", F.explode(F.when(_cnt >= 1, F.sequence(F.lit(1), _cnt))))\n"
                        "        .select(\n            F.col(\"ID\").alias(\"ID\"),\n"
                        "            F.col(\"_etlport_occ\").alias(\"ITEM_NO\"),\n        )\n"));
    free(out);
    ir_job_free(job);
}

static void test_rank_sequence_dedup(void)
{
    static const char *const S[] = {"DEPT:string(10)", "EMP:string(30)", "SALARY:decimal(12,2)", NULL};
    ir_job *job = ir_job_new("m_rank");
    ir_node *s = source(job, "SQ_EMP", "HR.EMP", S, 1);
    ir_node *r = node(job, IR_OP_RANK, "RNK_TopPaid", "Rank", 2, s);
    ir_node_add_key(job, r, ir_ref(job, s->id, "DEPT"));
    ir_node_add_order(job, r, ir_ref(job, s->id, "SALARY"), true);
    r->top_n = 3;
    ir_column *ri = ir_node_add_col(job, r, "RANKINDEX", T("bigint"), NULL);
    ri->flags |= IR_COL_GENERATED;
    pass_all(job, r, s);
    ir_node *q = node(job, IR_OP_SEQUENCE, "SEQ_Key", "Sequence", 3, r);
    q->seq_start = 100;
    q->seq_increment = 10;
    ir_column *nv = ir_node_add_col(job, q, "NEXTVAL", T("bigint"), NULL);
    nv->flags |= IR_COL_GENERATED;
    ir_column *cv = ir_node_add_col(job, q, "CURRVAL", T("bigint"), NULL);
    cv->flags |= IR_COL_GENERATED;
    ir_node_add_col(job, q, "EMP", T("string(30)"), ir_ref(job, r->id, "EMP"));
    ir_node *d = node(job, IR_OP_DEDUP, "DDP_Emp", "Dedup", 4, s);
    ir_node_add_key(job, d, ir_ref(job, s->id, "EMP"));
    d->keep_last = true;
    pass_all(job, d, s);
    ir_node *so = node(job, IR_OP_SORT, "SRT_Emp", "Sorter", 5, d);
    so->distinct = true;
    ir_node_add_order(job, so, ir_ref(job, d->id, "EMP"), false);
    so->order[0].nulls = 2;
    pass_all(job, so, d);
    ir_node *un = node(job, IR_OP_UNION, "UN_All", "Union", 6, so);
    ir_node_add_input(job, un, s->id);
    for (int i = 0; i < s->n_cols; i++)
        ir_node_add_col(job, un, i == 1 ? "EMPLOYEE" : s->cols[i].name, s->cols[i].type, NULL);
    char *out = emit(job, NULL);
    CHECK(contains(out, "    # top 3 rows per group; tied rows share a rank (RANKINDEX semantics)\n"
                        "    _w = Window.partitionBy(F.col(\"DEPT\")).orderBy(F.col(\"SALARY\").desc())\n"));
    CHECK(contains(out, ".withColumn(\"RANKINDEX\", F.rank().over(_w))\n        .filter(F.col(\"RANKINDEX\") <= 3)\n"));
    CHECK(contains(out, "(F.row_number().over(_w) - 1) * 10 + 100).alias(\"NEXTVAL\")"));
    CHECK(contains(out, "((F.row_number().over(_w) - 1) * 10 + 100 + 10).alias(\"CURRVAL\")"));
    CHECK(contains(out, "# ORDER-DEPENDENT: the legacy numbers rows in arrival order"));
    CHECK(contains(out, "# ORDER-DEPENDENT: the legacy keeps the last row per key"));
    CHECK(contains(out, "_w = Window.partitionBy(F.col(\"EMP\")).orderBy(F.col(\"DEPT\").desc(), F.col(\"SALARY\").desc())\n"));
    CHECK(contains(out, "    srt_emp = (\n        ddp_emp\n        .dropDuplicates()\n        .orderBy(F.col(\"EMP\").asc_nulls_last())\n    )\n"));
    CHECK(contains(out, ".union(sq_emp.select(F.col(\"DEPT\"), F.col(\"EMP\").alias(\"EMPLOYEE\"), F.col(\"SALARY\")))"));
    free(out);
    ir_job_free(job);
}

/* ---- window nodes ---- */

/* Running sum over a rows frame, lag with a default, first_value ignoring NULLs, rank; then a
 * partition-only window (whole-partition total, carry-forward with an invented order) and a
 * range frame. Specs without a frame for ranking and offset functions. */
static void test_window(void)
{
    static const char *const S[] = {"ORDER_ID:bigint", "CUST_ID:decimal(10,0)", "AMOUNT:decimal(12,2)",
                                    "ORDER_DATE:date", NULL};
    ir_job *job = ir_job_new("m_window_fns");
    ir_node *s = source(job, "SQ_Orders", "SRC.ORDERS", S, 1);
    ir_node *w = node(job, IR_OP_WINDOW, "WIN_Running", NULL, 2, s);
    ir_node_add_key(job, w, ir_ref(job, s->id, "CUST_ID"));
    ir_node_add_order(job, w, ir_ref(job, s->id, "ORDER_DATE"), false);
    w->order[0].nulls = 1;
    ir_node_add_order(job, w, ir_ref(job, s->id, "ORDER_ID"), true);
    w->order[1].nulls = 2;
    w->frame = (ir_frame){IR_FRAME_ROWS, {IR_BOUND_PRECEDING, 2}, {IR_BOUND_CURRENT_ROW, 0}};
    pass_all(job, w, s);
    ir_expr *amt = ir_ref(job, s->id, "AMOUNT");
    ir_node_add_col(job, w, "RUNNING_3", T("decimal(38,2)"), ir_call1(job, IR_FN_SUM, amt));
    ir_node_add_col(job, w, "RN", T("bigint"), ir_call(job, IR_FN_ROW_NUMBER, 0, 0, NULL));
    ir_node_add_col(job, w, "RK", T("bigint"), ir_call(job, IR_FN_RANK, 0, 0, NULL));
    ir_node_add_col(job, w, "PREV_AMOUNT", T("decimal(12,2)"),
                    ir_call3(job, IR_FN_LAG, amt, ir_lit_int(job, 1), ir_lit_int(job, 0)));
    ir_node_add_col(job, w, "FIRST_AMOUNT", T("decimal(12,2)"), ir_call(job, IR_FN_FIRST_VALUE, IR_FL_IGNORE_NULLS, 1, &amt));
    ir_node_add_col(job, w, "N_ORDERS", T("bigint"), ir_call(job, IR_FN_COUNT_STAR, 0, 0, NULL));
    ir_node *w2 = node(job, IR_OP_WINDOW, "WIN_Totals", NULL, 3, w);
    ir_node_add_key(job, w2, ir_ref(job, w->id, "CUST_ID"));
    pass_all(job, w2, w);
    ir_node_add_col(job, w2, "CUST_TOTAL", T("decimal(38,2)"), ir_call1(job, IR_FN_SUM, ir_ref(job, w->id, "AMOUNT")));
    ir_expr *pa = ir_ref(job, w->id, "PREV_AMOUNT");
    ir_node_add_col(job, w2, "LAST_PREV", T("decimal(12,2)"), ir_call(job, IR_FN_LAST_VALUE, IR_FL_IGNORE_NULLS, 1, &pa));
    ir_node *w3 = node(job, IR_OP_WINDOW, "WIN_Range", NULL, 4, w2);
    ir_node_add_order(job, w3, ir_ref(job, w2->id, "AMOUNT"), true);
    w3->frame = (ir_frame){IR_FRAME_RANGE, {IR_BOUND_PRECEDING, 10}, {IR_BOUND_FOLLOWING, 5}};
    pass_all(job, w3, w2);
    ir_node_add_col(job, w3, "NEAR_MAX", T("decimal(12,2)"), ir_call1(job, IR_FN_MAX, ir_ref(job, w2->id, "AMOUNT")));
    ir_node_add_col(job, w3, "DRK", T("bigint"), ir_call(job, IR_FN_DENSE_RANK, 0, 0, NULL));
    ir_node_add_col(job, w3, "QUARTILE", T("bigint"), ir_call1(job, IR_FN_NTILE, ir_lit_int(job, 4)));
    ir_node_add_col(job, w3, "NEXT_AMOUNT", T("decimal(12,2)"),
                    ir_call3(job, IR_FN_LEAD, ir_ref(job, w2->id, "AMOUNT"), ir_lit_int(job, 2),
                             ir_ref(job, w2->id, "CUST_TOTAL")));
    ir_node_add_col(job, w3, "PREV_OR_ZERO", T("decimal(12,2)"),
                    ir_call2(job, IR_FN_COALESCE, ir_call1(job, IR_FN_LAG, ir_ref(job, w2->id, "AMOUNT")),
                             ir_lit_int(job, 0)));
    be_result r;
    char *out = emit(job, &r);
    CHECK(r.unsupported == 0 && r.holes == 0);
    CHECK(contains(out, "    # window: 1 partition key(s), 2 order key(s); rows between 2 preceding and current row for "
                        "first_value, last_value and aggregates\n"
                        "    _w = Window.partitionBy(F.col(\"CUST_ID\")).orderBy(F.col(\"ORDER_DATE\").asc_nulls_first(), "
                        "F.col(\"ORDER_ID\").desc_nulls_last())\n"
                        "    _wf = Window.partitionBy(F.col(\"CUST_ID\")).orderBy(F.col(\"ORDER_DATE\").asc_nulls_first(), "
                        "F.col(\"ORDER_ID\").desc_nulls_last()).rowsBetween(-2, Window.currentRow)\n"));
    CHECK(contains(out, "F.sum(F.col(\"AMOUNT\")).over(_wf).alias(\"RUNNING_3\")"));
    CHECK(contains(out, "F.row_number().over(_w).alias(\"RN\")"));
    CHECK(contains(out, "F.rank().over(_w).alias(\"RK\")"));
    CHECK(contains(out, "F.lag(F.col(\"AMOUNT\"), 1, 0).over(_w).alias(\"PREV_AMOUNT\")"));
    CHECK(contains(out, "F.first(F.col(\"AMOUNT\"), ignorenulls=True).over(_wf).alias(\"FIRST_AMOUNT\")"));
    CHECK(contains(out, "F.count(F.lit(1)).over(_wf).alias(\"N_ORDERS\")"));
    /* partition only: the aggregate over the whole partition, last_value over an invented order */
    CHECK(contains(out, "    _wp = Window.partitionBy(F.col(\"CUST_ID\"))\n"));
    CHECK(contains(out, "    # ORDER-DEPENDENT: the window has no order keys; rows are ordered by every input column\n"
                        "    _wi = Window.partitionBy(F.col(\"CUST_ID\")).orderBy(F.col(\"ORDER_ID\").asc(), "));
    CHECK(contains(out, ".rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)\n"));
    CHECK(contains(out, "F.sum(F.col(\"AMOUNT\")).over(_wp).alias(\"CUST_TOTAL\")"));
    CHECK(contains(out, "F.last(F.col(\"PREV_AMOUNT\"), ignorenulls=True).over(_wif).alias(\"LAST_PREV\")"));
    /* range frame with offsets on the one order key */
    CHECK(contains(out, "    _wf = Window.orderBy(F.col(\"AMOUNT\").desc()).rangeBetween(-10, 5)\n"));
    CHECK(contains(out, "F.max(F.col(\"AMOUNT\")).over(_wf).alias(\"NEAR_MAX\")"));
    CHECK(contains(out, "F.dense_rank().over(_w).alias(\"DRK\")"));
    CHECK(contains(out, "F.ntile(4).over(_w).alias(\"QUARTILE\")"));
    /* a column default: taken only where the row at the offset does not exist */
    CHECK(contains(out, "F.when(F.lead(F.lit(1), 2).over(_w).isNull(), F.col(\"CUST_TOTAL\"))"
                        ".otherwise(F.lead(F.col(\"AMOUNT\"), 2).over(_w)).alias(\"NEXT_AMOUNT\")"));
    CHECK(contains(out, "F.coalesce(F.lag(F.col(\"AMOUNT\"), 1).over(_w), F.lit(0)).alias(\"PREV_OR_ZERO\")"));
    free(out);

    /* what Spark cannot express is a marked placeholder */
    job->name = ir_intern(job, "m_window_fns_unsupported");
    ir_node_add_col(job, w, "PREV_NN", T("decimal(12,2)"), ir_call(job, IR_FN_LAG, IR_FL_IGNORE_NULLS, 1, &amt));
    ir_node_add_col(job, w, "MED", T("double"), ir_call1(job, IR_FN_MEDIAN, amt));
    out = emit(job, &r);
    CHECK(r.unsupported == 2);
    CHECK(contains(out, "PySpark 3.5 F.lag/F.lead have no ignorenulls"));
    free(out);
    ir_job_free(job);
}

/* ---- holes ---- */

static void test_holes(void)
{
    ir_job *job = ir_job_new("m_holes");
    job->file = ir_intern(job, "legacy/m.xml");
    ir_node *s = source(job, "SQ_Override", "SRC.CUSTOMERS", CUST, 40);
    s->sql = ir_intern(job, "SELECT CUST_ID, NVL(\"EMAIL\", 'n/a') AS EMAIL\nFROM CUSTOMERS\nWHERE ROWNUM < 10");
    ir_node *p = node(job, IR_OP_PROCEDURE, "SP_Calc", "Stored Procedure", 50, s);
    p->hole_reason = ir_intern(job, "stored procedure call");
    p->legacy = ir_intern(job, "CALC_RATE(CUST_ID)");
    ir_node_add_col(job, p, "RATE", T("double"), NULL);
    ir_node *e = node(job, IR_OP_PROJECT, "EXP_X", "Expression", 60, s);
    ir_column *h = ir_node_add_col(job, e, "SCORE", T("double"), ir_hole(job, "SOUNDEX(LAST_NAME)", "unknown function"));
    h->span.file = ir_intern(job, "legacy/m.xml");
    h->span.line = 61;
    ir_column *v = ir_node_add_col(job, e, "V", T("string"),
                                   ir_call2(job, IR_FN_SET_VARIABLE, ir_param_ref(job, "LAST_ID"), ir_ref(job, s->id, "EMAIL")));
    v->legacy = ir_intern(job, "SETVARIABLE($$LAST_ID, EMAIL)");
    be_result res;
    char *out = emit(job, &res);
    CHECK(res.holes == 4);
    CHECK(res.unsupported == 1);
    CHECK(contains(out, "Holes (4): legacy logic not translated; each raises NotImplementedError when reached.\n"
                        "  - sql at m.xml:40 (SQ_Override): SQL override in the legacy dialect\n"
                        "  - node at m.xml:50 (SP_Calc): stored procedure call\n"));
    CHECK(contains(out, "  - expression at legacy/m.xml:61 (EXP_X): unknown function\n"));
    CHECK(contains(out, "    # SQL override in the legacy dialect (not translated): SELECT CUST_ID, NVL(\"EMAIL\", 'n/a') AS EMAIL\n"
                        "    #   FROM CUSTOMERS\n    #   WHERE ROWNUM < 10\n"));
    CHECK(contains(out, "    sq_override = _etlport_hole(\"sql\", \"m.xml:40\", \"SELECT CUST_ID, NVL(\\\"EMAIL\\\", 'n/a') AS EMAIL\\nFROM CUSTOMERS\\nWHERE ROWNUM < 10\")\n"));
    CHECK(contains(out, "    sp_calc = _etlport_hole(\"node\", \"m.xml:50\", \"CALC_RATE(CUST_ID)\")\n"));
    CHECK(contains(out, "_etlport_hole(\"expression\", \"legacy/m.xml:61\", \"SOUNDEX(LAST_NAME)\").alias(\"SCORE\")"));
    CHECK(contains(out, "_etlport_hole(\"unsupported\", "));
    CHECK(contains(out, "    p_last_id = params.get(\"LAST_ID\")\n"));
    /* the legacy SQL never appears as executable SQL */
    CHECK(!strstr(out, "spark.sql("));
    free(out);
    ir_job_free(job);
}

/* ---- expressions ---- */

static char *expr_of(ir_job *job, const ir_expr *e)
{
    strbuf sb = STRBUF_INIT;
    int rc = spark_backend.emit_expr(job, e, &sb);
    if (rc != 0)
        sb_puts(&sb, "<unsupported>");
    return sb_take(&sb);
}

static void test_expr_precedence(void)
{
    static const char *const S[] = {"A:integer", "B:integer", "S:string(10)", "D:date", "TS:timestamp(6)", NULL};
    ir_job *job = ir_job_new("m_expr");
    ir_node *s = source(job, "SQ", "T", S, 1);
    ir_expr *a = ir_ref(job, s->id, "A"), *b = ir_ref(job, s->id, "B");
    struct {
        ir_expr *e;
        const char *want;
    } cases[] = {
        {ir_call1(job, IR_FN_NOT, ir_call2(job, IR_FN_EQ, a, ir_lit_int(job, 1))), "~(F.col(\"A\") == 1)"},
        {ir_call2(job, IR_FN_AND, ir_call2(job, IR_FN_OR, ir_call2(job, IR_FN_GT, a, b), ir_call1(job, IR_FN_IS_NULL, b)),
                  ir_call2(job, IR_FN_LT, a, ir_lit_int(job, 5))),
         "((F.col(\"A\") > F.col(\"B\")) | F.col(\"B\").isNull()) & (F.col(\"A\") < 5)"},
        {ir_call2(job, IR_FN_MUL, ir_call2(job, IR_FN_ADD, a, b), ir_call2(job, IR_FN_SUB, a, b)),
         "(F.col(\"A\") + F.col(\"B\")) * (F.col(\"A\") - F.col(\"B\"))"},
        {ir_call2(job, IR_FN_SUB, a, ir_call2(job, IR_FN_SUB, b, ir_lit_int(job, 1))), "F.col(\"A\") - (F.col(\"B\") - 1)"},
        {ir_call2(job, IR_FN_ADD, ir_lit_int(job, 1), a), "F.lit(1) + F.col(\"A\")"},
        {ir_call2(job, IR_FN_ADD, ir_ref(job, s->id, "D"), ir_lit_int(job, 1)), "F.date_add(F.col(\"D\"), F.lit(1))"},
        {ir_call2(job, IR_FN_ADD, ir_ref(job, s->id, "TS"), ir_lit_int(job, 2)), "F.col(\"TS\") + F.make_interval(days=F.lit(2))"},
        {ir_call(job, IR_FN_CONCAT, 0, 2, (ir_expr *[]){ir_ref(job, s->id, "S"), ir_lit_str(job, "x")}),
         "F.concat(F.col(\"S\"), F.lit(\"x\"))"},
        {ir_call(job, IR_FN_DECODE, IR_FL_NULL_MATCHES_NULL, 4,
                 (ir_expr *[]){a, ir_lit_null(job), ir_lit_str(job, "none"), ir_lit_str(job, "some")}),
         "F.when(F.col(\"A\").eqNullSafe(None), \"none\").otherwise(\"some\")"},
        {ir_call(job, IR_FN_SUBSTR, 0, 3, (ir_expr *[]){ir_ref(job, s->id, "S"), ir_lit_int(job, 0), ir_lit_int(job, 3)}),
         "F.substring(F.col(\"S\"), 1, 2)"},
        {ir_call(job, IR_FN_SUBSTR, IR_FL_POS_ZERO_IS_ONE | IR_FL_NEG_FROM_END, 3,
                 (ir_expr *[]){ir_ref(job, s->id, "S"), ir_lit_int(job, -3), ir_lit_int(job, 2)}),
         "F.substring(F.col(\"S\"), -3, 2)"},
        {ir_call(job, IR_FN_DIV, IR_FL_INT_DIVISION, 2, (ir_expr *[]){a, b}), "F.try_divide(F.col(\"A\"), F.col(\"B\")).cast(\"int\")"},
        {ir_call2(job, IR_FN_EQ, ir_ref(job, s->id, "S"), ir_param_ref(job, "REGION")), "F.col(\"S\") == p_region"},
        {ir_call3(job, IR_FN_DATE_DIFF, ir_ref(job, s->id, "TS"), ir_ref(job, s->id, "D"), ir_lit_str(job, "month")),
         "F.months_between(F.col(\"TS\"), F.col(\"D\"), roundOff=False)"},
        {ir_call3(job, IR_FN_DATE_ADD, ir_ref(job, s->id, "D"), ir_lit_str(job, "year"), ir_lit_int(job, 2)),
         "F.add_months(F.col(\"D\"), 24)"},
        {ir_call(job, IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 2, (ir_expr *[]){ir_lit_null(job), ir_ref(job, s->id, "S")}),
         "F.when(F.col(\"S\").isNotNull(), F.concat_ws(\"\", F.col(\"S\")))"},
        {ir_call(job, IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 2, (ir_expr *[]){ir_lit_null(job), ir_lit_null(job)}),
         "F.lit(None).cast(\"string\")"},
        {ir_call(job, IR_FN_SET_COUNT_VARIABLE, 0, 1, (ir_expr *[]){ir_param_ref(job, "N")}), "<unsupported>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = expr_of(job, cases[i].e);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
    ir_job_free(job);
}

static void test_datefmt(void)
{
    static const struct {
        const char *canon, *spark;
    } cases[] = {
        {"YYYY-MM-DD", "yyyy-MM-dd"},
        {"MM/DD/YYYY HH24:MI:SS", "MM/dd/yyyy HH:mm:ss"},
        {"DD-MON-RR", "dd-MMM-yy"},
        {"DAY, MONTH DD YYYY HH12:MI AM", "EEEE, MMMM dd yyyy hh:mm a"},
        {"YYYY-MM-DD\"T\"HH24:MI:SS.FF3", "yyyy-MM-dd'T'HH:mm:ss.SSS"},
        {"YYYY-MM-DDTHH24:MI:SS.FF6", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS"},
        {"DY DDD \"o'clock\"", "EEE DDD 'o''clock'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        strbuf sb = STRBUF_INIT;
        CHECK(spark_datefmt(cases[i].canon, &sb, NULL) == 0);
        CHECK_STR(sb_cstr(&sb), cases[i].spark);
        sb_free(&sb);
    }
    strbuf sb = STRBUF_INIT;
    bool rr = false;
    CHECK(spark_datefmt("DD-MON-RR", &sb, &rr) == 0 && rr);
    sb_clear(&sb);
    CHECK(spark_datefmt("YYYY-Q", &sb, NULL) == -1);
    sb_free(&sb);
}

static void test_names(void)
{
    ir_job *job = ir_job_new("m_names");
    static const char *const S[] = {"A:integer", NULL};
    ir_node *a = source(job, "SQ_Orders", "T", S, 1);
    ir_node *b = node(job, IR_OP_FILTER, "sq_orders", NULL, 2, a);
    b->predicate = ir_lit_bool(job, true);
    pass_all(job, b, a);
    ir_node *c = node(job, IR_OP_FILTER, "class", NULL, 3, b);
    c->predicate = ir_lit_bool(job, true);
    pass_all(job, c, b);
    ir_node *d = node(job, IR_OP_FILTER, "1st-pass", NULL, 4, c);
    d->predicate = ir_lit_bool(job, true);
    pass_all(job, d, c);
    ir_node *e = node(job, IR_OP_FILTER, "spark", NULL, 5, d);
    e->predicate = ir_lit_bool(job, true);
    pass_all(job, e, d);
    char *out = emit(job, NULL);
    CHECK(contains(out, "    sq_orders = spark.table"));
    CHECK(contains(out, "    sq_orders_df = sq_orders.filter(F.lit(True))\n"));
    CHECK(contains(out, "    class_df = sq_orders_df.filter"));
    CHECK(contains(out, "    n_1st_pass = class_df.filter"));
    CHECK(contains(out, "    spark_df = n_1st_pass.filter"));
    free(out);
    ir_job_free(job);
}

/* Every canonical function: supported, or unsupported with a reason; and every supported one can be
 * written in a module that compiles. */
static void test_function_coverage(void)
{
    static const char *const S[] = {"S:string(20)", "N:decimal(12,2)", "I:integer", "D:date", "TS:timestamp(6)",
                                    "B:boolean", NULL};
    ir_job *job = ir_job_new("m_all_functions");
    ir_node *s = source(job, "SQ_All", "T", S, 1);
    ir_node *p = node(job, IR_OP_PROJECT, "EXP_All", "Expression", 2, s);
    ir_node *g = node(job, IR_OP_AGGREGATE, "AGG_All", "Aggregator", 3, s);
    ir_node *wn = node(job, IR_OP_WINDOW, "WIN_All", NULL, 4, s);
    ir_node_add_order(job, wn, ir_ref(job, s->id, "N"), false);
    int supported = 0, unsupported = 0;
    for (int f = 0; f < IR_FN__COUNT; f++) {
        const ir_fn_info *fi = ir_fn_get((ir_fn)f);
        int sup = spark_backend.supports_fn((ir_fn)f);
        const char *why = spark_fn_unsupported_reason((ir_fn)f);
        CHECK(sup || (why && *why));
        CHECK(!sup || !why);
        if (!sup) {
            unsupported++;
            continue;
        }
        supported++;
        /* plausible arguments by position and function family */
        ir_expr *args[4];
        int n = fi->min_args;
        for (int i = 0; i < n; i++) {
            const char *col = "S";
            if (f == IR_FN_DATE_ADD || f == IR_FN_DATE_DIFF || f == IR_FN_DATE_PART || f == IR_FN_DATE_SET_PART ||
                f == IR_FN_DATE_TRUNC || f == IR_FN_DATE_ROUND || f == IR_FN_DATE_COMPARE || f == IR_FN_LAST_DAY)
                col = "TS";
            else if (fi->type_rule == TR_NUMERIC || fi->type_rule == TR_DOUBLE || f == IR_FN_ABS || f == IR_FN_CEIL ||
                     f == IR_FN_FLOOR || f == IR_FN_ROUND || f == IR_FN_TRUNC || f == IR_FN_SIGN || f == IR_FN_DIV ||
                     f == IR_FN_NEG || f == IR_FN_CHR || f == IR_FN_SUM)
                col = "N";
            else if (fi->type_rule == TR_BOOL && (f == IR_FN_AND || f == IR_FN_OR || f == IR_FN_NOT))
                col = "B";
            args[i] = ir_ref(job, s->id, col);
        }
        if (f == IR_FN_IF || f == IR_FN_CASE)
            args[0] = ir_ref(job, s->id, "B");
        if (f == IR_FN_DATE_ADD || f == IR_FN_DATE_PART || f == IR_FN_DATE_SET_PART || f == IR_FN_DATE_TRUNC ||
            f == IR_FN_DATE_ROUND)
            args[1] = ir_lit_str(job, "month");
        if (f == IR_FN_DATE_DIFF)
            args[2] = ir_lit_str(job, "day");
        if (f == IR_FN_DATE_ADD || f == IR_FN_DATE_SET_PART)
            args[2] = ir_lit_int(job, 1);
        if (f == IR_FN_SUBSTR || f == IR_FN_LPAD || f == IR_FN_RPAD || f == IR_FN_PERCENTILE)
            args[1] = ir_lit_int(job, 2);
        if (f == IR_FN_REPLACE_CHARS || f == IR_FN_REPLACE_STR) {
            args[1] = ir_lit_str(job, "ab");
            args[2] = ir_lit_str(job, "x");
        }
        if (f == IR_FN_REGEXP_EXTRACT || f == IR_FN_REGEXP_LIKE || f == IR_FN_REGEXP_REPLACE || f == IR_FN_INSTR)
            args[1] = ir_lit_str(job, "[a-z]+");
        if (f == IR_FN_STRING_AGG || f == IR_FN_STRING_AGG_ORDERED)
            args[1] = ir_lit_str(job, ","); /* the separator is a string literal */
        if (f == IR_FN_LIKE)
            args[n++] = ir_lit_str(job, "!"); /* Spark's LIKE needs the escape character said */
        if (f == IR_FN_STRING_AGG_ORDERED || f == IR_FN_ARRAY_AGG_ORDERED)
            args[n - 1] = ir_lit_str(job, "desc nulls last"); /* a key's direction is a literal */
        if (f == IR_FN_ARRAY_SORT)
            args[1] = ir_lit_str(job, "asc nulls last"); /* the direction is a literal */
        if (f == IR_FN_ARRAY_SLICE) {
            args[1] = ir_lit_int(job, 1); /* Spark's slice takes positions that are literals, not negative */
            args[2] = ir_lit_int(job, 3);
        }
        ir_expr *call = ir_call(job, (ir_fn)f, 0, n, args);
        if (f == IR_FN_CAST || f == IR_FN_TRY_CAST)
            call->type = T("decimal(10,2)");
        if (f == IR_FN_NTILE)
            call->u.call.args[0] = ir_lit_int(job, 4);
        char name[64];
        snprintf(name, sizeof name, "F_%s", fi->name);
        ir_node_add_col(job, ir_fn_is_window((ir_fn)f) ? wn : ir_fn_is_aggregate((ir_fn)f) ? g : p, name, T("string"), call);
        /* emit_expr alone works too, except for window functions, which need a window node */
        strbuf sb = STRBUF_INIT;
        int rc = spark_backend.emit_expr(job, call, &sb);
        if (rc != (ir_fn_is_window((ir_fn)f) ? -1 : 0))
            fprintf(stderr, "  emit_expr gave %d for %s\n", rc, fi->name);
        CHECK(rc == (ir_fn_is_window((ir_fn)f) ? -1 : 0));
        sb_free(&sb);
    }
    CHECK(supported + unsupported == IR_FN__COUNT);
    CHECK(unsupported <= 7);
    be_result res;
    char *out = emit(job, &res);
    CHECK(res.unsupported == 0);
    CHECK(!strstr(out, "Decimal(") || strstr(out, "from decimal import Decimal\n"));
    CHECK(contains(out, "from datetime import datetime\n"));
    CHECK(contains(out, "    session_start_time = datetime.now()"));
    free(out);
    ir_job_free(job);
}

/* ---- review fixes ---- */

/* Typed job parameters are converted from their text: a decimal compared with '50.00' would be
 * compared as a double, a timestamp with '01/31/2024 00:00:00' not at all (Spark's cast gives NULL). */
static void test_typed_params(void)
{
    static const char *const S[] = {"AMT:decimal(12,2)", "TS:timestamp", NULL};
    ir_job *job = ir_job_new("m_params");
    ir_param *p = ir_job_add_param(job, "MIN_AMT");
    p->type = T("decimal(13,2)");
    p->default_value = ir_intern(job, "50.00");
    p = ir_job_add_param(job, "SINCE");
    p->type = T("timestamp");
    p->default_value = ir_intern(job, "01/31/2024 00:00:00");
    p = ir_job_add_param(job, "RUN_DAY");
    p->type = T("date");
    p = ir_job_add_param(job, "BATCH");
    p->type = T("integer");
    p->default_value = ir_intern(job, "7");
    p = ir_job_add_param(job, "SRC");
    p->type = T("string(10)");
    p->default_value = ir_intern(job, "CARDS");
    ir_node *s = source(job, "SQ_X", "SRC.X", S, 1);
    ir_node *f = node(job, IR_OP_FILTER, "FIL_X", "Filter", 2, s);
    f->predicate = ir_call2(job, IR_FN_AND, ir_call2(job, IR_FN_GE, ir_ref(job, s->id, "AMT"), ir_param_ref(job, "MIN_AMT")),
                            ir_call2(job, IR_FN_GE, ir_ref(job, s->id, "TS"), ir_param_ref(job, "SINCE")));
    pass_all(job, f, s);
    char *out = emit(job, NULL);
    CHECK(contains(out, "from datetime import datetime\nfrom decimal import Decimal\n"));
    CHECK(contains(out, "\ndef _etlport_param(value, kind):\n"));
    CHECK(contains(out, "    # job parameters ($$NAME in the legacy job), converted to their declared types\n"
                        "    p_min_amt = _etlport_param(params.get(\"MIN_AMT\", \"50.00\"), \"decimal\")\n"
                        "    p_since = _etlport_param(params.get(\"SINCE\", \"01/31/2024 00:00:00\"), \"timestamp\")\n"
                        "    p_run_day = _etlport_param(params.get(\"RUN_DAY\"), \"date\")\n"
                        "    p_batch = _etlport_param(params.get(\"BATCH\", \"7\"), \"int\")\n"
                        "    p_src = params.get(\"SRC\", \"CARDS\")\n"));
    CHECK(contains(out, ".filter((F.col(\"AMT\") >= p_min_amt) & (F.col(\"TS\") >= p_since))"));
    free(out);
    ir_job_free(job);
    /* the helper itself converts as described (run in Python when it is there) */
    if (have_python > 0) {
        char path[] = "/tmp/etlport_spark_param_XXXXXX.py";
        int fd = mkstemps(path, 3);
        CHECK(fd >= 0);
        const char *prog =
            "from datetime import datetime, date\nfrom decimal import Decimal\n"
            "exec(open('/dev/stdin').read())\n"
            "assert _etlport_param('50.00', 'decimal') == Decimal('50.00')\n"
            "assert _etlport_param(' 7 ', 'int') == 7\n"
            "assert _etlport_param('', 'int') is None and _etlport_param(None, 'date') is None\n"
            "assert _etlport_param('01/31/2024 10:20:30', 'timestamp') == datetime(2024, 1, 31, 10, 20, 30)\n"
            "assert _etlport_param('01/31/2024 10:20:30.123456789', 'timestamp').microsecond == 123456\n"
            "assert _etlport_param('01/31/2024', 'date') == date(2024, 1, 31)\n"
            "assert _etlport_param('2024-03-18', 'date') == date(2024, 3, 18)\n"
            "try:\n    _etlport_param('31.01.2024x', 'date')\n    raise SystemExit(1)\nexcept ValueError:\n    pass\n";
        ssize_t len = (ssize_t)strlen(prog);
        CHECK(write(fd, prog, (size_t)len) == len);
        close(fd);
        /* the helper's text, cut from the module, on stdin */
        ir_job *j2 = ir_job_new("m_p2");
        ir_param *q = ir_job_add_param(j2, "D");
        q->type = T("date");
        char *mod = emit(j2, NULL);
        const char *a = strstr(mod, "def _etlport_param");
        const char *b = a ? strstr(a, "\n\n\n") : NULL;
        CHECK(a && b);
        if (a && b) {
            char hp[] = "/tmp/etlport_spark_helper_XXXXXX";
            int hfd = mkstemp(hp);
            CHECK(hfd >= 0 && write(hfd, a, (size_t)(b - a + 1)) == (ssize_t)(b - a + 1));
            close(hfd);
            char cmd[256];
            snprintf(cmd, sizeof cmd, "python3 %s < %s", path, hp);
            CHECK(system(cmd) == 0);
            unlink(hp);
        }
        unlink(path);
        free(mod);
        ir_job_free(j2);
    }
}

/* A column that reads another column of its own node (an IR breaking the references rule, as a
 * Source Qualifier's renamed master port did) gets that column's expression: a select cannot read
 * an alias it defines. */
static void test_self_reference(void)
{
    static const char *const A[] = {"ID:bigint", "BRANCH_ID:integer", NULL};
    static const char *const B[] = {"BRANCH_ID:integer", "NAME:string(20)", NULL};
    ir_job *job = ir_job_new("m_selfref");
    ir_node *a = source(job, "A", "SRC.A", A, 1);
    ir_node *b = source(job, "B", "SRC.B", B, 2);
    ir_node *j = node(job, IR_OP_JOIN, "SQ_AB", "Source Qualifier", 3, a);
    ir_node_add_input(job, j, b->id);
    j->predicate = ir_call2(job, IR_FN_EQ, ir_ref(job, a->id, "BRANCH_ID"), ir_ref(job, b->id, "BRANCH_ID"));
    ir_node_add_col(job, j, "ID", T("bigint"), ir_ref(job, a->id, "ID"));
    ir_node_add_col(job, j, "BRANCH_ID_1", T("integer"), ir_ref(job, b->id, "BRANCH_ID"));
    ir_node_add_col(job, j, "BRANCH_ID1", T("integer"), ir_ref(job, j->id, "BRANCH_ID_1"));
    char *out = emit(job, NULL);
    CHECK(contains(out, "F.col(\"m.BRANCH_ID\").alias(\"BRANCH_ID1\")"));
    CHECK(!strstr(out, "F.col(\"BRANCH_ID_1\")"));
    free(out);
    ir_job_free(job);
}

/* Informatica code page names become Java charset names (MS1252 is not one); a fixed-width file
 * in another code page is flagged, since spark.read.text reads UTF-8. */
static void test_file_encodings(void)
{
    static const char *const S[] = {"A:string(5)", "B:decimal(5,0)", NULL};
    ir_job *job = ir_job_new("m_files");
    ir_dataset *ds = ir_job_add_dataset(job, "IN_CSV");
    ds->kind = ir_intern(job, "file");
    ds->delimiter = ir_intern(job, ",");
    ds->encoding = ir_intern(job, "MS1252");
    ir_dataset *fw = ir_job_add_dataset(job, "IN_FIXED");
    fw->kind = ir_intern(job, "file");
    fw->fixed_width = true;
    fw->encoding = ir_intern(job, "Latin1");
    source(job, "SQ_CSV", "IN_CSV", S, 1);
    source(job, "SQ_FIXED", "IN_FIXED", S, 2);
    char *out = emit(job, NULL);
    CHECK(contains(out, ".option(\"encoding\", \"windows-1252\")"));
    CHECK(!strstr(out, "MS1252\")"));
    CHECK(contains(out, "    # the file's code page is Latin1: spark.read.text reads UTF-8"));
    free(out);
    ir_job_free(job);
}

/* first/last lookups order the lookup rows by the condition's lookup columns first, so LAST of a
 * range (VALID_FROM <= ORDER_DATE) is the latest matching row, not the one with the largest name. */
static void test_lookup_condition_order(void)
{
    static const char *const O[] = {"ORDER_ID:bigint", "REGION_ID:integer", "ORDER_DATE:date", NULL};
    static const char *const R[] = {"REGION_NAME:string(30)", "REGION_ID:integer", "VALID_FROM:date", NULL};
    ir_job *job = ir_job_new("m_lookup_order");
    ir_node *o = source(job, "SQ_ORDERS", "SRC.ORDERS", O, 1);
    ir_node *r = source(job, "LKP_SRC", "REF.REGION", R, 2);
    ir_node *l = node(job, IR_OP_LOOKUP, "LKP_Region", "Lookup Procedure", 3, o);
    ir_node_add_input(job, l, r->id);
    l->match = IR_MATCH_LAST;
    l->predicate = ir_call2(job, IR_FN_AND,
                            ir_call2(job, IR_FN_EQ, ir_ref(job, r->id, "REGION_ID"), ir_ref(job, o->id, "REGION_ID")),
                            ir_call2(job, IR_FN_LE, ir_ref(job, r->id, "VALID_FROM"), ir_ref(job, o->id, "ORDER_DATE")));
    ir_node_add_col(job, l, "ORDER_ID", T("bigint"), ir_ref(job, o->id, "ORDER_ID"));
    ir_node_add_col(job, l, "REGION_NAME", T("string(30)"), ir_ref(job, r->id, "REGION_NAME"));
    char *out = emit(job, NULL);
    CHECK(contains(out, "Window.partitionBy(\"_etlport_row\").orderBy(F.col(\"l.REGION_ID\").desc(), "
                        "F.col(\"l.VALID_FROM\").desc(), F.col(\"l.REGION_NAME\").desc())"));
    free(out);
    ir_job_free(job);
}

/* Expression shapes: CHR() constants in REPLACESTR/REPLACECHR are constant strings; a literal
 * start of 1 or more needs no position rule even with a computed length. */
static void test_expr_constants(void)
{
    ir_job *job = ir_job_new("m_expr");
    static const char *const S[] = {"NOTES:string(100)", "SKU:string(20)", NULL};
    ir_node *s = source(job, "SQ", "SRC.S", S, 1);
    strbuf b = STRBUF_INIT;
    ir_expr *rs[] = {ir_ref(job, s->id, "NOTES"), ir_call1(job, IR_FN_CHR, ir_lit_int(job, 13)),
                     ir_call1(job, IR_FN_CHR, ir_lit_int(job, 10)), ir_lit_str(job, " ")};
    CHECK(spark_backend.emit_expr(job, ir_call(job, IR_FN_REPLACE_STR, 0, 4, rs), &b) == 0);
    CHECK_STR(sb_cstr(&b), "F.regexp_replace(F.col(\"NOTES\"), \"\\r|\\n\", \" \")");
    sb_clear(&b);
    ir_expr *rc[] = {ir_ref(job, s->id, "NOTES"), ir_call1(job, IR_FN_CHR, ir_lit_int(job, 9)), ir_lit_str(job, " ")};
    CHECK(spark_backend.emit_expr(job, ir_call(job, IR_FN_REPLACE_CHARS, 0, 3, rc), &b) == 0);
    CHECK_STR(sb_cstr(&b), "F.translate(F.col(\"NOTES\"), \"\\t\", \" \")");
    sb_clear(&b);
    ir_expr *len = ir_call2(job, IR_FN_SUB, ir_call2(job, IR_FN_INSTR, ir_ref(job, s->id, "SKU"), ir_lit_str(job, "-")),
                            ir_lit_int(job, 1));
    ir_expr *ss[] = {ir_ref(job, s->id, "SKU"), ir_lit_int(job, 1), len};
    CHECK(spark_backend.emit_expr(job, ir_call(job, IR_FN_SUBSTR, 0, 3, ss), &b) == 0);
    CHECK_STR(sb_cstr(&b), "F.substr(F.col(\"SKU\"), F.lit(1), F.instr(F.col(\"SKU\"), \"-\") - 1)");
    sb_free(&b);
    ir_job_free(job);
}

/* The sequence says that its legacy value persists between runs. */
static void test_sequence_state_note(void)
{
    static const char *const S[] = {"ID:bigint", NULL};
    ir_job *job = ir_job_new("m_seq");
    ir_node *s = source(job, "SQ", "SRC.S", S, 1);
    ir_node *q = node(job, IR_OP_SEQUENCE, "SEQ_Key", "Sequence", 2, s);
    q->seq_start = 1000001;
    q->seq_increment = 1;
    ir_column *nv = ir_node_add_col(job, q, "NEXTVAL", T("bigint"), NULL);
    nv->flags |= IR_COL_GENERATED;
    char *out = emit(job, NULL);
    CHECK(contains(out, "    # the legacy sequence goes on from its last value in the next run; here every run starts at\n"
                        "    # 1000001: start from the target's largest key"));
    free(out);
    ir_job_free(job);
}

int main(void)
{
    RUN(test_pipeline_golden);
    RUN(test_overwrite_and_truncate);
    RUN(test_join_kinds);
    RUN(test_aggregate);
    RUN(test_router);
    RUN(test_lookup);
    RUN(test_update_merge);
    RUN(test_normalize);
    RUN(test_normalize_count);
    RUN(test_rank_sequence_dedup);
    RUN(test_window);
    RUN(test_holes);
    RUN(test_expr_precedence);
    RUN(test_datefmt);
    RUN(test_names);
    RUN(test_function_coverage);
    RUN(test_typed_params);
    RUN(test_self_reference);
    RUN(test_file_encodings);
    RUN(test_lookup_condition_order);
    RUN(test_expr_constants);
    RUN(test_sequence_state_note);
    return TEST_SUMMARY();
}
