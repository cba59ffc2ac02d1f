/*
 * datagen.c — test data for differential execution (diffexec.h): a small, seeded, reproducible
 * table per source dataset, built from the dataset's schema and the literals of the job so that
 * every predicate is both true and false on some row, and joins meet duplicate and missing keys.
 * docs/verification.md, "Differential execution", lists the rules.
 */
#include "verifier/diffexec.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/sqlite/sqlitebe_internal.h"

#define MIN_ROWS 16
#define MAX_ROWS 64
#define EXTRA_ROWS 24 /* rows after every pool value appeared once: drawn, literals favoured */
#define MAX_LITS 24
#define FRESH_FROM 8 /* rows before this one draw join keys from the key domain (1..5 and NULL) only */

/* ---- a seeded generator (splitmix64) ---- */

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)toupper((unsigned char)*s)) * 0x100000001B3ull;
    return h;
}

/* ---- pools ---- */

typedef struct pool {
    dg_value *v;
    int n, cap;
    int n_edge;  /* v[0..n_edge) are the type's edge values, the rest come from the job's literals */
    int n_focus; /* v[n_edge..n_focus): literals the column itself is compared with (and neighbours) */
    bool adding_focus; /* pool_add moves a value already among the edge values into the focus */
} pool;

static bool same(const dg_value *a, const dg_value *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case DG_NULL: return true;
    case DG_INT: return a->i == b->i;
    case DG_REAL: return a->d == b->d;
    default: return strcmp(a->s, b->s) == 0;
    }
}

static void pool_add(pool *p, dg_value v)
{
    for (int i = 0; i < p->n; i++)
        if (same(&p->v[i], &v)) {
            if (p->adding_focus && i < p->n_edge) { /* last of the edge values, first of the focus */
                dg_value t = p->v[p->n_edge - 1];
                p->v[p->n_edge - 1] = p->v[i];
                p->v[i] = t;
                p->n_edge--;
            }
            return;
        }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->v = realloc(p->v, (size_t)p->cap * sizeof *p->v);
        if (!p->v)
            abort();
    }
    p->v[p->n++] = v;
}

static dg_value v_null(void) { return (dg_value){DG_NULL, 0, 0, NULL}; }
static dg_value v_int(long long i) { return (dg_value){DG_INT, i, 0, NULL}; }
static dg_value v_real(double d) { return (dg_value){DG_REAL, 0, d, NULL}; }
static dg_value v_text(arena *a, const char *s) { return (dg_value){DG_TEXT, 0, 0, arena_strdup(a, s)}; }

/* ---- literals of the job ---- */

typedef struct lits {
    const ir_expr *v[MAX_LITS * 4];
    int n;
} lits;

static void collect_lits(lits *l, const ir_expr *e)
{
    if (!e)
        return;
    if (e->kind == IR_EX_LIT && e->u.lit.kind != IR_LIT_NULL && e->u.lit.kind != IR_LIT_BOOL) {
        for (int i = 0; i < l->n; i++)
            if (l->v[i]->u.lit.kind == e->u.lit.kind && strcmp(l->v[i]->u.lit.text, e->u.lit.text) == 0)
                return;
        if (l->n < (int)(sizeof l->v / sizeof l->v[0]))
            l->v[l->n++] = e;
        return;
    }
    if (e->kind == IR_EX_CALL) {
        /* date parts, formats and the like are not data */
        ir_fn fn = e->u.call.fn;
        int skip = fn == IR_FN_DATE_ADD || fn == IR_FN_DATE_DIFF || fn == IR_FN_DATE_PART || fn == IR_FN_DATE_TRUNC ||
                   fn == IR_FN_TO_CHAR || fn == IR_FN_TO_DATE || fn == IR_FN_IS_DATE || fn == IR_FN_DATE_SET_PART;
        for (int i = 0; i < e->u.call.n_args; i++)
            if (!(skip && i > 0 && e->u.call.args[i]->kind == IR_EX_LIT && e->u.call.args[i]->u.lit.kind == IR_LIT_STRING))
                collect_lits(l, e->u.call.args[i]);
    }
}

static void job_lits(lits *l, const ir_job *job)
{
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        collect_lits(l, n->predicate);
        for (int k = 0; k < n->n_keys; k++)
            collect_lits(l, n->keys[k]);
        for (int c = 0; c < n->n_cols; c++) {
            collect_lits(l, n->cols[c].expr);
            for (int a = 0; a < n->cols[c].n_alts; a++)
                collect_lits(l, n->cols[c].alts[a]);
        }
    }
}

/* ---- join keys: source columns compared in join and lookup conditions ---- */

typedef struct keyset {
    const char *ds[64], *col[64];
    bool proc[64]; /* ds is a procedure node's name: its table is the procedure's output */
    int n;
} keyset;

/* Whether a dataset (or a procedure's name, proc) is the one of table dataset tds. */
static bool same_ds(const char *ds, bool proc, const char *tds)
{
    if (!proc)
        return strcasecmp(ds, tds) == 0;
    size_t n = strlen(ds);
    return strncasecmp(ds, tds, n) == 0 && strcmp(tds + n, DG_PROCEDURE_OUTPUT) == 0;
}

/* Follows plain references and pass-through columns back to a source column. */
static void trace(keyset *ks, const ir_job *job, int node, const char *col, int depth)
{
    const ir_node *n = ir_job_node(job, node);
    if (!n || depth > 64)
        return;
    if (n->op == IR_OP_SOURCE || n->op == IR_OP_PROCEDURE) {
        const char *ds = n->op == IR_OP_SOURCE ? n->dataset : n->name;
        if (ks->n < 64 && ds) {
            ks->proc[ks->n] = n->op == IR_OP_PROCEDURE;
            ks->ds[ks->n] = ds;
            ks->col[ks->n++] = col;
        }
        return;
    }
    const ir_column *c = ir_node_col_ci(n, col);
    if (c && c->expr) {
        if (c->expr->kind == IR_EX_REF)
            trace(ks, job, c->expr->u.ref.node, c->expr->u.ref.col, depth + 1);
        return;
    }
    for (int k = 0; k < n->n_inputs; k++) {
        const ir_node *in = ir_job_node(job, n->inputs[k]);
        if (in && ir_node_col_ci(in, col)) {
            trace(ks, job, in->id, col, depth + 1);
            return;
        }
    }
}

static void key_refs(keyset *ks, const ir_job *job, const ir_expr *e)
{
    if (!e)
        return;
    if (e->kind == IR_EX_REF)
        trace(ks, job, e->u.ref.node, e->u.ref.col, 0);
    else if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            key_refs(ks, job, e->u.call.args[i]);
}

static bool is_key(const keyset *ks, const char *ds, const char *col)
{
    for (int i = 0; i < ks->n; i++)
        if (same_ds(ks->ds[i], ks->proc[i], ds) && strcasecmp(ks->col[i], col) == 0)
            return true;
    return false;
}

/* The type of a source column the job's schema leaves without one (a lookup table known only by
 * its SQL, a table a script reads without declaring it): the type of a typed reference downstream
 * that passes it through unchanged, else of a typed value it is compared with (a key of a table
 * the schema declares, a date computed from the current date). Unknown when there is none.
 * Every typed reference is traced once, into a list of (dataset, column, type) hints in the
 * job's order; a column takes the type of its first hint (tracing per column was quadratic on
 * large mappings). */
typedef struct type_hint {
    const char *ds, *col;
    ir_type type;
} type_hint;

typedef struct type_hints {
    type_hint *v;
    int n, cap;
} type_hints;

static void hints_add_trace(type_hints *h, const ir_job *job, const ir_expr *ref, ir_type type)
{
    keyset ks = {.n = 0};
    trace(&ks, job, ref->u.ref.node, ref->u.ref.col, 0);
    for (int k = 0; k < ks.n; k++) {
        if (ks.proc[k])
            continue;
        if (h->n == h->cap) {
            h->cap = h->cap ? 2 * h->cap : 64;
            h->v = realloc(h->v, (size_t)h->cap * sizeof *h->v);
            if (!h->v)
                abort();
        }
        h->v[h->n++] = (type_hint){ks.ds[k], ks.col[k], type};
    }
}

static void typed_refs(type_hints *h, const ir_job *job, const ir_expr *e)
{
    if (!e)
        return;
    if (e->kind == IR_EX_REF && e->type.kind != IR_TY_UNKNOWN) {
        hints_add_trace(h, job, e, e->type);
    } else if (e->kind == IR_EX_CALL) {
        for (int i = 0; i < e->u.call.n_args; i++)
            typed_refs(h, job, e->u.call.args[i]);
        /* compared with a typed value */
        ir_fn fn = e->u.call.fn;
        bool cmp = fn == IR_FN_EQ || fn == IR_FN_NE || fn == IR_FN_LT || fn == IR_FN_LE || fn == IR_FN_GT ||
                   fn == IR_FN_GE;
        for (int i = 0; cmp && e->u.call.n_args == 2 && i < 2; i++) {
            const ir_expr *x = e->u.call.args[i], *y = e->u.call.args[1 - i];
            if (x->kind != IR_EX_REF || y->type.kind == IR_TY_UNKNOWN || y->type.kind == IR_TY_BOOL)
                continue;
            hints_add_trace(h, job, x, y->type);
        }
    }
}

static void type_hints_build(type_hints *h, const ir_job *job)
{
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        typed_refs(h, job, n->predicate);
        for (int c = 0; c < n->n_cols; c++)
            typed_refs(h, job, n->cols[c].expr);
    }
}

static ir_type infer_type(const type_hints *h, const char *ds, const char *col)
{
    for (int i = 0; i < h->n; i++)
        if (strcasecmp(h->v[i].ds, ds) == 0 && strcasecmp(h->v[i].col, col) == 0)
            return h->v[i].type;
    return ir_type_make(IR_TY_UNKNOWN, 0, 0);
}

/* ---- literals compared with a source column: col = lit, col IN (...), col < lit ... ---- */

typedef struct cmpset {
    const char *ds[256], *col[256];
    bool proc[256]; /* as in keyset */
    const ir_expr *lit[256];
    int n;
    arena *arena; /* literals made from parameter defaults */
} cmpset;

/* A constant operand as a literal: a literal, a job parameter's default (a date parameter
 * without one: SQLITEBE_PARAM_DATE, as the queries use), to_date / cast of either. NULL otherwise. */
static const ir_expr *const_value(cmpset *cs, const ir_job *job, const ir_expr *e);

/* A literal of that kind and text, in the data's arena. */
static ir_expr *new_lit(cmpset *cs, ir_lit_kind kind, const char *text)
{
    ir_expr *l = arena_alloc(cs->arena, sizeof *l);
    memset(l, 0, sizeof *l);
    l->kind = IR_EX_LIT;
    l->u.lit.kind = kind;
    l->u.lit.text = text ? arena_strdup(cs->arena, text) : NULL;
    return l;
}

/* A constant call (current_date() - 1, to_date('...', fmt) ...) evaluated in SQLite. */
static const ir_expr *const_call(cmpset *cs, const ir_job *job, const ir_expr *e)
{
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "SELECT ");
    const ir_expr *out = NULL;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlitebe_const_sql(&sb, job, e) < 0 || sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlitebe_register(db) != SQLITE_OK || sqlite3_prepare_v2(db, sb_cstr(&sb), -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL)
        goto done;
    ir_expr *l = new_lit(cs, IR_LIT_STRING, (const char *)sqlite3_column_text(st, 0));
    int y, mo, d, h, mi, sec;
    long ns;
    if (sqlite3_column_type(st, 0) == SQLITE_TEXT)
        l->u.lit.kind = sqlitebe_ts_parse(l->u.lit.text, &y, &mo, &d, &h, &mi, &sec, &ns) ? IR_LIT_TIMESTAMP : IR_LIT_STRING;
    else
        l->u.lit.kind = IR_LIT_DECIMAL;
    out = l;
done:
    sqlite3_finalize(st);
    sqlite3_close(db);
    sb_free(&sb);
    return out;
}

static const ir_expr *const_value(cmpset *cs, const ir_job *job, const ir_expr *e)
{
    if (e->kind == IR_EX_LIT)
        return e;
    if (e->kind == IR_EX_CALL && e->u.call.fn != IR_FN_TO_DATE && e->u.call.fn != IR_FN_CAST &&
        e->u.call.fn != IR_FN_TRY_CAST)
        return const_call(cs, job, e);
    if (e->kind == IR_EX_CALL && e->u.call.n_args >= 1 &&
        (e->u.call.fn == IR_FN_TO_DATE || e->u.call.fn == IR_FN_CAST || e->u.call.fn == IR_FN_TRY_CAST)) {
        const ir_expr *v = const_value(cs, job, e->u.call.args[0]);
        if (!v || e->u.call.fn != IR_FN_TO_DATE)
            return v;
        if (v->u.lit.kind == IR_LIT_DATE || v->u.lit.kind == IR_LIT_TIMESTAMP)
            return v;
        int y, mo, d, h, mi, sec;
        long ns;
        if (!sqlitebe_ts_parse(v->u.lit.text, &y, &mo, &d, &h, &mi, &sec, &ns))
            return NULL;
        return new_lit(cs, IR_LIT_TIMESTAMP, v->u.lit.text);
    }
    if (e->kind != IR_EX_PARAM)
        return NULL;
    const ir_param *p = ir_job_param(job, e->u.param.name);
    const char *v = p && p->default_value && *p->default_value ? p->default_value : NULL;
    ir_type_kind k = p ? p->type.kind : IR_TY_UNKNOWN;
    ir_expr *l = new_lit(cs, IR_LIT_STRING, NULL);
    int mo, d, y, h = 0, mi = 0, sec = 0;
    if (v && sscanf(v, "%d/%d/%d %d:%d:%d", &mo, &d, &y, &h, &mi, &sec) >= 3) {
        char buf[48];
        sqlitebe_ts_format(buf, sizeof buf, y, mo, d, h, mi, sec, 0);
        l->u.lit.kind = IR_LIT_TIMESTAMP;
        l->u.lit.text = arena_strdup(cs->arena, buf);
    } else if (!v) {
        l->u.lit.kind = IR_LIT_TIMESTAMP; /* as a date parameter without a default runs */
        l->u.lit.text = SQLITEBE_PARAM_DATE;
    } else {
        char *end;
        strtod(v, &end);
        l->u.lit.kind = *end == 0 && k != IR_TY_STRING ? IR_LIT_DECIMAL : IR_LIT_STRING;
        l->u.lit.text = arena_strdup(cs->arena, v);
    }
    return l;
}

static void collect_cmp(cmpset *cs, const ir_job *job, const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return;
    ir_fn fn = e->u.call.fn;
    bool cmp = fn == IR_FN_EQ || fn == IR_FN_NE || fn == IR_FN_LT || fn == IR_FN_LE || fn == IR_FN_GT ||
               fn == IR_FN_GE || fn == IR_FN_IN || fn == IR_FN_DECODE;
    if (cmp) {
        /* the non-literal operand, looked through trims and case functions */
        for (int i = 0; i < e->u.call.n_args; i++) {
            const ir_expr *x = e->u.call.args[i];
            while (x->kind == IR_EX_CALL && x->u.call.n_args >= 1 &&
                   (x->u.call.fn == IR_FN_LTRIM || x->u.call.fn == IR_FN_RTRIM || x->u.call.fn == IR_FN_TRIM ||
                    x->u.call.fn == IR_FN_UPPER || x->u.call.fn == IR_FN_LOWER || x->u.call.fn == IR_FN_CAST))
                x = x->u.call.args[0];
            if (x->kind != IR_EX_REF)
                continue;
            keyset ks = {.n = 0};
            trace(&ks, job, x->u.ref.node, x->u.ref.col, 0);
            for (int k = 0; k < ks.n; k++)
                for (int j = 0; j < e->u.call.n_args; j++) {
                    const ir_expr *l = const_value(cs, job, e->u.call.args[j]);
                    if (l && l->kind == IR_EX_LIT && l->u.lit.kind != IR_LIT_NULL && cs->n < 256) {
                        cs->proc[cs->n] = ks.proc[k];
                        cs->ds[cs->n] = ks.ds[k];
                        cs->col[cs->n] = ks.col[k];
                        cs->lit[cs->n++] = l;
                    }
                }
        }
    }
    for (int i = 0; i < e->u.call.n_args; i++)
        collect_cmp(cs, job, e->u.call.args[i]);
}

static void job_cmps(cmpset *cs, const ir_job *job)
{
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        collect_cmp(cs, job, n->predicate);
        for (int c = 0; c < n->n_cols; c++)
            collect_cmp(cs, job, n->cols[c].expr);
    }
}

/* Whether every source node of the dataset is the lookup side of a lookup that keeps one match
 * (first, last, any). */
static bool lookup_only(const ir_job *job, const char *dataset)
{
    bool any = false;
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (n->op != IR_OP_SOURCE || !n->dataset || strcasecmp(n->dataset, dataset) != 0)
            continue;
        bool used = false;
        for (int k = 0; k < job->n_nodes; k++) {
            const ir_node *u = job->nodes[k];
            for (int x = 0; x < u->n_inputs; x++) {
                if (u->inputs[x] != n->id)
                    continue;
                if (u->op != IR_OP_LOOKUP || x != 1 || u->match == IR_MATCH_ALL || u->match == IR_MATCH_ERROR)
                    return false;
                used = true;
            }
        }
        any |= used;
    }
    return any;
}

/* Whether a column holds unique values: a primary key of its dataset, or a merge key of a MERGE
 * target of that dataset (its prior rows are the target's rows). */
static bool unique_col(const ir_job *job, const char *dataset, const char *col)
{
    const ir_dataset *ds = ir_job_dataset(job, dataset);
    for (int i = 0; ds && i < ds->n_cols; i++)
        if (strcasecmp(ds->cols[i].name, col) == 0 && (ds->cols[i].flags & IR_COL_KEY))
            return true;
    const char *dl = strrchr(dataset, '.') ? strrchr(dataset, '.') + 1 : dataset;
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (n->op != IR_OP_TARGET || n->load != IR_LOAD_MERGE || !n->dataset)
            continue;
        const char *nl = strrchr(n->dataset, '.') ? strrchr(n->dataset, '.') + 1 : n->dataset;
        if (strcasecmp(n->dataset, dataset) != 0 && strcasecmp(nl, dl) != 0)
            continue;
        for (int k = 0; k < n->n_merge_keys; k++)
            if (strcasecmp(n->merge_keys[k], col) == 0)
                return true;
        const ir_dataset *td = ir_job_dataset(job, n->dataset);
        for (int k = 0; !n->n_merge_keys && td && k < td->n_cols; k++)
            if (strcasecmp(td->cols[k].name, col) == 0 && (td->cols[k].flags & IR_COL_KEY))
                return true;
    }
    return false;
}

/* ---- values per type ---- */

static void ts_text(char *buf, size_t size, const char *iso)
{
    int y, mo, d, h, mi, s;
    long ns;
    if (sqlitebe_ts_parse(iso, &y, &mo, &d, &h, &mi, &s, &ns))
        sqlitebe_ts_format(buf, size, y, mo, d, h, mi, s, ns);
    else
        snprintf(buf, size, "%s", iso);
}

static void shift_day(char *buf, size_t size, const char *iso, int days)
{
    int y, mo, d, h, mi, s;
    long ns;
    if (!sqlitebe_ts_parse(iso, &y, &mo, &d, &h, &mi, &s, &ns)) {
        snprintf(buf, size, "%s", iso);
        return;
    }
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int dim = mo == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0) ? 29 : md[mo - 1];
    d += days;
    if (d > dim) {
        d = 1;
        if (++mo > 12)
            mo = 1, y++;
    } else if (d < 1) {
        if (--mo < 1)
            mo = 12, y--;
        d = mo == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0) ? 29 : md[mo - 1];
    }
    sqlitebe_ts_format(buf, size, y, mo, d, h, mi, s, ns);
}

static void add_text(pool *p, arena *a, const char *s, int maxlen)
{
    if (maxlen > 0 && (int)strlen(s) > maxlen) {
        char *t = arena_strndup(a, s, (size_t)maxlen);
        pool_add(p, (dg_value){DG_TEXT, 0, 0, t});
    } else {
        pool_add(p, v_text(a, s));
    }
}

static void lit_values(pool *p, arena *a, ir_type t, const lits *l, bool exact);

static void type_pool(pool *p, arena *a, ir_type t, bool nullable, bool key, int shift, const lits *focus, const lits *l)
{
    if (nullable)
        pool_add(p, v_null());
    char buf[64];
    switch (t.kind) {
    case IR_TY_BOOL:
        pool_add(p, v_int(0));
        pool_add(p, v_int(1));
        return;
    case IR_TY_INT:
    case IR_TY_BIGINT:
    case IR_TY_DECIMAL:
    case IR_TY_DOUBLE: {
        for (int i = 1; i <= 5; i++)
            pool_add(p, v_int(i + shift));
        if (key)
            return;
        pool_add(p, v_int(0));
        pool_add(p, v_int(-1));
        if (t.kind == IR_TY_INT || t.kind == IR_TY_BIGINT) {
            pool_add(p, v_int(10));
            pool_add(p, v_int(100));
            pool_add(p, v_int(t.kind == IR_TY_INT ? 2147483647LL : 9007199254740991LL));
            pool_add(p, v_int(t.kind == IR_TY_INT ? -2147483647LL - 1 : -9007199254740991LL));
            break;
        }
        int s = t.kind == IR_TY_DECIMAL ? t.scale : 4;
        if (s > 0) {
            pool_add(p, v_real(0.5));
            pool_add(p, v_real(-2.75));
            pool_add(p, v_real(s >= 2 ? 99.99 : 99.9));
            pool_add(p, v_real(pow(10.0, -(s > 6 ? 6 : s))));
        }
        int ip = t.kind == IR_TY_DECIMAL && t.precision > 0 ? t.precision - t.scale : 9;
        if (ip > 15)
            ip = 15;
        double max = pow(10.0, ip) - pow(10.0, -(s > 6 ? 6 : s));
        pool_add(p, s > 0 ? v_real(max) : v_int((long long)max));
        pool_add(p, s > 0 ? v_real(-max) : v_int(-(long long)max));
        break;
    }
    case IR_TY_DATE:
    case IR_TY_TIMESTAMP: {
        static const char *dates[] = {"2024-01-31", "2024-02-29", "2023-02-28", "2023-12-31", "2024-01-01",
                                      "2000-02-29", "1999-12-31", "2024-06-15", "2024-04-30"};
        static const char *times[] = {"2024-01-31 23:59:59", "2024-02-29 12:30:45", "2023-12-31 00:00:01",
                                      "2024-06-15 10:20:30"};
        int nd = key ? 5 : (int)(sizeof dates / sizeof dates[0]);
        for (int i = 0; i < nd; i++) {
            ts_text(buf, sizeof buf, dates[(i + shift) % (int)(sizeof dates / sizeof dates[0])]);
            pool_add(p, v_text(a, buf));
        }
        if (t.kind == IR_TY_TIMESTAMP && !key)
            for (int i = 0; i < (int)(sizeof times / sizeof times[0]); i++) {
                ts_text(buf, sizeof buf, times[i]);
                pool_add(p, v_text(a, buf));
            }
        break;
    }
    case IR_TY_BINARY: pool_add(p, v_text(a, "ab")); return;
    case IR_TY_ARRAY: {
        /* arrays execute as JSON text (backends/sqlite): empty, one, several with a repeat, a NULL
         * element, in the element type's terms */
        static const char *nums[] = {"[]", "[1]", "[1,2,3]", "[null,2]", "[0,-1,0]", "[5,4,3,2,1,0]"};
        static const char *strs[] = {"[]", "[\"A\"]", "[\"abc\",\"\",\"abc\"]", "[null,\"Y\"]", "[\"N\",\"1\"]"};
        bool numeric = ir_type_is_numeric(ir_type_elem(t));
        int n = numeric ? (int)(sizeof nums / sizeof nums[0]) : (int)(sizeof strs / sizeof strs[0]);
        for (int i = 0; i < n; i++)
            pool_add(p, v_text(a, numeric ? nums[i] : strs[i]));
        return;
    }
    default: { /* strings and unknown */
        int maxlen = t.kind == IR_TY_STRING ? t.precision : 0;
        if (key) {
            for (int i = 1; i <= 5; i++) {
                snprintf(buf, sizeof buf, "%d", i + shift);
                add_text(p, a, buf, maxlen);
            }
            return;
        }
        static const char *strs[] = {"", " ", "  ", "A", "abc", "Hello World", " padded ", "x,y", "0", "123", "-1.5",
                                     "UPPER", "MiXeD cAsE", "12/31/2023 00:00:00", "2024-02-29", "Y", "N", "1", "2"};
        for (int i = 0; i < (int)(sizeof strs / sizeof strs[0]); i++)
            add_text(p, a, strs[i], maxlen);
        if (maxlen > 0) {
            char big[41];
            int n = maxlen < 40 ? maxlen : 40;
            memset(big, 'Z', (size_t)n);
            big[n] = 0;
            add_text(p, a, big, maxlen);
        }
        break;
    }
    }
    /* the literals compared with this column, then every literal of the job (and neighbours) */
    p->n_edge = p->n;
    p->adding_focus = true; /* a compared literal that is also an edge value ('Y', '0') is favoured too */
    lit_values(p, a, t, focus, true);
    p->adding_focus = false;
    p->n_focus = p->n;
    lit_values(p, a, t, focus, false);
    lit_values(p, a, t, l, false);
}

/* The literals l as values of type t; exact: only the literals, else with their neighbours (±1,
 * ±1 day, a trailing blank, the other case). */
static void lit_values(pool *p, arena *a, ir_type t, const lits *l, bool exact)
{
    char buf[64];
    for (int i = 0; i < l->n; i++) {
        const ir_expr *e = l->v[i];
        const char *s = e->u.lit.text;
        switch (t.kind) {
        case IR_TY_INT:
        case IR_TY_BIGINT:
        case IR_TY_DECIMAL:
        case IR_TY_DOUBLE:
            if (e->u.lit.kind == IR_LIT_INT || e->u.lit.kind == IR_LIT_DECIMAL || e->u.lit.kind == IR_LIT_DOUBLE ||
                (e->u.lit.kind == IR_LIT_STRING && *s && strspn(s, "-0123456789.") == strlen(s))) {
                double d = strtod(s, NULL);
                if (fabs(d) > 9e15)
                    break;
                for (int k = exact ? 0 : -1; k <= (exact ? 0 : 1); k++) {
                    double x = d + k;
                    bool integral = x == floor(x);
                    pool_add(p, integral ? v_int((long long)x) : v_real(x));
                }
            }
            break;
        case IR_TY_DATE:
        case IR_TY_TIMESTAMP:
            if (e->u.lit.kind == IR_LIT_DATE || e->u.lit.kind == IR_LIT_TIMESTAMP) {
                for (int k = exact ? 0 : -1; k <= (exact ? 0 : 1); k++) {
                    shift_day(buf, sizeof buf, s, k);
                    pool_add(p, v_text(a, buf));
                }
            }
            break;
        case IR_TY_BOOL:
        case IR_TY_BINARY:
        case IR_TY_ARRAY: break;
        default:
            if (e->u.lit.kind == IR_LIT_STRING) {
                int maxlen = t.kind == IR_TY_STRING ? t.precision : 0;
                add_text(p, a, s, maxlen);
                if (exact)
                    break;
                char tmp[256];
                snprintf(tmp, sizeof tmp, "%s ", s);
                add_text(p, a, tmp, maxlen);
                snprintf(tmp, sizeof tmp, "%s", s);
                for (char *c = tmp; *c; c++)
                    *c = (char)(isupper((unsigned char)*c) ? tolower((unsigned char)*c) : toupper((unsigned char)*c));
                add_text(p, a, tmp, maxlen);
            } else if (e->u.lit.kind == IR_LIT_INT || e->u.lit.kind == IR_LIT_DECIMAL) {
                add_text(p, a, s, t.kind == IR_TY_STRING ? t.precision : 0);
            }
            break;
        }
    }
}

static void add_col(dg_table *t, arena *a, int *cap, const char *name, ir_type type);

/* ---- fixed-width files ---- */

/* A fixed-width field holds no NULL and exactly its width: strings are blank-padded, numbers
 * that do not fit are dropped (the file's line is made from the values, see add_lines). */
static void fit_width(pool *p, arena *a, ir_type t, int width)
{
    int w = 0, edge = 0, focus = 0;
    for (int i = 0; i < p->n; i++) {
        dg_value v = p->v[i];
        if (i == p->n_edge)
            edge = w;
        if (i == p->n_focus)
            focus = w;
        char buf[64];
        if (v.kind == DG_TEXT) {
            char *s = arena_alloc(a, (size_t)width + 1);
            size_t n = strlen(v.s);
            if (n > (size_t)width)
                n = (size_t)width;
            memcpy(s, v.s, n);
            memset(s + n, ' ', (size_t)width - n);
            s[width] = 0;
            v.s = s;
        } else if (v.kind == DG_INT) {
            if (snprintf(buf, sizeof buf, "%lld", v.i) > width || v.i < 0)
                continue;
        } else if (v.kind == DG_REAL) {
            continue;
        }
        bool dup = false;
        for (int k = 0; k < w && !dup; k++)
            dup = same(&p->v[k], &v);
        if (!dup)
            p->v[w++] = v;
    }
    p->n_edge = p->n_edge >= p->n ? w : edge;
    p->n_focus = p->n_focus >= p->n ? w : focus;
    p->n = w;
    (void)t;
}

/* Text cells of a fixed-width file's fields blank-padded to the field's width, as its reader gives
 * them (the pools are padded by fit_width; key values set afterwards are not). */
static void pad_fixed_text(dg_table *t, arena *a, const ir_dataset *ds)
{
    for (int c = 0; c < t->n_cols; c++) {
        const ir_column *dc = NULL;
        for (int j = 0; j < ds->n_cols; j++)
            if (strcasecmp(ds->cols[j].name, t->cols[c]) == 0)
                dc = &ds->cols[j];
        if (!dc || dc->phys_length <= 0 || dc->phys_length > 4096)
            continue;
        for (int r = 0; r < t->n_rows; r++) {
            dg_value *v = &t->cells[r * t->n_cols + c];
            size_t n = v->kind == DG_TEXT ? strlen(v->s) : 0;
            if (v->kind != DG_TEXT || n >= (size_t)dc->phys_length)
                continue;
            char *s = arena_alloc(a, (size_t)dc->phys_length + 1);
            memcpy(s, v->s, n);
            memset(s + n, ' ', (size_t)dc->phys_length - n);
            s[dc->phys_length] = 0;
            v->s = s;
        }
    }
}

/* The raw line of each row in a column "value" (what spark.read.text gives): every field at its
 * offset, numbers right-aligned, strings as they are (already padded). */
static void add_lines(dg_table *t, arena *a, const ir_dataset *ds)
{
    int len = 0, base = 1;
    for (int c = 0; c < ds->n_cols; c++) {
        if (ds->cols[c].phys_offset + ds->cols[c].phys_length > len)
            len = ds->cols[c].phys_offset + ds->cols[c].phys_length;
        if (ds->cols[c].phys_offset == 0)
            base = 0;
    }
    if (len <= 0 || len > 4096)
        return;
    int old = t->n_cols, cap = old;
    add_col(t, a, &cap, "value", ir_type_make(IR_TY_STRING, 0, 0));
    if (t->n_cols == old)
        return;
    dg_value *cells = arena_alloc(a, sizeof *cells * (size_t)(t->n_rows * t->n_cols));
    char *line = malloc((size_t)len + 1);
    if (!line)
        abort();
    for (int r = 0; r < t->n_rows; r++) {
        memset(line, ' ', (size_t)len);
        line[len] = 0;
        for (int c = 0; c < old; c++) {
            dg_value v = t->cells[r * old + c];
            cells[r * t->n_cols + c] = v;
            const ir_column *dc = NULL;
            for (int j = 0; j < ds->n_cols; j++)
                if (strcasecmp(ds->cols[j].name, t->cols[c]) == 0)
                    dc = &ds->cols[j];
            if (!dc || dc->phys_length <= 0)
                continue;
            char buf[64];
            const char *txt = v.kind == DG_TEXT ? v.s : buf;
            if (v.kind == DG_INT)
                snprintf(buf, sizeof buf, "%*lld", dc->phys_length, v.i);
            else if (v.kind != DG_TEXT)
                buf[0] = 0;
            size_t n = strlen(txt);
            int off = dc->phys_offset - base;
            if (off < 0)
                continue;
            if (n > (size_t)dc->phys_length)
                n = (size_t)dc->phys_length;
            memcpy(line + off, txt, n);
        }
        size_t e = (size_t)len;
        cells[r * t->n_cols + old] = (dg_value){DG_TEXT, 0, 0, arena_strndup(a, line, e)};
    }
    free(line);
    t->cells = cells;
}

/* ---- tables ---- */

static void add_col(dg_table *t, arena *a, int *cap, const char *name, ir_type type)
{
    for (int i = 0; i < t->n_cols; i++)
        if (strcasecmp(t->cols[i], name) == 0)
            return;
    if (t->n_cols == *cap) {
        int nc = *cap ? *cap * 2 : 16;
        t->cols = arena_grow(a, (void *)t->cols, (size_t)*cap, (size_t)nc, sizeof *t->cols);
        t->types = arena_grow(a, t->types, (size_t)*cap, (size_t)nc, sizeof *t->types);
        *cap = nc;
    }
    t->cols[t->n_cols] = arena_strdup(a, name);
    t->types[t->n_cols++] = type;
}

/* A new empty table of dataset (in the data's arena), named "t<n>". */
static dg_table *table_add(dg_data *out, int *cap_tables, const char *dataset)
{
    if (out->n_tables == *cap_tables) {
        int nc = *cap_tables ? *cap_tables * 2 : 8;
        out->tables = arena_grow(out->arena, out->tables, (size_t)*cap_tables, (size_t)nc, sizeof *out->tables);
        *cap_tables = nc;
    }
    dg_table *t = &out->tables[out->n_tables++];
    memset(t, 0, sizeof *t);
    t->dataset = dataset;
    t->table = arena_printf(out->arena, "t%d", out->n_tables);
    return t;
}

const dg_table *datagen_table(const dg_data *d, const char *dataset)
{
    const dg_table *by_last = NULL;
    const char *dl = strrchr(dataset, '.') ? strrchr(dataset, '.') + 1 : dataset;
    for (int i = 0; i < d->n_tables; i++) {
        const char *n = d->tables[i].dataset;
        if (strcasecmp(n, dataset) == 0)
            return &d->tables[i];
        const char *nl = strrchr(n, '.') ? strrchr(n, '.') + 1 : n;
        if (!by_last && strcasecmp(nl, dl) == 0)
            by_last = &d->tables[i];
    }
    return by_last;
}

int datagen_build(dg_data *out, const ir_job *job, uint64_t seed)
{
    memset(out, 0, sizeof *out);
    out->arena = arena_new();
    arena *a = out->arena;
    lits l = {.n = 0};
    job_lits(&l, job);
    cmpset cs = {.n = 0, .arena = a};
    job_cmps(&cs, job);
    keyset ks = {.n = 0};
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (n->op == IR_OP_JOIN || n->op == IR_OP_LOOKUP)
            key_refs(&ks, job, n->predicate);
        /* group keys too: groups of several rows (a sum and a max then differ) */
        for (int k = 0; n->op == IR_OP_AGGREGATE && k < n->n_keys; k++)
            if (n->keys[k]->kind == IR_EX_REF)
                key_refs(&ks, job, n->keys[k]);
    }
    int cap_tables = 0;
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (n->op != IR_OP_SOURCE || !n->dataset)
            continue;
        dg_table *t = NULL;
        for (int k = 0; k < out->n_tables; k++)
            if (strcasecmp(out->tables[k].dataset, n->dataset) == 0)
                t = &out->tables[k];
        int cap = 0;
        if (!t) {
            t = table_add(out, &cap_tables, arena_strdup(a, n->dataset));
            const ir_dataset *ds = ir_job_dataset(job, n->dataset);
            for (int c = 0; ds && c < ds->n_cols; c++)
                add_col(t, a, &cap, ds->cols[c].name, ds->cols[c].type);
        } else {
            cap = t->n_cols; /* arrays are exactly full: the next add grows them */
        }
        for (int c = 0; c < n->n_cols; c++)
            add_col(t, a, &cap, n->cols[c].name, n->cols[c].type);
    }
    /* the prior rows of a MERGE target (diffexec.c applies the MERGE to them): the job's own table
     * of that dataset when it reads it (an upsert's lookup of its target), else one made here from
     * the target's schema, its keys drawn from the same edge values as the sources' columns */
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (n->op != IR_OP_TARGET || n->load != IR_LOAD_MERGE || !n->dataset || datagen_table(out, n->dataset))
            continue;
        dg_table *t = table_add(out, &cap_tables, arena_strdup(a, n->dataset));
        int cap = 0;
        const ir_dataset *ds = ir_job_dataset(job, n->dataset);
        for (int c = 0; ds && c < ds->n_cols; c++)
            add_col(t, a, &cap, ds->cols[c].name, ds->cols[c].type);
        for (int c = 0; c < n->n_cols; c++)
            if (!(n->cols[c].flags & IR_COL_ROW_OP))
                add_col(t, a, &cap, n->cols[c].name, n->cols[c].type);
    }
    /* the output of a procedure node (its declared columns): read in place of the procedure */
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        if (n->op != IR_OP_PROCEDURE || !n->name || !n->n_cols)
            continue;
        const char *name = arena_printf(a, "%s" DG_PROCEDURE_OUTPUT, n->name);
        if (datagen_table(out, name))
            continue;
        dg_table *t = table_add(out, &cap_tables, name);
        int cap = 0;
        for (int c = 0; c < n->n_cols; c++)
            add_col(t, a, &cap, n->cols[c].name, n->cols[c].type);
    }
    type_hints hints = {.n = 0};
    bool hints_built = false;
    for (int k = 0; k < out->n_tables; k++)
        for (int c = 0; c < out->tables[k].n_cols; c++)
            if (out->tables[k].types[c].kind == IR_TY_UNKNOWN) {
                if (!hints_built) {
                    type_hints_build(&hints, job);
                    hints_built = true;
                }
                out->tables[k].types[c] = infer_type(&hints, out->tables[k].dataset, out->tables[k].cols[c]);
            }
    free(hints.v);
    /* rows */
    for (int k = 0; k < out->n_tables; k++) {
        dg_table *t = &out->tables[k];
        const ir_dataset *ds = ir_job_dataset(job, t->dataset);
        pool *pools = calloc((size_t)t->n_cols + 1, sizeof *pools);
        if (!pools)
            abort();
        int rows = MIN_ROWS;
        for (int c = 0; c < t->n_cols; c++) {
            const ir_column *dc = NULL;
            for (int j = 0; ds && j < ds->n_cols; j++)
                if (strcasecmp(ds->cols[j].name, t->cols[c]) == 0)
                    dc = &ds->cols[j];
            bool fixed = ds && ds->fixed_width && dc && dc->phys_length > 0;
            bool nullable = !(dc && (dc->flags & IR_COL_NOT_NULL)) && !fixed;
            bool key = is_key(&ks, t->dataset, t->cols[c]);
            lits focus = {.n = 0};
            for (int j = 0; j < cs.n; j++)
                if (same_ds(cs.ds[j], cs.proc[j], t->dataset) && strcasecmp(cs.col[j], t->cols[c]) == 0 &&
                    focus.n < (int)(sizeof focus.v / sizeof focus.v[0]))
                    focus.v[focus.n++] = cs.lit[j];
            type_pool(&pools[c], a, t->types[c], nullable, key, key ? k % 2 : 0, &focus, &l);
            if (fixed)
                fit_width(&pools[c], a, t->types[c], dc->phys_length);
            if (pools[c].n + EXTRA_ROWS > rows)
                rows = pools[c].n + EXTRA_ROWS;
        }
        if (rows > MAX_ROWS)
            rows = MAX_ROWS;
        t->n_rows = rows;
        t->cells = arena_alloc(a, sizeof *t->cells * (size_t)(rows * (t->n_cols ? t->n_cols : 1)));
        /* rows with new join keys: after the key domain has appeared, every other row (drawn) gets
         * the next of 6, 7, ... in all its join-key columns, the same numbers in every table: keys,
         * also keys of several columns, that match exactly one row on each side */
        int *fresh_no = calloc((size_t)rows + 1, sizeof *fresh_no);
        if (!fresh_no)
            abort();
        uint64_t ts = hash_str(seed ^ 0x9E3779B97F4A7C15ull, t->dataset);
        for (int r = FRESH_FROM, next = 6; r < rows - 1; r++)
            if (mix(&ts) % 2 == 0)
                fresh_no[r] = next++;
        for (int c = 0; c < t->n_cols; c++) {
            uint64_t s = hash_str(hash_str(seed ^ 0xcbf29ce484222325ull, t->dataset), t->cols[c]);
            pool *p = &pools[c];
            /* a permutation of the pool first (each value once), then draws */
            int *perm = malloc(sizeof *perm * (size_t)(p->n ? p->n : 1));
            if (!perm)
                abort();
            for (int i = 0; i < p->n; i++)
                perm[i] = i;
            for (int i = p->n - 1; i > 0; i--) {
                int j = (int)(mix(&s) % (uint64_t)(i + 1));
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            bool fresh = is_key(&ks, t->dataset, t->cols[c]) && !ir_type_is_temporal(t->types[c]) &&
                         t->types[c].kind != IR_TY_BOOL;
            for (int r = 0; r < rows - 1; r++) {
                int idx;
                if (fresh && fresh_no[r]) {
                    int kv = fresh_no[r];
                    t->cells[r * t->n_cols + c] =
                        ir_type_is_numeric(t->types[c]) ? v_int(kv) : v_text(a, arena_printf(a, "%d", kv));
                    continue;
                }
                if (r < p->n)
                    idx = perm[r];
                else if (p->n && p->v[0].kind == DG_NULL && mix(&s) % 6 == 0) /* NULLs more often */
                    idx = 0;
                else if (p->n_focus > p->n_edge && mix(&s) % 3 != 0) /* predicates true on more rows */
                    idx = p->n_edge + (int)(mix(&s) % (uint64_t)(p->n_focus - p->n_edge));
                else if (p->n > p->n_edge && mix(&s) % 3 == 0)
                    idx = p->n_edge + (int)(mix(&s) % (uint64_t)(p->n - p->n_edge));
                else
                    idx = (int)(mix(&s) % (uint64_t)(p->n ? p->n : 1));
                t->cells[r * t->n_cols + c] = p->n ? p->v[idx] : v_null();
            }
            free(perm);
        }
        free(fresh_no);
        bool unique = lookup_only(job, t->dataset);
        /* the last row repeats the first: duplicate rows (not in a first/last-match lookup
         * table, whose keys are unique) */
        for (int c = 0; c < t->n_cols && !unique; c++)
            t->cells[(rows - 1) * t->n_cols + c] = t->cells[c];
        /* a first/last-match lookup table: unique keys 2, 3, ... (key 1 of the other side finds
         * no match), so which match a policy keeps does not make the result order-dependent */
        for (int c = 0; c < t->n_cols && unique; c++) {
            if (!is_key(&ks, t->dataset, t->cols[c]) || ir_type_is_temporal(t->types[c]))
                continue;
            for (int r = 0; r < rows; r++) { /* the last rows, richest in the job's constants, first */
                dg_value v = v_int(rows - r + 1);
                if (!ir_type_is_numeric(t->types[c]))
                    v = v_text(a, arena_printf(a, "%d", rows - r + 1));
                t->cells[r * t->n_cols + c] = v;
            }
        }
        /* primary keys (and the merge keys of a MERGE target's prior rows) are unique: a value
         * seen before, or NULL, is replaced by the next unused one of 6, 7, ... (after the key
         * domain 1..5) */
        for (int c = 0; c < t->n_cols; c++) {
            if (!unique_col(job, t->dataset, t->cols[c]) || ir_type_is_temporal(t->types[c]) ||
                (unique && is_key(&ks, t->dataset, t->cols[c])))
                continue;
            int next = 6;
            for (int r = 0; r < rows; r++) {
                dg_value *v = &t->cells[r * t->n_cols + c];
                bool dup = v->kind == DG_NULL;
                for (int q = 0; q < r && !dup; q++)
                    dup = same(&t->cells[q * t->n_cols + c], v);
                while (dup) {
                    dg_value f = ir_type_is_numeric(t->types[c]) ? v_int(next) : v_text(a, arena_printf(a, "%d", next));
                    next++;
                    dup = false;
                    for (int q = 0; q < rows && !dup; q++)
                        dup = same(&t->cells[q * t->n_cols + c], &f);
                    if (!dup)
                        *v = f;
                }
            }
        }
        for (int c = 0; c < t->n_cols; c++)
            free(pools[c].v);
        free(pools);
        if (ds && ds->fixed_width) {
            pad_fixed_text(t, a, ds); /* the key values set above, as a fixed-width reader gives them */
            add_lines(t, a, ds);
        }
    }
    return 0;
}

void datagen_free(dg_data *d)
{
    if (d->arena)
        arena_free(d->arena);
    memset(d, 0, sizeof *d);
}
