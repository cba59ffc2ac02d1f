/*
 * layers.h — the verifier's syntax, security and performance layers (the semantic layer is
 * verify.h). Each layer looks at one generated artifact (and the IR it came from) and records
 * findings: a rule of rules.def, a severity, file:line:col and a message. score.h turns the
 * findings of a layer into its score; docs/verification.md lists the rules.
 *
 *   - syntax (style.c): the artifact parses with its tree-sitter grammar, holes (backend
 *     placeholders, IR holes), a few naming and layout rules;
 *   - security (security.c): PySpark over the tree-sitter Python syntax tree, Snowflake SQL over
 *     a token stream; classified columns (policy.h) are followed through the IR read back from
 *     the artifact to what it writes, prints or logs;
 *   - performance (perf.c): estimates over the legacy IR with table statistics, against the SLA
 *     thresholds of the policy, plus row-by-row loops in the generated code.
 *
 * Every function here is deterministic: findings come out sorted (findings_sort).
 */
#ifndef ETLPORT_VERIFIER_LAYERS_H
#define ETLPORT_VERIFIER_LAYERS_H

#include <stddef.h>

#include "core/arena.h"
#include "ir/ir.h"
#include "verifier/policy.h"
#include "verifier/verify.h"

typedef enum {
    VERIFY_LAYER_SYNTAX,
    VERIFY_LAYER_SECURITY,
    VERIFY_LAYER_SEMANTIC,
    VERIFY_LAYER_PERFORMANCE,
    VERIFY_LAYER__COUNT
} verify_layer;

/* "syntax", "security", "semantic", "performance". */
const char *verify_layer_name(verify_layer l);

typedef enum {
#define X(id, name, layer, severity, meaning) VRULE_##id,
#include "verifier/rules.def"
#undef X
    VRULE__COUNT
} verify_rule;

typedef struct verify_rule_info {
    const char *id; /* "security/py-eval" */
    verify_layer layer;
    verify_severity severity;
    const char *meaning;
} verify_rule_info;

const verify_rule_info *verify_rule_get(verify_rule r);

typedef struct verify_finding {
    verify_rule rule;
    const char *file; /* the artifact, or the legacy file for findings on the legacy IR */
    int line, col;    /* 1-based; 0 when unknown */
    const char *message;
} verify_finding;

/* A list of findings; owns its strings. */
typedef struct verify_findings {
    arena *arena;
    verify_finding *v;
    int n, cap;
} verify_findings;

void findings_init(verify_findings *f);
void findings_free(verify_findings *f);
void findings_add(verify_findings *f, verify_rule rule, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Sorts by layer, file, line, column, rule, message; drops exact duplicates. */
void findings_sort(verify_findings *f);
/* Findings of one rule. */
int findings_count(const verify_findings *f, verify_rule rule);

/* Fills the classification tags (IR_TAG_*) of job's columns: dataset columns and source columns
 * from policy_classify and the tags already on legacy's datasets (legacy may be NULL), every other
 * column from what its expression reads; a masking function (md5, sha1, sha2, crc32,
 * regexp_replace, a hole whose text names a mask) or a constant clears them. *raw_out, when not
 * NULL, gets an arena array per node position (job->nodes order) of per-column flags: the value
 * still carries a source column unmasked. */
void security_tag_job(const verify_policy *p, ir_job *job, const ir_job *legacy, bool ***raw_out);

/* The syntax layer of one artifact (text, len bytes; path for findings). legacy, when not NULL,
 * gives the IR holes (counted when the artifact shows fewer placeholders). */
void syntax_layer(verify_findings *out, const verify_policy *p, verify_target target, const char *text, size_t len,
                  const char *path, const ir_job *legacy);

/* The security layer of one artifact. gen (n_gen jobs) is the IR read back from it (its tags are
 * filled here), legacy the legacy job or NULL. */
void security_layer(verify_findings *out, const verify_policy *p, verify_target target, const char *text,
                    size_t len, const char *path, ir_job *const *gen, int n_gen, const ir_job *legacy);

/* The performance layer: estimates over legacy (NULL: over the jobs read back), plus row-by-row
 * loops in the artifact's text. */
void perf_layer(verify_findings *out, const verify_policy *p, verify_target target, const char *text, size_t len,
                const char *path, const ir_job *legacy, ir_job *const *gen, int n_gen);

#endif
