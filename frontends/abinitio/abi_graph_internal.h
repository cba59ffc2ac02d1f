/*
 * abi_graph_internal.h — internal to frontends/abinitio: helpers the .mp and deployed-script
 * readers share to build the graph model (abi_graph.c), and file loading for the sandbox.
 */
#ifndef ETLPORT_FRONTENDS_ABINITIO_ABI_GRAPH_INTERNAL_H
#define ETLPORT_FRONTENDS_ABINITIO_ABI_GRAPH_INTERNAL_H

#include "frontends/abinitio/abi_graph.h"

abi_comp *abi_graph_add_comp(abi_graph *g, arena *a, const char *name, int line, int col);
int abi_graph_comp_index(const abi_graph *g, const char *name);
abi_flow *abi_graph_add_flow(abi_graph *g, arena *a, int from, const char *from_port, int to, const char *to_port,
                             int line, int col);
/* Sets (or replaces) a parameter in a parameter vector. */
abi_gparam *abi_params_add(abi_gparam **v, int *n, int *cap, arena *a, const char *name, const char *value);
abi_gparam *abi_comp_set(abi_comp *c, arena *a, const char *name, const char *value);
const abi_gparam *abi_comp_param(const abi_comp *c, const char *name);
/* The value of a parameter, or NULL when absent or empty. */
const char *abi_comp_value(const abi_comp *c, const char *name);
void abi_comp_add_port(abi_comp *c, arena *a, const char *name, bool is_out);
/* The component an mp command name / a template path stands for, or NULL. */
const char *abi_kind_from_mpname(const char *mpname);
const char *abi_kind_from_template(const char *path);
/* The next logical line of a shell script at *pos: physical lines joined where one ends in a
 * backslash (which becomes a blank), CRs dropped. *line counts physical lines read so far, *first
 * gets the number of the logical line's first one. NULL at the end of the text. */
char *abi_shell_line(arena *a, const char *text, size_t len, size_t *pos, int *line, int *first);
/* Whether component ci is a Run SQL that no flow touches (read by abi_graph_run_sql, not by the
 * job's lowering). */
bool abi_run_sql_apart(const abi_graph *g, int ci);
/* The edge condition "task's status is status" of a flow (`<task>.status = 'SUCCEEDED'`). */
ir_expr *abi_flow_status_is(ir_flow *f, const char *task, const char *status);
/* Reads a whole file into the arena (NUL-terminated); NULL when it cannot be read. */
char *abi_read_file(arena *a, const char *path, size_t *len);

#endif
