/* datefmt.c — tokenizer of the canonical date format (datefmt.h). */
#include "ir/datefmt.h"

#include <string.h>

static const struct {
    const char *text;
    df_token tok;
} tokens[] = {
    {"YYYY", DF_YYYY}, {"YY", DF_YY}, {"RR", DF_RR}, {"MONTH", DF_MONTH}, {"MON", DF_MON},
    {"MM", DF_MM}, {"MI", DF_MI}, {"DDD", DF_DDD}, {"DD", DF_DD}, {"DY", DF_DY}, {"DAY", DF_DAY},
    {"HH24", DF_HH24}, {"HH12", DF_HH12}, {"AM", DF_AM}, {"SS", DF_SS}, {"FF3", DF_FF3},
    {"FF6", DF_FF6}, {"FF9", DF_FF9},
};

df_token df_next(const char **p, const char **lit, size_t *lit_len)
{
    const char *s = *p;
    *lit = NULL;
    *lit_len = 0;
    if (!*s)
        return DF_END;
    if (*s == '"') {
        const char *e = strchr(s + 1, '"');
        if (!e)
            return DF_BAD;
        *lit = s + 1;
        *lit_len = (size_t)(e - s - 1);
        *p = e + 1;
        return DF_LIT;
    }
    /* DAY must win over DD + literal 'AY'; MONTH over MON; order in the table is the priority,
     * except that DAY/DDD/DY are checked before DD */
    static const df_token prio_d[] = {DF_DAY, DF_DDD, DF_DY, DF_DD};
    if (*s == 'D') {
        for (size_t k = 0; k < sizeof prio_d / sizeof prio_d[0]; k++)
            for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
                if (tokens[i].tok == prio_d[k] && strncmp(s, tokens[i].text, strlen(tokens[i].text)) == 0) {
                    *p = s + strlen(tokens[i].text);
                    return tokens[i].tok;
                }
    }
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
        size_t n = strlen(tokens[i].text);
        if (strncmp(s, tokens[i].text, n) == 0) {
            *p = s + n;
            return tokens[i].tok;
        }
    }
    if (strchr("-/:.,; T", *s)) {
        *lit = s;
        *lit_len = 1;
        *p = s + 1;
        return DF_LIT;
    }
    *p = s + 1;
    return DF_BAD;
}
