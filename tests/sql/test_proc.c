/*
 * test_proc.c — the procedural layer (sqlfe_pl.c, sqlfe_tsql.c, sqlfe_bteq.c, ir/ir_unit.c):
 * table-driven cases in cases/units.txt, tree-sitter corpus style:
 *
 *     === name @dialect
 *     script text
 *     ---
 *     the units (ir_unit_to_text) and the messages (file:line:col: level: message)
 *
 * The script is split as the frontend splits it; every procedural statement is read into units,
 * and a Teradata script with dot-commands into its script unit. SQLFE_UPDATE=1 rewrites the
 * expected outputs from what the code produces (review the diff).
 *
 * With --corpus DIR (the shared corpus, ../shared/corpus/sql with its MANIFEST.tsv) it measures
 * instead: procedural blocks, units, steps, hole steps by reason — the figures in
 * docs/sql-scripts.md, "Procedural units". Exit 77 (skipped) when DIR is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "frontends/sql/sqlfe.h"
#include "frontends/sql/sqlfe_internal.h"
#include "ir/ir.h"
#include "ir/ir_unit.h"
#include "tests/testlib.h"

/* ---- case files ---- */

typedef struct tcase {
    char *name, *input, *expected;
    sqlfe_dialect d;
} tcase;

static char *slurp(const char *path, size_t *len)
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
    if (len)
        *len = sb.len;
    if (!sb.data)
        sb_puts(&sb, "");
    return sb_take(&sb);
}

static char *trim_dup(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        n--;
    while (n > 0 && *s == '\n') {
        s++;
        n--;
    }
    char *r = malloc(n + 1);
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

static int read_cases(const char *file, tcase **out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SQL_CASES_DIR, file);
    char *text = slurp(path, NULL);
    *out = NULL;
    if (!text) {
        fprintf(stderr, "cannot read %s\n", path);
        return 0;
    }
    int n = 0, cap = 16;
    tcase *v = malloc((size_t)cap * sizeof *v);
    char *p = text;
    while ((p = strstr(p, "=== ")) != NULL) {
        if (p != text && p[-1] != '\n') {
            p += 4;
            continue;
        }
        char *eol = strchr(p, '\n');
        if (!eol)
            break;
        tcase c;
        memset(&c, 0, sizeof c);
        char *name = trim_dup(p + 4, (size_t)(eol - p - 4));
        char *at = strstr(name, " @");
        c.d = SQLFE_ANSI;
        if (at) {
            *at = 0;
            int d = sqlfe_dialect_by_name(at + 2);
            c.d = d < 0 ? SQLFE_ANSI : (sqlfe_dialect)d;
        }
        c.name = name;
        char *body = eol + 1;
        char *sep = strstr(body, "\n---\n");
        if (!sep)
            break;
        c.input = trim_dup(body, (size_t)(sep - body));
        char *exp = sep + 5;
        char *next = strstr(exp, "\n=== ");
        size_t elen = next ? (size_t)(next - exp + 1) : strlen(exp);
        c.expected = trim_dup(exp, elen);
        if (n == cap)
            v = realloc(v, (size_t)(cap *= 2) * sizeof *v);
        v[n++] = c;
        p = next ? next + 1 : exp + elen;
    }
    free(text);
    *out = v;
    return n;
}

/* ---- reading a script into units ---- */

typedef struct sink {
    strbuf *out;
    diag_ctx *dc;
} sink;

static void capture(void *ud, const diag *d)
{
    strbuf *sb = ud;
    if (d->level == DIAG_NOTE)
        return;
    sb_printf(sb, "%s:%d:%d: %s: %s\n", d->file ? d->file : "?", d->line, d->col, diag_level_name(d->level),
              d->message);
}

static void print_unit(void *ud, ir_unit *u)
{
    strbuf *sb = ud;
    ir_unit_to_text(sb, u);
    /* every unit's JSON is well formed enough to start and end as an object */
    strbuf j = STRBUF_INIT;
    ir_unit_to_json(u, &j);
    CHECK(j.len > 2 && j.data[0] == '{' && j.data[j.len - 2] == '}');
    sb_free(&j);
    ir_unit_free(u);
}

static char *run_case(const tcase *c)
{
    strbuf units = STRBUF_INIT, msgs = STRBUF_INIT;
    diag_ctx dc;
    diag_init(&dc, capture, &msgs);
    srcfile *f = srcfile_from_text("t.sql", c->input, strlen(c->input));
    arena *a = arena_new();
    sqlfe_script sc;
    sqlfe_parse_script(a, f->text, f->len, c->d, &sc);
    int bteq = 0;
    for (int i = 0; i < sc.n_stmts; i++)
        if (c->d == SQLFE_TERADATA && sc.stmts[i].kind == SQLFE_ST_COMMAND && f->text[sc.stmts[i].start] == '.')
            bteq = 1;
    int sqlplus = 0;
    for (int i = 0; i < sc.n_stmts; i++)
        if (c->d == SQLFE_ORACLE && sc.stmts[i].kind == SQLFE_ST_COMMAND)
            sqlplus = 1;
    if (bteq) {
        print_unit(&units, sqlfe_bteq_unit(a, f, "t.sql", &sc, "t", &dc, NULL));
    } else {
        if (sqlplus)
            print_unit(&units, sqlfe_sqlplus_unit(a, f, "t.sql", &sc, "t", &dc, NULL));
        for (int i = 0; i < sc.n_stmts; i++) {
            if (sc.stmts[i].kind != SQLFE_ST_PROCEDURAL)
                continue;
            const char *why = NULL;
            char anon[32];
            snprintf(anon, sizeof anon, "t_%02d_block", i + 1); /* as the frontend names it (script "t") */
            int n = sqlfe_read_units(a, f, "t.sql", sc.stmts[i].start, sc.stmts[i].end, c->d, anon, &dc, print_unit,
                                     &units, &why);
            if (n == 0)
                sb_printf(&units, "no unit: %s\n", why ? why : "?");
        }
    }
    sb_puts(&units, sb_cstr(&msgs));
    arena_free(a);
    srcfile_free(f);
    sb_free(&msgs);
    char *r = trim_dup(sb_cstr(&units), units.len);
    sb_free(&units);
    return r;
}

static void test_units(void)
{
    const char *file = "units.txt";
    tcase *v = NULL;
    int n = read_cases(file, &v);
    CHECK(n > 0);
    char **got = calloc((size_t)n + 1, sizeof *got);
    for (int i = 0; i < n; i++) {
        got[i] = run_case(&v[i]);
        if (strcmp(got[i], v[i].expected) != 0) {
            fprintf(stderr, "%s: case '%s'\n  got:\n%s\n  want:\n%s\n", file, v[i].name, got[i], v[i].expected);
            tl_failed_checks++;
        }
    }
    if (getenv("SQLFE_UPDATE")) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SQL_CASES_DIR, file);
        FILE *f = fopen(path, "w");
        for (int i = 0; f && i < n; i++) {
            fprintf(f, "=== %s", v[i].name);
            if (v[i].d != SQLFE_ANSI)
                fprintf(f, " @%s", sqlfe_dialect_name(v[i].d));
            fprintf(f, "\n%s\n---\n%s\n\n", v[i].input, got[i]);
        }
        if (f)
            fclose(f);
    }
    for (int i = 0; i < n; i++) {
        free(got[i]);
        free(v[i].name);
        free(v[i].input);
        free(v[i].expected);
    }
    free(got);
    free(v);
}

/* A unit built by hand: constructors, holes, the text and JSON forms. */
static void test_constructors(void)
{
    ir_unit *u = ir_unit_new(IR_UNIT_PROCEDURE, "p");
    ir_span sp = {"x.sql", 3, 1};
    ir_unit_param *p = ir_unit_add_param(u, "p_day", IR_PARAM_IN, ir_type_make(IR_TY_DATE, 0, 0));
    CHECK(p && ir_job_param(u->job, "p_day") != NULL);
    ir_var *v = ir_pstmt_add_var(u, &u->body, "v_n", IR_VAR_SCALAR);
    v->type = ir_type_make(IR_TY_INT, 0, 0);
    v->init = ir_lit_int(u->job, 0);
    CHECK(ir_job_param(u->job, "v_n") != NULL);
    ir_pblock *body = ir_pstmt_body(u, &u->body);
    ir_pstmt *s = ir_pstmt_new(u, IR_PS_IF, sp, "IF v_n > 0 THEN");
    ir_pblock *t = ir_pstmt_add_branch(u, s, ir_call2(u->job, IR_FN_GT, ir_param_ref(u->job, "v_n"), ir_lit_int(u->job, 0)));
    ir_pstmt *h = ir_pstmt_new(u, IR_PS_HOLE, sp, "PIPE ROW(x)");
    h->hole_reason = "not translated";
    ir_pblock_add(u, t, h);
    ir_pblock *e = ir_pstmt_add_branch(u, s, NULL);
    ir_pstmt *r = ir_pstmt_new(u, IR_PS_RETURN, sp, "RETURN");
    ir_pblock_add(u, e, r);
    ir_pblock_add(u, body, s);
    CHECK(ir_unit_count_steps(u) == 3);
    CHECK(ir_unit_hole_steps(u) == 1);
    CHECK(ir_unit_holes(u, NULL, NULL) == 1);
    strbuf sb = STRBUF_INIT;
    ir_unit_to_text(&sb, u);
    CHECK_STR(sb_cstr(&sb), "procedure p(in p_day date)\n"
                            "  var v_n integer := 0\n"
                            "  if gt($$v_n, 0)\n"
                            "    hole 3:1 (not translated): PIPE ROW(x)\n"
                            "  else\n"
                            "    return\n"
                            "  end if\n");
    sb_clear(&sb);
    ir_unit_to_json(u, &sb);
    CHECK(strstr(sb_cstr(&sb), "\"kind\": \"procedure\"") != NULL);
    CHECK(strstr(sb_cstr(&sb), "\"step\": \"hole\"") != NULL);
    sb_free(&sb);
    ir_unit_free(u);
}

/* ---- the corpus figures ---- */

typedef struct reason_count {
    char *reason;
    int n;
} reason_count;

typedef struct stats {
    int files, blocks, units, none, steps, hole_steps, units_without_holes, errors, expr_holes;
    int bteq_scripts, sqlplus_scripts;
    int cur_d;
    int d_blocks[SQLFE__DIALECTS], d_units[SQLFE__DIALECTS], d_steps[SQLFE__DIALECTS], d_holes[SQLFE__DIALECTS],
        d_clean[SQLFE__DIALECTS];
    reason_count *reasons;
    int n_reasons;
    reason_count *nones;
    int n_nones;
} stats;

static void count_reason(reason_count **v, int *n, const char *reason)
{
    /* the reason up to a ':' that is followed by detail (a parse error's text) */
    char key[160];
    snprintf(key, sizeof key, "%s", reason ? reason : "?");
    char *colon = strstr(key, ": ");
    if (colon && strncmp(key, "the statement does not parse", 28) == 0)
        *colon = 0;
    char *at = strstr(key, " at line ");
    if (at)
        *at = 0;
    for (int i = 0; i < *n; i++)
        if (strcmp((*v)[i].reason, key) == 0) {
            (*v)[i].n++;
            return;
        }
    *v = realloc(*v, (size_t)(*n + 1) * sizeof **v);
    (*v)[*n].reason = strdup(key);
    (*v)[*n].n = 1;
    (*n)++;
}

static void hole_cb(void *ud, const ir_hole_info *h)
{
    stats *s = ud;
    if (strcmp(h->kind, "expression") == 0) {
        s->expr_holes++;
        return;
    }
    count_reason(&s->reasons, &s->n_reasons, h->reason);
    if (getenv("PROC_CORPUS_VERBOSE")) /* every hole step, for looking at what is missing */
        printf("HOLE %s:%d:%d: %s: %.120s\n", h->span.file ? h->span.file : "?", h->span.line, h->span.col,
               h->reason ? h->reason : "?", h->text ? h->text : "");
}

static void corpus_unit(void *ud, ir_unit *u)
{
    stats *s = ud;
    s->units++;
    s->steps += ir_unit_count_steps(u);
    int h = ir_unit_hole_steps(u);
    s->d_units[s->cur_d]++;
    s->d_steps[s->cur_d] += ir_unit_count_steps(u);
    s->d_holes[s->cur_d] += h;
    s->d_clean[s->cur_d] += h == 0;
    s->hole_steps += h;
    if (!h)
        s->units_without_holes++;
    ir_unit_holes(u, hole_cb, s);
    ir_unit_free(u);
}

static void count_errors(void *ud, const diag *d)
{
    stats *s = ud;
    if (d->level == DIAG_ERROR) {
        s->errors++;
        if (getenv("PROC_CORPUS_VERBOSE"))
            printf("ERROR %s:%d:%d: %s\n", d->file ? d->file : "?", d->line, d->col, d->message);
    }
}

static int cmp_reason(const void *a, const void *b)
{
    const reason_count *x = a, *y = b;
    return y->n != x->n ? y->n - x->n : strcmp(x->reason, y->reason);
}

static int corpus(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/MANIFEST.tsv", dir);
    char *man = slurp(path, NULL);
    if (!man) {
        printf("SKIP: no corpus at %s\n", dir);
        return 77;
    }
    stats st;
    memset(&st, 0, sizeof st);
    diag_ctx dc;
    diag_init(&dc, count_errors, &st);
    char *save = NULL;
    for (char *line = strtok_r(man, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *cols[8] = {0};
        int nc = 0;
        for (char *p = line; nc < 8;) {
            cols[nc++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = 0;
            p = tab + 1;
        }
        if (nc < 7 || strcmp(cols[0], "local_path") == 0 || strstr(cols[0], ".tsv"))
            continue;
        int d = sqlfe_dialect_by_name(cols[6]);
        if (d < 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, cols[0]);
        srcfile *f;
        if (srcfile_load(&f, path) != 0)
            continue;
        st.files++;
        arena *a = arena_new();
        sqlfe_script sc;
        sqlfe_parse_script(a, f->text, f->len, (sqlfe_dialect)d, &sc);
        int bteq = 0, sqlplus = 0;
        for (int i = 0; i < sc.n_stmts; i++) {
            const sqlfe_stmt *s = &sc.stmts[i];
            if (d == SQLFE_TERADATA && s->kind == SQLFE_ST_COMMAND && f->text[s->start] == '.')
                bteq = 1;
            if (d == SQLFE_ORACLE && s->kind == SQLFE_ST_COMMAND)
                sqlplus = 1;
            if (s->kind != SQLFE_ST_PROCEDURAL)
                continue;
            st.blocks++;
            st.cur_d = d;
            st.d_blocks[d]++;
            const char *why = NULL;
            if (sqlfe_read_units(a, f, path, s->start, s->end, (sqlfe_dialect)d, "block", &dc, corpus_unit, &st,
                                 &why) == 0) {
                st.none++;
                count_reason(&st.nones, &st.n_nones, why);
            }
        }
        if (bteq) {
            st.cur_d = d;
            st.bteq_scripts++;
            corpus_unit(&st, sqlfe_bteq_unit(a, f, path, &sc, "script", &dc, NULL));
        }
        if (sqlplus) {
            st.cur_d = d;
            st.sqlplus_scripts++;
            corpus_unit(&st, sqlfe_sqlplus_unit(a, f, path, &sc, "script", &dc, NULL));
        }
        arena_free(a);
        srcfile_free(f);
    }
    free(man);
    qsort(st.reasons, (size_t)st.n_reasons, sizeof *st.reasons, cmp_reason);
    qsort(st.nones, (size_t)st.n_nones, sizeof *st.nones, cmp_reason);
    printf("files %d, procedural blocks %d, units %d (%d BTEQ scripts, %d SQL*Plus scripts), blocks without a unit %d\n",
           st.files, st.blocks, st.units, st.bteq_scripts, st.sqlplus_scripts, st.none);
    printf("steps %d, hole steps %d (%.1f %%), units without hole steps %d (%.1f %%), expression holes %d, "
           "structural errors %d\n",
           st.steps, st.hole_steps, st.steps ? 100.0 * st.hole_steps / st.steps : 0.0, st.units_without_holes,
           st.units ? 100.0 * st.units_without_holes / st.units : 0.0, st.expr_holes, st.errors);
    printf("%-10s %7s %6s %7s %6s %9s\n", "dialect", "blocks", "units", "steps", "holes", "no holes");
    for (int d = 0; d < SQLFE__DIALECTS; d++)
        if (st.d_blocks[d] || st.d_units[d])
            printf("%-10s %7d %6d %7d %6d %9d\n", sqlfe_dialect_name((sqlfe_dialect)d), st.d_blocks[d], st.d_units[d],
                   st.d_steps[d], st.d_holes[d], st.d_clean[d]);
    printf("hole steps by reason:\n");
    for (int i = 0; i < st.n_reasons; i++)
        printf("  %5d  %s\n", st.reasons[i].n, st.reasons[i].reason);
    printf("blocks without a unit:\n");
    for (int i = 0; i < st.n_nones; i++)
        printf("  %5d  %s\n", st.nones[i].n, st.nones[i].reason);
    for (int i = 0; i < st.n_reasons; i++)
        free(st.reasons[i].reason);
    for (int i = 0; i < st.n_nones; i++)
        free(st.nones[i].reason);
    free(st.reasons);
    free(st.nones);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--corpus") == 0)
        return corpus(argv[2]);
    RUN(test_constructors);
    RUN(test_units);
    return TEST_SUMMARY();
}
