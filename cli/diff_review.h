/*
 * diff_review.h — the reviewer's view of one converted job (`etlport diff LEGACY GENERATED` and
 * `etlport diff OUTDIR`): for every target column and every row-shaping step, the legacy text with
 * its location, the canonical IR of both sides, the generated code with its location, and the
 * verifier's verdict with the counterexample when there is one. The page is a JSON object
 * (docs/diff.md, "Review pages"); lineage/diff_render.h writes it as HTML or Markdown.
 */
#ifndef ETLPORT_CLI_DIFF_REVIEW_H
#define ETLPORT_CLI_DIFF_REVIEW_H

#include <cjson/cJSON.h>

#include "verifier/policy.h"
#include "verifier/verify.h"

/* One generated artifact of the job. */
typedef struct diff_artifact {
    verify_target target;
    const char *path;  /* where to read it */
    const char *shown; /* how the page names it (relative to the report, or as the user gave it) */
} diff_artifact;

/* The review page of legacy against each artifact (one that cannot be read gets an "error"
 * member). legacy_shown names the legacy file on the page (NULL: the job's own file). Returns a
 * new object (cJSON_Delete it); exits with status 2 when out of memory. */
cJSON *diff_review_job(const verify_policy *p, const ir_job *legacy, const char *legacy_shown,
                       const diff_artifact *arts, int n_arts);

#endif
