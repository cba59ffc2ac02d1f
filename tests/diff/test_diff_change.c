/* test_diff_change.c — the change-report engine (lineage/diff_change.h) on jobs built in code:
 * renames and reorders are not changes, each kind of change is reported once with its canonical
 * text, matching by structure, the JSON and Markdown renderings, argument checks. */
#include "lineage/diff_change.h"
#include "tests/testlib.h"

#include <string.h>

/* Options of one version of the job "m_orders": a source ORDERS, an Expression, a filter, a
 * target DWH.ORDERS_OUT. */
typedef struct version {
    const char *job;       /* job name */
    const char *exp_name;  /* the Expression's name */
    const char *port;      /* the Expression's output port for the net amount */
    const char *flt_name;  /* the filter's name */
    long long min_amount;  /* filter: AMOUNT > min_amount */
    long long fee;         /* NET = AMOUNT - fee */
    bool reorder;          /* Expression ports in the other order */
    bool extra_col;        /* the target also writes STATUS */
    bool swap_operands;    /* the filter written as min_amount < AMOUNT */
    const char *format;    /* frontend name */
} version;

static ir_job *build(const version *v)
{
    ir_job *j = ir_job_new(v->job);
    j->format = ir_intern(j, v->format ? v->format : "informatica");
    j->file = ir_intern(j, "orders.XML");
    ir_node *src = ir_node_add(j, IR_OP_SOURCE, "SQ_ORDERS");
    src->dataset = ir_intern(j, "SALES.ORDERS");
    ir_node_add_col(j, src, "ORDER_ID", ir_type_make(IR_TY_INT, 0, 0), NULL);
    ir_node_add_col(j, src, "AMOUNT", ir_type_make(IR_TY_DECIMAL, 12, 2), NULL);
    ir_node_add_col(j, src, "STATUS", ir_type_make(IR_TY_STRING, 1, 0), NULL);

    ir_node *exp = ir_node_add(j, IR_OP_PROJECT, v->exp_name);
    ir_node_add_input(j, exp, src->id);
    ir_expr *net = ir_call2(j, IR_FN_SUB, ir_ref(j, src->id, "AMOUNT"), ir_lit_int(j, v->fee));
    ir_expr *id = ir_ref(j, src->id, "ORDER_ID");
    if (v->reorder) {
        ir_node_add_col(j, exp, v->port, ir_type_make(IR_TY_DECIMAL, 12, 2), net);
        ir_node_add_col(j, exp, "ORDER_ID", ir_type_make(IR_TY_INT, 0, 0), id);
    } else {
        ir_node_add_col(j, exp, "ORDER_ID", ir_type_make(IR_TY_INT, 0, 0), id);
        ir_node_add_col(j, exp, v->port, ir_type_make(IR_TY_DECIMAL, 12, 2), net);
    }
    ir_node_add_col(j, exp, "AMOUNT", ir_type_make(IR_TY_DECIMAL, 12, 2), ir_ref(j, src->id, "AMOUNT"));
    ir_node_add_col(j, exp, "STATUS", ir_type_make(IR_TY_STRING, 1, 0), ir_ref(j, src->id, "STATUS"));

    ir_node *flt = ir_node_add(j, IR_OP_FILTER, v->flt_name);
    ir_node_add_input(j, flt, exp->id);
    for (int i = 0; i < exp->n_cols; i++) /* passed through: no expression */
        ir_node_add_col(j, flt, exp->cols[i].name, exp->cols[i].type, NULL);
    ir_expr *amount = ir_ref(j, exp->id, "AMOUNT"), *min = ir_lit_int(j, v->min_amount);
    flt->predicate = v->swap_operands ? ir_call2(j, IR_FN_LT, min, amount) : ir_call2(j, IR_FN_GT, amount, min);
    flt->legacy = ir_intern(j, "AMOUNT > MIN");
    flt->span = (ir_span){j->file, 40, 9};

    ir_node *tgt = ir_node_add(j, IR_OP_TARGET, "ORDERS_OUT");
    tgt->dataset = ir_intern(j, "DWH.ORDERS_OUT");
    tgt->span = (ir_span){j->file, 10, 5};
    ir_node_add_input(j, tgt, flt->id);
    ir_node_add_col(j, tgt, "ORDER_ID", ir_type_make(IR_TY_INT, 0, 0), ir_ref(j, flt->id, "ORDER_ID"));
    ir_column *c = ir_node_add_col(j, tgt, "NET_AMOUNT", ir_type_make(IR_TY_DECIMAL, 12, 2), ir_ref(j, flt->id, v->port));
    c->span = (ir_span){j->file, 12, 9};
    if (v->extra_col)
        ir_node_add_col(j, tgt, "STATUS", ir_type_make(IR_TY_STRING, 1, 0), ir_ref(j, flt->id, "STATUS"));
    return j;
}

static const version BASE = {"m_orders", "EXP_NET", "O_NET", "FIL_BIG", 100, 5, false, false, false, NULL};

/* Compares two versions; the report must be freed by the caller. */
static void compare(dchg_report *r, const version *a, const version *b)
{
    ir_job *ja = build(a), *jb = build(b);
    CHECK(dchg_compare(r, &ja, 1, &jb, 1) == 0);
    ir_job_free(ja); /* the report keeps its own copies */
    ir_job_free(jb);
}

static void test_same_meaning(void)
{
    version b = BASE;
    b.exp_name = "EXP_AMOUNTS"; /* renamed transformation */
    b.port = "OUT_NET_AMT";     /* renamed port */
    b.flt_name = "FIL_LARGE";   /* renamed filter */
    b.reorder = true;           /* ports in another order */
    b.swap_operands = true;     /* 100 < AMOUNT for AMOUNT > 100 */
    dchg_report r;
    compare(&r, &BASE, &b);
    CHECK(r.n == 0);
    CHECK(r.jobs_unchanged == 1);
    strbuf sb = STRBUF_INIT;
    dchg_to_markdown(&r, "a", "b", &sb);
    CHECK(strstr(sb_cstr(&sb), "No semantic changes.") != NULL);
    sb_free(&sb);
    dchg_report_free(&r);
}

static void test_changes(void)
{
    version b = BASE;
    b.flt_name = "FIL_LARGE"; /* renamed and changed: matched by position */
    b.min_amount = 200;
    b.fee = 7;
    b.extra_col = true;
    dchg_report r;
    compare(&r, &BASE, &b);
    CHECK(r.n == 3);
    CHECK(r.counts[DCHG_ADDED] == 1 && r.counts[DCHG_CHANGED] == 2 && r.counts[DCHG_REMOVED] == 0);
    if (r.n == 3) {
        /* sorted by node: "filter ..." before "target ..." */
        CHECK(r.v[0].level == DCHG_NODE && r.v[0].kind == DCHG_CHANGED);
        CHECK_STR(r.v[0].node, "filter FIL_LARGE");
        CHECK_STR(r.v[0].aspect, "predicate");
        CHECK_STR(r.v[0].before, "lt(100, SALES.ORDERS.AMOUNT)");
        CHECK_STR(r.v[0].after, "lt(200, SALES.ORDERS.AMOUNT)");
        CHECK_STR(r.v[0].old_loc, "orders.XML:40");
        CHECK_STR(r.v[0].old_legacy, "AMOUNT > MIN");
        CHECK(r.v[1].level == DCHG_COLUMN && r.v[1].kind == DCHG_CHANGED);
        CHECK_STR(r.v[1].column, "NET_AMOUNT");
        CHECK_STR(r.v[1].aspect, "expression");
        CHECK_STR(r.v[1].before, "sub(SALES.ORDERS.AMOUNT, 5)");
        CHECK_STR(r.v[1].after, "sub(SALES.ORDERS.AMOUNT, 7)");
        CHECK(r.v[2].level == DCHG_COLUMN && r.v[2].kind == DCHG_ADDED);
        CHECK_STR(r.v[2].node, "target DWH.ORDERS_OUT");
        CHECK_STR(r.v[2].column, "STATUS");
        CHECK_STR(r.v[2].after, "SALES.ORDERS.STATUS");
        CHECK(r.v[2].before == NULL && r.v[2].old_loc == NULL);
    }
    strbuf sb = STRBUF_INIT;
    dchg_to_json(&r, "v1", "v2", &sb);
    CHECK(strstr(sb_cstr(&sb), "\"summary\": {\"jobs_old\": 1, \"jobs_new\": 1, \"jobs_unchanged\": 0, "
                               "\"added\": 1, \"removed\": 0, \"changed\": 2}") != NULL);
    CHECK(strstr(sb_cstr(&sb), "\"aspect\": \"predicate\", \"before\": \"lt(100, SALES.ORDERS.AMOUNT)\"") != NULL);
    sb_clear(&sb);
    dchg_to_markdown(&r, "v1", "v2", &sb);
    CHECK(strstr(sb_cstr(&sb), "| changed node | filter FIL_LARGE |  | predicate |") != NULL);
    sb_free(&sb);
    dchg_report_free(&r);
}

static void test_jobs(void)
{
    /* a renamed job is matched by the datasets it reads and writes */
    version b = BASE;
    b.job = "m_orders_v2";
    dchg_report r;
    compare(&r, &BASE, &b);
    CHECK(r.n == 1);
    if (r.n == 1) {
        CHECK(r.v[0].level == DCHG_JOB && r.v[0].kind == DCHG_CHANGED);
        CHECK_STR(r.v[0].aspect, "name");
        CHECK_STR(r.v[0].job, "m_orders_v2");
        CHECK_STR(r.v[0].old_job, "m_orders");
    }
    dchg_report_free(&r);
    /* SQL job names come from the file and statement number: no name change */
    version sa = BASE, sb2 = BASE;
    sa.format = sb2.format = "sql";
    sb2.job = "other_01_dwh_orders_out";
    compare(&r, &sa, &sb2);
    CHECK(r.n == 0);
    dchg_report_free(&r);
    /* a job only on one side */
    ir_job *j = build(&BASE);
    CHECK(dchg_compare(&r, &j, 1, NULL, 0) == 0);
    CHECK(r.n == 1 && r.v[0].kind == DCHG_REMOVED && r.v[0].level == DCHG_JOB);
    if (r.n == 1)
        CHECK_STR(r.v[0].before, "writes [DWH.ORDERS_OUT] reads [SALES.ORDERS]");
    dchg_report_free(&r);
    ir_job_free(j);
}

static void test_arguments(void)
{
    dchg_report r;
    CHECK(dchg_compare(&r, NULL, 1, NULL, 0) == -1);
    CHECK(dchg_compare(NULL, NULL, 0, NULL, 0) == -1);
    CHECK(dchg_compare(&r, NULL, 0, NULL, 0) == 0);
    CHECK(r.n == 0 && r.jobs_old == 0 && r.jobs_new == 0);
    dchg_report_free(&r);
    dchg_report_free(&r); /* a freed report is a no-op */
    CHECK_STR(dchg_kind_name(DCHG_REMOVED), "removed");
    CHECK_STR(dchg_level_name(DCHG_COLUMN), "column");
}

int main(void)
{
    RUN(test_same_meaning);
    RUN(test_changes);
    RUN(test_jobs);
    RUN(test_arguments);
    return TEST_SUMMARY();
}
