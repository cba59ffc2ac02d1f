/*
 * score.h — layer scores, the composite score and the review tier of one generated artifact
 * (DESIGN.md "Verification and review"; docs/verification.md "Scores and tiers").
 *
 *   layer score (syntax, security, performance) = max(0, 1 - sum over rules of
 *                                                  penalty[severity] * min(findings of the rule, max_per_rule))
 *   semantic = (equal + unverified_credit * unverified) / (equal + differs + unverified)
 *              over the columns and row-shaping steps of verify_compare (no item: unverified_credit)
 *   composite = w_syntax * syntax + w_security * security + w_semantic * semantic
 *               + w_performance * performance
 * Every score is rounded to 4 decimals before it is used, so the tier never depends on the last
 * bit of a double. The tier is the band of the composite; a migration artifact is then capped at
 * caps.migration (pull-request review), and an artifact with a critical security finding at
 * caps.critical_security (reject).
 */
#ifndef ETLPORT_VERIFIER_SCORE_H
#define ETLPORT_VERIFIER_SCORE_H

#include <stdbool.h>

#include "core/strbuf.h"
#include "verifier/layers.h"
#include "verifier/policy.h"
#include "verifier/verify.h"

typedef struct verify_scores {
    double layer[VERIFY_LAYER__COUNT]; /* 0..1 each */
    double composite;
    verify_tier tier_by_score; /* the composite's band */
    verify_tier tier;          /* after the caps */
    const char *capped_by;     /* "migration", "critical security finding", or NULL */
} verify_scores;

/* x rounded to 4 decimals. */
double score_round(double x);
/* A layer's score from its findings. */
double score_layer(const verify_findings *f, verify_layer layer, const verify_policy *p);
/* The semantic layer's score from the comparison (NULL: nothing compared, unverified_credit). */
double score_semantic(const verify_result *r, const verify_policy *p);
/* The band of a composite score. */
verify_tier score_tier(double composite, const verify_policy *p);
/* Fills composite, tier_by_score, tier and capped_by from s->layer. */
void score_compose(verify_scores *s, const verify_policy *p, bool migration, bool critical_security);

/* Every layer of one artifact. */
typedef struct verify_assessment {
    verify_findings findings; /* syntax, security and performance findings, sorted */
    verify_scores scores;
    int classified;           /* target columns with a classification tag (read-back IR) */
} verify_assessment;

/* Runs the syntax, security and performance layers over one artifact (text, len; path for
 * findings), takes the semantic layer from sem (may be NULL) and scores. gen is the IR read back
 * from the artifact (its tags are filled), legacy the legacy job (may be NULL). migration: the
 * artifact translates a legacy job (the migration cap applies). */
void verify_assess(verify_assessment *out, const verify_policy *p, verify_target target, const char *text, size_t len,
                   const char *path, const ir_job *legacy, ir_job *const *gen, int n_gen, const verify_result *sem,
                   bool migration);
void verify_assessment_free(verify_assessment *a);

/* Appends `"layers": {...}, "composite": x, "tier": "...", "tier_by_score": "...",
 * ["capped_by": "...",] "findings": [...]` — members of an enclosing object, no braces; each
 * line indented by indent spaces. */
void verify_assessment_to_json(const verify_assessment *a, strbuf *sb, int indent);

/* A score as JSON/text writes it: up to 4 decimals, no trailing zeros ("1", "0.95", "0.8123"). */
void score_format(double x, char *buf, size_t size);

#endif
