/*
 * test_expr.c — table-driven tests of the Informatica expression parser (infa_expr.c) and of the
 * backends' expression emitters.
 *
 * Case files, tree-sitter corpus style, in the directory given as argv[1]:
 *   functions.cases      "=== name [@agg]", the Informatica expression (may span lines), then
 *                        "--- ir" and the expected ir_expr_to_text, or "--- error" and substrings
 *                        (one a line) that the reported messages must contain.
 *   functions.snowflake  "=== name", then the expected snowflake_backend.emit_expr text.
 *   functions.spark      likewise for spark_backend.
 * Backend expectations join the cases by name. A case without one is reported as skipped, or
 * fails when ETLPORT_EXPR_REQUIRE_ALL=1. ETLPORT_EXPR_UPDATE=1 rewrites functions.cases with the
 * actual results (review the diff before keeping it).
 *
 * Every expression is parsed in a job whose node #1 has the columns listed at the top of
 * functions.cases, with the parameters $$LOAD_DATE and $$REGION. Options after the name:
 * @agg parses as in an Aggregator (aggregate functions allowed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/backend.h"
#include "core/strbuf.h"
#include "frontends/informatica/infa_expr.h"
#include "ir/ir.h"
#include "tests/testlib.h"

extern const backend snowflake_backend, spark_backend;

/* ---- case files ---- */

typedef struct tcase {
    char *name;
    int agg;          /* @agg */
    char *input;
    int expect_error; /* --- error */
    char *expected;   /* ir text or error substrings (lines) */
    int line;         /* of the === line */
} tcase;

typedef struct expect {
    char *name;
    char *text;
    int used;
} expect;

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&sb, buf, n);
    fclose(f);
    if (!sb.data)
        sb_puts(&sb, "");
    return sb_take(&sb);
}

/* Splits text into lines in place; returns the count. */
static int split_lines(char *text, char ***out)
{
    int n = 0, cap = 64;
    char **lines = malloc((size_t)cap * sizeof *lines);
    char *p = text;
    while (*p) {
        if (n == cap) {
            cap *= 2;
            lines = realloc(lines, (size_t)cap * sizeof *lines);
        }
        lines[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = 0;
        if (nl > p && nl[-1] == '\r')
            nl[-1] = 0;
        p = nl + 1;
    }
    *out = lines;
    return n;
}

static int is_sep(const char *line, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(line, word, n) != 0)
        return 0;
    for (const char *p = line + n; *p; p++)
        if (*p != ' ' && *p != '\t')
            return 0;
    return 1;
}

/* Joins lines [a, b) with '\n', dropping trailing blank lines. */
static char *join(char **lines, int a, int b)
{
    while (b > a && lines[b - 1][strspn(lines[b - 1], " \t")] == 0)
        b--;
    strbuf sb = STRBUF_INIT;
    for (int i = a; i < b; i++) {
        if (i > a)
            sb_putc(&sb, '\n');
        sb_puts(&sb, lines[i]);
    }
    if (!sb.data)
        sb_puts(&sb, "");
    return sb_take(&sb);
}

static char *header_text; /* what precedes the first case, kept for ETLPORT_EXPR_UPDATE */

static int load_cases(const char *path, tcase **out)
{
    char *text = read_all(path);
    if (!text) {
        fprintf(stderr, "%s: cannot read\n", path);
        return -1;
    }
    char **lines;
    int nl = split_lines(text, &lines);
    int n = 0, cap = 64;
    tcase *cases = calloc((size_t)cap, sizeof *cases);
    int i = 0;
    while (i < nl && strncmp(lines[i], "=== ", 4) != 0)
        i++;
    header_text = join(lines, 0, i);
    while (i < nl) {
        tcase c;
        memset(&c, 0, sizeof c);
        c.line = i + 1;
        char *spec = lines[i] + 4;
        char *name = strtok(spec, " \t");
        c.name = strdup(name ? name : "");
        for (char *opt = strtok(NULL, " \t"); opt; opt = strtok(NULL, " \t")) {
            if (strcmp(opt, "@agg") == 0)
                c.agg = 1;
            else
                fprintf(stderr, "%s:%d: unknown option %s\n", path, c.line, opt);
        }
        int a = ++i;
        while (i < nl && !is_sep(lines[i], "--- ir") && !is_sep(lines[i], "--- error") &&
               strncmp(lines[i], "=== ", 4) != 0)
            i++;
        c.input = join(lines, a, i);
        if (i >= nl || strncmp(lines[i], "=== ", 4) == 0) {
            fprintf(stderr, "%s:%d: case %s has no '--- ir' or '--- error' line\n", path, c.line, c.name);
            c.expected = strdup("");
            c.expect_error = -1;
        } else {
            c.expect_error = is_sep(lines[i], "--- error");
            int b = ++i;
            while (i < nl && strncmp(lines[i], "=== ", 4) != 0)
                i++;
            c.expected = join(lines, b, i);
        }
        if (n == cap) {
            cap *= 2;
            cases = realloc(cases, (size_t)cap * sizeof *cases);
        }
        cases[n++] = c;
    }
    free(lines);
    free(text);
    *out = cases;
    return n;
}

static int load_expects(const char *path, expect **out)
{
    *out = NULL;
    char *text = read_all(path);
    if (!text)
        return 0; /* a backend that has not written its file yet */
    char **lines;
    int nl = split_lines(text, &lines);
    int n = 0, cap = 64;
    expect *ex = calloc((size_t)cap, sizeof *ex);
    int i = 0;
    while (i < nl && strncmp(lines[i], "=== ", 4) != 0)
        i++;
    while (i < nl) {
        char *name = strtok(lines[i] + 4, " \t");
        int a = ++i;
        while (i < nl && strncmp(lines[i], "=== ", 4) != 0)
            i++;
        if (n == cap) {
            cap *= 2;
            ex = realloc(ex, (size_t)cap * sizeof *ex);
        }
        ex[n].name = strdup(name ? name : "");
        ex[n].text = join(lines, a, i);
        ex[n].used = 0;
        n++;
    }
    free(lines);
    free(text);
    *out = ex;
    return n;
}

static expect *find_expect(expect *ex, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(ex[i].name, name) == 0)
            return &ex[i];
    return NULL;
}

/* ---- the fixture: node #1 and the parameters ---- */

typedef struct fixture {
    ir_job *job;
    ir_node *src;
} fixture;

static const struct {
    const char *name, *type;
} fixture_cols[] = {
    {"NAME", "string(40)"},      {"FIRST_NAME", "string(30)"}, {"LAST_NAME", "string(30)"},
    {"EMAIL", "string(120)"},    {"CITY", "string(30)"},       {"CODE", "string(10)"},
    {"FLAG", "string(1)"},       {"AMOUNT", "decimal(12,2)"},  {"PRICE", "double"},
    {"QTY", "integer"},          {"ID", "bigint"},             {"HIRE_DATE", "timestamp(9)"},
    {"BIRTH_DATE", "date"},
};

static void fixture_init(fixture *fx)
{
    fx->job = ir_job_new("m_test_expr");
    fx->src = ir_node_add(fx->job, IR_OP_SOURCE, "SQ_TEST");
    for (size_t i = 0; i < sizeof fixture_cols / sizeof fixture_cols[0]; i++) {
        ir_type t;
        if (ir_type_parse(fixture_cols[i].type, &t) != 0)
            t = ir_type_make(IR_TY_UNKNOWN, 0, 0);
        ir_node_add_col(fx->job, fx->src, fixture_cols[i].name, t, NULL);
    }
    ir_param *p = ir_job_add_param(fx->job, "LOAD_DATE");
    p->type = ir_type_make(IR_TY_STRING, 0, 0);
    p = ir_job_add_param(fx->job, "REGION");
    p->type = ir_type_make(IR_TY_STRING, 0, 0);
}

static ir_expr *resolve_port(void *ud, const char *name)
{
    fixture *fx = ud;
    ir_column *c = ir_node_col_ci(fx->src, name);
    return c ? ir_ref(fx->job, fx->src->id, c->name) : NULL;
}

/* :LKP.LKP_ECHO(x) resolves to its first argument; every other call stays a hole. */
static ir_expr *resolve_call(void *ud, const char *kind, const char *name, int n_args, ir_expr **args,
                             const char *text)
{
    (void)ud;
    (void)text;
    if (strcmp(kind, "LKP") == 0 && strcasecmp(name, "LKP_ECHO") == 0 && n_args >= 1)
        return args[0];
    return NULL;
}

static void capture_diag(void *ud, const diag *d)
{
    strbuf *sb = ud;
    sb_printf(sb, "%s:%d:%d: %s: %s\n", d->file ? d->file : "", d->line, d->col, diag_level_name(d->level),
              d->message);
}

/* Parses text in a fresh context; diagnostics go to msgs. */
static ir_expr *parse_in(fixture *fx, const char *text, int agg, strbuf *msgs)
{
    infa_expr_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.job = fx->job;
    ctx.resolve_port = resolve_port;
    ctx.resolve_call = resolve_call;
    ctx.userdata = fx;
    ctx.path = "expr";
    ctx.line = 1;
    ctx.col = 1;
    ctx.allow_aggregates = agg;
    diag_ctx dc;
    diag_init(&dc, capture_diag, msgs);
    return infa_expr_parse(&ctx, text, &dc);
}

/* ---- unit checks of the API beyond the case table ---- */

static void test_datefmt(void)
{
    ir_job *job = ir_job_new("t");
    CHECK_STR(infa_datefmt_to_canonical(job, "MM/DD/YYYY HH24:MI:SS"), "MM/DD/YYYY HH24:MI:SS");
    CHECK_STR(infa_datefmt_to_canonical(job, "yyyy-mm-dd hh:mi:ss.ms"), "YYYY-MM-DD HH12:MI:SS.FF3");
    CHECK_STR(infa_datefmt_to_canonical(job, "YYYYMMDDHH24MISSUS"), "YYYYMMDDHH24MISSFF6");
    CHECK_STR(infa_datefmt_to_canonical(job, "DD-MON-RR HH12:MI:SS.NS AM"), "DD-MON-RR HH12:MI:SS.FF9 AM");
    CHECK_STR(infa_datefmt_to_canonical(job, "Month DD, YYYY"), "MONTH DD, YYYY");
    CHECK_STR(infa_datefmt_to_canonical(job, "DAY DY DDD"), "DAY DY DDD");
    CHECK_STR(infa_datefmt_to_canonical(job, "\"Q\"YYYY"), "\"Q\"YYYY");
    CHECK(infa_datefmt_to_canonical(job, "J") == NULL);
    CHECK(infa_datefmt_to_canonical(job, "SSSSS") == NULL);
    CHECK(infa_datefmt_to_canonical(job, "YYYY%MM") == NULL);
    CHECK(infa_datefmt_to_canonical(job, NULL) == NULL);
    ir_job_free(job);
}

/* Offsets map through ctx->locate; spans carry the file and position. */
static void locate_fn(void *ud, size_t off, int *line, int *col)
{
    (void)ud;
    *line = 100;
    *col = 10 + (int)off;
}

static void test_locate_and_spans(void)
{
    fixture fx;
    fixture_init(&fx);
    strbuf msgs = STRBUF_INIT;
    infa_expr_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.job = fx.job;
    ctx.resolve_port = resolve_port;
    ctx.userdata = &fx;
    ctx.locate = locate_fn;
    ctx.path = "m.xml";
    diag_ctx dc;
    diag_init(&dc, capture_diag, &msgs);
    CHECK(infa_expr_parse(&ctx, "QTY + NOPE", &dc) == NULL);
    CHECK(dc.n_errors == 1);
    CHECK(strstr(sb_cstr(&msgs), "m.xml:100:16: error: unknown port 'NOPE'") != NULL);

    ir_expr *e = infa_expr_parse(&ctx, "UPPER(NAME)", &dc);
    CHECK(e && e->span.line == 100 && e->span.col == 10 && e->span.file && strcmp(e->span.file, "m.xml") == 0);
    CHECK(e && e->kind == IR_EX_CALL && e->u.call.args[0]->span.col == 16);

    /* without locate: relative to ctx->line/col, counting lines of the text */
    ctx.locate = NULL;
    ctx.line = 7;
    ctx.col = 3;
    sb_clear(&msgs);
    CHECK(infa_expr_parse(&ctx, "QTY +\n  NOPE", &dc) == NULL);
    CHECK(strstr(sb_cstr(&msgs), "m.xml:8:3: error: unknown port 'NOPE'") != NULL);
    sb_free(&msgs);
    ir_job_free(fx.job);
}

/* Several errors in one expression are all reported; no resolve_call means holes. */
static void test_multiple_errors(void)
{
    fixture fx;
    fixture_init(&fx);
    strbuf msgs = STRBUF_INIT;
    CHECK(parse_in(&fx, "NOPE1 || NOPE2", 0, &msgs) == NULL);
    CHECK(strstr(sb_cstr(&msgs), "'NOPE1'") && strstr(sb_cstr(&msgs), "'NOPE2'"));
    sb_free(&msgs);
    ir_job_free(fx.job);
}

/* Every prefix of every case's input parses to an expression or to reported errors, never a
 * crash (the sanitizer build checks the memory side) and never a NULL without a message. */
static int n_prefix_fail, n_prefixes;

static void check_prefixes(const tcase *c)
{
    size_t len = strlen(c->input);
    for (size_t k = 0; k < len; k++) {
        fixture fx;
        fixture_init(&fx);
        char *prefix = strndup(c->input, k);
        strbuf msgs = STRBUF_INIT;
        ir_expr *e = parse_in(&fx, prefix, 1, &msgs);
        n_prefixes++;
        if (!e && msgs.len == 0) {
            fprintf(stderr, "FAIL %s: prefix '%s' gave no expression and no message\n", c->name, prefix);
            n_prefix_fail++;
        }
        sb_free(&msgs);
        free(prefix);
        ir_job_free(fx.job);
    }
}

/* ---- the case table ---- */

static int n_pass, n_fail, n_skip;

static void check_backend(const char *file, const backend *be, expect *ex, int n_ex, const tcase *c,
                          const ir_job *job, const ir_expr *e, int require_all)
{
    expect *x = find_expect(ex, n_ex, c->name);
    if (!x) {
        if (require_all) {
            fprintf(stderr, "FAIL %s [%s]: no expectation in %s\n", c->name, be->name, file);
            n_fail++;
        } else {
            n_skip++;
        }
        return;
    }
    x->used = 1;
    strbuf out = STRBUF_INIT;
    int rc = be->emit_expr ? be->emit_expr(job, e, &out) : -1;
    if (rc != 0 || strcmp(sb_cstr(&out), x->text) != 0) {
        fprintf(stderr, "FAIL %s [%s] (%s)\n  input: %s\n  want:  %s\n  got:   %s%s\n", c->name, be->name, file,
                c->input, x->text, sb_cstr(&out), rc != 0 ? " (emit_expr returned -1)" : "");
        n_fail++;
    } else {
        n_pass++;
    }
    sb_free(&out);
}

static int run_cases(const char *dir)
{
    char path[4096], sf_path[4096], sp_path[4096];
    snprintf(path, sizeof path, "%s/functions.cases", dir);
    snprintf(sf_path, sizeof sf_path, "%s/functions.snowflake", dir);
    snprintf(sp_path, sizeof sp_path, "%s/functions.spark", dir);
    const char *req = getenv("ETLPORT_EXPR_REQUIRE_ALL");
    int require_all = req && strcmp(req, "1") == 0;
    const char *upd = getenv("ETLPORT_EXPR_UPDATE");
    int update = upd && strcmp(upd, "1") == 0;

    tcase *cases;
    int n = load_cases(path, &cases);
    if (n < 0)
        return 1;
    expect *sf, *sp;
    int n_sf = load_expects(sf_path, &sf);
    int n_sp = load_expects(sp_path, &sp);
    strbuf rewritten = STRBUF_INIT;
    if (update) {
        sb_puts(&rewritten, header_text);
        sb_puts(&rewritten, "\n\n");
    }

    for (int i = 0; i < n; i++) {
        tcase *c = &cases[i];
        for (int j = 0; j < i; j++)
            if (strcmp(cases[j].name, c->name) == 0) {
                fprintf(stderr, "FAIL %s: duplicate case name (%s:%d)\n", c->name, path, c->line);
                n_fail++;
            }
        fixture fx;
        fixture_init(&fx);
        strbuf msgs = STRBUF_INIT, got = STRBUF_INIT;
        ir_expr *e = parse_in(&fx, c->input, c->agg, &msgs);
        if (e)
            ir_expr_to_text(&got, e);
        int ok;
        if (c->expect_error < 0) {
            ok = 0;
        } else if (c->expect_error) {
            ok = e == NULL;
            char *exp = strdup(c->expected);
            for (char *line = strtok(exp, "\n"); line && ok; line = strtok(NULL, "\n"))
                ok = strstr(sb_cstr(&msgs), line) != NULL;
            free(exp);
        } else {
            ok = e != NULL && strcmp(sb_cstr(&got), c->expected) == 0;
        }
        if (ok) {
            n_pass++;
        } else {
            n_fail++;
            fprintf(stderr, "FAIL %s (%s:%d)\n  input: %s\n  want%s: %s\n  got:   %s\n%s", c->name, path, c->line,
                    c->input, c->expect_error ? " error" : "", c->expected, e ? sb_cstr(&got) : "(NULL)",
                    sb_cstr(&msgs));
        }
        if (e && !c->expect_error) {
            check_backend("functions.snowflake", &snowflake_backend, sf, n_sf, c, fx.job, e, require_all);
            check_backend("functions.spark", &spark_backend, sp, n_sp, c, fx.job, e, require_all);
        }
        if (update) {
            sb_printf(&rewritten, "=== %s%s\n%s\n", c->name, c->agg ? " @agg" : "", c->input);
            if (e) {
                sb_printf(&rewritten, "--- ir\n%s\n\n", sb_cstr(&got));
            } else {
                /* keep the messages without the "expr:" prefix noise: the message part only */
                sb_puts(&rewritten, "--- error\n");
                const char *m = sb_cstr(&msgs);
                const char *nl = strchr(m, '\n');
                sb_putn(&rewritten, m, nl ? (size_t)(nl - m) : strlen(m));
                sb_puts(&rewritten, "\n\n");
            }
        }
        sb_free(&msgs);
        sb_free(&got);
        ir_job_free(fx.job);
        check_prefixes(c);
    }
    for (int i = 0; i < n_sf; i++)
        if (!sf[i].used) {
            int known = 0;
            for (int j = 0; j < n; j++)
                known |= strcmp(cases[j].name, sf[i].name) == 0;
            if (!known) {
                fprintf(stderr, "FAIL functions.snowflake: '%s' names no case\n", sf[i].name);
                n_fail++;
            }
        }
    for (int i = 0; i < n_sp; i++)
        if (!sp[i].used) {
            int known = 0;
            for (int j = 0; j < n; j++)
                known |= strcmp(cases[j].name, sp[i].name) == 0;
            if (!known) {
                fprintf(stderr, "FAIL functions.spark: '%s' names no case\n", sp[i].name);
                n_fail++;
            }
        }
    if (update) {
        FILE *f = fopen(path, "wb");
        if (f) {
            /* one blank line at the end, not two */
            if (rewritten.len > 1 && rewritten.data[rewritten.len - 2] == '\n')
                rewritten.len--;
            fwrite(rewritten.data, 1, rewritten.len, f);
            fclose(f);
            fprintf(stderr, "rewrote %s\n", path);
        }
    }
    sb_free(&rewritten);
    for (int i = 0; i < n; i++) {
        free(cases[i].name);
        free(cases[i].input);
        free(cases[i].expected);
    }
    free(cases);
    for (int i = 0; i < n_sf; i++) {
        free(sf[i].name);
        free(sf[i].text);
    }
    free(sf);
    for (int i = 0; i < n_sp; i++) {
        free(sp[i].name);
        free(sp[i].text);
    }
    free(sp);
    free(header_text);
    if (n_prefix_fail)
        n_fail++;
    printf("cases: %d passed, %d failed, %d skipped (backend expectations missing%s); %d prefixes parsed\n", n_pass,
           n_fail, n_skip, require_all ? "" : "; set ETLPORT_EXPR_REQUIRE_ALL=1 to fail them", n_prefixes);
    return n_fail ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CASES_DIR\n", argv[0]);
        return 2;
    }
    RUN(test_datefmt);
    RUN(test_locate_and_spans);
    RUN(test_multiple_errors);
    int unit = TEST_SUMMARY();
    int cases = run_cases(argv[1]);
    return unit || cases;
}
