/*
 * test_infa_state.c — Expression variable ports that keep state between rows (PowerCenter
 * evaluates ports row by row in port order; a variable read before it is set holds the previous
 * row's value) lowered to window nodes, each on a small export written here:
 *   - previous value (V read before it is assigned) → lag(expr, 1, initial value);
 *   - a counter reset per group → island = running sum of the reset, row_number() within it;
 *   - carry-forward IIF(new, X, V) → first_value within the island;
 *   - running total IIF(new, X, V + X) → sum within the island, guarded for NULL steps;
 *   - no known input order → windows without order keys, columns ORDER_DEPENDENT, a prop;
 *   - any other recurrence stays a hole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "frontends/frontend.h"
#include "ir/ir.h"
#include "tests/infa/infa_testutil.h"
#include "tests/testlib.h"

static int n_errors;

static void keep_msg(void *ud, const diag *d)
{
    (void)ud;
    if (d->level == DIAG_ERROR) {
        n_errors++;
        fprintf(stderr, "%s:%d:%d: %s\n", d->file ? d->file : "", d->line, d->col, d->message);
    }
}

static int read_text(const char *name, const char *text, jobs *j)
{
    n_errors = 0;
    int rc = read_export_text(name, text, j, keep_msg);
    return rc == 0 && n_errors == 0 ? 0 : -1;
}

static bool has_hole(const ir_expr *e)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_HOLE)
        return true;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (has_hole(e->u.call.args[i]))
                return true;
    return false;
}

#define VAR(name, type, prec, expr)                                                                \
    "  <TRANSFORMFIELD DATATYPE=\"" type "\" EXPRESSION=\"" expr "\" NAME=\"" name                  \
    "\" PORTTYPE=\"LOCAL VARIABLE\" PRECISION=\"" prec "\" SCALE=\"0\"/>\n"

/* A(ID, B_ID, TXT) -> SQ_A (%s sorted ports) -> EXP (variables %s, O_NUM = %s, O_TXT = %s) -> T */
static const char *tmpl =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<POWERMART CREATION_DATE=\"\" REPOSITORY_VERSION=\"189.98\">\n<REPOSITORY NAME=\"R\">\n<FOLDER NAME=\"F\">\n"
    "<SOURCE DATABASETYPE=\"Oracle\" DBDNAME=\"D\" NAME=\"A\" OWNERNAME=\"S\">\n"
    " <SOURCEFIELD DATATYPE=\"number\" NAME=\"B_ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    " <SOURCEFIELD DATATYPE=\"number\" NAME=\"ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    " <SOURCEFIELD DATATYPE=\"varchar2\" NAME=\"TXT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    "</SOURCE>\n"
    "<TARGET DATABASETYPE=\"Oracle\" NAME=\"T\">\n"
    " <TARGETFIELD DATATYPE=\"number\" NAME=\"ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    " <TARGETFIELD DATATYPE=\"number\" NAME=\"NUM\" PRECISION=\"15\" SCALE=\"0\"/>\n"
    " <TARGETFIELD DATATYPE=\"varchar2\" NAME=\"TXT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    "</TARGET>\n"
    "<MAPPING NAME=\"m_state\" ISVALID=\"YES\">\n"
    " <TRANSFORMATION NAME=\"SQ_A\" TYPE=\"Source Qualifier\">\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"B_ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"string\" NAME=\"TXT\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    "  <TABLEATTRIBUTE NAME=\"Number Of Sorted Ports\" VALUE=\"%s\"/>\n"
    " </TRANSFORMATION>\n"
    " <TRANSFORMATION NAME=\"EXP\" TYPE=\"Expression\">\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"B_ID\" PORTTYPE=\"INPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"string\" NAME=\"TXT\" PORTTYPE=\"INPUT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    "%s"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" EXPRESSION=\"%s\" NAME=\"O_NUM\" PORTTYPE=\"OUTPUT\" PRECISION=\"15\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"string\" EXPRESSION=\"%s\" NAME=\"O_TXT\" PORTTYPE=\"OUTPUT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    " </TRANSFORMATION>\n"
    " <INSTANCE NAME=\"A\" TRANSFORMATION_NAME=\"A\" TRANSFORMATION_TYPE=\"Source Definition\" TYPE=\"SOURCE\"/>\n"
    " <INSTANCE NAME=\"SQ_A\" TRANSFORMATION_NAME=\"SQ_A\" TRANSFORMATION_TYPE=\"Source Qualifier\" TYPE=\"TRANSFORMATION\"/>\n"
    " <INSTANCE NAME=\"EXP\" TRANSFORMATION_NAME=\"EXP\" TRANSFORMATION_TYPE=\"Expression\" TYPE=\"TRANSFORMATION\"/>\n"
    " <INSTANCE NAME=\"T\" TRANSFORMATION_NAME=\"T\" TRANSFORMATION_TYPE=\"Target Definition\" TYPE=\"TARGET\"/>\n"
    " <CONNECTOR FROMFIELD=\"B_ID\" FROMINSTANCE=\"A\" FROMINSTANCETYPE=\"Source Definition\" TOFIELD=\"B_ID\" TOINSTANCE=\"SQ_A\" TOINSTANCETYPE=\"Source Qualifier\"/>\n"
    " <CONNECTOR FROMFIELD=\"ID\" FROMINSTANCE=\"A\" FROMINSTANCETYPE=\"Source Definition\" TOFIELD=\"ID\" TOINSTANCE=\"SQ_A\" TOINSTANCETYPE=\"Source Qualifier\"/>\n"
    " <CONNECTOR FROMFIELD=\"TXT\" FROMINSTANCE=\"A\" FROMINSTANCETYPE=\"Source Definition\" TOFIELD=\"TXT\" TOINSTANCE=\"SQ_A\" TOINSTANCETYPE=\"Source Qualifier\"/>\n"
    " <CONNECTOR FROMFIELD=\"B_ID\" FROMINSTANCE=\"SQ_A\" FROMINSTANCETYPE=\"Source Qualifier\" TOFIELD=\"B_ID\" TOINSTANCE=\"EXP\" TOINSTANCETYPE=\"Expression\"/>\n"
    " <CONNECTOR FROMFIELD=\"ID\" FROMINSTANCE=\"SQ_A\" FROMINSTANCETYPE=\"Source Qualifier\" TOFIELD=\"ID\" TOINSTANCE=\"EXP\" TOINSTANCETYPE=\"Expression\"/>\n"
    " <CONNECTOR FROMFIELD=\"TXT\" FROMINSTANCE=\"SQ_A\" FROMINSTANCETYPE=\"Source Qualifier\" TOFIELD=\"TXT\" TOINSTANCE=\"EXP\" TOINSTANCETYPE=\"Expression\"/>\n"
    " <CONNECTOR FROMFIELD=\"ID\" FROMINSTANCE=\"EXP\" FROMINSTANCETYPE=\"Expression\" TOFIELD=\"ID\" TOINSTANCE=\"T\" TOINSTANCETYPE=\"Target Definition\"/>\n"
    " <CONNECTOR FROMFIELD=\"O_NUM\" FROMINSTANCE=\"EXP\" FROMINSTANCETYPE=\"Expression\" TOFIELD=\"NUM\" TOINSTANCE=\"T\" TOINSTANCETYPE=\"Target Definition\"/>\n"
    " <CONNECTOR FROMFIELD=\"O_TXT\" FROMINSTANCE=\"EXP\" FROMINSTANCETYPE=\"Expression\" TOFIELD=\"TXT\" TOINSTANCE=\"T\" TOINSTANCETYPE=\"Target Definition\"/>\n"
    "</MAPPING>\n</FOLDER>\n</REPOSITORY>\n</POWERMART>\n";

/* The group-change indicator of the corpus: new when B_ID differs from the previous row's. */
#define NEW_AND_PREV(body)                                                                         \
    VAR("V_NEW", "integer", "10", "IIF(B_ID = V_PREV_B, 0, 1)") body                             \
    VAR("V_PREV_B", "decimal", "10", "B_ID")

static ir_job *lower_it(jobs *j, const char *sorted, const char *vars, const char *onum, const char *otxt)
{
    static char xml[16384];
    snprintf(xml, sizeof xml, tmpl, sorted, vars, onum, otxt);
    CHECK(read_text("infa_state.xml", xml, j) == 0);
    return j->n ? j->v[0] : NULL;
}

static ir_column *out_col(ir_job *job, const char *name)
{
    ir_node *e = node_named(job, "EXP");
    return e ? ir_node_col(e, name) : NULL;
}

/* The column a reference names. */
static ir_column *deref(ir_job *job, const ir_expr *e)
{
    if (!e || e->kind != IR_EX_REF)
        return NULL;
    ir_node *n = ir_job_node(job, e->u.ref.node);
    ir_column *c = n ? ir_node_col(n, e->u.ref.col) : NULL;
    /* follow pass-through references */
    while (c && c->expr && c->expr->kind == IR_EX_REF && n->op == IR_OP_WINDOW) {
        n = ir_job_node(job, c->expr->u.ref.node);
        c = n ? ir_node_col(n, c->expr->u.ref.col) : NULL;
    }
    return c;
}

static void test_previous_value(void)
{
    jobs j = {.n = 0};
    ir_job *job = lower_it(&j, "2", NEW_AND_PREV(""), "V_NEW", "TXT");
    ir_node *ord = node_named(job, "EXP.row_order"), *prev = node_named(job, "EXP.previous_row");
    CHECK(ord && ord->op == IR_OP_WINDOW && prev && prev->op == IR_OP_WINDOW);
    /* the order of the sorted Source Qualifier (B_ID, ID), Oracle: NULL high, last ascending */
    CHECK(ord && ord->n_order == 2);
    if (ord && ord->n_order == 2) {
        CHECK(!ord->order[0].desc && ord->order[0].nulls == 2 && ord->order[1].nulls == 2);
        CHECK(ord->order[0].expr->kind == IR_EX_REF && strcmp(ord->order[0].expr->u.ref.col, "B_ID") == 0);
        CHECK(ord->order[1].expr->kind == IR_EX_REF && strcmp(ord->order[1].expr->u.ref.col, "ID") == 0);
    }
    CHECK(ord && ir_node_col(ord, "ROW_SEQ") && strcmp(expr_text(ir_node_col(ord, "ROW_SEQ")->expr), "row_number()") == 0);
    CHECK(prop_of(ord, "row_order") && strstr(prop_of(ord, "row_order"), "SQ_A"));
    ir_column *lag = prev ? ir_node_col(prev, "PREV_V_PREV_B") : NULL;
    CHECK(lag && lag->expr && lag->expr->kind == IR_EX_CALL && lag->expr->u.call.fn == IR_FN_LAG);
    if (lag && lag->expr && lag->expr->kind == IR_EX_CALL && lag->expr->u.call.n_args == 3) {
        CHECK(lag->expr->u.call.args[0]->kind == IR_EX_REF && strcmp(lag->expr->u.call.args[0]->u.ref.col, "B_ID") == 0);
        CHECK_STR(expr_text(lag->expr->u.call.args[2]), "0"); /* a number's initial value */
        CHECK(!(lag->flags & IR_COL_ORDER_DEPENDENT));
    }
    CHECK(prev && prev->n_order == 1 && prev->order[0].expr->kind == IR_EX_REF &&
          strcmp(prev->order[0].expr->u.ref.col, "ROW_SEQ") == 0);
    ir_column *o = out_col(job, "O_NUM");
    CHECK(o && !has_hole(o->expr) && !(o->flags & IR_COL_ORDER_DEPENDENT));
    CHECK(o && strstr(expr_text(o->expr), "PREV_V_PREV_B") != NULL);
    CHECK(count_op(job, IR_OP_WINDOW) == 2);
    free_jobs(&j);
}

static void test_counter_reset(void)
{
    jobs j = {.n = 0};
    ir_job *job = lower_it(&j, "2", NEW_AND_PREV(VAR("V_CNT", "integer", "10", "IIF(V_NEW = 1, 1, V_CNT + 1)")), "V_CNT", "TXT");
    ir_node *grp = node_named(job, "EXP.groups"), *isl = node_named(job, "EXP.group_1");
    CHECK(grp && grp->op == IR_OP_WINDOW && isl && isl->op == IR_OP_WINDOW);
    ir_column *g = grp ? ir_node_col(grp, "GROUP_V_CNT") : NULL;
    CHECK(g && g->expr && g->expr->kind == IR_EX_CALL && g->expr->u.call.fn == IR_FN_SUM);
    CHECK(grp && grp->frame.unit == IR_FRAME_ROWS && grp->frame.start.kind == IR_BOUND_UNBOUNDED_PRECEDING &&
          grp->frame.end.kind == IR_BOUND_CURRENT_ROW);
    CHECK(isl && isl->n_keys == 1 && isl->keys[0]->kind == IR_EX_REF && strcmp(isl->keys[0]->u.ref.col, "GROUP_V_CNT") == 0);
    ir_column *c = isl ? ir_node_col(isl, "V_CNT") : NULL;
    CHECK(c && c->expr && c->expr->kind == IR_EX_CALL && c->expr->u.call.fn == IR_FN_ROW_NUMBER);
    ir_column *o = out_col(job, "O_NUM");
    CHECK(o && o->expr && o->expr->kind == IR_EX_REF && deref(job, o->expr) == c);
    CHECK(o && !(o->flags & IR_COL_ORDER_DEPENDENT));
    free_jobs(&j);
}

static void test_carry_forward(void)
{
    jobs j = {.n = 0};
    ir_job *job = lower_it(&j, "2", NEW_AND_PREV(VAR("V_X", "string", "20", "IIF(V_NEW = 1, TXT, V_X)")), "ID", "V_X");
    ir_node *isl = node_named(job, "EXP.group_1");
    ir_column *c = isl ? ir_node_col(isl, "V_X") : NULL;
    CHECK(c && c->expr && c->expr->kind == IR_EX_CALL && c->expr->u.call.fn == IR_FN_FIRST_VALUE);
    /* the island's first row is its reset row; before the first reset: the initial value '' */
    CHECK(c && strstr(expr_text(c->expr), "first_value(if(") && strstr(expr_text(c->expr), "#") &&
          strstr(expr_text(c->expr), ".TXT, '')"));
    CHECK(c && !(c->expr->u.call.flags & IR_FL_IGNORE_NULLS));
    ir_column *o = out_col(job, "O_TXT");
    CHECK(o && deref(job, o->expr) == c && !has_hole(o->expr));
    free_jobs(&j);
}

static void test_running_total(void)
{
    jobs j = {.n = 0};
    ir_job *job = lower_it(&j, "2", NEW_AND_PREV(VAR("V_TOT", "decimal", "15", "IIF(V_NEW = 1, ID, V_TOT + ID)")), "V_TOT", "TXT");
    ir_node *isl = node_named(job, "EXP.group_1");
    ir_column *c = isl ? ir_node_col(isl, "V_TOT") : NULL;
    CHECK(c && c->expr);
    const char *t = c ? expr_text(c->expr) : "";
    /* ID may be NULL: V + NULL stays NULL in PowerCenter while SUM skips NULLs */
    CHECK(strstr(t, "sum(if(") && strstr(t, "count(") && strstr(t, "count_star()"));
    CHECK(isl && isl->frame.unit == IR_FRAME_ROWS && isl->frame.start.kind == IR_BOUND_UNBOUNDED_PRECEDING);
    ir_column *o = out_col(job, "O_NUM");
    CHECK(o && deref(job, o->expr) == c);
    free_jobs(&j);
    /* a step that is never NULL needs no guard */
    job = lower_it(&j, "2", NEW_AND_PREV(VAR("V_TOT", "decimal", "15", "IIF(V_NEW = 1, 5, V_TOT + 2)")), "V_TOT", "TXT");
    isl = node_named(job, "EXP.group_1");
    c = isl ? ir_node_col(isl, "V_TOT") : NULL;
    CHECK(c && c->expr && c->expr->kind == IR_EX_CALL && c->expr->u.call.fn == IR_FN_SUM);
    free_jobs(&j);
}

static void test_unknown_order(void)
{
    jobs j = {.n = 0};
    ir_job *job = lower_it(&j, "0", NEW_AND_PREV(VAR("V_CNT", "integer", "10", "IIF(V_NEW = 1, 1, V_CNT + 1)")), "V_CNT", "TXT");
    ir_node *ord = node_named(job, "EXP.row_order");
    CHECK(ord && ord->n_order == 0);
    CHECK(prop_of(ord, "row_order") && strncmp(prop_of(ord, "row_order"), "unknown", 7) == 0);
    CHECK(ord && ir_node_col(ord, "ROW_SEQ") && (ir_node_col(ord, "ROW_SEQ")->flags & IR_COL_ORDER_DEPENDENT));
    ir_column *o = out_col(job, "O_NUM");
    CHECK(o && !has_hole(o->expr) && (o->flags & IR_COL_ORDER_DEPENDENT));
    ir_column *t = out_col(job, "O_TXT");
    CHECK(t && !(t->flags & IR_COL_ORDER_DEPENDENT));
    free_jobs(&j);
}

static void test_other_recurrence_stays_hole(void)
{
    jobs j = {.n = 0};
    /* a product, and SETVARIABLE-free but self-referencing in the condition: both holes */
    ir_job *job = lower_it(&j, "2",
                           VAR("V_P", "decimal", "15", "IIF(B_ID &gt; 0, V_P * 2, 1)")
                           VAR("V_Q", "decimal", "15", "IIF(V_Q &gt; 10, 0, V_Q + 1)"),
                           "V_P", "TO_CHAR(V_Q)");
    CHECK(count_op(job, IR_OP_WINDOW) == 0);
    ir_column *o = out_col(job, "O_NUM"), *t = out_col(job, "O_TXT");
    CHECK(o && o->expr && o->expr->kind == IR_EX_HOLE && strcmp(o->expr->u.hole.reason, "variable port that keeps state between rows") == 0);
    CHECK(o && (o->flags & IR_COL_ORDER_DEPENDENT));
    CHECK(t && has_hole(t->expr) && (t->flags & IR_COL_ORDER_DEPENDENT));
    free_jobs(&j);
}

int main(void)
{
    RUN(test_previous_value);
    RUN(test_counter_reset);
    RUN(test_carry_forward);
    RUN(test_running_total);
    RUN(test_unknown_order);
    RUN(test_other_recurrence_stays_hole);
    return TEST_SUMMARY();
}
