/*
 * test_sparksql.c — the Spark SQL expression emitter (backends/spark/sparksql.h), table-driven.
 *
 * Each case is a canonical expression in the text form ir_expr_to_text prints, read by the small
 * parser below, and the exact Spark SQL expected for it. Together the cases call every row of
 * ir/functions.def (test_every_function_has_a_case checks that) with the flags and NULL rules that
 * change the idiom; unsupported rows and argument shapes expect their ETLPORT UNSUPPORTED marker.
 *
 * Case syntax: fn[flag,flag]<type>(args) a call (the <type> sets the call's own type, for cast);
 * NAME or #id.NAME or #id.`a b` a reference (bare names are columns of node 1, #0.t.col a name
 * from SQL text); 'text' strings ('' for a quote); 12, -3, 1.50, 2.5d numbers (d: double);
 * TRUE FALSE NULL NULL<type>; DATE'..' TIMESTAMP'..'; $$NAME a job parameter; HOLE('text').
 *
 * With SPARKSQL_DUMP_DIR set every emitted text is also written there as `SELECT <text> AS cN;`
 * lines, which check_sparksql_grammar.sh parses with the tree-sitter SQL grammar.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/spark/sparksql.h"
#include "ir/ir.h"
#include "ir/ir_sql.h"
#include "tests/testlib.h"

/* ---- the job every case reads ---- */

static ir_job *job;
static int fn_seen[IR_FN__COUNT];
static FILE *dump;
static int dump_seq;

static ir_type T(const char *s)
{
    ir_type t;
    if (ir_type_parse(s, &t) != 0)
        abort();
    return t;
}

enum { SRC = 1, WIN = 2, WIN_NOORDER = 3, WIN_ROWS = 4, WIN_RANGE2 = 5, WIN_RANGE1 = 6, PROJ = 7 };

static void build_job(void)
{
    job = ir_job_new("m_sparksql");
    job->file = ir_intern(job, "m.xml");
    ir_node *s = ir_node_add(job, IR_OP_SOURCE, "SQ");
    static const char *const cols[][2] = {
        {"S", "string(20)"}, {"S2", "string(20)"}, {"N", "decimal(12,2)"}, {"M", "decimal(12,2)"},
        {"I", "integer"}, {"J", "integer"}, {"BI", "bigint"}, {"D", "date"}, {"D2", "date"},
        {"TS", "timestamp(6)"}, {"TS2", "timestamp(6)"}, {"B", "boolean"}, {"C", "boolean"},
        {"X", "double"}, {"a b", "string"}, {"select", "integer"}, {"q`t", "string"}, {"AR", "array(integer)"},
    };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        ir_node_add_col(job, s, cols[i][0], T(cols[i][1]), NULL);
    /* WIN: partition by S, order by N */
    ir_node *w = ir_node_add(job, IR_OP_WINDOW, "WIN");
    ir_node_add_input(job, w, SRC);
    ir_node_add_key(job, w, ir_ref(job, SRC, "S"));
    ir_node_add_order(job, w, ir_ref(job, SRC, "N"), false);
    /* WIN_NOORDER: partition by S only */
    ir_node *w2 = ir_node_add(job, IR_OP_WINDOW, "WIN_NOORDER");
    ir_node_add_input(job, w2, SRC);
    ir_node_add_key(job, w2, ir_ref(job, SRC, "S"));
    /* WIN_ROWS: order by TS desc nulls last, rows between 2 preceding and current row */
    ir_node *w3 = ir_node_add(job, IR_OP_WINDOW, "WIN_ROWS");
    ir_node_add_input(job, w3, SRC);
    ir_node_add_order(job, w3, ir_ref(job, SRC, "TS"), true);
    w3->order[0].nulls = 2;
    w3->frame.unit = IR_FRAME_ROWS;
    w3->frame.start = (ir_frame_bound){IR_BOUND_PRECEDING, 2};
    w3->frame.end = (ir_frame_bound){IR_BOUND_CURRENT_ROW, 0};
    /* WIN_RANGE2: a RANGE frame with offsets over two order keys (not expressible) */
    ir_node *w4 = ir_node_add(job, IR_OP_WINDOW, "WIN_RANGE2");
    ir_node_add_input(job, w4, SRC);
    ir_node_add_order(job, w4, ir_ref(job, SRC, "N"), false);
    ir_node_add_order(job, w4, ir_ref(job, SRC, "I"), false);
    w4->frame.unit = IR_FRAME_RANGE;
    w4->frame.start = (ir_frame_bound){IR_BOUND_PRECEDING, 10};
    w4->frame.end = (ir_frame_bound){IR_BOUND_FOLLOWING, 10};
    /* WIN_RANGE1: the same over one order key */
    ir_node *w5 = ir_node_add(job, IR_OP_WINDOW, "WIN_RANGE1");
    ir_node_add_input(job, w5, SRC);
    ir_node_add_order(job, w5, ir_ref(job, SRC, "N"), false);
    w5->frame = w4->frame;
    /* PROJ: a project whose column TOTAL is referenced by a sibling (inlined) */
    ir_node *p = ir_node_add(job, IR_OP_PROJECT, "EXP");
    ir_node_add_input(job, p, SRC);
    ir_node_add_col(job, p, "TOTAL", T("decimal(13,2)"),
                    ir_call2(job, IR_FN_ADD, ir_ref(job, SRC, "N"), ir_ref(job, SRC, "M")));
    ir_param *pa = ir_job_add_param(job, "REGION");
    pa->type = T("string");
    ir_param *pn = ir_job_add_param(job, "MIN_AMT");
    pn->type = T("decimal(12,2)");
}

/* ---- a reader for canonical expression text ---- */

typedef struct rd {
    const char *p;
    const char *err;
} rd;

static void ws(rd *r)
{
    while (isspace((unsigned char)*r->p))
        r->p++;
}

static int accept(rd *r, char ch)
{
    ws(r);
    if (*r->p == ch) {
        r->p++;
        return 1;
    }
    return 0;
}

/* A quoted string with the quote doubled inside; q is the quote character. */
static char *quoted(rd *r, char q)
{
    strbuf sb = STRBUF_INIT;
    if (*r->p != q) {
        r->err = "quote expected";
        return strdup("");
    }
    r->p++;
    for (;;) {
        if (!*r->p) {
            r->err = "unterminated quote";
            break;
        }
        if (*r->p == q) {
            if (r->p[1] == q) {
                sb_putc(&sb, q);
                r->p += 2;
                continue;
            }
            r->p++;
            break;
        }
        sb_putc(&sb, *r->p++);
    }
    sb_putc(&sb, '\0');
    sb.len--;
    return sb_take(&sb);
}

static char *word(rd *r)
{
    ws(r);
    const char *s = r->p;
    while (isalnum((unsigned char)*r->p) || *r->p == '_')
        r->p++;
    size_t n = (size_t)(r->p - s);
    char *w = malloc(n + 1);
    memcpy(w, s, n);
    w[n] = '\0';
    return w;
}

/* <type> after a name, or UNKNOWN */
static ir_type opt_type(rd *r)
{
    ir_type t = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    ws(r);
    if (*r->p != '<')
        return t;
    const char *end = strchr(r->p, '>');
    if (!end) {
        r->err = "> expected";
        return t;
    }
    char buf[64];
    size_t n = (size_t)(end - r->p - 1);
    memcpy(buf, r->p + 1, n);
    buf[n] = '\0';
    if (ir_type_parse(buf, &t) != 0)
        r->err = "bad type";
    r->p = end + 1;
    return t;
}

static ir_expr *parse_expr(rd *r);

static ir_expr *parse_expr(rd *r)
{
    ws(r);
    const char *s = r->p;
    if (*s == '\'') {
        char *t = quoted(r, '\'');
        ir_expr *e = ir_lit_str(job, t);
        free(t);
        return e;
    }
    if (*s == '$' && s[1] == '$') {
        r->p += 2;
        char *w = word(r);
        ir_expr *e = ir_param_ref(job, w);
        free(w);
        return e;
    }
    if (*s == '#') {
        r->p++;
        int node = (int)strtol(r->p, (char **)&r->p, 10);
        if (*r->p++ != '.')
            r->err = ". expected";
        char *name;
        if (*r->p == '`') {
            name = quoted(r, '`');
        } else {
            const char *b = r->p;
            while (isalnum((unsigned char)*r->p) || *r->p == '_' || *r->p == '.')
                r->p++;
            name = strndup(b, (size_t)(r->p - b));
        }
        ir_expr *e = ir_ref(job, node, ir_intern(job, name));
        free(name);
        return e;
    }
    if (isdigit((unsigned char)*s) || (*s == '-' && isdigit((unsigned char)s[1]))) {
        const char *b = r->p;
        r->p++;
        while (isdigit((unsigned char)*r->p) || *r->p == '.' || *r->p == 'e' || *r->p == '+')
            r->p++;
        char *t = strndup(b, (size_t)(r->p - b));
        ir_lit_kind k = strchr(t, '.') ? IR_LIT_DECIMAL : IR_LIT_INT;
        if (*r->p == 'd') {
            r->p++;
            k = IR_LIT_DOUBLE;
        } else if (*r->p == 'm') { /* a decimal written without a point */
            r->p++;
            k = IR_LIT_DECIMAL;
        }
        ir_expr *e = ir_lit(job, k, t);
        free(t);
        return e;
    }
    char *w = word(r);
    if (!*w) {
        free(w);
        r->err = "expression expected";
        return ir_lit_null(job);
    }
    ir_expr *e = NULL;
    ws(r);
    if (!strcmp(w, "NULL")) {
        e = ir_lit_null(job);
        e->type = opt_type(r);
    } else if (!strcmp(w, "TRUE") || !strcmp(w, "FALSE")) {
        e = ir_lit_bool(job, w[0] == 'T');
    } else if ((!strcmp(w, "DATE") || !strcmp(w, "TIMESTAMP")) && *r->p == '\'') {
        char *t = quoted(r, '\'');
        e = ir_lit(job, w[0] == 'D' ? IR_LIT_DATE : IR_LIT_TIMESTAMP, t);
        free(t);
    } else if (!strcmp(w, "HOLE") && *r->p == '(') {
        r->p++;
        ws(r);
        char *t = quoted(r, '\'');
        e = ir_hole(job, t, "no canonical form");
        free(t);
        e->type = ir_type_make(IR_TY_UNKNOWN, 0, 0);
        if (!accept(r, ')'))
            r->err = ") expected";
    } else if (*r->p == '(' || *r->p == '[' || *r->p == '<') {
        int fn = ir_fn_by_name(w);
        if (fn < 0) {
            r->err = "unknown function";
            free(w);
            return ir_lit_null(job);
        }
        fn_seen[fn]++;
        uint32_t flags = 0;
        if (accept(r, '[')) {
            do {
                char *f = word(r);
                int m = ir_flag_by_name(f);
                if (!m)
                    r->err = "unknown flag";
                flags |= (uint32_t)m;
                free(f);
            } while (accept(r, ','));
            if (!accept(r, ']'))
                r->err = "] expected";
        }
        ir_type t = opt_type(r);
        ir_expr *args[16];
        int n = 0;
        if (!accept(r, '('))
            r->err = "( expected";
        if (!accept(r, ')')) {
            do {
                args[n++] = parse_expr(r);
            } while (n < 16 && accept(r, ','));
            if (!accept(r, ')'))
                r->err = ") expected";
        }
        e = ir_call(job, (ir_fn)fn, flags, n, args);
        e->type = t;
    } else {
        e = ir_ref(job, SRC, ir_intern(job, w)); /* a column of the source */
    }
    free(w);
    return e;
}

static ir_expr *parse(const char *text)
{
    rd r = {text, NULL};
    ir_expr *e = parse_expr(&r);
    ws(&r);
    if (!r.err && *r.p)
        r.err = "trailing text";
    if (r.err) {
        fprintf(stderr, "bad case text (%s at '%s'): %s\n", r.err, r.p, text);
        abort();
    }
    return e;
}

/* ---- running cases ---- */

typedef struct tcase {
    int node;           /* the node that owns the expression (0: none) */
    const char *in;     /* canonical text */
    const char *want;   /* Spark SQL */
} tcase;

static void dump_text(const char *text)
{
    if (dump)
        fprintf(dump, "SELECT %s AS c%d;\n", text, ++dump_seq);
}

/* Emits one case and checks the text, the return code and the counts. */
static void run_case(const tcase *k, int markers)
{
    ir_expr *e = parse(k->in);
    sparksql_ctx c;
    sparksql_ctx_init(&c, job, k->node ? ir_job_node(job, k->node) : NULL);
    c.params_as_markers = markers;
    strbuf sb = STRBUF_INIT;
    int rc = sparksql_expr(&c, &sb, e);
    if (getenv("SPARKSQL_PRINT"))
        printf("    {%d, \"%s\",\n     \"%s\"},\n", k->node, k->in, sb_cstr(&sb));
    if (strcmp(sb_cstr(&sb), k->want) != 0)
        fprintf(stderr, "case: %s\n", k->in);
    CHECK_STR(sb_cstr(&sb), k->want);
    int unsup = strstr(k->want, "ETLPORT UNSUPPORTED") != NULL;
    CHECK(rc == (unsup ? -1 : 0));
    CHECK((c.unsupported > 0) == unsup);
    CHECK((c.holes > 0) == (strstr(k->want, "ETLPORT HOLE") != NULL));
    dump_text(sb_cstr(&sb));
    sb_free(&sb);
}

static void run_cases(const tcase *cases, size_t n, int markers)
{
    for (size_t i = 0; i < n; i++)
        run_case(&cases[i], markers);
}

#define RUN_CASES(arr, markers) run_cases(arr, sizeof arr / sizeof arr[0], markers)

/* ---- the cases: node, canonical text, Spark SQL ---- */
static const tcase test_literals_cases[] = {
    {0, "42",
     "42"},
    {0, "-7",
     "-7"},
    {0, "007",
     "7"},
    {0, "12.50",
     "12.50"},
    {0, "0.5",
     "0.5"},
    {0, "3m",
     "3BD"},
    {0, "1500d",
     "1500D"},
    {0, "1.5e+20d",
     "1.5e+20D"},
    {0, "-2.5d",
     "-2.5D"},
    {0, "'it''s'",
     "'it\\'s'"},
    {0, "TRUE",
     "TRUE"},
    {0, "FALSE",
     "FALSE"},
    {0, "NULL",
     "NULL"},
    {0, "NULL<timestamp>",
     "CAST(NULL AS TIMESTAMP)"},
    {0, "DATE'2024-01-31'",
     "DATE'2024-01-31'"},
    {0, "TIMESTAMP'2024-01-31 10:20:30.5'",
     "TIMESTAMP'2024-01-31 10:20:30.5'"},
};
static const tcase test_references_and_params_cases[] = {
    {0, "S",
     "S"},
    {0, "#1.`a b`",
     "`a b`"},
    {0, "#1.select",
     "`select`"},
    {0, "#1.`q``t`",
     "`q``t`"},
    {0, "#0.t.col",
     "t.col"},
    {0, "#0.s.t.Date",
     "s.t.`Date`"},
    {0, "#99.x.y",
     "x.y"},
    {0, "$$REGION",
     "'${REGION}'"},
    {0, "$$MIN_AMT",
     "${MIN_AMT}"},
    {0, "$$UNDECLARED",
     "${UNDECLARED}"},
    {0, "$$1st",
     "${_1st}"},
    {7, "#7.TOTAL",
     "N + M"},
    {7, "mul(#7.TOTAL, 2)",
     "(N + M) * 2"},
    {0, "eq(S, $$REGION)",
     "S = '${REGION}'"},
};
static const tcase test_param_markers_cases[] = {
    {0, "$$REGION",
     ":REGION"},
    {0, "ge(N, $$MIN_AMT)",
     "N >= :MIN_AMT"},
    {0, "$$1st",
     ":_1st"},
};
static const tcase test_precedence_cases[] = {
    {0, "add(N, mul(M, 2))",
     "N + M * 2"},
    {0, "mul(add(N, M), 2)",
     "(N + M) * 2"},
    {0, "sub(N, sub(M, 1))",
     "N - (M - 1)"},
    {0, "sub(sub(N, M), 1)",
     "N - M - 1"},
    {0, "sub(N, -3)",
     "N - (-3)"},
    {0, "add(N, neg(M))",
     "N + (-M)"},
    {0, "mul(N, -2)",
     "N * -2"},
    {0, "neg(neg(N))",
     "-(-N)"},
    {0, "neg(-3)",
     "-(-3)"},
    {0, "neg(add(N, M))",
     "-(N + M)"},
    {0, "and(or(B, C), not(B))",
     "(B OR C) AND NOT B"},
    {0, "or(and(B, C), B)",
     "B AND C OR B"},
    {0, "not(and(B, C))",
     "NOT (B AND C)"},
    {0, "not(eq(I, 1))",
     "NOT I = 1"},
    {0, "not(is_null(S))",
     "NOT S IS NULL"},
    {0, "not(not(B))",
     "NOT NOT B"},
    {0, "eq(is_null(S), B)",
     "(S IS NULL) = B"},
    {0, "eq(B, eq(I, J))",
     "B = (I = J)"},
    {0, "lt(N, neg(M))",
     "N < -M"},
    {0, "is_null(add(N, 1))",
     "N + 1 IS NULL"},
    {0, "in(add(I, 1), 1, 2)",
     "I + 1 IN (1, 2)"},
    {0, "and(in(I, 1, 2), regexp_like(S, 'a'))",
     "I IN (1, 2) AND S RLIKE 'a'"},
    {0, "mod(I, mod(J, 2))",
     "I % (J % 2)"},
    {0, "mul(div[int_division](BI, J), 2)",
     "BI DIV nullif(J, 0) * 2"},
    {0, "eq(regexp_like(S, 'a'), B)",
     "(S RLIKE 'a') = B"},
    {0, "is_null(is_null(S))",
     "(S IS NULL) IS NULL"},
};
static const tcase test_functions_cases[] = {
    {0, "add(N, M)",
     "N + M"},
    {0, "add(D, 1)",
     "date_add(D, 1)"},
    {0, "add(D, I)",
     "date_add(D, I)"},
    {0, "sub(D, 7)",
     "date_sub(D, 7)"},
    {0, "add(TS, 1)",
     "timestampadd(DAY, 1, TS)"},
    {0, "sub(TS, I)",
     "timestampadd(DAY, -I, TS)"},
    {0, "add(TS, 0.5)",
     "TS + make_dt_interval(0, 0, 0, 0.5 * 86400)"},
    {0, "sub(D, N)",
     "D - make_dt_interval(0, 0, 0, N * 86400)"},
    {0, "sub(D, D2)",
     "datediff(D, D2)"},
    {0, "sub(N, M)",
     "N - M"},
    {0, "mul(N, M)",
     "N * M"},
    {0, "div(N, M)",
     "try_divide(N, M)"},
    {0, "div(I, 0)",
     "try_divide(I, 0)"},
    {0, "div[int_division](I, J)",
     "CAST(I DIV nullif(J, 0) AS INT)"},
    {0, "div[int_division](BI, I)",
     "BI DIV nullif(I, 0)"},
    {0, "div[int_division](N, M)",
     "try_divide(N, M)"},
    {0, "mod(I, 3)",
     "I % 3"},
    {0, "neg(N)",
     "-N"},
    {0, "eq(S, 'A')",
     "S = 'A'"},
    {0, "eq[blank_padded](S, 'A  ')",
     "rtrim(S) = 'A'"},
    {0, "eq[blank_padded](S, S2)",
     "rtrim(S) = rtrim(S2)"},
    {0, "eq[case_insensitive](S, 'abc')",
     "upper(S) = 'ABC'"},
    {0, "ne(I, 0)",
     "I <> 0"},
    {0, "lt(N, M)",
     "N < M"},
    {0, "le(D, D2)",
     "D <= D2"},
    {0, "gt(TS, TIMESTAMP'2024-01-01 00:00:00')",
     "TS > TIMESTAMP'2024-01-01 00:00:00'"},
    {0, "ge(N, 0.5)",
     "N >= 0.5"},
    {0, "in(S, 'A', 'B', NULL)",
     "S IN ('A', 'B', NULL)"},
    {0, "in[case_insensitive](S, 'a', S2)",
     "upper(S) IN ('A', upper(S2))"},
    {0, "in[blank_padded](S, 'A ', 'B')",
     "rtrim(S) IN ('A', 'B')"},
    {0, "and(B, C, not(B))",
     "B AND C AND NOT B"},
    {0, "or(B, C)",
     "B OR C"},
    {0, "not(B)",
     "NOT B"},
    {0, "if(B, 1, 0)",
     "CASE WHEN B THEN 1 ELSE 0 END"},
    {0, "if(B, S, if(C, S2, NULL))",
     "CASE WHEN B THEN S WHEN C THEN S2 END"},
    {0, "if(gt(N, 0), 'pos', if(lt(N, 0), 'neg', 'zero'))",
     "CASE WHEN N > 0 THEN 'pos' WHEN N < 0 THEN 'neg' ELSE 'zero' END"},
    {0, "case(B, 1, C, 2, 3)",
     "CASE WHEN B THEN 1 WHEN C THEN 2 ELSE 3 END"},
    {0, "case(B, 1, NULL)",
     "CASE WHEN B THEN 1 END"},
    {0, "decode[null_matches_null](S, 'A', 1, NULL, 2, 0)",
     "decode(S, 'A', 1, NULL, 2, 0)"},
    {0, "decode(S, 'A', 1, 'B', 2)",
     "CASE S WHEN 'A' THEN 1 WHEN 'B' THEN 2 END"},
    {0, "decode(S, 'A', 1, 9)",
     "CASE S WHEN 'A' THEN 1 ELSE 9 END"},
    {0, "decode(TRUE, B, 'x', C, 'y', 'z')",
     "CASE WHEN B THEN 'x' WHEN C THEN 'y' ELSE 'z' END"},
    {0, "coalesce(S, S2, 'none')",
     "coalesce(S, S2, 'none')"},
    {0, "nullif(I, 0)",
     "nullif(I, 0)"},
    {0, "is_null(S)",
     "S IS NULL"},
    {0, "is_spaces(S)",
     "S RLIKE '^\\\\s+\\\\z'"},
    {0, "is_number(S)",
     "S RLIKE '^\\\\s*[+-]?(\\\\d+\\\\.?\\\\d*|\\\\.\\\\d+)([eE][+-]?\\\\d+)?\\\\s*\\\\z'"},
    {0, "is_date(S)",
     "CASE WHEN S IS NOT NULL THEN try_to_timestamp(S, 'MM/dd/yyyy HH:mm:ss') IS NOT NULL END"},
    {0, "is_date(S, 'YYYYMMDD')",
     "CASE WHEN S IS NOT NULL THEN try_to_timestamp(S, 'yyyyMMdd') IS NOT NULL END"},
    {0, "is_date(S, S2)",
     "CAST(NULL AS BOOLEAN) /* ETLPORT UNSUPPORTED is_date: IS_DATE with a computed or unknown format */"},
    {0, "concat(S, S2)",
     "concat(S, S2)"},
    {0, "concat[null_as_empty](S, ' ', S2)",
     "concat_ws('', S, ' ', S2)"},
    {0, "concat[null_as_empty](S, S2)",
     "CASE WHEN S IS NOT NULL OR S2 IS NOT NULL THEN concat_ws('', S, S2) END"},
    {0, "concat[null_as_empty](S, NULL, S2)",
     "CASE WHEN S IS NOT NULL OR S2 IS NOT NULL THEN concat_ws('', S, S2) END"},
    {0, "concat[null_as_empty](NULL, NULL)",
     "CAST(NULL AS STRING)"},
    {0, "concat[null_as_empty](S, chr(13))",
     "concat_ws('', S, '\\r')"},
    {0, "ltrim(S)",
     "ltrim(S)"},
    {0, "ltrim(S, 'x0')",
     "TRIM(LEADING 'x0' FROM S)"},
    {0, "rtrim(S, ' ')",
     "rtrim(S)"},
    {0, "rtrim(S, 'it''s')",
     "TRIM(TRAILING 'it\\'s' FROM S)"},
    {0, "trim(S, '')",
     "S"},
    {0, "trim(S, S2)",
     "TRIM(BOTH S2 FROM S)"},
    {0, "upper(S)",
     "upper(S)"},
    {0, "lower(S)",
     "lower(S)"},
    {0, "initcap(S)",
     "initcap(S)"},
    {0, "lpad(S, 10)",
     "lpad(S, 10)"},
    {0, "lpad(S, 10, '0')",
     "lpad(S, 10, '0')"},
    {0, "rpad(S, I, S2)",
     "rpad(S, I, S2)"},
    {0, "substr(S, 2, 3)",
     "substr(S, 2, 3)"},
    {0, "substr(S, 2)",
     "substr(S, 2)"},
    {0, "substr(S, 0, 3)",
     "substr(S, 1, 2)"},
    {0, "substr[pos_zero_is_one](S, 0, 3)",
     "substr(S, 0, 3)"},
    {0, "substr(S, -2, 5)",
     "substr(S, 1, 2)"},
    {0, "substr(S, -2)",
     "substr(S, 1)"},
    {0, "substr[neg_from_end](S, -2, 5)",
     "substr(S, -2, 5)"},
    {0, "substr[neg_from_end](S, -2)",
     "substr(S, -2)"},
    {0, "substr(S, 0, I)",
     "substr(S, 1, I - 1)"},
    {0, "substr[pos_zero_is_one,neg_from_end](S, I, J)",
     "substr(S, I, J)"},
    {0, "substr(S, I)",
     "substr(S, greatest(I, 1))"},
    {0, "substr[neg_from_end](S, I)",
     "substr(S, I)"},
    {0, "substr(S, I, J)",
     "CASE WHEN I >= 1 THEN substr(S, I, J) ELSE substr(S, 1, J + I - 1) END"},
    {0, "substr[pos_zero_is_one](S, I, J)",
     "CASE WHEN I >= 0 THEN substr(S, I, J) ELSE substr(S, 1, J + I - 1) END"},
    {0, "substr[neg_from_end](S, I, J)",
     "CASE WHEN I = 0 THEN substr(S, 1, J - 1) ELSE substr(S, I, J) END"},
    {0, "substr(S, 2, -1)",
     "substr(S, 2, -1)"},
    {0, "instr(S, 'a')",
     "instr(S, 'a')"},
    {0, "instr(S, S2)",
     "instr(S, S2)"},
    {0, "instr(S, 'ab', 3)",
     "locate('ab', S, 3)"},
    {0, "instr(S, 'a', 0)",
     "instr(S, 'a')"},
    {0, "instr[pos_zero_is_one](S, 'a', 0, 1)",
     "instr(S, 'a')"},
    {0, "instr[neg_from_end](S, 'ab', -1)",
     "CASE WHEN instr(reverse(S), 'ba') = 0 THEN 0 ELSE length(S) - instr(reverse(S), 'ba') END"},
    {0, "instr[neg_from_end](S, 'a', -3)",
     "CASE WHEN locate('a', reverse(S), 3) = 0 THEN 0 ELSE length(S) - locate('a', reverse(S), 3) + 1 END"},
    {0, "instr[neg_from_end](S, 'abcd', -1)",
     "CASE WHEN instr(reverse(S), 'dcba') = 0 THEN 0 ELSE length(S) - instr(reverse(S), 'dcba') - 2 END"},
    {0, "instr(S, 'a', 1, 2)",
     "CAST(NULL AS INT) /* ETLPORT UNSUPPORTED instr: INSTR for an occurrence other than the first */"},
    {0, "instr(S, 'a', I)",
     "locate('a', S, greatest(I, 1))"},
    {0, "instr[neg_from_end](S, 'a', I)",
     "CAST(NULL AS INT) /* ETLPORT UNSUPPORTED instr: INSTR with a computed start that may be negative (backward search) */"},
    {0, "length(S)",
     "length(S)"},
    {0, "replace_chars(S, 'ab', 'x')",
     "translate(S, 'ab', 'xx')"},
    {0, "replace_chars(S, 'ab', NULL)",
     "translate(S, 'ab', '')"},
    {0, "replace_chars(S, 'ab', '')",
     "translate(S, 'ab', '')"},
    {0, "replace_chars[case_insensitive](S, 'ab', 'x')",
     "regexp_replace(S, '(?i)[ab]', 'x')"},
    {0, "replace_chars(S, 'a.', 'xy')",
     "regexp_replace(S, '[a\\\\.]', 'xy')"},
    {0, "replace_chars(S, 'ab', S2)",
     "regexp_replace(S, '[ab]', coalesce(S2, ''))"},
    {0, "replace_chars(S, S2, 'x')",
     "CAST(NULL AS STRING) /* ETLPORT UNSUPPORTED replace_chars: REPLACECHR with a computed character set */"},
    {0, "replace_chars(S, '', 'x')",
     "S"},
    {0, "replace_str(S, 'ab', 'x')",
     "replace(S, 'ab', 'x')"},
    {0, "replace_str(S, 'ab', NULL)",
     "replace(S, 'ab', '')"},
    {0, "replace_str(S, S2, 'x')",
     "replace(S, coalesce(S2, ''), 'x')"},
    {0, "replace_str(S, 'a', 'b.c', '$')",
     "regexp_replace(S, 'a|b\\\\.c', '\\\\$')"},
    {0, "replace_str[case_insensitive](S, 'ab', 'x')",
     "regexp_replace(S, '(?i)ab', 'x')"},
    {0, "replace_str(S, chr(13), chr(10), ' ')",
     "regexp_replace(S, '\\r|\\n', ' ')"},
    {0, "replace_str(S, 'a', 'b', S2)",
     "regexp_replace(S, 'a|b', coalesce(S2, ''))"},
    {0, "replace_str(S, 'a', S2, 'x')",
     "CAST(NULL AS STRING) /* ETLPORT UNSUPPORTED replace_str: REPLACESTR with a computed search string */"},
    {0, "regexp_extract(S, '([0-9]+)')",
     "CASE WHEN S RLIKE '([0-9]+)' THEN regexp_extract(S, '([0-9]+)', 1) END"},
    {0, "regexp_extract(S, 'a(b)(c)', 2)",
     "CASE WHEN S RLIKE 'a(b)(c)' THEN regexp_extract(S, 'a(b)(c)', 2) END"},
    {0, "regexp_like(S, '^A')",
     "S RLIKE '^A'"},
    {0, "regexp_like[full_match](S, '[A-Z]+')",
     "S RLIKE '^(?:[A-Z]+)\\\\z'"},
    {0, "regexp_like[case_insensitive](S, '^A')",
     "S RLIKE '(?i)^A'"},
    {0, "regexp_like[case_insensitive,full_match](S, S2)",
     "S RLIKE concat('(?i)^(?:', S2, ')\\\\z')"},
    {0, "regexp_instr[case_insensitive](S, 'a+')",
     "regexp_instr(S, '(?i)a+')"},
    {0, "regexp_like[full_match](S, S2)",
     "S RLIKE concat('^(?:', S2, ')\\\\z')"},
    {0, "regexp_replace(S, '\\d', 'x')",
     "regexp_replace(S, '\\\\d', 'x')"},
    {0, "regexp_replace(S, 'a', 'b', 0)",
     "regexp_replace(S, 'a', 'b')"},
    {0, "regexp_replace(S, 'a', 'b', 1)",
     "CAST(NULL AS STRING) /* ETLPORT UNSUPPORTED regexp_replace: REG_REPLACE of at most n matches */"},
    {0, "chr(65)",
     "'A'"},
    {0, "chr(10)",
     "'\\n'"},
    {0, "chr(I)",
     "char(I)"},
    {0, "ascii(S)",
     "ascii(S)"},
    {0, "reverse(S)",
     "reverse(S)"},
    {0, "to_char(N)",
     "CAST(N AS STRING)"},
    {0, "to_char(TS)",
     "date_format(TS, 'MM/dd/yyyy HH:mm:ss')"},
    {0, "to_char(D, 'YYYY-MM-DD\"T\"HH24')",
     "date_format(D, 'yyyy-MM-dd\\'T\\'HH')"},
    {0, "to_char(N, '999')",
     "CAST(NULL AS STRING) /* ETLPORT UNSUPPORTED to_char: TO_CHAR of a number with a format (number format models are not translated) */"},
    {0, "to_char(TS, S)",
     "CAST(NULL AS STRING) /* ETLPORT UNSUPPORTED to_char: TO_CHAR with a computed or unknown date format */"},
    {0, "to_date(S)",
     "to_timestamp(S, 'MM/dd/yyyy HH:mm:ss')"},
    {0, "to_date(S, 'DD-MON-RR')",
     "CASE WHEN year(to_timestamp(S, 'dd-MMM-yy')) >= 2050 THEN timestampadd(YEAR, -100, to_timestamp(S, 'dd-MMM-yy')) ELSE to_timestamp(S, 'dd-MMM-yy') END"},
    {0, "to_date(S, 'YYYY-MM-DD HH24:MI:SS.FF3')",
     "to_timestamp(S, 'yyyy-MM-dd HH:mm:ss.SSS')"},
    {0, "to_date(D)",
     "CAST(D AS TIMESTAMP)"},
    {0, "to_date(S, S2)",
     "CAST(NULL AS TIMESTAMP) /* ETLPORT UNSUPPORTED to_date: TO_DATE with a computed or unknown date format */"},
    {0, "to_decimal(S, 2)",
     "CASE WHEN S IS NOT NULL THEN coalesce(try_cast(S AS DECIMAL(38,2)), CAST(0 AS DECIMAL(38,2))) END"},
    {0, "to_decimal(S)",
     "CASE WHEN S IS NOT NULL THEN coalesce(try_cast(S AS DECIMAL(38,10)), CAST(0 AS DECIMAL(38,10))) END"},
    {0, "to_decimal(I)",
     "CAST(I AS DECIMAL(10,0))"},
    {0, "to_decimal(N, 4)",
     "CAST(N AS DECIMAL(38,4))"},
    {0, "to_decimal('12.5')",
     "coalesce(try_cast('12.5' AS DECIMAL(38,10)), CAST(0 AS DECIMAL(38,10)))"},
    {0, "to_decimal(S, I)",
     "NULL /* ETLPORT UNSUPPORTED to_decimal: TO_DECIMAL with a computed scale */"},
    {0, "to_integer(N)",
     "CAST(N AS INT)"},
    {0, "to_integer(S)",
     "CAST(CAST(S AS DECIMAL(38,10)) AS INT)"},
    {0, "to_integer(N, FALSE)",
     "CAST(round(N) AS INT)"},
    {0, "to_integer(X, B)",
     "CASE WHEN B THEN CAST(X AS INT) ELSE CAST(round(X) AS INT) END"},
    {0, "to_bigint(S, FALSE)",
     "CAST(round(CAST(S AS DECIMAL(38,10))) AS BIGINT)"},
    {0, "to_bigint(X)",
     "CAST(X AS BIGINT)"},
    {0, "to_float(S)",
     "CAST(S AS DOUBLE)"},
    {0, "cast<decimal(10,2)>(S)",
     "CAST(S AS DECIMAL(10,2))"},
    {0, "cast<string>(N)",
     "CAST(N AS STRING)"},
    {0, "cast(S)",
     "NULL /* ETLPORT UNSUPPORTED cast: CAST to an unknown type */"},
    {0, "trunc(N)",
     "CASE WHEN N < 0 THEN ceil(N) ELSE floor(N) END"},
    {0, "trunc(N, 2)",
     "CASE WHEN N < 0 THEN ceil(N, 2) ELSE floor(N, 2) END"},
    {0, "trunc(N, -1)",
     "CASE WHEN N < 0 THEN ceil(N, -1) ELSE floor(N, -1) END"},
    {0, "trunc(N, $$MIN_AMT)",
     "CASE WHEN N < 0 THEN ceil(N, ${MIN_AMT}) ELSE floor(N, ${MIN_AMT}) END"},
    {0, "trunc(N, I)",
     "CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED trunc: TRUNC with a computed number of places (Spark needs a constant scale) */"},
    {0, "round(N)",
     "round(N)"},
    {0, "round(N, 2)",
     "round(N, 2)"},
    {0, "round(N, I)",
     "CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED round: ROUND with a computed number of places (Spark needs a constant scale) */"},
    {0, "abs(N)",
     "abs(N)"},
    {0, "ceil(N)",
     "ceil(N)"},
    {0, "floor(N)",
     "floor(N)"},
    {0, "power(N, 2)",
     "power(N, 2)"},
    {0, "sqrt(X)",
     "sqrt(X)"},
    {0, "exp(X)",
     "exp(X)"},
    {0, "ln(X)",
     "ln(X)"},
    {0, "log(10, N)",
     "log(10, N)"},
    {0, "sign(N)",
     "CAST(sign(N) AS INT)"},
    {0, "date_add(TS, 'month', 1)",
     "timestampadd(MONTH, 1, TS)"},
    {0, "date_add(D, 'month', I)",
     "add_months(D, I)"},
    {0, "date_add(D, 'year', 2)",
     "add_months(D, 24)"},
    {0, "date_add(D, 'year', I)",
     "add_months(D, I * 12)"},
    {0, "date_add(D, 'quarter', add(I, 1))",
     "add_months(D, (I + 1) * 3)"},
    {0, "date_add(D, 'day', 3)",
     "date_add(D, 3)"},
    {0, "date_add(D, 'week', 2)",
     "date_add(D, 14)"},
    {0, "date_add(D, 'hour', 3)",
     "timestampadd(HOUR, 3, D)"},
    {0, "date_add(TS, 'millisecond', I)",
     "timestampadd(MILLISECOND, I, TS)"},
    {0, "date_add(TS, 'nanosecond', 1)",
     "CAST(NULL AS TIMESTAMP) /* ETLPORT UNSUPPORTED date_add: DATE_ADD with a computed date part or nanoseconds (Spark keeps microseconds) */"},
    {0, "date_add(TS, S, 1)",
     "CAST(NULL AS TIMESTAMP) /* ETLPORT UNSUPPORTED date_add: DATE_ADD with a computed date part or nanoseconds (Spark keeps microseconds) */"},
    {0, "date_diff(TS, TS2, 'day')",
     "(unix_micros(TS) - unix_micros(TS2)) / 86400000000"},
    {0, "date_diff(D, D2, 'day')",
     "CAST(datediff(D, D2) AS DOUBLE)"},
    {0, "date_diff(D, D2, 'week')",
     "datediff(D, D2) / 7"},
    {0, "date_diff(D, TS, 'hour')",
     "(unix_micros(CAST(D AS TIMESTAMP)) - unix_micros(TS)) / 3600000000"},
    {0, "date_diff(TS, TS2, 'second')",
     "(unix_micros(TS) - unix_micros(TS2)) / 1000000"},
    {0, "date_diff(TS, TS2, 'nanosecond')",
     "(unix_micros(TS) - unix_micros(TS2)) * 1000D"},
    {0, "date_diff(TS, TS2, 'month')",
     "months_between(TS, TS2, false)"},
    {0, "date_diff(TS, TS2, 'quarter')",
     "months_between(TS, TS2, false) / 3"},
    {0, "date_diff(TS, TS2, 'year')",
     "months_between(TS, TS2, false) / 12"},
    {0, "date_diff(TS, TS2, S)",
     "CAST(NULL AS DOUBLE) /* ETLPORT UNSUPPORTED date_diff: DATE_DIFF with a computed date part */"},
    {0, "date_compare(TS, TS2)",
     "CASE WHEN TS < TS2 THEN -1 WHEN TS > TS2 THEN 1 WHEN TS = TS2 THEN 0 END"},
    {0, "date_part(TS, 'year')",
     "year(TS)"},
    {0, "date_part(TS, 'week')",
     "weekofyear(TS)"},
    {0, "date_part(D, 'day')",
     "day(D)"},
    {0, "date_part(TS, 'millisecond')",
     "CAST(date_format(TS, 'SSS') AS INT)"},
    {0, "date_part(TS, S)",
     "CAST(NULL AS INT) /* ETLPORT UNSUPPORTED date_part: DATE_PART with a computed date part */"},
    {0, "date_set_part(TS, 'month', 2)",
     "make_timestamp(year(TS), 2, day(TS), hour(TS), minute(TS), date_part('SECOND', TS))"},
    {0, "date_set_part(TS, 'second', 0)",
     "make_timestamp(year(TS), month(TS), day(TS), hour(TS), minute(TS), 0)"},
    {0, "date_set_part(D, 'day', 1)",
     "make_date(year(D), month(D), 1)"},
    {0, "date_set_part(D, 'hour', 1)",
     "CAST(NULL AS DATE) /* ETLPORT UNSUPPORTED date_set_part: DATE_SET_PART of a time part on a DATE */"},
    {0, "date_set_part(TS, 'week', 1)",
     "CAST(NULL AS TIMESTAMP) /* ETLPORT UNSUPPORTED date_set_part: DATE_SET_PART for this date part */"},
    {0, "last_day(D)",
     "last_day(D)"},
    {0, "last_day(TS)",
     "timestampadd(DAY, datediff(last_day(TS), TS), TS)"},
    {0, "date_trunc(TS, 'month')",
     "date_trunc('MONTH', TS)"},
    {0, "date_trunc(D, 'year')",
     "trunc(D, 'YEAR')"},
    {0, "date_trunc(D, 'day')",
     "D"},
    {0, "date_trunc(TS, S)",
     "CAST(NULL AS TIMESTAMP) /* ETLPORT UNSUPPORTED date_trunc: DATE_TRUNC with a computed date part or nanoseconds */"},
    {0, "date_round(TS, 'month')",
     "date_trunc('MONTH', CASE WHEN day(TS) >= 16 THEN timestampadd(MONTH, 1, TS) ELSE TS END)"},
    {0, "date_round(D, 'year')",
     "trunc(CASE WHEN month(D) >= 7 THEN add_months(D, 12) ELSE D END, 'YEAR')"},
    {0, "date_round(TS, 'day')",
     "date_trunc('DAY', timestampadd(HOUR, 12, TS))"},
    {0, "date_round(TS, 'second')",
     "date_trunc('SECOND', timestampadd(MILLISECOND, 500, TS))"},
    {0, "date_round(D, 'hour')",
     "D"},
    {0, "date_round(TS, 'week')",
     "CAST(NULL AS TIMESTAMP) /* ETLPORT UNSUPPORTED date_round: DATE_ROUND for this date part */"},
    {0, "current_date()",
     "current_date()"},
    {0, "current_timestamp()",
     "current_timestamp()"},
    {0, "session_start_time()",
     "current_timestamp()"},
    {0, "md5(S)",
     "md5(S)"},
    {0, "crc32(S)",
     "crc32(S)"},
    {0, "sha1(S)",
     "sha1(S)"},
    {0, "sha2(S, 512)",
     "sha2(S, 512)"},
    {0, "translate(S, 'abc', 'xy')",
     "translate(S, 'abc', 'xy')"},
    {0, "regexp_instr(S, 'a+')",
     "regexp_instr(S, 'a+')"},
    {0, "right(S, 3)",
     "right(S, 3)"},
    {0, "levenshtein(S, S2)",
     "levenshtein(S, S2)"},
    {0, "like(S, S2, '!')",
     "S LIKE S2 ESCAPE '!'"},
    {0, "not(like[case_insensitive](S, S2, '!'))",
     "NOT S ILIKE S2 ESCAPE '!'"},
    {0, "like(S, S2)",
     "CAST(NULL AS BOOLEAN) /* ETLPORT UNSUPPORTED like: LIKE of a computed pattern without an escape character (Spark's LIKE escapes with \\ by default) */"},
    {0, "json_get(S, '$.a[1]')",
     "NULL /* ETLPORT UNSUPPORTED json_get: a JSON value (a string in its quotes): Spark 3.5 has no JSON type, and get_json_object gives a string without its quotes */"},
    {0, "json_get_text(S, '$.a[1]')",
     "get_json_object(S, '$.a[1]')"},
    {0, "grouping(S)",
     "grouping(S)"},
    {0, "grouping(S, S2)",
     "grouping_id(S, S2)"},
    {0, "split_part(S, '-', 2)",
     "split_part(S, '-', 2)"},
    {0, "split_part[pos_zero_is_one](S, '-', I)",
     "split_part(S, '-', CASE WHEN I = 0 THEN 1 ELSE I END)"},
    {0, "try_cast<integer>(S)",
     "try_cast(S AS INT)"},
    {0, "next_day(D, 'MON')",
     "next_day(D, 'MON')"},
    {0, "convert_timezone('UTC', 'Europe/Paris', D)",
     "convert_timezone('UTC', 'Europe/Paris', D)"},
    {0, "uuid()",
     "uuid()"},
    {0, "current_user()",
     "current_user()"},
    {0, "current_schema()",
     "current_schema()"},
    {0, "seq_next('dim_seq')",
     "CAST(NULL AS BIGINT) /* ETLPORT UNSUPPORTED seq_next: Spark has no sequences: number the rows (row_number() plus the target's highest key) or use an identity column, and review */"},
    {0, "sin(X)",
     "sin(X)"},
    {0, "cos(X)",
     "cos(X)"},
    {0, "tan(X)",
     "tan(X)"},
    {0, "asin(X)",
     "asin(X)"},
    {0, "acos(X)",
     "acos(X)"},
    {0, "atan(X)",
     "atan(X)"},
    {0, "atan2(X, N)",
     "atan2(X, N)"},
    {0, "pi()",
     "pi()"},
    {0, "radians(X)",
     "radians(X)"},
    {0, "degrees(X)",
     "degrees(X)"},
    {0, "current_utc_timestamp()",
     "to_utc_timestamp(current_timestamp(), current_timezone())"},
    {0, "floor(N, 1)",
     "floor(N, 1)"},
    {0, "error('bad row')",
     "NULL /* ETLPORT UNSUPPORTED error: Informatica ERROR() rejects the row and the run goes on; Spark SQL has no per-row reject inside an expression (raise_error would fail the whole query) */"},
    {0, "abort('stop */ here')",
     "raise_error('stop */ here')"},
    {0, "sum(N)",
     "sum(N)"},
    {0, "sum[distinct](N)",
     "sum(DISTINCT N)"},
    {0, "sum(N, gt(N, 0))",
     "sum(CASE WHEN N > 0 THEN N END)"},
    {0, "avg(N)",
     "avg(N)"},
    {0, "avg[distinct](N)",
     "avg(DISTINCT N)"},
    {0, "count(S)",
     "count(S)"},
    {0, "count[distinct](S, B)",
     "count(DISTINCT CASE WHEN B THEN S END)"},
    {0, "count_star()",
     "count(*)"},
    {0, "count_star(B)",
     "count(CASE WHEN B THEN 1 END)"},
    {0, "min(N)",
     "min(N)"},
    {0, "max(D)",
     "max(D)"},
    {0, "first(S)",
     "first(S, true) /* ETLPORT ORDER-DEPENDENT: the first row in legacy input order; Spark's first() depends on partition order */"},
    {0, "last[order_dependent](S, B)",
     "last(CASE WHEN B THEN S END, true) /* ETLPORT ORDER-DEPENDENT: the last row in legacy input order; Spark's last() depends on partition order */"},
    {0, "median(N)",
     "median(N)"},
    {0, "stddev(N)",
     "stddev_samp(N)"},
    {0, "variance(N)",
     "var_samp(N)"},
    {0, "percentile(N, 25)",
     "percentile(N, 0.25)"},
    {0, "any_value(S)",
     "any_value(S)"},
    {0, "bool_and(B)",
     "bool_and(B)"},
    {0, "array(I, NULL, 3)",
     "array(I, NULL, 3)"},
    {0, "array_size(AR)",
     "array_size(AR)"},
    {0, "array_get(AR, I)",
     "get(AR, I)"},
    {0, "array_contains(AR, J)",
     "array_contains(AR, J)"},
    {0, "array_cat(AR, array(I))",
     "flatten(array(AR, array(I)))"},
    {0, "array_append(AR, NULL)",
     "array_append(AR, NULL)"},
    {0, "array_slice(AR, 1, 3)",
     "slice(AR, 2, 2)"},
    {0, "array_slice(AR, 3, 1)",
     "slice(AR, 4, 0)"},
    {0, "array_sort(AR, 'asc nulls first')",
     "sort_array(AR)"},
    {0, "array_sort(AR, 'desc nulls last')",
     "sort_array(AR, false)"},
    {0, "array_sort(AR, 'asc nulls last')",
     "array_sort(AR)"},
    {0, "array_reverse(AR)",
     "reverse(AR)"},
    {0, "array_max(AR)",
     "array_max(AR)"},
    {0, "array_min(AR)",
     "array_min(AR)"},
    {0, "array_distinct(AR)",
     "array_distinct(AR)"},
    {0, "array_except(AR, array(I))",
     "array_except(AR, array(I))"},
    {0, "array_remove(AR, I)",
     "array_remove(AR, I)"},
    {0, "array_compact(AR)",
     "array_compact(AR)"},
    {0, "string_agg_ordered(S, ', ', D, 'desc nulls first', S2, 'desc nulls last')",
     "CASE WHEN count(S) > 0 THEN array_join(transform(sort_array(collect_list(CASE WHEN S IS NOT NULL THEN "
     "named_struct('n0', D IS NULL, 'k0', D, 'n1', S2 IS NOT NULL, 'k1', S2, 'v', S) END), false), s -> s.v), ', ') END"},
    {0, "array_agg_ordered(I, N, 'asc nulls last')",
     "transform(sort_array(collect_list(CASE WHEN I IS NOT NULL THEN named_struct('n0', N IS NULL, 'k0', N, 'v', I) "
     "END), true), s -> s.v)"},
    {0, "array_agg_ordered(I, N, 'asc nulls last', J, 'desc nulls first')",
     "NULL /* ETLPORT UNSUPPORTED array_agg_ordered: an ordered aggregate whose keys go different "
     "directions (sort_array sorts every key one way) */"},
    {0, "array_agg(I)",
     "collect_list(I)"},
    {0, "array_agg[distinct](I, B)",
     "collect_list(DISTINCT CASE WHEN B THEN I END)"},
    {0, "string_agg(S, ', ')",
     "CASE WHEN count(S) > 0 THEN array_join(collect_list(S), ', ') END"},
    {0, "string_agg[distinct](S, '|', B)",
     "CASE WHEN count(CASE WHEN B THEN S END) > 0 THEN array_join(collect_set(CASE WHEN B THEN S END), '|') END"},
    {0, "coalesce(string_agg(S, ','), '')",
     "array_join(collect_list(S), ',')"},
    {0, "from_hex(S)",
     "unhex(S)"},
    {0, "from_hex('0ACC')",
     "X'0ACC'"},
    {0, "bool_or(B, C)",
     "bool_or(CASE WHEN C THEN B END)"},
    {0, "bit_and(I)",
     "bit_and(I)"},
    {0, "bit_or(I)",
     "bit_or(I)"},
    {0, "stddev_pop(N)",
     "stddev_pop(N)"},
    {0, "var_pop(N)",
     "var_pop(N)"},
    {0, "covar_pop(N, M)",
     "covar_pop(N, M)"},
    {0, "covar_samp(N, M, B)",
     "covar_samp(CASE WHEN B THEN N END, CASE WHEN B THEN M END)"},
    {0, "corr(N, M)",
     "corr(N, M)"},
    {0, "regr_slope(N, M)",
     "regr_slope(N, M)"},
    {0, "regr_intercept(N, M)",
     "regr_intercept(N, M)"},
    {0, "regr_r2(N, M)",
     "regr_r2(N, M)"},
    {0, "regr_count(N, M)",
     "regr_count(N, M)"},
    {0, "regr_avgx(N, M)",
     "regr_avgx(N, M)"},
    {0, "regr_avgy(N, M)",
     "regr_avgy(N, M)"},
    {0, "regr_sxx(N, M)",
     "regr_sxx(N, M)"},
    {0, "regr_syy(N, M)",
     "regr_syy(N, M)"},
    {0, "regr_sxy(N, M)",
     "regr_sxy(N, M)"},
    {0, "percentile(N, 2.5)",
     "percentile(N, 2.5 / 100)"},
    {0, "percentile(N, I)",
     "CAST(NULL AS DOUBLE) /* ETLPORT UNSUPPORTED percentile: PERCENTILE with a computed percentage (Spark needs a constant) */"},
    {0, "max(sum(N))",
     "max(CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED sum: nested aggregate (aggregate of an aggregate): Spark needs a second aggregation */)"},
    {0, "set_variable($$V, N)",
     "CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED set_variable: mapping variables keep state between runs; a Spark SQL statement has no variable store: persist the value outside the job */"},
    {0, "set_max_variable($$V, N)",
     "CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED set_max_variable: mapping variables keep state between runs; compute the max with an aggregate and persist it outside the job */"},
    {0, "set_min_variable($$V, N)",
     "CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED set_min_variable: mapping variables keep state between runs; compute the min with an aggregate and persist it outside the job */"},
    {0, "set_count_variable($$V)",
     "CAST(NULL AS BIGINT) /* ETLPORT UNSUPPORTED set_count_variable: mapping variables keep state between runs; count with an aggregate and persist it outside the job */"},
};
static const tcase test_windows_cases[] = {
    {2, "row_number()",
     "row_number() OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "rank()",
     "rank() OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "dense_rank()",
     "dense_rank() OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "percent_rank()",
     "percent_rank() OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "cume_dist()",
     "cume_dist() OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "ntile(4)",
     "ntile(4) OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "ntile(I)",
     "CAST(NULL AS BIGINT) /* ETLPORT UNSUPPORTED ntile: ntile needs a positive integer literal */"},
    {2, "lag(N)",
     "lag(N) OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "lag(N, 2, 0)",
     "lag(N, 2, 0) OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "lag[ignore_nulls](N)",
     "lag(N) IGNORE NULLS OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "lead(N, 1, M)",
     "lead(N, 1, M) OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "lead(N, 1, NULL)",
     "lead(N, 1) OVER (PARTITION BY S ORDER BY N ASC)"},
    {2, "lag(N, I)",
     "CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED lag: lag/lead need a non-negative integer literal offset */"},
    {2, "first_value(N)",
     "first_value(N) OVER (PARTITION BY S ORDER BY N ASC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
    {2, "last_value[ignore_nulls](N)",
     "last_value(N) IGNORE NULLS OVER (PARTITION BY S ORDER BY N ASC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
    {2, "sum(N)",
     "sum(N) OVER (PARTITION BY S ORDER BY N ASC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
    {2, "count_star()",
     "count(*) OVER (PARTITION BY S ORDER BY N ASC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
    {2, "avg(N, B)",
     "avg(CASE WHEN B THEN N END) OVER (PARTITION BY S ORDER BY N ASC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
    {2, "count[distinct](S)",
     "CAST(NULL AS BIGINT) /* ETLPORT UNSUPPORTED count: Spark has no distinct window aggregates */"},
    {2, "first(N)",
     "CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED first: first/last are input-order aggregates; in a window node use first_value/last_value */"},
    {2, "median(N)",
     "CAST(NULL AS DOUBLE) /* ETLPORT UNSUPPORTED median: median and percentile are window aggregates in Spark only over a whole partition (no order, no frame) */"},
    {2, "add(row_number(), 1)",
     "row_number() OVER (PARTITION BY S ORDER BY N ASC) + 1"},
    {2, "sum(lag(N))",
     "sum(CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED lag: a window call inside another window call's arguments needs a second window step */) OVER (PARTITION BY S ORDER BY N ASC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
    {3, "sum(N)",
     "sum(N) OVER (PARTITION BY S)"},
    {3, "median(N)",
     "median(N) OVER (PARTITION BY S)"},
    {3, "row_number()",
     "row_number() OVER (PARTITION BY S ORDER BY S2, N, M, I, J, BI, D, D2, TS, TS2, B, C, X, `a b`, `select`, `q``t`, AR) /* ETLPORT ORDER-DEPENDENT: the window has no order keys; ordered by every input column */"},
    {3, "first_value(N)",
     "first_value(N) OVER (PARTITION BY S ORDER BY S2, N, M, I, J, BI, D, D2, TS, TS2, B, C, X, `a b`, `select`, `q``t`, AR ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) /* ETLPORT ORDER-DEPENDENT: the window has no order keys; ordered by every input column */"},
    {4, "sum(N)",
     "sum(N) OVER (ORDER BY TS DESC NULLS LAST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)"},
    {4, "row_number()",
     "row_number() OVER (ORDER BY TS DESC NULLS LAST)"},
    {5, "sum(N)",
     "CAST(NULL AS DECIMAL(12,2)) /* ETLPORT UNSUPPORTED sum: a RANGE frame with offsets needs exactly one order key */"},
    {5, "row_number()",
     "row_number() OVER (ORDER BY N ASC, I ASC)"},
    {6, "avg(N)",
     "avg(N) OVER (ORDER BY N ASC RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING)"},
    {0, "row_number()",
     "CAST(NULL AS BIGINT) /* ETLPORT UNSUPPORTED row_number: a window function is computed only in a window node (its partition, order and frame) */"},
    {0, "sum(N)",
     "sum(N)"},
};

static void test_literals(void)
{
    RUN_CASES(test_literals_cases, 0);
}

static void test_references_and_params(void)
{
    RUN_CASES(test_references_and_params_cases, 0);
}

static void test_param_markers(void)
{
    RUN_CASES(test_param_markers_cases, 1);
}

static void test_precedence(void)
{
    RUN_CASES(test_precedence_cases, 0);
}

static void test_functions(void)
{
    RUN_CASES(test_functions_cases, 0);
}

static void test_windows(void)
{
    RUN_CASES(test_windows_cases, 0);
}

/* ---- names, types, literals ---- */

static void test_names_and_types(void)
{
    static const struct { const char *in, *ident, *qname; } names[] = {
        {"AMOUNT", "AMOUNT", "AMOUNT"},
        {"cust_id_2", "cust_id_2", "cust_id_2"},
        {"a b", "`a b`", "`a b`"},
        {"2nd", "`2nd`", "`2nd`"},
        {"select", "`select`", "`select`"},
        {"Order", "`Order`", "`Order`"},
        {"q`t", "`q``t`", "`q``t`"},
        {"t.col", "`t.col`", "t.col"},
        {"s.t.Date", "`s.t.Date`", "s.t.`Date`"},
        {"café", "`café`", "`café`"},
        {"", "``", "``"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        strbuf a = STRBUF_INIT, b = STRBUF_INIT;
        sparksql_ident(&a, names[i].in);
        sparksql_qname(&b, names[i].in);
        CHECK_STR(sb_cstr(&a), names[i].ident);
        CHECK_STR(sb_cstr(&b), names[i].qname);
        sb_free(&a);
        sb_free(&b);
    }
    static const struct { const char *in, *want; } types[] = {
        {"string(40)", "VARCHAR(40)"}, {"string", "STRING"}, {"decimal(12,2)", "DECIMAL(12,2)"},
        {"decimal(40,2)", "DECIMAL(38,2)"}, {"decimal", "DECIMAL(38,18)"}, {"integer", "INT"},
        {"bigint", "BIGINT"}, {"double", "DOUBLE"}, {"boolean", "BOOLEAN"}, {"date", "DATE"},
        {"timestamp(9)", "TIMESTAMP"}, {"binary(16)", "BINARY"},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        strbuf sb = STRBUF_INIT;
        sparksql_type(&sb, T(types[i].in));
        CHECK_STR(sb_cstr(&sb), types[i].want);
        sb_free(&sb);
    }
    static const struct { const char *in, *want; } strs[] = {
        {"plain", "'plain'"},
        {"it's", "'it\\'s'"},
        {"C:\\tmp\\", "'C:\\\\tmp\\\\'"},
        {"a\nb\tc\rd", "'a\\nb\\tc\\rd'"},
        {"\x01", "'\\u0001'"},
        {"${env:HOME} $x", "'\\u0024{env:HOME} $x'"},
        {"'' x", "'\\'\\' x'"},
        {"", "''"},
    };
    /* doubles that have no literal form */
    static const struct { const char *in, *want; } dbl[] = {
        {"inf", "CAST('Infinity' AS DOUBLE)"}, {"-inf", "CAST('-Infinity' AS DOUBLE)"}, {"nan", "CAST('NaN' AS DOUBLE)"},
    };
    for (size_t i = 0; i < sizeof dbl / sizeof dbl[0]; i++) {
        sparksql_ctx c;
        sparksql_ctx_init(&c, job, NULL);
        strbuf sb = STRBUF_INIT;
        CHECK(sparksql_expr(&c, &sb, ir_lit(job, IR_LIT_DOUBLE, dbl[i].in)) == 0);
        CHECK_STR(sb_cstr(&sb), dbl[i].want);
        dump_text(sb_cstr(&sb));
        sb_free(&sb);
    }
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        strbuf sb = STRBUF_INIT;
        sparksql_string(&sb, strs[i].in);
        CHECK_STR(sb_cstr(&sb), strs[i].want);
        dump_text(sb_cstr(&sb));
        sb_free(&sb);
    }
}

/* Every row of functions.def has a case, or a reason; the reasons are the documented ones. */
static void test_every_function_has_a_case(void)
{
    int unsupported = 0;
    for (int f = 0; f < IR_FN__COUNT; f++) {
        const char *why = sparksql_fn_unsupported_reason((ir_fn)f);
        if (why) {
            unsupported++;
            CHECK(*why);
        }
        if (!fn_seen[f])
            fprintf(stderr, "  no case calls %s\n", ir_fn_get((ir_fn)f)->name);
        CHECK(fn_seen[f] > 0);
    }
    CHECK(unsupported == 7);
    CHECK(sparksql_fn_unsupported_reason(IR_FN_ERROR) != NULL);
    CHECK(sparksql_fn_unsupported_reason(IR_FN_CONCAT) == NULL);
    CHECK(sparksql_fn_unsupported_reason((ir_fn)IR_FN__COUNT) != NULL);
}

/* References without a job, unresolved names, qualifiers, counts. */
static void test_context(void)
{
    /* no job: a reference prints its column text as a dotted name */
    sparksql_ctx c;
    sparksql_ctx_init(&c, NULL, NULL);
    strbuf sb = STRBUF_INIT;
    ir_expr *e = ir_call2(job, IR_FN_EQ, ir_ref(job, 3, "t.order"), ir_ref(job, 0, "s.t.amount"));
    CHECK(sparksql_expr(&c, &sb, e) == 0);
    CHECK_STR(sb_cstr(&sb), "t.`order` = s.t.amount");
    dump_text(sb_cstr(&sb));
    sb_clear(&sb);
    /* qualifiers for join inputs */
    sparksql_ctx_init(&c, job, ir_job_node(job, PROJ));
    c.quals[0] = (sparksql_qual){SRC, "d"};
    c.n_quals = 1;
    CHECK(sparksql_expr(&c, &sb, parse("concat(S, #1.`a b`)")) == 0);
    CHECK_STR(sb_cstr(&sb), "concat(d.S, d.`a b`)");
    dump_text(sb_cstr(&sb));
    sb_clear(&sb);
    /* counts add up over several expressions; the result says whether this one had an unsupported call */
    sparksql_ctx_init(&c, job, NULL);
    CHECK(sparksql_expr(&c, &sb, parse("error('bad row')")) == -1);
    sb_clear(&sb);
    CHECK(sparksql_expr(&c, &sb, parse("coalesce(HOLE('X'), HOLE('Y'))")) == 0);
    sb_clear(&sb);
    CHECK(sparksql_expr(&c, &sb, parse("upper(S)")) == 0);
    CHECK(c.unsupported == 1 && c.holes == 2);
    /* a hole's location: its own span, else the node's, else the job's file */
    ir_expr *h = ir_hole(job, "x */ y /* z ${v}\nw", "why");
    h->span.file = ir_intern(job, "legacy.xml");
    h->span.line = 42;
    sb_clear(&sb);
    sparksql_expr(&c, &sb, h);
    CHECK_STR(sb_cstr(&sb), "NULL /* ETLPORT HOLE legacy.xml:42: x * / y / * z $ {v} w */");
    dump_text(sb_cstr(&sb));
    h->type = T("decimal(10,2)");
    h->span.file = NULL;
    h->span.line = 0;
    sb_clear(&sb);
    sparksql_expr(&c, &sb, h);
    CHECK_STR(sb_cstr(&sb), "CAST(NULL AS DECIMAL(10,2)) /* ETLPORT HOLE m.xml: x * / y / * z $ {v} w */");
    dump_text(sb_cstr(&sb));
    sb_free(&sb);
}

static void write_subquery(void *userdata, strbuf *sb, const struct ir_query *q)
{
    sb_puts(sb, "SELECT 1");
}

/* A window call of the SQL-shaped form carries its own OVER clause; subqueries go through the
 * statement writer's callback. */
static void test_statement_window(void)
{
    ir_expr *call = ir_call(job, IR_FN_ROW_NUMBER, 0, 0, NULL);
    ir_expr *o = ir_over_new(job, call);
    ir_over *ov = ir_expr_over(o);
    ir_expr **part = arena_alloc(job->arena, sizeof *part);
    part[0] = ir_ref(job, 0, "t.region");
    ov->partition = part;
    ov->n_partition = 1;
    ir_sort_key *ord = arena_alloc(job->arena, sizeof *ord);
    memset(ord, 0, sizeof *ord);
    ord->expr = ir_ref(job, 0, "amount");
    ord->desc = true;
    ov->order = ord;
    ov->n_order = 1;
    sparksql_ctx c;
    sparksql_ctx_init(&c, job, NULL);
    strbuf sb = STRBUF_INIT;
    CHECK(sparksql_expr(&c, &sb, ir_call2(job, IR_FN_LE, o, ir_lit_int(job, 3))) == 0);
    CHECK_STR(sb_cstr(&sb), "row_number() OVER (PARTITION BY t.region ORDER BY amount DESC) <= 3");
    dump_text(sb_cstr(&sb));
    sb_clear(&sb);
    /* a subquery needs the statement writer */
    ir_expr *q = ir_sub_new(job, IR_SUB_EXISTS, IR_FN_EQ, NULL, NULL);
    CHECK(sparksql_expr(&c, &sb, q) == -1);
    CHECK(strstr(sb_cstr(&sb), "ETLPORT UNSUPPORTED") != NULL);
    /* with one: = ANY is IN, <> ALL is NOT IN, other ANY/ALL comparisons do not exist in Spark */
    c.query_fn = write_subquery;
    static const struct { ir_sub_kind kind; ir_fn op; int lhs, wrap_not; const char *want; } subs[] = {
        {IR_SUB_EXISTS, IR_FN_EQ, 0, 0, "EXISTS (SELECT 1)"},
        {IR_SUB_EXISTS, IR_FN_EQ, 0, 1, "NOT EXISTS (SELECT 1)"},
        {IR_SUB_SCALAR, IR_FN_EQ, 0, 0, "(SELECT 1)"},
        {IR_SUB_IN, IR_FN_EQ, 1, 0, "I + 1 IN (SELECT 1)"},
        {IR_SUB_ANY, IR_FN_EQ, 1, 0, "I + 1 IN (SELECT 1)"},
        {IR_SUB_ALL, IR_FN_NE, 1, 1, "NOT NOT I + 1 IN (SELECT 1)"},
        {IR_SUB_ANY, IR_FN_GT, 1, 0, "CAST(NULL AS BOOLEAN) /* ETLPORT UNSUPPORTED"},
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        ir_expr *lhs = subs[i].lhs ? ir_call2(job, IR_FN_ADD, ir_ref(job, SRC, "I"), ir_lit_int(job, 1)) : NULL;
        ir_expr *sub = ir_sub_new(job, subs[i].kind, subs[i].op, lhs, NULL);
        if (subs[i].kind != IR_SUB_SCALAR)
            sub->type = T("boolean");
        if (subs[i].wrap_not)
            sub = ir_call1(job, IR_FN_NOT, sub);
        sb_clear(&sb);
        int rc = sparksql_expr(&c, &sb, sub);
        CHECK(strncmp(sb_cstr(&sb), subs[i].want, strlen(subs[i].want)) == 0);
        if (strncmp(sb_cstr(&sb), subs[i].want, strlen(subs[i].want)) != 0)
            fprintf(stderr, "  got:  %s\n  want: %s\n", sb_cstr(&sb), subs[i].want);
        CHECK(rc == (strstr(subs[i].want, "UNSUPPORTED") ? -1 : 0));
        dump_text(sb_cstr(&sb));
    }
    sb_free(&sb);
}

int main(void)
{
    build_job();
    const char *dir = getenv("SPARKSQL_DUMP_DIR");
    if (dir && *dir) {
        char path[1024];
        snprintf(path, sizeof path, "%s/sparksql_cases.sql", dir);
        dump = fopen(path, "w");
    }
    RUN(test_literals);
    RUN(test_references_and_params);
    RUN(test_param_markers);
    RUN(test_precedence);
    RUN(test_functions);
    RUN(test_windows);
    RUN(test_names_and_types);
    RUN(test_context);
    RUN(test_statement_window);
    RUN(test_every_function_has_a_case);
    if (dump)
        fclose(dump);
    ir_job_free(job);
    return TEST_SUMMARY();
}
