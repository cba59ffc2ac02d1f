/*
 * readback.h — the read-back half of the verifier's semantic layer: generated code (or code a
 * person edited) is read back into IR, so verify.h can compare it with the IR of the legacy job.
 *
 *   - PySpark (readback_spark.c): the tree-sitter Python grammar; DataFrame chains become IR
 *     nodes, Column expressions become Spark SQL text lowered by the SQL frontend in the Spark
 *     dialect (so F functions, F.expr strings and spark.sql strings share one mapping).
 *   - Snowflake SQL (readback_snow.c): the SQL frontend in the Snowflake dialect, statement by
 *     statement, as `etlport convert` reads a script.
 *
 * What a reader cannot read becomes an IR_EX_HOLE whose reason starts with "unreadable: "; the
 * comparison reports every column that depends on one as unverified, never equal.
 *
 * Memory: every job returned is the caller's (ir_job_free); nothing keeps a pointer to the text.
 */
#ifndef ETLPORT_VERIFIER_READBACK_H
#define ETLPORT_VERIFIER_READBACK_H

#include <stddef.h>

#include "core/diag.h"
#include "ir/ir.h"

/* Prefix of the reason of every hole a reader makes. */
#define READBACK_UNREADABLE "unreadable: "

/* Receives one job read back; the callee owns it. */
typedef void (*readback_job_fn)(void *userdata, ir_job *job);

/* Reads a PySpark module (text, len bytes; path for messages and spans). The `run` function's
 * body is read when there is one, else the module's top level. schema, when not NULL, gives the
 * columns of tables the code reads without naming them (spark.table("X") used whole) and maps
 * Python parameter variables (p_<snake>) back to job parameters. Returns 0 and a new job in *out
 * (one per module: every write is a target node), or -1 when the text is not Python at all
 * (reported through dc). Constructs it cannot read are holes, never errors. */
int readback_spark(ir_job **out, const char *text, size_t len, const char *path, const ir_job *schema, diag_ctx *dc);

/* Reads one PySpark Column expression (a backend's emit_expr output) into job's arena. A bare
 * column name N reads as resolve(userdata, N) (NULL: a hole). Never NULL: what it cannot read is
 * a hole. */
typedef ir_expr *(*readback_resolve_fn)(void *userdata, ir_job *job, const char *name);
ir_expr *readback_spark_expr(ir_job *job, const char *text, size_t len, const ir_job *schema,
                             readback_resolve_fn resolve, void *userdata);

/* Reads a Snowflake SQL artifact (the file at path) through the SQL frontend in the Snowflake
 * dialect: each INSERT ... SELECT, CREATE TABLE ... AS and MERGE becomes a job handed to on_job.
 * Returns the number of jobs, or -1 when the file cannot be read (reported through dc). */
int readback_snow(const char *path, diag_ctx *dc, readback_job_fn on_job, void *userdata);

/* Reads one Snowflake scalar expression, as readback_spark_expr. */
ir_expr *readback_snow_expr(ir_job *job, const char *text, size_t len, readback_resolve_fn resolve, void *userdata);

#endif
