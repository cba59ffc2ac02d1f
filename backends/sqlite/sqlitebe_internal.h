/* sqlitebe_internal.h — shared between the SQLite backend's query writer and its functions. */
#ifndef ETLPORT_BACKENDS_SQLITEBE_INTERNAL_H
#define ETLPORT_BACKENDS_SQLITEBE_INTERNAL_H

#include <stddef.h>

#include "backends/sqlite/sqlitebe.h"

/* Passed with the call's flags: argument 0 is a date or a timestamp (to_char, trunc). */
#define SQLITEBE_ARG_TEMPORAL (1u << 30)
/* Passed with the call's flags: argument 0 has no type (code read back without a schema); to_char
 * takes it as a date when its value has the form dates have in the data ('YYYY-MM-DD HH:MM:SS'). */
#define SQLITEBE_ARG_UNTYPED (1u << 29)

/* Whether fn has a scalar C implementation registered as etl_<name>. */
bool sqlitebe_fn_has_impl(ir_fn fn);
/* The registered aggregate for fn (etl_stddev ...), or NULL. */
const char *sqlitebe_agg_name(ir_fn fn);

/* ISO date or timestamp text ('YYYY-MM-DD[ HH:MM[:SS[.f]]]') into its fields. */
bool sqlitebe_ts_parse(const char *s, int *y, int *mo, int *d, int *h, int *mi, int *sec, long *ns);
/* The normalized text: 'YYYY-MM-DD HH:MM:SS', a fraction only when not zero (trailing zeros cut). */
void sqlitebe_ts_format(char *buf, size_t size, int y, int mo, int d, int h, int mi, int s, long ns);

#endif
