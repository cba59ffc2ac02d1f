/*
 * readback_snow.c — Snowflake SQL artifacts read back into IR (readback.h). The artifact is what
 * backends/snowflake writes: SET statements for job parameters, CREATE TABLE for targets, then
 * one INSERT ... WITH <one CTE per node> SELECT (or MERGE, or CREATE TABLE ... AS) per target.
 * The SQL frontend reads it as it reads any script (`etlport convert` does the same), in the
 * Snowflake dialect: each loading statement becomes one job ending in a target node. CTE names,
 * aliases and their order leave no trace in the IR beyond node names, which the comparison
 * ignores.
 */
#include "verifier/readback.h"

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe.h"
#include "verifier/verify_internal.h"

typedef struct snow_read {
    readback_job_fn on_job;
    void *userdata;
    int n;
    const char *text; /* the artifact, for its SET statements */
} snow_read;

/* The artifact's `SET NAME = value;` lines as parameters with defaults (the SQL frontend keeps
 * SET as an other statement). */
static void read_sets(ir_job *job, const char *text)
{
    for (const char *p = text; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (n > 4 && strncmp(p, "SET ", 4) == 0) {
            const char *name = p + 4, *eq = memchr(p, '=', n);
            if (eq) {
                const char *ne = eq;
                while (ne > name && ne[-1] == ' ')
                    ne--;
                const char *v = eq + 1;
                while (*v == ' ')
                    v++;
                const char *ve = p + n;
                while (ve > v && (ve[-1] == ';' || ve[-1] == ' ' || ve[-1] == '\r'))
                    ve--;
                char pname[256];
                snprintf(pname, sizeof pname, "%.*s", (int)(ne - name), name);
                ir_param *prm = ir_job_param(job, pname);
                if (!prm)
                    prm = ir_job_add_param(job, pname);
                if (ve - v >= 2 && *v == '\'' && ve[-1] == '\'') {
                    /* a string literal: '' is one quote */
                    strbuf sb = STRBUF_INIT;
                    for (const char *q = v + 1; q < ve - 1; q++) {
                        sb_putc(&sb, *q);
                        if (*q == '\'' && q + 1 < ve - 1 && q[1] == '\'')
                            q++;
                    }
                    prm->default_value = arena_strdup(job->arena, sb_cstr(&sb));
                    sb_free(&sb);
                } else {
                    prm->default_value = arena_strndup(job->arena, v, (size_t)(ve - v));
                }
            }
        }
        p = eol ? eol + 1 : NULL;
    }
}

/* Makes the node named [name, end) a procedure node without inputs (p: its hole comment). */
static void mark_hole(ir_job *job, const char *p, const char *name, const char *end)
{
    const char *eol = strchr(p, '\n');
    for (int i = 0; i < job->n_nodes; i++) {
        ir_node *n = job->nodes[i];
        if (!n->name || n->op == IR_OP_SOURCE || n->op == IR_OP_TARGET || strlen(n->name) != (size_t)(end - name) ||
            strncasecmp(n->name, name, (size_t)(end - name)) != 0)
            continue;
        n->op = IR_OP_PROCEDURE;
        n->n_inputs = 0;
        for (int c = 0; c < n->n_cols; c++)
            n->cols[c].expr = NULL;
        n->predicate = NULL;
        n->n_keys = n->n_order = 0;
        n->distinct = false;
        n->hole_reason = "a hole in the generated code (ETLPORT HOLE)";
        n->legacy = arena_strndup(job->arena, p, eol ? (size_t)(eol - p) : strlen(p));
    }
}

/* The CTE after a hole comment block: the first line `NAME AS (` after p; NULL when none. */
static const char *next_cte(const char *p, const char **end)
{
    for (const char *l = strchr(p, '\n'); l; l = strchr(l + 1, '\n')) {
        const char *a = l + 1;
        while (*a == ' ')
            a++;
        if (a[0] == '-' && a[1] == '-')
            continue; /* the comment block */
        const char *e = a;
        while (isalnum((unsigned char)*e) || *e == '_' || *e == '$')
            e++;
        if (e > a && strncmp(e, " AS (", 5) == 0) {
            *end = e;
            return a;
        }
        return NULL;
    }
    return NULL;
}

/* The CTEs the backend marked as holes (`-- ETLPORT HOLE (procedure) at LOC: NAME ...` above
 * `NAME AS (`, or `-- ETLPORT HOLE (sql) ...` above the CTE of a source whose SQL override was not
 * translated): a node it could not translate, whose CTE only passes its input through, or is a
 * typed empty placeholder, so that the script runs. Each becomes a procedure node without inputs,
 * as in the legacy IR, so what depends on it is unverified rather than compared with NULLs. */
static void mark_holes(ir_job *job, const char *text)
{
    static const char marker[] = "-- ETLPORT HOLE (procedure) at ";
    /* a source whose SQL override was not translated: its CTE is a typed, empty placeholder */
    static const char sql_marker[] = "-- ETLPORT HOLE (sql) at ";
    for (const char *p = text ? strstr(text, sql_marker) : NULL; p; p = strstr(p + 1, sql_marker)) {
        const char *end = NULL, *name = next_cte(p, &end);
        if (name)
            mark_hole(job, p, name, end);
    }
    for (const char *p = text ? strstr(text, marker) : NULL; p; p = strstr(p + 1, marker)) {
        const char *colon = strstr(p + sizeof marker - 1, ": ");
        const char *eol = strchr(p, '\n');
        if (!colon || (eol && colon > eol))
            continue;
        const char *name = colon + 2, *end = name;
        while (*end && *end != ' ' && *end != '\n')
            end++;
        mark_hole(job, p, name, end);
    }
}


static void on_job(void *userdata, ir_job *job)
{
    snow_read *s = userdata;
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->op == IR_OP_TARGET && job->nodes[i]->load == IR_LOAD_MERGE) {
            /* MERGE statements are read by read_merge, clause by clause */
            ir_job_free(job);
            return;
        }
    s->n++;
    if (s->text)
        read_sets(job, s->text);
    mark_holes(job, s->text);
    s->on_job(s->userdata, job);
}

/* ---- MERGE ---- */

static const char *last_name_part(const char *s)
{
    const char *d = strrchr(s, '.');
    return d ? d + 1 : s;
}

/* A bare or qualified name of the lowered expression as a reference to the source node's column. */
typedef struct merge_src {
    ir_job *job;
    int node;
} merge_src;

static ir_expr *merge_resolve(void *userdata, ir_job *job, const char *name)
{
    merge_src *ms = userdata;
    ir_node *n = ir_job_node(job, ms->node);
    ir_column *c = n ? ir_node_col_ci(n, last_name_part(name)) : NULL;
    if (!c && n && n->op == IR_OP_SOURCE)
        c = ir_node_add_col(job, n, last_name_part(name), ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL);
    return c ? ir_ref(job, ms->node, c->name) : NULL;
}

/* The merge keys: target-side names of the equalities of the ON condition. */
static void merge_keys(ir_job *job, ir_node *t, const sqlfe_ast *on, const char *talias)
{
    if (!on)
        return;
    if (on->kind == SQ_ON && on->n_kids == 1) {
        merge_keys(job, t, on->kids[0], talias);
        return;
    }
    if (on->kind != SQ_BINARY || on->n_kids != 2 || !on->text)
        return;
    if (strcmp(on->text, "AND") == 0) {
        merge_keys(job, t, on->kids[0], talias);
        merge_keys(job, t, on->kids[1], talias);
        return;
    }
    if (strcmp(on->text, "=") != 0)
        return;
    for (int k = 0; k < 2; k++) {
        const sqlfe_ast *nm = on->kids[k];
        if (nm->kind != SQ_NAME || !nm->text)
            continue;
        const char *dot = strrchr(nm->text, '.');
        bool target_side = dot && talias && (size_t)(dot - nm->text) == strlen(talias) &&
                           strncasecmp(nm->text, talias, strlen(talias)) == 0;
        if (!target_side)
            continue;
        t->merge_keys = arena_grow(job->arena, t->merge_keys, (size_t)t->n_merge_keys, (size_t)t->n_merge_keys + 1,
                                   sizeof *t->merge_keys);
        t->merge_keys[t->n_merge_keys++] = ir_intern(job, last_name_part(nm->text));
        return;
    }
}

static ir_expr *merge_value(ir_job *job, const char *text, const sqlfe_ast *v, merge_src *ms)
{
    return readback_snow_expr(job, text + v->start, v->end - v->start, merge_resolve, ms);
}

/* One MERGE statement as a job: the USING query's nodes, then a merge target whose columns are the
 * values of the WHEN NOT MATCHED ... INSERT clause (else of the UPDATE SET), merge keys from ON.
 * The clause conditions (the row operation tests) are kept as props. */
static ir_job *read_merge(const char *text, const sqlfe_ast *m, const char *path, int stmt_no)
{
    if (m->n_kids < 3)
        return NULL;
    const sqlfe_ast *tgt = m->kids[0], *src = m->kids[1];
    ir_job *job = ir_job_new(tgt->text ? tgt->text : "merge");
    job->format = "sql";
    job->file = ir_intern(job, path);
    ir_span base = {job->file, 1, 1};
    const char *talias = tgt->n_kids && tgt->kids[0]->kind == SQ_ALIAS ? tgt->kids[0]->text : NULL;
    int src_node = 0;
    if (src->kind == SQ_DERIVED && src->n_kids >= 1) {
        const sqlfe_ast *q = src->kids[0];
        if (sqlfe_lower_select(job, text + q->start, q->end - q->start, SQLFE_SNOWFLAKE, NULL, base, NULL, &src_node) < 0)
            src_node = 0;
    } else if (src->kind == SQ_TABLE && src->text) {
        ir_node *n = ir_node_add(job, IR_OP_SOURCE, src->text);
        n->dataset = ir_intern(job, src->text);
        src_node = n->id;
    }
    if (!src_node) {
        ir_job_free(job);
        return NULL;
    }
    ir_node *t = ir_node_add(job, IR_OP_TARGET, tgt->text);
    t->dataset = ir_intern(job, tgt->text ? tgt->text : "");
    t->load = IR_LOAD_MERGE;
    ir_node_add_input(job, t, src_node);
    merge_keys(job, t, sqlfe_clause(m, SQ_ON), talias);
    merge_src ms = {job, src_node};
    const sqlfe_ast *insert = NULL, *update = NULL;
    for (int i = 2; i < m->n_kids; i++) {
        const sqlfe_ast *w = m->kids[i];
        if (w->kind != SQ_WHEN || w->n_kids < 2)
            continue;
        const sqlfe_ast *cond = w->kids[0], *action = w->kids[1];
        if (action->kind == SQ_MERGE_INSERT && !insert)
            insert = action;
        if (action->kind == SQ_MERGE_UPDATE && !update)
            update = action;
        strbuf sb = STRBUF_INIT; /* the condition; empty when the clause has none */
        if (cond->kind != SQ_EMPTY)
            ir_expr_to_text(&sb, merge_value(job, text, cond, &ms));
        ir_node_add_prop(job, t,
                         action->kind == SQ_MERGE_INSERT   ? "when not matched insert"
                         : action->kind == SQ_MERGE_UPDATE ? "when matched update"
                                                           : "when matched delete",
                         sb_cstr(&sb));
        sb_free(&sb);
    }
    /* the columns the update clause sets (differential execution applies the clauses) */
    if (update && update->n_kids >= 1 && update->kids[0]->kind == SQ_SET) {
        strbuf names = STRBUF_INIT;
        for (int i = 0; i < update->kids[0]->n_kids; i++) {
            const sqlfe_ast *as = update->kids[0]->kids[i];
            if (as->kind == SQ_ASSIGN && as->n_kids == 2 && as->kids[0]->text)
                sb_printf(&names, "%s%s", names.len ? "," : "", last_name_part(as->kids[0]->text));
        }
        ir_node_add_prop(job, t, "when matched update set", sb_cstr(&names));
        sb_free(&names);
    }
    if (insert && insert->n_kids == 2 && insert->kids[0]->kind == SQ_LIST && insert->kids[1]->kind == SQ_LIST) {
        const sqlfe_ast *cols = insert->kids[0], *vals = insert->kids[1];
        for (int i = 0; i < cols->n_kids && i < vals->n_kids; i++)
            if (cols->kids[i]->text)
                ir_node_add_col(job, t, last_name_part(cols->kids[i]->text), ir_type_make(IR_TY_UNKNOWN, 0, 0),
                                merge_value(job, text, vals->kids[i], &ms));
    } else if (update && update->n_kids >= 1 && update->kids[0]->kind == SQ_SET) {
        const sqlfe_ast *set = update->kids[0];
        for (int i = 0; i < set->n_kids; i++) {
            const sqlfe_ast *as = set->kids[i];
            if (as->kind == SQ_ASSIGN && as->n_kids == 2 && as->kids[0]->text)
                ir_node_add_col(job, t, last_name_part(as->kids[0]->text), ir_type_make(IR_TY_UNKNOWN, 0, 0),
                                merge_value(job, text, as->kids[1], &ms));
        }
    }
    char name[300];
    snprintf(name, sizeof name, "merge_%d_%s", stmt_no, tgt->text ? tgt->text : "");
    job->name = ir_intern(job, name);
    return job;
}

static void read_merges(snow_read *s, const char *path)
{
    if (!s->text)
        return;
    arena *a = arena_new();
    sqlfe_script sc;
    sqlfe_parse_script(a, s->text, strlen(s->text), SQLFE_SNOWFLAKE, &sc);
    for (int i = 0; i < sc.n_stmts; i++) {
        const sqlfe_stmt *st = &sc.stmts[i];
        if (st->kind != SQLFE_ST_MERGE || !st->ast || st->ast->kind != SQ_MERGE)
            continue;
        ir_job *job = read_merge(s->text, st->ast, path, i + 1);
        if (!job)
            continue;
        read_sets(job, s->text);
        mark_holes(job, s->text);
        s->n++;
        s->on_job(s->userdata, job);
    }
    arena_free(a);
}

int readback_snow(const char *path, diag_ctx *dc, readback_job_fn fn, void *userdata)
{
    fe_options opt;
    memset(&opt, 0, sizeof opt);
    opt.dialect = "snowflake";
    srcfile *f = NULL;
    snow_read s = {fn, userdata, 0, srcfile_load(&f, path) == 0 ? f->text : NULL};
    int rc = sql_frontend.read(path, &opt, dc, on_job, &s, NULL);
    read_merges(&s, path);
    srcfile_free(f);
    if (rc < 0 && s.n == 0)
        return -1;
    return s.n;
}

/* Bare names of the lowered expression through resolve; holes keep their text. */
static ir_expr *resolve_names(ir_job *job, const ir_expr *e, readback_resolve_fn resolve, void *userdata)
{
    if (!e)
        return NULL;
    if (e->kind == IR_EX_REF && e->u.ref.node == 0) {
        ir_expr *r = resolve ? resolve(userdata, job, e->u.ref.col) : NULL;
        return r ? r : ir_hole(job, e->u.ref.col, READBACK_UNREADABLE "unknown column");
    }
    if (e->kind == IR_EX_CALL) {
        ir_expr *c = verify_call_copy(job, e);
        for (int i = 0; i < e->u.call.n_args; i++)
            c->u.call.args[i] = resolve_names(job, e->u.call.args[i], resolve, userdata);
        return c;
    }
    if (e->kind == IR_EX_OVER || e->kind == IR_EX_QUERY)
        return ir_hole(job, "", READBACK_UNREADABLE "window or subquery");
    return ir_expr_copy(job, e);
}

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

ir_expr *readback_snow_expr(ir_job *job, const char *text, size_t len, readback_resolve_fn resolve, void *userdata)
{
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    ir_span base = {NULL, 1, 1};
    ir_expr *e = sqlfe_lower_scalar(job, text, len, SQLFE_SNOWFLAKE, NULL, base, &dc);
    if (!e)
        return ir_hole(job, arena_strndup(job->arena, text, len), READBACK_UNREADABLE "Snowflake SQL that does not parse");
    return resolve_names(job, e, resolve, userdata);
}
