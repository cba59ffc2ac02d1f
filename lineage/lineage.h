/*
 * lineage.h — the lineage graph of a run: the datasets every job reads and writes, their columns,
 * and for each written column the input columns it derives from, typed as OpenLineage's
 * column-lineage facet types them (DIRECT: identity, transformation, aggregation; INDIRECT: join,
 * group by, filter, sort, window, conditional), with the canonical expression and the legacy
 * location. Jobs from different files meet at datasets: names are normalised (case, quoting,
 * database/schema defaults, synonyms), so a table written by one job and read by another is one
 * node. Workflow order (ir_flow) becomes job-order edges. docs/lineage.md describes the model.
 *
 * The graph copies what it needs from each job and flow into its own arena, so the caller frees a
 * job right after lin_add_job: a run never holds more than one job's IR.
 *
 * Output is deterministic: datasets, columns, jobs and edges are written sorted by name.
 */
#ifndef ETLPORT_LINEAGE_LINEAGE_H
#define ETLPORT_LINEAGE_LINEAGE_H

#include <stdbool.h>

#include "core/diag.h"
#include "core/strbuf.h"
#include "ir/ir.h"
#include "ir/ir_flow.h"

/* Edge subtypes: X(ID, "OpenLineage subtype", direct?). The order is the DIRECT ranking used when
 * a value passes several steps: identity < transformation < aggregation. */
#define LIN_SUBTYPES(X)                  \
    X(IDENTITY, "IDENTITY", true)        \
    X(TRANSFORMATION, "TRANSFORMATION", true) \
    X(AGGREGATION, "AGGREGATION", true)  \
    X(JOIN, "JOIN", false)               \
    X(GROUP_BY, "GROUP_BY", false)       \
    X(FILTER, "FILTER", false)           \
    X(SORT, "SORT", false)               \
    X(WINDOW, "WINDOW", false)           \
    X(CONDITIONAL, "CONDITIONAL", false)

typedef enum {
#define X(id, name, direct) LIN_##id,
    LIN_SUBTYPES(X)
#undef X
    LIN_SUB__COUNT
} lin_subtype;

/* "IDENTITY" ... "CONDITIONAL" */
const char *lin_subtype_name(lin_subtype s);
/* Whether the subtype is DIRECT (else INDIRECT). */
bool lin_subtype_direct(lin_subtype s);

typedef struct lin_graph lin_graph;

/* A new, empty graph. */
lin_graph *lin_new(void);
void lin_free(lin_graph *g);

/* Name normalisation settings. A names file has one setting per line ('#' starts a comment):
 *   default_database = NAME   a leading database part equal to NAME is dropped (PROD.DW.T -> DW.T)
 *   default_schema = NAME     a one-part name gets this schema (T -> NAME.T)
 *   ALIAS = NAME              a synonym: ALIAS (normalised) is the dataset NAME (normalised)
 * Returns 0, or -1 after reporting through dc. */
int lin_load_names(lin_graph *g, const char *path, diag_ctx *dc);
void lin_set_default_schema(lin_graph *g, const char *schema);
void lin_set_default_database(lin_graph *g, const char *db);
/* The normalised form of a dataset name, as the graph keys datasets (into out, cleared first). */
void lin_normalize_name(const lin_graph *g, const char *name, strbuf *out);

/* Adds a job: its datasets, the column edges of every target, reads and writes. The caller keeps
 * ownership of job (and may free it as soon as this returns). */
void lin_add_job(lin_graph *g, const ir_job *job);
/* Records a job's source text for the OpenLineage job facets: SQL text (a statement of a script,
 * sql true, dialect may be NULL) or other legacy code (sql false, language e.g. "informatica").
 * The text is copied. Unknown job names are ignored. */
void lin_set_job_code(lin_graph *g, const char *job, const char *text, bool sql, const char *language);
/* Adds a workflow's order: job A runs before job B when a path of the flow's edges (through
 * non-job tasks and sub-flows) leads from A's task to B's task with no job task between. */
void lin_add_flow(lin_graph *g, const ir_flow *flow);

/* Counts for reports and tests. */
typedef struct lin_stats {
    int jobs, datasets, columns, table_edges, job_order_edges;
    int shared_datasets; /* written by one job and read by another */
    int edges[LIN_SUB__COUNT]; /* column edges by subtype */
} lin_stats;
void lin_get_stats(const lin_graph *g, lin_stats *out);

/* ---- outputs ---- */

typedef enum { LIN_LEVEL_TABLE, LIN_LEVEL_COLUMN } lin_level;

typedef struct lin_emit_opts {
    lin_level level;
    /* Restrict diagrams to these datasets (normalised names or fnmatch patterns over them), the
     * jobs touching them and the datasets on those jobs' other side. n_select 0: everything. */
    const char *const *select;
    int n_select;
    /* OpenLineage */
    const char *ns;          /* namespace of jobs and datasets; NULL: "etlport" */
    const char *event_time;  /* eventTime of every event; NULL: LIN_EVENT_TIME */
    const char *source_url;  /* prefix of SourceCodeLocation urls; NULL: "file:" + the path as given */
    /* DOT: every job's cluster has the id "job_<name>" (diff_anchor's form, so pages can link to
     * it); job_href, when set, gives the page the cluster links to (NULL: no link; the text is
     * copied at once). */
    const char *(*job_href)(void *userdata, const char *job);
    void *job_href_data;
} lin_emit_opts;

/* The fixed eventTime of static events when none is given: they describe code, not a run. */
#define LIN_EVENT_TIME "1970-01-01T00:00:00Z"
/* The producer URI written in events and facets. */
#define LIN_PRODUCER "urn:etlport:lineage:1"

/* The whole graph as JSON (docs/lineage.md, "lineage.json"). */
void lin_to_json(const lin_graph *g, strbuf *out);
/* Graphviz DOT text, clustered by job. */
void lin_to_dot(const lin_graph *g, const lin_emit_opts *o, strbuf *out);
/* Markdown with a Mermaid flowchart. */
void lin_to_mermaid(const lin_graph *g, const lin_emit_opts *o, strbuf *out);
/* A JSON array of OpenLineage static events: a JobEvent per job, a DatasetEvent per dataset. */
void lin_to_openlineage(const lin_graph *g, const lin_emit_opts *o, strbuf *out);

/* Lays DOT text out once with Graphviz (cgraph/gvc) and renders it in each of n formats ("svg",
 * "png"): outs[i] is malloc'd (free with free()), lens[i] its size. Returns 0, or -1 with a
 * message in err and nothing in outs.
 *
 * Graphviz 2.43 orders some cluster work by heap address, so the picture is byte-identical from
 * run to run only in a process whose heap has not been used much yet: `etlport lineage` renders
 * in a fresh child process of itself for that reason (cli/cmd_lineage.c). */
int lin_render(char **outs, size_t *lens, const char *dot, const char *const *formats, int n, strbuf *err);

/* ---- impact queries ---- */

typedef struct lin_query {
    const char *target;  /* DATASET or DATASET.COLUMN, as a user writes it */
    bool downstream;     /* false: upstream */
    int depth;           /* hops; 0 or less: unlimited */
} lin_query;

/* Runs a query and appends its answer, as text or JSON. Returns 0, or -1 when the dataset or
 * column is not in the graph (the message is in out). */
int lin_query_run(const lin_graph *g, const lin_query *q, bool json, strbuf *out);

#endif
