/*
 * verify_internal.h — small pieces the verifier's files share (not a public header: verify.h and
 * readback.h are).
 */
#ifndef ETLPORT_VERIFIER_VERIFY_INTERNAL_H
#define ETLPORT_VERIFIER_VERIFY_INTERNAL_H

#include "ir/ir.h"

/* A shallow copy of the call e in job's arena with its own argument array (the same argument
 * pointers), for rewriting the arguments of a copy. */
ir_expr *verify_call_copy(ir_job *job, const ir_expr *e);

#endif
