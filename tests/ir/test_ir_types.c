/* test_ir_types.c — the type rules of functions.def (ir_fn_result_type) and ir_job_infer_types. */
#include "ir/ir.h"
#include "tests/testlib.h"

static ir_job *J;

static const char *fmt(ir_type t)
{
    static char buf[8][64];
    static int k;
    k = (k + 1) % 8;
    ir_type_format(t, buf[k], sizeof buf[k]);
    return buf[k];
}

/* an expression of a given type (a reference to nothing, typed by hand) */
static ir_expr *typed(ir_type_kind k, int p, int s)
{
    ir_expr *e = ir_ref(J, 99, "X");
    e->type = ir_type_make(k, p, s);
    return e;
}

static const char *call_type(ir_fn fn, uint32_t flags, int n, ir_expr **args)
{
    return fmt(ir_fn_result_type(fn, flags, n, args));
}

#define T(...) ((ir_expr *[]){__VA_ARGS__})

static void test_numeric(void)
{
    ir_expr *i = typed(IR_TY_INT, 0, 0), *b = typed(IR_TY_BIGINT, 0, 0), *d = typed(IR_TY_DOUBLE, 0, 0);
    CHECK_STR(call_type(IR_FN_ADD, 0, 2, T(i, i)), "integer");
    CHECK_STR(call_type(IR_FN_ADD, 0, 2, T(i, b)), "bigint");
    CHECK_STR(call_type(IR_FN_ADD, 0, 2, T(typed(IR_TY_DECIMAL, 10, 2), typed(IR_TY_DECIMAL, 12, 4))), "decimal(13,4)");
    CHECK_STR(call_type(IR_FN_SUB, 0, 2, T(i, typed(IR_TY_DECIMAL, 5, 2))), "decimal(13,2)");
    CHECK_STR(call_type(IR_FN_MUL, 0, 2, T(typed(IR_TY_DECIMAL, 10, 2), typed(IR_TY_DECIMAL, 5, 1))), "decimal(15,3)");
    CHECK_STR(call_type(IR_FN_MUL, 0, 2, T(typed(IR_TY_DECIMAL, 30, 2), typed(IR_TY_DECIMAL, 30, 2))), "decimal(38,4)");
    CHECK_STR(call_type(IR_FN_ADD, 0, 2, T(typed(IR_TY_DECIMAL, 10, 2), d)), "double");
    CHECK_STR(call_type(IR_FN_ADD, 0, 2, T(ir_lit_null(J), i)), "integer");
    CHECK_STR(call_type(IR_FN_ADD, 0, 2, T(ir_hole(J, "x", "r"), i)), "unknown");
    CHECK_STR(call_type(IR_FN_ADD, 0, 2, T(typed(IR_TY_DATE, 0, 0), i)), "date");
    CHECK_STR(call_type(IR_FN_SUB, 0, 2, T(typed(IR_TY_DATE, 0, 0), typed(IR_TY_DATE, 0, 0))), "integer");
    CHECK_STR(call_type(IR_FN_MOD, 0, 2, T(b, i)), "bigint");
    CHECK_STR(call_type(IR_FN_NEG, 0, 1, T(typed(IR_TY_DECIMAL, 7, 3))), "decimal(7,3)");
    CHECK_STR(call_type(IR_FN_ADD, 0, 2, T(ir_lit(J, IR_LIT_DECIMAL, "1.50"), ir_lit_int(J, 1))), "decimal(13,2)");
}

static void test_div(void)
{
    ir_expr *i = typed(IR_TY_INT, 0, 0), *b = typed(IR_TY_BIGINT, 0, 0);
    CHECK_STR(call_type(IR_FN_DIV, 0, 2, T(i, i)), "decimal(38,6)");
    CHECK_STR(call_type(IR_FN_DIV, 0, 2, T(typed(IR_TY_DECIMAL, 10, 8), i)), "decimal(38,8)");
    CHECK_STR(call_type(IR_FN_DIV, IR_FL_INT_DIVISION, 2, T(i, i)), "integer");
    CHECK_STR(call_type(IR_FN_DIV, IR_FL_INT_DIVISION, 2, T(i, b)), "bigint");
    CHECK_STR(call_type(IR_FN_DIV, IR_FL_INT_DIVISION, 2, T(typed(IR_TY_DECIMAL, 10, 2), i)), "decimal(38,6)");
    CHECK_STR(call_type(IR_FN_DIV, 0, 2, T(typed(IR_TY_DOUBLE, 0, 0), i)), "double");
}

static void test_common(void)
{
    ir_expr *c = typed(IR_TY_BOOL, 0, 0);
    CHECK_STR(call_type(IR_FN_IF, 0, 3, T(c, typed(IR_TY_STRING, 10, 0), typed(IR_TY_STRING, 20, 0))), "string(20)");
    CHECK_STR(call_type(IR_FN_IF, 0, 3, T(c, ir_lit_null(J), ir_lit_str(J, "abc"))), "string(3)");
    CHECK_STR(call_type(IR_FN_IF, 0, 3, T(c, ir_lit_str(J, ""), typed(IR_TY_STRING, 5, 0))), "string(5)");
    CHECK_STR(call_type(IR_FN_IF, 0, 3, T(c, ir_lit_int(J, 1), typed(IR_TY_DECIMAL, 5, 2))), "decimal(12,2)");
    /* case: values at odd positions and a trailing else; conditions never count */
    CHECK_STR(call_type(IR_FN_CASE, 0, 4, T(c, ir_lit_int(J, 1), c, typed(IR_TY_BIGINT, 0, 0))), "bigint");
    CHECK_STR(call_type(IR_FN_CASE, 0, 3, T(c, ir_lit_int(J, 1), typed(IR_TY_DOUBLE, 0, 0))), "double");
    /* decode: results and default, not the searched value or search values */
    ir_expr *x = typed(IR_TY_STRING, 1, 0);
    CHECK_STR(call_type(IR_FN_DECODE, 0, 5, T(x, ir_lit_str(J, "a"), ir_lit_int(J, 1), ir_lit_str(J, "b"), ir_lit_int(J, 2))),
              "integer");
    CHECK_STR(call_type(IR_FN_DECODE, 0, 6,
                        T(x, ir_lit_str(J, "a"), ir_lit_int(J, 1), ir_lit_str(J, "b"), ir_lit_int(J, 2),
                          typed(IR_TY_DOUBLE, 0, 0))),
              "double");
    CHECK_STR(call_type(IR_FN_COALESCE, 0, 3, T(ir_lit_null(J), typed(IR_TY_DATE, 0, 0), typed(IR_TY_TIMESTAMP, 6, 0))),
              "timestamp(6)");
    CHECK_STR(call_type(IR_FN_COALESCE, 0, 2, T(typed(IR_TY_STRING, 0, 0), typed(IR_TY_STRING, 5, 0))), "string");
    CHECK_STR(call_type(IR_FN_COALESCE, 0, 1, T(ir_lit_null(J))), "unknown");
    CHECK_STR(call_type(IR_FN_IF, 0, 3, T(c, ir_call1(J, IR_FN_ERROR, ir_lit_str(J, "bad")), typed(IR_TY_INT, 0, 0))),
              "integer");
}

static void test_fixed_and_strings(void)
{
    ir_expr *s10 = typed(IR_TY_STRING, 10, 0), *s40 = typed(IR_TY_STRING, 40, 0);
    CHECK_STR(call_type(IR_FN_CONCAT, 0, 2, T(ir_lit_str(J, "ab"), s10)), "string(12)");
    CHECK_STR(call_type(IR_FN_CONCAT, 0, 2, T(typed(IR_TY_INT, 0, 0), s10)), "string");
    CHECK_STR(call_type(IR_FN_UPPER, 0, 1, T(typed(IR_TY_STRING, 7, 0))), "string(7)");
    CHECK_STR(call_type(IR_FN_LPAD, 0, 2, T(s40, ir_lit_int(J, 10))), "string(10)");
    CHECK_STR(call_type(IR_FN_SUBSTR, 0, 3, T(s40, ir_lit_int(J, 1), ir_lit_int(J, 5))), "string(5)");
    CHECK_STR(call_type(IR_FN_SUBSTR, 0, 2, T(s40, ir_lit_int(J, 3))), "string(40)");
    CHECK_STR(call_type(IR_FN_MD5, 0, 1, T(s40)), "string(32)");
    CHECK_STR(call_type(IR_FN_LENGTH, 0, 1, T(s40)), "integer");
    CHECK_STR(call_type(IR_FN_EQ, 0, 2, T(s40, s10)), "boolean");
    CHECK_STR(call_type(IR_FN_TO_DECIMAL, 0, 2, T(s10, ir_lit_int(J, 2))), "decimal(38,2)");
    CHECK_STR(call_type(IR_FN_TO_DECIMAL, 0, 1, T(s10)), "decimal");
    CHECK_STR(call_type(IR_FN_TO_DATE, 0, 2, T(s40, ir_lit_str(J, "YYYY-MM-DD HH24:MI:SS.FF6"))), "timestamp(6)");
    CHECK_STR(call_type(IR_FN_TO_DATE, 0, 1, T(s40)), "timestamp");
    CHECK_STR(call_type(IR_FN_CURRENT_DATE, 0, 0, NULL), "date");
    CHECK_STR(call_type(IR_FN_CRC32, 0, 1, T(s40)), "bigint");
    CHECK_STR(call_type(IR_FN_CAST, 0, 1, T(s40)), "unknown");
    CHECK_STR(call_type(IR_FN_DATE_ADD, 0, 3, T(typed(IR_TY_TIMESTAMP, 3, 0), ir_lit_str(J, "day"), ir_lit_int(J, 1))),
              "timestamp(3)");
    CHECK_STR(call_type(IR_FN_SET_VARIABLE, 0, 2, T(ir_param_ref(J, "V"), typed(IR_TY_DATE, 0, 0))), "date");
}

static void test_aggregates(void)
{
    CHECK_STR(call_type(IR_FN_SUM, 0, 1, T(typed(IR_TY_INT, 0, 0))), "bigint");
    CHECK_STR(call_type(IR_FN_SUM, 0, 2, T(typed(IR_TY_DECIMAL, 10, 2), typed(IR_TY_BOOL, 0, 0))), "decimal(38,2)");
    CHECK_STR(call_type(IR_FN_SUM, 0, 1, T(typed(IR_TY_DOUBLE, 0, 0))), "double");
    CHECK_STR(call_type(IR_FN_AVG, 0, 1, T(typed(IR_TY_INT, 0, 0))), "double");
    CHECK_STR(call_type(IR_FN_COUNT, 0, 1, T(typed(IR_TY_STRING, 3, 0))), "bigint");
    CHECK_STR(call_type(IR_FN_COUNT_STAR, 0, 0, NULL), "bigint");
    CHECK_STR(call_type(IR_FN_MAX, 0, 1, T(typed(IR_TY_STRING, 5, 0))), "string(5)");
    CHECK_STR(call_type(IR_FN_LAST, IR_FL_ORDER_DEPENDENT, 1, T(typed(IR_TY_DATE, 0, 0))), "date");
}

/* Arrays: the text form round-trips, element types follow the values, arrays do not nest. */
static void test_arrays(void)
{
    ir_type t;
    CHECK(ir_type_parse("array(decimal(10,2))", &t) == 0);
    CHECK(t.kind == IR_TY_ARRAY && t.elem == IR_TY_DECIMAL && t.precision == 10 && t.scale == 2);
    CHECK_STR(fmt(t), "array(decimal(10,2))");
    CHECK_STR(fmt(ir_type_elem(t)), "decimal(10,2)");
    CHECK(ir_type_parse("array(array(integer))", &t) != 0);
    CHECK(ir_type_parse("array(", &t) != 0);
    CHECK(ir_type_parse("array", &t) != 0);
    CHECK_STR(fmt(ir_type_array(ir_type_array(ir_type_make(IR_TY_INT, 0, 0)))), "unknown");
    CHECK(!ir_type_equal(ir_type_array(ir_type_make(IR_TY_INT, 0, 0)), ir_type_array(ir_type_make(IR_TY_BIGINT, 0, 0))));
    ir_expr *i = typed(IR_TY_INT, 0, 0), *b = typed(IR_TY_BIGINT, 0, 0), *s = typed(IR_TY_STRING, 5, 0);
    CHECK_STR(call_type(IR_FN_ARRAY_CONSTRUCT, 0, 3, T(i, ir_lit_null(J), b)), "array(bigint)");
    CHECK_STR(call_type(IR_FN_ARRAY_AGG, 0, 1, T(s)), "array(string(5))");
    ir_expr *arr = typed(IR_TY_ARRAY, 12, 2);
    arr->type.elem = IR_TY_DECIMAL;
    CHECK_STR(call_type(IR_FN_ARRAY_GET, 0, 2, T(arr, i)), "decimal(12,2)");
    CHECK_STR(call_type(IR_FN_ARRAY_SIZE, 0, 1, T(arr)), "integer");
    CHECK_STR(call_type(IR_FN_ARRAY_APPEND, 0, 2, T(arr, i)), "array(decimal(12,2))");
    CHECK_STR(call_type(IR_FN_ARRAY_CONTAINS, 0, 2, T(arr, i)), "boolean");
}

static void test_window_functions(void)
{
    CHECK_STR(call_type(IR_FN_ROW_NUMBER, 0, 0, NULL), "bigint");
    CHECK_STR(call_type(IR_FN_DENSE_RANK, 0, 0, NULL), "bigint");
    CHECK_STR(call_type(IR_FN_PERCENT_RANK, 0, 0, NULL), "double");
    CHECK_STR(call_type(IR_FN_NTILE, 0, 1, T(ir_lit_int(J, 4))), "bigint");
    /* lag/lead: the common type of the value and the default, not the offset */
    CHECK_STR(call_type(IR_FN_LAG, 0, 1, T(typed(IR_TY_STRING, 5, 0))), "string(5)");
    CHECK_STR(call_type(IR_FN_LEAD, 0, 3, T(typed(IR_TY_INT, 0, 0), ir_lit_int(J, 2), typed(IR_TY_DECIMAL, 12, 2))),
              "decimal(12,2)");
    CHECK_STR(call_type(IR_FN_LAG, 0, 3, T(typed(IR_TY_DATE, 0, 0), ir_lit_int(J, 1), ir_lit_null(J))), "date");
    CHECK_STR(call_type(IR_FN_LAST_VALUE, IR_FL_IGNORE_NULLS, 1, T(typed(IR_TY_TIMESTAMP, 6, 0))), "timestamp(6)");
}

/* Every function gets some answer without crashing, even with missing or odd arguments. */
static void test_every_function_total(void)
{
    ir_expr *args[4] = {typed(IR_TY_INT, 0, 0), ir_lit_null(J), ir_hole(J, "h", "r"), typed(IR_TY_STRING, 3, 0)};
    for (int f = 0; f < IR_FN__COUNT; f++) {
        for (int n = 0; n <= 4; n++) {
            ir_type t = ir_fn_result_type((ir_fn)f, 0xffffffffu, n, args);
            CHECK((int)t.kind >= 0 && t.kind < IR_TY__COUNT);
        }
    }
}

static void test_infer_job(void)
{
    ir_job *job = ir_job_new("m_infer");
    ir_dataset *ds = ir_job_add_dataset(job, "SRC.T");
    ir_dataset_add_col(job, ds, "A", ir_type_make(IR_TY_DECIMAL, 10, 2));
    ir_dataset_add_col(job, ds, "B", ir_type_make(IR_TY_INT, 0, 0));
    ir_dataset_add_col(job, ds, "S", ir_type_make(IR_TY_STRING, 20, 0));
    ir_param *p = ir_job_add_param(job, "LOAD_DATE");
    p->type = ir_type_make(IR_TY_DATE, 0, 0);

    ir_type unk = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    ir_node *src = ir_node_add(job, IR_OP_SOURCE, "SQ_T");
    src->dataset = ir_intern(job, "SRC.T");
    ir_node_add_col(job, src, "A", unk, NULL);
    ir_node_add_col(job, src, "B", unk, NULL);
    ir_node_add_col(job, src, "S", unk, NULL);

    ir_node *prj = ir_node_add(job, IR_OP_PROJECT, "EXP");
    ir_node_add_input(job, prj, src->id);
    ir_node_add_col(job, prj, "TOTAL", unk, ir_call2(job, IR_FN_ADD, ir_ref(job, 1, "A"), ir_ref(job, 1, "B")));
    ir_expr *cc[2] = {ir_ref(job, 1, "S"), ir_lit_str(job, "!")};
    ir_node_add_col(job, prj, "S2", unk, ir_call(job, IR_FN_CONCAT, IR_FL_NULL_AS_EMPTY, 2, cc));
    ir_node_add_col(job, prj, "D", unk, ir_param_ref(job, "LOAD_DATE"));
    ir_node_add_col(job, prj, "KEEP", ir_type_make(IR_TY_STRING, 99, 0), ir_ref(job, 1, "S"));
    CHECK(prj->cols[0].expr->type.kind == IR_TY_UNKNOWN); /* built before types were known */

    ir_node *prj2 = ir_node_add(job, IR_OP_PROJECT, "EXP2");
    ir_node_add_input(job, prj2, prj->id);
    ir_node_add_col(job, prj2, "T2", unk, ir_call2(job, IR_FN_MUL, ir_ref(job, 2, "TOTAL"), ir_lit_int(job, 2)));
    ir_node_add_col(job, prj2, "D2", unk, ir_ref(job, 2, "D"));

    ir_node *un = ir_node_add(job, IR_OP_UNION, "UNI");
    ir_node_add_input(job, un, prj->id);
    ir_node_add_input(job, un, prj2->id);
    ir_node_add_col(job, un, "U1", unk, NULL);
    ir_node_add_col(job, un, "U2", unk, NULL);

    ir_job_infer_types(job);
    CHECK_STR(fmt(src->cols[0].type), "decimal(10,2)");
    CHECK_STR(fmt(src->cols[2].type), "string(20)");
    CHECK_STR(fmt(prj->cols[0].type), "decimal(13,2)");
    CHECK_STR(fmt(prj->cols[0].expr->u.call.args[1]->type), "integer");
    CHECK_STR(fmt(prj->cols[1].type), "string(21)");
    CHECK_STR(fmt(prj->cols[2].type), "date");
    CHECK_STR(fmt(prj->cols[3].type), "string(99)"); /* declared types are kept */
    CHECK_STR(fmt(prj2->cols[0].type), "decimal(13,2)");
    CHECK_STR(fmt(prj2->cols[1].type), "date");
    CHECK_STR(fmt(un->cols[0].type), "decimal(13,2)");
    CHECK_STR(fmt(un->cols[1].type), "string"); /* string(21) against a date: an unbounded string */
    ir_job_free(job);
}

int main(void)
{
    J = ir_job_new("types");
    RUN(test_numeric);
    RUN(test_div);
    RUN(test_common);
    RUN(test_fixed_and_strings);
    RUN(test_aggregates);
    RUN(test_arrays);
    RUN(test_window_functions);
    RUN(test_every_function_total);
    RUN(test_infer_job);
    ir_job_free(J);
    return TEST_SUMMARY();
}
