/*
 * sqlfe_stmt.c — one statement into the SQL-shaped IR (ir/ir_sql.h): the statement's structure is
 * kept clause for clause, every expression goes through sqlfe_expr (the dialect's semantics onto
 * the canonical function table), column names stay names.
 *
 * Names: an unquoted identifier is folded to lower case (SQL compares them case-insensitively). A
 * quoted one keeps its case where the dialect compares quoted names exactly (Oracle, DB2,
 * Netezza, Snowflake, ANSI) unless it is all upper case — "EMP" and EMP are the same name there —
 * and is folded where the dialect ignores case anyway (T-SQL's default collation, Teradata,
 * Spark).
 *
 * Oracle specifics lifted here: `WHERE ROWNUM <= n` (or `< n`) in a query block without ORDER BY
 * is a row limit; `(+)` outer joins in a comma-joined FROM become a hole (the job lowering of
 * sqlfe_lower.c lifts them where it knows the tables).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_internal.h"

typedef struct SX {
    lower_ctx *L;
    const sqlfe_ast *named; /* the current SELECT's WINDOW clause */
    const sqlfe_scope *scope;
    int plus_ok;            /* lowering the ON condition of a lifted (+) join: the marker is read */
    int semi_ok;            /* lowering a FROM item whose rows a WHERE condition may filter: a semi or
                               anti join there becomes [NOT] EXISTS (semi_conds) */
    ir_expr **semi_conds;   /* those conditions, for the SELECT being lowered */
    int n_semi, cap_semi;
    const sqlfe_ast *root;  /* the whole statement (NULL where not known): a position column of an
                               unnest that no name in it reads can be left out */
} SX;

static ir_query *query(SX *X, const sqlfe_ast *n);

/* ---- names ---- */

static int case_blind(sqlfe_dialect d)
{
    return d == SQLFE_TSQL || d == SQLFE_TERADATA || d == SQLFE_SPARK;
}

static const char *fold(SX *X, const char *text, int quoted)
{
    if (!text)
        return NULL;
    char *s = arena_strdup(X->L->job->arena, text);
    int lower = !quoted || case_blind(X->L->d);
    if (!lower) {
        lower = 1;
        for (char *c = s; *c; c++)
            if (islower((unsigned char)*c))
                lower = 0;
    }
    if (lower)
        for (char *c = s; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    return ir_intern(X->L->job, s);
}

/* A name node's text folded (the QUOTED flag covers the whole dotted name). */
static const char *name_of(SX *X, const sqlfe_ast *n)
{
    return n ? fold(X, n->text, (n->flags & SQF_QUOTED) != 0) : NULL;
}

/* A table name: T-SQL's #t / ##t are temporary tables named t (the caller marks them temporary). */
static const char *table_name(SX *X, const char *text, int quoted)
{
    const char *t = fold(X, text, quoted);
    if (t && X->L->d == SQLFE_TSQL && (t[0] == '#' || t[0] == '@')) {
        /* #t, ##t: temporary tables; @t: a table variable, which the procedural layer declares
         * as a temporary table named t */
        while (*t == '#' || *t == '@')
            t++;
        t = ir_intern(X->L->job, t);
    } else if (t && X->L->d == SQLFE_DB2 && !strncmp(t, "session.", 8) && t[8]) {
        t = ir_intern(X->L->job, t + 8); /* DB2 declared temporary tables live in schema SESSION */
    }
    return t;
}

static int is_temp_name(const SX *X, const char *text)
{
    return text && ((X->L->d == SQLFE_TSQL && text[0] == '#') ||
                    (X->L->d == SQLFE_DB2 && !strncasecmp(text, "session.", 8)));
}

static ir_expr *resolve(lower_ctx *L, void *scope, const sqlfe_ast *n)
{
    SX *X = scope;
    if ((n->flags & SQF_OUTER_PLUS) && !X->plus_ok)
        return sqlfe_hole(L, n, "Oracle (+) outer join marker that does not make one outer join");
    int var = X->scope && X->scope->is_var ? X->scope->is_var(X->scope->userdata, n->text) : 0;
    if (var == 2)
        return sqlfe_hole(L, n, "a PL/SQL collection or its method (collections have no IR form)");
    if (var && !strchr(n->text, '.')) {
        const char *v = fold(X, n->text, 0);
        if (!ir_job_param(L->job, v))
            ir_job_add_param(L->job, v)->span = sqlfe_span_at(L, n->start);
        return ir_param_ref(L->job, v);
    }
    return ir_ref(L->job, 0, name_of(X, n));
}

static ir_expr *expr(SX *X, const sqlfe_ast *n)
{
    lower_ctx *L = X->L;
    ir_expr *e = sqlfe_expr(L, n);
    return e ? e : sqlfe_hole(L, n, "expression that could not be lowered");
}

/* ---- subqueries and windows as values ---- */

static ir_expr *subquery(lower_ctx *L, const sqlfe_ast *n)
{
    SX *X = L->scope;
    const sqlfe_ast *named = X->named;
    ir_expr *e = NULL;
    switch (n->kind) {
    case SQ_SUBQUERY:
        e = ir_sub_new(L->job, IR_SUB_SCALAR, IR_FN_EQ, NULL, query(X, n->kids[0]));
        break;
    case SQ_EXISTS:
        e = ir_sub_new(L->job, IR_SUB_EXISTS, IR_FN_EQ, NULL, query(X, n->kids[0]));
        break;
    case SQ_IN: {
        const sqlfe_ast *q = n->kids[1]->kind == SQ_SUBQUERY ? n->kids[1]->kids[0] : n->kids[1];
        e = ir_sub_new(L->job, IR_SUB_IN, IR_FN_EQ, expr(X, n->kids[0]), query(X, q));
        if (n->flags & SQF_NOT)
            e = ir_call1(L->job, IR_FN_NOT, e);
        break;
    }
    case SQ_QUANTIFIED: {
        static const struct {
            const char *op;
            ir_fn fn;
        } ops[] = {{"=", IR_FN_EQ}, {"<>", IR_FN_NE}, {"!=", IR_FN_NE}, {"<", IR_FN_LT},
                   {"<=", IR_FN_LE}, {">", IR_FN_GT}, {">=", IR_FN_GE}};
        const char *t = n->text ? n->text : "";
        size_t k = strcspn(t, " ");
        ir_fn fn = IR_FN__COUNT;
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
            if (strlen(ops[i].op) == k && strncmp(t, ops[i].op, k) == 0)
                fn = ops[i].fn;
        const sqlfe_ast *q = n->kids[1];
        if (q->kind == SQ_SUBQUERY)
            q = q->kids[0];
        if (fn == IR_FN__COUNT || q->kind == SQ_LIST) {
            e = sqlfe_hole(L, n, "quantified comparison over a list or with an unknown operator");
            break;
        }
        int all = strstr(t, "ALL") != NULL;
        e = ir_sub_new(L->job, all ? IR_SUB_ALL : IR_SUB_ANY, fn, expr(X, n->kids[0]), query(X, q));
        break;
    }
    default:
        e = sqlfe_hole(L, n, "subquery");
        break;
    }
    X->named = named;
    e->span = sqlfe_span_at(L, n->start);
    return e;
}

static ir_expr *window(lower_ctx *L, const sqlfe_ast *fn)
{
    SX *X = L->scope;
    return sqlfe_window_over(L, X->named, fn);
}

/* ---- FROM ---- */

static ir_from *from_item(SX *X, const sqlfe_ast *n);

/* Is name (possibly qualified) the function fn? */
static int is_fn(const char *name, const char *fn)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    return strcasecmp(dot ? dot + 1 : name ? name : "", fn) == 0;
}

/* Is name (possibly qualified) a dialect's function that makes a row of each array element? */
static int unnests_array(const char *name)
{
    static const char *const fns[] = {"UNNEST", "FLATTEN", "EXPLODE", "EXPLODE_OUTER", "POSEXPLODE",
                                      "POSEXPLODE_OUTER", "INLINE", "INLINE_OUTER"};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (is_fn(name, fns[i]))
            return 1;
    return 0;
}

static void alias_of(SX *X, ir_from *f, const sqlfe_ast *al)
{
    if (!al || al->kind != SQ_ALIAS)
        return;
    f->alias = fold(X, al->text, 0);
    if (al->n_kids) {
        f->alias_cols = arena_alloc(X->L->job->arena, (size_t)al->n_kids * sizeof *f->alias_cols);
        for (int i = 0; i < al->n_kids; i++)
            f->alias_cols[i] = name_of(X, al->kids[i]);
        f->n_alias_cols = al->n_kids;
    }
}

/* Does a name in n (outside aliases' column lists) read the column name, or a star every column?
 * Names are compared without their qualifiers and case. */
static int reads_column(const sqlfe_ast *n, const char *name)
{
    if (!n || n->kind == SQ_ALIAS)
        return 0;
    if (n->kind == SQ_STAR)
        return 1;
    if (n->kind == SQ_NAME && n->text) {
        const char *dot = strrchr(n->text, '.');
        if (strcasecmp(dot ? dot + 1 : n->text, name) == 0)
            return 1;
    }
    for (int i = 0; i < n->n_kids; i++)
        if (reads_column(n->kids[i], name))
            return 1;
    return 0;
}

/* Is n inside t (the same node)? */
static int holds_node(const sqlfe_ast *t, const sqlfe_ast *n)
{
    if (t == n)
        return 1;
    for (int i = 0; t && i < t->n_kids; i++)
        if (holds_node(t->kids[i], n))
            return 1;
    return 0;
}

/* The innermost SELECT of t whose FROM clause holds n, or NULL. */
static const sqlfe_ast *select_around(const sqlfe_ast *t, const sqlfe_ast *n)
{
    if (!t)
        return NULL;
    for (int i = 0; i < t->n_kids; i++) {
        const sqlfe_ast *in = select_around(t->kids[i], n);
        if (in)
            return in;
    }
    return t->kind == SQ_SELECT && holds_node(sqlfe_clause(t, SQ_CL_FROM), n) ? t : NULL;
}

/* An array constructor: ARRAY[..], ARRAY(..), [..], ARRAY_CONSTRUCT(..), never NULL. */
static int constructs_array(const sqlfe_ast *e)
{
    if (!e || e->kind != SQ_FUNC || !e->text || (strcasecmp(e->text, "ARRAY") != 0 && strcasecmp(e->text, "ARRAY_CONSTRUCT") != 0))
        return 0;
    for (int i = 0; i < e->n_kids; i++)
        if (e->kids[i]->kind == SQ_QUERY || e->kids[i]->kind == SQ_WINDOW)
            return 0;
    return 1;
}

/* Is the column at position *col (-1: the one named name, found in the first SELECT) of query q an
 * array constructor in every SELECT of q? */
static int column_constructs_array(const sqlfe_ast *q, const char *name, int *col)
{
    if (!q)
        return 0;
    if (q->kind == SQ_QUERY) {
        for (int i = 0; i < q->n_kids; i++)
            if (q->kids[i]->kind != SQ_WITH)
                return column_constructs_array(q->kids[i], name, col);
        return 0;
    }
    if (q->kind == SQ_SETOP)
        return q->n_kids == 2 && column_constructs_array(q->kids[0], name, col) &&
               column_constructs_array(q->kids[1], name, col);
    const sqlfe_ast *items = q->kind == SQ_SELECT ? sqlfe_clause(q, SQ_CL_ITEMS) : NULL;
    if (!items)
        return 0;
    if (*col < 0)
        for (int i = 0; i < items->n_kids && *col < 0; i++)
            if (items->kids[i]->text && strcasecmp(items->kids[i]->text, name) == 0)
                *col = i;
    return *col >= 0 && *col < items->n_kids && items->kids[*col]->n_kids &&
           constructs_array(items->kids[*col]->kids[0]);
}

/* A name in UNNEST's arguments that reads a column of a derived table beside it (in the same FROM)
 * which every SELECT of that table makes with an array constructor: an array that is never NULL. */
static int names_constructed_array(SX *X, const sqlfe_ast *unnest, const sqlfe_ast *arg)
{
    if (!arg || arg->kind != SQ_NAME || !arg->text || strchr(arg->text, '.'))
        return 0;
    const sqlfe_ast *sel = select_around(X->root, unnest);
    const sqlfe_ast *from = sel ? sqlfe_clause(sel, SQ_CL_FROM) : NULL;
    int found = 0;
    /* the derived tables of that FROM (its joins' sides too); a base table or another derived table
     * that may hold the name makes it unknown */
    const sqlfe_ast *stack[64];
    int n = 0;
    for (int i = 0; from && i < from->n_kids && n < 64; i++)
        stack[n++] = from->kids[i];
    while (n > 0) {
        const sqlfe_ast *t = stack[--n];
        if (t->kind == SQ_JOIN) {
            for (int i = 0; i < t->n_kids && n < 64; i++)
                if (t->kids[i]->kind == SQ_JOIN || t->kids[i]->kind == SQ_DERIVED || t->kids[i]->kind == SQ_TABLE ||
                    t->kids[i]->kind == SQ_TABLE_FN)
                    stack[n++] = t->kids[i];
            continue;
        }
        if (t == unnest)
            continue;
        int col = -1;
        if (t->kind != SQ_DERIVED || !column_constructs_array(t->kids[0], arg->text, &col))
            return 0;
        found++;
    }
    return found == 1;
}

/* A row per array position (ir_sql.h, "unnest"): ANSI UNNEST(a, ..) AS t(x, ..) (Presto, Postgres),
 * Spark EXPLODE(a) and INLINE(ARRAYS_ZIP(a, ..)) (also as LATERAL VIEW .. t AS x, ..), with one
 * column name for each array. NULL when n is not one of these. The canonical unnest makes no row
 * of a NULL array and, of several, none when one is NULL (as arrays_zip); Presto and Postgres take
 * a NULL array among several as empty, so theirs are read only for arrays that are never NULL. */
static ir_from *unnest_item(SX *X, const sqlfe_ast *n, const char **why)
{
    lower_ctx *L = X->L;
    const sqlfe_ast *fn = n->kids[0], *al = n->n_kids > 1 ? n->kids[1] : NULL;
    const char *dot = strrchr(fn->text, '.');
    const char *base = dot ? dot + 1 : fn->text;
    const sqlfe_ast *const *arrays = (const sqlfe_ast *const *)fn->kids;
    int n_arrays = fn->n_kids;
    if (L->d == SQLFE_SPARK && strcasecmp(base, "INLINE") == 0 && fn->n_kids == 1 && fn->kids[0]->kind == SQ_FUNC &&
        fn->kids[0]->text && strcasecmp(fn->kids[0]->text, "ARRAYS_ZIP") == 0) {
        arrays = (const sqlfe_ast *const *)fn->kids[0]->kids;
        n_arrays = fn->kids[0]->n_kids;
    } else if (!((L->d == SQLFE_ANSI && strcasecmp(base, "UNNEST") == 0) ||
                 (L->d == SQLFE_SPARK && (strcasecmp(base, "EXPLODE") == 0 || strcasecmp(base, "POSEXPLODE") == 0) &&
                  n_arrays == 1))) {
        return NULL;
    }
    /* a position column (ANSI WITH ORDINALITY: from 1, last, named by the alias or `ordinality`;
     * Spark POSEXPLODE: from 0, first) that nothing in the statement reads changes no row: left out.
     * Spark's LATERAL VIEW POSEXPLODE and sqlglot's UNNEST .. WITH ORDINALITY differ only there */
    int ord = (n->flags & SQF_ORDINALITY) != 0, pos_first = 0;
    if (ord && !(L->d == SQLFE_ANSI && strcasecmp(base, "UNNEST") == 0))
        return NULL;
    if (L->d == SQLFE_SPARK && strcasecmp(base, "POSEXPLODE") == 0 && n_arrays == 1)
        ord = pos_first = 1;
    if (ord) {
        int named = al && al->kind == SQ_ALIAS && al->n_kids == n_arrays + 1;
        const sqlfe_ast *pos = named ? al->kids[pos_first ? 0 : n_arrays] : NULL;
        const char *pname = pos ? pos->text : pos_first ? NULL : "ordinality";
        if (!pname || !X->root || reads_column(X->root, pname)) {
            *why = "a table of array elements with a position column that the statement reads (WITH ORDINALITY "
                   "counts from 1, POSEXPLODE from 0)";
            return NULL;
        }
    }
    int n_names = al && al->kind == SQ_ALIAS ? al->n_kids - (ord && al->n_kids == n_arrays + 1) : 0;
    if (n_arrays < 1 || n_names != n_arrays) {
        /* one array with two names is a map or an array of rows (Presto's UNNEST spreads a row) */
        *why = "a table of array elements without one column name for each array";
        return NULL;
    }
    ir_from *f = ir_from_new(L->job, IR_FROM_FUNCTION);
    f->name = "unnest";
    f->unnest = true;
    f->args = arena_alloc(L->job->arena, (size_t)n_arrays * sizeof *f->args);
    for (int i = 0; i < n_arrays; i++) {
        ir_expr *a = expr(X, arrays[i]);
        if (L->d == SQLFE_ANSI && n_arrays > 1 && !sqlfe_array_never_null(a) && !names_constructed_array(X, n, arrays[i]))
            a = sqlfe_hole(L, arrays[i], "UNNEST of several arrays, one of which may be NULL (Presto and Postgres "
                                         "take it as empty, Spark's arrays_zip makes no row)");
        f->args[f->n_args++] = a;
    }
    alias_of(X, f, al);
    if (f->n_alias_cols > n_arrays) { /* the position column left out */
        if (pos_first)
            f->alias_cols++;
        f->n_alias_cols = n_arrays;
    }
    return f;
}

static ir_from *from_item(SX *X, const sqlfe_ast *n)
{
    lower_ctx *L = X->L;
    ir_from *f = NULL;
    switch (n->kind) {
    case SQ_TABLE:
        f = ir_from_new(L->job, IR_FROM_TABLE);
        f->name = table_name(X, n->text, (n->flags & SQF_QUOTED) != 0);
        alias_of(X, f, n->n_kids ? n->kids[0] : NULL);
        break;
    case SQ_DERIVED:
        f = ir_from_new(L->job, IR_FROM_QUERY);
        f->query = query(X, n->kids[0]);
        f->lateral = (n->flags & SQF_LATERAL) != 0;
        alias_of(X, f, n->n_kids > 1 ? n->kids[1] : NULL);
        if (f->alias && !f->n_alias_cols && strncmp(f->alias, "etlport_d", 9) == 0 && f->alias[9] &&
            strspn(f->alias + 9, "0123456789") == strlen(f->alias + 9))
            f->alias = NULL; /* the name the printers give a derived table that had none (sqltext.c) */
        break;
    case SQ_TABLE_FN: {
        const sqlfe_ast *fn = n->kids[0];
        f = ir_from_new(L->job, IR_FROM_FUNCTION);
        f->name = fold(X, fn->text, 0);
        f->args = arena_alloc(L->job->arena, (size_t)(fn->n_kids + 1) * sizeof *f->args);
        ir_from *u = NULL;
        const char *uwhy = NULL;
        if ((n->flags & SQF_ORDINALITY) && unnests_array(fn->text) && (u = unnest_item(X, n, &uwhy)) != NULL) {
            f = u;
            break;
        }
        if (n->flags & SQF_ORDINALITY) {
            f->args[f->n_args++] = sqlfe_hole(L, n, uwhy ? uwhy : "a table function WITH ORDINALITY (a position column from 1)");
            alias_of(X, f, n->n_kids > 1 ? n->kids[1] : NULL);
            break;
        }
        if (is_fn(fn->text, "GENERATE_SERIES")) {
            /* Postgres' (empty when start > stop) and T-SQL's (counting down then) rows of numbers:
             * neither Spark (range, end excluded; sequence) nor Snowflake has this function */
            f->args[f->n_args++] = sqlfe_hole(L, fn, "GENERATE_SERIES (rows of numbers) has no canonical form");
            alias_of(X, f, n->n_kids > 1 ? n->kids[1] : NULL);
            break;
        }
        if (unnests_array(fn->text)) {
            /* a row per array element: canonical where the dialect's form is unnest's (above);
             * otherwise each dialect names it and its output columns its own way */
            const char *why = "a table of array elements (UNNEST, FLATTEN, EXPLODE, INLINE) in a form with no "
                              "canonical meaning (FLATTEN, POSEXPLODE, OUTER generators in FROM)";
            ir_from *u = unnest_item(X, n, &why);
            if (u) {
                f = u;
                break;
            }
            f->args[f->n_args++] = sqlfe_hole(L, fn, why);
            alias_of(X, f, n->n_kids > 1 ? n->kids[1] : NULL);
            break;
        }
        /* any other table function (STRING_SPLIT, OPENJSON, TABLE(GENERATOR(..)), a user's table
         * function): its rows and columns are the function's own, none has a canonical form */
        f->args[f->n_args++] = sqlfe_hole(L, fn, arena_printf(L->job->arena, "table function %s has no canonical form",
                                                              fn->text ? fn->text : "?"));
        alias_of(X, f, n->n_kids > 1 ? n->kids[1] : NULL);
        break;
    }
    case SQ_JOIN: {
        const char *k = n->text ? n->text : "INNER";
        int semi = !strcasecmp(k, "SEMI"), anti = !strcasecmp(k, "ANTI");
        if (semi || anti) {
            /* t SEMI JOIN u ON c keeps t's rows where EXISTS (SELECT 1 FROM u WHERE c); ANTI: NOT
             * EXISTS. Only where the FROM's rows may be filtered afterwards (not under the optional
             * side of an outer join) */
            if (!X->semi_ok || n->n_kids < 3 || n->kids[2]->kind != SQ_ON) {
                f = from_item(X, n->kids[0]);
                ir_from *j = ir_from_new(L->job, IR_FROM_JOIN);
                j->join = IR_JOIN_INNER;
                j->left = f;
                j->right = from_item(X, n->kids[1]);
                j->on = sqlfe_hole(L, n, "SEMI/ANTI JOIN under an outer join or without ON");
                f = j;
                break;
            }
            f = from_item(X, n->kids[0]);
            int saved = X->semi_ok;
            X->semi_ok = 0;
            ir_query *sq = ir_query_new(L->job, IR_Q_SELECT);
            int icap = 0, fcap = 0;
            ir_select_item one = {ir_lit_int(L->job, 1), NULL, NULL, NULL, 0};
            ARENA_PUSH(L->job->arena, sq->items, sq->n_items, icap, one);
            ir_from *r = from_item(X, n->kids[1]);
            ARENA_PUSH(L->job->arena, sq->from, sq->n_from, fcap, r);
            sq->where = expr(X, n->kids[2]->kids[0]);
            X->semi_ok = saved;
            ir_expr *ex = ir_sub_new(L->job, IR_SUB_EXISTS, IR_FN_EQ, NULL, sq);
            if (anti)
                ex = ir_call1(L->job, IR_FN_NOT, ex);
            ARENA_PUSH(L->job->arena, X->semi_conds, X->n_semi, X->cap_semi, ex);
            break;
        }
        f = ir_from_new(L->job, IR_FROM_JOIN);
        f->join = !strcasecmp(k, "LEFT") ? IR_JOIN_LEFT : !strcasecmp(k, "RIGHT") ? IR_JOIN_RIGHT
                  : !strcasecmp(k, "FULL") ? IR_JOIN_FULL : !strcasecmp(k, "CROSS") ? IR_JOIN_CROSS
                                                                                     : IR_JOIN_INNER;
        f->natural = (n->flags & SQF_NATURAL) != 0;
        if (n->flags & SQF_APPLY) {
            /* CROSS APPLY: an inner lateral join; OUTER APPLY: a left lateral join ON TRUE */
            f->left = from_item(X, n->kids[0]);
            f->right = from_item(X, n->kids[1]);
            if (f->right && f->right->kind == IR_FROM_QUERY)
                f->right->lateral = true;
            if (f->join == IR_JOIN_LEFT)
                f->on = ir_lit_bool(L->job, true);
            else
                f->join = IR_JOIN_CROSS;
            break;
        }
        /* the left side of an inner, left or cross join may still be filtered later; the right
         * side of any join, and both sides of a right or full join, may not */
        int saved = X->semi_ok;
        X->semi_ok = saved && (f->join == IR_JOIN_INNER || f->join == IR_JOIN_LEFT || f->join == IR_JOIN_CROSS);
        f->left = from_item(X, n->kids[0]);
        X->semi_ok = 0;
        f->right = from_item(X, n->kids[1]);
        X->semi_ok = saved;
        if (n->n_kids > 2 && n->kids[2]->kind == SQ_ON) {
            f->on = expr(X, n->kids[2]->kids[0]);
        } else if (n->n_kids > 2 && n->kids[2]->kind == SQ_USING) {
            const sqlfe_ast *u = n->kids[2];
            f->using_cols = arena_alloc(L->job->arena, (size_t)(u->n_kids + 1) * sizeof *f->using_cols);
            for (int i = 0; i < u->n_kids; i++)
                f->using_cols[f->n_using++] = name_of(X, u->kids[i]);
        }
        break;
    }
    default:
        f = ir_from_new(L->job, IR_FROM_TABLE);
        f->name = "?";
        break;
    }
    if (f)
        f->span = sqlfe_span_at(L, n->start);
    return f;
}

/* ---- queries ---- */

static void order_items(SX *X, const sqlfe_ast *ord, ir_sort_key **out, int *n)
{
    lower_ctx *L = X->L;
    *out = arena_alloc(L->job->arena, (size_t)(ord->n_kids + 1) * sizeof **out);
    *n = 0;
    for (int i = 0; i < ord->n_kids; i++) {
        const sqlfe_ast *oi = ord->kids[i];
        ir_sort_key k = {expr(X, oi->kids[0]), (oi->flags & SQF_DESC) != 0, 0};
        k.nulls = (oi->flags & SQF_NULLS_FIRST) ? 1 : (oi->flags & SQF_NULLS_LAST) ? 2 : sqlfe_default_nulls(L->d, k.desc);
        (*out)[(*n)++] = k;
    }
}

/* Oracle: a `ROWNUM <= n` / `ROWNUM < n` / `ROWNUM = 1` conjunct of where (an AND tree) is removed
 * and its count returned (the conjunct in *hit), or -1. */
static long long take_rownum(const sqlfe_ast *w, const sqlfe_ast **rest, const sqlfe_ast **hit, arena *a)
{
    if (!w)
        return -1;
    if (w->kind == SQ_BINARY && w->n_kids == 2 && w->kids[0]->kind == SQ_NAME &&
        !(w->kids[0]->flags & SQF_QUOTED) && strcasecmp(w->kids[0]->text, "ROWNUM") == 0 &&
        w->kids[1]->kind == SQ_NUM && (!strcmp(w->text, "<=") || !strcmp(w->text, "<") || !strcmp(w->text, "="))) {
        char *end;
        long long v = strtoll(w->kids[1]->text, &end, 10);
        /* ROWNUM = 1 keeps the first row, as ROWNUM <= 1 does (a row is numbered when it passes);
         * ROWNUM = n for another n keeps none and stays a hole */
        if (*end || v < 0 || (!strcmp(w->text, "=") && v != 1))
            return -1;
        *rest = NULL;
        *hit = w;
        return !strcmp(w->text, "<") ? (v > 0 ? v - 1 : 0) : v;
    }
    if (w->kind == SQ_BINARY && w->text && !strcmp(w->text, "AND")) {
        for (int i = 0; i < 2; i++) {
            const sqlfe_ast *r = NULL;
            long long v = take_rownum(w->kids[i], &r, hit, a);
            if (v < 0)
                continue;
            if (!r) {
                *rest = w->kids[1 - i];
                return v;
            }
            /* what is left of this side, AND the other side: both conditions stay */
            sqlfe_ast *and = arena_alloc(a, sizeof *and);
            *and = *w;
            and->kids = arena_alloc(a, 2 * sizeof *and->kids);
            and->kids[i] = (sqlfe_ast *)r;
            and->kids[1 - i] = w->kids[1 - i];
            *rest = and;
            return v;
        }
    }
    return -1;
}

/* Whether a select list computes over its rows: an aggregate or a window call outside subqueries.
 * Oracle numbers the rows (ROWNUM) before it aggregates, numbers windows or sorts. */
static int computes_over_rows(const sqlfe_ast *n)
{
    if (!n || n->kind == SQ_QUERY || n->kind == SQ_SUBQUERY || n->kind == SQ_EXISTS)
        return 0;
    if (n->kind == SQ_FUNC && n->text) {
        const char *dot = strrchr(n->text, '.');
        if (sqlfe_clause(n, SQ_WINDOW) || sqlfe_is_aggregate_name(dot ? dot + 1 : n->text))
            return 1;
    }
    for (int i = 0; i < n->n_kids; i++)
        if (computes_over_rows(n->kids[i]))
            return 1;
    return 0;
}

static ir_expr *count_expr(SX *X, const sqlfe_ast *n)
{
    if (!n || n->kind == SQ_EMPTY)
        return ir_lit_int(X->L->job, 1); /* FETCH FIRST ROW ONLY */
    return expr(X, n);
}

/* ---- Oracle (+) outer joins ----
 * In a comma-joined FROM, a WHERE conjunct whose (+)-marked columns all belong to one table T
 * makes T the optional side of an outer join: FROM a, b WHERE a.x = b.y(+) AND b.z(+) = 1 is
 * FROM a LEFT JOIN b ON a.x = b.y AND b.z = 1. The tables are joined in FROM order, each optional
 * one after the tables its conditions name; conjuncts without a marker stay in WHERE (an inner
 * join's condition there means the same). Unqualified marked columns, marks on several tables in
 * one conjunct, a conjunct with OR around a mark, or a mark in a FROM that already has JOINs keep
 * the hole. */

#define PLUS_MAX 32

typedef struct plus_item {
    const sqlfe_ast *ast; /* SQ_TABLE / SQ_DERIVED */
    const char *alias;    /* what columns qualify it with */
    const char *name;     /* a table's name */
    const sqlfe_ast *on[PLUS_MAX]; /* its (+) conjuncts */
    int n_on;
    int placed;
} plus_item;

static void conjuncts(const sqlfe_ast *w, const sqlfe_ast **out, int *n, int max)
{
    if (w && w->kind == SQ_BINARY && w->text && !strcmp(w->text, "AND") && w->n_kids == 2) {
        conjuncts(w->kids[0], out, n, max);
        conjuncts(w->kids[1], out, n, max);
    } else if (w && *n < max) {
        out[(*n)++] = w;
    }
}

/* Qualifiers of the names in n (not in subqueries): marked ones into plus[], others into any[];
 * *bad when a marked name is unqualified or under an OR. */
static void qualifiers(const sqlfe_ast *n, const char **plus, int *np, const char **any, int *na, int *bad, int under_or)
{
    if (!n || n->kind == SQ_QUERY || n->kind == SQ_SUBQUERY || n->kind == SQ_EXISTS)
        return;
    if (n->kind == SQ_NAME) {
        const char *dot = strrchr(n->text, '.');
        if (n->flags & SQF_OUTER_PLUS) {
            if (!dot || under_or || *np >= PLUS_MAX)
                *bad = 1;
            else
                plus[(*np)++] = n->text;
        } else if (dot && *na < PLUS_MAX) {
            any[(*na)++] = n->text;
        }
        return;
    }
    int o = under_or || (n->kind == SQ_BINARY && n->text && !strcmp(n->text, "OR"));
    for (int i = 0; i < n->n_kids; i++)
        qualifiers(n->kids[i], plus, np, any, na, bad, o);
}

/* The FROM item a qualified column name belongs to, or -1. */
static int owner(const plus_item *it, int n, const char *col)
{
    const char *dot = strrchr(col, '.');
    size_t q = (size_t)(dot - col);
    for (int i = 0; i < n; i++) {
        const char *a = it[i].alias ? it[i].alias : it[i].name;
        if (a && strlen(a) == q && strncasecmp(a, col, q) == 0)
            return i;
        if (!it[i].alias && it[i].name) { /* schema.table.col against schema.table or table */
            const char *base = strrchr(it[i].name, '.');
            base = base ? base + 1 : it[i].name;
            if (strlen(base) == q && strncasecmp(base, col, q) == 0)
                return i;
        }
    }
    return -1;
}

static int has_plus(const sqlfe_ast *n)
{
    if (!n || n->kind == SQ_QUERY || n->kind == SQ_SUBQUERY || n->kind == SQ_EXISTS)
        return 0;
    if (n->kind == SQ_NAME)
        return (n->flags & SQF_OUTER_PLUS) != 0;
    for (int i = 0; i < n->n_kids; i++)
        if (has_plus(n->kids[i]))
            return 1;
    return 0;
}

static ir_expr *and_of(SX *X, const sqlfe_ast *const *c, int n)
{
    ir_expr *e = NULL;
    for (int i = 0; i < n; i++) {
        ir_expr *x = expr(X, c[i]);
        e = e ? ir_call2(X->L->job, IR_FN_AND, e, x) : x;
    }
    return e;
}

/* Lifts the (+) joins of a SELECT: sets q->from (one join tree) and returns the WHERE conjuncts
 * left (*n_rest of them in rest[]); returns 0 when the shape is not one it lifts. */
static int lift_plus(SX *X, ir_query *q, const sqlfe_ast *from, const sqlfe_ast *where, const sqlfe_ast **rest,
                     int *n_rest)
{
    lower_ctx *L = X->L;
    if (!from || !where || from->n_kids < 2 || from->n_kids > PLUS_MAX || !has_plus(where))
        return 0;
    plus_item it[PLUS_MAX];
    memset(it, 0, sizeof it);
    int n = from->n_kids;
    for (int i = 0; i < n; i++) {
        const sqlfe_ast *f = from->kids[i];
        if (f->kind != SQ_TABLE && f->kind != SQ_DERIVED)
            return 0;
        it[i].ast = f;
        const sqlfe_ast *al = f->kind == SQ_TABLE ? (f->n_kids ? f->kids[0] : NULL) : (f->n_kids > 1 ? f->kids[1] : NULL);
        it[i].alias = al && al->kind == SQ_ALIAS ? al->text : NULL;
        it[i].name = f->kind == SQ_TABLE ? f->text : NULL;
    }
    const sqlfe_ast *cj[256];
    int nc = 0;
    conjuncts(where, cj, &nc, 256);
    *n_rest = 0;
    int deps[PLUS_MAX][PLUS_MAX];
    memset(deps, 0, sizeof deps);
    for (int k = 0; k < nc; k++) {
        const char *plus[PLUS_MAX], *any[PLUS_MAX];
        int np = 0, na = 0, bad = 0;
        qualifiers(cj[k], plus, &np, any, &na, &bad, 0);
        if (bad)
            return 0;
        if (!np) {
            rest[(*n_rest)++] = cj[k];
            continue;
        }
        int t = owner(it, n, plus[0]);
        for (int i = 1; i < np && t >= 0; i++)
            if (owner(it, n, plus[i]) != t)
                t = -1;
        if (t < 0 || it[t].n_on >= PLUS_MAX)
            return 0;
        for (int i = 0; i < na; i++) {
            int o = owner(it, n, any[i]);
            if (o < 0 || o == t)
                return 0; /* an unmarked column of the optional table, or an unknown qualifier */
            deps[t][o] = 1;
        }
        it[t].on[it[t].n_on++] = cj[k];
    }
    /* join in FROM order; an optional table waits for the tables its conditions name */
    ir_from *tree = NULL;
    for (int placed = 0, guard = 0; placed < n && guard <= n; guard++) {
        int progress = 0;
        for (int i = 0; i < n; i++) {
            if (it[i].placed)
                continue;
            int ready = 1;
            for (int o = 0; o < n; o++)
                if (deps[i][o] && !it[o].placed)
                    ready = 0;
            if (!ready || (it[i].n_on && !tree))
                continue;
            ir_from *f = from_item(X, it[i].ast);
            if (!tree) {
                tree = f;
            } else {
                ir_from *j = ir_from_new(L->job, IR_FROM_JOIN);
                j->left = tree;
                j->right = f;
                if (it[i].n_on) {
                    j->join = IR_JOIN_LEFT;
                    X->plus_ok = 1;
                    j->on = and_of(X, it[i].on, it[i].n_on);
                    X->plus_ok = 0;
                } else {
                    j->join = IR_JOIN_CROSS;
                }
                tree = j;
            }
            it[i].placed = 1;
            placed++;
            progress = 1;
        }
        if (!progress)
            return 0; /* circular: a (+) on both sides */
    }
    q->from = arena_alloc(L->job->arena, sizeof *q->from);
    q->from[0] = tree;
    q->n_from = 1;
    return 1;
}

/* QUALIFY may name the select list's aliases (Snowflake, Teradata): each unqualified name that is
 * an item's alias stands for that item's expression (the canonical form holds no alias references,
 * so a rewrite without QUALIFY means the same). */
static ir_expr *alias_refs(SX *X, const ir_query *q, ir_expr *e)
{
    if (!e)
        return e;
    if (e->kind == IR_EX_REF && e->u.ref.node == 0 && !strchr(e->u.ref.col, '.')) {
        for (int i = 0; i < q->n_items; i++)
            if (q->items[i].alias && q->items[i].expr && !strcmp(q->items[i].alias, e->u.ref.col))
                return ir_expr_copy(X->L->job, q->items[i].expr);
        return e;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            e->u.call.args[i] = alias_refs(X, q, e->u.call.args[i]);
    return e;
}

static void star_from(lower_ctx *L, ir_query *w, ir_query *q);

/* The names a star leaves out: Snowflake * EXCLUDE (a, ..) | EXCLUDE a, Databricks (and BigQuery's,
 * read as ANSI) * EXCEPT (a, ..), Redshift's EXCLUDE list (x: SQ_FUNC "EXCLUDE" of names). Returns
 * their count (into *out), 0 when x is no such list. */
static int excluded_names(SX *X, const sqlfe_ast *x, const char ***out)
{
    lower_ctx *L = X->L;
    int first = 0;
    if (x && x->kind == SQ_FUNC && x->text && x->n_kids >= 2 && x->kids[0]->kind == SQ_STAR &&
        ((strcmp(x->text, "* EXCLUDE") == 0 && (L->d == SQLFE_SNOWFLAKE || L->d == SQLFE_ANSI)) ||
         (strcmp(x->text, "* EXCEPT") == 0 && (L->d == SQLFE_SPARK || L->d == SQLFE_ANSI))))
        first = 1;
    else if (!(x && x->kind == SQ_FUNC && x->text && strcmp(x->text, "EXCLUDE") == 0 && x->n_kids >= 1))
        return 0;
    for (int i = first; i < x->n_kids; i++)
        if (x->kids[i]->kind != SQ_NAME || strchr(x->kids[i]->text, '.'))
            return 0;
    *out = arena_alloc(L->job->arena, (size_t)x->n_kids * sizeof **out);
    for (int i = first; i < x->n_kids; i++)
        (*out)[i - first] = name_of(X, x->kids[i]);
    return x->n_kids - first;
}

static ir_query *select_block(SX *X, const sqlfe_ast *s, const sqlfe_ast *order_clause)
{
    lower_ctx *L = X->L;
    ir_query *q = ir_query_new(L->job, IR_Q_SELECT);
    q->span = sqlfe_span_at(L, s->start);
    q->distinct = (s->flags & SQF_DISTINCT) != 0;
    const sqlfe_ast *saved_named = X->named;
    X->named = sqlfe_clause(s, SQ_CL_WINDOW);
    const sqlfe_ast *items = sqlfe_clause(s, SQ_CL_ITEMS), *from = sqlfe_clause(s, SQ_CL_FROM),
                    *where = sqlfe_clause(s, SQ_CL_WHERE), *group = sqlfe_clause(s, SQ_CL_GROUP),
                    *having = sqlfe_clause(s, SQ_CL_HAVING), *qual = sqlfe_clause(s, SQ_CL_QUALIFY),
                    *top = sqlfe_clause(s, SQ_CL_TOP);
    const sqlfe_ast *rest[256];
    /* Oracle's (+) outer-join marker; Snowflake reads it with the same meaning */
    int n_rest = 0, lifted = (L->d == SQLFE_ORACLE || L->d == SQLFE_SNOWFLAKE) &&
                             lift_plus(X, q, from, where ? where->kids[0] : NULL, rest, &n_rest);
    int fcap = 0;
    ir_expr **semi_saved = X->semi_conds;
    int n_semi_saved = X->n_semi, cap_semi_saved = X->cap_semi, semi_ok_saved = X->semi_ok;
    X->semi_conds = NULL;
    X->n_semi = X->cap_semi = 0;
    for (int i = 0; !lifted && from && i < from->n_kids; i++) {
        X->semi_ok = 1;
        ir_from *f = from_item(X, from->kids[i]);
        if (f)
            ARENA_PUSH(L->job->arena, q->from, q->n_from, fcap, f);
    }
    X->semi_ok = semi_ok_saved;
    ir_expr **semi = X->semi_conds;
    int n_semi = X->n_semi;
    X->semi_conds = semi_saved;
    X->n_semi = n_semi_saved;
    X->cap_semi = cap_semi_saved;
    int cap = 0;
    const sqlfe_ast *list_exclude = NULL; /* Redshift: columns left out of the whole list */
    const char **list_names = NULL;
    int n_list_names = 0;
    for (int i = 0; items && i < items->n_kids; i++) {
        const sqlfe_ast *it = items->kids[i];
        ir_select_item si = {NULL, NULL, NULL, NULL, 0};
        const sqlfe_ast *x = it->n_kids ? it->kids[0] : NULL;
        const char **ex = NULL;
        int n_ex = excluded_names(X, x, &ex);
        if (n_ex && (strcmp(x->text, "EXCLUDE") == 0 || (L->d == SQLFE_ANSI && strcmp(x->text, "* EXCLUDE") == 0 &&
                                                         items->n_kids > 1))) {
            /* Redshift's EXCLUDE, after the last item or after a star among others, leaves the
             * names out of the whole list: SELECT * EXCLUDE (..) FROM (the query without it) */
            list_exclude = x;
            list_names = ex;
            n_list_names = n_ex;
            if (strcmp(x->text, "EXCLUDE") == 0)
                continue;
            x = x->kids[0];
        } else if (n_ex) {
            si.except = ex;
            si.n_except = n_ex;
            x = x->kids[0];
        }
        if (x && x->kind == SQ_STAR) {
            si.star = x->text ? arena_printf(L->job->arena, "%s.*", fold(X, x->text, (x->flags & SQF_QUOTED) != 0)) : "*";
        } else if (x) {
            si.expr = expr(X, x);
        }
        if (it->text && it->text[0] == '@') {
            /* T-SQL SELECT @v = expr sets a variable: never a column named "@v" */
            si.expr = sqlfe_hole(L, it, "a variable assignment (@v = expr) where the statement is read as a query");
        } else if (it->text) {
            si.alias = fold(X, it->text, 0);
        }
        ARENA_PUSH(L->job->arena, q->items, q->n_items, cap, si);
    }
    const sqlfe_ast *w = where ? where->kids[0] : NULL;
    if (L->d == SQLFE_ORACLE && w) {
        const sqlfe_ast *rest = w, *hit = NULL;
        long long v = take_rownum(w, &rest, &hit, L->scratch);
        /* DISTINCT of the first row alone is that row, as LIMIT 1 after DISTINCT keeps one */
        if (v >= 0 && !order_clause && !group && !having && (!q->distinct || v <= 1) && !computes_over_rows(items)) {
            q->limit = ir_lit_int(L->job, v);
            w = rest;
        } else if (v >= 0) {
            /* a LIMIT would count the rows after them, ROWNUM counts them before */
            q->limit = sqlfe_hole(L, hit, "ROWNUM <= n keeps the first n rows before ORDER BY, GROUP BY, aggregates, DISTINCT "
                                          "and window functions; a LIMIT would apply after them");
            w = rest;
        }
    }
    if (lifted)
        q->where = and_of(X, rest, n_rest);
    else if (w)
        q->where = expr(X, w);
    for (int i = 0; i < n_semi; i++) /* the semi and anti joins' [NOT] EXISTS */
        q->where = q->where ? ir_call2(L->job, IR_FN_AND, q->where, semi[i]) : semi[i];
    const sqlfe_ast *g0 = group && group->n_kids == 1 ? group->kids[0] : NULL;
    if (g0 && g0->kind == SQ_GROUPING && g0->text && (!strcasecmp(g0->text, "ROLLUP") || !strcasecmp(g0->text, "CUBE"))) {
        /* GROUP BY ROLLUP (a, b) / CUBE (a, b): the keys, and which */
        q->group_kind = !strcasecmp(g0->text, "ROLLUP") ? IR_GROUP_ROLLUP : IR_GROUP_CUBE;
        q->group = arena_alloc(L->job->arena, (size_t)(g0->n_kids + 1) * sizeof *q->group);
        for (int i = 0; i < g0->n_kids; i++)
            q->group[q->n_group++] = g0->kids[i]->kind == SQ_LIST
                                         ? sqlfe_hole(L, g0->kids[i], "composite column in ROLLUP / CUBE")
                                         : expr(X, g0->kids[i]);
    } else if (group) {
        q->group = arena_alloc(L->job->arena, (size_t)(group->n_kids + 1) * sizeof *q->group);
        for (int i = 0; i < group->n_kids; i++) {
            const sqlfe_ast *g = group->kids[i];
            q->group[q->n_group++] = g->kind == SQ_GROUPING
                                         ? sqlfe_hole(L, g, "ROLLUP / CUBE / GROUPING SETS")
                                         : expr(X, g);
        }
    }
    if (having)
        q->having = expr(X, having->kids[0]);
    if (qual)
        q->qualify = alias_refs(X, q, expr(X, qual->kids[0]));
    if (top) {
        if (top->flags & (SQF_PERCENT | SQF_WITH_TIES))
            q->limit = sqlfe_hole(L, top, "TOP n PERCENT / WITH TIES");
        else
            q->limit = count_expr(X, top->n_kids ? top->kids[0] : NULL);
    }
    if (sqlfe_clause(s, SQ_CL_CONNECT))
        q->where = sqlfe_hole(L, sqlfe_clause(s, SQ_CL_CONNECT), "hierarchical query (CONNECT BY)");
    if (sqlfe_clause(s, SQ_CL_SAMPLE))
        q->where = sqlfe_hole(L, sqlfe_clause(s, SQ_CL_SAMPLE), "SAMPLE / TABLESAMPLE: a random subset");
    X->named = saved_named;
    if (list_exclude) {
        ir_query *w = ir_query_new(L->job, IR_Q_SELECT);
        w->span = q->span;
        star_from(L, w, q);
        if (q->distinct || q->limit) { /* before or after the columns are left out: not documented */
            w->items[0].star = NULL;
            w->items[0].expr = sqlfe_hole(L, list_exclude, "Redshift's EXCLUDE with DISTINCT or TOP");
        } else {
            w->items[0].except = list_names;
            w->items[0].n_except = n_list_names;
        }
        return w;
    }
    return q;
}

/* w becomes SELECT * FROM (q): a query that needs another level (ORDER BY over a set operation
 * that already has one, CTEs over a query that has its own). */
static void star_from(lower_ctx *L, ir_query *w, ir_query *q)
{
    w->items = arena_alloc(L->job->arena, sizeof *w->items);
    w->items[0].star = "*";
    w->n_items = 1;
    ir_from *d = ir_from_new(L->job, IR_FROM_QUERY);
    d->query = q;
    w->from = arena_alloc(L->job->arena, sizeof *w->from);
    w->from[0] = d;
    w->n_from = 1;
}


/* q under the CTEs of a WITH clause (they come first so their names are known to the body; they
 * are names either way). */
static ir_query *with_ctes(SX *X, const sqlfe_ast *with, ir_query *q)
{
    lower_ctx *L = X->L;
    ir_query *wrap = q;
    if (q->n_ctes || q->n_order || q->limit) {
        wrap = ir_query_new(L->job, IR_Q_SELECT);
        star_from(L, wrap, q);
    }
    wrap->recursive = (with->flags & SQF_RECURSIVE) != 0;
    wrap->ctes = arena_alloc(L->job->arena, (size_t)(with->n_kids + 1) * sizeof *wrap->ctes);
    for (int i = 0; i < with->n_kids; i++) {
        const sqlfe_ast *c = with->kids[i];
        ir_cte *ct = &wrap->ctes[wrap->n_ctes++];
        ct->name = fold(X, c->text, 0);
        if (c->n_kids > 1 && c->kids[0]->kind == SQ_LIST) {
            ct->cols = arena_alloc(L->job->arena, (size_t)(c->kids[0]->n_kids + 1) * sizeof *ct->cols);
            for (int k = 0; k < c->kids[0]->n_kids; k++)
                ct->cols[ct->n_cols++] = name_of(X, c->kids[0]->kids[k]);
        }
        ct->query = query(X, c->kids[c->n_kids - 1]);
        if (sqlfe_ast_names_table(c->kids[c->n_kids - 1], c->text))
            wrap->recursive = true;
    }
    return wrap;
}
static ir_query *query(SX *X, const sqlfe_ast *n)
{
    lower_ctx *L = X->L;
    if (!n)
        return ir_query_new(L->job, IR_Q_SELECT);
    switch (n->kind) {
    case SQ_SELECT:
        return select_block(X, n, NULL);
    case SQ_SETOP: {
        const char *op = n->text ? n->text : "UNION";
        ir_query *q = ir_query_new(L->job, !strcasecmp(op, "INTERSECT") ? IR_Q_INTERSECT
                                           : !strcasecmp(op, "UNION")   ? IR_Q_UNION
                                                                        : IR_Q_EXCEPT);
        q->all = (n->flags & SQF_ALL) != 0;
        q->left = query(X, n->kids[0]);
        q->right = query(X, n->kids[1]);
        q->span = sqlfe_span_at(L, n->start);
        return q;
    }
    case SQ_VALUES: {
        ir_query *q = ir_query_new(L->job, IR_Q_VALUES);
        q->n_rows = n->n_kids;
        q->n_items = n->n_kids ? n->kids[0]->n_kids : 0;
        q->rows = arena_alloc(L->job->arena, (size_t)(q->n_rows * q->n_items + 1) * sizeof *q->rows);
        for (int r = 0; r < n->n_kids; r++)
            for (int i = 0; i < q->n_items; i++)
                q->rows[r * q->n_items + i] = i < n->kids[r]->n_kids ? expr(X, n->kids[r]->kids[i]) : ir_lit_null(L->job);
        return q;
    }
    case SQ_SUBQUERY:
        return query(X, n->kids[0]);
    case SQ_QUERY: {
        const sqlfe_ast *with = sqlfe_clause(n, SQ_WITH), *ord = sqlfe_clause(n, SQ_CL_ORDER),
                        *lim = sqlfe_clause(n, SQ_CL_LIMIT), *off = sqlfe_clause(n, SQ_CL_OFFSET),
                        *fetch = sqlfe_clause(n, SQ_CL_FETCH);
        const sqlfe_ast *body = NULL;
        for (int i = 0; i < n->n_kids; i++) {
            sqlfe_kind k = n->kids[i]->kind;
            if (k == SQ_SELECT || k == SQ_SETOP || k == SQ_VALUES || k == SQ_QUERY)
                body = n->kids[i];
        }
        ir_query *q;
        if (body && body->kind == SQ_SELECT)
            q = select_block(X, body, ord);
        else
            q = query(X, body);
        if (with)
            q = with_ctes(X, with, q);
        if (ord) {
            if (q->n_order || (q->limit && !(body && body->kind == SQ_SELECT))) {
                ir_query *outer = ir_query_new(L->job, IR_Q_SELECT);
                star_from(L, outer, q);
                q = outer;
            }
            order_items(X, ord, &q->order, &q->n_order);
        }
        if (lim || fetch) {
            ir_expr *count = count_expr(X, (lim ? lim : fetch)->n_kids ? (lim ? lim : fetch)->kids[0] : NULL);
            if (fetch && !lim && (fetch->flags & (SQF_PERCENT | SQF_WITH_TIES)))
                /* a share of the rows, or the last row's peers too: no plain row count */
                q->limit = sqlfe_hole(L, fetch, "FETCH FIRST n PERCENT / WITH TIES");
            else if (count && count->kind == IR_EX_LIT && count->u.lit.kind == IR_LIT_NULL)
                ; /* LIMIT NULL (Snowflake, Postgres): no limit */
            else if (q->limit) /* TOP (or ROWNUM) and FETCH both */
                q->limit = sqlfe_hole(L, lim ? lim : fetch, "two row limits on one query (TOP or ROWNUM, and FETCH/LIMIT)");
            else
                q->limit = count;
        }
        if (off)
            q->offset = expr(X, off->kids[0]);
        return q;
    }
    default: {
        ir_query *q = ir_query_new(L->job, IR_Q_SELECT);
        q->items = arena_alloc(L->job->arena, sizeof *q->items);
        q->items[0].expr = sqlfe_hole(L, n, "query form not lowered");
        q->n_items = 1;
        return q;
    }
    }
}

/* ---- statements ---- */

/* Column k of s from the coldef c: its DEFAULT (lowered from its text; what is not an expression
 * is a hole) and NOT NULL. ddl: the text c's offsets index (the statement, or a rewritten one). */
static void column_attrs(SX *X, ir_stmt *s, int k, const sqlfe_ast *c, const char *ddl, size_t ddl_len)
{
    lower_ctx *L = X->L;
    const sqlfe_ast *df = sqlfe_clause(c, SQ_DEFAULT);
    if (df || (c->flags & SQF_NOT_NULL)) {
        if (!s->col_defaults) {
            s->col_defaults = arena_alloc(L->job->arena, (size_t)(k + 64) * sizeof *s->col_defaults);
            s->col_not_null = arena_alloc(L->job->arena, (size_t)(k + 64) * sizeof *s->col_not_null);
        }
    }
    if (!s->col_defaults)
        return;
    if (k >= 64 && !(k & (k - 1))) { /* grow at powers of two past the first 64 */
        s->col_defaults = arena_grow(L->job->arena, s->col_defaults, (size_t)k, (size_t)(2 * k), sizeof *s->col_defaults);
        s->col_not_null = arena_grow(L->job->arena, s->col_not_null, (size_t)k, (size_t)(2 * k), sizeof *s->col_not_null);
    }
    s->col_not_null[k] = (c->flags & SQF_NOT_NULL) != 0;
    if (df && df->text) {
        ir_span b = sqlfe_span_at(L, 0);
        (void)ddl;
        (void)ddl_len;
        ir_expr *e = sqlfe_lower_scalar(L->job, df->text, strlen(df->text), L->d, X->scope, b, NULL);
        s->col_defaults[k] = e ? e : ir_hole(L->job, df->text, "a DEFAULT that is not an expression");
    }
}

static const char *text_of(lower_ctx *L, const sqlfe_ast *n)
{
    return arena_strndup(L->job->arena, L->sql + n->start, n->end - n->start);
}

static void assignments(SX *X, ir_stmt *s, const sqlfe_ast *set)
{
    lower_ctx *L = X->L;
    s->cols = arena_alloc(L->job->arena, (size_t)(set->n_kids + 1) * sizeof *s->cols);
    s->values = arena_alloc(L->job->arena, (size_t)(set->n_kids + 1) * sizeof *s->values);
    for (int i = 0; i < set->n_kids; i++) {
        const sqlfe_ast *a = set->kids[i];
        if (a->kids[0]->kind != SQ_NAME) {
            s->cols[s->n_cols] = "?";
            s->values[s->n_cols++] = sqlfe_hole(L, a, "assignment of a row value (SET (a, b) = ...)");
            continue;
        }
        const char *c = name_of(X, a->kids[0]);
        const char *dot = strrchr(c, '.'); /* SET t.c = ..: the target's column */
        s->cols[s->n_cols] = dot ? dot + 1 : c;
        s->values[s->n_cols++] = expr(X, a->kids[1]);
    }
}

typedef struct del_check {
    const char *source;      /* the MERGE source's alias or table name, NULL when neither */
    const ir_merge_clause *u; /* the update whose SET columns the condition must not read */
    const char *why;
} del_check;

static bool del_check_ref(ir_expr *e, void *ud)
{
    del_check *k = ud;
    if (e->kind == IR_EX_QUERY) {
        k->why = "MERGE .. DELETE WHERE with a subquery";
        return true;
    }
    if (e->kind != IR_EX_REF || !e->u.ref.col)
        return false;
    const char *col = e->u.ref.col, *dot = strrchr(col, '.');
    if (dot && k->source && strlen(k->source) == (size_t)(dot - col) &&
        strncasecmp(col, k->source, (size_t)(dot - col)) == 0)
        return false; /* a source column: the update does not change it */
    const char *name = dot ? dot + 1 : col;
    for (int i = 0; i < k->u->n; i++)
        if (k->u->cols && k->u->cols[i] && strcasecmp(k->u->cols[i], name) == 0) {
            k->why = "MERGE .. DELETE WHERE on a column the update sets (Oracle tests the updated value)";
            return true;
        }
    return false;
}

/* Why Oracle's DELETE WHERE d of update u cannot be tested ahead of the update, or NULL. */
static const char *merge_delete_reads_update(SX *X, const ir_stmt *s, const ir_merge_clause *u, ir_expr *d)
{
    (void)X;
    del_check k = {NULL, u, NULL};
    if (s->from && s->from->alias)
        k.source = s->from->alias;
    else if (s->from && s->from->kind == IR_FROM_TABLE && s->from->name)
        k.source = strrchr(s->from->name, '.') ? strrchr(s->from->name, '.') + 1 : s->from->name;
    ir_expr_visit(d, del_check_ref, &k);
    return k.why;
}

static void target_of(SX *X, ir_stmt *s, const sqlfe_ast *t)
{
    s->target = table_name(X, t->text, (t->flags & SQF_QUOTED) != 0);
    if (t->n_kids && t->kids[0]->kind == SQ_ALIAS)
        s->target_alias = fold(X, t->kids[0]->text, 0);
}

/* A FROM clause of several items as one: a cross join of them (UPDATE .. FROM a, b). */
static ir_from *from_list(SX *X, const sqlfe_ast *from)
{
    ir_from *f = NULL;
    for (int i = 0; from && i < from->n_kids; i++) {
        ir_from *x = from_item(X, from->kids[i]);
        if (!f) {
            f = x;
        } else {
            ir_from *j = ir_from_new(X->L->job, IR_FROM_JOIN);
            j->join = IR_JOIN_CROSS;
            j->left = f;
            j->right = x;
            f = j;
        }
    }
    return f;
}

/* T-SQL / Teradata `DELETE a FROM t a JOIN u ..` and `UPDATE a SET .. FROM t a JOIN u ..`: the target
 * names one of the FROM tables (by alias or name). That table becomes the target (with its alias),
 * the other tables the USING / FROM list, and the inner joins' conditions go to WHERE — the same
 * rows. Through an outer join the rows differ: a hole. A target that names no FROM table (the
 * Snowflake / Postgres form, UPDATE t SET .. FROM u) is left as it is. Returns 0, or -1 for the
 * hole. */
static int leaf_names(const ir_from *f, const char *name)
{
    /* by its alias; or by its name as written in full (T-SQL: UPDATE dbo.t .. FROM dbo.t AS a names
     * that one instance); or, unaliased, by its last part */
    if (f->alias && !strcasecmp(f->alias, name))
        return 1;
    if (!f->name)
        return 0;
    if (!strcasecmp(f->name, name))
        return 1;
    const char *dot = strrchr(f->name, '.');
    return !f->alias && dot && !strcasecmp(dot + 1, name);
}

static int find_target(ir_from *f, const char *name, ir_from **out, int *outer)
{
    if (!f)
        return 0;
    if (f->kind == IR_FROM_JOIN) {
        int l = find_target(f->left, name, out, outer), r = find_target(f->right, name, out, outer);
        if ((l || r) && f->join != IR_JOIN_INNER && f->join != IR_JOIN_CROSS)
            *outer = 1;
        return l + r;
    }
    if (f->kind == IR_FROM_TABLE && leaf_names(f, name)) {
        *out = f;
        return 1;
    }
    return 0;
}

/* f without leaf t, its inner-join conditions AND-ed into *cond. */
static ir_from *without(lower_ctx *L, ir_from *f, const ir_from *t, ir_expr **cond)
{
    if (!f || f == t)
        return NULL;
    if (f->kind != IR_FROM_JOIN)
        return f;
    ir_from *l = without(L, f->left, t, cond), *r = without(L, f->right, t, cond);
    if (f->on)
        *cond = *cond ? ir_call2(L->job, IR_FN_AND, *cond, f->on) : f->on;
    if (!l)
        return r;
    if (!r)
        return l;
    ir_from *j = ir_from_new(L->job, IR_FROM_JOIN);
    j->join = IR_JOIN_CROSS;
    j->left = l;
    j->right = r;
    return j;
}

static int retarget(SX *X, ir_stmt *s)
{
    lower_ctx *L = X->L;
    if (!s->from || !s->target || s->target_alias)
        return 0;
    ir_from *t = NULL;
    int outer = 0;
    int n = find_target(s->from, s->target, &t, &outer);
    if (n != 1)
        return 0;
    if (outer)
        return -1;
    ir_expr *cond = NULL;
    ir_from *rest = without(L, s->from, t, &cond);
    s->target = t->name;
    s->target_alias = t->alias;
    s->from = rest;
    if (cond)
        s->where = s->where ? ir_call2(L->job, IR_FN_AND, cond, s->where) : cond;
    return 0;
}

/* T-SQL lets a WITH clause lead UPDATE, DELETE and MERGE (an updatable CTE among them); the targets
 * take CTEs only inside queries. */
#define DML_WITH_HOLE "a WITH clause before UPDATE, DELETE or MERGE: Snowflake and Spark take CTEs only in queries"

static ir_stmt *lower(SX *X, const sqlfe_ast *n)
{
    lower_ctx *L = X->L;
    ir_stmt *s;
    switch (n->kind) {
    case SQ_SELECT: case SQ_SETOP: case SQ_VALUES: case SQ_QUERY: {
        /* T-SQL's INTO sits in the first SELECT of a set operation and takes the whole result */
        const sqlfe_ast *sel = n;
        while (sel && sel->kind != SQ_SELECT) {
            const sqlfe_ast *next = NULL;
            if (sel->kind == SQ_SETOP && sel->n_kids)
                next = sel->kids[0];
            for (int i = 0; sel->kind == SQ_QUERY && i < sel->n_kids; i++)
                if (sel->kids[i]->kind == SQ_SELECT || sel->kids[i]->kind == SQ_SETOP || sel->kids[i]->kind == SQ_QUERY)
                    next = sel->kids[i];
            sel = next;
        }
        const sqlfe_ast *into = sel ? sqlfe_clause(sel, SQ_CL_INTO) : NULL;
        s = ir_stmt_new(L->job, IR_ST_QUERY);
        s->query = query(X, n);
        if (into) {
            int vars = into->n_kids && (into->kids[0]->kind == SQ_PARAM ||
                                        (X->scope && X->scope->is_var &&
                                         X->scope->is_var(X->scope->userdata, into->kids[0]->text)));
            if (vars) { /* SELECT .. INTO variables: the procedural layer assigns them */
                s->into = arena_alloc(L->job->arena, (size_t)(into->n_kids + 1) * sizeof *s->into);
                for (int i = 0; i < into->n_kids; i++) {
                    const char *t = into->kids[i]->text;
                    while (*t == '@' || *t == ':')
                        t++;
                    s->into[s->n_into++] = fold(X, t, 0);
                }
            } else { /* T-SQL SELECT .. INTO table: a new table from the query */
                s->kind = IR_ST_CREATE_TABLE;
                s->target = table_name(X, into->kids[0]->text, (into->kids[0]->flags & SQF_QUOTED) != 0);
                s->temporary = (into->flags & SQF_TEMPORARY) || is_temp_name(X, into->kids[0]->text);
            }
        }
        break;
    }
    case SQ_INSERT: {
        s = ir_stmt_new(L->job, IR_ST_INSERT);
        s->target = table_name(X, n->kids[0]->text, (n->kids[0]->flags & SQF_QUOTED) != 0);
        s->overwrite = (n->flags & SQF_OVERWRITE) != 0;
        if (n->kids[1]->kind == SQ_LIST) {
            const sqlfe_ast *c = n->kids[1];
            s->cols = arena_alloc(L->job->arena, (size_t)(c->n_kids + 1) * sizeof *s->cols);
            for (int i = 0; i < c->n_kids; i++)
                s->cols[s->n_cols++] = name_of(X, c->kids[i]);
        }
        s->query = n->n_kids > 2 && n->kids[2]->kind != SQ_WITH ? query(X, n->kids[2]) : NULL;
        const sqlfe_ast *with = sqlfe_clause(n, SQ_WITH);
        if (with && s->query) /* T-SQL WITH .. INSERT: INSERT INTO t WITH .. SELECT */
            s->query = with_ctes(X, with, s->query);
        else if (with) {
            s->kind = IR_ST_HOLE;
            s->hole_reason = "a WITH clause before an INSERT without a query";
        }
        break;
    }
    case SQ_UPDATE: {
        s = ir_stmt_new(L->job, IR_ST_UPDATE);
        if (sqlfe_clause(n, SQ_WITH)) {
            s->kind = IR_ST_HOLE;
            s->hole_reason = DML_WITH_HOLE;
            break;
        }
        target_of(X, s, n->kids[0]);
        const sqlfe_ast *from = sqlfe_clause(n, SQ_CL_FROM), *where = sqlfe_clause(n, SQ_CL_WHERE);
        s->from = from_list(X, from); /* FROM first: its aliases are names either way */
        assignments(X, s, sqlfe_clause(n, SQ_SET));
        if (where)
            s->where = expr(X, where->kids[0]);
        if (retarget(X, s) < 0) {
            s->kind = IR_ST_HOLE;
            s->hole_reason = "UPDATE of a table reached through an outer join";
        }
        break;
    }
    case SQ_DELETE: {
        s = ir_stmt_new(L->job, IR_ST_DELETE);
        if (sqlfe_clause(n, SQ_WITH)) {
            s->kind = IR_ST_HOLE;
            s->hole_reason = DML_WITH_HOLE;
            break;
        }
        target_of(X, s, n->kids[0]);
        const sqlfe_ast *from = sqlfe_clause(n, SQ_CL_FROM), *where = sqlfe_clause(n, SQ_CL_WHERE);
        s->from = from_list(X, from);
        if (where)
            s->where = expr(X, where->kids[0]);
        if (retarget(X, s) < 0) {
            s->kind = IR_ST_HOLE;
            s->hole_reason = "DELETE from a table reached through an outer join (an anti-join delete): "
                             "rewrite with NOT EXISTS";
        }
        break;
    }
    case SQ_MERGE: {
        s = ir_stmt_new(L->job, IR_ST_MERGE);
        if (sqlfe_clause(n, SQ_WITH)) {
            s->kind = IR_ST_HOLE;
            s->hole_reason = DML_WITH_HOLE;
            break;
        }
        target_of(X, s, n->kids[0]);
        s->from = from_item(X, n->kids[1]);
        s->where = expr(X, n->kids[2]->kids[0]);
        int cap = 0;
        for (int i = 3; i < n->n_kids; i++) {
            const sqlfe_ast *w = n->kids[i];
            if (w->kind != SQ_WHEN)
                continue;
            ir_merge_clause mc;
            memset(&mc, 0, sizeof mc);
            if (w->flags & SQF_BY_SOURCE) {
                s->kind = IR_ST_HOLE;
                s->hole_reason = "MERGE .. WHEN NOT MATCHED BY SOURCE";
                break;
            }
            mc.matched = !(w->flags & SQF_NOT);
            if (w->kids[0]->kind != SQ_EMPTY)
                mc.cond = expr(X, w->kids[0]);
            const sqlfe_ast *act = w->kids[1];
            if (act->kind == SQ_MERGE_DELETE) {
                mc.action = 1;
            } else if (act->kind == SQ_MERGE_UPDATE) {
                ir_stmt tmp;
                memset(&tmp, 0, sizeof tmp);
                assignments(X, &tmp, act->kids[0]);
                mc.action = 0;
                mc.cols = tmp.cols;
                mc.values = tmp.values;
                mc.n = tmp.n_cols;
                const sqlfe_ast *dw = sqlfe_clause(act, SQ_CL_WHERE);
                if (dw) { /* Oracle: UPDATE SET .. WHERE c: the clause's condition */
                    ir_expr *c = expr(X, dw->kids[0]);
                    mc.cond = mc.cond ? ir_call2(L->job, IR_FN_AND, mc.cond, c) : c;
                }
                const sqlfe_ast *del = sqlfe_clause(act, SQ_MERGE_DELETE);
                if (del) {
                    /* Oracle UPDATE .. DELETE WHERE d: the rows just updated that meet d go. With d
                     * on values the update does not change, that is WHEN MATCHED AND c AND d THEN
                     * DELETE ahead of the update */
                    ir_expr *d = expr(X, del->kids[0]->kids[0]);
                    const char *why = merge_delete_reads_update(X, s, &mc, d);
                    if (why) {
                        s->kind = IR_ST_HOLE;
                        s->hole_reason = why;
                        break;
                    }
                    ir_merge_clause dc;
                    memset(&dc, 0, sizeof dc);
                    dc.matched = true;
                    dc.action = 1;
                    dc.cond = mc.cond ? ir_call2(L->job, IR_FN_AND, ir_expr_copy(L->job, mc.cond), d) : d;
                    ARENA_PUSH(L->job->arena, s->merge, s->n_merge, cap, dc);
                }
            } else if (act->kind == SQ_MERGE_INSERT) {
                mc.action = 2;
                const sqlfe_ast *cols = act->kids[0], *vals = act->kids[1];
                mc.n = vals->n_kids;
                mc.values = arena_alloc(L->job->arena, (size_t)(mc.n + 1) * sizeof *mc.values);
                for (int k = 0; k < mc.n; k++)
                    mc.values[k] = expr(X, vals->kids[k]);
                if (cols->kind == SQ_LIST) {
                    mc.cols = arena_alloc(L->job->arena, (size_t)(mc.n + 1) * sizeof *mc.cols);
                    for (int k = 0; k < mc.n && k < cols->n_kids; k++)
                        mc.cols[k] = name_of(X, cols->kids[k]);
                }
                const sqlfe_ast *iw = sqlfe_clause(act, SQ_CL_WHERE);
                if (iw) { /* Oracle: INSERT .. VALUES (..) WHERE c: the clause's condition */
                    ir_expr *c = expr(X, iw->kids[0]);
                    mc.cond = mc.cond ? ir_call2(L->job, IR_FN_AND, mc.cond, c) : c;
                }
            } else {
                s->kind = IR_ST_HOLE;
                s->hole_reason = "MERGE action not lowered";
                break;
            }
            ARENA_PUSH(L->job->arena, s->merge, s->n_merge, cap, mc);
        }
        break;
    }
    case SQ_CREATE_TABLE: {
        s = ir_stmt_new(L->job, IR_ST_CREATE_TABLE);
        s->target = table_name(X, n->text, 0);
        s->or_replace = (n->flags & SQF_OR_REPLACE) != 0;
        s->temporary = (n->flags & SQF_TEMPORARY) != 0 || is_temp_name(X, n->text);
        s->if_exists = (n->flags & SQF_IF_EXISTS) != 0;
        int cap = 0;
        for (int i = 0; i < n->n_kids; i++) {
            const sqlfe_ast *k = n->kids[i];
            if (k->kind == SQ_COLDEF) {
                ir_type t = k->n_kids && k->kids[0]->kind == SQ_TYPE ? sqlfe_type(L, k->kids[0]) : ir_type_make(IR_TY_UNKNOWN, 0, 0);
                int before = s->n_cols;
                ARENA_PUSH(L->job->arena, s->cols, s->n_cols, cap, fold(X, k->text, 0));
                s->col_types = arena_grow(L->job->arena, s->col_types, (size_t)before, (size_t)s->n_cols, sizeof *s->col_types);
                s->col_types[before] = t;
                column_attrs(X, s, before, k, L->sql, L->len);
            } else if (k->kind == SQ_LIST) {
                for (int c = 0; c < k->n_kids; c++)
                    ARENA_PUSH(L->job->arena, s->cols, s->n_cols, cap, name_of(X, k->kids[c]));
            } else if (k->kind == SQ_QUERY || k->kind == SQ_SELECT || k->kind == SQ_SETOP || k->kind == SQ_VALUES) {
                s->query = query(X, k);
            }
        }
        if (!s->n_cols && !s->query) {
            /* CREATE TABLE t OF type, LIKE other, AS other-without-select ...: its columns are
             * elsewhere; a table without them would be wrong */
            s->kind = IR_ST_HOLE;
            s->hole_reason = "CREATE TABLE whose columns are not listed (an object table, a copy of another table)";
        }
        break;
    }
    case SQ_CREATE_VIEW: {
        s = ir_stmt_new(L->job, IR_ST_CREATE_VIEW);
        s->target = fold(X, n->text, 0);
        s->or_replace = (n->flags & SQF_OR_REPLACE) != 0;
        if (n->kids[0]->kind == SQ_LIST) {
            const sqlfe_ast *c = n->kids[0];
            s->cols = arena_alloc(L->job->arena, (size_t)(c->n_kids + 1) * sizeof *s->cols);
            for (int i = 0; i < c->n_kids; i++)
                s->cols[s->n_cols++] = name_of(X, c->kids[i]);
        }
        s->query = query(X, n->kids[n->n_kids - 1]);
        break;
    }
    case SQ_DROP: {
        s = ir_stmt_new(L->job, IR_ST_DROP);
        const char *k = n->text ? n->text : "TABLE";
        if (strcasecmp(k, "TABLE") && strcasecmp(k, "VIEW") && strcasecmp(k, "SEQUENCE")) {
            s->kind = IR_ST_HOLE;
            s->hole_reason = arena_printf(L->job->arena, "DROP %s", k);
            break;
        }
        s->object_kind = !strcasecmp(k, "VIEW") ? "VIEW" : !strcasecmp(k, "SEQUENCE") ? "SEQUENCE" : "TABLE";
        s->if_exists = (n->flags & SQF_IF_EXISTS) != 0;
        s->target = n->n_kids ? table_name(X, n->kids[0]->text, (n->kids[0]->flags & SQF_QUOTED) != 0) : NULL;
        break;
    }
    case SQ_TRUNCATE:
        s = ir_stmt_new(L->job, IR_ST_TRUNCATE);
        s->target = n->n_kids ? table_name(X, n->kids[0]->text, (n->kids[0]->flags & SQF_QUOTED) != 0) : NULL;
        break;
    default:
        s = ir_stmt_new(L->job, IR_ST_HOLE);
        s->hole_reason = arena_printf(L->job->arena, "statement %s not lowered", sqlfe_kind_name(n->kind));
        break;
    }
    s->span = sqlfe_span_at(L, n->start);
    s->text = text_of(L, n);
    return s;
}

static void setup(lower_ctx *L, SX *X, ir_job *job, const char *sql, size_t len, sqlfe_dialect d,
                  const sqlfe_scope *scope, ir_span base, diag_ctx *dc, arena *scratch)
{
    memset(L, 0, sizeof *L);
    memset(X, 0, sizeof *X);
    X->L = L;
    X->scope = scope;
    static const sqlfe_source_info no_info = {NULL, NULL, NULL};
    sqlfe_source_info *info = arena_alloc(scratch, sizeof *info);
    *info = no_info;
    info->file = scope ? scope->file : NULL;
    L->job = job;
    L->d = d;
    L->sql = sql;
    L->len = len;
    L->base = base;
    L->dc = dc;
    L->info = info;
    L->scratch = scratch;
    L->resolve = resolve;
    L->scope = X;
    L->in_handler = scope ? scope->in_handler : 0;
    L->td_ansi = scope ? scope->td_ansi : 0;
    L->window_call = window;
    L->subquery = subquery;
}

ir_stmt *sqlfe_lower_stmt(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_scope *scope,
                          ir_span base, diag_ctx *dc)
{
    arena *scratch = arena_new();
    const char *err = NULL;
    size_t err_off = 0;
    sqlfe_ast *ast = sqlfe_parse_statement(scratch, sql, len, d, &err, &err_off);
    lower_ctx L;
    SX X;
    setup(&L, &X, job, sql, len, d, scope, base, dc, scratch);
    X.root = ast;
    ir_stmt *s = NULL;
    if (!ast)
        sqlfe_error(&L, err_off, "%s", err ? err : "syntax error");
    else
        s = lower(&X, ast);
    arena_free(scratch);
    return s;
}

ir_expr *sqlfe_lower_scalar(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_scope *scope,
                            ir_span base, diag_ctx *dc)
{
    /* parsed as the select list of a one-item query, so every expression form is accepted */
    arena *scratch = arena_new();
    char *q = arena_printf(scratch, "SELECT %.*s", (int)len, sql);
    const char *err = NULL;
    size_t err_off = 0;
    sqlfe_ast *ast = sqlfe_parse_statement(scratch, q, strlen(q), d, &err, &err_off);
    lower_ctx L;
    SX X;
    ir_expr *e = NULL;
    /* offsets in q are 7 past those in sql: shift the base left so spans land on the legacy text */
    ir_span b = base;
    b.col -= 7;
    setup(&L, &X, job, q, strlen(q), d, scope, b, dc, scratch);
    if (ast && ast->kind == SQ_QUERY && ast->n_kids == 1)
        ast = ast->kids[0];
    const sqlfe_ast *items = ast && ast->kind == SQ_SELECT ? sqlfe_clause(ast, SQ_CL_ITEMS) : NULL;
    if (!items || items->n_kids != 1 || ast->n_kids != 1 || !items->kids[0]->n_kids || items->kids[0]->text)
        sqlfe_error(&L, err ? err_off : 7, "%s", err ? err : "not one expression");
    else
        e = expr(&X, items->kids[0]->kids[0]);
    arena_free(scratch);
    return e;
}

/* ---- statements the parser keeps as raw text: ALTER TABLE, CALL / EXEC, COMMIT / ROLLBACK ---- */

typedef struct OT {
    const char *text;
    const tok *t;
    int n, i;
} OT;

static int ot_kw(const OT *o, int i, const char *w)
{
    return i < o->n && o->t[i].kind == TK_IDENT && tk_is(o->text, &o->t[i], w);
}

static int ot_name(const OT *o, int i)
{
    return i < o->n && (o->t[i].kind == TK_IDENT || o->t[i].kind == TK_QIDENT);
}

/* A dotted name at *i (parts unquoted), *i after it; NULL when none. */
static const char *ot_dotted(SX *X, OT *o, int *i, int *quoted)
{
    if (!ot_name(o, *i))
        return NULL;
    strbuf sb = STRBUF_INIT;
    *quoted = 0;
    for (;;) {
        const tok *k = &o->t[*i];
        if (k->kind == TK_QIDENT) {
            *quoted = 1;
            sb_putn(&sb, o->text + k->start + 1, k->len >= 2 ? k->len - 2 : 0);
        } else {
            sb_putn(&sb, o->text + k->start, k->len);
        }
        (*i)++;
        if (*i + 1 < o->n && o->t[*i].kind == TK_DOT && ot_name(o, *i + 1)) {
            sb_putc(&sb, '.');
            (*i)++;
            continue;
        }
        break;
    }
    const char *r = arena_strdup(X->L->job->arena, sb_cstr(&sb));
    sb_free(&sb);
    return r;
}

/* ADD [COLUMN[S]] [IF NOT EXISTS] [(] c type [, c type] [)]: the definitions read by the CREATE
 * TABLE parser. */
static ir_stmt *alter_add(SX *X, OT *o, int i, ir_stmt *s)
{
    lower_ctx *L = X->L;
    if (ot_kw(o, i, "COLUMN") || ot_kw(o, i, "COLUMNS"))
        i++;
    if (ot_kw(o, i, "IF") && ot_kw(o, i + 1, "NOT") && ot_kw(o, i + 2, "EXISTS")) {
        i += 3;
        s->if_exists = true;
    }
    if (i >= o->n || ot_kw(o, i, "CONSTRAINT") || ot_kw(o, i, "PRIMARY") || ot_kw(o, i, "FOREIGN") ||
        ot_kw(o, i, "UNIQUE") || ot_kw(o, i, "CHECK"))
        return NULL;
    size_t from = o->t[i].start, to = o->t[o->n - 1].start + o->t[o->n - 1].len;
    while (to > from && (o->text[to - 1] == ';' || o->text[to - 1] == ' '))
        to--;
    const char *body = o->text + from;
    size_t blen = to - from;
    int paren = body[0] == '(';
    char *ddl = arena_printf(L->scratch, "CREATE TABLE etlport_alter %s%.*s%s", paren ? "" : "(", (int)blen, body,
                             paren ? "" : ")");
    const char *err = NULL;
    size_t eoff = 0;
    sqlfe_ast *ast = sqlfe_parse_statement(L->scratch, ddl, strlen(ddl), L->d, &err, &eoff);
    if (!ast || ast->kind != SQ_CREATE_TABLE)
        return NULL;
    int cap = 0;
    for (int k = 0; k < ast->n_kids; k++) {
        const sqlfe_ast *c = ast->kids[k];
        if (c->kind != SQ_COLDEF)
            return NULL;
        int before = s->n_cols;
        ARENA_PUSH(L->job->arena, s->cols, s->n_cols, cap, fold(X, c->text, 0));
        s->col_types = arena_grow(L->job->arena, s->col_types, (size_t)before, (size_t)s->n_cols, sizeof *s->col_types);
        lower_ctx T = *L; /* the type tree indexes the DDL text */
        T.sql = ddl;
        T.len = strlen(ddl);
        s->col_types[before] = c->n_kids && c->kids[0]->kind == SQ_TYPE ? sqlfe_type(&T, c->kids[0])
                                                                         : ir_type_make(IR_TY_UNKNOWN, 0, 0);
        column_attrs(X, s, before, c, ddl, strlen(ddl));
    }
    s->kind = IR_ST_ADD_COLUMNS;
    return s->n_cols ? s : NULL;
}

/* The select list of `SELECT <text>` parsed in the scratch arena (*sql: that statement's text), or
 * NULL unless it is one query block. */
static const sqlfe_ast *select_items(lower_ctx *L, const char *text, size_t len, const char **sql)
{
    char *q = arena_printf(L->scratch, "SELECT %.*s", (int)len, text);
    const char *err = NULL;
    size_t eoff = 0;
    sqlfe_ast *ast = sqlfe_parse_statement(L->scratch, q, strlen(q), L->d, &err, &eoff);
    if (ast && ast->kind == SQ_QUERY && ast->n_kids == 1)
        ast = ast->kids[0];
    const sqlfe_ast *items = ast && ast->kind == SQ_SELECT ? sqlfe_clause(ast, SQ_CL_ITEMS) : NULL;
    if (!items || ast->n_kids != 1)
        return NULL;
    *sql = q;
    return items;
}

/* An expression of select_items' text, lowered at the statement's start (spans are approximate). */
static ir_expr *expr_of_items(SX *X, const char *sql, const sqlfe_ast *e)
{
    lower_ctx *L = X->L;
    const char *saved_sql = L->sql;
    size_t saved_len = L->len;
    ir_span saved_base = L->base;
    L->sql = sql;
    L->len = strlen(sql);
    L->base = sqlfe_span_at(L, 0);
    ir_expr *r = expr(X, e);
    L->sql = saved_sql;
    L->len = saved_len;
    L->base = saved_base;
    return r;
}

/* The statement's text from token i to its end, without the final ';' and blanks. */
static const char *ot_rest(const OT *o, int i, size_t *len)
{
    size_t from = o->t[i].start, to = o->t[o->n - 1].start + o->t[o->n - 1].len;
    while (to > from && (o->text[to - 1] == ';' || o->text[to - 1] == ' ' || o->text[to - 1] == '\n'))
        to--;
    *len = to - from;
    return o->text + from;
}

/* ALTER [COLUMN] c {SET NOT NULL | DROP NOT NULL | [SET DATA] TYPE t | SET DEFAULT e | DROP DEFAULT}
 * (Postgres, Snowflake, Spark; Snowflake also MODIFY): one action, nothing after it. T-SQL's
 * ALTER COLUMN c type [NULL] sets the type and the nullability at once: not this form. */
static ir_stmt *alter_column(SX *X, OT *o, int i, ir_stmt *s)
{
    lower_ctx *L = X->L;
    int q = 0;
    if (ot_kw(o, i, "COLUMN"))
        i++;
    const char *c = ot_dotted(X, o, &i, &q);
    if (!c)
        return NULL;
    int end = o->n;
    while (end > i && o->t[end - 1].kind == TK_SEMI)
        end--;
    if (ot_kw(o, i, "SET") && ot_kw(o, i + 1, "NOT") && ot_kw(o, i + 2, "NULL") && i + 3 == end) {
        s->alter = IR_ALTER_SET_NOT_NULL;
    } else if (ot_kw(o, i, "DROP") && ot_kw(o, i + 1, "NOT") && ot_kw(o, i + 2, "NULL") && i + 3 == end) {
        s->alter = IR_ALTER_DROP_NOT_NULL;
    } else if (ot_kw(o, i, "DROP") && ot_kw(o, i + 1, "DEFAULT") && i + 2 == end) {
        s->alter = IR_ALTER_DROP_DEFAULT;
    } else if ((ot_kw(o, i, "SET") && ot_kw(o, i + 1, "DATA") && ot_kw(o, i + 2, "TYPE")) || ot_kw(o, i, "TYPE")) {
        i += ot_kw(o, i, "SET") ? 3 : 1;
        if (i >= end)
            return NULL;
        for (int k = i; k < end; k++)
            if (ot_kw(o, k, "COLLATE") || ot_kw(o, k, "USING") || ot_kw(o, k, "CHARACTER") || ot_kw(o, k, "CHARSET"))
                return NULL; /* the column's collation or a conversion of its values: more than a type */
        size_t len;
        const char *rest = ot_rest(o, i, &len);
        /* the type as the CREATE TABLE parser reads it; anything after it (USING, COLLATE) fails there */
        char *ddl = arena_printf(L->scratch, "CREATE TABLE etlport_alter (etlport_c %.*s)", (int)len, rest);
        const char *err = NULL;
        size_t eoff = 0;
        sqlfe_ast *ast = sqlfe_parse_statement(L->scratch, ddl, strlen(ddl), L->d, &err, &eoff);
        if (!ast || ast->kind != SQ_CREATE_TABLE || ast->n_kids != 1 || ast->kids[0]->kind != SQ_COLDEF ||
            ast->kids[0]->n_kids != 1 || ast->kids[0]->kids[0]->kind != SQ_TYPE)
            return NULL;
        size_t tend = ast->kids[0]->kids[0]->end; /* the type is all there is (no USING, COLLATE, ..) */
        while (tend < strlen(ddl) && ddl[tend] == ' ')
            tend++;
        if (tend + 1 != strlen(ddl))
            return NULL;
        lower_ctx T = *L; /* the type tree indexes the DDL text */
        T.sql = ddl;
        T.len = strlen(ddl);
        s->col_types = arena_alloc(L->job->arena, sizeof *s->col_types);
        s->col_types[0] = sqlfe_type(&T, ast->kids[0]->kids[0]);
        if (s->col_types[0].kind == IR_TY_UNKNOWN)
            return NULL;
        s->alter = IR_ALTER_TYPE;
    } else if (ot_kw(o, i, "SET") && ot_kw(o, i + 1, "DEFAULT") && i + 2 < end) {
        size_t len;
        const char *rest = ot_rest(o, i + 2, &len), *q1 = NULL;
        const sqlfe_ast *items = select_items(L, rest, len, &q1);
        if (!items || items->n_kids != 1 || !items->kids[0]->n_kids || items->kids[0]->text)
            return NULL;
        s->col_defaults = arena_alloc(L->job->arena, sizeof *s->col_defaults);
        s->col_defaults[0] = expr_of_items(X, q1, items->kids[0]->kids[0]);
        s->alter = IR_ALTER_SET_DEFAULT;
    } else {
        return NULL;
    }
    s->cols = arena_alloc(L->job->arena, sizeof *s->cols);
    s->cols[0] = fold(X, c, q);
    s->n_cols = 1;
    s->kind = IR_ST_ALTER_COLUMN;
    return s;
}

/* A whole number at o->t[*i] (a leading - allowed), *i after it; 0 when none. */
static int ot_int(const OT *o, int *i, const char **out, arena *a)
{
    int neg = *i < o->n && o->t[*i].kind == TK_MINUS;
    int k = *i + neg;
    if (k >= o->n || o->t[k].kind != TK_NUMBER)
        return 0;
    const char *t = o->text + o->t[k].start;
    for (size_t j = 0; j < o->t[k].len; j++)
        if (!isdigit((unsigned char)t[j]))
            return 0;
    *out = arena_printf(a, "%s%.*s", neg ? "-" : "", (int)o->t[k].len, t);
    *i = k + 1;
    return 1;
}

/* CREATE SEQUENCE [IF NOT EXISTS] s [AS type] [START WITH n] [INCREMENT BY n] [MINVALUE n | NO
 * MINVALUE] [MAXVALUE n | NO MAXVALUE] [CACHE n | NO CACHE] [NOCYCLE | NO CYCLE] [ORDER | NOORDER]
 * (Oracle, DB2, T-SQL, Netezza, Snowflake's own): a CREATE of object kind SEQUENCE whose cols
 * "start" and "increment" hold the numbers. Snowflake's sequences have no bounds and do not cycle:
 * CYCLE, a MINVALUE above the start of an ascending sequence and a MAXVALUE a 64-bit sequence could
 * reach are NULL (a hole), and so is T-SQL's without START WITH (it starts at the type's least
 * value) and a descending one. */
static ir_stmt *sequence_stmt(SX *X, OT *o, ir_stmt *s)
{
    lower_ctx *L = X->L;
    int i = 2, q = 0;
    if (ot_kw(o, i, "IF") && ot_kw(o, i + 1, "NOT") && ot_kw(o, i + 2, "EXISTS")) {
        i += 3;
        s->if_exists = true;
    }
    const char *n = ot_dotted(X, o, &i, &q);
    if (!n)
        return NULL;
    const char *start = NULL, *inc = "1", *min = NULL, *v;
    for (;;) {
        while (i < o->n && o->t[i].kind == TK_COMMA)
            i++;
        if (i >= o->n || o->t[i].kind == TK_SEMI)
            break;
        int no = ot_kw(o, i, "NO");
        i += no;
        if (ot_kw(o, i, "AS") && ot_name(o, i + 1) && !no) {
            i += 2; /* the type: Snowflake's sequences are NUMBER(38,0) */
        } else if (ot_kw(o, i, "START") && !no) {
            i += 1 + ot_kw(o, i + 1, "WITH");
            i += i < o->n && o->t[i].kind == TK_EQ;
            if (!ot_int(o, &i, &start, L->job->arena))
                return NULL;
        } else if (ot_kw(o, i, "INCREMENT") && !no) {
            i += 1 + ot_kw(o, i + 1, "BY");
            i += i < o->n && o->t[i].kind == TK_EQ;
            if (!ot_int(o, &i, &inc, L->job->arena) || inc[0] == '-' || !strcmp(inc, "0"))
                return NULL;
        } else if (ot_kw(o, i, "MINVALUE") && !no) {
            i++;
            if (!ot_int(o, &i, &min, L->job->arena))
                return NULL;
        } else if (ot_kw(o, i, "MAXVALUE") && !no) {
            i++;
            if (!ot_int(o, &i, &v, L->job->arena) || strlen(v) < 19)
                return NULL; /* a bound a 64-bit sequence can reach */
        } else if (ot_kw(o, i, "CACHE") && !no) {
            i++;
            if (!ot_int(o, &i, &v, L->job->arena))
                return NULL;
        } else if ((no && (ot_kw(o, i, "MINVALUE") || ot_kw(o, i, "MAXVALUE") || ot_kw(o, i, "CACHE") ||
                           ot_kw(o, i, "CYCLE") || ot_kw(o, i, "ORDER"))) ||
                   ot_kw(o, i, "NOMINVALUE") || ot_kw(o, i, "NOMAXVALUE") || ot_kw(o, i, "NOCACHE") ||
                   ot_kw(o, i, "NOCYCLE") || ot_kw(o, i, "ORDER") || ot_kw(o, i, "NOORDER")) {
            i++;
        } else {
            return NULL; /* CYCLE, KEEP, SCALE, SESSION ... */
        }
    }
    if (!start && L->d == SQLFE_TSQL)
        return NULL;
    if (!start)
        start = min ? min : "1";
    if (min && strtoll(min, NULL, 10) > strtoll(start, NULL, 10))
        return NULL;
    s->kind = IR_ST_CREATE_SCHEMA;
    s->object_kind = "SEQUENCE";
    s->target = fold(X, n, q);
    s->n_cols = 2;
    s->cols = arena_alloc(L->job->arena, 2 * sizeof *s->cols);
    s->values = arena_alloc(L->job->arena, 2 * sizeof *s->values);
    s->cols[0] = "start";
    s->cols[1] = "increment";
    s->values[0] = ir_lit(L->job, IR_LIT_INT, start);
    s->values[1] = ir_lit(L->job, IR_LIT_INT, inc);
    return s;
}

/* USE [DATABASE | SCHEMA | CATALOG] name (T-SQL, Snowflake, Spark), CREATE {DATABASE | SCHEMA |
 * CATALOG} [IF NOT EXISTS] name with nothing after it. A database is a catalog of schemas: T-SQL's
 * and Snowflake's DATABASE, Spark's CATALOG; Spark's DATABASE is a schema. NULL for other forms
 * (Oracle's CREATE SCHEMA makes objects, Teradata's databases hold tables directly). */
static ir_stmt *namespace_stmt(SX *X, OT *o, ir_stmt *s)
{
    sqlfe_dialect d = X->L->d;
    int use = ot_kw(o, 0, "USE"), i = 1;
    if (d != SQLFE_TSQL && d != SQLFE_SNOWFLAKE && d != SQLFE_SPARK && (use || d == SQLFE_ORACLE || d == SQLFE_TERADATA))
        return NULL;
    const char *kind = NULL;
    if (ot_kw(o, i, "CATALOG") && d != SQLFE_SPARK)
        return NULL;
    if (ot_kw(o, i, "CATALOG"))
        kind = "DATABASE";
    else if (ot_kw(o, i, "DATABASE"))
        kind = d == SQLFE_SPARK ? "SCHEMA" : "DATABASE";
    else if (ot_kw(o, i, "SCHEMA"))
        kind = "SCHEMA";
    if (kind)
        i++;
    else if (!use || d == SQLFE_SPARK)
        kind = use ? "SCHEMA" : NULL; /* Spark's USE db is its schema; T-SQL's and Snowflake's a database */
    else
        kind = "DATABASE";
    if (!kind || (use && (ot_kw(o, i, "ROLE") || ot_kw(o, i, "WAREHOUSE") || ot_kw(o, i, "SECONDARY"))))
        return NULL;
    if (!use && ot_kw(o, i, "IF") && ot_kw(o, i + 1, "NOT") && ot_kw(o, i + 2, "EXISTS")) {
        i += 3;
        s->if_exists = true;
    }
    int q = 0;
    const char *n = ot_dotted(X, o, &i, &q);
    if (!use && ot_kw(o, i, "COMMENT") && i + 2 < o->n && o->t[i + 1].kind == TK_EQ && o->t[i + 2].kind == TK_STRING)
        i += 3; /* a comment on the object: no effect on what it holds */
    while (i < o->n && o->t[i].kind == TK_SEMI)
        i++;
    if (!n || i < o->n)
        return NULL;
    s->kind = use ? IR_ST_USE : IR_ST_CREATE_SCHEMA;
    s->object_kind = kind;
    s->target = fold(X, n, q);
    return s;
}

/* The text of a string token of plain name parts ('t.c', N'dbo.t.c'), without quotes; NULL for
 * anything else (brackets, blanks, quotes inside: names sp_rename would read otherwise). */
static char *plain_name_string(SX *X, const OT *o, int i)
{
    if (i >= o->n || o->t[i].kind != TK_STRING)
        return NULL;
    const char *t = o->text + o->t[i].start;
    size_t len = o->t[i].len;
    if (len && (*t == 'N' || *t == 'n')) {
        t++;
        len--;
    }
    if (len < 3 || t[0] != '\'' || t[len - 1] != '\'')
        return NULL;
    char *s = arena_strndup(X->L->scratch, t + 1, len - 2);
    for (char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.')
            return NULL;
    return s[0] && s[0] != '.' && s[strlen(s) - 1] != '.' && !strstr(s, "..") ? s : NULL;
}

/* T-SQL EXEC sp_rename 'table.column', 'new', 'COLUMN' (or 'schema.table.column'): ALTER TABLE ..
 * RENAME COLUMN. Without the object type the name may be any object's (a table, a view, a
 * procedure ..), an index's or a statistic's rename has no IR form: NULL then. */
static ir_stmt *sp_rename(SX *X, OT *o, int i, ir_stmt *s)
{
    int end = o->n;
    while (end > i && o->t[end - 1].kind == TK_SEMI)
        end--;
    if (end - i != 5 || o->t[i + 1].kind != TK_COMMA || o->t[i + 3].kind != TK_COMMA)
        return NULL;
    char *obj = plain_name_string(X, o, i), *to = plain_name_string(X, o, i + 2),
         *kind = plain_name_string(X, o, i + 4);
    char *dot = obj ? strrchr(obj, '.') : NULL;
    if (!dot || !to || strchr(to, '.') || !kind || strcasecmp(kind, "COLUMN") != 0)
        return NULL;
    *dot = 0;
    s->kind = IR_ST_RENAME_COLUMN;
    s->target = table_name(X, obj, 0);
    s->cols = arena_alloc(X->L->job->arena, sizeof *s->cols);
    s->cols[0] = fold(X, dot + 1, 0);
    s->n_cols = 1;
    s->new_name = fold(X, to, 0);
    return s;
}

/* One argument of a CALL, tokens [a, e): `name => value` (Snowflake, Oracle, DB2), T-SQL `@name =
 * value`, or a value by position. The value is read as a select item; *name is the parameter it is
 * passed to, NULL by position. NULL when it is not one expression. */
static ir_expr *call_arg(SX *X, OT *o, int a, int e, const char **name)
{
    *name = NULL;
    if (e - a > 2 && ((o->t[a].kind == TK_PARAM && X->L->d == SQLFE_TSQL && o->t[a + 1].kind == TK_EQ) ||
                      (ot_name(o, a) && o->t[a + 1].kind == TK_ARROW))) {
        const tok *k = &o->t[a];
        int quoted = k->kind == TK_QIDENT, skip = quoted || k->kind == TK_PARAM; /* "name", @name */
        *name = fold(X, arena_strndup(X->L->scratch, o->text + k->start + skip, k->len - (size_t)(skip + quoted)),
                     quoted);
        a += 2;
    }
    if (e - a == 1 && ot_kw(o, a, "DEFAULT"))
        return NULL; /* the parameter's own default, said explicitly */
    size_t from = o->t[a].start, to = o->t[e - 1].start + o->t[e - 1].len;
    const char *q1 = NULL;
    const sqlfe_ast *items = select_items(X->L, o->text + from, to - from, &q1);
    if (!items || items->n_kids != 1 || !items->kids[0]->n_kids || items->kids[0]->text)
        return NULL;
    return expr_of_items(X, q1, items->kids[0]->kids[0]);
}

/* The arguments of CALL p(a, b) / T-SQL EXEC p a, b from token i: values in s->values and, when any
 * is passed by name, the parameter names in s->cols. NULL for OUTPUT arguments (a variable read
 * back: procedural code) and for names and positions mixed (Snowflake takes one or the other). */
static ir_stmt *call_args(SX *X, OT *o, int i, ir_stmt *s)
{
    lower_ctx *L = X->L;
    int end = o->n;
    while (end > i && o->t[end - 1].kind == TK_SEMI)
        end--;
    if (i >= end)
        return s;
    int paren = o->t[i].kind == TK_LPAREN;
    if (paren) {
        if (o->t[end - 1].kind != TK_RPAREN)
            return NULL;
        i++;
        end--;
    }
    for (int k = i; k < end; k++)
        if (ot_kw(o, k, "OUTPUT") || ot_kw(o, k, "OUT"))
            return NULL;
    s->values = arena_alloc(L->job->arena, (size_t)(end - i + 1) * sizeof *s->values);
    const char **names = arena_alloc(L->job->arena, (size_t)(end - i + 1) * sizeof *names);
    int named = 0;
    for (int a = i; a < end;) {
        int depth = 0, e = a;
        for (; e < end && !(depth == 0 && o->t[e].kind == TK_COMMA); e++)
            depth += o->t[e].kind == TK_LPAREN ? 1 : o->t[e].kind == TK_RPAREN ? -1 : 0;
        if (e == a)
            return NULL;
        ir_expr *v = call_arg(X, o, a, e, &names[s->n_cols]);
        if (!v)
            return NULL;
        named |= names[s->n_cols] != NULL;
        s->values[s->n_cols++] = v;
        a = e + 1;
        if (e < end && a == end)
            return NULL; /* a trailing comma */
    }
    if (named) {
        for (int k = 0; k < s->n_cols; k++)
            if (!names[k])
                return NULL; /* Snowflake passes every argument by name or every one by position */
        s->cols = names;
    }
    return s;
}

static ir_stmt *lower_other(SX *X, OT *o)
{
    lower_ctx *L = X->L;
    ir_stmt *s = ir_stmt_new(L->job, IR_ST_HOLE);
    int i = 0, q = 0;
    if (ot_kw(o, 0, "ALTER") && ot_kw(o, 1, "TABLE")) {
        i = 2;
        if (ot_kw(o, i, "IF") && ot_kw(o, i + 1, "EXISTS")) {
            i += 2;
            s->table_if_exists = true;
        }
        const char *t = ot_dotted(X, o, &i, &q);
        if (!t)
            return NULL;
        s->target = table_name(X, t, q);
        if (ot_kw(o, i, "ADD"))
            return alter_add(X, o, i + 1, s);
        if (ot_kw(o, i, "ALTER") || (ot_kw(o, i, "MODIFY") && L->d == SQLFE_SNOWFLAKE))
            return alter_column(X, o, i + 1, s);
        if (ot_kw(o, i, "DROP")) {
            i++;
            if (ot_kw(o, i, "COLUMN") || ot_kw(o, i, "COLUMNS"))
                i++;
            else if (ot_kw(o, i, "CONSTRAINT") || ot_kw(o, i, "PRIMARY") || ot_kw(o, i, "PARTITION"))
                return NULL;
            if (ot_kw(o, i, "IF") && ot_kw(o, i + 1, "EXISTS")) {
                i += 2;
                s->if_exists = true;
            }
            int paren = i < o->n && o->t[i].kind == TK_LPAREN;
            i += paren;
            int cap = 0;
            for (;;) {
                const char *c = ot_dotted(X, o, &i, &q);
                if (!c)
                    return NULL;
                ARENA_PUSH(L->job->arena, s->cols, s->n_cols, cap, fold(X, c, q));
                if (i < o->n && o->t[i].kind == TK_COMMA) {
                    i++;
                    continue;
                }
                break;
            }
            i += paren && i < o->n && o->t[i].kind == TK_RPAREN;
            if (i < o->n && o->t[i].kind != TK_SEMI)
                return NULL; /* CASCADE, RESTRICT ... */
            s->kind = IR_ST_DROP_COLUMNS;
            return s;
        }
        if (ot_kw(o, i, "RENAME")) {
            i++;
            int column = ot_kw(o, i, "COLUMN");
            i += column;
            const char *from = column ? ot_dotted(X, o, &i, &q) : NULL;
            if (column && !from)
                return NULL;
            if (!ot_kw(o, i, "TO"))
                return NULL;
            i++;
            int q2 = 0;
            const char *to = ot_dotted(X, o, &i, &q2);
            if (!to || (i < o->n && o->t[i].kind != TK_SEMI))
                return NULL;
            if (column) {
                s->kind = IR_ST_RENAME_COLUMN;
                s->cols = arena_alloc(L->job->arena, sizeof *s->cols);
                s->cols[0] = fold(X, from, q);
                s->n_cols = 1;
                s->new_name = fold(X, to, q2);
            } else {
                s->kind = IR_ST_RENAME;
                s->new_name = table_name(X, to, q2);
            }
            return s;
        }
        return NULL;
    }
    if (ot_kw(o, 0, "USE") || (ot_kw(o, 0, "CREATE") && (ot_kw(o, 1, "SCHEMA") || ot_kw(o, 1, "DATABASE") ||
                                                        ot_kw(o, 1, "CATALOG"))))
        return namespace_stmt(X, o, s);
    if (ot_kw(o, 0, "CREATE") && ot_kw(o, 1, "SEQUENCE"))
        return sequence_stmt(X, o, s);
    if (ot_kw(o, 0, "COMMIT") || ot_kw(o, 0, "ROLLBACK")) {
        int commit = ot_kw(o, 0, "COMMIT");
        i = 1;
        if (ot_kw(o, i, "WORK") || ot_kw(o, i, "TRANSACTION") || ot_kw(o, i, "TRAN"))
            i++;
        /* T-SQL COMMIT TRAN name: the engine ignores the name (a reader's aid). ROLLBACK TRAN name
           goes back to a savepoint when one has that name: it stays a hole */
        if (commit && L->d == SQLFE_TSQL && i > 1 && i + 1 == o->n - (o->t[o->n - 1].kind == TK_SEMI) &&
            (ot_name(o, i) || o->t[i].kind == TK_PARAM))
            i++;
        if (i < o->n && o->t[i].kind != TK_SEMI)
            return NULL; /* TO SAVEPOINT, a T-SQL transaction name ... */
        s->kind = commit ? IR_ST_COMMIT : IR_ST_ROLLBACK;
        return s;
    }
    if (ot_kw(o, 0, "CALL") || ((ot_kw(o, 0, "EXEC") || ot_kw(o, 0, "EXECUTE")) && L->d == SQLFE_TSQL)) {
        i = 1;
        const char *p = ot_dotted(X, o, &i, &q);
        if (!p || (i < o->n && o->t[i].kind == TK_EQ))
            return NULL; /* EXEC @r = proc: a return value the procedural layer takes */
        if (L->d == SQLFE_TSQL && (!strcasecmp(p, "sp_rename") || !strcasecmp(p, "dbo.sp_rename") ||
                                   !strcasecmp(p, "sys.sp_rename")))
            return sp_rename(X, o, i, s);
        if (!strncasecmp(p, "sp_", 3) || !strncasecmp(p, "dbo.sp_", 7) || !strncasecmp(p, "sys.", 4) ||
            !strncasecmp(p, "xp_", 3) || !strncasecmp(p, "master.", 7))
            return NULL; /* system procedures do something of their own */
        s->kind = IR_ST_CALL;
        s->target = fold(X, p, q);
        return call_args(X, o, i, s);
    }
    return NULL;
}

ir_stmt *sqlfe_lower_other(ir_job *job, const char *sql, size_t len, sqlfe_dialect d, const sqlfe_scope *scope,
                           ir_span base, diag_ctx *dc)
{
    arena *scratch = arena_new();
    lower_ctx L;
    SX X;
    setup(&L, &X, job, sql, len, d, scope, base, dc, scratch);
    tok *toks;
    int n = sqlfe_tokenize(scratch, sql, len, d, &toks, NULL);
    OT o = {sql, toks, n, 0};
    ir_stmt *s = lower_other(&X, &o);
    if (s) {
        s->span = base;
        s->text = arena_strndup(job->arena, sql, len);
    }
    arena_free(scratch);
    return s;
}
