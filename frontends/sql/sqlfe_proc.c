/*
 * sqlfe_proc.c — the row-by-row loops of a procedural block that are really set operations
 * (docs/sql-scripts.md, "Cursor loops lifted to set-based statements"). Not a PL/SQL or T-SQL
 * parser: a recogniser over the block's tokens for a few exact shapes, everything else is left to
 * the caller (the block stays a hole):
 *
 *   Oracle   [CREATE PROCEDURE p (...) IS | DECLARE] [CURSOR c IS q; variables; types] BEGIN
 *              FOR r IN (q) | c LOOP <one DML> [COMMIT;] END LOOP; [COMMIT;]
 *            END;
 *            ... BEGIN OPEN c; FETCH c BULK COLLECT INTO arr; [CLOSE c;]
 *              FORALL i IN 1..arr.COUNT INSERT INTO t VALUES arr(i); [COMMIT;] END;
 *   T-SQL    [CREATE PROCEDURE p ... AS [BEGIN]] [DECLARE @a ..] DECLARE c CURSOR FOR q; OPEN c;
 *            FETCH NEXT FROM c INTO @a, @b; WHILE @@FETCH_STATUS = 0 BEGIN <one DML>
 *            FETCH NEXT FROM c INTO @a, @b; END; CLOSE c; DEALLOCATE c; [END]
 *
 * with <one DML> one of INSERT INTO t [(cols)] VALUES (exprs), UPDATE t SET .. WHERE .., DELETE
 * FROM t WHERE .., whose expressions read the loop's row (r.x, @a) and constants only. The result
 * is one set-based statement as SQL text on one line, the cursor query as a derived table named
 * after the record (Oracle) or the cursor (T-SQL):
 *
 *   INSERT INTO t (cols) SELECT exprs FROM (q) r
 *   UPDATE t SET c = expr FROM (q) r WHERE t.k = r.k        (a keyed merge in sqlfe_frontend.c)
 *   DELETE FROM t USING (q) r WHERE t.k = r.k
 *
 * T-SQL variables become r.<the cursor query's i-th column>; unqualified names in an UPDATE or
 * DELETE are the target's columns and get its qualifier. Refused with a reason (the block stays a
 * hole): a cursor query that reads the table the loop writes (row-by-row and set-based results
 * could differ), a loop body that reads a variable, a cursor query that reads a variable, an
 * UPDATE/DELETE whose WHERE does not read the row.
 */
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe_internal.h"

typedef struct PX {
    arena *a;
    const char *text;
    const tok *t;
    int n;
    sqlfe_dialect d;
    /* Oracle: declared names (variables, parameters) and cursors */
    const char **vars;
    int n_vars, cap_vars;
    const char *cur_name[8];
    int cur_q0[8], cur_q1[8];
    int n_cur;
    const char *note;
    const char *reason;
} PX;

static int K(const PX *p, int i, const char *w)
{
    return i >= 0 && i < p->n && tk_is(p->text, &p->t[i], w);
}

static int T(const PX *p, int i, tk_kind k)
{
    return i >= 0 && i < p->n && p->t[i].kind == k;
}

static const char *ttext(const PX *p, int i)
{
    return arena_strndup(p->a, p->text + p->t[i].start, p->t[i].len);
}

static int same_tok(const PX *p, int i, const char *s)
{
    if (i < 0 || i >= p->n || (p->t[i].kind != TK_IDENT && p->t[i].kind != TK_QIDENT && p->t[i].kind != TK_PARAM))
        return 0;
    const char *x = p->text + p->t[i].start;
    size_t n = p->t[i].len;
    if (p->t[i].kind == TK_QIDENT && n >= 2) {
        x++;
        n -= 2;
    }
    if (strlen(s) != n)
        return 0;
    for (size_t k = 0; k < n; k++) {
        char a = x[k], b = s[k];
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 32);
        if (b >= 'a' && b <= 'z')
            b = (char)(b - 32);
        if (a != b)
            return 0;
    }
    return 1;
}

static int is_name(const PX *p, int i)
{
    return T(p, i, TK_IDENT) || T(p, i, TK_QIDENT);
}

static void refuse(PX *p, const char *why)
{
    if (!p->reason)
        p->reason = why;
}

/* The index after a balanced '(' ... ')' starting at i, or -1. */
static int skip_parens(const PX *p, int i)
{
    int depth = 0;
    for (; i < p->n; i++) {
        if (p->t[i].kind == TK_LPAREN)
            depth++;
        else if (p->t[i].kind == TK_RPAREN && --depth == 0)
            return i + 1;
    }
    return -1;
}

/* The first ';' at parenthesis depth 0 from i, or -1. */
static int find_semi(const PX *p, int i, int end)
{
    int depth = 0;
    for (; i < end; i++) {
        if (p->t[i].kind == TK_LPAREN)
            depth++;
        else if (p->t[i].kind == TK_RPAREN)
            depth--;
        else if (p->t[i].kind == TK_SEMI && depth == 0)
            return i;
    }
    return -1;
}

/* A dotted name at i: returns the index after it. */
static int skip_name(const PX *p, int i)
{
    if (!is_name(p, i))
        return -1;
    i++;
    while (T(p, i, TK_DOT) && is_name(p, i + 1))
        i += 2;
    return i;
}

/* ---- emitting tokens as one line of SQL ---- */

typedef struct emit_ctx {
    const char *row;        /* the derived table's name (Oracle record, T-SQL cursor) */
    const char *qual;       /* UPDATE/DELETE: qualifier for unqualified names (target columns); NULL: refuse them */
    const char **vars;      /* T-SQL fetch variables ... */
    const char **cols;      /* ... and the cursor query's columns they stand for */
    int n_vars;
    const char *bulk_arr;   /* FORALL: arr(i).x is row.x */
    int reads_row;          /* set when the expression reads the row */
} emit_ctx;

static void put_tok(strbuf *sb, const PX *p, int i)
{
    const tok *t = &p->t[i];
    size_t len = sb->len;
    char prev = len ? sb->data[len - 1] : ' ';
    int word_before = (prev >= 'A' && prev <= 'Z') || (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9') ||
                      prev == '_' || prev == '"' || prev == ']';
    int glue = len == 0 || t->kind == TK_DOT || t->kind == TK_RPAREN || t->kind == TK_COMMA ||
               (t->kind == TK_LPAREN && word_before && i > 0 && p->t[i - 1].kind != TK_STRING) || prev == '.' ||
               prev == '(' || prev == ' ';
    if (!glue)
        sb_putc(sb, ' ');
    sb_putn(sb, p->text + t->start, t->len);
}

static void put_word(strbuf *sb, const char *w)
{
    if (sb->len > 0 && sb->data[sb->len - 1] != ' ' && sb->data[sb->len - 1] != '(' && sb->data[sb->len - 1] != '.' &&
        w[0] != ')')
        sb_putc(sb, ' ');
    sb_puts(sb, w);
}

static void put_range(strbuf *sb, const PX *p, int from, int to)
{
    for (int i = from; i < to; i++)
        put_tok(sb, p, i);
}

static int is_declared(const PX *p, int i)
{
    for (int k = 0; k < p->n_vars; k++)
        if (same_tok(p, i, p->vars[k]))
            return 1;
    return 0;
}

/* Words that are not names in an expression. */
static int expr_word(const PX *p, int i)
{
    static const char *const w[] = {"AND", "OR", "NOT", "NULL", "IS", "IN", "LIKE", "BETWEEN", "CASE", "WHEN",
                                    "THEN", "ELSE", "END", "TRUE", "FALSE", "SYSDATE", "SYSTIMESTAMP", "USER",
                                    "CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_USER", "LOCALTIMESTAMP", "AS",
                                    "ESCAPE", "DATE", "TIMESTAMP", "INTERVAL", "FROM", "DISTINCT", "ROWNUM",
                                    "SYSTEM_USER", "SESSION_USER", "EXISTS"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (K(p, i, w[k]))
            return 1;
    /* a type name after AS (CAST), a unit before FROM (EXTRACT) */
    return K(p, i - 1, "AS") || K(p, i + 1, "FROM");
}

/* Tokens [from, to) of an expression with the loop's row made a column of the derived table.
 * Returns 0, or -1 after refuse(). */
static int emit_expr(strbuf *sb, PX *p, int from, int to, emit_ctx *e)
{
    for (int i = from; i < to; i++) {
        const tok *t = &p->t[i];
        if (t->kind == TK_PARAM) {
            int k = 0;
            while (k < e->n_vars && !same_tok(p, i, e->vars[k]))
                k++;
            if (k == e->n_vars) {
                refuse(p, arena_printf(p->a, "the loop body reads the variable %s, which is not a column of the "
                                             "cursor row",
                                       ttext(p, i)));
                return -1;
            }
            put_word(sb, arena_printf(p->a, "%s.%s", e->row, e->cols[k]));
            e->reads_row = 1;
            continue;
        }
        if (t->kind == TK_STRING && p->d == SQLFE_TSQL && K(p, i - 1, "N")) {
            put_tok(sb, p, i);
            continue;
        }
        if (!is_name(p, i) || T(p, i - 1, TK_DOT)) {
            put_tok(sb, p, i);
            continue;
        }
        if (e->bulk_arr && same_tok(p, i, e->bulk_arr) && T(p, i + 1, TK_LPAREN) && is_name(p, i + 2) &&
            T(p, i + 3, TK_RPAREN) && T(p, i + 4, TK_DOT)) {
            put_word(sb, e->row);
            e->reads_row = 1;
            i += 3; /* the '.' follows */
            continue;
        }
        if (T(p, i + 1, TK_DOT)) {
            /* a dotted name: the row's column, or (UPDATE/DELETE) the target's column t.c / s.t.c */
            int j = skip_name(p, i);
            if (same_tok(p, i, e->row) && j == i + 3) {
                e->reads_row = 1;
            } else if (!e->qual || j < 0 || !same_tok(p, j - 3, e->qual)) {
                refuse(p, arena_printf(p->a, "the loop body reads %s.%s, which is not a column of the cursor row",
                                       ttext(p, i), is_name(p, i + 2) ? ttext(p, i + 2) : "?"));
                return -1;
            }
            if (j > i + 3) { /* s.t.c: the qualifier t is enough */
                put_word(sb, "");
                put_range(sb, p, j - 3, j);
                i = j - 1;
                continue;
            }
            put_tok(sb, p, i);
            continue;
        }
        if (T(p, i + 1, TK_LPAREN) || expr_word(p, i) || (t->kind == TK_IDENT && K(p, i, "N") && T(p, i + 1, TK_STRING))) {
            put_tok(sb, p, i);
            continue;
        }
        if (is_declared(p, i) || !e->qual) {
            refuse(p, arena_printf(p->a, "the loop body reads the variable %s, which is not a column of the cursor row",
                                   ttext(p, i)));
            return -1;
        }
        put_word(sb, arena_printf(p->a, "%s.%.*s", e->qual, (int)t->len, p->text + t->start));
    }
    return 0;
}

/* Does the cursor query [q0, q1) name the written table (tokens [t0, t1), a dotted name)? A name
 * matches when its last part is the table's and, both being qualified, the qualifiers they share
 * agree (conservative: a column of the table's name also matches). Does it read a variable? */
static int check_query(PX *p, int q0, int q1, int t0, int t1)
{
    int tp = (t1 - t0 + 1) / 2;
    for (int i = q0; i < q1; i++) {
        if (is_name(p, i) && !T(p, i - 1, TK_DOT)) {
            int j = skip_name(p, i);
            int cp = (j - i + 1) / 2, hit = 1;
            int m = cp < tp ? cp : tp;
            for (int k = 0; k < m && hit; k++)
                hit = same_tok(p, j - 1 - 2 * k, ttext(p, t1 - 1 - 2 * k));
            if (hit) {
                refuse(p, arena_printf(p->a, "the cursor query reads %s, the table the loop writes: row-by-row and "
                                             "set-based results may differ",
                                       arena_strndup(p->a, p->text + p->t[t0].start,
                                                     p->t[t1 - 1].start + p->t[t1 - 1].len - p->t[t0].start)));
                return -1;
            }
        }
        if (p->t[i].kind == TK_PARAM) {
            refuse(p, arena_printf(p->a, "the cursor query reads the variable %s", ttext(p, i)));
            return -1;
        }
        if (p->d != SQLFE_TSQL && is_name(p, i) && !T(p, i - 1, TK_DOT) && !T(p, i + 1, TK_DOT) && is_declared(p, i)) {
            refuse(p, arena_printf(p->a, "the cursor query reads the variable %s", ttext(p, i)));
            return -1;
        }
    }
    return 0;
}

/* One DML statement [s, e) (without ';') of a loop body into its set-based form over the cursor
 * query [q0, q1). Returns the SQL text, or NULL (refused: p->reason; not a shape: no reason). */
static char *lift_dml(PX *p, int s, int e, int q0, int q1, emit_ctx *ec)
{
    strbuf sb;
    sb_init(&sb);
    char *out = NULL;
    for (int i = s; i < e; i++)
        if (K(p, i, "RETURNING") || K(p, i, "CURRENT") || K(p, i, "BULK") || K(p, i, "OUTPUT") ||
            T(p, i, TK_SEMI))
            goto done;
    if (K(p, s, "INSERT")) {
        int i = s + 1;
        if (K(p, i, "INTO"))
            i++;
        else if (p->d != SQLFE_TSQL)
            goto done;
        int t0 = i, t1 = skip_name(p, i);
        if (t1 < 0)
            goto done;
        int c0 = -1, c1 = -1;
        i = t1;
        if (T(p, i, TK_LPAREN)) {
            c0 = i;
            c1 = skip_parens(p, i);
            if (c1 < 0)
                goto done;
            i = c1;
        }
        if (!K(p, i, "VALUES"))
            goto done;
        i++;
        int v0, v1;
        if (T(p, i, TK_LPAREN)) {
            int close = skip_parens(p, i);
            if (close != e)
                goto done;
            v0 = i + 1;
            v1 = e - 1;
        } else if (ec->bulk_arr && same_tok(p, i, ec->bulk_arr) && T(p, i + 1, TK_LPAREN) && T(p, i + 3, TK_RPAREN) &&
                   i + 4 == e && c0 < 0) {
            v0 = v1 = -1; /* VALUES arr(i): the whole row */
        } else {
            goto done;
        }
        if (check_query(p, q0, q1, t0, t1) != 0)
            goto done;
        sb_puts(&sb, "INSERT INTO");
        put_range(&sb, p, t0, t1);
        if (c0 >= 0)
            put_range(&sb, p, c0, c1);
        if (v0 < 0) {
            p->note = "VALUES arr(i) fills the table's columns by position: the job names them after the cursor "
                      "query's columns";
            put_word(&sb, "SELECT * FROM (");
            put_range(&sb, p, q0, q1);
            put_word(&sb, ")");
            put_word(&sb, ec->row);
        } else {
            put_word(&sb, "SELECT");
            ec->qual = NULL;
            if (emit_expr(&sb, p, v0, v1, ec) != 0)
                goto done;
            put_word(&sb, "FROM (");
            put_range(&sb, p, q0, q1);
            put_word(&sb, ")");
            put_word(&sb, ec->row);
        }
        out = arena_strndup(p->a, sb_cstr(&sb), sb.len);
        goto done;
    }
    if (K(p, s, "UPDATE") || K(p, s, "DELETE")) {
        int upd = K(p, s, "UPDATE");
        int i = s + 1;
        if (!upd && K(p, i, "FROM"))
            i++;
        int t0 = i, t1 = skip_name(p, i);
        if (t1 < 0)
            goto done;
        const char *last = ttext(p, t1 - 1);
        i = t1;
        int a0 = i;
        if (K(p, i, "AS"))
            i++;
        const char *qual = last;
        if (is_name(p, i) && !K(p, i, "SET") && !K(p, i, "WHERE")) {
            qual = ttext(p, i);
            i++;
        }
        int a1 = i;
        int set0 = -1, set1 = -1;
        if (upd) {
            if (!K(p, i, "SET"))
                goto done;
            set0 = i + 1;
            int depth = 0;
            for (i = set0; i < e; i++) {
                if (T(p, i, TK_LPAREN))
                    depth++;
                else if (T(p, i, TK_RPAREN))
                    depth--;
                else if (depth == 0 && (K(p, i, "WHERE") || K(p, i, "FROM")))
                    break;
            }
            set1 = i;
        }
        if (!K(p, i, "WHERE") || K(p, i + 1, "CURRENT"))
            goto done;
        int w0 = i + 1;
        if (check_query(p, q0, q1, t0, t1) != 0)
            goto done;
        ec->qual = qual;
        sb_puts(&sb, upd ? "UPDATE" : "DELETE FROM");
        put_range(&sb, p, t0, t1);
        put_range(&sb, p, a0, a1);
        if (upd) {
            put_word(&sb, "SET");
            /* each assignment: the column as written, then the value */
            int depth = 0, item = set0;
            for (int j = set0; j <= set1; j++) {
                if (j < set1 && T(p, j, TK_LPAREN))
                    depth++;
                else if (j < set1 && T(p, j, TK_RPAREN))
                    depth--;
                if (j == set1 || (depth == 0 && T(p, j, TK_COMMA))) {
                    int eq = item;
                    while (eq < j && !T(p, eq, TK_EQ))
                        eq++;
                    if (eq == j || eq == item)
                        goto done;
                    if (item > set0)
                        sb_putc(&sb, ',');
                    put_range(&sb, p, item, eq + 1);
                    if (emit_expr(&sb, p, eq + 1, j, ec) != 0)
                        goto done;
                    item = j + 1;
                }
            }
            put_word(&sb, "FROM (");
        } else {
            put_word(&sb, "USING (");
        }
        put_range(&sb, p, q0, q1);
        put_word(&sb, ")");
        put_word(&sb, ec->row);
        put_word(&sb, "WHERE");
        ec->reads_row = 0;
        if (emit_expr(&sb, p, w0, e, ec) != 0)
            goto done;
        if (!ec->reads_row) {
            refuse(p, "the loop's WHERE does not read the cursor row: every iteration touches the same rows");
            goto done;
        }
        out = arena_strndup(p->a, sb_cstr(&sb), sb.len);
        if (upd) {
            const char *n = "assumes the cursor returns at most one row per key: in the loop a later row overwrites an "
                            "earlier one";
            p->note = p->note ? arena_printf(p->a, "%s; %s", n, p->note) : n;
        }
    }
done:
    sb_free(&sb);
    return out;
}

/* ---- Oracle ---- */

static void add_var(PX *p, int i)
{
    ARENA_PUSH(p->a, p->vars, p->n_vars, p->cap_vars, ttext(p, i));
}

static int find_cursor(const PX *p, int i)
{
    for (int k = 0; k < p->n_cur; k++)
        if (same_tok(p, i, p->cur_name[k]))
            return k;
    return -1;
}

/* COMMIT [WORK]; at i: the index after it, or 0. */
static int commit_at(PX *p, int i)
{
    if (!K(p, i, "COMMIT"))
        return 0;
    int j = i + 1;
    if (K(p, j, "WORK"))
        j++;
    if (T(p, j, TK_SEMI) || (p->d == SQLFE_TSQL && j < p->n)) {
        const char *n = "its COMMIT is ignored: the set-based statement commits once";
        if (!p->note || !strstr(p->note, n))
            p->note = p->note ? arena_printf(p->a, "%s; %s", p->note, n) : n;
        return T(p, j, TK_SEMI) ? j + 1 : j;
    }
    return 0;
}

static int lift_oracle(PX *p, int *loop_tok, char **sql, const char **shape)
{
    int i = 0;
    if (K(p, i, "CREATE")) {
        i++;
        if (K(p, i, "OR") && K(p, i + 1, "REPLACE"))
            i += 2;
        if (K(p, i, "EDITIONABLE") || K(p, i, "NONEDITIONABLE"))
            i++;
        if (!K(p, i, "PROCEDURE"))
            return 0;
        i = skip_name(p, i + 1);
        if (i < 0)
            return 0;
        if (T(p, i, TK_LPAREN)) {
            int close = skip_parens(p, i);
            if (close < 0)
                return 0;
            for (int j = i; j < close; j++)
                if ((T(p, j, TK_LPAREN) || T(p, j, TK_COMMA)) && is_name(p, j + 1))
                    add_var(p, j + 1);
            i = close;
        }
        if (K(p, i, "AUTHID"))
            i += 2;
        if (!K(p, i, "IS") && !K(p, i, "AS"))
            return 0;
        i++;
    } else if (K(p, i, "DECLARE")) {
        i++;
    } else if (!K(p, i, "BEGIN")) {
        return 0;
    }
    /* declarations */
    while (i < p->n && !K(p, i, "BEGIN")) {
        int semi = find_semi(p, i, p->n);
        if (semi < 0)
            return 0;
        if (K(p, i, "CURSOR")) {
            if (!is_name(p, i + 1) || !K(p, i + 2, "IS") || p->n_cur == 8)
                return 0; /* a cursor with parameters */
            p->cur_name[p->n_cur] = ttext(p, i + 1);
            p->cur_q0[p->n_cur] = i + 3;
            p->cur_q1[p->n_cur] = semi;
            p->n_cur++;
        } else if (K(p, i, "PROCEDURE") || K(p, i, "FUNCTION")) {
            return 0;
        } else if (K(p, i, "TYPE") || K(p, i, "SUBTYPE") || K(p, i, "PRAGMA")) {
            /* nothing to remember */
        } else if (is_name(p, i)) {
            add_var(p, i);
        } else {
            return 0;
        }
        i = semi + 1;
    }
    if (!K(p, i, "BEGIN"))
        return 0;
    int b = i + 1;
    /* the block's END [name] [;] */
    int e = p->n - 1;
    while (e > b && (T(p, e, TK_SEMI) || T(p, e, TK_SLASH)))
        e--;
    if (e > b && is_name(p, e) && !K(p, e, "END") && K(p, e - 1, "END"))
        e--;
    if (!K(p, e, "END"))
        return 0;
    for (int j = b; j < e; j++)
        if (K(p, j, "EXCEPTION"))
            return 0;
    /* the body: one loop, COMMITs, NULL; and the OPEN/FETCH BULK COLLECT/CLOSE of a FORALL */
    int loops = 0;
    const char *bulk_cur = NULL, *bulk_arr = NULL;
    int opened = 0;
    for (i = b; i < e;) {
        int c = commit_at(p, i);
        if (c) {
            i = c;
            continue;
        }
        if (K(p, i, "NULL") && T(p, i + 1, TK_SEMI)) {
            i += 2;
            continue;
        }
        if (K(p, i, "OPEN") && is_name(p, i + 1) && T(p, i + 2, TK_SEMI) && find_cursor(p, i + 1) >= 0 && !opened) {
            bulk_cur = ttext(p, i + 1);
            opened = 1;
            i += 3;
            continue;
        }
        if (K(p, i, "FETCH") && bulk_cur && same_tok(p, i + 1, bulk_cur) && K(p, i + 2, "BULK") &&
            K(p, i + 3, "COLLECT") && K(p, i + 4, "INTO") && is_name(p, i + 5) && T(p, i + 6, TK_SEMI) && !bulk_arr) {
            bulk_arr = ttext(p, i + 5);
            i += 7;
            continue;
        }
        if (K(p, i, "CLOSE") && bulk_cur && same_tok(p, i + 1, bulk_cur) && T(p, i + 2, TK_SEMI)) {
            i += 3;
            continue;
        }
        if (loops)
            return 0;
        if (K(p, i, "FOR") && is_name(p, i + 1) && K(p, i + 2, "IN") && !bulk_cur) {
            const char *rec = ttext(p, i + 1);
            int q0, q1, j = i + 3;
            if (T(p, j, TK_LPAREN)) {
                int close = skip_parens(p, j);
                if (close < 0 || !(K(p, j + 1, "SELECT") || K(p, j + 1, "WITH")))
                    return 0;
                q0 = j + 1;
                q1 = close - 1;
                j = close;
            } else {
                int k = find_cursor(p, j);
                if (k < 0)
                    return 0;
                q0 = p->cur_q0[k];
                q1 = p->cur_q1[k];
                j++;
            }
            if (!K(p, j, "LOOP"))
                return 0;
            int s = j + 1;
            if (!(K(p, s, "INSERT") || K(p, s, "UPDATE") || K(p, s, "DELETE")))
                return 0;
            int semi = find_semi(p, s, e);
            if (semi < 0)
                return 0;
            int k = semi + 1;
            while ((c = commit_at(p, k)) != 0)
                k = c;
            if (!K(p, k, "END") || !K(p, k + 1, "LOOP"))
                return 0;
            k += 2;
            if (is_name(p, k) && !T(p, k, TK_SEMI))
                k++;
            if (!T(p, k, TK_SEMI))
                return 0;
            emit_ctx ec = {.row = rec};
            *sql = lift_dml(p, s, semi, q0, q1, &ec);
            if (!*sql)
                return p->reason ? -1 : 0;
            *loop_tok = i;
            *shape = "cursor FOR loop";
            loops = 1;
            i = k + 1;
            continue;
        }
        if (K(p, i, "FORALL") && bulk_arr && is_name(p, i + 1) && K(p, i + 2, "IN")) {
            int j = i + 3, saw = 0;
            while (j < e && !(K(p, j, "INSERT") || K(p, j, "UPDATE") || K(p, j, "DELETE"))) {
                if (same_tok(p, j, bulk_arr))
                    saw = 1;
                if (T(p, j, TK_SEMI) || K(p, j, "SAVE") || K(p, j, "INDICES") || K(p, j, "VALUES"))
                    return 0;
                j++;
            }
            if (!saw || !K(p, j, "INSERT"))
                return 0;
            int semi = find_semi(p, j, e);
            if (semi < 0)
                return 0;
            int ci = -1;
            for (int m = 0; m < p->n_cur; m++)
                if (strcasecmp(p->cur_name[m], bulk_cur) == 0)
                    ci = m;
            if (ci < 0)
                return 0;
            emit_ctx ec = {.row = "r", .bulk_arr = bulk_arr};
            *sql = lift_dml(p, j, semi, p->cur_q0[ci], p->cur_q1[ci], &ec);
            if (!*sql)
                return p->reason ? -1 : 0;
            *loop_tok = i;
            *shape = "BULK COLLECT / FORALL";
            loops = 1;
            i = semi + 1;
            continue;
        }
        return 0;
    }
    return loops ? 1 : 0;
}

/* ---- T-SQL ---- */

static int tsql_stmt_start(const PX *p, int i)
{
    static const char *const w[] = {"DECLARE", "OPEN", "FETCH", "WHILE", "CLOSE", "DEALLOCATE", "SET", "INSERT",
                                    "UPDATE", "DELETE", "BEGIN", "END", "IF", "RETURN", "PRINT", "EXEC", "EXECUTE",
                                    "COMMIT", "MERGE", "TRUNCATE", "DROP", "CREATE", "RAISERROR", "THROW"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (K(p, i, w[k]))
            return 1;
    return 0;
}

/* The end of a T-SQL statement starting at i: a ';' or the next statement's first word at depth 0. */
static int tsql_end(const PX *p, int i, int e)
{
    int depth = 0, upd = K(p, i, "UPDATE");
    for (int j = i + 1; j < e; j++) {
        if (T(p, j, TK_LPAREN))
            depth++;
        else if (T(p, j, TK_RPAREN))
            depth--;
        else if (depth == 0 && (T(p, j, TK_SEMI) || (tsql_stmt_start(p, j) && !(upd && K(p, j, "SET")))))
            return j;
    }
    return e;
}

static int skip_semi(const PX *p, int i)
{
    while (T(p, i, TK_SEMI))
        i++;
    return i;
}

/* FETCH NEXT FROM c INTO @a, @b at i: the variables; returns the index after, or -1. */
static int fetch_into(PX *p, int i, const char *cur, const char ***vars, int *n)
{
    if (!K(p, i, "FETCH"))
        return -1;
    i++;
    if (K(p, i, "NEXT"))
        i++;
    if (!K(p, i, "FROM") || !same_tok(p, i + 1, cur) || !K(p, i + 2, "INTO"))
        return -1;
    i += 3;
    const char **v = NULL;
    int nv = 0, cap = 0;
    while (T(p, i, TK_PARAM)) {
        ARENA_PUSH(p->a, v, nv, cap, ttext(p, i));
        i++;
        if (!T(p, i, TK_COMMA))
            break;
        i++;
    }
    if (!nv)
        return -1;
    *vars = v;
    *n = nv;
    return i;
}

/* The output column names of the cursor query [q0, q1), or NULL (a * or an unnamed expression). */
static const char **query_columns(PX *p, int q0, int q1, int *n)
{
    const char *err = NULL;
    size_t off = 0;
    const char *s = p->text + p->t[q0].start;
    size_t len = p->t[q1 - 1].start + p->t[q1 - 1].len - p->t[q0].start;
    sqlfe_ast *q = sqlfe_parse_statement(p->a, s, len, p->d, &err, &off);
    if (!q || q->kind != SQ_QUERY)
        return NULL;
    const sqlfe_ast *body = NULL;
    for (int i = 0; i < q->n_kids && !body; i++)
        if (q->kids[i]->kind == SQ_SELECT)
            body = q->kids[i];
    const sqlfe_ast *items = body ? sqlfe_clause(body, SQ_CL_ITEMS) : NULL;
    if (!items)
        return NULL;
    const char **cols = arena_alloc(p->a, (size_t)(items->n_kids ? items->n_kids : 1) * sizeof *cols);
    for (int i = 0; i < items->n_kids; i++) {
        const sqlfe_ast *it = items->kids[i];
        if (it->kind != SQ_ITEM)
            return NULL;
        if (it->text) {
            cols[i] = it->text;
        } else if (it->n_kids && it->kids[0]->kind == SQ_NAME) {
            const char *dot = strrchr(it->kids[0]->text, '.');
            cols[i] = dot ? dot + 1 : it->kids[0]->text;
        } else {
            return NULL;
        }
    }
    *n = items->n_kids;
    return cols;
}

static int lift_tsql(PX *p, int *loop_tok, char **sql, const char **shape)
{
    int i = 0, e = p->n;
    while (e > 0 && T(p, e - 1, TK_SEMI))
        e--;
    if (K(p, i, "CREATE") || K(p, i, "ALTER")) {
        i++;
        if (K(p, i, "OR") && K(p, i + 1, "ALTER"))
            i += 2;
        if (!K(p, i, "PROC") && !K(p, i, "PROCEDURE"))
            return 0;
        while (i < e && !K(p, i, "AS"))
            i++;
        if (!K(p, i, "AS"))
            return 0;
        i++;
        if (K(p, i, "BEGIN")) {
            if (!K(p, e - 1, "END"))
                return 0;
            i++;
            e--;
            while (e > i && T(p, e - 1, TK_SEMI))
                e--;
        }
    }
    const char *cur = NULL;
    int q0 = -1, q1 = -1, opened = 0, looped = 0, closed = 0, dealloc = 0;
    const char **fv = NULL;
    int n_fv = 0;
    while ((i = skip_semi(p, i)) < e) {
        if (K(p, i, "SET") && K(p, i + 1, "NOCOUNT")) {
            i += 3;
            continue;
        }
        if (K(p, i, "DECLARE") && T(p, i + 1, TK_PARAM) && !cur) {
            i = tsql_end(p, i, e);
            continue;
        }
        if (K(p, i, "DECLARE") && is_name(p, i + 1) && K(p, i + 2, "CURSOR") && !cur) {
            cur = ttext(p, i + 1);
            int j = i + 3;
            while (j < e && !K(p, j, "FOR") && is_name(p, j))
                j++;
            if (!K(p, j, "FOR") || !(K(p, j + 1, "SELECT") || K(p, j + 1, "WITH")))
                return 0;
            q0 = j + 1;
            q1 = tsql_end(p, j + 1, e);
            for (int k = q0; k < q1; k++)
                if (K(p, k, "FOR") && K(p, k + 1, "UPDATE"))
                    return 0;
            i = q1;
            continue;
        }
        if (K(p, i, "OPEN") && cur && same_tok(p, i + 1, cur) && !opened) {
            opened = 1;
            i += 2;
            continue;
        }
        if (K(p, i, "FETCH") && opened && !fv) {
            i = fetch_into(p, i, cur, &fv, &n_fv);
            if (i < 0)
                return 0;
            continue;
        }
        if (K(p, i, "WHILE") && fv && !looped) {
            int j = i + 1;
            if (!same_tok(p, j, "@@FETCH_STATUS") || !T(p, j + 1, TK_EQ) || !T(p, j + 2, TK_NUMBER) ||
                p->t[j + 2].len != 1 || p->text[p->t[j + 2].start] != '0' || !K(p, j + 3, "BEGIN"))
                return 0;
            int s = skip_semi(p, j + 4);
            if (!(K(p, s, "INSERT") || K(p, s, "UPDATE") || K(p, s, "DELETE")))
                return 0;
            int de = tsql_end(p, s, e);
            int k = skip_semi(p, de);
            const char **fv2 = NULL;
            int n2 = 0;
            k = fetch_into(p, k, cur, &fv2, &n2);
            if (k < 0 || n2 != n_fv)
                return 0;
            for (int m = 0; m < n_fv; m++)
                if (strcasecmp(fv[m], fv2[m]) != 0)
                    return 0;
            k = skip_semi(p, k);
            if (!K(p, k, "END"))
                return 0;
            int n_cols = 0;
            const char **cols = query_columns(p, q0, q1, &n_cols);
            if (!cols || n_cols != n_fv) {
                p->reason = "the cursor query's columns cannot be matched with the FETCH variables (a * or an unnamed "
                            "expression)";
                return -1;
            }
            emit_ctx ec = {.row = cur, .vars = fv, .cols = cols, .n_vars = n_fv};
            *sql = lift_dml(p, s, de, q0, q1, &ec);
            if (!*sql)
                return p->reason ? -1 : 0;
            *loop_tok = i;
            *shape = "cursor WHILE loop";
            looped = 1;
            i = k + 1;
            continue;
        }
        if (K(p, i, "CLOSE") && looped && same_tok(p, i + 1, cur) && !closed) {
            closed = 1;
            i += 2;
            continue;
        }
        if (K(p, i, "DEALLOCATE") && looped && same_tok(p, i + 1, cur) && !dealloc) {
            dealloc = 1;
            i += 2;
            continue;
        }
        if (K(p, i, "RETURN") && looped && skip_semi(p, i + 1) >= e) {
            i++;
            continue;
        }
        int c = commit_at(p, i);
        if (c) {
            i = c;
            continue;
        }
        return 0;
    }
    return looped ? 1 : 0;
}

int sqlfe_proc_lift(arena *a, const char *text, size_t len, sqlfe_dialect d, sqlfe_lift *out)
{
    memset(out, 0, sizeof *out);
    if (d != SQLFE_ORACLE && d != SQLFE_TSQL)
        return 0;
    PX p;
    memset(&p, 0, sizeof p);
    p.a = a;
    p.text = text;
    p.d = d;
    tok *toks;
    int nerr = 0;
    p.n = sqlfe_tokenize(a, text, len, d, &toks, &nerr);
    p.t = toks;
    if (nerr)
        return 0;
    int loop_tok = -1;
    char *sql = NULL;
    const char *shape = NULL;
    int r = d == SQLFE_ORACLE ? lift_oracle(&p, &loop_tok, &sql, &shape) : lift_tsql(&p, &loop_tok, &sql, &shape);
    if (r < 0) {
        out->reason = p.reason;
        return p.reason ? -1 : 0;
    }
    if (r == 0 || !sql)
        return 0;
    out->sql = sql;
    out->loop_off = p.t[loop_tok].start;
    out->shape = shape;
    out->note = p.note;
    return 1;
}
