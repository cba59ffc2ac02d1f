/*
 * test_infa.c — the Informatica frontend: the real exports of ../shared/corpus/informatica (every
 * file reads without error, mapping counts match MANIFEST.tsv, lowering checks on known mappings)
 * and error locations on small malformed exports written here.
 *
 * `test_infa --dump FILE` prints each job's IR JSON (a debugging aid); `test_infa --stats` prints
 * corpus figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "frontends/frontend.h"
#include "ir/ir.h"
#include "tests/testlib.h"

extern const frontend infa_frontend;

#ifndef ETLPORT_SHARED_CORPUS
#define ETLPORT_SHARED_CORPUS "../shared/corpus"
#endif

/* ---- collecting jobs and messages ---- */

typedef struct jobs {
    ir_job *v[64];
    int n;
} jobs;

static void keep_job(void *ud, ir_job *job)
{
    jobs *j = ud;
    if (j->n < 64)
        j->v[j->n++] = job;
    else
        ir_job_free(job);
}

static void free_jobs(jobs *j)
{
    for (int i = 0; i < j->n; i++)
        ir_job_free(j->v[i]);
    j->n = 0;
}

typedef struct msgs {
    char text[16][512];
    int n, n_errors;
} msgs;

static void keep_msg(void *ud, const diag *d)
{
    msgs *m = ud;
    if (d->level == DIAG_ERROR)
        m->n_errors++;
    if (m->n < 16)
        snprintf(m->text[m->n++], sizeof m->text[0], "%s:%d:%d: %s: %s", d->file ? d->file : "", d->line, d->col,
                 diag_level_name(d->level), d->message);
}

static int read_path(const char *path, const fe_options *opt, jobs *j, msgs *m, fe_counts *c)
{
    diag_ctx dc;
    diag_init(&dc, keep_msg, m);
    return infa_frontend.read(path, opt, &dc, keep_job, j, c);
}

static const char *tmp_write(const char *name, const char *text)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, sizeof path[0], "%s", name);
    FILE *fp = fopen(p, "wb");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
    return p;
}

static ir_job *job_named(jobs *j, const char *name)
{
    for (int i = 0; i < j->n; i++)
        if (strcmp(j->v[i]->name, name) == 0)
            return j->v[i];
    return NULL;
}

static ir_node *node_named(ir_job *job, const char *name)
{
    for (int i = 0; job && i < job->n_nodes; i++)
        if (job->nodes[i]->name && strcmp(job->nodes[i]->name, name) == 0)
            return job->nodes[i];
    return NULL;
}

static int count_op(ir_job *job, ir_op op)
{
    int k = 0;
    for (int i = 0; job && i < job->n_nodes; i++)
        k += job->nodes[i]->op == op;
    return k;
}

static bool has_corpus(void)
{
    struct stat st;
    char p[512];
    snprintf(p, sizeof p, "%s/informatica/MANIFEST.tsv", ETLPORT_SHARED_CORPUS);
    if (stat(p, &st) != 0) {
        printf("skip: %s not found (the real exports are read from ../shared/corpus)\n", p);
        return false;
    }
    return true;
}

static int corpus_read(const char *rel, jobs *j, msgs *m)
{
    char p[512];
    snprintf(p, sizeof p, "%s/informatica/%s", ETLPORT_SHARED_CORPUS, rel);
    return read_path(p, NULL, j, m, NULL);
}

/* Every reference of every node names one of its inputs (or the node itself for a source). */
static int bad_refs_expr(const ir_node *n, const ir_expr *e)
{
    if (!e)
        return 0;
    if (e->kind == IR_EX_REF) {
        if (n->op == IR_OP_SOURCE && e->u.ref.node == n->id)
            return 0;
        for (int i = 0; i < n->n_inputs; i++)
            if (n->inputs[i] == e->u.ref.node)
                return 0;
        return 1;
    }
    int k = 0;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            k += bad_refs_expr(n, e->u.call.args[i]);
    return k;
}

static int bad_refs(const ir_job *job)
{
    int k = 0;
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        for (int c = 0; c < n->n_cols; c++) {
            k += bad_refs_expr(n, n->cols[c].expr);
            for (int a = 0; a < n->cols[c].n_alts; a++)
                k += bad_refs_expr(n, n->cols[c].alts[a]);
        }
        k += bad_refs_expr(n, n->predicate);
        for (int c = 0; c < n->n_keys; c++)
            k += bad_refs_expr(n, n->keys[c]);
        for (int c = 0; c < n->n_order; c++)
            k += bad_refs_expr(n, n->order[c].expr);
    }
    return k;
}

/* ---- lowering checks on real mappings ---- */

static void test_update_strategy_merge(void)
{
    if (!has_corpus())
        return;
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    CHECK(corpus_read("ahmedtaha_tasks/m_scd_type1.XML", &j, &m) == 0);
    ir_job *job = job_named(&j, "m_scd_type1");
    ir_node *t = node_named(job, "TGT_EMPLOYEES_SCD_UPDATE");
    CHECK(t && t->op == IR_OP_TARGET && t->load == IR_LOAD_MERGE);
    CHECK(t && t->n_merge_keys == 1 && strcmp(t->merge_keys[0], "EMPLOYEE_ID") == 0);
    int rowop = 0;
    for (int i = 0; job && i < job->n_nodes; i++)
        for (int c = 0; c < job->nodes[i]->n_cols; c++)
            rowop += (job->nodes[i]->cols[c].flags & IR_COL_ROW_OP) != 0;
    CHECK(rowop >= 1);
    free_jobs(&j);
}

static void test_router_groups(void)
{
    if (!has_corpus())
        return;
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    CHECK(corpus_read("ahmedtaha_tasks/m_EMP_FF_Router.XML", &j, &m) == 0);
    ir_job *job = job_named(&j, "m_EMP_FF_Router");
    ir_node *r = node_named(job, "t_EMP_Router");
    CHECK(r && r->op == IR_OP_ROUTER);
    ir_node *g = node_named(job, "t_EMP_Router.Dept_90"), *d = node_named(job, "t_EMP_Router.DEFAULT1");
    CHECK(g && g->op == IR_OP_FILTER && g->group && strcmp(g->group, "Dept_90") == 0 && g->predicate);
    CHECK(d && d->op == IR_OP_FILTER && d->group && strcmp(d->group, "DEFAULT") == 0);
    CHECK(d && d->predicate && d->predicate->kind == IR_EX_CALL && d->predicate->u.call.fn == IR_FN_NOT);
    CHECK(g && ir_node_col(g, "EMPLOYEE_ID1") != NULL); /* group ports keep their names */
    ir_node *t = node_named(job, "TGT_EMPLOYEES_Router_Dept_Default");
    CHECK(t && d && t->n_inputs == 1 && t->inputs[0] == d->id);
    CHECK(count_op(job, IR_OP_FILTER) == 4); /* the filter transformation and three groups */
    free_jobs(&j);
}

static void test_joiner(void)
{
    if (!has_corpus())
        return;
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    CHECK(corpus_read("ahmedtaha_tasks/m_Emp_Dept_Normal_Joiner_FF.XML", &j, &m) == 0);
    ir_job *job = job_named(&j, "m_Emp_Dept_Joiner_FF");
    ir_node *jn = node_named(job, "JNRTRANS"), *det = node_named(job, "SQ_EMPLOYEES"), *mas = node_named(job, "SQ_DEPARTMENTS");
    CHECK(jn && jn->op == IR_OP_JOIN && jn->join == IR_JOIN_INNER);
    CHECK(jn && det && mas && jn->n_inputs == 2 && jn->inputs[0] == det->id && jn->inputs[1] == mas->id);
    CHECK(jn && jn->predicate && jn->predicate->kind == IR_EX_CALL && jn->predicate->u.call.fn == IR_FN_EQ);
    CHECK(det && det->dataset && strcmp(det->dataset, "HR.EMPLOYEES") == 0);
    ir_column *email = det ? ir_node_col(det, "EMAIL") : NULL;
    CHECK(email && (email->tags & IR_TAG_PII));
    free_jobs(&j);
    /* a master outer join keeps every detail row: left join with the detail first */
    CHECK(corpus_read("hattem_casestudy/wf_count_active.XML", &j, &m) == 0);
    int joins = 0;
    for (int k = 0; k < j.n; k++)
        joins += count_op(j.v[k], IR_OP_JOIN);
    CHECK(joins >= 1);
    free_jobs(&j);
}

static void test_aggregator(void)
{
    if (!has_corpus())
        return;
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    CHECK(corpus_read("ahmedtaha_tasks/m_Courses_ITI_AGG_Task1.XML", &j, &m) == 0);
    ir_node *a = node_named(j.n ? j.v[0] : NULL, "AGGTRANS");
    CHECK(a && a->op == IR_OP_AGGREGATE && a->n_keys == 1);
    ir_column *tot = a ? ir_node_col(a, "Total_Course_Duration") : NULL;
    CHECK(tot && tot->expr && tot->expr->kind == IR_EX_CALL && tot->expr->u.call.fn == IR_FN_SUM);
    free_jobs(&j);
    /* an input/output port neither grouped nor aggregated: the last row's value, NULL included,
     * so the plain value in an order-dependent column, not last() (which skips NULLs) */
    CHECK(corpus_read("marwa_mappings/MapT2.XML", &j, &m) == 0);
    ir_node *b = node_named(j.n ? j.v[0] : NULL, "AGGTRANS");
    ir_column *c = b ? ir_node_col(b, "CustomerId") : NULL;
    CHECK(c && (c->flags & IR_COL_ORDER_DEPENDENT) && c->expr && c->expr->kind == IR_EX_REF);
    free_jobs(&j);
}

static void test_mapplet_and_unconnected_lookup(void)
{
    if (!has_corpus())
        return;
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    CHECK(corpus_read("obia_vramachandra/JEG_SIL_IPCS_BITimephaseDataBudgetFact.XML", &j, &m) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    /* mapplet instances are expanded: inner instances are named mapplet.instance */
    ir_node *inner = node_named(job, "MPLT_CURCY_CONVERSION_RATES_ToGlobalCurrenciesOnly.EXPT_CALC_EXCH_RATES");
    CHECK(inner && inner->op == IR_OP_PROJECT);
    /* :LKP.LKP_W_EXCH_RATE(...) became lookup nodes in front of that expression */
    int unconnected = 0;
    for (int i = 0; job && i < job->n_nodes; i++) {
        ir_node *n = job->nodes[i];
        if (n->op != IR_OP_LOOKUP)
            continue;
        for (int p = 0; p < n->n_props; p++)
            if (strcmp(n->props[p].key, "unconnected") == 0)
                unconnected++;
        if (strstr(n->name, "LKP_W_EXCH_RATE"))
            CHECK(n->n_inputs == 2 && n->predicate != NULL);
    }
    CHECK(unconnected >= 3);
    ir_node *t = node_named(job, "WC_BI_TIMEPHASEDATA_BUDGET_F");
    CHECK(t && t->load == IR_LOAD_MERGE && t->n_cols > 10);
    CHECK(job && bad_refs(job) == 0);
    CHECK(job && job->n_params >= 1);
    free_jobs(&j);
    /* shortcuts to objects in another folder, defined later in the file */
    CHECK(corpus_read("lakebridge/EBS_EBS_to_STG_wf_STG_AP_SUPPLIER_SITES_ALL.xml", &j, &m) == 0);
    ir_job *sj = job_named(&j, "m_STG_AP_SUPPLIER_SITES_ALL");
    ir_node *sq = node_named(sj, "SQ_Shortcut_to_AP_SUPPLIER_SITES_ALL");
    CHECK(sq && sq->dataset && strcmp(sq->dataset, "ADS_STG.AP_SUPPLIER_SITES_ALL") == 0);
    CHECK(count_op(sj, IR_OP_PROCEDURE) >= 1); /* the stored procedure inside a mapplet */
    free_jobs(&j);
}

static void test_union_normalizer_sequence(void)
{
    if (!has_corpus())
        return;
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    CHECK(corpus_read("ahmedtaha_tasks/m_UNION_DEPT_10_20_30_DEFAULT.XML", &j, &m) == 0);
    ir_node *u = node_named(j.n ? j.v[0] : NULL, "Union_Depts");
    CHECK(u && u->op == IR_OP_UNION && u->n_inputs == 4 && u->n_cols == 7);
    free_jobs(&j);
    CHECK(corpus_read("ahmedtaha_tasks/m_nrm_sales.XML", &j, &m) == 0);
    ir_node *n = node_named(j.n ? j.v[0] : NULL, "NRM_SALES");
    CHECK(n && n->op == IR_OP_NORMALIZE && n->occurs == 4);
    ir_column *sales = n ? ir_node_col(n, "sales") : NULL;
    CHECK(sales && sales->n_alts == 4);
    free_jobs(&j);
    CHECK(corpus_read("ahmedtaha_tasks/m_STUDENT_SCD2.XML", &j, &m) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *s = node_named(job, "SEQTRANS");
    CHECK(s && s->op == IR_OP_SEQUENCE && s->n_inputs == 1 && s->seq_increment == 1);
    free_jobs(&j);
}

/* ---- errors at exact locations, on exports written here ---- */

static const char *export_fmt =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                     /* 1 */
    "<!DOCTYPE POWERMART SYSTEM \"powrmart.dtd\">\n"                                                  /* 2 */
    "<POWERMART CREATION_DATE=\"\" REPOSITORY_VERSION=\"1\">\n"                                         /* 3 */
    "<REPOSITORY NAME=\"R\">\n"                                                                       /* 4 */
    "<FOLDER NAME=\"F\">\n"                                                                           /* 5 */
    "<SOURCE DATABASETYPE=\"Oracle\" DBDNAME=\"D\" NAME=\"EMP\" OWNERNAME=\"HR\">\n"                   /* 6 */
    "  <SOURCEFIELD DATATYPE=\"number\" KEYTYPE=\"PRIMARY KEY\" NAME=\"ID\" NULLABLE=\"NOTNULL\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <SOURCEFIELD DATATYPE=\"varchar2\" KEYTYPE=\"NOT A KEY\" NAME=\"EMAIL\" NULLABLE=\"NULL\" PRECISION=\"40\" SCALE=\"0\"/>\n"
    "</SOURCE>\n"                                                                                     /* 9 */
    "<TARGET DATABASETYPE=\"Oracle\" NAME=\"T_EMP\">\n"                                               /* 10 */
    "  <TARGETFIELD DATATYPE=\"number\" KEYTYPE=\"PRIMARY KEY\" NAME=\"ID\" NULLABLE=\"NOTNULL\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TARGETFIELD DATATYPE=\"varchar2\" KEYTYPE=\"NOT A KEY\" NAME=\"EMAIL\" NULLABLE=\"NULL\" PRECISION=\"40\" SCALE=\"0\"/>\n"
    "</TARGET>\n"                                                                                     /* 13 */
    "<MAPPING NAME=\"m_test\" ISVALID=\"YES\">\n"                                                      /* 14 */
    "  <TRANSFORMATION NAME=\"SQ_EMP\" TYPE=\"Source Qualifier\">\n"                                   /* 15 */
    "    <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "    <TRANSFORMFIELD DATATYPE=\"string\" NAME=\"EMAIL\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"40\" SCALE=\"0\"/>\n"
    "  </TRANSFORMATION>\n"                                                                           /* 18 */
    "  <TRANSFORMATION NAME=\"EXP\" TYPE=\"%s\">\n"                                                     /* 19 */
    "    <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "    <TRANSFORMFIELD DATATYPE=\"string\" NAME=\"EMAIL\" PORTTYPE=\"INPUT\" PRECISION=\"40\" SCALE=\"0\"/>\n"
    "    <TRANSFORMFIELD DATATYPE=\"string\" NAME=\"OUT_EMAIL\" PORTTYPE=\"OUTPUT\" PRECISION=\"40\" SCALE=\"0\" EXPRESSION=\"%s\"/>\n"
    "  </TRANSFORMATION>\n"                                                                           /* 23 */
    "  <INSTANCE NAME=\"EMP\" TRANSFORMATION_NAME=\"EMP\" TRANSFORMATION_TYPE=\"Source Definition\" TYPE=\"SOURCE\" DBDNAME=\"D\"/>\n"
    "  <INSTANCE NAME=\"SQ_EMP\" TRANSFORMATION_NAME=\"SQ_EMP\" TRANSFORMATION_TYPE=\"Source Qualifier\" TYPE=\"TRANSFORMATION\"/>\n"
    "  <INSTANCE NAME=\"EXP\" TRANSFORMATION_NAME=\"EXP\" TRANSFORMATION_TYPE=\"Expression\" TYPE=\"TRANSFORMATION\"/>\n"
    "  <INSTANCE NAME=\"T_EMP\" TRANSFORMATION_NAME=\"T_EMP\" TRANSFORMATION_TYPE=\"Target Definition\" TYPE=\"TARGET\"/>\n"
    "  <CONNECTOR FROMFIELD=\"ID\" FROMINSTANCE=\"EMP\" FROMINSTANCETYPE=\"Source Definition\" TOFIELD=\"ID\" TOINSTANCE=\"SQ_EMP\" TOINSTANCETYPE=\"Source Qualifier\"/>\n"
    "  <CONNECTOR FROMFIELD=\"EMAIL\" FROMINSTANCE=\"EMP\" FROMINSTANCETYPE=\"Source Definition\" TOFIELD=\"EMAIL\" TOINSTANCE=\"SQ_EMP\" TOINSTANCETYPE=\"Source Qualifier\"/>\n"
    "  <CONNECTOR FROMFIELD=\"ID\" FROMINSTANCE=\"SQ_EMP\" FROMINSTANCETYPE=\"Source Qualifier\" TOFIELD=\"ID\" TOINSTANCE=\"EXP\" TOINSTANCETYPE=\"Expression\"/>\n"
    "  <CONNECTOR FROMFIELD=\"EMAIL\" FROMINSTANCE=\"SQ_EMP\" FROMINSTANCETYPE=\"Source Qualifier\" TOFIELD=\"%s\" TOINSTANCE=\"EXP\" TOINSTANCETYPE=\"Expression\"/>\n"
    "  <CONNECTOR FROMFIELD=\"ID\" FROMINSTANCE=\"EXP\" FROMINSTANCETYPE=\"Expression\" TOFIELD=\"ID\" TOINSTANCE=\"T_EMP\" TOINSTANCETYPE=\"Target Definition\"/>\n"
    "  <CONNECTOR FROMFIELD=\"OUT_EMAIL\" FROMINSTANCE=\"EXP\" FROMINSTANCETYPE=\"Expression\" TOFIELD=\"EMAIL\" TOINSTANCE=\"T_EMP\" TOINSTANCETYPE=\"Target Definition\"/>\n"
    "  <MAPPINGVARIABLE DATATYPE=\"string\" DEFAULTVALUE=\"dflt\" ISPARAM=\"YES\" NAME=\"$$P1\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "</MAPPING>\n"                                                                                    /* 35 */
    "%s"
    "</FOLDER>\n"
    "</REPOSITORY>\n"
    "</POWERMART>\n";

static char export_buf[16384];

static const char *make_export(const char *type, const char *expr, const char *tofield, const char *extra)
{
    snprintf(export_buf, sizeof export_buf, export_fmt, type, expr, tofield, extra);
    return export_buf;
}

static void test_good_inline(void)
{
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    fe_counts c;
    const char *p = tmp_write("infa_good.xml", make_export("Expression", "UPPER(EMAIL) || $$P1", "EMAIL", ""));
    CHECK(read_path(p, NULL, &j, &m, &c) == 0);
    CHECK(m.n == 0 && j.n == 1 && c.transformations == 2);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *sq = node_named(job, "SQ_EMP"), *e = node_named(job, "EXP"), *t = node_named(job, "T_EMP");
    CHECK(sq && sq->op == IR_OP_SOURCE && strcmp(sq->dataset, "HR.EMP") == 0);
    CHECK(e && e->op == IR_OP_PROJECT && e->n_inputs == 1 && sq && e->inputs[0] == sq->id);
    ir_column *oe = e ? ir_node_col(e, "OUT_EMAIL") : NULL;
    CHECK(oe && oe->span.line == 22 && oe->legacy && strcmp(oe->legacy, "UPPER(EMAIL) || $$P1") == 0);
    CHECK(t && t->op == IR_OP_TARGET && t->load == IR_LOAD_APPEND && t->n_cols == 2);
    CHECK(e && e->span.line == 19 && e->span.col == 3);
    ir_param *pp = job ? ir_job_param(job, "P1") : NULL;
    CHECK(pp && pp->default_value && strcmp(pp->default_value, "dflt") == 0 && !pp->is_variable);
    CHECK(job && ir_job_dataset(job, "HR.EMP") && ir_job_dataset(job, "T_EMP"));
    free_jobs(&j);
    /* a parameter file overrides the default: the mapping's own section wins over [Global] */
    const char *pf = tmp_write("infa_params.txt", "[Global]\n$$P1=global\n[F.WF:wf_x.ST:s_m_test]\n$$P1=session\n"
                                                  "[F.M:m_test]\n$$P1=mine\n[Other.M:m_test]\n$$P1=other\n");
    const char *pfs[] = {pf};
    fe_options o = {.params_files = pfs, .n_params_files = 1};
    CHECK(read_path(p, &o, &j, &m, &c) == 0);
    pp = j.n ? ir_job_param(j.v[0], "P1") : NULL;
    CHECK(pp && pp->default_value && strcmp(pp->default_value, "mine") == 0);
    free_jobs(&j);
    pf = tmp_write("infa_params.txt", "[Global]\n$$P1=global\n[F.WF:wf_x.ST:s_m_test]\n$$P1=session\n");
    CHECK(read_path(p, &o, &j, &m, &c) == 0);
    pp = j.n ? ir_job_param(j.v[0], "P1") : NULL;
    CHECK(pp && pp->default_value && strcmp(pp->default_value, "session") == 0);
    free_jobs(&j);
}

static void expect_msg(const msgs *m, const char *suffix)
{
    for (int i = 0; i < m->n; i++) {
        const char *colon = strstr(m->text[i], ".xml:");
        if (colon && strcmp(colon + 4, suffix) == 0)
            return;
    }
    fprintf(stderr, "expected message '%s', got:\n", suffix);
    for (int i = 0; i < m->n; i++)
        fprintf(stderr, "  %s\n", m->text[i]);
    CHECK(0);
}

static void test_error_unknown_type(void)
{
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    const char *p = tmp_write("infa_err1.xml", make_export("Frobnicator", "UPPER(EMAIL)", "EMAIL", ""));
    CHECK(read_path(p, NULL, &j, &m, NULL) == -1);
    expect_msg(&m, ":19:3: error: unknown transformation type 'Frobnicator'");
    CHECK(j.n == 1); /* the mapping is still produced, with a procedure hole */
    ir_node *e = node_named(j.n ? j.v[0] : NULL, "EXP");
    CHECK(e && e->op == IR_OP_PROCEDURE && e->hole_reason && strstr(e->hole_reason, "Frobnicator"));
    free_jobs(&j);
}

static void test_error_expression(void)
{
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    /* the value starts at column 111 of line 22; the error offset in the decoded text maps back
     * through &apos; and &#xD;&#xA; to the raw column of the ',' */
    const char *p = tmp_write("infa_err2.xml", make_export("Expression", "IIF(EMAIL = &apos;a&apos;,&#xD;&#xA;1 +, 2", "EMAIL", ""));
    CHECK(read_path(p, NULL, &j, &m, NULL) == -1);
    CHECK(m.n_errors >= 1);
    expect_msg(&m, ":22:150: error: unexpected ','");
    CHECK(j.n == 1);
    free_jobs(&j);
    m.n = m.n_errors = 0;
    p = tmp_write("infa_err3.xml", make_export("Expression", "UPPER(EMAIL", "EMAIL", ""));
    CHECK(read_path(p, NULL, &j, &m, NULL) == -1);
    CHECK(m.n_errors >= 1 && strstr(m.text[0], ".xml:22:"));
    free_jobs(&j);
}

static void test_error_connector(void)
{
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    const char *p = tmp_write("infa_err4.xml", make_export("Expression", "UPPER(EMAIL)", "NO_SUCH_PORT", ""));
    CHECK(read_path(p, NULL, &j, &m, NULL) == -1);
    expect_msg(&m, ":31:3: error: connector to unknown port 'EXP.NO_SUCH_PORT'");
    CHECK(j.n == 1);
    free_jobs(&j);
}

static void test_error_truncated(void)
{
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    /* a second mapping cut short: the first is still handed over */
    char text[16384];
    snprintf(text, sizeof text, "%s", make_export("Expression", "UPPER(EMAIL)", "EMAIL", "<MAPPING NAME=\"m_cut\">\n  <INSTANCE NAME=\"X\"\n"));
    char *end = strstr(text, "</FOLDER>");
    if (end)
        *end = '\0';
    const char *p = tmp_write("infa_err5.xml", text);
    fe_counts c;
    CHECK(read_path(p, NULL, &j, &m, &c) == -1);
    CHECK(j.n == 1 && c.jobs == 1);
    CHECK(m.n_errors == 1);
    CHECK(m.n && strstr(m.text[0], ".xml:38:1: error:") != NULL);
    free_jobs(&j);
}

static void test_detect(void)
{
    const char *a = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- x -->\n<!DOCTYPE POWERMART SYSTEM \"powrmart.dtd\">\n<POWERMART>";
    CHECK(infa_frontend.detect("a.xml", a, strlen(a)) == 100);
    const char *b = "<?xml version=\"1.0\"?><graph/>";
    CHECK(infa_frontend.detect("b.xml", b, strlen(b)) == 0);
}

/* ---- corpus: every file, mapping counts ---- */

typedef struct stats {
    int files, mappings, nodes, workflows, transformations;
    int ops[IR_OP__COUNT];
    int holes_expr, holes_node, holes_sql;
    double seconds;
    long long bytes;
} stats;

static void count_hole(void *ud, const ir_hole_info *h)
{
    stats *s = ud;
    if (strcmp(h->kind, "node") == 0)
        s->holes_node++;
    else if (strcmp(h->kind, "sql") == 0)
        s->holes_sql++;
    else
        s->holes_expr++;
}

static int manifest_mappings(const char *features)
{
    const char *p = strstr(features, " mapping=");
    if (!p)
        p = strstr(features, ";mapping=");
    return p ? atoi(strchr(p, '=') + 1) : 0;
}

static stats corpus_stats;

static void test_corpus_all(void)
{
    if (!has_corpus())
        return;
    char mp[512];
    snprintf(mp, sizeof mp, "%s/informatica/MANIFEST.tsv", ETLPORT_SHARED_CORPUS);
    FILE *fp = fopen(mp, "r");
    CHECK(fp != NULL);
    if (!fp)
        return;
    char line[8192];
    stats *s = &corpus_stats;
    bool header = true;
    while (fgets(line, sizeof line, fp)) {
        if (header) {
            header = false;
            continue;
        }
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        char *features = strrchr(tab + 1, '\t');
        int want = features ? manifest_mappings(features) : 0;
        jobs j = {.n = 0};
        msgs m = {.n = 0};
        fe_counts c;
        char p[8800];
        snprintf(p, sizeof p, "%s/informatica/%s", ETLPORT_SHARED_CORPUS, line);
        struct stat st;
        stat(p, &st);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = read_path(p, NULL, &j, &m, &c);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        s->seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        s->bytes += st.st_size;
        if (rc != 0 || m.n_errors != 0 || j.n != want || c.jobs != j.n) {
            fprintf(stderr, "%s: rc=%d jobs=%d want=%d\n", line, rc, j.n, want);
            for (int i = 0; i < m.n; i++)
                fprintf(stderr, "  %s\n", m.text[i]);
        }
        CHECK(rc == 0);
        CHECK(m.n_errors == 0);
        CHECK(j.n == want);
        s->files++;
        s->mappings += j.n;
        s->workflows += c.workflows;
        s->transformations += c.transformations;
        for (int i = 0; i < j.n; i++) {
            int br = bad_refs(j.v[i]);
            if (br)
                fprintf(stderr, "%s: %s: %d references to a node that is not an input\n", line, j.v[i]->name, br);
            CHECK(br == 0);
            s->nodes += j.v[i]->n_nodes;
            for (int n = 0; n < j.v[i]->n_nodes; n++)
                s->ops[j.v[i]->nodes[n]->op]++;
            ir_job_holes(j.v[i], count_hole, s);
        }
        free_jobs(&j);
    }
    fclose(fp);
    CHECK(s->files >= 60);
}

static void print_stats(void)
{
    stats *s = &corpus_stats;
    if (!s->files)
        return;
    printf("corpus: %d files, %d mappings, %d transformations read, %d workflow objects, %d nodes\n", s->files,
           s->mappings, s->transformations, s->workflows, s->nodes);
    printf("nodes by op:");
    for (int i = 0; i < IR_OP__COUNT; i++)
        if (s->ops[i])
            printf(" %s=%d", ir_op_name((ir_op)i), s->ops[i]);
    printf("\nholes: expression=%d node=%d sql=%d\n", s->holes_expr, s->holes_node, s->holes_sql);
    printf("throughput: %.1f MB in %.3f s = %.1f MB/s\n", (double)s->bytes / 1e6, s->seconds,
           s->seconds > 0 ? (double)s->bytes / 1e6 / s->seconds : 0.0);
}

static int dump(const char *path, const char *params)
{
    jobs j = {.n = 0};
    msgs m = {.n = 0};
    fe_counts c;
    const char *pfs[] = {params};
    fe_options o = {.params_files = params ? pfs : NULL, .n_params_files = params ? 1 : 0};
    int rc = read_path(path, &o, &j, &m, &c);
    for (int i = 0; i < j.n; i++) {
        strbuf sb = STRBUF_INIT;
        ir_job_to_json(j.v[i], &sb);
        printf("%s\n", sb_cstr(&sb));
        sb_free(&sb);
    }
    for (int i = 0; i < m.n; i++)
        fprintf(stderr, "%s\n", m.text[i]);
    fprintf(stderr, "rc=%d jobs=%d workflows=%d transformations=%d\n", rc, c.jobs, c.workflows, c.transformations);
    free_jobs(&j);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--dump") == 0)
        return dump(argv[2], argc >= 4 ? argv[3] : NULL);
    RUN(test_detect);
    RUN(test_good_inline);
    RUN(test_error_unknown_type);
    RUN(test_error_expression);
    RUN(test_error_connector);
    RUN(test_error_truncated);
    RUN(test_update_strategy_merge);
    RUN(test_router_groups);
    RUN(test_joiner);
    RUN(test_aggregator);
    RUN(test_mapplet_and_unconnected_lookup);
    RUN(test_union_normalizer_sequence);
    RUN(test_corpus_all);
    print_stats();
    return TEST_SUMMARY();
}
