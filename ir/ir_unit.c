/*
 * ir_unit.c — procedural units (ir_unit.h): construction, the hole walk, and the two printed forms
 * (the indented text tests and reviewers read, and the deterministic JSON `etlport convert` writes
 * as unit.json). A unit's memory is its job's arena; strings are interned there.
 */
#include "ir/ir_unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- names ---- */

const char *ir_pstmt_kind_name(ir_pstmt_kind k)
{
    static const char *const names[] = {
        "sql",    "declare", "assign", "if",       "while", "loop",  "for_range", "for_query", "forall",
        "exit",   "continue", "return", "raise",   "block", "open",  "fetch",     "close",     "exec",
        "call",   "begin_txn", "commit", "rollback", "print", "label", "goto",     "quit",      "command",
        "hole"};
    return (int)k >= 0 && (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const char *ir_unit_kind_name(ir_unit_kind k)
{
    static const char *const names[] = {"procedure", "function", "block", "script"};
    return (int)k >= 0 && (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const char *ir_param_mode_name(ir_param_mode m)
{
    static const char *const names[] = {"in", "out", "inout"};
    return (int)m >= 0 && (size_t)m < sizeof names / sizeof names[0] ? names[m] : "?";
}

static const char *const var_kind_names[] = {"scalar", "row", "cursor", "table", "exception"};

/* ---- construction ---- */

static void *zalloc(ir_unit *u, size_t n)
{
    void *p = arena_alloc(u->job->arena, n);
    memset(p, 0, n);
    return p;
}

ir_unit *ir_unit_new(ir_unit_kind kind, const char *name)
{
    ir_job *job = ir_job_new(name);
    ir_unit *u = arena_alloc(job->arena, sizeof *u);
    memset(u, 0, sizeof *u);
    u->job = job;
    u->kind = kind;
    u->name = job->name;
    u->body.kind = IR_PS_BLOCK;
    u->body.text = "";
    return u;
}

void ir_unit_free(ir_unit *u)
{
    if (u)
        ir_job_free(u->job);
}

ir_pstmt *ir_pstmt_new(ir_unit *u, ir_pstmt_kind kind, ir_span span, const char *text)
{
    ir_pstmt *s = zalloc(u, sizeof *s);
    s->kind = kind;
    s->span = span;
    s->text = text ? arena_strdup(u->job->arena, text) : "";
    return s;
}

void ir_pblock_add(ir_unit *u, ir_pblock *b, ir_pstmt *s)
{
    ARENA_PUSH(u->job->arena, b->stmts, b->n, b->cap, s);
}

static void register_param(ir_unit *u, const char *name, ir_type type, ir_span span, bool is_var)
{
    ir_param *p = ir_job_add_param(u->job, name);
    p->type = type;
    p->span = span;
    p->is_variable = is_var;
}

ir_unit_param *ir_unit_add_param(ir_unit *u, const char *name, ir_param_mode mode, ir_type type)
{
    ir_unit_param p;
    memset(&p, 0, sizeof p);
    p.name = ir_intern(u->job, name);
    p.mode = mode;
    p.type = type;
    ARENA_PUSH(u->job->arena, u->params, u->n_params, u->cap_params, p);
    register_param(u, name, type, p.span, false);
    return &u->params[u->n_params - 1];
}

static void init_var(ir_unit *u, ir_var *v, const char *name, ir_var_kind kind)
{
    memset(v, 0, sizeof *v);
    v->name = ir_intern(u->job, name);
    v->kind = kind;
    if (kind == IR_VAR_SCALAR || kind == IR_VAR_ROW || kind == IR_VAR_TABLE)
        register_param(u, name, v->type, v->span, true);
}

ir_var *ir_pstmt_add_var(ir_unit *u, ir_pstmt *block, const char *name, ir_var_kind kind)
{
    ir_var v;
    init_var(u, &v, name, kind);
    int cap = block->n_vars; /* vars grow one at a time: the array is copied on every push */
    block->vars = arena_grow(u->job->arena, block->vars, (size_t)block->n_vars, (size_t)cap + 1, sizeof v);
    block->vars[block->n_vars++] = v;
    return &block->vars[block->n_vars - 1];
}

ir_var *ir_unit_new_var(ir_unit *u, const char *name, ir_var_kind kind)
{
    ir_var *v = zalloc(u, sizeof *v);
    init_var(u, v, name, kind);
    return v;
}

ir_pblock *ir_pstmt_add_branch(ir_unit *u, ir_pstmt *s, ir_expr *cond)
{
    int n_blocks = s->n_conds + (s->has_else ? 1 : 0);
    s->blocks = arena_grow(u->job->arena, s->blocks, (size_t)n_blocks, (size_t)n_blocks + 1, sizeof *s->blocks);
    memset(&s->blocks[n_blocks], 0, sizeof s->blocks[n_blocks]);
    if (!cond) {
        s->has_else = true;
        return &s->blocks[n_blocks];
    }
    s->conds = arena_grow(u->job->arena, s->conds, (size_t)s->n_conds, (size_t)s->n_conds + 1, sizeof *s->conds);
    s->conds[s->n_conds++] = cond;
    return &s->blocks[n_blocks];
}

ir_pblock *ir_pstmt_body(ir_unit *u, ir_pstmt *s)
{
    if (!s->blocks) {
        s->blocks = zalloc(u, sizeof *s->blocks);
    }
    return &s->blocks[0];
}

ir_handler *ir_pstmt_add_handler(ir_unit *u, ir_pstmt *block)
{
    block->handlers = arena_grow(u->job->arena, block->handlers, (size_t)block->n_handlers,
                                 (size_t)block->n_handlers + 1, sizeof *block->handlers);
    ir_handler *h = &block->handlers[block->n_handlers++];
    memset(h, 0, sizeof *h);
    return h;
}

void ir_handler_add_condition(ir_unit *u, ir_handler *h, const char *cond)
{
    h->conditions = arena_grow(u->job->arena, h->conditions, (size_t)h->n_conditions, (size_t)h->n_conditions + 1,
                               sizeof *h->conditions);
    h->conditions[h->n_conditions++] = ir_intern(u->job, cond);
}

void ir_pstmt_add_into(ir_unit *u, ir_pstmt *s, const char *var)
{
    s->into_vars = arena_grow(u->job->arena, s->into_vars, (size_t)s->n_into, (size_t)s->n_into + 1,
                              sizeof *s->into_vars);
    s->into_vars[s->n_into++] = ir_intern(u->job, var);
}

void ir_pstmt_add_arg(ir_unit *u, ir_pstmt *s, ir_expr *arg)
{
    ir_pstmt_add_call_arg(u, s, NULL, arg, NULL);
}

void ir_pstmt_add_call_arg(ir_unit *u, ir_pstmt *s, const char *name, ir_expr *arg, const char *out_var)
{
    size_t n = (size_t)s->n_args;
    s->args = arena_grow(u->job->arena, s->args, n, n + 1, sizeof *s->args);
    s->arg_names = arena_grow(u->job->arena, s->arg_names, n, n + 1, sizeof *s->arg_names);
    s->arg_outs = arena_grow(u->job->arena, s->arg_outs, n, n + 1, sizeof *s->arg_outs);
    s->args[n] = arg;
    s->arg_names[n] = name ? ir_intern(u->job, name) : NULL;
    s->arg_outs[n] = out_var ? ir_intern(u->job, out_var) : NULL;
    s->n_args++;
}

bool ir_pstmt_has_named_args(const ir_pstmt *s)
{
    for (int i = 0; s->arg_names && i < s->n_args; i++)
        if (s->arg_names[i])
            return true;
    return false;
}

const char *ir_pstmt_call_unmapped(const ir_pstmt *s)
{
    bool named = ir_pstmt_has_named_args(s);
    for (int i = 0; i < s->n_args; i++) {
        if (named && !s->arg_names[i])
            return "a call passing arguments both by position and by name (the targets take one or the other)";
        if (s->arg_outs && s->arg_outs[i] && !s->arg_names[i])
            return "an OUTPUT argument passed by position: the migrated procedure returns its OUT parameters by "
                   "name, which a call by position cannot name";
    }
    if (ir_pstmt_has_out_args(s) && s->n_into)
        return "a call reading both the return value and OUTPUT arguments: the migrated procedure returns only its "
               "OUT parameters";
    return NULL;
}

bool ir_pstmt_has_out_args(const ir_pstmt *s)
{
    for (int i = 0; s->arg_outs && i < s->n_args; i++)
        if (s->arg_outs[i])
            return true;
    return false;
}

/* ---- walking ---- */

/* The blocks a step holds, in order (IF branches, loop bodies, a block's own steps); *n set. */
static int n_blocks_of(const ir_pstmt *s)
{
    switch (s->kind) {
    case IR_PS_IF:
        return s->n_conds + (s->has_else ? 1 : 0);
    case IR_PS_WHILE: case IR_PS_LOOP: case IR_PS_FOR_RANGE: case IR_PS_FOR_QUERY: case IR_PS_FORALL:
        return s->blocks ? 1 : 0;
    default:
        return 0;
    }
}

static int count_steps(const ir_pblock *b, int holes_only);

static int count_step(const ir_pstmt *s, int holes_only)
{
    int n = 0;
    if (!holes_only)
        n = 1;
    else if (s->kind == IR_PS_HOLE || (s->kind == IR_PS_SQL && s->stmt && s->stmt->kind == IR_ST_HOLE))
        n = 1;
    for (int i = 0; i < n_blocks_of(s); i++)
        n += count_steps(&s->blocks[i], holes_only);
    if (s->kind == IR_PS_BLOCK) {
        /* a block's steps live in blocks[0] as well */
        if (s->blocks)
            n += count_steps(&s->blocks[0], holes_only);
        for (int h = 0; h < s->n_handlers; h++)
            n += count_steps(&s->handlers[h].body, holes_only);
    }
    return n;
}

static int count_steps(const ir_pblock *b, int holes_only)
{
    int n = 0;
    for (int i = 0; i < b->n; i++)
        n += count_step(b->stmts[i], holes_only);
    return n;
}

/* The steps of a BLOCK step (the unit's body included) are in blocks[0]. */
static const ir_pblock *block_steps(const ir_pstmt *s)
{
    static const ir_pblock empty;
    return s->blocks ? &s->blocks[0] : &empty;
}

int ir_unit_count_steps(const ir_unit *u)
{
    return count_step(&u->body, 0) - 1;
}

int ir_unit_hole_steps(const ir_unit *u)
{
    return count_step(&u->body, 1);
}

typedef struct hole_walk {
    ir_hole_fn fn;
    void *ud;
    int n;
} hole_walk;

static void relay(void *userdata, const ir_hole_info *h)
{
    hole_walk *w = userdata;
    w->n++;
    if (w->fn)
        w->fn(w->ud, h);
}

static void holes_expr(hole_walk *w, const ir_expr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case IR_EX_HOLE: {
        ir_hole_info h;
        memset(&h, 0, sizeof h);
        h.kind = "expression";
        h.text = e->u.hole.text;
        h.reason = e->u.hole.reason;
        h.span = e->span;
        relay(w, &h);
        break;
    }
    case IR_EX_CALL:
        for (int i = 0; i < e->u.call.n_args; i++)
            holes_expr(w, e->u.call.args[i]);
        break;
    case IR_EX_OVER:
    case IR_EX_QUERY: {
        /* a subquery or window call inside a procedural expression: through a query statement */
        ir_query *q = NULL;
        if (e->kind == IR_EX_QUERY && e->u.sub) {
            holes_expr(w, e->u.sub->lhs);
            q = e->u.sub->query;
        } else if (e->kind == IR_EX_OVER && e->u.over) {
            holes_expr(w, e->u.over->call);
            for (int i = 0; i < e->u.over->n_partition; i++)
                holes_expr(w, e->u.over->partition[i]);
            for (int i = 0; i < e->u.over->n_order; i++)
                holes_expr(w, e->u.over->order[i].expr);
        }
        if (q) {
            ir_stmt st;
            memset(&st, 0, sizeof st);
            st.kind = IR_ST_QUERY;
            st.query = q;
            ir_stmt_holes(&st, relay, w);
        }
        break;
    }
    default:
        break;
    }
}

static void holes_block(hole_walk *w, const ir_pblock *b);

static void holes_var(hole_walk *w, const ir_var *v)
{
    holes_expr(w, v->init);
    if (v->query)
        ir_stmt_holes(v->query, relay, w);
}

static void holes_step(hole_walk *w, const ir_pstmt *s)
{
    if (s->kind == IR_PS_HOLE) {
        ir_hole_info h;
        memset(&h, 0, sizeof h);
        h.kind = "procedural";
        h.text = s->text;
        h.reason = s->hole_reason;
        h.span = s->span;
        relay(w, &h);
        return;
    }
    if (s->stmt)
        ir_stmt_holes(s->stmt, relay, w);
    if (s->query)
        ir_stmt_holes(s->query, relay, w);
    if (s->var)
        holes_var(w, s->var);
    for (int i = 0; i < s->n_vars; i++)
        holes_var(w, &s->vars[i]);
    holes_expr(w, s->value);
    holes_expr(w, s->code);
    holes_expr(w, s->lo);
    holes_expr(w, s->hi);
    for (int i = 0; i < s->n_args; i++)
        holes_expr(w, s->args[i]);
    int nb = n_blocks_of(s);
    for (int i = 0; i < s->n_conds || i < nb; i++) {
        if (i < s->n_conds)
            holes_expr(w, s->conds[i]);
        if (i < nb)
            holes_block(w, &s->blocks[i]);
    }
    if (s->kind == IR_PS_BLOCK) {
        holes_block(w, block_steps(s));
        for (int h = 0; h < s->n_handlers; h++)
            holes_block(w, &s->handlers[h].body);
    }
}

static void holes_block(hole_walk *w, const ir_pblock *b)
{
    for (int i = 0; i < b->n; i++)
        holes_step(w, b->stmts[i]);
}

int ir_unit_holes(const ir_unit *u, ir_hole_fn fn, void *userdata)
{
    hole_walk w = {fn, userdata, 0};
    for (int i = 0; i < u->n_params; i++)
        holes_expr(&w, u->params[i].default_value);
    holes_step(&w, &u->body);
    return w.n;
}

/* ---- text form ---- */

/* text on one line: runs of blanks and line breaks become one blank; at most max bytes (then "...") */
static void put_flat(strbuf *sb, const char *text, size_t max)
{
    size_t n = 0;
    int blank = 0;
    const char *p = text ? text : "";
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    for (; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            blank = 1;
            continue;
        }
        if (max && n >= max) {
            sb_puts(sb, " ...");
            return;
        }
        if (blank)
            sb_putc(sb, ' ');
        blank = 0;
        sb_putc(sb, *p);
        n++;
    }
}

static void put_expr(strbuf *sb, const ir_expr *e)
{
    if (e)
        ir_expr_to_text(sb, e);
    else
        sb_puts(sb, "?");
}

static void put_type(strbuf *sb, ir_type t)
{
    char buf[64];
    ir_type_format(t, buf, sizeof buf);
    sb_puts(sb, buf);
}

/* A statement's canonical text on one line (its clause lines joined by blanks). */
static void put_stmt(strbuf *sb, const ir_unit *u, const ir_stmt *st, int ind)
{
    (void)ind;
    if (!st) {
        sb_puts(sb, "?");
        return;
    }
    if (st->kind == IR_ST_HOLE) {
        sb_printf(sb, "hole (%s): ", st->hole_reason ? st->hole_reason : "not translated");
        put_flat(sb, st->text, 100);
        return;
    }
    strbuf t = STRBUF_INIT;
    ir_stmt_to_text(&t, u->job, st);
    put_flat(sb, sb_cstr(&t), 0);
    sb_free(&t);
}

static void put_names(strbuf *sb, const char *const *v, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(sb, ", ");
        sb_puts(sb, v[i]);
    }
}

static void text_var(strbuf *sb, const ir_unit *u, const ir_var *v, int ind)
{
    switch (v->kind) {
    case IR_VAR_CURSOR:
        sb_printf(sb, "cursor %s is ", v->name);
        put_stmt(sb, u, v->query, ind);
        return;
    case IR_VAR_EXCEPTION:
        sb_printf(sb, "exception %s", v->name);
        return;
    case IR_VAR_ROW:
        sb_printf(sb, "var %s row", v->name);
        if (v->type_of)
            sb_printf(sb, " of %s", v->type_of);
        break;
    case IR_VAR_TABLE:
        sb_printf(sb, "var %s table", v->name);
        if (v->n_cols) {
            sb_putc(sb, '(');
            for (int i = 0; i < v->n_cols; i++) {
                if (i)
                    sb_puts(sb, ", ");
                sb_printf(sb, "%s ", v->cols[i]);
                put_type(sb, v->col_types ? v->col_types[i] : ir_type_make(IR_TY_UNKNOWN, 0, 0));
            }
            sb_putc(sb, ')');
        }
        if (v->type_of)
            sb_printf(sb, " of %s", v->type_of);
        break;
    default:
        sb_printf(sb, "var %s%s ", v->name, v->constant ? " constant" : "");
        put_type(sb, v->type);
        if (v->type_of)
            sb_printf(sb, " of %s", v->type_of);
        break;
    }
    if (v->init) {
        sb_puts(sb, " := ");
        put_expr(sb, v->init);
    }
}

static void text_block(strbuf *sb, const ir_unit *u, const ir_pblock *b, int ind);

static void text_when(strbuf *sb, const ir_pstmt *s)
{
    if (s->n_conds && s->conds[0]) {
        sb_puts(sb, " when ");
        put_expr(sb, s->conds[0]);
    }
}

static void text_step(strbuf *sb, const ir_unit *u, const ir_pstmt *s, int ind)
{
    sb_indent(sb, ind);
    switch (s->kind) {
    case IR_PS_SQL:
        sb_puts(sb, "sql ");
        put_stmt(sb, u, s->stmt, ind);
        if (s->n_into) {
            sb_puts(sb, s->bulk ? " bulk into " : " into ");
            put_names(sb, s->into_vars, s->n_into);
        }
        if (s->lifted)
            sb_printf(sb, " [lifted: %s]", s->lifted);
        break;
    case IR_PS_DECLARE:
        sb_puts(sb, "declare ");
        if (s->var)
            text_var(sb, u, s->var, ind);
        break;
    case IR_PS_ASSIGN:
        sb_printf(sb, "set %s = ", s->target ? s->target : "?");
        put_expr(sb, s->value);
        break;
    case IR_PS_IF:
        for (int i = 0; i < s->n_conds; i++) {
            if (i)
                sb_indent(sb, ind);
            sb_puts(sb, i ? "elsif " : "if ");
            put_expr(sb, s->conds[i]);
            sb_putc(sb, '\n');
            text_block(sb, u, &s->blocks[i], ind + 2);
        }
        if (s->has_else) {
            sb_indent(sb, ind);
            sb_puts(sb, "else\n");
            text_block(sb, u, &s->blocks[s->n_conds], ind + 2);
        }
        sb_indent(sb, ind);
        sb_puts(sb, "end if\n");
        return;
    case IR_PS_WHILE:
    case IR_PS_LOOP:
    case IR_PS_FOR_RANGE:
    case IR_PS_FOR_QUERY:
    case IR_PS_FORALL:
        if (s->name)
            sb_printf(sb, "<<%s>> ", s->name);
        if (s->kind == IR_PS_WHILE) {
            sb_puts(sb, "while ");
            put_expr(sb, s->n_conds ? s->conds[0] : NULL);
        } else if (s->kind == IR_PS_LOOP) {
            sb_puts(sb, "loop");
        } else if (s->kind == IR_PS_FOR_QUERY) {
            sb_printf(sb, "for %s in ", s->loop_var ? s->loop_var : "?");
            if (s->cursor) {
                sb_printf(sb, "cursor %s", s->cursor);
                if (s->n_args) {
                    sb_putc(sb, '(');
                    for (int i = 0; i < s->n_args; i++) {
                        if (i)
                            sb_puts(sb, ", ");
                        put_expr(sb, s->args[i]);
                    }
                    sb_putc(sb, ')');
                }
            } else {
                sb_putc(sb, '(');
                put_stmt(sb, u, s->query, ind);
                sb_putc(sb, ')');
            }
        } else {
            sb_printf(sb, "%s %s in %s", s->kind == IR_PS_FORALL ? "forall" : "for", s->loop_var ? s->loop_var : "?",
                      s->reverse ? "reverse " : "");
            put_expr(sb, s->lo);
            sb_puts(sb, " .. ");
            put_expr(sb, s->hi);
        }
        sb_putc(sb, '\n');
        if (s->blocks)
            text_block(sb, u, &s->blocks[0], ind + 2);
        sb_indent(sb, ind);
        sb_puts(sb, "end loop\n");
        return;
    case IR_PS_EXIT:
    case IR_PS_CONTINUE:
        sb_puts(sb, s->kind == IR_PS_EXIT ? "exit" : "continue");
        if (s->name)
            sb_printf(sb, " %s", s->name);
        text_when(sb, s);
        break;
    case IR_PS_RETURN:
        sb_puts(sb, "return");
        if (s->value) {
            sb_putc(sb, ' ');
            put_expr(sb, s->value);
        }
        break;
    case IR_PS_RAISE:
        sb_puts(sb, "raise");
        if (s->name)
            sb_printf(sb, " %s", s->name);
        if (s->code) {
            sb_puts(sb, " code ");
            put_expr(sb, s->code);
        }
        if (s->value) {
            sb_puts(sb, " message ");
            put_expr(sb, s->value);
        }
        for (int i = 0; i < s->n_args; i++) {
            sb_puts(sb, i ? ", " : " with ");
            put_expr(sb, s->args[i]);
        }
        if (!s->name && !s->code && !s->value)
            sb_puts(sb, " (re-raise)");
        break;
    case IR_PS_BLOCK:
        if (s->name)
            sb_printf(sb, "<<%s>> ", s->name);
        sb_puts(sb, "begin\n");
        for (int i = 0; i < s->n_vars; i++) {
            sb_indent(sb, ind + 2);
            text_var(sb, u, &s->vars[i], ind + 2);
            sb_putc(sb, '\n');
        }
        text_block(sb, u, block_steps(s), ind + 2);
        for (int h = 0; h < s->n_handlers; h++) {
            const ir_handler *hd = &s->handlers[h];
            sb_indent(sb, ind);
            sb_printf(sb, "%s ", hd->is_continue ? "continue handler" : "handler");
            if (hd->n_conditions)
                put_names(sb, hd->conditions, hd->n_conditions);
            else
                sb_puts(sb, "any error");
            sb_putc(sb, '\n');
            text_block(sb, u, &hd->body, ind + 2);
        }
        sb_indent(sb, ind);
        sb_puts(sb, "end\n");
        return;
    case IR_PS_OPEN:
    case IR_PS_FETCH:
    case IR_PS_CLOSE:
        sb_printf(sb, "%s %s", s->kind == IR_PS_OPEN ? "open" : s->kind == IR_PS_FETCH ? "fetch" : "close",
                  s->name ? s->name : "?");
        if (s->n_args) {
            sb_putc(sb, '(');
            for (int i = 0; i < s->n_args; i++) {
                if (i)
                    sb_puts(sb, ", ");
                put_expr(sb, s->args[i]);
            }
            sb_putc(sb, ')');
        }
        if (s->query) {
            sb_puts(sb, " for ");
            put_stmt(sb, u, s->query, ind);
        }
        if (s->n_into) {
            sb_puts(sb, s->bulk ? " bulk into " : " into ");
            put_names(sb, s->into_vars, s->n_into);
        }
        if (s->value) { /* FETCH .. LIMIT n; OPEN c FOR text (dynamic SQL) */
            sb_puts(sb, s->kind == IR_PS_OPEN ? " for text " : " limit ");
            put_expr(sb, s->value);
        }
        break;
    case IR_PS_EXEC:
        sb_puts(sb, "exec ");
        put_expr(sb, s->value);
        if (s->n_into) {
            sb_puts(sb, s->bulk ? " bulk into " : " into ");
            put_names(sb, s->into_vars, s->n_into);
        }
        if (s->n_args) {
            sb_puts(sb, " using ");
            for (int i = 0; i < s->n_args; i++) {
                if (i)
                    sb_puts(sb, ", ");
                put_expr(sb, s->args[i]);
            }
        }
        break;
    case IR_PS_CALL:
        /* an argument by name as `name => value`, an OUT one followed by `out var` */
        sb_printf(sb, "call %s(", s->name ? s->name : "?");
        for (int i = 0; i < s->n_args; i++) {
            if (i)
                sb_puts(sb, ", ");
            if (s->arg_names && s->arg_names[i])
                sb_printf(sb, "%s => ", s->arg_names[i]);
            put_expr(sb, s->args[i]);
            if (s->arg_outs && s->arg_outs[i])
                sb_printf(sb, " out %s", s->arg_outs[i]);
        }
        sb_putc(sb, ')');
        if (s->n_into) {
            sb_puts(sb, " into ");
            put_names(sb, s->into_vars, s->n_into);
        }
        break;
    case IR_PS_BEGIN_TXN:
        if (s->name)
            sb_printf(sb, "savepoint %s", s->name);
        else
            sb_puts(sb, "begin transaction");
        break;
    case IR_PS_COMMIT:
        sb_puts(sb, "commit");
        break;
    case IR_PS_ROLLBACK:
        sb_puts(sb, "rollback");
        if (s->name)
            sb_printf(sb, " to %s", s->name);
        break;
    case IR_PS_PRINT:
        sb_puts(sb, "print ");
        put_expr(sb, s->value);
        for (int i = 0; i < s->n_args; i++) {
            sb_puts(sb, i ? ", " : " with ");
            put_expr(sb, s->args[i]);
        }
        break;
    case IR_PS_LABEL:
        sb_printf(sb, "label %s", s->name ? s->name : "?");
        break;
    case IR_PS_GOTO:
        sb_printf(sb, "goto %s", s->name ? s->name : "?");
        text_when(sb, s);
        break;
    case IR_PS_QUIT:
        sb_puts(sb, "quit");
        if (s->value) {
            sb_putc(sb, ' ');
            put_expr(sb, s->value);
        }
        break;
    case IR_PS_COMMAND:
        sb_puts(sb, "command ");
        put_flat(sb, s->text, 100);
        break;
    case IR_PS_HOLE:
        sb_printf(sb, "hole %d:%d (%s): ", s->span.line, s->span.col, s->hole_reason ? s->hole_reason : "not translated");
        put_flat(sb, s->text, 80);
        break;
    }
    sb_putc(sb, '\n');
}

static void text_block(strbuf *sb, const ir_unit *u, const ir_pblock *b, int ind)
{
    for (int i = 0; i < b->n; i++)
        text_step(sb, u, b->stmts[i], ind);
}

void ir_unit_to_text(strbuf *sb, const ir_unit *u)
{
    sb_printf(sb, "%s %s(", ir_unit_kind_name(u->kind), u->name ? u->name : "?");
    for (int i = 0; i < u->n_params; i++) {
        const ir_unit_param *p = &u->params[i];
        if (i)
            sb_puts(sb, ", ");
        sb_printf(sb, "%s %s ", ir_param_mode_name(p->mode), p->name);
        put_type(sb, p->type);
        if (p->default_value) {
            sb_puts(sb, " := ");
            put_expr(sb, p->default_value);
        }
    }
    sb_putc(sb, ')');
    if (u->kind == IR_UNIT_FUNCTION) {
        sb_puts(sb, " returns ");
        put_type(sb, u->returns);
    }
    sb_putc(sb, '\n');
    const ir_pstmt *b = &u->body;
    for (int i = 0; i < b->n_vars; i++) {
        sb_indent(sb, 2);
        text_var(sb, u, &b->vars[i], 2);
        sb_putc(sb, '\n');
    }
    text_block(sb, u, block_steps(b), 2);
    for (int h = 0; h < b->n_handlers; h++) {
        const ir_handler *hd = &b->handlers[h];
        sb_printf(sb, "%s ", hd->is_continue ? "continue handler" : "handler");
        if (hd->n_conditions)
            put_names(sb, hd->conditions, hd->n_conditions);
        else
            sb_puts(sb, "any error");
        sb_putc(sb, '\n');
        text_block(sb, u, &hd->body, 2);
    }
}

/* ---- JSON ---- */

typedef struct jctx {
    strbuf *sb;
    const ir_unit *u;
} jctx;

static void j_indent(jctx *j, int ind)
{
    sb_putc(j->sb, '\n');
    sb_indent(j->sb, ind);
}

static void j_key(jctx *j, const char *k)
{
    sb_put_json_string(j->sb, k);
    sb_puts(j->sb, ": ");
}

static void j_str(jctx *j, const char *k, const char *v)
{
    sb_puts(j->sb, ", ");
    j_key(j, k);
    sb_put_json_string(j->sb, v ? v : "");
}

static void j_int(jctx *j, const char *k, long long v)
{
    sb_puts(j->sb, ", ");
    j_key(j, k);
    sb_put_int(j->sb, v);
}

static void j_expr(jctx *j, const char *k, const ir_expr *e)
{
    if (!e)
        return;
    strbuf t = STRBUF_INIT;
    ir_expr_to_text(&t, e);
    j_str(j, k, sb_cstr(&t));
    sb_free(&t);
}

static void j_type(jctx *j, const char *k, ir_type ty)
{
    char buf[64];
    ir_type_format(ty, buf, sizeof buf);
    j_str(j, k, buf);
}

static void j_names(jctx *j, const char *k, const char *const *v, int n)
{
    if (!n)
        return;
    sb_puts(j->sb, ", ");
    j_key(j, k);
    sb_putc(j->sb, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(j->sb, ", ");
        sb_put_json_string(j->sb, v[i]);
    }
    sb_putc(j->sb, ']');
}

static void j_exprs(jctx *j, const char *k, ir_expr *const *v, int n)
{
    if (!n)
        return;
    sb_puts(j->sb, ", ");
    j_key(j, k);
    sb_putc(j->sb, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(j->sb, ", ");
        strbuf t = STRBUF_INIT;
        put_expr(&t, v[i]);
        sb_put_json_string(j->sb, sb_cstr(&t));
        sb_free(&t);
    }
    sb_putc(j->sb, ']');
}

static void j_span(jctx *j, ir_span sp)
{
    if (sp.file && j->u->file && strcmp(sp.file, j->u->file) != 0)
        j_str(j, "file", sp.file);
    j_int(j, "line", sp.line);
    j_int(j, "col", sp.col);
}

static void j_stmt(jctx *j, const char *k, const ir_stmt *st)
{
    if (!st)
        return;
    sb_puts(j->sb, ", ");
    j_key(j, k);
    sb_puts(j->sb, "{");
    if (st->kind == IR_ST_HOLE) {
        j_key(j, "hole");
        sb_puts(j->sb, "true");
        j_str(j, "reason", st->hole_reason);
    } else {
        strbuf t = STRBUF_INIT;
        ir_stmt_to_text(&t, j->u->job, st);
        j_key(j, "canonical");
        sb_put_json_string(j->sb, sb_cstr(&t));
        sb_free(&t);
    }
    j_str(j, "legacy", st->text);
    sb_puts(j->sb, "}");
}

static void j_var(jctx *j, const ir_var *v)
{
    sb_puts(j->sb, "{");
    j_key(j, "name");
    sb_put_json_string(j->sb, v->name);
    j_str(j, "kind", var_kind_names[v->kind]);
    if (v->kind == IR_VAR_SCALAR || v->kind == IR_VAR_ROW || v->kind == IR_VAR_TABLE)
        j_type(j, "type", v->type);
    if (v->type_of)
        j_str(j, "type_of", v->type_of);
    if (v->constant) {
        sb_puts(j->sb, ", ");
        j_key(j, "constant");
        sb_puts(j->sb, "true");
    }
    j_expr(j, "init", v->init);
    j_stmt(j, "query", v->query);
    if (v->n_cols) {
        sb_puts(j->sb, ", ");
        j_key(j, "columns");
        sb_putc(j->sb, '[');
        for (int i = 0; i < v->n_cols; i++) {
            char buf[64];
            ir_type_format(v->col_types ? v->col_types[i] : ir_type_make(IR_TY_UNKNOWN, 0, 0), buf, sizeof buf);
            if (i)
                sb_puts(j->sb, ", ");
            sb_puts(j->sb, "{");
            j_key(j, "name");
            sb_put_json_string(j->sb, v->cols[i]);
            j_str(j, "type", buf);
            sb_puts(j->sb, "}");
        }
        sb_putc(j->sb, ']');
    }
    j_int(j, "line", v->span.line);
    sb_puts(j->sb, "}");
}

static void j_block(jctx *j, const char *k, const ir_pblock *b, int ind);

static void j_step(jctx *j, const ir_pstmt *s, int ind)
{
    sb_puts(j->sb, "{");
    j_key(j, "step");
    sb_put_json_string(j->sb, s->kind == IR_PS_BLOCK ? "block" : ir_pstmt_kind_name(s->kind));
    j_span(j, s->span);
    if (s->name)
        j_str(j, "name", s->name);
    if (s->target)
        j_str(j, "target", s->target);
    if (s->loop_var)
        j_str(j, "loop_var", s->loop_var);
    if (s->cursor)
        j_str(j, "cursor", s->cursor);
    if (s->reverse) {
        sb_puts(j->sb, ", ");
        j_key(j, "reverse");
        sb_puts(j->sb, "true");
    }
    if (s->lifted)
        j_str(j, "lifted", s->lifted);
    if (s->bulk) {
        sb_puts(j->sb, ", ");
        j_key(j, "bulk");
        sb_puts(j->sb, "true");
    }
    j_stmt(j, "stmt", s->stmt);
    j_stmt(j, "query", s->query);
    j_names(j, "into", s->into_vars, s->n_into);
    if (s->var) {
        sb_puts(j->sb, ", ");
        j_key(j, "var");
        j_var(j, s->var);
    }
    j_expr(j, "value", s->value);
    j_expr(j, "code", s->code);
    j_expr(j, "lo", s->lo);
    j_expr(j, "hi", s->hi);
    if (s->kind != IR_PS_IF)
        j_exprs(j, "conds", s->conds, s->n_conds); /* IF: in "branches" */
    j_exprs(j, "args", s->args, s->n_args);
    if (ir_pstmt_has_named_args(s) || ir_pstmt_has_out_args(s)) {
        /* by argument: the parameter it is passed to by name and the variable an OUT one fills, "" for none */
        const char **names = calloc((size_t)s->n_args * 2, sizeof *names);
        if (!names)
            abort();
        const char **outs = names + s->n_args;
        for (int i = 0; i < s->n_args; i++) {
            names[i] = s->arg_names[i] ? s->arg_names[i] : "";
            outs[i] = s->arg_outs[i] ? s->arg_outs[i] : "";
        }
        j_names(j, "arg_names", names, s->n_args);
        j_names(j, "arg_outs", outs, s->n_args);
        free(names);
    }
    if (s->kind == IR_PS_HOLE)
        j_str(j, "reason", s->hole_reason);
    if (s->kind == IR_PS_HOLE || s->kind == IR_PS_COMMAND || s->kind == IR_PS_EXEC ||
        (s->kind == IR_PS_SQL && (!s->stmt || !s->stmt->text || strcmp(s->stmt->text, s->text) != 0)))
        j_str(j, "text", s->text); /* a SQL step's text is its statement's legacy text unless lifted */
    if (s->n_vars) {
        sb_puts(j->sb, ", ");
        j_key(j, "vars");
        sb_putc(j->sb, '[');
        for (int i = 0; i < s->n_vars; i++) {
            j_indent(j, ind + 2);
            j_var(j, &s->vars[i]);
            if (i + 1 < s->n_vars)
                sb_putc(j->sb, ',');
        }
        sb_putc(j->sb, ']');
    }
    int nb = n_blocks_of(s);
    if (s->kind == IR_PS_BLOCK) {
        j_block(j, "steps", block_steps(s), ind);
    } else if (s->kind == IR_PS_IF) {
        sb_puts(j->sb, ", ");
        j_key(j, "branches");
        sb_putc(j->sb, '[');
        for (int i = 0; i < nb; i++) {
            j_indent(j, ind + 1);
            sb_putc(j->sb, '{');
            j_key(j, "when");
            if (i < s->n_conds) {
                strbuf t = STRBUF_INIT;
                put_expr(&t, s->conds[i]);
                sb_put_json_string(j->sb, sb_cstr(&t));
                sb_free(&t);
            } else {
                sb_puts(j->sb, "null");
            }
            j_block(j, "steps", &s->blocks[i], ind + 1);
            sb_putc(j->sb, '}');
            if (i + 1 < nb)
                sb_putc(j->sb, ',');
        }
        sb_putc(j->sb, ']');
    } else if (nb) {
        j_block(j, "steps", &s->blocks[0], ind);
    }
    if (s->n_handlers) {
        sb_puts(j->sb, ", ");
        j_key(j, "handlers");
        sb_putc(j->sb, '[');
        for (int h = 0; h < s->n_handlers; h++) {
            const ir_handler *hd = &s->handlers[h];
            j_indent(j, ind + 1);
            sb_putc(j->sb, '{');
            j_key(j, "conditions");
            sb_putc(j->sb, '[');
            for (int c = 0; c < hd->n_conditions; c++) {
                if (c)
                    sb_puts(j->sb, ", ");
                sb_put_json_string(j->sb, hd->conditions[c]);
            }
            sb_putc(j->sb, ']');
            if (hd->is_continue) {
                sb_puts(j->sb, ", ");
                j_key(j, "continue");
                sb_puts(j->sb, "true");
            }
            j_block(j, "steps", &hd->body, ind + 1);
            sb_putc(j->sb, '}');
            if (h + 1 < s->n_handlers)
                sb_putc(j->sb, ',');
        }
        sb_putc(j->sb, ']');
    }
    sb_puts(j->sb, "}");
}

static void j_block(jctx *j, const char *k, const ir_pblock *b, int ind)
{
    sb_puts(j->sb, ", ");
    j_key(j, k);
    sb_putc(j->sb, '[');
    for (int i = 0; i < b->n; i++) {
        j_indent(j, ind + 2);
        j_step(j, b->stmts[i], ind + 2);
        if (i + 1 < b->n)
            sb_putc(j->sb, ',');
    }
    sb_putc(j->sb, ']');
}

void ir_unit_to_json(const ir_unit *u, strbuf *out)
{
    jctx j = {out, u};
    sb_puts(out, "{");
    j_key(&j, "unit_version");
    sb_puts(out, "1");
    j_str(&j, "kind", ir_unit_kind_name(u->kind));
    j_str(&j, "name", u->name);
    j_str(&j, "dialect", u->dialect);
    j_str(&j, "file", u->file);
    j_int(&j, "line", u->span.line);
    j_int(&j, "col", u->span.col);
    j_int(&j, "steps", ir_unit_count_steps(u));
    j_int(&j, "hole_steps", ir_unit_hole_steps(u));
    if (u->kind == IR_UNIT_FUNCTION)
        j_type(&j, "returns", u->returns);
    sb_puts(out, ",\n ");
    j_key(&j, "params");
    sb_putc(out, '[');
    for (int i = 0; i < u->n_params; i++) {
        const ir_unit_param *p = &u->params[i];
        j_indent(&j, 2);
        sb_puts(out, "{");
        j_key(&j, "name");
        sb_put_json_string(out, p->name);
        j_str(&j, "mode", ir_param_mode_name(p->mode));
        j_type(&j, "type", p->type);
        j_expr(&j, "default", p->default_value);
        sb_puts(out, "}");
        if (i + 1 < u->n_params)
            sb_putc(out, ',');
    }
    sb_puts(out, "],\n ");
    /* every variable the unit's expressions may read as IR_EX_PARAM (declared ones, loop variables,
     * BTEQ's errorcode / activitycount): the job params that are not parameters */
    j_key(&j, "variables");
    sb_putc(out, '[');
    int first = 1;
    for (int i = 0; i < u->job->n_params; i++) {
        const ir_param *p = &u->job->params[i];
        if (!p->is_variable)
            continue;
        sb_puts(out, first ? "" : ", ");
        first = 0;
        sb_puts(out, "{");
        j_key(&j, "name");
        sb_put_json_string(out, p->name);
        j_type(&j, "type", p->type);
        sb_puts(out, "}");
    }
    sb_puts(out, "],\n ");
    j_key(&j, "body");
    j_step(&j, &u->body, 1);
    sb_puts(out, "}\n");
}

bool ir_pstmt_own_exprs_any(const ir_pstmt *s, bool (*fn)(ir_expr *e, void *ud), void *ud)
{
    ir_expr *es[3] = {s->value, s->code, s->var ? s->var->init : NULL};
    for (int i = 0; i < 3; i++)
        if (es[i] && ir_expr_visit(es[i], fn, ud))
            return true;
    for (int i = 0; i < s->n_conds; i++)
        if (s->conds[i] && ir_expr_visit(s->conds[i], fn, ud))
            return true;
    return false;
}

bool ir_pstmt_any(const ir_pstmt *s, bool (*pred)(const ir_pstmt *s, const void *ud), const void *ud)
{
    if (!s)
        return false;
    if (pred(s, ud))
        return true;
    int nb = s->kind == IR_PS_IF ? s->n_conds + (s->has_else ? 1 : 0) : s->blocks ? 1 : 0;
    for (int i = 0; i < nb; i++)
        for (int k = 0; k < s->blocks[i].n; k++)
            if (ir_pstmt_any(s->blocks[i].stmts[k], pred, ud))
                return true;
    for (int i = 0; i < s->n_handlers; i++)
        for (int k = 0; k < s->handlers[i].body.n; k++)
            if (ir_pstmt_any(s->handlers[i].body.stmts[k], pred, ud))
                return true;
    return false;
}

static const ir_var *find_var_block(const ir_pblock *b, const char *name)
{
    for (int i = 0; b && i < b->n; i++) {
        const ir_var *v = ir_pstmt_find_var(b->stmts[i], name);
        if (v)
            return v;
    }
    return NULL;
}

const ir_var *ir_pstmt_find_var(const ir_pstmt *s, const char *name)
{
    if (!s || !name)
        return NULL;
    for (int i = 0; i < s->n_vars; i++)
        if (s->vars[i].name && strcasecmp(s->vars[i].name, name) == 0)
            return &s->vars[i];
    if (s->kind == IR_PS_DECLARE && s->var && s->var->name && strcasecmp(s->var->name, name) == 0)
        return s->var;
    int nb = s->kind == IR_PS_IF ? s->n_conds + (s->has_else ? 1 : 0) : s->blocks ? 1 : 0;
    for (int i = 0; i < nb; i++) {
        const ir_var *v = find_var_block(&s->blocks[i], name);
        if (v)
            return v;
    }
    for (int i = 0; i < s->n_handlers; i++) {
        const ir_var *v = find_var_block(&s->handlers[i].body, name);
        if (v)
            return v;
    }
    return NULL;
}

/* ---- control-flow shapes the emitters share (BTEQ gotos, error exits) ---- */

/* Whether e reads the variable name (a parameter reference, or a bare column of that name as
 * Netezza's ROW_COUNT arrives). */
static bool reads_var(const ir_expr *e, const char *name)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_PARAM)
        return e->u.param.name && strcasecmp(e->u.param.name, name) == 0;
    if (e->kind == IR_EX_REF && e->u.ref.node == 0)
        return e->u.ref.col && strcasecmp(e->u.ref.col, name) == 0;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (reads_var(e->u.call.args[i], name))
                return true;
    return false;
}

int ir_pblock_label_index(const ir_pblock *b, const char *name, int from)
{
    for (int i = from; name && i < b->n; i++)
        if (b->stmts[i]->kind == IR_PS_LABEL && b->stmts[i]->name && strcasecmp(b->stmts[i]->name, name) == 0)
            return i;
    return -1;
}

/* A GOTO, conditional or not, or `IF cond THEN GOTO label END IF` (how BTEQ's `.IF ... THEN
 * .GOTO` may arrive): the jump's target and condition. */
const ir_pstmt *ir_pstmt_as_goto(const ir_pstmt *s, const ir_expr **cond)
{
    if (s->kind == IR_PS_GOTO) {
        *cond = s->n_conds ? s->conds[0] : NULL;
        return s;
    }
    if (s->kind == IR_PS_IF && s->n_conds == 1 && !s->has_else && s->blocks[0].n == 1 &&
        s->blocks[0].stmts[0]->kind == IR_PS_GOTO && s->blocks[0].stmts[0]->n_conds == 0) {
        *cond = s->conds[0];
        return s->blocks[0].stmts[0];
    }
    return NULL;
}

/* The terminal section at label index l: the steps after the label up to and including the
 * first QUIT or RETURN, with no label or jump among them; *end is that step's index. A jump to
 * such a section (BTEQ's `.GOTO ERR_EXIT` ... `.LABEL ERR_EXIT` ... `.QUIT 8`) is the section
 * itself, written where the jump is. */
bool ir_pblock_terminal_section(const ir_pblock *b, int l, int *end)
{
    for (int k = l + 1; k < b->n; k++) {
        const ir_pstmt *t = b->stmts[k];
        const ir_expr *c;
        if (t->kind == IR_PS_LABEL || ir_pstmt_as_goto(t, &c))
            return false;
        if (t->kind == IR_PS_QUIT || t->kind == IR_PS_RETURN) {
            *end = k;
            return true;
        }
    }
    return false;
}

/* BTEQ's error exit: when every `.IF ERRORCODE ... THEN .GOTO L` of the script's top level jumps
 * to the same label and L's section ends the script, the index of L (else -1); *end its last step.
 * A failing statement raises where ERRORCODE would have been set, so that section becomes the
 * handler of the whole script instead of branches that could never be taken. */
int ir_unit_error_exit_label(const ir_unit *u, int *end)
{
    const ir_pblock *b = u->body.blocks ? &u->body.blocks[0] : NULL;
    const char *label = NULL;
    for (int i = 0; b && i < b->n; i++) {
        const ir_expr *c = NULL;
        const ir_pstmt *go = ir_pstmt_as_goto(b->stmts[i], &c);
        if (!go || !c || !reads_var(c, "ERRORCODE"))
            continue;
        if (label && (!go->name || strcasecmp(label, go->name) != 0))
            return -1;
        label = go->name;
    }
    if (!label || u->kind != IR_UNIT_SCRIPT || u->body.n_handlers)
        return -1;
    int l = ir_pblock_label_index(b, label, 0);
    return l >= 0 && ir_pblock_terminal_section(b, l, end) ? l : -1;
}

void ir_pblock_legacy_text(strbuf *sb, const ir_pblock *b, int depth)
{
    for (int i = 0; i < b->n; i++) {
        const ir_pstmt *s = b->stmts[i];
        if (s->text && *s->text)
            sb_printf(sb, "\n%*s%s", 4 * depth, "", s->text);
        if (s->kind == IR_PS_BLOCK && s->blocks) {
            ir_pblock_legacy_text(sb, &s->blocks[0], depth + 1);
            sb_printf(sb, "\n%*sEND", 4 * depth, "");
        }
    }
}
