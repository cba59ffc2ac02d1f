/*
 * policy.c — see policy.h. The built-in defaults are one table each (heuristic words, tier names);
 * the reader walks a cJSON tree and overrides field by field, naming the JSON path of any value it
 * rejects. Everything the policy keeps lives in its arena.
 */
#include "verifier/policy.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tier_names[VERIFY_TIER__COUNT] = {"auto_approve", "pr_review", "senior_review",
                                                           "regenerate", "reject"};
static const char *const severity_names[VERIFY_SEV__COUNT] = {"critical", "high", "medium", "low"};
static const char *const tag_names[] = {"PII", "PCI", "PHI"};

const char *verify_tier_name(verify_tier t)
{
    return t >= 0 && t < VERIFY_TIER__COUNT ? tier_names[t] : "?";
}

int verify_tier_from_name(const char *name)
{
    for (int i = 0; name && i < VERIFY_TIER__COUNT; i++)
        if (strcmp(name, tier_names[i]) == 0)
            return i;
    return -1;
}

const char *verify_severity_name(verify_severity s)
{
    return s >= 0 && s < VERIFY_SEV__COUNT ? severity_names[s] : "?";
}

/* The built-in name heuristics: a word of the column name and its tags. */
static const struct {
    const char *word;
    uint32_t tags;
    bool temporal_only;
} default_heuristics[] = {
    {"EMAIL", IR_TAG_PII, false},         {"E_MAIL", IR_TAG_PII, false},
    {"SSN", IR_TAG_PII, false},           {"SOCIAL_SECURITY", IR_TAG_PII, false},
    {"TAX_ID", IR_TAG_PII, false},        {"NATIONAL_ID", IR_TAG_PII, false},
    {"PASSPORT", IR_TAG_PII, false},      {"PHONE", IR_TAG_PII, false},
    {"MOBILE", IR_TAG_PII, false},        {"DOB", IR_TAG_PII, false},
    {"BIRTH_DATE", IR_TAG_PII, false},    {"DATE_OF_BIRTH", IR_TAG_PII, false},
    {"BIRTHDATE", IR_TAG_PII, false},     {"BIRTH", IR_TAG_PII, true},
    {"FIRST_NAME", IR_TAG_PII, false},    {"LAST_NAME", IR_TAG_PII, false},
    {"FULL_NAME", IR_TAG_PII, false},     {"ADDRESS_LINE", IR_TAG_PII, false},
    {"ADDR_LINE", IR_TAG_PII, false},     {"STREET", IR_TAG_PII, false},
    {"CARD_NUMBER", IR_TAG_PCI, false},   {"CARD_NO", IR_TAG_PCI, false},
    {"CARD_NUM", IR_TAG_PCI, false},      {"PAN", IR_TAG_PCI, false},
    {"CC_NUMBER", IR_TAG_PCI, false},     {"CREDIT_CARD", IR_TAG_PCI, false},
    {"CVV", IR_TAG_PCI, false},           {"CVC", IR_TAG_PCI, false},
    {"DIAGNOSIS", IR_TAG_PHI, false},     {"DIAG_CODE", IR_TAG_PHI, false},
    {"ICD_CODE", IR_TAG_PHI, false},      {"ICD10", IR_TAG_PHI, false},
    {"MEDICAL_RECORD", IR_TAG_PHI, false}, {"MRN", IR_TAG_PHI, false},
    {"PRESCRIPTION", IR_TAG_PHI, false},  {"HEALTH_CONDITION", IR_TAG_PHI, false},
};
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

void policy_init(verify_policy *p)
{
    memset(p, 0, sizeof *p);
    p->arena = arena_new();
    p->w_syntax = 0.20;
    p->w_security = 0.35;
    p->w_semantic = 0.30;
    p->w_performance = 0.15;
    p->t_auto_approve = 0.95;
    p->t_pr_review = 0.80;
    p->t_senior_review = 0.65;
    p->t_regenerate = 0.50;
    p->migration_cap = VERIFY_TIER_PR_REVIEW;
    p->critical_security_cap = VERIFY_TIER_REJECT;
    p->penalty[VERIFY_SEV_CRITICAL] = 1.0;
    p->penalty[VERIFY_SEV_HIGH] = 0.30;
    p->penalty[VERIFY_SEV_MEDIUM] = 0.10;
    p->penalty[VERIFY_SEV_LOW] = 0.02;
    p->max_per_rule = 3;
    p->unverified_credit = 0.5;
    p->max_line = 120;
    p->production = true;
    p->large_table_rows = 1000000;
    p->assumed_rows = 100000;
    p->max_estimated_rows = 1000000000;
    p->n_heuristics = N_OF(default_heuristics);
    p->heuristics = arena_alloc(p->arena, sizeof *p->heuristics * (size_t)p->n_heuristics);
    for (int i = 0; i < p->n_heuristics; i++) {
        p->heuristics[i].pattern = default_heuristics[i].word;
        p->heuristics[i].tags = default_heuristics[i].tags;
        p->heuristics[i].temporal_only = default_heuristics[i].temporal_only;
    }
}

void policy_free(verify_policy *p)
{
    if (p->arena)
        arena_free(p->arena);
    memset(p, 0, sizeof *p);
}

int policy_set_profile(verify_policy *p, const char *name)
{
    if (strcmp(name, "production") == 0)
        p->production = true;
    else if (strcmp(name, "non-production") == 0)
        p->production = false;
    else
        return -1;
    return 0;
}

/* ---- reading ---- */

typedef struct reader {
    verify_policy *p;
    const char *path;
    diag_ctx *dc;
    int errors;
} reader;

static void bad(reader *r, const char *field, const char *what)
{
    r->errors++;
    if (r->dc)
        diag_at(r->dc, DIAG_ERROR, NULL, r->path, 0, 0, "%s: %s", field, what);
}

static void get_number(reader *r, const cJSON *obj, const char *key, const char *field, double lo, double hi,
                       double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return;
    if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi) {
        char what[96];
        snprintf(what, sizeof what, "expected a number from %g to %g", lo, hi);
        bad(r, field, what);
        return;
    }
    *out = v->valuedouble;
}

static void get_int64(reader *r, const cJSON *obj, const char *key, const char *field, int64_t *out)
{
    double d = (double)*out;
    get_number(r, obj, key, field, 0, 9.0e18, &d);
    *out = (int64_t)d;
}

static void get_tier(reader *r, const cJSON *obj, const char *key, const char *field, verify_tier *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return;
    int t = cJSON_IsString(v) ? verify_tier_from_name(v->valuestring) : -1;
    if (t < 0) {
        bad(r, field, "expected a tier: auto_approve, pr_review, senior_review, regenerate or reject");
        return;
    }
    *out = (verify_tier)t;
}

static uint32_t read_tags(reader *r, const cJSON *v, const char *field)
{
    uint32_t tags = 0;
    const cJSON *t;
    if (!cJSON_IsArray(v)) {
        bad(r, field, "expected an array of tags (PII, PCI, PHI)");
        return 0;
    }
    cJSON_ArrayForEach(t, v)
    {
        int k = -1;
        for (int i = 0; cJSON_IsString(t) && i < N_OF(tag_names); i++)
            if (strcmp(t->valuestring, tag_names[i]) == 0)
                k = i;
        if (k < 0)
            bad(r, field, "unknown tag (PII, PCI or PHI)");
        else
            tags |= 1u << k;
    }
    return tags;
}

static char *upper_dup(arena *a, const char *s)
{
    char *u = arena_strdup(a, s);
    for (char *c = u; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    return u;
}

static void read_rules(reader *r, const cJSON *root, const char *key, const char *pattern_key,
                       policy_class_rule **out, int *n_out)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!arr)
        return;
    if (!cJSON_IsArray(arr)) {
        bad(r, key, "expected an array");
        return;
    }
    int n = cJSON_GetArraySize(arr), k = 0;
    policy_class_rule *v = arena_alloc(r->p->arena, sizeof *v * (size_t)(n ? n : 1));
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        char field[64];
        snprintf(field, sizeof field, "%s[%d]", key, k);
        const cJSON *pat = cJSON_GetObjectItemCaseSensitive(it, pattern_key);
        if (!cJSON_IsString(pat) || !pat->valuestring[0]) {
            char what[64];
            snprintf(what, sizeof what, "expected a non-empty string \"%s\"", pattern_key);
            bad(r, field, what);
            continue;
        }
        v[k].pattern = upper_dup(r->p->arena, pat->valuestring);
        v[k].tags = read_tags(r, cJSON_GetObjectItemCaseSensitive(it, "tags"), field);
        v[k].temporal_only = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "temporal_only"));
        k++;
    }
    *out = v;
    *n_out = k;
}

int policy_load_text(verify_policy *p, const char *text, size_t len, const char *path, diag_ctx *dc)
{
    reader r = {p, path, dc, 0};
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!cJSON_IsObject(root)) {
        int line = 1, col = 1;
        for (const char *c = text; end && c < end && c < text + len; c++) {
            if (*c == '\n') {
                line++;
                col = 1;
            } else
                col++;
        }
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, path, root ? 1 : line, root ? 1 : col,
                    root ? "a policy is a JSON object" : "not valid JSON");
        cJSON_Delete(root);
        return -1;
    }
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "weights");
    get_number(&r, w, "syntax", "weights.syntax", 0, 1, &p->w_syntax);
    get_number(&r, w, "security", "weights.security", 0, 1, &p->w_security);
    get_number(&r, w, "semantic", "weights.semantic", 0, 1, &p->w_semantic);
    get_number(&r, w, "performance", "weights.performance", 0, 1, &p->w_performance);
    double sum = p->w_syntax + p->w_security + p->w_semantic + p->w_performance;
    if (sum < 0.999 || sum > 1.001)
        bad(&r, "weights", "the four weights must add up to 1");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "tiers");
    get_number(&r, t, "auto_approve", "tiers.auto_approve", 0, 1, &p->t_auto_approve);
    get_number(&r, t, "pr_review", "tiers.pr_review", 0, 1, &p->t_pr_review);
    get_number(&r, t, "senior_review", "tiers.senior_review", 0, 1, &p->t_senior_review);
    get_number(&r, t, "regenerate", "tiers.regenerate", 0, 1, &p->t_regenerate);
    if (!(p->t_auto_approve >= p->t_pr_review && p->t_pr_review >= p->t_senior_review &&
          p->t_senior_review >= p->t_regenerate))
        bad(&r, "tiers", "thresholds must not increase from auto_approve to regenerate");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "caps");
    get_tier(&r, c, "migration", "caps.migration", &p->migration_cap);
    get_tier(&r, c, "critical_security", "caps.critical_security", &p->critical_security_cap);
    const cJSON *pen = cJSON_GetObjectItemCaseSensitive(root, "penalties");
    for (int i = 0; i < VERIFY_SEV__COUNT; i++) {
        char field[48];
        snprintf(field, sizeof field, "penalties.%s", severity_names[i]);
        get_number(&r, pen, severity_names[i], field, 0, 1, &p->penalty[i]);
    }
    double mpr = p->max_per_rule;
    get_number(&r, pen, "max_per_rule", "penalties.max_per_rule", 1, 1000, &mpr);
    p->max_per_rule = (int)mpr;
    const cJSON *sem = cJSON_GetObjectItemCaseSensitive(root, "semantic");
    get_number(&r, sem, "unverified_credit", "semantic.unverified_credit", 0, 1, &p->unverified_credit);
    const cJSON *sty = cJSON_GetObjectItemCaseSensitive(root, "style");
    double ml = p->max_line;
    get_number(&r, sty, "max_line", "style.max_line", 40, 100000, &ml);
    p->max_line = (int)ml;
    const cJSON *prof = cJSON_GetObjectItemCaseSensitive(root, "profile");
    if (prof && (!cJSON_IsString(prof) || policy_set_profile(p, prof->valuestring) < 0))
        bad(&r, "profile", "expected \"production\" or \"non-production\"");
    const cJSON *sla = cJSON_GetObjectItemCaseSensitive(root, "sla");
    get_int64(&r, sla, "large_table_rows", "sla.large_table_rows", &p->large_table_rows);
    get_int64(&r, sla, "assumed_rows", "sla.assumed_rows", &p->assumed_rows);
    get_int64(&r, sla, "max_estimated_rows", "sla.max_estimated_rows", &p->max_estimated_rows);
    read_rules(&r, root, "classification", "match", &p->classes, &p->n_classes);
    read_rules(&r, root, "heuristics", "word", &p->heuristics, &p->n_heuristics);
    cJSON_Delete(root);
    return r.errors ? -1 : 0;
}

static int load_file(const char *path, diag_ctx *dc, srcfile **out)
{
    if (srcfile_load(out, path) < 0) {
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int policy_load(verify_policy *p, const char *path, diag_ctx *dc)
{
    srcfile *f = NULL;
    if (load_file(path, dc, &f) < 0)
        return -1;
    int rc = policy_load_text(p, f->text, f->len, path, dc);
    srcfile_free(f);
    return rc;
}

int policy_load_stats(verify_policy *p, const char *path, diag_ctx *dc)
{
    srcfile *f = NULL;
    if (load_file(path, dc, &f) < 0)
        return -1;
    cJSON *root = cJSON_ParseWithLength(f->text, f->len);
    const cJSON *tables = cJSON_GetObjectItemCaseSensitive(root, "tables");
    int rc = 0;
    if (!cJSON_IsObject(tables)) {
        if (dc)
            diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "expected {\"tables\": {\"NAME\": rows, ...}}");
        rc = -1;
        goto done;
    }
    int n = cJSON_GetArraySize(tables), k = 0;
    policy_table_rows *v = arena_alloc(p->arena, sizeof *v * (size_t)(n ? n : 1));
    const cJSON *it;
    cJSON_ArrayForEach(it, tables)
    {
        if (!cJSON_IsNumber(it) || it->valuedouble < 0) {
            if (dc)
                diag_at(dc, DIAG_ERROR, NULL, path, 0, 0, "tables.%s: expected a row count", it->string);
            rc = -1;
            continue;
        }
        v[k].name = upper_dup(p->arena, it->string);
        v[k].rows = (int64_t)it->valuedouble;
        k++;
    }
    p->tables = v;
    p->n_tables = k;
done:
    cJSON_Delete(root);
    srcfile_free(f);
    return rc;
}

/* ---- matching ---- */

/* Case-insensitive glob: '*' any run of characters, '?' one; pattern is upper case. */
static bool glob_match(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat == '?' || *pat == toupper((unsigned char)*s)) {
            pat++;
            s++;
        } else if (star) {
            pat = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

/* Whether word (upper case, words joined by '_') is a run of whole words of name: the name's
 * letters and digits upper-cased, every other character a word break. */
static bool word_match(const char *word, const char *name)
{
    char norm[256];
    size_t n = 0;
    for (const char *c = name; *c && n + 1 < sizeof norm; c++)
        norm[n++] = isalnum((unsigned char)*c) ? (char)toupper((unsigned char)*c) : '_';
    norm[n] = '\0';
    size_t w = strlen(word);
    for (const char *at = strstr(norm, word); at; at = strstr(at + 1, word)) {
        bool left = at == norm || at[-1] == '_';
        bool right = at[w] == '\0' || at[w] == '_';
        if (left && right)
            return true;
    }
    return false;
}

uint32_t policy_classify(const verify_policy *p, const char *dataset, const char *column, ir_type type)
{
    uint32_t tags = 0;
    if (!column)
        return 0;
    char full[512];
    for (int i = 0; i < p->n_classes; i++) {
        const char *pat = p->classes[i].pattern;
        bool hit = false;
        if (dataset) {
            snprintf(full, sizeof full, "%s.%s", dataset, column);
            hit = glob_match(pat, full);
            const char *dot = strrchr(dataset, '.');
            if (!hit && dot) {
                snprintf(full, sizeof full, "%s.%s", dot + 1, column);
                hit = glob_match(pat, full);
            }
        }
        if (!hit && !dataset) /* a name in code text, its dataset unknown: the column part decides */
            hit = glob_match(strrchr(pat, '.') ? strrchr(pat, '.') + 1 : pat, column);
        else if (!hit && !strchr(pat, '.'))
            hit = glob_match(pat, column);
        if (hit)
            tags |= p->classes[i].tags;
    }
    for (int i = 0; i < p->n_heuristics; i++) {
        const policy_class_rule *h = &p->heuristics[i];
        if (h->temporal_only && !ir_type_is_temporal(type))
            continue;
        if (word_match(h->pattern, column))
            tags |= h->tags;
    }
    return tags;
}

int64_t policy_table_rows_of(const verify_policy *p, const char *table)
{
    if (!table)
        return -1;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < p->n_tables; i++) {
            const char *name = p->tables[i].name, *t = table;
            if (pass == 1) {
                const char *a = strrchr(name, '.'), *b = strrchr(table, '.');
                name = a ? a + 1 : name;
                t = b ? b + 1 : table;
            }
            bool same = true;
            size_t k = 0;
            for (; name[k] && t[k]; k++)
                if (toupper((unsigned char)name[k]) != toupper((unsigned char)t[k])) {
                    same = false;
                    break;
                }
            if (same && !name[k] && !t[k])
                return p->tables[i].rows;
        }
    return -1;
}

const char *policy_tags_text(uint32_t tags, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < N_OF(tag_names); i++)
        if (tags & (1u << i))
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? "," : "", tag_names[i]);
    return buf;
}

/* ---- writing ---- */

static void put_tags(strbuf *sb, uint32_t tags)
{
    sb_puts(sb, "[");
    int k = 0;
    for (int i = 0; i < N_OF(tag_names); i++)
        if (tags & (1u << i))
            sb_printf(sb, "%s\"%s\"", k++ ? ", " : "", tag_names[i]);
    sb_puts(sb, "]");
}

static void put_rules(strbuf *sb, const char *key, const char *pattern_key, const policy_class_rule *v, int n)
{
    sb_printf(sb, "  \"%s\": [", key);
    for (int i = 0; i < n; i++) {
        sb_printf(sb, "%s\n    {\"%s\": ", i ? "," : "", pattern_key);
        sb_put_json_string(sb, v[i].pattern);
        sb_puts(sb, ", \"tags\": ");
        put_tags(sb, v[i].tags);
        if (v[i].temporal_only)
            sb_puts(sb, ", \"temporal_only\": true");
        sb_puts(sb, "}");
    }
    sb_puts(sb, n ? "\n  ]" : "]");
}

void policy_to_json(const verify_policy *p, strbuf *sb)
{
    sb_puts(sb, "{\n  \"policy_version\": 1,\n");
    sb_printf(sb, "  \"profile\": \"%s\",\n", p->production ? "production" : "non-production");
    sb_printf(sb, "  \"weights\": {\"syntax\": %.4g, \"security\": %.4g, \"semantic\": %.4g, \"performance\": %.4g},\n",
              p->w_syntax, p->w_security, p->w_semantic, p->w_performance);
    sb_printf(sb, "  \"tiers\": {\"auto_approve\": %.4g, \"pr_review\": %.4g, \"senior_review\": %.4g, \"regenerate\": %.4g},\n",
              p->t_auto_approve, p->t_pr_review, p->t_senior_review, p->t_regenerate);
    sb_printf(sb, "  \"caps\": {\"migration\": \"%s\", \"critical_security\": \"%s\"},\n",
              verify_tier_name(p->migration_cap), verify_tier_name(p->critical_security_cap));
    sb_puts(sb, "  \"penalties\": {");
    for (int i = 0; i < VERIFY_SEV__COUNT; i++)
        sb_printf(sb, "\"%s\": %.4g, ", severity_names[i], p->penalty[i]);
    sb_printf(sb, "\"max_per_rule\": %d},\n", p->max_per_rule);
    sb_printf(sb, "  \"semantic\": {\"unverified_credit\": %.4g},\n", p->unverified_credit);
    sb_printf(sb, "  \"style\": {\"max_line\": %d},\n", p->max_line);
    sb_printf(sb, "  \"sla\": {\"large_table_rows\": %lld, \"assumed_rows\": %lld, \"max_estimated_rows\": %lld},\n",
              (long long)p->large_table_rows, (long long)p->assumed_rows, (long long)p->max_estimated_rows);
    put_rules(sb, "classification", "match", p->classes, p->n_classes);
    sb_puts(sb, ",\n");
    put_rules(sb, "heuristics", "word", p->heuristics, p->n_heuristics);
    sb_puts(sb, "\n}\n");
}
