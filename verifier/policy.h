/*
 * policy.h — the verifier's policy: what the layers look for and how their scores become a tier.
 *
 * A policy file (JSON; policy/default.json is the default and docs/verification.md "Policy file"
 * describes every field) gives the layer weights of the composite score, the tier thresholds and
 * caps, the penalty of a finding by severity, the run profile (production or not: outside
 * production, classified columns must be masked), the SLA thresholds of the performance layer and
 * the classification of columns: PII / PCI / PHI tags by `DATASET.COLUMN` patterns, and name
 * heuristics (email, ssn, card number, phone, date of birth, diagnosis ...). A table-statistics
 * file (`{"tables": {"NAME": rows}}`) gives the performance layer row counts.
 *
 * policy_init gives the built-in defaults, which are exactly policy/default.json (a test checks
 * it); a policy file overrides only the fields it names, except `classification` and
 * `heuristics`, which replace the built-in lists when present.
 *
 * Memory: a policy owns its arena; policy_free releases everything.
 */
#ifndef ETLPORT_VERIFIER_POLICY_H
#define ETLPORT_VERIFIER_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/strbuf.h"
#include "ir/ir.h"

/* Review tiers, best first (DESIGN.md "Verification and review"). */
typedef enum {
    VERIFY_TIER_AUTO_APPROVE,
    VERIFY_TIER_PR_REVIEW,
    VERIFY_TIER_SENIOR_REVIEW,
    VERIFY_TIER_REGENERATE, /* regenerate, lead review */
    VERIFY_TIER_REJECT,
    VERIFY_TIER__COUNT
} verify_tier;

/* Finding severities, worst first. */
typedef enum { VERIFY_SEV_CRITICAL, VERIFY_SEV_HIGH, VERIFY_SEV_MEDIUM, VERIFY_SEV_LOW, VERIFY_SEV__COUNT } verify_severity;

/* "auto_approve", "pr_review", "senior_review", "regenerate", "reject". */
const char *verify_tier_name(verify_tier t);
/* The tier of a name above; -1 when unknown. */
int verify_tier_from_name(const char *name);
/* "critical", "high", "medium", "low". */
const char *verify_severity_name(verify_severity s);

/* One classification rule: a pattern and the tags it gives. */
typedef struct policy_class_rule {
    const char *pattern; /* classification: DATASET.COLUMN glob; heuristics: a word of the column
                            name (upper case, '_'-separated words, see policy_classify) */
    uint32_t tags;       /* IR_TAG_* */
    bool temporal_only;  /* heuristics: only for date / timestamp columns (e.g. DOB) */
} policy_class_rule;

typedef struct policy_table_rows {
    const char *name; /* as in the statistics file, upper case */
    int64_t rows;
} policy_table_rows;

typedef struct verify_policy {
    arena *arena; /* owns every string and array below */
    /* composite score */
    double w_syntax, w_security, w_semantic, w_performance;
    double t_auto_approve, t_pr_review, t_senior_review, t_regenerate; /* lower bounds of the tiers */
    verify_tier migration_cap;         /* the best tier a migration artifact can get */
    verify_tier critical_security_cap; /* the best tier with a critical security finding */
    /* layer scores */
    double penalty[VERIFY_SEV__COUNT]; /* what one finding of a severity takes off its layer */
    int max_per_rule;                  /* findings of one rule counted at most this many times */
    double unverified_credit;          /* semantic: what an unverified column or step is worth */
    int max_line;                      /* style: longest line without a finding */
    /* run profile */
    bool production; /* false: classified columns must be masked in what is written */
    /* performance (SLA) */
    int64_t large_table_rows;   /* sorts, lookups and full rewrites of more rows are findings */
    int64_t assumed_rows;       /* rows of a table without statistics */
    int64_t max_estimated_rows; /* the SLA: rows all nodes handle together, estimated */
    /* classification */
    policy_class_rule *classes;
    int n_classes;
    policy_class_rule *heuristics;
    int n_heuristics;
    /* table statistics (policy_load_stats) */
    policy_table_rows *tables;
    int n_tables;
} verify_policy;

/* The built-in defaults (policy/default.json). */
void policy_init(verify_policy *p);
void policy_free(verify_policy *p);

/* Reads a policy file over p (policy_init first). Returns 0, or -1 with a message through dc
 * (file:line:col when the JSON does not parse, the field's path when a value is wrong). */
int policy_load(verify_policy *p, const char *path, diag_ctx *dc);
/* As policy_load, from text. */
int policy_load_text(verify_policy *p, const char *text, size_t len, const char *path, diag_ctx *dc);
/* Reads a table-statistics file `{"tables": {"SCHEMA.TABLE": rows, ...}}`. Returns 0 or -1. */
int policy_load_stats(verify_policy *p, const char *path, diag_ctx *dc);

/* Sets the run profile from "production" or "non-production". Returns 0 or -1 (unknown name). */
int policy_set_profile(verify_policy *p, const char *name);

/* The tags of a column: classification patterns on DATASET.COLUMN (the dataset's last dotted part
 * matches too; a pattern without a dot matches the column alone), then name heuristics.
 * Case-insensitive. dataset NULL (a name found in code text, its table unknown): a pattern's part
 * after its last dot matches the column, so the check errs on the side of classifying. */
uint32_t policy_classify(const verify_policy *p, const char *dataset, const char *column, ir_type type);

/* Rows of a table: the statistics (full name, else the last dotted part, case-insensitive), else
 * -1. */
int64_t policy_table_rows_of(const verify_policy *p, const char *table);

/* "PII,PCI" for tags (into buf); "" for none. */
const char *policy_tags_text(uint32_t tags, char *buf, size_t size);

/* The policy as JSON in the file's shape (deterministic; `etlport verify --dump=policy`). */
void policy_to_json(const verify_policy *p, strbuf *sb);

#endif
