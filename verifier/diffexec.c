/*
 * diffexec.c — differential execution, the verifier's second layer (verify.h,
 * docs/verification.md "Differential execution"). For each target of the legacy job:
 *
 *   1. data: datagen.c builds a seeded table per source dataset of the legacy job;
 *   2. queries: the SQLite backend (backends/sqlite) writes the legacy target and the generated
 *      target (matched by dataset name, as the structural layer does) as queries over that data,
 *      both written with the legacy target's column types;
 *   3. runs: both queries run in one in-memory database, once with the rows in generated order and
 *      once reversed; a column whose values change with the row order on either side is not
 *      compared (order-dependent), nor a column either side cannot execute;
 *   4. comparison: the outputs, projected on the compared columns, as multisets (NULL-aware;
 *      doubles equal when they agree to 10 significant digits);
 *   5. on a difference, the input is shrunk (delta debugging over the rows of every table while
 *      the outputs still differ) to a minimal counterexample: the input rows left and the output
 *      rows only one side has.
 */
#include "verifier/diffexec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/sqlite/sqlitebe.h"
#include "verifier/verify.h"

#define MAX_RUNS 1500 /* shrinking budget (queries per target) */

/* ---- data in SQLite ---- */

static void put_value(strbuf *sb, const dg_value *v)
{
    char buf[64];
    switch (v->kind) {
    case DG_NULL: sb_puts(sb, "NULL"); break;
    case DG_INT: sb_put_int(sb, v->i); break;
    case DG_REAL:
        snprintf(buf, sizeof buf, "%.17g", v->d);
        sb_puts(sb, buf);
        break;
    default: sqlitebe_put_string(sb, v->s); break;
    }
}

/* A fresh database holding the rows keep[t][r] of every table, in order or reversed. */
static sqlite3 *load(const dg_data *d, bool *const *keep, bool reversed)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlitebe_register(db) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "BEGIN;");
    for (int t = 0; t < d->n_tables; t++) {
        const dg_table *tb = &d->tables[t];
        sb_puts(&sb, "CREATE TABLE ");
        sqlitebe_put_ident(&sb, tb->table);
        sb_putc(&sb, '(');
        for (int c = 0; c < tb->n_cols; c++) {
            if (c)
                sb_puts(&sb, ", ");
            sqlitebe_put_ident(&sb, tb->cols[c]);
        }
        if (!tb->n_cols)
            sb_puts(&sb, "\"__none\"");
        sb_puts(&sb, ");");
        for (int k = 0; k < tb->n_rows; k++) {
            int r = reversed ? tb->n_rows - 1 - k : k;
            if (keep && !keep[t][r])
                continue;
            sb_puts(&sb, "INSERT INTO ");
            sqlitebe_put_ident(&sb, tb->table);
            sb_puts(&sb, " VALUES(");
            for (int c = 0; c < tb->n_cols; c++) {
                if (c)
                    sb_puts(&sb, ", ");
                put_value(&sb, &tb->cells[r * tb->n_cols + c]);
            }
            if (!tb->n_cols)
                sb_puts(&sb, "NULL");
            sb_puts(&sb, ");");
        }
    }
    sb_puts(&sb, "COMMIT;");
    int rc = sqlite3_exec(db, sb_cstr(&sb), NULL, NULL, NULL);
    sb_free(&sb);
    if (rc != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* ---- outputs ---- */

/* Rows as canonical texts: values joined by '\x1f'; NULL "NULL", numbers to 10 significant
 * digits (integers exactly), text quoted. */
typedef struct rows {
    char **v;
    int n, cap;
    char ***cells; /* per row, per compared column: the canonical value (for reports) */
} rows;

static void rows_free(rows *r)
{
    for (int i = 0; i < r->n; i++) {
        free(r->v[i]);
        free(r->cells[i]);
    }
    free(r->v);
    free(r->cells);
    memset(r, 0, sizeof *r);
}

static void canon_value(strbuf *sb, sqlite3_stmt *st, int i)
{
    char buf[64];
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL: sb_puts(sb, "NULL"); break;
    case SQLITE_INTEGER: sb_put_int(sb, sqlite3_column_int64(st, i)); break;
    case SQLITE_FLOAT: {
        double d = sqlite3_column_double(st, i);
        if (d == floor(d) && fabs(d) < 1e15)
            sb_put_int(sb, (long long)d);
        else {
            snprintf(buf, sizeof buf, "%.10g", d);
            sb_puts(sb, buf);
        }
        break;
    }
    default: {
        const char *t = (const char *)sqlite3_column_text(st, i);
        sb_putc(sb, '\'');
        sb_puts(sb, t ? t : "");
        sb_putc(sb, '\'');
        break;
    }
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Runs sql and keeps the columns idx[0..n) of each row. Returns 0, or -1 with *err. */
static int run(sqlite3 *db, const char *sql, const int *idx, int n, rows *out, char **err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        if (err)
            *err = strdup(sqlite3_errmsg(db));
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 64;
            out->v = realloc(out->v, (size_t)out->cap * sizeof *out->v);
            out->cells = realloc(out->cells, (size_t)out->cap * sizeof *out->cells);
            if (!out->v || !out->cells)
                abort();
        }
        strbuf sb = STRBUF_INIT;
        size_t *ends = malloc(sizeof *ends * (size_t)(n ? n : 1));
        if (!ends)
            abort();
        for (int i = 0; i < n; i++) {
            if (i)
                sb_putc(&sb, '\x1f');
            if (idx[i] < 0)
                sb_puts(&sb, "NULL");
            else
                canon_value(&sb, st, idx[i]);
            ends[i] = strlen(sb_cstr(&sb));
        }
        char *row = sb_take(&sb);
        /* cells point into one copy split at the separators */
        char **cells = malloc(sizeof *cells * (size_t)(n ? n : 1) + strlen(row) + 1);
        if (!cells)
            abort();
        char *copy = (char *)(cells + (n ? n : 1));
        strcpy(copy, row);
        size_t start = 0;
        for (int i = 0; i < n; i++) {
            cells[i] = copy + start;
            copy[ends[i]] = 0;
            start = ends[i] + 1;
        }
        free(ends);
        out->v[out->n] = row;
        out->cells[out->n++] = cells;
    }
    if (rc != SQLITE_DONE) {
        if (err)
            *err = strdup(sqlite3_errmsg(db));
        sqlite3_finalize(st);
        rows_free(out);
        return -1;
    }
    sqlite3_finalize(st);
    /* sort rows (and their cells with them) */
    int *order = malloc(sizeof *order * (size_t)(out->n ? out->n : 1));
    if (!order)
        abort();
    for (int i = 0; i < out->n; i++)
        order[i] = i;
    for (int i = 1; i < out->n; i++) { /* insertion sort: outputs are small */
        int k = order[i], j = i - 1;
        while (j >= 0 && strcmp(out->v[order[j]], out->v[k]) > 0) {
            order[j + 1] = order[j];
            j--;
        }
        order[j + 1] = k;
    }
    char **v = malloc(sizeof *v * (size_t)(out->n ? out->n : 1));
    char ***c = malloc(sizeof *c * (size_t)(out->n ? out->n : 1));
    if (!v || !c)
        abort();
    for (int i = 0; i < out->n; i++) {
        v[i] = out->v[order[i]];
        c[i] = out->cells[order[i]];
    }
    free(out->v);
    free(out->cells);
    out->v = v;
    out->cells = c;
    out->cap = out->n;
    free(order);
    return 0;
}

static bool rows_equal(const rows *a, const rows *b)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

/* How many rows of a and b, projected on the columns with use[c], have no partner on the other
 * side (the size of the multisets' symmetric difference). */
static int mismatch(const rows *a, const rows *b, const bool *use, int n)
{
    int na = a->n, nb = b->n;
    char **x = malloc(sizeof *x * (size_t)(na + 1)), **y = malloc(sizeof *y * (size_t)(nb + 1));
    if (!x || !y)
        abort();
    for (int side = 0; side < 2; side++) {
        const rows *r = side ? b : a;
        char **out = side ? y : x;
        for (int i = 0; i < r->n; i++) {
            strbuf sb = STRBUF_INIT;
            for (int c = 0; c < n; c++)
                if (use[c]) {
                    sb_puts(&sb, r->cells[i][c]);
                    sb_putc(&sb, '\x1f');
                }
            out[i] = sb_take(&sb);
        }
    }
    qsort(x, (size_t)na, sizeof *x, cmp_str);
    qsort(y, (size_t)nb, sizeof *y, cmp_str);
    int i = 0, j = 0, miss = 0;
    while (i < na || j < nb) {
        int c = i < na && j < nb ? strcmp(x[i], y[j]) : i < na ? -1 : 1;
        if (c == 0)
            i++, j++;
        else if (c < 0)
            i++, miss++;
        else
            j++, miss++;
    }
    for (int k = 0; k < na; k++)
        free(x[k]);
    for (int k = 0; k < nb; k++)
        free(y[k]);
    free(x);
    free(y);
    return miss;
}

/* Drops from use[] the columns that make a and b (one side's two runs) differ: greedily the
 * column whose removal leaves the fewest unmatched rows, until the projections agree. */
static void drop_unstable(const rows *a, const rows *b, bool *use, int n)
{
    for (;;) {
        int best = -1, best_miss = mismatch(a, b, use, n);
        if (best_miss == 0)
            return;
        for (int c = 0; c < n; c++) {
            if (!use[c])
                continue;
            use[c] = false;
            int m = mismatch(a, b, use, n);
            use[c] = true;
            if (m < best_miss || best < 0)
                best = c, best_miss = m < best_miss || best < 0 ? m : best_miss;
        }
        if (best < 0)
            return;
        use[best] = false;
    }
}

/* ---- one target ---- */

typedef struct envdata {
    const dg_data *data;
    const ir_job *legacy;
    const ir_node *lt; /* the legacy target */
} envdata;

static const char *table_of(void *userdata, const char *dataset)
{
    const envdata *e = userdata;
    const dg_table *t = datagen_table(e->data, dataset);
    return t ? t->table : NULL;
}

static const ir_type *coltype_of(void *userdata, const char *dataset, const char *column)
{
    const envdata *e = userdata;
    const ir_dataset *ds = e->lt->dataset ? ir_job_dataset(e->legacy, e->lt->dataset) : NULL;
    for (int i = 0; ds && i < ds->n_cols; i++)
        if (strcasecmp(ds->cols[i].name, column) == 0)
            return &ds->cols[i].type;
    const ir_column *c = ir_node_col_ci(e->lt, column);
    return c ? &c->type : NULL;
}

typedef struct target_run {
    const dg_data *data;
    const char *lsql, *gsql;   /* ties in input order */
    const char *lsql2, *gsql2; /* ties in reverse input order (the reversed run) */
    int *lidx, *gidx; /* per compared column: its index in each query's output */
    int n;
    int runs;
} target_run;

/* Both outputs on the rows kept: rows inserted in order (or reversed), ties taken in input order
 * (or reversed: rev_ties). Returns 0, or -1 when a query fails. */
static int outputs3(target_run *tr, bool *const *keep, bool reversed, bool rev_ties, rows *l, rows *g, char **err)
{
    tr->runs++;
    sqlite3 *db = load(tr->data, keep, reversed);
    if (!db) {
        if (err)
            *err = strdup("the generated data could not be loaded");
        return -1;
    }
    int rc = run(db, rev_ties ? tr->lsql2 : tr->lsql, tr->lidx, tr->n, l, err);
    if (rc == 0 && run(db, rev_ties ? tr->gsql2 : tr->gsql, tr->gidx, tr->n, g, err) < 0) {
        rows_free(l);
        rc = -1;
    }
    sqlite3_close(db);
    return rc;
}

static int outputs(target_run *tr, bool *const *keep, bool reversed, rows *l, rows *g, char **err)
{
    return outputs3(tr, keep, reversed, false, l, g, err);
}

static bool still_differs(target_run *tr, bool *const *keep)
{
    rows l, g;
    if (outputs(tr, keep, false, &l, &g, NULL) < 0)
        return false;
    bool d = !rows_equal(&l, &g);
    rows_free(&l);
    rows_free(&g);
    return d;
}

/* Delta debugging over every (table, row): drop chunks while the outputs still differ. */
static void shrink(target_run *tr, bool **keep)
{
    const dg_data *d = tr->data;
    int total = 0;
    for (int t = 0; t < d->n_tables; t++)
        total += d->tables[t].n_rows;
    int *tt = malloc(sizeof *tt * (size_t)(total ? total : 1)), *rr = malloc(sizeof *rr * (size_t)(total ? total : 1));
    if (!tt || !rr)
        abort();
    for (int chunk = total / 2 > 0 ? total / 2 : 1;; chunk = chunk / 2 > 0 ? chunk / 2 : 1) {
        bool changed = true;
        while (changed && tr->runs < MAX_RUNS) {
            changed = false;
            int n = 0;
            for (int t = 0; t < d->n_tables; t++)
                for (int r = 0; r < d->tables[t].n_rows; r++)
                    if (keep[t][r])
                        tt[n] = t, rr[n++] = r;
            for (int s = 0; s < n && tr->runs < MAX_RUNS; s += chunk) {
                int e = s + chunk < n ? s + chunk : n;
                for (int i = s; i < e; i++)
                    keep[tt[i]][rr[i]] = false;
                if (still_differs(tr, keep)) {
                    changed = true;
                } else {
                    for (int i = s; i < e; i++)
                        keep[tt[i]][rr[i]] = true;
                }
            }
        }
        if (chunk == 1 || tr->runs >= MAX_RUNS)
            break;
    }
    free(tt);
    free(rr);
}

/* A canonical value as JSON: NULL null, 'text' a string, numbers as they are. */
static void json_value(strbuf *sb, const char *v)
{
    if (strcmp(v, "NULL") == 0) {
        sb_puts(sb, "null");
    } else if (v[0] == '\'') {
        size_t n = strlen(v);
        char *t = strndup(v + 1, n >= 2 ? n - 2 : 0);
        if (!t)
            abort();
        sb_put_json_string(sb, t);
        free(t);
    } else {
        sb_puts(sb, v);
    }
}

/* A generated value as JSON (json) or as readable SQL-like text. */
static void put_dg(strbuf *sb, const dg_value *v, bool json)
{
    char buf[64];
    switch (v->kind) {
    case DG_NULL: sb_puts(sb, json ? "null" : "NULL"); break;
    case DG_INT: sb_put_int(sb, v->i); break;
    case DG_REAL:
        snprintf(buf, sizeof buf, "%.10g", v->d);
        sb_puts(sb, buf);
        break;
    default:
        if (json)
            sb_put_json_string(sb, v->s);
        else
            sqlitebe_put_string(sb, v->s);
        break;
    }
}

/* The rows of a that b lacks (multiset difference of sorted lists), appended as JSON and text. */
static void only_in(const rows *a, const rows *b, const char *const *names, int n, strbuf *js, strbuf *tx,
                    const char *label)
{
    int i = 0, j = 0, k = 0;
    sb_puts(js, "[");
    sb_printf(tx, "      %s:", label);
    bool any = false;
    while (i < a->n) {
        int c = j < b->n ? strcmp(a->v[i], b->v[j]) : -1;
        if (c == 0) {
            i++, j++;
            continue;
        }
        if (c > 0) {
            j++;
            continue;
        }
        sb_puts(js, k++ ? ", {" : "{");
        sb_puts(tx, "\n        (");
        for (int x = 0; x < n; x++) {
            if (x) {
                sb_puts(js, ", ");
                sb_puts(tx, ", ");
            }
            sb_put_json_string(js, names[x]);
            sb_puts(js, ": ");
            json_value(js, a->cells[i][x]);
            sb_printf(tx, "%s=%s", names[x], a->cells[i][x]);
        }
        sb_putc(js, '}');
        sb_putc(tx, ')');
        any = true;
        i++;
    }
    sb_puts(js, "]");
    if (!any)
        sb_puts(tx, " (no row)");
    sb_putc(tx, '\n');
}

/* Why a column's structural verdict already names a marked hole of the generated code (a
 * placeholder the backend wrote for what it cannot express), or NULL. Execution does not count
 * those as differences: the backend said so. */
static const char *marked_hole(const verify_result *r, const char *target, const char *col)
{
    for (int i = 0; i < r->n_cols; i++) {
        const verify_item *it = &r->cols[i];
        if (it->verdict == VERIFY_UNVERIFIED && it->why && strcasecmp(it->target, target) == 0 &&
            strcasecmp(it->name, col) == 0 && strstr(it->why, "cannot express"))
            return it->why;
    }
    return NULL;
}

/* A fixed-width file with a date column: its text form in the file is not modelled. */
static bool reads_fixed_width(const ir_job *j)
{
    for (int i = 0; i < j->n_nodes; i++) {
        const ir_node *n = j->nodes[i];
        const ir_dataset *ds = n->op == IR_OP_SOURCE && n->dataset ? ir_job_dataset(j, n->dataset) : NULL;
        for (int c = 0; ds && ds->fixed_width && c < ds->n_cols; c++)
            if (ir_type_is_temporal(ds->cols[c].type) || ds->cols[c].type.kind == IR_TY_DOUBLE ||
                (ds->cols[c].type.kind == IR_TY_DECIMAL && ds->cols[c].type.scale > 0))
                return true;
    }
    return false;
}

static void exec_target(verify_result *r, verify_exec *ex, const ir_job *legacy, const ir_node *lt,
                        ir_job *const *gen, int n_gen, const dg_data *data, verify_target target)
{
    const ir_job *gj = NULL;
    const ir_node *gt = NULL;
    for (int g = 0; g < n_gen && !gt; g++) {
        gt = verify_find_target(gen[g], lt->dataset ? lt->dataset : lt->name);
        gj = gen[g];
    }
    ex->verdict = VERIFY_UNVERIFIED;
    if (!gt) {
        ex->why = "not executable: no generated target for this dataset";
        return;
    }
    if (reads_fixed_width(legacy)) {
        ex->why = "not executable: a fixed-width file with dates or fractions (their text form is not modelled)";
        return;
    }
    envdata ed = {data, legacy, lt};
    bool high = target == VERIFY_SNOWFLAKE;
    sqlitebe_env env = {table_of, coltype_of, &ed, legacy, high, false},
                 env2 = {table_of, coltype_of, &ed, legacy, high, true};
    sqlitebe_query lq, gq, lq2, gq2;
    sqlitebe_target_query(&lq, legacy, lt, &env);
    sqlitebe_target_query(&gq, gj, gt, &env);
    sqlitebe_target_query(&lq2, legacy, lt, &env2);
    sqlitebe_target_query(&gq2, gj, gt, &env2);
    if (getenv("ETLPORT_VERIFY_DUMP_SQL")) /* debugging aid: both queries on stderr */
        fprintf(stderr, "-- legacy %s\n%s;\n-- generated\n%s;\n", ex->target, lq.sql ? lq.sql : lq.why,
                gq.sql ? gq.sql : gq.why);
    strbuf skipped = STRBUF_INIT;
    target_run tr = {0};
    tr.data = data;
    bool **keep = NULL;
    rows l1 = {0}, g1 = {0}, l2 = {0}, g2 = {0};
    char *err = NULL;
    if (!lq.sql || !gq.sql) {
        ex->why = arena_printf(r->arena, "not executable: %s%s", lq.sql ? "generated: " : "legacy: ",
                               lq.sql ? gq.why : lq.why);
        goto done;
    }
    /* the columns both sides compute */
    tr.lidx = calloc((size_t)lq.n_cols + 1, sizeof *tr.lidx);
    tr.gidx = calloc((size_t)lq.n_cols + 1, sizeof *tr.gidx);
    const char **names = calloc((size_t)lq.n_cols + 1, sizeof *names);
    if (!tr.lidx || !tr.gidx || !names)
        abort();
    for (int i = 0; i < lq.n_cols; i++) {
        int g = -1;
        for (int k = 0; k < gq.n_cols && g < 0; k++)
            if (strcasecmp(gq.cols[k], lq.cols[i]) == 0)
                g = k;
        /* a column the generated target lacks is written as NULL (the table's default) */
        const char *why = lq.skip[i] ? lq.skip[i] : g < 0 ? NULL : gq.skip[g];
        const char *hole = why ? NULL : marked_hole(r, ex->target, lq.cols[i]);
        if (hole)
            why = "a marked placeholder in the generated code";
        if (why) {
            sb_printf(&skipped, "%s%s: %s", skipped.len ? "; " : "", lq.cols[i], why);
            continue;
        }
        tr.lidx[tr.n] = i;
        tr.gidx[tr.n] = g;
        names[tr.n++] = lq.cols[i];
    }
    tr.lsql = lq.sql;
    tr.gsql = gq.sql;
    tr.lsql2 = lq2.sql;
    tr.gsql2 = gq2.sql;
    if (!tr.n) {
        ex->why = "not executable: no column both sides can compute";
        free(names);
        goto done;
    }
    /* three runs: rows in order; rows reversed; ties in a row-numbering order reversed */
    rows l3 = {0}, g3 = {0};
    if (outputs3(&tr, NULL, false, false, &l1, &g1, &err) < 0 || outputs3(&tr, NULL, true, false, &l2, &g2, &err) < 0 ||
        outputs3(&tr, NULL, false, true, &l3, &g3, &err) < 0) {
        ex->why = arena_printf(r->arena, "not executable: SQLite: %s", err ? err : "?");
        rows_free(&l3), rows_free(&g3);
        free(names);
        goto done;
    }
    if (l1.n != l2.n || g1.n != g2.n || l1.n != l3.n || g1.n != g3.n) {
        ex->why = "not executable: the number of output rows depends on the input order";
        rows_free(&l3), rows_free(&g3);
        free(names);
        goto done;
    }
    /* order-dependent columns are not compared */
    bool *use = malloc(sizeof *use * (size_t)(tr.n + 1));
    if (!use)
        abort();
    for (int i = 0; i < tr.n; i++)
        use[i] = true;
    drop_unstable(&l1, &l2, use, tr.n);
    drop_unstable(&g1, &g2, use, tr.n);
    drop_unstable(&l1, &l3, use, tr.n);
    drop_unstable(&g1, &g3, use, tr.n);
    rows_free(&l3), rows_free(&g3);
    int kept = 0;
    for (int i = 0; i < tr.n; i++) {
        if (!use[i]) {
            sb_printf(&skipped, "%s%s: order-dependent on the generated data", skipped.len ? "; " : "", names[i]);
            continue;
        }
        tr.lidx[kept] = tr.lidx[i];
        tr.gidx[kept] = tr.gidx[i];
        names[kept++] = names[i];
    }
    free(use);
    rows_free(&l1), rows_free(&g1), rows_free(&l2), rows_free(&g2);
    tr.n = kept;
    if (!tr.n) {
        ex->why = "not executable: every column is order-dependent or not executable";
        free(names);
        goto done;
    }
    if (outputs(&tr, NULL, false, &l1, &g1, &err) < 0) {
        ex->why = arena_printf(r->arena, "not executable: SQLite: %s", err ? err : "?");
        free(names);
        goto done;
    }
    ex->n_compared = tr.n;
    ex->rows_legacy = l1.n;
    ex->rows_generated = g1.n;
    if (rows_equal(&l1, &g1)) {
        ex->verdict = VERIFY_EQUAL;
        ex->why = NULL;
        free(names);
        goto done;
    }
    rows_free(&l1), rows_free(&g1);
    /* shrink to a minimal counterexample */
    keep = calloc((size_t)data->n_tables + 1, sizeof *keep);
    if (!keep)
        abort();
    for (int t = 0; t < data->n_tables; t++) {
        keep[t] = malloc(sizeof **keep * (size_t)(data->tables[t].n_rows + 1));
        if (!keep[t])
            abort();
        for (int k = 0; k < data->tables[t].n_rows; k++)
            keep[t][k] = true;
    }
    shrink(&tr, keep);
    if (outputs(&tr, keep, false, &l1, &g1, &err) < 0) {
        ex->why = arena_printf(r->arena, "not executable: SQLite: %s", err ? err : "?");
        free(names);
        goto done;
    }
    strbuf js = STRBUF_INIT, tx = STRBUF_INIT;
    sb_puts(&js, "{\"inputs\": {");
    sb_puts(&tx, "    input rows:\n");
    int nt = 0;
    for (int t = 0; t < data->n_tables; t++) {
        const dg_table *tb = &data->tables[t];
        int nk = 0;
        for (int k = 0; k < tb->n_rows; k++)
            nk += keep[t][k];
        sb_puts(&js, nt++ ? ", " : "");
        sb_put_json_string(&js, tb->dataset);
        sb_puts(&js, ": [");
        sb_printf(&tx, "      %s:%s", tb->dataset, nk ? "" : " (no row)");
        int w = 0;
        for (int k = 0; k < tb->n_rows; k++) {
            if (!keep[t][k])
                continue;
            sb_puts(&js, w++ ? ", {" : "{");
            sb_puts(&tx, "\n        (");
            for (int c = 0; c < tb->n_cols; c++) {
                if (c) {
                    sb_puts(&js, ", ");
                    sb_puts(&tx, ", ");
                }
                sb_put_json_string(&js, tb->cols[c]);
                sb_puts(&js, ": ");
                put_dg(&js, &tb->cells[k * tb->n_cols + c], true);
                sb_printf(&tx, "%s=", tb->cols[c]);
                put_dg(&tx, &tb->cells[k * tb->n_cols + c], false);
            }
            sb_putc(&js, '}');
            sb_putc(&tx, ')');
        }
        sb_puts(&js, "]");
        sb_putc(&tx, '\n');
    }
    sb_puts(&js, "}, \"legacy\": ");
    only_in(&l1, &g1, names, tr.n, &js, &tx, "legacy output only");
    sb_puts(&js, ", \"generated\": ");
    only_in(&g1, &l1, names, tr.n, &js, &tx, "generated output only");
    sb_puts(&js, "}");
    ex->verdict = VERIFY_DIFFERS;
    ex->why = arena_printf(r->arena, "the outputs differ on generated data (%d rows legacy, %d generated)",
                           ex->rows_legacy, ex->rows_generated);
    ex->cex_json = arena_strdup(r->arena, sb_cstr(&js));
    ex->cex_text = arena_strdup(r->arena, sb_cstr(&tx));
    sb_free(&js);
    sb_free(&tx);
    free(names);
done:
    if (skipped.len)
        ex->skipped = arena_strdup(r->arena, sb_cstr(&skipped));
    sb_free(&skipped);
    rows_free(&l1), rows_free(&g1), rows_free(&l2), rows_free(&g2);
    if (keep)
        for (int t = 0; t < data->n_tables; t++)
            free(keep[t]);
    free(keep);
    free(err);
    free(tr.lidx);
    free(tr.gidx);
    sqlitebe_query_clear(&lq);
    sqlitebe_query_clear(&gq);
    sqlitebe_query_clear(&lq2);
    sqlitebe_query_clear(&gq2);
}

void verify_exec_attach(verify_result *r, const ir_job *legacy, ir_job *const *gen, int n_gen, verify_target target)
{
    const char *off = getenv("ETLPORT_VERIFY_NO_EXEC");
    if (off && *off && strcmp(off, "0") != 0)
        return;
    int nt = 0;
    for (int i = 0; i < legacy->n_nodes; i++)
        nt += legacy->nodes[i]->op == IR_OP_TARGET;
    if (!nt)
        return;
    dg_data data;
    datagen_build(&data, legacy, DATAGEN_SEED);
    r->execs = arena_alloc(r->arena, sizeof *r->execs * (size_t)nt);
    memset(r->execs, 0, sizeof *r->execs * (size_t)nt);
    for (int i = 0; i < legacy->n_nodes; i++) {
        const ir_node *lt = legacy->nodes[i];
        if (lt->op != IR_OP_TARGET)
            continue;
        verify_exec *ex = &r->execs[r->n_execs++];
        ex->target = arena_strdup(r->arena, lt->dataset ? lt->dataset : lt->name);
        exec_target(r, ex, legacy, lt, gen, n_gen, &data, target);
        r->exec_counts[ex->verdict]++;
        if (ex->verdict != VERIFY_DIFFERS)
            continue;
        /* a counterexample always means differs: an `execution` step of that target */
        if (r->n_nodes == r->cap_nodes) {
            int nc = r->cap_nodes ? r->cap_nodes * 2 : 32;
            r->nodes = arena_grow(r->arena, r->nodes, (size_t)r->cap_nodes, (size_t)nc, sizeof *r->nodes);
            r->cap_nodes = nc;
        }
        verify_item *it = &r->nodes[r->n_nodes++];
        memset(it, 0, sizeof *it);
        it->target = ex->target;
        it->name = "execution";
        it->verdict = VERIFY_DIFFERS;
        it->legacy = arena_printf(r->arena, "%d output rows", ex->rows_legacy);
        it->generated = arena_printf(r->arena, "%d output rows", ex->rows_generated);
        it->why = "differential execution: the outputs differ on generated data (see the counterexample)";
    }
    datagen_free(&data);
}

void verify_exec_to_json(const verify_result *r, strbuf *sb)
{
    sb_puts(sb, ",\n \"execution\": [");
    for (int i = 0; i < r->n_execs; i++) {
        const verify_exec *ex = &r->execs[i];
        sb_puts(sb, i ? ",\n  {\"target\": " : "\n  {\"target\": ");
        sb_put_json_string(sb, ex->target);
        sb_puts(sb, ", \"verdict\": ");
        sb_put_json_string(sb, ex->verdict == VERIFY_UNVERIFIED ? "not executable" : verify_verdict_name(ex->verdict));
        if (ex->verdict != VERIFY_UNVERIFIED)
            sb_printf(sb, ", \"columns_compared\": %d, \"rows_legacy\": %d, \"rows_generated\": %d", ex->n_compared,
                      ex->rows_legacy, ex->rows_generated);
        if (ex->why) {
            sb_puts(sb, ", \"why\": ");
            sb_put_json_string(sb, ex->why);
        }
        if (ex->skipped) {
            sb_puts(sb, ", \"not_compared\": ");
            sb_put_json_string(sb, ex->skipped);
        }
        sb_putc(sb, '}');
    }
    sb_puts(sb, r->n_execs ? "\n ],\n \"counterexamples\": [" : "],\n \"counterexamples\": [");
    int n = 0;
    for (int i = 0; i < r->n_execs; i++) {
        const verify_exec *ex = &r->execs[i];
        if (!ex->cex_json)
            continue;
        sb_puts(sb, n++ ? ",\n  {\"target\": " : "\n  {\"target\": ");
        sb_put_json_string(sb, ex->target);
        sb_puts(sb, ", ");
        sb_puts(sb, ex->cex_json + 1); /* the object's members after its '{' */
    }
    sb_puts(sb, n ? "\n ]" : "]");
}

void verify_exec_to_text(const verify_result *r, strbuf *sb)
{
    if (!r->n_execs)
        return;
    sb_printf(sb, "execution: %d equal, %d differs, %d not executable\n", r->exec_counts[VERIFY_EQUAL],
              r->exec_counts[VERIFY_DIFFERS], r->exec_counts[VERIFY_UNVERIFIED]);
    for (int i = 0; i < r->n_execs; i++) {
        const verify_exec *ex = &r->execs[i];
        if (ex->verdict == VERIFY_UNVERIFIED)
            sb_printf(sb, "%-10s %s [execution]  (%s)\n", "unverified", ex->target, ex->why ? ex->why : "");
        else
            sb_printf(sb, "%-10s %s [execution]  (%d columns, %d rows legacy, %d rows generated)\n",
                      verify_verdict_name(ex->verdict), ex->target, ex->n_compared, ex->rows_legacy,
                      ex->rows_generated);
        if (ex->skipped)
            sb_printf(sb, "    not compared: %s\n", ex->skipped);
        if (ex->cex_text)
            sb_printf(sb, "    counterexample:\n%s", ex->cex_text);
    }
}
