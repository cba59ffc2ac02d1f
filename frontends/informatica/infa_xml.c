/*
 * infa_xml.c — streams a PowerCenter export with libxml2's xmlTextReader and turns each child
 * element of a FOLDER (SOURCE, TARGET, TRANSFORMATION, MAPPLET, MAPPING, SHORTCUT, workflow
 * objects) into the compact model of infa_internal.h. xmlTextReaderExpand builds one such element
 * at a time, so memory follows the largest element, not the file. A MAPPING is lowered to IR as
 * soon as it is read; one that refers to objects not read yet (shortcuts to folders later in the
 * file) waits until the end of the file. Workflow objects (WORKFLOW, WORKLET, SESSION, TASK,
 * SCHEDULER, CONFIG) are kept as element trees; infa_wf.c builds the flows once the file is read.
 *
 * Also here: the raw-text helpers that give elements and attribute values their file line:col,
 * and the small case-insensitive string map the frontend uses for names.
 */
#include "frontends/informatica/infa_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

/* ---- string map ---- */

bool infa_strieq(const char *a, const char *b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return false;
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
        a++, b++;
    }
    return *a == *b;
}

static size_t hash_ci(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (uint64_t)tolower((unsigned char)*s);
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

void *infa_map_get(const infa_map *m, const char *key)
{
    if (!m->cap || !key)
        return NULL;
    size_t i = hash_ci(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (infa_strieq(m->keys[i], key))
            return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

void infa_map_put(arena *a, infa_map *m, const char *key, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 16;
        const char **nk = arena_alloc(a, ncap * sizeof *nk);
        void **nv = arena_alloc(a, ncap * sizeof *nv);
        for (size_t j = 0; j < m->cap; j++) {
            if (!m->keys[j])
                continue;
            size_t i = hash_ci(m->keys[j]) & (ncap - 1);
            while (nk[i])
                i = (i + 1) & (ncap - 1);
            nk[i] = m->keys[j];
            nv[i] = m->vals[j];
        }
        m->keys = nk, m->vals = nv, m->cap = ncap;
    }
    size_t i = hash_ci(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (infa_strieq(m->keys[i], key)) {
            m->vals[i] = val;
            return;
        }
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
}

/* ---- raw text positions ---- */

static size_t line_start(const infa_file *f, int line)
{
    if (line < 1)
        return 0;
    if ((size_t)line > f->src.n_lines)
        return f->len;
    return f->src.line_starts[line - 1];
}

static size_t line_end(const infa_file *f, int line)
{
    size_t e = line_start(f, line);
    while (e < f->len && f->text[e] != '\n')
        e++;
    return e;
}

/* Offset of "<tag" whose start tag ends on `line` (libxml2 numbers an element by the line where
 * its start tag ends), searching back from the end of that line. */
static bool find_elem(const infa_file *f, int line, const char *tag, size_t *out)
{
    if (!f->text || line < 1 || (size_t)line > f->src.n_lines)
        return false;
    size_t tl = strlen(tag);
    /* an element's start tag nearly always begins its own line (after indentation): look there
     * before scanning the line, which can be thousands of bytes long */
    size_t i0 = line_start(f, line);
    while (i0 < f->len && (f->text[i0] == ' ' || f->text[i0] == '\t'))
        i0++;
    if (i0 < f->len && f->text[i0] == '<' && i0 + 1 + tl <= f->len && memcmp(f->text + i0 + 1, tag, tl) == 0) {
        char c = i0 + 1 + tl < f->len ? f->text[i0 + 1 + tl] : ' ';
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/') {
            *out = i0;
            return true;
        }
    }
    size_t end = line_end(f, line);
    size_t lo = line > 40 ? line_start(f, line - 40) : 0;
    for (size_t i = end; i-- > lo;) {
        if (f->text[i] == '<' && i + 1 + tl <= f->len && memcmp(f->text + i + 1, tag, tl) == 0) {
            char c = i + 1 + tl < f->len ? f->text[i + 1 + tl] : ' ';
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/') {
                *out = i;
                return true;
            }
        }
    }
    return false;
}

static void offset_line_col(const infa_file *f, size_t off, int *line, int *col)
{
    srcfile_line_col(&f->src, off, line, col);
}

int infa_elem_col(const infa_file *f, int line, const char *tag)
{
    size_t off;
    if (!find_elem(f, line, tag, &off))
        return 1;
    int l, c;
    offset_line_col(f, off, &l, &c);
    return l == line ? c : 1;
}

/* Offset of the first byte of attribute attr's value in the start tag at elem, or false. */
static bool find_attr_value(const infa_file *f, size_t elem, const char *attr, size_t *out, char *quote)
{
    size_t al = strlen(attr);
    size_t i = elem + 1;
    while (i < f->len && !isspace((unsigned char)f->text[i]) && f->text[i] != '>')
        i++;
    while (i < f->len) {
        while (i < f->len && isspace((unsigned char)f->text[i]))
            i++;
        if (i >= f->len || f->text[i] == '>' || f->text[i] == '/')
            return false;
        size_t ns = i;
        while (i < f->len && !isspace((unsigned char)f->text[i]) && f->text[i] != '=')
            i++;
        size_t ne = i;
        while (i < f->len && isspace((unsigned char)f->text[i]))
            i++;
        if (i >= f->len || f->text[i] != '=')
            return false;
        i++;
        while (i < f->len && isspace((unsigned char)f->text[i]))
            i++;
        if (i >= f->len || (f->text[i] != '"' && f->text[i] != '\''))
            return false;
        char q = f->text[i++];
        size_t vs = i;
        while (i < f->len && f->text[i] != q)
            i++;
        if (ne - ns == al && memcmp(f->text + ns, attr, al) == 0) {
            *out = vs;
            *quote = q;
            return true;
        }
        i++;
    }
    return false;
}

/* Decoded length of the character reference or entity at p (which starts with '&'), and its raw
 * length through *raw. */
static size_t entity_decoded_len(const char *p, const char *end, size_t *raw)
{
    const char *semi = memchr(p, ';', (size_t)(end - p));
    if (!semi || semi - p > 12) {
        *raw = 1;
        return 1;
    }
    *raw = (size_t)(semi - p) + 1;
    if (p[1] == '#') {
        unsigned long cp = p[2] == 'x' || p[2] == 'X' ? strtoul(p + 3, NULL, 16) : strtoul(p + 2, NULL, 10);
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    return 1; /* &amp; &lt; &gt; &quot; &apos; */
}

bool infa_attr_locate(const infa_file *f, int line, const char *tag, const char *attr, size_t offset,
                      int *out_line, int *out_col)
{
    size_t elem, vs;
    char q;
    if (!find_elem(f, line, tag, &elem) || !find_attr_value(f, elem, attr, &vs, &q))
        return false;
    const char *p = f->text + vs, *end = f->text + f->len;
    size_t dec = 0;
    while (p < end && *p != q && dec < offset) {
        if (*p == '&') {
            size_t raw;
            dec += entity_decoded_len(p, end, &raw);
            p += raw;
        } else {
            dec++;
            p++;
        }
    }
    offset_line_col(f, (size_t)(p - f->text), out_line, out_col);
    return true;
}

/* ---- element conversion ---- */

typedef struct xattrs {
    const char *name[64];
    const char *value[64];
    int n;
    xmlChar *owned[64]; /* values that had to be built */
    int n_owned;
} xattrs;

static void xattrs_load(xattrs *xa, xmlNode *n)
{
    xa->n = 0;
    xa->n_owned = 0;
    for (xmlAttr *a = n->properties; a && xa->n < 64; a = a->next) {
        const char *v = "";
        if (a->children && !a->children->next && a->children->type == XML_TEXT_NODE)
            v = (const char *)a->children->content;
        else if (a->children && xa->n_owned < 64) {
            xmlChar *s = xmlNodeListGetString(n->doc, a->children, 1);
            xa->owned[xa->n_owned++] = s;
            v = s ? (const char *)s : "";
        }
        xa->name[xa->n] = (const char *)a->name;
        xa->value[xa->n] = v ? v : "";
        xa->n++;
    }
}

static void xattrs_clear(xattrs *xa)
{
    for (int i = 0; i < xa->n_owned; i++)
        xmlFree(xa->owned[i]);
    xa->n_owned = 0;
}

static const char *xget(const xattrs *xa, const char *name)
{
    for (int i = 0; i < xa->n; i++)
        if (strcmp(xa->name[i], name) == 0)
            return xa->value[i];
    return NULL;
}

/* A copy in a of the attribute, or NULL when absent. */
static const char *xdup(arena *a, const xattrs *xa, const char *name)
{
    const char *v = xget(xa, name);
    return v ? arena_strdup(a, v) : NULL;
}

/* A name attribute: a byte-order mark inside it becomes "___" (see clean_text in infa_lower.c). */
static const char *xname(arena *a, const xattrs *xa, const char *name)
{
    const char *v = xget(xa, name);
    if (!v)
        return NULL;
    char *c = arena_strdup(a, v);
    for (char *p = c; *p; p++)
        if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
            p[0] = p[1] = p[2] = '_';
        else if (strncmp(p, "\xC3\xAF\xC2\xBB\xC2\xBF", 6) == 0) /* the same mark read as Latin-1 */
            memset(p, '_', 6);
    return c;
}

static int xint(const xattrs *xa, const char *name)
{
    const char *v = xget(xa, name);
    return v ? atoi(v) : 0;
}

static bool xyes(const xattrs *xa, const char *name)
{
    const char *v = xget(xa, name);
    return v && infa_strieq(v, "YES");
}

static bool is_elem(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/*
 * Exact element positions. libxml2 2.9 keeps an element's line in 16 bits (XML_PARSE_BIG_LINES
 * helps text nodes only), so every element past line 65535 would report 65535. Element start tags
 * occur in the raw text in exactly the DOM's pre-order, and raw text cannot hold a bare '<' outside
 * markup, so a forward-only cursor finds each element's "<NAME" in linear time overall. The line
 * of that offset goes into the node's _private field, which libxml2 leaves to applications.
 */
static size_t skip_markup(const infa_file *f, size_t i)
{
    /* i is at '<' of a comment, CDATA section, DOCTYPE or processing instruction */
    const char *t = f->text, *end;
    const char *close = "?>";
    if (f->len - i >= 4 && memcmp(t + i, "<!--", 4) == 0)
        close = "-->";
    else if (f->len - i >= 9 && memcmp(t + i, "<![CDATA[", 9) == 0)
        close = "]]>";
    else if (t[i + 1] == '!')
        close = ">";
    size_t cl = strlen(close);
    for (end = t + i + 2; end + cl <= t + f->len; end++)
        if (memcmp(end, close, cl) == 0)
            return (size_t)(end - t) + cl;
    return f->len;
}

/* Places n (an element just expanded: its later siblings are not parsed yet) and its subtree. */
static void place_elements(infa_file *f, xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE)
        return;
    size_t nl = strlen((const char *)n->name);
    for (size_t i = f->cursor + (f->cursor_placed ? 1 : 0); i < f->len;) {
        const char *lt = memchr(f->text + i, '<', f->len - i);
        if (!lt)
            break;
        i = (size_t)(lt - f->text);
        if (i + 1 < f->len && (f->text[i + 1] == '!' || f->text[i + 1] == '?')) {
            i = skip_markup(f, i);
            continue;
        }
        if (i + 1 + nl <= f->len && memcmp(f->text + i + 1, n->name, nl) == 0) {
            char c = i + 1 + nl < f->len ? f->text[i + 1 + nl] : ' ';
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/') {
                /* lines counted as the cursor moves: elements are met in file order */
                for (const char *q = f->text + f->cursor; q < f->text + i;) {
                    const char *nl = memchr(q, '\n', (size_t)(f->text + i - q));
                    if (!nl)
                        break;
                    f->cursor_line++;
                    q = nl + 1;
                }
                n->_private = (void *)(uintptr_t)f->cursor_line;
                f->cursor = i; /* the next element starts after this '<' */
                f->cursor_placed = true;
                break;
            }
        }
        i++; /* an end tag, or an element this walk does not see (POWERMART, FOLDER ...) */
    }
    for (xmlNode *c = n->children; c; c = c->next)
        place_elements(f, c);
}

static int node_line(xmlNode *n)
{
    if (n->_private)
        return (int)(uintptr_t)n->_private;
    long l = xmlGetLineNo(n);
    return l > 0 ? (int)l : 0;
}

/* Transformation types this frontend knows (lowered to a relational node or kept as a procedure). */
static const char *const known_types[] = {
    "Source Qualifier", "Expression", "Filter", "Joiner", "Lookup Procedure", "Aggregator", "Router",
    "Sorter", "Rank", "Union Transformation", "Custom Transformation", "Normalizer", "Sequence",
    "Update Strategy", "Stored Procedure", "Java", "XML Source Qualifier", "XML Parser", "XML Generator",
    "Transaction Control", "SQL", "HTTP", "External Procedure", "Advanced External Procedure",
    "Application Source Qualifier", "Application Multi-Group Source Qualifier", "MQ Source Qualifier",
    "Input Transformation", "Output Transformation", "Mapplet", "Data Masking", "Unstructured Data",
    "Web Service Consumer", "Address Validator", "Midstream XML Parser", "Midstream XML Generator",
    "Identity Resolution", "Data Quality", "Source Definition", "Target Definition", "SAP/ALE IDoc Interpreter",
    "SAP/ALE IDoc Prepare", "BAPI/RFC Transformation", "Salesforce Lookup", "Salesforce Merge", NULL};

static bool type_known(const char *t)
{
    if (!t)
        return false;
    for (int i = 0; known_types[i]; i++)
        if (infa_strieq(known_types[i], t))
            return true;
    return false;
}

static void read_field(arena *a, xmlNode *n, infa_field *fl)
{
    xattrs xa;
    xattrs_load(&xa, n);
    memset(fl, 0, sizeof *fl);
    fl->name = xname(a, &xa, "NAME");
    if (!fl->name)
        fl->name = "";
    /* One pass over the attributes: a field has some twenty, and looking each name up in turn
     * was a quarter of the time spent reading an export. */
    for (int i = 0; i < xa.n; i++) {
        const char *k = xa.name[i], *v = xa.value[i];
#define IS(name) (strcmp(k, name) == 0)
        switch (k[0]) {
        case 'D':
            if (IS("DATATYPE"))
                fl->datatype = arena_strdup(a, v);
            else if (IS("DEFAULTVALUE"))
                fl->defval = *v ? arena_strdup(a, v) : NULL;
            break;
        case 'E':
            if (IS("EXPRESSION"))
                fl->expr = arena_strdup(a, v);
            else if (IS("EXPRESSIONTYPE"))
                fl->exprtype = arena_strdup(a, v);
            break;
        case 'G':
            if (IS("GROUP"))
                fl->group = arena_strdup(a, v);
            break;
        case 'I':
            if (IS("ISSORTKEY"))
                fl->sort_key = infa_strieq(v, "YES");
            break;
        case 'K':
            if (IS("KEYTYPE"))
                fl->keytype = arena_strdup(a, v);
            break;
        case 'M':
            if (IS("MAPPLETGROUP"))
                fl->mappletgroup = arena_strdup(a, v);
            break;
        case 'N':
            if (IS("NULLABLE"))
                fl->not_null = infa_strieq(v, "NOTNULL");
            break;
        case 'O':
            if (IS("OCCURS"))
                fl->occurs = atoi(v);
            break;
        case 'P':
            if (IS("PORTTYPE"))
                fl->porttype = arena_strdup(a, v);
            else if (IS("PRECISION"))
                fl->precision = atoi(v);
            else if (IS("PHYSICALOFFSET"))
                fl->phys_offset = atoi(v);
            else if (IS("PHYSICALLENGTH"))
                fl->phys_length = atoi(v);
            break;
        case 'R':
            if (IS("REF_FIELD"))
                fl->ref_field = arena_strdup(a, v);
            else if (IS("REF_SOURCE_FIELD"))
                fl->ref_src_field = arena_strdup(a, v);
            else if (IS("REFERENCEDTABLE"))
                fl->ref_table = arena_strdup(a, v);
            else if (IS("REFERENCEDFIELD"))
                fl->ref_column = arena_strdup(a, v);
            break;
        case 'S':
            if (IS("SCALE"))
                fl->scale = atoi(v);
            else if (IS("SORTDIRECTION"))
                fl->sort_desc = infa_strieq(v, "DESCENDING");
            else if (IS("SEQUENCE_GENERATOR_VALUE"))
                fl->seqgen_value = arena_strdup(a, v);
            break;
        default:
            break;
        }
#undef IS
    }
    fl->line = node_line(n);
    xattrs_clear(&xa);
}

static void read_attr(arena *a, xmlNode *n, infa_attr *at)
{
    xattrs xa;
    xattrs_load(&xa, n);
    at->name = xdup(a, &xa, "NAME");
    at->value = xdup(a, &xa, "VALUE");
    if (!at->name)
        at->name = "";
    if (!at->value)
        at->value = "";
    at->line = node_line(n);
    xattrs_clear(&xa);
}

static int count_children(xmlNode *n, const char *name)
{
    int k = 0;
    for (xmlNode *c = n->children; c; c = c->next)
        if (is_elem(c, name))
            k++;
    return k;
}

/* SOURCE, TARGET or TRANSFORMATION into a definition. */
static infa_def *read_def(infa_file *f, arena *a, xmlNode *n, int kind, const char *folder)
{
    xattrs xa;
    xattrs_load(&xa, n);
    infa_def *d = arena_alloc(a, sizeof *d);
    d->kind = kind;
    d->name = xdup(a, &xa, "NAME");
    if (!d->name)
        d->name = "";
    d->folder = folder;
    d->line = node_line(n);
    d->description = xdup(a, &xa, "DESCRIPTION");
    if (kind == INFA_DEF_SOURCE) {
        d->type = "Source Definition";
        d->dbdname = xdup(a, &xa, "DBDNAME");
        d->owner = xdup(a, &xa, "OWNERNAME");
        d->dbtype = xdup(a, &xa, "DATABASETYPE");
    } else if (kind == INFA_DEF_TARGET) {
        d->type = "Target Definition";
        d->dbtype = xdup(a, &xa, "DATABASETYPE");
    } else {
        d->type = xdup(a, &xa, "TYPE");
        if (!d->type)
            d->type = "";
        d->template_name = xdup(a, &xa, "TEMPLATENAME");
        d->reusable = xyes(&xa, "REUSABLE");
    }
    xattrs_clear(&xa);
    d->known_type = kind != INFA_DEF_TRANSFORMATION || type_known(d->type);
    if (!d->known_type) {
        diag_at(f->dc, DIAG_ERROR, &f->src, f->path, d->line, infa_elem_col(f, d->line, "TRANSFORMATION"),
                "unknown transformation type '%s'", d->type);
    }
    const char *fname = kind == INFA_DEF_SOURCE ? "SOURCEFIELD" : kind == INFA_DEF_TARGET ? "TARGETFIELD" : "TRANSFORMFIELD";
    int nf = count_children(n, fname), ng = count_children(n, "GROUP");
    int na = count_children(n, "TABLEATTRIBUTE") + count_children(n, "METADATAEXTENSION");
    d->fields = arena_alloc(a, (size_t)(nf ? nf : 1) * sizeof *d->fields);
    d->attrs = arena_alloc(a, (size_t)(na ? na : 1) * sizeof *d->attrs);
    d->groups = arena_alloc(a, (size_t)(ng ? ng : 1) * sizeof *d->groups);
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_elem(c, fname))
            read_field(a, c, &d->fields[d->n_fields++]);
        else if (is_elem(c, "TABLEATTRIBUTE"))
            read_attr(a, c, &d->attrs[d->n_attrs++]);
        else if (is_elem(c, "METADATAEXTENSION") && kind == INFA_DEF_TRANSFORMATION) {
            /* vendor metadata; for Java transformations the code itself (OnInputRow_Method_Snippet,
             * Helper_Code_Snippet ...): kept as attributes so a hole carries it */
            read_attr(a, c, &d->attrs[d->n_attrs]);
            if (*d->attrs[d->n_attrs].name && *d->attrs[d->n_attrs].value)
                d->n_attrs++;
        } else if (is_elem(c, "GROUP")) {
            xattrs ga;
            xattrs_load(&ga, c);
            infa_group *g = &d->groups[d->n_groups++];
            g->name = xdup(a, &ga, "NAME");
            g->type = xdup(a, &ga, "TYPE");
            g->expr = xdup(a, &ga, "EXPRESSION");
            g->order = xint(&ga, "ORDER");
            g->line = node_line(c);
            if (!g->name)
                g->name = "";
            if (!g->type)
                g->type = "";
            xattrs_clear(&ga);
        } else if (is_elem(c, "FLATFILE")) {
            xattrs fa;
            xattrs_load(&fa, c);
            d->flatfile = true;
            d->delimited = xyes(&fa, "DELIMITED");
            d->fixed_width = !d->delimited;
            d->delimiters = xdup(a, &fa, "DELIMITERS");
            const char *q = xget(&fa, "QUOTE_CHARACTER");
            if (q && infa_strieq(q, "DOUBLE"))
                d->quote = "\"";
            else if (q && infa_strieq(q, "SINGLE"))
                d->quote = "'";
            d->codepage = xdup(a, &fa, "CODEPAGE");
            d->skip_rows = xint(&fa, "SKIPROWS");
            xattrs_clear(&fa);
        }
    }
    if (kind == INFA_DEF_TRANSFORMATION)
        f->counts.transformations++;
    return d;
}

static void read_instance(arena *a, xmlNode *n, infa_inst *in)
{
    xattrs xa;
    xattrs_load(&xa, n);
    memset(in, 0, sizeof *in);
    in->name = xdup(a, &xa, "NAME");
    in->tx_name = xdup(a, &xa, "TRANSFORMATION_NAME");
    in->tx_type = xdup(a, &xa, "TRANSFORMATION_TYPE");
    in->type = xdup(a, &xa, "TYPE");
    in->dbdname = xdup(a, &xa, "DBDNAME");
    in->reusable = xyes(&xa, "REUSABLE");
    in->line = node_line(n);
    if (!in->name)
        in->name = "";
    if (!in->tx_name)
        in->tx_name = in->name;
    if (!in->tx_type)
        in->tx_type = "";
    if (!in->type)
        in->type = "";
    xattrs_clear(&xa);
    int nas = count_children(n, "ASSOCIATED_SOURCE_INSTANCE"), nat = count_children(n, "TABLEATTRIBUTE");
    if (nas)
        in->assoc = arena_alloc(a, (size_t)nas * sizeof *in->assoc);
    if (nat)
        in->attrs = arena_alloc(a, (size_t)nat * sizeof *in->attrs);
    for (xmlNode *c = n->children; c; c = c->next) {
        if (is_elem(c, "ASSOCIATED_SOURCE_INSTANCE")) {
            xattrs ca;
            xattrs_load(&ca, c);
            const char *s = xdup(a, &ca, "NAME");
            if (s)
                in->assoc[in->n_assoc++] = s;
            xattrs_clear(&ca);
        } else if (is_elem(c, "TABLEATTRIBUTE")) {
            read_attr(a, c, &in->attrs[in->n_attrs++]);
        }
    }
}

/* A copy of n and its element subtree in a (workflow objects: infa_wf.c reads them at the end). */
static infa_elem *copy_elem(arena *a, xmlNode *n)
{
    infa_elem *e = arena_alloc(a, sizeof *e);
    e->tag = arena_strdup(a, (const char *)n->name);
    e->line = node_line(n);
    xattrs xa;
    xattrs_load(&xa, n);
    e->n_attrs = xa.n;
    e->attr_names = arena_alloc(a, (size_t)(xa.n ? xa.n : 1) * sizeof *e->attr_names);
    e->attr_values = arena_alloc(a, (size_t)(xa.n ? xa.n : 1) * sizeof *e->attr_values);
    for (int i = 0; i < xa.n; i++) {
        e->attr_names[i] = arena_strdup(a, xa.name[i]);
        e->attr_values[i] = arena_strdup(a, xa.value[i]);
    }
    xattrs_clear(&xa);
    int nk = 0;
    for (xmlNode *c = n->children; c; c = c->next)
        nk += c->type == XML_ELEMENT_NODE;
    e->kids = arena_alloc(a, (size_t)(nk ? nk : 1) * sizeof *e->kids);
    for (xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            e->kids[e->n_kids++] = copy_elem(a, c);
    return e;
}

const char *infa_elem_attr(const infa_elem *e, const char *name)
{
    for (int i = 0; e && i < e->n_attrs; i++)
        if (strcmp(e->attr_names[i], name) == 0)
            return e->attr_values[i];
    return NULL;
}

/* MAPPING or MAPPLET. */
static infa_mapping *read_mapping(infa_file *f, arena *a, xmlNode *n, bool mapplet, const char *folder)
{
    xattrs xa;
    xattrs_load(&xa, n);
    infa_mapping *m = arena_alloc(a, sizeof *m);
    m->name = xdup(a, &xa, "NAME");
    if (!m->name)
        m->name = "";
    const char *desc = xget(&xa, "DESCRIPTION");
    m->description = desc && *desc ? arena_strdup(a, desc) : NULL;
    const char *valid = xget(&xa, "ISVALID");
    m->invalid = valid && infa_strieq(valid, "NO");
    xattrs_clear(&xa);
    m->folder = folder;
    m->is_mapplet = mapplet;
    m->line = node_line(n);
    m->arena = a;
    int nt = count_children(n, "TRANSFORMATION"), ni = count_children(n, "INSTANCE"),
        nc = count_children(n, "CONNECTOR"), nv = count_children(n, "MAPPINGVARIABLE");
    m->defs = arena_alloc(a, (size_t)(nt ? nt : 1) * sizeof *m->defs);
    m->insts = arena_alloc(a, (size_t)(ni ? ni : 1) * sizeof *m->insts);
    m->conns = arena_alloc(a, (size_t)(nc ? nc : 1) * sizeof *m->conns);
    m->vars = arena_alloc(a, (size_t)(nv ? nv : 1) * sizeof *m->vars);
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_elem(c, "TRANSFORMATION")) {
            infa_def *d = read_def(f, a, c, INFA_DEF_TRANSFORMATION, folder);
            m->defs[m->n_defs++] = d;
            /* a mapplet's own interface ("Mapplet" type) often shares a name with an inner
             * transformation: it is found by type, never by name */
            if (!infa_strieq(d->type, "Mapplet"))
                infa_map_put(a, &m->def_by_name, d->name, d);
        } else if (is_elem(c, "INSTANCE")) {
            read_instance(a, c, &m->insts[m->n_insts++]);
        } else if (is_elem(c, "CONNECTOR")) {
            xattrs ca;
            xattrs_load(&ca, c);
            infa_conn *cn = &m->conns[m->n_conns++];
            cn->from_inst = xdup(a, &ca, "FROMINSTANCE");
            cn->from_field = xname(a, &ca, "FROMFIELD");
            cn->from_type = xdup(a, &ca, "FROMINSTANCETYPE");
            cn->to_inst = xdup(a, &ca, "TOINSTANCE");
            cn->to_field = xname(a, &ca, "TOFIELD");
            cn->to_type = xdup(a, &ca, "TOINSTANCETYPE");
            cn->line = node_line(c);
            if (!cn->from_inst) cn->from_inst = "";
            if (!cn->from_field) cn->from_field = "";
            if (!cn->to_inst) cn->to_inst = "";
            if (!cn->to_field) cn->to_field = "";
            if (!cn->from_type) cn->from_type = "";
            if (!cn->to_type) cn->to_type = "";
            xattrs_clear(&ca);
        } else if (is_elem(c, "MAPPINGVARIABLE")) {
            xattrs va;
            xattrs_load(&va, c);
            infa_var *v = &m->vars[m->n_vars++];
            v->name = xdup(a, &va, "NAME");
            if (!v->name)
                v->name = "";
            v->datatype = xdup(a, &va, "DATATYPE");
            v->defval = xdup(a, &va, "DEFAULTVALUE");
            v->aggfunction = xdup(a, &va, "AGGFUNCTION");
            v->precision = xint(&va, "PRECISION");
            v->scale = xint(&va, "SCALE");
            v->is_param = xyes(&va, "ISPARAM");
            v->line = node_line(c);
            xattrs_clear(&va);
        }
    }
    return m;
}

infa_folder *infa_folder_get(infa_file *f, const char *name, bool create)
{
    infa_folder *fo = infa_map_get(&f->folders, name ? name : "");
    if (fo || !create)
        return fo;
    fo = arena_alloc(f->arena, sizeof *fo);
    fo->name = arena_strdup(f->arena, name ? name : "");
    infa_map_put(f->arena, &f->folders, fo->name, fo);
    ARENA_PUSH(f->arena, f->folder_list, f->n_folders, f->cap_folders, fo);
    return fo;
}

/* ---- the reader ---- */

typedef struct deferred {
    infa_mapping *m;
    infa_folder *folder;
    struct deferred *next;
} deferred;

#if LIBXML_VERSION >= 21200
static void xml_error(void *ud, const xmlError *e)
#else
static void xml_error(void *ud, xmlErrorPtr e)
#endif
{
    infa_file *f = ud;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    if (f->n_errors_xml++ > 0)
        return; /* the first error is the one a user can act on; the rest follow from it */
    char msg[512];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
    size_t l = strlen(msg);
    while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
        msg[--l] = '\0';
    diag_at(f->dc, DIAG_ERROR, &f->src, f->path, e->line, e->int2 > 0 ? e->int2 : 1, "%s", msg);
}

static void handle_element(infa_file *f, xmlNode *n, deferred **defer_head, deferred ***defer_tail)
{
    const char *name = (const char *)n->name;
    infa_folder *fo = f->cur_folder ? f->cur_folder : infa_folder_get(f, "", true);
    if (strcmp(name, "SOURCE") == 0) {
        infa_def *d = read_def(f, f->arena, n, INFA_DEF_SOURCE, fo->name);
        /* sources are named by DBD and name: two databases may hold tables of one name */
        if (!infa_map_get(&fo->sources, d->name))
            infa_map_put(f->arena, &fo->sources, d->name, d);
        infa_map_put(f->arena, &fo->sources, arena_printf(f->arena, "%s\x1f%s", d->dbdname ? d->dbdname : "", d->name), d);
    } else if (strcmp(name, "TARGET") == 0) {
        infa_def *d = read_def(f, f->arena, n, INFA_DEF_TARGET, fo->name);
        infa_map_put(f->arena, &fo->targets, d->name, d);
    } else if (strcmp(name, "TRANSFORMATION") == 0) {
        infa_def *d = read_def(f, f->arena, n, INFA_DEF_TRANSFORMATION, fo->name);
        infa_map_put(f->arena, &fo->txs, d->name, d);
    } else if (strcmp(name, "MAPPLET") == 0) {
        infa_mapping *m = read_mapping(f, f->arena, n, true, fo->name);
        infa_map_put(f->arena, &fo->mapplets, m->name, m);
    } else if (strcmp(name, "MAPPING") == 0) {
        arena *ma = arena_new();
        infa_mapping *m = read_mapping(f, ma, n, false, fo->name);
        const char *mname = arena_strdup(f->arena, m->name);
        infa_map_put(f->arena, &fo->mappings, mname, (void *)mname);
        if (infa_mapping_resolvable(f, fo, m)) {
            infa_lower_mapping(f, fo, m);
            arena_free(ma);
        } else {
            deferred *d = arena_alloc(f->arena, sizeof *d);
            d->m = m;
            d->folder = fo;
            **defer_tail = d;
            *defer_tail = &d->next;
        }
        (void)defer_head;
    } else if (strcmp(name, "SHORTCUT") == 0) {
        xattrs xa;
        xattrs_load(&xa, n);
        infa_shortcut *s = arena_alloc(f->arena, sizeof *s);
        s->name = xdup(f->arena, &xa, "NAME");
        s->folder = xdup(f->arena, &xa, "FOLDERNAME");
        s->refobject = xdup(f->arena, &xa, "REFOBJECTNAME");
        s->objtype = xdup(f->arena, &xa, "OBJECTTYPE");
        s->objsubtype = xdup(f->arena, &xa, "OBJECTSUBTYPE");
        s->dbdname = xdup(f->arena, &xa, "DBDNAME");
        s->line = node_line(n);
        xattrs_clear(&xa);
        if (s->name) {
            /* a source and a target shortcut may share a name: key by type and name */
            const char *key = arena_printf(f->arena, "%s:%s", s->objtype ? s->objtype : "", s->name);
            infa_map_put(f->arena, &fo->shortcuts, key, s);
        }
    } else if (strcmp(name, "WORKFLOW") == 0 || strcmp(name, "WORKLET") == 0 || strcmp(name, "SESSION") == 0 ||
               strcmp(name, "TASK") == 0 || strcmp(name, "SCHEDULER") == 0 || strcmp(name, "CONFIG") == 0) {
        f->counts.workflows++;
        /* kept for infa_wf.c: workflows are built once the file's mappings are lowered */
        infa_elem *e = copy_elem(f->arena, n);
        const char *oname = infa_elem_attr(e, "NAME");
        if (strcmp(name, "WORKFLOW") == 0) {
            infa_wfdef w = {e, fo};
            ARENA_PUSH(f->arena, f->wfs, f->n_wfs, f->cap_wfs, w);
        } else if (oname) {
            infa_map *m = strcmp(name, "WORKLET") == 0     ? &fo->worklets
                          : strcmp(name, "TASK") == 0      ? &fo->tasks
                          : strcmp(name, "SESSION") == 0   ? &fo->sessions
                          : strcmp(name, "SCHEDULER") == 0 ? &fo->schedulers
                                                           : &fo->configs;
            infa_map_put(f->arena, m, oname, e);
        }
    }
}

int infa_xml_read(infa_file *f)
{
    xmlTextReaderPtr r = xmlReaderForMemory(f->text, (int)f->len, f->path, NULL,
                                            XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOBLANKS |
                                                XML_PARSE_COMPACT | XML_PARSE_HUGE);
    if (!r) {
        diag_at(f->dc, DIAG_ERROR, NULL, f->path, 0, 0, "cannot start the XML reader");
        return -1;
    }
    xmlTextReaderSetStructuredErrorHandler(r, xml_error, f);
    deferred *head = NULL, **tail = &head;
    int ret = xmlTextReaderRead(r);
    while (ret == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *name = (const char *)xmlTextReaderConstLocalName(r);
            if (strcmp(name, "POWERMART") == 0 || strcmp(name, "REPOSITORY") == 0) {
                ret = xmlTextReaderRead(r);
                continue;
            }
            if (strcmp(name, "FOLDER") == 0) {
                xmlChar *fname = xmlTextReaderGetAttribute(r, (const xmlChar *)"NAME");
                f->cur_folder = infa_folder_get(f, fname ? (const char *)fname : "", true);
                xmlFree(fname);
                ret = xmlTextReaderRead(r);
                continue;
            }
            xmlNode *n = xmlTextReaderExpand(r);
            if (!n) {
                ret = -1;
                break;
            }
            if (f->n_errors_xml == 0) {
                place_elements(f, n);
                handle_element(f, n, &head, &tail);
            }
            ret = xmlTextReaderNext(r);
            continue;
        }
        if (type == XML_READER_TYPE_END_ELEMENT) {
            const char *name = (const char *)xmlTextReaderConstLocalName(r);
            if (strcmp(name, "FOLDER") == 0)
                f->cur_folder = NULL;
        }
        ret = xmlTextReaderRead(r);
    }
    if (ret < 0 && f->n_errors_xml == 0) {
        int l = 0, c = 0;
        l = xmlTextReaderGetParserLineNumber(r);
        c = xmlTextReaderGetParserColumnNumber(r);
        diag_at(f->dc, DIAG_ERROR, &f->src, f->path, l, c > 0 ? c : 1, "malformed XML");
        f->n_errors_xml++;
    }
    xmlFreeTextReader(r);
    /* Mappings that refer to objects read later (shortcuts to other folders): everything that is
     * in the file is known now; what is still missing is kept as the shortcut names it. */
    for (deferred *d = head; d; d = d->next) {
        infa_lower_mapping(f, d->folder, d->m);
        arena_free(d->m->arena);
    }
    infa_wf_build_all(f);
    return f->n_errors_xml ? -1 : 0;
}
