/*
 * diff_render.c — diff reports as self-contained HTML and as Markdown (diff_render.h).
 *
 * Every HTML page has its style and its small filter script inline: it opens from disk, offline,
 * and stays one file. Filters hide rows by their data-verdict / data-tier attributes through a
 * class on <body>; without script every row shows. Anchors: a job section is #<target>, a column
 * #<target>-col-<dataset>-<column>, a step #<target>-step-<dataset>-<kind>, a counterexample
 * #<target>-cex-<dataset>; the lineage picture names job clusters #job_<name>.
 */
#include "lineage/diff_render.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const VERDICTS[] = {"differs", "unverified", "equal"};
static const char *const TIERS[] = {"reject", "regenerate", "senior_review", "pr_review", "auto_approve"};
static const char *const CHANGE_KINDS[] = {"changed", "added", "removed"};

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static double num_of(const cJSON *o, const char *key, double dflt)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(it) ? it->valuedouble : dflt;
}

/* ---- text escapes ---- */

static void html(strbuf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': sb_puts(out, "&lt;"); break;
        case '>': sb_puts(out, "&gt;"); break;
        case '&': sb_puts(out, "&amp;"); break;
        case '"': sb_puts(out, "&quot;"); break;
        case '\'': sb_puts(out, "&#39;"); break;
        default: sb_putc(out, *s);
        }
    }
}

void diff_anchor(strbuf *out, const char *prefix, const char *name)
{
    sb_puts(out, prefix ? prefix : "");
    for (const char *s = name; s && *s; s++)
        sb_putc(out, isalnum((unsigned char)*s) || *s == '-' || *s == '_' ? *s : '_');
}

/* Markdown table cell: pipes escaped, new lines as <br>, inside backticks when code. */
static void md_cell(strbuf *out, const char *s, bool code)
{
    if (!s || !*s) {
        sb_puts(out, " ");
        return;
    }
    if (code)
        sb_puts(out, "<code>");
    for (; *s; s++) {
        if (*s == '|')
            sb_puts(out, "\\|");
        else if (*s == '\n')
            sb_puts(out, "<br>");
        else if (code && *s == '<')
            sb_puts(out, "&lt;");
        else if (code && *s == '>')
            sb_puts(out, "&gt;");
        else if (code && *s == '&')
            sb_puts(out, "&amp;");
        else
            sb_putc(out, *s);
    }
    if (code)
        sb_puts(out, "</code>");
}

/* ---- page frame ---- */

static void page_open(strbuf *out, const char *title)
{
    sb_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"generator\" content=\"etlport\">\n<title>");
    html(out, title);
    sb_puts(out, "</title>\n<style>\n"
                 "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d232a;background:#f5f6f8}\n"
                 "header{background:#22313f;color:#fff;padding:14px 22px}\n"
                 "header h1{margin:0 0 4px;font-size:20px}\n"
                 "header a{color:#cfe3ff}\n"
                 "header .meta{font-size:13px;color:#d5dbe2}\n"
                 "main{padding:8px 22px 40px}\n"
                 "h2{margin:26px 0 8px;font-size:17px;border-bottom:2px solid #22313f;padding-bottom:3px}\n"
                 "h3{margin:18px 0 6px;font-size:15px}\n"
                 ".filters{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #d6dae0;"
                 "padding:7px 22px;font-size:13px}\n"
                 ".filters label{margin-right:14px;white-space:nowrap}\n"
                 ".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;"
                 "white-space:nowrap}\n"
                 ".v-equal{background:#d7f2dd;color:#145c26}.v-differs{background:#fbd0d0;color:#8a1010}"
                 ".v-unverified{background:#fcefc2;color:#6b5200}\n"
                 ".k-added{background:#d7f2dd;color:#145c26}.k-removed{background:#fbd0d0;color:#8a1010}"
                 ".k-changed{background:#fcefc2;color:#6b5200}\n"
                 ".t-auto_approve{background:#cdeccf;color:#0f4d1c}.t-pr_review{background:#d3e4fb;color:#123d73}"
                 ".t-senior_review{background:#fde3c3;color:#7a3e00}.t-regenerate{background:#f9cfc0;color:#7a1e00}"
                 ".t-reject{background:#8a1010;color:#fff}\n"
                 ".item{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));border:1px solid #d6dae0;"
                 "border-radius:6px;margin:8px 0;background:#fff}\n"
                 ".item>.head{grid-column:1/-1;display:flex;gap:10px;align-items:center;padding:5px 10px;"
                 "border-bottom:1px solid #e3e6ea;background:#fafbfc;border-radius:6px 6px 0 0}\n"
                 ".item>.head a.self{color:#8a95a1;text-decoration:none;margin-left:auto}\n"
                 ".item[data-verdict=differs]{border-color:#e39a9a}\n"
                 ".pane{padding:7px 10px;min-width:0;border-right:1px solid #eef0f3}\n"
                 ".pane:last-of-type{border-right:0}\n"
                 ".pane h4{margin:0 0 3px;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#5b6570}\n"
                 ".pane .none{color:#8a95a1;font-style:italic}\n"
                 ".why{grid-column:1/-1;padding:5px 10px;border-top:1px solid #eef0f3;font-size:13px;background:#fffaf0}\n"
                 "pre{margin:0;white-space:pre-wrap;word-break:break-word;"
                 "font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}\n"
                 ".loc{font-size:11px;color:#5b6570;margin-top:3px}\n"
                 "table{border-collapse:collapse;background:#fff;margin:6px 0;font-size:13px}\n"
                 "th,td{border:1px solid #d6dae0;padding:3px 8px;text-align:left;vertical-align:top}\n"
                 "th{background:#eef1f4}\n"
                 "td.num{text-align:right}\n"
                 ".cex{border:1px solid #e39a9a;border-radius:6px;padding:6px 10px;background:#fff;margin:8px 0}\n"
                 ".muted{color:#5b6570}\n");
    for (int i = 0; i < 3; i++)
        sb_printf(out, ".hide-v-%s [data-verdict=%s]{display:none}\n", VERDICTS[i], VERDICTS[i]);
    for (int i = 0; i < 5; i++)
        sb_printf(out, ".hide-t-%s [data-tier=%s]{display:none}\n", TIERS[i], TIERS[i]);
    for (int i = 0; i < 3; i++)
        sb_printf(out, ".hide-k-%s [data-kind=%s]{display:none}\n", CHANGE_KINDS[i], CHANGE_KINDS[i]);
    sb_puts(out, "</style>\n</head>\n<body>\n");
}

static void page_close(strbuf *out)
{
    /* ?hide=v-equal,t-auto_approve in the address starts with those rows hidden (a link can
     * open a page filtered) */
    sb_puts(out, "<script>\n"
                 "(function () {\n"
                 "  var hide = (new URLSearchParams(location.search).get('hide') || '').split(',');\n"
                 "  document.querySelectorAll('.filters input[data-hide]').forEach(function (box) {\n"
                 "    var apply = function () {\n"
                 "      document.body.classList.toggle('hide-' + box.dataset.hide, !box.checked);\n"
                 "    };\n"
                 "    if (hide.indexOf(box.dataset.hide) >= 0) box.checked = false;\n"
                 "    apply();\n"
                 "    box.addEventListener('change', apply);\n"
                 "  });\n"
                 "})();\n"
                 "</script>\n</body>\n</html>\n");
}

/* A filter check box: unchecking it hides the rows whose attribute has the value. */
static void filter_box(strbuf *out, const char *cls, const char *value, const char *label, int count)
{
    sb_printf(out, "<label><input type=\"checkbox\" checked data-hide=\"%s-%s\"> <span class=\"badge %s-%s\">", cls,
              value, cls, value);
    html(out, label);
    sb_printf(out, "</span> %d</label>\n", count);
}

static void badge(strbuf *out, const char *cls, const char *value)
{
    if (!value)
        return;
    sb_printf(out, "<span class=\"badge %s-", cls);
    html(out, value);
    sb_puts(out, "\">");
    html(out, value);
    sb_puts(out, "</span>");
}

static void pre_or_none(strbuf *out, const char *text, const char *none)
{
    if (text && *text) {
        sb_puts(out, "<pre>");
        html(out, text);
        sb_puts(out, "</pre>");
    } else {
        sb_puts(out, "<div class=\"none\">");
        html(out, none);
        sb_puts(out, "</div>");
    }
}

static void loc_line(strbuf *out, const char *loc, const char *node)
{
    if (!loc && !node)
        return;
    sb_puts(out, "<div class=\"loc\">");
    if (node) {
        html(out, node);
        if (loc)
            sb_puts(out, " · ");
    }
    html(out, loc);
    sb_puts(out, "</div>");
}

/* ---- review page ---- */

static const char *target_title(const char *t)
{
    return !t ? "" : strcmp(t, "spark") == 0 ? "PySpark" : strcmp(t, "snowflake") == 0 ? "Snowflake SQL" : t;
}

/* The three panes of one column or step, with its verdict and the reason. */
static void review_item(strbuf *out, const cJSON *it, const char *tgt, bool column, const cJSON *cexes)
{
    const char *dataset = str_of(it, "target"), *name = str_of(it, column ? "column" : "kind");
    const char *verdict = str_of(it, "verdict");
    const cJSON *leg = cJSON_GetObjectItemCaseSensitive(it, "legacy");
    const cJSON *can = cJSON_GetObjectItemCaseSensitive(it, "canonical");
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(it, "generated");
    strbuf id = STRBUF_INIT;
    diff_anchor(&id, tgt, column ? "-col-" : "-step-");
    diff_anchor(&id, NULL, dataset && *dataset ? dataset : "job");
    diff_anchor(&id, "-", name);
    int instance = (int)num_of(it, "instance", 0);
    if (instance > 0) /* another target instance loading the same dataset */
        sb_printf(&id, "-%d", instance);
    sb_printf(out, "<div class=\"item\" id=\"%s\" data-verdict=\"%s\">\n<div class=\"head\">", sb_cstr(&id),
              verdict ? verdict : "unverified");
    badge(out, "v", verdict);
    sb_puts(out, " <b>");
    html(out, name);
    sb_puts(out, "</b>");
    if (dataset && *dataset) {
        sb_puts(out, " <span class=\"muted\">");
        html(out, column ? "in " : "before ");
        html(out, dataset);
        if (instance > 0)
            sb_printf(out, " (target instance %d)", instance + 1);
        sb_puts(out, "</span>");
    }
    sb_printf(out, "<a class=\"self\" href=\"#%s\">#</a></div>\n", sb_cstr(&id));

    sb_puts(out, "<div class=\"pane legacy\"><h4>Legacy</h4>");
    const char *op = str_of(leg, "op");
    pre_or_none(out, str_of(leg, "text"),
                !column                             ? "no legacy text"
                : op && strcmp(op, "source") == 0 ? "read from the source as it is"
                                                    : "no expression of its own at this port");
    loc_line(out, str_of(leg, "loc"), str_of(leg, "node"));
    sb_puts(out, "</div>\n<div class=\"pane canonical\"><h4>Canonical IR</h4>");
    const char *cl = str_of(can, "legacy"), *cg = str_of(can, "generated");
    if (cl && cg && strcmp(cl, cg) == 0) {
        pre_or_none(out, cl, "");
    } else {
        sb_puts(out, "<div class=\"muted\">legacy</div>");
        pre_or_none(out, cl, "absent");
        sb_puts(out, "<div class=\"muted\">generated</div>");
        pre_or_none(out, cg, "absent");
    }
    sb_puts(out, "</div>\n<div class=\"pane generated\"><h4>Generated</h4>");
    pre_or_none(out, str_of(gen, "code"), "not found in the generated code");
    loc_line(out, str_of(gen, "loc"), NULL);
    sb_puts(out, "</div>\n");
    const char *why = str_of(it, "why");
    bool has_cex = false;
    const cJSON *cx;
    cJSON_ArrayForEach(cx, cexes)
    {
        const char *t = str_of(cx, "target");
        has_cex |= t && dataset && strcmp(t, dataset) == 0;
    }
    if (why || (has_cex && verdict && strcmp(verdict, "differs") == 0)) {
        sb_puts(out, "<div class=\"why\">");
        html(out, why);
        if (has_cex && verdict && strcmp(verdict, "differs") == 0) {
            strbuf cid = STRBUF_INIT;
            diff_anchor(&cid, tgt, "-cex-");
            diff_anchor(&cid, NULL, dataset);
            sb_printf(out, "%s<a href=\"#%s\">counterexample</a>", why ? " — " : "", sb_cstr(&cid));
            sb_free(&cid);
        }
        sb_puts(out, "</div>\n");
    }
    sb_puts(out, "</div>\n");
    sb_free(&id);
}

/* Rows of a counterexample side: a table with the union of the rows' keys as header. */
static void rows_table(strbuf *out, const cJSON *rows)
{
    if (!cJSON_IsArray(rows) || cJSON_GetArraySize(rows) == 0) {
        sb_puts(out, "<div class=\"none\">no row</div>\n");
        return;
    }
    const cJSON *first = cJSON_GetArrayItem(rows, 0), *c;
    sb_puts(out, "<table><tr>");
    cJSON_ArrayForEach(c, first)
    {
        sb_puts(out, "<th>");
        html(out, c->string);
        sb_puts(out, "</th>");
    }
    sb_puts(out, "</tr>\n");
    const cJSON *row;
    cJSON_ArrayForEach(row, rows)
    {
        sb_puts(out, "<tr>");
        cJSON_ArrayForEach(c, row)
        {
            sb_puts(out, "<td>");
            if (cJSON_IsNull(c)) {
                sb_puts(out, "<span class=\"muted\">NULL</span>");
            } else if (cJSON_IsString(c)) {
                sb_puts(out, "&quot;");
                html(out, c->valuestring);
                sb_puts(out, "&quot;");
            } else {
                char *t = cJSON_PrintUnformatted(c);
                html(out, t);
                cJSON_free(t);
            }
            sb_puts(out, "</td>");
        }
        sb_puts(out, "</tr>\n");
    }
    sb_puts(out, "</table>\n");
}

static void counterexample(strbuf *out, const cJSON *cx, const char *tgt)
{
    const char *dataset = str_of(cx, "target");
    strbuf id = STRBUF_INIT;
    diff_anchor(&id, tgt, "-cex-");
    diff_anchor(&id, NULL, dataset);
    sb_printf(out, "<div class=\"cex\" id=\"%s\"><b>Counterexample for ", sb_cstr(&id));
    html(out, dataset);
    sb_puts(out, "</b>\n");
    const cJSON *in;
    cJSON_ArrayForEach(in, cJSON_GetObjectItemCaseSensitive(cx, "inputs"))
    {
        sb_puts(out, "<div class=\"muted\">input rows of ");
        html(out, in->string);
        sb_puts(out, "</div>\n");
        rows_table(out, in);
    }
    sb_puts(out, "<div class=\"muted\">only in the legacy output</div>\n");
    rows_table(out, cJSON_GetObjectItemCaseSensitive(cx, "legacy"));
    sb_puts(out, "<div class=\"muted\">only in the generated output</div>\n");
    rows_table(out, cJSON_GetObjectItemCaseSensitive(cx, "generated"));
    sb_puts(out, "</div>\n");
    sb_free(&id);
}

static void scores_table(strbuf *out, const cJSON *art)
{
    const cJSON *layers = cJSON_GetObjectItemCaseSensitive(art, "layers"), *l;
    sb_puts(out, "<table class=\"scores\"><tr>");
    cJSON_ArrayForEach(l, layers)
    {
        sb_puts(out, "<th>");
        html(out, l->string);
        sb_puts(out, "</th>");
    }
    sb_puts(out, "<th>composite</th><th>tier</th></tr>\n<tr>");
    cJSON_ArrayForEach(l, layers)
        sb_printf(out, "<td class=\"num\">%.2f</td>", cJSON_IsNumber(l) ? l->valuedouble : 0.0);
    sb_printf(out, "<td class=\"num\">%.3f</td><td>", num_of(art, "composite", 0));
    badge(out, "t", str_of(art, "tier"));
    const char *cap = str_of(art, "capped_by");
    if (cap) {
        sb_puts(out, " <span class=\"muted\">(");
        html(out, str_of(art, "tier_by_score"));
        sb_puts(out, " by score, capped: ");
        html(out, cap);
        sb_puts(out, ")</span>");
    }
    sb_puts(out, "</td></tr></table>\n");
}

static void execution_table(strbuf *out, const cJSON *execs)
{
    if (cJSON_GetArraySize(execs) == 0)
        return;
    sb_puts(out, "<h3>Differential execution (SQLite, generated data)</h3>\n<table><tr><th>target</th>"
                 "<th>result</th><th>rows legacy</th><th>rows generated</th><th>why / not compared</th></tr>\n");
    const cJSON *e;
    cJSON_ArrayForEach(e, execs)
    {
        const char *v = str_of(e, "verdict");
        sb_puts(out, "<tr data-verdict=\"");
        html(out, v && strcmp(v, "not executable") == 0 ? "unverified" : v);
        sb_puts(out, "\"><td>");
        html(out, str_of(e, "target"));
        sb_puts(out, "</td><td>");
        html(out, v);
        sb_printf(out, "</td><td class=\"num\">%.0f</td><td class=\"num\">%.0f</td><td>", num_of(e, "rows_legacy", 0),
                  num_of(e, "rows_generated", 0));
        html(out, str_of(e, "why"));
        const char *nc = str_of(e, "not_compared");
        if (nc) {
            sb_puts(out, str_of(e, "why") ? "<br>" : "");
            sb_puts(out, "not compared: ");
            html(out, nc);
        }
        sb_puts(out, "</td></tr>\n");
    }
    sb_puts(out, "</table>\n");
}

static void findings_table(strbuf *out, const cJSON *fs)
{
    if (cJSON_GetArraySize(fs) == 0)
        return;
    sb_puts(out, "<h3>Findings</h3>\n<table><tr><th>layer</th><th>severity</th><th>rule</th><th>where</th>"
                 "<th>message</th></tr>\n");
    const cJSON *f;
    cJSON_ArrayForEach(f, fs)
    {
        sb_puts(out, "<tr><td>");
        html(out, str_of(f, "layer"));
        sb_puts(out, "</td><td>");
        html(out, str_of(f, "severity"));
        sb_puts(out, "</td><td>");
        html(out, str_of(f, "rule"));
        sb_puts(out, "</td><td>");
        html(out, str_of(f, "file"));
        sb_printf(out, ":%.0f</td><td>", num_of(f, "line", 0));
        html(out, str_of(f, "message"));
        sb_puts(out, "</td></tr>\n");
    }
    sb_puts(out, "</table>\n");
}

static void count_verdicts(const cJSON *page, int counts[3])
{
    const cJSON *art, *it;
    cJSON_ArrayForEach(art, cJSON_GetObjectItemCaseSensitive(page, "artifacts"))
    {
        for (int part = 0; part < 2; part++)
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(art, part ? "steps" : "columns"))
            {
                const char *v = str_of(it, "verdict");
                for (int i = 0; i < 3; i++)
                    if (v && strcmp(v, VERDICTS[i]) == 0)
                        counts[i]++;
            }
    }
}

void diff_html_review(const cJSON *page, const diff_links *links, strbuf *out)
{
    const char *job = str_of(page, "job");
    strbuf title = STRBUF_INIT;
    sb_printf(&title, "%s — etlport review", job ? job : "job");
    page_open(out, sb_cstr(&title));
    sb_free(&title);
    sb_puts(out, "<header>\n<h1>");
    html(out, job);
    sb_puts(out, "</h1>\n<div class=\"meta\">");
    badge(out, "v", str_of(page, "verdict"));
    sb_puts(out, " ");
    badge(out, "t", str_of(page, "tier"));
    sb_printf(out, " · %.0f difference%s · legacy ", num_of(page, "differences", 0),
              num_of(page, "differences", 0) == 1 ? "" : "s");
    html(out, str_of(page, "format"));
    sb_puts(out, " <code>");
    html(out, str_of(page, "legacy_file"));
    sb_printf(out, ":%.0f</code>", num_of(page, "legacy_line", 0));
    if (str_of(page, "folder")) {
        sb_puts(out, ", folder ");
        html(out, str_of(page, "folder"));
    }
    if (links && links->index) {
        sb_puts(out, " · <a href=\"");
        html(out, links->index);
        sb_puts(out, "\">index</a>");
    }
    if (links && links->lineage) {
        sb_puts(out, " · <a class=\"lineage\" href=\"");
        html(out, links->lineage);
        strbuf a = STRBUF_INIT;
        diff_anchor(&a, "#job_", job);
        html(out, sb_cstr(&a));
        sb_free(&a);
        sb_puts(out, "\">lineage</a>");
    }
    sb_puts(out, "</div>\n</header>\n<div class=\"filters\">Show: ");
    int counts[3] = {0};
    count_verdicts(page, counts);
    for (int i = 0; i < 3; i++)
        filter_box(out, "v", VERDICTS[i], VERDICTS[i], counts[i]);
    sb_puts(out, "</div>\n<main>\n");
    const cJSON *art;
    cJSON_ArrayForEach(art, cJSON_GetObjectItemCaseSensitive(page, "artifacts"))
    {
        const char *tgt = str_of(art, "target");
        sb_puts(out, "<section class=\"artifact\" id=\"");
        diff_anchor(out, NULL, tgt);
        sb_puts(out, "\">\n<h2>");
        html(out, target_title(tgt));
        sb_puts(out, " — <code>");
        html(out, str_of(art, "file"));
        sb_puts(out, "</code> ");
        badge(out, "v", str_of(art, "verdict"));
        sb_puts(out, "</h2>\n");
        if (str_of(art, "error")) {
            sb_puts(out, "<p class=\"why\">");
            html(out, str_of(art, "error"));
            sb_puts(out, "</p>\n</section>\n");
            continue;
        }
        scores_table(out, art);
        const cJSON *src = cJSON_GetObjectItemCaseSensitive(art, "sources"), *s;
        if (cJSON_GetArraySize(src) > 0) {
            sb_puts(out, "<p class=\"muted\">Canonical texts name source datasets by number:");
            cJSON_ArrayForEach(s, src)
            {
                sb_puts(out, " <code>");
                html(out, s->string);
                sb_puts(out, "</code> = ");
                html(out, cJSON_IsString(s) ? s->valuestring : "");
                sb_puts(out, ";");
            }
            sb_puts(out, "</p>\n");
        }
        const cJSON *cexes = cJSON_GetObjectItemCaseSensitive(art, "counterexamples"), *it;
        sb_puts(out, "<h3>Target columns</h3>\n");
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(art, "columns"))
            review_item(out, it, tgt, true, cexes);
        sb_puts(out, "<h3>Row-shaping steps</h3>\n");
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(art, "steps"))
            review_item(out, it, tgt, false, cexes);
        execution_table(out, cJSON_GetObjectItemCaseSensitive(art, "execution"));
        if (cJSON_GetArraySize(cexes) > 0) {
            sb_puts(out, "<h3>Counterexamples</h3>\n");
            cJSON_ArrayForEach(it, cexes)
                counterexample(out, it, tgt);
        }
        findings_table(out, cJSON_GetObjectItemCaseSensitive(art, "findings"));
        sb_puts(out, "</section>\n");
    }
    sb_puts(out, "</main>\n");
    page_close(out);
}

static void md_item(strbuf *out, const cJSON *it, bool column)
{
    const cJSON *leg = cJSON_GetObjectItemCaseSensitive(it, "legacy");
    const cJSON *can = cJSON_GetObjectItemCaseSensitive(it, "canonical");
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(it, "generated");
    sb_puts(out, "| ");
    md_cell(out, str_of(it, "verdict"), false);
    sb_puts(out, " | ");
    md_cell(out, str_of(it, "target"), false);
    sb_puts(out, " | ");
    md_cell(out, str_of(it, column ? "column" : "kind"), false);
    sb_puts(out, " | ");
    md_cell(out, str_of(leg, "text"), true);
    sb_puts(out, " ");
    md_cell(out, str_of(leg, "loc"), false);
    sb_puts(out, " | ");
    const char *cl = str_of(can, "legacy"), *cg = str_of(can, "generated");
    md_cell(out, cl, true);
    if (!(cl && cg && strcmp(cl, cg) == 0)) {
        sb_puts(out, "<br>→ ");
        md_cell(out, cg, true);
    }
    sb_puts(out, " | ");
    md_cell(out, str_of(gen, "code"), true);
    sb_puts(out, " ");
    md_cell(out, str_of(gen, "loc"), false);
    sb_puts(out, " | ");
    md_cell(out, str_of(it, "why"), false);
    sb_puts(out, " |\n");
}

void diff_md_review(const cJSON *page, strbuf *out)
{
    sb_puts(out, "## ");
    sb_puts(out, str_of(page, "job") ? str_of(page, "job") : "job");
    sb_printf(out, "\n\nVerdict **%s**, tier **%s**, %.0f difference(s). Legacy: %s `%s:%.0f`.\n",
              str_of(page, "verdict") ? str_of(page, "verdict") : "-", str_of(page, "tier") ? str_of(page, "tier") : "-",
              num_of(page, "differences", 0), str_of(page, "format") ? str_of(page, "format") : "",
              str_of(page, "legacy_file") ? str_of(page, "legacy_file") : "", num_of(page, "legacy_line", 0));
    const cJSON *art;
    cJSON_ArrayForEach(art, cJSON_GetObjectItemCaseSensitive(page, "artifacts"))
    {
        sb_printf(out, "\n### %s: `%s`\n\n", target_title(str_of(art, "target")),
                  str_of(art, "file") ? str_of(art, "file") : "");
        if (str_of(art, "error")) {
            sb_printf(out, "%s\n", str_of(art, "error"));
            continue;
        }
        sb_printf(out, "Verdict **%s**, composite %.3f, tier **%s**", str_of(art, "verdict") ? str_of(art, "verdict") : "-",
                  num_of(art, "composite", 0), str_of(art, "tier") ? str_of(art, "tier") : "-");
        if (str_of(art, "capped_by"))
            sb_printf(out, " (capped: %s)", str_of(art, "capped_by"));
        sb_puts(out, ".\n\n| verdict | target | column / step | legacy | canonical IR | generated | why |\n"
                     "| --- | --- | --- | --- | --- | --- | --- |\n");
        const cJSON *it;
        for (int part = 0; part < 2; part++)
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(art, part ? "steps" : "columns"))
                md_item(out, it, part == 0);
        const cJSON *cx;
        cJSON_ArrayForEach(cx, cJSON_GetObjectItemCaseSensitive(art, "counterexamples"))
        {
            char *t = cJSON_Print(cx);
            sb_printf(out, "\nCounterexample for `%s`:\n\n```json\n%s\n```\n", str_of(cx, "target") ? str_of(cx, "target") : "",
                      t ? t : "");
            cJSON_free(t);
        }
    }
}

/* ---- index ---- */

void diff_html_index(const cJSON *index, const diff_links *links, strbuf *out)
{
    page_open(out, "etlport review index");
    sb_puts(out, "<header>\n<h1>Review index</h1>\n<div class=\"meta\">");
    html(out, str_of(index, "outdir"));
    const cJSON *jobs = cJSON_GetObjectItemCaseSensitive(index, "jobs"), *j;
    sb_printf(out, " · %d job%s", cJSON_GetArraySize(jobs), cJSON_GetArraySize(jobs) == 1 ? "" : "s");
    if (links && links->lineage) {
        sb_puts(out, " · <a class=\"lineage\" href=\"");
        html(out, links->lineage);
        sb_puts(out, "\">lineage</a>");
    }
    sb_puts(out, "</div>\n</header>\n<div class=\"filters\">Tier: ");
    for (int i = 0; i < 5; i++) {
        int n = 0;
        cJSON_ArrayForEach(j, jobs)
            n += str_of(j, "tier") && strcmp(str_of(j, "tier"), TIERS[i]) == 0;
        filter_box(out, "t", TIERS[i], TIERS[i], n);
    }
    sb_puts(out, " Verdict: ");
    for (int i = 0; i < 3; i++) {
        int n = 0;
        cJSON_ArrayForEach(j, jobs)
            n += str_of(j, "verdict") && strcmp(str_of(j, "verdict"), VERDICTS[i]) == 0;
        filter_box(out, "v", VERDICTS[i], VERDICTS[i], n);
    }
    sb_puts(out, "</div>\n<main>\n<table class=\"jobs\"><tr><th>job</th><th>folder</th><th>tier</th><th>verdict</th>"
                 "<th>differences</th><th>PySpark</th><th>Snowflake</th></tr>\n");
    cJSON_ArrayForEach(j, jobs)
    {
        const char *tier = str_of(j, "tier"), *verdict = str_of(j, "verdict");
        sb_puts(out, "<tr data-tier=\"");
        html(out, tier ? tier : "none");
        sb_puts(out, "\" data-verdict=\"");
        html(out, verdict ? verdict : "unverified");
        sb_puts(out, "\" id=\"");
        diff_anchor(out, "job-", str_of(j, "page"));
        sb_puts(out, "\"><td><a href=\"");
        html(out, str_of(j, "page"));
        sb_puts(out, "\">");
        html(out, str_of(j, "job"));
        sb_puts(out, "</a></td><td>");
        html(out, str_of(j, "folder"));
        sb_puts(out, "</td><td>");
        badge(out, "t", tier);
        sb_puts(out, "</td><td>");
        badge(out, "v", verdict);
        sb_printf(out, "</td><td class=\"num\">%.0f</td>", num_of(j, "differences", 0));
        static const char *const tg[] = {"spark", "snowflake"};
        for (int t = 0; t < 2; t++) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "targets"), tg[t]);
            sb_puts(out, "<td>");
            if (a) {
                badge(out, "v", str_of(a, "verdict"));
                sb_printf(out, " %.3f", num_of(a, "composite", 0));
            }
            sb_puts(out, "</td>");
        }
        sb_puts(out, "</tr>\n");
    }
    sb_puts(out, "</table>\n</main>\n");
    page_close(out);
}

void diff_md_index(const cJSON *index, strbuf *out)
{
    const cJSON *jobs = cJSON_GetObjectItemCaseSensitive(index, "jobs"), *j;
    sb_printf(out, "# Review index: %s\n\n%d job(s), sorted by tier (worst first) and differences.\n\n"
                   "| job | folder | tier | verdict | differences | page |\n| --- | --- | --- | --- | --- | --- |\n",
              str_of(index, "outdir") ? str_of(index, "outdir") : "", cJSON_GetArraySize(jobs));
    cJSON_ArrayForEach(j, jobs)
    {
        sb_puts(out, "| ");
        md_cell(out, str_of(j, "job"), false);
        sb_puts(out, " | ");
        md_cell(out, str_of(j, "folder"), false);
        sb_puts(out, " | ");
        md_cell(out, str_of(j, "tier"), false);
        sb_puts(out, " | ");
        md_cell(out, str_of(j, "verdict"), false);
        sb_printf(out, " | %.0f | [page](%s) |\n", num_of(j, "differences", 0),
                  str_of(j, "page_md") ? str_of(j, "page_md") : "");
    }
}

/* ---- change report ---- */

void diff_html_change(const cJSON *report, strbuf *out)
{
    page_open(out, "etlport change report");
    sb_puts(out, "<header>\n<h1>Change report</h1>\n<div class=\"meta\"><code>");
    html(out, str_of(report, "old"));
    sb_puts(out, "</code> → <code>");
    html(out, str_of(report, "new"));
    sb_puts(out, "</code></div>\n</header>\n<div class=\"filters\">Show: ");
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(report, "changes"), *c;
    for (int i = 0; i < 3; i++) {
        int n = 0;
        cJSON_ArrayForEach(c, changes)
            n += str_of(c, "kind") && strcmp(str_of(c, "kind"), CHANGE_KINDS[i]) == 0;
        filter_box(out, "k", CHANGE_KINDS[i], CHANGE_KINDS[i], n);
    }
    sb_printf(out, "</div>\n<main>\n<p>%d change%s.</p>\n", cJSON_GetArraySize(changes),
              cJSON_GetArraySize(changes) == 1 ? "" : "s");
    const char *job = NULL;
    int k = 0;
    cJSON_ArrayForEach(c, changes)
    {
        const char *cj = str_of(c, "job");
        if (cj && (!job || strcmp(job, cj) != 0)) {
            job = cj;
            sb_puts(out, "<h2 id=\"");
            diff_anchor(out, "job-", cj);
            sb_puts(out, "\">");
            html(out, cj);
            if (str_of(c, "old_job")) {
                sb_puts(out, " <span class=\"muted\">(was ");
                html(out, str_of(c, "old_job"));
                sb_puts(out, ")</span>");
            }
            sb_puts(out, "</h2>\n");
        }
        const char *kind = str_of(c, "kind");
        sb_printf(out, "<div class=\"item\" id=\"change-%d\" data-kind=\"%s\">\n<div class=\"head\">", ++k,
                  kind ? kind : "changed");
        badge(out, "k", kind);
        sb_puts(out, " <b>");
        html(out, str_of(c, "level"));
        sb_puts(out, "</b> ");
        html(out, str_of(c, "node"));
        if (str_of(c, "column")) {
            sb_puts(out, " · column <b>");
            html(out, str_of(c, "column"));
            sb_puts(out, "</b>");
        }
        if (str_of(c, "aspect")) {
            sb_puts(out, " · ");
            html(out, str_of(c, "aspect"));
        }
        sb_printf(out, "<a class=\"self\" href=\"#change-%d\">#</a></div>\n", k);
        sb_puts(out, "<div class=\"pane old\"><h4>Before</h4>");
        pre_or_none(out, str_of(c, "before"), "absent");
        loc_line(out, str_of(c, "old_loc"), NULL);
        sb_puts(out, "</div>\n<div class=\"pane new\"><h4>After</h4>");
        pre_or_none(out, str_of(c, "after"), "absent");
        loc_line(out, str_of(c, "new_loc"), NULL);
        sb_puts(out, "</div>\n<div class=\"pane legacy\"><h4>Legacy text</h4>");
        const char *ol = str_of(c, "old_legacy"), *nl = str_of(c, "new_legacy");
        if (ol) {
            sb_puts(out, "<div class=\"muted\">before</div>");
            pre_or_none(out, ol, "");
        }
        if (nl) {
            sb_puts(out, "<div class=\"muted\">after</div>");
            pre_or_none(out, nl, "");
        }
        if (!ol && !nl)
            sb_puts(out, "<div class=\"none\">not kept</div>");
        sb_puts(out, "</div>\n</div>\n");
    }
    sb_puts(out, "</main>\n");
    page_close(out);
}
