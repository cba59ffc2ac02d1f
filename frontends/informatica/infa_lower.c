/*
 * infa_lower.c — one PowerCenter MAPPING into one ir_job.
 *
 * The mapping's instances are first flattened: every mapplet instance is replaced by a copy of the
 * mapplet's instances (named "<mapplet instance>.<inner instance>"), whose Input and Output
 * Transformations become pass-through points that wire the mapping's connectors to the inner
 * ones. Then each instance is lowered on demand, upstream first (following the connectors), into
 * one or a few IR nodes; every output port ends up as a (node id, column) pair.
 *
 * Informatica lets a transformation take ports from several passive branches of one pipeline (an
 * Expression fed by a Source Qualifier and by a Lookup on that Source Qualifier). The IR wants one
 * input node, so the lowering picks the most downstream of those nodes as the input and exposes
 * the other values through it: pass-through columns are added along the chain of row-preserving
 * nodes (project, filter, lookup, sequence, update, router, rank, sort, join) as needed (`expose`).
 *
 * Naming decisions:
 * - A relational source's dataset is OWNERNAME.NAME (the schema-qualified table the SQL reads);
 *   without an owner, or for flat files, the bare NAME. Targets carry no owner in the export: their
 *   dataset is NAME. The DBD name (the repository's database folder) is kept as a node prop.
 * - A Source Qualifier with a SQL override that the SQL frontend lowers is the query's nodes plus a
 *   PROJECT named after the qualifier (ports by position; see "SQL held in attributes").
 * - A Source Qualifier with one source (or with an override that stays SQL) is a single SOURCE node
 *   named after the Source Qualifier: its columns are the qualifier's ports, its sql the override,
 *   its predicate the source filter (lowered SQL, else a hole with the text), its order the sorted
 *   ports. On a source node, order keys and the predicate refer to the node's own columns. Several
 *   sources without an override become one SOURCE node per source joined by JOIN nodes.
 * - Output ports whose DEFAULTVALUE differs from the designer's ERROR('transformation error') keep
 *   it as a prop "default.<port>".
 */
#include "frontends/informatica/infa_expr.h"
#include "frontends/informatica/infa_internal.h"
#include "frontends/sql/sqlfe.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- datatypes ---- */

static bool starts_ci(const char *s, const char *p)
{
    return s && strncasecmp(s, p, strlen(p)) == 0;
}

static bool in_list(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

ir_type infa_type(const char *dt, int prec, int scale, const char *dbtype)
{
    ir_type t = ir_type_make(IR_TY_UNKNOWN, 0, 0);
    if (!dt)
        return t;
    char b[64];
    size_t n = 0;
    for (; dt[n] && n < sizeof b - 1; n++)
        b[n] = (char)tolower((unsigned char)dt[n]);
    b[n] = '\0';
    char *paren = strchr(b, '(');
    if (paren && strcmp(b, "number(p,s)") != 0)
        *paren = '\0';
    while (n && b[strlen(b) - 1] == ' ')
        b[strlen(b) - 1] = '\0';
    static const char *const strs[] = {"string", "nstring", "text", "ntext", "char", "nchar", "varchar", "varchar2",
                                       "nvarchar", "nvarchar2", "character", "clob", "nclob", "long", "long varchar",
                                       "graphic", "vargraphic", "uniqueidentifier", "xml", "sysname", "rowid", NULL};
    static const char *const ints[] = {"integer", "int", "small integer", "smallint", "tinyint", "int4", "int2",
                                       "mediumint", "byteint", NULL};
    static const char *const bigs[] = {"bigint", "int8", "long integer", NULL};
    static const char *const decs[] = {"decimal", "number(p,s)", "number", "numeric", "money", "smallmoney", "dec", NULL};
    static const char *const dbls[] = {"double", "float", "real", "double precision", "binary_double", "binary_float",
                                       "float4", "float8", NULL};
    static const char *const tss[] = {"date/time", "timestamp", "datetime", "datetime2", "smalldatetime",
                                      "timestamp with time zone", "timestamp with local time zone", "datetimeoffset", NULL};
    static const char *const bins[] = {"binary", "varbinary", "raw", "long raw", "blob", "image", "bytea", NULL};
#define IN(list) in_list(b, list)
    if (IN(strs))
        return ir_type_make(IR_TY_STRING, prec, 0);
    if (IN(ints))
        return ir_type_make(IR_TY_INT, 0, 0);
    if (IN(bigs))
        return ir_type_make(IR_TY_BIGINT, 0, 0);
    if (IN(decs)) {
        if (strcmp(b, "money") == 0 && prec == 0)
            return ir_type_make(IR_TY_DECIMAL, 19, 4);
        return ir_type_make(IR_TY_DECIMAL, prec, scale);
    }
    if (IN(dbls))
        return ir_type_make(IR_TY_DOUBLE, 0, 0);
    if (IN(tss)) {
        int frac = strcmp(b, "date/time") == 0 ? scale : (scale > 0 ? scale : 0);
        return ir_type_make(IR_TY_TIMESTAMP, frac, 0);
    }
    if (strcmp(b, "date") == 0) {
        /* an Oracle DATE holds a time of day */
        if (dbtype && starts_ci(dbtype, "Oracle"))
            return ir_type_make(IR_TY_TIMESTAMP, 0, 0);
        return ir_type_make(IR_TY_DATE, 0, 0);
    }
    if (strcmp(b, "time") == 0)
        return ir_type_make(IR_TY_TIMESTAMP, scale, 0);
    if (IN(bins))
        return ir_type_make(IR_TY_BINARY, prec, 0);
    if (strcmp(b, "bit") == 0 || strcmp(b, "boolean") == 0)
        return ir_type_make(IR_TY_BOOL, 0, 0);
#undef IN
    return t;
}

/* ---- classification tags from column names (a policy file will refine this) ---- */

static const char *const pii_words[] = {"EMAIL", "E_MAIL", "PHONE", "MOBILE", "FAX", "SSN", "SOCIAL_SEC", "FIRST_NAME",
                                        "LAST_NAME", "FST_NAME", "MID_NAME", "MIDDLE_NAME", "FULL_NAME", "BIRTH",
                                        "DOB", "ADDRESS", "ADDR", "STREET", "POSTAL", "ZIP", "PASSPORT",
                                        "NATIONAL_ID", "NATIONAL_IDENTIFIER", "TAX_ID", "DRIVER", "LICENSE_NUM",
                                        "MAIDEN", "GENDER", "ETHNIC", "SURNAME", NULL};
static const char *const pci_words[] = {"CARD_NUM", "CARD_NO", "CREDIT_CARD", "CC_NUM", "CCNUM", "CVV", "CARD_EXP",
                                        "PAN_NUM", "IBAN", "ACCOUNT_NUM", "ACCT_NUM", NULL};

static uint32_t name_tags(const char *name)
{
    char up[128];
    size_t n = 0;
    for (; name[n] && n < sizeof up - 1; n++)
        up[n] = (char)toupper((unsigned char)name[n]);
    up[n] = '\0';
    uint32_t t = 0;
    for (int i = 0; pii_words[i]; i++)
        if (strstr(up, pii_words[i])) {
            t |= IR_TAG_PII;
            break;
        }
    for (int i = 0; pci_words[i]; i++)
        if (strstr(up, pci_words[i])) {
            t |= IR_TAG_PCI;
            break;
        }
    return t;
}

/* ---- the lowering context ---- */

enum { LK_SOURCE, LK_TARGET, LK_TX, LK_PASS, LK_MAPPLET };

typedef struct linst linst;
typedef struct lconn {
    linst *from, *to;
    const char *from_field, *to_field;
    int line;
} lconn;

typedef struct pref {
    int node;        /* 0: no value */
    const char *col;
    linst *seq;      /* a Sequence Generator port: attached to the consumer's stream */
} pref;

struct linst {
    const char *name;       /* flattened: "<mapplet instance>.<instance>" */
    const char *prefix;     /* "" or "<mapplet instance>." */
    const infa_inst *inst;
    const infa_def *def;    /* NULL when not in the file */
    const infa_mapping *scope;   /* the mapping or mapplet holding the instance */
    const infa_mapping *mapplet; /* LK_MAPPLET: the mapplet */
    infa_folder *folder;    /* where names inside the instance resolve */
    const infa_shortcut *shortcut; /* unresolved shortcut */
    int kind;
    infa_map in_by_field;   /* to-field -> lconn */
    lconn **ins, **outs;
    int n_ins, cap_ins, n_outs, cap_outs;
    infa_map out;           /* port -> pref* */
    int state;              /* 0 new, 1 in progress, 2 lowered */
    int node;
    int lkp_src;            /* lookup: its source node, once built */
    const infa_field **kept_defaults; /* input defaults not applied (ERROR/ABORT, not constant) */
    int n_kept_defaults, cap_kept_defaults;
};

typedef struct lower {
    infa_file *f;
    ir_job *job;
    arena *a;               /* scratch (the mapping's arena) */
    const char *file;       /* interned path */
    infa_map insts;         /* flattened name (and "S:"/"T:" keyed) -> linst */
    linst **list;
    int n_list, cap_list;
    infa_map *carry;        /* per node id: "origin\x1fcol" -> exposed column name */
    int cap_carry;
    diag_ctx *edc;          /* where expression problems go (downgraded for invalid mappings) */
    diag_ctx wrap;
} lower;

/* A mapping the designer marked invalid (ISVALID="NO") has known expression problems: they are
 * reported as warnings so the rest of the file still counts as read without error. */
static void downgrade_sink(void *ud, const diag *d)
{
    diag_ctx *outer = ud;
    diag w = *d;
    char msg[1100];
    if (w.level == DIAG_ERROR) {
        w.level = DIAG_WARNING;
        snprintf(msg, sizeof msg, "%s (the mapping is marked invalid)", d->message);
        w.message = msg;
    }
    if (w.level == DIAG_WARNING)
        outer->n_warnings++;
    if (outer->sink)
        outer->sink(outer->userdata, &w);
    else
        diag_print(stderr, &w);
}

/* A byte-order mark pasted into a name (from a CSV import) is part of the name in Informatica:
 * it becomes "___" in port names and expressions alike (same byte length, so error offsets hold);
 * a no-break space is a blank. */
static const char *clean_text(lower *L, const char *text)
{
    if (!strstr(text, "\xEF\xBB\xBF") && !strstr(text, "\xC2\xA0") && !strstr(text, "\xC3\xAF\xC2\xBB\xC2\xBF"))
        return text;
    char *c = arena_strdup(L->a, text);
    for (char *p = c; *p; p++) {
        if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
            p[0] = p[1] = p[2] = '_';
        else if (strncmp(p, "\xC3\xAF\xC2\xBB\xC2\xBF", 6) == 0) /* the same mark read as Latin-1 */
            memset(p, '_', 6);
        else if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
            p[0] = p[1] = ' ';
    }
    return c;
}

static const char *attr_of(const linst *li, const char *name)
{
    if (li->inst)
        for (int i = 0; i < li->inst->n_attrs; i++)
            if (infa_strieq(li->inst->attrs[i].name, name))
                return li->inst->attrs[i].value;
    if (li->def)
        for (int i = 0; i < li->def->n_attrs; i++)
            if (infa_strieq(li->def->attrs[i].name, name))
                return li->def->attrs[i].value;
    return NULL;
}

static const infa_attr *attr_rec(const linst *li, const char *name)
{
    if (li->inst)
        for (int i = 0; i < li->inst->n_attrs; i++)
            if (infa_strieq(li->inst->attrs[i].name, name))
                return &li->inst->attrs[i];
    if (li->def)
        for (int i = 0; i < li->def->n_attrs; i++)
            if (infa_strieq(li->def->attrs[i].name, name))
                return &li->def->attrs[i];
    return NULL;
}

static bool nonempty(const char *s)
{
    if (!s)
        return false;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return true;
    return false;
}

static bool has(const char *porttype, const char *word)
{
    return porttype && strstr(porttype, word) != NULL;
}

static bool is_in(const infa_field *fl)
{
    return has(fl->porttype, "INPUT");
}

static bool is_out(const infa_field *fl)
{
    return has(fl->porttype, "OUTPUT");
}

static bool is_var(const infa_field *fl)
{
    return has(fl->porttype, "VARIABLE");
}

static ir_span span_at(lower *L, int line, const char *tag)
{
    ir_span s = {L->file, line, line > 0 ? infa_elem_col(L->f, line, tag) : 0};
    return s;
}

static const infa_field *def_field(const infa_def *d, const char *name)
{
    if (!d)
        return NULL;
    for (int i = 0; i < d->n_fields; i++)
        if (infa_strieq(d->fields[i].name, name))
            return &d->fields[i];
    return NULL;
}

static ir_type field_type(const infa_def *d, const infa_field *fl)
{
    return infa_type(fl->datatype, fl->precision, fl->scale, d ? d->dbtype : NULL);
}

/* A column name not yet used in n (name, name_1, name_2 ...). */
static const char *unique_col(lower *L, ir_node *n, const char *name)
{
    if (!ir_node_col_ci(n, name))
        return name;
    for (int k = 1;; k++) {
        char *c = arena_printf(L->a, "%s_%d", name, k);
        if (!ir_node_col_ci(n, c))
            return c;
    }
}

static ir_column *add_col(lower *L, ir_node *n, const char *name, ir_type t, ir_expr *e, int line, const char *tag)
{
    ir_column *c = ir_node_add_col(L->job, n, unique_col(L, n, name), t, e);
    c->tags = name_tags(name);
    if (line > 0)
        c->span = span_at(L, line, tag);
    if (e && !e->span.file && line > 0)
        e->span = c->span;
    return c;
}

static ir_node *new_node(lower *L, ir_op op, const char *name, const linst *li)
{
    ir_node *n = ir_node_add(L->job, op, name);
    if (li && li->def) {
        n->legacy_type = ir_intern(L->job, li->def->type);
        n->span = span_at(L, li->inst ? li->inst->line : li->def->line, li->inst ? "INSTANCE" : "TRANSFORMATION");
        if (li->def->line > 0) /* the definition is where the logic is */
            n->span = span_at(L, li->def->line, li->def->kind == INFA_DEF_SOURCE   ? "SOURCE"
                                                : li->def->kind == INFA_DEF_TARGET ? "TARGET"
                                                                                   : "TRANSFORMATION");
    } else if (li && li->inst) {
        n->legacy_type = ir_intern(L->job, li->inst->tx_type);
        n->span = span_at(L, li->inst->line, "INSTANCE");
    }
    return n;
}

static void set_out(lower *L, linst *li, const char *port, int node, const char *col)
{
    pref *p = arena_alloc(L->a, sizeof *p);
    p->node = node;
    p->col = col;
    infa_map_put(L->a, &li->out, port, p);
}

/* ---- exposing a value through a chain of row-preserving nodes ---- */

static infa_map *carry_map(lower *L, int node)
{
    if (node >= L->cap_carry) {
        int ncap = L->cap_carry ? L->cap_carry : 64;
        while (ncap <= node)
            ncap *= 2;
        L->carry = arena_grow(L->a, L->carry, (size_t)L->cap_carry, (size_t)ncap, sizeof *L->carry);
        L->cap_carry = ncap;
    }
    return &L->carry[node];
}

static bool carries(const ir_node *n)
{
    switch (n->op) {
    case IR_OP_PROJECT: case IR_OP_FILTER: case IR_OP_LOOKUP: case IR_OP_SEQUENCE: case IR_OP_UPDATE:
    case IR_OP_ROUTER: case IR_OP_RANK: case IR_OP_JOIN: case IR_OP_WINDOW:
        return true;
    case IR_OP_SORT:
        return !n->distinct;
    default:
        return false;
    }
}

/* The name of the column of node `via` that holds column col of node origin, adding pass-through
 * columns along via's inputs when needed; NULL when origin is not upstream through such nodes. */
static const char *expose(lower *L, int via, int origin, const char *col, int depth)
{
    if (via == origin)
        return col;
    if (via <= 0 || depth > 200)
        return NULL;
    ir_node *n = ir_job_node(L->job, via);
    if (!n || !carries(n) || n->n_inputs == 0)
        return NULL;
    char *key = arena_printf(L->a, "%d\x1f%s", origin, col);
    const char *have = infa_map_get(carry_map(L, via), key);
    if (have)
        return have;
    int ninp = n->op == IR_OP_JOIN ? n->n_inputs : 1; /* a lookup carries its stream, not its table */
    for (int i = 0; i < ninp; i++) {
        int in = n->inputs[i];
        const char *name = expose(L, in, origin, col, depth + 1);
        if (!name)
            continue;
        n = ir_job_node(L->job, via); /* (re)fetch: recursion may have grown other nodes */
        ir_node *src = ir_job_node(L->job, in);
        ir_column *sc = src ? ir_node_col(src, name) : NULL;
        ir_type t = sc ? sc->type : ir_type_make(IR_TY_UNKNOWN, 0, 0);
        uint32_t tags = sc ? sc->tags : 0, flags = sc ? (sc->flags & IR_COL_ORDER_DEPENDENT) : 0;
        ir_span sp = sc ? sc->span : n->span;
        ir_column *c = ir_node_add_col(L->job, n, unique_col(L, n, name), t, ir_ref(L->job, in, name));
        c->tags = tags;
        c->flags = flags;
        c->span = sp;
        infa_map_put(L->a, carry_map(L, via), key, (void *)c->name);
        return c->name;
    }
    return NULL;
}

/* Rewrites references in e that do not name one of owner's inputs so they go through an input. */
static ir_expr *rewrite_refs(lower *L, ir_node *owner, ir_expr *e)
{
    if (!e)
        return e;
    if (e->kind == IR_EX_REF) {
        for (int i = 0; i < owner->n_inputs; i++)
            if (owner->inputs[i] == e->u.ref.node)
                return e;
        if (owner->op == IR_OP_SOURCE && e->u.ref.node == owner->id)
            return e;
        for (int i = 0; i < owner->n_inputs; i++) {
            const char *name = expose(L, owner->inputs[i], e->u.ref.node, e->u.ref.col, 0);
            if (name) {
                ir_expr *r = ir_ref(L->job, owner->inputs[i], name);
                r->span = e->span;
                return r;
            }
        }
        ir_expr *h = ir_hole(L->job, e->u.ref.col, "value from another pipeline branch");
        h->type = e->type;
        h->span = e->span;
        return h;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            e->u.call.args[i] = rewrite_refs(L, owner, e->u.call.args[i]);
    return e;
}

static void rewrite_node(lower *L, ir_node *n)
{
    for (int i = 0; i < n->n_cols; i++) {
        n->cols[i].expr = rewrite_refs(L, n, n->cols[i].expr);
        for (int k = 0; k < n->cols[i].n_alts; k++)
            n->cols[i].alts[k] = rewrite_refs(L, n, n->cols[i].alts[k]);
    }
    n->predicate = rewrite_refs(L, n, n->predicate);
    for (int i = 0; i < n->n_keys; i++)
        n->keys[i] = rewrite_refs(L, n, n->keys[i]);
    for (int i = 0; i < n->n_order; i++)
        n->order[i].expr = rewrite_refs(L, n, n->order[i].expr);
}

/* ---- flattening ---- */

static linst *find_inst(lower *L, const char *prefix, const char *name, const char *type_hint)
{
    char *key;
    if (type_hint && infa_strieq(type_hint, "Source Definition")) {
        key = arena_printf(L->a, "S:%s%s", prefix, name);
        linst *li = infa_map_get(&L->insts, key);
        if (li)
            return li;
    } else if (type_hint && infa_strieq(type_hint, "Target Definition")) {
        key = arena_printf(L->a, "T:%s%s", prefix, name);
        linst *li = infa_map_get(&L->insts, key);
        if (li)
            return li;
    }
    key = arena_printf(L->a, "%s%s", prefix, name);
    return infa_map_get(&L->insts, key);
}

typedef struct resolved {
    const infa_def *def;
    const infa_mapping *mapplet;
    infa_folder *folder;
    const infa_shortcut *shortcut;
} resolved;

static const infa_shortcut *find_shortcut(infa_folder *fo, const char *objtype, const char *name, arena *a)
{
    if (!fo)
        return NULL;
    return infa_map_get(&fo->shortcuts, arena_printf(a, "%s:%s", objtype, name));
}

/* Finds what an instance refers to: an inline definition, a folder definition, or a shortcut's
 * target anywhere in the file. */
static resolved resolve_inst(infa_file *f, infa_folder *fo, const infa_mapping *scope, const infa_inst *in, arena *a)
{
    resolved r = {NULL, NULL, fo, NULL};
    const char *objtype;
    int which; /* 0 sources 1 targets 2 txs 3 mapplets */
    if (infa_strieq(in->type, "SOURCE"))
        objtype = "SOURCE", which = 0;
    else if (infa_strieq(in->type, "TARGET"))
        objtype = "TARGET", which = 1;
    else if (infa_strieq(in->type, "MAPPLET") || infa_strieq(in->tx_type, "Mapplet"))
        objtype = "MAPPLET", which = 3;
    else
        objtype = "TRANSFORMATION", which = 2;
    const char *name = in->tx_name;
    if (which == 2 && scope && (!in->reusable || !infa_map_get(&fo->txs, name))) {
        r.def = infa_map_get(&scope->def_by_name, name);
        if (r.def)
            return r;
    }
    const char *dbd = which == 0 ? in->dbdname : NULL;
    for (int hop = 0; hop < 4; hop++) {
        infa_map *m = which == 0 ? &fo->sources : which == 1 ? &fo->targets : which == 2 ? &fo->txs : &fo->mapplets;
        void *v = dbd ? infa_map_get(m, arena_printf(a, "%s\x1f%s", dbd, name)) : NULL;
        if (!v)
            v = infa_map_get(m, name);
        if (v) {
            if (which == 3)
                r.mapplet = v;
            else
                r.def = v;
            r.folder = fo;
            return r;
        }
        const infa_shortcut *s = find_shortcut(fo, objtype, name, a);
        if (!s || !s->refobject)
            break;
        r.shortcut = s;
        name = s->refobject;
        dbd = which == 0 ? s->dbdname : NULL;
        infa_folder *nf = s->folder ? infa_folder_get(f, s->folder, false) : NULL;
        if (!nf)
            break;
        fo = nf;
    }
    /* not where the export says: any folder of the file */
    for (int i = 0; i < f->n_folders; i++) {
        infa_folder *o = f->folder_list[i];
        infa_map *m = which == 0 ? &o->sources : which == 1 ? &o->targets : which == 2 ? &o->txs : &o->mapplets;
        void *v = infa_map_get(m, name);
        if (v) {
            if (which == 3)
                r.mapplet = v;
            else
                r.def = v;
            r.folder = o;
            return r;
        }
    }
    return r;
}

static bool resolvable_rec(infa_file *f, infa_folder *fo, const infa_mapping *m, int depth)
{
    arena *a = m->arena;
    for (int i = 0; i < m->n_insts; i++) {
        const infa_inst *in = &m->insts[i];
        if (infa_strieq(in->tx_type, "Input Transformation") || infa_strieq(in->tx_type, "Output Transformation"))
            continue;
        resolved r = resolve_inst(f, fo, m, in, a);
        if (!r.def && !r.mapplet)
            return false;
        if (r.mapplet && depth < 8 && !resolvable_rec(f, r.folder, r.mapplet, depth + 1))
            return false;
    }
    return true;
}

bool infa_mapping_resolvable(infa_file *f, infa_folder *folder, const infa_mapping *m)
{
    return resolvable_rec(f, folder, m, 0);
}

static linst *new_linst(lower *L, const char *prefix, const infa_inst *in, const infa_mapping *scope)
{
    linst *li = arena_alloc(L->a, sizeof *li);
    li->prefix = prefix;
    li->name = arena_printf(L->a, "%s%s", prefix, in->name);
    li->inst = in;
    li->scope = scope;
    ARENA_PUSH(L->a, L->list, L->n_list, L->cap_list, li);
    const char *tag = infa_strieq(in->type, "SOURCE") ? "S:" : infa_strieq(in->type, "TARGET") ? "T:" : NULL;
    if (tag)
        infa_map_put(L->a, &L->insts, arena_printf(L->a, "%s%s", tag, li->name), li);
    if (!infa_map_get(&L->insts, li->name))
        infa_map_put(L->a, &L->insts, li->name, li);
    return li;
}

static void conn_error(lower *L, int line, const char *fmt, const char *a1, const char *a2)
{
    diag_at(L->f->dc, DIAG_ERROR, &L->f->src, L->f->path, line, infa_elem_col(L->f, line, "CONNECTOR"), fmt, a1, a2);
}

/* The port name an outer connector uses on a mapplet instance, mapped to the inner Input or Output
 * transformation and its port. */
static bool mapplet_port(lower *L, linst *mp, const char *port, bool input, linst **out_li, const char **out_port)
{
    const infa_mapping *mm = mp->mapplet;
    const infa_def *iface = NULL;
    for (int i = 0; i < mm->n_defs; i++)
        if (infa_strieq(mm->defs[i]->type, "Mapplet")) {
            iface = mm->defs[i];
            break;
        }
    const infa_field *fl = iface ? def_field(iface, port) : NULL;
    const char *pname = fl && fl->ref_field ? fl->ref_field : port;
    const char *want = input ? "Input Transformation" : "Output Transformation";
    if (fl && fl->mappletgroup) {
        linst *g = find_inst(L, arena_printf(L->a, "%s.", mp->name), fl->mappletgroup, NULL);
        if (g && g->kind == LK_PASS) {
            *out_li = g;
            *out_port = pname;
            return true;
        }
    }
    /* no interface description: the Input/Output transformation that has the port */
    for (int i = 0; i < mm->n_insts; i++) {
        if (!infa_strieq(mm->insts[i].tx_type, want))
            continue;
        linst *g = find_inst(L, arena_printf(L->a, "%s.", mp->name), mm->insts[i].name, NULL);
        if (g && (!g->def || def_field(g->def, pname))) {
            *out_li = g;
            *out_port = pname;
            return true;
        }
    }
    return false;
}

static void add_conn(lower *L, linst *from, const char *ff, linst *to, const char *tf, int line)
{
    lconn *c = arena_alloc(L->a, sizeof *c);
    c->from = from, c->to = to, c->from_field = ff, c->to_field = tf, c->line = line;
    ARENA_PUSH(L->a, to->ins, to->n_ins, to->cap_ins, c);
    ARENA_PUSH(L->a, from->outs, from->n_outs, from->cap_outs, c);
    if (!infa_map_get(&to->in_by_field, tf))
        infa_map_put(L->a, &to->in_by_field, tf, c);
}

/* Whether a definition has a port of that name that can take (input) or give (output) a value. */
static bool port_ok(const linst *li, const char *port, bool input)
{
    if (!li->def || li->def->n_fields == 0)
        return true; /* unknown definition: nothing to check */
    const infa_field *fl = def_field(li->def, port);
    if (!fl)
        return false;
    if (li->def->kind != INFA_DEF_TRANSFORMATION)
        return true;
    (void)input;
    return true;
}

static void flatten(lower *L, infa_folder *fo, const infa_mapping *m, const char *prefix, int depth)
{
    int first = L->n_list;
    for (int i = 0; i < m->n_insts; i++) {
        const infa_inst *in = &m->insts[i];
        linst *li = new_linst(L, prefix, in, m);
        li->folder = fo;
        if (infa_strieq(in->tx_type, "Input Transformation") || infa_strieq(in->tx_type, "Output Transformation")) {
            li->kind = LK_PASS;
            li->def = infa_map_get(&m->def_by_name, in->tx_name);
            continue;
        }
        resolved r = resolve_inst(L->f, fo, m, in, L->a);
        li->shortcut = r.shortcut;
        if (r.mapplet) {
            li->kind = LK_MAPPLET;
            li->mapplet = r.mapplet;
            li->folder = r.folder;
            continue;
        }
        li->def = r.def;
        li->kind = infa_strieq(in->type, "SOURCE") ? LK_SOURCE : infa_strieq(in->type, "TARGET") ? LK_TARGET : LK_TX;
        if (infa_strieq(in->type, "MAPPLET"))
            li->kind = LK_TX; /* a mapplet that is not in the file: a procedure hole */
    }
    int last = L->n_list;
    for (int i = first; i < last; i++) {
        linst *li = L->list[i];
        if (li->kind == LK_MAPPLET) {
            if (depth < 8)
                flatten(L, li->folder, li->mapplet, arena_printf(L->a, "%s.", li->name), depth + 1);
            else
                li->kind = LK_TX;
        }
    }
    for (int i = 0; i < m->n_conns; i++) {
        const infa_conn *c = &m->conns[i];
        linst *from = find_inst(L, prefix, c->from_inst, c->from_type);
        linst *to = find_inst(L, prefix, c->to_inst, c->to_type);
        if (!from) {
            conn_error(L, c->line, "connector from unknown instance '%s'%s", c->from_inst, "");
            continue;
        }
        if (!to) {
            conn_error(L, c->line, "connector to unknown instance '%s'%s", c->to_inst, "");
            continue;
        }
        const char *ff = c->from_field, *tf = c->to_field;
        if (from->kind == LK_MAPPLET) {
            linst *o;
            const char *op;
            if (!mapplet_port(L, from, ff, false, &o, &op)) {
                conn_error(L, c->line, "connector from unknown port '%s.%s'", c->from_inst, ff);
                continue;
            }
            from = o, ff = op;
        } else if (!port_ok(from, ff, false)) {
            conn_error(L, c->line, "connector from unknown port '%s.%s'", c->from_inst, ff);
            continue;
        }
        if (to->kind == LK_MAPPLET) {
            linst *o;
            const char *op;
            if (!mapplet_port(L, to, tf, true, &o, &op)) {
                conn_error(L, c->line, "connector to unknown port '%s.%s'", c->to_inst, tf);
                continue;
            }
            to = o, tf = op;
        } else if (!port_ok(to, tf, true)) {
            conn_error(L, c->line, "connector to unknown port '%s.%s'", c->to_inst, tf);
            continue;
        }
        add_conn(L, from, ff, to, tf, c->line);
    }
}

/* ---- values of ports ---- */

static void lower_inst(lower *L, linst *li);

static const char *dataset_name(lower *L, const linst *li)
{
    const infa_def *d = li->def;
    if (d) {
        if (d->kind == INFA_DEF_SOURCE && nonempty(d->owner) && !d->flatfile)
            return arena_printf(L->a, "%s.%s", d->owner, d->name);
        return d->name;
    }
    if (li->shortcut && li->shortcut->refobject)
        return li->shortcut->refobject;
    return li->inst->tx_name;
}

static ir_dataset *add_dataset(lower *L, const linst *li)
{
    const char *name = dataset_name(L, li);
    ir_dataset *ds = ir_job_dataset(L->job, name);
    if (ds)
        return ds;
    ds = ir_job_add_dataset(L->job, name);
    const infa_def *d = li->def;
    ds->kind = d && d->flatfile ? "file" : "table";
    if (d) {
        ds->db_type = d->dbtype ? ir_intern(L->job, d->dbtype) : NULL;
        if (d->flatfile) {
            if (d->delimited && d->delimiters)
                ds->delimiter = ir_intern(L->job, d->delimiters);
            ds->fixed_width = d->fixed_width;
            ds->quote = d->quote ? ir_intern(L->job, d->quote) : NULL;
            ds->skip_rows = d->skip_rows;
        }
        if (d->codepage)
            ds->encoding = ir_intern(L->job, d->codepage);
        ds->span = span_at(L, d->line, d->kind == INFA_DEF_SOURCE ? "SOURCE" : "TARGET");
        const char *ftag = d->kind == INFA_DEF_SOURCE ? "SOURCEFIELD" : "TARGETFIELD";
        for (int i = 0; i < d->n_fields; i++) {
            const infa_field *fl = &d->fields[i];
            ir_column *c = ir_dataset_add_col(L->job, ds, fl->name, field_type(d, fl));
            c->tags = name_tags(fl->name);
            if (has(fl->keytype, "PRIMARY"))
                c->flags |= IR_COL_KEY;
            if (fl->not_null)
                c->flags |= IR_COL_NOT_NULL;
            if (d->flatfile && d->fixed_width) {
                c->phys_offset = fl->phys_offset;
                c->phys_length = fl->phys_length;
            }
            c->span = span_at(L, fl->line, ftag);
        }
    } else {
        ds->db_type = NULL;
    }
    return ds;
}

/* A SOURCE node for a Source Definition that something other than a Source Qualifier reads. */
static void lower_source_def(lower *L, linst *li)
{
    ir_dataset *ds = add_dataset(L, li);
    ir_node *n = new_node(L, IR_OP_SOURCE, li->name, li);
    n->dataset = ds->name;
    if (li->def && li->def->dbdname)
        ir_node_add_prop(L->job, n, "dbd", li->def->dbdname);
    li->node = n->id;
    if (li->def) {
        for (int i = 0; i < li->def->n_fields; i++) {
            const infa_field *fl = &li->def->fields[i];
            ir_column *c = add_col(L, n, fl->name, field_type(li->def, fl), NULL, fl->line, "SOURCEFIELD");
            if (fl->phys_length && li->def->fixed_width)
                c->phys_offset = fl->phys_offset, c->phys_length = fl->phys_length;
            set_out(L, li, fl->name, n->id, c->name);
        }
    } else {
        for (int i = 0; i < li->n_outs; i++)
            if (!infa_map_get(&li->out, li->outs[i]->from_field)) {
                ir_column *c = add_col(L, n, li->outs[i]->from_field, ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL, 0, NULL);
                set_out(L, li, li->outs[i]->from_field, n->id, c->name);
            }
    }
}

static pref get_out(lower *L, linst *li, const char *port, int depth)
{
    pref none = {0, NULL, NULL};
    if (depth > 64)
        return none;
    if (li->kind == LK_PASS) {
        lconn *c = infa_map_get(&li->in_by_field, port);
        if (!c)
            return none;
        return get_out(L, c->from, c->from_field, depth + 1);
    }
    if (li->def && li->def->kind == INFA_DEF_TRANSFORMATION && infa_strieq(li->def->type, "Sequence")) {
        pref p = {0, port, li};
        return p;
    }
    if (li->kind == LK_SOURCE && !li->node)
        lower_source_def(L, li);
    else
        lower_inst(L, li);
    pref *p = infa_map_get(&li->out, port);
    return p ? *p : none;
}

/* ---- a transformation's input stream ---- */

typedef struct pval {
    ir_expr *e;
    bool order_dep;
    bool pending_var; /* variable port not evaluated yet (self or later reference) */
    const infa_field *fl;
} pval;

typedef struct ectx {
    lower *L;
    linst *li;
    infa_map vals;        /* port -> pval */
    int S;                /* the input node of the node being built, 0 when there is none */
    bool order_dep;       /* the last parse used a previous-row value */
    int *pending;         /* unconnected lookups inserted before the node being built */
    int n_pending, cap_pending;
    int line;             /* location of the text being parsed */
    const char *tag, *attr;
} ectx;

static pval *val_of(ectx *x, const char *port)
{
    return infa_map_get(&x->vals, port);
}

static void put_val(ectx *x, const infa_field *fl, ir_expr *e)
{
    pval *v = infa_map_get(&x->vals, fl->name);
    if (!v) {
        v = arena_alloc(x->L->a, sizeof *v);
        infa_map_put(x->L->a, &x->vals, fl->name, v);
    }
    v->e = e;
    v->fl = fl;
}

static ir_expr *null_of(lower *L, ir_type t)
{
    ir_expr *e = ir_lit_null(L->job);
    e->type = t;
    return e;
}

/* Ports of the instance's definition accepted by `want` (NULL: all input ports). */
typedef bool (*port_filter)(const infa_field *fl, const void *arg);

static void add_sequence_nodes(lower *L, ectx *x, linst **seqs, int n_seqs)
{
    for (int i = 0; i < n_seqs; i++) {
        linst *s = seqs[i];
        ir_node *q = new_node(L, IR_OP_SEQUENCE, s->name, s);
        if (x->S)
            ir_node_add_input(L->job, q, x->S);
        /* The first NEXTVAL of a run is the Current Value (default 1); Start Value is only where
         * a cycling sequence starts over (PowerCenter Transformation Guide, Sequence Generator). */
        const char *cur = attr_of(s, "Current Value"), *inc = attr_of(s, "Increment By");
        q->seq_start = nonempty(cur) ? atoll(cur) : 1;
        q->seq_increment = inc && atoll(inc) ? atoll(inc) : 1;
        const char *keep[] = {"Start Value", "End Value", "Cycle", "Reset", "Number of Cached Values"};
        for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
            const char *v = attr_of(s, keep[k]);
            if (nonempty(v))
                ir_node_add_prop(L->job, q, keep[k], v);
        }
        const infa_field *nv = def_field(s->def, "NEXTVAL"), *cv = def_field(s->def, "CURRVAL");
        ir_column *c = add_col(L, q, "NEXTVAL", ir_type_make(IR_TY_BIGINT, 0, 0), NULL, nv ? nv->line : 0, "TRANSFORMFIELD");
        c->flags |= IR_COL_GENERATED;
        c = add_col(L, q, "CURRVAL", ir_type_make(IR_TY_BIGINT, 0, 0), NULL, cv ? cv->line : 0, "TRANSFORMFIELD");
        c->flags |= IR_COL_GENERATED;
        s->node = q->id;
        x->S = q->id;
    }
}

/* Whether node via can expose columns of node origin (expose would succeed), without adding any. */
static bool reaches(lower *L, int via, int origin, int depth)
{
    if (via == origin)
        return true;
    if (via <= 0 || depth > 200)
        return false;
    ir_node *n = ir_job_node(L->job, via);
    if (!n || !carries(n) || n->n_inputs == 0)
        return false;
    int ninp = n->op == IR_OP_JOIN ? n->n_inputs : 1;
    for (int i = 0; i < ninp; i++)
        if (reaches(L, n->inputs[i], origin, depth + 1))
            return true;
    return false;
}

/* Whether anc is upstream of node (through any inputs). */
static bool is_upstream(lower *L, int anc, int node, int depth)
{
    if (anc == node)
        return true;
    ir_node *n = ir_job_node(L->job, node);
    if (!n || depth > 400)
        return false;
    for (int i = 0; i < n->n_inputs; i++)
        if (is_upstream(L, anc, n->inputs[i], depth + 1))
            return true;
    return false;
}

static bool row_preserving(const ir_node *n)
{
    return n->op == IR_OP_PROJECT || n->op == IR_OP_LOOKUP || n->op == IR_OP_SEQUENCE || n->op == IR_OP_UPDATE ||
           n->op == IR_OP_WINDOW; /* the windows of an Expression's state keep every row */
}

/* Informatica merges passive branches of one pipeline (rows stay aligned). When origin sits on
 * such a branch that left S's chain at some node A, the branch is moved to hang below S (its first
 * node reads S instead of A, which S carries): the values then flow S -> branch -> origin. Returns
 * the new stream node, or S when the branch cannot be moved. */
static int merge_branch(lower *L, int S, int origin)
{
    int cur = origin;
    for (int guard = 0; guard < 400; guard++) {
        ir_node *n = ir_job_node(L->job, cur);
        if (!n || !row_preserving(n) || n->n_inputs == 0)
            return S;
        int parent = n->inputs[0];
        if (reaches(L, S, parent, 0)) {
            if (is_upstream(L, cur, S, 0))
                return S; /* would make a cycle */
            n->inputs[0] = S;
            rewrite_node(L, n);
            return origin;
        }
        cur = parent;
    }
    return S;
}

/* The input node for a set of port values: the most downstream one, with passive branches merged
 * so that every value is reachable from it. */
static int choose_stream(lower *L, const pref *p, int n)
{
    int S = 0;
    for (int i = 0; i < n; i++)
        if (!p[i].seq && p[i].node > S)
            S = p[i].node;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++)
            if (!p[i].seq && p[i].node && S && !reaches(L, S, p[i].node, 0))
                S = merge_branch(L, S, p[i].node);
    return S;
}

static void quiet_sink(void *ud, const diag *d)
{
    (void)d;
    *(int *)ud += 1;
}

static bool is_standard_default(const char *dv);
static ir_expr *ex_resolve_port(void *ud, const char *name);
static void ex_locate(void *ud, size_t offset, int *line, int *col);

/* A user-defined default value of an input (or input/output) port replaces a NULL input
 * (Transformation Guide, "Default Values for Ports"): the port's value is coalesce(input, default).
 * ERROR()/ABORT() defaults (fail the row / the session on a NULL input) and defaults that are not
 * constant expressions are kept as a node property "input_default.<port>" instead. */
static ir_expr *input_default(lower *L, ectx *x, const infa_field *fl, ir_expr *e, ir_type t)
{
    const char *dv = fl->defval;
    if (!nonempty(dv) || !is_in(fl) || has(fl->porttype, "LOOKUP"))
        return e;
    while (*dv == ' ' || *dv == '\t')
        dv++;
    if (infa_strieq(dv, "NULL"))
        return e;
    if (starts_ci(dv, "ERROR") || starts_ci(dv, "ABORT")) {
        if (!is_standard_default(dv))
            ARENA_PUSH(L->a, x->li->kept_defaults, x->li->n_kept_defaults, x->li->cap_kept_defaults, fl);
        return e;
    }
    int n_msgs = 0;
    diag_ctx quiet;
    diag_init(&quiet, quiet_sink, &n_msgs);
    infa_expr_ctx c;
    memset(&c, 0, sizeof c);
    c.job = L->job;
    c.resolve_port = NULL; /* a default is a constant expression: no ports */
    c.userdata = x;
    c.locate = ex_locate;
    c.file = &L->f->src;
    c.path = L->f->path;
    c.line = fl->line;
    c.col = fl->line > 0 ? infa_elem_col(L->f, fl->line, "TRANSFORMFIELD") : 0;
    x->line = fl->line;
    x->tag = "TRANSFORMFIELD";
    x->attr = "DEFAULTVALUE";
    ir_expr *d = infa_expr_parse(&c, clean_text(L, dv), &quiet);
    if (!d || n_msgs || ir_expr_contains(d, IR_EXPR_MASK(IR_EX_REF) | IR_EXPR_MASK(IR_EX_HOLE))) {
        ARENA_PUSH(L->a, x->li->kept_defaults, x->li->n_kept_defaults, x->li->cap_kept_defaults, fl);
        return e;
    }
    if (d->type.kind == IR_TY_UNKNOWN)
        d->type = t;
    ir_expr *r = ir_call2(L->job, IR_FN_COALESCE, e, d);
    r->type = t;
    r->span = e->span;
    return r;
}

/* Collects the values of the accepted input ports of x->li, chooses the input node (x->S) and
 * binds each port to a reference through it. Unconnected input ports are typed NULLs. */
static void gather(lower *L, ectx *x, port_filter want, const void *arg)
{
    linst *li = x->li;
    const infa_def *d = li->def;
    int n = d ? d->n_fields : 0;
    pref *p = arena_alloc(L->a, (size_t)(n ? n : 1) * sizeof *p);
    linst *seqs[8];
    int n_seqs = 0;
    int S = 0;
    for (int i = 0; i < n; i++) {
        const infa_field *fl = &d->fields[i];
        p[i].node = 0;
        p[i].seq = NULL;
        if (!is_in(fl) || (want && !want(fl, arg)))
            continue;
        lconn *c = infa_map_get(&li->in_by_field, fl->name);
        if (!c)
            continue;
        p[i] = get_out(L, c->from, c->from_field, 0);
        if (p[i].seq) {
            bool seen = false;
            for (int k = 0; k < n_seqs; k++)
                seen |= seqs[k] == p[i].seq;
            if (!seen && n_seqs < 8)
                seqs[n_seqs++] = p[i].seq;
        }
    }
    (void)S;
    x->S = choose_stream(L, p, n);
    if (n_seqs)
        add_sequence_nodes(L, x, seqs, n_seqs);
    for (int i = 0; i < n; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_in(fl) || (want && !want(fl, arg)))
            continue;
        ir_type t = field_type(d, fl);
        ir_expr *e;
        if (p[i].seq) {
            const char *name = expose(L, x->S, p[i].seq->node, p[i].col, 0);
            e = name ? ir_ref(L->job, x->S, name) : ir_hole(L->job, fl->name, "sequence value not reachable");
        } else if (p[i].node) {
            const char *name = expose(L, x->S, p[i].node, p[i].col, 0);
            e = name ? ir_ref(L->job, x->S, name) : ir_hole(L->job, fl->name, "value from another pipeline branch");
        } else {
            e = null_of(L, t); /* an unconnected input port is NULL */
        }
        if (e->type.kind == IR_TY_UNKNOWN)
            e->type = t;
        e->span = span_at(L, fl->line, "TRANSFORMFIELD");
        e = input_default(L, x, fl, e, t);
        put_val(x, fl, e);
    }
}

/* ---- expressions ---- */

static void ex_locate(void *ud, size_t offset, int *line, int *col)
{
    ectx *x = ud;
    if (!infa_attr_locate(x->L->f, x->line, x->tag, x->attr, offset, line, col)) {
        *line = x->line;
        *col = x->line > 0 ? infa_elem_col(x->L->f, x->line, x->tag) : 0;
    }
}

static ir_expr *ex_resolve_port(void *ud, const char *name)
{
    ectx *x = ud;
    pval *v = val_of(x, name);
    if (v) {
        if (v->pending_var) {
            x->order_dep = true;
            ir_expr *h = ir_hole(x->L->job, v->fl->name, "variable port read before it is set in this row: the previous row's value");
            h->type = field_type(x->li->def, v->fl);
            return h;
        }
        if (!v->e)
            return NULL;
        if (v->order_dep)
            x->order_dep = true;
        ir_expr *r = ir_expr_copy(x->L->job, v->e);
        r->span.file = NULL; /* the parser gives it the place of use */
        r->span.line = r->span.col = 0;
        return r;
    }
    static const char *const dd[] = {"DD_INSERT", "DD_UPDATE", "DD_DELETE", "DD_REJECT"};
    for (int i = 0; i < 4; i++)
        if (infa_strieq(name, dd[i]))
            return ir_lit_int(x->L->job, i);
    return NULL;
}

static bool refs_only(const ir_expr *e, int node)
{
    if (!e)
        return true;
    if (e->kind == IR_EX_REF)
        return e->u.ref.node == node;
    if (e->kind == IR_EX_HOLE)
        return false;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (!refs_only(e->u.call.args[i], node))
                return false;
    return true;
}

static ir_expr *parse_in(ectx *x, const char *text, int line, const char *tag, const char *attr, bool agg,
                         ir_expr *(*resolve)(void *, const char *));

static int lk_lower_override(lower *L, linst *li);
static ir_expr *lk_source_filter(lower *L, linst *li, int src);

/* The lookup table of a Lookup Procedure instance as a SOURCE node (built once). */
static int lookup_source(lower *L, linst *li)
{
    if (li->lkp_src)
        return li->lkp_src;
    if (nonempty(attr_of(li, "Lookup Sql Override"))) {
        int p = lk_lower_override(L, li);
        if (p) {
            li->lkp_src = p;
            return p;
        }
    }
    const infa_def *d = li->def;
    const char *table = attr_of(li, "Lookup table name");
    const char *sql = attr_of(li, "Lookup Sql Override");
    const char *dsname = nonempty(table) ? table : li->name;
    ir_node *s = new_node(L, IR_OP_SOURCE, arena_printf(L->a, "%s.lookup_source", li->name), li);
    ir_dataset *ds = ir_job_dataset(L->job, dsname);
    bool fresh = !ds;
    if (!ds) {
        ds = ir_job_add_dataset(L->job, dsname);
        ds->kind = nonempty(table) ? "table" : "query";
        ds->span = s->span;
    }
    s->dataset = ds->name;
    if (nonempty(sql))
        s->sql = ir_intern(L->job, sql);
    const char *filt = attr_of(li, "Lookup Source Filter");
    if (nonempty(filt))
        ir_node_add_prop(L->job, s, "lookup_source_filter", filt);
    const char *conn = attr_of(li, "Connection Information");
    if (nonempty(conn))
        ir_node_add_prop(L->job, s, "connection", conn);
    for (int i = 0; d && i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!has(fl->porttype, "LOOKUP"))
            continue;
        add_col(L, s, fl->name, field_type(d, fl), NULL, fl->line, "TRANSFORMFIELD");
        if (fresh && !ir_node_col(s, fl->name))
            continue;
        if (fresh) {
            ir_column *c = ir_dataset_add_col(L->job, ds, fl->name, field_type(d, fl));
            c->tags = name_tags(fl->name);
        }
    }
    if (nonempty(filt)) {
        int sid = s->id;
        /* the override (kept as SQL here) makes PowerCenter ignore the filter: stays a hole then */
        ir_expr *pe = nonempty(sql) ? NULL : lk_source_filter(L, li, sid);
        s = ir_job_node(L->job, sid);
        if (pe) {
            s->predicate = pe;
            s->legacy = ir_intern(L->job, filt);
        } else {
            s->predicate = ir_hole(L->job, filt, "lookup source filter (SQL of the lookup database)");
        }
    }
    li->lkp_src = s->id;
    return s->id;
}

static ir_match_policy match_policy(const char *v)
{
    if (!v)
        return IR_MATCH_FIRST;
    if (strstr(v, "Last"))
        return IR_MATCH_LAST;
    if (strstr(v, "Any"))
        return IR_MATCH_ANY;
    if (strstr(v, "Error"))
        return IR_MATCH_ERROR;
    if (strstr(v, "All"))
        return IR_MATCH_ALL;
    return IR_MATCH_FIRST;
}

typedef struct lkctx {
    ectx loc;        /* first: ex_locate reads the userdata as an ectx */
    lower *L;
    linst *li;
    int src;
    ectx *outer;     /* connected lookups: the input ports */
    ir_expr **args;  /* unconnected: arguments bound to the input ports in order */
    int n_args;
} lkctx;

static ir_expr *lk_resolve(void *ud, const char *name)
{
    lkctx *k = ud;
    const infa_def *d = k->li->def;
    const infa_field *fl = def_field(d, name);
    if (fl && has(fl->porttype, "LOOKUP")) {
        ir_column *c = ir_node_col_ci(ir_job_node(k->L->job, k->src), name);
        return ir_ref(k->L->job, k->src, c ? c->name : name);
    }
    if (k->outer)
        return ex_resolve_port(k->outer, name);
    if (fl && is_in(fl)) {
        int idx = 0;
        for (int i = 0; i < d->n_fields; i++) {
            if (&d->fields[i] == fl)
                break;
            if (is_in(&d->fields[i]) && !has(d->fields[i].porttype, "LOOKUP"))
                idx++;
        }
        if (idx < k->n_args)
            return ir_expr_copy(k->L->job, k->args[idx]);
        return null_of(k->L, field_type(d, fl));
    }
    return NULL;
}

/* The lookup condition, lookup ports bound to the lookup source, input ports to the stream. */
static ir_expr *lk_parse(lower *L, lkctx *k)
{
    const infa_attr *ca = attr_rec(k->li, "Lookup condition");
    if (!ca || !nonempty(ca->value))
        return NULL;
    k->loc.L = L;
    k->loc.li = k->li;
    k->loc.line = ca->line;
    k->loc.tag = "TABLEATTRIBUTE";
    k->loc.attr = "VALUE";
    infa_expr_ctx c;
    memset(&c, 0, sizeof c);
    c.job = L->job;
    c.resolve_port = lk_resolve;
    c.userdata = k;
    c.locate = ex_locate;
    c.file = &L->f->src;
    c.path = L->f->path;
    c.line = ca->line;
    c.col = infa_elem_col(L->f, ca->line, "TABLEATTRIBUTE");
    ir_expr *e = infa_expr_parse(&c, clean_text(L, ca->value), L->edc);
    if (!e)
        e = ir_hole(L->job, ca->value, "lookup condition could not be parsed");
    if (!e->span.file)
        e->span = span_at(L, ca->line, "TABLEATTRIBUTE");
    return e;
}

static ir_expr *ex_resolve_call(void *ud, const char *kind, const char *name, int n_args, ir_expr **args,
                                const char *text)
{
    ectx *x = ud;
    lower *L = x->L;
    if (!infa_strieq(kind, "LKP") || !x->S)
        return NULL;
    linst *lk = find_inst(L, x->li->prefix, name, NULL);
    if (!lk)
        lk = find_inst(L, "", name, NULL);
    if (!lk || !lk->def || !infa_strieq(lk->def->type, "Lookup Procedure"))
        return NULL;
    for (int i = 0; i < n_args; i++)
        if (!refs_only(args[i], x->S))
            return NULL;
    const infa_field *ret = NULL;
    for (int i = 0; i < lk->def->n_fields; i++)
        if (has(lk->def->fields[i].porttype, "RETURN"))
            ret = &lk->def->fields[i];
    if (!ret) {
        /* no port flagged RETURN: a single output port is the returned value */
        int n_out = 0;
        for (int i = 0; i < lk->def->n_fields; i++)
            if (is_out(&lk->def->fields[i]))
                n_out++, ret = &lk->def->fields[i];
        if (n_out != 1)
            return NULL;
    }
    int src = lookup_source(L, lk);
    ir_node *n = new_node(L, IR_OP_LOOKUP, lk->name, lk);
    ir_node_add_input(L->job, n, x->S);
    ir_node_add_input(L->job, n, src);
    n->join = IR_JOIN_LEFT;
    n->match = match_policy(attr_of(lk, "Lookup policy on multiple match"));
    n->legacy = ir_intern(L->job, text);
    ir_node_add_prop(L->job, n, "unconnected", "yes");
    lkctx k;
    memset(&k, 0, sizeof k);
    k.L = L, k.li = lk, k.src = src, k.args = args, k.n_args = n_args;
    n->predicate = lk_parse(L, &k);
    n = ir_job_node(L->job, n->id);
    const infa_attr *ca = attr_rec(lk, "Lookup condition");
    if (ca)
        ir_node_add_prop(L->job, n, "lookup_condition", ca->value);
    ir_column *c = add_col(L, n, ret->name, field_type(lk->def, ret), ir_ref(L->job, src, ret->name), ret->line,
                           "TRANSFORMFIELD");
    if (n->match == IR_MATCH_FIRST || n->match == IR_MATCH_LAST || n->match == IR_MATCH_ANY)
        c->flags |= IR_COL_ORDER_DEPENDENT;
    const char *cname = c->name;
    ARENA_PUSH(L->a, x->pending, x->n_pending, x->cap_pending, n->id);
    return ir_ref(L->job, n->id, cname);
}

static ir_expr *parse_in(ectx *x, const char *text, int line, const char *tag, const char *attr, bool agg,
                         ir_expr *(*resolve)(void *, const char *))
{
    infa_expr_ctx c;
    memset(&c, 0, sizeof c);
    c.job = x->L->job;
    c.resolve_port = resolve ? resolve : ex_resolve_port;
    c.resolve_call = ex_resolve_call;
    c.userdata = x;
    c.locate = ex_locate;
    c.file = &x->L->f->src;
    c.path = x->L->f->path;
    c.line = line;
    c.col = line > 0 ? infa_elem_col(x->L->f, line, tag) : 0;
    c.allow_aggregates = agg;
    x->line = line;
    x->tag = tag;
    x->attr = attr;
    x->order_dep = false;
    ir_expr *e = infa_expr_parse(&c, clean_text(x->L, text), x->L->edc);
    if (!e)
        e = ir_hole(x->L->job, text, "expression could not be parsed");
    if (!e->span.file && line > 0)
        e->span = span_at(x->L, line, tag);
    return e;
}

/* Chains the unconnected lookups made while building n between n and its input. */
static void finish_pending(lower *L, ectx *x, ir_node *n)
{
    if (!x->n_pending || n->n_inputs == 0)
        return;
    int prev = n->inputs[0];
    for (int i = 0; i < x->n_pending; i++) {
        ir_node *lk = ir_job_node(L->job, x->pending[i]);
        lk->inputs[0] = prev;
        rewrite_node(L, lk);
        prev = lk->id;
    }
    n = ir_job_node(L->job, n->id);
    n->inputs[0] = prev;
    rewrite_node(L, n);
    x->n_pending = 0;
}

/* Evaluates variable ports in port order; a variable read before it is set in the row (by itself
 * or by an earlier variable) is the previous row's value: a hole, order-dependent. */
static void eval_vars(lower *L, ectx *x, bool agg)
{
    const infa_def *d = x->li->def;
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_var(fl))
            continue;
        put_val(x, fl, NULL);
        val_of(x, fl->name)->pending_var = true;
    }
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_var(fl))
            continue;
        ir_expr *e;
        bool od = false;
        if (nonempty(fl->expr)) {
            e = parse_in(x, fl->expr, fl->line, "TRANSFORMFIELD", "EXPRESSION", agg, NULL);
            od = x->order_dep;
            if (od) {
                ir_expr *h = ir_hole(L->job, fl->expr, "variable port that keeps state between rows");
                h->type = field_type(d, fl);
                h->span = e->span;
                e = h;
            }
        } else {
            e = null_of(L, field_type(d, fl));
        }
        if (e->type.kind == IR_TY_UNKNOWN)
            e->type = field_type(d, fl);
        pval *v = val_of(x, fl->name);
        v->e = e;
        v->pending_var = false;
        v->order_dep = od;
    }
}

/* ---- variable ports that keep state between rows, as window nodes ----
 *
 * PowerCenter evaluates an Expression's ports row by row in port order; a variable read before it
 * is set in the row holds the previous row's value (the first row: the variable's initial value,
 * 0 / empty string / 01/01/0001, Transformation Guide, "Variable Initialization"). Two shapes are
 * lowered exactly, over the rows in the order they arrive (the order established upstream):
 *   - previous value: W read before it is set, W's own expression stateless → lag(expr_W, 1, init);
 *   - reset recurrences: V = IIF(C, A, V) (carry forward) or IIF(C, A, V + S) (running sum or
 *     counter), or with the branches swapped, where C, A, S read no state but previous values.
 *     The island of a row is the running count of rows where the reset holds (ROWS UNBOUNDED
 *     PRECEDING); within an island, V = first_value(IIF(C, A, init)) or sum(IIF(C, A, S)) (0 is
 *     a number's initial value, so rows before the first reset need no special case).
 * Anything else keeps the hole. */

static const char PREV_REASON[] = "variable port read before it is set in this row: the previous row's value";
static const char STATE_REASON[] = "variable port computed by a window (pending)";

enum { SV_PLAIN, SV_CARRY, SV_SUM };

typedef struct svar {
    const infa_field *fl;
    ir_expr *raw;        /* the parsed expression, previous values and states as marker holes */
    bool state;          /* reads its own previous value */
    bool ok, lag_ok, need_lag;
    int kind;            /* SV_* */
    ir_expr *cond, *reset, *step; /* C, A, S (SV_SUM) */
    bool swapped;        /* the recurrence is the then-branch: reset when C is not true */
    int grp;             /* index of its island column */
    const char *lag_col, *val_col;
    int lag_node, val_node;
} svar;

typedef struct sctx {
    lower *L;
    ectx *x;
    svar *v;
    int n;
} sctx;

static bool is_mark(const ir_expr *e, const char *reason)
{
    return e && e->kind == IR_EX_HOLE && e->u.hole.reason && strcmp(e->u.hole.reason, reason) == 0;
}

static svar *sv_find(sctx *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (infa_strieq(s->v[i].fl->name, name))
            return &s->v[i];
    return NULL;
}

static bool has_mark(const ir_expr *e, const char *reason, const char *name)
{
    if (!e)
        return false;
    if (is_mark(e, reason))
        return !name || infa_strieq(e->u.hole.text, name);
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (has_mark(e->u.call.args[i], reason, name))
                return true;
    return false;
}

/* Every marker of e can be replaced: previous values of lag-able variables, and (when allowed)
 * states of lowered variables. win: e is a window argument (references only the stream S, no
 * other hole). */
static bool marks_ok(sctx *s, const ir_expr *e, bool allow_state, bool win)
{
    if (!e)
        return true;
    if (e->kind == IR_EX_HOLE) {
        if (is_mark(e, PREV_REASON)) {
            svar *w = sv_find(s, e->u.hole.text);
            return w && w->lag_ok;
        }
        if (is_mark(e, STATE_REASON)) {
            svar *w = sv_find(s, e->u.hole.text);
            return allow_state && !win && w && w->ok;
        }
        return !win;
    }
    if (e->kind == IR_EX_REF)
        return !win || e->u.ref.node == s->x->S;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            if (!marks_ok(s, e->u.call.args[i], allow_state, win))
                return false;
    return true;
}

static void mark_lags(sctx *s, const ir_expr *e)
{
    if (!e)
        return;
    if (is_mark(e, PREV_REASON)) {
        svar *w = sv_find(s, e->u.hole.text);
        if (w)
            w->need_lag = true;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            mark_lags(s, e->u.call.args[i]);
}

/* e with its markers replaced by references to the window columns (in place on a copy). */
static ir_expr *subst_marks(sctx *s, ir_expr *e)
{
    if (!e)
        return e;
    if (is_mark(e, PREV_REASON) || is_mark(e, STATE_REASON)) {
        svar *w = sv_find(s, e->u.hole.text);
        bool prev = is_mark(e, PREV_REASON);
        ir_expr *r = ir_ref(s->L->job, prev ? w->lag_node : w->val_node, prev ? w->lag_col : w->val_col);
        r->type = e->type;
        r->span = e->span;
        return r;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            e->u.call.args[i] = subst_marks(s, e->u.call.args[i]);
    return e;
}

static ir_expr *subst_copy(sctx *s, const ir_expr *e)
{
    return subst_marks(s, ir_expr_copy(s->L->job, e));
}

/* The initial value of a variable port of type t (NULL when there is no documented one). */
static ir_expr *var_init(lower *L, ir_type t)
{
    ir_expr *e = NULL;
    if (ir_type_is_numeric(t))
        e = ir_lit_int(L->job, 0);
    else if (t.kind == IR_TY_STRING)
        e = ir_lit_str(L->job, "");
    else if (ir_type_is_temporal(t))
        e = ir_lit(L->job, t.kind == IR_TY_DATE ? IR_LIT_DATE : IR_LIT_TIMESTAMP,
                   t.kind == IR_TY_DATE ? "0001-01-01" : "0001-01-01 00:00:00");
    if (e)
        e->type = t;
    return e;
}

/* Whether e is never NULL (conservative). */
static bool never_null(const ir_expr *e)
{
    if (!e)
        return false;
    if (e->kind == IR_EX_LIT)
        return e->u.lit.kind != IR_LIT_NULL;
    if (e->kind != IR_EX_CALL)
        return false;
    switch (e->u.call.fn) {
    case IR_FN_COALESCE:
        for (int i = 0; i < e->u.call.n_args; i++)
            if (never_null(e->u.call.args[i]))
                return true;
        return false;
    case IR_FN_IF:
        return never_null(e->u.call.args[1]) && never_null(e->u.call.args[2]);
    default:
        return false;
    }
}

static bool is_lit_one(const ir_expr *e)
{
    return e && e->kind == IR_EX_LIT && e->u.lit.kind == IR_LIT_INT && strcmp(e->u.lit.text, "1") == 0;
}

/* Recognises IIF(C, A, V) / IIF(C, A, V + S) (or the branches swapped) for state variable v. */
static bool match_recurrence(svar *v)
{
    const ir_expr *e = v->raw;
    const char *name = v->fl->name;
    if (!e || e->kind != IR_EX_CALL || e->u.call.fn != IR_FN_IF || e->u.call.n_args != 3)
        return false;
    ir_expr *c = e->u.call.args[0], *a = e->u.call.args[1], *b = e->u.call.args[2];
    if (has_mark(c, PREV_REASON, name))
        return false;
    bool in_a = has_mark(a, PREV_REASON, name), in_b = has_mark(b, PREV_REASON, name);
    if (in_a == in_b)
        return false;
    ir_expr *rec = in_b ? b : a, *rst = in_b ? a : b;
    v->swapped = in_a;
    v->cond = c;
    v->reset = rst;
    if (is_mark(rec, PREV_REASON)) {
        v->kind = SV_CARRY;
        return true;
    }
    if (rec->kind == IR_EX_CALL && rec->u.call.fn == IR_FN_ADD && rec->u.call.n_args == 2) {
        ir_expr *p = rec->u.call.args[0], *q = rec->u.call.args[1];
        if (is_mark(q, PREV_REASON) && infa_strieq(q->u.hole.text, name)) {
            ir_expr *t = p;
            p = q;
            q = t;
        }
        if (is_mark(p, PREV_REASON) && infa_strieq(p->u.hole.text, name) && !has_mark(q, PREV_REASON, name)) {
            v->kind = SV_SUM;
            v->step = q;
            return true;
        }
    }
    return false;
}

/* The order in which rows reach node S, as sort keys over S's columns: the nearest Sorter, sorted
 * Source Qualifier or ORDER BY of a lowered override upstream through row-order-preserving nodes.
 * Returns the number of keys (0: unknown) and a description in *from. */
static sqlfe_dialect sql_dialect(const char *dbtype);

static int8_t dialect_nulls(lower *L, int sq_node, bool desc)
{
    bool high = true; /* Oracle, DB2, Netezza, ANSI: NULL sorts above every value */
    for (int i = 0; sq_node && i < L->n_list; i++) {
        linst *li = L->list[i];
        if (li->node != sq_node)
            continue;
        for (int k = 0; k < li->n_ins; k++) {
            linst *s = li->ins[k]->from;
            if (s->kind == LK_SOURCE && s->def && s->def->dbtype) {
                sqlfe_dialect d = sql_dialect(s->def->dbtype);
                high = !(d == SQLFE_TSQL || d == SQLFE_TERADATA);
                break;
            }
        }
        break;
    }
    return (high != desc) ? 2 : 1;
}

/* The column of via that already passes column col of origin on unchanged (a chain of plain
 * references), or NULL. */
static const char *carried(lower *L, int via, int origin, const char *col, int depth)
{
    if (via == origin)
        return col;
    ir_node *n = ir_job_node(L->job, via);
    if (!n || n->n_inputs == 0 || depth > 400 || !carries(n))
        return NULL;
    const char *in = carried(L, n->inputs[0], origin, col, depth + 1);
    if (!in)
        return NULL;
    for (int c = 0; c < n->n_cols; c++) {
        const ir_expr *e = n->cols[c].expr;
        if (e && e->kind == IR_EX_REF && e->u.ref.node == n->inputs[0] && strcmp(e->u.ref.col, in) == 0)
            return n->cols[c].name;
    }
    return NULL;
}

static int input_order(lower *L, int S, ir_sort_key **out, const char **from)
{
    int cur = S, sq = 0;
    for (int guard = 0; guard < 400 && cur > 0; guard++) {
        ir_node *n = ir_job_node(L->job, cur);
        if (!n)
            return 0;
        if (n->legacy_type && strcmp(n->legacy_type, "Source Qualifier") == 0 && !sq)
            sq = n->id;
        if ((n->op == IR_OP_SORT || n->op == IR_OP_SOURCE) && n->n_order > 0) {
            if (n->op == IR_OP_SOURCE && !sq)
                sq = n->id;
            ir_sort_key *k = arena_alloc(L->a, (size_t)n->n_order * sizeof *k);
            for (int i = 0; i < n->n_order; i++) {
                ir_expr *e = n->order[i].expr;
                if (!e || e->kind != IR_EX_REF)
                    return 0;
                const char *own = NULL;
                if (e->u.ref.node == n->id)
                    own = e->u.ref.col;
                else
                    for (int c = 0; c < n->n_cols && !own; c++) {
                        ir_expr *ce = n->cols[c].expr;
                        if (ce && ce->kind == IR_EX_REF && ce->u.ref.node == e->u.ref.node && strcmp(ce->u.ref.col, e->u.ref.col) == 0)
                            own = n->cols[c].name;
                    }
                const char *name = own ? carried(L, S, n->id, own, 0) : NULL;
                if (own && !name)
                    name = expose(L, S, n->id, own, 0);
                if (!name)
                    return 0;
                n = ir_job_node(L->job, cur);
                k[i].expr = ir_ref(L->job, S, name);
                k[i].expr->type = e->type;
                k[i].desc = n->order[i].desc;
                k[i].nulls = n->order[i].nulls ? n->order[i].nulls : dialect_nulls(L, sq, k[i].desc);
            }
            *out = k;
            *from = n->name;
            return n->n_order;
        }
        switch (n->op) {
        case IR_OP_PROJECT: case IR_OP_FILTER: case IR_OP_LOOKUP: case IR_OP_SEQUENCE: case IR_OP_UPDATE:
        case IR_OP_ROUTER: case IR_OP_WINDOW:
            if (n->n_inputs == 0)
                return 0;
            cur = n->inputs[0];
            break;
        default:
            return 0;
        }
    }
    return 0;
}

static ir_node *window_node(lower *L, const ir_node *proj, const char *suffix, int input, bool known, const char *from)
{
    ir_node *w = ir_node_add(L->job, IR_OP_WINDOW, ir_intern(L->job, arena_printf(L->a, "%s.%s", proj->name, suffix)));
    w->span = proj->span;
    ir_node_add_input(L->job, w, input);
    ir_node_add_prop(L->job, w, "row_order", known ? arena_printf(L->a, "the order established by %s", from)
                                                     : "unknown: PowerCenter processes rows in the order they arrive");
    w->frame.unit = IR_FRAME_ROWS;
    w->frame.start.kind = IR_BOUND_UNBOUNDED_PRECEDING;
    w->frame.end.kind = IR_BOUND_CURRENT_ROW;
    return w;
}

static void order_by_seq(lower *L, ir_node *w, int seq_node)
{
    ir_expr *r = ir_ref(L->job, seq_node, "ROW_SEQ");
    r->type = ir_type_make(IR_TY_BIGINT, 0, 0);
    ir_node_add_order(L->job, w, r, false);
    w->order[w->n_order - 1].nulls = 2;
}

static ir_column *win_col(lower *L, ir_node *w, const char *name, ir_type t, ir_expr *e, bool known, ir_span sp)
{
    ir_column *c = ir_node_add_col(L->job, w, unique_col(L, w, name), t, e);
    c->span = sp;
    if (!known)
        c->flags |= IR_COL_ORDER_DEPENDENT;
    return c;
}

/* eval_vars for an Expression: the previous-row values and reset recurrences above become window
 * nodes between the stream and n (n->inputs[0] is moved); returns whether it did. */
static bool eval_vars_rows(lower *L, ectx *x, ir_node *proj)
{
    const infa_def *d = x->li->def;
    sctx s = {L, x, NULL, 0};
    s.v = arena_alloc(L->a, (size_t)(d->n_fields ? d->n_fields : 1) * sizeof *s.v);
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_var(fl))
            continue;
        put_val(x, fl, NULL);
        val_of(x, fl->name)->pending_var = true;
        svar *v = &s.v[s.n++];
        memset(v, 0, sizeof *v);
        v->fl = fl;
    }
    /* 1. parse in port order; previous values are PREV markers, states STATE markers */
    bool any = false;
    for (int i = 0; i < s.n; i++) {
        svar *v = &s.v[i];
        const infa_field *fl = v->fl;
        ir_type t = field_type(d, fl);
        ir_expr *e;
        bool od = false;
        if (nonempty(fl->expr)) {
            e = parse_in(x, fl->expr, fl->line, "TRANSFORMFIELD", "EXPRESSION", false, NULL);
            od = x->order_dep;
        } else {
            e = null_of(L, t);
        }
        if (e->type.kind == IR_TY_UNKNOWN)
            e->type = t;
        v->raw = e;
        v->state = has_mark(e, PREV_REASON, fl->name);
        any |= od;
        pval *pv = val_of(x, fl->name);
        if (v->state) {
            ir_expr *m = ir_hole(L->job, fl->name, STATE_REASON);
            m->type = t;
            m->span = e->span;
            pv->e = m;
        } else {
            pv->e = e;
        }
        pv->pending_var = false;
        pv->order_dep = od;
    }
    /* 2. what can be lowered */
    for (int i = 0; i < s.n; i++) {
        svar *v = &s.v[i];
        v->lag_ok = x->S && !v->state && refs_only(v->raw, x->S) && var_init(L, field_type(d, v->fl));
    }
    for (int i = 0; i < s.n; i++) {
        svar *v = &s.v[i];
        if (!v->state || !x->S || !match_recurrence(v))
            continue;
        ir_type t = field_type(d, v->fl);
        if (v->kind == SV_SUM && !ir_type_is_numeric(t))
            continue;
        if (!var_init(L, t))
            continue;
        v->ok = marks_ok(&s, v->cond, false, true) && marks_ok(&s, v->reset, false, true) &&
                (v->kind != SV_SUM || marks_ok(&s, v->step, false, true));
    }
    for (int i = 0; i < s.n; i++) {
        svar *v = &s.v[i];
        if (!v->state)
            v->ok = !has_mark(v->raw, PREV_REASON, NULL) && !has_mark(v->raw, STATE_REASON, NULL)
                        ? true
                        : x->S && marks_ok(&s, v->raw, true, false);
    }
    /* 3. the window nodes */
    bool windows = false;
    for (int i = 0; i < s.n; i++) {
        svar *v = &s.v[i];
        if (!v->ok)
            continue;
        if (v->state) {
            windows = true;
            mark_lags(&s, v->cond);
            mark_lags(&s, v->reset);
            mark_lags(&s, v->step);
        } else if (has_mark(v->raw, PREV_REASON, NULL)) {
            windows = true;
            mark_lags(&s, v->raw);
        }
    }
    (void)any;
    bool known = false;
    if (windows) {
        int pid = proj->id;
        ir_sort_key *keys = NULL;
        const char *from = NULL;
        int nk = input_order(L, x->S, &keys, &from);
        known = nk > 0;
        proj = ir_job_node(L->job, pid);
        /* the arrival order, numbered once so that every window reads the same order */
        ir_node *w = window_node(L, proj, "row_order", x->S, known, from);
        for (int k = 0; k < nk; k++) {
            ir_node_add_order(L->job, w, keys[k].expr, keys[k].desc);
            w->order[w->n_order - 1].nulls = keys[k].nulls;
        }
        win_col(L, w, "ROW_SEQ", ir_type_make(IR_TY_BIGINT, 0, 0), ir_call(L->job, IR_FN_ROW_NUMBER, 0, 0, NULL), known, proj->span);
        int seq = w->id, last = w->id;
        /* previous values */
        bool lags = false;
        for (int i = 0; i < s.n; i++)
            lags |= s.v[i].need_lag;
        if (lags) {
            w = window_node(L, proj, "previous_row", last, known, from);
            order_by_seq(L, w, seq);
            for (int i = 0; i < s.n; i++) {
                svar *v = &s.v[i];
                if (!v->need_lag)
                    continue;
                ir_type t = field_type(d, v->fl);
                ir_expr *args[3] = {ir_expr_copy(L->job, v->raw), ir_lit_int(L->job, 1), var_init(L, t)};
                ir_expr *lag = ir_call(L->job, IR_FN_LAG, 0, 3, args);
                lag->type = t;
                ir_column *c = win_col(L, w, arena_printf(L->a, "PREV_%s", v->fl->name), t, lag, known, span_at(L, v->fl->line, "TRANSFORMFIELD"));
                c->legacy = ir_intern(L->job, v->fl->name);
                v->lag_col = c->name;
                v->lag_node = w->id;
            }
            last = w->id;
        }
        /* islands: one running count per distinct reset indicator */
        ir_expr **ind = arena_alloc(L->a, (size_t)(s.n ? s.n : 1) * sizeof *ind);
        const char **grp_col = arena_alloc(L->a, (size_t)(s.n ? s.n : 1) * sizeof *grp_col);
        int n_ind = 0, grp_node = 0;
        for (int i = 0; i < s.n; i++) {
            svar *v = &s.v[i];
            if (!v->ok || !v->state)
                continue;
            if (!grp_node) {
                w = window_node(L, proj, "groups", last, known, from);
                order_by_seq(L, w, seq);
                grp_node = last = w->id;
            }
            ir_expr *r = ir_call3(L->job, IR_FN_IF, subst_copy(&s, v->cond), ir_lit_int(L->job, v->swapped ? 0 : 1),
                                  ir_lit_int(L->job, v->swapped ? 1 : 0));
            r->type = ir_type_make(IR_TY_INT, 0, 0);
            int g = 0;
            while (g < n_ind && !ir_expr_equal(ind[g], r))
                g++;
            if (g == n_ind) {
                ind[n_ind] = r;
                w = ir_job_node(L->job, grp_node);
                ir_expr *sum = ir_call1(L->job, IR_FN_SUM, ir_expr_copy(L->job, r));
                ir_column *c = win_col(L, w, arena_printf(L->a, "GROUP_%s", v->fl->name), ir_type_make(IR_TY_BIGINT, 0, 0), sum, known, span_at(L, v->fl->line, "TRANSFORMFIELD"));
                grp_col[n_ind++] = c->name;
            }
            v->grp = g;
        }
        /* values within each island */
        for (int g = 0; g < n_ind; g++) {
            w = window_node(L, proj, arena_printf(L->a, "group_%d", g + 1), last, known, from);
            ir_expr *key = ir_ref(L->job, grp_node, grp_col[g]);
            key->type = ir_type_make(IR_TY_BIGINT, 0, 0);
            ir_node_add_key(L->job, w, key);
            order_by_seq(L, w, seq);
            last = w->id;
            for (int i = 0; i < s.n; i++) {
                svar *v = &s.v[i];
                if (!v->ok || !v->state || v->grp != g)
                    continue;
                ir_type t = field_type(d, v->fl);
                ir_expr *c = subst_copy(&s, v->cond), *a = subst_copy(&s, v->reset), *e;
                if (v->kind == SV_CARRY) {
                    ir_expr *init = var_init(L, t);
                    ir_expr *arg = v->swapped ? ir_call3(L->job, IR_FN_IF, c, init, a) : ir_call3(L->job, IR_FN_IF, c, a, init);
                    e = ir_call1(L->job, IR_FN_FIRST_VALUE, arg);
                } else if (is_lit_one(v->reset) && is_lit_one(v->step)) {
                    e = ir_call(L->job, IR_FN_ROW_NUMBER, 0, 0, NULL);
                } else {
                    ir_expr *st = subst_copy(&s, v->step);
                    ir_expr *tt = v->swapped ? ir_call3(L->job, IR_FN_IF, c, st, a) : ir_call3(L->job, IR_FN_IF, c, a, st);
                    e = ir_call1(L->job, IR_FN_SUM, tt);
                    if (!never_null(a) || !never_null(st)) {
                        /* V + NULL is NULL from that row on, while SUM skips NULLs */
                        ir_expr *all = ir_call2(L->job, IR_FN_EQ, ir_call1(L->job, IR_FN_COUNT, ir_expr_copy(L->job, tt)),
                                                ir_call(L->job, IR_FN_COUNT_STAR, 0, 0, NULL));
                        e = ir_call3(L->job, IR_FN_IF, all, e, null_of(L, t));
                    }
                }
                e->type = t;
                e->span = v->raw->span;
                w = ir_job_node(L->job, last);
                ir_column *col = win_col(L, w, v->fl->name, t, e, known, span_at(L, v->fl->line, "TRANSFORMFIELD"));
                col->legacy = ir_intern(L->job, v->fl->expr);
                v->val_col = col->name;
                v->val_node = w->id;
            }
        }
        /* every window reads its predecessor: references go through the chain */
        for (int id = seq; id <= last; id++) {
            ir_node *wn = ir_job_node(L->job, id);
            if (wn && wn->op == IR_OP_WINDOW)
                rewrite_node(L, wn);
        }
        proj = ir_job_node(L->job, pid);
        proj->inputs[0] = last;
    }
    /* 4. the values: lowered, or the hole as before */
    for (int i = 0; i < s.n; i++) {
        svar *v = &s.v[i];
        pval *pv = val_of(x, v->fl->name);
        bool marked = v->state || has_mark(v->raw, PREV_REASON, NULL) || has_mark(v->raw, STATE_REASON, NULL);
        if (!marked)
            continue;
        if (v->ok) {
            pv->e = v->state ? subst_marks(&s, ir_hole(L->job, v->fl->name, STATE_REASON)) : subst_copy(&s, v->raw);
            if (v->state) {
                pv->e->type = field_type(d, v->fl);
                pv->e->span = v->raw->span;
            }
            pv->order_dep = !known;
        } else {
            ir_expr *h = ir_hole(L->job, v->fl->expr, "variable port that keeps state between rows");
            h->type = field_type(d, v->fl);
            h->span = v->raw->span;
            pv->e = h;
            pv->order_dep = true;
        }
    }
    return windows;
}

static bool is_standard_default(const char *dv)
{
    return !dv || strcmp(dv, "ERROR('transformation error')") == 0 || strcmp(dv, "ERROR(\"transformation error\")") == 0;
}

/* The value of an output port: its expression, or for an input/output port its input. */
static ir_expr *out_value(lower *L, ectx *x, const infa_field *fl, bool agg, bool *order_dep)
{
    *order_dep = false;
    const infa_def *d = x->li->def;
    pval *v = val_of(x, fl->name);
    bool passthrough = is_in(fl) || !nonempty(fl->expr);
    ir_expr *e;
    if (passthrough && v && v->e) {
        e = ir_expr_copy(L->job, v->e);
        *order_dep = v->order_dep;
    } else if (nonempty(fl->expr)) {
        e = parse_in(x, fl->expr, fl->line, "TRANSFORMFIELD", "EXPRESSION", agg, NULL);
        *order_dep = x->order_dep;
    } else {
        e = null_of(L, field_type(d, fl));
    }
    if (e->type.kind == IR_TY_UNKNOWN)
        e->type = field_type(d, fl);
    return e;
}

static void ectx_init(ectx *x, lower *L, linst *li)
{
    memset(x, 0, sizeof *x);
    x->L = L;
    x->li = li;
}

static void keep_default(lower *L, ir_node *n, const infa_field *fl)
{
    if (is_out(fl) && !is_standard_default(fl->defval))
        ir_node_add_prop(L->job, n, arena_printf(L->a, "default.%s", fl->name), fl->defval);
}

/* ---- per transformation type ---- */

/* The start of every one-input transformation: its expression context over its ports, one node
 * of kind op wired to the stream the ports come from, recorded as the instance's node. */
static ir_node *begin_unary(lower *L, linst *li, ectx *x, ir_op op)
{
    ectx_init(x, L, li);
    gather(L, x, NULL, NULL);
    ir_node *n = new_node(L, op, li->name, li);
    if (x->S)
        ir_node_add_input(L->job, n, x->S);
    li->node = n->id;
    return n;
}

static void lower_expression(lower *L, linst *li)
{
    ectx x;
    ir_node *n = begin_unary(L, li, &x, IR_OP_PROJECT);
    bool windows = eval_vars_rows(L, &x, n);
    const infa_def *d = li->def;
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_out(fl))
            continue;
        bool od;
        ir_expr *e = out_value(L, &x, fl, false, &od);
        n = ir_job_node(L->job, li->node);
        ir_column *c = add_col(L, n, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
        if (od)
            c->flags |= IR_COL_ORDER_DEPENDENT;
        if (!is_in(fl) && nonempty(fl->expr))
            c->legacy = ir_intern(L->job, fl->expr);
        set_out(L, li, fl->name, n->id, c->name);
        keep_default(L, n, fl);
    }
    if (windows) /* the stream now reaches n through the window nodes */
        rewrite_node(L, ir_job_node(L->job, li->node));
    finish_pending(L, &x, ir_job_node(L->job, li->node));
}

static bool field_is_io(const infa_field *fl, const void *arg)
{
    (void)arg;
    return is_in(fl);
}

/* Columns for the input/output ports of a row-preserving node (filter, sort, update...). */
static void passthrough_cols(lower *L, ectx *x, ir_node *n)
{
    const infa_def *d = x->li->def;
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_out(fl))
            continue;
        bool od;
        ir_expr *e = out_value(L, x, fl, false, &od);
        n = ir_job_node(L->job, n->id);
        ir_column *c = add_col(L, n, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
        if (od)
            c->flags |= IR_COL_ORDER_DEPENDENT;
        set_out(L, x->li, fl->name, n->id, c->name);
    }
}

static ir_expr *parse_attr(ectx *x, const char *name, bool agg)
{
    const infa_attr *a = attr_rec(x->li, name);
    if (!a || !nonempty(a->value))
        return NULL;
    return parse_in(x, a->value, a->line, "TABLEATTRIBUTE", "VALUE", agg, NULL);
}

static void lower_filter(lower *L, linst *li)
{
    ectx x;
    ectx_init(&x, L, li);
    gather(L, &x, field_is_io, NULL);
    ir_node *n = new_node(L, IR_OP_FILTER, li->name, li);
    if (x.S)
        ir_node_add_input(L->job, n, x.S);
    li->node = n->id;
    const char *cond = attr_of(li, "Filter Condition");
    n->predicate = parse_attr(&x, "Filter Condition", false);
    n = ir_job_node(L->job, li->node);
    if (!n->predicate)
        n->predicate = ir_lit_bool(L->job, true);
    if (nonempty(cond))
        n->legacy = ir_intern(L->job, cond);
    passthrough_cols(L, &x, n);
    finish_pending(L, &x, ir_job_node(L->job, li->node));
}

static bool contains_agg(const ir_expr *e)
{
    if (!e || e->kind != IR_EX_CALL)
        return false;
    if (ir_fn_is_aggregate(e->u.call.fn))
        return true;
    for (int i = 0; i < e->u.call.n_args; i++)
        if (contains_agg(e->u.call.args[i]))
            return true;
    return false;
}

static bool is_groupby(const infa_field *fl)
{
    return fl->exprtype && infa_strieq(fl->exprtype, "GROUPBY");
}

static void lower_aggregator(lower *L, linst *li)
{
    ectx x;
    ir_node *n = begin_unary(L, li, &x, IR_OP_AGGREGATE);
    eval_vars(L, &x, false);
    const infa_def *d = li->def;
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_groupby(fl))
            continue;
        pval *v = val_of(&x, fl->name);
        ir_expr *k = v && v->e ? ir_expr_copy(L->job, v->e)
                               : parse_in(&x, fl->expr ? fl->expr : fl->name, fl->line, "TRANSFORMFIELD", "EXPRESSION",
                                          false, NULL);
        ir_node_add_key(L->job, ir_job_node(L->job, li->node), k);
    }
    n = ir_job_node(L->job, li->node);
    if (n->n_keys == 0)
        ir_node_add_prop(L->job, n, "group_by", "none: one output row");
    const char *sorted = attr_of(li, "Sorted Input");
    if (sorted && infa_strieq(sorted, "YES"))
        ir_node_add_prop(L->job, n, "sorted_input", "YES");
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_out(fl))
            continue;
        bool od = false;
        ir_expr *e;
        if (is_groupby(fl)) {
            e = out_value(L, &x, fl, false, &od);
        } else if (is_in(fl)) {
            /* Neither grouped nor aggregated: the value of the group's last row, NULL included.
             * Left as the plain value in an order-dependent column (docs/ir.md): an explicit
             * last() would mean Informatica's LAST(), which skips NULLs. */
            e = out_value(L, &x, fl, false, &od);
            od = true;
        } else {
            e = out_value(L, &x, fl, true, &od);
            if (!contains_agg(e) && ir_expr_contains(e, IR_EXPR_MASK(IR_EX_REF)))
                od = true; /* evaluated on the last row of the group, as above */
        }
        if (e->type.kind == IR_TY_UNKNOWN)
            e->type = field_type(d, fl);
        n = ir_job_node(L->job, li->node);
        ir_column *c = add_col(L, n, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
        if (od)
            c->flags |= IR_COL_ORDER_DEPENDENT;
        if (!is_in(fl) && nonempty(fl->expr))
            c->legacy = ir_intern(L->job, fl->expr);
        set_out(L, li, fl->name, n->id, c->name);
        keep_default(L, n, fl);
    }
    finish_pending(L, &x, ir_job_node(L->job, li->node));
}

static bool field_master(const infa_field *fl, const void *arg)
{
    bool master = has(fl->porttype, "MASTER");
    return arg ? master : !master;
}

static void lower_joiner(lower *L, linst *li)
{
    ectx xm, xd;
    ectx_init(&xm, L, li);
    ectx_init(&xd, L, li);
    gather(L, &xm, field_master, (void *)1);
    gather(L, &xd, field_master, NULL);
    /* one value table for the condition and the outputs */
    const infa_def *d = li->def;
    for (int i = 0; i < d->n_fields; i++) {
        pval *v = val_of(&xm, d->fields[i].name);
        if (v && has(d->fields[i].porttype, "MASTER"))
            put_val(&xd, &d->fields[i], v->e);
    }
    ir_node *n = new_node(L, IR_OP_JOIN, li->name, li);
    ir_node_add_input(L->job, n, xd.S ? xd.S : xm.S);
    ir_node_add_input(L->job, n, xm.S ? xm.S : xd.S);
    li->node = n->id;
    const char *jt = attr_of(li, "Join Type");
    n->join = IR_JOIN_INNER;
    if (jt && strstr(jt, "Master Outer"))
        n->join = IR_JOIN_LEFT; /* all detail rows, matching master rows */
    else if (jt && strstr(jt, "Detail Outer"))
        n->join = IR_JOIN_RIGHT; /* all master rows, matching detail rows */
    else if (jt && strstr(jt, "Full Outer"))
        n->join = IR_JOIN_FULL;
    if (jt)
        ir_node_add_prop(L->job, n, "join_type", jt);
    const char *cond = attr_of(li, "Join Condition");
    xd.S = 0; /* no unconnected lookups inside a join condition */
    ir_expr *p = parse_attr(&xd, "Join Condition", false);
    n = ir_job_node(L->job, li->node);
    n->predicate = p ? p : ir_lit_bool(L->job, true);
    if (nonempty(cond))
        n->legacy = ir_intern(L->job, cond);
    const char *so = attr_of(li, "Sorted Input");
    if (so && infa_strieq(so, "YES"))
        ir_node_add_prop(L->job, n, "sorted_input", "YES");
    passthrough_cols(L, &xd, n);
}

static void lower_lookup(lower *L, linst *li)
{
    ectx x;
    ectx_init(&x, L, li);
    const infa_def *d = li->def;
    gather(L, &x, NULL, NULL);
    int src = lookup_source(L, li);
    ir_node *n = new_node(L, IR_OP_LOOKUP, li->name, li);
    if (x.S)
        ir_node_add_input(L->job, n, x.S);
    else
        ir_node_add_input(L->job, n, src); /* nothing flows in: keep inputs[0] meaningful */
    ir_node_add_input(L->job, n, src);
    li->node = n->id;
    n->join = IR_JOIN_LEFT;
    const char *pol = attr_of(li, "Lookup policy on multiple match");
    n->match = match_policy(pol);
    if (pol)
        ir_node_add_prop(L->job, n, "multiple_match", pol);
    const char *cond = attr_of(li, "Lookup condition");
    if (nonempty(cond))
        n->legacy = ir_intern(L->job, cond);
    const char *dyn = attr_of(li, "Dynamic Lookup Cache");
    if (dyn && infa_strieq(dyn, "YES"))
        ir_node_add_prop(L->job, n, "dynamic_cache", "YES");
    lkctx k;
    memset(&k, 0, sizeof k);
    k.L = L, k.li = li, k.src = src, k.outer = &x;
    ir_expr *p = lk_parse(L, &k);
    n = ir_job_node(L->job, li->node);
    n->predicate = p;
    bool od = n->match == IR_MATCH_FIRST || n->match == IR_MATCH_LAST || n->match == IR_MATCH_ANY;
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_out(fl))
            continue;
        ir_expr *e;
        bool from_table = has(fl->porttype, "LOOKUP");
        if (from_table) {
            e = ir_ref(L->job, src, fl->name);
        } else {
            bool o;
            e = out_value(L, &x, fl, false, &o);
        }
        n = ir_job_node(L->job, li->node);
        ir_column *c = add_col(L, n, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
        if (from_table && od)
            c->flags |= IR_COL_ORDER_DEPENDENT;
        set_out(L, li, fl->name, n->id, c->name);
    }
}

static void lower_router(lower *L, linst *li)
{
    ectx x;
    ectx_init(&x, L, li);
    const infa_def *d = li->def;
    gather(L, &x, NULL, NULL);
    ir_node *r = new_node(L, IR_OP_ROUTER, li->name, li);
    if (x.S)
        ir_node_add_input(L->job, r, x.S);
    li->node = r->id;
    /* the router's columns are its input ports; group predicates read them */
    ectx g;
    ectx_init(&g, L, li);
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_in(fl))
            continue;
        pval *v = val_of(&x, fl->name);
        r = ir_job_node(L->job, li->node);
        ir_column *c = add_col(L, r, fl->name, field_type(d, fl), v && v->e ? v->e : null_of(L, field_type(d, fl)),
                               fl->line, "TRANSFORMFIELD");
        ir_expr *ref = ir_ref(L->job, li->node, c->name);
        ref->span = c->span;
        put_val(&g, fl, ref);
    }
    int n_out = 0;
    ir_expr **preds = arena_alloc(L->a, (size_t)(d->n_groups + 1) * sizeof *preds);
    for (int gi = 0; gi < d->n_groups; gi++) {
        const infa_group *gr = &d->groups[gi];
        if (!has(gr->type, "OUTPUT") || has(gr->type, "DEFAULT"))
            continue;
        preds[n_out++] = nonempty(gr->expr) ? parse_in(&g, gr->expr, gr->line, "GROUP", "EXPRESSION", false, NULL)
                                            : ir_lit_bool(L->job, true);
    }
    int k = 0;
    for (int gi = 0; gi < d->n_groups; gi++) {
        const infa_group *gr = &d->groups[gi];
        if (!has(gr->type, "OUTPUT"))
            continue;
        bool dflt = has(gr->type, "DEFAULT");
        ir_node *f = new_node(L, IR_OP_FILTER, arena_printf(L->a, "%s.%s", li->name, gr->name), li);
        f->span = span_at(L, gr->line, "GROUP");
        ir_node_add_input(L->job, f, li->node);
        f->group = ir_intern(L->job, dflt ? "DEFAULT" : gr->name);
        if (dflt) {
            /* rows that reach no other group: NOT(coalesce(g1, false) OR ...) */
            ir_expr *any;
            if (n_out == 0) {
                any = ir_lit_bool(L->job, false);
            } else {
                ir_expr **v = arena_alloc(L->a, (size_t)n_out * sizeof *v);
                for (int j = 0; j < n_out; j++)
                    v[j] = ir_call2(L->job, IR_FN_COALESCE, ir_expr_copy(L->job, preds[j]), ir_lit_bool(L->job, false));
                any = n_out == 1 ? v[0] : ir_call(L->job, IR_FN_OR, 0, n_out, v);
            }
            f->predicate = ir_call1(L->job, IR_FN_NOT, any);
            ir_node_add_prop(L->job, f, "router_group", gr->name);
        } else {
            f->predicate = preds[k++];
            if (nonempty(gr->expr))
                f->legacy = ir_intern(L->job, gr->expr);
        }
        for (int i = 0; i < d->n_fields; i++) {
            const infa_field *fl = &d->fields[i];
            if (!is_out(fl) || !fl->group || !infa_strieq(fl->group, gr->name))
                continue;
            const char *rf = fl->ref_field ? fl->ref_field : fl->name;
            ir_node *rn = ir_job_node(L->job, li->node);
            ir_column *rc = ir_node_col_ci(rn, rf);
            ir_expr *e = rc ? ir_ref(L->job, li->node, rc->name) : null_of(L, field_type(d, fl));
            f = ir_job_node(L->job, f->id);
            ir_column *c = add_col(L, f, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
            set_out(L, li, fl->name, f->id, c->name);
        }
    }
}

static void lower_sorter(lower *L, linst *li)
{
    ectx x;
    ir_node *n = begin_unary(L, li, &x, IR_OP_SORT);
    const char *dist = attr_of(li, "Distinct");
    n->distinct = dist && infa_strieq(dist, "YES");
    const char *cs = attr_of(li, "Case Sensitive");
    if (cs)
        ir_node_add_prop(L->job, n, "case_sensitive", cs);
    /* "Null Treated Low" NO (the default): NULL sorts above every value, so it comes last
     * ascending and first descending; YES the other way round. Explicit, as targets differ. */
    const char *ntl = attr_of(li, "Null Treated Low");
    bool null_low = ntl && infa_strieq(ntl, "YES");
    const infa_def *d = li->def;
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!fl->sort_key)
            continue;
        pval *v = val_of(&x, fl->name);
        if (v && v->e) {
            n = ir_job_node(L->job, li->node);
            ir_node_add_order(L->job, n, ir_expr_copy(L->job, v->e), fl->sort_desc);
            n->order[n->n_order - 1].nulls = (null_low != fl->sort_desc) ? 1 : 2;
        }
    }
    passthrough_cols(L, &x, n);
}

static void lower_rank(lower *L, linst *li)
{
    ectx x;
    ir_node *n = begin_unary(L, li, &x, IR_OP_RANK);
    const char *tb = attr_of(li, "Top/Bottom"), *nr = attr_of(li, "Number of Ranks");
    n->bottom = tb && infa_strieq(tb, "Bottom");
    n->top_n = nr ? atoll(nr) : 1;
    const infa_def *d = li->def;
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        pval *v = val_of(&x, fl->name);
        if (!v || !v->e)
            continue;
        if (is_groupby(fl))
            ir_node_add_key(L->job, n, ir_expr_copy(L->job, v->e));
        else if (fl->exprtype && infa_strieq(fl->exprtype, "RANKPORT"))
            ir_node_add_order(L->job, n, ir_expr_copy(L->job, v->e), !n->bottom); /* top: largest first */
    }
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_out(fl))
            continue;
        n = ir_job_node(L->job, li->node);
        if (fl->exprtype && infa_strieq(fl->exprtype, "RANKINDEX")) {
            ir_column *c = add_col(L, n, fl->name, field_type(d, fl), NULL, fl->line, "TRANSFORMFIELD");
            c->flags |= IR_COL_GENERATED;
            set_out(L, li, fl->name, n->id, c->name);
            continue;
        }
        bool od;
        ir_expr *e = out_value(L, &x, fl, false, &od);
        n = ir_job_node(L->job, li->node);
        ir_column *c = add_col(L, n, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
        set_out(L, li, fl->name, n->id, c->name);
    }
}

static void lower_update(lower *L, linst *li)
{
    ectx x;
    ir_node *n = begin_unary(L, li, &x, IR_OP_UPDATE);
    passthrough_cols(L, &x, n);
    const infa_attr *a = attr_rec(li, "Update Strategy Expression");
    ir_expr *e = a && nonempty(a->value) ? parse_in(&x, a->value, a->line, "TABLEATTRIBUTE", "VALUE", false, NULL)
                                         : ir_lit_int(L->job, 0);
    n = ir_job_node(L->job, li->node);
    ir_column *c = add_col(L, n, "ROW_OP", ir_type_make(IR_TY_INT, 0, 0), e, a ? a->line : 0, "TABLEATTRIBUTE");
    c->flags |= IR_COL_ROW_OP;
    c->tags = 0;
    if (a && nonempty(a->value)) {
        c->legacy = ir_intern(L->job, a->value);
        n->legacy = c->legacy;
    }
    const char *fw = attr_of(li, "Forward Rejected Rows");
    if (fw)
        ir_node_add_prop(L->job, n, "forward_rejected_rows", fw);
    finish_pending(L, &x, ir_job_node(L->job, li->node));
}

static bool in_group(const infa_field *fl, const void *arg)
{
    return fl->group && infa_strieq(fl->group, (const char *)arg);
}

static int cmp_group_order(const void *a, const void *b)
{
    const infa_group *x = *(const infa_group *const *)a, *y = *(const infa_group *const *)b;
    return x->order - y->order;
}

static void lower_union(lower *L, linst *li)
{
    const infa_def *d = li->def;
    const infa_group **gs = arena_alloc(L->a, (size_t)(d->n_groups + 1) * sizeof *gs);
    int ng = 0;
    for (int i = 0; i < d->n_groups; i++)
        if (infa_strieq(d->groups[i].type, "INPUT"))
            gs[ng++] = &d->groups[i];
    qsort(gs, (size_t)ng, sizeof *gs, cmp_group_order);
    const infa_field **outs = arena_alloc(L->a, (size_t)(d->n_fields + 1) * sizeof *outs);
    int no = 0;
    for (int i = 0; i < d->n_fields; i++)
        if (is_out(&d->fields[i]) && !is_in(&d->fields[i]))
            outs[no++] = &d->fields[i];
    int *projs = arena_alloc(L->a, (size_t)(ng + 1) * sizeof *projs);
    for (int g = 0; g < ng; g++) {
        ectx x;
        ectx_init(&x, L, li);
        gather(L, &x, in_group, gs[g]->name);
        ir_node *p = new_node(L, IR_OP_PROJECT, arena_printf(L->a, "%s.%s", li->name, gs[g]->name), li);
        p->span = span_at(L, gs[g]->line, "GROUP");
        if (x.S)
            ir_node_add_input(L->job, p, x.S);
        int j = 0;
        for (int i = 0; i < d->n_fields && j < no; i++) {
            const infa_field *fl = &d->fields[i];
            if (!is_in(fl) || !in_group(fl, gs[g]->name))
                continue;
            pval *v = val_of(&x, fl->name);
            p = ir_job_node(L->job, p->id);
            add_col(L, p, outs[j]->name, field_type(d, outs[j]), v && v->e ? v->e : null_of(L, field_type(d, fl)),
                    fl->line, "TRANSFORMFIELD");
            j++;
        }
        for (; j < no; j++)
            add_col(L, p, outs[j]->name, field_type(d, outs[j]), null_of(L, field_type(d, outs[j])), 0, NULL);
        projs[g] = p->id;
    }
    ir_node *u = new_node(L, IR_OP_UNION, li->name, li);
    for (int g = 0; g < ng; g++)
        ir_node_add_input(L->job, u, projs[g]);
    li->node = u->id;
    for (int j = 0; j < no; j++) {
        ir_column *c = add_col(L, u, outs[j]->name, field_type(d, outs[j]), NULL, outs[j]->line, "TRANSFORMFIELD");
        set_out(L, li, outs[j]->name, u->id, c->name);
    }
}

static void lower_procedure(lower *L, linst *li, const char *reason);

static void lower_normalizer(lower *L, linst *li)
{
    const infa_def *d = li->def;
    int occurs = 1;
    bool have_ref = false;
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_in(fl) || !fl->ref_src_field)
            continue;
        have_ref = true;
        int k = 0;
        for (int j = 0; j < d->n_fields; j++)
            if (is_in(&d->fields[j]) && d->fields[j].ref_src_field &&
                infa_strieq(d->fields[j].ref_src_field, fl->ref_src_field))
                k++;
        if (k > occurs)
            occurs = k;
    }
    if (!have_ref) {
        lower_procedure(L, li, "Normalizer without input ports per occurrence (COBOL/VSAM source)");
        return;
    }
    ectx x;
    ir_node *n = begin_unary(L, li, &x, IR_OP_NORMALIZE);
    n->occurs = occurs;
    const char *keep[] = {"Reset", "Restart"};
    for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
        const char *v = attr_of(li, keep[k]);
        if (nonempty(v))
            ir_node_add_prop(L->job, n, keep[k], v);
    }
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_out(fl) || is_in(fl))
            continue;
        n = ir_job_node(L->job, li->node);
        ir_type t = field_type(d, fl);
        if (has(fl->porttype, "GENERATED KEY")) {
            ir_column *c = add_col(L, n, fl->name, t, NULL, fl->line, "TRANSFORMFIELD");
            c->flags |= IR_COL_GENERATED;
            /* one value per input row (its occurrences share it), continuing from the value
             * stored in the repository: it persists between runs unless Reset/Restart is set */
            ir_node_add_prop(L->job, n, arena_printf(L->a, "generated_key.%s", fl->name),
                             arena_printf(L->a, "one value per input row; next value %s, persists between runs",
                                          nonempty(fl->seqgen_value) ? fl->seqgen_value : "1"));
            n = ir_job_node(L->job, li->node);
            set_out(L, li, fl->name, n->id, c->name);
            continue;
        }
        ir_expr **alts = arena_alloc(L->job->arena, (size_t)occurs * sizeof *alts);
        int k = 0;
        bool gcid = has(fl->porttype, "GENERATED COLUMN ID");
        if (gcid) {
            for (k = 0; k < occurs; k++)
                alts[k] = ir_lit_int(L->job, k + 1);
        } else {
            for (int j = 0; j < d->n_fields && k < occurs; j++) {
                const infa_field *in = &d->fields[j];
                if (!is_in(in) || !in->ref_src_field || !fl->ref_src_field || !infa_strieq(in->ref_src_field, fl->ref_src_field))
                    continue;
                pval *v = val_of(&x, in->name);
                alts[k++] = v && v->e ? ir_expr_copy(L->job, v->e) : null_of(L, t);
            }
        }
        ir_column *c;
        if (k == 1 && !gcid) {
            c = add_col(L, n, fl->name, t, alts[0], fl->line, "TRANSFORMFIELD");
        } else {
            for (; k < occurs; k++)
                alts[k] = null_of(L, t);
            c = add_col(L, n, fl->name, t, NULL, fl->line, "TRANSFORMFIELD");
            c->alts = alts;
            c->n_alts = occurs;
            if (gcid)
                c->flags |= IR_COL_GENERATED;
        }
        set_out(L, li, fl->name, n->id, c->name);
    }
}

static void lower_procedure(lower *L, linst *li, const char *reason)
{
    ectx x;
    ectx_init(&x, L, li);
    if (li->def)
        gather(L, &x, NULL, NULL);
    else {
        /* not in the file: its inputs are whatever is connected */
        for (int i = 0; i < li->n_ins; i++) {
            pref p = get_out(L, li->ins[i]->from, li->ins[i]->from_field, 0);
            if (p.node > x.S)
                x.S = p.node;
        }
    }
    ir_node *n = new_node(L, IR_OP_PROCEDURE, li->name, li);
    if (x.S)
        ir_node_add_input(L->job, n, x.S);
    li->node = n->id;
    n->hole_reason = ir_intern(L->job, reason);
    strbuf sb = STRBUF_INIT;
    if (li->def) {
        sb_printf(&sb, "%s %s\n", li->def->type, li->def->name);
        if (li->def->template_name)
            sb_printf(&sb, "Template: %s\n", li->def->template_name);
        for (int i = 0; i < li->def->n_attrs; i++) {
            const char *v = attr_of(li, li->def->attrs[i].name);
            if (nonempty(v) && !infa_strieq(li->def->attrs[i].name, "Tracing Level")) {
                sb_printf(&sb, "%s: %s\n", li->def->attrs[i].name, v);
                ir_node_add_prop(L->job, n, li->def->attrs[i].name, v);
            }
        }
        for (int i = 0; i < li->def->n_fields; i++) {
            const infa_field *fl = &li->def->fields[i];
            if (nonempty(fl->expr) && !infa_strieq(fl->expr, fl->name))
                sb_printf(&sb, "%s = %s\n", fl->name, fl->expr);
        }
    } else {
        sb_printf(&sb, "%s %s (definition not in the file)\n", li->inst->tx_type, li->inst->tx_name);
    }
    n->legacy = ir_intern(L->job, sb_cstr(&sb));
    sb_free(&sb);
    if (li->def) {
        const infa_def *d = li->def;
        for (int i = 0; i < d->n_fields; i++) {
            const infa_field *fl = &d->fields[i];
            if (!is_out(fl))
                continue;
            pval *v = val_of(&x, fl->name);
            ir_expr *e;
            if (is_in(fl) && v && v->e)
                e = ir_expr_copy(L->job, v->e); /* input/output ports pass their value through */
            else {
                e = ir_hole(L->job, nonempty(fl->expr) ? fl->expr : fl->name, reason);
                e->type = field_type(d, fl);
            }
            n = ir_job_node(L->job, li->node);
            ir_column *c = add_col(L, n, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
            set_out(L, li, fl->name, n->id, c->name);
        }
    } else {
        for (int i = 0; i < li->n_outs; i++) {
            const char *port = li->outs[i]->from_field;
            if (infa_map_get(&li->out, port))
                continue;
            ir_expr *e = ir_hole(L->job, port, reason);
            n = ir_job_node(L->job, li->node);
            ir_column *c = add_col(L, n, port, ir_type_make(IR_TY_UNKNOWN, 0, 0), e, 0, NULL);
            set_out(L, li, port, n->id, c->name);
        }
    }
}

/* Does a node upstream of id flag rows with an update strategy? */
static const ir_node *find_update(lower *L, int id, int depth)
{
    ir_node *n = ir_job_node(L->job, id);
    if (!n || depth > 400)
        return NULL;
    if (n->op == IR_OP_UPDATE)
        return n;
    if (n->op == IR_OP_AGGREGATE || n->op == IR_OP_SOURCE)
        return NULL;
    for (int i = 0; i < n->n_inputs; i++) {
        if (n->op == IR_OP_LOOKUP && i > 0)
            break;
        const ir_node *u = find_update(L, n->inputs[i], depth + 1);
        if (u)
            return u;
    }
    return NULL;
}

static void lower_target(lower *L, linst *li)
{
    ectx x;
    ectx_init(&x, L, li);
    const infa_def *d = li->def;
    ir_dataset *ds = add_dataset(L, li);
    int S = 0;
    ir_node *n;
    if (d) {
        /* a target's fields are all inputs */
        pref *p = arena_alloc(L->a, (size_t)(d->n_fields ? d->n_fields : 1) * sizeof *p);
        linst *seqs[8];
        int n_seqs = 0;
        for (int i = 0; i < d->n_fields; i++) {
            lconn *c = infa_map_get(&li->in_by_field, d->fields[i].name);
            p[i].node = 0;
            p[i].seq = NULL;
            if (!c)
                continue;
            p[i] = get_out(L, c->from, c->from_field, 0);
            if (p[i].seq && n_seqs < 8) {
                bool seen = false;
                for (int k = 0; k < n_seqs; k++)
                    seen |= seqs[k] == p[i].seq;
                if (!seen)
                    seqs[n_seqs++] = p[i].seq;
            }
        }
        x.S = choose_stream(L, p, d->n_fields);
        if (n_seqs)
            add_sequence_nodes(L, &x, seqs, n_seqs);
        S = x.S;
        n = new_node(L, IR_OP_TARGET, li->name, li);
        if (S)
            ir_node_add_input(L->job, n, S);
        li->node = n->id;
        for (int i = 0; i < d->n_fields; i++) {
            const infa_field *fl = &d->fields[i];
            if (!p[i].node && !p[i].seq)
                continue;
            int origin = p[i].seq ? p[i].seq->node : p[i].node;
            const char *name = expose(L, S, origin, p[i].col, 0);
            ir_expr *e = name ? ir_ref(L->job, S, name) : ir_hole(L->job, fl->name, "value from another pipeline branch");
            n = ir_job_node(L->job, li->node);
            ir_column *c = add_col(L, n, fl->name, field_type(d, fl), e, fl->line, "TARGETFIELD");
            if (has(fl->keytype, "PRIMARY"))
                c->flags |= IR_COL_KEY;
        }
    } else {
        for (int i = 0; i < li->n_ins; i++) {
            pref p = get_out(L, li->ins[i]->from, li->ins[i]->from_field, 0);
            if (p.node > S)
                S = p.node;
        }
        n = new_node(L, IR_OP_TARGET, li->name, li);
        if (S)
            ir_node_add_input(L->job, n, S);
        li->node = n->id;
        for (int i = 0; i < li->n_ins; i++) {
            pref p = get_out(L, li->ins[i]->from, li->ins[i]->from_field, 0);
            const char *name = p.node ? expose(L, S, p.node, p.col, 0) : NULL;
            ir_expr *e = name ? ir_ref(L->job, S, name) : ir_hole(L->job, li->ins[i]->to_field, "value not reachable");
            n = ir_job_node(L->job, li->node);
            add_col(L, n, li->ins[i]->to_field, e->type, e, 0, NULL);
            ir_dataset_add_col(L->job, ir_job_dataset(L->job, ds->name), li->ins[i]->to_field, e->type);
        }
    }
    n = ir_job_node(L->job, li->node);
    n->dataset = ir_job_dataset(L->job, dataset_name(L, li))->name;
    const ir_node *u = S ? find_update(L, S, 0) : NULL;
    if (u) {
        n->load = IR_LOAD_MERGE;
        int nk = 0;
        for (int i = 0; d && i < d->n_fields; i++)
            nk += has(d->fields[i].keytype, "PRIMARY") != 0;
        n->merge_keys = arena_alloc(L->job->arena, (size_t)(nk ? nk : 1) * sizeof *n->merge_keys);
        for (int i = 0; d && i < d->n_fields; i++)
            if (has(d->fields[i].keytype, "PRIMARY"))
                n->merge_keys[n->n_merge_keys++] = ir_intern(L->job, d->fields[i].name);
        ir_node_add_prop(L->job, n, "row_op_node", u->name);
        if (nk == 0)
            ir_node_add_prop(L->job, n, "merge_note", "update strategy upstream but the target has no primary key");
    } else {
        n->load = IR_LOAD_APPEND;
    }
    const char *keep[] = {"Pre SQL", "Post SQL", "Update Override", "Table Name Prefix", "Reject Truncated/Overflowed Rows"};
    for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
        const char *v = attr_of(li, keep[k]);
        if (nonempty(v))
            ir_node_add_prop(L->job, n, keep[k], v);
    }
}

/* ---- SQL held in attributes (frontends/sql) ----
 *
 * Source Qualifier and Lookup overrides, source filters and user-defined joins are SQL of the
 * source database. They are lowered with the SQL frontend; whatever cannot be lowered keeps the
 * hole it had before (never a guess). sqlfe is given a pseudo file name ("<file>#sql") and base
 * 1:1, so its positions are (line, column) inside the decoded attribute value; they are mapped
 * back to the raw XML (where newlines are usually &#xA; entities) with infa_attr_locate, for
 * messages and for the spans of everything sqlfe made. Its messages are collected first and then
 * reported as warnings: a SQL syntax error means a dialect feature not parsed yet, and the mapping
 * still converts with the hole. */

typedef struct sqlmsg {
    diag_level level;
    int line, col;
    const char *msg;
} sqlmsg;

typedef struct sqlrun {
    lower *L;
    const infa_attr *attr; /* the TABLEATTRIBUTE holding the text */
    const char *text;      /* the decoded value given to sqlfe */
    size_t len;
    const char *pseudo;    /* sqlfe's file name for this text */
    const char *owner;     /* the instance the text belongs to (names of unnamed nodes) */
    sqlmsg *msgs;
    int n_msgs, cap_msgs;
    diag_ctx dc;
    int n_nodes0, next_id0, n_datasets0, n_params0;
} sqlrun;

static void sql_sink(void *ud, const diag *d)
{
    sqlrun *r = ud;
    sqlmsg m = {d->level, d->line, d->col, arena_strdup(r->L->a, d->message ? d->message : "")};
    ARENA_PUSH(r->L->a, r->msgs, r->n_msgs, r->cap_msgs, m);
}

static void sql_begin(sqlrun *r, lower *L, const infa_attr *a)
{
    memset(r, 0, sizeof *r);
    r->L = L;
    r->attr = a;
    r->text = clean_text(L, a->value);
    r->len = strlen(r->text);
    r->pseudo = ir_intern(L->job, arena_printf(L->a, "%s#sql", L->file));
    diag_init(&r->dc, sql_sink, r);
    r->n_nodes0 = L->job->n_nodes;
    r->next_id0 = L->job->next_id;
    r->n_datasets0 = L->job->n_datasets;
    r->n_params0 = L->job->n_params;
}

static ir_span sql_base(const sqlrun *r)
{
    ir_span s = {r->pseudo, 1, 1};
    return s;
}

/* The offset in the text of sqlfe's (line, col) (see sqlfe_span_at). */
static size_t sql_offset(const sqlrun *r, int line, int col)
{
    size_t off = 0;
    for (int ln = 1; ln < line && off < r->len; off++)
        if (r->text[off] == '\n')
            ln++;
    long o = (long)off + col - 1;
    if (o < 0)
        o = 0;
    if ((size_t)o > r->len)
        o = (long)r->len;
    return (size_t)o;
}

/* The raw file position of an offset into the attribute value. */
static void sql_locate(const sqlrun *r, size_t off, int *line, int *col)
{
    if (!infa_attr_locate(r->L->f, r->attr->line, "TABLEATTRIBUTE", "VALUE", off, line, col)) {
        *line = r->attr->line;
        *col = r->attr->line > 0 ? infa_elem_col(r->L->f, r->attr->line, "TABLEATTRIBUTE") : 0;
    }
}

static void sql_fix_span(const sqlrun *r, ir_span *s)
{
    if (!s->file || strcmp(s->file, r->pseudo) != 0)
        return;
    int line, col;
    sql_locate(r, sql_offset(r, s->line, s->col), &line, &col);
    s->file = r->L->file;
    s->line = line;
    s->col = col;
}

static void sql_fix_expr(const sqlrun *r, ir_expr *e)
{
    if (!e)
        return;
    sql_fix_span(r, &e->span);
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            sql_fix_expr(r, e->u.call.args[i]);
}

/* Maps the spans of everything sqlfe added since sql_begin onto the XML file. */
static void sql_fix_spans(const sqlrun *r)
{
    ir_job *job = r->L->job;
    for (int i = r->n_nodes0; i < job->n_nodes; i++) {
        ir_node *n = job->nodes[i];
        if (!n->name || !*n->name) /* sqlfe leaves join nodes unnamed; backends need a name */
            n->name = ir_intern(job, arena_printf(r->L->a, "%s.%s%d", r->owner ? r->owner : "sql",
                                                  ir_op_name(n->op), n->id));
        sql_fix_span(r, &n->span);
        sql_fix_expr(r, n->predicate);
        for (int k = 0; k < n->n_keys; k++)
            sql_fix_expr(r, n->keys[k]);
        for (int k = 0; k < n->n_order; k++)
            sql_fix_expr(r, n->order[k].expr);
        for (int k = 0; k < n->n_cols; k++) {
            ir_column *c = &n->cols[k];
            sql_fix_span(r, &c->span);
            sql_fix_expr(r, c->expr);
            for (int a = 0; a < c->n_alts; a++)
                sql_fix_expr(r, c->alts[a]);
        }
    }
    for (int i = r->n_datasets0; i < job->n_datasets; i++) {
        ir_dataset *ds = &job->datasets[i];
        sql_fix_span(r, &ds->span);
        for (int k = 0; k < ds->n_cols; k++)
            sql_fix_span(r, &ds->cols[k].span);
    }
    for (int i = r->n_params0; i < job->n_params; i++)
        sql_fix_span(r, &job->params[i].span);
}

/* Forgets the nodes, datasets and parameters sqlfe added (the lowering is not used). */
static void sql_rollback(sqlrun *r)
{
    ir_job *job = r->L->job;
    job->n_nodes = r->n_nodes0;
    job->next_id = r->next_id0;
    job->n_datasets = r->n_datasets0;
    job->n_params = r->n_params0;
}

/* Reports the collected messages at their place in the XML file, as warnings; kept says what
 * stays legacy text when the lowering is not used (NULL when it is). */
static void sql_flush(sqlrun *r, const char *kept)
{
    lower *L = r->L;
    for (int i = 0; i < r->n_msgs; i++) {
        const sqlmsg *m = &r->msgs[i];
        int line, col;
        sql_locate(r, sql_offset(r, m->line, m->col), &line, &col);
        diag_level lv = m->level == DIAG_ERROR ? DIAG_WARNING : m->level;
        if (kept)
            diag_at(L->edc, lv, &L->f->src, L->f->path, line, col, "%s (%s)", m->msg, kept);
        else
            diag_at(L->edc, lv, &L->f->src, L->f->path, line, col, "%s", m->msg);
    }
    r->n_msgs = 0;
}

static void sql_warn_at_start(sqlrun *r, const char *msg)
{
    int line, col;
    sql_locate(r, 0, &line, &col);
    diag_at(r->L->edc, DIAG_WARNING, &r->L->f->src, r->L->f->path, line, col, "%s", msg);
}

static bool ci_contains(const char *s, const char *w)
{
    if (!s)
        return false;
    size_t n = strlen(w);
    for (; *s; s++)
        if (strncasecmp(s, w, n) == 0)
            return true;
    return false;
}

/* The SQL dialect of a source definition's DATABASETYPE. */
static sqlfe_dialect sql_dialect(const char *dbtype)
{
    if (ci_contains(dbtype, "Oracle"))
        return SQLFE_ORACLE;
    if (ci_contains(dbtype, "SQL Server") || ci_contains(dbtype, "Sybase"))
        return SQLFE_TSQL;
    if (ci_contains(dbtype, "Teradata"))
        return SQLFE_TERADATA;
    if (ci_contains(dbtype, "DB2"))
        return SQLFE_DB2;
    if (ci_contains(dbtype, "Netezza"))
        return SQLFE_NETEZZA;
    return SQLFE_ANSI;
}

static sqlfe_dialect sq_dialect(linst **srcs, int ns)
{
    for (int k = 0; k < ns; k++)
        if (srcs[k]->def && srcs[k]->def->dbtype)
            return sql_dialect(srcs[k]->def->dbtype);
    return SQLFE_ANSI;
}

/* ---- table columns for sqlfe: the source definitions of the file ---- */

typedef struct tabctx {
    lower *L;
    linst **srcs;
    int ns;
} tabctx;

/* Whether source definition d is the table named qual.name (qual may be NULL or "DB.OWNER"). */
static bool def_is_table(const infa_def *d, const char *qual, size_t qlen, const char *name)
{
    if (!d || d->flatfile || !infa_strieq(d->name, name))
        return false;
    if (!qual || !nonempty(d->owner))
        return true;
    const char *q = qual;
    for (size_t i = 0; i < qlen; i++)
        if (qual[i] == '.')
            q = qual + i + 1;
    size_t n = qlen - (size_t)(q - qual);
    return strlen(d->owner) == n && strncasecmp(d->owner, q, n) == 0;
}

static bool same_fields(const infa_def *a, const infa_def *b)
{
    if (a->n_fields != b->n_fields)
        return false;
    for (int i = 0; i < a->n_fields; i++)
        if (!infa_strieq(a->fields[i].name, b->fields[i].name))
            return false;
    return true;
}

/* The source (else target) definition of a table anywhere in the file; NULL when unknown or when
 * two definitions of that name disagree (*ambiguous then), never a guess. */
static const infa_def *find_table_def(lower *L, const char *qual, size_t qlen, const char *name, bool *ambiguous)
{
    for (int pass = 0; pass < 2; pass++) {
        const infa_def *d = NULL;
        for (int fi = 0; fi < L->f->n_folders; fi++) {
            const infa_map *m = pass == 0 ? &L->f->folder_list[fi]->sources : &L->f->folder_list[fi]->targets;
            for (size_t i = 0; i < m->cap; i++) {
                const infa_def *c = m->keys[i] ? m->vals[i] : NULL;
                if (!c || c == d || !def_is_table(c, qual, qlen, name))
                    continue;
                if (d && !same_fields(d, c)) {
                    *ambiguous = true;
                    return NULL;
                }
                d = c;
            }
        }
        if (d)
            return d;
    }
    return NULL;
}

static const sqlfe_column *sql_table_columns(void *ud, const char *table, int *n)
{
    bool ambiguous = false;
    tabctx *t = ud;
    lower *L = t->L;
    const char *dot = strrchr(table, '.');
    const char *name = dot ? dot + 1 : table;
    const char *qual = dot ? table : NULL;
    size_t qlen = dot ? (size_t)(dot - table) : 0;
    const infa_def *d = NULL;
    for (int k = 0; k < t->ns && !d; k++)
        if (def_is_table(t->srcs[k]->def, qual, qlen, name))
            d = t->srcs[k]->def;
    if (!d)
        d = find_table_def(L, qual, qlen, name, &ambiguous);
    if (!d || d->n_fields == 0)
        return NULL;
    sqlfe_column *cols = arena_alloc(L->a, (size_t)d->n_fields * sizeof *cols);
    for (int i = 0; i < d->n_fields; i++) {
        cols[i].name = d->fields[i].name;
        cols[i].type = field_type(d, &d->fields[i]);
    }
    *n = d->n_fields;
    return cols;
}

static int out_port_count(const infa_def *d, bool lookup_only)
{
    int n = 0;
    for (int i = 0; d && i < d->n_fields; i++)
        if (lookup_only ? has(d->fields[i].porttype, "LOOKUP") : is_out(&d->fields[i]))
            n++;
    return n;
}

/* ---- conditions (source filter, user-defined join) over the sources of a Source Qualifier ---- */

typedef struct qname {
    size_t off;        /* offset of the name in the condition text */
    const char *qual;  /* the qualifier, or NULL */
    const char *col;   /* the column: the name's last part */
} qname;

static void collect_names(arena *a, const sqlfe_ast *n, qname **v, int *nv, int *cap, bool *outer_plus)
{
    if (!n)
        return;
    if (n->flags & SQF_OUTER_PLUS)
        *outer_plus = true;
    if (n->kind == SQ_NAME && n->text) {
        const char *dot = strrchr(n->text, '.');
        qname q = {n->start >= 7 ? n->start - 7 : 0, dot ? arena_strndup(a, n->text, (size_t)(dot - n->text)) : NULL,
                   arena_strdup(a, dot ? dot + 1 : n->text)};
        ARENA_PUSH(a, *v, *nv, *cap, q);
    }
    for (int i = 0; i < n->n_kids; i++)
        collect_names(a, n->kids[i], v, nv, cap, outer_plus);
}

/* Whether qualifier q names source k (its table, owner.table, or the instance). */
static bool qual_is_source(lower *L, linst *s, const char *q)
{
    if (infa_strieq(q, s->name) || infa_strieq(q, dataset_name(L, s)))
        return true;
    if (s->def && infa_strieq(q, s->def->name))
        return true;
    const char *dot = strrchr(q, '.');
    return dot && s->def && infa_strieq(dot + 1, s->def->name);
}

typedef struct condmap {
    lower *L;
    sqlrun *r;
    int tmp;          /* the temporary node the condition was lowered over */
    linst **srcs;
    const int *sn;
    int ns;
    qname *names;
    int n_names;
    bool ok;
    size_t bad_off;       /* where a name could not be placed */
    const char *bad_name;
} condmap;

/* Re-points references to the temporary node at the source they name. */
static ir_expr *cond_map(condmap *m, ir_expr *e)
{
    if (!e || !m->ok)
        return e;
    if (e->kind == IR_EX_REF) {
        if (e->u.ref.node != m->tmp || !e->span.file) {
            m->ok = false;
            return e;
        }
        size_t off = sql_offset(m->r, e->span.line, e->span.col);
        const char *qual = NULL;
        bool found = false;
        for (int i = 0; i < m->n_names && !found; i++)
            if (m->names[i].off == off)
                found = true, qual = m->names[i].qual;
        int hit = -1, n_hits = 0;
        const char *col = NULL;
        for (int k = 0; found && k < m->ns; k++) {
            if (qual && !qual_is_source(m->L, m->srcs[k], qual))
                continue;
            ir_column *c = ir_node_col_ci(ir_job_node(m->L->job, m->sn[k]), e->u.ref.col);
            const infa_field *fl = c ? NULL : def_field(m->srcs[k]->def, e->u.ref.col);
            if (c || fl) {
                hit = k, n_hits++;
                col = c ? c->name : NULL;
            }
        }
        if (n_hits != 1) { /* unknown qualifier, or a bare name in several sources */
            m->ok = false;
            m->bad_off = off;
            m->bad_name = e->u.ref.col;
            return e;
        }
        if (!col) { /* a column of the table the Source Qualifier does not pass on: read it too */
            linst *src = m->srcs[hit];
            const infa_field *fl = def_field(src->def, e->u.ref.col);
            ir_node *sn = ir_job_node(m->L->job, m->sn[hit]);
            ir_column *c = add_col(m->L, sn, fl->name, field_type(src->def, fl), NULL, fl->line, "SOURCEFIELD");
            set_out(m->L, src, fl->name, sn->id, c->name);
            col = c->name;
        }
        ir_expr *r = ir_ref(m->L->job, m->sn[hit], col);
        r->span = e->span;
        r->type = e->type;
        return r;
    }
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            e->u.call.args[i] = cond_map(m, e->u.call.args[i]);
    return e;
}

/* Lowers a condition attribute (SQL of the source database) over source nodes sn[0..ns): the
 * result refers to those nodes (the caller rewrites it through its own inputs), or is NULL when
 * the text cannot be lowered without a hole (then the caller keeps its hole). With a single source,
 * sn[0] may be the Source Qualifier's own SOURCE node. */
static ir_expr *sql_condition(lower *L, const infa_attr *a, sqlfe_dialect dl, linst **srcs, const int *sn, int ns,
                              const char *kept)
{
    if (!a || !nonempty(a->value) || ns <= 0)
        return NULL;
    sqlrun r;
    sql_begin(&r, L, a);
    /* the qualifiers of the names, by offset (sqlfe resolves by the last part only) */
    arena *scratch = arena_new();
    char *buf = arena_printf(scratch, "SELECT %s", r.text);
    const char *err = NULL;
    size_t eoff = 0;
    sqlfe_ast *ast = sqlfe_parse_statement(scratch, buf, strlen(buf), dl, &err, &eoff);
    condmap m = {L, &r, 0, srcs, sn, ns, NULL, 0, true, 0, NULL};
    int cap = 0;
    bool outer_plus = false;
    collect_names(L->a, ast, &m.names, &m.n_names, &cap, &outer_plus);
    arena_free(scratch);
    if (outer_plus) { /* an Oracle (+) outer join: not a plain condition */
        sql_warn_at_start(&r, arena_printf(L->a, "an Oracle (+) outer join in a condition is not lowered (%s)", kept));
        return NULL;
    }
    /* One table: the condition runs against that table in the legacy database, so a column it
     * names that no port carries (a lookup source filter on a column the lookup does not return)
     * is still a column of that table; it joins the source node with its type unknown. */
    if (ns == 1) {
        ir_node *s = ir_job_node(L->job, sn[0]);
        for (int i = 0; s && i < m.n_names; i++) {
            const qname *q = &m.names[i];
            const char *ds = s->dataset, *dot = ds ? strrchr(ds, '.') : NULL;
            bool names_it = !q->qual || qual_is_source(L, srcs[0], q->qual) ||
                            (ds && (infa_strieq(q->qual, ds) || (dot && infa_strieq(q->qual, dot + 1))));
            if (names_it && !ir_node_col_ci(s, q->col)) {
                ir_column *c = ir_node_add_col(L->job, s, q->col, ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL);
                c->span = s->span;
            }
        }
    }
    /* Several tables: a name qualified by exactly one of them that its (partial) definition lacks
     * is a column of that table too; a bare one could belong to any of them and stays a hole. */
    for (int i = 0; ns > 1 && i < m.n_names; i++) {
        const qname *q = &m.names[i];
        int hit = -1, n_hits = 0;
        for (int k = 0; q->qual && k < ns; k++)
            if (qual_is_source(L, srcs[k], q->qual))
                hit = k, n_hits++;
        ir_node *s = n_hits == 1 ? ir_job_node(L->job, sn[hit]) : NULL;
        if (s && !ir_node_col_ci(s, q->col) && !def_field(srcs[hit]->def, q->col)) {
            ir_column *c = ir_node_add_col(L->job, s, q->col, ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL);
            c->span = s->span;
        }
    }
    /* a temporary node with every source's columns (bare names, first wins) */
    int tmp = sn[0];
    bool made_tmp = false;
    if (ns > 1) {
        ir_node *t = ir_node_add(L->job, IR_OP_PROJECT, "sql_condition");
        for (int k = 0; k < ns; k++) {
            ir_node *s = ir_job_node(L->job, sn[k]);
            for (int i = 0; s && i < s->n_cols; i++)
                if (!ir_node_col_ci(t, s->cols[i].name))
                    ir_node_add_col(L->job, t, s->cols[i].name, s->cols[i].type, NULL);
            /* the table's other columns too (a condition may use columns no port passes on) */
            const infa_def *d = srcs[k]->def;
            for (int i = 0; d && i < d->n_fields; i++)
                if (!ir_node_col_ci(t, d->fields[i].name))
                    ir_node_add_col(L->job, t, d->fields[i].name, field_type(d, &d->fields[i]), NULL);
        }
        tmp = t->id;
        made_tmp = true;
    }
    ir_expr *e = sqlfe_lower_expr(L->job, r.text, r.len, dl, tmp, sql_base(&r), &r.dc);
    if (made_tmp) { /* the temporary node is the last one: forget it */
        L->job->n_nodes--;
        L->job->next_id--;
    }
    if (e && ns > 1) {
        m.tmp = tmp;
        e = cond_map(&m, e);
        if (!m.ok) {
            e = NULL;
            int line, col;
            sql_locate(&r, m.bad_off, &line, &col);
            if (m.bad_name)
                diag_at(L->edc, DIAG_WARNING, &L->f->src, L->f->path, line, col,
                        "column '%s' is not in exactly one of the sources named (%s)", m.bad_name, kept);
        }
    }
    if (e && ir_expr_contains(e, IR_EXPR_MASK(IR_EX_HOLE)))
        e = NULL;
    if (!e) {
        sql_flush(&r, kept);
        L->job->n_params = r.n_params0;
        return NULL;
    }
    e->type = ir_type_make(IR_TY_BOOL, 0, 0);
    sql_fix_expr(&r, e);
    sql_fix_spans(&r);
    sql_flush(&r, NULL);
    return e;
}

/* ---- Source Qualifier SQL override ---- */

static bool port_connected(const linst *li, const char *port)
{
    for (int i = 0; i < li->n_outs; i++)
        if (infa_strieq(li->outs[i]->from_field, port))
            return true;
    return false;
}

/* Lowers the Sql Query of a Source Qualifier into nodes and a PROJECT named after the qualifier
 * that maps the select list onto the ports by position. Returns the PROJECT's id, or 0 when the
 * override stays legacy SQL. */
static int sq_lower_override(lower *L, linst *li, linst **srcs, int ns)
{
    const infa_attr *a = attr_rec(li, "Sql Query");
    const infa_def *d = li->def;
    if (!a || !nonempty(a->value) || !d)
        return 0;
    sqlrun r;
    sql_begin(&r, L, a);
    r.owner = li->name;
    tabctx t = {L, srcs, ns};
    /* definitions in exports are partial imports: the query runs against the real tables */
    sqlfe_source_info info = {sql_table_columns, &t, NULL};
    int out = 0;
    const char *kept = "the SQL override is kept as legacy SQL";
    int rc = sqlfe_lower_select_flags(L->job, r.text, r.len, sq_dialect(srcs, ns), &info, SQLFE_PARTIAL_DEFINITIONS,
                                      sql_base(&r), &r.dc, &out);
    if (rc < 0 || !ir_job_node(L->job, out)) {
        sql_rollback(&r);
        sql_flush(&r, kept);
        return 0;
    }
    /* the select list feeds the ports in order; PowerCenter counts the connected ports only */
    if (rc != 0) { /* SQLFE_LOSSY: an Oracle (+) the nodes could not place */
        sql_rollback(&r);
        sql_flush(&r, kept);
        sql_warn_at_start(&r, arena_printf(L->a, "Source Qualifier '%s': part of the SQL override would be ignored; %s",
                                           li->name, kept));
        return 0;
    }
    int nports = out_port_count(d, false), nconn = 0;
    for (int i = 0; i < d->n_fields; i++)
        if (is_out(&d->fields[i]) && port_connected(li, d->fields[i].name))
            nconn++;
    ir_node *o = ir_job_node(L->job, out);
    bool connected_only = o->n_cols != nports && o->n_cols == nconn;
    if (o->n_cols != nports && !connected_only) {
        int nc = o->n_cols;
        sql_rollback(&r);
        sql_flush(&r, kept);
        sql_warn_at_start(&r, arena_printf(L->a,
                                           "Source Qualifier '%s': the SQL override selects %d columns for %d ports "
                                           "(%d connected); %s",
                                           li->name, nc, nports, nconn, kept));
        return 0;
    }
    sql_fix_spans(&r);
    sql_flush(&r, NULL);
    ir_node *p = new_node(L, IR_OP_PROJECT, li->name, li);
    ir_node_add_input(L->job, p, out);
    ir_node_add_prop(L->job, p, "sql_override", r.text);
    int k = 0;
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_out(fl) || (connected_only && !port_connected(li, fl->name)))
            continue;
        o = ir_job_node(L->job, out);
        ir_expr *e = ir_ref(L->job, out, o->cols[k++].name);
        e->type = o->cols[k - 1].type;
        p = ir_job_node(L->job, p->id);
        ir_column *c = add_col(L, p, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
        lconn *cn = infa_map_get(&li->in_by_field, fl->name);
        const infa_field *sf = cn && cn->from->def ? def_field(cn->from->def, cn->from_field) : NULL;
        if (sf && has(sf->keytype, "PRIMARY"))
            c->flags |= IR_COL_KEY;
        if (sf && sf->not_null)
            c->flags |= IR_COL_NOT_NULL;
        set_out(L, li, fl->name, p->id, c->name);
    }
    /* PowerCenter ignores these when the query is overridden; kept for reviewers */
    const char *keep[] = {"User Defined Join", "Pre SQL", "Post SQL", "Source Filter", "Select Distinct",
                          "Number Of Sorted Ports"};
    for (size_t q = 0; q < sizeof keep / sizeof *keep; q++) {
        const char *v = attr_of(li, keep[q]);
        if (nonempty(v) && !(q >= 4 && (infa_strieq(v, "NO") || strcmp(v, "0") == 0)))
            ir_node_add_prop(L->job, p, keep[q], v);
    }
    return p->id;
}

/* ---- Lookup SQL override ---- */

/* The dialect of a lookup: the DATABASETYPE of the source or target definition of its table. */
static sqlfe_dialect lookup_dialect(lower *L, const linst *li)
{
    const char *table = attr_of(li, "Lookup table name");
    if (!nonempty(table))
        return SQLFE_ANSI;
    const char *dot = strrchr(table, '.');
    bool ambiguous = false;
    const infa_def *d = find_table_def(L, dot ? table : NULL, dot ? (size_t)(dot - table) : 0, dot ? dot + 1 : table,
                                       &ambiguous);
    return d ? sql_dialect(d->dbtype) : SQLFE_ANSI;
}

/* Lowers the Lookup Sql Override into nodes and a PROJECT "<lookup>.lookup_source" whose columns
 * are the lookup ports, matched by name to the select list's aliases (PowerCenter's rule for
 * lookup overrides). Returns the PROJECT's id, or 0 when the override stays legacy SQL. */
static int lk_lower_override(lower *L, linst *li)
{
    const infa_attr *a = attr_rec(li, "Lookup Sql Override");
    const infa_def *d = li->def;
    if (!a || !nonempty(a->value) || !d)
        return 0;
    sqlrun r;
    sql_begin(&r, L, a);
    r.owner = li->name;
    tabctx t = {L, NULL, 0};
    sqlfe_source_info info = {sql_table_columns, &t, NULL};
    int out = 0;
    const char *kept = "the lookup SQL override is kept as legacy SQL";
    int rc = sqlfe_lower_select_flags(L->job, r.text, r.len, lookup_dialect(L, li), &info, SQLFE_PARTIAL_DEFINITIONS,
                                      sql_base(&r), &r.dc, &out); /* partial definitions, as above */
    if (rc < 0 || !ir_job_node(L->job, out)) {
        sql_rollback(&r);
        sql_flush(&r, kept);
        return 0;
    }
    const char *missing = NULL;
    for (int i = 0; i < d->n_fields && !missing; i++)
        if (has(d->fields[i].porttype, "LOOKUP") && !ir_node_col_ci(ir_job_node(L->job, out), d->fields[i].name))
            missing = d->fields[i].name;
    if (missing || rc != 0) {
        sql_rollback(&r);
        sql_flush(&r, kept);
        sql_warn_at_start(&r, missing ? arena_printf(L->a, "Lookup '%s': the SQL override has no column named '%s'; %s",
                                                     li->name, missing, kept)
                                      : arena_printf(L->a, "Lookup '%s': part of the SQL override would be ignored; %s",
                                                     li->name, kept));
        return 0;
    }
    sql_fix_spans(&r);
    sql_flush(&r, NULL);
    ir_node *p = new_node(L, IR_OP_PROJECT, arena_printf(L->a, "%s.lookup_source", li->name), li);
    ir_node_add_input(L->job, p, out);
    ir_node_add_prop(L->job, p, "sql_override", r.text);
    for (int i = 0; i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!has(fl->porttype, "LOOKUP"))
            continue;
        ir_column *oc = ir_node_col_ci(ir_job_node(L->job, out), fl->name);
        ir_expr *e = ir_ref(L->job, out, oc->name);
        e->type = oc->type;
        p = ir_job_node(L->job, p->id);
        if (!ir_node_col_ci(p, fl->name))
            add_col(L, p, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
    }
    /* PowerCenter ignores the lookup source filter when the query is overridden */
    const char *filt = attr_of(li, "Lookup Source Filter");
    if (nonempty(filt))
        ir_node_add_prop(L->job, p, "lookup_source_filter", filt);
    const char *conn = attr_of(li, "Connection Information");
    if (nonempty(conn))
        ir_node_add_prop(L->job, p, "connection", conn);
    return p->id;
}

/* The Lookup Source Filter over the lookup's SOURCE node (its own columns), or NULL (hole kept). */
static ir_expr *lk_source_filter(lower *L, linst *li, int src)
{
    return sql_condition(L, attr_rec(li, "Lookup Source Filter"), lookup_dialect(L, li), &li, &src, 1,
                         "the lookup source filter is kept as SQL text");
}

/* ---- Source Qualifier ---- */

static void sq_common(lower *L, linst *li, ir_node *n, bool own_cols)
{
    const char *sql = attr_of(li, "Sql Query");
    if (nonempty(sql)) {
        n->sql = ir_intern(L->job, sql);
        ir_node_add_prop(L->job, n, "sql_override", "yes");
    }
    const char *keep[] = {"User Defined Join", "Pre SQL", "Post SQL"};
    for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
        const char *v = attr_of(li, keep[k]);
        if (nonempty(v))
            ir_node_add_prop(L->job, n, keep[k], v);
    }
    (void)own_cols;
}

static void lower_sq(lower *L, linst *li)
{
    const infa_def *d = li->def;
    /* the sources: connected Source Definitions, then ASSOCIATED_SOURCE_INSTANCE */
    linst *srcs[32];
    int ns = 0;
    for (int i = 0; i < li->n_ins && ns < 32; i++) {
        linst *s = li->ins[i]->from;
        bool seen = false;
        for (int k = 0; k < ns; k++)
            seen |= srcs[k] == s;
        if (!seen && s->kind == LK_SOURCE)
            srcs[ns++] = s;
    }
    for (int i = 0; li->inst && i < li->inst->n_assoc && ns < 32; i++) {
        linst *s = find_inst(L, li->prefix, li->inst->assoc[i], "Source Definition");
        bool seen = false;
        for (int k = 0; k < ns; k++)
            seen |= srcs[k] == s;
        if (s && !seen && s->kind == LK_SOURCE)
            srcs[ns++] = s;
    }
    const char *sql = attr_of(li, "Sql Query");
    const char *filt = attr_of(li, "Source Filter");
    const char *nsorted = attr_of(li, "Number Of Sorted Ports");
    const char *dist = attr_of(li, "Select Distinct");
    int n_sorted = nsorted ? atoi(nsorted) : 0;
    bool distinct = dist && infa_strieq(dist, "YES");
    if (nonempty(sql)) {
        int pid = sq_lower_override(L, li, srcs, ns);
        if (pid) {
            li->node = pid;
            return;
        }
    }
    sqlfe_dialect dl = sq_dialect(srcs, ns);
    const char *kept_filter = "the source filter is kept as SQL text";
    if (ns <= 1 || nonempty(sql)) {
        ir_node *n = new_node(L, IR_OP_SOURCE, li->name, li);
        li->node = n->id;
        const char *dsname = li->name;
        for (int k = 0; k < ns; k++) {
            ir_dataset *ds = add_dataset(L, srcs[k]);
            if (k == 0)
                dsname = ds->name;
        }
        if (ns == 0) {
            ir_dataset *ds = ir_job_add_dataset(L->job, li->name);
            ds->kind = "query";
            dsname = ds->name;
        }
        n->dataset = ir_intern(L->job, dsname);
        if (ns > 1) {
            strbuf sb = STRBUF_INIT;
            for (int k = 0; k < ns; k++)
                sb_printf(&sb, "%s%s", k ? "," : "", dataset_name(L, srcs[k]));
            ir_node_add_prop(L->job, n, "sources", sb_cstr(&sb));
            sb_free(&sb);
        }
        if (ns >= 1 && srcs[0]->def && srcs[0]->def->dbdname)
            ir_node_add_prop(L->job, n, "dbd", srcs[0]->def->dbdname);
        sq_common(L, li, n, true);
        for (int i = 0; d && i < d->n_fields; i++) {
            const infa_field *fl = &d->fields[i];
            if (!is_out(fl))
                continue;
            n = ir_job_node(L->job, li->node);
            ir_column *c = add_col(L, n, fl->name, field_type(d, fl), NULL, fl->line, "TRANSFORMFIELD");
            /* keys and NOT NULL from the source field feeding the port */
            lconn *cn = infa_map_get(&li->in_by_field, fl->name);
            const infa_field *sf = cn && cn->from->def ? def_field(cn->from->def, cn->from_field) : NULL;
            if (sf && has(sf->keytype, "PRIMARY"))
                c->flags |= IR_COL_KEY;
            if (sf && sf->not_null)
                c->flags |= IR_COL_NOT_NULL;
            set_out(L, li, fl->name, n->id, c->name);
            if (n_sorted > 0) {
                n_sorted--;
                ir_node_add_order(L->job, n, ir_ref(L->job, n->id, c->name), false);
            }
        }
        n = ir_job_node(L->job, li->node);
        n->distinct = distinct;
        if (nonempty(filt)) {
            int self = n->id;
            /* against exactly one known source (a qualifier with no connected source has none) */
            ir_expr *pe = nonempty(sql) || ns != 1
                              ? NULL
                              : sql_condition(L, attr_rec(li, "Source Filter"), dl, srcs, &self, 1, kept_filter);
            n = ir_job_node(L->job, li->node);
            if (pe) {
                n->predicate = pe;
                n->legacy = ir_intern(L->job, filt);
            } else {
                n->predicate = ir_hole(L->job, filt, "source filter (SQL of the source database)");
                n->predicate->type = ir_type_make(IR_TY_BOOL, 0, 0);
            }
            ir_node_add_prop(L->job, n, "source_filter", filt);
        }
        if (!d)
            for (int i = 0; i < li->n_outs; i++)
                if (!infa_map_get(&li->out, li->outs[i]->from_field)) {
                    ir_column *c = add_col(L, n, li->outs[i]->from_field, ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL, 0, NULL);
                    set_out(L, li, li->outs[i]->from_field, n->id, c->name);
                }
        return;
    }
    /* several sources without an override: one source node each, joined */
    int *sn = arena_alloc(L->a, (size_t)ns * sizeof *sn);
    for (int k = 0; k < ns; k++) {
        ir_dataset *ds = add_dataset(L, srcs[k]);
        ir_node *s = new_node(L, IR_OP_SOURCE, srcs[k]->name, srcs[k]);
        s->dataset = ds->name;
        if (srcs[k]->def && srcs[k]->def->dbdname)
            ir_node_add_prop(L->job, s, "dbd", srcs[k]->def->dbdname);
        sn[k] = s->id;
        srcs[k]->node = s->id;
        for (int i = 0; i < li->n_ins; i++) {
            lconn *c = li->ins[i];
            if (c->from != srcs[k])
                continue;
            const infa_field *sf = srcs[k]->def ? def_field(srcs[k]->def, c->from_field) : NULL;
            s = ir_job_node(L->job, sn[k]);
            if (ir_node_col_ci(s, c->from_field))
                continue;
            ir_column *col = add_col(L, s, c->from_field,
                                     sf ? field_type(srcs[k]->def, sf) : ir_type_make(IR_TY_UNKNOWN, 0, 0), NULL,
                                     sf ? sf->line : 0, "SOURCEFIELD");
            if (sf && has(sf->keytype, "PRIMARY"))
                col->flags |= IR_COL_KEY;
            set_out(L, srcs[k], c->from_field, sn[k], col->name);
        }
    }
    const char *udj = attr_of(li, "User Defined Join");
    int cur = sn[0];
    for (int k = 1; k < ns; k++) {
        bool last = k == ns - 1;
        ir_node *j = new_node(L, IR_OP_JOIN, last ? li->name : arena_printf(L->a, "%s.join%d", li->name, k), li);
        ir_node_add_input(L->job, j, cur);
        ir_node_add_input(L->job, j, sn[k]);
        j->join = IR_JOIN_INNER;
        if (last && nonempty(udj)) {
            ir_expr *pe = sql_condition(L, attr_rec(li, "User Defined Join"), dl, srcs, sn, ns,
                                        "the user-defined join is kept as SQL text");
            j->legacy = ir_intern(L->job, udj);
            if (pe) {
                j->predicate = pe;
                rewrite_node(L, j);
            } else {
                j->predicate = ir_hole(L->job, udj, "user-defined join (SQL of the source database)");
            }
        } else {
            /* keys between this source and the ones before it, from the source definitions */
            ir_expr *conj[16];
            int nc = 0;
            for (int a = 0; a <= k && nc < 16; a++) {
                const infa_def *da = srcs[a]->def;
                for (int i = 0; da && i < da->n_fields && nc < 16; i++) {
                    const infa_field *fl = &da->fields[i];
                    if (!fl->ref_table || !fl->ref_column)
                        continue;
                    for (int b = 0; b <= k; b++) {
                        if (b == a || (a != k && b != k) || !srcs[b]->def || !infa_strieq(srcs[b]->def->name, fl->ref_table))
                            continue;
                        pref *pa = infa_map_get(&srcs[a]->out, fl->name), *pb = infa_map_get(&srcs[b]->out, fl->ref_column);
                        if (!pa || !pb)
                            continue;
                        conj[nc++] = ir_call2(L->job, IR_FN_EQ, ir_ref(L->job, pa->node, pa->col), ir_ref(L->job, pb->node, pb->col));
                    }
                }
            }
            if (nc == 0) {
                j->join = IR_JOIN_CROSS;
                ir_node_add_prop(L->job, j, "join_note",
                                 "no user-defined join and no key relationship between the sources");
            } else {
                j->predicate = nc == 1 ? conj[0] : ir_call(L->job, IR_FN_AND, 0, nc, conj);
                rewrite_node(L, j);
            }
        }
        cur = j->id;
    }
    ir_node *j = ir_job_node(L->job, cur);
    sq_common(L, li, j, false);
    li->node = cur;
    for (int i = 0; d && i < d->n_fields; i++) {
        const infa_field *fl = &d->fields[i];
        if (!is_out(fl))
            continue;
        lconn *c = infa_map_get(&li->in_by_field, fl->name);
        pref *p = c ? infa_map_get(&c->from->out, c->from_field) : NULL;
        const char *name = p ? expose(L, cur, p->node, p->col, 0) : NULL;
        ir_expr *e = name ? ir_ref(L->job, cur, name) : null_of(L, field_type(d, fl));
        j = ir_job_node(L->job, cur);
        /* the joined sources' columns are already there: reuse them, under the port's name (a
         * second source's BRANCH_ID arrives on port BRANCH_ID1 while the join carries it as
         * BRANCH_ID_1). Never reference the join's own column from the join. */
        ir_column *have = name ? ir_node_col(j, name) : NULL;
        if (have && have->expr && have->expr->kind == IR_EX_REF && have->expr->u.ref.node != cur) {
            if (!infa_strieq(have->name, fl->name) && !ir_node_col_ci(j, fl->name)) {
                have->name = ir_intern(L->job, fl->name);
                infa_map_put(L->a, carry_map(L, cur), arena_printf(L->a, "%d\x1f%s", p->node, p->col),
                             (void *)have->name);
            }
            if (infa_strieq(have->name, fl->name)) {
                set_out(L, li, fl->name, cur, have->name);
                continue;
            }
            e = ir_expr_copy(L->job, have->expr);
        }
        ir_column *col = add_col(L, j, fl->name, field_type(d, fl), e, fl->line, "TRANSFORMFIELD");
        set_out(L, li, fl->name, cur, col->name);
    }
    if (nonempty(filt)) {
        ir_node *f = new_node(L, IR_OP_FILTER, arena_printf(L->a, "%s.source_filter", li->name), li);
        ir_node_add_input(L->job, f, cur);
        ir_expr *pe = sql_condition(L, attr_rec(li, "Source Filter"), dl, srcs, sn, ns, kept_filter);
        if (pe) {
            f->predicate = pe;
            f->legacy = ir_intern(L->job, filt);
            rewrite_node(L, f);
        } else {
            f->predicate = ir_hole(L->job, filt, "source filter (SQL of the source database)");
            f->predicate->type = ir_type_make(IR_TY_BOOL, 0, 0);
        }
        ir_node_add_prop(L->job, f, "source_filter", filt);
        li->node = f->id;
    }
    if (n_sorted > 0 || distinct) {
        ir_node *s = new_node(L, IR_OP_SORT, arena_printf(L->a, "%s.sorted", li->name), li);
        ir_node_add_input(L->job, s, li->node);
        s->distinct = distinct;
        li->node = s->id;
    }
    if (li->node != cur) {
        /* re-home the ports on the last node */
        int last = li->node;
        int sorted_left = n_sorted;
        for (int i = 0; d && i < d->n_fields; i++) {
            const infa_field *fl = &d->fields[i];
            pref *p = infa_map_get(&li->out, fl->name);
            if (!p || !is_out(fl))
                continue;
            const char *name = expose(L, last, p->node, p->col, 0);
            if (name) {
                if (sorted_left > 0) {
                    sorted_left--;
                    ir_node *s = ir_job_node(L->job, last);
                    ir_node_add_order(L->job, s, ir_ref(L->job, s->inputs[0], expose(L, s->inputs[0], p->node, p->col, 0)), false);
                }
                set_out(L, li, fl->name, last, name);
            }
        }
    }
}

/* ---- dispatch ---- */

static bool is_union(const infa_def *d)
{
    return infa_strieq(d->type, "Union Transformation") ||
           (infa_strieq(d->type, "Custom Transformation") && d->template_name &&
            infa_strieq(d->template_name, "Union Transformation"));
}

/* The transformation types with a relational lowering of their own, by TYPE attribute. */
static void (*relational_lowerer(const char *type))(lower *, linst *)
{
    static const struct {
        const char *type;
        void (*fn)(lower *, linst *);
    } table[] = {
        {"Expression", lower_expression}, {"Filter", lower_filter},     {"Joiner", lower_joiner},
        {"Lookup Procedure", lower_lookup}, {"Aggregator", lower_aggregator}, {"Router", lower_router},
        {"Sorter", lower_sorter},         {"Rank", lower_rank},         {"Update Strategy", lower_update},
        {"Normalizer", lower_normalizer},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (infa_strieq(type, table[i].type))
            return table[i].fn;
    return NULL;
}

static void lower_inst(lower *L, linst *li)
{
    if (li->state == 2)
        return;
    if (li->state == 1) {
        diag_at(L->f->dc, DIAG_ERROR, &L->f->src, L->f->path, li->inst ? li->inst->line : 0,
                li->inst ? infa_elem_col(L->f, li->inst->line, "INSTANCE") : 0,
                "instance '%s' is part of a connector cycle", li->name);
        return;
    }
    li->state = 1;
    const infa_def *d = li->def;
    if (li->kind == LK_PASS || li->kind == LK_MAPPLET) {
        /* values flow through (get_out); nothing to build */
    } else if (li->kind == LK_SOURCE) {
        if (!li->node)
            lower_source_def(L, li);
    } else if (li->kind == LK_TARGET) {
        lower_target(L, li);
    } else if (!d) {
        lower_procedure(L, li, arena_printf(L->a, "definition of %s '%s' is not in the file", li->inst->tx_type,
                                            li->inst->tx_name));
    } else if (!d->known_type) {
        lower_procedure(L, li, arena_printf(L->a, "unknown transformation type '%s'", d->type));
    } else if (infa_strieq(d->type, "Source Qualifier") || infa_strieq(d->type, "Application Source Qualifier")) {
        if (infa_strieq(d->type, "Source Qualifier"))
            lower_sq(L, li);
        else
            lower_procedure(L, li, "Application Source Qualifier reads a packaged application");
    } else if (relational_lowerer(d->type)) {
        relational_lowerer(d->type)(L, li);
    } else if (is_union(d)) {
        lower_union(L, li);
    } else if (infa_strieq(d->type, "Input Transformation") || infa_strieq(d->type, "Output Transformation")) {
        li->kind = LK_PASS;
    } else {
        lower_procedure(L, li, arena_printf(L->a, "%s transformation has no relational form", d->type));
    }
    ir_node *kn = li->node ? ir_job_node(L->job, li->node) : NULL;
    for (int i = 0; kn && i < li->n_kept_defaults; i++)
        ir_node_add_prop(L->job, kn, arena_printf(L->a, "input_default.%s", li->kept_defaults[i]->name),
                         li->kept_defaults[i]->defval);
    li->state = 2;
}

static bool is_unconnected_lookup(const linst *li)
{
    return li->kind == LK_TX && li->def && infa_strieq(li->def->type, "Lookup Procedure") && li->n_ins == 0 &&
           li->n_outs == 0;
}

static void add_params(lower *L, const infa_mapping *m)
{
    for (int i = 0; i < m->n_vars; i++) {
        const infa_var *v = &m->vars[i];
        const char *name = v->name;
        while (*name == '$')
            name++;
        if (!*name || ir_job_param(L->job, name))
            continue;
        ir_param *p = ir_job_add_param(L->job, name);
        p->type = infa_type(v->datatype, v->precision, v->scale, NULL);
        p->default_value = v->defval && *v->defval ? ir_intern(L->job, v->defval) : NULL;
        p->is_variable = !v->is_param;
        if (p->is_variable && v->aggfunction && *v->aggfunction) {
            char b[16];
            size_t k = 0;
            for (; v->aggfunction[k] && k < sizeof b - 1; k++)
                b[k] = (char)tolower((unsigned char)v->aggfunction[k]);
            b[k] = '\0';
            p->aggregation = ir_intern(L->job, b);
        }
        p->span = span_at(L, v->line, "MAPPINGVARIABLE");
    }
}

void infa_lower_mapping(infa_file *f, infa_folder *folder, const infa_mapping *m)
{
    lower Lv;
    memset(&Lv, 0, sizeof Lv);
    lower *L = &Lv;
    L->f = f;
    L->a = m->arena;
    L->job = ir_job_new(m->name);
    L->edc = f->dc;
    if (m->invalid) {
        diag_init(&L->wrap, downgrade_sink, f->dc);
        L->edc = &L->wrap;
    }
    L->file = ir_intern(L->job, f->path);
    ir_job *job = L->job;
    job->folder = ir_intern(job, folder->name);
    job->format = "informatica";
    job->file = L->file;
    job->line = m->line;
    job->description = m->description ? ir_intern(job, m->description) : NULL;
    add_params(L, m);
    flatten(L, folder, m, "", 0);
    for (int i = 0; i < L->n_list; i++)
        if (L->list[i]->kind == LK_MAPPLET)
            add_params(L, L->list[i]->mapplet);
    infa_params_apply(f, job);
    /* targets first pull their upstream in; then whatever is left (dangling branches) */
    for (int i = 0; i < L->n_list; i++)
        if (L->list[i]->kind == LK_TARGET)
            lower_inst(L, L->list[i]);
    for (int i = 0; i < L->n_list; i++) {
        linst *li = L->list[i];
        if (li->state || li->kind == LK_PASS || li->kind == LK_MAPPLET || is_unconnected_lookup(li))
            continue;
        if (li->kind == LK_SOURCE && li->n_outs > 0)
            continue; /* read through its Source Qualifier */
        if (li->def && infa_strieq(li->def->type, "Sequence"))
            continue;
        lower_inst(L, li);
    }
    if (ir_job_toposort(job) != 0)
        diag_at(f->dc, DIAG_ERROR, &f->src, f->path, m->line, infa_elem_col(f, m->line, "MAPPING"),
                "mapping '%s' has a cycle", m->name);
    f->counts.jobs++;
    if (f->on_job)
        f->on_job(f->userdata, job);
    else
        ir_job_free(job);
}
