/*
 * airflow_expr.c — flow conditions (link conditions, decisions, assignments) as Python.
 *
 * A condition reads task attributes and workflow variables (ir_flow.h). In the DAG they become
 * calls of module helpers: _status(context, "task_id") for "<task>.status" and
 * "<task>.prev_task_status", _decision(context, "task_id") for "<task>.condition" (the value the
 * decision task pushed to XCom), _var(context, "NAME") for a variable. The other task attributes
 * (row counts, error codes, times) are not published by the generated jobs: such a condition has
 * no Python form and the caller makes it a hole. NULL is Python's None; the three-valued AND / OR
 * of the IR become Python's two-valued `and` / `or` (docs/airflow.md lists it as approximate).
 */
#include <ctype.h>
#include <string.h>

#include "backends/airflow/airflow_internal.h"
#include "ir/datefmt.h"

/* A canonical date format (ir/datefmt.h) as a Python strftime format; -1 when a token has none. */
static int strftime_format(strbuf *out, const char *fmt)
{
    const char *p = fmt, *lit = NULL;
    size_t lit_len = 0;
    for (;;) {
        df_token t = df_next(&p, &lit, &lit_len);
        const char *f = NULL;
        switch (t) {
        case DF_END: return 0;
        case DF_LIT:
            for (size_t i = 0; i < lit_len; i++) {
                if (lit[i] == '%')
                    sb_putc(out, '%');
                sb_putc(out, lit[i]);
            }
            continue;
        case DF_YYYY: f = "%Y"; break;
        case DF_YY:
        case DF_RR: f = "%y"; break;
        case DF_MM: f = "%m"; break;
        case DF_MON: f = "%b"; break;
        case DF_MONTH: f = "%B"; break;
        case DF_DD: f = "%d"; break;
        case DF_DDD: f = "%j"; break;
        case DF_DY: f = "%a"; break;
        case DF_DAY: f = "%A"; break;
        case DF_HH24: f = "%H"; break;
        case DF_HH12: f = "%I"; break;
        case DF_AM: f = "%p"; break;
        case DF_MI: f = "%M"; break;
        case DF_SS: f = "%S"; break;
        case DF_FF6: f = "%f"; break;
        default: return -1;
        }
        sb_puts(out, f);
    }
}

static bool is_str_lit(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_STRING;
}

/* The task of sc named by the part of a parameter before its last dot, or -1. */
static int attr_task(const af_scope *sc, const char *name, const char **attr)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return -1;
    char task[512];
    size_t n = (size_t)(dot - name);
    if (n >= sizeof task)
        return -1;
    memcpy(task, name, n);
    task[n] = '\0';
    *attr = dot + 1;
    return ir_flow_task_index(sc->flow, task);
}

static int args(strbuf *out, const af_scope *sc, const ir_expr *e, const char *sep, const char **why)
{
    for (int i = 0; i < e->u.call.n_args; i++) {
        if (i)
            sb_puts(out, sep);
        if (af_expr(out, sc, e->u.call.args[i], why) != 0)
            return -1;
    }
    return 0;
}

static int call(strbuf *out, const af_scope *sc, const ir_expr *e, const char **why)
{
    ir_expr **a = e->u.call.args;
    int n = e->u.call.n_args;
    const char *op = NULL;
    switch (e->u.call.fn) {
    case IR_FN_EQ: op = " == "; break;
    case IR_FN_NE: op = " != "; break;
    case IR_FN_LT: op = " < "; break;
    case IR_FN_LE: op = " <= "; break;
    case IR_FN_GT: op = " > "; break;
    case IR_FN_GE: op = " >= "; break;
    case IR_FN_AND: op = " and "; break;
    case IR_FN_OR: op = " or "; break;
    case IR_FN_ADD: op = " + "; break;
    case IR_FN_SUB: op = " - "; break;
    case IR_FN_MUL: op = " * "; break;
    case IR_FN_DIV: op = " / "; break;
    case IR_FN_MOD: op = " % "; break;
    default: break;
    }
    if (op) {
        sb_putc(out, '(');
        int rc = args(out, sc, e, op, why);
        sb_putc(out, ')');
        return rc;
    }
    /* one argument between a prefix and a suffix */
    const char *pre = NULL, *post = NULL;
    switch (e->u.call.fn) {
    case IR_FN_NOT: pre = "(not ", post = ")"; break;
    case IR_FN_NEG: pre = "(-", post = ")"; break;
    case IR_FN_IS_NULL: pre = "(", post = " is None)"; break;
    case IR_FN_UPPER: pre = "str(", post = ").upper()"; break;
    case IR_FN_LOWER: pre = "str(", post = ").lower()"; break;
    case IR_FN_TRIM: pre = "str(", post = ").strip(\" \")"; break;
    case IR_FN_LTRIM: pre = "str(", post = ").lstrip(\" \")"; break;
    case IR_FN_RTRIM: pre = "str(", post = ").rstrip(\" \")"; break;
    case IR_FN_LENGTH: pre = "len(str(", post = "))"; break;
    case IR_FN_TO_INTEGER:
    case IR_FN_TO_BIGINT: pre = "int(", post = ")"; break;
    case IR_FN_TO_FLOAT: pre = "float(", post = ")"; break;
    default: break;
    }
    if (pre && n == 1) {
        sb_puts(out, pre);
        int rc = af_expr(out, sc, a[0], why);
        sb_puts(out, post);
        return rc;
    }
    int rc = 0;
    switch (e->u.call.fn) {
    case IR_FN_IN:
        sb_putc(out, '(');
        rc = af_expr(out, sc, a[0], why);
        sb_puts(out, " in (");
        for (int i = 1; i < n && rc == 0; i++) {
            rc = af_expr(out, sc, a[i], why);
            sb_puts(out, ", ");
        }
        sb_puts(out, "))");
        return rc;
    case IR_FN_IF:
        sb_putc(out, '(');
        rc = af_expr(out, sc, a[1], why);
        sb_puts(out, " if ");
        if (rc == 0)
            rc = af_expr(out, sc, a[0], why);
        sb_puts(out, " else ");
        if (rc == 0)
            rc = af_expr(out, sc, a[2], why);
        sb_putc(out, ')');
        return rc;
    case IR_FN_CONCAT:
        sb_puts(out, "_concat(");
        rc = args(out, sc, e, ", ", why);
        sb_putc(out, ')');
        return rc;
    case IR_FN_COALESCE:
        sb_puts(out, "next((v for v in (");
        for (int i = 0; i < n && rc == 0; i++) {
            rc = af_expr(out, sc, a[i], why);
            sb_puts(out, ", ");
        }
        sb_puts(out, ") if v is not None), None)");
        return rc;
    case IR_FN_TO_CHAR: {
        strbuf f = STRBUF_INIT;
        if (n == 2 && (!is_str_lit(a[1]) || strftime_format(&f, a[1]->u.lit.text) != 0)) {
            sb_free(&f);
            break;
        }
        sb_puts(out, "_to_char(");
        rc = af_expr(out, sc, a[0], why);
        sb_puts(out, ", ");
        if (n == 2)
            sb_put_py_string(out, sb_cstr(&f));
        else
            sb_puts(out, "None");
        sb_putc(out, ')');
        sb_free(&f);
        return rc;
    }
    case IR_FN_DATE_ADD: {
        static const char *const parts[] = {"year", "quarter", "month", "week", "day", "hour", "minute", "second", NULL};
        bool known = false;
        for (int i = 0; parts[i] && is_str_lit(a[1]); i++)
            known |= strcmp(parts[i], a[1]->u.lit.text) == 0;
        if (!known)
            break;
        sb_puts(out, "_date_add(");
        rc = af_expr(out, sc, a[0], why);
        sb_puts(out, ", ");
        sb_put_py_string(out, a[1]->u.lit.text);
        sb_puts(out, ", ");
        if (rc == 0)
            rc = af_expr(out, sc, a[2], why);
        sb_putc(out, ')');
        return rc;
    }
    case IR_FN_CURRENT_TIMESTAMP:
        sb_puts(out, "datetime.now()");
        return 0;
    case IR_FN_CURRENT_UTC_TIMESTAMP:
        sb_puts(out, "datetime.now(timezone.utc)");
        return 0;
    case IR_FN_CURRENT_DATE:
        sb_puts(out, "datetime.now().date()");
        return 0;
    case IR_FN_SESSION_START:
        sb_puts(out, "context[\"dag_run\"].start_date");
        return 0;
    default:
        break;
    }
    *why = "the condition calls a function with no Python form in the DAG";
    return -1;
}

int af_expr(strbuf *out, const af_scope *sc, const ir_expr *e, const char **why)
{
    if (!e) {
        sb_puts(out, "None");
        return 0;
    }
    switch (e->kind) {
    case IR_EX_LIT:
        switch (e->u.lit.kind) {
        case IR_LIT_NULL: sb_puts(out, "None"); return 0;
        case IR_LIT_BOOL:
            sb_puts(out, tolower((unsigned char)e->u.lit.text[0]) == 't' ? "True" : "False");
            return 0;
        case IR_LIT_INT:
        case IR_LIT_DECIMAL:
        case IR_LIT_DOUBLE:
            sb_puts(out, e->u.lit.text);
            return 0;
        default:
            /* strings; dates and timestamps compare as their canonical text */
            af_py_string(out, e->u.lit.text);
            return 0;
        }
    case IR_EX_PARAM: {
        const char *attr = NULL;
        int t = attr_task(sc, e->u.param.name, &attr);
        if (strchr(e->u.param.name, '.') == NULL) {
            sb_puts(out, "_var(context, ");
            sb_put_py_string(out, e->u.param.name);
            sb_putc(out, ')');
            return 0;
        }
        if (t < 0) {
            *why = "the condition reads an attribute of a task that is not in this flow";
            return -1;
        }
        if (!sc->task_ids[t]) {
            *why = "the condition reads an attribute of a sub-flow, which has no task of its own in Airflow";
            return -1;
        }
        if (strcmp(attr, "status") == 0 || strcmp(attr, "prev_task_status") == 0) {
            sb_puts(out, "_status(context, ");
            sb_put_py_string(out, sc->task_ids[t]);
            sb_putc(out, ')');
            return 0;
        }
        if (strcmp(attr, "condition") == 0) {
            sb_puts(out, "_decision(context, ");
            sb_put_py_string(out, sc->task_ids[t]);
            sb_putc(out, ')');
            return 0;
        }
        *why = "the condition reads a task attribute (row counts, error codes, times) the generated jobs do "
               "not publish";
        return -1;
    }
    case IR_EX_CALL:
        return call(out, sc, e, why);
    case IR_EX_HOLE:
        *why = e->u.hole.reason ? e->u.hole.reason : "not translated";
        return -1;
    default:
        *why = "the condition refers to data columns, which a workflow has none of";
        return -1;
    }
}

/* The length of the valid UTF-8 sequence at s (1..4), or 0 when s[0] starts none. */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 2 && s[0] < 0xC2)
        return 0; /* overlong */
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

int af_utf8_len(const char *s)
{
    return utf8_len((const unsigned char *)s);
}

void af_py_string(strbuf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    bool valid = true;
    for (const unsigned char *q = p; *q && valid;) {
        int n = utf8_len(q);
        valid = n > 0;
        q += n;
    }
    if (valid) {
        sb_put_py_string(out, (const char *)p);
        return;
    }
    /* not UTF-8 (a legacy file in another encoding): such bytes as \xNN, read as Latin-1 */
    strbuf t = STRBUF_INIT;
    while (*p) {
        int n = utf8_len(p);
        if (n > 0) {
            sb_putn(&t, (const char *)p, (size_t)n);
            p += n;
        } else {
            /* U+0080..U+00FF in UTF-8 */
            sb_putc(&t, (char)(0xC0 | (*p >> 6)));
            sb_putc(&t, (char)(0x80 | (*p & 0x3F)));
            p++;
        }
    }
    sb_put_py_string(out, sb_cstr(&t));
    sb_free(&t);
}

void af_put_py_text(strbuf *out, const char *s, int indent)
{
    s = s ? s : "";
    const char *nl = strchr(s, '\n');
    if (!nl || !nl[1]) {
        af_py_string(out, s);
        return;
    }
    sb_puts(out, "(\n");
    strbuf line = STRBUF_INIT;
    while (*s) {
        const char *end = strchr(s, '\n');
        size_t len = end ? (size_t)(end - s + 1) : strlen(s);
        sb_clear(&line);
        sb_putn(&line, s, len);
        sb_indent(out, indent + 4);
        af_py_string(out, sb_cstr(&line));
        sb_putc(out, '\n');
        s += len;
    }
    sb_free(&line);
    sb_indent(out, indent);
    sb_putc(out, ')');
}
