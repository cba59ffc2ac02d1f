/*
 * airflow_internal.h — what the two halves of the Airflow backend share: the DAG writer
 * (airflow_dag.c) and the translation of flow conditions into Python (airflow_expr.c).
 */
#ifndef ETLPORT_BACKENDS_AIRFLOW_AIRFLOW_INTERNAL_H
#define ETLPORT_BACKENDS_AIRFLOW_AIRFLOW_INTERNAL_H

#include "backends/airflow/airflow.h"

/* How a condition's names resolve while it is translated. */
typedef struct af_scope {
    const ir_flow *flow;
    /* full task_id (TaskGroup prefixes included) of each task of flow, by index; NULL for a
     * sub-flow task (a TaskGroup has no status of its own) */
    char *const *task_ids;
    /* whether the task at each index is disabled (its status reads 'DISABLED') */
    const bool *disabled;
} af_scope;

/* Appends e as a Python expression over the helpers every DAG with conditions defines
 * (_status, _decision, _var, _concat, _to_char, _date_add; docs/airflow.md). Returns 0, or -1 when e has no Python
 * form, with *why set to a static reason (out then holds a partial text the caller discards). */
int af_expr(strbuf *out, const af_scope *sc, const ir_expr *e, const char **why);

/* Appends s as a Python string literal. Bytes that are not UTF-8 (a legacy file in another
 * encoding) are read as Latin-1, so the module always compiles. */
void af_py_string(strbuf *out, const char *s);
/* The length of the valid UTF-8 sequence s starts with (1..4), or 0. */
int af_utf8_len(const char *s);

/* Appends s as Python string literal lines for an argument: one quoted literal per source line,
 * in parentheses when there is more than one, continuation lines indented by indent. */
void af_put_py_text(strbuf *out, const char *s, int indent);

#endif
