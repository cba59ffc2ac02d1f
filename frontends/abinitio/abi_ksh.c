/*
 * abi_ksh.c — reads a deployed graph, run/<graph>.ksh (reference §4.5), into the graph model.
 *
 * The GDE writes a Korn-shell script that exports every graph parameter
 * (`export P; P=${P:-default}`) and rebuilds the graph with `mp` commands [C]:
 *   mp job NAME;  mp metadata M -file F;  mp ifile|ofile NAME URL;  mp itable NAME DBC -table 'T';
 *   mp reformat-transform NAME -limit 0 -ramp 0.0;  mp add-port COMP.out.outN XFR;
 *   mp local-sort NAME '{key}' -max-core N;  mp straight-flow F A.port B.port -metadata M;  mp run.
 * `# Components in phase N:` comments give phases [C]. Any other `mp` command becomes a component
 * named by its first argument whose kind comes from the mp-name table (abi_graph.c); an unknown
 * one is a hole. Here-documents (`cat > FILE <<'EOF'`) hold embedded DML/XFR written to the proxy
 * directory; files named later are looked up among them first (the shell form is [I]: the
 * reference says the GDE writes proxies, not how).
 */
#include "frontends/abinitio/abi_graph_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct heredoc {
    const char *file, *text;
} heredoc;

typedef struct ksh {
    arena *a;
    diag_ctx *dc;
    const abi_sandbox *sb;
    const char *path;
    abi_graph *g;
    const char *mnames[64], *mtexts[64], *mpaths[64]; /* mp metadata NAME → text, file */
    int n_meta;
    heredoc docs[64];
    int n_docs;
    int phase;
    int n_errors;
    abi_pset env; /* parameters exported so far, for substitution */
    const char *exported[256]; /* names given to `export` */
    int n_exported;
    int cap_env;
} ksh;

static void kerr(ksh *k, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void kerr(ksh *k, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(k->dc, DIAG_ERROR, NULL, k->path, line, col, fmt, ap);
    va_end(ap);
    k->n_errors++;
}

/* Splits a command line into shell words: quotes removed, `$...` kept as written. */
static int split_words(arena *a, const char *s, char **w, int *cols, int max)
{
    int n = 0;
    size_t i = 0;
    while (s[i] && n < max) {
        while (s[i] == ' ' || s[i] == '\t')
            i++;
        if (!s[i] || s[i] == '#')
            break;
        strbuf sb = STRBUF_INIT;
        cols[n] = (int)i + 1;
        while (s[i] && s[i] != ' ' && s[i] != '\t') {
            if (s[i] == '\'') {
                i++;
                while (s[i] && s[i] != '\'')
                    sb_putc(&sb, s[i++]);
                if (s[i])
                    i++;
            } else if (s[i] == '"') {
                i++;
                while (s[i] && s[i] != '"') {
                    if (s[i] == '\\' && s[i + 1])
                        i++;
                    sb_putc(&sb, s[i++]);
                }
                if (s[i])
                    i++;
            } else if (s[i] == '\\' && s[i + 1]) {
                sb_putc(&sb, s[i + 1]);
                i += 2;
            } else {
                sb_putc(&sb, s[i++]);
            }
        }
        w[n++] = arena_strdup(a, sb_cstr(&sb));
        sb_free(&sb);
    }
    return n;
}

static const char *subst(ksh *k, const char *s)
{
    return abi_subst(k->a, s, k->sb, &k->env);
}

/* The text of a DML/XFR file the script names: a here-document, else the file itself. */
static const char *file_text(ksh *k, const char *name, int line, int col, const char **path_out)
{
    const char *p = subst(k, name);
    for (int i = k->n_docs - 1; i >= 0; i--)
        if (!strcmp(k->docs[i].file, p)) {
            *path_out = k->path;
            return k->docs[i].text;
        }
    if (strchr(p, '$')) {
        kerr(k, line, col, "'%s' holds a parameter with no value", p);
        return NULL;
    }
    if (!k->sb) {
        kerr(k, line, col, "'%s' is not read without a sandbox", p);
        return NULL;
    }
    size_t len;
    char *t = abi_read_file(k->a, p, &len);
    if (!t) {
        kerr(k, line, col, "cannot read '%s'", p);
        return NULL;
    }
    *path_out = arena_strdup(k->a, p);
    return t;
}

static void env_set(ksh *k, const char *name, const char *value, int line)
{
    if (k->env.n == k->cap_env) {
        int nc = k->cap_env ? k->cap_env * 2 : 16;
        k->env.entries = arena_grow(k->a, k->env.entries, (size_t)k->cap_env, (size_t)nc, sizeof *k->env.entries);
        k->cap_env = nc;
    }
    k->env.entries[k->env.n++] = (abi_pset_entry){name, "", value, line};
}

/* `P=${P:-default}` [C]: a graph parameter with its default (or a plain `P=value`). */
static void assignment(ksh *k, const char *word, int line, int col)
{
    const char *eq = strchr(word, '=');
    char *name = arena_strndup(k->a, word, (size_t)(eq - word));
    const char *v = eq + 1;
    size_t nl = strlen(name);
    const char *def = v;
    if (v[0] == '$' && v[1] == '{' && !strncmp(v + 2, name, nl) && v[2 + nl] == ':' && v[3 + nl] == '-') {
        const char *st = v + 4 + nl;
        size_t n = strlen(st);
        def = n && st[n - 1] == '}' ? arena_strndup(k->a, st, n - 1) : st;
    }
    /* only exported names are parameters; sandbox-level names (AI_*, PROJECT_DIR) and the
     * environment (AB_*) are not graph parameters */
    bool exported = false;
    for (int i = 0; i < k->n_exported; i++)
        exported |= !strcmp(k->exported[i], name);
    if (!exported || abi_sandbox_get(k->sb, name) || !strncmp(name, "AB_", 3) || !strncmp(name, "AI_", 3) ||
        !strcmp(name, "PROJECT_DIR")) {
        env_set(k, name, def, line);
        return;
    }
    abi_gparam *p = abi_params_add(&k->g->params, &k->g->n_params, &k->g->cap_params, k->a, name, def);
    p->line = line;
    p->col = col;
    env_set(k, name, def, line);
}

static abi_comp *comp_named(ksh *k, const char *name)
{
    int i = abi_graph_comp_index(k->g, name);
    return i >= 0 ? &k->g->comps[i] : NULL;
}

static abi_comp *new_comp(ksh *k, const char *cmd, const char *name, int line, int col)
{
    if (comp_named(k, name)) {
        kerr(k, line, col, "component '%s' is defined twice", name);
        return NULL;
    }
    abi_comp *c = abi_graph_add_comp(k->g, k->a, name, line, col);
    c->mpname = cmd;
    c->kind = abi_kind_from_mpname(cmd);
    c->phase = k->phase;
    const char *dot = strrchr(name, '.'); /* a sub-graph member is `Subgraph.Component` [C] */
    if (dot && dot != name && dot[1])
        c->subgraph = arena_strndup(k->a, name, (size_t)(dot - name));
    return c;
}

/* `COMP.port` (subgraph members are `Sub.Comp.port` [C]: the last dot splits). */
static int split_endpoint(ksh *k, const char *s, int *comp, const char **port, int line, int col)
{
    const char *dot = strrchr(s, '.');
    if (!dot || dot == s || !dot[1]) {
        kerr(k, line, col, "'%s' is not COMPONENT.PORT", s);
        return -1;
    }
    char *cn = arena_strndup(k->a, s, (size_t)(dot - s));
    *comp = abi_graph_comp_index(k->g, cn);
    if (*comp < 0) {
        kerr(k, line, col, "flow end '%s': no component '%s' is defined before it", s, cn);
        return -1;
    }
    *port = arena_strdup(k->a, dot + 1);
    return 0;
}

static const char *opt_value(char **w, int n, const char *opt)
{
    for (int i = 0; i + 1 < n; i++)
        if (!strcmp(w[i], opt))
            return w[i + 1];
    return NULL;
}

static void mp_command(ksh *k, char **w, int *cols, int n, int line)
{
    const char *cmd = w[1];
    if (!strcmp(cmd, "job")) {
        if (n > 2)
            k->g->name = w[2];
        return;
    }
    if (!strcmp(cmd, "run") || !strcmp(cmd, "reset") || !strcmp(cmd, "layout") || !strcmp(cmd, "graph"))
        return;
    if (!strcmp(cmd, "metadata")) {
        const char *file = opt_value(w, n, "-file");
        if (n < 3 || !file) {
            kerr(k, line, cols[1], "mp metadata needs a name and -file");
            return;
        }
        const char *path = NULL;
        const char *t = file_text(k, file, line, cols[n - 1], &path);
        if (t && k->n_meta < 64) {
            k->mnames[k->n_meta] = w[2];
            k->mtexts[k->n_meta] = t;
            k->mpaths[k->n_meta] = path;
            k->n_meta++;
        }
        return;
    }
    if (n < 3) {
        kerr(k, line, cols[1], "mp %s needs a component name", cmd);
        return;
    }
    if (!strcmp(cmd, "add-port")) { /* mp add-port COMP.out.outN XFR [C]; COMP may be `Sub.Comp` */
        char *spec = w[2];
        char *d2 = strrchr(spec, '.'), *d1 = NULL;
        for (char *q = spec; d2 && q < d2; q++)
            if (*q == '.')
                d1 = q;
        if (!d1 || d1 == spec) {
            kerr(k, line, cols[2], "add-port '%s' is not COMPONENT.DIRECTION.PORT", spec);
            return;
        }
        abi_comp *c = comp_named(k, arena_strndup(k->a, spec, (size_t)(d1 - spec)));
        if (!c) {
            kerr(k, line, cols[2], "add-port '%s': no such component", spec);
            return;
        }
        const char *port = d2 + 1;
        bool out = !strncmp(d1 + 1, "out", 3);
        abi_comp_add_port(c, k->a, port, out);
        if (n > 3 && out && !strncmp(port, "out", 3)) {
            const char *path = NULL;
            const char *t = file_text(k, w[3], line, cols[3], &path);
            if (t) {
                abi_gparam *p = abi_comp_set(c, k->a, arena_printf(k->a, "transform%s", port + 3), t);
                p->line = p->col = 0;
            }
        }
        return;
    }
    if (!strcmp(cmd, "straight-flow") || (strlen(cmd) > 5 && !strcmp(cmd + strlen(cmd) - 5, "-flow"))) {
        if (n < 5) {
            kerr(k, line, cols[1], "mp %s needs a name and two ends", cmd);
            return;
        }
        int from, to;
        const char *fp, *tp;
        if (split_endpoint(k, w[3], &from, &fp, line, cols[3]) || split_endpoint(k, w[4], &to, &tp, line, cols[4]))
            return;
        abi_flow *f = abi_graph_add_flow(k->g, k->a, from, fp, to, tp, line, cols[0]);
        abi_comp_add_port(&k->g->comps[from], k->a, fp, true);
        abi_comp_add_port(&k->g->comps[to], k->a, tp, false);
        const char *m = opt_value(w, n, "-metadata");
        if (m) {
            int i;
            for (i = k->n_meta - 1; i >= 0; i--)
                if (!strcmp(k->mnames[i], m))
                    break;
            if (i < 0)
                kerr(k, line, cols[0], "flow %s: metadata '%s' is not defined before it", w[2], m);
            else {
                f->metadata = k->mtexts[i];
                f->metadata_path = k->mpaths[i];
            }
        }
        return;
    }
    abi_comp *c = new_comp(k, cmd, w[2], line, cols[2]);
    if (!c)
        return;
    if (!strcmp(cmd, "ifile") || !strcmp(cmd, "ofile")) {
        if (n > 3)
            abi_comp_set(c, k->a, "Layout", w[3]);
    } else if (!strcmp(cmd, "itable")) {
        if (n > 3)
            abi_comp_set(c, k->a, "dbc", w[3]);
        const char *t = opt_value(w, n, "-table");
        if (t)
            abi_comp_set(c, k->a, "table", t);
    } else if (!strcmp(cmd, "local-sort")) {
        if (n > 3)
            abi_comp_set(c, k->a, "key", w[3]);
        const char *mc = opt_value(w, n, "-max-core");
        if (mc)
            abi_comp_set(c, k->a, "max_core", mc);
    } else {
        /* options as parameters (-limit 0 → limit = 0), positional arguments as argN */
        int pos = 0;
        for (int i = 3; i < n; i++) {
            if (w[i][0] == '-' && w[i][1] && i + 1 < n) {
                abi_comp_set(c, k->a, w[i] + 1, w[i + 1]);
                i++;
            } else {
                abi_comp_set(c, k->a, arena_printf(k->a, "arg%d", ++pos), w[i]);
            }
        }
    }
}

bool abi_ksh_detect(const char *text, size_t len)
{
    size_t n = len < 65536 ? len : 65536;
    bool job = false, run = false;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && text[i - 1] != '\n')
            continue;
        size_t j = i;
        while (j < n && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (n - j >= 7 && !memcmp(text + j, "mp job ", 7))
            job = true;
        if (n - j >= 6 && !memcmp(text + j, "mp run", 6))
            run = true;
    }
    return job && run;
}

int abi_ksh_parse(abi_graph **out, arena *a, const abi_sandbox *sb, const char *path, const char *text, size_t len,
                  diag_ctx *dc)
{
    ksh k;
    memset(&k, 0, sizeof k);
    k.a = a;
    k.dc = dc;
    k.sb = sb;
    k.path = path;
    k.phase = -1;
    abi_graph *g = arena_alloc(a, sizeof *g);
    memset(g, 0, sizeof *g);
    g->path = arena_strdup(a, path);
    g->form = "ksh";
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    g->name = arena_strndup(a, b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
    k.g = g;
    *out = g;
    size_t pos = 0;
    int line = 0, cmd_line = 0;
    char *full;
    while ((full = abi_shell_line(a, text, len, &pos, &line, &cmd_line))) {
        const char *s = full;
        while (*s == ' ' || *s == '\t')
            s++;
        int phase;
        if (sscanf(s, "# Components in phase %d", &phase) == 1) {
            k.phase = phase;
            continue;
        }
        char *w[64];
        int cols[64];
        int n = split_words(a, full, w, cols, 64);
        if (n == 0)
            continue;
        /* here-document: cat > FILE <<'EOF' ... EOF (or cat <<EOF > FILE) */
        const char *hd = strstr(full, "<<");
        if (!strcmp(w[0], "cat") && hd) {
            const char *file = NULL, *tag = NULL;
            for (int i = 1; i < n; i++) {
                if (!strcmp(w[i], ">") && i + 1 < n)
                    file = w[++i];
                else if (w[i][0] == '>' && w[i][1])
                    file = w[i] + 1;
                else if (!strncmp(w[i], "<<", 2))
                    tag = w[i][2] ? w[i] + 2 : (i + 1 < n ? w[++i] : NULL);
            }
            if (tag && *tag == '-')
                tag++;
            if (!file || !tag) {
                kerr(&k, line, 1, "here-document without a target file or an end word");
                continue;
            }
            size_t body = pos, stop = pos;
            int start_line = line;
            bool closed = false;
            while (pos < len) {
                size_t le = pos;
                while (le < len && text[le] != '\n')
                    le++;
                line++;
                size_t l2 = le;
                if (l2 > pos && text[l2 - 1] == '\r')
                    l2--;
                if (l2 - pos == strlen(tag) && !memcmp(text + pos, tag, l2 - pos)) {
                    stop = pos;
                    pos = le + 1;
                    closed = true;
                    break;
                }
                pos = le + 1;
            }
            if (!closed) {
                kerr(&k, start_line, 1, "here-document '%s' is not closed by a '%s' line", file, tag);
                break;
            }
            if (k.n_docs < 64) {
                k.docs[k.n_docs].file = subst(&k, file);
                k.docs[k.n_docs].text = arena_strndup(a, text + body, stop - body);
                k.n_docs++;
            }
            continue;
        }
        if (!strcmp(w[0], "export")) {
            /* `export P; P=${P:-default}` [C]: the names, then assignments after the ';' */
            int i = 1;
            for (; i < n; i++) {
                size_t wl = strlen(w[i]);
                bool semi = wl && w[i][wl - 1] == ';';
                if (semi)
                    w[i][--wl] = '\0';
                char *eq = strchr(w[i], '=');
                const char *nm = eq ? arena_strndup(a, w[i], (size_t)(eq - w[i])) : w[i];
                if (k.n_exported < 256)
                    k.exported[k.n_exported++] = nm;
                if (eq)
                    assignment(&k, w[i], line, cols[i]);
                if (semi) {
                    i++;
                    break;
                }
            }
            for (; i < n && strchr(w[i], '='); i++)
                assignment(&k, w[i], line, cols[i]);
            continue;
        }
        if (strchr(w[0], '=') && w[0][0] != '=' && w[0][0] != '$') {
            for (int i = 0; i < n && strchr(w[i], '='); i++)
                assignment(&k, w[i], line, cols[i]);
            continue;
        }
        if (!strcmp(w[0], "mp") && n >= 2)
            mp_command(&k, w, cols, n, cmd_line);
        /* anything else (sourcing .project.ksh, error checks, catalogs, user hooks) is not the graph */
    }
    return k.n_errors ? -1 : 0;
}

char *abi_shell_line(arena *a, const char *text, size_t len, size_t *pos, int *line, int *first)
{
    if (*pos >= len)
        return NULL;
    strbuf cmd = STRBUF_INIT;
    *first = *line + 1;
    while (*pos < len) {
        size_t e = *pos;
        while (e < len && text[e] != '\n')
            e++;
        (*line)++;
        size_t s = *pos, n = e - s;
        *pos = e + 1;
        if (n && text[s + n - 1] == '\r')
            n--;
        if (n && text[s + n - 1] == '\\') { /* continuation */
            sb_putn(&cmd, text + s, n - 1);
            sb_putc(&cmd, ' ');
            continue;
        }
        sb_putn(&cmd, text + s, n);
        break;
    }
    char *r = arena_strdup(a, sb_cstr(&cmd));
    sb_free(&cmd);
    return r;
}
