/*
 * abi_plan.c — Ab Initio orchestration into workflows (ir/ir_flow.h): Conduct>It plans (.plan)
 * and the shell scripts that run several graphs in sequence (a "wrapper" in run/); see
 * docs/flows-abinitio-sql.md.
 *
 * No real .plan file and no public description of its syntax exist (reference §5.2 [U]). The one
 * plan we have (shared corpus, ab_albertsons_demo/nightly_batch.plan) is written in a demo
 * notation, and that notation is all this reader accepts — nothing beyond it is guessed:
 *
 *   plan NAME ... end plan             the flow
 *   parameter NAME = "value"           a flow parameter with its default
 *   task NAME  + `key = value` lines   type = trigger | program | terminal; program, args,
 *                                      on-failure = METHOD
 *   depends A on B                     A runs after B succeeded
 *   method NAME + `key = value` lines  a named action (program, args) tasks call on failure
 *   ;; comment                         (and ;;; banner lines)
 *
 * What a `program` task runs decides its kind: a sub-plan (.plan) is a SUBFLOW read from its file;
 * a graph (a deployed run/<g>.ksh, a graph checked in as mp/<g>.mp, or an .mp / .pset) is a JOB
 * named as the frontend names that graph's job; a graph-sequencing script is a SUBFLOW of its
 * own steps; anything else is a COMMAND. A task of another type, a line of another form, is a
 * HOLE task with its text and line. Phases of one graph are no flow: they order components
 * inside one job (abi_lower.c keeps each component's phase as a node property).
 *
 * A wrapper script is read line by line: each graph run is a JOB task (`air sandbox run X.mp`,
 * `$AI_RUN/g.ksh`), other commands are COMMAND tasks, shell control flow around graph runs is a
 * HOLE task. Consecutive tasks are joined by a SUCCESS edge when the script stops at a failure
 * there (`set -e`, `|| exit`, a `$?` test that exits), else by an unconditional edge (a shell
 * script goes on after a failing command). `cmd &` ... `wait` runs tasks in parallel.
 */
#include "frontends/abinitio/abi_graph_internal.h"
#include "ir/ir_flow.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#define PLAN_MAX_DEPTH 8 /* sub-plans and sub-scripts read inside one another */

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* The file name without directory and extension. */
static const char *stem(arena *a, const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    return arena_strndup(a, b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

/* The output folder of the sandbox's jobs (abi_graph_lower: the root's last component). */
static const char *sandbox_folder(arena *a, const abi_sandbox *sb)
{
    if (!sb || !sb->root)
        return NULL;
    const char *b = strrchr(sb->root, '/');
    return arena_strdup(a, b ? b + 1 : sb->root);
}

/* ---- what a program is ---- */

typedef enum { RUN_COMMAND, RUN_GRAPH, RUN_PLAN, RUN_SCRIPT } run_kind;

typedef struct reader {
    arena *a;
    diag_ctx *dc;
    const abi_sandbox *sb;
    const char *path;
    const srcfile *src;
    int depth;
    const char **stack; /* files being read, outermost first (a plan that runs itself is an error) */
    int n_errors;
} reader;

static void rerr(reader *r, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void rerr(reader *r, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(r->dc, DIAG_ERROR, r->src, r->path, line, col, fmt, ap);
    va_end(ap);
    r->n_errors++;
}

static void rwarn(reader *r, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void rwarn(reader *r, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(r->dc, DIAG_WARNING, r->src, r->path, line, col, fmt, ap);
    va_end(ap);
}

/* The job name a deployed script gives its graph: `mp job NAME` [C], else the file's stem. */
static const char *ksh_job_name(arena *a, const char *path)
{
    size_t len;
    const char *t = abi_read_file(a, path, &len);
    const char *name = stem(a, path);
    for (size_t i = 0; t && i < len; i++) {
        if (i > 0 && t[i - 1] != '\n')
            continue;
        size_t j = i;
        while (j < len && (t[j] == ' ' || t[j] == '\t'))
            j++;
        if (len - j > 7 && !memcmp(t + j, "mp job ", 7)) {
            size_t s = j + 7, e = s;
            while (e < len && !isspace((unsigned char)t[e]) && t[e] != ';')
                e++;
            if (e > s)
                name = arena_strndup(a, t + s, e - s);
            break;
        }
    }
    return name;
}

/*
 * What `program` (as written) runs: the path after substitution in *resolved, the job name of a
 * graph in *job. A .plan is a sub-plan; an .mp or .pset is a graph (the pset's job is named after
 * the pset); a .ksh is a graph when it is a deployed graph or the sandbox holds mp/<stem>.mp, a
 * script flow when it runs graphs itself, else a command.
 */
static run_kind classify(reader *r, const char *program, const char **resolved, const char **job)
{
    const char *p = abi_subst(r->a, program, r->sb, NULL);
    *resolved = p;
    *job = NULL;
    if (ends_with(p, ".plan"))
        return RUN_PLAN;
    if (ends_with(p, ".mp") || ends_with(p, ".pset")) {
        *job = stem(r->a, p);
        return RUN_GRAPH;
    }
    if ((!ends_with(p, ".ksh") && !ends_with(p, ".sh")) || !r->sb)
        return RUN_COMMAND; /* without a sandbox no file is read */
    size_t len;
    const char *t = is_file(p) ? abi_read_file(r->a, p, &len) : NULL;
    if (t && abi_ksh_detect(t, len)) {
        *job = ksh_job_name(r->a, p);
        return RUN_GRAPH;
    }
    if (r->sb && r->sb->root && is_file(arena_printf(r->a, "%s/mp/%s.mp", r->sb->root, stem(r->a, p)))) {
        *job = stem(r->a, p);
        return RUN_GRAPH;
    }
    if (t && abi_wrapper_detect(p, t, len))
        return RUN_SCRIPT;
    return RUN_COMMAND;
}

static int read_plan_text(ir_flow *f, reader *r, const char *text, size_t len);
static int read_wrapper_text(ir_flow *f, reader *r, const char *text, size_t len);

/* Reads the plan or script at path into sub (a sub-flow of the caller's flow). Returns 0, or -1
 * when it cannot be read (reported). */
static int read_nested(reader *r, ir_flow *sub, const char *path, bool is_plan, int line, int col)
{
    for (int i = 0; i < r->depth; i++)
        if (!strcmp(r->stack[i], path)) {
            rerr(r, line, col, "'%s' runs itself (directly or through another plan)", path);
            return -1;
        }
    if (r->depth + 1 >= PLAN_MAX_DEPTH) {
        rerr(r, line, col, "'%s': plans nested more than %d deep", path, PLAN_MAX_DEPTH);
        return -1;
    }
    srcfile *src;
    if (!r->sb || srcfile_load(&src, path) != 0) { /* without a sandbox no file is read */
        rwarn(r, line, col, "'%s' cannot be read: the task stays a hole", path);
        return -1;
    }
    reader nr = *r;
    nr.path = ir_flow_intern(sub, path);
    nr.src = src;
    nr.stack = arena_alloc(r->a, sizeof *nr.stack * (size_t)(r->depth + 1));
    memcpy(nr.stack, r->stack, sizeof *nr.stack * (size_t)r->depth);
    nr.stack[nr.depth++] = nr.path;
    nr.n_errors = 0;
    sub->file = nr.path;
    int rc = is_plan ? read_plan_text(sub, &nr, src->text, src->len) : read_wrapper_text(sub, &nr, src->text, src->len);
    r->n_errors += nr.n_errors;
    srcfile_free(src);
    return rc;
}

/*
 * A task that runs `program args`: a JOB, a SUBFLOW (plans, graph-sequencing scripts) or a
 * COMMAND. A sub-flow that cannot be read makes the task a HOLE with the program's text.
 */
static ir_task *add_run_task(ir_flow *f, reader *r, const char *name, const char *program, const char *args,
                             ir_span sp)
{
    const char *resolved, *job;
    run_kind k = classify(r, program, &resolved, &job);
    const char *cmd = args && *args ? arena_printf(r->a, "%s %s", program, args) : program;
    ir_task *t;
    if (k == RUN_GRAPH) {
        t = ir_flow_add_task(f, IR_TASK_JOB, name, sp);
        t->job = ir_flow_intern(f, job);
    } else if (k == RUN_PLAN || k == RUN_SCRIPT) {
        ir_flow *sub = ir_flow_new_sub(f, k == RUN_PLAN ? IR_FLOW_PLAN : IR_FLOW_SCRIPT, stem(r->a, resolved));
        if (read_nested(r, sub, resolved, k == RUN_PLAN, sp.line, sp.col) != 0) {
            t = ir_flow_add_task(f, IR_TASK_HOLE, name, sp);
            t->text = ir_flow_intern(f, cmd);
            t->hole_reason = ir_flow_intern(f, arena_printf(r->a, "the %s '%s' cannot be read",
                                                            k == RUN_PLAN ? "sub-plan" : "script", resolved));
        } else {
            t = ir_flow_add_task(f, IR_TASK_SUBFLOW, name, sp);
            t->sub = sub;
        }
    } else {
        t = ir_flow_add_task(f, IR_TASK_COMMAND, name, sp);
        ir_task_add_command(f, t, name, cmd);
        t->stop_on_error = true;
    }
    ir_task_add_prop(f, t, "program", program);
    if (args && *args)
        ir_task_add_prop(f, t, "args", args);
    return t;
}

/* ================================================================================================
 * Plans
 * ============================================================================================== */

bool abi_plan_detect(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t s = i;
        while (s < e && (text[s] == ' ' || text[s] == '\t' || text[s] == '\r'))
            s++;
        i = e + 1;
        if (s == e || (e - s >= 2 && text[s] == ';' && text[s + 1] == ';'))
            continue;
        return e - s > 5 && !memcmp(text + s, "plan", 4) && (text[s + 4] == ' ' || text[s + 4] == '\t');
    }
    return false;
}

/* One `task` or `method` block (its header line and `key = value` lines), or a line of no known
 * form. */
typedef struct pblock {
    const char *kind; /* "task", "method" or "line" */
    const char *name;
    const char **keys, **values;
    int *lines;
    int n, cap;
    int line, col;
    size_t start, end; /* byte range of the block's text */
} pblock;

typedef struct pdep {
    const char *task, *on;
    int line, col;
    const char *text;
} pdep;

static const char *pb_get(const pblock *b, const char *key)
{
    for (int i = b->n - 1; i >= 0; i--)
        if (!strcmp(b->keys[i], key))
            return b->values[i];
    return NULL;
}

/* A value: the text between quotes, or the trimmed text. */
static const char *unquote(arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
        return arena_strndup(a, s + 1, n - 2);
    return arena_strndup(a, s, n);
}

/* The length of the line without its `;;` comment (quotes respected). */
static size_t code_len(const char *s, size_t n)
{
    bool q = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            q = !q;
        else if (!q && s[i] == ';' && i + 1 < n && s[i + 1] == ';')
            return i;
    }
    return n;
}

static size_t word_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !isspace((unsigned char)s[i]))
        i++;
    return i;
}

static bool word_eq(const char *s, size_t n, const char *w)
{
    return n == strlen(w) && !memcmp(s, w, n);
}

static int read_plan_text(ir_flow *f, reader *r, const char *text, size_t len)
{
    arena *a = r->a;
    pblock *blocks = NULL;
    int n_blocks = 0, cap_blocks = 0;
    pdep *deps = NULL;
    int n_deps = 0, cap_deps = 0;
    pblock *cur = NULL;
    bool named = false, ended = false;
    int line = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n')
            e++;
        line++;
        const char *ln = text + pos;
        size_t n = code_len(ln, e - pos);
        size_t ind = 0;
        while (ind < n && (ln[ind] == ' ' || ln[ind] == '\t'))
            ind++;
        size_t line_start = pos;
        pos = e + 1;
        const char *s = ln + ind;
        size_t sn = n - ind;
        while (sn && isspace((unsigned char)s[sn - 1]))
            sn--;
        if (sn == 0)
            continue;
        int col = (int)ind + 1;
        if (ended) {
            rerr(r, line, col, "text after 'end plan'");
            break;
        }
        size_t w = word_len(s, sn);
        const char *rest = s + w;
        size_t rn = sn - w;
        while (rn && (*rest == ' ' || *rest == '\t')) {
            rest++;
            rn--;
        }
        if (word_eq(s, w, "plan") && !named) {
            named = true;
            if (rn) {
                f->name = ir_flow_intern(f, arena_strndup(a, rest, word_len(rest, rn)));
                f->span = (ir_span){r->path, line, col};
            }
            continue;
        }
        if (word_eq(s, w, "end") && rn >= 4 && !memcmp(rest, "plan", 4)) {
            ended = true;
            continue;
        }
        if (word_eq(s, w, "task") || word_eq(s, w, "method")) {
            if (!rn) {
                rerr(r, line, col, "'%.*s' without a name", (int)w, s);
                cur = NULL;
                continue;
            }
            pblock b;
            memset(&b, 0, sizeof b);
            b.kind = word_eq(s, w, "task") ? "task" : "method";
            b.name = arena_strndup(a, rest, word_len(rest, rn));
            b.line = line;
            b.col = col;
            b.start = b.end = line_start + ind;
            ARENA_PUSH(a, blocks, n_blocks, cap_blocks, b);
            cur = &blocks[n_blocks - 1];
            cur->end = line_start + n;
            continue;
        }
        if (word_eq(s, w, "depends")) {
            /* depends A on B [, C ...] */
            size_t aw = word_len(rest, rn);
            const char *after = rest + aw;
            size_t an = rn - aw;
            while (an && (*after == ' ' || *after == '\t')) {
                after++;
                an--;
            }
            if (!aw || an < 3 || memcmp(after, "on", 2) || !isspace((unsigned char)after[2])) {
                rerr(r, line, col, "'depends' is not 'depends TASK on TASK'");
                continue;
            }
            const char *task = arena_strndup(a, rest, aw);
            const char *p = after + 2, *end = after + an;
            while (p < end) {
                while (p < end && (isspace((unsigned char)*p) || *p == ','))
                    p++;
                const char *q = p;
                while (q < end && !isspace((unsigned char)*q) && *q != ',')
                    q++;
                if (q > p) {
                    pdep d = {task, arena_strndup(a, p, (size_t)(q - p)), line, col, arena_strndup(a, s, sn)};
                    ARENA_PUSH(a, deps, n_deps, cap_deps, d);
                }
                p = q;
            }
            cur = NULL;
            continue;
        }
        const char *eq = memchr(s, '=', sn);
        if (word_eq(s, w, "parameter") && eq) {
            const char *nm = rest;
            size_t nl = (size_t)(eq - rest);
            while (nl && isspace((unsigned char)nm[nl - 1]))
                nl--;
            ir_flow_var *v = ir_flow_add_var(f, arena_strndup(a, nm, nl), ir_type_make(IR_TY_STRING, 0, 0));
            v->is_param = true;
            v->default_value = ir_flow_intern(f, unquote(a, eq + 1, (size_t)(s + sn - eq - 1)));
            v->source = "default";
            v->span = (ir_span){r->path, line, col};
            cur = NULL;
            continue;
        }
        if (cur && eq && ind > 0) {
            size_t kl = (size_t)(eq - s);
            while (kl && isspace((unsigned char)s[kl - 1]))
                kl--;
            int k1 = cur->n, k2 = cur->n, c1 = cur->cap, c2 = cur->cap;
            ARENA_PUSH(a, cur->keys, k1, c1, arena_strndup(a, s, kl));
            ARENA_PUSH(a, cur->lines, k2, c2, line);
            ARENA_PUSH(a, cur->values, cur->n, cur->cap, unquote(a, eq + 1, (size_t)(s + sn - eq - 1)));
            cur->end = line_start + n;
            continue;
        }
        /* anything else: kept as a hole task, in file order with the tasks */
        rwarn(r, line, col, "plan line not understood: kept as a hole task");
        pblock b;
        memset(&b, 0, sizeof b);
        b.kind = "line";
        b.name = arena_printf(a, "line_%d", line);
        b.line = line;
        b.col = col;
        b.start = line_start + ind;
        b.end = line_start + ind + sn;
        ARENA_PUSH(a, blocks, n_blocks, cap_blocks, b);
        cur = NULL;
    }
    if (!named)
        rerr(r, 1, 1, "no 'plan NAME' line");
    else if (!ended)
        rwarn(r, line, 1, "the plan has no 'end plan' line");
    /* tasks and methods, in file order */
    for (int i = 0; i < n_blocks; i++) {
        pblock *b = &blocks[i];
        ir_span sp = {r->path, b->line, b->col};
        if (ir_flow_task_index(f, b->name) >= 0) {
            rerr(r, b->line, b->col, "%s '%s' is defined twice", b->kind, b->name);
            continue;
        }
        const char *type = pb_get(b, "type");
        const char *program = pb_get(b, "program");
        const char *args = pb_get(b, "args");
        const char *block_text = arena_strndup(a, text + b->start, b->end - b->start);
        ir_task *t;
        if (!strcmp(b->kind, "line")) {
            t = ir_flow_add_task(f, IR_TASK_HOLE, b->name, sp);
            t->text = ir_flow_intern(f, block_text);
            t->hole_reason = "a plan line of a form the reader does not know";
        } else if (!strcmp(b->kind, "method")) {
            if (program)
                t = add_run_task(f, r, b->name, program, args, sp);
            else {
                t = ir_flow_add_task(f, IR_TASK_HOLE, b->name, sp);
                t->text = ir_flow_intern(f, block_text);
                t->hole_reason = "a method without a program";
            }
            t->join_or = true; /* runs when any task that names it fails */
            ir_task_add_prop(f, t, "plan_method", b->name);
        } else if (type && (!strcmp(type, "trigger") || !strcmp(type, "terminal"))) {
            t = ir_flow_add_task(f, IR_TASK_START, b->name, sp); /* no work: a start or end marker */
            ir_task_add_prop(f, t, "plan_type", type);
        } else if (type && !strcmp(type, "program") && program) {
            t = add_run_task(f, r, b->name, program, args, sp);
        } else {
            t = ir_flow_add_task(f, IR_TASK_HOLE, b->name, sp);
            t->text = ir_flow_intern(f, block_text);
            t->hole_reason = !type ? "a plan task without a type"
                             : !strcmp(type, "program")
                                 ? "a program task without a program"
                                 : ir_flow_intern(f, arena_printf(a, "plan task type '%s' is not known", type));
        }
        for (int k = 0; k < b->n; k++)
            if (strcmp(b->keys[k], "type") && strcmp(b->keys[k], "program") && strcmp(b->keys[k], "args"))
                ir_task_add_prop(f, t, b->keys[k], b->values[k]);
    }
    /* dependencies: A after B succeeded */
    for (int i = 0; i < n_deps; i++) {
        int to = ir_flow_task_index(f, deps[i].task), from = ir_flow_task_index(f, deps[i].on);
        if (to < 0 || from < 0) {
            rerr(r, deps[i].line, deps[i].col, "'%s': no task named '%s'", deps[i].text,
                 to < 0 ? deps[i].task : deps[i].on);
            ir_flow_add_prop(f, "unresolved_dependency", deps[i].text);
            continue;
        }
        ir_flow_add_edge(f, from, to, abi_flow_status_is(f, f->tasks[from]->name, "SUCCEEDED"), deps[i].text,
                         (ir_span){r->path, deps[i].line, deps[i].col});
    }
    /* on-failure = METHOD: the method runs when the task fails */
    int n_tasks = f->n_tasks;
    for (int i = 0; i < n_tasks; i++) {
        ir_task *t = f->tasks[i];
        const char *m = ir_task_prop(t, "on-failure");
        if (!m)
            continue;
        int to = ir_flow_task_index(f, m);
        if (to < 0 || !ir_task_prop(f->tasks[to], "plan_method")) {
            rerr(r, t->span.line, t->span.col, "task '%s': on-failure names '%s', which is not a method", t->name, m);
            continue;
        }
        ir_flow_add_edge(f, i, to, abi_flow_status_is(f, t->name, "FAILED"), arena_printf(a, "on-failure = %s", m),
                         t->span);
    }
    return r->n_errors ? -1 : 0;
}

/* A plan (plan true) or a graph-sequencing script read into a new flow. */
static int read_top(ir_flow **out, bool plan, const abi_sandbox *sb, const char *path, const char *text, size_t len,
                    diag_ctx *dc)
{
    arena *a = arena_new();
    srcfile *src = srcfile_from_text(path, text, len);
    ir_flow *f = ir_flow_new(plan ? IR_FLOW_PLAN : IR_FLOW_SCRIPT, stem(a, path));
    f->format = "abinitio";
    f->file = ir_flow_intern(f, path);
    f->folder = ir_flow_intern(f, sandbox_folder(a, sb));
    f->span = (ir_span){f->file, 1, 1};
    const char *stack[1] = {f->file};
    reader r = {a, dc, sb, f->file, src, 1, stack, 0};
    int rc = plan ? read_plan_text(f, &r, text, len) : read_wrapper_text(f, &r, text, len);
    srcfile_free(src);
    arena_free(a);
    *out = f;
    return rc;
}

int abi_plan_read(ir_flow **out, const abi_sandbox *sb, const char *path, const char *text, size_t len,
                  diag_ctx *dc)
{
    return read_top(out, true, sb, path, text, len, dc);
}

/* ================================================================================================
 * Graph-sequencing scripts
 * ============================================================================================== */

/* The command word of a shell line after prefixes that only change how it runs. */
static int command_word(char **w, int n)
{
    int i = 0;
    while (i < n && (!strcmp(w[i], "ksh") || !strcmp(w[i], "sh") || !strcmp(w[i], "bash") || !strcmp(w[i], "nohup") ||
                     !strcmp(w[i], "time") || !strcmp(w[i], "exec") || !strcmp(w[i], "$SHELL") ||
                     !strcmp(w[i], "${SHELL}")))
        i++;
    return i;
}

/* Splits at blanks, keeping quotes' content (quotes dropped); stops at '#' starting a word. */
static int shell_words(arena *a, const char *s, char **w, int max)
{
    int n = 0;
    size_t i = 0;
    while (s[i] && n < max) {
        while (s[i] == ' ' || s[i] == '\t')
            i++;
        if (!s[i] || s[i] == '#')
            break;
        strbuf sb = STRBUF_INIT;
        while (s[i] && s[i] != ' ' && s[i] != '\t') {
            char q = s[i];
            if (q == '\'' || q == '"') {
                i++;
                while (s[i] && s[i] != q)
                    sb_putc(&sb, s[i++]);
                if (s[i])
                    i++;
            } else {
                sb_putc(&sb, s[i++]);
            }
        }
        w[n++] = arena_strdup(a, sb_cstr(&sb));
        sb_free(&sb);
    }
    return n;
}

/* The graph or plan a command runs: `air sandbox run PATH` [C], or a script path in run/ /
 * $AI_RUN, a .plan, .mp or .pset. Returns the program word's index, or -1. */
static int graph_run_word(char **w, int n)
{
    int c = command_word(w, n);
    if (c >= n)
        return -1;
    if (!strcmp(w[c], "air") && c + 3 < n && !strcmp(w[c + 1], "sandbox") && !strcmp(w[c + 2], "run"))
        return c + 3;
    const char *p = w[c];
    bool in_run = strstr(p, "AI_RUN") || strstr(p, "/run/") || !strncmp(p, "run/", 4);
    if ((ends_with(p, ".ksh") && in_run) || ends_with(p, ".plan"))
        return c;
    return -1;
}

bool abi_wrapper_detect(const char *path, const char *text, size_t len)
{
    if (abi_ksh_detect(text, len))
        return false;
    bool shell = (len > 2 && text[0] == '#' && text[1] == '!') ||
                 (path && (ends_with(path, ".ksh") || ends_with(path, ".sh")));
    if (!shell)
        return false;
    size_t n = len < 65536 ? len : 65536;
    arena *a = arena_new();
    bool found = false;
    for (size_t i = 0; i < n && !found;) {
        size_t e = i;
        while (e < n && text[e] != '\n')
            e++;
        char *ln = arena_strndup(a, text + i, e - i);
        char *w[16];
        int nw = shell_words(a, ln, w, 16);
        found = graph_run_word(w, nw) >= 0;
        i = e + 1;
    }
    arena_free(a);
    return found;
}

/* A task waiting for its successor's edge: whether the script stops when it fails. */
typedef struct pending {
    int task;
    bool stop;
} pending;

typedef struct wrap {
    reader *r;
    ir_flow *f;
    pending *prev;       /* what the next foreground task runs after */
    int n_prev, cap_prev;
    pending *bg;         /* tasks started with `&`, joined by `wait` */
    int n_bg, cap_bg;
    bool errexit;        /* set -e in force */
    ir_task *cmd;        /* the open COMMAND task consecutive plain commands go into */
    int last;            /* the last task added (foreground), -1 when none */
} wrap;

static const char *unique_name(ir_flow *f, arena *a, const char *base)
{
    if (ir_flow_task_index(f, base) < 0)
        return base;
    for (int k = 2;; k++) {
        const char *n = arena_printf(a, "%s_%d", base, k);
        if (ir_flow_task_index(f, n) < 0)
            return n;
    }
}

/* Links a new task to what it runs after, then makes it the predecessor (or a background task). */
static void wrap_link(wrap *W, int t, bool background, ir_span sp)
{
    for (int i = 0; i < W->n_prev; i++) {
        const pending *p = &W->prev[i];
        ir_expr *cond = p->stop ? abi_flow_status_is(W->f, W->f->tasks[p->task]->name, "SUCCEEDED") : NULL;
        ir_flow_add_edge(W->f, p->task, t, cond, NULL, sp);
    }
    pending me = {t, W->errexit};
    if (background) {
        ARENA_PUSH(W->r->a, W->bg, W->n_bg, W->cap_bg, me);
        return; /* the next foreground task still runs after the same predecessors */
    }
    W->n_prev = 0;
    ARENA_PUSH(W->r->a, W->prev, W->n_prev, W->cap_prev, me);
    W->last = t;
}

/* `wait`: what follows runs after the background tasks too (wait does not fail with them). */
static void wrap_wait(wrap *W)
{
    for (int i = 0; i < W->n_bg; i++) {
        pending p = {W->bg[i].task, false};
        ARENA_PUSH(W->r->a, W->prev, W->n_prev, W->cap_prev, p);
    }
    W->n_bg = 0;
    W->cmd = NULL;
}

/* The script stops when the last task fails (`|| exit`, a `$?` test that exits). */
static void wrap_stop_on_failure(wrap *W)
{
    for (int i = 0; i < W->n_prev; i++)
        if (W->prev[i].task == W->last)
            W->prev[i].stop = true;
}

static bool has_word(char **w, int n, const char *x)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(w[i], x))
            return true;
    return false;
}

/* Shell keywords that open and close compound commands, counted over a line's words. */
static int nesting(char **w, int n)
{
    int d = 0;
    for (int i = 0; i < n; i++) {
        char *x = w[i];
        size_t l = strlen(x);
        while (l && x[l - 1] == ';')
            x[--l] = '\0';
        if (!strcmp(x, "if") || !strcmp(x, "for") || !strcmp(x, "while") || !strcmp(x, "until") ||
            !strcmp(x, "case") || !strcmp(x, "select") || !strcmp(x, "{"))
            d++;
        else if (!strcmp(x, "fi") || !strcmp(x, "done") || !strcmp(x, "esac") || !strcmp(x, "}"))
            d--;
    }
    return d;
}

/* Lines that set up the environment rather than do work (kept as flow properties). */
static bool setup_line(char **w, int n)
{
    const char *c = w[0];
    if (strchr(c, '=') && c[0] != '=' && c[0] != '$')
        return true;
    static const char *const setup[] = {"export", "typeset", ".", "source", "echo", "print", "cd", "trap", "umask",
                                        "unset", "readonly", "alias", ":", "true", "printf", "set"};
    for (size_t i = 0; i < sizeof setup / sizeof *setup; i++)
        if (!strcmp(c, setup[i]))
            return true;
    (void)n;
    return false;
}

static int read_wrapper_text(ir_flow *f, reader *r, const char *text, size_t len)
{
    arena *a = r->a;
    wrap W;
    memset(&W, 0, sizeof W);
    W.r = r;
    W.f = f;
    W.last = -1;
    strbuf compound = STRBUF_INIT;
    int depth = 0, cmd_line = 0, comp_line = 0, line = 0;
    size_t pos = 0;
    bool done = false;
    char *full;
    while (!done && (full = abi_shell_line(a, text, len, &pos, &line, &cmd_line))) {
        char *w[64];
        int n = shell_words(a, full, w, 64);
        if (n == 0)
            continue;
        char *wc[64];
        for (int i = 0; i < n; i++)
            wc[i] = arena_strdup(a, w[i]);
        int d = nesting(wc, n);
        if (depth > 0 || d > 0) {
            /* a compound command: collected whole, then judged */
            if (!compound.len)
                comp_line = cmd_line;
            else
                sb_putc(&compound, '\n');
            sb_puts(&compound, full);
            depth += d;
            if (depth > 0)
                continue;
            depth = 0;
            const char *body = arena_strdup(a, sb_cstr(&compound));
            sb_clear(&compound);
            bool tests_status = strstr(body, "$?") || strstr(body, "$rc") || strstr(body, "${rc}") ||
                                strstr(body, "$RC") || strstr(body, "${RC}");
            bool exits = strstr(body, "exit") || strstr(body, "return");
            bool runs_graph = false;
            for (const char *p = body; *p && !runs_graph;) {
                const char *q = strchr(p, '\n');
                size_t m = q ? (size_t)(q - p) : strlen(p);
                char *l2 = arena_strndup(a, p, m);
                char *w2[32];
                int n2 = shell_words(a, l2, w2, 32);
                for (int k = 0; k < n2 && !runs_graph; k++) /* after `then`, `do`, `;` ... */
                    runs_graph = graph_run_word(w2 + k, n2 - k) >= 0;
                p += m + (q ? 1 : 0);
            }
            ir_span sp = {r->path, comp_line, 1};
            if (tests_status && exits && !runs_graph && W.last >= 0) {
                wrap_stop_on_failure(&W);
                continue;
            }
            W.cmd = NULL;
            ir_task *t;
            if (runs_graph) {
                t = ir_flow_add_task(f, IR_TASK_HOLE, unique_name(f, a, arena_printf(a, "shell_%d", comp_line)), sp);
                t->text = ir_flow_intern(f, body);
                t->hole_reason = "shell control flow around graph runs is not modelled";
            } else {
                t = ir_flow_add_task(f, IR_TASK_COMMAND, unique_name(f, a, arena_printf(a, "cmd_%d", comp_line)), sp);
                ir_task_add_command(f, t, t->name, body);
                t->stop_on_error = W.errexit;
            }
            wrap_link(&W, f->n_tasks - 1, false, sp);
            continue;
        }
        ir_span sp = {r->path, cmd_line, 1};
        if (w[0][0] == '#')
            continue;
        if (!strcmp(w[0], "set")) {
            for (int i = 1; i < n; i++) {
                if (!strcmp(w[i], "-e") || (!strcmp(w[i], "-o") && i + 1 < n && !strcmp(w[i + 1], "errexit")))
                    W.errexit = true;
                else if (!strcmp(w[i], "+e") || (!strcmp(w[i], "+o") && i + 1 < n && !strcmp(w[i + 1], "errexit")))
                    W.errexit = false;
            }
            ir_flow_add_prop(f, "shell_setup", full);
            continue;
        }
        if (!strcmp(w[0], "wait")) {
            wrap_wait(&W);
            continue;
        }
        if (!strcmp(w[0], "exit") || !strcmp(w[0], "return")) {
            done = true; /* the rest of the script is not reached */
            continue;
        }
        /* `[ $? -ne 0 ] && exit 1`, `(( rc != 0 )) && exit` */
        if ((strstr(full, "$?") || strstr(full, "$rc") || strstr(full, "${rc}")) && has_word(w, n, "exit") &&
            W.last >= 0) {
            wrap_stop_on_failure(&W);
            continue;
        }
        if (!strcmp(w[0], "rc=$?") || !strcmp(w[0], "RC=$?"))
            continue;
        int g = graph_run_word(w, n);
        bool background = !strcmp(w[n - 1], "&") || (strlen(w[n - 1]) > 1 && w[n - 1][strlen(w[n - 1]) - 1] == '&' &&
                                                      w[n - 1][strlen(w[n - 1]) - 2] != '&');
        bool or_exit = false;
        for (int i = 0; i + 1 < n; i++)
            if (!strcmp(w[i], "||") && (!strcmp(w[i + 1], "exit") || !strcmp(w[i + 1], "return") ||
                                        (!strcmp(w[i + 1], "{") && has_word(w + i, n - i, "exit"))))
                or_exit = true;
        if (g >= 0) {
            /* the program's arguments: up to a `||`, `&&`, `;`, `&` or a redirection */
            strbuf args = STRBUF_INIT;
            for (int i = g + 1; i < n; i++) {
                if (!strcmp(w[i], "||") || !strcmp(w[i], "&&") || !strcmp(w[i], "&") || !strcmp(w[i], ";") ||
                    w[i][0] == '>' || w[i][0] == '<' || !strncmp(w[i], "2>", 2))
                    break;
                if (args.len)
                    sb_putc(&args, ' ');
                sb_puts(&args, w[i]);
            }
            const char *resolved, *job;
            run_kind k = classify(r, w[g], &resolved, &job);
            const char *base = k == RUN_GRAPH ? job : stem(a, resolved);
            W.cmd = NULL;
            ir_task *t = add_run_task(f, r, unique_name(f, a, base), w[g], sb_cstr(&args), sp);
            sb_free(&args);
            if (t->kind == IR_TASK_COMMAND)
                t->stop_on_error = W.errexit;
            wrap_link(&W, f->n_tasks - 1, background, sp);
            if (or_exit && !background)
                wrap_stop_on_failure(&W);
            continue;
        }
        if (setup_line(w, n)) {
            ir_flow_add_prop(f, "shell_setup", full);
            continue;
        }
        /* any other command: consecutive ones form one COMMAND task */
        if (!W.cmd || background || or_exit) {
            W.cmd = ir_flow_add_task(f, IR_TASK_COMMAND, unique_name(f, a, arena_printf(a, "cmd_%d", cmd_line)), sp);
            W.cmd->stop_on_error = W.errexit;
            wrap_link(&W, f->n_tasks - 1, background, sp);
        }
        ir_task_add_command(f, W.cmd, arena_printf(a, "line_%d", cmd_line), full);
        if (or_exit && !background) {
            wrap_stop_on_failure(&W);
            W.cmd = NULL;
        } else if (background) {
            W.cmd = NULL;
        }
    }
    if (compound.len) {
        rerr(r, comp_line, 1, "compound shell command not closed before the end of the script");
        ir_task *t = ir_flow_add_task(f, IR_TASK_HOLE, unique_name(f, a, arena_printf(a, "shell_%d", comp_line)),
                                      (ir_span){r->path, comp_line, 1});
        t->text = ir_flow_intern(f, sb_cstr(&compound));
        t->hole_reason = "an unclosed compound shell command";
    }
    sb_free(&compound);
    return r->n_errors ? -1 : 0;
}

int abi_wrapper_read(ir_flow **out, const abi_sandbox *sb, const char *path, const char *text, size_t len,
                     diag_ctx *dc)
{
    return read_top(out, false, sb, path, text, len, dc);
}
