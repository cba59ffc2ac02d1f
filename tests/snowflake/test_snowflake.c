/*
 * test_snowflake.c — the Snowflake backend on small IR jobs built by hand with the ir.h API:
 * golden text for the smallest job, substring checks for each node kind, hole markers and
 * counts, determinism, and the function-table coverage (every canonical function is rendered or
 * listed as unsupported with a reason).
 *
 * With SNOW_DUMP_DIR set, every emitted script is also written there (for the SQL grammar check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/snowflake/snow_internal.h"
#include "ir/ir.h"
#include "tests/testlib.h"

extern const backend snowflake_backend;

static ir_type T(ir_type_kind k, int p, int s)
{
    return ir_type_make(k, p, s);
}

/* Emits job; returns the text (caller frees) and the result counts. */
static char *emit(const ir_job *job, be_result *res, int *rc)
{
    strbuf sb = STRBUF_INIT;
    be_result r = {0};
    diag_ctx dc;
    diag_init(&dc, NULL, NULL);
    be_options opt = {0};
    int x = snowflake_backend.emit_job(job, &opt, &sb, &r, &dc);
    if (rc)
        *rc = x;
    if (res)
        *res = r;
    const char *dir = getenv("SNOW_DUMP_DIR");
    if (dir) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.sql", dir, job->name);
        FILE *f = fopen(path, "wb");
        if (f) {
            fputs(sb_cstr(&sb), f);
            fclose(f);
        }
    }
    if (!sb.data)
        sb_puts(&sb, "");
    return sb_take(&sb);
}

#define CHECK_HAS(text, needle)                                                                    \
    do {                                                                                           \
        if (!strstr((text), (needle))) {                                                           \
            fprintf(stderr, "%s:%d: missing: %s\n---- in ----\n%s\n", __FILE__, __LINE__, (needle), \
                    (text));                                                                       \
            tl_failed_checks++;                                                                    \
        }                                                                                          \
    } while (0)

#define CHECK_NOT(text, needle)                                                                    \
    do {                                                                                           \
        if (strstr((text), (needle))) {                                                            \
            fprintf(stderr, "%s:%d: unexpected: %s\n", __FILE__, __LINE__, (needle));              \
            tl_failed_checks++;                                                                    \
        }                                                                                          \
    } while (0)

/* SRC.CUSTOMERS(CUST_ID, FIRST_NAME, LAST_NAME, EMAIL) as a source node. */
static ir_node *customers(ir_job *job, const char *name)
{
    ir_dataset *ds = ir_job_add_dataset(job, "SRC.CUSTOMERS");
    ir_dataset_add_col(job, ds, "CUST_ID", T(IR_TY_DECIMAL, 10, 0))->flags |= IR_COL_KEY | IR_COL_NOT_NULL;
    ir_dataset_add_col(job, ds, "FIRST_NAME", T(IR_TY_STRING, 40, 0));
    ir_dataset_add_col(job, ds, "LAST_NAME", T(IR_TY_STRING, 40, 0));
    ir_dataset_add_col(job, ds, "EMAIL", T(IR_TY_STRING, 120, 0));
    ir_node *s = ir_node_add(job, IR_OP_SOURCE, name);
    s->dataset = ir_intern(job, "SRC.CUSTOMERS");
    s->legacy_type = "Source Qualifier";
    s->span.file = ir_intern(job, "crm.xml");
    s->span.line = 118;
    for (int i = 0; i < ds->n_cols; i++)
        ir_node_add_col(job, s, ds->cols[i].name, ds->cols[i].type, NULL);
    return s;
}

static ir_node *dim_target(ir_job *job, ir_node *in, ir_load_mode load)
{
    ir_dataset *ds = ir_job_add_dataset(job, "DWH.DIM_CUSTOMER");
    if (!ds->n_cols) {
        ir_dataset_add_col(job, ds, "CUST_ID", T(IR_TY_DECIMAL, 10, 0))->flags |= IR_COL_KEY | IR_COL_NOT_NULL;
        ir_dataset_add_col(job, ds, "FULL_NAME", T(IR_TY_STRING, 81, 0));
        ir_dataset_add_col(job, ds, "EMAIL", T(IR_TY_STRING, 120, 0));
    }
    ir_node *t = ir_node_add(job, IR_OP_TARGET, "DIM_CUSTOMER");
    t->dataset = ir_intern(job, "DWH.DIM_CUSTOMER");
    t->legacy_type = "Target Definition";
    t->span.file = ir_intern(job, "crm.xml");
    t->span.line = 300;
    t->load = load;
    ir_node_add_input(job, t, in->id);
    for (int i = 0; i < ds->n_cols; i++)
        ir_node_add_col(job, t, ds->cols[i].name, ds->cols[i].type, ir_ref(job, in->id, ds->cols[i].name));
    return t;
}

/* The DESIGN.md example: source → project → filter → target (append). */
static ir_job *simple_job(ir_load_mode load)
{
    ir_job *job = ir_job_new("m_load_customers");
    job->format = "informatica";
    job->file = ir_intern(job, "crm.xml");
    job->line = 412;
    ir_node *s = customers(job, "SQ_CUSTOMERS");
    ir_node *p = ir_node_add(job, IR_OP_PROJECT, "EXP_FULLNAME");
    p->legacy_type = "Expression";
    p->span.file = ir_intern(job, "crm.xml");
    p->span.line = 230;
    ir_node_add_input(job, p, s->id);
    ir_node_add_col(job, p, "CUST_ID", T(IR_TY_DECIMAL, 10, 0), ir_ref(job, s->id, "CUST_ID"));
    ir_expr *parts[3] = {ir_ref(job, s->id, "FIRST_NAME"), ir_lit_str(job, " "), ir_ref(job, s->id, "LAST_NAME")};
    ir_node_add_col(job, p, "FULL_NAME", T(IR_TY_STRING, 81, 0), ir_call(job, IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 3, parts));
    ir_node_add_col(job, p, "EMAIL", T(IR_TY_STRING, 120, 0), ir_ref(job, s->id, "EMAIL"));
    ir_node *f = ir_node_add(job, IR_OP_FILTER, "FIL_HAS_EMAIL");
    f->legacy_type = "Filter";
    f->span.file = ir_intern(job, "crm.xml");
    f->span.line = 251;
    ir_node_add_input(job, f, p->id);
    f->predicate = ir_call1(job, IR_FN_NOT, ir_call1(job, IR_FN_IS_NULL, ir_ref(job, p->id, "EMAIL")));
    for (int i = 0; i < p->n_cols; i++)
        ir_node_add_col(job, f, p->cols[i].name, p->cols[i].type, ir_ref(job, p->id, p->cols[i].name));
    dim_target(job, f, load);
    return job;
}

static const char *simple_golden =
    "-- Generated by etlport (Snowflake SQL) from job m_load_customers\n"
    "-- Legacy: informatica, crm.xml:412\n"
    "-- Holes: 0\n"
    "\n"
    "-- Target tables\n"
    "CREATE TABLE IF NOT EXISTS DWH.DIM_CUSTOMER (\n"
    "    CUST_ID NUMBER(10,0) NOT NULL,\n"
    "    FULL_NAME VARCHAR(81),\n"
    "    EMAIL VARCHAR(120),\n"
    "    PRIMARY KEY (CUST_ID)\n"
    ");\n"
    "\n"
    "-- DIM_CUSTOMER (Target Definition) at crm.xml:300 [target]\n"
    "-- load mode: append\n"
    "INSERT INTO DWH.DIM_CUSTOMER (CUST_ID, FULL_NAME, EMAIL)\n"
    "WITH\n"
    "-- SQ_CUSTOMERS (Source Qualifier) at crm.xml:118 [source]\n"
    "SQ_CUSTOMERS AS (\n"
    "    SELECT\n"
    "        CUST_ID,\n"
    "        FIRST_NAME,\n"
    "        LAST_NAME,\n"
    "        EMAIL\n"
    "    FROM SRC.CUSTOMERS\n"
    "),\n"
    "-- EXP_FULLNAME (Expression) at crm.xml:230 [project]\n"
    "EXP_FULLNAME AS (\n"
    "    SELECT\n"
    "        CUST_ID,\n"
    "        COALESCE(FIRST_NAME, '') || ' ' || COALESCE(LAST_NAME, '') AS FULL_NAME,\n"
    "        EMAIL\n"
    "    FROM SQ_CUSTOMERS\n"
    "),\n"
    "-- FIL_HAS_EMAIL (Filter) at crm.xml:251 [filter]\n"
    "FIL_HAS_EMAIL AS (\n"
    "    SELECT\n"
    "        CUST_ID,\n"
    "        FULL_NAME,\n"
    "        EMAIL\n"
    "    FROM EXP_FULLNAME\n"
    "    WHERE NOT (EMAIL IS NULL)\n"
    ")\n"
    "SELECT\n"
    "    CUST_ID,\n"
    "    FULL_NAME,\n"
    "    EMAIL\n"
    "FROM FIL_HAS_EMAIL;\n";

static void test_simple_golden(void)
{
    ir_job *job = simple_job(IR_LOAD_APPEND);
    be_result r;
    int rc;
    char *s = emit(job, &r, &rc);
    CHECK(rc == 0);
    CHECK_STR(s, simple_golden);
    CHECK(r.holes == 0 && r.unsupported == 0);
    free(s);
    ir_job_free(job);
}

static void test_determinism(void)
{
    ir_job *a = simple_job(IR_LOAD_MERGE), *b = simple_job(IR_LOAD_MERGE);
    char *s1 = emit(a, NULL, NULL), *s2 = emit(a, NULL, NULL), *s3 = emit(b, NULL, NULL);
    CHECK_STR(s1, s2);
    CHECK_STR(s1, s3);
    free(s1);
    free(s2);
    free(s3);
    ir_job_free(a);
    ir_job_free(b);
}

static void test_overwrite(void)
{
    ir_job *job = simple_job(IR_LOAD_TRUNCATE_INSERT);
    job->name = ir_intern(job, "m_overwrite");
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "INSERT OVERWRITE INTO DWH.DIM_CUSTOMER (CUST_ID, FULL_NAME, EMAIL)\nWITH\n");
    CHECK_NOT(s, "CREATE OR REPLACE");
    free(s);
    ir_job_free(job);
}

/* update strategy → merge target */
static ir_job *merge_job(void)
{
    ir_job *job = ir_job_new("m_merge_customers");
    job->format = "informatica";
    job->file = ir_intern(job, "crm.xml");
    ir_node *s = customers(job, "SQ_CUSTOMERS");
    ir_node *u = ir_node_add(job, IR_OP_UPDATE, "UPD_CUSTOMERS");
    u->legacy_type = "Update Strategy";
    ir_node_add_input(job, u, s->id);
    ir_node_add_col(job, u, "CUST_ID", T(IR_TY_DECIMAL, 10, 0), ir_ref(job, s->id, "CUST_ID"));
    ir_node_add_col(job, u, "FULL_NAME", T(IR_TY_STRING, 81, 0), ir_ref(job, s->id, "FIRST_NAME"));
    ir_node_add_col(job, u, "EMAIL", T(IR_TY_STRING, 120, 0), ir_ref(job, s->id, "EMAIL"));
    ir_expr *op = ir_call3(job, IR_FN_IF, ir_call1(job, IR_FN_IS_NULL, ir_ref(job, s->id, "EMAIL")),
                           ir_lit_int(job, 2), ir_lit_int(job, 1));
    ir_node_add_col(job, u, "ROW_OP", T(IR_TY_INT, 0, 0), op)->flags |= IR_COL_ROW_OP;
    ir_node *t = dim_target(job, u, IR_LOAD_MERGE);
    t->merge_keys = arena_alloc(job->arena, sizeof *t->merge_keys);
    t->merge_keys[0] = ir_intern(job, "CUST_ID");
    t->n_merge_keys = 1;
    return job;
}

static void test_merge(void)
{
    ir_job *job = merge_job();
    be_result r;
    char *s = emit(job, &r, NULL);
    CHECK_HAS(s, "MERGE INTO DWH.DIM_CUSTOMER AS t\nUSING (\nWITH\n");
    CHECK_HAS(s, "IFF(EMAIL IS NULL, 2, 1) AS ROW_OP");
    /* the merge source drops rows no clause applies to and keeps one row per key: Snowflake's
     * MERGE fails when several source rows match one target row */
    CHECK_HAS(s, "    FROM UPD_CUSTOMERS\n    WHERE ROW_OP IN (0, 1, 2)\n),\n");
    CHECK_HAS(s, "        ROW_NUMBER() OVER (PARTITION BY CUST_ID ORDER BY FULL_NAME, EMAIL, ROW_OP) AS ETL_RN\n"
                 "    FROM DIM_CUSTOMER_2_ROWS\n)\n");
    CHECK_HAS(s, "    EMAIL,\n    ROW_OP\nFROM DIM_CUSTOMER_2_RANKED\nWHERE ETL_RN = 1 OR CUST_ID IS NULL\n) AS s\n"
                 "ON t.CUST_ID = s.CUST_ID\n");
    CHECK_HAS(s, "WHEN MATCHED AND s.ROW_OP = 1 THEN UPDATE SET FULL_NAME = s.FULL_NAME, EMAIL = s.EMAIL\n");
    CHECK_HAS(s, "WHEN MATCHED AND s.ROW_OP = 2 THEN DELETE\n");
    CHECK_HAS(s, "WHEN NOT MATCHED AND s.ROW_OP = 0 THEN INSERT (CUST_ID, FULL_NAME, EMAIL) VALUES "
                 "(s.CUST_ID, s.FULL_NAME, s.EMAIL);\n");
    CHECK_HAS(s, "rows flagged 3 (reject) are skipped");
    CHECK(r.unsupported == 0);
    free(s);
    ir_job_free(job);
}

/* ORDERS(ORDER_ID, CUST_ID, AMOUNT, ORDER_DATE) */
static ir_node *orders(ir_job *job)
{
    ir_dataset *ds = ir_job_add_dataset(job, "SRC.ORDERS");
    ir_dataset_add_col(job, ds, "ORDER_ID", T(IR_TY_BIGINT, 0, 0));
    ir_dataset_add_col(job, ds, "CUST_ID", T(IR_TY_DECIMAL, 10, 0));
    ir_dataset_add_col(job, ds, "AMOUNT", T(IR_TY_DECIMAL, 12, 2));
    ir_dataset_add_col(job, ds, "ORDER_DATE", T(IR_TY_DATE, 0, 0));
    ir_node *s = ir_node_add(job, IR_OP_SOURCE, "SQ_ORDERS");
    s->dataset = ir_intern(job, "SRC.ORDERS");
    for (int i = 0; i < ds->n_cols; i++)
        ir_node_add_col(job, s, ds->cols[i].name, ds->cols[i].type, NULL);
    return s;
}

/* a plain target named tname whose columns pass the input's columns through */
static ir_node *plain_target(ir_job *job, ir_node *in, const char *tname)
{
    char buf[128];
    snprintf(buf, sizeof buf, "DWH.%s", tname);
    ir_dataset *ds = ir_job_add_dataset(job, buf);
    ir_node *t = ir_node_add(job, IR_OP_TARGET, tname);
    t->dataset = ir_intern(job, buf);
    ir_node_add_input(job, t, in->id);
    for (int i = 0; i < in->n_cols; i++) {
        ir_dataset_add_col(job, ds, in->cols[i].name, in->cols[i].type);
        ir_node_add_col(job, t, in->cols[i].name, in->cols[i].type, ir_ref(job, in->id, in->cols[i].name));
    }
    return t;
}

static ir_job *join_job(ir_join_kind kind)
{
    ir_job *job = ir_job_new("m_join");
    ir_node *o = orders(job);
    ir_node *c = customers(job, "SQ_CUSTOMERS");
    ir_node *j = ir_node_add(job, IR_OP_JOIN, "JNR_ORDERS_CUSTOMERS");
    j->legacy_type = "Joiner";
    j->join = kind;
    ir_node_add_input(job, j, o->id);
    ir_node_add_input(job, j, c->id);
    if (kind != IR_JOIN_CROSS)
        j->predicate = ir_call2(job, IR_FN_EQ, ir_ref(job, o->id, "CUST_ID"), ir_ref(job, c->id, "CUST_ID"));
    ir_node_add_col(job, j, "ORDER_ID", T(IR_TY_BIGINT, 0, 0), ir_ref(job, o->id, "ORDER_ID"));
    ir_node_add_col(job, j, "CUST_ID", T(IR_TY_DECIMAL, 10, 0), ir_ref(job, o->id, "CUST_ID"));
    ir_node_add_col(job, j, "EMAIL", T(IR_TY_STRING, 120, 0), ir_ref(job, c->id, "EMAIL"));
    ir_node_add_col(job, j, "AMOUNT", T(IR_TY_DECIMAL, 12, 2), NULL);
    plain_target(job, j, "FACT_ORDERS");
    return job;
}

static void test_joins(void)
{
    static const struct {
        ir_join_kind k;
        const char *kw;
    } kinds[] = {{IR_JOIN_INNER, "INNER JOIN"}, {IR_JOIN_LEFT, "LEFT JOIN"}, {IR_JOIN_RIGHT, "RIGHT JOIN"},
                 {IR_JOIN_FULL, "FULL OUTER JOIN"}, {IR_JOIN_CROSS, "CROSS JOIN"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        ir_job *job = join_job(kinds[i].k);
        char *s = emit(job, NULL, NULL);
        char want[256];
        snprintf(want, sizeof want, "    FROM SQ_ORDERS\n    %s SQ_CUSTOMERS\n", kinds[i].kw);
        CHECK_HAS(s, want);
        CHECK_HAS(s, "        SQ_ORDERS.ORDER_ID,\n        SQ_ORDERS.CUST_ID,\n        SQ_CUSTOMERS.EMAIL,\n"
                     "        SQ_ORDERS.AMOUNT\n");
        if (kinds[i].k != IR_JOIN_CROSS)
            CHECK_HAS(s, "        ON SQ_ORDERS.CUST_ID = SQ_CUSTOMERS.CUST_ID\n");
        else
            CHECK_NOT(s, " ON ");
        CHECK_HAS(s, "-- detail: SQ_ORDERS, master: SQ_CUSTOMERS\n");
        free(s);
        ir_job_free(job);
    }
}

static void test_aggregate(void)
{
    ir_job *job = ir_job_new("m_agg");
    ir_node *o = orders(job);
    ir_node *a = ir_node_add(job, IR_OP_AGGREGATE, "AGG_BY_CUST");
    a->legacy_type = "Aggregator";
    ir_node_add_input(job, a, o->id);
    ir_node_add_key(job, a, ir_ref(job, o->id, "CUST_ID"));
    ir_node_add_col(job, a, "CUST_ID", T(IR_TY_DECIMAL, 10, 0), ir_ref(job, o->id, "CUST_ID"));
    ir_expr *sargs[2] = {ir_ref(job, o->id, "AMOUNT"),
                         ir_call2(job, IR_FN_GT, ir_ref(job, o->id, "AMOUNT"), ir_lit_int(job, 0))};
    ir_node_add_col(job, a, "TOTAL", T(IR_TY_DECIMAL, 18, 2), ir_call(job, IR_FN_SUM, 0, 2, sargs));
    ir_node_add_col(job, a, "N", T(IR_TY_BIGINT, 0, 0), ir_call(job, IR_FN_COUNT_STAR, 0, 0, NULL));
    ir_node_add_col(job, a, "LAST_ORDER", T(IR_TY_BIGINT, 0, 0),
                    ir_call(job, IR_FN_LAST, IR_FL_ORDER_DEPENDENT, 1, (ir_expr *[]){ir_ref(job, o->id, "ORDER_ID")}));
    ir_node_add_col(job, a, "ORDER_DATE", T(IR_TY_DATE, 0, 0), ir_ref(job, o->id, "ORDER_DATE"))->flags |=
        IR_COL_ORDER_DEPENDENT;
    plain_target(job, a, "AGG_CUST");
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "        SUM(IFF(AMOUNT > 0, AMOUNT, NULL)) AS TOTAL,\n");
    CHECK_HAS(s, "        COUNT(*) AS N,\n");
    CHECK_HAS(s, "ANY_VALUE(ORDER_ID) /* ETLPORT ORDER-DEPENDENT: last row");
    CHECK_HAS(s, "ANY_VALUE(ORDER_DATE) AS ORDER_DATE /* ETLPORT ORDER-DEPENDENT");
    CHECK_HAS(s, "    FROM SQ_ORDERS\n    GROUP BY CUST_ID\n");
    free(s);
    ir_job_free(job);
}

static void test_router(void)
{
    ir_job *job = ir_job_new("m_router");
    ir_node *o = orders(job);
    ir_node *r = ir_node_add(job, IR_OP_ROUTER, "RTR_AMOUNT");
    r->legacy_type = "Router";
    ir_node_add_input(job, r, o->id);
    for (int i = 0; i < o->n_cols; i++)
        ir_node_add_col(job, r, o->cols[i].name, o->cols[i].type, ir_ref(job, o->id, o->cols[i].name));
    ir_node *big = ir_node_add(job, IR_OP_FILTER, "RTR_AMOUNT_BIG");
    big->group = "BIG";
    ir_node_add_input(job, big, r->id);
    big->predicate = ir_call2(job, IR_FN_GT, ir_ref(job, r->id, "AMOUNT"), ir_lit_int(job, 1000));
    ir_node *def = ir_node_add(job, IR_OP_FILTER, "RTR_AMOUNT_DEFAULT");
    def->group = "DEFAULT";
    ir_node_add_input(job, def, r->id);
    for (int i = 0; i < o->n_cols; i++) {
        ir_node_add_col(job, big, o->cols[i].name, o->cols[i].type, ir_ref(job, r->id, o->cols[i].name));
        ir_node_add_col(job, def, o->cols[i].name, o->cols[i].type, NULL);
    }
    plain_target(job, big, "BIG_ORDERS");
    plain_target(job, def, "OTHER_ORDERS");
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "-- router group BIG of RTR_AMOUNT\n");
    CHECK_HAS(s, "    FROM RTR_AMOUNT\n    WHERE AMOUNT > 1000\n");
    CHECK_HAS(s, "    WHERE NOT COALESCE(AMOUNT > 1000, FALSE) -- not group BIG\n");
    CHECK_HAS(s, "INSERT INTO DWH.BIG_ORDERS");
    CHECK_HAS(s, "INSERT INTO DWH.OTHER_ORDERS");
    /* each statement carries only its own upstream */
    const char *second = strstr(s, "INSERT INTO DWH.OTHER_ORDERS");
    CHECK(second && !strstr(second, "RTR_AMOUNT_BIG AS ("));
    free(s);
    ir_job_free(job);
}

static ir_job *lookup_job(ir_match_policy m, int non_equi)
{
    ir_job *job = ir_job_new("m_lookup");
    ir_node *o = orders(job);
    ir_node *l = customers(job, "LKP_SRC_CUSTOMERS");
    ir_node *k = ir_node_add(job, IR_OP_LOOKUP, "LKP_CUSTOMER");
    k->legacy_type = "Lookup Procedure";
    k->match = m;
    ir_node_add_input(job, k, o->id);
    ir_node_add_input(job, k, l->id);
    k->predicate = ir_call2(job, IR_FN_EQ, ir_ref(job, o->id, "CUST_ID"), ir_ref(job, l->id, "CUST_ID"));
    if (non_equi)
        k->predicate = ir_call2(job, IR_FN_AND, k->predicate,
                                ir_call2(job, IR_FN_LT, ir_ref(job, o->id, "AMOUNT"), ir_ref(job, l->id, "CUST_ID")));
    ir_node_add_col(job, k, "ORDER_ID", T(IR_TY_BIGINT, 0, 0), ir_ref(job, o->id, "ORDER_ID"));
    ir_node_add_col(job, k, "EMAIL", T(IR_TY_STRING, 120, 0), ir_ref(job, l->id, "EMAIL"));
    plain_target(job, k, "ORDER_EMAIL");
    return job;
}

static void test_lookup(void)
{
    ir_job *job = lookup_job(IR_MATCH_FIRST, 0);
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "LKP_CUSTOMER_RANKED AS (\n");
    CHECK_HAS(s, "ROW_NUMBER() OVER (PARTITION BY CUST_ID ORDER BY CUST_ID ASC, FIRST_NAME ASC, LAST_NAME ASC, "
                 "EMAIL ASC) AS ETL_RN\n    FROM LKP_SRC_CUSTOMERS\n");
    CHECK_HAS(s, "    FROM SQ_ORDERS\n    LEFT JOIN LKP_CUSTOMER_RANKED\n        ON SQ_ORDERS.CUST_ID = "
                 "LKP_CUSTOMER_RANKED.CUST_ID AND LKP_CUSTOMER_RANKED.ETL_RN = 1\n");
    CHECK_HAS(s, "the first by (CUST_ID, FIRST_NAME, LAST_NAME, EMAIL) order");
    CHECK_HAS(s, "        LKP_CUSTOMER_RANKED.EMAIL\n");
    free(s);
    ir_job_free(job);

    job = lookup_job(IR_MATCH_LAST, 0);
    s = emit(job, NULL, NULL);
    CHECK_HAS(s, "EMAIL DESC) AS ETL_RN");
    free(s);
    ir_job_free(job);

    job = lookup_job(IR_MATCH_ALL, 0);
    s = emit(job, NULL, NULL);
    CHECK_NOT(s, "ETL_RN");
    CHECK_HAS(s, "    LEFT JOIN LKP_SRC_CUSTOMERS\n        ON SQ_ORDERS.CUST_ID = LKP_SRC_CUSTOMERS.CUST_ID\n");
    free(s);
    ir_job_free(job);

    job = lookup_job(IR_MATCH_ERROR, 0);
    s = emit(job, NULL, NULL);
    CHECK_HAS(s, "-- lookup match policy error:");
    free(s);
    ir_job_free(job);

    job = lookup_job(IR_MATCH_ANY, 1);
    s = emit(job, NULL, NULL);
    CHECK_HAS(s, "SEQ8() AS ETL_ROW_ID");
    CHECK_HAS(s, "PARTITION BY LKP_CUSTOMER_INPUT.ETL_ROW_ID ORDER BY LKP_SRC_CUSTOMERS.CUST_ID ASC");
    CHECK_HAS(s, "    FROM LKP_CUSTOMER_MATCHES\n    WHERE ETL_RN = 1\n");
    free(s);
    ir_job_free(job);
}

static void test_normalize(void)
{
    ir_job *job = ir_job_new("m_normalize");
    ir_dataset *ds = ir_job_add_dataset(job, "SRC.QUARTERS");
    ir_dataset_add_col(job, ds, "ACCOUNT", T(IR_TY_STRING, 10, 0));
    ir_dataset_add_col(job, ds, "Q1", T(IR_TY_DECIMAL, 12, 2));
    ir_dataset_add_col(job, ds, "Q2", T(IR_TY_DECIMAL, 12, 2));
    ir_node *s = ir_node_add(job, IR_OP_SOURCE, "SQ_QUARTERS");
    s->dataset = ds->name;
    for (int i = 0; i < ds->n_cols; i++)
        ir_node_add_col(job, s, ds->cols[i].name, ds->cols[i].type, NULL);
    ir_node *n = ir_node_add(job, IR_OP_NORMALIZE, "NRM_QUARTERS");
    n->occurs = 2;
    ir_node_add_input(job, n, s->id);
    ir_node_add_col(job, n, "ACCOUNT", T(IR_TY_STRING, 10, 0), ir_ref(job, s->id, "ACCOUNT"));
    ir_column *amt = ir_node_add_col(job, n, "AMOUNT", T(IR_TY_DECIMAL, 12, 2), NULL);
    amt->alts = arena_alloc(job->arena, 2 * sizeof *amt->alts);
    amt->alts[0] = ir_ref(job, s->id, "Q1");
    amt->alts[1] = ir_ref(job, s->id, "Q2");
    amt->n_alts = 2;
    ir_node_add_col(job, n, "GCID_AMOUNT", T(IR_TY_INT, 0, 0), NULL)->flags |= IR_COL_GENERATED;
    ir_node_add_col(job, n, "GK_AMOUNT", T(IR_TY_BIGINT, 0, 0), NULL)->flags |= IR_COL_GENERATED;
    plain_target(job, n, "AMOUNTS");
    char *s1 = emit(job, NULL, NULL);
    CHECK_HAS(s1, "NRM_QUARTERS_INPUT AS (\n    SELECT\n        \"ACCOUNT\",\n        Q1,\n        Q2,\n"
                  "        ROW_NUMBER() OVER (ORDER BY \"ACCOUNT\", Q1, Q2) AS ETL_ROW_NUM\n    FROM SQ_QUARTERS\n");
    CHECK_HAS(s1, "NRM_QUARTERS AS (\n    SELECT\n        \"ACCOUNT\",\n        Q1 AS AMOUNT,\n"
                  "        1 AS GCID_AMOUNT,\n        ETL_ROW_NUM AS GK_AMOUNT\n    FROM NRM_QUARTERS_INPUT\n"
                  "    UNION ALL\n");
    CHECK_HAS(s1, "        Q2 AS AMOUNT,\n        2 AS GCID_AMOUNT,\n        ETL_ROW_NUM AS GK_AMOUNT\n");
    free(s1);
    ir_job_free(job);
}

/* A normalize node with a per-row count (an Ab Initio Normalize whose length is a field): a CTE
 * with the count, then FLATTEN over a generated range, every column qualified (FLATTEN has its
 * own VALUE and INDEX). */
static void test_normalize_count(void)
{
    ir_job *job = ir_job_new("m_normalize_count");
    ir_node *s = ir_node_add(job, IR_OP_SOURCE, "ORDERS");
    s->dataset = ir_intern(job, "ORDERS");
    ir_node_add_col(job, s, "ID", T(IR_TY_INT, 0, 0), NULL);
    ir_node_add_col(job, s, "N_ITEMS", T(IR_TY_INT, 0, 0), NULL);
    ir_node_add_col(job, s, "VALUE", T(IR_TY_STRING, 10, 0), NULL);
    ir_node *n = ir_node_add(job, IR_OP_NORMALIZE, "NRM_ITEMS");
    ir_node_add_input(job, n, s->id);
    n->count = ir_ref(job, s->id, "N_ITEMS");
    ir_node_add_col(job, n, "ID", T(IR_TY_INT, 0, 0), ir_ref(job, s->id, "ID"));
    ir_node_add_col(job, n, "VALUE", T(IR_TY_STRING, 10, 0), ir_ref(job, s->id, "VALUE"));
    ir_node_add_col(job, n, "ITEM_NO", T(IR_TY_INT, 0, 0), NULL)->flags |= IR_COL_GENERATED | IR_COL_OCCURRENCE;
    plain_target(job, n, "ITEMS");
    char *s1 = emit(job, NULL, NULL);
    CHECK_HAS(s1, "NRM_ITEMS_COUNTED AS (\n    SELECT\n        ID,\n        VALUE,\n        TRUNC(N_ITEMS) AS ETL_COUNT\n"
                  "    FROM ORDERS_2\n)");
    CHECK_HAS(s1, "NRM_ITEMS AS (\n    SELECT\n        i.ID,\n        i.VALUE,\n        f.INDEX + 1 AS ITEM_NO\n"
                  "    FROM NRM_ITEMS_COUNTED AS i,\n    LATERAL FLATTEN(INPUT => ARRAY_GENERATE_RANGE(0, i.ETL_COUNT)) AS f\n)");
    free(s1);
    ir_job_free(job);
}

/* Array functions: GET's VARIANT cast to the element type, ARRAY_CONTAINS guarded to the canonical
 * three-valued result (Snowflake's own is TRUE for a NULL value and a NULL element). */
static void test_arrays(void)
{
    ir_job *job = ir_job_new("m_arrays");
    ir_node *n = ir_node_add(job, IR_OP_SOURCE, "S");
    ir_node_add_col(job, n, "AR", ir_type_array(T(IR_TY_DECIMAL, 10, 2)), NULL);
    ir_node_add_col(job, n, "I", T(IR_TY_INT, 0, 0), NULL);
    ir_expr *ar = ir_ref(job, n->id, "AR"), *i = ir_ref(job, n->id, "I");
    struct {
        ir_expr *e;
        const char *want;
    } cases[] = {
        {ir_call(job, IR_FN_ARRAY_GET, 0, 2, (ir_expr *[]){ar, i}), "CAST(GET(AR, I) AS NUMBER(10,2))"},
        {ir_call(job, IR_FN_ARRAY_SIZE, 0, 1, (ir_expr *[]){ar}), "ARRAY_SIZE(AR)"},
        {ir_call(job, IR_FN_ARRAY_CONTAINS, 0, 2, (ir_expr *[]){ar, i}),
         "CASE WHEN I IS NULL OR AR IS NULL THEN NULL WHEN ARRAY_CONTAINS(I::VARIANT, AR) THEN TRUE "
         "WHEN ARRAY_CONTAINS(NULL, AR) THEN NULL ELSE FALSE END"},
        {ir_call(job, IR_FN_ARRAY_CONSTRUCT, 0, 2, (ir_expr *[]){i, ir_lit_null(job)}), "ARRAY_CONSTRUCT(I, NULL)"},
        {ir_call(job, IR_FN_ARRAY_AGG, IR_FL_DISTINCT, 1, (ir_expr *[]){i}), "ARRAY_AGG(DISTINCT I)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        strbuf sb = STRBUF_INIT;
        snowflake_backend.emit_expr(job, cases[k].e, &sb);
        CHECK_STR(sb_cstr(&sb), cases[k].want);
        sb_free(&sb);
    }
    ir_job_free(job);
}

static void test_rank_dedup_sequence_sort_union(void)
{
    ir_job *job = ir_job_new("m_window");
    ir_node *o = orders(job);
    ir_node *r = ir_node_add(job, IR_OP_RANK, "RNK_TOP_ORDERS");
    r->legacy_type = "Rank";
    ir_node_add_input(job, r, o->id);
    r->top_n = 3;
    ir_node_add_key(job, r, ir_ref(job, o->id, "CUST_ID"));
    ir_node_add_order(job, r, ir_ref(job, o->id, "AMOUNT"), true);
    ir_node_add_col(job, r, "RANKINDEX", T(IR_TY_BIGINT, 0, 0), NULL)->flags |= IR_COL_GENERATED;
    for (int i = 0; i < o->n_cols; i++)
        ir_node_add_col(job, r, o->cols[i].name, o->cols[i].type, ir_ref(job, o->id, o->cols[i].name));
    ir_node *d = ir_node_add(job, IR_OP_DEDUP, "DDP_LAST_ORDER");
    ir_node_add_input(job, d, r->id);
    d->keep_last = true;
    ir_node_add_key(job, d, ir_ref(job, r->id, "CUST_ID"));
    ir_node_add_order(job, d, ir_ref(job, r->id, "ORDER_DATE"), false);
    for (int i = 0; i < r->n_cols; i++)
        ir_node_add_col(job, d, r->cols[i].name, r->cols[i].type, ir_ref(job, r->id, r->cols[i].name));
    ir_node *q = ir_node_add(job, IR_OP_SEQUENCE, "SEQ_KEYS");
    ir_node_add_input(job, q, d->id);
    q->seq_start = 100;
    q->seq_increment = 5;
    ir_node_add_prop(job, q, "Reset", "YES"); /* starts over on every run: numbered per run */
    ir_node_add_col(job, q, "NEXTVAL", T(IR_TY_BIGINT, 0, 0), NULL)->flags |= IR_COL_GENERATED;
    ir_node_add_col(job, q, "CURRVAL", T(IR_TY_BIGINT, 0, 0), NULL)->flags |= IR_COL_GENERATED;
    ir_node_add_col(job, q, "ORDER_ID", T(IR_TY_BIGINT, 0, 0), ir_ref(job, d->id, "ORDER_ID"));
    ir_node *srt = ir_node_add(job, IR_OP_SORT, "SRT_KEYS");
    ir_node_add_input(job, srt, q->id);
    srt->distinct = true;
    ir_node_add_order(job, srt, ir_ref(job, q->id, "NEXTVAL"), true);
    srt->order[0].nulls = 2;
    for (int i = 0; i < q->n_cols; i++)
        ir_node_add_col(job, srt, q->cols[i].name, q->cols[i].type, ir_ref(job, q->id, q->cols[i].name));
    ir_node *u = ir_node_add(job, IR_OP_UNION, "UNI_ALL");
    ir_node_add_input(job, u, srt->id);
    ir_node_add_input(job, u, srt->id);
    for (int i = 0; i < srt->n_cols; i++)
        ir_node_add_col(job, u, srt->cols[i].name, srt->cols[i].type, NULL);
    plain_target(job, u, "KEYS");
    char *s = emit(job, NULL, NULL);
    /* the legacy rank index gives tied rows the same rank: RANK(), no invented tie-breakers */
    CHECK_HAS(s, "RANK() OVER (PARTITION BY CUST_ID ORDER BY AMOUNT DESC) AS RANKINDEX\n"
                 "    FROM SQ_ORDERS\n");
    CHECK_NOT(s, "ROW_NUMBER() OVER (PARTITION BY CUST_ID ORDER BY AMOUNT DESC");
    CHECK_HAS(s, "    FROM RNK_TOP_ORDERS_RANKED\n    WHERE RANKINDEX <= 3\n");
    CHECK_HAS(s, "ROW_NUMBER() OVER (PARTITION BY CUST_ID ORDER BY ORDER_DATE DESC, RANKINDEX, ORDER_ID, AMOUNT) "
                 "AS ETL_RN\n");
    CHECK_HAS(s, "    FROM DDP_LAST_ORDER_RANKED\n    WHERE ETL_RN = 1\n");
    CHECK_HAS(s, "        100 + (ROW_NUMBER() OVER (ORDER BY RANKINDEX, ORDER_ID, CUST_ID, AMOUNT, ORDER_DATE) - 1) "
                 "* 5 AS NEXTVAL,\n");
    CHECK_HAS(s, "- 1) * 5 + 5 AS CURRVAL,\n");
    CHECK_HAS(s, "SRT_KEYS AS (\n    SELECT DISTINCT\n");
    CHECK_HAS(s, "    ORDER BY NEXTVAL DESC NULLS LAST\n");
    CHECK_HAS(s, "    FROM SRT_KEYS\n    UNION ALL\n    SELECT\n");
    CHECK_NOT(s, "QUALIFY");
    free(s);
    ir_job_free(job);
}

static void test_holes(void)
{
    ir_job *job = ir_job_new("m_holes");
    job->file = ir_intern(job, "h.xml");
    ir_node *s = customers(job, "SQ_CUSTOMERS");
    s->sql = "SELECT CUST_ID, FIRST_NAME, LAST_NAME, EMAIL\nFROM CUSTOMERS /* legacy */ WHERE ROWNUM < 10";
    ir_node *p = ir_node_add(job, IR_OP_PROCEDURE, "SP_ENRICH");
    p->legacy_type = "Stored Procedure";
    p->hole_reason = "stored procedure call";
    p->legacy = "CALL ENRICH(:CUST_ID)";
    p->span.file = ir_intern(job, "h.xml");
    p->span.line = 77;
    ir_node_add_input(job, p, s->id);
    ir_node_add_col(job, p, "CUST_ID", T(IR_TY_DECIMAL, 10, 0), NULL);
    ir_node_add_col(job, p, "SCORE", T(IR_TY_DOUBLE, 0, 0), NULL);
    ir_node *x = ir_node_add(job, IR_OP_PROJECT, "EXP_SCORE");
    ir_node_add_input(job, x, p->id);
    ir_node_add_col(job, x, "CUST_ID", T(IR_TY_DECIMAL, 10, 0), ir_ref(job, p->id, "CUST_ID"));
    ir_expr *h = ir_hole(job, "METAPHONE(NAME) */ DROP TABLE X", "no canonical form");
    h->type = T(IR_TY_STRING, 20, 0);
    h->span.file = ir_intern(job, "h.xml");
    h->span.line = 90;
    ir_node_add_col(job, x, "CODE", T(IR_TY_STRING, 20, 0), h);
    plain_target(job, x, "SCORES");
    be_result r;
    char *out = emit(job, &r, NULL);
    CHECK_HAS(out, "-- Holes: 3 (marked ETLPORT HOLE below; review before running)\n");
    CHECK_HAS(out, "--   sql SQ_CUSTOMERS at crm.xml:118: SQL override in the legacy dialect\n");
    CHECK_HAS(out, "--   node SP_ENRICH at h.xml:77: stored procedure call\n");
    CHECK_HAS(out, "--   expression in EXP_SCORE.CODE at h.xml:90:");
    CHECK_HAS(out, "-- ETLPORT HOLE (sql) at crm.xml:118: SQL override in the legacy dialect, not translated\n"
                   "-- | SELECT CUST_ID, FIRST_NAME, LAST_NAME, EMAIL\n-- | FROM CUSTOMERS /* legacy */ WHERE ROWNUM < 10\n");
    CHECK_HAS(out, "        CAST(NULL AS NUMBER(10,0)) AS CUST_ID,\n");
    CHECK_HAS(out, "    WHERE FALSE\n");
    CHECK_HAS(out, "-- ETLPORT HOLE (procedure) at h.xml:77: SP_ENRICH Stored Procedure (stored procedure call)\n"
                   "-- | CALL ENRICH(:CUST_ID)\n");
    CHECK_HAS(out, "        CUST_ID,\n        CAST(NULL AS FLOAT) AS SCORE\n    FROM SQ_CUSTOMERS\n");
    CHECK_HAS(out, "CAST(NULL AS VARCHAR(20)) /* ETLPORT HOLE h.xml:90: METAPHONE(NAME) * / DROP TABLE X "
                   "(no canonical form) */ AS CODE");
    /* the legacy SQL never appears outside comments */
    for (const char *l = out; l && *l;) {
        const char *nl = strchr(l, '\n');
        if (strstr(l, "ROWNUM") && (size_t)(strstr(l, "ROWNUM") - l) < (nl ? (size_t)(nl - l) : strlen(l)))
            CHECK(strncmp(l, "--", 2) == 0);
        l = nl ? nl + 1 : NULL;
    }
    CHECK(r.holes == 3);
    free(out);
    ir_job_free(job);
}

static void test_params_header(void)
{
    ir_job *job = simple_job(IR_LOAD_APPEND);
    job->name = ir_intern(job, "m_params");
    ir_param *p = ir_job_add_param(job, "LOAD_DATE");
    p->type = T(IR_TY_STRING, 0, 0);
    p->default_value = "2024-01-31";
    ir_param *q = ir_job_add_param(job, "REGION");
    q->type = T(IR_TY_STRING, 0, 0);
    ir_param *b = ir_job_add_param(job, "BATCH");
    b->type = T(IR_TY_INT, 0, 0);
    b->default_value = "42";
    ir_node *f = NULL;
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_FILTER)
            f = job->nodes[i];
    f->predicate = ir_call2(job, IR_FN_AND, f->predicate,
                            ir_call2(job, IR_FN_NE, ir_ref(job, f->inputs[0], "EMAIL"), ir_param_ref(job, "REGION")));
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "SET LOAD_DATE = '2024-01-31';\n");
    CHECK_HAS(s, "-- SET REGION = ...; -- no legacy default: set it before running\n");
    CHECK_HAS(s, "SET BATCH = 42;\n");
    CHECK_HAS(s, "WHERE NOT (EMAIL IS NULL) AND EMAIL <> $REGION\n");
    free(s);
    ir_job_free(job);
}

static void test_names(void)
{
    ir_job *job = ir_job_new("m_names");
    ir_dataset *ds = ir_job_add_dataset(job, "ORDERS");
    ir_dataset_add_col(job, ds, "DATE", T(IR_TY_DATE, 0, 0));
    ir_dataset_add_col(job, ds, "Order Id", T(IR_TY_INT, 0, 0));
    ir_node *s = ir_node_add(job, IR_OP_SOURCE, "ORDERS");
    s->dataset = ds->name;
    for (int i = 0; i < ds->n_cols; i++)
        ir_node_add_col(job, s, ds->cols[i].name, ds->cols[i].type, NULL);
    ir_node *a = ir_node_add(job, IR_OP_PROJECT, "EXP-1");
    ir_node_add_input(job, a, s->id);
    ir_node_add_col(job, a, "DATE", T(IR_TY_DATE, 0, 0), ir_ref(job, s->id, "DATE"));
    ir_node *b = ir_node_add(job, IR_OP_PROJECT, "EXP_1");
    ir_node_add_input(job, b, a->id);
    ir_node_add_col(job, b, "DATE", T(IR_TY_DATE, 0, 0), ir_ref(job, a->id, "DATE"));
    plain_target(job, b, "OUT");
    char *out = emit(job, NULL, NULL);
    CHECK_HAS(out, "ORDERS_2 AS (\n    SELECT\n        \"DATE\",\n        \"Order Id\"\n    FROM ORDERS\n");
    CHECK_HAS(out, "EXP_1 AS (\n");
    CHECK_HAS(out, "EXP_1_2 AS (\n");
    CHECK_HAS(out, "    \"DATE\" DATE\n");
    free(out);
    ir_job_free(job);
}

static void test_no_target(void)
{
    ir_job *job = ir_job_new("m_empty");
    customers(job, "SQ_CUSTOMERS");
    int rc = 0;
    strbuf sb = STRBUF_INIT;
    be_result r = {0};
    diag_ctx dc;
    int errs = 0;
    diag_init(&dc, NULL, NULL);
    (void)errs;
    rc = snowflake_backend.emit_job(job, NULL, &sb, &r, &dc);
    CHECK(rc == -1);
    CHECK(dc.n_errors == 1);
    sb_free(&sb);
    ir_job_free(job);
}

/* Window nodes: one CTE, each window column with its own OVER clause; a frame only on the
 * functions that read one; NULL placement kept; no order keys: an invented, flagged order. */
static ir_job *window_job(void)
{
    ir_job *job = ir_job_new("m_window_fns");
    ir_node *o = orders(job);
    ir_node *w = ir_node_add(job, IR_OP_WINDOW, "WIN_RUNNING");
    ir_node_add_input(job, w, o->id);
    ir_node_add_key(job, w, ir_ref(job, o->id, "CUST_ID"));
    ir_node_add_order(job, w, ir_ref(job, o->id, "ORDER_DATE"), false);
    w->order[0].nulls = 1;
    ir_node_add_order(job, w, ir_ref(job, o->id, "ORDER_ID"), true);
    w->order[1].nulls = 2;
    w->frame = (ir_frame){IR_FRAME_ROWS, {IR_BOUND_PRECEDING, 2}, {IR_BOUND_CURRENT_ROW, 0}};
    for (int i = 0; i < o->n_cols; i++)
        ir_node_add_col(job, w, o->cols[i].name, o->cols[i].type, ir_ref(job, o->id, o->cols[i].name));
    ir_expr *amt = ir_ref(job, o->id, "AMOUNT");
    ir_node_add_col(job, w, "RUNNING_3", T(IR_TY_DECIMAL, 38, 2), ir_call1(job, IR_FN_SUM, amt));
    ir_node_add_col(job, w, "RN", T(IR_TY_BIGINT, 0, 0), ir_call(job, IR_FN_ROW_NUMBER, 0, 0, NULL));
    ir_node_add_col(job, w, "RK", T(IR_TY_BIGINT, 0, 0), ir_call(job, IR_FN_RANK, 0, 0, NULL));
    ir_node_add_col(job, w, "PREV_AMOUNT", T(IR_TY_DECIMAL, 12, 2),
                    ir_call3(job, IR_FN_LAG, amt, ir_lit_int(job, 1), ir_lit(job, IR_LIT_DECIMAL, "0.00")));
    ir_node_add_col(job, w, "FIRST_AMOUNT", T(IR_TY_DECIMAL, 12, 2),
                    ir_call(job, IR_FN_FIRST_VALUE, IR_FL_IGNORE_NULLS, 1, &amt));
    ir_node_add_col(job, w, "N_ORDERS", T(IR_TY_BIGINT, 0, 0), ir_call(job, IR_FN_COUNT_STAR, 0, 0, NULL));
    /* the default frame, partition only: whole-partition aggregates; carry-forward with last_value */
    ir_node *w2 = ir_node_add(job, IR_OP_WINDOW, "WIN_TOTALS");
    ir_node_add_input(job, w2, w->id);
    ir_node_add_key(job, w2, ir_ref(job, w->id, "CUST_ID"));
    for (int i = 0; i < w->n_cols; i++)
        ir_node_add_col(job, w2, w->cols[i].name, w->cols[i].type, ir_ref(job, w->id, w->cols[i].name));
    ir_node_add_col(job, w2, "CUST_TOTAL", T(IR_TY_DECIMAL, 38, 2), ir_call1(job, IR_FN_SUM, ir_ref(job, w->id, "AMOUNT")));
    ir_expr *pa = ir_ref(job, w->id, "PREV_AMOUNT");
    ir_node_add_col(job, w2, "LAST_PREV", T(IR_TY_DECIMAL, 12, 2), ir_call(job, IR_FN_LAST_VALUE, IR_FL_IGNORE_NULLS, 1, &pa));
    /* a running total in range units, and dense_rank / ntile / lead with a computed default */
    ir_node *w3 = ir_node_add(job, IR_OP_WINDOW, "WIN_RANGE");
    ir_node_add_input(job, w3, w2->id);
    ir_node_add_order(job, w3, ir_ref(job, w2->id, "AMOUNT"), true);
    w3->frame = (ir_frame){IR_FRAME_RANGE, {IR_BOUND_UNBOUNDED_PRECEDING, 0}, {IR_BOUND_UNBOUNDED_FOLLOWING, 0}};
    for (int i = 0; i < w2->n_cols; i++)
        ir_node_add_col(job, w3, w2->cols[i].name, w2->cols[i].type, ir_ref(job, w2->id, w2->cols[i].name));
    ir_node_add_col(job, w3, "MAX_ALL", T(IR_TY_DECIMAL, 12, 2), ir_call1(job, IR_FN_MAX, ir_ref(job, w2->id, "AMOUNT")));
    ir_node_add_col(job, w3, "DRK", T(IR_TY_BIGINT, 0, 0), ir_call(job, IR_FN_DENSE_RANK, 0, 0, NULL));
    ir_node_add_col(job, w3, "QUARTILE", T(IR_TY_BIGINT, 0, 0), ir_call1(job, IR_FN_NTILE, ir_lit_int(job, 4)));
    ir_node_add_col(job, w3, "NEXT_AMOUNT", T(IR_TY_DECIMAL, 12, 2),
                    ir_call3(job, IR_FN_LEAD, ir_ref(job, w2->id, "AMOUNT"), ir_lit_int(job, 2),
                             ir_ref(job, w2->id, "AMOUNT")));
    ir_node_add_col(job, w3, "PREV_OR_ZERO", T(IR_TY_DECIMAL, 12, 2),
                    ir_call2(job, IR_FN_COALESCE, ir_call1(job, IR_FN_LAG, ir_ref(job, w2->id, "AMOUNT")),
                             ir_lit_int(job, 0)));
    plain_target(job, w3, "ORDER_WINDOWS");
    return job;
}

static void test_window(void)
{
    ir_job *job = window_job();
    be_result r;
    int rc = -1;
    char *s = emit(job, &r, &rc);
    CHECK(rc == 0);
    CHECK(r.unsupported == 0 && r.holes == 0);
    const char *over = " OVER (PARTITION BY CUST_ID ORDER BY ORDER_DATE ASC NULLS FIRST, ORDER_ID DESC NULLS LAST";
    char want[512];
    CHECK_HAS(s, "WIN_RUNNING AS (\n    SELECT\n        ORDER_ID,\n        CUST_ID,\n");
    snprintf(want, sizeof want, "        SUM(AMOUNT)%s ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS RUNNING_3,\n", over);
    CHECK_HAS(s, want);
    /* rank-related functions and LAG/LEAD take no frame */
    snprintf(want, sizeof want, "        ROW_NUMBER()%s) AS RN,\n", over);
    CHECK_HAS(s, want);
    snprintf(want, sizeof want, "        RANK()%s) AS RK,\n", over);
    CHECK_HAS(s, want);
    snprintf(want, sizeof want, "        LAG(AMOUNT, 1, 0.00)%s) AS PREV_AMOUNT,\n", over);
    CHECK_HAS(s, want);
    snprintf(want, sizeof want,
             "        FIRST_VALUE(AMOUNT) IGNORE NULLS%s ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS FIRST_AMOUNT,\n", over);
    CHECK_HAS(s, want);
    snprintf(want, sizeof want, "        COUNT(*)%s ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS N_ORDERS\n"
                                "    FROM SQ_ORDERS\n", over);
    CHECK_HAS(s, want);
    CHECK_HAS(s, "-- window: 1 partition key(s), 2 order key(s); rows between 2 preceding and current row");
    /* no order keys: the default frame is the whole partition; last_value needs an order */
    CHECK_HAS(s, "        SUM(AMOUNT) OVER (PARTITION BY CUST_ID) AS CUST_TOTAL,\n");
    CHECK_HAS(s, "        LAST_VALUE(PREV_AMOUNT) IGNORE NULLS OVER (PARTITION BY CUST_ID ORDER BY ORDER_ID, AMOUNT, "
                 "ORDER_DATE, RUNNING_3, RN, RK, PREV_AMOUNT, FIRST_AMOUNT, N_ORDERS ROWS BETWEEN UNBOUNDED PRECEDING "
                 "AND UNBOUNDED FOLLOWING) /* ETLPORT ORDER-DEPENDENT");
    CHECK_HAS(s, "        MAX(AMOUNT) OVER (ORDER BY AMOUNT DESC RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) "
                 "AS MAX_ALL,\n");
    CHECK_HAS(s, "        DENSE_RANK() OVER (ORDER BY AMOUNT DESC) AS DRK,\n");
    CHECK_HAS(s, "        NTILE(4) OVER (ORDER BY AMOUNT DESC) AS QUARTILE,\n");
    CHECK_HAS(s, "        LEAD(AMOUNT, 2, AMOUNT) OVER (ORDER BY AMOUNT DESC) AS NEXT_AMOUNT,\n");
    CHECK_HAS(s, "        COALESCE(LAG(AMOUNT) OVER (ORDER BY AMOUNT DESC), 0) AS PREV_OR_ZERO\n");
    CHECK_NOT(s, "ETLPORT UNSUPPORTED");
    /* deterministic */
    char *again = emit(job, NULL, NULL);
    CHECK_STR(s, again);
    free(again);
    free(s);

    /* what cannot be written is a marked, counted placeholder */
    job->name = ir_intern(job, "m_window_fns_unsupported");
    ir_node *w = ir_job_node(job, 2);
    w->frame = (ir_frame){IR_FRAME_RANGE, {IR_BOUND_PRECEDING, 5}, {IR_BOUND_CURRENT_ROW, 0}};
    ir_node_add_col(job, w, "MED", T(IR_TY_DOUBLE, 0, 0), ir_call1(job, IR_FN_MEDIAN, ir_ref(job, 1, "AMOUNT")));
    ir_node_add_col(job, w, "NT", T(IR_TY_BIGINT, 0, 0), ir_call1(job, IR_FN_NTILE, ir_ref(job, 1, "AMOUNT")));
    s = emit(job, &r, &rc);
    CHECK(r.unsupported == 5); /* two frame-reading calls need one order key, median, ntile(column) */
    CHECK_HAS(s, "/* ETLPORT UNSUPPORTED sum: a RANGE frame with offsets needs exactly one order key */");
    CHECK_HAS(s, "/* ETLPORT UNSUPPORTED ntile: NTILE needs a positive integer literal */");
    free(s);
    ir_job_free(job);
}

/* Every canonical function is rendered or listed as unsupported with a reason. */
static void test_function_coverage(void)
{
    ir_job *job = ir_job_new("m_cov");
    ir_node *n = ir_node_add(job, IR_OP_SOURCE, "S");
    ir_node_add_col(job, n, "S", T(IR_TY_STRING, 10, 0), NULL);
    ir_node_add_col(job, n, "D", T(IR_TY_TIMESTAMP, 9, 0), NULL);
    ir_node_add_col(job, n, "X", T(IR_TY_DECIMAL, 12, 2), NULL);
    for (int f = 0; f < IR_FN__COUNT; f++) {
        const ir_fn_info *fi = ir_fn_get((ir_fn)f);
        int supported = snowflake_backend.supports_fn((ir_fn)f);
        const char *why = snow_fn_unsupported_reason((ir_fn)f);
        CHECK(supported == (why == NULL));
        if (why)
            CHECK(strlen(why) > 10);
        /* a call with the minimum argument count renders without crashing; supported functions
         * render without a placeholder */
        int na = fi->min_args;
        ir_expr *args[4];
        for (int i = 0; i < na && i < 4; i++) {
            const char *col = "X";
            switch ((ir_fn)f) {
            case IR_FN_DATE_ADD: case IR_FN_DATE_DIFF: case IR_FN_DATE_COMPARE: case IR_FN_DATE_PART:
            case IR_FN_DATE_SET_PART: case IR_FN_LAST_DAY: case IR_FN_DATE_TRUNC: case IR_FN_DATE_ROUND:
            case IR_FN_TO_CHAR:
                col = "D";
                break;
            case IR_FN_CONCAT: case IR_FN_LTRIM: case IR_FN_RTRIM: case IR_FN_TRIM: case IR_FN_UPPER:
            case IR_FN_LOWER: case IR_FN_INITCAP: case IR_FN_SUBSTR: case IR_FN_INSTR: case IR_FN_LENGTH:
            case IR_FN_REPLACE_CHARS: case IR_FN_REPLACE_STR: case IR_FN_REGEXP_EXTRACT: case IR_FN_REGEXP_LIKE:
            case IR_FN_REGEXP_REPLACE: case IR_FN_IS_SPACES: case IR_FN_IS_NUMBER: case IR_FN_IS_DATE:
            case IR_FN_TO_DATE: case IR_FN_MD5: case IR_FN_REVERSE: case IR_FN_ASCII:
                col = "S";
                break;
            default: break;
            }
            args[i] = ir_ref(job, n->id, col);
        }
        if (f == IR_FN_DATE_ADD || f == IR_FN_DATE_SET_PART) {
            args[1] = ir_lit_str(job, "month");
            args[2] = ir_lit_int(job, 1);
        }
        if (f == IR_FN_DATE_DIFF)
            args[2] = ir_lit_str(job, "day");
        if (f == IR_FN_DATE_PART || f == IR_FN_DATE_TRUNC || f == IR_FN_DATE_ROUND)
            args[1] = ir_lit_str(job, "month");
        if (f == IR_FN_REPLACE_CHARS || f == IR_FN_REPLACE_STR) {
            args[1] = ir_lit_str(job, "ab");
            args[2] = ir_lit_str(job, "c");
        }
        if (f == IR_FN_STRING_AGG_ORDERED)
            args[1] = ir_lit_str(job, ","); /* the separator and a key's direction are literals */
        if (f == IR_FN_SEQ_NEXT)
            args[0] = ir_lit_str(job, "dw.dim_seq"); /* a sequence is named */
        if (f == IR_FN_STRING_AGG_ORDERED || f == IR_FN_ARRAY_AGG_ORDERED)
            args[na - 1] = ir_lit_str(job, "asc nulls first");
        if (f == IR_FN_ARRAY_SORT)
            args[1] = ir_lit_str(job, "desc nulls first"); /* the direction is a literal */
        ir_expr *e = ir_call(job, (ir_fn)f, 0, na, args);
        if (f == IR_FN_CAST || f == IR_FN_TRY_CAST)
            e->type = T(IR_TY_STRING, 5, 0);
        strbuf sb = STRBUF_INIT;
        int rc = snowflake_backend.emit_expr(job, e, &sb);
        if (supported && ir_fn_is_window((ir_fn)f)) {
            /* outside a window node (emit_expr has none): a marked placeholder; test_window renders
             * each in a window node */
            CHECK(rc == -1);
            CHECK(strstr(sb_cstr(&sb), "ETLPORT UNSUPPORTED") != NULL);
            CHECK(strstr(sb_cstr(&sb), "window node") != NULL);
        } else if (supported) {
            if (rc != 0 || strstr(sb_cstr(&sb), "ETLPORT UNSUPPORTED"))
                fprintf(stderr, "function %s: %s\n", fi->name, sb_cstr(&sb));
            CHECK(rc == 0);
            /* first/last are rendered, flagged as order-dependent */
            CHECK(!strstr(sb_cstr(&sb), "ETLPORT") ||
                  ((f == IR_FN_FIRST || f == IR_FN_LAST) && strstr(sb_cstr(&sb), "ETLPORT ORDER-DEPENDENT")));
        } else {
            CHECK(rc == -1);
            CHECK(strstr(sb_cstr(&sb), "ETLPORT UNSUPPORTED") != NULL);
        }
        sb_free(&sb);
    }
    ir_job_free(job);
}

/* A few expression mappings whose Snowflake form restores a canonical flag. */
static void test_expr_flags(void)
{
    ir_job *job = ir_job_new("m_flags");
    ir_node *n = ir_node_add(job, IR_OP_SOURCE, "S");
    ir_node_add_col(job, n, "S", T(IR_TY_STRING, 10, 0), NULL);
    ir_node_add_col(job, n, "N", T(IR_TY_INT, 0, 0), NULL);
    ir_node_add_col(job, n, "D", T(IR_TY_TIMESTAMP, 9, 0), NULL);
    struct {
        ir_expr *e;
        const char *want;
    } cases[16];
    int k = 0;
    ir_expr *s = ir_ref(job, n->id, "S"), *num = ir_ref(job, n->id, "N"), *d = ir_ref(job, n->id, "D");
    ir_expr *sub_args[3] = {s, num, ir_lit_int(job, 2)};
    cases[k].e = ir_call(job, IR_FN_SUBSTR, 0, 3, sub_args);
    cases[k++].want = "SUBSTR(S, GREATEST(N, 1), GREATEST(N + 2, 1) - GREATEST(N, 1))";
    cases[k].e = ir_call(job, IR_FN_SUBSTR, IR_FL_POS_ZERO_IS_ONE | IR_FL_NEG_FROM_END, 3, sub_args);
    cases[k++].want = "SUBSTR(S, N, 2)";
    ir_expr *dec[4] = {s, ir_lit_null(job), ir_lit_str(job, "none"), ir_lit_str(job, "some")};
    cases[k].e = ir_call(job, IR_FN_DECODE, 0, 4, dec);
    cases[k++].want = "CASE S WHEN NULL THEN 'none' ELSE 'some' END";
    cases[k].e = ir_call(job, IR_FN_EQ, IR_FL_BLANK_PADDED, 2, (ir_expr *[]){s, ir_lit_str(job, "AB  ")});
    cases[k++].want = "RTRIM(S) = 'AB'";
    cases[k].e = ir_call(job, IR_FN_DIV, 0, 2, (ir_expr *[]){num, num});
    cases[k++].want = "N / NULLIF(N, 0)";
    cases[k].e = ir_call(job, IR_FN_DIV, IR_FL_INT_DIVISION, 2, (ir_expr *[]){num, ir_lit_int(job, 4)});
    cases[k++].want = "TRUNC(N / 4)";
    cases[k].e = ir_call(job, IR_FN_REGEXP_LIKE, 0, 2, (ir_expr *[]){s, ir_lit_str(job, "a+")});
    cases[k++].want = "REGEXP_INSTR(S, 'a+') > 0";
    cases[k].e = ir_call(job, IR_FN_ADD, 0, 2, (ir_expr *[]){d, ir_lit_int(job, 1)});
    cases[k++].want = "DATEADD(day, 1, D)";
    cases[k].e = ir_call(job, IR_FN_DATE_DIFF, 0, 3, (ir_expr *[]){d, d, ir_lit_str(job, "month")});
    cases[k++].want = "MONTHS_BETWEEN(D, D)";
    cases[k].e = ir_call(job, IR_FN_TO_CHAR, 0, 2, (ir_expr *[]){d, ir_lit_str(job, "YYYY-DDD DAY")});
    cases[k++].want = "TO_CHAR(D, 'YYYY-') || LPAD(DAYOFYEAR(D), 3, '0') || TO_CHAR(D, ' ') || "
                      "DECODE(DAYOFWEEKISO(D), 1, 'Monday', 2, 'Tuesday', 3, 'Wednesday', 4, 'Thursday', "
                      "5, 'Friday', 6, 'Saturday', 7, 'Sunday')";
    cases[k].e = ir_call(job, IR_FN_LAST_DAY, 0, 1, (ir_expr *[]){d});
    cases[k++].want = "DATEADD(day, DATEDIFF(day, D, LAST_DAY(D)), D)";
    cases[k].e = ir_call(job, IR_FN_NEG, 0, 1, (ir_expr *[]){ir_lit_int(job, -3)});
    cases[k++].want = "-(-3)";
    cases[k].e = ir_call(job, IR_FN_SUB, 0, 2, (ir_expr *[]){num, ir_lit_int(job, -3)});
    cases[k++].want = "N - (-3)";
    for (int i = 0; i < k; i++) {
        strbuf sb = STRBUF_INIT;
        snowflake_backend.emit_expr(job, cases[i].e, &sb);
        CHECK_STR(sb_cstr(&sb), cases[i].want);
        sb_free(&sb);
    }
    ir_job_free(job);
}

/* Defects found reviewing the sample jobs' scripts (one job per defect, each fails without the fix). */

/* A join column that reads another column of the same join (#3.X1 <- #3.X_1): the sibling's
 * expression is written in its place (qualified), never the bare alias. */
static void test_self_reference(void)
{
    ir_job *job = join_job(IR_JOIN_INNER);
    ir_node *j = NULL;
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_JOIN)
            j = job->nodes[i];
    ir_node_add_col(job, j, "CUST_ID_1", T(IR_TY_DECIMAL, 10, 0), ir_ref(job, j->inputs[1], "CUST_ID"));
    ir_node_add_col(job, j, "CUST_ID1", T(IR_TY_DECIMAL, 10, 0), ir_ref(job, j->id, "CUST_ID_1"));
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "        SQ_CUSTOMERS.CUST_ID AS CUST_ID1\n");
    CHECK_NOT(s, "CUST_ID_1 AS CUST_ID1");
    free(s);
    ir_job_free(job);
}

/* A procedure hole whose output ports are renamed input ports keeps the data flow. */
static void test_procedure_renames(void)
{
    ir_job *job = ir_job_new("m_proc");
    ir_node *o = orders(job);
    ir_node *p = ir_node_add(job, IR_OP_PROCEDURE, "CT_MASK");
    p->legacy_type = "Custom Transformation";
    ir_node_add_input(job, p, o->id);
    ir_node_add_col(job, p, "ID", T(IR_TY_BIGINT, 0, 0), ir_ref(job, o->id, "ORDER_ID"));
    ir_expr *h = ir_hole(job, "MASKED", "custom transformation");
    h->type = T(IR_TY_STRING, 19, 0);
    ir_node_add_col(job, p, "MASKED", T(IR_TY_STRING, 19, 0), h);
    ir_node_add_col(job, p, "AMOUNT", T(IR_TY_DECIMAL, 12, 2), NULL);
    plain_target(job, p, "MASKED_ORDERS");
    be_result r;
    char *s = emit(job, &r, NULL);
    CHECK_HAS(s, "        ORDER_ID AS ID,\n        CAST(NULL AS VARCHAR(19)) /* ETLPORT HOLE MASKED (custom "
                 "transformation) */ AS MASKED,\n        AMOUNT\n    FROM SQ_ORDERS\n");
    CHECK(r.holes == 2); /* the node and its expression, as the header counts them */
    CHECK_HAS(s, "-- Holes: 2 ");
    free(s);
    ir_job_free(job);
}

/* First/last lookups order the cache by the condition columns first: the "last" rate with
 * RATE_DATE <= VALUE_DATE is the latest date, not the highest rate. */
static void test_lookup_condition_order(void)
{
    ir_job *job = ir_job_new("m_fx");
    ir_node *o = orders(job);
    ir_node *l = ir_node_add(job, IR_OP_SOURCE, "LKP_FX_SRC");
    l->dataset = ir_intern(job, "FX");
    ir_node_add_col(job, l, "RATE", T(IR_TY_DECIMAL, 18, 8), NULL);
    ir_node_add_col(job, l, "CCY", T(IR_TY_DECIMAL, 10, 0), NULL);
    ir_node_add_col(job, l, "RATE_DATE", T(IR_TY_DATE, 0, 0), NULL);
    ir_node *k = ir_node_add(job, IR_OP_LOOKUP, "LKP_FX");
    k->match = IR_MATCH_LAST;
    ir_node_add_input(job, k, o->id);
    ir_node_add_input(job, k, l->id);
    k->predicate = ir_call2(job, IR_FN_AND, ir_call2(job, IR_FN_EQ, ir_ref(job, l->id, "CCY"), ir_ref(job, o->id, "CUST_ID")),
                            ir_call2(job, IR_FN_LE, ir_ref(job, l->id, "RATE_DATE"), ir_ref(job, o->id, "ORDER_DATE")));
    ir_node_add_col(job, k, "ORDER_ID", T(IR_TY_BIGINT, 0, 0), ir_ref(job, o->id, "ORDER_ID"));
    ir_node_add_col(job, k, "RATE", T(IR_TY_DECIMAL, 18, 8), ir_ref(job, l->id, "RATE"));
    plain_target(job, k, "ORDER_FX");
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "ORDER BY LKP_FX_SRC.CCY DESC, LKP_FX_SRC.RATE_DATE DESC, LKP_FX_SRC.RATE DESC) AS ETL_RN");
    free(s);
    ir_job_free(job);
    job = lookup_job(IR_MATCH_FIRST, 0);
    ir_node *lk = NULL;
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_LOOKUP)
            lk = job->nodes[i];
    lk->predicate = ir_call2(job, IR_FN_EQ, ir_ref(job, lk->inputs[0], "CUST_ID"), ir_ref(job, lk->inputs[1], "EMAIL"));
    s = emit(job, NULL, NULL);
    CHECK_HAS(s, "ROW_NUMBER() OVER (PARTITION BY EMAIL ORDER BY EMAIL ASC, CUST_ID ASC, FIRST_NAME ASC");
    free(s);
    ir_job_free(job);
}

/* An Aggregator without group-by ports returns no row for an empty input; SQL returns one. */
static void test_aggregate_no_keys(void)
{
    ir_job *job = ir_job_new("m_total");
    ir_node *o = orders(job);
    ir_node *a = ir_node_add(job, IR_OP_AGGREGATE, "AGG_TOTAL");
    ir_node_add_input(job, a, o->id);
    ir_node_add_col(job, a, "TOTAL", T(IR_TY_DECIMAL, 18, 2),
                    ir_call(job, IR_FN_SUM, 0, 1, (ir_expr *[]){ir_ref(job, o->id, "AMOUNT")}));
    plain_target(job, a, "TOTALS");
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "AGG_TOTAL_ALL AS (\n    SELECT\n        SUM(AMOUNT) AS TOTAL,\n        COUNT(*) AS ETL_ROWS\n"
                 "    FROM SQ_ORDERS\n),\nAGG_TOTAL AS (\n    SELECT\n        TOTAL\n    FROM AGG_TOTAL_ALL\n"
                 "    WHERE ETL_ROWS > 0\n)");
    free(s);
    ir_job_free(job);
}

/* Date/time parameters in PowerCenter's MM/DD/YYYY form are set as ISO text, which Snowflake reads
 * whatever the session's input format. */
static void test_temporal_params(void)
{
    ir_job *job = simple_job(IR_LOAD_APPEND);
    ir_param *p = ir_job_add_param(job, "LAST_TS");
    p->type = T(IR_TY_TIMESTAMP, 9, 0);
    p->default_value = "01/31/2000 23:05:00";
    ir_param *p2 = ir_job_add_param(job, "FRAC_TS");
    p2->type = T(IR_TY_TIMESTAMP, 9, 0);
    p2->default_value = "12/01/1999 7:05:09.5";
    ir_param *q = ir_job_add_param(job, "FROM_DATE");
    q->type = T(IR_TY_DATE, 0, 0);
    q->default_value = "1/5/2024";
    ir_param *r = ir_job_add_param(job, "ISO_TS");
    r->type = T(IR_TY_TIMESTAMP, 9, 0);
    r->default_value = "2024-01-31 10:00:00.123";
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "SET LAST_TS = '2000-01-31 23:05:00';\n");
    CHECK_HAS(s, "SET FROM_DATE = '2024-01-05';\n");
    CHECK_HAS(s, "SET ISO_TS = '2024-01-31 10:00:00.123';\n");
    CHECK_HAS(s, "SET FRAC_TS = '1999-12-01 07:05:09.5';\n");
    free(s);
    ir_job_free(job);
}

/* A merge without a row-operation column (plain upsert) still keeps one source row per key. */
static void test_merge_upsert_dedup(void)
{
    ir_job *job = simple_job(IR_LOAD_MERGE);
    ir_node *t = NULL;
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_TARGET)
            t = job->nodes[i];
    t->merge_keys = arena_alloc(job->arena, sizeof *t->merge_keys);
    t->merge_keys[0] = ir_intern(job, "CUST_ID");
    t->n_merge_keys = 1;
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "ROW_NUMBER() OVER (PARTITION BY CUST_ID ORDER BY FULL_NAME, EMAIL) AS ETL_RN\n");
    CHECK_HAS(s, "WHERE ETL_RN = 1 OR CUST_ID IS NULL\n) AS s\nON t.CUST_ID = s.CUST_ID\n");
    CHECK_NOT(s, "IN (0, 1, 2)");
    free(s);
    ir_job_free(job);
}

/* Expression mappings: INITCAP's word delimiters, REPLACESTR with CHR() search strings. */
static void test_review_exprs(void)
{
    ir_job *job = ir_job_new("m_exprs");
    ir_node *n = ir_node_add(job, IR_OP_SOURCE, "S");
    ir_node_add_col(job, n, "S", T(IR_TY_STRING, 10, 0), NULL);
    ir_expr *s = ir_ref(job, n->id, "S");
    struct {
        ir_expr *e;
        const char *want;
    } cases[4];
    int k = 0;
    cases[k].e = ir_call1(job, IR_FN_INITCAP, s);
    cases[k++].want = "INITCAP(S, ' \\t\\n\\r\\f!\"#$%&''()*+,-./:;<=>?@[\\\\]^_`{|}~')";
    ir_expr *rs[4] = {s, ir_call1(job, IR_FN_CHR, ir_lit_int(job, 13)), ir_call1(job, IR_FN_CHR, ir_lit_int(job, 10)),
                      ir_lit_str(job, " ")};
    cases[k].e = ir_call(job, IR_FN_REPLACE_STR, 0, 4, rs);
    cases[k++].want = "REGEXP_REPLACE(S, '\\r|\\n', ' ')";
    ir_expr *rs2[4] = {s, ir_lit_str(job, "a.b"), ir_lit_null(job), ir_lit_str(job, "x")};
    cases[k].e = ir_call(job, IR_FN_REPLACE_STR, 0, 4, rs2);
    cases[k++].want = "REGEXP_REPLACE(S, 'a\\\\.b', 'x')";
    for (int i = 0; i < k; i++) {
        strbuf sb = STRBUF_INIT;
        int rc = snowflake_backend.emit_expr(job, cases[i].e, &sb);
        CHECK(rc == 0);
        CHECK_STR(sb_cstr(&sb), cases[i].want);
        sb_free(&sb);
    }
    ir_job_free(job);
}

/* Reserved words (searched by bisection) must be quoted wherever they sit in the table, in any
 * case; ordinary names stay plain. */
static void test_reserved_words(void)
{
    const char *reserved[] = {"ACCOUNT", "all", "Case", "CURRENT_DATE", "CURRENT_TIMESTAMP", "current",
                              "GSCLUSTER", "ilike", "LOCALTIMESTAMP", "MERGE", "qualify", "TRY_CAST",
                              "TRUE", "WHENEVER", "WITH", "window"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        CHECK(!snow_ident_plain(reserved[i]));
    const char *plain[] = {"A", "ACCOUNT_ID", "CURRENT_FLAG", "TRUE_VALUE", "WITHDRAWAL", "ZZZ", "_X"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        CHECK(snow_ident_plain(plain[i]));
}

/* A sequence without Reset keeps counting between runs (the legacy Current Value lives in the
 * repository): a Snowflake SEQUENCE created once from the Current Value, NEXTVAL drawn from it,
 * CURRVAL = NEXTVAL + increment; no per-run numbering that would repeat keys on the next run. */
static void test_sequence_persists(void)
{
    ir_job *job = ir_job_new("m_keys");
    ir_node *src = customers(job, "SQ_CUSTOMERS");
    ir_node *q = ir_node_add(job, IR_OP_SEQUENCE, "SEQ_SK");
    ir_node_add_input(job, q, src->id);
    q->seq_start = 1000001;
    q->seq_increment = 2;
    ir_node_add_prop(job, q, "Reset", "NO");
    ir_node_add_col(job, q, "NEXTVAL", T(IR_TY_BIGINT, 0, 0), NULL)->flags |= IR_COL_GENERATED;
    ir_node_add_col(job, q, "CURRVAL", T(IR_TY_BIGINT, 0, 0), NULL)->flags |= IR_COL_GENERATED;
    ir_node_add_col(job, q, "CUST_ID", T(IR_TY_DECIMAL, 10, 0), ir_ref(job, src->id, "CUST_ID"));
    ir_node_add_col(job, q, "EMAIL", T(IR_TY_STRING, 120, 0), ir_ref(job, src->id, "EMAIL"));
    dim_target(job, q, IR_LOAD_APPEND);
    char *s = emit(job, NULL, NULL);
    CHECK_HAS(s, "CREATE SEQUENCE IF NOT EXISTS ETL_SEQ_m_keys_SEQ_SK START WITH 1000001 INCREMENT BY 2;\n");
    CHECK_HAS(s, "SEQ_SK_NEXT AS (\n    SELECT\n        ETL_SEQ_m_keys_SEQ_SK.NEXTVAL AS ETL_NEXTVAL,\n");
    CHECK_HAS(s, "        ETL_NEXTVAL AS NEXTVAL,\n        ETL_NEXTVAL + 2 AS CURRVAL,\n");
    CHECK_HAS(s, "    FROM SEQ_SK_NEXT\n");
    CHECK(strstr(s, "ROW_NUMBER() OVER") == NULL);
    free(s);
    ir_job_free(job);
}

int main(void)
{
    RUN(test_reserved_words);
    RUN(test_simple_golden);
    RUN(test_determinism);
    RUN(test_overwrite);
    RUN(test_merge);
    RUN(test_joins);
    RUN(test_aggregate);
    RUN(test_router);
    RUN(test_lookup);
    RUN(test_normalize);
    RUN(test_normalize_count);
    RUN(test_arrays);
    RUN(test_rank_dedup_sequence_sort_union);
    RUN(test_sequence_persists);
    RUN(test_holes);
    RUN(test_params_header);
    RUN(test_names);
    RUN(test_no_target);
    RUN(test_window);
    RUN(test_function_coverage);
    RUN(test_expr_flags);
    RUN(test_self_reference);
    RUN(test_procedure_renames);
    RUN(test_lookup_condition_order);
    RUN(test_aggregate_no_keys);
    RUN(test_temporal_params);
    RUN(test_merge_upsert_dedup);
    RUN(test_review_exprs);
    return TEST_SUMMARY();
}
