/*
 * test_abinitio.c — table-driven tests of the Ab Initio frontend (frontends/abinitio).
 *
 *   test_abinitio cases <dir>   runs dml, xfr, types and functions .cases in dir: "=== name", the input, then
 *                               "--- schema" (abi_dataset_to_text of the main record), "--- ir" (each
 *                               function's outputs in ir_expr_to_text) or "--- error" (substrings, one
 *                               a line, that the messages must contain). Inputs are named "t.dml" /
 *                               "t.xfr" in messages. ETLPORT_ABI_UPDATE=1 prints actual results.
 *                               types.cases: a DML (a bare field list is wrapped in record … end;)
 *                               → "--- map": per column the IR type and nullability, the Snowflake
 *                               column type (snow_type) and the PySpark schema type (spark_type_name).
 *                               functions.cases: rules (wrapped in `out :: reformat(in) = begin … end;`
 *                               unless the input has its own `begin`) → "--- map": per output field
 *                               the IR text, hole reason, note and each backend's emit_expr text.
 *                               Every function of CERTAIN_FNS must occur in some functions case.
 *   test_abinitio corpus <dir> [--all]  reads every .dml and .xfr under dir without crashing and
 *                               reports how many parse without error; --all fails unless all do.
 *
 * XFR inputs read `in`/`in0` (node #1), `in1` (#2) and `temp` (#3), all with the fields of
 * IN_DML below (two of them vectors: arrays); output fields whose name starts with "n_" are nullable.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/backend.h"
#include "backends/snowflake/snow_internal.h"
#include "backends/spark/spark_internal.h"
#include "core/strbuf.h"
#include "frontends/abinitio/abi.h"
#include "ir/ir.h"

extern const backend snowflake_backend;
extern const backend spark_backend;

static const char IN_DML[] =
    "record\n"
    "  string(\"|\") name;\n"
    "  string(\"|\", maximum_length=10) code = NULL(\"\");\n"
    "  decimal(\"|\", 2, maximum_length=13) amount;\n"
    "  big endian integer(4) qty;\n"
    "  date(\"YYYYMMDD\")(\"|\") d;\n"
    "  datetime(\"YYYY-MM-DD HH24:MI:SS\")(\"|\") ts;\n"
    "  decimal(\"|\", 2, maximum_length=13)[int] amounts;\n"
    "  string(\"\\n\", maximum_length=10)[int] tags;\n"
    "end;\n";

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

static void collect(void *userdata, const diag *d)
{
    strbuf *sb = userdata;
    sb_printf(sb, "%s:%d:%d: %s: %s\n", d->file ? d->file : "?", d->line, d->col, diag_level_name(d->level),
              d->message);
}

/* ---- resolver over IN_DML ---- */

typedef struct env {
    ir_job *job;
    ir_dataset *in;
} env;

static ir_expr *resolve(void *userdata, const char *rec, const char *field)
{
    env *e = userdata;
    int node = !strcmp(rec, "in") || !strcmp(rec, "in0") ? 1 : !strcmp(rec, "in1") ? 2 : !strcmp(rec, "temp") ? 3 : 0;
    if (!e->in) /* corpus mode: any input, any field */
        return ir_ref(e->job, node ? node : 1, ir_intern(e->job, field));
    if (!node)
        return NULL;
    for (int i = 0; i < e->in->n_cols; i++)
        if (!strcmp(e->in->cols[i].name, field)) {
            ir_expr *r = ir_ref(e->job, node, e->in->cols[i].name);
            r->type = e->in->cols[i].type;
            return r;
        }
    return NULL;
}

static bool nullable(void *userdata, const char *out, const char *field)
{
    (void)userdata;
    (void)out;
    return !strncmp(field, "n_", 2);
}

static void xfr_to_text(strbuf *sb, const abi_xfr *x)
{
    for (int i = 0; i < x->n_fns; i++) {
        const abi_transform *t = &x->fns[i];
        sb_printf(sb, "%s :: %s(", t->out, t->name);
        for (int k = 0; k < t->n_params; k++)
            sb_printf(sb, "%s%s", k ? ", " : "", t->params[k]);
        sb_puts(sb, ")\n");
        for (int k = 0; k < t->n_rules; k++) {
            const abi_out_rule *r = &t->rules[k];
            if (r->field)
                sb_printf(sb, "  %s.%s", r->out, r->field);
            else
                sb_printf(sb, "  %s", r->out);
            if (r->n_rules > 1)
                sb_printf(sb, " [%d rules]", r->n_rules);
            sb_puts(sb, " = ");
            if (r->wildcard_from)
                sb_printf(sb, "%s.*", r->wildcard_from);
            else
                ir_expr_to_text(sb, r->expr);
            sb_putc(sb, '\n');
            if (r->expr && r->expr->kind == IR_EX_HOLE)
                sb_printf(sb, "    hole: %s\n", r->expr->u.hole.reason);
            if (r->note)
                sb_printf(sb, "    note: %s\n", r->note);
        }
        for (int k = 0; k < t->n_holes; k++)
            sb_printf(sb, "  hole: %s\n", t->holes[k]);
    }
}

/* ---- types and functions through both backends ---- */

/* One line per column: IR type and nullability, then each backend's own type writer. */
static void types_to_text(strbuf *sb, const ir_dataset *ds)
{
    strbuf head = STRBUF_INIT; /* the dataset line of abi_dataset_to_text: delimiter, layout, encoding */
    abi_dataset_to_text(&head, ds);
    const char *h = sb_cstr(&head);
    sb_putn(sb, h, (size_t)(strchr(h, '\n') - h) + 1);
    sb_free(&head);
    for (int i = 0; i < ds->n_cols; i++) {
        const ir_column *c = &ds->cols[i];
        char ir[64], sp[64];
        ir_type_format(c->type, ir, sizeof ir);
        strbuf snow = STRBUF_INIT;
        snow_type(&snow, c->type);
        const char *spark = spark_type_name(c->type, sp, sizeof sp);
        sb_printf(sb, "%s: %s %s | snowflake %s | spark %s\n", c->name, ir,
                  c->flags & IR_COL_NOT_NULL ? "not_null" : "nullable", sb_cstr(&snow), spark ? spark : "(none)");
        if (c->expr && c->expr->kind == IR_EX_HOLE)
            sb_printf(sb, "  hole: %s\n", c->expr->u.hole.reason);
        sb_free(&snow);
    }
}

static void emit_with(strbuf *sb, const backend *be, const ir_job *job, const ir_expr *e)
{
    strbuf out = STRBUF_INIT;
    int rc = be->emit_expr(job, e, &out);
    sb_printf(sb, "  %s: %s%s\n", be->name, sb_cstr(&out), rc != 0 ? "  [unsupported]" : "");
    sb_free(&out);
}

/* Per output field: the IR, its hole reason and note, then both targets' text. */
static void fns_to_text(strbuf *sb, const ir_job *job, const abi_xfr *x)
{
    for (int i = 0; i < x->n_fns; i++) {
        const abi_transform *t = &x->fns[i];
        for (int k = 0; k < t->n_rules; k++) {
            const abi_out_rule *r = &t->rules[k];
            sb_printf(sb, "%s.%s", r->out, r->field ? r->field : "");
            if (r->n_rules > 1)
                sb_printf(sb, " [%d rules]", r->n_rules);
            sb_putc(sb, '\n');
            if (r->wildcard_from) {
                sb_printf(sb, "  ir: %s.*\n", r->wildcard_from);
                continue;
            }
            sb_puts(sb, "  ir: ");
            ir_expr_to_text(sb, r->expr);
            sb_putc(sb, '\n');
            if (r->expr->kind == IR_EX_HOLE)
                sb_printf(sb, "  hole: %s\n", r->expr->u.hole.reason);
            if (r->note)
                sb_printf(sb, "  note: %s\n", r->note);
            emit_with(sb, &snowflake_backend, job, r->expr);
            emit_with(sb, &spark_backend, job, r->expr);
        }
        for (int k = 0; k < t->n_holes; k++)
            sb_printf(sb, "hole: %s\n", t->holes[k]);
    }
}

/* The reference's certain list (../shared/abinitio-formats.md): §3.4 "Functions (names [C] from the
 * vim keyword list [S1] unless noted)", less the names it marks otherwise (lookup_match [I];
 * lookup_next, force_error, reject, decimal_round [U]) and the `xml_*` family, which it names only
 * as a family; plus the functions §3.3 marks [C]: vectors, lookups and reflection. Each must occur in
 * a functions.cases input (mapped, or a case that shows the hole). */
static const char *const CERTAIN_FNS[] = {
    /* §3.4 NULL and validity */
    "is_null", "is_defined", "is_valid", "is_blank", "first_defined", "null_if_error",
    /* §3.4 strings */
    "string_substring", "string_index", "string_lrtrim", "string_ltrim", "string_trim", "string_upcase",
    "string_downcase", "string_length", "string_concat", "string_replace", "string_replace_first",
    "string_split", "string_join", "string_like", "string_lpad", "string_pad", "string_filter",
    "string_filter_out", "string_is_numeric", "string_is_alphabetic", "string_prefix", "string_suffix",
    "starts_with", "ends_with", "string_char", "char_string", "string_compare", "string_cleanse",
    "string_from_hex", "string_to_hex", "decimal_lpad", "decimal_lrepad", "decimal_strip", "edit_distance",
    "hamming_distance", "url_encode_escapes", "url_decode_escapes", "to_json", "to_xml",
    /* §3.4 regular expressions */
    "re_index", "re_match_replace", "re_match_replace_all", "re_replace", "re_replace_first", "re_get_match",
    "re_get_matches", "re_split", "re_split_no_empty",
    /* §3.4 date/time */
    "today", "today1", "now", "now1", "local_now", "utc_now", "date_add_months", "date_difference_days",
    "date_difference_months", "date_day", "date_day_of_month", "date_day_of_week", "date_day_of_year",
    "date_month", "date_month_end", "date_year", "date_to_int", "datetime_add", "datetime_add_months",
    "datetime_difference", "datetime_difference_days", "datetime_difference_hours",
    "datetime_difference_minutes", "datetime_difference_seconds", "datetime_difference_months",
    "datetime_change_zone", "datetime_zone_offset", "datetime_from_unixtime", "datetime_to_unixtime",
    "datetime_year", "datetime_month", "datetime_day", "datetime_hour", "datetime_minute", "datetime_second",
    "datetime_microsecond", "decode_date", "encode_date", "decode_datetime", "encode_datetime",
    /* §3.4 aggregation (template Rollup/Scan) */
    "sum", "count", "avg", "min", "max", "first", "last", "product", "stdev", "accumulation", "concatenation",
    "vector_concatenation",
    /* §3.4 sequence/other, error hooks */
    "next_in_sequence", "read_file", "directory_listing", "file_information", "log_error", "make_error",
    "output_for_error", "final_log_output",
    /* §3.3 vectors, lookups, reflection [C] */
    "length_of", "vector_append", "allocate", "lookup", "lookup_count", "record_info", "read_type",
    "type_info", "type_of", "reinterpret_as", "make_transform", "add_rules",
};

static strbuf fn_inputs = STRBUF_INIT; /* every functions.cases input, for the coverage check */

/* Whether name occurs as a call `name(` (not as part of a longer name) in text. */
static int has_call(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
        char before = p == text ? ' ' : p[-1];
        const char *q = p + n;
        while (*q == ' ')
            q++;
        if (*q == '(' && !(before == '_' || (before >= 'a' && before <= 'z') || (before >= '0' && before <= '9')))
            return 1;
    }
    return 0;
}

static int check_coverage(void)
{
    int missing = 0;
    for (size_t i = 0; i < sizeof CERTAIN_FNS / sizeof CERTAIN_FNS[0]; i++)
        if (!has_call(sb_cstr(&fn_inputs), CERTAIN_FNS[i])) {
            fprintf(stderr, "functions.cases: no case calls %s (reference §3.3/§3.4 certain list)\n", CERTAIN_FNS[i]);
            missing++;
        }
    printf("certain functions: %zu, covered %zu\n", sizeof CERTAIN_FNS / sizeof CERTAIN_FNS[0],
           sizeof CERTAIN_FNS / sizeof CERTAIN_FNS[0] - (size_t)missing);
    return missing;
}

/* ---- case files ---- */

static int failures, passes;
static const char *case_dir; /* types.cases are read as CASE_DIR/t.dml, so `include` finds files there */

static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = 0;
}

static void run_case(const char *kind, const char *name, const char *input, const char *mode, char *expected,
                     int line, const char *file)
{
    strbuf msgs = STRBUF_INIT, got = STRBUF_INIT;
    diag_ctx dc;
    diag_init(&dc, collect, &msgs);
    ir_job *job = ir_job_new("t");
    if (!strcmp(kind, "dml")) {
        abi_dml *d;
        abi_dml_parse(&d, job->arena, "t.dml", input, strlen(input), &dc);
        if (d && d->record)
            abi_dataset_to_text(&got, abi_record_to_dataset(job, d->record, "t"));
    } else if (!strcmp(kind, "types")) {
        /* a bare field list is wrapped in record … end; (so the cases stay one type each) */
        const char *s = input;
        while (*s == ' ' || *s == '\n')
            s++;
        int whole = !strncmp(s, "record", 6) || !strncmp(s, "type", 4) || !strncmp(s, "include", 7) ||
                    !strncmp(s, "metadata", 8) || !strncmp(s, "utf8 record", 11) || !strncmp(s, "//", 2);
        char *text = whole ? strdup(input) : NULL;
        if (!whole) {
            strbuf w = STRBUF_INIT;
            sb_printf(&w, "record\n%s\nend;\n", input);
            text = sb_take(&w);
        }
        abi_dml *d;
        char tpath[4096];
        snprintf(tpath, sizeof tpath, "%s/t.dml", case_dir);
        abi_dml_parse(&d, job->arena, tpath, text, strlen(text), &dc);
        if (d && d->record)
            types_to_text(&got, abi_record_to_dataset(job, d->record, "t"));
        free(text);
    } else {
        env e = {job, NULL};
        diag_ctx q;
        diag_init(&q, collect, &msgs);
        abi_dml *in;
        abi_dml_parse(&in, job->arena, "in.dml", IN_DML, strlen(IN_DML), &q);
        e.in = abi_record_to_dataset(job, in->record, "in");
        abi_xfr_ctx ctx = {job, resolve, nullable, &e, NULL};
        abi_xfr *x;
        if (!strcmp(kind, "functions") && !strstr(input, "begin")) {
            strbuf w = STRBUF_INIT;
            sb_printf(&w, "out :: reformat(in) =\nbegin\n%s\nend;\n", input);
            abi_parse_xfr(&x, &ctx, "t.xfr", sb_cstr(&w), w.len, &dc);
            sb_free(&w);
        } else {
            abi_parse_xfr(&x, &ctx, "t.xfr", input, strlen(input), &dc);
        }
        if (!strcmp(kind, "functions"))
            fns_to_text(&got, job, x);
        else
            xfr_to_text(&got, x);
    }
    int ok = 1;
    trim_end(expected);
    if (!strcmp(mode, "error")) {
        if (dc.n_errors == 0)
            ok = 0;
        char *save = NULL;
        for (char *l = strtok_r(expected, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            if (!strstr(sb_cstr(&msgs), l))
                ok = 0;
    } else {
        char *g = (char *)sb_cstr(&got);
        trim_end(g);
        ok = dc.n_errors == 0 && !strcmp(g, expected);
    }
    if (!ok || getenv("ETLPORT_ABI_UPDATE")) {
        if (!ok)
            failures++;
        fprintf(stderr, "%s:%d: %s case '%s'\n--- got\n%s--- messages\n%s--- want\n%s\n\n", file, line,
                ok ? "update" : "FAIL", name, sb_cstr(&got), sb_cstr(&msgs), expected);
    } else {
        passes++;
    }
    ir_job_free(job);
    sb_free(&msgs);
    sb_free(&got);
}

static int run_file(const char *dir, const char *kind)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.cases", dir, kind);
    case_dir = dir;
    char *text = read_all(path);
    if (!text) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    char *p = strstr(text, "\n=== ");
    while (p) {
        p++;
        char *eol = strchr(p, '\n');
        if (!eol)
            break;
        *eol = 0;
        char *name = p + 4;
        int line = 1;
        for (char *c = text; c < p; c++)
            line += *c == '\n';
        char *body = eol + 1;
        char *sep = strstr(body, "\n--- ");
        if (!sep)
            break;
        *sep = 0;
        char *mode = sep + 5;
        char *meol = strchr(mode, '\n');
        if (!meol)
            break;
        *meol = 0;
        char *exp = meol + 1;
        char *nextc = strstr(exp, "\n=== ");
        if (nextc)
            *nextc = 0;
        if (!strcmp(kind, "functions")) {
            sb_puts(&fn_inputs, body);
            sb_putc(&fn_inputs, '\n');
        }
        char *input = strdup(body), *expected = strdup(exp);
        run_case(kind, name, input, mode, expected, line, path);
        free(input);
        free(expected);
        p = nextc;
    }
    free(text);
    return 0;
}

/* ---- corpus ---- */

typedef struct tally {
    int dml, dml_ok, xfr, xfr_ok, fns, outs, holes;
} tally;

static void count_holes(const ir_expr *e, int *n)
{
    if (!e)
        return;
    if (e->kind == IR_EX_HOLE)
        (*n)++;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            count_holes(e->u.call.args[i], n);
}

static void corpus_file(const char *path, tally *t)
{
    size_t n = strlen(path);
    int is_dml = n > 4 && !strcmp(path + n - 4, ".dml"), is_xfr = n > 4 && !strcmp(path + n - 4, ".xfr");
    if (!is_dml && !is_xfr)
        return;
    char *text = read_all(path);
    if (!text)
        return;
    strbuf msgs = STRBUF_INIT;
    diag_ctx dc;
    diag_init(&dc, collect, &msgs);
    ir_job *job = ir_job_new("corpus");
    int rc;
    if (is_dml) {
        abi_dml *d;
        rc = abi_dml_parse(&d, job->arena, path, text, strlen(text), &dc);
        if (d && d->record)
            abi_record_to_dataset(job, d->record, "main");
        t->dml++;
        t->dml_ok += rc == 0;
    } else {
        env e = {job, NULL};
        abi_xfr_ctx ctx = {job, resolve, NULL, &e, NULL};
        abi_xfr *x;
        rc = abi_parse_xfr(&x, &ctx, path, text, strlen(text), &dc);
        t->xfr++;
        t->xfr_ok += rc == 0;
        t->fns += x->n_fns;
        for (int i = 0; i < x->n_fns; i++) {
            t->outs += x->fns[i].n_rules;
            for (int k = 0; k < x->fns[i].n_rules; k++) {
                strbuf sb = STRBUF_INIT;
                if (x->fns[i].rules[k].expr)
                    ir_expr_to_text(&sb, x->fns[i].rules[k].expr);
                sb_free(&sb);
                count_holes(x->fns[i].rules[k].expr, &t->holes);
            }
        }
    }
    printf("%s %s\n", rc == 0 ? "ok    " : "errors", path);
    if (rc != 0)
        fputs(sb_cstr(&msgs), stdout);
    ir_job_free(job);
    sb_free(&msgs);
    free(text);
}

static void walk(const char *dir, tally *t)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0)
        return;
    for (int i = 0; i < n; i++) {
        const char *nm = ents[i]->d_name;
        if (nm[0] != '.') {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, nm);
            struct stat st;
            if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                walk(path, t);
            else
                corpus_file(path, t);
        }
        free(ents[i]);
    }
    free(ents);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "cases")) {
        run_file(argv[2], "dml");
        run_file(argv[2], "xfr");
        run_file(argv[2], "types");
        run_file(argv[2], "functions");
        int missing = check_coverage();
        sb_free(&fn_inputs);
        printf("%d passed, %d failed\n", passes, failures);
        return failures || missing ? 1 : 0;
    }
    if (argc >= 3 && !strcmp(argv[1], "corpus")) {
        struct stat st;
        if (stat(argv[2], &st) != 0) {
            printf("corpus %s absent: skipped\n", argv[2]);
            return 0;
        }
        tally t = {0};
        walk(argv[2], &t);
        printf("dml: %d/%d parse fully; xfr: %d/%d parse fully; %d transform functions, %d output fields, "
               "%d expression holes\n",
               t.dml_ok, t.dml, t.xfr_ok, t.xfr, t.fns, t.outs, t.holes);
        if (argc >= 4 && !strcmp(argv[3], "--all") && (t.dml_ok != t.dml || t.xfr_ok != t.xfr))
            return 1;
        return 0;
    }
    fprintf(stderr, "usage: test_abinitio cases DIR | corpus DIR [--all]\n");
    return 2;
}
