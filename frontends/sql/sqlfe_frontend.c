/*
 * sqlfe_frontend.c — the SQL frontend (frontends/frontend.h): a script file into jobs, one per
 * set-oriented statement, in script order (docs/sql-scripts.md):
 *
 *   INSERT ... SELECT                  query chain → TARGET append (truncate_insert when the table
 *                                      was emptied by TRUNCATE / DELETE without WHERE just before)
 *   CREATE TABLE ... AS, CREATE VIEW   query chain → TARGET overwrite
 *   UPDATE ... [FROM] / DELETE         a SELECT of the key columns (and the SET values) of the rows
 *                                      the statement touches → UPDATE_STRATEGY (row op 1 update,
 *                                      2 delete) → TARGET merge on the keys
 *   MERGE                              source LEFT JOIN target on the ON condition; each WHEN
 *                                      clause becomes a row op (0 insert, 1 update, 2 delete,
 *                                      3 no action) and per-column CASE values → TARGET merge
 *
 * Merge keys come from equalities between the target and another table (ON, WHERE, join
 * conditions), else from a PRIMARY KEY declared by a CREATE TABLE earlier in the same script.
 * That CREATE TABLE also gives the table's columns and types to later statements. Every other
 * statement is reported through fe_options.on_statement with its kind, line and status: DDL
 * without a query and client commands (GO, DB2 CLP lines) are skipped, parse errors are errors.
 * Procedural blocks become procedural units (sqlfe_pl.c, sqlfe_tsql.c: ir/ir_unit.h) handed to
 * fe_options.on_unit, unless the whole block is a row-by-row loop lifted to one statement's job;
 * a BTEQ or SQL*Plus script is also one script unit whose steps are its statements and client
 * commands (sqlfe_bteq.c, sqlfe_pl_script.c). With fe_options.on_flow, a file with two or more
 * jobs / units, or a BTEQ script with flow control, is also one workflow (sqlfe_flow.c).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdbool.h>
#include <strings.h>

#include "frontends/sql/sqlfe_internal.h"

#define ROW_OP_COL "ETL_ROW_OP"

static int sql_detect(const char *path, const char *head, size_t n)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    const char *base = slash ? slash + 1 : (path ? path : "");
    const char *dot = strrchr(base, '.');
    int score = 0;
    if (dot && (strcasecmp(dot, ".sql") == 0 || strcasecmp(dot, ".ddl") == 0 || strcasecmp(dot, ".bteq") == 0 ||
                strcasecmp(dot, ".btq") == 0 || strcasecmp(dot, ".pls") == 0 || strcasecmp(dot, ".pkb") == 0 ||
                strcasecmp(dot, ".pks") == 0))
        score = 40;
    else if (dot)
        return 0; /* another extension (.xml, .tsv, .param, .json ...) is never a script */
    /* XML and JSON files are never SQL; a keyword near the start raises the score */
    size_t i = 0;
    if (n >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB && (unsigned char)head[2] == 0xBF)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    if (i < n && (head[i] == '<' || head[i] == '{'))
        return 0;
    static const char *const kws[] = {"SELECT", "INSERT", "CREATE", "UPDATE", "DELETE", "MERGE", "WITH", ".LOGON",
                                      "DROP", "BEGIN", "DECLARE", "REPLACE"};
    for (size_t k = 0; k < sizeof kws / sizeof kws[0]; k++) {
        size_t m = strlen(kws[k]);
        for (size_t j = 0; j + m <= n; j++)
            if (strncasecmp(head + j, kws[k], m) == 0) {
                score += 15;
                break;
            }
    }
    return score > 60 ? 60 : score;
}

/* A table the script declared with CREATE TABLE (columns): its columns and primary key. */
typedef struct cat_table {
    const char *name;
    sqlfe_column *cols;
    int n_cols, cap_cols;
    const char **pk;
    int n_pk, cap_pk;
} cat_table;

typedef struct reader {
    const char *path;
    srcfile *file;
    sqlfe_dialect d;
    int td_ansi; /* sqlfe_td_ansi_session */
    diag_ctx *dc;
    fe_job_fn on_job;
    fe_statement_fn on_statement;
    fe_unit_fn on_unit;   /* procedural units (sqlfe_pl.c ...); NULL: built, counted and freed */
    void *userdata;
    fe_counts *counts;
    arena *scratch;       /* syntax trees and the catalog; freed with the file */
    const char *script;   /* the file's base name without its extension: folder and job name prefix */
    ir_job *types_job;    /* lowering context for the catalog's column types */
    cat_table *tables;
    int n_tables, cap_tables;
    const char **emptied; /* tables emptied by TRUNCATE / DELETE without WHERE, not yet refilled */
    int n_emptied, cap_emptied;
    int n_jobs;
    /* a row-by-row loop lifted to a set-based statement (sqlfe_proc.c) being converted: the
     * statement's offsets index lift_sql, spans and messages point at the loop (lift_line/col) */
    const char *lift_sql;
    size_t lift_len;
    int lift_line, lift_col;
    const char *lift_at;   /* "file:line" of the loop */
    /* while lifting, report() records the statement's outcome here instead of reporting it */
    const char *cap_status, *cap_job, *cap_reason;
    const char *cur_unit;  /* the unit(s) the statement being reported became, or NULL */
    const char **lifted_job; /* per statement: the job a wholly lifted block became (script units call it) */
    sqlfe_flowb *flow;     /* the script's workflow being noted (sqlfe_flow.c); NULL: not asked for */
} reader;

static int same(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

static const char *last_part(const char *s)
{
    const char *dot = strrchr(s, '.');
    return dot ? dot + 1 : s;
}

static cat_table *cat_find(reader *R, const char *name)
{
    for (int i = R->n_tables - 1; i >= 0; i--)
        if (same(R->tables[i].name, name))
            return &R->tables[i];
    return NULL;
}

static const sqlfe_column *cat_columns(void *userdata, const char *table, int *n)
{
    cat_table *t = cat_find(userdata, table);
    if (!t || t->n_cols == 0)
        return NULL;
    *n = t->n_cols;
    return t->cols;
}

static lower_ctx make_ctx(reader *R, ir_job *job, const sqlfe_source_info *info)
{
    lower_ctx L;
    memset(&L, 0, sizeof L);
    L.job = job;
    L.d = R->d;
    L.sql = R->file->text;
    L.len = R->file->len;
    L.base.file = ir_intern(job, R->path);
    L.base.line = 1;
    L.base.col = 1;
    if (R->lift_sql) {
        L.sql = R->lift_sql;
        L.len = R->lift_len;
        L.base.line = R->lift_line;
        L.base.col = R->lift_col;
    }
    L.dc = R->dc;
    L.info = info;
    L.scratch = R->scratch;
    L.td_ansi = R->td_ansi;
    return L;
}

/* Names in "PRIMARY KEY (a, b)" of a table constraint's text. */
static void constraint_pk(reader *R, cat_table *t, const char *text)
{
    const char *p = text;
    for (; *p; p++)
        if (strncasecmp(p, "PRIMARY", 7) == 0)
            break;
    if (!*p || !(p = strchr(p, '(')))
        return;
    p++;
    while (*p && *p != ')') {
        while (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '"' || *p == '[')
            p++;
        const char *s = p;
        while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || *p == '#'))
            p++;
        if (p > s)
            ARENA_PUSH(R->scratch, t->pk, t->n_pk, t->cap_pk, arena_strndup(R->scratch, s, (size_t)(p - s)));
        while (*p && *p != ',' && *p != ')')
            p++;
    }
}

/* CREATE TABLE with column definitions: remember its columns and primary key for later statements. */
static void cat_add(reader *R, const sqlfe_ast *ct)
{
    cat_table t;
    memset(&t, 0, sizeof t);
    t.name = ct->text;
    lower_ctx L = make_ctx(R, R->types_job, NULL); /* messages on: a type may lose meaning (a zone) */
    for (int i = 0; i < ct->n_kids; i++) {
        const sqlfe_ast *k = ct->kids[i];
        if (k->kind == SQ_COLDEF) {
            sqlfe_column c = {k->text, ir_type_make(IR_TY_UNKNOWN, 0, 0)};
            if (k->n_kids > 0 && k->kids[0]->kind == SQ_TYPE)
                c.type = sqlfe_type(&L, k->kids[0]);
            ARENA_PUSH(R->scratch, t.cols, t.n_cols, t.cap_cols, c);
            if (k->flags & SQF_PRIMARY)
                ARENA_PUSH(R->scratch, t.pk, t.n_pk, t.cap_pk, k->text);
        } else if (k->kind == SQ_CONSTRAINT && k->text) {
            constraint_pk(R, &t, k->text);
        }
    }
    if (t.n_cols)
        ARENA_PUSH(R->scratch, R->tables, R->n_tables, R->cap_tables, t);
}

/* ---- statements reported ---- */

/*
 * Statement texts go into report.json: credentials in them are masked first (no secrets in
 * logs). Masked: the password of BTEQ ".LOGON host/user,password", of SQL*Plus
 * "CONNECT user/password[@db]", and the word after DB2's "USING" and after "IDENTIFIED BY".
 */
static bool word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(p, w, n) == 0 && !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

static void mask_until(char *p, const char *stops)
{
    while (*p && !strchr(stops, *p))
        *p++ = '*';
}

/* Whether word w occurs in text before p (DB2: CONNECT TO db USER u USING pw). */
static bool strcasestr_before(const char *text, const char *p, const char *w)
{
    for (const char *q = text; q < p; q++)
        if (word_at(q, w) && (q == text || !(isalnum((unsigned char)q[-1]) || q[-1] == '_')))
            return true;
    return false;
}

void sqlfe_redact_credentials(char *text)
{
    for (char *p = text; *p; p++) {
        bool line_start = p == text || p[-1] == '\n';
        if (line_start) {
            char *q = p;
            while (*q == ' ' || *q == '\t')
                q++;
            if (word_at(q, ".LOGON")) {
                char *comma = strchr(q, ',');
                char *eol = strchr(q, '\n');
                if (comma && (!eol || comma < eol))
                    mask_until(comma + 1, ";\r\n");
            } else if (word_at(q, "CONNECT") || word_at(q, "CONN")) {
                char *slash = strchr(q, '/');
                char *eol = strchr(q, '\n');
                if (slash && (!eol || slash < eol))
                    mask_until(slash + 1, "@ \t;\r\n");
            }
        }
        if (word_at(p, "USING") || word_at(p, "IDENTIFIED BY")) {
            char *w = p + (toupper((unsigned char)*p) == 'U' ? 5 : 13);
            while (*w == ' ' || *w == '\t')
                w++;
            /* DB2 "USING pw" and Oracle "IDENTIFIED BY pw"; a MERGE's "USING (" or "USING t" is
             * not a password: only mask after CONNECT ... USER ... USING */
            if (toupper((unsigned char)*p) == 'I' || strcasestr_before(text, p, "USER"))
                mask_until(w, " \t;\r\n");
        }
    }
}

static void report(reader *R, const sqlfe_stmt *st, const char *kind, const char *status, const char *job,
                   const char *reason, int with_text)
{
    if (R->lift_sql) {
        R->cap_status = status;
        R->cap_job = job;
        R->cap_reason = reason;
        return;
    }
    if (R->flow) {
        int line, col;
        srcfile_line_col(R->file, st->start, &line, &col);
        sqlfe_flow_note(R->flow, R->file->text + st->start, st->end - st->start, line, col, job, R->cur_unit,
                        strcmp(kind, "command") == 0);
    }
    if (!R->on_statement)
        return;
    fe_statement fs;
    memset(&fs, 0, sizeof fs);
    srcfile_line_col(R->file, st->start, &fs.line, &fs.col);
    fs.kind = kind;
    fs.status = status;
    fs.job = job;
    fs.reason = reason;
    fs.unit = R->cur_unit;
    if (with_text) {
        char *t = arena_strndup(R->scratch, R->file->text + st->start, st->end - st->start);
        sqlfe_redact_credentials(t);
        fs.text = t;
    }
    R->on_statement(R->userdata, &fs);
}

static const char *stmt_kind(const sqlfe_stmt *st)
{
    if (st->kind == SQLFE_ST_PROCEDURAL)
        return "procedure";
    if (st->kind == SQLFE_ST_CREATE_TABLE && st->ast && st->ast->n_kids &&
        st->ast->kids[st->ast->n_kids - 1]->kind == SQ_QUERY)
        return "create_table_as";
    return sqlfe_stmt_kind_name(st->kind);
}

/* ---- building syntax trees for UPDATE, DELETE and MERGE ---- */

static sqlfe_ast *mk(reader *R, sqlfe_kind kind, const char *text, size_t start, size_t end, int n, ...)
{
    sqlfe_ast *a = arena_alloc(R->scratch, sizeof *a);
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->text = text;
    a->start = start;
    a->end = end;
    if (n > 0) {
        a->kids = arena_alloc(R->scratch, (size_t)n * sizeof *a->kids);
        va_list ap;
        va_start(ap, n);
        for (int i = 0; i < n; i++)
            a->kids[i] = va_arg(ap, sqlfe_ast *);
        va_end(ap);
        a->n_kids = n;
    }
    return a;
}

static void add_kid(reader *R, sqlfe_ast *p, sqlfe_ast *k)
{
    p->kids = arena_grow(R->scratch, p->kids, (size_t)p->n_kids, (size_t)p->n_kids + 1, sizeof *p->kids);
    p->kids[p->n_kids++] = k;
}

/* A column name "qual.col" at the span of at. */
static sqlfe_ast *col_name(reader *R, const char *qual, const char *col, const sqlfe_ast *at)
{
    return mk(R, SQ_NAME, arena_printf(R->scratch, "%s.%s", qual, col), at->start, at->end, 0);
}

static sqlfe_ast *item(reader *R, const char *alias, sqlfe_ast *e)
{
    return mk(R, SQ_ITEM, alias, e->start, e->end, 1, e);
}

static sqlfe_ast *and_of(reader *R, sqlfe_ast *a, sqlfe_ast *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return mk(R, SQ_BINARY, "AND", a->start, b->end, 2, a, b);
}

/* The table in a FROM tree that an UPDATE/DELETE target names (by alias or by name), or NULL. */
static const sqlfe_ast *find_in_from(const sqlfe_ast *n, const char *target)
{
    if (!n)
        return NULL;
    if (n->kind == SQ_TABLE) {
        const sqlfe_ast *al = sqlfe_clause(n, SQ_ALIAS);
        if ((al && same(al->text, target)) || (!al && (same(n->text, target) || same(last_part(n->text), target))))
            return n;
        return NULL;
    }
    if (n->kind != SQ_CL_FROM && n->kind != SQ_JOIN)
        return NULL;
    for (int i = 0; i < n->n_kids; i++) {
        const sqlfe_ast *t = find_in_from(n->kids[i], target);
        if (t)
            return t;
    }
    return NULL;
}

/* The qualifier of a column name ("t" of "s.t.c"), or NULL when unqualified. */
static const char *qualifier(reader *R, const sqlfe_ast *n)
{
    const char *dot = strrchr(n->text, '.');
    return dot ? arena_strndup(R->scratch, n->text, (size_t)(dot - n->text)) : NULL;
}

typedef struct keyset {
    const char **names;
    const sqlfe_ast **at;
    int n, cap, cap_at;
    int other_conds; /* conjuncts of an ON condition that are not key equalities */
} keyset;

static void key_add(reader *R, keyset *k, const char *name, const sqlfe_ast *at)
{
    for (int i = 0; i < k->n; i++)
        if (same(k->names[i], name))
            return;
    int n = k->n;
    ARENA_PUSH(R->scratch, k->names, k->n, k->cap, name);
    ARENA_PUSH(R->scratch, k->at, n, k->cap_at, at);
}

/* Key columns: target columns compared with = to a column of another table, in the conjuncts of cond. */
static void find_keys(reader *R, keyset *k, const sqlfe_ast *cond, const char *alias, const char *table)
{
    if (!cond)
        return;
    if (cond->kind == SQ_BINARY && strcmp(cond->text, "AND") == 0) {
        find_keys(R, k, cond->kids[0], alias, table);
        find_keys(R, k, cond->kids[1], alias, table);
        return;
    }
    if (cond->kind == SQ_BINARY && strcmp(cond->text, "=") == 0 && cond->kids[0]->kind == SQ_NAME &&
        cond->kids[1]->kind == SQ_NAME) {
        for (int i = 0; i < 2; i++) {
            const char *q = qualifier(R, cond->kids[i]);
            const char *o = qualifier(R, cond->kids[1 - i]);
            int mine = q && (same(q, alias) || same(q, table) || same(q, last_part(table)));
            int theirs = !o || !(same(o, alias) || same(o, table) || same(o, last_part(table)));
            if (mine && theirs) {
                key_add(R, k, last_part(cond->kids[i]->text), cond->kids[i]);
                return;
            }
        }
    }
    k->other_conds++;
}

/* Join conditions (ON) in a FROM tree. */
static void keys_from_joins(reader *R, keyset *k, const sqlfe_ast *n, const char *alias, const char *table)
{
    if (!n)
        return;
    for (int i = 0; i < n->n_kids; i++) {
        const sqlfe_ast *c = n->kids[i];
        if (c->kind == SQ_ON)
            find_keys(R, k, c->kids[0], alias, table);
        else if (c->kind == SQ_JOIN)
            keys_from_joins(R, k, c, alias, table);
    }
}

static void keys_from_catalog(reader *R, keyset *k, const char *table, const sqlfe_ast *at)
{
    cat_table *t = cat_find(R, table);
    for (int i = 0; t && i < t->n_pk; i++)
        key_add(R, k, t->pk[i], at);
}

/* ---- jobs ---- */

typedef struct stmt_job {
    const sqlfe_ast *query;  /* the query to lower (given or built) */
    const sqlfe_ast *with;   /* the statement's own CTEs (T-SQL WITH .. INSERT), or NULL */
    const char *target;      /* the target dataset */
    ir_load_mode mode;
    const sqlfe_ast *colnames; /* INSERT / CTAS / view column list (SQ_LIST) or NULL */
    keyset keys;             /* merge keys */
    int row_ops;             /* the query's last column is ROW_OP_COL */
    const char *object;      /* "view", "temporary table" ... a TARGET property, or NULL */
    const char *reason;      /* what is approximate, for the statement report */
    int hole;                /* set by make_job: the statement cannot become a job (reason says why) */
} stmt_job;

static const char *job_name(reader *R, int stmt_no, const char *target)
{
    char *t = arena_printf(R->scratch, "%s", target);
    for (char *p = t; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            *p = '_';
    return arena_printf(R->scratch, "%s_%02d_%s", R->script, stmt_no, t);
}

static void add_datasets(ir_job *job)
{
    for (int i = 0; i < job->n_nodes; i++) {
        ir_node *n = job->nodes[i];
        if (n->op != IR_OP_SOURCE || !n->dataset)
            continue;
        ir_dataset *ds = ir_job_dataset(job, n->dataset);
        if (!ds) {
            ds = ir_job_add_dataset(job, n->dataset);
            ds->kind = "table";
            ds->span = n->span;
        }
        for (int c = 0; c < n->n_cols; c++) {
            int have = 0;
            for (int k = 0; k < ds->n_cols && !have; k++)
                have = same(ds->cols[k].name, n->cols[c].name);
            if (!have)
                ir_dataset_add_col(job, ds, n->cols[c].name, n->cols[c].type);
        }
    }
}

/* Lowers sj into a job and hands it over; returns the job's name or NULL when lowering failed. */
static const char *make_job(reader *R, const sqlfe_stmt *st, int stmt_no, stmt_job *sj)
{
    int line, col;
    srcfile_line_col(R->file, st->start, &line, &col);
    if (R->lift_sql)
        line = R->lift_line;
    const char *name = job_name(R, stmt_no, sj->target);
    ir_job *job = ir_job_new(name);
    job->format = "sql";
    job->file = ir_intern(job, R->path);
    job->folder = ir_intern(job, R->script);
    job->line = line;
    /* a lifted statement's text is not the file's: no caret display from the file */
    sqlfe_source_info info = {.table_columns = cat_columns, .userdata = R, .file = R->lift_sql ? NULL : R->file};
    lower_ctx L = make_ctx(R, job, &info);
    int out = sqlfe_lower_query_with(&L, sj->query, sj->with);
    if (out <= 0) {
        ir_job_free(job);
        return NULL;
    }
    add_datasets(job);
    ir_node *in = ir_job_node(job, out);
    for (int i = 0; i < in->n_cols; i++)
        if (strchr(in->cols[i].name, '*')) {
            /* SELECT * over a table whose columns are unknown: the target's columns are unknown too */
            sj->reason = "SELECT * over a table whose columns the script does not declare: the columns are unknown";
            sj->hole = 1;
            ir_job_free(job);
            return NULL;
        }
    if (sj->row_ops) {
        ir_node *u = ir_node_add(job, IR_OP_UPDATE, NULL);
        u->span = sqlfe_span_at(&L, st->start);
        ir_node_add_input(job, u, out);
        for (int i = 0; i < in->n_cols; i++) {
            ir_column *c = ir_node_add_col(job, u, in->cols[i].name, in->cols[i].type, ir_ref(job, out, in->cols[i].name));
            c->span = in->cols[i].span;
            if (strcmp(in->cols[i].name, ROW_OP_COL) == 0) {
                c->flags |= IR_COL_ROW_OP;
                c->legacy = in->cols[i].legacy;
            }
        }
        out = u->id;
        in = u;
    }
    ir_node *t = ir_node_add(job, IR_OP_TARGET, sj->target);
    t->dataset = ir_intern(job, sj->target);
    t->load = sj->mode;
    t->span = sqlfe_span_at(&L, st->start);
    t->legacy = sqlfe_node_text(&L, st->ast);
    ir_node_add_input(job, t, out);
    if (sj->object)
        ir_node_add_prop(job, t, "object", sj->object);
    if (R->lift_at)
        ir_node_add_prop(job, t, "lifted_from", arena_printf(R->scratch, "cursor loop at %s", R->lift_at));
    const sqlfe_ast *cols = sj->colnames && sj->colnames->kind == SQ_LIST ? sj->colnames : NULL;
    for (int i = 0, k = 0; i < in->n_cols; i++) {
        if (in->cols[i].flags & IR_COL_ROW_OP)
            continue;
        const char *nm = cols && k < cols->n_kids ? last_part(cols->kids[k]->text) : in->cols[i].name;
        k++;
        ir_column *c = ir_node_add_col(job, t, nm, in->cols[i].type, ir_ref(job, out, in->cols[i].name));
        c->span = in->cols[i].span;
        for (int j = 0; j < sj->keys.n; j++)
            if (same(sj->keys.names[j], nm))
                c->flags |= IR_COL_KEY;
    }
    for (int j = 0; j < sj->keys.n; j++) {
        t->merge_keys = arena_grow(job->arena, t->merge_keys, (size_t)t->n_merge_keys, (size_t)t->n_merge_keys + 1,
                                   sizeof *t->merge_keys);
        ir_column *c = ir_node_col_ci(t, sj->keys.names[j]);
        t->merge_keys[t->n_merge_keys++] = c ? c->name : ir_intern(job, sj->keys.names[j]);
    }
    /* every node named (backends print node names in comments and hole lists) */
    for (int i = 0; i < job->n_nodes; i++)
        if (!job->nodes[i]->name)
            job->nodes[i]->name = ir_intern(job, arena_printf(R->scratch, "%s_%d", ir_op_name(job->nodes[i]->op),
                                                              job->nodes[i]->id));
    ir_job_infer_types(job);
    const char *kept = arena_printf(R->scratch, "%s", name);
    R->n_jobs++;
    if (R->counts)
        R->counts->jobs++;
    R->on_job(R->userdata, job);
    return kept;
}

static void warn(reader *R, size_t off, const char *fmt, const char *arg)
{
    if (!R->dc)
        return;
    int line, col;
    if (R->lift_sql) {
        line = R->lift_line;
        col = R->lift_col;
        diag_at(R->dc, DIAG_WARNING, NULL, R->path, line, col, fmt, arg);
        return;
    }
    srcfile_line_col(R->file, off, &line, &col);
    diag_at(R->dc, DIAG_WARNING, R->file, R->path, line, col, fmt, arg);
}

static sqlfe_ast *query_of(reader *R, const sqlfe_ast *st, sqlfe_ast *items, sqlfe_ast *from, sqlfe_ast *where)
{
    sqlfe_ast *sel = mk(R, SQ_SELECT, NULL, st->start, st->end, 2, items, from);
    if (where)
        add_kid(R, sel, where);
    return mk(R, SQ_QUERY, NULL, st->start, st->end, 1, sel);
}

/* UPDATE t SET c = v [FROM ...] [WHERE ...] and DELETE [FROM] t [FROM/USING ...] [WHERE ...]:
 * SELECT <keys>, <SET values>, <row op> FROM <target and the FROM tables> WHERE ... */
static int plan_update_delete(reader *R, const sqlfe_ast *a, stmt_job *sj)
{
    const sqlfe_ast *target = a->kids[0];
    const sqlfe_ast *set = sqlfe_clause(a, SQ_SET);
    const sqlfe_ast *from = sqlfe_clause(a, SQ_CL_FROM);
    const sqlfe_ast *where = sqlfe_clause(a, SQ_CL_WHERE);
    const sqlfe_ast *al = sqlfe_clause(target, SQ_ALIAS);
    const char *alias = al ? al->text : last_part(target->text);
    const char *table = target->text;
    sqlfe_ast *fr = mk(R, SQ_CL_FROM, NULL, target->start, target->end, 0);
    const sqlfe_ast *in_from = !al ? find_in_from(from, target->text) : NULL;
    if (in_from) {
        /* T-SQL UPDATE a SET ... FROM tbl a JOIN ...: the target is one of the FROM tables */
        const sqlfe_ast *fal = sqlfe_clause(in_from, SQ_ALIAS);
        table = in_from->text;
        alias = fal ? fal->text : last_part(in_from->text);
    } else {
        add_kid(R, fr, (sqlfe_ast *)target);
    }
    for (int i = 0; from && i < from->n_kids; i++)
        add_kid(R, fr, from->kids[i]);
    sj->target = table;
    sj->mode = IR_LOAD_MERGE;
    sj->row_ops = 1;
    find_keys(R, &sj->keys, where ? where->kids[0] : NULL, alias, table);
    keys_from_joins(R, &sj->keys, from, alias, table);
    if (!sj->keys.n)
        keys_from_catalog(R, &sj->keys, table, target);
    sqlfe_ast *items = mk(R, SQ_CL_ITEMS, NULL, a->start, a->end, 0);
    /* SET columns are not keys: a key that changes cannot also identify the row */
    for (int i = 0; set && i < set->n_kids; i++) {
        const sqlfe_ast *as = set->kids[i];
        const sqlfe_ast *lhs = as->kids[0];
        for (int j = 0; j < (lhs->kind == SQ_LIST ? lhs->n_kids : 1); j++) {
            const char *c = last_part(lhs->kind == SQ_LIST ? lhs->kids[j]->text : lhs->text);
            for (int k = 0; k < sj->keys.n; k++)
                if (same(sj->keys.names[k], c)) {
                    sj->keys.names[k] = sj->keys.names[--sj->keys.n];
                    sj->keys.at[k] = sj->keys.at[sj->keys.n];
                }
        }
    }
    for (int k = 0; k < sj->keys.n; k++)
        add_kid(R, items, item(R, sj->keys.names[k], col_name(R, alias, sj->keys.names[k], sj->keys.at[k])));
    for (int i = 0; set && i < set->n_kids; i++) {
        const sqlfe_ast *as = set->kids[i];
        const sqlfe_ast *lhs = as->kids[0];
        if (lhs->kind == SQ_LIST) { /* (a, b) = (SELECT ...): each column a hole over the subquery */
            for (int j = 0; j < lhs->n_kids; j++)
                add_kid(R, items, item(R, last_part(lhs->kids[j]->text), as->kids[1]));
        } else {
            add_kid(R, items, item(R, last_part(lhs->text), as->kids[1]));
        }
    }
    add_kid(R, items, item(R, ROW_OP_COL, mk(R, SQ_NUM, a->kind == SQ_UPDATE ? "1" : "2", a->start, a->start, 0)));
    sj->query = query_of(R, a, items, fr, (sqlfe_ast *)where);
    if (!sj->keys.n) {
        /* without keys a merge cannot find the rows again: kept as a hole, not as a wrong job */
        sj->reason = "no merge key: neither an equality between the target's columns and another table nor a "
                     "PRIMARY KEY declared in the script";
        sj->hole = 1;
        warn(R, a->start, "%s has no merge key (no join on the target's columns, no PRIMARY KEY in the script): "
                          "kept as a hole",
             a->kind == SQ_UPDATE ? "UPDATE" : "DELETE");
        return -1;
    }
    return 0;
}

/* The value a WHEN clause gives column c: the SET or VALUES expression, else NULL (insert) or the
 * target's current value (update, delete). */
static sqlfe_ast *clause_value(reader *R, const sqlfe_ast *action, const sqlfe_ast *ins_cols, const char *c,
                               const char *talias, const sqlfe_ast *at)
{
    if (action->kind == SQ_MERGE_UPDATE) {
        const sqlfe_ast *set = sqlfe_clause(action, SQ_SET);
        for (int i = 0; set && i < set->n_kids; i++)
            if (set->kids[i]->kids[0]->kind == SQ_NAME && same(last_part(set->kids[i]->kids[0]->text), c))
                return set->kids[i]->kids[1];
        return col_name(R, talias, c, at);
    }
    if (action->kind == SQ_MERGE_INSERT) {
        const sqlfe_ast *vals = action->n_kids > 1 ? action->kids[1] : NULL;
        for (int i = 0; ins_cols && vals && i < ins_cols->n_kids && i < vals->n_kids; i++)
            if (same(last_part(ins_cols->kids[i]->text), c))
                return vals->kids[i];
        return mk(R, SQ_NULL, NULL, at->start, at->start, 0);
    }
    return col_name(R, talias, c, at);
}

static int plan_merge(reader *R, const sqlfe_ast *a, stmt_job *sj)
{
    const sqlfe_ast *target = a->kids[0], *source = a->kids[1], *on = a->kids[2];
    const sqlfe_ast *al = sqlfe_clause(target, SQ_ALIAS);
    const char *talias = al ? al->text : last_part(target->text);
    sj->target = target->text;
    sj->mode = IR_LOAD_MERGE;
    sj->row_ops = 1;
    if (a->n_kids < 4) {
        /* the parser accepts a MERGE without WHEN clauses: it changes nothing */
        sj->reason = "MERGE without a WHEN clause";
        return -1;
    }
    find_keys(R, &sj->keys, on->kids[0], talias, target->text);
    if (!sj->keys.n) {
        warn(R, on->start, "%s", "MERGE: the ON condition compares no target column with the source: no merge key");
        sj->reason = "no merge key in the ON condition";
        return -1;
    }
    if (sj->keys.other_conds)
        sj->reason = "the ON condition has conditions besides the key equalities: the generated merge matches on the "
                     "keys only";
    /* the target columns: the INSERT list, then SET columns, then the keys */
    const char **cols = NULL;
    const sqlfe_ast **col_at = NULL;
    int n_cols = 0, cap = 0, cap_at = 0;
    const sqlfe_ast *ins_cols = NULL;
    for (int pass = 0; pass < 3; pass++)
        for (int w = 3; w < a->n_kids; w++) {
            const sqlfe_ast *when = a->kids[w];
            if (when->kind != SQ_WHEN || when->n_kids < 2)
                continue;
            const sqlfe_ast *act = when->kids[1];
            const sqlfe_ast *list = NULL;
            if (pass == 0 && act->kind == SQ_MERGE_INSERT && act->kids[0]->kind == SQ_LIST) {
                list = act->kids[0];
                if (!ins_cols)
                    ins_cols = list;
            } else if (pass == 1 && act->kind == SQ_MERGE_UPDATE) {
                list = sqlfe_clause(act, SQ_SET);
            }
            for (int i = 0; list && i < list->n_kids; i++) {
                const sqlfe_ast *nm = list->kids[i]->kind == SQ_ASSIGN ? list->kids[i]->kids[0] : list->kids[i];
                if (nm->kind != SQ_NAME)
                    continue;
                const char *c = last_part(nm->text);
                int have = 0;
                for (int k = 0; k < n_cols && !have; k++)
                    have = same(cols[k], c);
                if (!have) {
                    int n = n_cols;
                    ARENA_PUSH(R->scratch, cols, n_cols, cap, c);
                    ARENA_PUSH(R->scratch, col_at, n, cap_at, nm);
                }
            }
        }
    for (int k = 0; k < sj->keys.n; k++) {
        int have = 0;
        for (int i = 0; i < n_cols && !have; i++)
            have = same(cols[i], sj->keys.names[k]);
        if (!have) {
            int n = n_cols;
            ARENA_PUSH(R->scratch, cols, n_cols, cap, sj->keys.names[k]);
            ARENA_PUSH(R->scratch, col_at, n, cap_at, sj->keys.at[k]);
        }
    }
    /* matched or not: the target's first key column is NULL only when no target row joined */
    const sqlfe_ast *kat = sj->keys.at[0];
    sqlfe_ast *unmatched = mk(R, SQ_IS, "NULL", kat->start, kat->end, 1, col_name(R, talias, sj->keys.names[0], kat));
    sqlfe_ast *matched = mk(R, SQ_IS, "NULL", kat->start, kat->end, 1, col_name(R, talias, sj->keys.names[0], kat));
    matched->flags |= SQF_NOT;
    sqlfe_ast *rowop = mk(R, SQ_CASE, NULL, a->kids[3]->start, a->kids[a->n_kids - 1]->end, 1,
                          mk(R, SQ_EMPTY, NULL, a->start, a->start, 0));
    sqlfe_ast **vals = arena_alloc(R->scratch, (size_t)(n_cols ? n_cols : 1) * sizeof *vals);
    for (int i = 0; i < n_cols; i++)
        vals[i] = mk(R, SQ_CASE, NULL, col_at[i]->start, col_at[i]->end, 1, mk(R, SQ_EMPTY, NULL, a->start, a->start, 0));
    int n_when = 0;
    for (int w = 3; w < a->n_kids; w++) {
        const sqlfe_ast *when = a->kids[w];
        if (when->kind != SQ_WHEN || when->n_kids < 2)
            continue;
        if (when->flags & SQF_BY_SOURCE) {
            warn(R, when->start, "%s", "MERGE: WHEN NOT MATCHED BY SOURCE (target rows without a source row) has no "
                                      "IR form: the clause is not translated");
            sj->reason = "WHEN NOT MATCHED BY SOURCE is not translated";
            continue;
        }
        const sqlfe_ast *act = when->kids[1];
        int is_matched = (when->flags & SQF_MATCHED) && !(when->flags & SQF_NOT);
        sqlfe_ast *cond = is_matched ? matched : unmatched;
        if (when->kids[0]->kind != SQ_EMPTY)
            cond = and_of(R, cond, when->kids[0]);
        const sqlfe_ast *aw = sqlfe_clause(act, SQ_CL_WHERE); /* Oracle UPDATE SET ... WHERE */
        if (aw)
            cond = and_of(R, cond, aw->kids[0]);
        const char *op = act->kind == SQ_MERGE_INSERT ? "0" : act->kind == SQ_MERGE_UPDATE ? "1" : "2";
        add_kid(R, rowop, cond);
        add_kid(R, rowop, mk(R, SQ_NUM, op, act->start, act->start, 0));
        for (int i = 0; i < n_cols; i++) {
            add_kid(R, vals[i], cond);
            add_kid(R, vals[i], clause_value(R, act, ins_cols, cols[i], talias, col_at[i]));
        }
        n_when++;
    }
    if (!n_when)
        return -1;
    if (n_when == 2 && ((rowop->kids[1] == unmatched && rowop->kids[3] == matched) ||
                        (rowop->kids[1] == matched && rowop->kids[3] == unmatched))) {
        /* the common upsert, two unconditional clauses: CASE WHEN <first> THEN .. ELSE <second> END */
        rowop->n_kids = 4;
        rowop->kids[3] = rowop->kids[4];
        rowop->flags |= SQF_HAS_ELSE;
        for (int i = 0; i < n_cols; i++) {
            vals[i]->n_kids = 4;
            vals[i]->kids[3] = vals[i]->kids[4];
            vals[i]->flags |= SQF_HAS_ELSE;
        }
    } else {
        add_kid(R, rowop, mk(R, SQ_NUM, "3", a->start, a->start, 0));
        rowop->flags |= SQF_HAS_ELSE;
    }
    sqlfe_ast *items = mk(R, SQ_CL_ITEMS, NULL, a->start, a->end, 0);
    for (int i = 0; i < n_cols; i++)
        add_kid(R, items, item(R, cols[i], vals[i]));
    add_kid(R, items, item(R, ROW_OP_COL, rowop));
    sqlfe_ast *tgt = mk(R, SQ_TABLE, target->text, target->start, target->end, 0);
    tgt->kids = target->kids;
    tgt->n_kids = target->n_kids;
    sqlfe_ast *join = mk(R, SQ_JOIN, "LEFT", source->start, on->end, 3, (sqlfe_ast *)source, tgt, (sqlfe_ast *)on);
    sqlfe_ast *fr = mk(R, SQ_CL_FROM, NULL, source->start, on->end, 1, join);
    sj->query = query_of(R, a, items, fr, NULL);
    return 0;
}

static int emptied_take(reader *R, const char *table)
{
    for (int i = 0; i < R->n_emptied; i++)
        if (same(R->emptied[i], table)) {
            R->emptied[i] = R->emptied[--R->n_emptied];
            return 1;
        }
    return 0;
}

/* One parsed statement: a job, or a reason why not. */
static void read_stmt(reader *R, const sqlfe_stmt *st, int stmt_no)
{
    const sqlfe_ast *a = st->ast;
    stmt_job sj;
    memset(&sj, 0, sizeof sj);
    sj.mode = IR_LOAD_APPEND;
    const char *skip = NULL;
    if (sqlfe_clause(a, SQ_CL_OUTPUT)) { /* the changed rows also go to the caller or another table */
        report(R, st, stmt_kind(st), "hole", NULL,
               "T-SQL OUTPUT clause (returns or writes the changed rows) is not translated", 1);
        return;
    }
    if (a->kind != SQ_INSERT && sqlfe_clause(a, SQ_WITH)) {
        /* T-SQL WITH .. UPDATE / DELETE / MERGE: the statement reads (or changes) the CTEs */
        report(R, st, stmt_kind(st), "hole", NULL,
               "a WITH clause before UPDATE, DELETE or MERGE (the statement may change a CTE's rows) is not "
               "translated", 1);
        return;
    }
    switch (a->kind) {
    case SQ_INSERT:
        sj.with = sqlfe_clause(a, SQ_WITH);
        if (a->kids[2]->kind != SQ_QUERY) {
            skip = "INSERT ... VALUES: data rows, not a data flow";
            break;
        }
        sj.query = a->kids[2];
        sj.target = a->kids[0]->text;
        sj.colnames = a->kids[1];
        if (a->flags & SQF_OVERWRITE)
            sj.mode = IR_LOAD_OVERWRITE;
        else if (emptied_take(R, sj.target)) {
            sj.mode = IR_LOAD_TRUNCATE_INSERT;
            sj.reason = "the table was emptied just before (TRUNCATE / DELETE without WHERE): truncate-insert";
        }
        break;
    case SQ_CREATE_TABLE:
        if (a->n_kids < 1 || a->kids[a->n_kids - 1]->kind != SQ_QUERY) {
            cat_add(R, a);
            skip = "DDL without a query";
            break;
        }
        sj.query = a->kids[a->n_kids - 1];
        sj.target = a->text;
        sj.colnames = a->n_kids >= 2 ? a->kids[a->n_kids - 2] : NULL;
        sj.mode = IR_LOAD_OVERWRITE;
        if (a->flags & SQF_TEMPORARY)
            sj.object = "temporary table";
        break;
    case SQ_CREATE_VIEW:
        sj.query = a->kids[1];
        sj.target = a->text;
        sj.colnames = a->kids[0];
        sj.mode = IR_LOAD_OVERWRITE;
        sj.object = "view";
        break;
    case SQ_UPDATE:
        if (plan_update_delete(R, a, &sj) != 0) {
            report(R, st, stmt_kind(st), "hole", NULL, sj.reason, 1);
            return;
        }
        break;
    case SQ_DELETE:
        if (!sqlfe_clause(a, SQ_CL_WHERE) && !sqlfe_clause(a, SQ_CL_FROM)) {
            ARENA_PUSH(R->scratch, R->emptied, R->n_emptied, R->cap_emptied, a->kids[0]->text);
            skip = "deletes every row (like TRUNCATE): no data flow; a following INSERT into the table becomes a "
                   "truncate-insert";
            break;
        }
        if (plan_update_delete(R, a, &sj) != 0) {
            report(R, st, stmt_kind(st), "hole", NULL, sj.reason, 1);
            return;
        }
        break;
    case SQ_MERGE:
        if (plan_merge(R, a, &sj) != 0) {
            report(R, st, stmt_kind(st), "hole", NULL, sj.reason ? sj.reason : "MERGE without a translatable clause", 1);
            return;
        }
        break;
    case SQ_TRUNCATE:
        if (a->n_kids > 0 && a->kids[0]->text)
            ARENA_PUSH(R->scratch, R->emptied, R->n_emptied, R->cap_emptied, a->kids[0]->text);
        skip = "empties the table: no data flow; a following INSERT into the table becomes a truncate-insert";
        break;
    case SQ_QUERY:
        skip = a->kids[0]->kind == SQ_SELECT && sqlfe_clause(a->kids[0], SQ_CL_INTO)
                   ? "SELECT ... INTO: not translated yet"
                   : "a query without a target (a report or export)";
        break;
    default:
        skip = "DDL without a query";
        break;
    }
    if (skip) {
        report(R, st, stmt_kind(st), "skipped", NULL, skip, 0);
        return;
    }
    const char *name = make_job(R, st, stmt_no, &sj);
    if (name)
        report(R, st, stmt_kind(st), "converted", name, sj.reason, 0);
    else if (sj.hole)
        report(R, st, stmt_kind(st), "hole", NULL, sj.reason, 1);
    else
        report(R, st, stmt_kind(st), "failed", NULL, "the query could not be lowered", 0);
}

/* ---- procedural blocks ---- */

/* ---- procedural units ---- */

typedef struct unit_list {
    arena *a;
    ir_unit **v;
    int n, cap;
} unit_list;

static void collect_unit(void *userdata, ir_unit *u)
{
    unit_list *l = userdata;
    ARENA_PUSH(l->a, l->v, l->n, l->cap, u);
}

typedef struct first_hole {
    const char *reason;
    int line;
} first_hole;

static void find_first_hole(void *userdata, const ir_hole_info *h)
{
    first_hole *f = userdata;
    if (!f->reason && h->kind && strcmp(h->kind, "expression") != 0) {
        f->reason = h->reason;
        f->line = h->span.line;
    }
}

/*
 * A procedural block read into units (sqlfe_pl.c, sqlfe_tsql.c): each unit goes to on_unit, and the
 * block is reported "converted" with the units' names when no step is a hole, "hole" otherwise (the
 * reason names the first hole step). A block that holds no unit (a package specification, a
 * trigger) stays a hole with the reason. `why` is the reason today's lifting gave.
 */
static void read_units(reader *R, const sqlfe_stmt *st, int idx, size_t start, const char *why)
{
    unit_list l = {R->scratch, NULL, 0, 0};
    const char *none = NULL;
    const char *anon = arena_printf(R->scratch, "%s_%02d_block", R->script, idx + 1);
    sqlfe_read_units(R->scratch, R->file, R->path, start, st->end, R->d, anon, R->dc, collect_unit, &l, &none);
    if (l.n == 0) {
        report(R, st, "procedure", "hole", NULL, none ? none : why, 1);
        return;
    }
    strbuf names = STRBUF_INIT;
    int holes = 0, steps = 0;
    first_hole fh = {NULL, 0};
    for (int i = 0; i < l.n; i++) {
        ir_unit *u = l.v[i];
        if (names.len)
            sb_puts(&names, ", ");
        sb_puts(&names, u->name);
        holes += ir_unit_hole_steps(u);
        steps += ir_unit_count_steps(u);
        if (!fh.reason)
            ir_unit_holes(u, find_first_hole, &fh);
    }
    const char *unit_names = arena_strdup(R->scratch, sb_cstr(&names));
    sb_free(&names);
    const char *reason =
        holes ? arena_printf(R->scratch, "%d of %d steps are holes; the first at line %d: %s", holes, steps, fh.line,
                             fh.reason ? fh.reason : "?")
              : NULL;
    fh.reason = reason ? arena_strdup(R->scratch, reason) : NULL;
    for (int i = 0; i < l.n; i++) {
        if (R->on_unit)
            R->on_unit(R->userdata, l.v[i]);
        else
            ir_unit_free(l.v[i]);
    }
    R->cur_unit = unit_names;
    report(R, st, "procedure", holes ? "hole" : "converted", NULL, fh.reason, holes ? 1 : 0);
    R->cur_unit = NULL;
}

/*
 * A procedural block: a row-by-row cursor loop that is really a set operation (sqlfe_proc.c)
 * becomes the set-based statement's job — the statement text is parsed and goes through
 * read_stmt like any other, with spans at the loop — and the block is reported converted; any
 * other block stays a hole with its text. A T-SQL cursor loop at the top of a script comes with the
 * DECLARE ... CURSOR / OPEN / FETCH statements before it: the splitter keeps a batch with procedural
 * code as one block (sqlfe_split.c).
 */
static void read_procedural(reader *R, const sqlfe_script *sc, int idx)
{
    const sqlfe_stmt *st = &sc->stmts[idx];
    const char *generic = "procedural code is not translated yet";
    size_t start = st->start;
    sqlfe_lift lf;
    int r = sqlfe_proc_lift(R->scratch, R->file->text + start, st->end - start, R->d, &lf);
    if (r < 0) {
        read_units(R, st, idx, start, arena_printf(R->scratch, "a row-by-row loop that stays procedural: %s", lf.reason));
        return;
    }
    if (r == 0) {
        read_units(R, st, idx, start, generic);
        return;
    }
    const char *err = NULL;
    size_t eoff = 0;
    size_t len = strlen(lf.sql);
    sqlfe_stmt syn;
    memset(&syn, 0, sizeof syn);
    syn.ast = sqlfe_parse_statement(R->scratch, lf.sql, len, R->d, &err, &eoff);
    if (!syn.ast) {
        read_units(R, st, idx, start,
                   arena_printf(R->scratch, "%s (its set-based form does not parse: %s)", generic, err ? err : "?"));
        return;
    }
    syn.kind = syn.ast->kind == SQ_INSERT ? SQLFE_ST_INSERT : syn.ast->kind == SQ_UPDATE ? SQLFE_ST_UPDATE
                                                                                        : SQLFE_ST_DELETE;
    syn.start = 0;
    syn.end = len;
    int line, col;
    srcfile_line_col(R->file, start + lf.loop_off, &line, &col);
    R->lift_sql = lf.sql;
    R->lift_len = len;
    R->lift_line = line;
    R->lift_col = col;
    R->lift_at = arena_printf(R->scratch, "%s:%d", R->path, line);
    R->cap_status = R->cap_job = R->cap_reason = NULL;
    read_stmt(R, &syn, idx + 1);
    R->lift_sql = NULL;
    R->lift_at = NULL;
    if (R->cap_status && strcmp(R->cap_status, "converted") == 0) {
        if (R->lifted_job)
            R->lifted_job[idx] = R->cap_job;
        const char *reason = "row-by-row loop lifted to a set-based statement";
        const char *extra = lf.note ? lf.note : NULL;
        if (R->cap_reason)
            extra = extra ? arena_printf(R->scratch, "%s; %s", extra, R->cap_reason) : R->cap_reason;
        report(R, st, "procedure", "converted", R->cap_job,
               extra ? arena_printf(R->scratch, "%s: %s at line %d; %s", reason, lf.shape, line, extra)
                     : arena_printf(R->scratch, "%s: %s at line %d", reason, lf.shape, line),
               0);
        return;
    }
    read_units(R, st, idx, start,
               arena_printf(R->scratch, "a row-by-row loop that stays procedural: its set-based form %s",
                            R->cap_reason ? R->cap_reason : "could not be converted"));
}

static const char *script_name(arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    char *s = arena_strndup(a, base, n);
    for (char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            *p = '_';
    return s;
}

static int sql_read(const char *path, const fe_options *opt, diag_ctx *dc, fe_job_fn on_job, void *userdata,
                    fe_counts *counts)
{
    srcfile *f;
    if (srcfile_load(&f, path) != 0) {
        diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "cannot read the file");
        return -1;
    }
    reader R;
    memset(&R, 0, sizeof R);
    R.path = path;
    R.file = f;
    R.dc = dc;
    R.on_job = on_job;
    R.on_statement = opt ? opt->on_statement : NULL;
    R.on_unit = opt ? opt->on_unit : NULL;
    R.userdata = userdata;
    R.counts = counts;
    int forced = opt && opt->dialect ? sqlfe_dialect_by_name(opt->dialect) : -1;
    R.d = forced >= 0 ? (sqlfe_dialect)forced : sqlfe_dialect_guess(path, f->text, f->len < 65536 ? f->len : 65536);
    R.td_ansi = R.d == SQLFE_TERADATA && sqlfe_td_ansi_session(f);
    if (opt && opt->dialect_used)
        *opt->dialect_used = sqlfe_dialect_name(R.d);
    R.scratch = arena_new();
    R.script = script_name(R.scratch, path);
    R.types_job = ir_job_new("catalog");
    if (opt && opt->on_flow)
        R.flow = sqlfe_flow_begin(R.scratch, R.d, R.script, path);
    sqlfe_script sc;
    sqlfe_parse_script(R.scratch, f->text, f->len, R.d, &sc);
    int errors = 0;
    R.lifted_job = arena_alloc(R.scratch, ((size_t)sc.n_stmts + 1) * sizeof *R.lifted_job);
    memset(R.lifted_job, 0, ((size_t)sc.n_stmts + 1) * sizeof *R.lifted_job);
    /* a BTEQ script (dot-commands): one script unit for the whole file, its statements' jobs as well */
    ir_unit *bteq = NULL;
    unsigned char *bteq_hole = NULL;
    for (int i = 0; i < sc.n_stmts && R.d == SQLFE_TERADATA && !bteq; i++)
        if (sc.stmts[i].kind == SQLFE_ST_COMMAND && f->text[sc.stmts[i].start] == '.') {
            bteq_hole = arena_alloc(R.scratch, (size_t)sc.n_stmts + 1);
            memset(bteq_hole, 0, (size_t)sc.n_stmts + 1);
            bteq = sqlfe_bteq_unit(R.scratch, f, path, &sc, R.script, dc, bteq_hole);
        }
    /* likewise a SQL*Plus script (command lines): one script unit, its blocks called by name */
    for (int i = 0; i < sc.n_stmts && R.d == SQLFE_ORACLE && !bteq; i++)
        if (sc.stmts[i].kind == SQLFE_ST_COMMAND) {
            bteq_hole = arena_alloc(R.scratch, (size_t)sc.n_stmts + 1);
            memset(bteq_hole, 0, (size_t)sc.n_stmts + 1);
            bteq = sqlfe_sqlplus_unit(R.scratch, f, path, &sc, R.script, dc, bteq_hole);
        }
    for (int i = 0; i < sc.n_stmts; i++) {
        const sqlfe_stmt *st = &sc.stmts[i];
        if (counts)
            counts->transformations++;
        if (sqlfe_stmt_kind_parsed(st->kind) && !st->ast) {
            int line, col;
            srcfile_line_col(f, st->error_off, &line, &col);
            diag_at(dc, DIAG_ERROR, f, path, line, col, "%s", st->error);
            errors++;
            report(&R, st, stmt_kind(st), "failed", NULL, st->error, 1);
            continue;
        }
        if (st->ast) {
            read_stmt(&R, st, i + 1);
        } else if (st->kind == SQLFE_ST_PROCEDURAL) {
            read_procedural(&R, &sc, i);
        } else if (st->kind == SQLFE_ST_COMMAND && bteq) {
            R.cur_unit = bteq->name;
            report(&R, st, "command", bteq_hole[i] ? "hole" : "converted", NULL,
                   bteq_hole[i] ? "a client command the script unit keeps as a hole" : "a step of the script unit", 1);
            R.cur_unit = NULL;
        } else if (st->kind == SQLFE_ST_COMMAND) {
            report(&R, st, "command", "skipped", NULL, "client command", 1);
        } else {
            report(&R, st, "other", "skipped", NULL, "not a data flow", 0);
        }
    }
    if (bteq && bteq->body.blocks) {
        /* a SQL*Plus script calls each block by its unit's name; a block lifted whole is a job */
        ir_pblock *b = &bteq->body.blocks[0];
        for (int k = 0; k < b->n; k++)
            for (int i = 0; i < sc.n_stmts; i++)
                if (b->stmts[k]->kind == IR_PS_CALL && R.lifted_job[i] && b->stmts[k]->name &&
                    strcmp(b->stmts[k]->name, arena_printf(R.scratch, "%s_%02d_block", R.script, i + 1)) == 0)
                    b->stmts[k]->name = ir_intern(bteq->job, R.lifted_job[i]);
    }
    /* the script's flow: built before its script unit is handed over, handed over after it */
    ir_flow *flow = NULL;
    if (R.flow)
        flow = bteq && R.d == SQLFE_TERADATA ? sqlfe_flow_bteq(R.flow, bteq) : sqlfe_flow_script(R.flow);
    if (bteq) {
        if (R.on_unit)
            R.on_unit(userdata, bteq);
        else
            ir_unit_free(bteq);
    }
    if (flow) {
        if (counts)
            counts->workflows++;
        opt->on_flow(userdata, flow);
    }
    ir_job_free(R.types_job);
    arena_free(R.scratch);
    srcfile_free(f);
    return errors ? -1 : 0;
}

const frontend sql_frontend = {"sql", sql_detect, sql_read};
