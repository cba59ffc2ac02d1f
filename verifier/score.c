/*
 * score.c — see score.h: the formulas of the layer scores, the composite score and the tiers, and
 * the assessment of one artifact (every layer, then the score) with its JSON form.
 */
#include "verifier/score.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double score_round(double x)
{
    return round(x * 10000.0) / 10000.0;
}

double score_layer(const verify_findings *f, verify_layer layer, const verify_policy *p)
{
    int count[VRULE__COUNT] = {0};
    for (int i = 0; i < f->n; i++)
        count[f->v[i].rule]++;
    double penalty = 0;
    for (int r = 0; r < VRULE__COUNT; r++) {
        const verify_rule_info *info = verify_rule_get((verify_rule)r);
        if (info->layer != layer || !count[r])
            continue;
        int n = count[r] < p->max_per_rule ? count[r] : p->max_per_rule;
        penalty += p->penalty[info->severity] * n;
    }
    return score_round(penalty >= 1 ? 0 : 1 - penalty);
}

double score_semantic(const verify_result *r, const verify_policy *p)
{
    if (!r)
        return score_round(p->unverified_credit);
    double eq = r->col_counts[VERIFY_EQUAL] + r->node_counts[VERIFY_EQUAL];
    double df = r->col_counts[VERIFY_DIFFERS] + r->node_counts[VERIFY_DIFFERS];
    double un = r->col_counts[VERIFY_UNVERIFIED] + r->node_counts[VERIFY_UNVERIFIED];
    double all = eq + df + un;
    return score_round(all > 0 ? (eq + p->unverified_credit * un) / all : p->unverified_credit);
}

verify_tier score_tier(double composite, const verify_policy *p)
{
    double c = score_round(composite);
    if (c >= p->t_auto_approve)
        return VERIFY_TIER_AUTO_APPROVE;
    if (c >= p->t_pr_review)
        return VERIFY_TIER_PR_REVIEW;
    if (c >= p->t_senior_review)
        return VERIFY_TIER_SENIOR_REVIEW;
    if (c >= p->t_regenerate)
        return VERIFY_TIER_REGENERATE;
    return VERIFY_TIER_REJECT;
}

void score_compose(verify_scores *s, const verify_policy *p, bool migration, bool critical_security)
{
    double c = p->w_syntax * s->layer[VERIFY_LAYER_SYNTAX] + p->w_security * s->layer[VERIFY_LAYER_SECURITY] +
               p->w_semantic * s->layer[VERIFY_LAYER_SEMANTIC] + p->w_performance * s->layer[VERIFY_LAYER_PERFORMANCE];
    s->composite = score_round(c);
    s->tier_by_score = score_tier(s->composite, p);
    s->tier = s->tier_by_score;
    s->capped_by = NULL;
    if (migration && s->tier < p->migration_cap) {
        s->tier = p->migration_cap;
        s->capped_by = "migration";
    }
    if (critical_security && s->tier < p->critical_security_cap) {
        s->tier = p->critical_security_cap;
        s->capped_by = "critical security finding";
    }
}

void verify_assess(verify_assessment *out, const verify_policy *p, verify_target target, const char *text, size_t len,
                   const char *path, const ir_job *legacy, ir_job *const *gen, int n_gen, const verify_result *sem,
                   bool migration)
{
    memset(out, 0, sizeof *out);
    findings_init(&out->findings);
    syntax_layer(&out->findings, p, target, text, len, path, legacy);
    security_layer(&out->findings, p, target, text, len, path, gen, n_gen, legacy);
    perf_layer(&out->findings, p, target, text, len, path, legacy, gen, n_gen);
    findings_sort(&out->findings);
    for (int j = 0; j < n_gen; j++)
        for (int i = 0; i < gen[j]->n_nodes; i++)
            if (gen[j]->nodes[i]->op == IR_OP_TARGET)
                for (int c = 0; c < gen[j]->nodes[i]->n_cols; c++)
                    out->classified += gen[j]->nodes[i]->cols[c].tags != 0;
    bool critical = false;
    for (int i = 0; i < out->findings.n; i++) {
        const verify_rule_info *info = verify_rule_get(out->findings.v[i].rule);
        critical |= info->layer == VERIFY_LAYER_SECURITY && info->severity == VERIFY_SEV_CRITICAL;
    }
    verify_scores *s = &out->scores;
    s->layer[VERIFY_LAYER_SYNTAX] = score_layer(&out->findings, VERIFY_LAYER_SYNTAX, p);
    s->layer[VERIFY_LAYER_SECURITY] = score_layer(&out->findings, VERIFY_LAYER_SECURITY, p);
    s->layer[VERIFY_LAYER_SEMANTIC] = score_semantic(sem, p);
    s->layer[VERIFY_LAYER_PERFORMANCE] = score_layer(&out->findings, VERIFY_LAYER_PERFORMANCE, p);
    score_compose(s, p, migration, critical);
}

void verify_assessment_free(verify_assessment *a)
{
    findings_free(&a->findings);
}

void score_format(double x, char *buf, size_t size)
{
    snprintf(buf, size, "%.4f", score_round(x));
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

void verify_assessment_to_json(const verify_assessment *a, strbuf *sb, int indent)
{
    char num[32];
    const verify_scores *s = &a->scores;
    sb_indent(sb, indent);
    sb_puts(sb, "\"layers\": {");
    for (int l = 0; l < VERIFY_LAYER__COUNT; l++) {
        score_format(s->layer[l], num, sizeof num);
        sb_printf(sb, "%s\"%s\": %s", l ? ", " : "", verify_layer_name((verify_layer)l), num);
    }
    sb_puts(sb, "},\n");
    score_format(s->composite, num, sizeof num);
    sb_indent(sb, indent);
    sb_printf(sb, "\"composite\": %s,\n", num);
    sb_indent(sb, indent);
    sb_printf(sb, "\"tier\": \"%s\",\n", verify_tier_name(s->tier));
    sb_indent(sb, indent);
    sb_printf(sb, "\"tier_by_score\": \"%s\",\n", verify_tier_name(s->tier_by_score));
    if (s->capped_by) {
        sb_indent(sb, indent);
        sb_printf(sb, "\"capped_by\": \"%s\",\n", s->capped_by);
    }
    sb_indent(sb, indent);
    sb_printf(sb, "\"classified_columns\": %d,\n", a->classified);
    sb_indent(sb, indent);
    sb_puts(sb, "\"findings\": [");
    for (int i = 0; i < a->findings.n; i++) {
        const verify_finding *f = &a->findings.v[i];
        const verify_rule_info *info = verify_rule_get(f->rule);
        sb_puts(sb, i ? ",\n" : "\n");
        sb_indent(sb, indent + 2);
        sb_printf(sb, "{\"rule\": \"%s\", \"layer\": \"%s\", \"severity\": \"%s\", \"file\": ", info->id,
                  verify_layer_name(info->layer), verify_severity_name(info->severity));
        sb_put_json_string(sb, f->file);
        sb_printf(sb, ", \"line\": %d, \"col\": %d, \"message\": ", f->line, f->col);
        sb_put_json_string(sb, f->message);
        sb_puts(sb, "}");
    }
    if (a->findings.n) {
        sb_putc(sb, '\n');
        sb_indent(sb, indent);
    }
    sb_puts(sb, "]");
}
