/*
 * sqlfe_pl_script.c — an Oracle SQL*Plus script as one procedural unit (IR_UNIT_SCRIPT;
 * docs/sql-scripts.md, "Procedural units"). SQL*Plus runs the script's statements in order; its
 * command lines steer the run:
 *
 *   - SQL statements → IR_PS_SQL steps (COMMIT / ROLLBACK → transaction steps);
 *   - an anonymous PL/SQL block → a CALL of the block's own unit (named <script>_<nn>_block, as the
 *     frontend names it); CREATE PROCEDURE / PACKAGE ... → a COMMAND (the definition is a unit of
 *     its own);
 *   - WHENEVER SQLERROR EXIT [code] [ROLLBACK|COMMIT] before the first statement → a handler of the
 *     script's body (any error: [rollback,] quit code); later, or CONTINUE → a COMMAND;
 *   - EXIT / QUIT [SUCCESS | FAILURE | WARNING | n] → QUIT (0, 1, 2, n);
 *   - PROMPT text → PRINT; EXEC[UTE] p(args) → CALL;
 *   - @file, @@file, START file (another script) and HOST (an operating-system command) → holes;
 *   - CONNECT user/password@db → a COMMAND whose password is masked; SET, SPOOL, DEFINE, COLUMN,
 *     SHOW, VARIABLE, REM ... → COMMANDs (kept as comments).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_pl.h"

static int script_is_var(void *userdata, const char *name)
{
    return pl_is_var_name(userdata, name);
}

static int first_tok(const plx *P, size_t off)
{
    int lo = 0, hi = P->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (P->t[mid].start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int word(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(s, w, n) == 0 && !(isalnum((unsigned char)s[n]) || s[n] == '_');
}

/* w as a word after a blank somewhere in s (never its first word) */
static int has_word(const char *s, const char *w)
{
    for (const char *p = s + (*s ? 1 : 0); *p; p++)
        if ((p[-1] == ' ' || p[-1] == '\t') && word(p, w))
            return 1;
    return 0;
}

static const char *skip_word(const char *s)
{
    while (*s && !isspace((unsigned char)*s))
        s++;
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* EXIT / QUIT's argument as a return code: SUCCESS 0, FAILURE 1, WARNING 2, a number, else a hole */
static ir_expr *exit_code(plx *P, const char *arg, ir_span sp)
{
    ir_expr *x;
    if (!*arg || word(arg, "SUCCESS") || word(arg, "COMMIT") || word(arg, "ROLLBACK"))
        x = ir_lit_int(P->u->job, 0);
    else if (word(arg, "FAILURE"))
        x = ir_lit_int(P->u->job, 1);
    else if (word(arg, "WARNING"))
        x = ir_lit_int(P->u->job, 2);
    else if (isdigit((unsigned char)*arg)) {
        size_t n = 0;
        while (isdigit((unsigned char)arg[n]))
            n++;
        x = ir_lit(P->u->job, IR_LIT_INT, arena_strndup(P->u->job->arena, arg, n));
    } else
        x = ir_hole(P->u->job, arg, "an EXIT code that is not a number (SQL.SQLCODE, a bind variable)");
    x->span = sp;
    return x;
}

ir_unit *sqlfe_sqlplus_unit(arena *scratch, const srcfile *f, const char *path, const sqlfe_script *sc,
                            const char *name, diag_ctx *dc, unsigned char *step_hole)
{
    plx P;
    memset(&P, 0, sizeof P);
    P.a = scratch;
    P.file = f;
    P.path = path;
    P.d = SQLFE_ORACLE;
    P.dc = dc;
    P.scope.is_var = script_is_var;
    P.scope.userdata = &P;
    P.scope.file = f;
    int nerr = 0;
    P.n = sqlfe_tokenize(scratch, f->text, f->len, P.d, &P.t, &nerr);
    ir_unit *u = pl_new_unit(&P, IR_UNIT_SCRIPT, name, 0);
    P.u = u;
    P.blk = &u->body;
    u->span.line = 1;
    u->span.col = 1;
    ir_pblock *steps = ir_pstmt_body(u, &u->body);
    int any_sql = 0;
    for (int i = 0; i < sc->n_stmts; i++) {
        const sqlfe_stmt *st = &sc->stmts[i];
        const char *text = arena_strndup(scratch, f->text + st->start, st->end - st->start);
        ir_span sp = {ir_intern(u->job, path), 0, 0};
        srcfile_line_col(f, st->start, &sp.line, &sp.col);
        int t0 = first_tok(&P, st->start), t1 = first_tok(&P, st->end);
        if (t1 <= t0)
            t1 = t0 + 1;
        int hole = 0;
        ir_pstmt *s = NULL;
        if (st->kind == SQLFE_ST_COMMAND) {
            const char *arg = skip_word(text);
            if (word(text, "EXIT") || word(text, "QUIT")) {
                s = ir_pstmt_new(u, IR_PS_QUIT, sp, text);
                s->value = exit_code(&P, arg, sp);
            } else if (word(text, "WHENEVER") && word(arg, "SQLERROR") && word(skip_word(arg), "EXIT") && !any_sql) {
                /* from here on, a failing statement ends the run with the code: the script's handler */
                const char *a2 = skip_word(skip_word(arg));
                ir_handler *h = ir_pstmt_add_handler(u, &u->body);
                h->span = sp;
                if (has_word(text, "ROLLBACK"))
                    ir_pblock_add(u, &h->body, ir_pstmt_new(u, IR_PS_ROLLBACK, sp, text));
                else if (has_word(text, "COMMIT"))
                    ir_pblock_add(u, &h->body, ir_pstmt_new(u, IR_PS_COMMIT, sp, text));
                ir_pstmt *q = ir_pstmt_new(u, IR_PS_QUIT, sp, text);
                q->value = exit_code(&P, a2, sp);
                ir_pblock_add(u, &h->body, q);
                s = ir_pstmt_new(u, IR_PS_COMMAND, sp, text);
            } else if (text[0] == '@' || word(text, "START")) {
                s = ir_pstmt_new(u, IR_PS_HOLE, sp, text);
                s->hole_reason = "runs another SQL*Plus script (@file / START): not translated";
            } else if (word(text, "HOST") || text[0] == '!') {
                s = ir_pstmt_new(u, IR_PS_HOLE, sp, text);
                s->hole_reason = "HOST runs an operating-system command: not translated";
            } else if (word(text, "PROMPT")) {
                s = ir_pstmt_new(u, IR_PS_PRINT, sp, text);
                s->value = ir_lit_str(u->job, arg);
                s->value->span = sp;
            } else if ((word(text, "EXEC") || word(text, "EXECUTE")) && t0 + 1 < t1) {
                P.i = t0 + 1;
                pl_stmt(&P, steps); /* p(args); as in a block */
                hole = steps->n && steps->stmts[steps->n - 1]->kind == IR_PS_HOLE;
            } else if (word(text, "CONNECT") || word(text, "CONN")) {
                char *t = arena_strdup(scratch, text);
                char *slash = strchr(t, '/');
                for (char *p = slash ? slash + 1 : NULL; p && *p && *p != '@' && !isspace((unsigned char)*p); p++)
                    *p = '*';
                s = ir_pstmt_new(u, IR_PS_COMMAND, sp, t);
            } else {
                s = ir_pstmt_new(u, IR_PS_COMMAND, sp, text);
            }
        } else if (st->kind == SQLFE_ST_PROCEDURAL) {
            if (word(text, "DECLARE") || word(text, "BEGIN")) {
                s = ir_pstmt_new(u, IR_PS_CALL, sp, text);
                s->name = ir_intern(u->job, arena_printf(scratch, "%s_%02d_block", name, i + 1));
            } else {
                /* CREATE PROCEDURE / PACKAGE ...: the definition (a unit of its own) */
                const char *eol = strchr(text, '\n');
                s = ir_pstmt_new(u, IR_PS_COMMAND, sp, eol ? arena_strndup(scratch, text, (size_t)(eol - text)) : text);
            }
            any_sql = 1;
        } else if (word(text, "COMMIT")) {
            s = ir_pstmt_new(u, IR_PS_COMMIT, sp, text);
        } else if (word(text, "ROLLBACK")) {
            s = ir_pstmt_new(u, IR_PS_ROLLBACK, sp, text);
        } else {
            s = pl_sql_step(&P, t0, t1, NULL, 0);
            hole = s->stmt && s->stmt->kind == IR_ST_HOLE;
            any_sql = 1;
        }
        if (s) {
            ir_pblock_add(u, steps, s);
            hole |= s->kind == IR_PS_HOLE;
        }
        if (step_hole)
            step_hole[i] = (unsigned char)hole;
    }
    return u;
}
