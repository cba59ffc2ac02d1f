/*
 * security.c — the security layer (layers.h; rules SEC_* of rules.def, docs/verification.md).
 *
 * PySpark is checked over its tree-sitter syntax tree, so structure decides: a string passed to
 * `.sql()` is dynamic when it is an f-string with fields, a `+` or `%` with a non-literal operand,
 * a `.format()` / `.join()` call, or a variable assigned one of those; a keyword argument, dict
 * entry, `.option(name, value)` or `params.get(name, default)` is a credential when the name reads
 * as a secret and the value is a literal. Snowflake SQL is checked over a token stream, statement
 * by statement.
 *
 * Classified columns: security_tag_job fills the IR tags of the job read back from the artifact
 * (policy patterns and heuristics on sources and targets, then along every expression; masking
 * functions clear them). A column is then "written unmasked" when a target column is classified
 * and its value still carries a source column without a mask, and "shown" when a print, a log
 * call, show()/collect() or a bare SELECT names it — or names a table holding one.
 */
#include "verifier/layers.h"
#include "verifier/layers_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- classification over the IR ---- */

typedef struct tagval {
    uint32_t tags;
    bool raw; /* carries a source column without a mask */
} tagval;

static bool is_mask_fn(ir_fn fn)
{
    return fn == IR_FN_MD5 || fn == IR_FN_SHA1 || fn == IR_FN_SHA2 || fn == IR_FN_CRC32 || fn == IR_FN_REGEXP_REPLACE;
}

typedef struct tagger {
    const verify_policy *p;
    ir_job *job;
    const ir_job *legacy;
    int *index;      /* node id -> position in job->nodes, -1 none */
    tagval **vals;   /* per node position, per column */
} tagger;

static tagval col_val(const tagger *t, int node_id, const char *name)
{
    tagval none = {0, false};
    if (node_id < 0 || node_id >= t->job->next_id || t->index[node_id] < 0)
        return none;
    int pos = t->index[node_id];
    const ir_node *n = t->job->nodes[pos];
    const ir_column *c = ir_node_col_ci(n, name);
    return c ? t->vals[pos][c - n->cols] : none;
}

static tagval expr_val(const tagger *t, const ir_expr *e)
{
    tagval v = {0, false};
    if (!e)
        return v;
    switch (e->kind) {
    case IR_EX_REF:
        return col_val(t, e->u.ref.node, e->u.ref.col);
    case IR_EX_CALL:
        if (is_mask_fn(e->u.call.fn) || e->u.call.fn == IR_FN_COUNT || e->u.call.fn == IR_FN_COUNT_STAR)
            return v;
        for (int i = 0; i < e->u.call.n_args; i++) {
            tagval a = expr_val(t, e->u.call.args[i]);
            v.tags |= a.tags;
            v.raw |= a.raw;
        }
        return v;
    case IR_EX_HOLE:
        return v; /* unknown (a masking UDF the reader cannot read, say): neither classified nor raw */
    default:
        return v;
    }
}

/* Tags the legacy job gives a dataset's column (its frontend or an earlier tagging). */
static uint32_t legacy_tags(const ir_job *legacy, const char *dataset, const char *col)
{
    if (!legacy || !dataset)
        return 0;
    const ir_dataset *ds = ir_job_dataset(legacy, dataset);
    if (!ds)
        return 0;
    for (int i = 0; i < ds->n_cols; i++)
        if (strcasecmp(ds->cols[i].name, col) == 0)
            return ds->cols[i].tags;
    return 0;
}

void security_tag_job(const verify_policy *p, ir_job *job, const ir_job *legacy, bool ***raw_out)
{
    tagger t = {p, job, legacy, NULL, NULL};
    t.index = arena_alloc(job->arena, sizeof *t.index * (size_t)(job->next_id + 1));
    for (int i = 0; i <= job->next_id; i++)
        t.index[i] = -1;
    t.vals = arena_alloc(job->arena, sizeof *t.vals * (size_t)(job->n_nodes ? job->n_nodes : 1));
    for (int i = 0; i < job->n_nodes; i++)
        if (job->nodes[i]->id >= 0 && job->nodes[i]->id <= job->next_id)
            t.index[job->nodes[i]->id] = i;
    for (int d = 0; d < job->n_datasets; d++) {
        ir_dataset *ds = &job->datasets[d];
        for (int c = 0; c < ds->n_cols; c++)
            ds->cols[c].tags |= policy_classify(p, ds->name, ds->cols[c].name, ds->cols[c].type) |
                                legacy_tags(legacy, ds->name, ds->cols[c].name);
    }
    for (int i = 0; i < job->n_nodes; i++) {
        ir_node *n = job->nodes[i];
        t.vals[i] = arena_alloc(job->arena, sizeof **t.vals * (size_t)(n->n_cols ? n->n_cols : 1));
        for (int c = 0; c < n->n_cols; c++) {
            ir_column *col = &n->cols[c];
            tagval v = {0, false};
            if (n->op == IR_OP_SOURCE && !col->expr) {
                v.tags = policy_classify(p, n->dataset, col->name, col->type) |
                         legacy_tags(legacy, n->dataset, col->name) | legacy_tags(job, n->dataset, col->name);
                v.raw = true;
            } else if (col->expr) {
                v = expr_val(&t, col->expr);
            } else {
                for (int k = 0; k < n->n_inputs && !v.raw; k++)
                    v = col_val(&t, n->inputs[k], col->name);
            }
            if (n->op == IR_OP_TARGET)
                v.tags |= policy_classify(p, n->dataset, col->name, col->type) |
                          legacy_tags(legacy, n->dataset, col->name);
            if (n->op != IR_OP_SOURCE && !v.raw && n->op != IR_OP_TARGET)
                v.tags = 0; /* a masked or constant value is not classified any more */
            col->tags |= v.tags;
            t.vals[i][c] = v;
        }
    }
    if (raw_out) {
        bool **raw = arena_alloc(job->arena, sizeof *raw * (size_t)(job->n_nodes ? job->n_nodes : 1));
        for (int i = 0; i < job->n_nodes; i++) {
            raw[i] = arena_alloc(job->arena, sizeof **raw * (size_t)(job->nodes[i]->n_cols ? job->nodes[i]->n_cols : 1));
            for (int c = 0; c < job->nodes[i]->n_cols; c++)
                raw[i][c] = t.vals[i][c].raw;
        }
        *raw_out = raw;
    }
}

/* ---- the names a print or a query must not show ---- */

typedef struct names {
    const char **v; /* upper case */
    int n, cap;
} names;

static void names_add(names *s, arena *a, const char *name)
{
    if (!name || !name[0])
        return;
    for (int i = 0; i < s->n; i++)
        if (strcasecmp(s->v[i], name) == 0)
            return;
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 16;
        s->v = arena_grow(a, s->v, (size_t)s->cap, (size_t)cap, sizeof *s->v);
        s->cap = cap;
    }
    s->v[s->n++] = arena_strdup(a, name);
}

static bool names_has(const names *s, const char *t, size_t n)
{
    for (int i = 0; i < s->n; i++)
        if (layers_ieq(t, n, s->v[i]))
            return true;
    return false;
}

typedef struct classified {
    names cols; /* classified column names */
    names sets; /* datasets holding one (full name and last dotted part) */
    const verify_policy *p; /* names the IR does not hold are classified by its heuristics */
} classified;

static void add_dataset(classified *cl, arena *a, const char *name)
{
    names_add(&cl->sets, a, name);
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (dot)
        names_add(&cl->sets, a, dot + 1);
}

static void collect_job(classified *cl, arena *a, const verify_policy *p, const ir_job *job)
{
    for (int d = 0; d < job->n_datasets; d++) {
        const ir_dataset *ds = &job->datasets[d];
        for (int c = 0; c < ds->n_cols; c++)
            if (ds->cols[c].tags | policy_classify(p, ds->name, ds->cols[c].name, ds->cols[c].type)) {
                names_add(&cl->cols, a, ds->cols[c].name);
                add_dataset(cl, a, ds->name);
            }
    }
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        for (int c = 0; c < n->n_cols; c++)
            if (n->cols[c].tags | policy_classify(p, n->dataset, n->cols[c].name, n->cols[c].type)) {
                names_add(&cl->cols, a, n->cols[c].name);
                if (n->op == IR_OP_SOURCE || n->op == IR_OP_TARGET || n->op == IR_OP_LOOKUP)
                    add_dataset(cl, a, n->dataset);
            }
    }
}

enum { NAMES_COL = 1, NAMES_SET = 2 };

/* Whether a word names a classified column (NAMES_COL: in the IR, or by the policy's patterns and
 * heuristics) or a dataset holding one (NAMES_SET). */
static int word_classified(const classified *cl, const char *s, size_t n)
{
    int m = 0;
    if (names_has(&cl->cols, s, n))
        m |= NAMES_COL;
    if (names_has(&cl->sets, s, n))
        m |= NAMES_SET;
    if (!(m & NAMES_COL) && n < 128) {
        char w[128];
        memcpy(w, s, n);
        w[n] = '\0';
        if (policy_classify(cl->p, NULL, w, ir_type_make(IR_TY_UNKNOWN, 0, 0)))
            m |= NAMES_COL;
    }
    return m;
}

/* What a text (a SQL string, a column list) names, word by word: NAMES_COL | NAMES_SET (a dotted
 * name is tried whole and by its last part). */
static int text_names_classified(const classified *cl, const char *s, size_t n)
{
    size_t i = 0;
    int m = 0;
    while (i < n) {
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) {
            i++;
            continue;
        }
        size_t j = i, last = i;
        while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '.' || s[j] == '$')) {
            if (s[j] == '.')
                last = j + 1;
            j++;
        }
        m |= word_classified(cl, s + i, j - i);
        if (last > i)
            m |= word_classified(cl, s + last, j - last);
        i = j;
    }
    return m;
}

/* ---- PySpark ---- */

typedef struct assign {
    const char *name;
    size_t n;
    TSNode value;
    uint32_t at;
} assign;

typedef struct py_state {
    py_module m;
    const char *path;
    verify_findings *out;
    const verify_policy *p;
    classified cl;
    arena *a;
    assign *assigns;
    int n_assigns, cap_assigns;
} py_state;

static void finding_at(py_state *st, verify_rule rule, TSNode node, const char *fmt, const char *arg)
{
    int line, col;
    py_pos(node, &line, &col);
    findings_add(st->out, rule, st->path, line, col, fmt, arg);
}

static void collect_assign(void *userdata, TSNode node)
{
    py_state *st = userdata;
    if (strcmp(ts_node_type(node), "assignment") != 0)
        return;
    TSNode left = ts_node_child_by_field_name(node, "left", 4);
    TSNode right = ts_node_child_by_field_name(node, "right", 5);
    if (ts_node_is_null(left) || ts_node_is_null(right) || strcmp(ts_node_type(left), "identifier") != 0)
        return;
    if (st->n_assigns == st->cap_assigns) {
        int cap = st->cap_assigns ? st->cap_assigns * 2 : 32;
        st->assigns = arena_grow(st->a, st->assigns, (size_t)st->cap_assigns, (size_t)cap, sizeof *st->assigns);
        st->cap_assigns = cap;
    }
    assign *as = &st->assigns[st->n_assigns++];
    as->name = py_text(&st->m, left, &as->n);
    as->value = right;
    as->at = ts_node_start_byte(node);
}

static bool in_list(const char *name, const char *const *list);

/* The value last assigned to the identifier before it is used; a null node when none. */
static TSNode assigned_value(const py_state *st, TSNode ident)
{
    size_t n;
    const char *name = py_text(&st->m, ident, &n);
    uint32_t at = ts_node_start_byte(ident);
    TSNode best = {0};
    uint32_t best_at = 0;
    bool found = false;
    for (int i = 0; i < st->n_assigns; i++) {
        const assign *as = &st->assigns[i];
        if (as->n == n && memcmp(as->name, name, n) == 0 && as->at < at && (!found || as->at >= best_at)) {
            best = as->value;
            best_at = as->at;
            found = true;
        }
    }
    return best;
}

static bool is_type(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

static bool dynamic_text(const py_state *st, TSNode n, int depth);

/* Whether an expression is text: a string literal, text built at run time, or a variable
 * assigned one. */
static bool stringy(const py_state *st, TSNode n, int depth)
{
    char buf[8];
    if (ts_node_is_null(n) || depth > 6)
        return false;
    if (py_plain_string(&st->m, n, buf, sizeof buf) || dynamic_text(st, n, depth))
        return true;
    if (is_type(n, "identifier")) {
        TSNode v = assigned_value(st, n);
        return !ts_node_is_null(v) && stringy(st, v, depth + 1);
    }
    return false;
}

/* Whether an expression is text assembled at run time from something other than literals. */
static bool dynamic_text(const py_state *st, TSNode n, int depth)
{
    if (ts_node_is_null(n) || depth > 6)
        return false;
    const char *type = ts_node_type(n);
    if (strcmp(type, "string") == 0)
        return py_is_fstring(&st->m, n);
    if (strcmp(type, "concatenated_string") == 0) {
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
            if (dynamic_text(st, ts_node_named_child(n, i), depth + 1))
                return true;
        return false;
    }
    if (strcmp(type, "parenthesized_expression") == 0)
        return dynamic_text(st, ts_node_named_child(n, 0), depth + 1);
    if (strcmp(type, "binary_operator") == 0) {
        TSNode op = ts_node_child_by_field_name(n, "operator", 8);
        if (!py_text_is(&st->m, op, "+") && !py_text_is(&st->m, op, "%"))
            return false;
        TSNode l = ts_node_child_by_field_name(n, "left", 4), r = ts_node_child_by_field_name(n, "right", 5);
        char buf[8];
        bool lit_l = py_plain_string(&st->m, l, buf, sizeof buf), lit_r = py_plain_string(&st->m, r, buf, sizeof buf);
        if (lit_l && lit_r)
            return false;
        return stringy(st, l, depth + 1) || stringy(st, r, depth + 1);
    }
    if (strcmp(type, "call") == 0) {
        TSNode fn = ts_node_child_by_field_name(n, "function", 8);
        if (is_type(fn, "attribute")) {
            TSNode attr = ts_node_child_by_field_name(fn, "attribute", 9);
            if (py_text_is(&st->m, attr, "format") || py_text_is(&st->m, attr, "join"))
                return true;
        }
        return false;
    }
    if (strcmp(type, "identifier") == 0) {
        TSNode v = assigned_value(st, n);
        return !ts_node_is_null(v) && dynamic_text(st, v, depth + 1);
    }
    return false;
}

/* Whether the values an expression carries name a classified column: a string literal or an
 * identifier naming one, a variable assigned such a value, a DataFrame read from a dataset that
 * holds one (unless a select after it keeps other columns only). Calls that reduce rows to a
 * number (count, len ...) carry no values. */
static bool mentions_classified(const py_state *st, TSNode n, int depth)
{
    static const char *const counting[] = {"count", "isEmpty", "len", "columns", "printSchema", "schema", NULL};
    if (ts_node_is_null(n) || depth > 8)
        return false;
    const char *type = ts_node_type(n);
    size_t len;
    const char *t = py_text(&st->m, n, &len);
    if (strcmp(type, "string_content") == 0)
        return text_names_classified(&st->cl, t, len) != 0;
    if (strcmp(type, "identifier") == 0) {
        if (word_classified(&st->cl, t, len) & NAMES_COL)
            return true;
        TSNode v = assigned_value(st, n);
        return !ts_node_is_null(v) && mentions_classified(st, v, depth + 1);
    }
    if (strcmp(type, "call") == 0) {
        TSNode fn = ts_node_child_by_field_name(n, "function", 8);
        TSNode args = ts_node_child_by_field_name(n, "arguments", 9);
        TSNode method = is_type(fn, "attribute") ? ts_node_child_by_field_name(fn, "attribute", 9) : fn;
        char name[64] = "";
        if (!ts_node_is_null(method)) {
            const char *mt = py_text(&st->m, method, &len);
            snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), mt);
        }
        if (in_list(name, counting))
            return false;
        if (strcmp(name, "select") == 0 || strcmp(name, "selectExpr") == 0) {
            size_t an;
            const char *at = ts_node_is_null(args) ? "" : py_text(&st->m, args, &an);
            bool star = memchr(at, '*', ts_node_is_null(args) ? 0 : an) != NULL;
            if (!star) /* the projection decides which columns remain */
                return mentions_classified(st, args, depth);
        }
    }
    if (strcmp(type, "string") == 0 && !py_is_fstring(&st->m, n)) {
        char buf[1024];
        if (py_plain_string(&st->m, n, buf, sizeof buf))
            return text_names_classified(&st->cl, buf, strlen(buf)) != 0;
    }
    uint32_t k = ts_node_child_count(n);
    for (uint32_t i = 0; i < k; i++)
        if (mentions_classified(st, ts_node_child(n, i), depth))
            return true;
    return false;
}

/* The i-th positional argument and a keyword argument's value of a call. */
static TSNode arg_at(TSNode args, int i)
{
    TSNode none = {0};
    if (!is_type(args, "argument_list"))
        return none;
    int k = 0;
    for (uint32_t j = 0; j < ts_node_named_child_count(args); j++) {
        TSNode a = ts_node_named_child(args, j);
        if (is_type(a, "keyword_argument") || is_type(a, "comment"))
            continue;
        if (k++ == i)
            return a;
    }
    return none;
}

static TSNode kwarg(const py_state *st, TSNode args, const char *name)
{
    TSNode none = {0};
    if (!is_type(args, "argument_list"))
        return none;
    for (uint32_t j = 0; j < ts_node_named_child_count(args); j++) {
        TSNode a = ts_node_named_child(args, j);
        if (is_type(a, "keyword_argument") && py_text_is(&st->m, ts_node_child_by_field_name(a, "name", 4), name))
            return ts_node_child_by_field_name(a, "value", 5);
    }
    return none;
}

static bool in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return true;
    return false;
}

static bool plain_secret(const py_state *st, TSNode value)
{
    char buf[512];
    return py_plain_string(&st->m, value, buf, sizeof buf) && layers_secret_value(buf, strlen(buf));
}

static void check_call(py_state *st, TSNode call)
{
    static const char *const eval_fns[] = {"eval", "exec", "compile", "builtins.eval", "builtins.exec", NULL};
    static const char *const deser_fns[] = {"pickle.load", "pickle.loads", "cPickle.load", "cPickle.loads",
                                            "marshal.load", "marshal.loads", "shelve.open", "dill.load",
                                            "dill.loads", "jsonpickle.decode", "yaml.unsafe_load",
                                            "pd.read_pickle", "pandas.read_pickle", NULL};
    static const char *const shell_fns[] = {"os.system", "os.popen", "os.execl", "os.execlp", "os.execv",
                                            "os.execvp", "os.spawnl", "os.spawnv", "subprocess.getoutput",
                                            "subprocess.getstatusoutput", "commands.getoutput", NULL};
    static const char *const file_fns[] = {"open", "io.open", "os.remove", "os.unlink", "os.rmdir",
                                           "os.removedirs", "os.rename", "os.replace", "os.chmod",
                                           "shutil.rmtree", "shutil.move", "shutil.copy", "shutil.copyfile", NULL};
    static const char *const log_recv[] = {"logging", "logger", "log", "LOG", "LOGGER", "self.logger",
                                           "self.log", "_log", "_logger", NULL};
    static const char *const log_fns[] = {"debug", "info", "warning", "warn", "error", "critical",
                                          "exception", "log", NULL};
    static const char *const show_fns[] = {"show", "collect", "take", "head", "toPandas", "toLocalIterator",
                                           "tail", NULL};
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
    char name[256];
    py_dotted(&st->m, fn, name, sizeof name);
    const char *dot = strrchr(name, '.');
    const char *last = dot ? dot + 1 : name;
    char recv[256] = "";
    if (dot)
        snprintf(recv, sizeof recv, "%.*s", (int)(dot - name), name);
    char method[64] = "";
    if (is_type(fn, "attribute")) {
        size_t n;
        const char *t = py_text(&st->m, ts_node_child_by_field_name(fn, "attribute", 9), &n);
        snprintf(method, sizeof method, "%.*s", (int)n, t);
    }

    if (strcmp(method, "sql") == 0 && dynamic_text(st, arg_at(args, 0), 0))
        finding_at(st, VRULE_SEC_PY_DYNAMIC_SQL, call,
                   "SQL text built from variables is passed to %s(): pass the values with args= "
                   "(named parameter markers) instead",
                   name[0] ? name : "sql");
    if (in_list(name, eval_fns))
        finding_at(st, VRULE_SEC_PY_EVAL, call, "%s() runs text as code", name);
    bool deser = in_list(name, deser_fns);
    if (strcmp(name, "yaml.load") == 0) {
        TSNode loader = kwarg(st, args, "Loader");
        if (ts_node_is_null(loader))
            loader = arg_at(args, 1);
        size_t n = 0;
        const char *t = ts_node_is_null(loader) ? "" : py_text(&st->m, loader, &n);
        bool safe = false;
        for (size_t i = 0; i + 4 <= n; i++)
            safe |= memcmp(t + i, "Safe", 4) == 0;
        deser = !safe;
    }
    if (deser)
        finding_at(st, VRULE_SEC_PY_DESERIALIZE, call, "%s() can run code from the data it loads", name);
    TSNode shell = kwarg(st, args, "shell");
    if (in_list(name, shell_fns) ||
        (strncmp(name, "subprocess.", 11) == 0 && !ts_node_is_null(shell) && py_text_is(&st->m, shell, "True")))
        finding_at(st, VRULE_SEC_PY_SHELL, call, "%s runs a shell command", name);
    if (in_list(name, file_fns)) {
        TSNode a0 = arg_at(args, 0);
        char buf[8];
        if (!ts_node_is_null(a0) && !py_plain_string(&st->m, a0, buf, sizeof buf))
            finding_at(st, VRULE_SEC_PY_FILE, call, "%s() of a path computed at run time", name);
    }
    if (strcmp(name, "print") == 0 || (in_list(recv, log_recv) && in_list(last, log_fns))) {
        if (mentions_classified(st, args, 0))
            finding_at(st, VRULE_SEC_PY_LOG_CLASSIFIED, call, "%s() outputs a classified column", name);
    }
    if ((method[0] && in_list(method, show_fns)) || strcmp(name, "display") == 0) {
        TSNode target = method[0] ? ts_node_child_by_field_name(fn, "object", 6) : arg_at(args, 0);
        if (mentions_classified(st, target, 0))
            finding_at(st, VRULE_SEC_PY_SHOW_CLASSIFIED, call,
                       "%s() brings rows holding classified columns to the driver or the log",
                       method[0] ? method : name);
    }
    if (strcmp(method, "option") == 0 || strcmp(method, "get") == 0 || strcmp(method, "setdefault") == 0) {
        char key[256];
        if (py_plain_string(&st->m, arg_at(args, 0), key, sizeof key) && layers_secret_name(key, strlen(key)) &&
            plain_secret(st, arg_at(args, 1)))
            finding_at(st, VRULE_SEC_PY_CREDENTIAL, call, "a literal value for \"%s\"", key);
    }
}

static void py_visit(void *userdata, TSNode node)
{
    py_state *st = userdata;
    const char *type = ts_node_type(node);
    if (strcmp(type, "call") == 0) {
        check_call(st, node);
    } else if (strcmp(type, "assignment") == 0 || strcmp(type, "keyword_argument") == 0 ||
               strcmp(type, "pair") == 0) {
        /* name = value: assignment left/right, keyword_argument name/value, pair key/value */
        const char *kf = type[0] == 'a' ? "left" : type[0] == 'k' ? "name" : "key";
        const char *vf = type[0] == 'a' ? "right" : "value";
        TSNode k = ts_node_child_by_field_name(node, kf, (uint32_t)strlen(kf));
        TSNode v = ts_node_child_by_field_name(node, vf, (uint32_t)strlen(vf));
        char key[256];
        size_t n = 0;
        const char *kt = NULL;
        if (is_type(k, "identifier")) {
            kt = py_text(&st->m, k, &n);
        } else if (is_type(k, "attribute")) {
            kt = py_text(&st->m, ts_node_child_by_field_name(k, "attribute", 9), &n);
        } else if (py_plain_string(&st->m, k, key, sizeof key)) {
            kt = key;
            n = strlen(key);
        }
        if (kt && layers_secret_name(kt, n) && plain_secret(st, v)) {
            char shown[128];
            snprintf(shown, sizeof shown, "%.*s", (int)(n < 100 ? n : 100), kt);
            finding_at(st, VRULE_SEC_PY_CREDENTIAL, node, "a hard-coded value for %s: read it from a secret store",
                       shown);
        }
    } else if (strcmp(type, "string_content") == 0) {
        size_t n;
        const char *t = py_text(&st->m, node, &n);
        const char *what = layers_secret_pattern(t, n);
        if (what)
            finding_at(st, VRULE_SEC_PY_CREDENTIAL, node, "%s in a string literal", what);
    }
}

/* ---- masking of what is written ---- */

/* Whether the artifact puts a masking policy on the column (Snowflake `... COL ... MASKING POLICY`,
 * Spark / Unity Catalog `ALTER COLUMN COL SET MASK`): the column's name and the words on one line. */
static bool masked_in_text(const char *text, size_t len, const char *col)
{
    size_t m = strlen(col);
    size_t line = 0;
    while (line < len) {
        const char *nl = memchr(text + line, '\n', len - line);
        size_t end = nl ? (size_t)(nl - text) : len;
        bool has_col = false, has_mask = false;
        for (size_t i = line; i + m <= end; i++) {
            if (layers_ieq(text + i, m, col) && (i == line || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_')) &&
                (i + m == end || !(isalnum((unsigned char)text[i + m]) || text[i + m] == '_')))
                has_col = true;
            if (i + 14 <= end && layers_ieq(text + i, 14, "MASKING POLICY"))
                has_mask = true;
            if (i + 8 <= end && layers_ieq(text + i, 8, "SET MASK"))
                has_mask = true;
        }
        if (has_col && has_mask)
            return true;
        line = end + 1;
    }
    return false;
}

static void check_unmasked(verify_findings *out, const verify_policy *p, verify_rule rule, const char *text,
                           size_t len, const char *path, ir_job *const *gen, int n_gen, const ir_job *legacy)
{
    for (int j = 0; j < n_gen; j++) {
        bool **raw = NULL;
        security_tag_job(p, gen[j], legacy, &raw);
        if (p->production)
            continue;
        for (int i = 0; i < gen[j]->n_nodes; i++) {
            const ir_node *n = gen[j]->nodes[i];
            if (n->op != IR_OP_TARGET)
                continue;
            for (int c = 0; c < n->n_cols; c++) {
                const ir_column *col = &n->cols[c];
                if (!col->tags || !raw[i][c] || (col->flags & IR_COL_ROW_OP) || masked_in_text(text, len, col->name))
                    continue;
                char tags[32];
                ir_span s = col->span.line ? col->span : n->span;
                findings_add(out, rule, path, s.line, s.col,
                             "%s.%s (%s) is written unmasked under the non-production profile: apply a masking "
                             "policy or a masking function (sha2, md5, regexp_replace)",
                             n->dataset ? n->dataset : n->name, col->name, policy_tags_text(col->tags, tags, sizeof tags));
            }
        }
    }
}

/* ---- Snowflake SQL ---- */

static void sql_layer(verify_findings *out, const classified *cl, const char *text, size_t len, const char *path)
{
    arena *a = arena_new();
    sql_tok *t = NULL;
    int n = sql_tokenize(a, text, len, &t);
    for (int i = 0; i < n; i++) {
        const sql_tok *k = &t[i];
        bool first = i == 0 || t[i - 1].stmt != k->stmt;
        if (k->kind == STK_STRING) {
            const char *what = layers_secret_pattern(k->s, k->n);
            if (what)
                findings_add(out, VRULE_SEC_SQL_CREDENTIAL, path, k->line, k->col, "%s in a string literal", what);
        }
        /* NAME = 'literal' with a secret-looking name */
        if (k->kind == STK_WORD && i + 2 < n && t[i + 1].kind == STK_PUNCT && t[i + 1].s[0] == '=' &&
            t[i + 2].kind == STK_STRING && t[i + 2].stmt == k->stmt && layers_secret_name(k->s, k->n) &&
            layers_secret_value(t[i + 2].s, t[i + 2].n))
            findings_add(out, VRULE_SEC_SQL_CREDENTIAL, path, k->line, k->col,
                         "a literal value for %.*s: use a storage integration or a secret object", (int)k->n, k->s);
        if (sql_tok_is(k, "EXECUTE") && i + 1 < n && sql_tok_is(&t[i + 1], "IMMEDIATE")) {
            for (int j = i + 2; j < n && t[j].stmt == k->stmt && !sql_tok_is(&t[j], "USING"); j++)
                if ((t[j].kind == STK_PUNCT && t[j].n == 2) ||
                    (sql_tok_is(&t[j], "CONCAT") && j + 1 < n && t[j + 1].s[0] == '(')) {
                    findings_add(out, VRULE_SEC_SQL_DYNAMIC, path, k->line, k->col,
                                 "EXECUTE IMMEDIATE of text built by concatenation: use bind variables (USING)");
                    break;
                }
        }
        if (first && sql_tok_is(k, "GRANT")) {
            for (int j = i + 1; j + 1 < n && t[j].stmt == k->stmt; j++)
                if (sql_tok_is(&t[j], "TO")) {
                    int m = j + 1;
                    if (m < n && sql_tok_is(&t[m], "ROLE"))
                        m++;
                    if (m < n && sql_tok_is(&t[m], "PUBLIC"))
                        findings_add(out, VRULE_SEC_SQL_GRANT_PUBLIC, path, k->line, k->col,
                                     "a grant to PUBLIC gives every user of the account access");
                    break;
                }
        }
        if (first && (sql_tok_is(k, "SELECT") || sql_tok_is(k, "WITH"))) {
            bool loads = false, shows = false, star = false, names_set = false;
            int j = i;
            for (; j < n && t[j].stmt == k->stmt; j++) {
                if (sql_tok_is(&t[j], "INSERT") || sql_tok_is(&t[j], "MERGE") || sql_tok_is(&t[j], "CREATE"))
                    loads = true;
                if (t[j].kind == STK_WORD || t[j].kind == STK_QIDENT) {
                    int m = text_names_classified(cl, t[j].s, t[j].n);
                    shows |= (m & NAMES_COL) != 0;
                    names_set |= (m & NAMES_SET) != 0;
                }
                if (t[j].kind == STK_PUNCT && t[j].s[0] == '*')
                    star = true;
            }
            if (!loads && (shows || (star && names_set)))
                findings_add(out, VRULE_SEC_SQL_SHOW_CLASSIFIED, path, k->line, k->col,
                             "a query outside a load returns classified columns to the client");
        }
        if (k->kind == STK_WORD && k->n > 10 && layers_ieq(k->s, 10, "SYSTEM$LOG") && i + 1 < n &&
            t[i + 1].s[0] == '(') {
            int depth = 0;
            for (int j = i + 1; j < n; j++) {
                if (t[j].kind == STK_PUNCT && t[j].s[0] == '(')
                    depth++;
                else if (t[j].kind == STK_PUNCT && t[j].s[0] == ')' && --depth == 0)
                    break;
                else if ((t[j].kind == STK_WORD || t[j].kind == STK_QIDENT || t[j].kind == STK_VAR) &&
                         (text_names_classified(cl, t[j].s[0] == ':' ? t[j].s + 1 : t[j].s,
                                                t[j].s[0] == ':' ? t[j].n - 1 : t[j].n) &
                          NAMES_COL)) {
                    findings_add(out, VRULE_SEC_SQL_SHOW_CLASSIFIED, path, k->line, k->col,
                                 "%.*s() writes a classified column to the event log", (int)k->n, k->s);
                    break;
                }
            }
        }
    }
    arena_free(a);
}

void security_layer(verify_findings *out, const verify_policy *p, verify_target target, const char *text,
                    size_t len, const char *path, ir_job *const *gen, int n_gen, const ir_job *legacy)
{
    check_unmasked(out, p, target == VERIFY_SPARK ? VRULE_SEC_PY_UNMASKED : VRULE_SEC_SQL_UNMASKED, text, len, path,
                   gen, n_gen, legacy);
    arena *a = arena_new();
    classified cl = {{0}, {0}, p};
    for (int j = 0; j < n_gen; j++)
        collect_job(&cl, a, p, gen[j]);
    if (legacy)
        collect_job(&cl, a, p, legacy);
    if (target == VERIFY_SPARK) {
        py_state st;
        memset(&st, 0, sizeof st);
        st.path = path;
        st.out = out;
        st.p = p;
        st.cl = cl;
        st.a = a;
        if (py_parse(&st.m, text, len) == 0) {
            py_walk(&st.m, collect_assign, &st);
            py_walk(&st.m, py_visit, &st);
        }
        py_module_clear(&st.m);
    } else {
        sql_layer(out, &cl, text, len, path);
    }
    arena_free(a);
}
