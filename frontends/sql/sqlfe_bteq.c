/*
 * sqlfe_bteq.c — a Teradata BTEQ script as one procedural unit (IR_UNIT_SCRIPT; docs/sql-scripts.md,
 * "Procedural units"). BTEQ runs the script's SQL statements in order and its dot-commands steer
 * it: the model is
 *
 *   - every SQL statement is an IR_PS_SQL step; after each one BTEQ sets the variables `errorcode`
 *     (0 when it succeeded, else the Teradata error code) and `activitycount` (rows touched), which
 *     the unit declares as variables (job params), so ".IF ERRORCODE <> 0" reads them;
 *   - .IF cond THEN action  → an IF step whose one branch holds the action (.GOTO, .QUIT, another
 *     dot-command or a SQL statement);
 *   - .LABEL x / .GOTO x    → LABEL / GOTO steps (GOTO skips forward to the label);
 *   - .QUIT n / .EXIT n     → QUIT with the return code;
 *   - .LOGON host/user,pw   → a COMMAND whose text never keeps the password (masked);
 *   - .SET / .WIDTH / .MAXERROR / .LOGOFF / .REMARK ... → COMMAND steps (kept as comments);
 *   - .EXPORT / .IMPORT (client files), .RUN FILE (another script), .OS (a shell command),
 *     .REPEAT and USING-driven statements → HOLE steps with the reason; .EXPORT RESET is a command;
 *   - BT / ET / COMMIT / ROLLBACK → transaction steps; DATABASE x, COLLECT STATISTICS → commands.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_pl.h"

static int bteq_is_var(void *userdata, const char *name)
{
    return pl_is_var_name(userdata, name);
}

/* the first token at or after offset off */
static int tok_at(const plx *P, size_t off)
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

static ir_span span_off(plx *P, size_t off)
{
    ir_span sp = {0};
    srcfile_line_col(P->file, off, &sp.line, &sp.col);
    sp.file = ir_intern(P->u->job, P->path);
    return sp;
}

/* an expression at [off, off + len) of the file (inside a dot-command line) */
static ir_expr *text_expr(plx *P, size_t off, size_t len)
{
    ir_expr *x = sqlfe_lower_scalar(P->u->job, P->file->text + off, len, P->d, &P->scope, span_off(P, off), NULL);
    if (!x) {
        x = ir_hole(P->u->job, arena_strndup(P->a, P->file->text + off, len), "expression does not parse");
        x->span = span_off(P, off);
    }
    return x;
}

static size_t skip_blank(const char *s, size_t i, size_t end)
{
    while (i < end && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

static size_t word_end(const char *s, size_t i, size_t end)
{
    while (i < end && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '$' || s[i] == '#'))
        i++;
    return i;
}

static int word_is(const char *s, size_t a, size_t b, const char *w)
{
    return b - a == strlen(w) && strncasecmp(s + a, w, b - a) == 0;
}

int sqlfe_td_ansi_session(const srcfile *f)
{
    /* a line ".SET SESSION TRANSACTION ANSI" (TRANS, any case, blanks between the words); the last
     * such line decides (BTET is Teradata mode) */
    const char *s = f->text;
    size_t n = f->len;
    int ansi = 0;
    for (size_t i = 0, next; i < n; i = next) {
        const char *nl = memchr(s + i, '\n', n - i);
        next = nl ? (size_t)(nl - s) + 1 : n;
        size_t a = skip_blank(s, i, n);
        if (a >= n || s[a] != '.')
            continue;
        const char *w[3] = {"SET", "SESSION", NULL};
        size_t k = a + 1;
        int ok = 1;
        for (int j = 0; ok && w[j]; j++) {
            k = skip_blank(s, k, n);
            size_t e = word_end(s, k, n);
            ok = word_is(s, k, e, w[j]);
            k = e;
        }
        k = skip_blank(s, k, n);
        size_t e = word_end(s, k, n);
        if (!ok || !(word_is(s, k, e, "TRANSACTION") || word_is(s, k, e, "TRANS")))
            continue;
        k = skip_blank(s, e, n);
        e = word_end(s, k, n);
        if (word_is(s, k, e, "ANSI"))
            ansi = 1;
        else if (word_is(s, k, e, "BTET"))
            ansi = 0;
    }
    return ansi;
}

/* One dot-command at [off, end) (from the '.'); appends its step to b. Returns 1 when the step is
 * a hole. */
static int dot_command(plx *P, ir_pblock *b, size_t off, size_t end)
{
    const char *s = P->file->text;
    while (end > off && (s[end - 1] == ';' || s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r'))
        end--;
    size_t w0 = off + 1, w1 = word_end(s, w0, end);
    size_t a = skip_blank(s, w1, end); /* the arguments */
    const char *text = arena_strndup(P->a, s + off, end - off);
    ir_span sp = span_off(P, off);
    ir_pstmt *st;
    if (word_is(s, w0, w1, "IF")) {
        /* .IF cond THEN action */
        size_t th = a;
        for (; th + 4 <= end; th++)
            if (strncasecmp(s + th, "THEN", 4) == 0 && (th == 0 || !isalnum((unsigned char)s[th - 1])) &&
                (th + 4 == end || !isalnum((unsigned char)s[th + 4])))
                break;
        if (th + 4 > end) {
            st = ir_pstmt_new(P->u, IR_PS_HOLE, sp, text);
            st->hole_reason = ".IF without THEN";
            ir_pblock_add(P->u, b, st);
            return 1;
        }
        st = ir_pstmt_new(P->u, IR_PS_IF, sp, text);
        size_t ce = th;
        while (ce > a && (s[ce - 1] == ' ' || s[ce - 1] == '\t'))
            ce--;
        ir_pblock *br = ir_pstmt_add_branch(P->u, st, text_expr(P, a, ce - a));
        size_t act = skip_blank(s, th + 4, end);
        int hole;
        if (act < end && s[act] == '.') {
            hole = dot_command(P, br, act, end);
        } else {
            /* a SQL statement as the action */
            int t0 = tok_at(P, act), t1 = tok_at(P, end);
            ir_pstmt *q = pl_sql_step(P, t0, t1 > t0 ? t1 : t0 + 1, NULL, 0);
            ir_pblock_add(P->u, br, q);
            hole = q->kind == IR_PS_HOLE;
        }
        ir_pblock_add(P->u, b, st);
        return hole;
    }
    if (word_is(s, w0, w1, "GOTO") || word_is(s, w0, w1, "LABEL")) {
        st = ir_pstmt_new(P->u, word_is(s, w0, w1, "GOTO") ? IR_PS_GOTO : IR_PS_LABEL, sp, text);
        st->name = ir_intern(P->u->job, arena_strndup(P->a, s + a, word_end(s, a, end) - a));
        ir_pblock_add(P->u, b, st);
        return 0;
    }
    if (word_is(s, w0, w1, "QUIT") || word_is(s, w0, w1, "EXIT")) {
        st = ir_pstmt_new(P->u, IR_PS_QUIT, sp, text);
        if (a < end)
            st->value = text_expr(P, a, end - a);
        ir_pblock_add(P->u, b, st);
        return 0;
    }
    if (word_is(s, w0, w1, "LOGON")) {
        /* never keep the password: .LOGON tdpid/user,password */
        char *t = arena_strdup(P->a, text);
        char *comma = strchr(t, ',');
        if (comma)
            for (char *p = comma + 1; *p && *p != '\n'; p++)
                *p = '*';
        ir_pblock_add(P->u, b, ir_pstmt_new(P->u, IR_PS_COMMAND, sp, t));
        return 0;
    }
    const char *reason = NULL;
    if (word_is(s, w0, w1, "EXPORT")) {
        size_t r = word_end(s, a, end);
        if (!word_is(s, a, r, "RESET"))
            reason = "BTEQ .EXPORT writes the following results to a client file: not translated";
    } else if (word_is(s, w0, w1, "IMPORT")) {
        reason = "BTEQ .IMPORT reads a client file for the following USING statement: not translated";
    } else if (word_is(s, w0, w1, "RUN")) {
        reason = "BTEQ .RUN FILE runs another script: not translated";
    } else if (word_is(s, w0, w1, "OS")) {
        reason = "BTEQ .OS runs an operating-system command: not translated";
    } else if (word_is(s, w0, w1, "REPEAT")) {
        reason = "BTEQ .REPEAT runs the next request several times: not translated";
    }
    if (reason) {
        st = ir_pstmt_new(P->u, IR_PS_HOLE, sp, text);
        st->hole_reason = reason;
        ir_pblock_add(P->u, b, st);
        return 1;
    }
    ir_pblock_add(P->u, b, ir_pstmt_new(P->u, IR_PS_COMMAND, sp, text));
    return 0;
}

static int starts_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(s, w, n) == 0 && !(isalnum((unsigned char)s[n]) || s[n] == '_');
}

ir_unit *sqlfe_bteq_unit(arena *scratch, const srcfile *f, const char *path, const sqlfe_script *sc,
                         const char *name, diag_ctx *dc, unsigned char *step_hole)
{
    plx P;
    memset(&P, 0, sizeof P);
    P.a = scratch;
    P.file = f;
    P.path = path;
    P.d = SQLFE_TERADATA;
    P.dc = dc;
    P.scope.is_var = bteq_is_var;
    P.scope.userdata = &P;
    P.scope.file = f;
    P.scope.td_ansi = sqlfe_td_ansi_session(f);
    int nerr = 0;
    P.n = sqlfe_tokenize(scratch, f->text, f->len, P.d, &P.t, &nerr);
    ir_unit *u = pl_new_unit(&P, IR_UNIT_SCRIPT, name, 0);
    P.u = u;
    P.blk = &u->body;
    u->span.line = 1;
    u->span.col = 1;
    pl_declare_var(&P, "errorcode", 0);
    pl_declare_var(&P, "activitycount", 0);
    ir_job_param(u->job, "errorcode")->type = ir_type_make(IR_TY_INT, 0, 0);
    ir_job_param(u->job, "activitycount")->type = ir_type_make(IR_TY_BIGINT, 0, 0);
    ir_pblock *steps = ir_pstmt_body(u, &u->body);
    for (int i = 0; i < sc->n_stmts; i++) {
        const sqlfe_stmt *st = &sc->stmts[i];
        const char *text = f->text + st->start;
        int hole = 0;
        int t0 = tok_at(&P, st->start), t1 = tok_at(&P, st->end);
        if (t1 <= t0)
            t1 = t0 + 1;
        ir_span sp = span_off(&P, st->start);
        const char *raw = arena_strndup(scratch, text, st->end - st->start);
        if (st->kind == SQLFE_ST_COMMAND && text[0] == '.') {
            hole = dot_command(&P, steps, st->start, st->end);
        } else if (st->kind == SQLFE_ST_COMMAND) {
            ir_pblock_add(u, steps, ir_pstmt_new(u, IR_PS_COMMAND, sp, raw));
        } else if (st->kind == SQLFE_ST_PROCEDURAL) {
            ir_pstmt *h = ir_pstmt_new(u, IR_PS_HOLE, sp, raw);
            h->hole_reason = "a procedure / macro definition inside a BTEQ script (read as a unit of its own)";
            ir_pblock_add(u, steps, h);
            hole = 1;
        } else if (st->kind == SQLFE_ST_OTHER && (starts_word(text, "BT") || (starts_word(text, "BEGIN") &&
                                                                              starts_word(text + 6, "TRANSACTION")))) {
            ir_pblock_add(u, steps, ir_pstmt_new(u, IR_PS_BEGIN_TXN, sp, raw));
        } else if (st->kind == SQLFE_ST_OTHER &&
                   (starts_word(text, "ET") || starts_word(text, "COMMIT") ||
                    (starts_word(text, "END") && starts_word(text + 4, "TRANSACTION")))) {
            ir_pblock_add(u, steps, ir_pstmt_new(u, IR_PS_COMMIT, sp, raw));
        } else if (st->kind == SQLFE_ST_OTHER && (starts_word(text, "ROLLBACK") || starts_word(text, "ABORT"))) {
            ir_pblock_add(u, steps, ir_pstmt_new(u, IR_PS_ROLLBACK, sp, raw));
        } else if (st->kind == SQLFE_ST_OTHER &&
                   (starts_word(text, "DATABASE") || starts_word(text, "COLLECT") || starts_word(text, "HELP") ||
                    starts_word(text, "SHOW") || starts_word(text, "SET"))) {
            ir_pblock_add(u, steps, ir_pstmt_new(u, IR_PS_COMMAND, sp, raw));
        } else if (starts_word(text, "USING")) {
            ir_pstmt *h = ir_pstmt_new(u, IR_PS_HOLE, sp, raw);
            h->hole_reason = "USING (a request fed by .IMPORT rows) is not translated";
            ir_pblock_add(u, steps, h);
            hole = 1;
        } else {
            ir_pstmt *q = pl_sql_step(&P, t0, t1, NULL, 0);
            ir_pblock_add(u, steps, q);
            hole = q->kind == IR_PS_HOLE || (q->stmt && q->stmt->kind == IR_ST_HOLE);
        }
        if (step_hole)
            step_hole[i] = (unsigned char)hole;
    }
    return u;
}
