/*
 * test_infa_sql.c — SQL held in Informatica attributes, lowered with the SQL frontend:
 *   - a Source Qualifier "Sql Query" with a join and a WHERE becomes nodes, and the SQ's ports
 *     take the select list by position (names differ on purpose);
 *   - a "Source Filter" with $$parameters (also inside quotes) becomes the source's predicate;
 *   - a "User Defined Join" becomes the JOIN condition between the SQ's sources; a bare column
 *     name found in both sources stays a hole (never a guess);
 *   - a "Lookup Sql Override" feeds the lookup ports by alias name; a "Lookup Source Filter"
 *     becomes the lookup source's predicate;
 *   - an override that does not parse stays a sql hole, with a warning at its file:line:col
 *     (inside a value whose newlines are &#xA; entities);
 *   - a select list whose size matches no port count stays a hole with a warning;
 *   - definitions in exports are partial: a column the override names on exactly one table joins
 *     that table's SOURCE (type unknown); a bare name with several tables stays a hole; a
 *     user-defined join naming a qualified column its source's definition lacks is lowered too;
 *   - Oracle (+) on a constant comparison goes into the outer join's condition; a (+) with no
 *     place (in the select list) keeps the override as legacy SQL (SQLFE_LOSSY, not message text);
 *   - on the real corpus (skipped when missing), how many sql holes remain.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "frontends/frontend.h"
#include "ir/ir.h"
#include "tests/infa/infa_testutil.h"
#include "tests/testlib.h"

#ifndef ETLPORT_SHARED_CORPUS
#define ETLPORT_SHARED_CORPUS "../shared/corpus"
#endif

/* the messages of the last read */
static int n_errors, n_warnings;
static char warn_text[16][512];
static int warn_line[16], warn_col[16];
static bool quiet;

static void keep_msg(void *ud, const diag *d)
{
    (void)ud;
    if (d->level == DIAG_ERROR) {
        n_errors++;
        if (!quiet)
            fprintf(stderr, "%s:%d:%d: error: %s\n", d->file ? d->file : "", d->line, d->col, d->message);
    } else if (d->level == DIAG_WARNING) {
        if (n_warnings < 16) {
            snprintf(warn_text[n_warnings], sizeof warn_text[0], "%s", d->message);
            warn_line[n_warnings] = d->line;
            warn_col[n_warnings] = d->col;
        }
        n_warnings++;
    }
}

static int read_text(const char *name, const char *text, jobs *j)
{
    n_errors = n_warnings = 0;
    int rc = read_export_text(name, text, j, keep_msg);
    return rc == 0 && n_errors == 0 ? 0 : -1;
}

static int count_kind(const ir_expr *e, ir_expr_kind kind)
{
    if (!e)
        return 0;
    int k = e->kind == kind;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            k += count_kind(e->u.call.args[i], kind);
    return k;
}

static bool has_param(const ir_expr *e, const char *name)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_PARAM)
        return strcmp(e->u.param.name, name) == 0;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (has_param(e->u.call.args[i], name))
                return true;
    return false;
}

typedef struct holes {
    int sql, expr, node;
} holes;

static void count_hole(void *ud, const ir_hole_info *h)
{
    holes *c = ud;
    if (strcmp(h->kind, "sql") == 0)
        c->sql++;
    else if (strcmp(h->kind, "node") == 0)
        c->node++;
    else
        c->expr++;
}

static holes job_holes(const ir_job *job)
{
    holes c = {0, 0, 0};
    if (job)
        ir_job_holes(job, count_hole, &c);
    return c;
}

/* Every reference names an input of its node (or, on a source, the node itself). */
static int bad_refs_expr(const ir_job *job, const ir_node *n, const ir_expr *e)
{
    if (!e)
        return 0;
    if (e->kind == IR_EX_REF) {
        if (n->op == IR_OP_SOURCE && e->u.ref.node == n->id)
            return 0;
        for (int i = 0; i < n->n_inputs; i++)
            if (n->inputs[i] == e->u.ref.node) {
                const ir_node *in = ir_job_node(job, e->u.ref.node);
                return in && ir_node_col(in, e->u.ref.col) ? 0 : 1;
            }
        return 1;
    }
    int k = 0;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            k += bad_refs_expr(job, n, e->u.call.args[i]);
    return k;
}

static int bad_refs(const ir_job *job)
{
    int k = 0;
    for (int i = 0; job && i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        for (int c = 0; c < n->n_cols; c++)
            k += bad_refs_expr(job, n, n->cols[c].expr);
        k += bad_refs_expr(job, n, n->predicate);
    }
    return k;
}

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<POWERMART CREATION_DATE=\"\" REPOSITORY_VERSION=\"189.98\">\n"                               \
    "<REPOSITORY NAME=\"R\">\n"                                                                    \
    "<FOLDER NAME=\"F\">\n"
#define TAIL "</FOLDER>\n</REPOSITORY>\n</POWERMART>\n"
#define SRC_A                                                                                      \
    "<SOURCE DATABASETYPE=\"Oracle\" DBDNAME=\"D\" NAME=\"A\" OWNERNAME=\"S\">\n"                   \
    " <SOURCEFIELD DATATYPE=\"number\" KEYTYPE=\"PRIMARY KEY\" NAME=\"ID\" PRECISION=\"10\" SCALE=\"0\"/>\n" \
    " <SOURCEFIELD DATATYPE=\"number\" NAME=\"B_ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"               \
    " <SOURCEFIELD DATATYPE=\"varchar2\" NAME=\"TXT\" PRECISION=\"20\" SCALE=\"0\"/>\n"             \
    "</SOURCE>\n"
#define SRC_B                                                                                      \
    "<SOURCE DATABASETYPE=\"Oracle\" DBDNAME=\"D\" NAME=\"B\" OWNERNAME=\"S\">\n"                   \
    " <SOURCEFIELD DATATYPE=\"number\" KEYTYPE=\"PRIMARY KEY\" NAME=\"B_ID\" PRECISION=\"10\" SCALE=\"0\"/>\n" \
    " <SOURCEFIELD DATATYPE=\"varchar2\" NAME=\"NAME\" PRECISION=\"30\" SCALE=\"0\"/>\n"            \
    "</SOURCE>\n"
#define TGT_T                                                                                      \
    "<TARGET DATABASETYPE=\"Oracle\" NAME=\"T\">\n"                                                \
    " <TARGETFIELD DATATYPE=\"number\" NAME=\"ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"                 \
    " <TARGETFIELD DATATYPE=\"varchar2\" NAME=\"TXT\" PRECISION=\"30\" SCALE=\"0\"/>\n"             \
    "</TARGET>\n"
#define CONN(ff, fi, ft, tf, ti, tt)                                                               \
    " <CONNECTOR FROMFIELD=\"" ff "\" FROMINSTANCE=\"" fi "\" FROMINSTANCETYPE=\"" ft "\" TOFIELD=\"" tf \
    "\" TOINSTANCE=\"" ti "\" TOINSTANCETYPE=\"" tt "\"/>\n"
#define INST(n, t, k) " <INSTANCE NAME=\"" n "\" TRANSFORMATION_NAME=\"" n "\" TRANSFORMATION_TYPE=\"" t "\" TYPE=\"" k "\"/>\n"
#define FIELD(type, name, prec) \
    "  <TRANSFORMFIELD DATATYPE=\"" type "\" NAME=\"" name "\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"" prec "\" SCALE=\"0\"/>\n"

/* A Source Qualifier SQ over A (ports ID, B_ID, TXT) with the given attributes, into T(ID, TXT). */
#define SQ_OVER_A(attrs)                                                                           \
    HEAD SRC_A SRC_B TGT_T "<MAPPING NAME=\"m_sq\" ISVALID=\"YES\">\n"                             \
    " <TRANSFORMATION NAME=\"SQ\" TYPE=\"Source Qualifier\">\n" FIELD("decimal", "ID", "10")       \
        FIELD("decimal", "B_ID", "10") FIELD("string", "TXT", "30") attrs " </TRANSFORMATION>\n"   \
    INST("A", "Source Definition", "SOURCE") INST("SQ", "Source Qualifier", "TRANSFORMATION")      \
    INST("T", "Target Definition", "TARGET")                                                       \
    CONN("ID", "A", "Source Definition", "ID", "SQ", "Source Qualifier")                           \
    CONN("B_ID", "A", "Source Definition", "B_ID", "SQ", "Source Qualifier")                       \
    CONN("TXT", "A", "Source Definition", "TXT", "SQ", "Source Qualifier")                         \
    CONN("ID", "SQ", "Source Qualifier", "ID", "T", "Target Definition")                           \
    CONN("TXT", "SQ", "Source Qualifier", "TXT", "T", "Target Definition")                         \
    "</MAPPING>\n" TAIL

static void find_pos(const char *text, const char *needle, int *line, int *col)
{
    const char *p = strstr(text, needle);
    *line = 1;
    const char *ls = text;
    for (const char *q = text; p && q < p; q++)
        if (*q == '\n') {
            (*line)++;
            ls = q + 1;
        }
    *col = p ? (int)(p - ls) + 1 : 0;
}

/* ---- SQL override: a join and a WHERE, ports by position ---- */

static const char *override_xml = SQ_OVER_A(
    "  <TABLEATTRIBUTE NAME=\"Sql Query\" VALUE=\"SELECT a.ID AS X, a.B_ID, b.NAME&#xD;&#xA;FROM S.A a JOIN S.B b ON a.B_ID = "
    "b.B_ID&#xD;&#xA;WHERE a.TXT = &apos;$$KIND&apos; AND b.NAME IS NOT NULL\"/>\n"
    "  <TABLEATTRIBUTE NAME=\"Source Filter\" VALUE=\"A.TXT = &apos;ignored&apos;\"/>\n");

static void test_override_join_where(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_sql_override.xml", override_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *sq = node_named(job, "SQ");
    CHECK(sq && sq->op == IR_OP_PROJECT && sq->sql == NULL && sq->n_inputs == 1);
    CHECK(sq && prop_of(sq, "sql_override") && strstr(prop_of(sq, "sql_override"), "JOIN S.B b") != NULL);
    /* the override replaces the source filter: kept for reviewers only */
    CHECK(sq && prop_of(sq, "Source Filter") != NULL);
    CHECK(count_op(job, IR_OP_JOIN) == 1 && count_op(job, IR_OP_FILTER) == 1 && count_op(job, IR_OP_SOURCE) == 2);
    ir_node *out = sq ? ir_job_node(job, sq->inputs[0]) : NULL;
    CHECK(out && out->n_cols == 3);
    /* by position: port ID <- X, B_ID <- B_ID, TXT <- NAME */
    ir_column *id = sq ? ir_node_col(sq, "ID") : NULL, *txt = sq ? ir_node_col(sq, "TXT") : NULL;
    CHECK(id && id->expr && id->expr->kind == IR_EX_REF && out && id->expr->u.ref.node == out->id &&
          strcmp(id->expr->u.ref.col, out->cols[0].name) == 0);
    CHECK(txt && txt->expr && txt->expr->kind == IR_EX_REF && out && strcmp(txt->expr->u.ref.col, out->cols[2].name) == 0);
    CHECK(sq && sq->n_cols == 3 && strcmp(sq->cols[1].name, "B_ID") == 0);
    /* the WHERE keeps the parameter quoted in the text */
    bool param = false;
    for (int i = 0; job && i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_FILTER)
            param = has_param(job->nodes[i]->predicate, "KIND");
    CHECK(param);
    holes h = job_holes(job);
    CHECK(h.sql == 0 && h.expr == 0);
    CHECK(bad_refs(job) == 0);
    /* spans of the lowered nodes point into the XML attribute (line 18 of the export) */
    ir_node *jn = NULL;
    for (int i = 0; job && i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_JOIN)
            jn = job->nodes[i];
    int line, col;
    find_pos(override_xml, "Sql Query", &line, &col);
    CHECK(jn && jn->span.line == line && jn->name != NULL);
    CHECK(n_warnings == 0);
    free_jobs(&j);
}

/* ---- a select list matching the connected ports only ---- */

static const char *connected_xml = SQ_OVER_A(
    "  <TABLEATTRIBUTE NAME=\"Sql Query\" VALUE=\"SELECT ID, UPPER(TXT) FROM S.A\"/>\n");

static void test_override_connected_ports(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_sql_connected.xml", connected_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *sq = node_named(job, "SQ");
    /* 2 columns, 3 ports of which 2 (ID, TXT) are connected: they take the columns in order */
    CHECK(sq && sq->op == IR_OP_PROJECT && sq->sql == NULL && sq->n_cols == 2);
    ir_column *txt = sq ? ir_node_col(sq, "TXT") : NULL;
    ir_node *out = sq ? ir_job_node(job, sq->inputs[0]) : NULL;
    CHECK(txt && out && txt->expr->kind == IR_EX_REF && strcmp(txt->expr->u.ref.col, out->cols[1].name) == 0);
    CHECK(bad_refs(job) == 0);
    free_jobs(&j);
}

/* ---- source filter with parameters ---- */

static const char *filter_xml = SQ_OVER_A(
    "  <TABLEATTRIBUTE NAME=\"Source Filter\" VALUE=\"A.TXT = &apos;$$KIND&apos; AND ID &gt; $$MIN_ID\"/>\n");

static void test_source_filter_param(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_sql_filter.xml", filter_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *sq = node_named(job, "SQ");
    CHECK(sq && sq->op == IR_OP_SOURCE && sq->predicate && count_kind(sq->predicate, IR_EX_HOLE) == 0);
    CHECK(sq && has_param(sq->predicate, "KIND") && has_param(sq->predicate, "MIN_ID"));
    CHECK(sq && count_kind(sq->predicate, IR_EX_REF) == 2);
    CHECK(sq && sq->legacy && strstr(sq->legacy, "$$MIN_ID") != NULL);
    CHECK(sq && prop_of(sq, "source_filter") != NULL);
    CHECK(job && ir_job_param(job, "MIN_ID") != NULL);
    CHECK(job_holes(job).expr == 0);
    free_jobs(&j);
}

/* ---- user-defined join ---- */

#define TWO_SRC(udj)                                                                               \
    HEAD SRC_A SRC_B TGT_T "<MAPPING NAME=\"m_udj\" ISVALID=\"YES\">\n"                            \
    " <TRANSFORMATION NAME=\"SQ_AB\" TYPE=\"Source Qualifier\">\n" FIELD("decimal", "ID", "10")    \
        FIELD("decimal", "B_ID", "10") FIELD("string", "NAME", "30")                               \
    "  <TABLEATTRIBUTE NAME=\"User Defined Join\" VALUE=\"" udj "\"/>\n"                           \
    "  <TABLEATTRIBUTE NAME=\"Source Filter\" VALUE=\"B.NAME LIKE &apos;X%&apos;\"/>\n"             \
    " </TRANSFORMATION>\n"                                                                         \
    INST("A", "Source Definition", "SOURCE") INST("B", "Source Definition", "SOURCE")              \
    " <INSTANCE NAME=\"SQ_AB\" TRANSFORMATION_NAME=\"SQ_AB\" TRANSFORMATION_TYPE=\"Source Qualifier\" " \
    "TYPE=\"TRANSFORMATION\">\n  <ASSOCIATED_SOURCE_INSTANCE NAME=\"A\"/>\n  <ASSOCIATED_SOURCE_INSTANCE " \
    "NAME=\"B\"/>\n </INSTANCE>\n" INST("T", "Target Definition", "TARGET")                        \
    CONN("ID", "A", "Source Definition", "ID", "SQ_AB", "Source Qualifier")                        \
    CONN("B_ID", "A", "Source Definition", "B_ID", "SQ_AB", "Source Qualifier")                    \
    CONN("NAME", "B", "Source Definition", "NAME", "SQ_AB", "Source Qualifier")                    \
    CONN("ID", "SQ_AB", "Source Qualifier", "ID", "T", "Target Definition")                        \
    CONN("NAME", "SQ_AB", "Source Qualifier", "TXT", "T", "Target Definition")                     \
    "</MAPPING>\n" TAIL

static const char *udj_xml = TWO_SRC("S.A.B_ID = B.B_ID AND A.ID &gt; 0");
static const char *udj_bare_xml = TWO_SRC("B_ID = B_ID");

static void test_user_defined_join(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_sql_udj.xml", udj_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *a = node_named(job, "A"), *b = node_named(job, "B"), *jn = node_named(job, "SQ_AB");
    CHECK(a && b && jn && jn->op == IR_OP_JOIN && jn->join == IR_JOIN_INNER);
    CHECK(jn && jn->predicate && count_kind(jn->predicate, IR_EX_HOLE) == 0);
    char want[128];
    snprintf(want, sizeof want, "and(eq(#%d.B_ID, #%d.B_ID), gt(#%d.ID, 0))", a ? a->id : 0, b ? b->id : 0,
             a ? a->id : 0);
    CHECK_STR(jn ? expr_text(jn->predicate) : NULL, want);
    /* the source filter over both sources: a FILTER after the join, B.NAME through the join */
    ir_node *f = node_named(job, "SQ_AB.source_filter");
    CHECK(f && f->op == IR_OP_FILTER && f->predicate && count_kind(f->predicate, IR_EX_HOLE) == 0);
    CHECK(bad_refs(job) == 0);
    free_jobs(&j);

    /* a bare name present in both sources: which one is meant is a guess, so the hole stays */
    CHECK(read_text("infa_sql_udj_bare.xml", udj_bare_xml, &j) == 0);
    job = j.n ? j.v[0] : NULL;
    jn = node_named(job, "SQ_AB");
    CHECK(jn && jn->predicate && jn->predicate->kind == IR_EX_HOLE);
    CHECK(bad_refs(job) == 0);
    free_jobs(&j);
}

/* ---- lookup override by alias, lookup source filter ---- */

#define LKP_MAPPING(attrs)                                                                         \
    HEAD SRC_A SRC_B TGT_T "<MAPPING NAME=\"m_lkp\" ISVALID=\"YES\">\n"                            \
    " <TRANSFORMATION NAME=\"SQ\" TYPE=\"Source Qualifier\">\n" FIELD("decimal", "ID", "10")       \
        FIELD("decimal", "B_ID", "10") FIELD("string", "TXT", "30") " </TRANSFORMATION>\n"         \
    " <TRANSFORMATION NAME=\"LKP\" TYPE=\"Lookup Procedure\">\n"                                  \
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"K\" PORTTYPE=\"LOOKUP/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n" \
    "  <TRANSFORMFIELD DATATYPE=\"string\" NAME=\"V\" PORTTYPE=\"LOOKUP/OUTPUT\" PRECISION=\"30\" SCALE=\"0\"/>\n" \
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"IN_K\" PORTTYPE=\"INPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n" \
    attrs                                                                                          \
    "  <TABLEATTRIBUTE NAME=\"Lookup table name\" VALUE=\"B\"/>\n"                                  \
    "  <TABLEATTRIBUTE NAME=\"Lookup condition\" VALUE=\"K = IN_K\"/>\n"                            \
    "  <TABLEATTRIBUTE NAME=\"Lookup policy on multiple match\" VALUE=\"Use Any Value\"/>\n"        \
    " </TRANSFORMATION>\n"                                                                         \
    INST("A", "Source Definition", "SOURCE") INST("SQ", "Source Qualifier", "TRANSFORMATION")      \
    INST("LKP", "Lookup Procedure", "TRANSFORMATION") INST("T", "Target Definition", "TARGET")     \
    CONN("ID", "A", "Source Definition", "ID", "SQ", "Source Qualifier")                           \
    CONN("B_ID", "A", "Source Definition", "B_ID", "SQ", "Source Qualifier")                       \
    CONN("TXT", "A", "Source Definition", "TXT", "SQ", "Source Qualifier")                         \
    CONN("B_ID", "SQ", "Source Qualifier", "IN_K", "LKP", "Lookup Procedure")                      \
    CONN("ID", "SQ", "Source Qualifier", "ID", "T", "Target Definition")                           \
    CONN("V", "LKP", "Lookup Procedure", "TXT", "T", "Target Definition")                          \
    "</MAPPING>\n" TAIL

static const char *lkp_xml = LKP_MAPPING(
    "  <TABLEATTRIBUTE NAME=\"Lookup Sql Override\" VALUE=\"SELECT x.NAME AS V, x.B_ID AS K FROM S.B x "
    "WHERE x.NAME IS NOT NULL --\"/>\n");
static const char *lkp_filter_xml = LKP_MAPPING(
    "  <TABLEATTRIBUTE NAME=\"Lookup Source Filter\" VALUE=\"V &lt;&gt; &apos;$$SKIP&apos;\"/>\n");
/* a filter on a column of the lookup table that no lookup port returns */
static const char *lkp_filter_other_xml = LKP_MAPPING(
    "  <TABLEATTRIBUTE NAME=\"Lookup Source Filter\" VALUE=\"B.ACTIVE_FLAG = &apos;Y&apos; AND V IS NOT NULL\"/>\n");

static void test_lookup_override(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_sql_lkp.xml", lkp_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *lk = node_named(job, "LKP"), *ls = node_named(job, "LKP.lookup_source");
    CHECK(lk && lk->op == IR_OP_LOOKUP && ls && ls->op == IR_OP_PROJECT && ls->sql == NULL);
    CHECK(lk && ls && lk->n_inputs == 2 && lk->inputs[1] == ls->id);
    /* by alias: K is the second select item, V the first */
    ir_node *out = ls ? ir_job_node(job, ls->inputs[0]) : NULL;
    ir_column *k = ls ? ir_node_col(ls, "K") : NULL, *v = ls ? ir_node_col(ls, "V") : NULL;
    CHECK(out && k && v && out->n_cols == 2);
    CHECK(k && out && strcmp(k->expr->u.ref.col, out->cols[1].name) == 0);
    CHECK(v && out && strcmp(v->expr->u.ref.col, out->cols[0].name) == 0);
    CHECK(lk && lk->predicate && count_kind(lk->predicate, IR_EX_HOLE) == 0);
    CHECK(job_holes(job).sql == 0 && job_holes(job).expr == 0);
    CHECK(bad_refs(job) == 0);
    free_jobs(&j);

    CHECK(read_text("infa_sql_lkp_filter.xml", lkp_filter_xml, &j) == 0);
    job = j.n ? j.v[0] : NULL;
    ls = node_named(job, "LKP.lookup_source");
    CHECK(ls && ls->op == IR_OP_SOURCE && ls->predicate && count_kind(ls->predicate, IR_EX_HOLE) == 0);
    CHECK(ls && has_param(ls->predicate, "SKIP"));
    CHECK(bad_refs(job) == 0);
    free_jobs(&j);

    /* the filter runs against the lookup table: ACTIVE_FLAG is its column though no port has it */
    CHECK(read_text("infa_sql_lkp_filter2.xml", lkp_filter_other_xml, &j) == 0);
    job = j.n ? j.v[0] : NULL;
    ls = node_named(job, "LKP.lookup_source");
    CHECK(ls && ls->predicate && count_kind(ls->predicate, IR_EX_HOLE) == 0);
    CHECK(ls && ir_node_col_ci(ls, "ACTIVE_FLAG") != NULL);
    lk = node_named(job, "LKP");
    CHECK(lk && ir_node_col_ci(lk, "ACTIVE_FLAG") == NULL); /* not a lookup output */
    CHECK(job_holes(job).expr == 0 && bad_refs(job) == 0);
    free_jobs(&j);
}

/* ---- partial definitions ---- */

/* EXTRA is not in A's definition: the query runs against the real table, which has it */
static const char *partial_xml = SQ_OVER_A(
    "  <TABLEATTRIBUTE NAME=\"Sql Query\" VALUE=\"SELECT a.ID, a.B_ID, a.EXTRA FROM S.A a\"/>\n");
/* two tables: a bare EXTRA could be in either */
static const char *partial_bare_xml = SQ_OVER_A(
    "  <TABLEATTRIBUTE NAME=\"Sql Query\" VALUE=\"SELECT a.ID, a.B_ID, EXTRA FROM S.A a JOIN S.B b ON a.B_ID = "
    "b.B_ID\"/>\n");
static const char *udj_partial_xml = TWO_SRC("A.B_ID = B.B_ID AND B.ACTIVE = 1");

static void test_partial_definitions(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_sql_partial.xml", partial_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *sq = node_named(job, "SQ");
    CHECK(sq && sq->op == IR_OP_PROJECT && sq->sql == NULL);
    ir_node *src = NULL;
    for (int i = 0; job && i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_SOURCE)
            src = job->nodes[i];
    ir_column *ex = src ? ir_node_col(src, "EXTRA") : NULL;
    CHECK(ex && ex->type.kind == IR_TY_UNKNOWN);
    CHECK(src && prop_of(src, "columns_not_in_definition") &&
          strcmp(prop_of(src, "columns_not_in_definition"), "EXTRA") == 0);
    CHECK(job_holes(job).sql == 0 && job_holes(job).expr == 0);
    CHECK(bad_refs(job) == 0 && n_warnings == 0);
    free_jobs(&j);

    CHECK(read_text("infa_sql_partial_bare.xml", partial_bare_xml, &j) == 0);
    job = j.n ? j.v[0] : NULL;
    CHECK(job_holes(job).sql == 0 && job_holes(job).expr == 1);
    CHECK(n_warnings == 1 && strstr(warn_text[0], "could come from several tables") != NULL);
    CHECK(bad_refs(job) == 0);
    free_jobs(&j);

    /* B.ACTIVE: qualified by one source, absent from its definition: a column of B */
    CHECK(read_text("infa_sql_udj_partial.xml", udj_partial_xml, &j) == 0);
    job = j.n ? j.v[0] : NULL;
    ir_node *b = node_named(job, "B"), *jn = node_named(job, "SQ_AB");
    CHECK(jn && jn->op == IR_OP_JOIN && jn->predicate && count_kind(jn->predicate, IR_EX_HOLE) == 0);
    CHECK(b && ir_node_col(b, "ACTIVE") && ir_node_col(b, "ACTIVE")->type.kind == IR_TY_UNKNOWN);
    CHECK(bad_refs(job) == 0);
    free_jobs(&j);
}

/* ---- Oracle (+) ---- */

static const char *plus_const_xml = SQ_OVER_A(
    "  <TABLEATTRIBUTE NAME=\"Sql Query\" VALUE=\"SELECT a.ID, a.B_ID, b.NAME FROM S.A a, S.B b WHERE a.B_ID = "
    "b.B_ID(+) AND b.NAME(+) = &apos;X&apos;\"/>\n");
static const char *plus_lost_xml = SQ_OVER_A(
    "  <TABLEATTRIBUTE NAME=\"Sql Query\" VALUE=\"SELECT a.ID, a.B_ID, b.NAME(+) FROM S.A a, S.B b WHERE a.B_ID = "
    "b.B_ID(+)\"/>\n");

static void test_oracle_outer_join(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_sql_plus.xml", plus_const_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *sq = node_named(job, "SQ"), *jn = NULL;
    for (int i = 0; job && i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_JOIN)
            jn = job->nodes[i];
    CHECK(sq && sq->op == IR_OP_PROJECT && sq->sql == NULL);
    CHECK(jn && jn->join == IR_JOIN_LEFT && jn->predicate && strstr(expr_text(jn->predicate), "'X'") != NULL);
    CHECK(count_op(job, IR_OP_FILTER) == 0); /* not a WHERE filter: that would drop the outer rows */
    CHECK(job_holes(job).sql == 0 && job_holes(job).expr == 0 && n_warnings == 0);
    CHECK(bad_refs(job) == 0);
    free_jobs(&j);

    CHECK(read_text("infa_sql_plus_lost.xml", plus_lost_xml, &j) == 0);
    job = j.n ? j.v[0] : NULL;
    sq = node_named(job, "SQ");
    CHECK(sq && sq->op == IR_OP_SOURCE && sq->sql != NULL);
    CHECK(job_holes(job).sql == 1 && job && job->n_nodes == 2);
    bool said = false;
    for (int i = 0; i < n_warnings && i < 16; i++)
        said |= strstr(warn_text[i], "part of the SQL override would be ignored") != NULL;
    CHECK(said);
    free_jobs(&j);
}

/* ---- what stays a hole ---- */

/* The error is on the second line of the SQL; the XML keeps the value on one line. */
static const char *bad_xml = SQ_OVER_A(
    "  <TABLEATTRIBUTE NAME=\"Sql Query\" VALUE=\"SELECT ID, B_ID, TXT&#xA;FROM S.A WHERE ID IN (1,,2)\"/>\n");
static const char *count_xml = SQ_OVER_A(
    "  <TABLEATTRIBUTE NAME=\"Sql Query\" VALUE=\"SELECT ID FROM S.A\"/>\n");

static void test_unparsable_override(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_sql_bad.xml", bad_xml, &j) == 0); /* converts: warnings only */
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *sq = node_named(job, "SQ");
    CHECK(sq && sq->op == IR_OP_SOURCE && sq->sql && strstr(sq->sql, "(1,,2)"));
    CHECK(job_holes(job).sql == 1);
    CHECK(n_warnings >= 1);
    int line, col;
    find_pos(bad_xml, ",2)\"", &line, &col); /* the second comma */
    CHECK(n_warnings >= 1 && warn_line[0] == line && warn_col[0] == col);
    if (n_warnings >= 1 && (warn_line[0] != line || warn_col[0] != col))
        fprintf(stderr, "  warning at %d:%d (%s), want %d:%d\n", warn_line[0], warn_col[0], warn_text[0], line, col);
    CHECK(n_warnings >= 1 && strstr(warn_text[0], "kept as legacy SQL") != NULL);
    free_jobs(&j);

    /* one column for three ports, two of them connected: no position rule applies */
    CHECK(read_text("infa_sql_count.xml", count_xml, &j) == 0);
    job = j.n ? j.v[0] : NULL;
    sq = node_named(job, "SQ");
    CHECK(sq && sq->op == IR_OP_SOURCE && sq->sql != NULL);
    CHECK(job && job->n_nodes == 2); /* the lowering was rolled back: SQ and T only */
    find_pos(count_xml, "SELECT ID FROM", &line, &col);
    CHECK(n_warnings == 1 && warn_line[0] == line && warn_col[0] == col && strstr(warn_text[0], "1 columns for 3 ports"));
    free_jobs(&j);
}

/* ---- the real corpus ---- */

static holes corpus_holes;
static int corpus_jobs, corpus_bad;

static void count_job(void *ud, ir_job *job)
{
    (void)ud;
    holes h = job_holes(job);
    corpus_holes.sql += h.sql, corpus_holes.expr += h.expr, corpus_holes.node += h.node;
    corpus_bad += bad_refs(job);
    corpus_jobs++;
    ir_job_free(job);
}

/* sql holes on ../shared/corpus/informatica before this lowering: 69 (and 36 source-filter
 * holes); after: 26 and 10. Then columns missing from partial definitions, Oracle (+) in outer join
 * conditions and ODBC escapes: sql 26 -> 24, expression 221 -> 215 (47 "has no column" / "unknown
 * column" holes -> 1 ambiguous one; two overrides now lowered show 40 finer holes of their own:
 * user functions, TRUNC of untyped columns, subqueries). The ceilings leave a little room. */
enum { SQL_HOLES_BEFORE = 69, SQL_HOLES_CEILING = 25, EXPR_HOLES_CEILING = 218 };

static void test_corpus_sql_holes(void)
{
    char mp[512];
    snprintf(mp, sizeof mp, "%s/informatica/MANIFEST.tsv", ETLPORT_SHARED_CORPUS);
    FILE *fp = fopen(mp, "r");
    if (!fp) {
        printf("corpus: %s missing, skipped\n", mp);
        return;
    }
    char line[8192];
    int files = 0;
    bool header = true;
    quiet = true;
    while (fgets(line, sizeof line, fp)) {
        if (header) {
            header = false;
            continue;
        }
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        char p[8800];
        snprintf(p, sizeof p, "%s/informatica/%s", ETLPORT_SHARED_CORPUS, line);
        diag_ctx dc;
        diag_init(&dc, keep_msg, NULL);
        n_errors = n_warnings = 0;
        infa_frontend.read(p, NULL, &dc, count_job, NULL, NULL);
        CHECK(n_errors == 0);
        files++;
    }
    fclose(fp);
    quiet = false;
    printf("corpus: %d files, %d mappings: %d sql holes (were %d), %d expression holes, %d node holes\n", files,
           corpus_jobs, corpus_holes.sql, SQL_HOLES_BEFORE, corpus_holes.expr, corpus_holes.node);
    CHECK(corpus_holes.sql <= SQL_HOLES_CEILING);
    CHECK(corpus_holes.expr <= EXPR_HOLES_CEILING);
    CHECK(corpus_bad == 0);
}

int main(void)
{
    RUN(test_override_join_where);
    RUN(test_override_connected_ports);
    RUN(test_source_filter_param);
    RUN(test_user_defined_join);
    RUN(test_lookup_override);
    RUN(test_unparsable_override);
    RUN(test_partial_definitions);
    RUN(test_oracle_outer_join);
    RUN(test_corpus_sql_holes);
    return TEST_SUMMARY();
}
