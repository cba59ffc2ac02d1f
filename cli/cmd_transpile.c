/*
 * cmd_transpile.c — `etlport transpile [--from DIALECT] --to snowflake|spark [FILE|-]`: SQL in,
 * SQL out, like a compiler. Each statement of the input is read in the source dialect into the
 * SQL-shaped IR (ir/ir_sql.h: the statement's structure, canonical expressions) and written in the
 * target's SQL, in input order. What has no translation is never passed through: an expression
 * becomes a marked placeholder, a statement a comment block with its text and location (a hole),
 * counted on stderr. A statement that does not parse gets `file:line:col: error:` and the run goes
 * on with the next one.
 *
 * --canonical prints the canonical text of each statement instead of a translation (how the
 * translation-pairs test compares meanings; docs/sql-transpile.md). An input that is one bare
 * expression (no statement keyword) is read and written as an expression.
 *
 * Exit codes: 0 everything translated; 1 a statement failed to parse, or holes remain with
 * --fail-on unsupported; 2 usage; 3 input unreadable.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/strbuf.h"
#include "frontends/sql/sqlfe.h"
#include "ir/ir_sql.h"
#include "ir/ir_unit.h"

typedef struct tp {
    const backend *be;        /* NULL with --canonical */
    sqlfe_dialect d;
    const srcfile *f;
    diag_ctx dc;
    strbuf out;
    int n_stmts, n_failed, n_holes, n_unsupported, n_skipped;
} tp;

static void usage(FILE *fp)
{
    fprintf(fp, "usage: etlport transpile [--from DIALECT] (--to snowflake|spark | --canonical) [FILE|-]\n"
                "                         [--fail-on unsupported] [--stats]\n\n"
                "Translates SQL statement by statement; FILE or - (standard input).\n"
                "  --from DIALECT  oracle, tsql, teradata, db2, netezza, snowflake, spark (databricks), ansi;\n"
                "                  guessed from the text when not given (the guess is said on stderr)\n"
                "  --to TARGET     snowflake or spark (Spark SQL; databricks is accepted as spark)\n"
                "  --canonical     print each statement's canonical IR text instead (for comparing meanings)\n"
                "  --fail-on unsupported  exit 1 when any hole (untranslated construct) remains\n"
                "  --stats         always print the counts on stderr\n\n"
                "exit codes: 0 translated; 1 a statement failed to parse, or holes remain with --fail-on;\n"
                "2 usage; 3 input unreadable\n");
}

static int read_all(FILE *fp, strbuf *sb)
{
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sb_putn(sb, buf, n);
    return ferror(fp) ? -1 : 0;
}

/* The text as `-- ` comment lines. */
static void comment_lines(strbuf *sb, const char *text, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && text[e] != '\n')
            e++;
        sb_puts(sb, "--   ");
        for (size_t k = i; k < e; k++)
            sb_putc(sb, text[k] == '\r' ? ' ' : text[k]);
        sb_putc(sb, '\n');
        i = e + 1;
    }
}

static ir_span span_at(const tp *t, size_t off)
{
    ir_span sp = {t->f->path, 0, 0};
    srcfile_line_col(t->f, off, &sp.line, &sp.col);
    return sp;
}

/* Whether the statement text starts with a word no statement starts with (a bare expression). */
static int bare_expression(const char *s, size_t n)
{
    static const char *const words[] = {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE",
                                        "DROP", "ALTER", "TRUNCATE", "SEL", "VALUES", "GRANT", "REVOKE",
                                        "DECLARE", "BEGIN", "SET", "EXEC", "EXECUTE", "CALL", "USE", "DATABASE",
                                        "REPLACE", "UPSERT", "DEL", "INS", "UPD", "COMMIT", "ROLLBACK"};
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    size_t j = i;
    while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
        j++;
    if (j == i) {
        if (i < n && s[i] == '(') { /* (expr) is an expression, (SELECT ..) a query */
            size_t k = i + 1;
            while (k < n && (isspace((unsigned char)s[k]) || s[k] == '('))
                k++;
            return !(n - k >= 6 && (strncasecmp(s + k, "SELECT", 6) == 0 || strncasecmp(s + k, "WITH", 4) == 0));
        }
        return i < n && s[i] != '.';
    }
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (strlen(words[k]) == j - i && strncasecmp(s + i, words[k], j - i) == 0)
            return 0;
    return 1;
}

/* GO alone on its line: the T-SQL client's batch separator (GO n runs the batch n times: that is
 * not a separator and stays a hole). */
static int is_go(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (n - i < 2 || strncasecmp(s + i, "GO", 2) != 0)
        return 0;
    for (i += 2; i < n; i++)
        if (!isspace((unsigned char)s[i]) && s[i] != ';')
            return 0;
    return 1;
}

static void hole_block(tp *t, const char *why, size_t start, size_t end)
{
    ir_span sp = span_at(t, start);
    sb_printf(&t->out, "-- ETLPORT HOLE %s:%d: %s\n", sp.file, sp.line, why);
    comment_lines(&t->out, t->f->text + start, end - start);
    sb_putc(&t->out, '\n');
    t->n_holes++;
}

static void count_hole(void *userdata, const ir_hole_info *h)
{
    (void)h;
    ((tp *)userdata)->n_holes++;
}

static void one_expression(tp *t, size_t start, size_t end)
{
    ir_job *job = ir_job_new("transpile");
    ir_expr *e = sqlfe_lower_scalar(job, t->f->text + start, end - start, t->d, NULL, span_at(t, start), &t->dc);
    if (!e) {
        t->n_failed++;
        ir_job_free(job);
        return;
    }
    if (!t->be) {
        ir_expr_to_text(&t->out, ir_sql_canonicalize(job, e));
        sb_putc(&t->out, '\n');
    } else {
        /* an expression is a one-item query without FROM: the backend writes it, the item is kept */
        ir_stmt *s = ir_stmt_new(job, IR_ST_QUERY);
        s->query = ir_query_new(job, IR_Q_SELECT);
        s->query->items = arena_alloc(job->arena, sizeof *s->query->items);
        s->query->items[0].expr = e;
        s->query->n_items = 1;
        strbuf one = STRBUF_INIT;
        be_result r = {0, 0};
        t->be->emit_stmt(job, s, &one, &r, NULL);
        const char *txt = sb_cstr(&one);
        if (strncmp(txt, "SELECT\n    ", 11) == 0)
            txt += 11;
        sb_puts(&t->out, txt);
        sb_putc(&t->out, '\n');
        t->n_holes += r.holes;
        t->n_unsupported += r.unsupported;
        sb_free(&one);
    }
    t->n_stmts++;
    ir_job_free(job);
}

static void write_stmt(tp *t, ir_job *job, const ir_stmt *s, size_t start);

static void flatten_block(ir_unit *u, ir_pblock *b);

/* The steps of b's nested blocks that only group steps — BEGIN .. END without declarations, handlers
 * or a label (T-SQL's BEGIN .. END around an IF branch or a WHILE body) — spliced into b: grouping
 * alone means nothing, so with --canonical `WHILE c BEGIN s END` and `WHILE c DO s END WHILE`
 * compare equal. A block that declares, handles errors or can be left by its label stays. */
static void flatten_steps(ir_unit *u, ir_pstmt *s)
{
    int nb = s->kind == IR_PS_IF ? s->n_conds + (s->has_else ? 1 : 0) : s->blocks ? 1 : 0;
    for (int i = 0; i < nb; i++)
        flatten_block(u, &s->blocks[i]);
    for (int i = 0; i < s->n_handlers; i++)
        flatten_block(u, &s->handlers[i].body);
}

static int grouping_only(const ir_pstmt *s)
{
    return s->kind == IR_PS_BLOCK && !s->n_vars && !s->n_handlers && !s->name && s->blocks;
}

static void flatten_block(ir_unit *u, ir_pblock *b)
{
    int n = 0, groups = 0;
    for (int i = 0; i < b->n; i++) {
        flatten_steps(u, b->stmts[i]);
        groups += grouping_only(b->stmts[i]);
        n += grouping_only(b->stmts[i]) ? b->stmts[i]->blocks[0].n : 1;
    }
    if (!groups)
        return;
    ir_pstmt **v = arena_alloc(u->job->arena, (size_t)(n + 1) * sizeof *v);
    int k = 0;
    for (int i = 0; i < b->n; i++) {
        if (!grouping_only(b->stmts[i])) {
            v[k++] = b->stmts[i];
            continue;
        }
        for (int j = 0; j < b->stmts[i]->blocks[0].n; j++)
            v[k++] = b->stmts[i]->blocks[0].stmts[j];
    }
    b->stmts = v;
    b->n = b->cap = n;
}

/* One procedural unit: its canonical text, or the target's form of it (Snowflake Scripting); a
 * target whose units are not SQL (PySpark driver modules) gets a hole that says where it went. */
static void on_unit(void *userdata, ir_unit *u)
{
    tp *t = userdata;
    t->n_stmts++;
    if (!t->be) {
        flatten_steps(u, &u->body);
        ir_unit_to_text(&t->out, u);
        sb_putc(&t->out, '\n');
        t->n_holes += ir_unit_holes(u, NULL, NULL);
    } else if (t->be->emit_unit && !strcmp(t->be->filename + strlen(t->be->filename) - 4, ".sql")) {
        be_options opt = {0};
        be_result r = {0, 0};
        t->be->emit_unit(u, &opt, &t->out, &r, &t->dc);
        sb_putc(&t->out, '\n');
        t->n_holes += r.holes;
        t->n_unsupported += r.unsupported;
    } else {
        sb_printf(&t->out, "-- ETLPORT HOLE %s:%d: procedural unit %s: `etlport convert` writes it as a %s module\n\n",
                  u->span.file ? u->span.file : "?", u->span.line, u->name ? u->name : "?", t->be->name);
        t->n_holes++;
    }
    ir_unit_free(u);
}

/* A procedure, function or block: read into units, each written by on_unit. 0 when none came.
 * A block whose reading reported an error (an unclosed BEGIN) still writes what it read, holes
 * included, but counts as failed: the run exits 1, as convert does for that file. */
static int procedural(tp *t, size_t start, size_t end)
{
    char anon[64];
    snprintf(anon, sizeof anon, "block_%d", t->n_stmts + 1);
    const char *why = NULL;
    int errors = t->dc.n_errors;
    int n = sqlfe_units(t->f, start, end, t->d, anon, &t->dc, on_unit, t, &why);
    if (n > 0 && t->dc.n_errors > errors)
        t->n_failed++;
    return n > 0;
}

/* ALTER TABLE, CALL, COMMIT ...: statements the parser keeps raw that still have an IR form. */
static int other_statement(tp *t, size_t start, size_t end)
{
    ir_job *job = ir_job_new("transpile");
    ir_stmt *s = sqlfe_lower_other(job, t->f->text + start, end - start, t->d, NULL, span_at(t, start), &t->dc);
    if (s) {
        t->n_stmts++;
        write_stmt(t, job, s, start);
    }
    ir_job_free(job);
    return s != NULL;
}

static void write_stmt(tp *t, ir_job *job, const ir_stmt *s, size_t start)
{
    if (!t->be) {
        ir_stmt_to_text(&t->out, job, s);
        ir_stmt_holes(s, count_hole, t);
        return;
    }
    be_result r = {0, 0};
    char where[512];
    ir_span sp = span_at(t, start);
    snprintf(where, sizeof where, "%s:%d", sp.file, sp.line);
    int rc = t->be->emit_stmt(job, s, &t->out, &r, where);
    sb_puts(&t->out, rc == 1 ? "\n" : ";\n\n");
    t->n_holes += r.holes;
    t->n_unsupported += r.unsupported;
}

static void one_statement(tp *t, const sqlfe_stmt *st)
{
    const char *text = t->f->text;
    size_t start = st->start, end = st->end;
    if (!sqlfe_stmt_kind_parsed(st->kind)) {
        if (st->kind == SQLFE_ST_OTHER && bare_expression(text + start, end - start)) {
            one_expression(t, start, end);
            return;
        }
        if (st->kind == SQLFE_ST_OTHER && other_statement(t, start, end))
            return;
        if (st->kind == SQLFE_ST_COMMAND && is_go(text + start, end - start))
            return; /* a T-SQL batch separator: statements are separated by ';' in the output */
        if (st->kind == SQLFE_ST_PROCEDURAL && procedural(t, start, end))
            return;
        t->n_stmts++;
        if (!t->be) {
            sb_printf(&t->out, "%s (not translated)\n", sqlfe_stmt_kind_name(st->kind));
            t->n_holes++;
            return;
        }
        const char *why = st->kind == SQLFE_ST_PROCEDURAL
                              ? "procedural block: `etlport convert` turns procedures into Snowflake Scripting and "
                                "PySpark units"
                          : st->kind == SQLFE_ST_COMMAND ? "client command (no SQL equivalent)"
                                                         : "statement kind not translated";
        hole_block(t, why, start, end);
        return;
    }
    ir_job *job = ir_job_new("transpile");
    ir_stmt *s = sqlfe_lower_stmt(job, text + start, end - start, t->d, NULL, span_at(t, start), &t->dc);
    if (!s) {
        t->n_failed++;
        if (t->be) {
            ir_span sp = span_at(t, start);
            sb_printf(&t->out, "-- ETLPORT ERROR %s:%d: the statement did not parse (see the error message)\n",
                      sp.file, sp.line);
            comment_lines(&t->out, text + start, end - start);
            sb_putc(&t->out, '\n');
        } else {
            sb_puts(&t->out, "error\n");
        }
        ir_job_free(job);
        return;
    }
    t->n_stmts++;
    write_stmt(t, job, s, start);
    ir_job_free(job);
}

int cmd_transpile(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *path = NULL;
    int canonical = 0, fail_on = 0, stats = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else if ((!strcmp(a, "--from") || !strcmp(a, "--dialect")) && i + 1 < argc) {
            from = argv[++i];
        } else if (!strcmp(a, "--to") && i + 1 < argc) {
            to = argv[++i];
        } else if (!strcmp(a, "--canonical")) {
            canonical = 1;
        } else if (!strcmp(a, "--stats")) {
            stats = 1;
        } else if (!strcmp(a, "--fail-on") && i + 1 < argc) {
            if (strcmp(argv[++i], "unsupported") != 0) {
                fprintf(stderr, "etlport transpile: --fail-on takes 'unsupported'\n");
                return EXIT_USAGE;
            }
            fail_on = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "etlport transpile: unknown option %s\n", a);
            usage(stderr);
            return EXIT_USAGE;
        } else if (!path) {
            path = a;
        } else {
            fprintf(stderr, "etlport transpile: one input at a time\n");
            return EXIT_USAGE;
        }
    }
    tp t;
    memset(&t, 0, sizeof t);
    if (!canonical) {
        if (!to) {
            fprintf(stderr, "etlport transpile: --to snowflake|spark (or --canonical) is required\n");
            usage(stderr);
            return EXIT_USAGE;
        }
        t.be = cli_backend_by_name(!strcasecmp(to, "databricks") ? "spark" : to);
        if (!t.be || !t.be->emit_stmt) {
            fprintf(stderr, "etlport transpile: unknown target '%s' (snowflake, spark)\n", to);
            return EXIT_USAGE;
        }
    }
    strbuf in = STRBUF_INIT;
    const char *name = path && strcmp(path, "-") != 0 ? path : "<stdin>";
    FILE *fp = path && strcmp(path, "-") != 0 ? fopen(path, "rb") : stdin;
    if (!fp || read_all(fp, &in) < 0) {
        fprintf(stderr, "etlport transpile: cannot read %s\n", name);
        if (fp && fp != stdin)
            fclose(fp);
        sb_free(&in);
        return EXIT_IO;
    }
    if (fp != stdin)
        fclose(fp);
    srcfile *f = srcfile_from_text(name, in.data ? in.data : "", in.len);
    sb_free(&in);
    /* passwords of client logons never reach the output or a message (they have no translation) */
    sqlfe_redact_credentials(f->text);
    if (from) {
        int d = sqlfe_dialect_by_name(from);
        if (d < 0) {
            fprintf(stderr, "etlport transpile: unknown dialect '%s'\n", from);
            srcfile_free(f);
            return EXIT_USAGE;
        }
        t.d = (sqlfe_dialect)d;
    } else {
        t.d = sqlfe_dialect_guess(path, f->text, f->len < 65536 ? f->len : 65536);
        fprintf(stderr, "%s: note: dialect guessed as %s (use --from to choose)\n", name, sqlfe_dialect_name(t.d));
    }
    t.f = f;
    diag_init(&t.dc, NULL, NULL);
    arena *a = arena_new();
    sqlfe_script sc;
    sqlfe_parse_script(a, f->text, f->len, t.d, &sc);
    for (int i = 0; i < sc.n_stmts; i++)
        one_statement(&t, &sc.stmts[i]);
    fwrite(t.out.data ? t.out.data : "", 1, t.out.len, stdout);
    if (t.n_failed || t.n_holes || t.n_unsupported || stats)
        fprintf(stderr, "etlport transpile: %d statements, %d failed, %d holes, %d unsupported\n", t.n_stmts,
                t.n_failed, t.n_holes, t.n_unsupported);
    sb_free(&t.out);
    arena_free(a);
    srcfile_free(f);
    if (t.n_failed)
        return EXIT_INCOMPLETE;
    if (fail_on && (t.n_holes || t.n_unsupported))
        return EXIT_INCOMPLETE;
    return EXIT_OK;
}
