/*
 * datefmt.h — the canonical date format. Frontends translate their dialect's format models into
 * it; backends translate it out (Snowflake format models, Spark datetime patterns). A canonical
 * format is a string of these tokens and literals:
 *
 *   YYYY four-digit year     YY two-digit year       RR two-digit year, Oracle/Informatica century rule
 *   MM month 01-12           MON Jan..Dec            MONTH January..December
 *   DD day of month 01-31    DDD day of year         DY Mon..Sun    DAY Monday..Sunday
 *   HH24 hour 00-23          HH12 hour 01-12         AM meridian (AM/PM)
 *   MI minute                SS second               FF3 / FF6 / FF9 milli- / micro- / nanoseconds
 *   literal punctuation and blanks: - / : . , ; space T    any other literal text in "double quotes"
 *
 * Tokens are upper case; matching is greedy in the order above (MONTH before MON before MM).
 */
#ifndef ETLPORT_IR_DATEFMT_H
#define ETLPORT_IR_DATEFMT_H

#include <stddef.h>

typedef enum {
    DF_END, DF_LIT, DF_YYYY, DF_YY, DF_RR, DF_MM, DF_MON, DF_MONTH, DF_DD, DF_DDD, DF_DY, DF_DAY,
    DF_HH24, DF_HH12, DF_AM, DF_MI, DF_SS, DF_FF3, DF_FF6, DF_FF9, DF_BAD
} df_token;

/* Reads the next token of a canonical format at *p and advances *p. For DF_LIT, *lit and *lit_len
 * give the literal text (without quotes). DF_BAD: a character that is neither a token nor a
 * permitted literal. DF_END at the end. */
df_token df_next(const char **p, const char **lit, size_t *lit_len);

#endif
