/* test_ir_canon.c — canonical text, structural equality, canonicalisation (folding, commutative
 * ordering, flattening, alias resolution) and the hole list. */
#include "ir/ir.h"
#include "tests/ir/rich_job.h"
#include "tests/testlib.h"

static ir_job *J;

static const char *text(const ir_expr *e)
{
    static strbuf sb[8];
    static int k;
    k = (k + 1) % 8;
    sb_clear(&sb[k]);
    ir_expr_to_text(&sb[k], e);
    return sb_cstr(&sb[k]);
}

static const char *canon_text(const ir_expr *e)
{
    return text(ir_canonicalize(J, e));
}

static ir_expr *R(const char *col)
{
    return ir_ref(J, 1, col);
}

static ir_expr *I(long long v)
{
    return ir_lit_int(J, v);
}

static ir_expr *D(const char *t)
{
    return ir_lit(J, IR_LIT_DECIMAL, t);
}

static ir_expr *S(const char *s)
{
    return ir_lit_str(J, s);
}

static ir_expr *call(ir_fn fn, uint32_t flags, int n, ir_expr **args)
{
    return ir_call(J, fn, flags, n, args);
}

#define A(...) ((ir_expr *[]){__VA_ARGS__})

static void test_to_text(void)
{
    CHECK_STR(text(call(IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 3, A(R("FIRST_NAME"), S(" "), R("LAST_NAME")))),
              "concat[null_as_empty](#1.FIRST_NAME, ' ', #1.LAST_NAME)");
    CHECK_STR(text(ir_param_ref(J, "LOAD_DATE")), "$$LOAD_DATE");
    CHECK_STR(text(S("it's")), "'it''s'");
    CHECK_STR(text(ir_lit_null(J)), "NULL");
    CHECK_STR(text(ir_lit_bool(J, true)), "TRUE");
    CHECK_STR(text(ir_lit_bool(J, false)), "FALSE");
    CHECK_STR(text(D("-12.50")), "-12.50");
    CHECK_STR(text(ir_lit(J, IR_LIT_DOUBLE, "1e+20")), "1e+20");
    CHECK_STR(text(ir_lit(J, IR_LIT_DATE, "2024-01-31")), "DATE '2024-01-31'");
    CHECK_STR(text(ir_lit(J, IR_LIT_TIMESTAMP, "2024-01-31 10:00:00.5")), "TIMESTAMP '2024-01-31 10:00:00.5'");
    CHECK_STR(text(ir_hole(J, "f(\"x\")", "why")), "HOLE(\"f(\\\"x\\\")\")");
    CHECK_STR(text(call(IR_FN_SUBSTR, IR_FL_NEG_FROM_END | IR_FL_POS_ZERO_IS_ONE, 2, A(R("S"), I(0)))),
              "substr[pos_zero_is_one,neg_from_end](#1.S, 0)");
    CHECK_STR(text(call(IR_FN_CURRENT_DATE, 0, 0, NULL)), "current_date()");
    CHECK_STR(text(ir_ref(J, 12, "MY COL")), "#12.\"MY COL\"");
}

static void test_equal(void)
{
    ir_expr *a = call(IR_FN_ADD, 0, 2, A(R("X"), I(1)));
    ir_expr *b = call(IR_FN_ADD, 0, 2, A(R("X"), I(1)));
    b->type = ir_type_make(IR_TY_DOUBLE, 0, 0);
    b->span.line = 12;
    CHECK(ir_expr_equal(a, b));
    CHECK(!ir_expr_equal(a, call(IR_FN_ADD, 0, 2, A(I(1), R("X")))));
    CHECK(!ir_expr_equal(a, call(IR_FN_ADD, IR_FL_BLANK_PADDED, 2, A(R("X"), I(1)))));
    CHECK(!ir_expr_equal(I(1), D("1")));
    CHECK(!ir_expr_equal(R("X"), ir_ref(J, 2, "X")));
    CHECK(ir_expr_equal(ir_lit_null(J), ir_lit_null(J)));
    CHECK(ir_expr_equal(ir_hole(J, "x", "a"), ir_hole(J, "x", "b")));
    CHECK(!ir_expr_equal(a, NULL));
}

static void test_fold_arith(void)
{
    CHECK_STR(canon_text(call(IR_FN_ADD, 0, 2, A(I(1), I(2)))), "3");
    CHECK_STR(canon_text(call(IR_FN_ADD, 0, 2, A(D("1.50"), I(1)))), "2.50");
    CHECK_STR(canon_text(call(IR_FN_MUL, 0, 2, A(D("1.5"), D("0.2")))), "0.30");
    CHECK_STR(canon_text(call(IR_FN_SUB, 0, 2, A(I(1), D("2.25")))), "-1.25");
    CHECK_STR(canon_text(call(IR_FN_SUB, 0, 2, A(D("0.01"), D("0.06")))), "-0.05");
    CHECK_STR(canon_text(ir_call1(J, IR_FN_NEG, D("0.05"))), "-0.05");
    CHECK_STR(canon_text(call(IR_FN_MUL, 0, 2, A(I(6), call(IR_FN_ADD, 0, 2, A(I(3), I(4)))))), "42");
    /* not exact or not ours to decide: left alone */
    CHECK_STR(canon_text(call(IR_FN_MUL, 0, 2, A(I(9223372036854775807LL), I(2)))), "mul(2, 9223372036854775807)");
    CHECK_STR(canon_text(call(IR_FN_DIV, 0, 2, A(I(7), I(2)))), "div(7, 2)");
    CHECK_STR(canon_text(call(IR_FN_DIV, IR_FL_INT_DIVISION, 2, A(I(7), I(2)))), "3");
    CHECK_STR(canon_text(call(IR_FN_DIV, IR_FL_INT_DIVISION, 2, A(I(7), I(0)))), "div[int_division](7, 0)");
    CHECK_STR(canon_text(call(IR_FN_MOD, 0, 2, A(I(-7), I(3)))), "-1");
    CHECK_STR(canon_text(call(IR_FN_ADD, 0, 2, A(ir_lit(J, IR_LIT_DOUBLE, "0.1"), ir_lit(J, IR_LIT_DOUBLE, "0.2")))),
              "add(0.1, 0.2)");
    /* strict functions of NULL */
    CHECK_STR(canon_text(call(IR_FN_ADD, 0, 2, A(R("X"), ir_lit_null(J)))), "NULL");
    CHECK_STR(canon_text(ir_call1(J, IR_FN_UPPER, ir_lit_null(J))), "NULL");
    CHECK_STR(canon_text(ir_call1(J, IR_FN_IS_NULL, ir_lit_null(J))), "is_null(NULL)");
    /* the case of an ASCII literal is folded; other letters are the engine's to change */
    CHECK_STR(canon_text(ir_call1(J, IR_FN_UPPER, S("SaleS 1"))), "'SALES 1'");
    CHECK_STR(canon_text(ir_call1(J, IR_FN_LOWER, S("SaleS"))), "'sales'");
    CHECK_STR(canon_text(ir_call1(J, IR_FN_UPPER, S("\xc3\xa9" "a"))), "upper('\xc3\xa9" "a')");
}

static void test_fold_compare_logic(void)
{
    CHECK_STR(canon_text(call(IR_FN_EQ, 0, 2, A(I(1), D("1.0")))), "TRUE");
    CHECK_STR(canon_text(call(IR_FN_LT, 0, 2, A(S("a"), S("b")))), "TRUE");
    CHECK_STR(canon_text(call(IR_FN_GE, 0, 2, A(S("a"), S("b")))), "FALSE");
    CHECK_STR(canon_text(call(IR_FN_EQ, IR_FL_BLANK_PADDED, 2, A(S("a  "), S("a")))), "TRUE");
    CHECK_STR(canon_text(call(IR_FN_EQ, 0, 2, A(S("a  "), S("a")))), "FALSE");
    CHECK_STR(canon_text(call(IR_FN_LT, 0, 2, A(ir_lit(J, IR_LIT_DATE, "2024-01-31"), ir_lit(J, IR_LIT_DATE, "2024-02-01")))),
              "TRUE");
    CHECK_STR(canon_text(ir_call1(J, IR_FN_NOT, ir_lit_bool(J, true))), "FALSE");
    CHECK_STR(canon_text(call(IR_FN_AND, 0, 2, A(ir_lit_bool(J, true), R("B")))), "#1.B");
    CHECK_STR(canon_text(call(IR_FN_AND, 0, 3, A(R("B"), ir_lit_null(J), ir_lit_bool(J, false)))), "FALSE");
    CHECK_STR(canon_text(call(IR_FN_AND, 0, 2, A(R("B"), ir_lit_null(J)))), "and(#1.B, NULL)");
    CHECK_STR(canon_text(call(IR_FN_OR, 0, 2, A(R("B"), ir_lit_bool(J, true)))), "TRUE");
    CHECK_STR(canon_text(call(IR_FN_OR, 0, 2, A(ir_lit_bool(J, false), ir_lit_bool(J, false)))), "FALSE");
    CHECK_STR(canon_text(ir_call3(J, IR_FN_IF, ir_lit_bool(J, true), R("A"), R("B"))), "#1.A");
    CHECK_STR(canon_text(ir_call3(J, IR_FN_IF, ir_lit_null(J), R("A"), R("B"))), "#1.B");
    CHECK_STR(canon_text(call(IR_FN_COALESCE, 0, 4, A(ir_lit_null(J), R("A"), S("x"), R("B")))), "coalesce(#1.A, 'x')");
    CHECK_STR(canon_text(call(IR_FN_COALESCE, 0, 2, A(ir_lit_null(J), R("A")))), "#1.A");
}

static void test_fold_concat(void)
{
    ir_expr *inner = call(IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 2, A(R("X"), ir_lit_null(J)));
    CHECK_STR(canon_text(call(IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 4, A(S("a"), S("b"), inner, S("c")))),
              "concat[null_as_empty]('ab', #1.X, 'c')");
    CHECK_STR(canon_text(call(IR_FN_CONCAT, 0, 2, A(S("a"), ir_lit_null(J)))), "NULL");
    CHECK_STR(canon_text(call(IR_FN_CONCAT, 0, 3, A(S("a"), S(""), S("b")))), "'ab'");
    CHECK_STR(canon_text(call(IR_FN_CONCAT, 0, 2, A(R("X"), S("")))), "concat(#1.X)");
    /* null_as_empty: only an all-NULL concat is NULL, so '' beside a column must stay */
    CHECK_STR(canon_text(call(IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 2, A(ir_lit_null(J), ir_lit_null(J)))), "NULL");
    CHECK_STR(canon_text(call(IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 2, A(S("a"), ir_lit_null(J)))), "'a'");
    CHECK_STR(canon_text(call(IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 2, A(R("X"), S("")))), "concat[null_as_empty](#1.X, '')");
    CHECK_STR(canon_text(call(IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 3, A(S(""), R("X"), S("b")))),
              "concat[null_as_empty](#1.X, 'b')");
    /* different flags do not flatten */
    CHECK_STR(canon_text(call(IR_FN_CONCAT, 0, 2, A(R("A"), call(IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 2, A(R("B"), R("C")))))),
              "concat(#1.A, concat[null_as_empty](#1.B, #1.C))");
}

static void test_commutative_and_flatten(void)
{
    CHECK_STR(canon_text(call(IR_FN_ADD, 0, 2, A(R("B"), R("A")))), "add(#1.A, #1.B)");
    ir_expr *x = call(IR_FN_EQ, 0, 2, A(R("B"), call(IR_FN_MUL, 0, 2, A(I(2), R("A")))));
    ir_expr *y = call(IR_FN_EQ, 0, 2, A(call(IR_FN_MUL, 0, 2, A(R("A"), I(2))), R("B")));
    CHECK(ir_expr_equal(ir_canonicalize(J, x), ir_canonicalize(J, y)));
    CHECK_STR(canon_text(call(IR_FN_SUB, 0, 2, A(R("B"), R("A")))), "sub(#1.B, #1.A)");
    /* gt/ge are spelled lt/le */
    CHECK_STR(canon_text(call(IR_FN_GT, 0, 2, A(R("A"), R("B")))), "lt(#1.B, #1.A)");
    CHECK_STR(canon_text(call(IR_FN_GE, IR_FL_BLANK_PADDED, 2, A(R("A"), S("x")))), "le[blank_padded]('x', #1.A)");
    /* nested and/or flatten, then sort */
    ir_expr *p = call(IR_FN_AND, 0, 2, A(R("C"), call(IR_FN_AND, 0, 2, A(R("A"), call(IR_FN_AND, 0, 2, A(R("D"), R("B")))))));
    CHECK_STR(canon_text(p), "and(#1.A, #1.B, #1.C, #1.D)");
    ir_expr *q = call(IR_FN_OR, 0, 2, A(call(IR_FN_AND, 0, 2, A(R("B"), R("A"))), call(IR_FN_OR, 0, 2, A(R("D"), R("C")))));
    CHECK_STR(canon_text(q), "or(#1.C, #1.D, and(#1.A, #1.B))");
    /* canonicalize is idempotent and does not change its input */
    ir_expr *once = ir_canonicalize(J, q);
    CHECK(ir_expr_equal(once, ir_canonicalize(J, once)));
    CHECK_STR(text(q), "or(and(#1.B, #1.A), or(#1.D, #1.C))");
}

static void test_alias_resolution(void)
{
    ir_job *job = ir_job_new("alias");
    ir_type s = ir_type_make(IR_TY_STRING, 10, 0);
    ir_node *src = ir_node_add(job, IR_OP_SOURCE, "SQ");
    ir_node_add_col(job, src, "A", s, NULL);
    ir_node_add_col(job, src, "B", s, NULL);
    ir_node *p1 = ir_node_add(job, IR_OP_PROJECT, "EXP");
    ir_node_add_input(job, p1, 1);
    ir_node_add_col(job, p1, "A2", s, ir_ref(job, 1, "A"));
    ir_node_add_col(job, p1, "U", s, ir_call1(job, IR_FN_UPPER, ir_ref(job, 1, "B")));
    ir_node *f = ir_node_add(job, IR_OP_FILTER, "FIL");
    ir_node_add_input(job, f, 2);
    ir_node_add_col(job, f, "A3", s, ir_ref(job, 2, "A2"));
    ir_node_add_col(job, f, "U", s, ir_ref(job, 2, "U"));
    ir_node *agg = ir_node_add(job, IR_OP_AGGREGATE, "AGG");
    ir_node_add_input(job, agg, 3);
    ir_node_add_key(job, agg, ir_ref(job, 3, "A3"));
    ir_node_add_col(job, agg, "K", s, ir_ref(job, 3, "A3"));
    ir_node_add_col(job, agg, "LASTU", s, ir_ref(job, 3, "U")); /* last row's value: not an alias */
    ir_node *lk = ir_node_add(job, IR_OP_LOOKUP, "LKP");
    ir_node_add_input(job, lk, 3);
    ir_column *c = ir_node_add_col(job, lk, "FIRSTU", s, ir_ref(job, 3, "U"));
    c->flags = IR_COL_ORDER_DEPENDENT;

    strbuf sb = STRBUF_INIT;
    ir_expr_to_text(&sb, ir_canonicalize(job, ir_ref(job, 3, "A3")));
    CHECK_STR(sb_cstr(&sb), "#1.A");
    sb_clear(&sb);
    ir_expr_to_text(&sb, ir_canonicalize(job, ir_call2(job, IR_FN_EQ, ir_ref(job, 4, "K"), ir_ref(job, 3, "U"))));
    CHECK_STR(sb_cstr(&sb), "eq(#1.A, #2.U)");
    sb_clear(&sb);
    ir_expr_to_text(&sb, ir_canonicalize(job, ir_ref(job, 4, "LASTU")));
    CHECK_STR(sb_cstr(&sb), "#4.LASTU");
    sb_clear(&sb);
    ir_expr_to_text(&sb, ir_canonicalize(job, ir_ref(job, 5, "FIRSTU")));
    CHECK_STR(sb_cstr(&sb), "#5.FIRSTU");
    sb_clear(&sb);
    ir_expr_to_text(&sb, ir_canonicalize(job, ir_ref(job, 9, "NOPE")));
    CHECK_STR(sb_cstr(&sb), "#9.NOPE");
    /* a self-referencing column does not loop */
    ir_node *cyc = ir_node_add(job, IR_OP_PROJECT, "CYC");
    ir_node_add_col(job, cyc, "X", s, ir_ref(job, 6, "Y"));
    ir_node_add_col(job, cyc, "Y", s, ir_ref(job, 6, "X"));
    sb_clear(&sb);
    ir_expr_to_text(&sb, ir_canonicalize(job, ir_ref(job, 6, "X")));
    CHECK(sb.len > 0);
    sb_free(&sb);
    ir_job_free(job);
}

typedef struct seen {
    int n;
    strbuf log;
} seen;

/* Window functions: text with flags, spelled-out lag/lead defaults dropped, the frame text. */
static void test_window(void)
{
    CHECK_STR(text(call(IR_FN_LAST_VALUE, IR_FL_IGNORE_NULLS, 1, A(R("X")))), "last_value[ignore_nulls](#1.X)");
    CHECK_STR(text(call(IR_FN_ROW_NUMBER, 0, 0, NULL)), "row_number()");
    CHECK_STR(canon_text(call(IR_FN_LAG, 0, 3, A(R("X"), I(1), ir_lit_null(J)))), "lag(#1.X)");
    CHECK_STR(canon_text(call(IR_FN_LEAD, 0, 2, A(R("X"), I(1)))), "lead(#1.X)");
    CHECK_STR(canon_text(call(IR_FN_LAG, 0, 3, A(R("X"), I(2), ir_lit_null(J)))), "lag(#1.X, 2)");
    CHECK_STR(canon_text(call(IR_FN_LAG, 0, 3, A(R("X"), I(1), I(0)))), "lag(#1.X, 1, 0)");
    CHECK(ir_expr_equal(ir_canonicalize(J, call(IR_FN_LAG, 0, 1, A(R("X")))),
                        ir_canonicalize(J, call(IR_FN_LAG, 0, 2, A(R("X"), I(1))))));
    CHECK(!ir_expr_equal(call(IR_FN_FIRST_VALUE, IR_FL_IGNORE_NULLS, 1, A(R("X"))),
                         call(IR_FN_FIRST_VALUE, 0, 1, A(R("X")))));
    CHECK(ir_fn_is_window(IR_FN_LAG) && ir_fn_is_window(IR_FN_ROW_NUMBER) && !ir_fn_is_window(IR_FN_SUM));
    CHECK(ir_fn_uses_frame(IR_FN_SUM) && ir_fn_uses_frame(IR_FN_LAST_VALUE) && !ir_fn_uses_frame(IR_FN_LAG) &&
          !ir_fn_uses_frame(IR_FN_RANK));
    strbuf sb = STRBUF_INIT;
    ir_frame_to_text(&sb, ir_frame_default());
    CHECK_STR(sb_cstr(&sb), "range between unbounded preceding and current row");
    sb_clear(&sb);
    ir_frame f = {IR_FRAME_ROWS, {IR_BOUND_PRECEDING, 2}, {IR_BOUND_FOLLOWING, 1}};
    ir_frame_to_text(&sb, f);
    CHECK_STR(sb_cstr(&sb), "rows between 2 preceding and 1 following");
    sb_free(&sb);
    ir_frame g = f;
    g.end.offset = 3;
    CHECK(!ir_frame_equal(f, g));
    g = ir_frame_default();
    g.start.offset = 7; /* not an offset bound: ignored */
    CHECK(ir_frame_equal(g, ir_frame_default()));
    /* a node always starts with the default frame */
    ir_node *n = ir_node_add(J, IR_OP_WINDOW, "W");
    CHECK(ir_frame_equal(n->frame, ir_frame_default()));
}

static void on_hole(void *ud, const ir_hole_info *h)
{
    seen *s = ud;
    s->n++;
    sb_printf(&s->log, "%s #%d %s line %d: %s (%s)\n", h->kind, h->node, h->column ? h->column : "-", (int)h->span.line,
              h->text, h->reason ? h->reason : "-");
}

static void test_holes(void)
{
    ir_job *job = rich_job();
    seen s = {0, STRBUF_INIT};
    int n = ir_job_holes(job, on_hole, &s);
    CHECK(n == s.n);
    CHECK(n == 5);
    CHECK_STR(sb_cstr(&s.log), "sql #1 - line 118: SELECT * FROM CUSTOMERS WHERE NAME <> 'x' (SQL override in the legacy dialect)\n"
                               "expression #2 EVERYTHING line 230: :LKP.LKP_X(CUST_ID) (unconnected lookup)\n"
                               "expression #2 HOLED line 240: weird() (-)\n"
                               "sql #4 - line 0: SELECT ID FROM ORDERS ORDER BY ID (SQL override in the legacy dialect)\n"
                               "node #17 - line 0: BEGIN audit(:x); END; (stored procedure)\n");
    CHECK(ir_job_holes(job, NULL, NULL) == 5);
    sb_free(&s.log);
    ir_job_free(job);
}

int main(void)
{
    J = ir_job_new("canon");
    RUN(test_to_text);
    RUN(test_equal);
    RUN(test_fold_arith);
    RUN(test_fold_compare_logic);
    RUN(test_fold_concat);
    RUN(test_commutative_and_flatten);
    RUN(test_alias_resolution);
    RUN(test_holes);
    RUN(test_window);
    ir_job_free(J);
    return TEST_SUMMARY();
}
