/*
 * infa_params.c — Informatica parameter files (--params): sections such as
 *   [Global]
 *   [Folder.WF:wf_name]            [Folder.WF:wf_name.ST:s_session]
 *   [Folder.WF:wf_name.WT:worklet.ST:s_session]
 *   [Folder.M:mapping]             [Folder.s_session] (older form)
 * followed by lines `$$NAME=value` (`$NAME` / `$PMxxx` lines are session or connection settings and
 * are ignored here). Lines starting with '#' or ';' are comments.
 *
 * Precedence, lowest to highest, for a mapping M in folder F:
 *   [Global]  <  [F.WF:w] (any workflow of F)  <  [F.WF:w.ST:s] / [F.s] where the session name s is
 *   M, s_M or contains M  <  [F.M:M].
 * Within one level a later line wins. The frontend does not yet know which workflow runs which
 * mapping (workflows are converted by a later stage), hence "any workflow of the folder". A value
 * replaces the mapping parameter's default; names the mapping does not declare are ignored.
 */
#include "frontends/informatica/infa_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Splits "Folder.WF:wf.ST:s" into its parts. */
static void parse_section(infa_file *f, const char *sec, infa_param_entry *e)
{
    memset(e, 0, sizeof *e);
    if (strcasecmp(sec, "Global") == 0) {
        e->global = 1;
        return;
    }
    char *copy = arena_strdup(f->arena, sec);
    char *save = NULL;
    int part = 0;
    for (char *tok = strtok_r(copy, ".", &save); tok; tok = strtok_r(NULL, ".", &save), part++) {
        if (strncasecmp(tok, "WF:", 3) == 0)
            e->workflow = tok + 3;
        else if (strncasecmp(tok, "ST:", 3) == 0)
            e->session = tok + 3;
        else if (strncasecmp(tok, "M:", 2) == 0)
            e->mapping = tok + 2;
        else if (strncasecmp(tok, "WT:", 3) == 0)
            e->worklet = tok + 3; /* for mappings the session inside it decides */
        else if (part == 0)
            e->folder = tok;
        else
            e->session = tok; /* [Folder.s_session] */
    }
}

int infa_params_load(infa_file *f, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        diag_at(f->dc, DIAG_ERROR, NULL, path, 0, 0, "cannot open parameter file");
        return -1;
    }
    char line[8192];
    infa_param_entry sec;
    memset(&sec, 0, sizeof sec);
    sec.global = 1; /* lines before any section apply everywhere */
    sec.section = "Global";
    const char *file = arena_strdup(f->arena, path);
    while (fgets(line, sizeof line, fp)) {
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *end = strchr(s, ']');
            if (end)
                *end = '\0';
            parse_section(f, s + 1, &sec);
            sec.section = arena_strdup(f->arena, s + 1);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq || strncmp(s, "$$", 2) != 0)
            continue;
        *eq = '\0';
        infa_param_entry e = sec;
        e.file = file;
        e.name = arena_strdup(f->arena, trim(s + 2));
        e.value = arena_strdup(f->arena, trim(eq + 1));
        ARENA_PUSH(f->arena, f->params.entries, f->params.n, f->params.cap, e);
    }
    fclose(fp);
    return 0;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* 0 not applicable, else the precedence level (higher wins). */
static int level(const infa_param_entry *e, const ir_job *job)
{
    if (e->global)
        return 1;
    if (e->folder && job->folder && strcasecmp(e->folder, job->folder) != 0)
        return 0;
    if (e->mapping)
        return strcasecmp(e->mapping, job->name) == 0 ? 4 : 0;
    if (e->session) {
        char sname[512];
        snprintf(sname, sizeof sname, "s_%s", job->name);
        if (strcasecmp(e->session, job->name) == 0 || strcasecmp(e->session, sname) == 0 ||
            contains_ci(e->session, job->name))
            return 3;
        return 0;
    }
    if (e->workflow)
        return 2;
    return e->folder ? 2 : 0;
}

void infa_params_apply(const infa_file *f, ir_job *job)
{
    for (int i = 0; i < job->n_params; i++) {
        ir_param *p = &job->params[i];
        int best = 0;
        const char *val = NULL;
        for (int k = 0; k < f->params.n; k++) {
            const infa_param_entry *e = &f->params.entries[k];
            if (strcasecmp(e->name, p->name) != 0)
                continue;
            int l = level(e, job);
            if (l && l >= best) {
                best = l;
                val = e->value;
            }
        }
        if (val)
            p->default_value = ir_intern(job, val);
    }
}
