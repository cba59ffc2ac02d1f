/*
 * spark_backend.c — the PySpark backend: one module per job with run(spark, params), one block per
 * IR node in topological order, each assigning a DataFrame named after the legacy transformation,
 * and a __main__ entry point. Expressions come from spark_expr.c.
 *
 * Output is deterministic (IR order only, no timestamps). Holes (IR holes, procedure nodes, SQL
 * overrides) and unsupported calls become calls to a module-level _etlport_hole(), which raises
 * NotImplementedError when the plan is built, so the module always compiles and never runs a
 * half-translated job silently. docs/spark-backend.md describes the mapping of each node kind.
 * Procedural units (stored procedures, scripts) are driver modules of their own: spark_proc.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/spark/spark_internal.h"
#include "backends/spark/sparksql.h"

/* ---- emitter state ---- */

typedef struct hole_rec {
    char *kind, *loc, *node, *what;
} hole_rec;

typedef struct emitter {
    const ir_job *job;
    strbuf body;           /* the statements of run() */
    char **vars;           /* DataFrame variable per node, by index in job->nodes */
    char **used;           /* names taken in run() */
    int n_used, cap_used;
    hole_rec *holes;
    int n_holes, cap_holes;
    int unsupported, order_dependent;
    unsigned needs;        /* SPARK_NEED_* */
    bool need_delta;
    const ir_node *cur;    /* node being written, for the hole list */
} emitter;

static char *xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *p = malloc(n + 1);
    if (!p)
        abort();
    memcpy(p, s ? s : "", n + 1);
    return p;
}

static void add_hole(emitter *em, const char *kind, const char *loc, const char *what)
{
    if (em->n_holes == em->cap_holes) {
        em->cap_holes = em->cap_holes ? em->cap_holes * 2 : 8;
        em->holes = realloc(em->holes, (size_t)em->cap_holes * sizeof *em->holes);
        if (!em->holes)
            abort();
    }
    hole_rec *h = &em->holes[em->n_holes++];
    h->kind = xstrdup(kind);
    h->loc = xstrdup(loc);
    h->node = xstrdup(em->cur && em->cur->name ? em->cur->name : "");
    /* the first line of the text, shortened: the full text is at the hole itself */
    strbuf w = STRBUF_INIT;
    for (const char *p = what ? what : ""; *p && *p != '\n' && w.len < 100; p++)
        if (*p != '\r')
            sb_putc(&w, *p);
    if (what && strlen(what) > w.len)
        sb_puts(&w, " ...");
    h->what = sb_take(&w);
}

static void on_hole(void *ud, const char *kind, const char *location, const char *text, const char *reason)
{
    emitter *em = ud;
    add_hole(em, kind, location, reason && *reason ? reason : text);
}

static bool name_used(const emitter *em, const char *s)
{
    for (int i = 0; i < em->n_used; i++)
        if (!strcmp(em->used[i], s))
            return true;
    return false;
}

static void use_name(emitter *em, const char *s)
{
    if (em->n_used == em->cap_used) {
        em->cap_used = em->cap_used ? em->cap_used * 2 : 32;
        em->used = realloc(em->used, (size_t)em->cap_used * sizeof *em->used);
        if (!em->used)
            abort();
    }
    em->used[em->n_used++] = xstrdup(s);
}

static bool py_keyword(const char *s)
{
    static const char *const kw[] = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield", "match", "case", "type",
    };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (!strcmp(kw[i], s))
            return true;
    return false;
}

/* A unique Python variable for node n: snake_case of its legacy name. */
static char *node_var(emitter *em, const ir_node *n)
{
    strbuf b = STRBUF_INIT;
    spark_snake(&b, n->name);
    if (!b.len)
        sb_printf(&b, "node_%d", n->id);
    if (isdigit((unsigned char)b.data[0])) {
        strbuf t = STRBUF_INIT;
        sb_puts(&t, "n_");
        sb_puts(&t, b.data);
        sb_free(&b);
        b = t;
    }
    if (py_keyword(b.data) || name_used(em, b.data))
        sb_puts(&b, "_df");
    char *base = sb_take(&b);
    char *name = xstrdup(base);
    for (int k = 2; name_used(em, name); k++) {
        strbuf t = STRBUF_INIT;
        sb_printf(&t, "%s_%d", base, k);
        free(name);
        name = sb_take(&t);
    }
    free(base);
    use_name(em, name);
    return name;
}

static int node_index(const ir_job *job, int id)
{
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->id == id)
            return i;
    return -1;
}

static const char *var_of(const emitter *em, int id)
{
    int i = node_index(em->job, id);
    return i >= 0 ? em->vars[i] : "None";
}

static const ir_node *input_node(const emitter *em, const ir_node *n, int k)
{
    return k < n->n_inputs ? ir_job_node(em->job, n->inputs[k]) : NULL;
}

/* ---- text helpers ---- */

/* Each line of text as a comment at indent 4, the first prefixed. */
static void comment_lines(strbuf *sb, const char *prefix, const char *text)
{
    const char *p = text ? text : "";
    bool first = true;
    do {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        sb_puts(sb, "    #");
        if (first && prefix) {
            sb_putc(sb, ' ');
            sb_puts(sb, prefix);
        } else if (!first && prefix) {
            sb_puts(sb, "  ");
        }
        if (n)
            sb_putc(sb, ' ');
        for (size_t i = 0; i < n; i++)
            if (p[i] != '\r')
                sb_putc(sb, p[i]);
        sb_putc(sb, '\n');
        first = false;
        p = e ? e + 1 : NULL;
    } while (p && *p);
}

/* Whitespace runs (newlines included) collapsed to one blank, for one-line comments. */
static char *one_line(const char *s)
{
    strbuf b = STRBUF_INIT;
    bool blank = false;
    for (const char *p = s ? s : ""; *p; p++) {
        if (isspace((unsigned char)*p)) {
            blank = b.len > 0;
            continue;
        }
        if (blank)
            sb_putc(&b, ' ');
        blank = false;
        sb_putc(&b, *p);
    }
    return sb_take(&b);
}

/* Docstring-safe text: backslashes and quotes escaped, one line. */
static void doc_text(strbuf *sb, const char *s)
{
    char *t = one_line(s);
    for (const char *p = t; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '\\' || ch == '"')
            sb_putc(sb, '\\');
        if (ch >= 0x20 && ch != 0x7f)
            sb_putc(sb, (char)ch);
    }
    free(t);
}

static void loc_of(strbuf *sb, const emitter *em, ir_span sp)
{
    spark_location(sb, em->job, sp);
}

/* ---- chains: `var = base.step(...).step(...)`, laid out on one line or one step per line ---- */

typedef struct chain_arg {
    char *comment; /* a comment line above the argument (multi-line layout only), or NULL */
    char *text;
} chain_arg;

typedef struct chain_step {
    char *method;
    chain_arg *args;
    int n_args, cap_args;
    bool multiline; /* one argument per line */
} chain_step;

typedef struct chain {
    char *base;
    chain_step steps[16];
    int n;
} chain;

static void chain_init(chain *ch, const char *base)
{
    memset(ch, 0, sizeof *ch);
    ch->base = xstrdup(base);
}

static chain_step *chain_add(chain *ch, const char *method)
{
    if (ch->n == (int)(sizeof ch->steps / sizeof ch->steps[0]))
        abort(); /* programming error: no node needs this many steps */
    chain_step *s = &ch->steps[ch->n++];
    memset(s, 0, sizeof *s);
    s->method = xstrdup(method);
    return s;
}

/* Takes ownership of text (malloc'd) and comment. */
static void step_arg(chain_step *s, char *text, char *comment)
{
    if (s->n_args == s->cap_args) {
        s->cap_args = s->cap_args ? s->cap_args * 2 : 8;
        s->args = realloc(s->args, (size_t)s->cap_args * sizeof *s->args);
        if (!s->args)
            abort();
    }
    s->args[s->n_args].text = text;
    s->args[s->n_args].comment = comment;
    s->n_args++;
    if (comment)
        s->multiline = true;
}

static void step_arg_str(chain_step *s, const char *text)
{
    step_arg(s, xstrdup(text), NULL);
}

static void put_step_inline(strbuf *sb, const chain_step *s)
{
    sb_printf(sb, ".%s(", s->method);
    for (int i = 0; i < s->n_args; i++) {
        if (i)
            sb_puts(sb, ", ");
        sb_puts(sb, s->args[i].text);
    }
    sb_putc(sb, ')');
}

static void put_step_lines(strbuf *sb, const chain_step *s, int indent)
{
    sb_printf(sb, ".%s(\n", s->method);
    for (int i = 0; i < s->n_args; i++) {
        if (s->args[i].comment) {
            sb_indent(sb, indent + 4);
            sb_puts(sb, "# ");
            sb_puts(sb, s->args[i].comment);
            sb_putc(sb, '\n');
        }
        sb_indent(sb, indent + 4);
        sb_puts(sb, s->args[i].text);
        sb_puts(sb, ",\n");
    }
    sb_indent(sb, indent);
    sb_putc(sb, ')');
}

static void chain_emit(strbuf *sb, const char *var, chain *ch)
{
    /* long argument lists read better one per line: column lists early, other calls when long */
    size_t line = 4 + (var ? strlen(var) + 3 : 0) + strlen(ch->base);
    for (int i = 0; i < ch->n; i++) {
        size_t len = 0;
        for (int k = 0; k < ch->steps[i].n_args; k++)
            len += strlen(ch->steps[i].args[k].text) + 2;
        const char *m = ch->steps[i].method;
        size_t limit = !strcmp(m, "select") || !strcmp(m, "agg") || !strcmp(m, "groupBy") ? 60 : 100;
        if (ch->steps[i].n_args > 1 && len > limit)
            ch->steps[i].multiline = true;
        line += strlen(m) + 3 + len;
    }
    sb_puts(sb, "    ");
    if (var)
        sb_printf(sb, "%s = ", var);
    if (ch->n == 0 || (ch->n == 1 && (ch->steps[0].multiline || line <= 100))) {
        sb_puts(sb, ch->base);
        if (ch->n == 1) {
            if (ch->steps[0].multiline)
                put_step_lines(sb, &ch->steps[0], 4);
            else
                put_step_inline(sb, &ch->steps[0]);
        }
        sb_putc(sb, '\n');
    } else {
        sb_puts(sb, "(\n        ");
        sb_puts(sb, ch->base);
        sb_putc(sb, '\n');
        for (int i = 0; i < ch->n; i++) {
            sb_indent(sb, 8);
            if (ch->steps[i].multiline)
                put_step_lines(sb, &ch->steps[i], 8);
            else
                put_step_inline(sb, &ch->steps[i]);
            sb_putc(sb, '\n');
        }
        sb_puts(sb, "    )\n");
    }
    free(ch->base);
    for (int i = 0; i < ch->n; i++) {
        for (int k = 0; k < ch->steps[i].n_args; k++) {
            free(ch->steps[i].args[k].text);
            free(ch->steps[i].args[k].comment);
        }
        free(ch->steps[i].args);
        free(ch->steps[i].method);
    }
    ch->n = 0;
}

/* ---- expressions in a node ---- */

static void ctx_for(emitter *em, spark_ctx *c, const ir_node *n)
{
    spark_ctx_init(c, em->job, n);
    c->on_hole = on_hole;
    c->hole_userdata = em;
}

static void ctx_done(emitter *em, spark_ctx *c)
{
    em->unsupported += c->unsupported;
    em->order_dependent += c->order_dependent;
    em->needs |= c->needs;
}

static char *expr_text(spark_ctx *c, const ir_expr *e, bool primary)
{
    strbuf b = STRBUF_INIT;
    if (primary)
        spark_expr_primary(c, &b, e);
    else
        spark_expr(c, &b, e);
    return sb_take(&b);
}

static char *col_ref_text(const char *qual, const char *name)
{
    strbuf b = STRBUF_INIT;
    sb_puts(&b, "F.col(");
    spark_col_name(&b, qual, name);
    sb_putc(&b, ')');
    return sb_take(&b);
}

/* `expr.alias("NAME")`, or just `F.col("NAME")` when the expression is that column already. */
static char *aliased(char *expr, const char *name, const char *qual_src_name)
{
    if (qual_src_name && !strcmp(qual_src_name, name))
        return expr;
    strbuf b = STRBUF_INIT;
    sb_puts(&b, expr);
    sb_puts(&b, ".alias(");
    sb_put_py_string(&b, name);
    sb_putc(&b, ')');
    free(expr);
    return sb_take(&b);
}

/* The input (0 or 1) that has a column of this name, for columns without an expression. */
static int input_with_col(const emitter *em, const ir_node *n, const char *name)
{
    for (int k = 0; k < n->n_inputs; k++) {
        const ir_node *in = input_node(em, n, k);
        if (in && ir_node_col(in, name))
            return k;
    }
    return -1;
}

static const char *qual_for(const spark_ctx *c, int node)
{
    for (int i = 0; i < c->n_quals; i++)
        if (c->quals[i].node == node)
            return c->quals[i].alias;
    return NULL;
}

/* The select argument for one output column, and its comment (legacy text, order notes). */
static void col_arg(emitter *em, spark_ctx *c, const ir_node *n, const ir_column *col, chain_step *st)
{
    (void)em;
    char *text;
    char *comment = NULL;
    const ir_expr *e = col->expr;
    c->span = col->span.file || col->span.line ? col->span : n->span;
    c->legacy = col->legacy;
    int od_before = c->order_dependent;
    if (!e) {
        int k = c->n_quals ? input_with_col(em, n, col->name) : -1;
        const char *q = k >= 0 ? qual_for(c, n->inputs[k]) : NULL;
        text = col_ref_text(q, col->name);
        if (q)
            text = aliased(text, col->name, col->name);
    } else if (e->kind == IR_EX_REF && !c->agg) {
        text = expr_text(c, e, true);
        text = aliased(text, col->name, e->u.ref.col);
    } else {
        text = expr_text(c, e, true);
        text = aliased(text, col->name, NULL);
        if (col->legacy && *col->legacy) {
            char *l = one_line(col->legacy);
            strbuf b = STRBUF_INIT;
            sb_printf(&b, "%s = %s", col->name, l);
            free(l);
            comment = sb_take(&b);
        }
    }
    if (c->order_dependent > od_before || (col->flags & IR_COL_ORDER_DEPENDENT)) {
        strbuf b = STRBUF_INIT;
        if (comment) {
            sb_puts(&b, comment);
            sb_puts(&b, "  ");
            free(comment);
        }
        sb_puts(&b, "ORDER-DEPENDENT: the legacy value depends on row order, which Spark does not keep");
        comment = sb_take(&b);
        if (c->order_dependent == od_before)
            c->order_dependent++;
    }
    if (col->flags & IR_COL_ROW_OP) {
        strbuf b = STRBUF_INIT;
        if (comment) {
            sb_puts(&b, comment);
            sb_puts(&b, "  ");
            free(comment);
        }
        sb_puts(&b, "row operation: 0 insert, 1 update, 2 delete, 3 reject");
        comment = sb_take(&b);
    }
    c->legacy = NULL;
    step_arg(st, text, comment);
}

/* Whether node n's columns are exactly its input's, in order (no select needed). */
static bool same_cols(const ir_node *n, const ir_node *in)
{
    if (!in || n->n_cols != in->n_cols)
        return false;
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *c = &n->cols[i];
        if (strcmp(c->name, in->cols[i].name) != 0)
            return false;
        if (c->expr && !(c->expr->kind == IR_EX_REF && c->expr->u.ref.node == in->id &&
                         !strcmp(c->expr->u.ref.col, c->name)))
            return false;
    }
    return true;
}

static void select_step(emitter *em, spark_ctx *c, const ir_node *n, chain *ch)
{
    chain_step *st = chain_add(ch, "select");
    for (int i = 0; i < n->n_cols; i++)
        col_arg(em, c, n, &n->cols[i], st);
}

/* Sort key text: expr.asc() / .desc() with the null placement when the IR fixes it. */
static char *sort_key_text(spark_ctx *c, const ir_sort_key *k, bool flip)
{
    bool desc = k->desc != flip;
    strbuf b = STRBUF_INIT;
    char *e = expr_text(c, k->expr, true);
    sb_puts(&b, e);
    free(e);
    int nulls = k->nulls;
    if (flip && nulls)
        nulls = nulls == 1 ? 2 : 1;
    sb_printf(&b, ".%s%s()", desc ? "desc" : "asc", nulls == 1 ? "_nulls_first" : nulls == 2 ? "_nulls_last" : "");
    return sb_take(&b);
}

/* ---- node headers ---- */

static void node_header(emitter *em, const ir_node *n)
{
    strbuf *sb = &em->body;
    strbuf loc = STRBUF_INIT;
    loc_of(&loc, em, n->span);
    sb_printf(sb, "\n    # %s (%s), %s\n", n->name ? n->name : "(unnamed)",
              n->legacy_type ? n->legacy_type : ir_op_name(n->op), sb_cstr(&loc));
    sb_free(&loc);
    if (n->legacy && *n->legacy && n->op != IR_OP_PROCEDURE)
        comment_lines(sb, "legacy:", n->legacy);
}

static void hole_stmt(emitter *em, const char *var, const char *kind, ir_span sp, const char *text,
                      const char *what)
{
    strbuf loc = STRBUF_INIT;
    loc_of(&loc, em, sp);
    sb_printf(&em->body, "    %s = _etlport_hole(", var);
    sb_put_py_string(&em->body, kind);
    sb_puts(&em->body, ", ");
    sb_put_py_string(&em->body, sb_cstr(&loc));
    sb_puts(&em->body, ", ");
    sb_put_py_string(&em->body, text ? text : "");
    sb_puts(&em->body, ")\n");
    add_hole(em, kind, sb_cstr(&loc), what);
    sb_free(&loc);
}

/* ---- node kinds ---- */

/* The reader's schema of a delimited file: each column's type, STRING for one the source computes
 * (a field no reader can give, a hole: its text is read and replaced, see emit_source). */
static void schema_ddl(strbuf *sb, const ir_node *n)
{
    for (int i = 0; i < n->n_cols; i++) {
        char buf[40];
        const char *t = n->cols[i].expr ? "string" : spark_type_name(n->cols[i].type, buf, sizeof buf);
        if (i)
            sb_puts(sb, ", ");
        sb_putc(sb, '`');
        sb_puts(sb, n->cols[i].name);
        sb_puts(sb, "` ");
        for (const char *p = t ? t : "string"; *p; p++)
            sb_putc(sb, (char)toupper((unsigned char)*p));
    }
}

/* The Java charset name Spark's readers accept for a legacy code page name. Informatica names
 * Windows code pages MS1250..MS1258, which Java knows only as windows-125x (or Cp125x). */
static const char *java_charset(const char *cp, char *buf, size_t size)
{
    if (!cp)
        return NULL;
    if ((cp[0] == 'M' || cp[0] == 'm') && (cp[1] == 'S' || cp[1] == 's') && !strncmp(cp + 2, "125", 3) &&
        isdigit((unsigned char)cp[5]) && !cp[6]) {
        snprintf(buf, size, "windows-%s", cp + 2);
        return buf;
    }
    if (!strcasecmp(cp, "Latin1") || !strcasecmp(cp, "ISO-8859-1") || !strcasecmp(cp, "ISO8859_1"))
        return "ISO-8859-1";
    if (!strcasecmp(cp, "UTF-8") || !strcasecmp(cp, "UTF8"))
        return "UTF-8";
    if (!strcasecmp(cp, "US-ASCII") || !strcasecmp(cp, "ASCII") || !strcasecmp(cp, "7-bit ASCII"))
        return "US-ASCII";
    return cp;
}

static void emit_source(emitter *em, const ir_node *n, const char *var)
{
    if (n->sql) {
        comment_lines(&em->body, "SQL override in the legacy dialect (not translated):", n->sql);
        hole_stmt(em, var, "sql", n->span, n->sql, "SQL override in the legacy dialect");
        return;
    }
    if (!n->dataset) {
        hole_stmt(em, var, "node", n->span, n->name, "source without a dataset name");
        return;
    }
    spark_ctx c;
    ctx_for(em, &c, n);
    const ir_dataset *ds = ir_job_dataset(em->job, n->dataset);
    chain ch;
    strbuf base = STRBUF_INIT;
    bool file = ds && ds->kind && !strcmp(ds->kind, "file");
    if (file && ds->fixed_width) {
        char cs[32];
        const char *enc = java_charset(ds->encoding, cs, sizeof cs);
        if (enc && strcmp(enc, "UTF-8") != 0 && strcmp(enc, "US-ASCII") != 0)
            sb_printf(&em->body, "    # the file's code page is %s: spark.read.text reads UTF-8, and offsets count characters,\n"
                                 "    # not bytes; convert the file to UTF-8 first\n", ds->encoding);
        sb_puts(&base, "spark.read.text(");
        sb_put_py_string(&base, n->dataset);
        sb_putc(&base, ')');
        chain_init(&ch, sb_cstr(&base));
        chain_step *st = chain_add(&ch, "select");
        for (int i = 0; i < n->n_cols; i++) {
            const ir_column *col = &n->cols[i];
            const ir_column *phys = col;
            for (int k = 0; k < ds->n_cols; k++)
                if (!strcmp(ds->cols[k].name, col->name))
                    phys = &ds->cols[k];
            char buf[40];
            const char *t = spark_type_name(col->type, buf, sizeof buf);
            strbuf a = STRBUF_INIT;
            if (col->expr) { /* a field the source computes, or a hole */
                char *x = expr_text(&c, col->expr, true);
                sb_puts(&a, x);
                free(x);
            } else {
                sb_printf(&a, "F.substring(F.col(\"value\"), %d, %d)", phys->phys_offset + 1, phys->phys_length);
            }
            if (t && strcmp(t, "string") != 0)
                sb_printf(&a, ".cast(\"%s\")", t);
            sb_puts(&a, ".alias(");
            sb_put_py_string(&a, col->name);
            sb_putc(&a, ')');
            step_arg(st, sb_take(&a), NULL);
        }
    } else if (file) {
        sb_puts(&base, "spark.read");
        chain_init(&ch, sb_cstr(&base));
        strbuf a = STRBUF_INIT;
        schema_ddl(&a, n);
        chain_step *st = chain_add(&ch, "schema");
        strbuf q = STRBUF_INIT;
        sb_put_py_string(&q, sb_cstr(&a));
        step_arg(st, sb_take(&q), NULL);
        sb_free(&a);
        char cs[32];
        struct { const char *k, *v; } opts[] = {
            {"sep", ds->delimiter}, {"quote", ds->quote}, {"encoding", java_charset(ds->encoding, cs, sizeof cs)},
            {"header", ds->skip_rows > 0 ? "true" : NULL},
        };
        for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
            if (!opts[i].v)
                continue;
            st = chain_add(&ch, "option");
            strbuf k = STRBUF_INIT, v = STRBUF_INIT;
            sb_put_py_string(&k, opts[i].k);
            sb_put_py_string(&v, opts[i].v);
            step_arg(st, sb_take(&k), NULL);
            step_arg(st, sb_take(&v), NULL);
        }
        if (ds->skip_rows > 1)
            sb_printf(&em->body, "    # the legacy reader skips %d header lines; Spark's header option skips one\n",
                      ds->skip_rows);
        st = chain_add(&ch, "csv");
        strbuf p = STRBUF_INIT;
        sb_put_py_string(&p, n->dataset);
        step_arg(st, sb_take(&p), NULL);
        bool computed = false;
        for (int i = 0; i < n->n_cols; i++)
            computed |= n->cols[i].expr != NULL;
        if (computed) /* the columns the source computes (holes included) replace what was read */
            select_step(em, &c, n, &ch);
    } else {
        sb_puts(&base, "spark.table(");
        sb_put_py_string(&base, n->dataset);
        sb_putc(&base, ')');
        chain_init(&ch, sb_cstr(&base));
        select_step(em, &c, n, &ch);
    }
    sb_free(&base);
    if (n->predicate) {
        c.span = n->span;
        chain_step *st = chain_add(&ch, "filter");
        step_arg(st, expr_text(&c, n->predicate, false), NULL);
    }
    if (n->distinct)
        chain_add(&ch, "dropDuplicates");
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

static void emit_project(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    chain ch;
    chain_init(&ch, var_of(em, n->inputs[0]));
    if (n->op == IR_OP_UPDATE)
        sb_puts(&em->body, "    # the row-operation column drives the target: 0 insert, 1 update, 2 delete, 3 reject\n");
    select_step(em, &c, n, &ch);
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

/* The DEFAULT group of a router: rows that no other group of the same router takes. */
static char *default_group_predicate(emitter *em, spark_ctx *c, const ir_node *n)
{
    strbuf b = STRBUF_INIT;
    int k = 0;
    for (int i = 0; i < em->job->n_nodes; i++) {
        const ir_node *s = em->job->nodes[i];
        if (s == n || s->op != IR_OP_FILTER || !s->group || !s->predicate || s->n_inputs < 1 ||
            s->inputs[0] != n->inputs[0] || !strcmp(s->group, "DEFAULT"))
            continue;
        char *p = expr_text(c, s->predicate, false);
        if (k++)
            sb_puts(&b, " & ");
        sb_printf(&b, "~F.coalesce(%s, F.lit(False))", p);
        free(p);
    }
    if (!k) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

static void emit_filter(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    const ir_node *in = input_node(em, n, 0);
    chain ch;
    chain_init(&ch, var_of(em, n->inputs[0]));
    char *pred = NULL;
    if (n->group) {
        const char *router = in && in->name ? in->name : "?";
        sb_printf(&em->body, "    # router group %s of %s\n", n->group, router);
    }
    if (n->predicate)
        pred = expr_text(&c, n->predicate, false);
    else if (n->group && !strcmp(n->group, "DEFAULT"))
        pred = default_group_predicate(em, &c, n);
    if (pred) {
        chain_step *st = chain_add(&ch, "filter");
        step_arg(st, pred, NULL);
    }
    if (!same_cols(n, in))
        select_step(em, &c, n, &ch);
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

static const char *join_how(ir_join_kind k)
{
    switch (k) {
    case IR_JOIN_INNER: return "inner";
    case IR_JOIN_LEFT: return "left";
    case IR_JOIN_RIGHT: return "right";
    case IR_JOIN_FULL: return "full";
    case IR_JOIN_CROSS: return "cross";
    }
    return "inner";
}

static void emit_join(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    if (n->n_inputs < 2) {
        hole_stmt(em, var, "node", n->span, n->name, "join with fewer than two inputs");
        return;
    }
    c.quals[0] = (spark_qual){n->inputs[0], "d"};
    c.quals[1] = (spark_qual){n->inputs[1], "m"};
    c.n_quals = 2;
    sb_puts(&em->body, "    # d: detail input, m: master input\n");
    strbuf base = STRBUF_INIT;
    sb_printf(&base, "%s.alias(\"d\")", var_of(em, n->inputs[0]));
    chain ch;
    chain_init(&ch, sb_cstr(&base));
    sb_free(&base);
    strbuf other = STRBUF_INIT;
    sb_printf(&other, "%s.alias(\"m\")", var_of(em, n->inputs[1]));
    if (n->join == IR_JOIN_CROSS || !n->predicate) {
        chain_step *st = chain_add(&ch, "crossJoin");
        step_arg(st, sb_take(&other), NULL);
        if (n->predicate) {
            st = chain_add(&ch, "filter");
            step_arg(st, expr_text(&c, n->predicate, false), NULL);
        }
    } else {
        chain_step *st = chain_add(&ch, "join");
        step_arg(st, sb_take(&other), NULL);
        c.span = n->span;
        step_arg(st, expr_text(&c, n->predicate, false), NULL);
        strbuf how = STRBUF_INIT;
        sb_printf(&how, "how=\"%s\"", join_how(n->join));
        step_arg(st, sb_take(&how), NULL);
    }
    select_step(em, &c, n, &ch);
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

/* Lookup-side key columns when the condition is a conjunction of input = lookup equalities. */
static bool equi_keys(const ir_expr *p, int in_id, int lk_id, const char **keys, int *n, int cap)
{
    if (!p || p->kind != IR_EX_CALL)
        return false;
    if (p->u.call.fn == IR_FN_AND) {
        for (int i = 0; i < p->u.call.n_args; i++)
            if (!equi_keys(p->u.call.args[i], in_id, lk_id, keys, n, cap))
                return false;
        return true;
    }
    if (p->u.call.fn != IR_FN_EQ || p->u.call.n_args != 2)
        return false;
    const ir_expr *a = p->u.call.args[0], *b = p->u.call.args[1];
    if (a->kind != IR_EX_REF || b->kind != IR_EX_REF)
        return false;
    const ir_expr *lk = a->u.ref.node == lk_id ? a : b->u.ref.node == lk_id ? b : NULL;
    const ir_expr *other = lk == a ? b : a;
    if (!lk || other->u.ref.node != in_id || in_id == lk_id)
        return false;
    for (int i = 0; i < *n; i++)
        if (!strcmp(keys[i], lk->u.ref.col))
            return true;
    if (*n == cap)
        return false;
    keys[(*n)++] = lk->u.ref.col;
    return true;
}

/* The lookup-side columns a condition reads, in order of appearance, each once. */
static void lookup_cond_cols(const ir_expr *e, int lk_id, const char **cols, int *n, int cap)
{
    if (!e)
        return;
    if (e->kind == IR_EX_REF) {
        if (e->u.ref.node != lk_id)
            return;
        for (int i = 0; i < *n; i++)
            if (!strcmp(cols[i], e->u.ref.col))
                return;
        if (*n < cap)
            cols[(*n)++] = e->u.ref.col;
    } else if (e->kind == IR_EX_CALL) {
        for (int i = 0; i < e->u.call.n_args; i++)
            lookup_cond_cols(e->u.call.args[i], lk_id, cols, n, cap);
    }
}

static void emit_lookup(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    if (n->n_inputs < 1) {
        hole_stmt(em, var, "node", n->span, n->name, "lookup without an input");
        return;
    }
    const ir_node *lk_node = input_node(em, n, 1);
    int lk_id = lk_node ? lk_node->id : n->id;
    c.quals[0] = (spark_qual){n->inputs[0], "i"};
    c.quals[1] = (spark_qual){lk_id, "l"};
    c.n_quals = 2;
    static const char *const policy[] = {"first", "last", "any", "report error", "all"};
    sb_printf(&em->body, "    # i: input rows, l: lookup rows; multiple matches: %s\n", policy[n->match]);

    /* the lookup side */
    strbuf lk = STRBUF_INIT;
    if (n->sql) {
        comment_lines(&em->body, "lookup SQL override in the legacy dialect (not translated):", n->sql);
        hole_stmt(em, "_lookup", "sql", n->span, n->sql, "lookup SQL override in the legacy dialect");
        sb_puts(&lk, "_lookup");
    } else if (lk_node) {
        sb_puts(&lk, var_of(em, lk_id));
    } else if (n->dataset) {
        sb_puts(&lk, "spark.table(");
        sb_put_py_string(&lk, n->dataset);
        sb_putc(&lk, ')');
    } else {
        hole_stmt(em, var, "node", n->span, n->name, "lookup without a lookup source");
        sb_free(&lk);
        return;
    }

    const char *keys[32];
    int n_keys = 0;
    bool equi = equi_keys(n->predicate, n->inputs[0], lk_id, keys, &n_keys, 32);
    bool one_match = n->match == IR_MATCH_FIRST || n->match == IR_MATCH_LAST || n->match == IR_MATCH_ANY;
    bool flip = n->match == IR_MATCH_LAST;
    /* ordering of lookup rows for the first/last policy: the lookup columns of the condition first
     * (Informatica's lookup cache is indexed by the condition ports, so LAST of RATE_DATE <= D
     * is the latest date), then every other lookup column, for determinism */
    strbuf order = STRBUF_INIT;
    if (one_match && lk_node) {
        const char *cond_cols[64];
        int n_cond = 0;
        lookup_cond_cols(n->predicate, lk_id, cond_cols, &n_cond, 64);
        int k = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < (pass ? lk_node->n_cols : n_cond); i++) {
                const char *name = pass ? lk_node->cols[i].name : cond_cols[i];
                if (pass) {
                    bool seen = false;
                    for (int j = 0; j < n_cond; j++)
                        if (!strcmp(cond_cols[j], name))
                            seen = true;
                    if (seen)
                        continue;
                } else if (!ir_node_col(lk_node, name)) {
                    continue;
                }
                if (k++)
                    sb_puts(&order, ", ");
                char *ct = col_ref_text(equi ? NULL : "l", name);
                sb_printf(&order, "%s.%s()", ct, flip ? "desc" : "asc");
                free(ct);
            }
    }
    if (one_match && order.len) {
        sb_printf(&em->body, "    # ORDER-DEPENDENT: the legacy lookup order is unknown; the %s match is taken\n"
                             "    # in the order of all lookup columns, for determinism\n",
                  flip ? "last" : "first");
        em->order_dependent++;
    }
    if (one_match && equi && order.len) {
        strbuf w = STRBUF_INIT;
        sb_puts(&w, "    _w = Window.partitionBy(");
        for (int i = 0; i < n_keys; i++) {
            char *ct = col_ref_text(NULL, keys[i]);
            sb_printf(&w, "%s%s", i ? ", " : "", ct);
            free(ct);
        }
        sb_printf(&w, ").orderBy(%s)\n", sb_cstr(&order));
        sb_puts(&em->body, sb_cstr(&w));
        sb_free(&w);
        chain lc;
        chain_init(&lc, sb_cstr(&lk));
        chain_step *st = chain_add(&lc, "withColumn");
        step_arg_str(st, "\"_etlport_rn\"");
        step_arg_str(st, "F.row_number().over(_w)");
        st = chain_add(&lc, "filter");
        step_arg_str(st, "F.col(\"_etlport_rn\") == 1");
        st = chain_add(&lc, "drop");
        step_arg_str(st, "\"_etlport_rn\"");
        chain_emit(&em->body, "_lookup", &lc);
        sb_clear(&lk);
        sb_puts(&lk, "_lookup");
    } else if (n->match == IR_MATCH_ERROR && equi && n_keys) {
        strbuf g = STRBUF_INIT;
        for (int i = 0; i < n_keys; i++) {
            char *ct = col_ref_text(NULL, keys[i]);
            sb_printf(&g, "%s%s", i ? ", " : "", ct);
            free(ct);
        }
        sb_printf(&em->body, "    # the legacy lookup fails on more than one match: check the keys are unique\n"
                             "    if %s.groupBy(%s).count().filter(F.col(\"count\") > 1).limit(1).count() > 0:\n"
                             "        raise ValueError(",
                  sb_cstr(&lk), sb_cstr(&g));
        strbuf msg = STRBUF_INIT;
        sb_printf(&msg, "%s: more than one lookup row matches", n->name ? n->name : "lookup");
        sb_put_py_string(&em->body, sb_cstr(&msg));
        sb_puts(&em->body, ")\n");
        sb_free(&msg);
        sb_free(&g);
    }

    bool post_dedup = one_match && !equi && order.len;
    strbuf base = STRBUF_INIT;
    sb_puts(&base, var_of(em, n->inputs[0]));
    if (post_dedup)
        sb_puts(&base, ".withColumn(\"_etlport_row\", F.monotonically_increasing_id())");
    sb_puts(&base, ".alias(\"i\")");
    chain ch;
    chain_init(&ch, sb_cstr(&base));
    sb_free(&base);
    chain_step *st = chain_add(&ch, "join");
    strbuf other = STRBUF_INIT;
    sb_printf(&other, "%s.alias(\"l\")", sb_cstr(&lk));
    step_arg(st, sb_take(&other), NULL);
    c.span = n->span;
    step_arg(st, n->predicate ? expr_text(&c, n->predicate, false) : xstrdup("F.lit(True)"), NULL);
    step_arg_str(st, "how=\"left\"");
    if (post_dedup) {
        /* a non-equi condition: join first, then keep one match per input row */
        strbuf w = STRBUF_INIT;
        sb_printf(&w, "F.row_number().over(Window.partitionBy(\"_etlport_row\").orderBy(%s))", sb_cstr(&order));
        st = chain_add(&ch, "withColumn");
        step_arg_str(st, "\"_etlport_rn\"");
        step_arg(st, sb_take(&w), NULL);
        st = chain_add(&ch, "filter");
        step_arg_str(st, "F.col(\"_etlport_rn\") == 1");
    }
    select_step(em, &c, n, &ch);
    chain_emit(&em->body, var, &ch);
    sb_free(&order);
    sb_free(&lk);
    ctx_done(em, &c);
}

static void emit_aggregate(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx kc, c;
    ctx_for(em, &kc, n);
    ctx_for(em, &c, n);
    c.agg = n;
    chain ch;
    chain_init(&ch, var_of(em, n->inputs[0]));
    /* names the aggregation leaves behind, in order, to see whether a final select is needed */
    const char **have = calloc((size_t)(n->n_keys + n->n_cols + 1), sizeof *have);
    int n_have = 0;
    char **keynames = calloc((size_t)n->n_keys + 1, sizeof *keynames);
    if (!have || !keynames)
        abort();
    if (n->n_keys) {
        chain_step *st = chain_add(&ch, "groupBy");
        for (int i = 0; i < n->n_keys; i++) {
            const ir_expr *k = n->keys[i];
            char *t = expr_text(&kc, k, true);
            if (k->kind == IR_EX_REF) {
                keynames[i] = xstrdup(k->u.ref.col);
            } else {
                strbuf kn = STRBUF_INIT;
                sb_printf(&kn, "_etlport_key%d", i + 1);
                keynames[i] = sb_take(&kn);
                t = aliased(t, keynames[i], NULL);
            }
            have[n_have++] = keynames[i];
            step_arg(st, t, NULL);
        }
    }
    /* which output columns are group keys */
    int *key_of = malloc(((size_t)n->n_cols + 1) * sizeof *key_of);
    if (!key_of)
        abort();
    int n_aggs = 0;
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        key_of[i] = -1;
        for (int k = 0; k < n->n_keys; k++) {
            const ir_expr *ke = n->keys[k];
            if ((col->expr && ir_expr_equal(col->expr, ke)) ||
                (!col->expr && ke->kind == IR_EX_REF && !strcmp(ke->u.ref.col, col->name))) {
                key_of[i] = k;
                break;
            }
        }
        if (key_of[i] < 0)
            n_aggs++;
    }
    /* no keys: Spark's global aggregate sends one row even for an empty input (NULL sums, zero
     * counts), which is SQL's meaning (empty_row); Informatica's Aggregator sends none */
    bool global = n_aggs && !n->n_keys && !n->empty_row;
    if (n_aggs) {
        chain_step *st = chain_add(&ch, "agg");
        for (int i = 0; i < n->n_cols; i++) {
            if (key_of[i] >= 0)
                continue;
            col_arg(em, &c, n, &n->cols[i], st);
            have[n_have++] = n->cols[i].name;
        }
        if (global) {
            /* Informatica's Aggregator sends no row for an empty input; Spark's global aggregate
             * sends one (NULL sums, zero counts) */
            sb_puts(&em->body, "    # no group-by ports: one row, and none for an empty input (Informatica)\n");
            step_arg_str(st, "F.count(F.lit(1)).alias(\"_etlport_rows\")");
            st = chain_add(&ch, "filter");
            step_arg_str(st, "F.col(\"_etlport_rows\") > 0");
        }
    } else {
        /* only group keys: one row per distinct key */
        chain_step *st = chain_add(&ch, "count");
        (void)st;
        st = chain_add(&ch, "drop");
        step_arg_str(st, "\"count\"");
    }
    bool need_select = global || n_have != n->n_cols;
    for (int i = 0; !need_select && i < n->n_cols; i++) {
        const char *want = n->cols[i].name;
        const char *got = key_of[i] >= 0 ? keynames[key_of[i]] : want;
        if (strcmp(have[i], got) != 0 || strcmp(got, want) != 0)
            need_select = true;
    }
    if (need_select) {
        chain_step *st = chain_add(&ch, "select");
        for (int i = 0; i < n->n_cols; i++) {
            const char *want = n->cols[i].name;
            const char *got = key_of[i] >= 0 ? keynames[key_of[i]] : want;
            step_arg(st, aliased(col_ref_text(NULL, got), want, got), NULL);
        }
    }
    chain_emit(&em->body, var, &ch);
    for (int i = 0; i < n->n_keys; i++)
        free(keynames[i]);
    free(keynames);
    free(have);
    free(key_of);
    ctx_done(em, &kc);
    ctx_done(em, &c);
}

static void emit_sort(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    chain ch;
    chain_init(&ch, var_of(em, n->inputs[0]));
    if (n->distinct)
        chain_add(&ch, "dropDuplicates");
    if (n->n_order) {
        chain_step *st = chain_add(&ch, "orderBy");
        for (int i = 0; i < n->n_order; i++)
            step_arg(st, sort_key_text(&c, &n->order[i], false), NULL);
    }
    if (!same_cols(n, input_node(em, n, 0)))
        select_step(em, &c, n, &ch);
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

static void emit_union(emitter *em, const ir_node *n, const char *var)
{
    /* UNION ALL by position: each input's i-th column becomes the union's i-th */
    strbuf parts = STRBUF_INIT;
    chain ch;
    chain_init(&ch, "");
    for (int k = 0; k < n->n_inputs; k++) {
        const ir_node *in = input_node(em, n, k);
        strbuf p = STRBUF_INIT;
        sb_puts(&p, var_of(em, n->inputs[k]));
        bool same = in && in->n_cols == n->n_cols;
        for (int i = 0; same && i < n->n_cols; i++)
            if (strcmp(in->cols[i].name, n->cols[i].name) != 0)
                same = false;
        if (!same) {
            sb_puts(&p, ".select(");
            for (int i = 0; i < n->n_cols; i++) {
                if (i)
                    sb_puts(&p, ", ");
                if (in && i < in->n_cols) {
                    char *t = col_ref_text(NULL, in->cols[i].name);
                    t = aliased(t, n->cols[i].name, in->cols[i].name);
                    sb_puts(&p, t);
                    free(t);
                } else {
                    char buf[40];
                    const char *tn = spark_type_name(n->cols[i].type, buf, sizeof buf);
                    sb_puts(&p, "F.lit(None)");
                    if (tn)
                        sb_printf(&p, ".cast(\"%s\")", tn);
                    sb_puts(&p, ".alias(");
                    sb_put_py_string(&p, n->cols[i].name);
                    sb_putc(&p, ')');
                }
            }
            sb_putc(&p, ')');
        }
        if (k == 0) {
            free(ch.base);
            ch.base = sb_take(&p);
        } else {
            chain_step *st = chain_add(&ch, "union");
            step_arg(st, sb_take(&p), NULL);
        }
    }
    sb_free(&parts);
    chain_emit(&em->body, var, &ch);
}

static void window_stmt(emitter *em, spark_ctx *c, const ir_expr *const *keys, int n_keys,
                        const char *order)
{
    sb_puts(&em->body, "    _w = Window");
    if (n_keys) {
        sb_puts(&em->body, ".partitionBy(");
        for (int i = 0; i < n_keys; i++) {
            char *t = expr_text(c, keys[i], false);
            sb_printf(&em->body, "%s%s", i ? ", " : "", t);
            free(t);
        }
        sb_putc(&em->body, ')');
    }
    sb_printf(&em->body, ".orderBy(%s)\n", order);
}

/* Order text for a window: the node's order keys, or every column not in keys (legacy order
 * unknown; returns true then). */
static bool window_order(emitter *em, spark_ctx *c, const ir_node *n, const ir_node *cols_from, bool flip,
                         strbuf *out)
{
    (void)em;
    if (n->n_order) {
        for (int i = 0; i < n->n_order; i++) {
            char *t = sort_key_text(c, &n->order[i], flip);
            sb_printf(out, "%s%s", i ? ", " : "", t);
            free(t);
        }
        return false;
    }
    int k = 0;
    for (int i = 0; cols_from && i < cols_from->n_cols; i++) {
        bool is_key = false;
        for (int j = 0; j < n->n_keys; j++)
            if (n->keys[j]->kind == IR_EX_REF && !strcmp(n->keys[j]->u.ref.col, cols_from->cols[i].name))
                is_key = true;
        if (is_key)
            continue;
        char *t = col_ref_text(NULL, cols_from->cols[i].name);
        sb_printf(out, "%s%s.%s()", k++ ? ", " : "", t, flip ? "desc" : "asc");
        free(t);
    }
    if (!k)
        sb_puts(out, "F.lit(1)");
    return true;
}

static void emit_dedup(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    const ir_node *in = input_node(em, n, 0);
    chain ch;
    chain_init(&ch, var_of(em, n->inputs[0]));
    if (!n->n_keys && !n->n_order) {
        chain_add(&ch, "dropDuplicates");
    } else {
        strbuf order = STRBUF_INIT;
        if (window_order(em, &c, n, in, n->keep_last, &order)) {
            sb_printf(&em->body, "    # ORDER-DEPENDENT: the legacy keeps the %s row per key in input order, which\n"
                                 "    # Spark does not keep; rows are ordered by their other columns, for determinism\n",
                      n->keep_last ? "last" : "first");
            em->order_dependent++;
        }
        window_stmt(em, &c, (const ir_expr *const *)n->keys, n->n_keys, sb_cstr(&order));
        sb_free(&order);
        chain_step *st = chain_add(&ch, "withColumn");
        step_arg_str(st, "\"_etlport_rn\"");
        step_arg_str(st, "F.row_number().over(_w)");
        st = chain_add(&ch, "filter");
        step_arg_str(st, "F.col(\"_etlport_rn\") == 1");
        st = chain_add(&ch, "drop");
        step_arg_str(st, "\"_etlport_rn\"");
    }
    if (!same_cols(n, in))
        select_step(em, &c, n, &ch);
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

static void emit_rank(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    const ir_node *in = input_node(em, n, 0);
    const char *rank_col = NULL;
    for (int i = 0; i < n->n_cols; i++)
        if ((n->cols[i].flags & IR_COL_GENERATED) && (!n->cols[i].expr || n->cols[i].expr->kind != IR_EX_REF))
            rank_col = n->cols[i].name;
    strbuf order = STRBUF_INIT;
    /* without order keys any N rows will do (TOP n, ROWNUM): numbered in the order of the other
     * columns, N rows exactly, as the Snowflake backend does */
    bool no_order = window_order(em, &c, n, in, n->bottom, &order);
    if (no_order) {
        sb_puts(&em->body, "    # ORDER-DEPENDENT: the rank has no order keys; ordered by the other columns\n");
        em->order_dependent++;
        sb_printf(&em->body, "    # %lld rows per group\n", (long long)n->top_n);
    } else {
        sb_printf(&em->body, "    # %s %lld rows per group; tied rows share a rank (RANKINDEX semantics)\n",
                  n->bottom ? "bottom" : "top", (long long)n->top_n);
    }
    window_stmt(em, &c, (const ir_expr *const *)n->keys, n->n_keys, sb_cstr(&order));
    sb_free(&order);
    chain ch;
    chain_init(&ch, var_of(em, n->inputs[0]));
    const char *rc = rank_col ? rank_col : "_etlport_rank";
    chain_step *st = chain_add(&ch, "withColumn");
    strbuf a = STRBUF_INIT;
    sb_put_py_string(&a, rc);
    step_arg(st, sb_take(&a), NULL);
    step_arg_str(st, no_order ? "F.row_number().over(_w)" : "F.rank().over(_w)");
    if (n->top_n > 0) {
        st = chain_add(&ch, "filter");
        strbuf f = STRBUF_INIT;
        char *t = col_ref_text(NULL, rc);
        sb_printf(&f, "%s <= %lld", t, (long long)n->top_n);
        free(t);
        step_arg(st, sb_take(&f), NULL);
    }
    st = chain_add(&ch, "select");
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        if (rank_col && col->name == rank_col) {
            step_arg(st, col_ref_text(NULL, col->name), NULL);
            continue;
        }
        col_arg(em, &c, n, col, st);
    }
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

/* Window.rowsBetween / rangeBetween bound: Window.unboundedPreceding, -2, Window.currentRow ... */
static void frame_bound(strbuf *sb, ir_frame_bound b)
{
    switch (b.kind) {
    case IR_BOUND_UNBOUNDED_PRECEDING: sb_puts(sb, "Window.unboundedPreceding"); break;
    case IR_BOUND_PRECEDING: sb_printf(sb, "%lld", -(long long)b.offset); break;
    case IR_BOUND_CURRENT_ROW: sb_puts(sb, "Window.currentRow"); break;
    case IR_BOUND_FOLLOWING: sb_printf(sb, "%lld", (long long)b.offset); break;
    case IR_BOUND_UNBOUNDED_FOLLOWING: sb_puts(sb, "Window.unboundedFollowing"); break;
    }
}

/* `    name = Window.partitionBy(keys)[.orderBy(order)][.rowsBetween(...)]` */
static void window_spec_stmt(emitter *em, spark_ctx *c, const ir_node *n, const char *name, const char *order,
                             const ir_frame *frame)
{
    strbuf *sb = &em->body;
    sb_printf(sb, "    %s = Window", name);
    if (n->n_keys || !order) {
        sb_puts(sb, ".partitionBy(");
        for (int i = 0; i < n->n_keys; i++) {
            char *t = expr_text(c, n->keys[i], false);
            sb_printf(sb, "%s%s", i ? ", " : "", t);
            free(t);
        }
        sb_putc(sb, ')');
    }
    if (order)
        sb_printf(sb, ".orderBy(%s)", order);
    if (frame) {
        sb_puts(sb, frame->unit == IR_FRAME_ROWS ? ".rowsBetween(" : ".rangeBetween(");
        frame_bound(sb, frame->start);
        sb_puts(sb, ", ");
        frame_bound(sb, frame->end);
        sb_putc(sb, ')');
    }
    sb_putc(sb, '\n');
}

/* Window node: the columns in one select, each window call .over() the spec it needs; the specs
 * it used are defined first (a frame only on the specs of frame-reading functions). */
static void emit_window(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    const ir_node *in = input_node(em, n, 0);
    chain ch;
    chain_init(&ch, var_of(em, n->inputs[0]));
    select_step(em, &c, n, &ch); /* renders the columns: c.window_specs says which specs they use */
    unsigned used = c.window_specs;
    strbuf f = STRBUF_INIT;
    ir_frame_to_text(&f, n->frame);
    sb_printf(&em->body, "    # window: %d partition key(s), %d order key(s); %s for first_value, last_value and "
                         "aggregates\n", n->n_keys, n->n_order, sb_cstr(&f));
    sb_free(&f);
    if (used & (SPARK_WIN_ORDERED | SPARK_WIN_FRAMED)) {
        strbuf order = STRBUF_INIT;
        window_order(em, &c, n, in, false, &order);
        window_spec_stmt(em, &c, n, "_w", sb_cstr(&order), NULL);
        if (used & SPARK_WIN_FRAMED)
            window_spec_stmt(em, &c, n, "_wf", sb_cstr(&order), &n->frame);
        sb_free(&order);
    }
    if (used & SPARK_WIN_PARTITION)
        window_spec_stmt(em, &c, n, "_wp", NULL, NULL);
    if (used & (SPARK_WIN_INVENTED | SPARK_WIN_INVENTED_FRAMED)) {
        strbuf order = STRBUF_INIT;
        window_order(em, &c, n, in, false, &order);
        sb_puts(&em->body, "    # ORDER-DEPENDENT: the window has no order keys; rows are ordered by every input column\n");
        window_spec_stmt(em, &c, n, "_wi", sb_cstr(&order), NULL);
        if (used & SPARK_WIN_INVENTED_FRAMED) {
            ir_frame fr = spark_window_frame(n);
            window_spec_stmt(em, &c, n, "_wif", sb_cstr(&order), &fr);
        }
        sb_free(&order);
    }
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

static bool starts_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
            return false;
    return true;
}

/* A normalize node with a per-row count: each input row repeated count times, numbered 1..count
 * in its OCCURRENCE column (F.sequence(1, n) is [1, 0] for n = 0, hence the guard: no rows). */
static void emit_normalize_count(emitter *em, spark_ctx *c, const ir_node *n, const char *var)
{
    strbuf *sb = &em->body;
    char *cnt = expr_text(c, n->count, true);
    sb_puts(sb, "    # each input row becomes `count` rows, numbered from 1 (none when count is NULL or below 1)\n");
    sb_printf(sb, "    _cnt = (%s).cast(\"int\")\n", cnt);
    free(cnt);
    sb_printf(sb, "    %s = (\n        %s.withColumn(\"_etlport_occ\", F.explode(F.when(_cnt >= 1, F.sequence(F.lit(1), _cnt))))\n"
                  "        .select(\n", var, var_of(em, n->inputs[0]));
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        char *t;
        if (col->flags & IR_COL_OCCURRENCE) {
            t = strdup("F.col(\"_etlport_occ\")");
        } else if (col->expr) {
            c->span = col->span.file || col->span.line ? col->span : n->span;
            c->legacy = col->legacy;
            t = expr_text(c, col->expr, true);
            c->legacy = NULL;
        } else {
            t = col_ref_text(NULL, col->name);
        }
        sb_printf(sb, "            %s.alias(", t ? t : "F.lit(None)");
        free(t);
        sb_put_py_string(sb, col->name);
        sb_puts(sb, "),\n");
    }
    sb_puts(sb, "        )\n    )\n");
}

static void emit_normalize(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    if (n->occurs == 0 && n->count && n->n_inputs > 0) {
        emit_normalize_count(em, &c, n, var);
        ctx_done(em, &c);
        return;
    }
    const ir_node *in = input_node(em, n, 0);
    int occurs = n->occurs > 0 ? n->occurs : 1;
    strbuf *sb = &em->body;
    bool gk = false;
    for (int i = 0; i < n->n_cols; i++)
        if ((n->cols[i].flags & IR_COL_GENERATED) && !n->cols[i].expr && !n->cols[i].n_alts &&
            !starts_ci(n->cols[i].name, "GCID"))
            gk = true;
    const char *src = var_of(em, n->inputs[0]);
    if (gk) {
        strbuf order = STRBUF_INIT;
        for (int i = 0; in && i < in->n_cols; i++) {
            char *t = col_ref_text(NULL, in->cols[i].name);
            sb_printf(&order, "%s%s.asc()", i ? ", " : "", t);
            free(t);
        }
        sb_puts(sb, "    # ORDER-DEPENDENT: the generated key numbers input rows in input order, which Spark\n"
                    "    # does not keep; rows are numbered in the order of their columns, for determinism\n");
        em->order_dependent++;
        sb_printf(sb, "    _keyed = %s.withColumn(\"_etlport_gk\", F.row_number().over(Window.orderBy(%s)))\n",
                  src, order.len ? sb_cstr(&order) : "F.lit(1)");
        sb_free(&order);
        src = "_keyed";
    }
    sb_printf(sb, "    # each input row becomes %d rows, one per occurrence\n", occurs);
    sb_printf(sb, "    %s = (\n        %s.select(\n            F.explode(F.array(\n", var, src);
    for (int o = 0; o < occurs; o++) {
        sb_puts(sb, "                F.struct(");
        for (int i = 0; i < n->n_cols; i++) {
            const ir_column *col = &n->cols[i];
            char buf[40];
            const char *tn = spark_type_name(col->type, buf, sizeof buf);
            strbuf a = STRBUF_INIT;
            c.span = col->span.file || col->span.line ? col->span : n->span;
            c.legacy = col->legacy;
            if (col->n_alts == occurs && col->alts) {
                char *t = expr_text(&c, col->alts[o], true);
                sb_puts(&a, t);
                free(t);
                if (tn)
                    sb_printf(&a, ".cast(\"%s\")", tn);
            } else if ((col->flags & IR_COL_GENERATED) && !col->expr) {
                if (starts_ci(col->name, "GCID"))
                    sb_printf(&a, "F.lit(%d)", o + 1);
                else
                    sb_puts(&a, "F.col(\"_etlport_gk\")");
            } else if (col->expr) {
                char *t = expr_text(&c, col->expr, true);
                sb_puts(&a, t);
                free(t);
            } else {
                char *t = col_ref_text(NULL, col->name);
                sb_puts(&a, t);
                free(t);
            }
            c.legacy = NULL;
            sb_printf(sb, "%s%s.alias(", i ? ", " : "", sb_cstr(&a));
            sb_put_py_string(sb, col->name);
            sb_putc(sb, ')');
            sb_free(&a);
        }
        sb_puts(sb, "),\n");
    }
    sb_puts(sb, "            )).alias(\"_etlport_occ\")\n        )\n        .select(\"_etlport_occ.*\")\n    )\n");
    ctx_done(em, &c);
}

static void emit_sequence(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    if (n->n_inputs < 1) {
        hole_stmt(em, var, "node", n->span, n->name, "sequence generator without an input pipeline");
        return;
    }
    const ir_node *in = input_node(em, n, 0);
    strbuf order = STRBUF_INIT;
    if (window_order(em, &c, n, in, false, &order))
        sb_puts(&em->body, "    # ORDER-DEPENDENT: the legacy numbers rows in arrival order; here rows are\n"
                           "    # numbered in the order of their columns, for determinism\n");
    else
        sb_puts(&em->body, "    # ORDER-DEPENDENT: rows are numbered in the order of the sequence's keys\n");
    em->order_dependent++;
    sb_puts(&em->body, "    # one window over all rows: a single partition, fine for keys, slow for big inputs\n");
    window_stmt(em, &c, NULL, 0, sb_cstr(&order));
    sb_free(&order);
    long long start = n->seq_start, inc = n->seq_increment ? n->seq_increment : 1;
    /* the legacy generator keeps its current value in the repository between runs */
    sb_printf(&em->body, "    # the legacy sequence goes on from its last value in the next run; here every run starts at\n"
                         "    # %lld: start from the target's largest key to keep surrogate keys unique across runs\n",
              start);
    strbuf next = STRBUF_INIT;
    if (inc == 1)
        sb_puts(&next, "F.row_number().over(_w)");
    else
        sb_printf(&next, "(F.row_number().over(_w) - 1) * %lld", inc);
    long long off = inc == 1 ? start - 1 : start;
    if (off > 0)
        sb_printf(&next, " + %lld", off);
    else if (off < 0)
        sb_printf(&next, " - %lld", -off);
    chain ch;
    chain_init(&ch, var_of(em, n->inputs[0]));
    chain_step *st = chain_add(&ch, "select");
    st->multiline = true;
    for (int i = 0; i < n->n_cols; i++) {
        const ir_column *col = &n->cols[i];
        if ((col->flags & IR_COL_GENERATED) && !col->expr) {
            strbuf a = STRBUF_INIT;
            bool curr = starts_ci(col->name, "CURRVAL");
            if (curr)
                sb_printf(&a, "(%s + %lld)", sb_cstr(&next), inc);
            else
                sb_printf(&a, "(%s)", sb_cstr(&next));
            sb_puts(&a, ".alias(");
            sb_put_py_string(&a, col->name);
            sb_putc(&a, ')');
            step_arg(st, sb_take(&a), xstrdup(curr ? "CURRVAL: NEXTVAL plus the increment" : "NEXTVAL"));
        } else {
            col_arg(em, &c, n, col, st);
        }
    }
    sb_free(&next);
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

static void emit_router(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    const ir_node *in = input_node(em, n, 0);
    strbuf groups = STRBUF_INIT;
    for (int i = 0; i < em->job->n_nodes; i++) {
        const ir_node *s = em->job->nodes[i];
        if (s->op == IR_OP_FILTER && s->group && s->n_inputs && s->inputs[0] == n->id)
            sb_printf(&groups, "%s%s", groups.len ? ", " : "", s->group);
    }
    sb_printf(&em->body, "    # rows pass to the group filters below (%s); a row can reach several groups\n",
              groups.len ? sb_cstr(&groups) : "none");
    sb_free(&groups);
    chain ch;
    chain_init(&ch, var_of(em, n->inputs[0]));
    if (!same_cols(n, in))
        select_step(em, &c, n, &ch);
    chain_emit(&em->body, var, &ch);
    ctx_done(em, &c);
}

/* The row-operation column reaching node id: flagged there, or passed through from upstream. */
static const char *row_op_col(const emitter *em, int id, int depth)
{
    const ir_node *n = ir_job_node(em->job, id);
    if (!n || depth > 64)
        return NULL;
    for (int i = 0; i < n->n_cols; i++)
        if (n->cols[i].flags & IR_COL_ROW_OP)
            return n->cols[i].name;
    for (int k = 0; k < n->n_inputs; k++) {
        const char *up = row_op_col(em, n->inputs[k], depth + 1);
        if (up && ir_node_col(n, up))
            return up;
    }
    return NULL;
}

static bool sql_plain(const char *s)
{
    static const char *const reserved[] = {"select", "from", "where", "order", "group", "by", "and", "or",
                                           "not", "null", "true", "false", "case", "when", "then", "else",
                                           "end", "join", "on", "as", "in", "is", "table", "date",
                                           "timestamp", "user", "interval", "limit", "union", "all"};
    if (!s || !*s || isdigit((unsigned char)*s))
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (!strcasecmp(reserved[i], s))
            return false;
    return true;
}

static void sql_ident(strbuf *sb, const char *q, const char *name)
{
    if (q)
        sb_printf(sb, "%s.", q);
    if (sql_plain(name)) {
        sb_puts(sb, name);
        return;
    }
    sb_putc(sb, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`')
            sb_putc(sb, '`');
        sb_putc(sb, *p);
    }
    sb_putc(sb, '`');
}

/* {"COL": "s.COL", ...} over the target's columns, skipping keys when asked. */
static void merge_map(strbuf *sb, const ir_node *n, bool skip_keys)
{
    sb_puts(sb, "{\n");
    for (int i = 0; i < n->n_cols; i++) {
        const char *name = n->cols[i].name;
        bool key = false;
        for (int k = 0; k < n->n_merge_keys; k++)
            if (!strcasecmp(n->merge_keys[k], name))
                key = true;
        if (skip_keys && key)
            continue;
        strbuf k = STRBUF_INIT, v = STRBUF_INIT;
        sql_ident(&k, NULL, name);
        sql_ident(&v, "s", name);
        sb_puts(sb, "            ");
        sb_put_py_string(sb, sb_cstr(&k));
        sb_puts(sb, ": ");
        sb_put_py_string(sb, sb_cstr(&v));
        sb_puts(sb, ",\n");
        sb_free(&k);
        sb_free(&v);
    }
    sb_puts(sb, "        }");
}

static void emit_target(emitter *em, const ir_node *n, const char *var)
{
    spark_ctx c;
    ctx_for(em, &c, n);
    strbuf *sb = &em->body;
    const ir_node *in = input_node(em, n, 0);
    if (!in || !n->dataset) {
        hole_stmt(em, var, "node", n->span, n->name, !in ? "target without an input" : "target without a dataset name");
        return;
    }
    const char *rowop = row_op_col(em, in->id, 0);
    bool merge = n->load == IR_LOAD_MERGE;
    /* merge keys: the IR's, else the target's key columns */
    const char *keys[64];
    int n_keys = 0;
    for (int k = 0; merge && k < n->n_merge_keys && n_keys < 64; k++)
        keys[n_keys++] = n->merge_keys[k];
    for (int i = 0; merge && !n_keys && i < n->n_cols; i++)
        if (n->cols[i].flags & IR_COL_KEY && n_keys < 64)
            keys[n_keys++] = n->cols[i].name;
    /* the rows and columns to write */
    chain ch;
    chain_init(&ch, var_of(em, in->id));
    if (rowop && merge && n_keys) {
        /* rejects (3) are never applied; left in the source they would still count as matches */
        sb_printf(sb, "    # rows flagged reject (%s = 3) are dropped before the merge\n", rowop);
        chain_step *st = chain_add(&ch, "filter");
        strbuf f = STRBUF_INIT;
        char *t = col_ref_text(NULL, rowop);
        sb_printf(&f, "%s.isin(0, 1, 2)", t);
        free(t);
        step_arg(st, sb_take(&f), NULL);
    }
    if (rowop && !merge) {
        sb_printf(sb, "    # only rows flagged insert (%s = 0) are written: the load mode is not a merge\n", rowop);
        chain_step *st = chain_add(&ch, "filter");
        strbuf f = STRBUF_INIT;
        char *t = col_ref_text(NULL, rowop);
        sb_printf(&f, "%s == 0", t);
        free(t);
        step_arg(st, sb_take(&f), NULL);
    }
    if (n->n_cols) {
        chain_step *st = chain_add(&ch, "select");
        for (int i = 0; i < n->n_cols; i++)
            col_arg(em, &c, n, &n->cols[i], st);
        if (merge && rowop && !ir_node_col(n, rowop))
            step_arg(st, col_ref_text(NULL, rowop), xstrdup("row operation for the merge clauses"));
    }
    if (merge && n_keys && n->n_cols) {
        /* Delta's MERGE fails when several source rows match one target row, where Informatica
         * applies them one after another: keep one row per key (rows with a NULL key never match
         * and are all kept) */
        sb_puts(sb, "    # Delta's MERGE fails when several source rows match one target row; the legacy target\n"
                    "    # applied them one after another. ORDER-DEPENDENT: one row per merge key is kept, the last\n"
                    "    # in the order of the other columns, for determinism\n");
        em->order_dependent++;
        strbuf w = STRBUF_INIT, nulls = STRBUF_INIT;
        sb_puts(&w, "F.row_number().over(Window.partitionBy(");
        for (int k = 0; k < n_keys; k++) {
            char *t = col_ref_text(NULL, keys[k]);
            sb_printf(&w, "%s%s", k ? ", " : "", t);
            sb_printf(&nulls, " | %s.isNull()", t);
            free(t);
        }
        sb_puts(&w, ").orderBy(");
        int m = 0;
        for (int i = 0; i < n->n_cols; i++) {
            bool key = false;
            for (int k = 0; k < n_keys; k++)
                if (!strcasecmp(keys[k], n->cols[i].name))
                    key = true;
            if (key)
                continue;
            char *t = col_ref_text(NULL, n->cols[i].name);
            sb_printf(&w, "%s%s.desc()", m++ ? ", " : "", t);
            free(t);
        }
        if (merge && rowop && !ir_node_col(n, rowop)) {
            char *t = col_ref_text(NULL, rowop);
            sb_printf(&w, "%s%s.desc()", m++ ? ", " : "", t);
            free(t);
        }
        if (!m)
            sb_puts(&w, "F.lit(1)");
        sb_puts(&w, "))");
        chain_step *st = chain_add(&ch, "withColumn");
        step_arg_str(st, "\"_etlport_rn\"");
        step_arg(st, sb_take(&w), NULL);
        st = chain_add(&ch, "filter");
        strbuf f = STRBUF_INIT;
        sb_printf(&f, "(F.col(\"_etlport_rn\") == 1)%s", sb_cstr(&nulls));
        step_arg(st, sb_take(&f), NULL);
        st = chain_add(&ch, "drop");
        step_arg_str(st, "\"_etlport_rn\"");
        sb_free(&nulls);
    }
    chain_emit(sb, var, &ch);
    ctx_done(em, &c);

    if (!merge) {
        const char *mode = n->load == IR_LOAD_APPEND ? "append" : "overwrite";
        if (n->load == IR_LOAD_TRUNCATE_INSERT)
            sb_puts(sb, "    # truncate and insert: overwrite the table's rows\n");
        sb_printf(sb, "    %s.write.mode(\"%s\").saveAsTable(", var, mode);
        sb_put_py_string(sb, n->dataset);
        sb_puts(sb, ")\n");
        return;
    }
    if (!n_keys) {
        hole_stmt(em, "_merge", "node", n->span, n->name, "merge without key columns");
        return;
    }
    em->need_delta = true;
    strbuf cond = STRBUF_INIT;
    for (int k = 0; k < n_keys; k++) {
        if (k)
            sb_puts(&cond, " AND ");
        sql_ident(&cond, "t", keys[k]);
        sb_puts(&cond, " = ");
        sql_ident(&cond, "s", keys[k]);
    }
    strbuf ro = STRBUF_INIT;
    if (rowop)
        sql_ident(&ro, "s", rowop);
    sb_puts(sb, "    (\n        DeltaTable.forName(spark, ");
    sb_put_py_string(sb, n->dataset);
    sb_printf(sb, ").alias(\"t\")\n        .merge(%s.alias(\"s\"), ", var);
    sb_put_py_string(sb, sb_cstr(&cond));
    sb_puts(sb, ")\n");
    bool any_update = false;
    for (int i = 0; i < n->n_cols; i++) {
        bool key = false;
        for (int k = 0; k < n_keys; k++)
            if (!strcasecmp(keys[k], n->cols[i].name))
                key = true;
        if (!key)
            any_update = true;
    }
    if (any_update) {
        sb_puts(sb, "        .whenMatchedUpdate(");
        if (rowop)
            sb_printf(sb, "condition=\"%s = 1\", ", sb_cstr(&ro));
        sb_puts(sb, "set=");
        merge_map(sb, n, true);
        sb_puts(sb, ")\n");
    }
    if (rowop)
        sb_printf(sb, "        .whenMatchedDelete(condition=\"%s = 2\")\n", sb_cstr(&ro));
    sb_puts(sb, "        .whenNotMatchedInsert(");
    if (rowop)
        sb_printf(sb, "condition=\"%s = 0\", ", sb_cstr(&ro));
    sb_puts(sb, "values=");
    merge_map(sb, n, false);
    sb_puts(sb, ")\n        .execute()\n    )\n");
    if (rowop)
        sb_printf(sb, "    # rows flagged reject (%s = 3) and updates or deletes without a match are not applied\n", rowop);
    sb_free(&cond);
    sb_free(&ro);
}

static void emit_procedure(emitter *em, const ir_node *n, const char *var)
{
    if (n->hole_reason)
        comment_lines(&em->body, "not relational:", n->hole_reason);
    if (n->legacy)
        comment_lines(&em->body, "legacy code (not translated):", n->legacy);
    hole_stmt(em, var, "node", n->span, n->legacy ? n->legacy : n->name,
              n->hole_reason ? n->hole_reason : "procedure");
}

static void emit_node(emitter *em, const ir_node *n, const char *var)
{
    em->cur = n;
    node_header(em, n);
    if (n->op != IR_OP_SOURCE && n->op != IR_OP_PROCEDURE && n->op != IR_OP_SEQUENCE && n->n_inputs < 1) {
        hole_stmt(em, var, "node", n->span, n->name, "node without an input");
        return;
    }
    switch (n->op) {
    case IR_OP_SOURCE: emit_source(em, n, var); break;
    case IR_OP_PROJECT:
    case IR_OP_UPDATE: emit_project(em, n, var); break;
    case IR_OP_FILTER: emit_filter(em, n, var); break;
    case IR_OP_JOIN: emit_join(em, n, var); break;
    case IR_OP_LOOKUP: emit_lookup(em, n, var); break;
    case IR_OP_AGGREGATE: emit_aggregate(em, n, var); break;
    case IR_OP_SORT: emit_sort(em, n, var); break;
    case IR_OP_UNION: emit_union(em, n, var); break;
    case IR_OP_DEDUP: emit_dedup(em, n, var); break;
    case IR_OP_RANK: emit_rank(em, n, var); break;
    case IR_OP_WINDOW: emit_window(em, n, var); break;
    case IR_OP_NORMALIZE: emit_normalize(em, n, var); break;
    case IR_OP_SEQUENCE: emit_sequence(em, n, var); break;
    case IR_OP_ROUTER: emit_router(em, n, var); break;
    case IR_OP_TARGET: emit_target(em, n, var); break;
    case IR_OP_PROCEDURE: emit_procedure(em, n, var); break;
    case IR_OP__COUNT:
        hole_stmt(em, var, "node", n->span, n->name, "unknown node kind");
        em->unsupported++;
        break;
    }
    em->cur = NULL;
}

/* ---- the module ---- */

static void put_docstring(strbuf *out, const emitter *em)
{
    const ir_job *job = em->job;
    strbuf loc = STRBUF_INIT;
    ir_span sp = {job->file, job->line, 0};
    spark_location(&loc, job, sp);
    sb_puts(out, "\"\"\"");
    doc_text(out, job->name ? job->name : "job");
    sb_puts(out, ": PySpark job generated by etlport.\n\n");
    sb_puts(out, "Legacy: ");
    if (job->format) {
        doc_text(out, job->format);
        sb_putc(out, ' ');
    }
    doc_text(out, sb_cstr(&loc));
    if (job->folder) {
        sb_puts(out, ", folder ");
        doc_text(out, job->folder);
    }
    sb_puts(out, "\n");
    if (job->description && *job->description) {
        sb_puts(out, "Description: ");
        doc_text(out, job->description);
        sb_putc(out, '\n');
    }
    sb_puts(out, "Target: PySpark 3.5 DataFrame API; assumes spark.sql.ansi.enabled=false (the 3.x default).\n");
    if (em->n_holes) {
        sb_printf(out, "\nHoles (%d): legacy logic not translated; each raises NotImplementedError when reached.\n",
                  em->n_holes);
        for (int i = 0; i < em->n_holes; i++) {
            const hole_rec *h = &em->holes[i];
            sb_puts(out, "  - ");
            doc_text(out, h->kind);
            sb_puts(out, " at ");
            doc_text(out, h->loc);
            if (*h->node) {
                sb_puts(out, " (");
                doc_text(out, h->node);
                sb_putc(out, ')');
            }
            sb_puts(out, ": ");
            doc_text(out, h->what);
            sb_putc(out, '\n');
        }
    } else {
        sb_puts(out, "\nHoles: none.\n");
    }
    if (em->order_dependent)
        sb_printf(out, "Order-dependent values: %d (comments marked ORDER-DEPENDENT).\n", em->order_dependent);
    sb_puts(out, "\"\"\"\n");
    sb_free(&loc);
}

/* Parameters used in expressions but not declared by the job (built-in variables such as
 * $PMSessionName, or parameters from a parameter file), each name once in first-use order. */
static void collect_params(const ir_expr *e, const char ***names, int *n, int *cap)
{
    if (!e)
        return;
    if (e->kind == IR_EX_PARAM) {
        for (int i = 0; i < *n; i++)
            if (!strcmp((*names)[i], e->u.param.name))
                return;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 8;
            *names = realloc(*names, (size_t)*cap * sizeof **names);
            if (!*names)
                abort();
        }
        (*names)[(*n)++] = e->u.param.name;
    } else if (e->kind == IR_EX_CALL) {
        for (int i = 0; i < e->u.call.n_args; i++)
            collect_params(e->u.call.args[i], names, n, cap);
    }
}

/* Every parameter name expressions use, declared or not (the caller frees the array). */
static int used_params(const ir_job *job, const char ***out)
{
    const char **names = NULL;
    int n = 0, cap = 0;
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *nd = job->nodes[i];
        for (int k = 0; k < nd->n_cols; k++) {
            collect_params(nd->cols[k].expr, &names, &n, &cap);
            for (int a = 0; a < nd->cols[k].n_alts; a++)
                collect_params(nd->cols[k].alts[a], &names, &n, &cap);
        }
        collect_params(nd->predicate, &names, &n, &cap);
        for (int k = 0; k < nd->n_keys; k++)
            collect_params(nd->keys[k], &names, &n, &cap);
        for (int k = 0; k < nd->n_order; k++)
            collect_params(nd->order[k].expr, &names, &n, &cap);
    }
    *out = names;
    return n;
}

static void put_undeclared_params(strbuf *out, const ir_job *job)
{
    const char **names;
    int n = used_params(job, &names);
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (ir_job_param(job, names[i]))
            continue;
        if (first)
            sb_puts(out, "    # used by the legacy job but not declared in it: pass them in params\n");
        first = false;
        sb_puts(out, "    ");
        spark_param_var(out, names[i]);
        sb_puts(out, " = params.get(");
        sb_put_py_string(out, names[i]);
        sb_puts(out, ")\n");
    }
    free(names);
}

/* The conversion a declared parameter type needs ("decimal", "int" ...), or NULL for strings and
 * unknown types, which stay as the text given. */
static const char *param_kind(ir_type t)
{
    switch (t.kind) {
    case IR_TY_INT:
    case IR_TY_BIGINT: return "int";
    case IR_TY_DECIMAL: return "decimal";
    case IR_TY_DOUBLE: return "double";
    case IR_TY_BOOL: return "boolean";
    case IR_TY_DATE: return "date";
    case IR_TY_TIMESTAMP: return "timestamp";
    default: return NULL;
    }
}

/* Whether any declared parameter needs a conversion from its text. */
static bool typed_params(const ir_job *job)
{
    for (int i = 0; i < job->n_params; i++)
        if (param_kind(job->params[i].type))
            return true;
    return false;
}

/* Module-level helper converting parameter text to the declared type: values arrive as text
 * (command line, parameter files), and a decimal or date compared with text would be compared as
 * a double or not at all (Spark casts '01/31/2024 00:00:00' to a NULL timestamp). */
static const char param_helper[] =
    "def _etlport_param(value, kind):\n"
    "    \"\"\"A job parameter's text as its declared type (int, decimal, double, boolean, date,\n"
    "    timestamp); None or blank text is None (NULL). Dates and timestamps are read in\n"
    "    Informatica's MM/DD/YYYY [HH24:MI[:SS[.fraction]]] form or as ISO YYYY-MM-DD[ HH24:MI:SS].\"\"\"\n"
    "    if value is None or str(value).strip() == \"\":\n"
    "        return None\n"
    "    text = str(value).strip()\n"
    "    if kind == \"int\":\n"
    "        return int(Decimal(text))\n"
    "    if kind == \"decimal\":\n"
    "        return Decimal(text)\n"
    "    if kind == \"double\":\n"
    "        return float(text)\n"
    "    if kind == \"boolean\":\n"
    "        return text.upper() in (\"1\", \"TRUE\", \"T\", \"Y\", \"YES\")\n"
    "    head, _, fraction = text.partition(\".\")\n"
    "    for fmt in (\"%m/%d/%Y %H:%M:%S\", \"%m/%d/%Y %H:%M\", \"%m/%d/%Y\", \"%Y-%m-%d %H:%M:%S\", \"%Y-%m-%d\"):\n"
    "        try:\n"
    "            ts = datetime.strptime(head, fmt)\n"
    "            break\n"
    "        except ValueError:\n"
    "            continue\n"
    "    else:\n"
    "        raise ValueError(f\"job parameter value {value!r} is not a {kind}\")\n"
    "    if fraction:\n"
    "        if not fraction.isdigit():\n"
    "            raise ValueError(f\"job parameter value {value!r} is not a {kind}\")\n"
    "        ts = ts.replace(microsecond=int((fraction + \"000000\")[:6]))\n"
    "    return ts.date() if kind == \"date\" else ts\n"
    "\n\n";

static void put_params(strbuf *out, const ir_job *job, unsigned needs)
{
    bool typed = typed_params(job);
    if (job->n_params)
        sb_puts(out, typed ? "    # job parameters ($$NAME in the legacy job), converted to their declared types\n"
                           : "    # job parameters ($$NAME in the legacy job), as strings\n");
    for (int i = 0; i < job->n_params; i++) {
        const ir_param *p = &job->params[i];
        const char *kind = param_kind(p->type);
        if (p->is_variable)
            sb_printf(out, "    # mapping variable%s%s: the legacy tool kept its value between runs\n",
                      p->aggregation ? ", aggregation " : "", p->aggregation ? p->aggregation : "");
        sb_puts(out, "    ");
        spark_param_var(out, p->name);
        sb_puts(out, kind ? " = _etlport_param(params.get(" : " = params.get(");
        sb_put_py_string(out, p->name);
        if (p->default_value) {
            sb_puts(out, ", ");
            sb_put_py_string(out, p->default_value);
        }
        if (kind)
            sb_printf(out, "), \"%s\")\n", kind);
        else
            sb_puts(out, ")\n");
    }
    put_undeclared_params(out, job);
    if (needs & SPARK_NEED_DATETIME)
        sb_puts(out, "    session_start_time = datetime.now()  # SESSSTARTTIME: fixed once per run\n");
}

static void emitter_free(emitter *em)
{
    sb_free(&em->body);
    for (int i = 0; i < em->job->n_nodes; i++)
        free(em->vars ? em->vars[i] : NULL);
    free(em->vars);
    for (int i = 0; i < em->n_used; i++)
        free(em->used[i]);
    free(em->used);
    for (int i = 0; i < em->n_holes; i++) {
        free(em->holes[i].kind);
        free(em->holes[i].loc);
        free(em->holes[i].node);
        free(em->holes[i].what);
    }
    free(em->holes);
}

static int emit_job(const ir_job *job, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc)
{
    (void)opt;
    (void)dc;
    emitter em;
    memset(&em, 0, sizeof em);
    em.job = job;
    em.vars = calloc((size_t)job->n_nodes + 1, sizeof *em.vars);
    if (!em.vars)
        abort();
    static const char *const reserved[] = {"spark", "params", "run", "json", "sys", "datetime", "Decimal",
                                           "session_start_time", "F", "Window", "DataFrame",
                                           "SparkSession", "DeltaTable"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        use_name(&em, reserved[i]);
    for (int i = 0; i < job->n_params; i++) {
        strbuf p = STRBUF_INIT;
        spark_param_var(&p, job->params[i].name);
        use_name(&em, sb_cstr(&p));
        sb_free(&p);
    }
    const char **used;
    int n_used = used_params(job, &used);
    for (int i = 0; i < n_used; i++) {
        strbuf p = STRBUF_INIT;
        spark_param_var(&p, used[i]);
        if (!name_used(&em, sb_cstr(&p)))
            use_name(&em, sb_cstr(&p));
        sb_free(&p);
    }
    free(used);
    for (int i = 0; i < job->n_nodes; i++)
        em.vars[i] = node_var(&em, job->nodes[i]);
    for (int i = 0; i < job->n_nodes; i++)
        emit_node(&em, job->nodes[i], em.vars[i]);

    if (typed_params(job))
        em.needs |= SPARK_NEED_PARAM_CONV;
    put_docstring(out, &em);
    sb_puts(out, "import json\nimport sys\n");
    if (em.needs & (SPARK_NEED_DATETIME | SPARK_NEED_PARAM_CONV))
        sb_puts(out, "from datetime import datetime\n");
    if (em.needs & (SPARK_NEED_DECIMAL | SPARK_NEED_PARAM_CONV))
        sb_puts(out, "from decimal import Decimal\n");
    sb_puts(out, "\n");
    if (em.need_delta)
        sb_puts(out, "from delta.tables import DeltaTable\n");
    sb_puts(out, "from pyspark.sql import SparkSession, DataFrame, Window\n"
                 "from pyspark.sql import functions as F\n"
                 "\n\n"
                 "def _etlport_hole(kind, location, legacy_text):\n"
                 "    \"\"\"Legacy logic etlport could not translate: fill it in by hand. Raises when reached.\"\"\"\n"
                 "    raise NotImplementedError(f\"etlport hole ({kind}) at {location}: {legacy_text}\")\n"
                 "\n\n");
    if (em.needs & SPARK_NEED_PARAM_CONV)
        sb_puts(out, param_helper);
    sb_puts(out, "def run(spark: SparkSession, params: dict) -> None:\n");
    sb_puts(out, "    \"\"\"Runs ");
    doc_text(out, job->name ? job->name : "the job");
    sb_puts(out, " with the given job parameters (names without $$).\"\"\"\n");
    put_params(out, job, em.needs);
    sb_puts(out, sb_cstr(&em.body));
    sb_puts(out, "\n\n"
                 "def _params_from_argv(argv):\n"
                 "    \"\"\"Job parameters from the command line: one JSON object, or NAME=VALUE pairs.\"\"\"\n"
                 "    if len(argv) == 1 and argv[0].lstrip().startswith(\"{\"):\n"
                 "        return {k.lstrip(\"$\"): v for k, v in json.loads(argv[0]).items()}\n"
                 "    params = {}\n"
                 "    for arg in argv:\n"
                 "        name, sep, value = arg.partition(\"=\")\n"
                 "        if not sep:\n"
                 "            raise SystemExit(f\"expected NAME=VALUE or a JSON object, got {arg!r}\")\n"
                 "        params[name.lstrip(\"$\")] = value\n"
                 "    return params\n"
                 "\n\n"
                 "if __name__ == \"__main__\":\n"
                 "    _spark = SparkSession.builder.appName(");
    sb_put_py_string(out, job->name ? job->name : "etlport job");
    sb_puts(out, ").getOrCreate()\n"
                 "    try:\n"
                 "        run(_spark, _params_from_argv(sys.argv[1:]))\n"
                 "    finally:\n"
                 "        _spark.stop()\n");
    if (res) {
        res->holes += em.n_holes;
        res->unsupported += em.unsupported;
    }
    emitter_free(&em);
    return 0;
}

int spark_emit_unit(const ir_unit *u, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc);

static int emit_expr(const ir_job *job, const ir_expr *e, strbuf *out)
{
    spark_ctx c;
    spark_ctx_init(&c, job, NULL);
    c.strict = true;
    strbuf t = STRBUF_INIT;
    int rc = spark_expr(&c, &t, e);
    if (rc == 0)
        sb_puts(out, sb_cstr(&t));
    sb_free(&t);
    return rc;
}

static int supports_fn(ir_fn fn)
{
    return spark_fn_unsupported_reason(fn) == NULL;
}

static int emit_stmt(const ir_job *job, const ir_stmt *s, strbuf *out, be_result *res, const char *where)
{
    int holes = 0, unsupported = 0;
    int rc = sparksql_stmt(out, job, s, 1, where, &holes, &unsupported);
    if (res) {
        res->holes += holes;
        res->unsupported += unsupported;
    }
    return rc;
}

const backend spark_backend = {"spark", "spark.py", emit_job, emit_expr, supports_fn, spark_emit_unit, emit_stmt};
