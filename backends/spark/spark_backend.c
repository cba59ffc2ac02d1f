/* spark_backend.c — stub being written. */
#include "backends/backend.h"
static int emit_job(const ir_job *job, const be_options *opt, strbuf *out, be_result *res, diag_ctx *dc)
{ (void)job; (void)opt; (void)out; (void)res; (void)dc; return -1; }
static int emit_expr(const ir_job *job, const ir_expr *e, strbuf *out) { (void)job; (void)e; (void)out; return -1; }
static int supports_fn(ir_fn fn) { (void)fn; return 0; }
const backend spark_backend = {"spark", "spark.py", emit_job, emit_expr, supports_fn};
