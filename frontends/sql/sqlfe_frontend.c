/*
 * sqlfe_frontend.c — the SQL frontend (frontends/frontend.h): a script file into jobs. Each
 * INSERT ... SELECT, CREATE TABLE ... AS SELECT and MERGE becomes one job: the query's node chain
 * and a TARGET node (append, overwrite for CREATE [OR REPLACE] TABLE AS, merge on the keys of the
 * ON condition). Other statements are counted; procedural blocks and client commands are left to
 * the procedural layer (a later stage). Not registered in the CLI yet.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_internal.h"

static int sql_detect(const char *path, const char *head, size_t n)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    int score = 0;
    if (dot && (strcasecmp(dot, ".sql") == 0 || strcasecmp(dot, ".ddl") == 0 || strcasecmp(dot, ".bteq") == 0 ||
                strcasecmp(dot, ".btq") == 0 || strcasecmp(dot, ".pls") == 0 || strcasecmp(dot, ".pkb") == 0 ||
                strcasecmp(dot, ".pks") == 0))
        score = 40;
    /* XML and JSON files are never SQL; a keyword near the start raises the score */
    size_t i = 0;
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

typedef struct reader {
    const char *path;
    srcfile *file;
    sqlfe_dialect d;
    diag_ctx *dc;
    fe_job_fn on_job;
    void *userdata;
    fe_counts *counts;
    int n_jobs;
} reader;

static lower_ctx make_ctx(reader *R, ir_job *job, arena *scratch)
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
    L.dc = R->dc;
    L.scratch = scratch;
    return L;
}

/* Merge keys: target columns compared with = in the ON condition. */
static void merge_keys(ir_job *job, ir_node *t, const sqlfe_ast *cond, const char *alias)
{
    if (!cond)
        return;
    if (cond->kind == SQ_BINARY && strcmp(cond->text, "AND") == 0) {
        merge_keys(job, t, cond->kids[0], alias);
        merge_keys(job, t, cond->kids[1], alias);
        return;
    }
    if (cond->kind != SQ_BINARY || strcmp(cond->text, "=") != 0)
        return;
    for (int i = 0; i < 2; i++) {
        const sqlfe_ast *x = cond->kids[i];
        if (x->kind != SQ_NAME)
            continue;
        const char *dot = strrchr(x->text, '.');
        if (dot && alias && strncasecmp(x->text, alias, (size_t)(dot - x->text)) == 0 &&
            strlen(alias) == (size_t)(dot - x->text)) {
            const char *k = ir_intern(job, dot + 1);
            t->merge_keys = arena_grow(job->arena, t->merge_keys, (size_t)t->n_merge_keys,
                                       (size_t)t->n_merge_keys + 1, sizeof *t->merge_keys);
            t->merge_keys[t->n_merge_keys++] = k;
        }
    }
}

static void emit_job(reader *R, const sqlfe_stmt *st, arena *scratch)
{
    const sqlfe_ast *a = st->ast;
    const sqlfe_ast *query = NULL, *target = NULL;
    ir_load_mode mode = IR_LOAD_APPEND;
    const char *target_name = NULL;
    if (a->kind == SQ_INSERT) {
        target = a->kids[0];
        target_name = target->text;
        query = a->kids[2];
        if (query->kind != SQ_QUERY)
            return; /* INSERT ... VALUES: data, not a job */
        if (a->flags & SQF_OVERWRITE)
            mode = IR_LOAD_OVERWRITE;
    } else if (a->kind == SQ_CREATE_TABLE) {
        if (a->n_kids < 2 || a->kids[a->n_kids - 1]->kind != SQ_QUERY)
            return;
        query = a->kids[a->n_kids - 1];
        target_name = a->text;
        mode = IR_LOAD_OVERWRITE;
    } else if (a->kind == SQ_MERGE) {
        target = a->kids[0];
        target_name = target->text;
        mode = IR_LOAD_MERGE;
    } else {
        return;
    }
    int line, col;
    srcfile_line_col(R->file, st->start, &line, &col);
    ir_job *job = ir_job_new(arena_printf(scratch, "%s_%d", target_name, line));
    job->format = "sql";
    job->file = ir_intern(job, R->path);
    job->line = line;
    lower_ctx L = make_ctx(R, job, scratch);
    int out = -1;
    if (query) {
        out = sqlfe_lower_query(&L, query);
    } else {
        /* MERGE: the source (a table or a subquery) */
        const sqlfe_ast *src = a->kids[1];
        if (src->kind == SQ_DERIVED && src->kids[0]->kind == SQ_QUERY) {
            out = sqlfe_lower_query(&L, src->kids[0]);
        } else if (src->kind == SQ_TABLE) {
            ir_node *s = ir_node_add(job, IR_OP_SOURCE, NULL);
            s->dataset = ir_intern(job, src->text);
            s->span = sqlfe_span_at(&L, src->start);
            out = s->id;
        }
    }
    if (out <= 0) {
        ir_job_free(job);
        return;
    }
    ir_node *t = ir_node_add(job, IR_OP_TARGET, target_name);
    t->dataset = ir_intern(job, target_name);
    t->load = mode;
    t->span = sqlfe_span_at(&L, st->start);
    t->legacy = sqlfe_node_text(&L, a);
    ir_node_add_input(job, t, out);
    ir_node *in = ir_job_node(job, out);
    const sqlfe_ast *cols = (a->kind == SQ_INSERT && a->kids[1]->kind == SQ_LIST) ? a->kids[1] : NULL;
    for (int i = 0; i < in->n_cols; i++) {
        const char *nm = cols && i < cols->n_kids ? cols->kids[i]->text : in->cols[i].name;
        ir_node_add_col(job, t, nm, in->cols[i].type, ir_ref(job, out, in->cols[i].name));
    }
    if (a->kind == SQ_MERGE) {
        const sqlfe_ast *al = sqlfe_clause(target, SQ_ALIAS);
        merge_keys(job, t, a->kids[2]->kids[0], al ? al->text : target->text);
        ir_node_add_prop(job, t, "merge_actions", "see legacy text: WHEN MATCHED / NOT MATCHED clauses");
    }
    ir_job_infer_types(job);
    R->n_jobs++;
    if (R->counts)
        R->counts->jobs++;
    R->on_job(R->userdata, job);
}

static int sql_read(const char *path, const fe_options *opt, diag_ctx *dc, fe_job_fn on_job, void *userdata,
                    fe_counts *counts)
{
    (void)opt;
    srcfile *f;
    if (srcfile_load(&f, path) != 0) {
        diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "cannot read the file");
        return -1;
    }
    reader R = {path, f, sqlfe_dialect_guess(path, f->text, f->len < 65536 ? f->len : 65536), dc, on_job, userdata,
                counts, 0};
    arena *scratch = arena_new();
    sqlfe_script sc;
    sqlfe_parse_script(scratch, f->text, f->len, R.d, &sc);
    int errors = 0;
    for (int i = 0; i < sc.n_stmts; i++) {
        const sqlfe_stmt *st = &sc.stmts[i];
        if (counts)
            counts->transformations++;
        if (sqlfe_stmt_kind_parsed(st->kind) && !st->ast) {
            int line, col;
            srcfile_line_col(f, st->error_off, &line, &col);
            diag_at(dc, DIAG_ERROR, f, path, line, col, "%s", st->error);
            errors++;
            continue;
        }
        if (st->ast)
            emit_job(&R, st, scratch);
    }
    arena_free(scratch);
    srcfile_free(f);
    return errors ? -1 : 0;
}

const frontend sql_frontend = {"sql", sql_detect, sql_read};
