/*
 * readback_spark.c — PySpark read back into IR (readback.h), over the tree-sitter Python grammar.
 *
 * Two levels. DataFrame code (assignments of chains such as spark.table(..).select(..).filter(..),
 * joins, groupBy().agg(), unions, orderBy, dropDuplicates, writes and Delta merges) becomes IR
 * nodes, one per method call that shapes rows or columns, with explicit references. Column
 * expressions are turned into Spark SQL text and lowered by the SQL frontend in the Spark dialect,
 * so F.upper(x), F.expr("upper(x)") and spark.sql("select upper(x) ...") all meet the same
 * function mapping (frontends/sql). Pieces Spark SQL text cannot carry (job parameters, the
 * session start time, null-safe equality, window calls, references to a particular DataFrame) are
 * built as IR directly and passed through the SQL text as placeholder names `__rbN`.
 *
 * Column names resolve against the DataFrame the expression is evaluated on. Nodes whose columns
 * are not all known (a table read whole, and what passes its rows through) are "open": a name
 * they lack is added as a pass-through column on demand, down to the source.
 *
 * The backend's idioms (the ROW_NUMBER() = 1 filter of a deduplication, the first-match lookup)
 * are read as what they are made of (a window node and a filter); verify.c recognises them.
 */
#include "verifier/readback.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <tree_sitter/api.h>

#include "frontends/sql/sqlfe.h"
#include "verifier/syntax.h"
#include "verifier/verify_internal.h"

/* A window specification as written (Window.partitionBy(..).orderBy(..).rowsBetween(..)); it is
 * resolved against the DataFrame of the select that uses it. */
typedef struct rd_win {
    TSNode part[16];
    int n_part;
    TSNode order[32];
    int n_order;
    bool has_frame;
    ir_frame frame;
    bool bad; /* part of it could not be read */
} rd_win;

typedef enum { V_DF, V_WIN, V_EXPR } rd_var_kind;

typedef struct rd_var {
    const char *name;
    rd_var_kind kind;
    int node;            /* V_DF */
    const char *alias;   /* V_DF: the DataFrame's alias, NULL when none */
    rd_win *win;         /* V_WIN */
    ir_expr *expr;       /* V_EXPR: a parameter or a constant */
} rd_var;

/* What the reader knows of a node beyond the IR. */
typedef struct rd_info {
    bool open;           /* columns it lacks may be added on demand (see the top comment) */
    const char *side_alias[2]; /* join: the aliases of its inputs */
} rd_info;

typedef struct rd {
    ir_job *job;
    const char *text;
    size_t len;
    const char *path;
    const ir_job *schema;
    rd_var *vars;
    int n_vars, cap_vars;
    rd_info *info; /* by node id */
    int cap_info;
    ir_expr **ph;  /* placeholders __rbN */
    int n_ph, cap_ph;
    readback_resolve_fn resolve; /* expression mode: how bare names resolve */
    void *resolve_ud;
} rd;

/* The DataFrame an expression is evaluated on. */
typedef struct df_val {
    int node;
    const char *alias;
} df_val;

typedef struct ex_ctx {
    int node;           /* the input node names refer to; 0 in expression mode */
    const char *why;    /* why the expression could not be read */
    TSNode win;         /* the spec of the last .over() seen */
    bool has_win;
    bool agg_ok;        /* aggregate calls allowed (agg, window) */
} ex_ctx;

/* ---- small helpers ---- */

static const char *ntext(rd *r, TSNode n)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return arena_strndup(r->job->arena, r->text + s, e - s);
}

static bool is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static TSNode unparen(TSNode n)
{
    while (is(n, "parenthesized_expression") && ts_node_named_child_count(n) == 1)
        n = ts_node_named_child(n, 0);
    return n;
}

static ir_span span_of(rd *r, TSNode n)
{
    TSPoint p = ts_node_start_point(n);
    ir_span s = {ir_intern(r->job, r->path ? r->path : ""), (int32_t)p.row + 1, (int32_t)p.column + 1};
    return s;
}

static ir_expr *unreadable(rd *r, TSNode n, const char *why)
{
    char reason[256];
    snprintf(reason, sizeof reason, READBACK_UNREADABLE "%s", why ? why : "not understood");
    ir_expr *h = ir_hole(r->job, ts_node_is_null(n) ? "" : ntext(r, n), ir_intern(r->job, reason));
    if (!ts_node_is_null(n))
        h->span = span_of(r, n);
    return h;
}

static bool str_ieq(const char *a, const char *b)
{
    return a && b ? strcasecmp(a, b) == 0 : a == b;
}

/* The value of a Python string literal (no f-strings, no implicit concatenation of f-strings);
 * NULL when n is not one. */
static const char *py_string(rd *r, TSNode n)
{
    n = unparen(n);
    if (is(n, "concatenated_string")) {
        strbuf sb = STRBUF_INIT;
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
            const char *part = py_string(r, ts_node_named_child(n, i));
            if (!part) {
                sb_free(&sb);
                return NULL;
            }
            sb_puts(&sb, part);
        }
        const char *s = arena_strdup(r->job->arena, sb_cstr(&sb));
        sb_free(&sb);
        return s;
    }
    if (!is(n, "string"))
        return NULL;
    const char *t = r->text + ts_node_start_byte(n), *end = r->text + ts_node_end_byte(n);
    bool raw = false;
    while (t < end && isalpha((unsigned char)*t)) {
        char c = (char)tolower((unsigned char)*t);
        if (c == 'f' || c == 'b')
            return NULL;
        if (c == 'r')
            raw = true;
        t++;
    }
    size_t q = (end - t >= 6 && (strncmp(t, "\"\"\"", 3) == 0 || strncmp(t, "'''", 3) == 0)) ? 3 : 1;
    if ((size_t)(end - t) < 2 * q)
        return NULL;
    t += q;
    end -= q;
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "");
    for (const char *p = t; p < end; p++) {
        if (*p != '\\' || raw || p + 1 >= end) {
            sb_putc(&sb, *p);
            continue;
        }
        p++;
        switch (*p) {
        case 'n': sb_putc(&sb, '\n'); break;
        case 't': sb_putc(&sb, '\t'); break;
        case 'r': sb_putc(&sb, '\r'); break;
        case '0': sb_putc(&sb, '\0'); break;
        case '\\': sb_putc(&sb, '\\'); break;
        case '\'': sb_putc(&sb, '\''); break;
        case '"': sb_putc(&sb, '"'); break;
        case '\n': break;
        case 'x':
            if (p + 2 < end && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
                char hex[3] = {p[1], p[2], 0};
                sb_putc(&sb, (char)strtol(hex, NULL, 16));
                p += 2;
                break;
            }
            /* fall through */
        default:
            sb_putc(&sb, '\\');
            sb_putc(&sb, *p);
        }
    }
    const char *s = arena_strndup(r->job->arena, sb.data ? sb.data : "", sb.len);
    sb_free(&sb);
    return s;
}

/* "F.upper" / "functions.upper" / "upper" (imported) → "upper"; NULL for other callees. */
static const char *f_name(rd *r, TSNode fn)
{
    if (is(fn, "attribute")) {
        TSNode obj = field(fn, "object");
        const char *o = ntext(r, obj);
        if (strcmp(o, "F") == 0 || strcmp(o, "functions") == 0 || strcmp(o, "f") == 0 ||
            strcmp(o, "pyspark.sql.functions") == 0 || strcmp(o, "sf") == 0)
            return ntext(r, field(fn, "attribute"));
        return NULL;
    }
    if (is(fn, "identifier"))
        return ntext(r, fn);
    return NULL;
}

static rd_var *var_get(rd *r, const char *name)
{
    for (int i = r->n_vars - 1; i >= 0; i--)
        if (strcmp(r->vars[i].name, name) == 0)
            return &r->vars[i];
    return NULL;
}

static rd_var *var_set(rd *r, const char *name, rd_var_kind kind)
{
    rd_var *v = var_get(r, name);
    if (!v) {
        if (r->n_vars == r->cap_vars) {
            int cap = r->cap_vars ? r->cap_vars * 2 : 32;
            r->vars = arena_grow(r->job->arena, r->vars, (size_t)r->cap_vars, (size_t)cap, sizeof *r->vars);
            r->cap_vars = cap;
        }
        v = &r->vars[r->n_vars++];
    }
    memset(v, 0, sizeof *v);
    v->name = ir_intern(r->job, name);
    v->kind = kind;
    return v;
}

static rd_info *info(rd *r, int id)
{
    if (id >= r->cap_info) {
        int cap = r->cap_info ? r->cap_info : 32;
        while (cap <= id)
            cap *= 2;
        r->info = arena_grow(r->job->arena, r->info, (size_t)r->cap_info, (size_t)cap, sizeof *r->info);
        r->cap_info = cap;
    }
    return &r->info[id];
}

static const char *placeholder(rd *r, ir_expr *e)
{
    if (r->n_ph == r->cap_ph) {
        int cap = r->cap_ph ? r->cap_ph * 2 : 32;
        r->ph = arena_grow(r->job->arena, r->ph, (size_t)r->cap_ph, (size_t)cap, sizeof *r->ph);
        r->cap_ph = cap;
    }
    r->ph[r->n_ph] = e;
    return arena_printf(r->job->arena, "__rb%d", r->n_ph++);
}

/* ---- column resolution ---- */

static bool passes_rows(ir_op op)
{
    return op == IR_OP_PROJECT || op == IR_OP_FILTER || op == IR_OP_SORT || op == IR_OP_DEDUP ||
           op == IR_OP_WINDOW || op == IR_OP_RANK;
}

/* The column `name` of node id (adding it to an open node), optionally through the join side
 * whose alias is qual. Returns the column's name in node id, or NULL. */
static const char *resolve_col(rd *r, int id, const char *qual, const char *name)
{
    ir_node *n = ir_job_node(r->job, id);
    if (!n)
        return NULL;
    if (qual && n->op == IR_OP_JOIN) {
        rd_info *in = info(r, id);
        for (int k = 0; k < 2 && k < n->n_inputs; k++) {
            if (!in->side_alias[k] || !str_ieq(in->side_alias[k], qual))
                continue;
            const char *c = resolve_col(r, n->inputs[k], NULL, name);
            if (!c)
                return NULL;
            /* the join's column that copies this side's column */
            for (int i = 0; i < n->n_cols; i++) {
                const ir_expr *e = n->cols[i].expr;
                if (e && e->kind == IR_EX_REF && e->u.ref.node == n->inputs[k] && strcmp(e->u.ref.col, c) == 0)
                    return n->cols[i].name;
            }
            const char *cn = arena_printf(r->job->arena, "%s.%s", qual, c);
            ir_node_add_col(r->job, n, cn, ir_type_make(IR_TY_UNKNOWN, 0, 0), ir_ref(r->job, n->inputs[k], c));
            return ir_intern(r->job, cn);
        }
        return NULL;
    }
    ir_column *c = NULL;
    if (qual) {
        char full[512];
        snprintf(full, sizeof full, "%s.%s", qual, name);
        c = ir_node_col_ci(n, full);
    }
    if (!c)
        c = ir_node_col_ci(n, name);
    for (int i = 0; !c && i < n->n_cols; i++) {
        /* a join side's column, named alias.NAME */
        const char *dot = strrchr(n->cols[i].name, '.');
        if (dot && str_ieq(dot + 1, name))
            c = &n->cols[i];
    }
    if (c)
        return c->name;
    if (!info(r, id)->open)
        return NULL;
    if (n->op == IR_OP_SOURCE) {
        ir_node_add_col(r->job, n, name, ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL);
        return ir_intern(r->job, name);
    }
    if (n->op == IR_OP_JOIN) {
        for (int k = 0; k < 2 && k < n->n_inputs; k++) {
            ir_node *side = ir_job_node(r->job, n->inputs[k]);
            if (side && (ir_node_col_ci(side, name) || (k == 1 && info(r, side->id)->open)))
                return resolve_col(r, id, info(r, id)->side_alias[k] ? info(r, id)->side_alias[k] : "", name);
        }
        return NULL;
    }
    if (n->op == IR_OP_PROCEDURE) {
        ir_node_add_col(r->job, n, name, ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL);
        return ir_intern(r->job, name);
    }
    if (passes_rows(n->op) && n->n_inputs == 1) {
        const char *ic = resolve_col(r, n->inputs[0], NULL, name);
        if (!ic)
            return NULL;
        ir_node_add_col(r->job, n, ic, ir_type_make(IR_TY_UNKNOWN, 0, 0), ir_ref(r->job, n->inputs[0], ic));
        return ic;
    }
    return NULL;
}

/* A reference to `qual.name` (qual may be NULL) as seen by an expression over node id. */
static ir_expr *resolve_ref(rd *r, int id, const char *qual, const char *name)
{
    const char *c = resolve_col(r, id, qual, name);
    if (!c && qual && ir_job_node(r->job, id) && ir_job_node(r->job, id)->op != IR_OP_JOIN)
        c = resolve_col(r, id, NULL, name); /* the DataFrame's own alias: df.alias("s") ... F.col("s.X") */
    if (!c)
        return NULL;
    return ir_ref(r->job, id, c);
}

/* ---- Column expressions → Spark SQL text ---- */

static int sqlx(rd *r, ex_ctx *x, TSNode n, strbuf *sb);
static ir_expr *col_expr(rd *r, ex_ctx *x, TSNode n);

static int fail(ex_ctx *x, const char *why)
{
    if (!x->why)
        x->why = why;
    return -1;
}

static void put_ident(strbuf *sb, const char *name)
{
    /* a dotted name: each part back-quoted */
    sb_putc(sb, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`')
            sb_putc(sb, '`');
        sb_putc(sb, *p);
    }
    sb_putc(sb, '`');
}

/* A column named in a string ("X", "d.X", "`a b`"): qualifier and name into the SQL text. */
static void put_colname(strbuf *sb, const char *s)
{
    if (strcmp(s, "*") == 0) {
        sb_puts(sb, "*");
        return;
    }
    const char *dot = NULL;
    if (s[0] != '`')
        dot = strrchr(s, '.');
    if (dot) {
        char q[256];
        snprintf(q, sizeof q, "%.*s", (int)(dot - s), s);
        put_ident(sb, q);
        sb_putc(sb, '.');
        put_ident(sb, dot + 1);
    } else if (s[0] == '`' && strlen(s) >= 2 && s[strlen(s) - 1] == '`') {
        sb_puts(sb, s);
    } else {
        put_ident(sb, s);
    }
}

static int sqlx_args(rd *r, ex_ctx *x, TSNode args, strbuf *sb, int skip)
{
    int k = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
        TSNode a = ts_node_named_child(args, i);
        if (is(a, "comment"))
            continue;
        if (is(a, "keyword_argument"))
            return fail(x, "keyword argument");
        if (is(a, "list_splat") || is(a, "dictionary_splat"))
            return fail(x, "*args");
        if (k++ < skip)
            continue;
        if (k > skip + 1)
            sb_puts(sb, ", ");
        if (sqlx(r, x, a, sb) < 0)
            return -1;
    }
    return 0;
}

static int n_args(TSNode args)
{
    int k = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
        if (!is(ts_node_named_child(args, i), "comment"))
            k++;
    return k;
}

static TSNode arg_at(TSNode args, int idx)
{
    int k = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
        TSNode a = ts_node_named_child(args, i);
        if (is(a, "comment") || is(a, "keyword_argument"))
            continue;
        if (k++ == idx)
            return a;
    }
    TSNode none = {{0}, NULL, NULL};
    return none;
}

static TSNode kwarg(rd *r, TSNode args, const char *name)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
        TSNode a = ts_node_named_child(args, i);
        if (is(a, "keyword_argument") && strcmp(ntext(r, field(a, "name")), name) == 0)
            return field(a, "value");
    }
    TSNode none = {{0}, NULL, NULL};
    return none;
}

/* A Python literal as SQL; 0, or -1 when n is no literal. */
static int py_literal(rd *r, TSNode n, strbuf *sb)
{
    n = unparen(n);
    const char *s = py_string(r, n);
    if (s) {
        sb_put_sql_string(sb, s);
        return 0;
    }
    if (is(n, "integer") || is(n, "float")) {
        const char *t = ntext(r, n);
        for (const char *p = t; *p; p++)
            if (*p != '_')
                sb_putc(sb, *p);
        if (is(n, "float") && !strchr(t, 'e') && !strchr(t, 'E'))
            sb_putc(sb, 'D');
        return 0;
    }
    if (is(n, "true") || is(n, "false") || is(n, "none")) {
        sb_puts(sb, is(n, "true") ? "TRUE" : is(n, "false") ? "FALSE" : "NULL");
        return 0;
    }
    if (is(n, "unary_operator") && strcmp(ntext(r, field(n, "operator")), "-") == 0) {
        strbuf t = STRBUF_INIT;
        int rc = py_literal(r, field(n, "argument"), &t);
        if (rc == 0) {
            sb_putc(sb, '-');
            sb_puts(sb, sb_cstr(&t));
        }
        sb_free(&t);
        return rc;
    }
    if (is(n, "call")) {
        const char *fn = ntext(r, field(n, "function"));
        TSNode args = field(n, "arguments");
        if ((strcmp(fn, "Decimal") == 0 || strcmp(fn, "decimal.Decimal") == 0) && n_args(args) == 1) {
            const char *v = py_string(r, arg_at(args, 0));
            if (v && *v) {
                for (const char *p = v; *p; p++)
                    if (!isdigit((unsigned char)*p) && *p != '.' && *p != '-')
                        return -1;
                sb_puts(sb, v);
                return 0;
            }
        }
        if ((strcmp(fn, "date") == 0 || strcmp(fn, "datetime.date") == 0 || strcmp(fn, "datetime") == 0 ||
             strcmp(fn, "datetime.datetime") == 0) && n_args(args) >= 3) {
            int v[6] = {0, 0, 0, 0, 0, 0};
            int na = n_args(args);
            if (na > 6)
                return -1;
            for (int i = 0; i < na; i++) {
                TSNode a = unparen(arg_at(args, i));
                if (!is(a, "integer"))
                    return -1;
                v[i] = atoi(ntext(r, a));
            }
            if (strstr(fn, "datetime"))
                sb_printf(sb, "TIMESTAMP '%04d-%02d-%02d %02d:%02d:%02d'", v[0], v[1], v[2], v[3], v[4], v[5]);
            else
                sb_printf(sb, "DATE '%04d-%02d-%02d'", v[0], v[1], v[2]);
            return 0;
        }
    }
    return -1;
}

/* PySpark data type names (strings or T.XxxType() calls) as SQL type names. */
static const char *type_name(rd *r, TSNode n)
{
    const char *s = py_string(r, n);
    if (s)
        return s;
    n = unparen(n);
    if (!is(n, "call"))
        return NULL;
    const char *fn = ntext(r, field(n, "function"));
    const char *dot = strrchr(fn, '.');
    const char *base = dot ? dot + 1 : fn;
    static const char *const map[][2] = {
        {"StringType", "string"}, {"IntegerType", "int"}, {"LongType", "bigint"}, {"ShortType", "smallint"},
        {"ByteType", "tinyint"}, {"DoubleType", "double"}, {"FloatType", "float"}, {"BooleanType", "boolean"},
        {"DateType", "date"}, {"TimestampType", "timestamp"}, {"TimestampNTZType", "timestamp_ntz"},
        {"BinaryType", "binary"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(base, map[i][0]) == 0)
            return map[i][1];
    if (strcmp(base, "DecimalType") == 0) {
        TSNode args = field(n, "arguments");
        if (n_args(args) == 2)
            return arena_printf(r->job->arena, "decimal(%s,%s)", ntext(r, arg_at(args, 0)), ntext(r, arg_at(args, 1)));
        if (n_args(args) == 0)
            return "decimal(10,0)";
    }
    return NULL;
}

/* F names whose Spark SQL spelling differs. */
static const char *sql_fn_name(const char *f)
{
    static const char *const map[][2] = {
        {"try_to_timestamp", "to_timestamp"}, {"countDistinct", "count"}, {"count_distinct", "count"},
        {"sum_distinct", "sum"}, {"sumDistinct", "sum"}, {"dayofmonth", "day"}, {"toDegrees", "degrees"},
        {"toRadians", "radians"}, {"mean", "avg"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(f, map[i][0]) == 0)
            return map[i][1];
    return f;
}

/* The positions (bit per argument) of an F function whose string arguments are values (formats,
 * patterns, separators), not column names. */
static unsigned value_string_args(const char *f)
{
    static const struct {
        const char *name;
        unsigned mask;
    } map[] = {
        {"concat_ws", 1u << 0}, {"date_trunc", 1u << 0}, {"format_string", 1u << 0}, {"locate", 1u << 0},
        {"to_timestamp", 1u << 1}, {"try_to_timestamp", 1u << 1}, {"to_date", 1u << 1}, {"date_format", 1u << 1},
        {"regexp_replace", 3u << 1}, {"regexp_extract", 1u << 1}, {"regexp_like", 1u << 1}, {"rlike", 1u << 1},
        {"regexp_instr", 1u << 1}, {"lpad", 1u << 2}, {"rpad", 1u << 2}, {"instr", 1u << 1},
        {"translate", 3u << 1}, {"split", 1u << 1}, {"substring_index", 1u << 1}, {"trunc", 1u << 1},
        {"unix_timestamp", 1u << 1}, {"from_unixtime", 1u << 1}, {"next_day", 1u << 1}, {"split_part", 3u << 1},
        {"replace", 3u << 1}, {"like", 1u << 1}, {"format_number", 1u << 1}, {"sha2", 1u << 1},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(f, map[i].name) == 0)
            return map[i].mask;
    return 0;
}

/* The window function calls built as IR (Spark SQL needs OVER for them). */
static int window_fn(const char *f)
{
    static const char *const names[] = {"row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
                                        "lag", "lead", "first_value", "last_value", NULL};
    for (int i = 0; names[i]; i++)
        if (strcmp(f, names[i]) == 0)
            return ir_fn_by_name(f);
    return -1;
}

static int ph_out(rd *r, strbuf *sb, ir_expr *e)
{
    sb_puts(sb, placeholder(r, e));
    return 0;
}

/* x.when(c, v).when(..).otherwise(e) chains, innermost first. */
static int sqlx_when_chain(rd *r, ex_ctx *x, TSNode n, strbuf *sb, bool has_else, TSNode else_arg)
{
    TSNode chain[64];
    int k = 0;
    TSNode cur = n;
    for (;;) {
        if (!is(cur, "call") || k == 64)
            return fail(x, "when chain");
        TSNode fn = field(cur, "function");
        const char *f = f_name(r, fn);
        chain[k++] = cur;
        if (f && strcmp(f, "when") == 0)
            break;
        if (!is(fn, "attribute") || strcmp(ntext(r, field(fn, "attribute")), "when") != 0)
            return fail(x, "when chain");
        cur = unparen(field(fn, "object"));
    }
    sb_puts(sb, "(CASE");
    for (int i = k - 1; i >= 0; i--) {
        TSNode args = field(chain[i], "arguments");
        if (n_args(args) != 2)
            return fail(x, "when() takes two arguments");
        sb_puts(sb, " WHEN ");
        if (sqlx(r, x, arg_at(args, 0), sb) < 0)
            return -1;
        sb_puts(sb, " THEN ");
        if (sqlx(r, x, arg_at(args, 1), sb) < 0)
            return -1;
    }
    if (has_else) {
        sb_puts(sb, " ELSE ");
        if (sqlx(r, x, else_arg, sb) < 0)
            return -1;
    }
    sb_puts(sb, " END)");
    return 0;
}

/* a ± F.make_interval(days=n) / F.expr("INTERVAL n DAYS") as date_add. */
static ir_expr *interval_add(rd *r, ex_ctx *x, TSNode base, TSNode iv, bool minus)
{
    iv = unparen(iv);
    if (!is(iv, "call"))
        return NULL;
    const char *f = f_name(r, field(iv, "function"));
    if (!f || strcmp(f, "make_interval") != 0)
        return NULL;
    TSNode args = field(iv, "arguments");
    static const char *const units[] = {"years", "months", "weeks", "days", "hours", "mins", "secs"};
    static const char *const parts[] = {"year", "month", "week", "day", "hour", "minute", "second"};
    int found = -1;
    TSNode val = {{0}, NULL, NULL};
    for (int i = 0; i < 7; i++) {
        TSNode v = kwarg(r, args, units[i]);
        if (ts_node_is_null(v))
            continue;
        if (found >= 0)
            return NULL;
        found = i;
        val = v;
    }
    if (found < 0 || !ts_node_is_null(arg_at(args, 0)))
        return NULL;
    ir_expr *b = col_expr(r, x, base);
    ir_expr *amount = col_expr(r, x, val);
    if (minus)
        amount = ir_call1(r->job, IR_FN_NEG, amount);
    ir_expr *e = ir_call3(r->job, IR_FN_DATE_ADD, b, ir_lit_str(r->job, parts[found]), amount);
    if (found == 2) /* weeks: 7 days */
        e = ir_call3(r->job, IR_FN_DATE_ADD, b, ir_lit_str(r->job, "day"),
                     ir_call2(r->job, IR_FN_MUL, amount, ir_lit_int(r->job, 7)));
    return e;
}

static int sqlx_call(rd *r, ex_ctx *x, TSNode n, strbuf *sb)
{
    TSNode fn = field(n, "function");
    TSNode args = field(n, "arguments");
    const char *f = f_name(r, fn);
    /* F.name(...), or name(...) imported with `from pyspark.sql.functions import name` */
    if (f && (is(fn, "attribute") || f[0] != '_')) {
        if (strcmp(f, "col") == 0 || strcmp(f, "column") == 0) {
            const char *s = n_args(args) == 1 ? py_string(r, arg_at(args, 0)) : NULL;
            if (!s)
                return fail(x, "F.col of a non-literal name");
            put_colname(sb, s);
            return 0;
        }
        if (strcmp(f, "lit") == 0) {
            if (n_args(args) != 1)
                return fail(x, "F.lit arity");
            return sqlx(r, x, arg_at(args, 0), sb);
        }
        if (strcmp(f, "expr") == 0) {
            const char *s = n_args(args) == 1 ? py_string(r, arg_at(args, 0)) : NULL;
            if (!s)
                return fail(x, "F.expr of a non-literal string");
            sb_putc(sb, '(');
            sb_puts(sb, s);
            sb_putc(sb, ')');
            return 0;
        }
        if (strcmp(f, "when") == 0)
            return sqlx_when_chain(r, x, n, sb, false, n);
        if (strcmp(f, "call_function") == 0) {
            const char *name = n_args(args) >= 1 ? py_string(r, arg_at(args, 0)) : NULL;
            if (!name)
                return fail(x, "call_function of a non-literal name");
            sb_puts(sb, name);
            sb_putc(sb, '(');
            if (sqlx_args(r, x, args, sb, 1) < 0)
                return -1;
            sb_putc(sb, ')');
            return 0;
        }
        if (strcmp(f, "asc") == 0 || strcmp(f, "desc") == 0)
            return fail(x, "sort key outside orderBy");
        if (strcmp(f, "monotonically_increasing_id") == 0)
            return ph_out(r, sb, ir_hole(r->job, "F.monotonically_increasing_id()", "generated row id"));
        if (strcmp(f, "current_timestamp") == 0 || strcmp(f, "now") == 0) {
            sb_puts(sb, "current_timestamp()");
            return 0;
        }
        if (strcmp(f, "last") == 0 || strcmp(f, "first") == 0) {
            /* F.last(x, ignorenulls=False): the ordered aggregate */
            TSNode ig = kwarg(r, args, "ignorenulls");
            if (n_args(args) < 1)
                return fail(x, "F.last arity");
            ir_expr *a = col_expr(r, x, arg_at(args, 0));
            ir_expr *e = ir_call1(r->job, strcmp(f, "last") == 0 ? IR_FN_LAST : IR_FN_FIRST, a);
            if (!ts_node_is_null(ig) && is(unparen(ig), "true"))
                e->u.call.flags |= IR_FL_IGNORE_NULLS;
            e->u.call.flags |= IR_FL_ORDER_DEPENDENT;
            return ph_out(r, sb, e);
        }
        int wf = window_fn(f);
        if (wf >= 0) {
            int na = n_args(args);
            ir_expr **a = na ? arena_alloc(r->job->arena, sizeof *a * (size_t)na) : NULL;
            for (int i = 0; i < na; i++)
                a[i] = col_expr(r, x, arg_at(args, i));
            TSNode ig = kwarg(r, args, "ignorenulls");
            ir_expr *e = ir_call(r->job, (ir_fn)wf, 0, na, a);
            if (!ts_node_is_null(ig) && is(unparen(ig), "true"))
                e->u.call.flags |= IR_FL_IGNORE_NULLS;
            return ph_out(r, sb, e);
        }
        bool distinct = strcmp(f, "countDistinct") == 0 || strcmp(f, "count_distinct") == 0 ||
                        strcmp(f, "sum_distinct") == 0 || strcmp(f, "sumDistinct") == 0;
        if (strcmp(f, "count") == 0 && n_args(args) == 1) {
            const char *s = py_string(r, arg_at(args, 0));
            if (s && strcmp(s, "*") == 0) {
                sb_puts(sb, "count(*)");
                return 0;
            }
        }
        sb_puts(sb, sql_fn_name(f));
        sb_putc(sb, '(');
        if (distinct)
            sb_puts(sb, "DISTINCT ");
        /* kwargs: only ignorenulls-like flags are understood */
        for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
            if (is(ts_node_named_child(args, i), "keyword_argument"))
                return fail(x, "keyword argument");
        /* strings name columns for F functions (F.upper("X")), except the parameters that are values */
        unsigned values = value_string_args(f);
        int k = 0;
        for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
            TSNode a = ts_node_named_child(args, i);
            if (is(a, "comment"))
                continue;
            if (k)
                sb_puts(sb, ", ");
            const char *s = py_string(r, a);
            if (s && !(values & (1u << k)))
                put_colname(sb, s);
            else if (sqlx(r, x, a, sb) < 0)
                return -1;
            k++;
        }
        sb_putc(sb, ')');
        return 0;
    }
    if (is(fn, "attribute")) {
        /* a method of a Column */
        const char *m = ntext(r, field(fn, "attribute"));
        TSNode obj = unparen(field(fn, "object"));
        int na = n_args(args);
        if (strcmp(m, "otherwise") == 0 && na == 1)
            return sqlx_when_chain(r, x, obj, sb, true, arg_at(args, 0));
        if (strcmp(m, "when") == 0)
            return sqlx_when_chain(r, x, n, sb, false, n);
        if (strcmp(m, "alias") == 0 || strcmp(m, "name") == 0)
            return sqlx(r, x, obj, sb);
        if (strcmp(m, "over") == 0) {
            if (na == 1) {
                x->win = arg_at(args, 0);
                x->has_win = true;
            }
            return sqlx(r, x, obj, sb);
        }
        struct { const char *m; const char *pre, *post; int na; } un[] = {
            {"isNull", "(", " IS NULL)", 0}, {"isNotNull", "(", " IS NOT NULL)", 0},
        };
        for (size_t i = 0; i < sizeof un / sizeof un[0]; i++) {
            if (strcmp(m, un[i].m) == 0 && na == un[i].na) {
                sb_puts(sb, un[i].pre);
                if (sqlx(r, x, obj, sb) < 0)
                    return -1;
                sb_puts(sb, un[i].post);
                return 0;
            }
        }
        if (strcmp(m, "eqNullSafe") == 0 && na == 1) {
            ir_expr *a = col_expr(r, x, obj), *b = col_expr(r, x, arg_at(args, 0));
            ir_expr *e = ir_call2(r->job, IR_FN_COALESCE, ir_call2(r->job, IR_FN_EQ, a, b),
                                  ir_call2(r->job, IR_FN_AND, ir_call1(r->job, IR_FN_IS_NULL, a),
                                           ir_call1(r->job, IR_FN_IS_NULL, b)));
            return ph_out(r, sb, e);
        }
        if (strcmp(m, "isin") == 0) {
            sb_puts(sb, "(");
            if (sqlx(r, x, obj, sb) < 0)
                return -1;
            sb_puts(sb, " IN (");
            TSNode list = arg_at(args, 0);
            if (na == 1 && (is(unparen(list), "list") || is(unparen(list), "tuple"))) {
                TSNode l = unparen(list);
                for (uint32_t i = 0; i < ts_node_named_child_count(l); i++) {
                    if (i)
                        sb_puts(sb, ", ");
                    if (sqlx(r, x, ts_node_named_child(l, i), sb) < 0)
                        return -1;
                }
            } else if (sqlx_args(r, x, args, sb, 0) < 0) {
                return -1;
            }
            sb_puts(sb, "))");
            return 0;
        }
        if (strcmp(m, "between") == 0 && na == 2) {
            sb_puts(sb, "(");
            if (sqlx(r, x, obj, sb) < 0)
                return -1;
            sb_puts(sb, " BETWEEN ");
            if (sqlx(r, x, arg_at(args, 0), sb) < 0)
                return -1;
            sb_puts(sb, " AND ");
            if (sqlx(r, x, arg_at(args, 1), sb) < 0)
                return -1;
            sb_puts(sb, ")");
            return 0;
        }
        if ((strcmp(m, "cast") == 0 || strcmp(m, "astype") == 0) && na == 1) {
            const char *t = type_name(r, arg_at(args, 0));
            if (!t)
                return fail(x, "cast to an unknown type");
            sb_puts(sb, "CAST(");
            if (sqlx(r, x, obj, sb) < 0)
                return -1;
            sb_printf(sb, " AS %s)", t);
            return 0;
        }
        struct { const char *m; const char *op; } bin[] = {
            {"like", "LIKE"}, {"rlike", "RLIKE"}, {"ilike", "ILIKE"},
        };
        for (size_t i = 0; i < sizeof bin / sizeof bin[0]; i++) {
            if (strcmp(m, bin[i].m) == 0 && na == 1) {
                sb_puts(sb, "(");
                if (sqlx(r, x, obj, sb) < 0)
                    return -1;
                sb_printf(sb, " %s ", bin[i].op);
                if (sqlx(r, x, arg_at(args, 0), sb) < 0)
                    return -1;
                sb_puts(sb, ")");
                return 0;
            }
        }
        struct { const char *m; const char *fn; } calls[] = {
            {"substr", "substring"}, {"startswith", "startswith"}, {"endswith", "endswith"},
            {"contains", "contains"},
        };
        for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
            if (strcmp(m, calls[i].m) == 0) {
                sb_printf(sb, "%s(", calls[i].fn);
                if (sqlx(r, x, obj, sb) < 0)
                    return -1;
                if (na)
                    sb_puts(sb, ", ");
                if (sqlx_args(r, x, args, sb, 0) < 0)
                    return -1;
                sb_puts(sb, ")");
                return 0;
            }
        }
        if ((strcmp(m, "asc") == 0 || strcmp(m, "desc") == 0 || strncmp(m, "asc_", 4) == 0 ||
             strncmp(m, "desc_", 5) == 0))
            return fail(x, "sort key outside orderBy");
        return fail(x, "unknown Column method");
    }
    if (is(fn, "identifier") && strcmp(ntext(r, fn), "_etlport_hole") == 0) {
        /* the backend's placeholder for what it could not translate */
        const char *legacy = py_string(r, arg_at(args, 2));
        return ph_out(r, sb, ir_hole(r->job, legacy ? legacy : ntext(r, n), "a hole in the generated code (_etlport_hole)"));
    }
    if (is(fn, "identifier") || is(fn, "attribute"))
        return fail(x, "call of an unknown function");
    return fail(x, "call");
}

static int sqlx(rd *r, ex_ctx *x, TSNode n, strbuf *sb)
{
    n = unparen(n);
    if (ts_node_is_null(n))
        return fail(x, "missing expression");
    if (py_literal(r, n, sb) == 0)
        return 0;
    const char *type = ts_node_type(n);
    if (strcmp(type, "call") == 0)
        return sqlx_call(r, x, n, sb);
    if (strcmp(type, "identifier") == 0) {
        const char *name = ntext(r, n);
        rd_var *v = var_get(r, name);
        if (v && v->kind == V_EXPR)
            return ph_out(r, sb, ir_expr_copy(r->job, v->expr));
        if (!r->schema || !v) {
            /* expression mode: p_<param> of the legacy job */
            if (strncmp(name, "p_", 2) == 0 && r->schema) {
                for (int i = 0; i < r->schema->n_params; i++) {
                    strbuf pv = STRBUF_INIT;
                    strbuf sn = STRBUF_INIT;
                    sb_puts(&pv, "p_");
                    for (const char *p = r->schema->params[i].name; *p; p++)
                        sb_putc(&sn, isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_');
                    sb_puts(&pv, sb_cstr(&sn));
                    bool same = strcmp(sb_cstr(&pv), name) == 0;
                    sb_free(&pv);
                    sb_free(&sn);
                    if (same)
                        return ph_out(r, sb, ir_param_ref(r->job, r->schema->params[i].name));
                }
            }
            if (strcmp(name, "session_start_time") == 0)
                return ph_out(r, sb, ir_call(r->job, IR_FN_SESSION_START, 0, 0, NULL));
        }
        return fail(x, "unknown variable");
    }
    if (strcmp(type, "subscript") == 0 || strcmp(type, "attribute") == 0) {
        /* df["X"] / df.X: a column of a particular DataFrame */
        TSNode obj = field(n, strcmp(type, "subscript") == 0 ? "value" : "object");
        const char *col = strcmp(type, "subscript") == 0 ? py_string(r, field(n, "subscript"))
                                                         : ntext(r, field(n, "attribute"));
        rd_var *v = is(obj, "identifier") ? var_get(r, ntext(r, obj)) : NULL;
        if (!col || !v || v->kind != V_DF)
            return fail(x, "attribute");
        if (x->node) {
            ir_node *cur = ir_job_node(r->job, x->node);
            if (cur && cur->op == IR_OP_JOIN) {
                for (int k = 0; k < 2 && k < cur->n_inputs; k++)
                    if (cur->inputs[k] == v->node && info(r, cur->id)->side_alias[k]) {
                        ir_expr *e = resolve_ref(r, cur->id, info(r, cur->id)->side_alias[k], col);
                        if (!e)
                            return fail(x, "unknown column");
                        return ph_out(r, sb, e);
                    }
            }
        }
        put_colname(sb, col);
        return 0;
    }
    if (strcmp(type, "binary_operator") == 0) {
        const char *op = ntext(r, field(n, "operator"));
        TSNode lhs = field(n, "left"), rhs = field(n, "right");
        if (strcmp(op, "+") == 0 || strcmp(op, "-") == 0) {
            ir_expr *e = interval_add(r, x, lhs, rhs, op[0] == '-');
            if (e)
                return ph_out(r, sb, e);
        }
        const char *sop = NULL;
        if (strcmp(op, "&") == 0)
            sop = "AND";
        else if (strcmp(op, "|") == 0)
            sop = "OR";
        else if (strcmp(op, "+") == 0 || strcmp(op, "-") == 0 || strcmp(op, "*") == 0 || strcmp(op, "/") == 0 ||
                 strcmp(op, "%") == 0)
            sop = op;
        if (strcmp(op, "**") == 0) {
            sb_puts(sb, "power(");
            if (sqlx(r, x, lhs, sb) < 0)
                return -1;
            sb_puts(sb, ", ");
            if (sqlx(r, x, rhs, sb) < 0)
                return -1;
            sb_puts(sb, ")");
            return 0;
        }
        if (!sop)
            return fail(x, "operator");
        sb_putc(sb, '(');
        if (sqlx(r, x, lhs, sb) < 0)
            return -1;
        sb_printf(sb, " %s ", sop);
        if (sqlx(r, x, rhs, sb) < 0)
            return -1;
        sb_putc(sb, ')');
        return 0;
    }
    if (strcmp(type, "comparison_operator") == 0) {
        uint32_t nc = ts_node_child_count(n);
        if (nc != 3)
            return fail(x, "chained comparison");
        TSNode opn = ts_node_child(n, 1);
        const char *op = ts_node_type(opn);
        const char *sop = strcmp(op, "==") == 0 ? "=" : strcmp(op, "!=") == 0 ? "<>" : op;
        if (strcmp(sop, "=") && strcmp(sop, "<>") && strcmp(sop, "<") && strcmp(sop, "<=") && strcmp(sop, ">") &&
            strcmp(sop, ">="))
            return fail(x, "comparison");
        sb_putc(sb, '(');
        if (sqlx(r, x, ts_node_child(n, 0), sb) < 0)
            return -1;
        sb_printf(sb, " %s ", sop);
        if (sqlx(r, x, ts_node_child(n, 2), sb) < 0)
            return -1;
        sb_putc(sb, ')');
        return 0;
    }
    if (strcmp(type, "unary_operator") == 0) {
        const char *op = ntext(r, field(n, "operator"));
        sb_puts(sb, strcmp(op, "~") == 0 ? "(NOT " : strcmp(op, "-") == 0 ? "(-" : "(+");
        if (sqlx(r, x, field(n, "argument"), sb) < 0)
            return -1;
        sb_putc(sb, ')');
        return 0;
    }
    return fail(x, type);
}

/* Replaces the lowered tree's bare names by placeholders and resolved references. */
static ir_expr *fix_refs(rd *r, ex_ctx *x, const ir_expr *e, TSNode at)
{
    if (!e)
        return NULL;
    switch (e->kind) {
    case IR_EX_REF: {
        const char *name = e->u.ref.col;
        if (strncmp(name, "__rb", 4) == 0) {
            int k = atoi(name + 4);
            if (k >= 0 && k < r->n_ph)
                return r->ph[k];
        }
        if (e->u.ref.node != 0)
            return ir_expr_copy(r->job, e);
        const char *dot = strrchr(name, '.');
        char qual[256] = "";
        if (dot)
            snprintf(qual, sizeof qual, "%.*s", (int)(dot - name), name);
        const char *base = dot ? dot + 1 : name;
        ir_expr *out = NULL;
        if (x->node)
            out = resolve_ref(r, x->node, dot ? qual : NULL, base);
        else if (r->resolve)
            out = r->resolve(r->resolve_ud, r->job, base);
        if (!out) {
            char why[300];
            snprintf(why, sizeof why, "unknown column %s", name);
            return unreadable(r, at, ir_intern(r->job, why));
        }
        return out;
    }
    case IR_EX_CALL: {
        ir_expr *c = verify_call_copy(r->job, e);
        for (int i = 0; i < e->u.call.n_args; i++)
            c->u.call.args[i] = fix_refs(r, x, e->u.call.args[i], at);
        return c;
    }
    case IR_EX_HOLE: {
        ir_expr *h = ir_expr_copy(r->job, e);
        char reason[300];
        snprintf(reason, sizeof reason, READBACK_UNREADABLE "%s", e->u.hole.reason ? e->u.hole.reason : "");
        if (!e->u.hole.reason || strncmp(e->u.hole.reason, READBACK_UNREADABLE, strlen(READBACK_UNREADABLE)))
            h->u.hole.reason = ir_intern(r->job, reason);
        return h;
    }
    case IR_EX_OVER:
    case IR_EX_QUERY:
        return unreadable(r, at, "window or subquery in a column expression");
    default:
        return ir_expr_copy(r->job, e);
    }
}

static void quiet_sink(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

/* A Column expression as IR over x->node (or through r->resolve). Never NULL. */
static ir_expr *col_expr(rd *r, ex_ctx *x, TSNode n)
{
    strbuf sb = STRBUF_INIT;
    const char *saved_why = x->why;
    x->why = NULL;
    ir_expr *out;
    if (sqlx(r, x, n, &sb) < 0) {
        out = unreadable(r, n, x->why);
    } else {
        diag_ctx dc;
        diag_init(&dc, quiet_sink, NULL);
        ir_span base = span_of(r, n);
        ir_expr *e = sqlfe_lower_scalar(r->job, sb.data, sb.len, SQLFE_SPARK, NULL, base, &dc);
        out = e ? fix_refs(r, x, e, n) : unreadable(r, n, "Spark SQL the SQL frontend does not parse");
    }
    sb_free(&sb);
    x->why = saved_why;
    return out;
}

/* ---- window specs ---- */

static void win_read(rd *r, TSNode n, rd_win *w)
{
    n = unparen(n);
    if (is(n, "identifier")) {
        rd_var *v = var_get(r, ntext(r, n));
        if (v && v->kind == V_WIN)
            *w = *v->win;
        else
            w->bad = true;
        return;
    }
    if (is(n, "attribute") && strcmp(ntext(r, n), "Window") == 0)
        return;
    if (!is(n, "call")) {
        w->bad = true;
        return;
    }
    TSNode fn = field(n, "function"), args = field(n, "arguments");
    if (!is(fn, "attribute")) {
        w->bad = true;
        return;
    }
    win_read(r, field(fn, "object"), w);
    const char *m = ntext(r, field(fn, "attribute"));
    if (strcmp(m, "partitionBy") == 0 || strcmp(m, "orderBy") == 0) {
        bool part = m[0] == 'p';
        for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
            TSNode a = ts_node_named_child(args, i);
            if (is(a, "comment"))
                continue;
            if (is(unparen(a), "list")) {
                TSNode l = unparen(a);
                for (uint32_t j = 0; j < ts_node_named_child_count(l); j++) {
                    if (part && w->n_part < 16)
                        w->part[w->n_part++] = ts_node_named_child(l, j);
                    else if (!part && w->n_order < 32)
                        w->order[w->n_order++] = ts_node_named_child(l, j);
                }
            } else if (part && w->n_part < 16) {
                w->part[w->n_part++] = a;
            } else if (!part && w->n_order < 32) {
                w->order[w->n_order++] = a;
            } else {
                w->bad = true;
            }
        }
        return;
    }
    if (strcmp(m, "rowsBetween") == 0 || strcmp(m, "rangeBetween") == 0) {
        w->has_frame = true;
        w->frame.unit = m[1] == 'o' ? IR_FRAME_ROWS : IR_FRAME_RANGE;
        for (int b = 0; b < 2; b++) {
            TSNode a = unparen(arg_at(args, b));
            const char *t = ts_node_is_null(a) ? "" : ntext(r, a);
            ir_frame_bound *fb = b ? &w->frame.end : &w->frame.start;
            if (strstr(t, "unboundedPreceding"))
                fb->kind = IR_BOUND_UNBOUNDED_PRECEDING;
            else if (strstr(t, "unboundedFollowing"))
                fb->kind = IR_BOUND_UNBOUNDED_FOLLOWING;
            else if (strstr(t, "currentRow") || strcmp(t, "0") == 0)
                fb->kind = IR_BOUND_CURRENT_ROW;
            else if (t[0] == '-' && isdigit((unsigned char)t[1])) {
                fb->kind = IR_BOUND_PRECEDING;
                fb->offset = atoll(t + 1);
            } else if (isdigit((unsigned char)t[0])) {
                fb->kind = IR_BOUND_FOLLOWING;
                fb->offset = atoll(t);
            } else {
                w->bad = true;
            }
        }
        return;
    }
    w->bad = true;
}

/* One sort key (F.col("X").desc(), F.desc("X"), "X", F.col("X").asc_nulls_last()) into k. */
static void sort_key(rd *r, ex_ctx *x, TSNode n, ir_sort_key *k, bool ascending_default)
{
    n = unparen(n);
    k->desc = !ascending_default;
    k->nulls = 0;
    if (is(n, "call")) {
        TSNode fn = field(n, "function");
        TSNode args = field(n, "arguments");
        const char *f = f_name(r, fn);
        if (f && (strncmp(f, "asc", 3) == 0 || strncmp(f, "desc", 4) == 0) && n_args(args) == 1) {
            k->desc = f[0] == 'd';
            k->nulls = strstr(f, "nulls_first") ? 1 : strstr(f, "nulls_last") ? 2 : 0;
            const char *s = py_string(r, arg_at(args, 0));
            if (s) {
                strbuf t = STRBUF_INIT;
                put_colname(&t, s);
                ir_expr *e = sqlfe_lower_scalar(r->job, t.data, t.len, SQLFE_SPARK, NULL, span_of(r, n), NULL);
                k->expr = e ? fix_refs(r, x, e, n) : unreadable(r, n, "sort key");
                sb_free(&t);
            } else {
                k->expr = col_expr(r, x, arg_at(args, 0));
            }
            return;
        }
        if (is(fn, "attribute")) {
            const char *m = ntext(r, field(fn, "attribute"));
            if ((strncmp(m, "asc", 3) == 0 || strncmp(m, "desc", 4) == 0) && n_args(args) == 0) {
                k->desc = m[0] == 'd';
                k->nulls = strstr(m, "nulls_first") ? 1 : strstr(m, "nulls_last") ? 2 : 0;
                k->expr = col_expr(r, x, field(fn, "object"));
                return;
            }
        }
    }
    const char *s = py_string(r, n);
    if (s) {
        strbuf t = STRBUF_INIT;
        put_colname(&t, s);
        ir_expr *e = sqlfe_lower_scalar(r->job, t.data, t.len, SQLFE_SPARK, NULL, span_of(r, n), NULL);
        k->expr = e ? fix_refs(r, x, e, n) : unreadable(r, n, "sort key");
        sb_free(&t);
        return;
    }
    k->expr = col_expr(r, x, n);
}

/* A column argument that may be a plain string naming a column. */
static ir_expr *col_or_name(rd *r, ex_ctx *x, TSNode n)
{
    const char *s = py_string(r, n);
    if (s) {
        const char *dot = strrchr(s, '.');
        char qual[256] = "";
        if (dot)
            snprintf(qual, sizeof qual, "%.*s", (int)(dot - s), s);
        ir_expr *e = x->node ? resolve_ref(r, x->node, dot ? qual : NULL, dot ? dot + 1 : s) : NULL;
        return e ? e : unreadable(r, n, "unknown column");
    }
    return col_expr(r, x, n);
}

/* ---- DataFrame chains ---- */

static df_val df_expr(rd *r, TSNode n);

static df_val df_bad(void)
{
    df_val v = {0, NULL};
    return v;
}

/* The output name of a select item: its alias, the column it names, or its text. */
/* The column a Spark column name names: its last dotted part, backtick quotes removed
 * (`a`.`Lineage Key` is "Lineage Key"; a dot inside backticks is part of the name). */
static const char *col_last_name(rd *r, const char *c)
{
    size_t n = strlen(c);
    if (n >= 2 && c[n - 1] == '`') {
        const char *open = c + n - 2;
        while (open > c && !(open[0] == '`' && (open == c || open[-1] == '.')))
            open--;
        if (*open == '`')
            return arena_strndup(r->job->arena, open + 1, (size_t)(c + n - 1 - (open + 1)));
    }
    const char *dot = strrchr(c, '.');
    return dot ? dot + 1 : c;
}

static const char *item_name(rd *r, TSNode n)
{
    n = unparen(n);
    const char *s = py_string(r, n);
    if (s) {
        const char *dot = strrchr(s, '.');
        return dot ? dot + 1 : s;
    }
    if (is(n, "call")) {
        TSNode fn = field(n, "function");
        TSNode args = field(n, "arguments");
        if (is(fn, "attribute")) {
            const char *m = ntext(r, field(fn, "attribute"));
            if ((strcmp(m, "alias") == 0 || strcmp(m, "name") == 0) && n_args(args) >= 1) {
                const char *a = py_string(r, arg_at(args, 0));
                if (a)
                    return a;
            }
            const char *f = f_name(r, fn);
            if (f && (strcmp(f, "col") == 0 || strcmp(f, "column") == 0) && n_args(args) == 1) {
                const char *c = py_string(r, arg_at(args, 0));
                if (c)
                    return col_last_name(r, c);
            }
            if (strcmp(m, "cast") == 0 || strcmp(m, "astype") == 0 || strncmp(m, "over", 4) == 0)
                return item_name(r, field(fn, "object"));
        }
    }
    if (is(n, "subscript")) {
        const char *c = py_string(r, field(n, "subscript"));
        if (c)
            return c;
    }
    return ntext(r, n);
}

static ir_node *new_node(rd *r, ir_op op, const char *name, TSNode at)
{
    ir_node *n = ir_node_add(r->job, op, name);
    n->span = span_of(r, at);
    info(r, n->id)->open = false;
    return n;
}

/* A node passing every column of input through (filter, sort, dedup ...). */
static ir_node *pass_node(rd *r, ir_op op, df_val in, TSNode at)
{
    ir_node *src = ir_job_node(r->job, in.node);
    ir_node *n = new_node(r, op, NULL, at);
    ir_node_add_input(r->job, n, in.node);
    if (src) {
        for (int i = 0; i < src->n_cols; i++)
            ir_node_add_col(r->job, n, src->cols[i].name, src->cols[i].type, ir_ref(r->job, in.node, src->cols[i].name));
        info(r, n->id)->open = info(r, in.node)->open;
    }
    return n;
}

/* The window node of a select whose items use .over(spec). */
static void apply_window(rd *r, ir_node *n, df_val in, rd_win *w)
{
    ex_ctx x = {0};
    x.node = in.node;
    n->op = IR_OP_WINDOW;
    for (int i = 0; i < w->n_part; i++)
        ir_node_add_key(r->job, n, col_or_name(r, &x, w->part[i]));
    for (int i = 0; i < w->n_order; i++) {
        ir_sort_key k;
        sort_key(r, &x, w->order[i], &k, true);
        ir_node_add_order(r->job, n, k.expr, k.desc);
        n->order[n->n_order - 1].nulls = k.nulls;
    }
    if (w->has_frame)
        n->frame = w->frame;
    if (w->bad)
        ir_node_add_prop(r->job, n, "unreadable", "window specification");
}

static bool win_same(rd *r, const rd_win *a, const rd_win *b)
{
    if (a->n_part != b->n_part || a->n_order != b->n_order)
        return false;
    for (int i = 0; i < a->n_part; i++)
        if (strcmp(ntext(r, a->part[i]), ntext(r, b->part[i])))
            return false;
    for (int i = 0; i < a->n_order; i++)
        if (strcmp(ntext(r, a->order[i]), ntext(r, b->order[i])))
            return false;
    return true;
}

/* select(items): a project, or a window node when items use .over(). keep: pass the input's other
 * columns through first (withColumn). replace: the name of the column withColumn replaces. */
static void add_items(rd *r, ir_node *n, df_val in, TSNode *items, const char **names, int n_items, bool *windowed,
                      rd_win *first)
{
    for (int i = 0; i < n_items; i++) {
        TSNode it = unparen(items[i]);
        const char *s = py_string(r, it);
        ex_ctx x = {0};
        x.node = in.node;
        if (s && strcmp(s, "*") == 0) {
            ir_node *src = ir_job_node(r->job, in.node);
            for (int c = 0; src && c < src->n_cols; c++)
                if (!ir_node_col(n, src->cols[c].name))
                    ir_node_add_col(r->job, n, src->cols[c].name, src->cols[c].type,
                                    ir_ref(r->job, in.node, src->cols[c].name));
            continue;
        }
        ir_expr *e = s ? col_or_name(r, &x, it) : col_expr(r, &x, it);
        if (x.has_win) {
            rd_win w;
            memset(&w, 0, sizeof w);
            win_read(r, x.win, &w);
            if (!*windowed) {
                *first = w;
                *windowed = true;
            } else if (!win_same(r, first, &w)) {
                e = unreadable(r, it, "a second window specification in one select");
            } else if (w.has_frame) {
                if (first->has_frame && !ir_frame_equal(first->frame, w.frame))
                    e = unreadable(r, it, "a second window frame in one select");
                first->has_frame = true;
                first->frame = w.frame;
            }
        }
        const char *name = names && names[i] ? names[i] : item_name(r, it);
        ir_column *old = ir_node_col_ci(n, name);
        if (old) {
            old->expr = e;
            old->type = ir_type_make(IR_TY_UNKNOWN, 0, 0);
        } else {
            ir_node_add_col(r->job, n, name, ir_type_make(IR_TY_UNKNOWN, 0, 0), e);
        }
    }
}

static void collect_args(TSNode args, TSNode *out, int *n, int max)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
        TSNode a = ts_node_named_child(args, i);
        if (is(a, "comment") || is(a, "keyword_argument"))
            continue;
        if (is(unparen(a), "list") || is(unparen(a), "tuple")) {
            TSNode l = unparen(a);
            for (uint32_t j = 0; j < ts_node_named_child_count(l) && *n < max; j++)
                if (!is(ts_node_named_child(l, j), "comment"))
                    out[(*n)++] = ts_node_named_child(l, j);
        } else if (*n < max) {
            out[(*n)++] = a;
        }
    }
}

enum { MAX_ITEMS = 1024 };

/* A project (or window node) over in with the given items; keep: the input's other columns pass
 * through first (withColumn), else only the items (select). */
/* Whether an item calls a generator (explode, posexplode, inline: rows from one row's array). */
static bool makes_rows(rd *r, TSNode item)
{
    static const char *const gens[] = {"F.explode(", "F.explode_outer(", "F.posexplode(", "F.posexplode_outer(",
                                       "F.inline(", "F.inline_outer("};
    const char *t = ntext(r, item);
    for (size_t i = 0; t && i < sizeof gens / sizeof *gens; i++)
        if (strstr(t, gens[i]))
            return true;
    return false;
}

static df_val df_items(rd *r, df_val in, TSNode *items, const char **names, int n_items, bool keep, TSNode at)
{
    for (int i = 0; i < n_items; i++)
        if (makes_rows(r, items[i])) {
            /* a row per array element: no project reads that; a procedure node, as for a hole, so
             * that what depends on it is unverified rather than compared row for row */
            ir_node *p = new_node(r, IR_OP_PROCEDURE, NULL, at);
            p->hole_reason = "a generator (explode) makes several rows of one: not read back";
            p->legacy = ntext(r, at);
            info(r, p->id)->open = true;
            df_val out = {p->id, NULL};
            return out;
        }
    ir_node *n;
    if (keep) {
        n = pass_node(r, IR_OP_PROJECT, in, at);
    } else {
        n = new_node(r, IR_OP_PROJECT, NULL, at);
        ir_node_add_input(r->job, n, in.node);
    }
    bool windowed = false;
    rd_win w;
    memset(&w, 0, sizeof w);
    add_items(r, n, in, items, names, n_items, &windowed, &w);
    if (windowed)
        apply_window(r, n, in, &w);
    df_val out = {n->id, NULL};
    return out;
}

static df_val df_select(rd *r, df_val in, TSNode args, TSNode at)
{
    TSNode items[MAX_ITEMS];
    int n_items = 0;
    collect_args(args, items, &n_items, MAX_ITEMS);
    return df_items(r, in, items, NULL, n_items, false, at);
}

static df_val df_filter(rd *r, df_val in, TSNode args, TSNode at)
{
    ir_node *n = pass_node(r, IR_OP_FILTER, in, at);
    ex_ctx x = {0};
    x.node = in.node;
    TSNode a = arg_at(args, 0);
    const char *s = py_string(r, a);
    if (s) {
        ir_expr *e = sqlfe_lower_scalar(r->job, s, strlen(s), SQLFE_SPARK, NULL, span_of(r, a), NULL);
        n->predicate = e ? fix_refs(r, &x, e, a) : unreadable(r, a, "filter string");
    } else {
        n->predicate = col_expr(r, &x, a);
    }
    if (x.has_win)
        n->predicate = unreadable(r, a, "window call in a filter");
    df_val out = {n->id, NULL};
    return out;
}

static df_val df_join(rd *r, df_val left, TSNode args, TSNode at)
{
    TSNode other = arg_at(args, 0);
    df_val right = df_expr(r, other);
    if (!right.node)
        return df_bad();
    ir_node *n = new_node(r, IR_OP_JOIN, NULL, at);
    ir_node_add_input(r->job, n, left.node);
    ir_node_add_input(r->job, n, right.node);
    rd_info *in = info(r, n->id);
    in->side_alias[0] = left.alias ? left.alias : "__left";
    in->side_alias[1] = right.alias ? right.alias : "__right";
    in->open = true;
    TSNode how = kwarg(r, args, "how");
    if (ts_node_is_null(how))
        how = arg_at(args, 2);
    const char *h = ts_node_is_null(how) ? "inner" : py_string(r, how);
    if (!h)
        h = "?";
    if (str_ieq(h, "inner"))
        n->join = IR_JOIN_INNER;
    else if (str_ieq(h, "left") || str_ieq(h, "left_outer") || str_ieq(h, "leftouter"))
        n->join = IR_JOIN_LEFT;
    else if (str_ieq(h, "right") || str_ieq(h, "right_outer") || str_ieq(h, "rightouter"))
        n->join = IR_JOIN_RIGHT;
    else if (str_ieq(h, "full") || str_ieq(h, "outer") || str_ieq(h, "full_outer") || str_ieq(h, "fullouter"))
        n->join = IR_JOIN_FULL;
    else if (str_ieq(h, "cross"))
        n->join = IR_JOIN_CROSS;
    else
        ir_node_add_prop(r->job, n, "unreadable", arena_printf(r->job->arena, "join type %s", h));
    TSNode on = kwarg(r, args, "on");
    if (ts_node_is_null(on))
        on = arg_at(args, 1);
    ex_ctx x = {0};
    x.node = n->id;
    if (ts_node_is_null(on)) {
        if (n->join != IR_JOIN_CROSS)
            n->join = IR_JOIN_CROSS;
    } else {
        TSNode u = unparen(on);
        const char *one = py_string(r, u);
        if (one || is(u, "list") || is(u, "tuple")) {
            /* using columns: equality of each name on both sides; one output column each */
            TSNode names[64];
            int nn = 0;
            if (one)
                names[nn++] = u;
            else
                for (uint32_t i = 0; i < ts_node_named_child_count(u) && nn < 64; i++)
                    names[nn++] = ts_node_named_child(u, i);
            ir_expr *cond = NULL;
            for (int i = 0; i < nn; i++) {
                const char *c = py_string(r, names[i]);
                if (!c) {
                    cond = unreadable(r, names[i], "join column");
                    break;
                }
                ir_expr *a = resolve_ref(r, n->id, in->side_alias[0], c);
                ir_expr *b = resolve_ref(r, n->id, in->side_alias[1], c);
                if (!a || !b) {
                    cond = unreadable(r, names[i], "unknown join column");
                    break;
                }
                ir_expr *eq = ir_call2(r->job, IR_FN_EQ, a, b);
                cond = cond ? ir_call2(r->job, IR_FN_AND, cond, eq) : eq;
                /* the output column: the left one (right/full joins: either side) */
                ir_column *lc = ir_node_col(n, a->u.ref.col);
                if (lc && n->join == IR_JOIN_FULL)
                    lc->expr = ir_call2(r->job, IR_FN_COALESCE, lc->expr, ir_ref(r->job, n->inputs[1], c));
                else if (lc && n->join == IR_JOIN_RIGHT)
                    lc->expr = ir_ref(r->job, n->inputs[1], c);
            }
            n->predicate = cond;
        } else {
            n->predicate = col_expr(r, &x, on);
        }
    }
    df_val out = {n->id, NULL};
    return out;
}

static df_val df_group_agg(rd *r, df_val in, TSNode group_args, TSNode agg_call, TSNode at)
{
    TSNode keys[256];
    int nk = 0;
    if (!ts_node_is_null(group_args))
        collect_args(group_args, keys, &nk, 256);
    ir_node *n = new_node(r, IR_OP_AGGREGATE, NULL, at);
    n->empty_row = nk == 0; /* df.agg(...): one row even for an empty DataFrame */
    ir_node_add_input(r->job, n, in.node);
    ex_ctx x = {0};
    x.node = in.node;
    for (int i = 0; i < nk; i++) {
        ir_expr *k = col_or_name(r, &x, keys[i]);
        ir_node_add_key(r->job, n, k);
        ir_node_add_col(r->job, n, item_name(r, keys[i]), ir_type_make(IR_TY_UNKNOWN, 0, 0), k);
    }
    TSNode fn = field(agg_call, "function");
    const char *m = ntext(r, field(fn, "attribute"));
    TSNode args = field(agg_call, "arguments");
    if (strcmp(m, "agg") == 0) {
        TSNode items[MAX_ITEMS];
        int ni = 0;
        collect_args(args, items, &ni, MAX_ITEMS);
        for (int i = 0; i < ni; i++)
            ir_node_add_col(r->job, n, item_name(r, items[i]), ir_type_make(IR_TY_UNKNOWN, 0, 0),
                            col_expr(r, &x, items[i]));
    } else if (strcmp(m, "count") == 0) {
        ir_node_add_col(r->job, n, "count", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call(r->job, IR_FN_COUNT_STAR, 0, 0, NULL));
    } else {
        int fnid = ir_fn_by_name(strcmp(m, "mean") == 0 ? "avg" : m);
        TSNode items[MAX_ITEMS];
        int ni = 0;
        collect_args(args, items, &ni, MAX_ITEMS);
        for (int i = 0; i < ni; i++) {
            ir_expr *a = col_or_name(r, &x, items[i]);
            ir_node_add_col(r->job, n, arena_printf(r->job->arena, "%s(%s)", m, item_name(r, items[i])),
                            ir_type_make(IR_TY_UNKNOWN, 0, 0),
                            fnid >= 0 ? ir_call1(r->job, (ir_fn)fnid, a) : unreadable(r, agg_call, "aggregate"));
        }
    }
    df_val out = {n->id, NULL};
    return out;
}

static df_val df_order(rd *r, df_val in, TSNode args, TSNode at)
{
    ir_node *n = pass_node(r, IR_OP_SORT, in, at);
    TSNode keys[256];
    int nk = 0;
    collect_args(args, keys, &nk, 256);
    TSNode asc = kwarg(r, args, "ascending");
    bool ascending = ts_node_is_null(asc) || !is(unparen(asc), "false");
    ex_ctx x = {0};
    x.node = in.node;
    for (int i = 0; i < nk; i++) {
        ir_sort_key k;
        sort_key(r, &x, keys[i], &k, ascending);
        ir_node_add_order(r->job, n, k.expr, k.desc);
        n->order[n->n_order - 1].nulls = k.nulls;
    }
    df_val out = {n->id, in.alias};
    return out;
}

static df_val df_union(rd *r, df_val left, TSNode args, bool by_name, TSNode at)
{
    df_val right = df_expr(r, arg_at(args, 0));
    if (!right.node)
        return df_bad();
    ir_node *ln = ir_job_node(r->job, left.node), *rn = ir_job_node(r->job, right.node);
    int rid = right.node;
    if (by_name && ln && rn) {
        /* a project putting the right side's columns in the left side's order */
        ir_node *p = new_node(r, IR_OP_PROJECT, NULL, at);
        ir_node_add_input(r->job, p, right.node);
        for (int i = 0; i < ln->n_cols; i++) {
            const char *c = resolve_col(r, right.node, NULL, ln->cols[i].name);
            ir_node_add_col(r->job, p, ln->cols[i].name, ir_type_make(IR_TY_UNKNOWN, 0, 0),
                            c ? ir_ref(r->job, right.node, c) : ir_lit_null(r->job));
        }
        rid = p->id;
    }
    ir_node *n = new_node(r, IR_OP_UNION, NULL, at);
    ir_node_add_input(r->job, n, left.node);
    ir_node_add_input(r->job, n, rid);
    for (int i = 0; ln && i < ln->n_cols; i++)
        ir_node_add_col(r->job, n, ln->cols[i].name, ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL);
    df_val out = {n->id, NULL};
    return out;
}

static df_val df_source(rd *r, const char *dataset, const char *kind, TSNode at)
{
    ir_node *n = new_node(r, IR_OP_SOURCE, dataset, at);
    n->dataset = ir_intern(r->job, dataset);
    info(r, n->id)->open = true;
    const ir_dataset *ds = NULL;
    if (r->schema)
        for (int i = 0; i < r->schema->n_datasets; i++)
            if (str_ieq(r->schema->datasets[i].name, dataset))
                ds = &r->schema->datasets[i];
    if (!ir_job_dataset(r->job, n->dataset)) {
        ir_dataset *d = ir_job_add_dataset(r->job, n->dataset);
        d->kind = kind;
    }
    if (ds)
        for (int i = 0; i < ds->n_cols; i++)
            ir_node_add_col(r->job, n, ds->cols[i].name, ds->cols[i].type, NULL);
    df_val out = {n->id, NULL};
    return out;
}

static const sqlfe_column *schema_columns(void *userdata, const char *table, int *n)
{
    rd *r = userdata;
    if (!r->schema)
        return NULL;
    for (int i = 0; i < r->schema->n_datasets; i++) {
        const ir_dataset *ds = &r->schema->datasets[i];
        if (!str_ieq(ds->name, table))
            continue;
        sqlfe_column *cols = arena_alloc(r->job->arena, sizeof *cols * (size_t)(ds->n_cols ? ds->n_cols : 1));
        for (int c = 0; c < ds->n_cols; c++) {
            cols[c].name = ds->cols[c].name;
            cols[c].type = ds->cols[c].type;
        }
        *n = ds->n_cols;
        return cols;
    }
    return NULL;
}

static df_val df_sql(rd *r, const char *sql, TSNode at)
{
    sqlfe_source_info si = {schema_columns, r, NULL};
    int out_node = 0;
    diag_ctx dc;
    diag_init(&dc, quiet_sink, NULL);
    int rc = sqlfe_lower_select_flags(r->job, sql, strlen(sql), SQLFE_SPARK, &si, SQLFE_PARTIAL_DEFINITIONS,
                                      span_of(r, at), &dc, &out_node);
    if (rc < 0 || !out_node) {
        ir_node *n = new_node(r, IR_OP_PROCEDURE, "spark.sql", at);
        n->sql = ir_intern(r->job, sql);
        n->hole_reason = READBACK_UNREADABLE "spark.sql text the SQL frontend does not parse";
        df_val v = {n->id, NULL};
        return v;
    }
    df_val v = {out_node, NULL};
    return v;
}

/* A read of a dataset: spark.table("X"), spark.read.table("X"), spark.read.format(..).load("X"),
 * spark.read.csv/parquet/text/json("X"), spark.sql("..."). NULL when n is none. */
static bool df_read(rd *r, TSNode n, df_val *out)
{
    if (!is(n, "call"))
        return false;
    TSNode fn = field(n, "function"), args = field(n, "arguments");
    if (!is(fn, "attribute"))
        return false;
    const char *m = ntext(r, field(fn, "attribute"));
    const char *obj = ntext(r, field(fn, "object"));
    bool from_spark = strcmp(obj, "spark") == 0 || strncmp(obj, "spark.read", 10) == 0;
    if (!from_spark)
        return false;
    const char *s = py_string(r, arg_at(args, 0));
    bool sql = strcmp(obj, "spark") == 0 && strcmp(m, "sql") == 0;
    bool read = strcmp(m, "table") == 0 || strcmp(m, "load") == 0 || strcmp(m, "csv") == 0 || strcmp(m, "parquet") == 0 ||
                strcmp(m, "text") == 0 || strcmp(m, "json") == 0 || strcmp(m, "orc") == 0;
    if (!sql && !read)
        return false;
    out->alias = NULL;
    if (!s) {
        ir_node *p = new_node(r, IR_OP_PROCEDURE, sql ? "spark.sql" : "read", n);
        p->hole_reason = sql ? READBACK_UNREADABLE "spark.sql of a computed string"
                             : READBACK_UNREADABLE "a read of a computed name";
        p->legacy = ntext(r, n);
        out->node = p->id;
        return true;
    }
    *out = sql ? df_sql(r, s, n) : df_source(r, s, strcmp(m, "table") == 0 ? "table" : "file", n);
    return true;
}

static df_val df_expr(rd *r, TSNode n)
{
    n = unparen(n);
    if (is(n, "identifier")) {
        rd_var *v = var_get(r, ntext(r, n));
        if (v && v->kind == V_DF) {
            df_val out = {v->node, v->alias};
            return out;
        }
        return df_bad();
    }
    df_val src;
    if (df_read(r, n, &src))
        return src;
    if (!is(n, "call"))
        return df_bad();
    TSNode fn = field(n, "function"), args = field(n, "arguments");
    if (!is(fn, "attribute"))
        return df_bad();
    const char *m = ntext(r, field(fn, "attribute"));
    TSNode objn = unparen(field(fn, "object"));
    /* groupBy(..).agg(..) */
    if (is(objn, "call") && is(field(objn, "function"), "attribute")) {
        const char *gm = ntext(r, field(field(objn, "function"), "attribute"));
        if (strcmp(gm, "groupBy") == 0 || strcmp(gm, "groupby") == 0) {
            df_val in = df_expr(r, field(field(objn, "function"), "object"));
            if (!in.node)
                return df_bad();
            return df_group_agg(r, in, field(objn, "arguments"), n, n);
        }
    }
    df_val in = df_expr(r, objn);
    if (!in.node)
        return df_bad();
    if (strcmp(m, "alias") == 0) {
        const char *a = py_string(r, arg_at(args, 0));
        in.alias = a ? ir_intern(r->job, a) : NULL;
        return in;
    }
    if (strcmp(m, "select") == 0)
        return df_select(r, in, args, n);
    if (strcmp(m, "selectExpr") == 0) {
        /* strings of SQL: as F.expr items */
        return df_select(r, in, args, n);
    }
    if (strcmp(m, "withColumn") == 0 && n_args(args) == 2) {
        TSNode item = arg_at(args, 1);
        const char *name = py_string(r, arg_at(args, 0));
        const char *names[1] = {name};
        return df_items(r, in, &item, names, 1, true, n);
    }
    if (strcmp(m, "withColumns") == 0 && n_args(args) == 1 && is(unparen(arg_at(args, 0)), "dictionary")) {
        TSNode d = unparen(arg_at(args, 0));
        TSNode items[MAX_ITEMS];
        const char *names[MAX_ITEMS];
        int k = 0;
        for (uint32_t i = 0; i < ts_node_named_child_count(d) && k < MAX_ITEMS; i++) {
            TSNode p = ts_node_named_child(d, i);
            if (!is(p, "pair"))
                continue;
            names[k] = py_string(r, field(p, "key"));
            items[k++] = field(p, "value");
        }
        return df_items(r, in, items, names, k, true, n);
    }
    if (strcmp(m, "withColumnRenamed") == 0 && n_args(args) == 2) {
        const char *from = py_string(r, arg_at(args, 0)), *to = py_string(r, arg_at(args, 1));
        ir_node *p = pass_node(r, IR_OP_PROJECT, in, n);
        ir_column *c = from ? ir_node_col_ci(p, from) : NULL;
        if (!c && from && resolve_col(r, in.node, NULL, from)) {
            const char *ic = resolve_col(r, in.node, NULL, from);
            c = ir_node_add_col(r->job, p, ic, ir_type_make(IR_TY_UNKNOWN, 0, 0), ir_ref(r->job, in.node, ic));
        }
        if (c && to)
            c->name = ir_intern(r->job, to);
        df_val out = {p->id, NULL};
        return out;
    }
    if (strcmp(m, "drop") == 0) {
        ir_node *p = pass_node(r, IR_OP_PROJECT, in, n);
        for (int i = 0; i < n_args(args); i++) {
            const char *c = py_string(r, arg_at(args, i));
            for (int j = 0; c && j < p->n_cols; j++)
                if (str_ieq(p->cols[j].name, c)) {
                    memmove(&p->cols[j], &p->cols[j + 1], sizeof p->cols[0] * (size_t)(p->n_cols - j - 1));
                    p->n_cols--;
                    j--;
                }
        }
        df_val out = {p->id, NULL};
        return out;
    }
    if (strcmp(m, "filter") == 0 || strcmp(m, "where") == 0)
        return df_filter(r, in, args, n);
    if (strcmp(m, "agg") == 0) {
        TSNode none = {{0}, NULL, NULL};
        return df_group_agg(r, in, none, n, n);
    }
    if (strcmp(m, "join") == 0)
        return df_join(r, in, args, n);
    if (strcmp(m, "crossJoin") == 0) {
        ir_node *j = ir_job_node(r->job, df_join(r, in, args, n).node);
        if (j)
            j->join = IR_JOIN_CROSS;
        df_val out = {j ? j->id : 0, NULL};
        return out;
    }
    if (strcmp(m, "union") == 0 || strcmp(m, "unionAll") == 0)
        return df_union(r, in, args, false, n);
    if (strcmp(m, "unionByName") == 0)
        return df_union(r, in, args, true, n);
    if (strcmp(m, "orderBy") == 0 || strcmp(m, "sort") == 0)
        return df_order(r, in, args, n);
    if (strcmp(m, "distinct") == 0 || (strcmp(m, "dropDuplicates") == 0 && n_args(args) == 0) ||
        (strcmp(m, "drop_duplicates") == 0 && n_args(args) == 0)) {
        ir_node *s = pass_node(r, IR_OP_SORT, in, n);
        s->distinct = true;
        df_val out = {s->id, NULL};
        return out;
    }
    if (strcmp(m, "dropDuplicates") == 0 || strcmp(m, "drop_duplicates") == 0) {
        ir_node *d = pass_node(r, IR_OP_DEDUP, in, n);
        TSNode keys[256];
        int nk = 0;
        collect_args(args, keys, &nk, 256);
        ex_ctx x = {0};
        x.node = in.node;
        for (int i = 0; i < nk; i++)
            ir_node_add_key(r->job, d, col_or_name(r, &x, keys[i]));
        df_val out = {d->id, NULL};
        return out;
    }
    if (strcmp(m, "limit") == 0) {
        ir_node *k = pass_node(r, IR_OP_RANK, in, n);
        const char *t = ntext(r, arg_at(args, 0));
        k->top_n = atoll(t);
        df_val out = {k->id, NULL};
        return out;
    }
    if (strcmp(m, "cache") == 0 || strcmp(m, "persist") == 0 || strcmp(m, "repartition") == 0 ||
        strcmp(m, "coalesce") == 0 || strcmp(m, "hint") == 0 || strcmp(m, "localCheckpoint") == 0 ||
        strcmp(m, "checkpoint") == 0)
        return in;
    return df_bad();
}

/* ---- statements ---- */

static void write_target(rd *r, df_val in, const char *table, ir_load_mode mode, TSNode at)
{
    ir_node *src = ir_job_node(r->job, in.node);
    ir_node *t = new_node(r, IR_OP_TARGET, table, at);
    t->dataset = ir_intern(r->job, table);
    t->load = mode;
    ir_node_add_input(r->job, t, in.node);
    for (int i = 0; src && i < src->n_cols; i++) {
        const char *dot = strrchr(src->cols[i].name, '.');
        ir_node_add_col(r->job, t, dot ? dot + 1 : src->cols[i].name, src->cols[i].type,
                        ir_ref(r->job, in.node, src->cols[i].name));
    }
}

/* df.write.mode("append").saveAsTable("T") / .insertInto("T") / .save("path") and friends. */
static bool stmt_write(rd *r, TSNode call)
{
    TSNode fn = field(call, "function");
    if (!is(fn, "attribute"))
        return false;
    const char *m = ntext(r, field(fn, "attribute"));
    if (strcmp(m, "saveAsTable") && strcmp(m, "insertInto") && strcmp(m, "save") && strcmp(m, "parquet") &&
        strcmp(m, "csv") && strcmp(m, "json"))
        return false;
    const char *table = py_string(r, arg_at(field(call, "arguments"), 0));
    ir_load_mode mode = strcmp(m, "insertInto") == 0 ? IR_LOAD_APPEND : IR_LOAD_TRUNCATE_INSERT;
    TSNode kwmode = kwarg(r, field(call, "arguments"), "mode");
    if (!ts_node_is_null(kwmode)) {
        const char *mm = py_string(r, kwmode);
        mode = mm && str_ieq(mm, "append") ? IR_LOAD_APPEND : IR_LOAD_OVERWRITE;
    }
    /* walk down to .write */
    TSNode cur = unparen(field(fn, "object"));
    while (is(cur, "call") || is(cur, "attribute")) {
        if (is(cur, "attribute") && strcmp(ntext(r, field(cur, "attribute")), "write") == 0)
            break;
        if (is(cur, "call")) {
            TSNode f2 = field(cur, "function");
            if (is(f2, "attribute") && strcmp(ntext(r, field(f2, "attribute")), "mode") == 0) {
                const char *mm = py_string(r, arg_at(field(cur, "arguments"), 0));
                mode = mm && str_ieq(mm, "append") ? IR_LOAD_APPEND : IR_LOAD_OVERWRITE;
            }
            cur = unparen(f2);
        } else {
            cur = unparen(field(cur, "object"));
        }
    }
    if (!is(cur, "attribute"))
        return false;
    df_val in = df_expr(r, field(cur, "object"));
    if (!in.node || !table)
        return false;
    write_target(r, in, table, mode, call);
    return true;
}

/* DeltaTable.forName(spark, "T").alias("t").merge(src.alias("s"), cond).whenMatchedUpdate(..)...execute() */
static bool stmt_merge(rd *r, TSNode call)
{
    TSNode chain[32];
    int k = 0;
    TSNode cur = call;
    while (is(cur, "call") && k < 32) {
        chain[k++] = cur;
        TSNode fn = field(cur, "function");
        if (!is(fn, "attribute"))
            break;
        cur = unparen(field(fn, "object"));
    }
    TSNode merge = {{0}, NULL, NULL}, forname = {{0}, NULL, NULL};
    const char *talias = NULL;
    TSNode insert_vals = {{0}, NULL, NULL}, update_set = {{0}, NULL, NULL};
    const char *clause_key[8], *clause_cond[8];
    int n_clauses = 0;
    for (int i = 0; i < k; i++) {
        TSNode fn = field(chain[i], "function");
        if (!is(fn, "attribute"))
            continue;
        const char *m = ntext(r, field(fn, "attribute"));
        TSNode args = field(chain[i], "arguments");
        if (strcmp(m, "merge") == 0)
            merge = chain[i];
        else if (strcmp(m, "forName") == 0)
            forname = chain[i];
        else if (strcmp(m, "alias") == 0 && ts_node_is_null(merge))
            talias = py_string(r, arg_at(args, 0));
        else if (strncmp(m, "whenNotMatchedInsert", 20) == 0) {
            insert_vals = kwarg(r, args, "values");
        } else if (strncmp(m, "whenMatchedUpdate", 17) == 0) {
            update_set = kwarg(r, args, "set");
        }
        if (strncmp(m, "whenNotMatchedInsert", 20) == 0 || strncmp(m, "whenMatchedUpdate", 17) == 0 ||
            strncmp(m, "whenMatchedDelete", 17) == 0) {
            TSNode c = kwarg(r, args, "condition");
            /* "": no condition; a condition that is no string is kept as its Python text */
            const char *cs = ts_node_is_null(c) ? "" : py_string(r, c) ? py_string(r, c) : ntext(r, c);
            if (cs && n_clauses < 8) {
                clause_key[n_clauses] = m[4] == 'N' ? "when not matched insert"
                                        : strncmp(m, "whenMatchedUpdate", 17) == 0 ? "when matched update"
                                                                                   : "when matched delete";
                clause_cond[n_clauses++] = cs;
            }
        }
    }
    if (ts_node_is_null(merge) || ts_node_is_null(forname))
        return false;
    (void)talias;
    const char *table = py_string(r, arg_at(field(forname, "arguments"), 1));
    TSNode margs = field(merge, "arguments");
    df_val src = df_expr(r, arg_at(margs, 0));
    if (!table || !src.node)
        return false;
    ir_node *t = new_node(r, IR_OP_TARGET, table, call);
    t->dataset = ir_intern(r->job, table);
    t->load = IR_LOAD_MERGE;
    ir_node_add_input(r->job, t, src.node);
    for (int i = n_clauses - 1; i >= 0; i--)
        ir_node_add_prop(r->job, t, clause_key[i], clause_cond[i]);
    /* the columns the update clause sets (differential execution applies the clauses) */
    TSNode us = unparen(update_set);
    if (is(us, "dictionary")) {
        strbuf names = STRBUF_INIT;
        for (uint32_t i = 0; i < ts_node_named_child_count(us); i++) {
            TSNode p = ts_node_named_child(us, i);
            const char *name = is(p, "pair") ? py_string(r, field(p, "key")) : NULL;
            if (name)
                sb_printf(&names, "%s%s", names.len ? "," : "", name);
        }
        ir_node_add_prop(r->job, t, "when matched update set", sb_cstr(&names));
        sb_free(&names);
    }
    /* merge keys: t.K = s.K conjuncts of the condition */
    const char *cond = py_string(r, arg_at(margs, 1));
    if (cond) {
        const char *p = cond;
        while (*p) {
            const char *eq = strchr(p, '=');
            if (!eq)
                break;
            const char *ls = eq;
            while (ls > p && (isalnum((unsigned char)ls[-1]) || ls[-1] == '_' || ls[-1] == '.' || ls[-1] == ' '))
                ls--;
            char lhs[256];
            snprintf(lhs, sizeof lhs, "%.*s", (int)(eq - ls), ls);
            char *dot = strrchr(lhs, '.');
            char *name = dot ? dot + 1 : lhs;
            while (*name == ' ')
                name++;
            size_t nl = strlen(name);
            while (nl && name[nl - 1] == ' ')
                name[--nl] = '\0';
            if (*name) {
                t->merge_keys = arena_grow(r->job->arena, t->merge_keys, (size_t)t->n_merge_keys,
                                           (size_t)t->n_merge_keys + 1, sizeof *t->merge_keys);
                t->merge_keys[t->n_merge_keys++] = ir_intern(r->job, name);
            }
            const char *next = strstr(eq, " AND ");
            if (!next)
                next = strstr(eq, " and ");
            if (!next)
                break;
            p = next + 5;
        }
    }
    /* columns: the insert values (else the update set), each a Spark SQL expression over s */
    TSNode d = ts_node_is_null(insert_vals) ? update_set : insert_vals;
    d = unparen(d);
    ex_ctx x = {0};
    x.node = src.node;
    if (is(d, "dictionary")) {
        for (uint32_t i = 0; i < ts_node_named_child_count(d); i++) {
            TSNode p = ts_node_named_child(d, i);
            if (!is(p, "pair"))
                continue;
            const char *name = py_string(r, field(p, "key"));
            const char *val = py_string(r, field(p, "value"));
            ir_expr *e;
            if (val) {
                ir_expr *le = sqlfe_lower_scalar(r->job, val, strlen(val), SQLFE_SPARK, NULL, span_of(r, p), NULL);
                /* the source alias qualifies the names: drop it */
                e = le ? fix_refs(r, &x, le, p) : unreadable(r, p, "merge value");
            } else {
                e = col_expr(r, &x, field(p, "value"));
            }
            if (name)
                ir_node_add_col(r->job, t, name, ir_type_make(IR_TY_UNKNOWN, 0, 0), e);
        }
    }
    return true;
}

static void read_stmt(rd *r, TSNode st);

static void read_block(rd *r, TSNode block)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(block); i++)
        read_stmt(r, ts_node_named_child(block, i));
}

static void read_assign(rd *r, TSNode as)
{
    TSNode lhs = field(as, "left"), rhs = unparen(field(as, "right"));
    if (!is(lhs, "identifier") || ts_node_is_null(rhs))
        return;
    const char *name = ntext(r, lhs);
    /* p_x = params.get("X", default) / _etlport_param(params.get(..), ..) / params["X"] */
    const char *rt = ntext(r, rhs);
    const char *pg = strstr(rt, "params.get(");
    const char *ps = strstr(rt, "params[");
    if (pg || ps) {
        const char *q = pg ? pg + 11 : ps + 7;
        while (*q == ' ')
            q++;
        if (*q == '"' || *q == '\'') {
            char quote = *q++;
            const char *e = strchr(q, quote);
            if (e) {
                const char *pname = arena_strndup(r->job->arena, q, (size_t)(e - q));
                rd_var *v = var_set(r, name, V_EXPR);
                v->expr = ir_param_ref(r->job, pname);
                /* the default: params.get("X", <literal>) */
                ir_param *p = ir_job_param(r->job, pname);
                if (!p)
                    p = ir_job_add_param(r->job, pname);
                const char *rest = e + 1;
                while (*rest == ' ')
                    rest++;
                if (pg && *rest == ',') {
                    rest++;
                    while (*rest == ' ')
                        rest++;
                    if (*rest == '"' || *rest == '\'') {
                        char dq = *rest++;
                        const char *de = strchr(rest, dq);
                        if (de)
                            p->default_value = arena_strndup(r->job->arena, rest, (size_t)(de - rest));
                    } else {
                        const char *de = rest;
                        while (*de && *de != ')' && *de != ',')
                            de++;
                        p->default_value = arena_strndup(r->job->arena, rest, (size_t)(de - rest));
                    }
                }
                return;
            }
        }
    }
    if (strstr(rt, "datetime.now()") || strstr(rt, "datetime.utcnow()")) {
        rd_var *v = var_set(r, name, V_EXPR);
        v->expr = ir_call(r->job, IR_FN_SESSION_START, 0, 0, NULL);
        return;
    }
    if (strncmp(rt, "Window.", 7) == 0) {
        rd_var *v = var_set(r, name, V_WIN);
        v->win = arena_alloc(r->job->arena, sizeof *v->win);
        memset(v->win, 0, sizeof *v->win);
        win_read(r, rhs, v->win);
        return;
    }
    if (is(rhs, "call") && strcmp(ntext(r, field(rhs, "function")), "_etlport_hole") == 0) {
        /* a node the backend could not translate: a procedure node, as in the legacy IR */
        ir_node *p = new_node(r, IR_OP_PROCEDURE, name, rhs);
        p->hole_reason = "a hole in the generated code (_etlport_hole)";
        p->legacy = ntext(r, rhs);
        info(r, p->id)->open = true;
        rd_var *v = var_set(r, name, V_DF);
        v->node = p->id;
        return;
    }
    df_val d = df_expr(r, rhs);
    if (d.node) {
        rd_var *v = var_set(r, name, V_DF);
        v->node = d.node;
        v->alias = d.alias;
        return;
    }
    /* a literal constant */
    strbuf sb = STRBUF_INIT;
    if (py_literal(r, rhs, &sb) == 0) {
        ir_expr *e = sqlfe_lower_scalar(r->job, sb.data, sb.len, SQLFE_SPARK, NULL, span_of(r, rhs), NULL);
        if (e) {
            rd_var *v = var_set(r, name, V_EXPR);
            v->expr = e;
        }
    }
    sb_free(&sb);
}

static void read_stmt(rd *r, TSNode st)
{
    if (is(st, "expression_statement")) {
        for (uint32_t i = 0; i < ts_node_named_child_count(st); i++) {
            TSNode e = unparen(ts_node_named_child(st, i));
            if (is(e, "assignment"))
                read_assign(r, e);
            else if (is(e, "call") && !stmt_write(r, e))
                stmt_merge(r, e);
        }
    } else if (is(st, "with_statement") || is(st, "try_statement")) {
        TSNode b = field(st, "body");
        if (!ts_node_is_null(b))
            read_block(r, b);
    }
}

static TSNode find_run(rd *r, TSNode root)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode c = ts_node_named_child(root, i);
        if (is(c, "decorated_definition"))
            c = field(c, "definition");
        if (is(c, "function_definition") && strcmp(ntext(r, field(c, "name")), "run") == 0)
            return field(c, "body");
    }
    TSNode none = {{0}, NULL, NULL};
    return none;
}

static TSTree *parse_python(const char *text, size_t len)
{
    TSParser *p = ts_parser_new();
    TSTree *t = NULL;
    if (ts_parser_set_language(p, tree_sitter_python()))
        t = ts_parser_parse_string(p, NULL, text, (uint32_t)len);
    ts_parser_delete(p);
    return t;
}

int readback_spark(ir_job **out, const char *text, size_t len, const char *path, const ir_job *schema, diag_ctx *dc)
{
    *out = NULL;
    if (len > UINT32_MAX)
        return -1;
    TSTree *tree = parse_python(text ? text : "", len);
    if (!tree) {
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "the Python parser gave up");
        return -1;
    }
    rd r;
    memset(&r, 0, sizeof r);
    r.job = ir_job_new(schema && schema->name ? schema->name : "spark");
    r.job->format = "pyspark";
    r.job->file = ir_intern(r.job, path ? path : "");
    r.text = text;
    r.len = len;
    r.path = path;
    r.schema = schema;
    if (schema)
        for (int i = 0; i < schema->n_params; i++) {
            ir_param *p = ir_job_add_param(r.job, schema->params[i].name);
            p->type = schema->params[i].type;
        }
    TSNode root = ts_tree_root_node(tree);
    TSNode body = find_run(&r, root);
    read_block(&r, ts_node_is_null(body) ? root : body);
    ts_tree_delete(tree);
    *out = r.job;
    return 0;
}

ir_expr *readback_spark_expr(ir_job *job, const char *text, size_t len, const ir_job *schema,
                             readback_resolve_fn resolve, void *userdata)
{
    strbuf src = STRBUF_INIT;
    sb_puts(&src, "_x = (");
    sb_putn(&src, text, len);
    sb_puts(&src, "\n)\n");
    TSTree *tree = parse_python(src.data, src.len);
    rd r;
    memset(&r, 0, sizeof r);
    r.job = job;
    r.text = src.data;
    r.len = src.len;
    r.path = "";
    r.schema = schema;
    r.resolve = resolve;
    r.resolve_ud = userdata;
    ir_expr *out = NULL;
    TSNode none = {{0}, NULL, NULL};
    if (tree) {
        TSNode root = ts_tree_root_node(tree);
        TSNode st = ts_node_named_child(root, 0);
        TSNode as = ts_node_named_child(st, 0);
        if (!ts_node_has_error(root) && is(as, "assignment")) {
            ex_ctx x = {0};
            out = col_expr(&r, &x, field(as, "right"));
        }
        ts_tree_delete(tree);
    }
    if (!out)
        out = unreadable(&r, none, "not a Python expression");
    sb_free(&src);
    return out;
}
