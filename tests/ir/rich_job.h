/* rich_job.h — a job that sets every node op and every field of the IR, for round-trip tests. */
#ifndef ETLPORT_TESTS_IR_RICH_JOB_H
#define ETLPORT_TESTS_IR_RICH_JOB_H

#include "ir/ir.h"

static ir_span rj_span(ir_job *job, int line, int col)
{
    ir_span s = {ir_intern(job, "exports/crm.xml"), line, col};
    return s;
}

static ir_job *rich_job(void)
{
    ir_job *job = ir_job_new("m_rich \"quoted\" \xc3\xa9t\xc3\xa9 \xe2\x82\xac");
    job->format = ir_intern(job, "informatica");
    job->file = ir_intern(job, "exports/crm.xml");
    job->folder = ir_intern(job, "CRM");
    job->line = 412;
    job->description = arena_strdup(job->arena, "Loads customers.\nSecond line\twith tab, \\ and \x01 control");

    ir_param *p = ir_job_add_param(job, "LOAD_DATE");
    p->type = ir_type_make(IR_TY_DATE, 0, 0);
    p->default_value = arena_strdup(job->arena, "01/31/2024");
    p->span = rj_span(job, 7, 3);
    p = ir_job_add_param(job, "MAX_ID");
    p->type = ir_type_make(IR_TY_BIGINT, 0, 0);
    p->is_variable = true;
    p->aggregation = ir_intern(job, "max");
    ir_job_add_param(job, "UNTYPED");

    ir_dataset *ds = ir_job_add_dataset(job, "SRC.CUSTOMERS");
    ds->kind = ir_intern(job, "table");
    ds->db_type = ir_intern(job, "Oracle");
    ds->span = rj_span(job, 20, 5);
    ir_column *c = ir_dataset_add_col(job, ds, "CUST_ID", ir_type_make(IR_TY_DECIMAL, 10, 0));
    c->flags = IR_COL_KEY | IR_COL_NOT_NULL;
    ir_dataset_add_col(job, ds, "FIRST_NAME", ir_type_make(IR_TY_STRING, 40, 0));
    ir_dataset_add_col(job, ds, "LAST_NAME", ir_type_make(IR_TY_STRING, 40, 0));
    c = ir_dataset_add_col(job, ds, "EMAIL", ir_type_make(IR_TY_STRING, 120, 0));
    c->tags = IR_TAG_PII;
    ir_dataset_add_col(job, ds, "BALANCE", ir_type_make(IR_TY_DECIMAL, 12, 2));
    ir_dataset_add_col(job, ds, "CREATED", ir_type_make(IR_TY_TIMESTAMP, 6, 0));
    ds = ir_job_add_dataset(job, "FF.ORDERS");
    ds->kind = ir_intern(job, "file");
    ds->db_type = ir_intern(job, "Flat File");
    ds->delimiter = arena_strdup(job->arena, "|");
    ds->quote = arena_strdup(job->arena, "\"");
    ds->skip_rows = 1;
    ds->encoding = ir_intern(job, "UTF-8");
    ds = ir_job_add_dataset(job, "FF.FIXED");
    ds->fixed_width = true;
    c = ir_dataset_add_col(job, ds, "REC", ir_type_make(IR_TY_STRING, 10, 0));
    c->phys_offset = 5;
    c->phys_length = 10;
    ir_dataset_add_col(job, ds, "BLOB", ir_type_make(IR_TY_BINARY, 16, 0));

    /* 1 source */
    ir_node *src = ir_node_add(job, IR_OP_SOURCE, "SQ_CUSTOMERS");
    src->legacy_type = ir_intern(job, "Source Qualifier");
    src->span = rj_span(job, 118, 3);
    src->dataset = ir_intern(job, "SRC.CUSTOMERS");
    src->sql = arena_strdup(job->arena, "SELECT * FROM CUSTOMERS WHERE NAME <> 'x'");
    src->distinct = true;
    src->predicate = ir_call2(job, IR_FN_GT, ir_ref(job, 1, "BALANCE"), ir_lit(job, IR_LIT_DECIMAL, "0.00"));
    const char *cols[] = {"CUST_ID", "FIRST_NAME", "LAST_NAME", "EMAIL", "BALANCE", "CREATED"};
    ir_dataset *cds = ir_job_dataset(job, "SRC.CUSTOMERS");
    for (int i = 0; i < 6; i++) {
        ir_column *sc = ir_node_add_col(job, src, cols[i], cds->cols[i].type, NULL);
        sc->tags = cds->cols[i].tags;
    }
    ir_node_add_prop(job, src, "Pre SQL", "DELETE FROM STAGE;\n-- done");
    ir_node_add_prop(job, src, "Tracing Level", "Normal");

    /* 2 project with every expression form */
    ir_node *prj = ir_node_add(job, IR_OP_PROJECT, "EXP_NAMES");
    prj->legacy_type = ir_intern(job, "Expression");
    prj->span = rj_span(job, 230, 1);
    ir_node_add_input(job, prj, 1);
    ir_node_add_col(job, prj, "CUST_ID", ir_type_make(IR_TY_DECIMAL, 10, 0), ir_ref(job, 1, "CUST_ID"));
    ir_expr *cc[3] = {ir_ref(job, 1, "FIRST_NAME"), ir_lit_str(job, " "), ir_ref(job, 1, "LAST_NAME")};
    ir_expr *full = ir_call(job, IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 3, cc);
    full->span = rj_span(job, 236, 14);
    c = ir_node_add_col(job, prj, "FULL_NAME", ir_type_make(IR_TY_STRING, 81, 0), full);
    c->legacy = arena_strdup(job->arena, "FIRST_NAME || ' ' || LAST_NAME");
    c->span = rj_span(job, 236, 5);
    ir_expr *sub[3] = {ir_ref(job, 1, "EMAIL"), ir_lit_int(job, 0), ir_lit_int(job, -3)};
    ir_node_add_col(job, prj, "DOMAIN", ir_type_make(IR_TY_UNKNOWN, 0, 0),
                    ir_call(job, IR_FN_SUBSTR, IR_FL_POS_ZERO_IS_ONE | IR_FL_NEG_FROM_END, 3, sub));
    ir_expr *lits[] = {
        ir_lit_null(job), ir_lit_bool(job, true), ir_lit_bool(job, false), ir_lit_int(job, 9007199254740993LL),
        ir_lit(job, IR_LIT_DECIMAL, "12345678901234567890.123456789"), ir_lit(job, IR_LIT_DOUBLE, "0.10000000000000001"),
        ir_lit_str(job, "it's \"q\" \\ \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 tab\t nl\n"),
        ir_lit(job, IR_LIT_DATE, "2024-01-31"), ir_lit(job, IR_LIT_TIMESTAMP, "2024-01-31 23:59:59.123456"),
        ir_param_ref(job, "LOAD_DATE"), ir_hole(job, ":LKP.LKP_X(CUST_ID)", "unconnected lookup"),
    };
    ir_expr *co = ir_call(job, IR_FN_COALESCE, 0, (int)(sizeof lits / sizeof lits[0]), lits);
    ir_node_add_col(job, prj, "EVERYTHING", ir_type_make(IR_TY_UNKNOWN, 0, 0), co);
    ir_expr *h = ir_hole(job, "weird()", NULL);
    h->u.hole.reason = NULL;
    h->type = ir_type_make(IR_TY_DOUBLE, 0, 0);
    h->span = rj_span(job, 240, 9);
    ir_node_add_col(job, prj, "HOLED", ir_type_make(IR_TY_DOUBLE, 0, 0), h);
    ir_node_add_col(job, prj, "NOW", ir_type_make(IR_TY_TIMESTAMP, 9, 0), ir_call(job, IR_FN_CURRENT_TIMESTAMP, 0, 0, NULL));
    ir_expr *dec[6] = {ir_ref(job, 1, "EMAIL"), ir_lit_null(job), ir_lit_str(job, "none"), ir_lit_str(job, "a"),
                       ir_lit_str(job, "b"), ir_lit_str(job, "c")};
    ir_node_add_col(job, prj, "DEC", ir_type_make(IR_TY_STRING, 4, 0),
                    ir_call(job, IR_FN_DECODE, IR_FL_NULL_MATCHES_NULL | IR_FL_CASE_INSENSITIVE, 6, dec));
    ir_node_add_col(job, prj, "RAW_NULL", ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL);

    /* 3 filter (router group) */
    ir_node *flt = ir_node_add(job, IR_OP_FILTER, "RTR_VALID.GOOD");
    flt->legacy = arena_strdup(job->arena, "ISNULL(EMAIL) = FALSE");
    ir_node_add_input(job, flt, 2);
    flt->predicate = ir_call1(job, IR_FN_NOT, ir_call1(job, IR_FN_IS_NULL, ir_ref(job, 1, "EMAIL")));
    flt->group = ir_intern(job, "GOOD");
    ir_node_add_col(job, flt, "CUST_ID", ir_type_make(IR_TY_DECIMAL, 10, 0), ir_ref(job, 2, "CUST_ID"));

    /* 4 lookup, 5 join */
    ir_node *lkp = ir_node_add(job, IR_OP_LOOKUP, "LKP_ORDERS");
    ir_node_add_input(job, lkp, 3);
    ir_node_add_input(job, lkp, 1);
    lkp->dataset = ir_intern(job, "FF.ORDERS");
    lkp->match = IR_MATCH_LAST;
    lkp->sql = arena_strdup(job->arena, "SELECT ID FROM ORDERS ORDER BY ID");
    lkp->predicate = ir_call2(job, IR_FN_EQ, ir_ref(job, 3, "CUST_ID"), ir_ref(job, 1, "CUST_ID"));
    c = ir_node_add_col(job, lkp, "LAST_ORDER", ir_type_make(IR_TY_DATE, 0, 0), ir_ref(job, 1, "CREATED"));
    c->flags = IR_COL_ORDER_DEPENDENT;
    ir_node *jn = ir_node_add(job, IR_OP_JOIN, "JNR");
    ir_node_add_input(job, jn, 4);
    ir_node_add_input(job, jn, 2);
    jn->predicate = ir_call2(job, IR_FN_EQ, ir_ref(job, 4, "LAST_ORDER"), ir_ref(job, 2, "NOW"));
    ir_node_add_col(job, jn, "LAST_ORDER", ir_type_make(IR_TY_DATE, 0, 0), ir_ref(job, 4, "LAST_ORDER"));
    ir_node *jn2 = ir_node_add(job, IR_OP_JOIN, "JNR_FULL");
    ir_node_add_input(job, jn2, 5);
    ir_node_add_input(job, jn2, 2);
    jn2->join = IR_JOIN_FULL;

    /* 7 aggregate, 8 sort, 9 union, 10 dedup, 11 rank, 12 normalize, 13 sequence */
    ir_node *agg = ir_node_add(job, IR_OP_AGGREGATE, "AGG");
    ir_node_add_input(job, agg, 2);
    ir_node_add_key(job, agg, ir_ref(job, 2, "CUST_ID"));
    ir_node_add_key(job, agg, ir_call1(job, IR_FN_UPPER, ir_ref(job, 2, "DOMAIN")));
    ir_node_add_col(job, agg, "CUST_ID", ir_type_make(IR_TY_DECIMAL, 10, 0), ir_ref(job, 2, "CUST_ID"));
    ir_expr *sa[2] = {ir_ref(job, 2, "FULL_NAME"), ir_call2(job, IR_FN_GT, ir_ref(job, 2, "CUST_ID"), ir_lit_int(job, 5))};
    ir_node_add_col(job, agg, "N", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call(job, IR_FN_COUNT, IR_FL_DISTINCT, 2, sa));
    c = ir_node_add_col(job, agg, "LASTNAME", ir_type_make(IR_TY_STRING, 81, 0),
                        ir_call(job, IR_FN_LAST, IR_FL_ORDER_DEPENDENT, 1, (ir_expr *[]){ir_ref(job, 2, "FULL_NAME")}));
    c->flags = IR_COL_ORDER_DEPENDENT;
    ir_node *srt = ir_node_add(job, IR_OP_SORT, "SRT");
    ir_node_add_input(job, srt, 7);
    ir_node_add_order(job, srt, ir_ref(job, 7, "N"), true);
    ir_node_add_order(job, srt, ir_ref(job, 7, "CUST_ID"), false);
    srt->order[1].nulls = 2;
    ir_node_add_order(job, srt, ir_ref(job, 7, "LASTNAME"), true);
    srt->order[2].nulls = 1;
    srt->distinct = true;
    ir_node *uni = ir_node_add(job, IR_OP_UNION, "UNI");
    ir_node_add_input(job, uni, 8);
    ir_node_add_input(job, uni, 7);
    ir_node_add_col(job, uni, "CUST_ID", ir_type_make(IR_TY_DECIMAL, 10, 0), NULL);
    ir_node *dd = ir_node_add(job, IR_OP_DEDUP, "DEDUP");
    ir_node_add_input(job, dd, 9);
    ir_node_add_key(job, dd, ir_ref(job, 9, "CUST_ID"));
    ir_node_add_order(job, dd, ir_ref(job, 9, "CUST_ID"), false);
    dd->keep_last = true;
    ir_node *rk = ir_node_add(job, IR_OP_RANK, "RNK");
    ir_node_add_input(job, rk, 7);
    ir_node_add_key(job, rk, ir_ref(job, 7, "LASTNAME"));
    ir_node_add_order(job, rk, ir_ref(job, 7, "N"), true);
    rk->top_n = 10;
    rk->bottom = true;
    c = ir_node_add_col(job, rk, "RANKINDEX", ir_type_make(IR_TY_INT, 0, 0), NULL);
    c->flags = IR_COL_GENERATED;
    ir_node *nrm = ir_node_add(job, IR_OP_NORMALIZE, "NRM");
    ir_node_add_input(job, nrm, 2);
    nrm->occurs = 2;
    c = ir_node_add_col(job, nrm, "NAME", ir_type_make(IR_TY_STRING, 40, 0), NULL);
    c->alts = arena_alloc(job->arena, 2 * sizeof *c->alts);
    c->alts[0] = ir_ref(job, 1, "FIRST_NAME");
    c->alts[1] = ir_ref(job, 1, "LAST_NAME");
    c->n_alts = 2;
    ir_node *seq = ir_node_add(job, IR_OP_SEQUENCE, "SEQ");
    ir_node_add_input(job, seq, 12);
    seq->seq_start = 1000000000000LL;
    seq->seq_increment = -5;
    c = ir_node_add_col(job, seq, "NEXTVAL", ir_type_make(IR_TY_BIGINT, 0, 0), NULL);
    c->flags = IR_COL_GENERATED | IR_COL_KEY;

    /* 14 router, 15 update strategy, 16 target, 17 procedure, 18 node with zero-valued op fields */
    ir_node *rtr = ir_node_add(job, IR_OP_ROUTER, "RTR_VALID");
    ir_node_add_input(job, rtr, 2);
    ir_node *upd = ir_node_add(job, IR_OP_UPDATE, "UPD");
    ir_node_add_input(job, upd, 3);
    c = ir_node_add_col(job, upd, "ROW_OP", ir_type_make(IR_TY_INT, 0, 0),
                        ir_call3(job, IR_FN_IF, ir_call2(job, IR_FN_GT, ir_ref(job, 3, "CUST_ID"), ir_lit_int(job, 0)),
                                 ir_lit_int(job, 1), ir_lit_int(job, 0)));
    c->flags = IR_COL_ROW_OP;
    ir_node *tgt = ir_node_add(job, IR_OP_TARGET, "DIM_CUSTOMER");
    ir_node_add_input(job, tgt, 15);
    tgt->dataset = ir_intern(job, "DWH.DIM_CUSTOMER");
    tgt->load = IR_LOAD_MERGE;
    tgt->merge_keys = arena_alloc(job->arena, 2 * sizeof *tgt->merge_keys);
    tgt->merge_keys[0] = ir_intern(job, "CUST_ID");
    tgt->merge_keys[1] = ir_intern(job, "SRC \"SYS\"");
    tgt->n_merge_keys = 2;
    ir_node *proc = ir_node_add(job, IR_OP_PROCEDURE, "SP_AUDIT");
    ir_node_add_input(job, proc, 16);
    proc->legacy = arena_strdup(job->arena, "BEGIN audit(:x); END;");
    proc->hole_reason = arena_strdup(job->arena, "stored procedure");
    ir_node *odd = ir_node_add(job, IR_OP_TARGET, "T2");
    odd->load = IR_LOAD_APPEND;
    odd->id = 40; /* ids need not be dense */

    /* 19.. window nodes over the aggregate (7): every window function in the first, every frame
     * form across them */
    static const ir_frame frames[] = {
        {IR_FRAME_RANGE, {IR_BOUND_UNBOUNDED_PRECEDING, 0}, {IR_BOUND_CURRENT_ROW, 0}}, /* the default */
        {IR_FRAME_ROWS, {IR_BOUND_PRECEDING, 2}, {IR_BOUND_CURRENT_ROW, 0}},
        {IR_FRAME_ROWS, {IR_BOUND_CURRENT_ROW, 0}, {IR_BOUND_UNBOUNDED_FOLLOWING, 0}},
        {IR_FRAME_RANGE, {IR_BOUND_UNBOUNDED_PRECEDING, 0}, {IR_BOUND_UNBOUNDED_FOLLOWING, 0}},
        {IR_FRAME_ROWS, {IR_BOUND_FOLLOWING, 1}, {IR_BOUND_FOLLOWING, 3}},
        {IR_FRAME_RANGE, {IR_BOUND_PRECEDING, 5}, {IR_BOUND_FOLLOWING, 0}},
        {IR_FRAME_ROWS, {IR_BOUND_UNBOUNDED_PRECEDING, 0}, {IR_BOUND_PRECEDING, 1}},
        {IR_FRAME_RANGE, {IR_BOUND_CURRENT_ROW, 0}, {IR_BOUND_CURRENT_ROW, 0}},
    };
    for (size_t f = 0; f < sizeof frames / sizeof frames[0]; f++) {
        ir_node *w = ir_node_add(job, IR_OP_WINDOW, "WIN");
        ir_node_add_input(job, w, 7);
        w->frame = frames[f];
        if (f % 2 == 0)
            ir_node_add_key(job, w, ir_ref(job, 7, "LASTNAME"));
        ir_node_add_order(job, w, ir_ref(job, 7, "N"), true);
        w->order[0].nulls = f % 3 == 0 ? 1 : f % 3 == 1 ? 2 : 0;
        ir_node_add_col(job, w, "CUST_ID", ir_type_make(IR_TY_DECIMAL, 10, 0), ir_ref(job, 7, "CUST_ID"));
        ir_expr *x = ir_ref(job, 7, "N");
        ir_node_add_col(job, w, "RUNNING", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call1(job, IR_FN_SUM, x));
        if (f)
            continue;
        ir_node_add_col(job, w, "RN", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call(job, IR_FN_ROW_NUMBER, 0, 0, NULL));
        ir_node_add_col(job, w, "RK", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call(job, IR_FN_RANK, 0, 0, NULL));
        ir_node_add_col(job, w, "DRK", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call(job, IR_FN_DENSE_RANK, 0, 0, NULL));
        ir_node_add_col(job, w, "PRK", ir_type_make(IR_TY_DOUBLE, 0, 0), ir_call(job, IR_FN_PERCENT_RANK, 0, 0, NULL));
        ir_node_add_col(job, w, "CD", ir_type_make(IR_TY_DOUBLE, 0, 0), ir_call(job, IR_FN_CUME_DIST, 0, 0, NULL));
        ir_node_add_col(job, w, "Q", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call1(job, IR_FN_NTILE, ir_lit_int(job, 4)));
        ir_node_add_col(job, w, "PREV", ir_type_make(IR_TY_BIGINT, 0, 0),
                        ir_call3(job, IR_FN_LAG, x, ir_lit_int(job, 2), ir_lit_int(job, 0)));
        ir_node_add_col(job, w, "NEXT", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call1(job, IR_FN_LEAD, x));
        ir_node_add_col(job, w, "FIRST_N", ir_type_make(IR_TY_BIGINT, 0, 0),
                        ir_call(job, IR_FN_FIRST_VALUE, IR_FL_IGNORE_NULLS, 1, &x));
        ir_node_add_col(job, w, "LAST_N", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call1(job, IR_FN_LAST_VALUE, x));
    }
    return job;
}

#endif
