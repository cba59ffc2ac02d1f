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
 *
 * A MERGE target is applied to prior rows of the target (see "MERGE targets" below); a procedure
 * node the generated code marks as the same hole is read, on both sides, as a table of generated
 * output rows (the procedure itself is not executed).
 */
#include "verifier/diffexec.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/sqlite/sqlitebe.h"
#include "verifier/verify.h"

#define MAX_RUNS 1500 /* shrinking budget (queries per target) */
#define MAX_STEPS 200000000LL /* SQLite steps per database (a few seconds) */
#define PROGRESS_EVERY 10000
#define MAX_OUT_ROWS 50000 /* output rows per query */

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

/* The SQL that creates every table and inserts its rows keep[t][r], in order or reversed. */
static void data_sql(strbuf *sb, const dg_data *d, bool *const *keep, bool reversed)
{
    sb_puts(sb, "BEGIN;");
    for (int t = 0; t < d->n_tables; t++) {
        const dg_table *tb = &d->tables[t];
        sb_puts(sb, "CREATE TABLE ");
        sqlitebe_put_ident(sb, tb->table);
        sb_putc(sb, '(');
        for (int c = 0; c < tb->n_cols; c++) {
            if (c)
                sb_puts(sb, ", ");
            sqlitebe_put_ident(sb, tb->cols[c]);
        }
        if (!tb->n_cols)
            sb_puts(sb, "\"__none\"");
        sb_puts(sb, ");");
        for (int k = 0; k < tb->n_rows; k++) {
            int r = reversed ? tb->n_rows - 1 - k : k;
            if (keep && !keep[t][r])
                continue;
            sb_puts(sb, "INSERT INTO ");
            sqlitebe_put_ident(sb, tb->table);
            sb_puts(sb, " VALUES(");
            for (int c = 0; c < tb->n_cols; c++) {
                if (c)
                    sb_puts(sb, ", ");
                put_value(sb, &tb->cells[r * tb->n_cols + c]);
            }
            if (!tb->n_cols)
                sb_puts(sb, "NULL");
            sb_puts(sb, ");");
        }
    }
    sb_puts(sb, "COMMIT;");
}

/* The steps the databases of one load() have run, in PROGRESS_EVERY units. A count of VM steps,
 * not a clock, so whether a run goes over the budget is the same on every machine. */
static long long steps_run;

static int progress(void *unused)
{
    (void)unused;
    return ++steps_run * PROGRESS_EVERY > MAX_STEPS;
}

/* A fresh database holding the rows keep[t][r] of every table, in order or reversed; its queries
 * share a budget of MAX_STEPS SQLite steps (a join that multiplies rows stops, not the run). */
static sqlite3 *load(const dg_data *d, bool *const *keep, bool reversed)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlitebe_register(db) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    steps_run = 0;
    sqlite3_progress_handler(db, PROGRESS_EVERY, progress, NULL);
    strbuf sb = STRBUF_INIT;
    data_sql(&sb, d, keep, reversed);
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

typedef struct row_ref {
    char *row;
    char **cells;
} row_ref;

static int cmp_row_ref(const void *a, const void *b)
{
    return strcmp(((const row_ref *)a)->row, ((const row_ref *)b)->row);
}

/* Runs sql and keeps the columns idx[0..n) of each row. Returns 0, or -1 with *err (also when
 * the run goes over its budget: MAX_OUT_ROWS rows, or the SQLite steps of load()). */
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
        if (out->n == MAX_OUT_ROWS) {
            rc = SQLITE_TOOBIG;
            break;
        }
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
        if (err) {
            char msg[160];
            if (rc == SQLITE_TOOBIG)
                snprintf(msg, sizeof msg, "more than %d output rows on the generated data", MAX_OUT_ROWS);
            else if (rc == SQLITE_INTERRUPT)
                snprintf(msg, sizeof msg, "over the execution budget (%lld SQLite steps)", (long long)MAX_STEPS);
            *err = strdup(rc == SQLITE_TOOBIG || rc == SQLITE_INTERRUPT ? msg : sqlite3_errmsg(db));
        }
        sqlite3_finalize(st);
        rows_free(out);
        return -1;
    }
    sqlite3_finalize(st);
    /* sort rows (and their cells with them); equal rows are the same text, so the order is total */
    row_ref *refs = malloc(sizeof *refs * (size_t)(out->n ? out->n : 1));
    if (!refs)
        abort();
    for (int i = 0; i < out->n; i++)
        refs[i] = (row_ref){out->v[i], out->cells[i]};
    qsort(refs, (size_t)out->n, sizeof *refs, cmp_row_ref);
    for (int i = 0; i < out->n; i++) {
        out->v[i] = refs[i].row;
        out->cells[i] = refs[i].cells;
    }
    free(refs);
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

/* The table of a procedure node's generated output rows (DG_PROCEDURE_OUTPUT), or NULL. */
static const char *procedure_of(void *userdata, const ir_node *p)
{
    const envdata *e = userdata;
    if (!p->name)
        return NULL;
    char buf[512];
    snprintf(buf, sizeof buf, "%s" DG_PROCEDURE_OUTPUT, p->name);
    const dg_table *t = datagen_table(e->data, buf);
    return t ? t->table : NULL;
}

/* The procedure nodes upstream of (or at) id, each once; not what is upstream of a procedure (its
 * output is read in its place). */
static void upstream_procedures(const ir_job *j, int id, const ir_node **out, int *n, int max, int depth)
{
    const ir_node *x = ir_job_node(j, id);
    if (!x || depth > 200)
        return;
    if (x->op == IR_OP_PROCEDURE) {
        for (int i = 0; i < *n; i++)
            if (out[i] == x)
                return;
        if (*n < max)
            out[(*n)++] = x;
        return;
    }
    for (int k = 0; k < x->n_inputs; k++)
        upstream_procedures(j, x->inputs[k], out, n, max, depth + 1);
}

/* Whether the procedures upstream of the two targets are the same holes, by name (the generated
 * code marks the boundary where the legacy node was: `x = _etlport_hole(...)`, `-- ETLPORT HOLE
 * (procedure)`): only then both sides read the same generated rows in their place. Their names
 * go to note. */
static bool same_procedures(const ir_job *lj, const ir_node *lt, const ir_job *gj, const ir_node *gt, strbuf *note)
{
    const ir_node *lp[32], *gp[32];
    int nl = 0, ng = 0;
    upstream_procedures(lj, lt->id, lp, &nl, 32, 0);
    upstream_procedures(gj, gt->id, gp, &ng, 32, 0);
    if (!nl || nl != ng)
        return false;
    for (int i = 0; i < nl; i++) {
        bool found = false;
        for (int k = 0; k < ng && !found; k++)
            found = lp[i]->name && gp[k]->name && strcasecmp(lp[i]->name, gp[k]->name) == 0;
        if (!found)
            return false;
    }
    for (int i = 0; i < nl; i++)
        sb_printf(note, "%s%s", i ? ", " : "", lp[i]->name);
    return true;
}

typedef struct target_run {
    const dg_data *data;
    const char *prep, *prep2;  /* MERGE targets: the statements that make the rows each side applies
                                  (ties in input order / reversed), run before the queries */
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
    const char *prep = rev_ties ? tr->prep2 : tr->prep;
    if (prep && sqlite3_exec(db, prep, NULL, NULL, NULL) != SQLITE_OK) {
        if (err)
            *err = strdup(sqlite3_errmsg(db));
        sqlite3_close(db);
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

/* MERGE targets: how many merge keys are left out (their source rows differ), on the full data. */
static int merge_dups(const target_run *tr)
{
    sqlite3 *db = load(tr->data, NULL, false);
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (db && sqlite3_exec(db, tr->prep, NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM \"__dup\"", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
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

/* ---- MERGE targets ---- */

/* A MERGE target is executed against prior rows of the target: the rows the target holds before
 * the run are the generated table of its dataset (the job's own source table when it reads the
 * dataset it merges into, as an upsert's lookup does; datagen.c otherwise). Each side's query gives
 * the rows it applies (sqlitebe merge_rows: the target's columns and "__op"); the MERGE is then
 * applied in SQLite with set semantics, every source row matched against the prior rows only, the
 * first clause whose condition holds deciding. The legacy side's clauses are the update strategy's
 * codes (docs/ir.md: 0 insert when no row matches, 1 update and 2 delete the rows that match, 3
 * reject; without a row operation every row is an upsert); the generated side's are the clauses
 * read back, each condition a test of the row operation. Rows of a merge key whose source rows
 * differ (on either side) are not compared: the row the target keeps depends on the order the
 * legacy tool applies them in. */

typedef enum { MC_UPDATE, MC_DELETE, MC_INSERT } mclause_kind;

typedef struct mclause {
    mclause_kind kind;
    int op; /* the row operation the condition tests; -1: no condition */
} mclause;

typedef struct merge_spec {
    const char *keys[16];
    int n_keys;
    mclause cl[8];
    int n_cl;
    const char *set;   /* the columns the update clause sets, comma-separated; NULL: every non-key column */
    const char *rowop; /* generated code: the column the conditions test */
} merge_spec;

static void merge_clause(merge_spec *m, mclause_kind kind, int op)
{
    if (m->n_cl < 8)
        m->cl[m->n_cl++] = (mclause){kind, op};
}

/* The legacy MERGE: keys, and the clauses of the update strategy's codes. Returns false without keys. */
static bool legacy_merge(merge_spec *m, const ir_job *j, const ir_node *t)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < t->n_merge_keys && m->n_keys < 16; i++)
        m->keys[m->n_keys++] = t->merge_keys[i];
    const ir_dataset *ds = t->dataset ? ir_job_dataset(j, t->dataset) : NULL;
    for (int i = 0; !t->n_merge_keys && ds && i < ds->n_cols && m->n_keys < 16; i++)
        if (ds->cols[i].flags & IR_COL_KEY)
            m->keys[m->n_keys++] = ds->cols[i].name;
    const ir_node *in = t->n_inputs ? ir_job_node(j, t->inputs[0]) : NULL;
    bool rowop = false;
    for (int i = 0; in && i < in->n_cols; i++)
        rowop |= (in->cols[i].flags & IR_COL_ROW_OP) != 0;
    merge_clause(m, MC_UPDATE, rowop ? 1 : -1);
    if (rowop)
        merge_clause(m, MC_DELETE, 2);
    merge_clause(m, MC_INSERT, rowop ? 0 : -1);
    return m->n_keys > 0;
}

/* from..to without surrounding blanks, into buf. */
static void trim_copy(char *buf, size_t size, const char *from, const char *to)
{
    while (from < to && isspace((unsigned char)*from))
        from++;
    while (to > from && isspace((unsigned char)to[-1]))
        to--;
    snprintf(buf, size, "%.*s", (int)(to - from), from);
}

/* A column operand: NAME, alias.NAME, #n.NAME, quoted or not; its name into col. */
static bool column_operand(const char *s, char *col, size_t size)
{
    const char *dot = strrchr(s, '.');
    const char *name = dot ? dot + 1 : s;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", name);
    size_t n = strlen(buf);
    if (n >= 2 && (buf[0] == '`' || buf[0] == '"') && buf[n - 1] == buf[0]) {
        memmove(buf, buf + 1, n - 2);
        buf[n - 2] = 0;
    }
    if (!buf[0])
        return false;
    for (const char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    snprintf(col, size, "%s", buf);
    return true;
}

/* A clause condition that tests the row operation, as the readers keep it: `s.OP = 1` (PySpark)
 * or `eq(#3.OP, 1)` (Snowflake, the IR's text), in either operand order. Returns the code and the
 * column in col, or -1 for any other condition. */
static int rowop_test(const char *cond, char *col, size_t size)
{
    char a[128], b[128];
    const char *p = cond;
    while (isspace((unsigned char)*p))
        p++;
    if (strncmp(p, "eq(", 3) == 0) {
        const char *comma = strchr(p, ','), *close = strrchr(p, ')');
        if (!comma || !close || close < comma || strchr(comma + 1, ',') || close[1])
            return -1;
        trim_copy(a, sizeof a, p + 3, comma);
        trim_copy(b, sizeof b, comma + 1, close);
    } else {
        const char *eq = strchr(p, '=');
        if (!eq || strchr(eq + 1, '=') || strpbrk(p, "<>!"))
            return -1;
        trim_copy(a, sizeof a, p, eq);
        trim_copy(b, sizeof b, eq + 1, p + strlen(p));
    }
    const char *num = b[0] && strspn(b, "0123456789") == strlen(b) ? b : a[0] && strspn(a, "0123456789") == strlen(a) ? a : NULL;
    if (!num || !column_operand(num == a ? b : a, col, size))
        return -1;
    return atoi(num);
}

/* The generated MERGE as read back: keys, the clauses in order and what their conditions test.
 * Returns NULL, or why it cannot be applied. */
static const char *generated_merge(merge_spec *m, const ir_node *t, arena *a)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < t->n_merge_keys && m->n_keys < 16; i++)
        m->keys[m->n_keys++] = t->merge_keys[i];
    for (int i = 0; i < t->n_props; i++) {
        const char *k = t->props[i].key, *v = t->props[i].value ? t->props[i].value : "";
        if (strcmp(k, "when matched update set") == 0) {
            m->set = v;
            continue;
        }
        mclause_kind kind = strcmp(k, "when matched update") == 0   ? MC_UPDATE
                            : strcmp(k, "when matched delete") == 0 ? MC_DELETE
                                                                    : MC_INSERT;
        if (kind == MC_INSERT && strcmp(k, "when not matched insert") != 0)
            continue;
        int op = -1;
        if (*v) {
            char col[128];
            op = rowop_test(v, col, sizeof col);
            if (op < 0)
                return arena_printf(a, "a MERGE clause condition other than a row-operation test ('%s')", v);
            if (m->rowop && strcasecmp(m->rowop, col) != 0)
                return "MERGE clause conditions that test different columns";
            m->rowop = arena_strdup(a, col);
        }
        merge_clause(m, kind, op);
    }
    return m->n_keys ? NULL : "a MERGE without keys";
}

static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncasecmp(p, name, n) == 0)
            return true;
        p = e ? e + 1 : p + len;
    }
    return false;
}

static bool is_merge_key(const merge_spec *m, const char *col)
{
    for (int k = 0; k < m->n_keys; k++)
        if (strcasecmp(m->keys[k], col) == 0)
            return true;
    return false;
}

/* "k1 = x.k1 AND ..." over the merge keys: a."K" <op> b."K". */
static void key_match(strbuf *sb, const merge_spec *m, const char *a, const char *b)
{
    for (int k = 0; k < m->n_keys; k++) {
        sb_printf(sb, "%s%s.", k ? " AND " : "", a);
        sqlitebe_put_ident(sb, m->keys[k]);
        sb_printf(sb, " = %s.", b);
        sqlitebe_put_ident(sb, m->keys[k]);
    }
}

static void clause_cond(strbuf *sb, const mclause *c)
{
    if (c->op < 0)
        sb_puts(sb, "1");
    else
        sb_printf(sb, "s.\"__op\" = %d", c->op);
}

/* The source rows of one side (table src): rows with a NULL key as they are (they match nothing),
 * the others once each (applying a row twice changes nothing). */
static void merge_rows_sql(strbuf *sb, const merge_spec *m, const char *src, bool distinct)
{
    sb_printf(sb, "SELECT %s* FROM \"%s\" WHERE ", distinct ? "DISTINCT " : "", src);
    for (int k = 0; k < m->n_keys; k++) {
        sb_puts(sb, k ? (distinct ? " AND " : " OR ") : "");
        sqlitebe_put_ident(sb, m->keys[k]);
        sb_puts(sb, distinct ? " IS NOT NULL" : " IS NULL");
    }
}

/* The target after one side's MERGE, columns cols[0..n) in order (types: the cast of each, or
 * NULL): the prior rows no clause touches, the prior rows updated (the update clause's columns
 * from the source row), the source rows inserted — except the rows of keys in "__dup". */
static char *merge_sql(const merge_spec *m, const char *src, const dg_table *prior, const char *const *cols,
                       const char *const *types, int n)
{
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "WITH p AS (SELECT rowid AS \"__pid\"");
    for (int i = 0; i < n; i++) {
        int pc = -1;
        for (int c = 0; c < prior->n_cols && pc < 0; c++)
            if (strcasecmp(prior->cols[c], cols[i]) == 0)
                pc = c;
        sb_puts(&sb, ", ");
        if (pc < 0) {
            sb_puts(&sb, "NULL");
        } else if (types[i]) {
            sb_puts(&sb, "etl_cast(");
            sqlitebe_put_ident(&sb, prior->cols[pc]);
            sb_puts(&sb, ", ");
            sqlitebe_put_string(&sb, types[i]);
            sb_puts(&sb, ", 0)");
        } else {
            sqlitebe_put_ident(&sb, prior->cols[pc]);
        }
        sb_puts(&sb, " AS ");
        sqlitebe_put_ident(&sb, cols[i]);
    }
    sb_puts(&sb, " FROM ");
    sqlitebe_put_ident(&sb, prior->table);
    sb_puts(&sb, "),\ns AS (SELECT row_number() OVER () AS \"__sid\", * FROM (");
    merge_rows_sql(&sb, m, src, false);
    sb_puts(&sb, " UNION ALL ");
    merge_rows_sql(&sb, m, src, true);
    sb_puts(&sb, ")),\nm AS (SELECT p.\"__pid\" AS \"__pid\", s.\"__sid\" AS \"__sid\", CASE");
    bool any_matched = false, any_update = false, any_insert = false;
    for (int c = 0; c < m->n_cl; c++) {
        if (m->cl[c].kind == MC_INSERT) {
            any_insert = true;
            continue;
        }
        any_matched = true;
        any_update |= m->cl[c].kind == MC_UPDATE;
        sb_puts(&sb, " WHEN ");
        clause_cond(&sb, &m->cl[c]);
        sb_printf(&sb, " THEN %d", c);
    }
    sb_puts(&sb, any_matched ? " END" : " WHEN 0 THEN 0 END");
    sb_puts(&sb, " AS \"__cl\" FROM p JOIN s ON ");
    key_match(&sb, m, "p", "s");
    sb_puts(&sb, "),\nr AS (SELECT ");
    for (int i = 0; i < n; i++) {
        sb_puts(&sb, i ? ", p." : "p.");
        sqlitebe_put_ident(&sb, cols[i]);
    }
    sb_puts(&sb, " FROM p WHERE NOT EXISTS (SELECT 1 FROM m WHERE m.\"__pid\" = p.\"__pid\" AND m.\"__cl\" IS NOT NULL)");
    if (any_update) {
        sb_puts(&sb, "\nUNION ALL SELECT ");
        for (int i = 0; i < n; i++) {
            bool set = !is_merge_key(m, cols[i]) && (!m->set || in_list(m->set, cols[i]));
            sb_puts(&sb, i ? ", " : "");
            sb_puts(&sb, set ? "s." : "p.");
            sqlitebe_put_ident(&sb, cols[i]);
        }
        sb_puts(&sb, " FROM m JOIN p ON p.\"__pid\" = m.\"__pid\" JOIN s ON s.\"__sid\" = m.\"__sid\" WHERE m.\"__cl\" IN (");
        int k = 0;
        for (int c = 0; c < m->n_cl; c++)
            if (m->cl[c].kind == MC_UPDATE)
                sb_printf(&sb, "%s%d", k++ ? ", " : "", c);
        sb_puts(&sb, ")");
    }
    if (any_insert) {
        sb_puts(&sb, "\nUNION ALL SELECT ");
        for (int i = 0; i < n; i++) {
            sb_puts(&sb, i ? ", s." : "s.");
            sqlitebe_put_ident(&sb, cols[i]);
        }
        sb_puts(&sb, " FROM s WHERE NOT EXISTS (SELECT 1 FROM p WHERE ");
        key_match(&sb, m, "p", "s");
        sb_puts(&sb, ") AND (");
        int k = 0;
        for (int c = 0; c < m->n_cl; c++) {
            if (m->cl[c].kind != MC_INSERT)
                continue;
            sb_puts(&sb, k++ ? " OR " : "");
            clause_cond(&sb, &m->cl[c]);
        }
        sb_puts(&sb, ")");
    }
    sb_puts(&sb, ")\nSELECT * FROM r WHERE NOT EXISTS (SELECT 1 FROM \"__dup\" AS d WHERE ");
    for (int k = 0; k < m->n_keys; k++) {
        sb_printf(&sb, "%sd.\"__k%d\" = r.", k ? " AND " : "", k);
        sqlitebe_put_ident(&sb, m->keys[k]);
    }
    sb_puts(&sb, ")");
    return sb_take(&sb);
}

/* The keys whose source rows differ, on either side, in "__dup"("__k0", ...). */
static void dup_keys_sql(strbuf *sb, const merge_spec *m, const char *src)
{
    sb_puts(sb, "SELECT ");
    for (int k = 0; k < m->n_keys; k++) {
        sb_puts(sb, k ? ", " : "");
        sqlitebe_put_ident(sb, m->keys[k]);
        sb_printf(sb, " AS \"__k%d\"", k);
    }
    sb_puts(sb, " FROM (");
    merge_rows_sql(sb, m, src, true);
    sb_puts(sb, ") GROUP BY ");
    for (int k = 0; k < m->n_keys; k++) {
        sb_puts(sb, k ? ", " : "");
        sqlitebe_put_ident(sb, m->keys[k]);
    }
    sb_puts(sb, " HAVING count(*) > 1");
}

/* The statements that make "__sl", "__sg" (the rows each side applies) and "__dup". */
static char *merge_prep(const merge_spec *lm, const merge_spec *gm, const char *lsql, const char *gsql)
{
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "CREATE TEMP TABLE \"__sl\" AS %s;\nCREATE TEMP TABLE \"__sg\" AS %s;\n", lsql, gsql);
    sb_puts(&sb, "CREATE TEMP TABLE \"__dup\" AS ");
    dup_keys_sql(&sb, lm, "__sl");
    sb_puts(&sb, " UNION ");
    dup_keys_sql(&sb, gm, "__sg");
    sb_puts(&sb, ";");
    return sb_take(&sb);
}

/* Checks that every key of m is a column of q (not executable only as a generated key) and fills
 * the cast type of each column of q. Returns NULL or why the MERGE cannot be applied. */
static const char *merge_cols(const merge_spec *m, const sqlitebe_query *q, const envdata *ed, const char *dataset,
                              const char **types, char (*bufs)[64], arena *a)
{
    for (int k = 0; k < m->n_keys; k++) {
        int i = 0;
        while (i < q->n_cols && strcasecmp(q->cols[i], m->keys[k]) != 0)
            i++;
        if (i == q->n_cols)
            return arena_printf(a, "the merge key %s is not a column of the target", m->keys[k]);
        if (q->skip[i] && !sqlitebe_generated_key(q->skip[i]))
            return arena_printf(a, "the merge key %s is not executable (%s)", m->keys[k], q->skip[i]);
    }
    for (int i = 0; i < q->n_cols; i++) {
        const ir_type *ty = coltype_of((void *)ed, dataset, q->cols[i]);
        types[i] = NULL;
        if (ty && ty->kind != IR_TY_UNKNOWN && ty->kind != IR_TY_BINARY) {
            ir_type tt = *ty;
            if (tt.kind == IR_TY_STRING)
                tt.precision = 0;
            ir_type_format(tt, bufs[i], 64);
            types[i] = bufs[i];
        }
    }
    return NULL;
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
    const ir_node *gt = verify_pair_target(legacy, lt, gen, n_gen, &gj);
    ex->verdict = VERIFY_UNVERIFIED;
    if (!gt) {
        ex->why = "not executable: no generated target for this dataset";
        return;
    }
    if (reads_fixed_width(legacy)) {
        ex->why = "not executable: a fixed-width file with dates or fractions (their text form is not modelled)";
        return;
    }
    bool merge = lt->load == IR_LOAD_MERGE;
    merge_spec lm, gm;
    const dg_table *prior = NULL;
    if (merge) {
        const char *why = NULL;
        if (gt->load != IR_LOAD_MERGE)
            why = "the generated code does not MERGE (the load step compares it)";
        else if (!legacy_merge(&lm, legacy, lt))
            why = "a MERGE without keys";
        else if (!(why = generated_merge(&gm, gt, r->arena)) && gm.n_keys != lm.n_keys)
            why = "the two MERGEs have a different number of keys (the load step compares them)";
        else if (!why && !(prior = datagen_table(data, lt->dataset ? lt->dataset : lt->name)))
            why = "no prior rows for the MERGE target";
        if (why) {
            ex->why = arena_printf(r->arena, "not executable: %s", why);
            return;
        }
    }
    envdata ed = {data, legacy, lt};
    bool high = target == VERIFY_SNOWFLAKE;
    strbuf procs = STRBUF_INIT;
    bool by_procs = same_procedures(legacy, lt, gj, gt, &procs);
    sqlitebe_env env = {.table = table_of, .coltype = coltype_of, .userdata = &ed, .params = legacy,
                        .nulls_high = high, .merge_rows = merge, .procedure = by_procs ? procedure_of : NULL};
    sqlitebe_env env2 = env, genv = env, genv2 = env;
    env2.reverse_ties = genv2.reverse_ties = true;
    genv.merge_rowop = genv2.merge_rowop = merge ? gm.rowop : NULL;
    sqlitebe_query lq, gq, lq2, gq2;
    sqlitebe_target_query(&lq, legacy, lt, &env);
    sqlitebe_target_query(&gq, gj, gt, &genv);
    sqlitebe_target_query(&lq2, legacy, lt, &env2);
    sqlitebe_target_query(&gq2, gj, gt, &genv2);
    char *mprep = NULL, *mprep2 = NULL, *mlsql = NULL, *mgsql = NULL;
    if (getenv("ETLPORT_VERIFY_DUMP_SQL")) /* debugging aid: both queries on stderr */
    {
        strbuf dsql = STRBUF_INIT;
        data_sql(&dsql, data, NULL, false);
        fprintf(stderr, "-- data\n%s\n-- legacy %s\n%s;\n-- generated\n%s;\n", sb_cstr(&dsql), ex->target,
                lq.sql ? lq.sql : lq.why, gq.sql ? gq.sql : gq.why);
        sb_free(&dsql);
    }
    strbuf skipped = STRBUF_INIT;
    if (by_procs)
        sb_printf(&skipped, "procedures not executed, their output rows are generated data: %s", sb_cstr(&procs));
    sb_free(&procs);
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
    if (merge && lq2.sql && gq2.sql) {
        /* the rows each side applies, then the MERGE applied to the prior rows */
        const char **lt_types = calloc((size_t)lq.n_cols + 1, sizeof *lt_types);
        const char **gt_types = calloc((size_t)gq.n_cols + 1, sizeof *gt_types);
        char(*lbufs)[64] = calloc((size_t)lq.n_cols + 1, sizeof *lbufs);
        char(*gbufs)[64] = calloc((size_t)gq.n_cols + 1, sizeof *gbufs);
        if (!lt_types || !gt_types || !lbufs || !gbufs)
            abort();
        const char *ds = lt->dataset ? lt->dataset : lt->name;
        const char *why = merge_cols(&lm, &lq, &ed, ds, lt_types, lbufs, r->arena);
        const char *gwhy = merge_cols(&gm, &gq, &ed, ds, gt_types, gbufs, r->arena);
        if (!why && !gwhy) {
            mprep = merge_prep(&lm, &gm, lq.sql, gq.sql);
            mprep2 = merge_prep(&lm, &gm, lq2.sql, gq2.sql);
            mlsql = merge_sql(&lm, "__sl", prior, lq.cols, lt_types, lq.n_cols);
            mgsql = merge_sql(&gm, "__sg", prior, gq.cols, gt_types, gq.n_cols);
            tr.prep = mprep, tr.prep2 = mprep2;
            tr.lsql = tr.lsql2 = mlsql;
            tr.gsql = tr.gsql2 = mgsql;
            int dups = merge_dups(&tr);
            if (dups > 0)
                sb_printf(&skipped, "%sthe rows of %d merge key%s whose source rows differ (which one the target keeps "
                          "is order-dependent)", skipped.len ? "; " : "", dups, dups == 1 ? "" : "s");
            if (getenv("ETLPORT_VERIFY_DUMP_SQL"))
                fprintf(stderr, "-- merge\n%s\n-- legacy target after the MERGE\n%s;\n-- generated\n%s;\n", mprep,
                        mlsql, mgsql);
        }
        free(lt_types), free(gt_types), free(lbufs), free(gbufs);
        if (why || gwhy) {
            ex->why = arena_printf(r->arena, "not executable: %s%s", why ? "legacy: " : "generated: ", why ? why : gwhy);
            free(names);
            goto done;
        }
    }
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
        sb_printf(&tx, "      %s%s:%s", tb->dataset, tb == prior ? " (the MERGE target's prior rows)" : "",
                  nk ? "" : " (no row)");
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
    sb_puts(&js, "}, ");
    if (prior) {
        sb_puts(&js, "\"prior_rows\": ");
        sb_put_json_string(&js, prior->dataset);
        sb_puts(&js, ", ");
    }
    sb_puts(&js, "\"legacy\": ");
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
    free(mprep);
    free(mprep2);
    free(mlsql);
    free(mgsql);
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
