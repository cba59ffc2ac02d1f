/*
 * infa_internal.h — the Informatica frontend's own compact model of a PowerCenter export, shared by
 * the XML reader (infa_xml.c), the lowering to IR (infa_lower.c), the workflows (infa_wf.c) and
 * the parameter files (infa_params.c). Nothing here is public: frontends/frontend.h is the frontend's interface.
 *
 * Memory: folder-level definitions (sources, targets, reusable transformations, mapplets,
 * shortcuts) live in the file arena (infa_file.arena) for the whole read; each MAPPING is read
 * into its own scratch arena, lowered to IR and freed, so memory is bounded by the file's
 * definitions plus the largest mapping. Strings are copies of the decoded attribute values.
 */
#ifndef ETLPORT_FRONTENDS_INFORMATICA_INFA_INTERNAL_H
#define ETLPORT_FRONTENDS_INFORMATICA_INFA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "frontends/frontend.h"
#include "ir/ir.h"

/* ---- a small string map (case-insensitive keys, as Informatica names are) ---- */

typedef struct infa_map {
    const char **keys;
    void **vals;
    size_t cap, n;
} infa_map;

void infa_map_put(arena *a, infa_map *m, const char *key, void *val); /* replaces an equal key */
void *infa_map_get(const infa_map *m, const char *key);
bool infa_strieq(const char *a, const char *b);

/* ---- the compact model ---- */

/* A TABLEATTRIBUTE / ATTRIBUTE: NAME, VALUE and where it was. */
typedef struct infa_attr {
    const char *name, *value;
    int line;
} infa_attr;

/* SOURCEFIELD, TARGETFIELD or TRANSFORMFIELD: the attributes the lowering uses. */
typedef struct infa_field {
    const char *name;
    const char *datatype;
    const char *porttype;      /* TRANSFORMFIELD: "INPUT/OUTPUT", "LOOKUP/RETURN/OUTPUT", ... */
    const char *expr;          /* EXPRESSION, NULL when absent */
    const char *exprtype;      /* EXPRESSIONTYPE: GENERAL, GROUPBY, RANKPORT, RANKINDEX */
    const char *defval;        /* DEFAULTVALUE */
    const char *group;         /* GROUP (router, union) */
    const char *ref_field;     /* REF_FIELD (router outputs, mapplet interface ports) */
    const char *mappletgroup;  /* MAPPLETGROUP: the Input/Output transformation of a mapplet port */
    const char *ref_src_field; /* REF_SOURCE_FIELD (normalizer) */
    const char *keytype;       /* KEYTYPE of source/target fields */
    const char *ref_table, *ref_column; /* foreign keys: REFERENCEDTABLE, REFERENCEDFIELD */
    bool not_null;             /* NULLABLE="NOTNULL" */
    bool sort_key, sort_desc;  /* sorter: ISSORTKEY, SORTDIRECTION */
    int precision, scale, occurs;
    int phys_offset, phys_length;
    const char *seqgen_value;  /* SEQUENCE_GENERATOR_VALUE (normalizer generated key) */
    int line;                  /* the element's line */
} infa_field;

/* A router / union / custom transformation GROUP. */
typedef struct infa_group {
    const char *name, *type, *expr;
    int order, line;
} infa_group;

enum { INFA_DEF_SOURCE, INFA_DEF_TARGET, INFA_DEF_TRANSFORMATION };

/* A SOURCE, TARGET or TRANSFORMATION definition. */
typedef struct infa_def {
    int kind;                  /* INFA_DEF_* */
    const char *name, *type;   /* type: TRANSFORMATION TYPE ("Expression"...), "Source Definition", "Target Definition" */
    const char *template_name; /* Custom Transformation TEMPLATENAME ("Union Transformation") */
    const char *dbdname, *owner, *dbtype, *description;
    const char *folder;
    infa_field *fields;
    int n_fields;
    infa_attr *attrs;
    int n_attrs;
    infa_group *groups;
    int n_groups;
    /* flat files (FLATFILE element) */
    bool flatfile, delimited, fixed_width;
    const char *delimiters, *quote, *codepage;
    int skip_rows;
    bool reusable;
    bool known_type;           /* false: TYPE not known to this frontend (reported when read) */
    int line;
} infa_def;

/* An INSTANCE of a mapping or mapplet. */
typedef struct infa_inst {
    const char *name, *tx_name, *tx_type, *type; /* type: SOURCE, TARGET, TRANSFORMATION, MAPPLET */
    const char *dbdname;
    const char **assoc; /* ASSOCIATED_SOURCE_INSTANCE names */
    int n_assoc;
    infa_attr *attrs;   /* instance-level TABLEATTRIBUTE overrides */
    int n_attrs;
    bool reusable;
    int line;
} infa_inst;

typedef struct infa_conn {
    const char *from_inst, *from_field, *from_type, *to_inst, *to_field, *to_type;
    int line;
} infa_conn;

typedef struct infa_var {
    const char *name; /* as written, with $$ */
    const char *datatype, *defval, *aggfunction;
    int precision, scale;
    bool is_param;
    int line;
} infa_var;

/* A MAPPING or a MAPPLET. */
typedef struct infa_mapping {
    const char *name, *description, *folder;
    bool is_mapplet;
    bool invalid;    /* ISVALID="NO": the designer flagged it; expression problems are warnings */
    infa_def **defs; /* transformations defined inline */
    int n_defs;
    infa_map def_by_name;
    infa_inst *insts;
    int n_insts;
    infa_conn *conns;
    int n_conns;
    infa_var *vars;
    int n_vars;
    int line;
    arena *arena;    /* owns the mapping (the file arena for mapplets) */
} infa_mapping;

typedef struct infa_shortcut {
    const char *name, *folder, *refobject, *objtype, *objsubtype, *dbdname;
    int line;
} infa_shortcut;

/* An element kept as it was exported (workflow objects, read by infa_wf.c): tag, attributes in
 * document order with decoded values, child elements in order, and the line of its start tag. */
typedef struct infa_elem {
    const char *tag;
    const char **attr_names, **attr_values;
    int n_attrs;
    struct infa_elem **kids;
    int n_kids;
    int line;
} infa_elem;

typedef struct infa_folder {
    const char *name;
    infa_map sources, targets, txs, mapplets, shortcuts;
    /* workflow objects defined at folder level (reusable): SESSION, TASK, WORKLET, SCHEDULER,
       CONFIG (infa_elem *) by name */
    infa_map sessions, tasks, worklets, schedulers, configs;
    infa_map mappings; /* names of the MAPPINGs read in this folder (value: the name) */
} infa_folder;

/* A WORKFLOW element and its folder, in file order. */
typedef struct infa_wfdef {
    infa_elem *elem;
    infa_folder *folder;
} infa_wfdef;

/* Parameter file contents (infa_params.c). */
typedef struct infa_param_entry {
    const char *folder, *workflow, *session, *mapping; /* NULL: not in the section header */
    const char *worklet; /* WT: part of the section, NULL when none */
    const char *file;    /* the parameter file as given */
    const char *section; /* the section header as written, without brackets ("Global" before any) */
    int global;        /* [Global] */
    const char *name;  /* without $$ */
    const char *value;
} infa_param_entry;

typedef struct infa_params {
    infa_param_entry *entries;
    int n, cap;
} infa_params;

/* One input file being read. */
typedef struct infa_file {
    const char *path;
    const char *text; /* the file's bytes (mapped), for locations and caret lines */
    size_t len;
    srcfile src;      /* line index over text (not owned by srcfile_free) */
    arena *arena;     /* folder-level definitions */
    diag_ctx *dc;
    const fe_options *opt;
    infa_params params;
    infa_map folders;
    infa_folder **folder_list;
    int n_folders, cap_folders;
    infa_folder *cur_folder;
    fe_job_fn on_job;
    void *userdata;
    fe_counts counts;
    int n_errors_xml;
    size_t cursor;      /* offset of the last element start tag matched (infa_xml.c) */
    int cursor_line;    /* its line (1-based) */
    bool cursor_placed; /* whether any was matched yet */
    infa_wfdef *wfs;    /* WORKFLOWs read, built into flows at the end of the file (infa_wf.c) */
    int n_wfs, cap_wfs;
} infa_file;

/* infa_xml.c / infa_frontend.c helpers */
/* Column (1-based) of "<tag" ending on or before line (the element's start), or 1. */
int infa_elem_col(const infa_file *f, int line, const char *tag);
/* Maps an offset into the decoded value of attribute attr of element tag (whose start tag ends on
 * line) to the raw file position. Returns false when the attribute cannot be found. */
bool infa_attr_locate(const infa_file *f, int line, const char *tag, const char *attr, size_t offset,
                      int *out_line, int *out_col);
infa_folder *infa_folder_get(infa_file *f, const char *name, bool create);
/* Streams the file (f->text) and lowers each mapping. Returns 0, or -1 on malformed XML. */
int infa_xml_read(infa_file *f);

/* infa_lower.c: lowers one mapping and hands the job to f->on_job. */
void infa_lower_mapping(infa_file *f, infa_folder *folder, const infa_mapping *m);
/* Whether every instance of m resolves to a definition read so far (else the caller defers it). */
bool infa_mapping_resolvable(infa_file *f, infa_folder *folder, const infa_mapping *m);

/* infa_lower.c: datatypes */
ir_type infa_type(const char *datatype, int precision, int scale, const char *dbtype);

/* infa_xml.c: the value of attribute name of e, or NULL. */
const char *infa_elem_attr(const infa_elem *e, const char *name);

/* infa_wf.c: builds one ir_flow per WORKFLOW read (f->wfs) and hands it to f->opt->on_flow; does
 * nothing when there is no on_flow. Called once the file's mappings were lowered. */
void infa_wf_build_all(infa_file *f);

/* infa_params.c */
int infa_params_load(infa_file *f, const char *path);
/* Applies parameter-file values to the job's params (see the precedence in infa_params.c). */
void infa_params_apply(const infa_file *f, ir_job *job);

#endif
