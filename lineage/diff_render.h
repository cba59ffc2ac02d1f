/*
 * diff_render.h — diff reports as pages: the reviewer's page of one job (cli/diff_review.h builds
 * its JSON), the index of a whole convert output, and the change report between two versions
 * (diff_change.h), as self-contained HTML (inline style and script, no external asset, works from
 * disk) or Markdown. The JSON shapes are in docs/diff.md. Output is deterministic.
 */
#ifndef ETLPORT_LINEAGE_DIFF_RENDER_H
#define ETLPORT_LINEAGE_DIFF_RENDER_H

#include <cjson/cJSON.h>

#include "core/strbuf.h"

/* Links a page carries to its neighbours; any may be NULL. */
typedef struct diff_links {
    const char *index;   /* the index page of the run */
    const char *lineage; /* the lineage picture (SVG) of the run; "#job_<name>" is appended */
} diff_links;

void diff_html_review(const cJSON *page, const diff_links *links, strbuf *out);
void diff_md_review(const cJSON *page, strbuf *out);

/* The index of a run: {"report": "review-index", "jobs": [{job, folder, page, verdict, tier,
 * differences, targets: {...}}], ...}, the jobs already sorted. */
void diff_html_index(const cJSON *index, const diff_links *links, strbuf *out);
void diff_md_index(const cJSON *index, strbuf *out);

/* The change report between two versions (dchg_to_json's object). */
void diff_html_change(const cJSON *report, strbuf *out);

/* The anchor id of a name: letters, digits, '-' and '_' kept, anything else '_'. */
void diff_anchor(strbuf *out, const char *prefix, const char *name);

#endif
