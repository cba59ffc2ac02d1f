/*
 * sparksql_expr.c — canonical expressions as Spark SQL text (Spark 3.5 / Databricks SQL).
 *
 * Every row of ir/functions.def is handled in the switch of write_call (the compiler checks that
 * no row is missing: there is no default) or named in unsupported_reasons with a reason. The
 * semantic choices are the PySpark emitter's (spark_expr.c), written as SQL: concat[null_as_empty]
 * → a guarded concat_ws('', ...), decode[null_matches_null] → Spark's decode (NULL matches NULL),
 * div → try_divide, regexp_extract guarded by RLIKE, and so on. Where SQL can say more than the
 * Python wrappers (IGNORE NULLS on lag/lead, a trim set, avg(DISTINCT), column lag defaults) the SQL
 * form is used; docs/spark-backend.md ("Spark SQL expressions") lists the differences.
 *
 * Precedence follows Spark's grammar (SqlBaseParser.g4): OR < AND < NOT < predicates (IS NULL, IN,
 * RLIKE) < comparisons < + - < * / % DIV < unary minus. Operands are parenthesised by level only.
 */
#include "backends/spark/sparksql.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/spark/spark_internal.h"
#include "ir/ir_sql.h"

/* Spark SQL operator levels, loosest first. */
enum { P_ANY = 0, P_OR, P_AND, P_NOT, P_PRED, P_CMP, P_ADD, P_MUL, P_UNARY, P_PRIMARY };

#define DEFAULT_DATE_FORMAT "MM/DD/YYYY HH24:MI:SS"

static const char *const unsupported_reasons[IR_FN__COUNT] = {
    [IR_FN_JSON_GET] = "a JSON value (a string in its quotes): Spark 3.5 has no JSON type, and get_json_object "
                       "gives a string without its quotes",
    [IR_FN_ERROR] = "Informatica ERROR() rejects the row and the run goes on; Spark SQL has no per-row "
                    "reject inside an expression (raise_error would fail the whole query)",
    [IR_FN_SET_VARIABLE] = "mapping variables keep state between runs; a Spark SQL statement has no "
                           "variable store: persist the value outside the job",
    [IR_FN_SET_MAX_VARIABLE] = "mapping variables keep state between runs; compute the max with an "
                               "aggregate and persist it outside the job",
    [IR_FN_SET_MIN_VARIABLE] = "mapping variables keep state between runs; compute the min with an "
                               "aggregate and persist it outside the job",
    [IR_FN_SET_COUNT_VARIABLE] = "mapping variables keep state between runs; count with an aggregate "
                                 "and persist it outside the job",
    [IR_FN_SEQ_NEXT] = "Spark has no sequences: number the rows (row_number() plus the target's "
                       "highest key) or use an identity column, and review",
};

const char *sparksql_fn_unsupported_reason(ir_fn fn)
{
    if ((int)fn < 0 || fn >= IR_FN__COUNT)
        return "unknown function";
    return unsupported_reasons[fn];
}

void sparksql_ctx_init(sparksql_ctx *c, const ir_job *job, const ir_node *node)
{
    memset(c, 0, sizeof *c);
    c->job = job;
    c->node = node;
}

/* ---- names, types, literals, comments ---- */

/* Words that cannot stand unquoted as a column name in an expression: Spark's ANSI-mode reserved
 * words (Databricks SQL runs with ANSI on) and the operator words of the expression grammar. */
static const char *const reserved[] = {
    "ALL", "AND", "ANY", "ANTI", "AS", "ASC", "AUTHORIZATION", "BETWEEN", "BOTH", "BY", "CASE", "CAST",
    "CHECK", "COLLATE", "COLUMN", "CONSTRAINT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE",
    "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DATE", "DESC", "DISTINCT", "DIV", "ELSE",
    "END", "ESCAPE", "EXCEPT", "EXISTS", "FALSE", "FETCH", "FILTER", "FOR", "FOREIGN", "FROM", "FULL",
    "GRANT", "GROUP", "HAVING", "ILIKE", "IN", "INNER", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN",
    "LATERAL", "LEADING", "LEFT", "LIKE", "LIMIT", "MINUS", "NATURAL", "NOT", "NULL", "OF", "OFFSET",
    "ON", "ONLY", "OR", "ORDER", "OUTER", "OVER", "OVERLAPS", "PARTITION", "PRIMARY", "RANGE",
    "REFERENCES", "REGEXP", "RIGHT", "RLIKE", "ROWS", "SELECT", "SEMI", "SESSION_USER", "SOME", "TABLE",
    "THEN", "TIME", "TIMESTAMP", "TO", "TRAILING", "TRUE", "UNION", "UNIQUE", "UNKNOWN", "USER",
    "USING", "WHEN", "WHERE", "WINDOW", "WITH",
};

static bool ident_plain(const char *name)
{
    if (!name || !*name || !(isalpha((unsigned char)*name) || *name == '_'))
        return false;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return false;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcasecmp(name, reserved[i]) == 0)
            return false;
    return true;
}

void sparksql_ident(strbuf *sb, const char *name)
{
    if (ident_plain(name)) {
        sb_puts(sb, name);
        return;
    }
    sb_putc(sb, '`');
    for (const char *p = name ? name : ""; *p; p++) {
        if (*p == '`')
            sb_putc(sb, '`');
        sb_putc(sb, *p);
    }
    sb_putc(sb, '`');
}

void sparksql_qname(strbuf *sb, const char *dotted)
{
    const char *p = dotted ? dotted : "";
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char *part = malloc(n + 1);
        if (!part)
            abort();
        memcpy(part, p, n);
        part[n] = '\0';
        sparksql_ident(sb, part);
        free(part);
        if (!dot)
            break;
        sb_putc(sb, '.');
        p = dot + 1;
    }
}

void sparksql_type(strbuf *sb, ir_type t)
{
    switch (t.kind) {
    case IR_TY_BOOL: sb_puts(sb, "BOOLEAN"); return;
    case IR_TY_INT: sb_puts(sb, "INT"); return;
    case IR_TY_BIGINT: sb_puts(sb, "BIGINT"); return;
    case IR_TY_DECIMAL:
        if (t.precision > 0) {
            int p = t.precision > 38 ? 38 : t.precision;
            int s = t.scale > p ? p : t.scale < 0 ? 0 : t.scale;
            sb_printf(sb, "DECIMAL(%d,%d)", p, s);
        } else {
            sb_puts(sb, "DECIMAL(38,18)");
        }
        return;
    case IR_TY_DOUBLE: sb_puts(sb, "DOUBLE"); return;
    case IR_TY_STRING:
        /* a declared length stays declared: VARCHAR(n) in a table checks it on write (Spark 3.1+);
         * STRING when there is none */
        if (t.precision > 0)
            sb_printf(sb, "VARCHAR(%d)", (int)t.precision);
        else
            sb_puts(sb, "STRING");
        return;
    case IR_TY_DATE: sb_puts(sb, "DATE"); return;
    case IR_TY_TIMESTAMP: sb_puts(sb, "TIMESTAMP"); return;
    case IR_TY_BINARY: sb_puts(sb, "BINARY"); return;
    case IR_TY_ARRAY:
        sb_puts(sb, "ARRAY<");
        sparksql_type(sb, ir_type_elem(t));
        sb_putc(sb, '>');
        return;
    case IR_TY_UNKNOWN:
    case IR_TY__COUNT: break;
    }
    sb_puts(sb, "STRING");
}

void sparksql_string(strbuf *sb, const char *s)
{
    sb_putc(sb, '\'');
    for (const char *p = s ? s : ""; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '\'' || ch == '\\') {
            sb_putc(sb, '\\');
            sb_putc(sb, (char)ch);
        } else if (ch == '\n') {
            sb_puts(sb, "\\n");
        } else if (ch == '\r') {
            sb_puts(sb, "\\r");
        } else if (ch == '\t') {
            sb_puts(sb, "\\t");
        } else if (ch < 0x20 || ch == 0x7f || (ch == '$' && p[1] == '{')) {
            /* ${ would be replaced by variable substitution before parsing; \u0024 is read after */
            sb_printf(sb, "\\u%04X", ch);
        } else {
            sb_putc(sb, (char)ch);
        }
    }
    sb_putc(sb, '\'');
}

/* Comment text that cannot end (or, Spark nesting bracketed comments, open) a comment, on one line. */
static void comment_text(strbuf *sb, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '*' && p[1] == '/') {
            sb_puts(sb, "* /");
            p++;
        } else if (*p == '/' && p[1] == '*') {
            sb_puts(sb, "/ *");
            p++;
        } else if (*p == '$' && p[1] == '{') {
            sb_puts(sb, "$ {");
            p++;
        } else if (*p == '\n' || *p == '\r' || *p == '\t') {
            sb_putc(sb, ' ');
        } else {
            sb_putc(sb, *p);
        }
    }
}

static void typed_null(strbuf *sb, ir_type t)
{
    if (t.kind == IR_TY_UNKNOWN || t.kind == IR_TY__COUNT) {
        sb_puts(sb, "NULL");
        return;
    }
    sb_puts(sb, "CAST(NULL AS ");
    sparksql_type(sb, t);
    sb_putc(sb, ')');
}

/* A job parameter's name as a marker or variable name: letters, digits and underscores. */
static void param_name(strbuf *sb, const char *name)
{
    const char *p = name ? name : "";
    if (!*p || isdigit((unsigned char)*p))
        sb_putc(sb, '_');
    for (; *p; p++)
        sb_putc(sb, isalnum((unsigned char)*p) || *p == '_' ? *p : '_');
}

/* ---- small predicates on expressions ---- */

static bool is_lit(const ir_expr *e, ir_lit_kind k)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == k;
}

static bool is_null_lit(const ir_expr *e)
{
    return is_lit(e, IR_LIT_NULL);
}

static const char *lit_str(const ir_expr *e)
{
    return is_lit(e, IR_LIT_STRING) ? (e->u.lit.text ? e->u.lit.text : "") : NULL;
}

static bool is_true_lit(const ir_expr *e)
{
    return is_lit(e, IR_LIT_BOOL) && e->u.lit.text &&
           (strcasecmp(e->u.lit.text, "true") == 0 || strcmp(e->u.lit.text, "1") == 0);
}

/* The value of an integer literal (or a whole decimal literal, or neg() of one). */
static bool lit_int(const ir_expr *e, long long *out)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_NEG && e->u.call.n_args == 1) {
        long long v;
        if (!lit_int(e->u.call.args[0], &v))
            return false;
        *out = -v;
        return true;
    }
    if (e->kind != IR_EX_LIT || (e->u.lit.kind != IR_LIT_INT && e->u.lit.kind != IR_LIT_DECIMAL) || !e->u.lit.text)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(e->u.lit.text, &end, 10);
    if (errno || end == e->u.lit.text)
        return false;
    if (*end == '.') {
        for (const char *p = end + 1; *p; p++)
            if (*p != '0')
                return false;
    } else if (*end) {
        return false;
    }
    *out = v;
    return true;
}

/* A value Spark folds to a constant where it requires one (round's scale): a literal or a job
 * parameter (a parameter marker is a literal once bound). */
static bool foldable(const ir_expr *e)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_LIT || e->kind == IR_EX_PARAM)
        return true;
    return e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_NEG && e->u.call.n_args == 1 && foldable(e->u.call.args[0]);
}

/* UTF-8 bytes of code point v into buf (at least 5 bytes); false for invalid code points. */
static bool utf8_encode(long long v, char *buf)
{
    if (v <= 0 || v >= 0x110000 || (v >= 0xD800 && v <= 0xDFFF))
        return false;
    unsigned u = (unsigned)v;
    int k = 0;
    if (u < 0x80) {
        buf[k++] = (char)u;
    } else if (u < 0x800) {
        buf[k++] = (char)(0xC0 | (u >> 6));
        buf[k++] = (char)(0x80 | (u & 0x3F));
    } else if (u < 0x10000) {
        buf[k++] = (char)(0xE0 | (u >> 12));
        buf[k++] = (char)(0x80 | ((u >> 6) & 0x3F));
        buf[k++] = (char)(0x80 | (u & 0x3F));
    } else {
        buf[k++] = (char)(0xF0 | (u >> 18));
        buf[k++] = (char)(0x80 | ((u >> 12) & 0x3F));
        buf[k++] = (char)(0x80 | ((u >> 6) & 0x3F));
        buf[k++] = (char)(0x80 | (u & 0x3F));
    }
    buf[k] = '\0';
    return true;
}

/* The text of a constant string: a string literal, or chr() of an integer literal (CHR(13) in a
 * REPLACESTR search list), written into buf (at least 8 bytes). NULL when e is not constant. */
static const char *const_str(const ir_expr *e, char *buf)
{
    const char *s = lit_str(e);
    if (s)
        return s;
    long long v;
    if (e && e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_CHR && e->u.call.n_args == 1 &&
        is_lit(e->u.call.args[0], IR_LIT_INT) && lit_int(e->u.call.args[0], &v) && utf8_encode(v, buf))
        return buf;
    return NULL;
}

/* Whether e can never be NULL: a non-NULL literal, a call whose null rule says never, or a
 * character constant. */
static bool never_null(const ir_expr *e)
{
    char buf[8];
    if (!e)
        return false;
    if (e->kind == IR_EX_LIT)
        return e->u.lit.kind != IR_LIT_NULL;
    if (e->kind != IR_EX_CALL)
        return false;
    return ir_fn_get(e->u.call.fn)->null_rule == NR_NEVER || const_str(e, buf) != NULL;
}

static ir_type type_of(const sparksql_ctx *c, const ir_expr *e)
{
    spark_ctx sc;
    spark_ctx_init(&sc, c->job, c->node);
    return spark_expr_type(&sc, e);
}

static bool is_date_typed(const sparksql_ctx *c, const ir_expr *e)
{
    return type_of(c, e).kind == IR_TY_DATE;
}

static bool is_temporal(ir_type t)
{
    return t.kind == IR_TY_DATE || t.kind == IR_TY_TIMESTAMP;
}

static bool is_integral(ir_type t)
{
    return t.kind == IR_TY_INT || t.kind == IR_TY_BIGINT;
}

/* Lower-cased canonical date part of a part literal, or NULL. */
static const char *part_of(const ir_expr *e, char *buf, size_t size)
{
    static const char *const parts[] = {"year", "quarter", "month", "week", "day", "hour", "minute",
                                        "second", "millisecond", "microsecond", "nanosecond"};
    const char *s = lit_str(e);
    if (!s || strlen(s) >= size)
        return NULL;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (strcasecmp(s, parts[i]) == 0) {
            strcpy(buf, parts[i]);
            return buf;
        }
    return NULL;
}

/* The upper-case unit keyword of a canonical part ("month" -> "MONTH"). */
static void put_unit(strbuf *sb, const char *part)
{
    for (const char *p = part; *p; p++)
        sb_putc(sb, (char)toupper((unsigned char)*p));
}

/* ---- the writer ---- */

static int write(sparksql_ctx *c, strbuf *sb, const ir_expr *e);

/* Writes e, parenthesised when its level is below min. */
static void emit(sparksql_ctx *c, strbuf *sb, const ir_expr *e, int min)
{
    strbuf t = STRBUF_INIT;
    int lvl = write(c, &t, e);
    if (lvl < min) {
        sb_putc(sb, '(');
        sb_puts(sb, sb_cstr(&t));
        sb_putc(sb, ')');
    } else {
        sb_puts(sb, sb_cstr(&t));
    }
    sb_free(&t);
}

/* The same for the operand of a unary minus or the right side of an operator: a leading minus is
 * parenthesised too (`a - (-3)`; `--` would start a comment). */
static void emit_noneg(sparksql_ctx *c, strbuf *sb, const ir_expr *e, int min)
{
    strbuf t = STRBUF_INIT;
    int lvl = write(c, &t, e);
    bool wrap = lvl < min || sb_cstr(&t)[0] == '-';
    if (wrap)
        sb_putc(sb, '(');
    sb_puts(sb, sb_cstr(&t));
    if (wrap)
        sb_putc(sb, ')');
    sb_free(&t);
}

#define A(i) (e->u.call.args[i])
#define E(i) emit(c, sb, A(i), P_ANY)
#define PUT(s) sb_puts(sb, s)

/* name(args from..to-1) */
static int call_plain(sparksql_ctx *c, strbuf *sb, const char *name, const ir_expr *e, int from, int to)
{
    sb_puts(sb, name);
    sb_putc(sb, '(');
    for (int i = from; i < to && i < e->u.call.n_args; i++) {
        if (i > from)
            PUT(", ");
        E(i);
    }
    sb_putc(sb, ')');
    return P_PRIMARY;
}

static int unsupported(sparksql_ctx *c, strbuf *sb, const ir_expr *e, const char *why)
{
    c->unsupported++;
    typed_null(sb, e->kind == IR_EX_CALL && e->u.call.fn == IR_FN_CAST ? e->type : type_of(c, e));
    PUT(" /* ETLPORT UNSUPPORTED ");
    if (e->kind == IR_EX_CALL)
        PUT(ir_fn_get(e->u.call.fn)->name);
    PUT(": ");
    comment_text(sb, why);
    PUT(" */");
    return P_PRIMARY;
}

/* a op b, left-associative at level lvl; a negative right operand of + or - is parenthesised for
 * the reader (`a - (-3)`) */
static int binop(sparksql_ctx *c, strbuf *sb, const ir_expr *a, const char *op, const ir_expr *b, int lvl)
{
    emit(c, sb, a, lvl);
    sb_printf(sb, " %s ", op);
    if (lvl == P_ADD)
        emit_noneg(c, sb, b, lvl + 1);
    else
        emit(c, sb, b, lvl + 1);
    return lvl;
}

/* A string literal with trailing blanks removed (blank-padded comparisons), upper-cased (ASCII)
 * when upper; or NULL when e is not a string literal. The caller frees. */
static char *folded_literal(const ir_expr *e, bool pad, bool upper)
{
    const char *s = lit_str(e);
    if (!s)
        return NULL;
    if (upper)
        for (const char *p = s; *p; p++)
            if ((unsigned char)*p >= 0x80)
                return NULL; /* upper() of non-ASCII text is left to Spark */
    size_t n = strlen(s);
    while (pad && n && s[n - 1] == ' ')
        n--;
    char *t = malloc(n + 1);
    if (!t)
        abort();
    for (size_t i = 0; i < n; i++)
        t[i] = upper ? (char)toupper((unsigned char)s[i]) : s[i];
    t[n] = '\0';
    return t;
}

/* One side of a comparison: rtrim(x) for blank_padded, upper(x) for case_insensitive; literals are
 * folded at generation time. */
static void cmp_side(sparksql_ctx *c, strbuf *sb, const ir_expr *x, bool pad, bool ci, int min)
{
    if (!pad && !ci) {
        emit(c, sb, x, min);
        return;
    }
    char *t = folded_literal(x, pad, ci);
    if (t) {
        sparksql_string(sb, t);
        free(t);
        return;
    }
    if (ci)
        PUT("upper(");
    if (pad)
        PUT("rtrim(");
    emit(c, sb, x, P_ANY);
    if (pad)
        PUT(")");
    if (ci)
        PUT(")");
}

static int compare(sparksql_ctx *c, strbuf *sb, const ir_expr *e, const char *op)
{
    bool pad = (e->u.call.flags & IR_FL_BLANK_PADDED) != 0;
    bool ci = (e->u.call.flags & IR_FL_CASE_INSENSITIVE) != 0;
    cmp_side(c, sb, A(0), pad, ci, P_CMP);
    sb_printf(sb, " %s ", op);
    if (!pad && !ci)
        emit(c, sb, A(1), P_ADD);
    else
        cmp_side(c, sb, A(1), pad, ci, P_ADD);
    return P_CMP;
}

/* Java regex text matching s literally (in a character class when in_class). */
static void regex_quote(strbuf *sb, const char *s, bool in_class)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x80 && !isalnum(ch) && ch != ' ' && ch != '_' && ch >= 0x20 &&
            (in_class || strchr("\\^$.|?*+()[]{}", ch)))
            sb_putc(sb, '\\');
        sb_putc(sb, (char)ch);
    }
}

/* Java regex replacement text producing s literally. */
static void replacement_quote(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '$')
            sb_putc(sb, '\\');
        sb_putc(sb, *s);
    }
}

/* A date format argument as a Spark datetime pattern literal; -1 when it is not a literal
 * canonical format Spark can express. */
static int format_arg(strbuf *sb, const ir_expr *f, bool *rr)
{
    const char *fmt = f ? lit_str(f) : DEFAULT_DATE_FORMAT;
    if (!fmt)
        return -1;
    strbuf p = STRBUF_INIT;
    int rc = spark_datefmt(fmt, &p, rr);
    if (rc == 0)
        sparksql_string(sb, sb_cstr(&p));
    sb_free(&p);
    return rc;
}

/* ---- strings ---- */

/* substr(s, pos[, len]) with the flags' position rules. Spark's substr treats 0 as 1, counts a
 * negative start from the end and gives '' for a length below 1: the meaning of both flags.
 * Without pos_zero_is_one, 0 is a position before the string; without neg_from_end, so is a
 * negative start (SQL standard: such positions use up length). */
static int write_substr(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    uint32_t fl = e->u.call.flags;
    bool zero1 = (fl & IR_FL_POS_ZERO_IS_ONE) != 0, negend = (fl & IR_FL_NEG_FROM_END) != 0;
    bool have_len = e->u.call.n_args > 2;
    long long pos = 0, len = 0;
    bool pos_lit = lit_int(A(1), &pos);
    bool len_lit = have_len && lit_int(A(2), &len);
    if ((zero1 && negend) || (pos_lit && (pos >= 1 || (pos == 0 && zero1) || (pos < 0 && negend))))
        return call_plain(c, sb, "substr", e, 0, 3);
    if (pos_lit) {
        /* a virtual start: from 1, with the positions before the string taken from the length */
        long long used = pos == 0 ? 1 : 1 - pos;
        PUT("substr(");
        E(0);
        PUT(", 1");
        if (have_len) {
            PUT(", ");
            if (len_lit) {
                sb_printf(sb, "%lld", len - used > 0 ? len - used : 0);
            } else {
                emit(c, sb, A(2), P_ADD);
                sb_printf(sb, " - %lld", used);
            }
        }
        PUT(")");
        return P_PRIMARY;
    }
    if (!have_len) {
        if (negend) /* 0 is before the string, which from 0 on is the whole string: as Spark's 0 */
            return call_plain(c, sb, "substr", e, 0, 2);
        PUT("substr(");
        E(0);
        PUT(", greatest(");
        E(1);
        PUT(", 1))");
        return P_PRIMARY;
    }
    if (negend) {
        /* only 0 is virtual: it takes one position of the length */
        PUT("CASE WHEN ");
        emit(c, sb, A(1), P_CMP);
        PUT(" = 0 THEN substr(");
        E(0);
        PUT(", 1, ");
        emit(c, sb, A(2), P_ADD);
        PUT(" - 1) ELSE substr(");
        E(0);
        PUT(", ");
        E(1);
        PUT(", ");
        E(2);
        PUT(") END");
        return P_PRIMARY;
    }
    /* negative starts (and 0 unless it means 1) are virtual */
    PUT("CASE WHEN ");
    emit(c, sb, A(1), P_CMP);
    PUT(zero1 ? " >= 0 THEN substr(" : " >= 1 THEN substr(");
    E(0);
    PUT(", ");
    E(1);
    PUT(", ");
    E(2);
    PUT(") ELSE substr(");
    E(0);
    PUT(", 1, ");
    emit(c, sb, A(2), P_ADD);
    PUT(" + ");
    emit_noneg(c, sb, A(1), P_MUL);
    PUT(" - 1) END");
    return P_PRIMARY;
}

/* instr(s, search[, start[, occurrence]]): the first occurrence from start. */
static int write_instr(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    int n = e->u.call.n_args;
    uint32_t fl = e->u.call.flags;
    long long start = 1, occ = 1;
    if (n > 3 && (!lit_int(A(3), &occ) || occ != 1))
        return unsupported(c, sb, e, "INSTR for an occurrence other than the first");
    if (n > 2 && !lit_int(A(2), &start)) {
        if (fl & IR_FL_NEG_FROM_END)
            return unsupported(c, sb, e, "INSTR with a computed start that may be negative (backward search)");
        /* locate gives 0 for a start below 1; a start before the string searches from 1 */
        PUT("locate(");
        E(1);
        PUT(", ");
        E(0);
        PUT(", greatest(");
        E(2);
        PUT(", 1))");
        return P_PRIMARY;
    }
    if (start < 0 && (fl & IR_FL_NEG_FROM_END)) {
        /* backward from the k-th last character: a match starts at most at length - k + 1. In the
         * reversed string the reversed search string is then found from k - m + 1 on (m its
         * length), and position q there is length - q - m + 2 in the string. */
        const char *s = lit_str(A(1));
        if (!s || !*s)
            return unsupported(c, sb, e, "INSTR searching backwards for a computed or empty string");
        long long k = -start, m = 0;
        for (const char *p = s; *p; p++)
            m += ((unsigned char)*p & 0xC0) != 0x80;
        strbuf r = STRBUF_INIT, q = STRBUF_INIT;
        for (size_t end = strlen(s); end > 0;) {
            size_t b = end - 1;
            while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
                b--;
            sb_putn(&r, s + b, end - b);
            end = b;
        }
        long long from = k - m + 1 < 1 ? 1 : k - m + 1;
        sb_puts(&q, from == 1 ? "instr(reverse(" : "locate(");
        if (from != 1) {
            sparksql_string(&q, sb_cstr(&r));
            sb_puts(&q, ", reverse(");
        }
        emit(c, &q, A(0), P_ANY);
        sb_puts(&q, "), ");
        if (from == 1)
            sparksql_string(&q, sb_cstr(&r));
        else
            sb_printf(&q, "%lld", from);
        sb_putc(&q, ')');
        sb_printf(sb, "CASE WHEN %s = 0 THEN 0 ELSE length(", sb_cstr(&q));
        E(0);
        sb_printf(sb, ") - %s", sb_cstr(&q));
        if (2 - m > 0)
            sb_printf(sb, " + %lld", 2 - m);
        else if (2 - m < 0)
            sb_printf(sb, " - %lld", m - 2);
        PUT(" END");
        sb_free(&r);
        sb_free(&q);
        return P_PRIMARY;
    }
    /* a start before the string (0, or negative without neg_from_end) searches from 1 */
    if (start < 1)
        start = 1;
    if (start == 1)
        return call_plain(c, sb, "instr", e, 0, 2);
    PUT("locate(");
    E(1);
    PUT(", ");
    E(0);
    sb_printf(sb, ", %lld)", start);
    return P_PRIMARY;
}

/* ltrim/rtrim/trim; a character set is TRIM(LEADING|TRAILING|BOTH set FROM x), which removes any
 * character of the set as the canonical functions do. */
static int write_trim(sparksql_ctx *c, strbuf *sb, const ir_expr *e, const char *fn, const char *where)
{
    const char *set = e->u.call.n_args > 1 ? lit_str(A(1)) : " ";
    if (set && strcmp(set, " ") == 0)
        return call_plain(c, sb, fn, e, 0, 1);
    if (set && !*set) /* an empty set removes nothing */
        return write(c, sb, A(0));
    sb_printf(sb, "TRIM(%s ", where);
    E(1);
    PUT(" FROM ");
    E(0);
    PUT(")");
    return P_PRIMARY;
}

/* regexp_replace(x, 'pattern', replacement): the constant `with` (quoted for the replacement
 * syntax), or when it is not constant the expression nw with NULL read as '' (NULL removes). */
static int put_regexp_replace(sparksql_ctx *c, strbuf *sb, const ir_expr *e, const char *pat, const char *with,
                              const ir_expr *nw)
{
    PUT("regexp_replace(");
    E(0);
    PUT(", ");
    sparksql_string(sb, pat);
    PUT(", ");
    if (with) {
        strbuf r = STRBUF_INIT;
        replacement_quote(&r, with);
        sparksql_string(sb, sb_cstr(&r));
        sb_free(&r);
    } else {
        PUT("coalesce(");
        emit(c, sb, nw, P_ANY);
        PUT(", '')");
    }
    PUT(")");
    return P_PRIMARY;
}

static int write_replace_chars(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    char set_buf[8], with_buf[8];
    const char *set = const_str(A(1), set_buf);
    const ir_expr *nw = A(2);
    const char *with = is_null_lit(nw) ? "" : const_str(nw, with_buf);
    bool ci = (e->u.call.flags & IR_FL_CASE_INSENSITIVE) != 0;
    if (!set)
        return unsupported(c, sb, e, "REPLACECHR with a computed character set");
    if (!*set)
        return write(c, sb, A(0));
    if (with && !ci && strlen(with) <= 1) {
        /* translate maps the i-th character of the set to the i-th of the replacement and drops
         * set characters beyond its length: the new character once per set character */
        strbuf r = STRBUF_INIT;
        if (*with)
            for (const char *p = set; *p; p++)
                if (((unsigned char)*p & 0xC0) != 0x80)
                    sb_puts(&r, with);
        PUT("translate(");
        E(0);
        PUT(", ");
        sparksql_string(sb, set);
        PUT(", ");
        sparksql_string(sb, sb_cstr(&r));
        PUT(")");
        sb_free(&r);
        return P_PRIMARY;
    }
    strbuf pat = STRBUF_INIT;
    if (ci)
        sb_puts(&pat, "(?i)");
    sb_putc(&pat, '[');
    regex_quote(&pat, set, true);
    sb_putc(&pat, ']');
    int rc = put_regexp_replace(c, sb, e, sb_cstr(&pat), with, nw);
    sb_free(&pat);
    return rc;
}

static int write_replace_str(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    int n = e->u.call.n_args;
    const ir_expr *nw = A(n - 1);
    char with_buf[8], one[8];
    const char *with = is_null_lit(nw) ? "" : const_str(nw, with_buf);
    bool ci = (e->u.call.flags & IR_FL_CASE_INSENSITIVE) != 0;
    if (n == 3 && !ci) {
        /* replace(x, old, new): a NULL old string matches nothing, a NULL new string removes */
        const char *old = const_str(A(1), one);
        PUT("replace(");
        E(0);
        PUT(", ");
        if (old) {
            sparksql_string(sb, old);
        } else if (is_null_lit(A(1))) {
            PUT("''");
        } else {
            PUT("coalesce(");
            E(1);
            PUT(", '')");
        }
        PUT(", ");
        if (with) {
            sparksql_string(sb, with);
        } else {
            PUT("coalesce(");
            emit(c, sb, nw, P_ANY);
            PUT(", '')");
        }
        PUT(")");
        return P_PRIMARY;
    }
    /* several search strings (or case-insensitive): one alternation, a single pass, so a
     * replacement is never searched again */
    strbuf pat = STRBUF_INIT;
    if (ci)
        sb_puts(&pat, "(?i)");
    int alts = 0;
    for (int i = 1; i < n - 1; i++) {
        char buf[8];
        const char *s = const_str(A(i), buf);
        if (!s && !is_null_lit(A(i))) {
            sb_free(&pat);
            return unsupported(c, sb, e, "REPLACESTR with a computed search string");
        }
        if (!s || !*s)
            continue; /* NULL and '' match nothing */
        if (alts++)
            sb_putc(&pat, '|');
        regex_quote(&pat, s, false);
    }
    if (!alts) {
        sb_free(&pat);
        return write(c, sb, A(0));
    }
    int rc = put_regexp_replace(c, sb, e, sb_cstr(&pat), with, nw);
    sb_free(&pat);
    return rc;
}

/* x RLIKE pattern, anchored to the whole string for full_match. */
/* The pattern p for Java's find: anchored for full_match, (?i) first for case_insensitive. */
static void put_pattern(sparksql_ctx *c, strbuf *sb, const ir_expr *p, bool full, const char *inl, int min)
{
    const char *s = lit_str(p);
    if (s && (full || *inl)) {
        strbuf t = STRBUF_INIT;
        sb_printf(&t, full ? "%s^(?:%s)\\z" : "%s%s", inl, s);
        sparksql_string(sb, sb_cstr(&t));
        sb_free(&t);
    } else if (full || *inl) {
        sb_printf(sb, "concat('%s%s', ", inl, full ? "^(?:" : "");
        emit(c, sb, p, P_ANY);
        PUT(full ? ", ')\\\\z')" : ")");
    } else {
        emit(c, sb, p, min);
    }
}

static void put_rlike(sparksql_ctx *c, strbuf *sb, const ir_expr *x, const ir_expr *p, bool full, const char *inl)
{
    emit(c, sb, x, P_CMP);
    PUT(" RLIKE ");
    put_pattern(c, sb, p, full, inl, P_CMP);
}

/* ---- dates ---- */

/* x moved by n (an expression written by the caller into amount) units of part, keeping a DATE a
 * DATE where the part allows: date_add / add_months, else timestampadd (month ends clamp). */
static void put_add_units(sparksql_ctx *c, strbuf *sb, const ir_expr *x, bool date, const char *part, const char *amount,
                          int amount_level)
{
    int mult = !strcmp(part, "year") ? 12 : !strcmp(part, "quarter") ? 3 : !strcmp(part, "week") ? 7 : 1;
    bool months = !strcmp(part, "year") || !strcmp(part, "quarter") || !strcmp(part, "month");
    if (date && (months || !strcmp(part, "day") || !strcmp(part, "week"))) {
        PUT(months ? "add_months(" : "date_add(");
        emit(c, sb, x, P_ANY);
        PUT(", ");
        char *end;
        long long v = strtoll(amount, &end, 10);
        if (mult == 1)
            PUT(amount);
        else if (*amount && !*end)
            sb_printf(sb, "%lld", v * mult);
        else if (amount_level < P_MUL)
            sb_printf(sb, "(%s) * %d", amount, mult);
        else
            sb_printf(sb, "%s * %d", amount, mult);
        PUT(")");
        return;
    }
    PUT("timestampadd(");
    put_unit(sb, part);
    sb_printf(sb, ", %s, ", amount);
    emit(c, sb, x, P_ANY);
    PUT(")");
}

static int write_date_add(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(A(1), pb, sizeof pb);
    if (!part || !strcmp(part, "nanosecond"))
        return unsupported(c, sb, e, "DATE_ADD with a computed date part or nanoseconds (Spark keeps microseconds)");
    strbuf amount = STRBUF_INIT;
    int lvl = write(c, &amount, A(2));
    put_add_units(c, sb, A(0), is_date_typed(c, A(0)), part, sb_cstr(&amount), lvl);
    sb_free(&amount);
    return P_PRIMARY;
}

/* date ± number: days; fractions are time of day. */
static int write_date_plus_days(sparksql_ctx *c, strbuf *sb, const ir_expr *e, bool minus)
{
    ir_type tb = type_of(c, A(1));
    long long v;
    bool whole = lit_int(A(1), &v) || is_integral(tb);
    if (is_date_typed(c, A(0)) && whole) {
        PUT(minus ? "date_sub(" : "date_add(");
        E(0);
        PUT(", ");
        E(1);
        PUT(")");
        return P_PRIMARY;
    }
    if (whole) {
        PUT("timestampadd(DAY, ");
        if (minus) {
            PUT("-");
            emit_noneg(c, sb, A(1), P_UNARY);
        } else {
            E(1);
        }
        PUT(", ");
        E(0);
        PUT(")");
        return P_PRIMARY;
    }
    /* a day-time interval of n * 86400 seconds keeps the fraction */
    emit(c, sb, A(0), P_ADD);
    PUT(minus ? " - make_dt_interval(0, 0, 0, " : " + make_dt_interval(0, 0, 0, ");
    emit(c, sb, A(1), P_MUL);
    PUT(" * 86400)");
    return P_ADD;
}

/* unix_micros of a value: timestamps as they are, anything else cast first. */
static void put_micros(sparksql_ctx *c, strbuf *sb, const ir_expr *x)
{
    PUT("unix_micros(");
    if (type_of(c, x).kind == IR_TY_TIMESTAMP) {
        emit(c, sb, x, P_ANY);
    } else {
        PUT("CAST(");
        emit(c, sb, x, P_ANY);
        PUT(" AS TIMESTAMP)");
    }
    PUT(")");
}

static int write_date_diff(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(A(2), pb, sizeof pb);
    if (!part)
        return unsupported(c, sb, e, "DATE_DIFF with a computed date part");
    if (!strcmp(part, "month") || !strcmp(part, "quarter") || !strcmp(part, "year")) {
        /* months_between has the 31-day fraction rule of Oracle and Informatica */
        PUT("months_between(");
        E(0);
        PUT(", ");
        E(1);
        PUT(", false)");
        if (!strcmp(part, "month"))
            return P_PRIMARY;
        PUT(!strcmp(part, "quarter") ? " / 3" : " / 12");
        return P_MUL;
    }
    if ((!strcmp(part, "day") || !strcmp(part, "week")) && is_date_typed(c, A(0)) && is_date_typed(c, A(1))) {
        /* whole days between DATEs, exact whatever the session time zone */
        PUT(!strcmp(part, "day") ? "CAST(datediff(" : "datediff(");
        E(0);
        PUT(", ");
        E(1);
        if (!strcmp(part, "day")) {
            PUT(") AS DOUBLE)");
            return P_PRIMARY;
        }
        PUT(") / 7"); /* a DOUBLE: Spark's / divides as floating point */
        return P_MUL;
    }
    static const struct { const char *part, *div; } per[] = {
        /* Spark's / always divides as DOUBLE: plain integer divisors keep the text readable */
        {"week", "604800000000"}, {"day", "86400000000"}, {"hour", "3600000000"}, {"minute", "60000000"},
        {"second", "1000000"}, {"millisecond", "1000"}, {"microsecond", "1"}, {"nanosecond", NULL},
    };
    for (size_t i = 0; i < sizeof per / sizeof per[0]; i++)
        if (!strcmp(part, per[i].part)) {
            PUT("(");
            put_micros(c, sb, A(0));
            PUT(" - ");
            put_micros(c, sb, A(1));
            sb_printf(sb, per[i].div ? ") / %s" : ") * 1000D", per[i].div);
            return P_MUL;
        }
    return unsupported(c, sb, e, "DATE_DIFF with an unknown date part");
}

/* One part of a date as an integer. */
static int put_date_part(sparksql_ctx *c, strbuf *sb, const ir_expr *d, const char *part)
{
    static const struct { const char *part, *fn; } direct[] = {
        {"year", "year"}, {"quarter", "quarter"}, {"month", "month"}, {"week", "weekofyear"},
        {"day", "day"}, {"hour", "hour"}, {"minute", "minute"}, {"second", "second"},
    };
    for (size_t i = 0; i < sizeof direct / sizeof direct[0]; i++)
        if (!strcmp(part, direct[i].part)) {
            sb_printf(sb, "%s(", direct[i].fn);
            emit(c, sb, d, P_ANY);
            PUT(")");
            return 0;
        }
    const char *pat = !strcmp(part, "millisecond") ? "SSS" : !strcmp(part, "microsecond") ? "SSSSSS"
                    : !strcmp(part, "nanosecond") ? "SSSSSSSSS" : NULL;
    if (!pat)
        return -1;
    PUT("CAST(date_format(");
    emit(c, sb, d, P_ANY);
    sb_printf(sb, ", '%s') AS INT)", pat);
    return 0;
}

static int write_date_set_part(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(A(1), pb, sizeof pb);
    static const char *const parts[] = {"year", "month", "day", "hour", "minute", "second"};
    int which = -1;
    for (int i = 0; part && i < 6; i++)
        if (!strcmp(part, parts[i]))
            which = i;
    if (which < 0)
        return unsupported(c, sb, e, "DATE_SET_PART for this date part");
    bool date = is_date_typed(c, A(0));
    if (date && which > 2)
        return unsupported(c, sb, e, "DATE_SET_PART of a time part on a DATE");
    /* rebuilt from its parts with one replaced (an impossible date gives NULL); the seconds keep
     * their fraction: date_part('SECOND', ts) is DECIMAL(8,6) */
    PUT(date ? "make_date(" : "make_timestamp(");
    for (int i = 0; i < (date ? 3 : 6); i++) {
        if (i)
            PUT(", ");
        if (i == which) {
            E(2);
        } else if (i == 5) {
            PUT("date_part('SECOND', ");
            E(0);
            PUT(")");
        } else {
            put_date_part(c, sb, A(0), parts[i]);
        }
    }
    PUT(")");
    return P_PRIMARY;
}

static bool calendar_part(const char *part)
{
    return !strcmp(part, "year") || !strcmp(part, "quarter") || !strcmp(part, "month") || !strcmp(part, "week");
}

/* x (or the text xtext) truncated to a calendar part, or any part of a timestamp: trunc keeps a
 * DATE a DATE, date_trunc gives a TIMESTAMP. */
static void put_trunc(sparksql_ctx *c, strbuf *sb, const ir_expr *x, const char *xtext, bool date, const char *part)
{
    PUT(date ? "trunc(" : "date_trunc('");
    if (!date) {
        put_unit(sb, part);
        PUT("', ");
    }
    if (xtext)
        PUT(xtext);
    else
        emit(c, sb, x, P_ANY);
    if (date) {
        PUT(", '");
        put_unit(sb, part);
        PUT("'");
    }
    PUT(")");
}

static int write_date_trunc(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(A(1), pb, sizeof pb);
    if (!part || !strcmp(part, "nanosecond"))
        return unsupported(c, sb, e, "DATE_TRUNC with a computed date part or nanoseconds");
    bool date = is_date_typed(c, A(0));
    if (date && !calendar_part(part)) /* a date has no time part to truncate */
        return write(c, sb, A(0));
    put_trunc(c, sb, A(0), NULL, date, part);
    return P_PRIMARY;
}

static int write_date_round(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    char pb[16];
    const char *part = part_of(A(1), pb, sizeof pb);
    if (!part)
        return unsupported(c, sb, e, "DATE_ROUND with a computed date part");
    bool date = is_date_typed(c, A(0));
    strbuf x = STRBUF_INIT;
    emit(c, &x, A(0), P_ANY);
    /* Informatica ROUND(date): up from the middle of the unit (year: July, month: the 16th) */
    if (!strcmp(part, "year") || !strcmp(part, "month")) {
        bool y = part[0] == 'y';
        strbuf moved = STRBUF_INIT, cond = STRBUF_INIT;
        put_add_units(c, &moved, A(0), date, part, "1", P_PRIMARY);
        sb_printf(&cond, "CASE WHEN %s(%s) >= %d THEN %s ELSE %s END", y ? "month" : "day", sb_cstr(&x), y ? 7 : 16,
                  sb_cstr(&moved), sb_cstr(&x));
        put_trunc(c, sb, NULL, sb_cstr(&cond), date, part);
        sb_free(&moved);
        sb_free(&cond);
        sb_free(&x);
        return P_PRIMARY;
    }
    static const struct { const char *part, *unit; int half; } half[] = {
        {"day", "HOUR", 12}, {"hour", "MINUTE", 30}, {"minute", "SECOND", 30}, {"second", "MILLISECOND", 500},
    };
    for (size_t i = 0; i < sizeof half / sizeof half[0]; i++)
        if (!strcmp(part, half[i].part)) {
            if (date) { /* a date is already whole days */
                sb_free(&x);
                return write(c, sb, A(0));
            }
            PUT("date_trunc('");
            put_unit(sb, part);
            sb_printf(sb, "', timestampadd(%s, %d, %s))", half[i].unit, half[i].half, sb_cstr(&x));
            sb_free(&x);
            return P_PRIMARY;
        }
    sb_free(&x);
    return unsupported(c, sb, e, "DATE_ROUND for this date part");
}

/* ---- conversions ---- */

static int write_to_int(sparksql_ctx *c, strbuf *sb, const ir_expr *e, const char *type)
{
    const ir_expr *t = e->u.call.n_args > 1 ? A(1) : NULL;
    bool trunc = true;
    long long tv = 0;
    bool is_str = type_of(c, A(0)).kind == IR_TY_STRING || lit_str(A(0));
    /* strings through DECIMAL(38,10), so '12.7' truncates (a cast of it to INT would be NULL) */
    strbuf x = STRBUF_INIT;
    if (is_str) {
        sb_puts(&x, "CAST(");
        emit(c, &x, A(0), P_ANY);
        sb_puts(&x, " AS DECIMAL(38,10))");
    } else {
        emit(c, &x, A(0), P_ANY);
    }
    if (t && is_lit(t, IR_LIT_BOOL))
        trunc = is_true_lit(t);
    else if (t && lit_int(t, &tv))
        trunc = tv != 0;
    else if (t) {
        PUT("CASE WHEN ");
        E(1);
        sb_printf(sb, " THEN CAST(%s AS %s) ELSE CAST(round(%s) AS %s) END", sb_cstr(&x), type, sb_cstr(&x), type);
        sb_free(&x);
        return P_PRIMARY;
    }
    /* a cast truncates toward zero; round is HALF_UP, half away from zero */
    sb_printf(sb, trunc ? "CAST(%s AS %s)" : "CAST(round(%s) AS %s)", sb_cstr(&x), type);
    sb_free(&x);
    return P_PRIMARY;
}

static int write_to_decimal(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    long long scale = -1;
    if (e->u.call.n_args > 1 && !lit_int(A(1), &scale))
        return unsupported(c, sb, e, "TO_DECIMAL with a computed scale");
    /* the type rule: DECIMAL(38,s) with a literal scale; else a decimal keeps its type, an integer
     * becomes DECIMAL(10,0) / DECIMAL(19,0), anything else DECIMAL(38,10) */
    ir_type t = e->type, xt = type_of(c, A(0));
    if (t.kind != IR_TY_DECIMAL || t.precision <= 0) {
        if (scale >= 0)
            t = ir_type_make(IR_TY_DECIMAL, 38, (int32_t)scale);
        else if (xt.kind == IR_TY_DECIMAL && xt.precision > 0)
            t = xt;
        else if (is_integral(xt))
            t = ir_type_make(IR_TY_DECIMAL, xt.kind == IR_TY_INT ? 10 : 19, 0);
        else
            t = ir_type_make(IR_TY_DECIMAL, 38, 10);
    } else if (scale >= 0) {
        t.scale = (int32_t)scale;
    }
    strbuf tn = STRBUF_INIT;
    sparksql_type(&tn, t);
    if (ir_type_is_numeric(xt) && !lit_str(A(0))) {
        PUT("CAST(");
        E(0);
        sb_printf(sb, " AS %s)", sb_cstr(&tn));
        sb_free(&tn);
        return P_PRIMARY;
    }
    /* a non-numeric string gives 0 (Informatica), a NULL stays NULL */
    bool guard = !never_null(A(0));
    if (guard) {
        PUT("CASE WHEN ");
        emit(c, sb, A(0), P_CMP);
        PUT(" IS NOT NULL THEN ");
    }
    PUT("coalesce(try_cast(");
    E(0);
    sb_printf(sb, " AS %s), CAST(0 AS %s))", sb_cstr(&tn), sb_cstr(&tn));
    if (guard)
        PUT(" END");
    sb_free(&tn);
    return P_PRIMARY;
}

/* ---- aggregates ---- */

/* fn([DISTINCT ]value) with an optional filter (value only where it holds; aggregates skip NULLs).
 * value_arg -1: count(*). extra is written after the value (first/last's ignore-nulls flag). */
static int write_agg(sparksql_ctx *c, strbuf *sb, const ir_expr *e, const char *fn, int value_arg, int filter_arg,
                     const char *extra)
{
    if (c->agg_depth > 0)
        return unsupported(c, sb, e, "nested aggregate (aggregate of an aggregate): Spark needs a second aggregation");
    const ir_expr *filter = filter_arg < e->u.call.n_args ? A(filter_arg) : NULL;
    c->agg_depth++;
    sb_printf(sb, "%s(", fn);
    if (e->u.call.flags & IR_FL_DISTINCT)
        PUT("DISTINCT ");
    if (value_arg < 0 && !filter) {
        PUT("*");
    } else {
        if (filter) {
            PUT("CASE WHEN ");
            emit(c, sb, filter, P_ANY);
            PUT(" THEN ");
        }
        if (value_arg < 0)
            PUT("1");
        else
            E(value_arg);
        if (filter)
            PUT(" END");
    }
    if (extra)
        PUT(extra);
    PUT(")");
    c->agg_depth--;
    return P_PRIMARY;
}

/* string_agg e's value (and filter) as a one-value aggregate call of its own for write_agg */
static ir_expr agg_of_value(const ir_expr *e, ir_expr **args)
{
    ir_expr copy = *e;
    copy.u.call.flags &= ~(uint32_t)IR_FL_DISTINCT;
    args[0] = e->u.call.args[0];
    args[1] = e->u.call.n_args > 2 ? e->u.call.args[2] : NULL;
    copy.u.call.n_args = args[1] ? 2 : 1; /* the value, then the filter */
    copy.u.call.args = args;
    return copy;
}

/* array_join(collect_list(x) | collect_set(x), sep) of string_agg e: '' for a group without a
 * non-NULL value (array_join casts the values to strings) */
static int write_array_join(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_expr *args[2];
    ir_expr v = agg_of_value(e, args);
    PUT("array_join(");
    write_agg(c, sb, &v, (e->u.call.flags & IR_FL_DISTINCT) ? "collect_set" : "collect_list", 0, 1, NULL);
    PUT(", ");
    E(1);
    PUT(")");
    return P_PRIMARY;
}

/* The values of ordered aggregate e in the order of its keys (spark_expr.c's write_sorted_values
 * says how): transform(sort_array(collect_list(CASE WHEN x IS NOT NULL THEN named_struct('n0', k0 IS
 * NULL, 'k0', k0, .., 'v', x) END), asc), s -> s.v). */
static int write_sorted_values(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_sort_key keys[16];
    bool null_flag[16];
    int nk;
    const char *why = spark_ordered_agg(e, keys, null_flag, 16, &nk);
    if (why)
        return unsupported(c, sb, e, why);
    if (c->agg_depth > 0)
        return unsupported(c, sb, e, "nested aggregate (aggregate of an aggregate): Spark needs a second aggregation");
    c->agg_depth++;
    PUT("transform(sort_array(collect_list(CASE WHEN ");
    emit(c, sb, A(0), P_CMP + 1);
    PUT(" IS NOT NULL THEN named_struct(");
    for (int i = 0; i < nk; i++) {
        sb_printf(sb, "'n%d', ", i);
        emit(c, sb, keys[i].expr, P_CMP + 1);
        sb_printf(sb, " IS %sNULL, 'k%d', ", null_flag[i] ? "" : "NOT ", i);
        emit(c, sb, keys[i].expr, P_ANY);
        PUT(", ");
    }
    PUT("'v', ");
    E(0);
    sb_printf(sb, ") END), %s), s -> s.v)", keys[0].desc ? "false" : "true");
    c->agg_depth--;
    return P_PRIMARY;
}

/* A two-value aggregate fn(y, x) with an optional filter (argument 2) on both values: a pair with a
 * NULL is ignored, so CASE WHEN f THEN y END drops the row as the filter does. */
static int write_agg2(sparksql_ctx *c, strbuf *sb, const ir_expr *e, const char *fn)
{
    if (c->agg_depth > 0)
        return unsupported(c, sb, e, "nested aggregate (aggregate of an aggregate): Spark needs a second aggregation");
    const ir_expr *filter = e->u.call.n_args > 2 ? A(2) : NULL;
    c->agg_depth++;
    sb_printf(sb, "%s(", fn);
    for (int i = 0; i < 2; i++) {
        if (i)
            PUT(", ");
        if (filter) {
            PUT("CASE WHEN ");
            emit(c, sb, filter, P_ANY);
            PUT(" THEN ");
        }
        E(i);
        if (filter)
            PUT(" END");
    }
    PUT(")");
    c->agg_depth--;
    return P_PRIMARY;
}

/* ---- window functions (window nodes) ---- */

typedef struct win_plan {
    int order;       /* 0 none, 1 the node's order keys, 2 invented from the input columns */
    bool framed;     /* write `frame` */
    ir_frame frame;
    const char *why; /* not expressible: the reason */
} win_plan;

static bool offset_bound(ir_frame_bound b)
{
    return b.kind == IR_BOUND_PRECEDING || b.kind == IR_BOUND_FOLLOWING;
}

/* How one window call of window node w is written: only frame-reading functions get a frame
 * (Spark rejects other frames on ranking and offset functions); without order keys, functions
 * that need an order are ordered by every input column (order-dependent). */
static win_plan window_plan(const ir_node *w, ir_fn fn, uint32_t flags)
{
    win_plan p = {0, false, w->frame, NULL};
    if (fn == IR_FN_FIRST || fn == IR_FN_LAST) {
        p.why = "first/last are input-order aggregates; in a window node use first_value/last_value";
        return p;
    }
    if (fn == IR_FN_MEDIAN || fn == IR_FN_PERCENTILE) {
        /* over a whole partition (no order keys, the default frame) they are plain aggregates of it */
        if (w->n_order == 0 && (w->frame.unit == IR_FRAME_RANGE || (w->frame.start.kind == IR_BOUND_UNBOUNDED_PRECEDING &&
                                                                    w->frame.end.kind == IR_BOUND_UNBOUNDED_FOLLOWING)) &&
            !(flags & IR_FL_DISTINCT))
            return p;
        p.why = "median and percentile are window aggregates in Spark only over a whole partition (no order, no frame)";
        return p;
    }
    if (flags & IR_FL_DISTINCT) {
        p.why = "Spark has no distinct window aggregates";
        return p;
    }
    bool uses = ir_fn_uses_frame(fn);
    bool range_offsets = w->frame.unit == IR_FRAME_RANGE && (offset_bound(w->frame.start) || offset_bound(w->frame.end));
    if (uses && range_offsets && w->n_order != 1) {
        p.why = "a RANGE frame with offsets needs exactly one order key";
        return p;
    }
    if (w->n_order > 0) {
        p.order = 1;
        p.framed = uses;
        return p;
    }
    p.frame = spark_window_frame(w);
    bool whole = p.frame.start.kind == IR_BOUND_UNBOUNDED_PRECEDING && p.frame.end.kind == IR_BOUND_UNBOUNDED_FOLLOWING;
    if (ir_fn_is_window(fn)) {
        p.order = 2;
        p.framed = uses;
    } else if (!whole) {
        p.order = 2;
        p.framed = true;
    }
    return p;
}

static void frame_bound(strbuf *sb, ir_frame_bound b)
{
    switch (b.kind) {
    case IR_BOUND_UNBOUNDED_PRECEDING: sb_puts(sb, "UNBOUNDED PRECEDING"); break;
    case IR_BOUND_PRECEDING: sb_printf(sb, "%lld PRECEDING", (long long)b.offset); break;
    case IR_BOUND_CURRENT_ROW: sb_puts(sb, "CURRENT ROW"); break;
    case IR_BOUND_FOLLOWING: sb_printf(sb, "%lld FOLLOWING", (long long)b.offset); break;
    case IR_BOUND_UNBOUNDED_FOLLOWING: sb_puts(sb, "UNBOUNDED FOLLOWING"); break;
    }
}

static bool is_partition_key(const ir_node *w, const char *col)
{
    for (int j = 0; j < w->n_keys; j++)
        if (w->keys[j]->kind == IR_EX_REF && strcmp(w->keys[j]->u.ref.col, col) == 0)
            return true;
    return false;
}

/* ` OVER (PARTITION BY ... ORDER BY ... ROWS BETWEEN ...)` */
static void over_clause(sparksql_ctx *c, strbuf *sb, const win_plan *p, const ir_node *w)
{
    PUT(" OVER (");
    bool any = false;
    if (w->n_keys) {
        PUT("PARTITION BY ");
        for (int i = 0; i < w->n_keys; i++) {
            if (i)
                PUT(", ");
            emit(c, sb, w->keys[i], P_ANY);
        }
        any = true;
    }
    if (p->order == 1) {
        PUT(any ? " ORDER BY " : "ORDER BY ");
        for (int i = 0; i < w->n_order; i++) {
            const ir_sort_key *k = &w->order[i];
            if (i)
                PUT(", ");
            emit(c, sb, k->expr, P_ANY);
            PUT(k->desc ? " DESC" : " ASC");
            if (k->nulls == 1)
                PUT(" NULLS FIRST");
            else if (k->nulls == 2)
                PUT(" NULLS LAST");
        }
        any = true;
    } else if (p->order == 2) {
        /* the legacy order is unknown: every input column that is not a partition key */
        const ir_node *in = c->job && w->n_inputs ? ir_job_node(c->job, w->inputs[0]) : NULL;
        PUT(any ? " ORDER BY " : "ORDER BY ");
        int k = 0;
        for (int i = 0; in && i < in->n_cols; i++) {
            if (is_partition_key(w, in->cols[i].name))
                continue;
            if (k++)
                PUT(", ");
            if (c->n_quals && c->quals[0].node == in->id && c->quals[0].alias) {
                sparksql_ident(sb, c->quals[0].alias);
                PUT(".");
            }
            sparksql_ident(sb, in->cols[i].name);
        }
        if (!k)
            PUT("NULL");
        any = true;
    }
    if (p->framed) {
        PUT(any ? " " : "");
        PUT(p->frame.unit == IR_FRAME_ROWS ? "ROWS BETWEEN " : "RANGE BETWEEN ");
        frame_bound(sb, p->frame.start);
        PUT(" AND ");
        frame_bound(sb, p->frame.end);
    }
    PUT(")");
    if (p->order == 2) {
        c->order_dependent++;
        PUT(" /* ETLPORT ORDER-DEPENDENT: the window has no order keys; ordered by every input column */");
    }
}

static int write_call_body(sparksql_ctx *c, strbuf *sb, const ir_expr *e);

/* A window function, or an aggregate in a window node: fn(...) [IGNORE NULLS] OVER (...). */
static int write_window_call(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_fn fn = e->u.call.fn;
    /* the window: a statement's OVER clause (consumed here, so that aggregates in its arguments
     * and keys are plain aggregates) or the window node whose column this is */
    const ir_node *w = c->over ? c->over : c->node;
    c->over = NULL;
    if (!w || w->op != IR_OP_WINDOW)
        return unsupported(c, sb, e, "a window function is computed only in a window node (its partition, order and frame)");
    if (c->window_depth > 0)
        return unsupported(c, sb, e, "a window call inside another window call's arguments needs a second window step");
    if (fn == IR_FN_STRING_AGG)
        return unsupported(c, sb, e, "a string aggregate over a window (written as an expression of two aggregates)");
    win_plan p = window_plan(w, fn, e->u.call.flags);
    if (p.why)
        return unsupported(c, sb, e, p.why);
    long long v = 0;
    if (fn == IR_FN_NTILE && !(lit_int(A(0), &v) && v > 0))
        return unsupported(c, sb, e, "ntile needs a positive integer literal");
    if ((fn == IR_FN_LAG || fn == IR_FN_LEAD) && e->u.call.n_args > 1 && !(lit_int(A(1), &v) && v >= 0))
        return unsupported(c, sb, e, "lag/lead need a non-negative integer literal offset");
    /* a placeholder in the arguments (a nested window call) keeps the OVER: still valid SQL */
    c->window_depth++;
    write_call_body(c, sb, e);
    c->window_depth--;
    if (ir_fn_is_window(fn) && (e->u.call.flags & IR_FL_IGNORE_NULLS))
        PUT(" IGNORE NULLS");
    over_clause(c, sb, &p, w);
    return P_PRIMARY;
}

/* A string literal of an even number of hex digits (from_hex of it is the literal X'..'). */
static int hex_text(const ir_expr *e)
{
    if (e->kind != IR_EX_LIT || e->u.lit.kind != IR_LIT_STRING || !e->u.lit.text)
        return 0;
    size_t n = strlen(e->u.lit.text);
    return n % 2 == 0 && strspn(e->u.lit.text, "0123456789abcdefABCDEF") == n;
}

static int write_call(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_fn fn = e->u.call.fn;
    const ir_fn_info *fi = ir_fn_get(fn);
    int n = e->u.call.n_args;
    if (n < fi->min_args || (fi->max_args >= 0 && n > fi->max_args))
        return unsupported(c, sb, e, "wrong number of arguments");
    if (unsupported_reasons[fn])
        return unsupported(c, sb, e, unsupported_reasons[fn]);
    if (ir_fn_is_window(fn) || (c->node && c->node->op == IR_OP_WINDOW && ir_fn_is_aggregate(fn)))
        return write_window_call(c, sb, e);
    return write_call_body(c, sb, e);
}

/* Every canonical function (window functions reach it through write_window_call). */
static int write_call_body(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    ir_fn fn = e->u.call.fn;
    int n = e->u.call.n_args;
    uint32_t fl = e->u.call.flags;

    switch (fn) {
    /* arithmetic */
    case IR_FN_ADD:
    case IR_FN_SUB: {
        ir_type ta = type_of(c, A(0)), tb = type_of(c, A(1));
        if (is_temporal(ta) && !is_temporal(tb) && tb.kind != IR_TY_UNKNOWN)
            return write_date_plus_days(c, sb, e, fn == IR_FN_SUB);
        if (fn == IR_FN_SUB && is_temporal(ta) && is_temporal(tb)) /* days; Spark's - would give an interval */
            return call_plain(c, sb, "datediff", e, 0, 2);
        return binop(c, sb, A(0), fn == IR_FN_ADD ? "+" : "-", A(1), P_ADD);
    }
    case IR_FN_MUL: return binop(c, sb, A(0), "*", A(1), P_MUL);
    case IR_FN_DIV: {
        ir_type ta = type_of(c, A(0)), tb = type_of(c, A(1));
        bool ints = is_integral(ta) && is_integral(tb);
        if ((fl & IR_FL_INT_DIVISION) && (is_integral(e->type) || (e->type.kind == IR_TY_UNKNOWN && ints))) {
            /* DIV truncates toward zero (BIGINT); NULLIF makes a zero divisor NULL in any ANSI mode */
            bool to_int = e->type.kind == IR_TY_INT || (e->type.kind == IR_TY_UNKNOWN && ta.kind == IR_TY_INT &&
                                                        tb.kind == IR_TY_INT);
            if (to_int)
                PUT("CAST(");
            emit(c, sb, A(0), P_MUL);
            PUT(" DIV nullif(");
            E(1);
            PUT(", 0)");
            if (to_int) {
                PUT(" AS INT)");
                return P_PRIMARY;
            }
            return P_MUL;
        }
        /* try_divide: NULL for a zero divisor whatever the ANSI setting (Informatica) */
        return call_plain(c, sb, "try_divide", e, 0, 2);
    }
    case IR_FN_MOD: return binop(c, sb, A(0), "%", A(1), P_MUL);
    case IR_FN_NEG:
        PUT("-");
        emit_noneg(c, sb, A(0), P_UNARY);
        return P_UNARY;
    /* comparison */
    case IR_FN_EQ: return compare(c, sb, e, "=");
    case IR_FN_NE: return compare(c, sb, e, "<>");
    case IR_FN_LT: return compare(c, sb, e, "<");
    case IR_FN_LE: return compare(c, sb, e, "<=");
    case IR_FN_GT: return compare(c, sb, e, ">");
    case IR_FN_GE: return compare(c, sb, e, ">=");
    case IR_FN_IN: {
        /* SQL IN: NULL when nothing matches and the list holds a NULL, as the canonical in */
        bool pad = (fl & IR_FL_BLANK_PADDED) != 0, ci = (fl & IR_FL_CASE_INSENSITIVE) != 0;
        cmp_side(c, sb, A(0), pad, ci, P_CMP);
        PUT(" IN (");
        for (int i = 1; i < n; i++) {
            if (i > 1)
                PUT(", ");
            cmp_side(c, sb, A(i), pad, ci, P_ANY);
        }
        PUT(")");
        return P_PRED;
    }
    /* logic: Spark's AND and OR are three-valued (Kleene) */
    case IR_FN_AND:
    case IR_FN_OR: {
        int lvl = fn == IR_FN_AND ? P_AND : P_OR;
        for (int i = 0; i < n; i++) {
            if (i)
                PUT(fn == IR_FN_AND ? " AND " : " OR ");
            emit(c, sb, A(i), lvl);
        }
        return lvl;
    }
    case IR_FN_NOT:
        PUT("NOT ");
        emit(c, sb, A(0), P_NOT);
        return P_NOT;
    /* conditionals */
    case IR_FN_IF: {
        /* a NULL condition takes the else branch in CASE too; nested IIFs in the else branch read
         * as one CASE */
        const ir_expr *cur = e;
        PUT("CASE");
        for (;;) {
            PUT(" WHEN ");
            emit(c, sb, cur->u.call.args[0], P_ANY);
            PUT(" THEN ");
            emit(c, sb, cur->u.call.args[1], P_ANY);
            const ir_expr *el = cur->u.call.args[2];
            if (el->kind == IR_EX_CALL && el->u.call.fn == IR_FN_IF && el->u.call.n_args == 3) {
                cur = el;
                continue;
            }
            if (!is_null_lit(el)) {
                PUT(" ELSE ");
                emit(c, sb, el, P_ANY);
            }
            break;
        }
        PUT(" END");
        return P_PRIMARY;
    }
    case IR_FN_CASE:
        PUT("CASE");
        for (int i = 0; i + 1 < n; i += 2) {
            PUT(" WHEN ");
            E(i);
            PUT(" THEN ");
            E(i + 1);
        }
        if (n % 2 && !is_null_lit(A(n - 1))) {
            PUT(" ELSE ");
            E(n - 1);
        }
        PUT(" END");
        return P_PRIMARY;
    case IR_FN_DECODE: {
        bool has_default = n % 2 == 0;
        if (is_true_lit(A(0))) {
            /* DECODE(TRUE, c1, r1, ...): TRUE equals c only when c is TRUE */
            PUT("CASE");
            for (int i = 1; i + 1 < n; i += 2) {
                PUT(" WHEN ");
                E(i);
                PUT(" THEN ");
                E(i + 1);
            }
            if (has_default && !is_null_lit(A(n - 1))) {
                PUT(" ELSE ");
                E(n - 1);
            }
            PUT(" END");
            return P_PRIMARY;
        }
        if (fl & IR_FL_NULL_MATCHES_NULL) /* Spark's decode: NULL matches NULL */
            return call_plain(c, sb, "decode", e, 0, n);
        /* the simple CASE compares with =, which never matches NULL */
        PUT("CASE ");
        E(0);
        for (int i = 1; i + 1 < n; i += 2) {
            PUT(" WHEN ");
            E(i);
            PUT(" THEN ");
            E(i + 1);
        }
        if (has_default && !is_null_lit(A(n - 1))) {
            PUT(" ELSE ");
            E(n - 1);
        }
        PUT(" END");
        return P_PRIMARY;
    }
    case IR_FN_COALESCE:
        if (n == 2 && A(0)->kind == IR_EX_CALL && A(0)->u.call.fn == IR_FN_STRING_AGG && A(1)->kind == IR_EX_LIT &&
            A(1)->u.lit.kind == IR_LIT_STRING && !*A(1)->u.lit.text && !(c->node && c->node->op == IR_OP_WINDOW))
            return write_array_join(c, sb, A(0)); /* coalesce(string_agg(..), '') is array_join itself */
        return call_plain(c, sb, "coalesce", e, 0, n);
    case IR_FN_NULLIF: return call_plain(c, sb, "nullif", e, 0, 2);
    /* tests */
    case IR_FN_IS_NULL:
        emit(c, sb, A(0), P_CMP);
        PUT(" IS NULL");
        return P_PRED;
    case IR_FN_IS_SPACES:
        /* Java's \s is Informatica's blank set; + makes '' false; \z: $ would also match before a
         * final newline */
        emit(c, sb, A(0), P_CMP);
        PUT(" RLIKE ");
        sparksql_string(sb, "^\\s+\\z");
        return P_PRED;
    case IR_FN_IS_NUMBER:
        /* a cast to DOUBLE would also accept NaN, Infinity and 1d */
        emit(c, sb, A(0), P_CMP);
        PUT(" RLIKE ");
        sparksql_string(sb, "^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*\\z");
        return P_PRED;
    case IR_FN_IS_DATE: {
        strbuf f = STRBUF_INIT;
        if (format_arg(&f, n > 1 ? A(1) : NULL, NULL) < 0) {
            sb_free(&f);
            return unsupported(c, sb, e, "IS_DATE with a computed or unknown format");
        }
        /* try_to_timestamp is NULL for a bad string; a NULL input stays NULL */
        PUT("CASE WHEN ");
        emit(c, sb, A(0), P_CMP);
        PUT(" IS NOT NULL THEN try_to_timestamp(");
        E(0);
        sb_printf(sb, ", %s) IS NOT NULL END", sb_cstr(&f));
        sb_free(&f);
        return P_PRIMARY;
    }
    /* strings */
    case IR_FN_CONCAT: {
        if (!(fl & IR_FL_NULL_AS_EMPTY)) /* concat is NULL if any argument is */
            return call_plain(c, sb, "concat", e, 0, n);
        /* null_as_empty: concat_ws skips NULL arguments (they count as ''); the result is NULL only
         * when every argument is, so unless one can never be NULL a CASE without ELSE guards it.
         * NULL literals add nothing and are left out. */
        bool guard = true;
        int live = 0;
        for (int i = 0; i < n; i++) {
            if (never_null(A(i)))
                guard = false;
            if (!is_null_lit(A(i)))
                live++;
        }
        if (!live) {
            PUT("CAST(NULL AS STRING)");
            return P_PRIMARY;
        }
        if (guard) {
            PUT("CASE WHEN ");
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (is_null_lit(A(i)))
                    continue;
                if (k++)
                    PUT(" OR ");
                emit(c, sb, A(i), P_CMP);
                PUT(" IS NOT NULL");
            }
            PUT(" THEN ");
        }
        PUT("concat_ws('', ");
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (is_null_lit(A(i)))
                continue;
            if (k++)
                PUT(", ");
            ir_type t = type_of(c, A(i));
            if ((fl & IR_FL_EMPTY_IS_NULL) && A(i)->kind != IR_EX_LIT && t.kind == IR_TY_DECIMAL &&
                (t.precision == 0 || t.scale > 0)) {
                /* Oracle's || writes a NUMBER's significant digits (5.5, .5); a DECIMAL(p,s) as
                 * STRING has all s digits of the scale: cut the fraction's trailing zeros and a
                 * lone leading 0 */
                PUT("regexp_replace(regexp_replace(CAST(");
                E(i);
                PUT(" AS STRING), '[.]0*$|([.][0-9]*[1-9])0+$', '$1'), '^(-?)0[.]', '$1.')");
                continue;
            }
            E(i);
        }
        PUT(guard ? ") END" : ")");
        return P_PRIMARY;
    }
    case IR_FN_LTRIM: return write_trim(c, sb, e, "ltrim", "LEADING");
    case IR_FN_RTRIM: return write_trim(c, sb, e, "rtrim", "TRAILING");
    case IR_FN_TRIM: return write_trim(c, sb, e, "trim", "BOTH");
    case IR_FN_UPPER: return call_plain(c, sb, "upper", e, 0, 1);
    case IR_FN_LOWER: return call_plain(c, sb, "lower", e, 0, 1);
    case IR_FN_INITCAP: return call_plain(c, sb, "initcap", e, 0, 1);
    case IR_FN_LPAD:
    case IR_FN_RPAD:
        /* Spark pads with blanks by default and truncates longer strings to n, as canonical */
        return call_plain(c, sb, fn == IR_FN_LPAD ? "lpad" : "rpad", e, 0, 3);
    case IR_FN_SUBSTR: return write_substr(c, sb, e);
    case IR_FN_INSTR: return write_instr(c, sb, e);
    case IR_FN_LENGTH: return call_plain(c, sb, "length", e, 0, 1);
    case IR_FN_REPLACE_CHARS: return write_replace_chars(c, sb, e);
    case IR_FN_REPLACE_STR: return write_replace_str(c, sb, e);
    case IR_FN_REGEXP_EXTRACT:
        /* regexp_extract gives '' when nothing matches; the canonical result is NULL */
        PUT("CASE WHEN ");
        put_rlike(c, sb, A(0), A(1), false, "");
        PUT(" THEN regexp_extract(");
        E(0);
        PUT(", ");
        E(1);
        PUT(", ");
        if (n > 2)
            E(2);
        else
            PUT("1");
        PUT(") END");
        return P_PRIMARY;
    case IR_FN_REGEXP_LIKE: {
        /* a LIKE's pattern as LIKE / ILIKE (backslash is Spark's escape character) */
        char *like = (fl & IR_FL_FULL_MATCH) && (fl & IR_FL_DOT_ALL) && lit_str(A(1)) ? ir_regex_to_like(lit_str(A(1)), '\\') : NULL;
        if (like) {
            emit(c, sb, A(0), P_CMP);
            PUT(fl & IR_FL_CASE_INSENSITIVE ? " ILIKE " : " LIKE ");
            sparksql_string(sb, like);
            free(like);
            return P_PRED;
        }
        /* RLIKE finds a match anywhere (Java find); full_match anchors the whole string */
        put_rlike(c, sb, A(0), A(1), (fl & IR_FL_FULL_MATCH) != 0, spark_inline_flags(fl));
        return P_PRED;
    }
    case IR_FN_REGEXP_REPLACE: {
        long long cnt;
        if (n > 3 && !(lit_int(A(3), &cnt) && cnt == 0))
            return unsupported(c, sb, e, "REG_REPLACE of at most n matches");
        return call_plain(c, sb, "regexp_replace", e, 0, 3);
    }
    case IR_FN_CHR: {
        long long v;
        char buf[8];
        if (lit_int(A(0), &v) && utf8_encode(v, buf)) { /* a constant code point is a string literal */
            sparksql_string(sb, buf);
            return P_PRIMARY;
        }
        /* Spark's char works modulo 256: right for Latin-1 code points only */
        return call_plain(c, sb, "char", e, 0, 1);
    }
    case IR_FN_ASCII: return call_plain(c, sb, "ascii", e, 0, 1);
    case IR_FN_REVERSE: return call_plain(c, sb, "reverse", e, 0, 1);
    /* conversion */
    case IR_FN_TO_CHAR: {
        ir_type t = type_of(c, A(0));
        if (n == 1 && !is_temporal(t)) {
            PUT("CAST(");
            E(0);
            PUT(" AS STRING)");
            return P_PRIMARY;
        }
        if (n > 1 && ir_type_is_numeric(t))
            return unsupported(c, sb, e, "TO_CHAR of a number with a format (number format models are not translated)");
        strbuf f = STRBUF_INIT;
        if (format_arg(&f, n > 1 ? A(1) : NULL, NULL) < 0) {
            sb_free(&f);
            return unsupported(c, sb, e, "TO_CHAR with a computed or unknown date format");
        }
        PUT("date_format(");
        E(0);
        sb_printf(sb, ", %s)", sb_cstr(&f));
        sb_free(&f);
        return P_PRIMARY;
    }
    case IR_FN_TO_DATE: {
        strbuf f = STRBUF_INIT, ts = STRBUF_INIT;
        bool rr = false;
        if (is_temporal(type_of(c, A(0)))) {
            sb_free(&f);
            PUT("CAST(");
            E(0);
            PUT(" AS TIMESTAMP)");
            return P_PRIMARY;
        }
        if (format_arg(&f, n > 1 ? A(1) : NULL, &rr) < 0) {
            sb_free(&f);
            return unsupported(c, sb, e, "TO_DATE with a computed or unknown date format");
        }
        sb_puts(&ts, "to_timestamp(");
        emit(c, &ts, A(0), P_ANY);
        sb_printf(&ts, ", %s)", sb_cstr(&f));
        if (rr) /* Spark's yy reads 2000-2099; the RR rule puts 50-99 in the 1900s */
            sb_printf(sb, "CASE WHEN year(%s) >= 2050 THEN timestampadd(YEAR, -100, %s) ELSE %s END", sb_cstr(&ts),
                      sb_cstr(&ts), sb_cstr(&ts));
        else
            PUT(sb_cstr(&ts));
        sb_free(&f);
        sb_free(&ts);
        return P_PRIMARY;
    }
    case IR_FN_TO_DECIMAL: return write_to_decimal(c, sb, e);
    case IR_FN_TO_INTEGER: return write_to_int(c, sb, e, "INT");
    case IR_FN_TO_BIGINT: return write_to_int(c, sb, e, "BIGINT");
    case IR_FN_TO_FLOAT:
        PUT("CAST(");
        E(0);
        PUT(" AS DOUBLE)");
        return P_PRIMARY;
    case IR_FN_CAST:
    case IR_FN_TRY_CAST:
        if (e->type.kind == IR_TY_UNKNOWN)
            return unsupported(c, sb, e, "CAST to an unknown type");
        PUT(fn == IR_FN_TRY_CAST ? "try_cast(" : "CAST(");
        E(0);
        PUT(" AS ");
        sparksql_type(sb, e->type);
        PUT(")");
        return P_PRIMARY;
    /* numbers */
    case IR_FN_TRUNC: {
        /* toward zero: floor for positives, ceil for negatives (both take a constant scale) */
        if (n > 1 && !foldable(A(1)))
            return unsupported(c, sb, e, "TRUNC with a computed number of places (Spark needs a constant scale)");
        strbuf d = STRBUF_INIT;
        long long places = 1;
        if (n > 1 && !(lit_int(A(1), &places) && places == 0)) {
            sb_puts(&d, ", ");
            emit(c, &d, A(1), P_ANY);
        }
        PUT("CASE WHEN ");
        emit(c, sb, A(0), P_ADD);
        PUT(" < 0 THEN ceil(");
        E(0);
        PUT(sb_cstr(&d));
        PUT(") ELSE floor(");
        E(0);
        PUT(sb_cstr(&d));
        PUT(") END");
        sb_free(&d);
        return P_PRIMARY;
    }
    case IR_FN_ROUND:
        /* Spark's round is HALF_UP: half away from zero, as the canonical round */
        if (n > 1 && !foldable(A(1)))
            return unsupported(c, sb, e, "ROUND with a computed number of places (Spark needs a constant scale)");
        return call_plain(c, sb, "round", e, 0, 2);
    case IR_FN_ABS: return call_plain(c, sb, "abs", e, 0, 1);
    case IR_FN_CEIL:
    case IR_FN_FLOOR:
        /* ceil(x, scale) / floor(x, scale): Spark 3.3+, the scale a constant */
        if (n > 1 && !foldable(A(1)))
            return unsupported(c, sb, e, "CEIL/FLOOR with a computed scale (Spark needs a constant)");
        return call_plain(c, sb, fn == IR_FN_CEIL ? "ceil" : "floor", e, 0, n);
    case IR_FN_POWER: return call_plain(c, sb, "power", e, 0, 2);
    case IR_FN_SQRT: return call_plain(c, sb, "sqrt", e, 0, 1);
    case IR_FN_EXP: return call_plain(c, sb, "exp", e, 0, 1);
    case IR_FN_LN: return call_plain(c, sb, "ln", e, 0, 1);
    case IR_FN_LOG: return call_plain(c, sb, "log", e, 0, 2); /* log(base, x), as canonical */
    case IR_FN_SIN: return call_plain(c, sb, "sin", e, 0, 1);
    case IR_FN_COS: return call_plain(c, sb, "cos", e, 0, 1);
    case IR_FN_TAN: return call_plain(c, sb, "tan", e, 0, 1);
    case IR_FN_ASIN: return call_plain(c, sb, "asin", e, 0, 1);
    case IR_FN_ACOS: return call_plain(c, sb, "acos", e, 0, 1);
    case IR_FN_ATAN: return call_plain(c, sb, "atan", e, 0, 1);
    case IR_FN_ATAN2: return call_plain(c, sb, "atan2", e, 0, 2);
    case IR_FN_PI: return call_plain(c, sb, "pi", e, 0, 0);
    case IR_FN_RADIANS: return call_plain(c, sb, "radians", e, 0, 1);
    case IR_FN_DEGREES: return call_plain(c, sb, "degrees", e, 0, 1);
    case IR_FN_SIGN:
        /* sign is a DOUBLE in Spark */
        PUT("CAST(sign(");
        E(0);
        PUT(") AS INT)");
        return P_PRIMARY;
    /* dates */
    case IR_FN_DATE_ADD: return write_date_add(c, sb, e);
    case IR_FN_DATE_DIFF: return write_date_diff(c, sb, e);
    case IR_FN_DATE_COMPARE:
        /* a NULL operand matches no branch: NULL */
        PUT("CASE WHEN ");
        emit(c, sb, A(0), P_CMP);
        PUT(" < ");
        emit(c, sb, A(1), P_ADD);
        PUT(" THEN -1 WHEN ");
        emit(c, sb, A(0), P_CMP);
        PUT(" > ");
        emit(c, sb, A(1), P_ADD);
        PUT(" THEN 1 WHEN ");
        emit(c, sb, A(0), P_CMP);
        PUT(" = ");
        emit(c, sb, A(1), P_ADD);
        PUT(" THEN 0 END");
        return P_PRIMARY;
    case IR_FN_DATE_PART: {
        char pb[16];
        const char *part = part_of(A(1), pb, sizeof pb);
        if (!part)
            return unsupported(c, sb, e, "DATE_PART with a computed date part");
        put_date_part(c, sb, A(0), part);
        return P_PRIMARY;
    }
    case IR_FN_DATE_SET_PART: return write_date_set_part(c, sb, e);
    case IR_FN_LAST_DAY:
        if (is_date_typed(c, A(0)))
            return call_plain(c, sb, "last_day", e, 0, 1);
        /* last_day returns a DATE: move the timestamp by the days to the month end instead */
        PUT("timestampadd(DAY, datediff(last_day(");
        E(0);
        PUT("), ");
        E(0);
        PUT("), ");
        E(0);
        PUT(")");
        return P_PRIMARY;
    case IR_FN_DATE_TRUNC: return write_date_trunc(c, sb, e);
    case IR_FN_DATE_ROUND: return write_date_round(c, sb, e);
    case IR_FN_CURRENT_DATE: PUT("current_date()"); return P_PRIMARY;
    case IR_FN_CURRENT_TIMESTAMP: PUT("current_timestamp()"); return P_PRIMARY;
    case IR_FN_SESSION_START:
        /* Spark evaluates current_timestamp() once per query: fixed for the statement */
        PUT("current_timestamp()");
        return P_PRIMARY;
    /* hashes: lower-case hex; CRC-32 as BIGINT */
    case IR_FN_FROM_HEX:
        if (hex_text(A(0))) { /* the literal X'..' */
            sb_printf(sb, "X'%s'", A(0)->u.lit.text);
            return P_PRIMARY;
        }
        return call_plain(c, sb, "unhex", e, 0, 1);
    case IR_FN_MD5: return call_plain(c, sb, "md5", e, 0, 1);
    case IR_FN_CRC32: return call_plain(c, sb, "crc32", e, 0, 1);
    case IR_FN_SHA1: return call_plain(c, sb, "sha1", e, 0, 1);
    case IR_FN_SHA2: return call_plain(c, sb, "sha2", e, 0, 2); /* 224, 256, 384 or 512 bits */
    /* strings without an idiom of their own: Spark's builtin has the canonical meaning */
    case IR_FN_TRANSLATE: return call_plain(c, sb, "translate", e, 0, 3);
    case IR_FN_REGEXP_INSTR: /* Java regex, whole match; case_insensitive: (?i) */
        if (!(fl & IR_FL_CASE_INSENSITIVE))
            return call_plain(c, sb, "regexp_instr", e, 0, 2);
        PUT("regexp_instr(");
        E(0);
        PUT(", ");
        put_pattern(c, sb, A(1), false, "(?i)", P_ANY);
        PUT(")");
        return P_PRIMARY;
    case IR_FN_RIGHT: return call_plain(c, sb, "right", e, 0, 2);               /* '' for n <= 0 */
    case IR_FN_LEVENSHTEIN: return call_plain(c, sb, "levenshtein", e, 0, 2);
    case IR_FN_LIKE:
        /* Spark's LIKE takes \ as its escape character unless ESCAPE names another: a pattern without
         * one cannot be written */
        if (n < 3)
            return unsupported(c, sb, e, "LIKE of a computed pattern without an escape character (Spark's LIKE "
                                         "escapes with \\ by default)");
        emit(c, sb, A(0), P_CMP);
        PUT((fl & IR_FL_CASE_INSENSITIVE) ? " ILIKE " : " LIKE ");
        emit(c, sb, A(1), P_CMP);
        PUT(" ESCAPE ");
        emit(c, sb, A(2), P_CMP);
        return P_PRED;
    case IR_FN_JSON_GET_TEXT: return call_plain(c, sb, "get_json_object", e, 0, 2); /* the same JSONPath */
    /* arrays: Spark's own functions have the canonical semantics (get: 0-based, NULL outside;
     * array_size: NULL for NULL, where size() gives -1; concat of arrays: NULL if either is) */
    case IR_FN_ARRAY_CONSTRUCT: return call_plain(c, sb, "array", e, 0, n);
    case IR_FN_ARRAY_SIZE: return call_plain(c, sb, "array_size", e, 0, 1);
    case IR_FN_ARRAY_GET: return call_plain(c, sb, "get", e, 0, 2);
    case IR_FN_ARRAY_CONTAINS: return call_plain(c, sb, "array_contains", e, 0, 2);
    case IR_FN_ARRAY_CAT:
        /* flatten(array(a, b)), not concat: NULL when either is, and read back as arrays whatever
         * the columns' types (concat of untyped columns reads as strings) */
        PUT("flatten(array(");
        E(0);
        PUT(", ");
        E(1);
        PUT("))");
        return P_PRIMARY;
    case IR_FN_ARRAY_APPEND: return call_plain(c, sb, "array_append", e, 0, 2);
    case IR_FN_ARRAY_SLICE: case IR_FN_ARRAY_SORT: case IR_FN_ARRAY_REVERSE: case IR_FN_ARRAY_MAX:
    case IR_FN_ARRAY_MIN: case IR_FN_ARRAY_DISTINCT: case IR_FN_ARRAY_EXCEPT: case IR_FN_ARRAY_REMOVE:
    case IR_FN_ARRAY_COMPACT: { /* spark_internal.h: Spark's own functions where they mean the same */
        spark_array_call k;
        const char *why = spark_array_plan(e, &k);
        if (why)
            return unsupported(c, sb, e, why);
        if (k.all_args)
            return call_plain(c, sb, k.name, e, 0, n);
        sb_printf(sb, "%s(", k.name);
        E(0);
        for (int i = 0; i < k.n_lits; i++) {
            if (k.lit_bool)
                sb_printf(sb, ", %s", k.lits[i] ? "true" : "false");
            else
                sb_printf(sb, ", %lld", k.lits[i]);
        }
        PUT(")");
        return P_PRIMARY;
    }
    /* Spark's grouping takes one column; grouping_id several, as the same bit vector */
    case IR_FN_GROUPING: return call_plain(c, sb, n == 1 ? "grouping" : "grouping_id", e, 0, n);
    case IR_FN_SPLIT_PART: {
        /* Spark's split_part fails on part 0: pos_zero_is_one makes it 1 */
        long long k;
        if (!(fl & IR_FL_POS_ZERO_IS_ONE) || (lit_int(A(2), &k) && k != 0))
            return call_plain(c, sb, "split_part", e, 0, 3);
        PUT("split_part(");
        E(0);
        PUT(", ");
        E(1);
        PUT(", CASE WHEN ");
        emit(c, sb, A(2), P_ADD);
        PUT(" = 0 THEN 1 ELSE ");
        E(2);
        PUT(" END)");
        return P_PRIMARY;
    }
    case IR_FN_NEXT_DAY: return call_plain(c, sb, "next_day", e, 0, 2);         /* a DATE; 'MO', 'MON', 'MONDAY' */
    case IR_FN_CONVERT_TZ: return call_plain(c, sb, "convert_timezone", e, 0, 3); /* TIMESTAMP_NTZ (3.4) */
    case IR_FN_UUID: PUT("uuid()"); return P_PRIMARY;
    case IR_FN_CURRENT_USER: PUT("current_user()"); return P_PRIMARY;
    case IR_FN_CURRENT_SCHEMA: PUT("current_schema()"); return P_PRIMARY;
    case IR_FN_CURRENT_UTC_TIMESTAMP: PUT("to_utc_timestamp(current_timestamp(), current_timezone())"); return P_PRIMARY;
    /* control */
    case IR_FN_ABORT: return call_plain(c, sb, "raise_error", e, 0, 1); /* stops the query, like ABORT */
    /* aggregates: an optional last argument is a filter */
    case IR_FN_SUM: return write_agg(c, sb, e, "sum", 0, 1, NULL);
    case IR_FN_AVG: return write_agg(c, sb, e, "avg", 0, 1, NULL);
    case IR_FN_COUNT: return write_agg(c, sb, e, "count", 0, 1, NULL);
    case IR_FN_COUNT_STAR: return write_agg(c, sb, e, "count", -1, 0, NULL);
    case IR_FN_MIN: return write_agg(c, sb, e, "min", 0, 1, NULL);
    case IR_FN_MAX: return write_agg(c, sb, e, "max", 0, 1, NULL);
    case IR_FN_FIRST:
    case IR_FN_LAST: {
        /* the canonical first/last skip NULLs (NR_AGG); which row is first depends on order */
        int before = c->unsupported;
        int lvl = write_agg(c, sb, e, fn == IR_FN_FIRST ? "first" : "last", 0, 1, ", true");
        if (c->unsupported == before) {
            c->order_dependent++;
            sb_printf(sb, " /* ETLPORT ORDER-DEPENDENT: the %s row in legacy input order; Spark's %s() depends "
                          "on partition order */", fn == IR_FN_FIRST ? "first" : "last", fn == IR_FN_FIRST ? "first" : "last");
        }
        return lvl;
    }
    case IR_FN_MEDIAN: return write_agg(c, sb, e, "median", 0, 1, NULL);
    case IR_FN_STDDEV: return write_agg(c, sb, e, "stddev_samp", 0, 1, NULL);
    case IR_FN_VARIANCE: return write_agg(c, sb, e, "var_samp", 0, 1, NULL);
    case IR_FN_ANY_VALUE: return write_agg(c, sb, e, "any_value", 0, 1, NULL);
    case IR_FN_BOOL_AND: return write_agg(c, sb, e, "bool_and", 0, 1, NULL);
    case IR_FN_BOOL_OR: return write_agg(c, sb, e, "bool_or", 0, 1, NULL);
    case IR_FN_BIT_AND: return write_agg(c, sb, e, "bit_and", 0, 1, NULL);
    case IR_FN_BIT_OR: return write_agg(c, sb, e, "bit_or", 0, 1, NULL);
    case IR_FN_STDDEV_POP: return write_agg(c, sb, e, "stddev_pop", 0, 1, NULL);
    case IR_FN_VAR_POP: return write_agg(c, sb, e, "var_pop", 0, 1, NULL);
    case IR_FN_ARRAY_AGG_ORDERED: return write_sorted_values(c, sb, e);
    case IR_FN_STRING_AGG_ORDERED:
        /* NULL for a group without a value; array_join of the sorted values otherwise */
        if (A(1)->kind != IR_EX_LIT || A(1)->u.lit.kind != IR_LIT_STRING)
            return unsupported(c, sb, e, "a string aggregate whose separator is not a string literal");
        PUT("CASE WHEN count(");
        E(0);
        PUT(") > 0 THEN array_join(");
        write_sorted_values(c, sb, e);
        PUT(", ");
        E(1);
        PUT(") END");
        return P_PRIMARY;
    case IR_FN_ARRAY_AGG:
        /* collect_list skips NULLs and gives [] for a group without a value, in the order rows
         * reach it */
        if (fl & IR_FL_ORDER_DEPENDENT)
            c->order_dependent++;
        return write_agg(c, sb, e, "collect_list", 0, 1, NULL);
    case IR_FN_STRING_AGG: {
        /* string_agg is NULL where array_join of the collected values gives '': no non-NULL value */
        ir_expr *args[2];
        ir_expr v = agg_of_value(e, args);
        PUT("CASE WHEN ");
        write_agg(c, sb, &v, "count", 0, 1, NULL);
        PUT(" > 0 THEN ");
        write_array_join(c, sb, e);
        PUT(" END");
        return P_PRIMARY;
    }
    case IR_FN_COVAR_POP: return write_agg2(c, sb, e, "covar_pop");
    case IR_FN_COVAR_SAMP: return write_agg2(c, sb, e, "covar_samp");
    case IR_FN_CORR: return write_agg2(c, sb, e, "corr");
    case IR_FN_REGR_SLOPE: return write_agg2(c, sb, e, "regr_slope");
    case IR_FN_REGR_INTERCEPT: return write_agg2(c, sb, e, "regr_intercept");
    case IR_FN_REGR_R2: return write_agg2(c, sb, e, "regr_r2");
    case IR_FN_REGR_COUNT: return write_agg2(c, sb, e, "regr_count");
    case IR_FN_REGR_AVGX: return write_agg2(c, sb, e, "regr_avgx");
    case IR_FN_REGR_AVGY: return write_agg2(c, sb, e, "regr_avgy");
    case IR_FN_REGR_SXX: return write_agg2(c, sb, e, "regr_sxx");
    case IR_FN_REGR_SYY: return write_agg2(c, sb, e, "regr_syy");
    case IR_FN_REGR_SXY: return write_agg2(c, sb, e, "regr_sxy");
    case IR_FN_PERCENTILE: {
        /* canonical p is 0..100, Spark's percentage 0..1 (a constant) */
        const ir_expr *pe = A(1);
        long long v;
        strbuf p = STRBUF_INIT;
        if (lit_int(pe, &v) && v >= 0 && v <= 100) {
            sb_printf(&p, ", %lld.%02lld", v / 100, v % 100); /* 25 -> 0.25 (a DECIMAL literal) */
        } else if (foldable(pe)) {
            sb_puts(&p, ", ");
            emit(c, &p, pe, P_MUL);
            sb_puts(&p, " / 100");
        } else {
            sb_free(&p);
            return unsupported(c, sb, e, "PERCENTILE with a computed percentage (Spark needs a constant)");
        }
        int rc = write_agg(c, sb, e, "percentile", 0, 2, sb_cstr(&p));
        sb_free(&p);
        return rc;
    }
    /* window functions (through write_window_call, which writes IGNORE NULLS and OVER) */
    case IR_FN_ROW_NUMBER: PUT("row_number()"); return P_PRIMARY;
    case IR_FN_RANK: PUT("rank()"); return P_PRIMARY;
    case IR_FN_DENSE_RANK: PUT("dense_rank()"); return P_PRIMARY;
    case IR_FN_PERCENT_RANK: PUT("percent_rank()"); return P_PRIMARY;
    case IR_FN_CUME_DIST: PUT("cume_dist()"); return P_PRIMARY;
    case IR_FN_NTILE: return call_plain(c, sb, "ntile", e, 0, 1);
    case IR_FN_LAG:
    case IR_FN_LEAD: {
        /* the default (any expression in SQL) is taken where the row at the offset does not exist */
        int upto = n > 2 && is_null_lit(A(2)) ? 2 : n;
        return call_plain(c, sb, fn == IR_FN_LAG ? "lag" : "lead", e, 0, upto);
    }
    case IR_FN_FIRST_VALUE: return call_plain(c, sb, "first_value", e, 0, 1);
    case IR_FN_LAST_VALUE: return call_plain(c, sb, "last_value", e, 0, 1);
    /* unsupported rows are caught in write_call; listed so the switch covers the table */
    case IR_FN_JSON_GET:
    case IR_FN_ERROR:
    case IR_FN_SET_VARIABLE:
    case IR_FN_SET_MAX_VARIABLE:
    case IR_FN_SET_MIN_VARIABLE:
    case IR_FN_SET_COUNT_VARIABLE:
    case IR_FN_SEQ_NEXT:
    case IR_FN__COUNT:
        break;
    }
    return unsupported(c, sb, e, "no Spark SQL mapping");
}

/* ---- literals, references, parameters, holes ---- */

static int write_lit(strbuf *sb, const ir_expr *e)
{
    const char *t = e->u.lit.text ? e->u.lit.text : "";
    bool neg = *t == '-';
    switch (e->u.lit.kind) {
    case IR_LIT_NULL: typed_null(sb, e->type); return P_PRIMARY;
    case IR_LIT_BOOL: PUT(is_true_lit(e) ? "TRUE" : "FALSE"); return P_PRIMARY;
    case IR_LIT_INT: {
        const char *p = t;
        if (*p == '-')
            sb_putc(sb, *p++);
        else if (*p == '+')
            p++;
        while (p[0] == '0' && isdigit((unsigned char)p[1]))
            p++;
        PUT(p);
        return neg ? P_UNARY : P_PRIMARY;
    }
    case IR_LIT_DECIMAL:
        /* Spark reads 1.50 as DECIMAL(3,2); without a point (or with an exponent) BD keeps it one */
        PUT(t);
        if (!strchr(t, '.') || strpbrk(t, "eE"))
            PUT("BD");
        return neg ? P_UNARY : P_PRIMARY;
    case IR_LIT_DOUBLE:
        if (strpbrk(t, "nN") || strpbrk(t, "iI")) { /* inf, nan */
            PUT("CAST(");
            sparksql_string(sb, strpbrk(t, "nN") && !strpbrk(t, "iI") ? "NaN" : neg ? "-Infinity" : "Infinity");
            PUT(" AS DOUBLE)");
            return P_PRIMARY;
        }
        PUT(t);
        PUT("D");
        return neg ? P_UNARY : P_PRIMARY;
    case IR_LIT_STRING: sparksql_string(sb, t); return P_PRIMARY;
    case IR_LIT_DATE:
        PUT("DATE");
        sparksql_string(sb, t);
        return P_PRIMARY;
    case IR_LIT_TIMESTAMP:
        PUT("TIMESTAMP");
        sparksql_string(sb, t);
        return P_PRIMARY;
    }
    return P_PRIMARY;
}

static void put_location(const sparksql_ctx *c, strbuf *sb, ir_span sp)
{
    if (!sp.file && !sp.line && c->node)
        sp = c->node->span;
    spark_location(sb, c->job, sp);
}

static int write(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    if (!e) {
        PUT("NULL");
        return P_PRIMARY;
    }
    switch (e->kind) {
    case IR_EX_LIT: return write_lit(sb, e);
    case IR_EX_REF: {
        /* a reference to another column of the node being written (an IR that breaks the rule that
         * columns read their inputs): that column's expression, since SQL cannot read a sibling */
        if (c->node && e->u.ref.node == c->node->id && c->node->op != IR_OP_SOURCE && c->self_depth < 16) {
            const ir_column *col = ir_node_col(c->node, e->u.ref.col);
            if (col && col->expr) {
                c->self_depth++;
                int lvl = write(c, sb, col->expr);
                c->self_depth--;
                return lvl;
            }
        }
        const ir_node *n = c->job ? ir_job_node(c->job, e->u.ref.node) : NULL;
        if (!n) { /* a name from SQL text, not resolved to a node: t.col, s.t.col */
            sparksql_qname(sb, e->u.ref.col);
            return P_PRIMARY;
        }
        for (int i = 0; i < c->n_quals; i++)
            if (c->quals[i].node == e->u.ref.node && c->quals[i].alias) {
                sparksql_ident(sb, c->quals[i].alias);
                sb_putc(sb, '.');
                break;
            }
        sparksql_ident(sb, e->u.ref.col);
        return P_PRIMARY;
    }
    case IR_EX_PARAM: {
        if (c->params_as_markers) {
            sb_putc(sb, ':');
            param_name(sb, e->u.param.name);
            return P_PRIMARY;
        }
        /* variable substitution pastes the value's text: a string parameter needs its quotes */
        const ir_param *p = c->job ? ir_job_param(c->job, e->u.param.name) : NULL;
        bool quote = p && p->type.kind == IR_TY_STRING;
        PUT(quote ? "'${" : "${");
        param_name(sb, e->u.param.name);
        PUT(quote ? "}'" : "}");
        return P_PRIMARY;
    }
    case IR_EX_CALL: return write_call(c, sb, e);
    case IR_EX_OVER: {
        /* a window call of a statement (ir_sql.h): its OVER clause stands in for a window node */
        const ir_over *o = ir_expr_over(e);
        if (!o || !o->call || o->call->kind != IR_EX_CALL)
            return unsupported(c, sb, e, "a window over something other than a function call");
        ir_node w;
        memset(&w, 0, sizeof w);
        w.id = -1;
        w.op = IR_OP_WINDOW;
        w.keys = o->partition;
        w.n_keys = o->n_partition;
        w.order = o->order;
        w.n_order = o->n_order;
        w.frame = o->has_frame ? o->frame : ir_frame_default();
        const ir_node *saved = c->over;
        c->over = &w;
        int lvl = ir_fn_is_window(o->call->u.call.fn) || ir_fn_is_aggregate(o->call->u.call.fn)
                      ? write_window_call(c, sb, o->call)
                      : unsupported(c, sb, e, "OVER on a function that is neither a window function nor an aggregate");
        c->over = saved;
        return lvl;
    }
    case IR_EX_QUERY: {
        const ir_sub *q = ir_expr_sub(e);
        if (!q || !c->query_fn)
            return unsupported(c, sb, e, "a subquery needs the Spark SQL statement writer (sparksql_ctx.query_fn)");
        int lvl = P_PRIMARY;
        bool in = q->kind == IR_SUB_IN || (q->kind == IR_SUB_ANY && q->op == IR_FN_EQ);
        bool not_in = q->kind == IR_SUB_ALL && q->op == IR_FN_NE;
        if ((q->kind == IR_SUB_ANY || q->kind == IR_SUB_ALL) && !in && !not_in)
            return unsupported(c, sb, e, "Spark SQL has no ANY/ALL comparison with a subquery (only = ANY, as IN, and <> ALL, as NOT IN)");
        if (q->lhs && (in || not_in)) {
            /* = ANY is IN and <> ALL is NOT IN, NULLs included */
            if (not_in)
                PUT("NOT ");
            emit(c, sb, q->lhs, P_CMP);
            PUT(" IN ");
            lvl = not_in ? P_NOT : P_PRED;
        } else if (q->kind == IR_SUB_EXISTS) {
            PUT("EXISTS ");
            lvl = P_NOT; /* EXISTS sits with NOT in Spark's grammar */
        }
        PUT("(");
        c->query_fn(c->query_userdata, sb, q->query);
        PUT(")");
        return lvl;
    }
    case IR_EX_HOLE:
        c->holes++;
        typed_null(sb, e->type);
        PUT(" /* ETLPORT HOLE ");
        put_location(c, sb, e->span);
        PUT(": ");
        comment_text(sb, e->u.hole.text);
        PUT(" */");
        return P_PRIMARY;
    }
    return P_PRIMARY;
}

int sparksql_expr(sparksql_ctx *c, strbuf *sb, const ir_expr *e)
{
    int before = c->unsupported;
    emit(c, sb, e, P_ANY);
    return c->unsupported > before ? -1 : 0;
}
