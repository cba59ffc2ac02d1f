/*
 * abi_sandbox.c — sandboxes (reference §1) and parameter sets (§5.1): finding a graph's sandbox
 * root, the sandbox-level parameters (PROJECT_DIR and the built-in directory parameters AI_MP,
 * AI_DML, AI_XFR, AI_RUN [C]; AI_PSET from a pset/ folder and AI_PLAN from a plan/ folder [I];
 * values from .sandbox.pset and .project.pset [C syntax]), reading .pset lines, and `$NAME` /
 * `${NAME}` substitution.
 */
#include "frontends/abinitio/abi_graph_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *abi_read_file(arena *a, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&sb, buf, n);
    int err = ferror(f);
    fclose(f);
    if (err) {
        sb_free(&sb);
        return NULL;
    }
    size_t l = sb.len;
    char *s = arena_strndup(a, sb_cstr(&sb), l);
    sb_free(&sb);
    if (len)
        *len = l;
    return s;
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

void abi_sandbox_set(abi_sandbox *sb, arena *a, const char *name, const char *value)
{
    for (int i = 0; i < sb->n; i++)
        if (strcmp(sb->names[i], name) == 0) {
            sb->values[i] = arena_strdup(a, value);
            return;
        }
    if (sb->n == sb->cap) {
        int nc = sb->cap ? sb->cap * 2 : 16;
        sb->names = arena_grow(a, sb->names, (size_t)sb->cap, (size_t)nc, sizeof *sb->names);
        sb->values = arena_grow(a, sb->values, (size_t)sb->cap, (size_t)nc, sizeof *sb->values);
        sb->cap = nc;
    }
    sb->names[sb->n] = arena_strdup(a, name);
    sb->values[sb->n] = arena_strdup(a, value);
    sb->n++;
}

const char *abi_sandbox_get(const abi_sandbox *sb, const char *name)
{
    if (!sb)
        return NULL;
    for (int i = sb->n - 1; i >= 0; i--)
        if (strcmp(sb->names[i], name) == 0)
            return sb->values[i];
    return NULL;
}

static void load_pset_into(abi_sandbox *sb, arena *a, const char *path)
{
    size_t len;
    char *text = abi_read_file(a, path, &len);
    if (!text)
        return;
    abi_pset ps;
    if (abi_pset_parse(&ps, a, path, text, len, NULL) != 0)
        return;
    for (int i = 0; i < ps.n; i++)
        abi_sandbox_set(sb, a, ps.entries[i].name, abi_subst(a, ps.entries[i].value, sb, NULL));
}

void abi_sandbox_find(abi_sandbox *out, arena *a, const char *path)
{
    memset(out, 0, sizeof *out);
    char *dir = arena_strdup(a, path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir = arena_strdup(a, ".");
    /* the nearest ancestor holding .sandbox.pset [C] */
    char *probe = arena_strdup(a, dir);
    const char *root = NULL;
    for (int up = 0; up < 16; up++) {
        if (is_file(arena_printf(a, "%s/.sandbox.pset", probe))) {
            root = probe;
            break;
        }
        char *s = strrchr(probe, '/');
        if (!s || s == probe)
            break;
        *s = '\0';
    }
    if (!root) { /* the parent of mp/ or run/ (a deployed script's default [C]) */
        const char *b = strrchr(dir, '/');
        const char *last = b ? b + 1 : dir;
        if (!strcmp(last, "mp") || !strcmp(last, "run") || !strcmp(last, "pset") || !strcmp(last, "plan"))
            root = b ? arena_strndup(a, dir, (size_t)(b - dir)) : ".";
        else
            root = dir;
    }
    out->root = root;
    abi_sandbox_set(out, a, "PROJECT_DIR", root);
    static const char *const dirs[][2] = {{"AI_MP", "mp"}, {"AI_DML", "dml"}, {"AI_XFR", "xfr"},
                                          {"AI_RUN", "run"}, {"AI_PSET", "pset"}, {"AI_DB", "db"},
                                          {"AI_PLAN", "plan"}};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        abi_sandbox_set(out, a, dirs[i][0], arena_printf(a, "%s/%s", root, dirs[i][1]));
    load_pset_into(out, a, arena_printf(a, "%s/.project.pset", root));
    load_pset_into(out, a, arena_printf(a, "%s/.sandbox.pset", root));
}

/* ---- .pset ---- */

bool abi_pset_detect(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    return len - i >= 11 && memcmp(text + i, "!prototype|", 11) == 0;
}

/* One line: five `|`-separated fields [C]: name, kind ("", "c", "$", "P"), two fields that were
 * empty in every sample [U: kept, not read], value (the rest of the line, which may hold '|'). */
int abi_pset_parse(abi_pset *out, arena *a, const char *path, const char *text, size_t len, diag_ctx *dc)
{
    memset(out, 0, sizeof *out);
    int cap = 0, errors = 0, line = 0;
    size_t pos = 0;
    while (pos < len) {
        line++;
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        size_t e = end;
        if (e > pos && text[e - 1] == '\r')
            e--;
        const char *s = text + pos;
        size_t n = e - pos;
        pos = end + 1;
        if (n == 0 || s[0] == '#')
            continue;
        const char *f[5];
        size_t fl[5];
        int k = 0;
        size_t st = 0;
        for (size_t i = 0; i <= n && k < 4; i++)
            if (i == n || s[i] == '|') {
                f[k] = s + st;
                fl[k] = i - st;
                k++;
                st = i + 1;
            }
        if (k < 4 || st > n) {
            if (dc)
                diag_at(dc, DIAG_ERROR, NULL, path, line, 1,
                        "parameter-set line without the five '|'-separated fields (name|kind|||value)");
            errors++;
            continue;
        }
        f[4] = s + st;
        fl[4] = n - st;
        if (out->n == cap) {
            int nc = cap ? cap * 2 : 16;
            out->entries = arena_grow(a, out->entries, (size_t)cap, (size_t)nc, sizeof *out->entries);
            cap = nc;
        }
        abi_pset_entry *en = &out->entries[out->n++];
        en->name = arena_strndup(a, f[0], fl[0]);
        en->kind = arena_strndup(a, f[1], fl[1]);
        en->value = arena_strndup(a, f[4], fl[4]);
        en->line = line;
        if (!strcmp(en->name, "!prototype"))
            out->prototype = en->value;
    }
    return errors ? -1 : 0;
}

/* ---- substitution ---- */

static const char *lookup_name(const char *name, const abi_sandbox *sb, const abi_pset *ov)
{
    if (ov)
        for (int i = ov->n - 1; i >= 0; i--)
            if (!strcmp(ov->entries[i].name, name))
                return ov->entries[i].value;
    return abi_sandbox_get(sb, name);
}

static bool name_char(char c, bool first)
{
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
}

const char *abi_subst(arena *a, const char *s, const abi_sandbox *sb, const abi_pset *ov)
{
    if (!s || !strchr(s, '$'))
        return s;
    strbuf out = STRBUF_INIT;
    for (size_t i = 0; s[i];) {
        if (s[i] != '$') {
            sb_putc(&out, s[i++]);
            continue;
        }
        size_t j = i + 1, ns, ne, after;
        if (s[j] == '{' || (s[j] == '\\' && s[j + 1] == '{')) { /* ${N} or the .mp form $\{N\} [C] */
            ns = j + (s[j] == '{' ? 1 : 2);
            ne = ns;
            while (name_char(s[ne], ne == ns))
                ne++;
            if (s[ne] == '}')
                after = ne + 1;
            else if (s[ne] == '\\' && s[ne + 1] == '}')
                after = ne + 2;
            else {
                sb_putc(&out, s[i++]);
                continue;
            }
        } else {
            ns = j;
            ne = ns;
            while (name_char(s[ne], ne == ns))
                ne++;
            after = ne;
        }
        if (ne == ns) {
            sb_putc(&out, s[i++]);
            continue;
        }
        char *name = arena_strndup(a, s + ns, ne - ns);
        const char *v = lookup_name(name, sb, ov);
        if (v)
            sb_puts(&out, v);
        else
            sb_putn(&out, s + i, after - i);
        i = after;
    }
    const char *r = arena_strdup(a, sb_cstr(&out));
    sb_free(&out);
    return r;
}
