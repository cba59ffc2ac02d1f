/*
 * test_infa_review.c — semantic checks of the Informatica lowering found in a migration review of
 * the sample corpus, each on a small export written here:
 *   - a user-defined default of an input port replaces a NULL input (coalesce); ERROR() defaults
 *     are kept as a property;
 *   - a Source Qualifier over two sources with a same-named field arriving on port X1 references
 *     the second source (no column of the join referencing the join itself);
 *   - a Java transformation hole keeps its code (METADATAEXTENSION snippets);
 *   - Sorter keys carry an explicit NULL placement from "Null Treated Low";
 *   - a Normalizer's generated key is documented on the node;
 *   - element locations stay exact past line 65535 (libxml2 2.9 keeps element lines in 16 bits);
 *   - a Sequence Generator starts at its Current Value, not at Start Value (a real export whose
 *     two differ).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "frontends/frontend.h"
#include "ir/ir.h"
#include "tests/infa/infa_testutil.h"
#include "tests/testlib.h"

static int n_errors;

static void keep_msg(void *ud, const diag *d)
{
    (void)ud;
    if (d->level == DIAG_ERROR) {
        n_errors++;
        fprintf(stderr, "%s:%d:%d: %s\n", d->file ? d->file : "", d->line, d->col, d->message);
    }
}

static int read_text(const char *name, const char *text, jobs *j)
{
    n_errors = 0;
    int rc = read_export_text(name, text, j, keep_msg);
    return rc == 0 && n_errors == 0 ? 0 : -1;
}

/* No column, predicate or key of a node references the node itself (sources excepted). */
static int self_refs_expr(const ir_node *n, const ir_expr *e)
{
    if (!e)
        return 0;
    if (e->kind == IR_EX_REF)
        return n->op != IR_OP_SOURCE && e->u.ref.node == n->id;
    int k = 0;
    if (e->kind == IR_EX_CALL)
        for (int i = 0; i < e->u.call.n_args; i++)
            k += self_refs_expr(n, e->u.call.args[i]);
    return k;
}

static int self_refs(const ir_job *job)
{
    int k = 0;
    for (int i = 0; i < job->n_nodes; i++) {
        const ir_node *n = job->nodes[i];
        for (int c = 0; c < n->n_cols; c++)
            k += self_refs_expr(n, n->cols[c].expr);
        k += self_refs_expr(n, n->predicate);
    }
    return k;
}

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<POWERMART CREATION_DATE=\"\" REPOSITORY_VERSION=\"189.98\">\n"                               \
    "<REPOSITORY NAME=\"R\">\n"                                                                    \
    "<FOLDER NAME=\"F\">\n"
#define TAIL "</FOLDER>\n</REPOSITORY>\n</POWERMART>\n"
#define SRC_A                                                                                      \
    "<SOURCE DATABASETYPE=\"Oracle\" DBDNAME=\"D\" NAME=\"A\" OWNERNAME=\"S\">\n"                   \
    " <SOURCEFIELD DATATYPE=\"number\" KEYTYPE=\"PRIMARY KEY\" NAME=\"ID\" PRECISION=\"10\" SCALE=\"0\"/>\n" \
    " <SOURCEFIELD DATATYPE=\"number\" NAME=\"B_ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"               \
    " <SOURCEFIELD DATATYPE=\"varchar2\" NAME=\"TXT\" PRECISION=\"20\" SCALE=\"0\"/>\n"             \
    "</SOURCE>\n"
#define TGT_T                                                                                      \
    "<TARGET DATABASETYPE=\"Oracle\" NAME=\"T\">\n"                                                \
    " <TARGETFIELD DATATYPE=\"number\" NAME=\"ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"                 \
    " <TARGETFIELD DATATYPE=\"number\" NAME=\"B_ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"               \
    " <TARGETFIELD DATATYPE=\"varchar2\" NAME=\"TXT\" PRECISION=\"20\" SCALE=\"0\"/>\n"             \
    "</TARGET>\n"
#define SQ_A(name)                                                                                 \
    " <TRANSFORMATION NAME=\"" name "\" TYPE=\"Source Qualifier\">\n"                              \
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n" \
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"B_ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n" \
    "  <TRANSFORMFIELD DATATYPE=\"string\" NAME=\"TXT\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"20\" SCALE=\"0\"/>\n" \
    " </TRANSFORMATION>\n"
#define CONN(ff, fi, ft, tf, ti, tt)                                                               \
    " <CONNECTOR FROMFIELD=\"" ff "\" FROMINSTANCE=\"" fi "\" FROMINSTANCETYPE=\"" ft "\" TOFIELD=\"" tf \
    "\" TOINSTANCE=\"" ti "\" TOINSTANCETYPE=\"" tt "\"/>\n"
#define INST(n, t, k) " <INSTANCE NAME=\"" n "\" TRANSFORMATION_NAME=\"" n "\" TRANSFORMATION_TYPE=\"" t "\" TYPE=\"" k "\"/>\n"
#define A_TO_SQ                                                                                    \
    INST("A", "Source Definition", "SOURCE") INST("SQ_A", "Source Qualifier", "TRANSFORMATION")    \
    CONN("ID", "A", "Source Definition", "ID", "SQ_A", "Source Qualifier")                         \
    CONN("B_ID", "A", "Source Definition", "B_ID", "SQ_A", "Source Qualifier")                     \
    CONN("TXT", "A", "Source Definition", "TXT", "SQ_A", "Source Qualifier")

/* ---- input-port defaults ---- */

static const char *defaults_xml =
    HEAD SRC_A TGT_T
    "<MAPPING NAME=\"m_defaults\" ISVALID=\"YES\">\n" SQ_A("SQ_A")
    " <TRANSFORMATION NAME=\"EXP\" TYPE=\"Expression\">\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" DEFAULTVALUE=\"-1\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" DEFAULTVALUE=\"ERROR('no B_ID')\" NAME=\"B_ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"string\" DEFAULTVALUE=\"'NONE'\" NAME=\"TXT\" PORTTYPE=\"INPUT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"string\" DEFAULTVALUE=\"ERROR('transformation error')\" EXPRESSION=\"UPPER(TXT)\" NAME=\"O_TXT\" PORTTYPE=\"OUTPUT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    " </TRANSFORMATION>\n"
    A_TO_SQ INST("EXP", "Expression", "TRANSFORMATION") INST("T", "Target Definition", "TARGET")
    CONN("ID", "SQ_A", "Source Qualifier", "ID", "EXP", "Expression")
    CONN("B_ID", "SQ_A", "Source Qualifier", "B_ID", "EXP", "Expression")
    CONN("TXT", "SQ_A", "Source Qualifier", "TXT", "EXP", "Expression")
    CONN("ID", "EXP", "Expression", "ID", "T", "Target Definition")
    CONN("B_ID", "EXP", "Expression", "B_ID", "T", "Target Definition")
    CONN("O_TXT", "EXP", "Expression", "TXT", "T", "Target Definition")
    "</MAPPING>\n" TAIL;

static void test_input_defaults(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_rv_defaults.xml", defaults_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *e = node_named(job, "EXP");
    CHECK(e != NULL);
    ir_column *id = e ? ir_node_col(e, "ID") : NULL, *bid = e ? ir_node_col(e, "B_ID") : NULL;
    ir_column *ot = e ? ir_node_col(e, "O_TXT") : NULL;
    CHECK(id && strcmp(expr_text(id->expr), "coalesce(#1.ID, -1)") == 0);
    /* the default of an input port reaches every use of the port */
    CHECK(ot && strcmp(expr_text(ot->expr), "upper(coalesce(#1.TXT, 'NONE'))") == 0);
    /* ERROR() on a NULL input cannot be a plain value: the input passes, the default is kept */
    CHECK(bid && strcmp(expr_text(bid->expr), "#1.B_ID") == 0);
    const char *kept = prop_of(e, "input_default.B_ID");
    CHECK(kept && strcmp(kept, "ERROR('no B_ID')") == 0);
    CHECK(prop_of(e, "input_default.O_TXT") == NULL);
    free_jobs(&j);
}

/* ---- a Source Qualifier over two sources ---- */

static const char *two_src_xml =
    HEAD SRC_A
    "<SOURCE DATABASETYPE=\"Oracle\" DBDNAME=\"D\" NAME=\"B\" OWNERNAME=\"S\">\n"
    " <SOURCEFIELD DATATYPE=\"number\" KEYTYPE=\"PRIMARY KEY\" NAME=\"B_ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    " <SOURCEFIELD DATATYPE=\"varchar2\" NAME=\"TXT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    "</SOURCE>\n" TGT_T
    "<MAPPING NAME=\"m_two\" ISVALID=\"YES\">\n"
    " <TRANSFORMATION NAME=\"SQ_AB\" TYPE=\"Source Qualifier\">\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"B_ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"B_ID1\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"string\" NAME=\"TXT\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    "  <TABLEATTRIBUTE NAME=\"User Defined Join\" VALUE=\"A.B_ID = B.B_ID\"/>\n"
    " </TRANSFORMATION>\n"
    INST("A", "Source Definition", "SOURCE") INST("B", "Source Definition", "SOURCE")
    " <INSTANCE NAME=\"SQ_AB\" TRANSFORMATION_NAME=\"SQ_AB\" TRANSFORMATION_TYPE=\"Source Qualifier\" TYPE=\"TRANSFORMATION\">\n"
    "  <ASSOCIATED_SOURCE_INSTANCE NAME=\"A\"/>\n  <ASSOCIATED_SOURCE_INSTANCE NAME=\"B\"/>\n </INSTANCE>\n"
    INST("T", "Target Definition", "TARGET")
    CONN("ID", "A", "Source Definition", "ID", "SQ_AB", "Source Qualifier")
    CONN("B_ID", "A", "Source Definition", "B_ID", "SQ_AB", "Source Qualifier")
    CONN("B_ID", "B", "Source Definition", "B_ID1", "SQ_AB", "Source Qualifier")
    CONN("TXT", "B", "Source Definition", "TXT", "SQ_AB", "Source Qualifier")
    CONN("ID", "SQ_AB", "Source Qualifier", "ID", "T", "Target Definition")
    CONN("B_ID1", "SQ_AB", "Source Qualifier", "B_ID", "T", "Target Definition")
    CONN("TXT", "SQ_AB", "Source Qualifier", "TXT", "T", "Target Definition")
    "</MAPPING>\n" TAIL;

static void test_sq_two_sources(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_rv_two.xml", two_src_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *jn = node_named(job, "SQ_AB"), *a = node_named(job, "A"), *b = node_named(job, "B");
    ir_node *t = node_named(job, "T");
    CHECK(jn && jn->op == IR_OP_JOIN && a && b && t);
    CHECK(job && self_refs(job) == 0);
    ir_column *b1 = jn ? ir_node_col(jn, "B_ID1") : NULL;
    CHECK(b1 && b1->expr && b1->expr->kind == IR_EX_REF && b && b1->expr->u.ref.node == b->id &&
          strcmp(b1->expr->u.ref.col, "B_ID") == 0);
    ir_column *tb = t ? ir_node_col(t, "B_ID") : NULL;
    CHECK(tb && strcmp(expr_text(tb->expr), "#3.B_ID1") == 0);
    free_jobs(&j);
}

/* ---- Java code in a hole, sorter NULL placement, normalizer generated key ---- */

static const char *misc_xml =
    HEAD SRC_A TGT_T
    "<MAPPING NAME=\"m_misc\" ISVALID=\"YES\">\n" SQ_A("SQ_A")
    " <TRANSFORMATION NAME=\"JTX\" TYPE=\"Custom Transformation\" TEMPLATENAME=\"Java Transformation\">\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"B_ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"string\" NAME=\"TXT\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    "  <TABLEATTRIBUTE NAME=\"Language\" VALUE=\"Java\"/>\n"
    "  <METADATAEXTENSION DATATYPE=\"STRING\" DOMAINNAME=\"Java_Transform_Domain\" NAME=\"OnInputRow_Method_Snippet\" VALUE=\"TXT = TXT.trim();&#xA;generateRow();\"/>\n"
    "  <METADATAEXTENSION DATATYPE=\"STRING\" DOMAINNAME=\"Java_Transform_Domain\" NAME=\"Helper_Code_Snippet\" VALUE=\"\"/>\n"
    " </TRANSFORMATION>\n"
    " <TRANSFORMATION NAME=\"SRT\" TYPE=\"Sorter\">\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" ISSORTKEY=\"YES\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\" SORTDIRECTION=\"ASCENDING\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" ISSORTKEY=\"YES\" NAME=\"B_ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\" SORTDIRECTION=\"DESCENDING\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"string\" ISSORTKEY=\"NO\" NAME=\"TXT\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"20\" SCALE=\"0\"/>\n"
    "  <TABLEATTRIBUTE NAME=\"Null Treated Low\" VALUE=\"%s\"/>\n"
    " </TRANSFORMATION>\n"
    A_TO_SQ INST("JTX", "Custom Transformation", "TRANSFORMATION") INST("SRT", "Sorter", "TRANSFORMATION")
    INST("T", "Target Definition", "TARGET")
    CONN("ID", "SQ_A", "Source Qualifier", "ID", "JTX", "Custom Transformation")
    CONN("B_ID", "SQ_A", "Source Qualifier", "B_ID", "JTX", "Custom Transformation")
    CONN("TXT", "SQ_A", "Source Qualifier", "TXT", "JTX", "Custom Transformation")
    CONN("ID", "JTX", "Custom Transformation", "ID", "SRT", "Sorter")
    CONN("B_ID", "JTX", "Custom Transformation", "B_ID", "SRT", "Sorter")
    CONN("TXT", "JTX", "Custom Transformation", "TXT", "SRT", "Sorter")
    CONN("ID", "SRT", "Sorter", "ID", "T", "Target Definition")
    CONN("B_ID", "SRT", "Sorter", "B_ID", "T", "Target Definition")
    CONN("TXT", "SRT", "Sorter", "TXT", "T", "Target Definition")
    "</MAPPING>\n" TAIL;

static void test_java_code_and_sorter_nulls(void)
{
    static char xml[16384];
    for (int low = 0; low < 2; low++) {
        snprintf(xml, sizeof xml, misc_xml, low ? "YES" : "NO");
        jobs j = {.n = 0};
        CHECK(read_text("infa_rv_misc.xml", xml, &j) == 0);
        ir_job *job = j.n ? j.v[0] : NULL;
        ir_node *jtx = node_named(job, "JTX"), *srt = node_named(job, "SRT");
        CHECK(jtx && jtx->op == IR_OP_PROCEDURE && jtx->legacy &&
              strstr(jtx->legacy, "OnInputRow_Method_Snippet: TXT = TXT.trim();\ngenerateRow();") != NULL);
        CHECK(jtx && jtx->legacy && strstr(jtx->legacy, "Helper_Code_Snippet") == NULL);
        CHECK(srt && srt->op == IR_OP_SORT && srt->n_order == 2);
        if (srt && srt->n_order == 2) {
            /* NULL is high by default: last ascending, first descending */
            CHECK(!srt->order[0].desc && srt->order[0].nulls == (low ? 1 : 2));
            CHECK(srt->order[1].desc && srt->order[1].nulls == (low ? 2 : 1));
        }
        free_jobs(&j);
    }
}

static const char *nrm_xml =
    HEAD
    "<SOURCE DATABASETYPE=\"Oracle\" DBDNAME=\"D\" NAME=\"Q\" OWNERNAME=\"S\">\n"
    " <SOURCEFIELD DATATYPE=\"number\" NAME=\"ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    " <SOURCEFIELD DATATYPE=\"number\" NAME=\"V1\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    " <SOURCEFIELD DATATYPE=\"number\" NAME=\"V2\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "</SOURCE>\n"
    "<TARGET DATABASETYPE=\"Oracle\" NAME=\"T\">\n"
    " <TARGETFIELD DATATYPE=\"number\" NAME=\"ID\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    " <TARGETFIELD DATATYPE=\"number\" NAME=\"V\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    " <TARGETFIELD DATATYPE=\"number\" NAME=\"K\" PRECISION=\"19\" SCALE=\"0\"/>\n"
    "</TARGET>\n"
    "<MAPPING NAME=\"m_nrm\" ISVALID=\"YES\">\n"
    " <TRANSFORMATION NAME=\"SQ_Q\" TYPE=\"Source Qualifier\">\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"V1\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"V2\" PORTTYPE=\"INPUT/OUTPUT\" PRECISION=\"10\" SCALE=\"0\"/>\n"
    " </TRANSFORMATION>\n"
    " <TRANSFORMATION NAME=\"NRM\" TYPE=\"Normalizer\">\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID_in\" PORTTYPE=\"INPUT\" PRECISION=\"10\" REF_SOURCE_FIELD=\"ID\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"V_in1\" PORTTYPE=\"INPUT\" PRECISION=\"10\" REF_SOURCE_FIELD=\"V\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"V_in2\" PORTTYPE=\"INPUT\" PRECISION=\"10\" REF_SOURCE_FIELD=\"V\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"ID\" PORTTYPE=\"OUTPUT\" PRECISION=\"10\" REF_SOURCE_FIELD=\"ID\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"decimal\" NAME=\"V\" PORTTYPE=\"OUTPUT\" PRECISION=\"10\" REF_SOURCE_FIELD=\"V\" SCALE=\"0\"/>\n"
    "  <TRANSFORMFIELD DATATYPE=\"bigint\" NAME=\"GK_V\" PORTTYPE=\"GENERATED KEY/OUTPUT\" PRECISION=\"19\" REF_SOURCE_FIELD=\"V\" SCALE=\"0\" SEQUENCE_GENERATOR_VALUE=\"41\"/>\n"
    "  <TABLEATTRIBUTE NAME=\"Reset\" VALUE=\"NO\"/>\n"
    " </TRANSFORMATION>\n"
    INST("Q", "Source Definition", "SOURCE") INST("SQ_Q", "Source Qualifier", "TRANSFORMATION")
    INST("NRM", "Normalizer", "TRANSFORMATION") INST("T", "Target Definition", "TARGET")
    CONN("ID", "Q", "Source Definition", "ID", "SQ_Q", "Source Qualifier")
    CONN("V1", "Q", "Source Definition", "V1", "SQ_Q", "Source Qualifier")
    CONN("V2", "Q", "Source Definition", "V2", "SQ_Q", "Source Qualifier")
    CONN("ID", "SQ_Q", "Source Qualifier", "ID_in", "NRM", "Normalizer")
    CONN("V1", "SQ_Q", "Source Qualifier", "V_in1", "NRM", "Normalizer")
    CONN("V2", "SQ_Q", "Source Qualifier", "V_in2", "NRM", "Normalizer")
    CONN("ID", "NRM", "Normalizer", "ID", "T", "Target Definition")
    CONN("V", "NRM", "Normalizer", "V", "T", "Target Definition")
    CONN("GK_V", "NRM", "Normalizer", "K", "T", "Target Definition")
    "</MAPPING>\n" TAIL;

static void test_normalizer_generated_key(void)
{
    jobs j = {.n = 0};
    CHECK(read_text("infa_rv_nrm.xml", nrm_xml, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    ir_node *n = node_named(job, "NRM");
    CHECK(n && n->op == IR_OP_NORMALIZE && n->occurs == 2);
    const char *gk = prop_of(n, "generated_key.GK_V");
    CHECK(gk && strstr(gk, "one value per input row") && strstr(gk, "41"));
    const char *reset = prop_of(n, "Reset");
    CHECK(reset && strcmp(reset, "NO") == 0);
    free_jobs(&j);
}

static int line_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    int line = 1;
    for (const char *q = text; p && q < p; q++)
        line += *q == '\n';
    return p ? line : -1;
}

static void test_lines_past_65535(void)
{
    /* 70,000 blank lines and a comment holding markup characters before the mapping */
    const char *cut = strstr(nrm_xml, "<MAPPING ");
    size_t head = (size_t)(cut - nrm_xml), pad = 70000;
    const char *comment = "<!-- <MAPPING NAME=\"decoy\"> is not an element -->\n";
    size_t n = head + pad + strlen(comment) + strlen(cut) + 1;
    char *text = malloc(n);
    memcpy(text, nrm_xml, head);
    memset(text + head, '\n', pad);
    strcpy(text + head + pad, comment);
    strcat(text, cut);
    jobs j = {.n = 0};
    CHECK(read_text("infa_rv_lines.xml", text, &j) == 0);
    ir_job *job = j.n ? j.v[0] : NULL;
    CHECK(job && job->line == line_of(text, "<MAPPING NAME=\"m_nrm\"") && job->line > 65535);
    ir_node *nrm = job ? node_named(job, "NRM") : NULL;
    CHECK(nrm && nrm->span.line == line_of(text, "<TRANSFORMATION NAME=\"NRM\""));
    free_jobs(&j);
    free(text);
}

static void test_sequence_starts_at_current_value(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/informatica/ahmedtaha_tasks/m_STUDENT_SCD2.XML", ETLPORT_SHARED_CORPUS);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        printf("SKIP: %s not found (../shared/corpus is not beside the project)\n", path);
        return;
    }
    fclose(fp);
    jobs j = {.n = 0};
    diag_ctx dc;
    diag_init(&dc, keep_msg, NULL);
    CHECK(infa_frontend.read(path, NULL, &dc, keep_job, &j, NULL) == 0);
    ir_node *q = j.n ? node_named(j.v[0], "SEQTRANS") : NULL;
    /* the export says Start Value 0, Current Value 896, Increment By 1 */
    CHECK(q && q->op == IR_OP_SEQUENCE);
    CHECK(q && q->seq_start == 896 && q->seq_increment == 1);
    CHECK(q && prop_of(q, "Start Value") && strcmp(prop_of(q, "Start Value"), "0") == 0);
    free_jobs(&j);
}

int main(void)
{
    RUN(test_input_defaults);
    RUN(test_sq_two_sources);
    RUN(test_java_code_and_sorter_nulls);
    RUN(test_normalizer_generated_key);
    RUN(test_sequence_starts_at_current_value);
    RUN(test_lines_past_65535);
    return TEST_SUMMARY();
}
