/* test_ir_json.c — the JSON form: exact round trip of a job that sets every field, the shape of a
 * small job, and reader errors that name a path and a line:col. */
#include "ir/ir.h"
#include "tests/ir/rich_job.h"
#include "tests/testlib.h"

#include <stdlib.h>

/* diagnostics captured by the sink */
static char last_msg[1024];
static int last_line, last_col, n_msgs;

static void sink(void *ud, const diag *d)
{
    (void)ud;
    snprintf(last_msg, sizeof last_msg, "%s:%d:%d: %s", d->file ? d->file : "?", d->line, d->col, d->message);
    last_line = d->line;
    last_col = d->col;
    n_msgs++;
}

static int read_json(ir_job **out, const char *text)
{
    diag_ctx dc;
    diag_init(&dc, sink, NULL);
    n_msgs = 0;
    last_msg[0] = '\0';
    return ir_job_from_json(out, text, strlen(text), "t.json", &dc);
}

static void test_round_trip_rich(void)
{
    ir_job *job = rich_job();
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    ir_job_to_json(job, &a);
    ir_job *back = NULL;
    CHECK(read_json(&back, sb_cstr(&a)) == 0);
    if (n_msgs)
        fprintf(stderr, "%s\n", last_msg);
    CHECK(back != NULL);
    if (back) {
        ir_job_to_json(back, &b);
        CHECK_STR(sb_cstr(&b), sb_cstr(&a));
        /* the struct came back too, not only the text */
        CHECK(back->n_nodes == job->n_nodes);
        CHECK(back->next_id == 41);
        CHECK(ir_job_node(back, 40) != NULL);
        ir_node *prj = ir_job_node(back, 2);
        CHECK(prj && ir_expr_equal(prj->cols[3].expr, ir_job_node(job, 2)->cols[3].expr));
        CHECK(prj && prj->cols[4].expr->u.hole.reason == NULL);
        CHECK(prj && prj->cols[4].expr->span.line == 240);
        CHECK_STR(back->name, job->name);
        CHECK_STR(back->description, job->description);
        ir_node *tgt = ir_job_node(back, 16);
        CHECK(tgt && tgt->n_merge_keys == 2 && tgt->load == IR_LOAD_MERGE);
        CHECK(ir_job_node(back, 13)->seq_start == 1000000000000LL);
        CHECK(ir_job_node(back, 8)->order[1].nulls == 2);
        /* window frames: every form comes back, and the default on other nodes */
        for (int i = 0; i < job->n_nodes; i++) {
            const ir_node *n = job->nodes[i], *m = ir_job_node(back, n->id);
            CHECK(m && ir_frame_equal(m->frame, n->frame) && m->frame.start.offset == n->frame.start.offset &&
                  m->frame.end.offset == n->frame.end.offset);
            if (n->op != IR_OP_WINDOW)
                CHECK(ir_frame_equal(n->frame, ir_frame_default()));
        }
        /* a second trip is stable too */
        strbuf c = STRBUF_INIT;
        ir_job *again = NULL;
        CHECK(read_json(&again, sb_cstr(&b)) == 0);
        if (again)
            ir_job_to_json(again, &c);
        CHECK_STR(sb_cstr(&c), sb_cstr(&a));
        sb_free(&c);
        ir_job_free(again);
    }
    /* every op appears */
    for (int op = 0; op < IR_OP__COUNT; op++) {
        char want[64];
        snprintf(want, sizeof want, "\"op\": \"%s\"", ir_op_name((ir_op)op));
        CHECK(strstr(sb_cstr(&a), want) != NULL);
    }
    /* frames: always on window nodes, offsets only for preceding/following bounds */
    CHECK(strstr(sb_cstr(&a), "\"frame\": {\"unit\": \"range\", \"start\": \"unbounded_preceding\", "
                              "\"end\": \"current_row\"}") != NULL);
    CHECK(strstr(sb_cstr(&a), "\"frame\": {\"unit\": \"rows\", \"start\": \"preceding\", \"start_offset\": 2, "
                              "\"end\": \"current_row\"}") != NULL);
    CHECK(strstr(sb_cstr(&a), "\"frame\": {\"unit\": \"rows\", \"start\": \"following\", \"start_offset\": 1, "
                              "\"end\": \"following\", \"end_offset\": 3}") != NULL);
    CHECK(strstr(sb_cstr(&a), "{\"call\": \"first_value\", \"flags\": {\"ignore_nulls\": true}, \"args\": ") != NULL);
    /* exact literal texts and unicode passed through as UTF-8 */
    CHECK(strstr(sb_cstr(&a), "{\"lit\": \"9007199254740993\", \"kind\": \"int\"") != NULL);
    CHECK(strstr(sb_cstr(&a), "\"12345678901234567890.123456789\"") != NULL);
    CHECK(strstr(sb_cstr(&a), "\xf0\x9f\x98\x80 tab\\t nl\\n") != NULL);
    CHECK(strstr(sb_cstr(&a), "\\u0001 control") != NULL);
    if (getenv("IR_JSON_DUMP"))
        fputs(sb_cstr(&a), stdout);
    sb_free(&a);
    sb_free(&b);
    ir_job_free(back);
    ir_job_free(job);
}

static void test_deterministic(void)
{
    ir_job *j1 = rich_job(), *j2 = rich_job();
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    ir_job_to_json(j1, &a);
    ir_job_to_json(j2, &b);
    CHECK_STR(sb_cstr(&a), sb_cstr(&b));
    sb_free(&a);
    sb_free(&b);
    ir_job_free(j1);
    ir_job_free(j2);
}

/* The shape of a small job, byte for byte: the form docs/ir.md shows. */
static void test_small_shape(void)
{
    ir_job *job = ir_job_new("m_small");
    job->format = ir_intern(job, "informatica");
    ir_param *p = ir_job_add_param(job, "LOAD_DATE");
    p->type = ir_type_make(IR_TY_DATE, 0, 0);
    ir_node *src = ir_node_add(job, IR_OP_SOURCE, "SQ");
    src->dataset = ir_intern(job, "SRC.T");
    src->span.line = 3;
    ir_column *c = ir_node_add_col(job, src, "EMAIL", ir_type_make(IR_TY_STRING, 120, 0), NULL);
    c->tags = IR_TAG_PII;
    ir_node *f = ir_node_add(job, IR_OP_FILTER, "FIL");
    ir_node_add_input(job, f, 1);
    f->predicate = ir_call1(job, IR_FN_NOT, ir_call1(job, IR_FN_IS_NULL, ir_ref(job, 1, "EMAIL")));
    ir_node_add_col(job, f, "EMAIL", ir_type_make(IR_TY_STRING, 120, 0), ir_ref(job, 1, "EMAIL"));
    strbuf sb = STRBUF_INIT;
    ir_job_to_json(job, &sb);
    const char *want =
        "{\n"
        " \"ir_version\": 1,\n"
        " \"kind\": \"job\",\n"
        " \"name\": \"m_small\",\n"
        " \"origin\": {\"format\": \"informatica\"},\n"
        " \"params\": [\n"
        "  {\"name\": \"LOAD_DATE\", \"type\": \"date\"}\n"
        " ],\n"
        " \"datasets\": [],\n"
        " \"nodes\": [\n"
        "  {\n"
        "   \"id\": 1,\n"
        "   \"op\": \"source\",\n"
        "   \"name\": \"SQ\",\n"
        "   \"line\": 3,\n"
        "   \"dataset\": \"SRC.T\",\n"
        "   \"columns\": [\n"
        "    {\"name\": \"EMAIL\", \"type\": \"string(120)\", \"tags\": [\"PII\"]}\n"
        "   ]\n"
        "  },\n"
        "  {\n"
        "   \"id\": 2,\n"
        "   \"op\": \"filter\",\n"
        "   \"name\": \"FIL\",\n"
        "   \"inputs\": [1],\n"
        "   \"predicate\": {\"call\": \"not\", \"args\": [{\"call\": \"is_null\", \"args\": [{\"ref\": [1, \"EMAIL\"], "
        "\"type\": \"string(120)\"}], \"type\": \"boolean\"}], \"type\": \"boolean\"},\n"
        "   \"columns\": [\n"
        "    {\"name\": \"EMAIL\", \"type\": \"string(120)\", \"expr\": {\"ref\": [1, \"EMAIL\"], \"type\": \"string(120)\"}}\n"
        "   ]\n"
        "  }\n"
        " ]\n"
        "}\n";
    CHECK_STR(sb_cstr(&sb), want);
    sb_free(&sb);
    ir_job_free(job);
}

static void test_empty_job(void)
{
    ir_job *job = ir_job_new("empty");
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    ir_job_to_json(job, &a);
    CHECK_STR(sb_cstr(&a), "{\n \"ir_version\": 1,\n \"kind\": \"job\",\n \"name\": \"empty\",\n \"params\": [],\n"
                           " \"datasets\": [],\n \"nodes\": []\n}\n");
    ir_job *back = NULL;
    CHECK(read_json(&back, sb_cstr(&a)) == 0);
    if (back)
        ir_job_to_json(back, &b);
    CHECK_STR(sb_cstr(&b), sb_cstr(&a));
    sb_free(&a);
    sb_free(&b);
    ir_job_free(back);
    ir_job_free(job);
}

static void expect_error(const char *text, int line, int col, const char *fragment)
{
    ir_job *job = (ir_job *)1;
    int rc = read_json(&job, text);
    CHECK(rc == -1);
    CHECK(job == NULL);
    CHECK(n_msgs >= 1);
    if (line != last_line || col != last_col || !strstr(last_msg, fragment)) {
        fprintf(stderr, "  message: %s\n  want %d:%d and '%s'\n", last_msg, line, col, fragment);
        tl_failed_checks++;
    }
}

static void test_reader_errors(void)
{
    /* syntax: the offset cJSON stopped at */
    expect_error("{\n \"ir_version\": 1,\n \"kind\": ,\n}", 3, 10, "t.json:3:10: malformed JSON");
    expect_error("{\n \"ir_version\": 1,\n \"name\": \"unterminated\n", 3, 11, "malformed JSON");
    expect_error("", 1, 1, "malformed JSON");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\"} extra", 1, 34, "unexpected text after the JSON value");
    expect_error("[1, 2]", 1, 1, "expected a JSON object");
    /* structure: the path and where it is */
    expect_error("{\"kind\": \"job\"}", 1, 1, "ir_version: missing");
    expect_error("{\"ir_version\": 2, \"kind\": \"job\"}", 1, 16, "IR version 2 is not supported");
    expect_error("{\"ir_version\": 1, \"kind\": \"graph\"}", 1, 27, "kind: expected \"job\"");
    expect_error("{\n \"ir_version\": 1,\n \"kind\": \"job\",\n \"nodes\": [\n  {\"id\": 1, \"op\": \"source\", \"name\": \"A\"},\n"
                 "  {\"id\": 2, \"op\": \"project\", \"name\": \"B\", \"columns\": [\n"
                 "   {\"name\": \"X\", \"expr\": {\"call\": \"frobnicate\", \"args\": []}}]}]}",
                 7, 35, "nodes[1].columns[0].expr.call: unknown function 'frobnicate'");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"teleport\"}]}", 1, 60,
                 "nodes[0].op: unknown node op 'teleport'");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"filter\",\n"
                 " \"predicate\": {\"call\": \"not\", \"flags\": {\"shiny\": true}, \"args\": [{\"lit\": true, \"kind\": \"bool\"}]}}]}",
                 2, 50, "nodes[0].predicate.flags.shiny: unknown flag");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"source\", \"columns\": "
                 "[{\"name\": \"A\", \"type\": \"varchar2(3)\"}]}]}",
                 1, 104, "nodes[0].columns[0].type: unknown type 'varchar2(3)'");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"source\"}, {\"id\": 1, \"op\": \"sort\"}]}",
                 1, 78, "nodes[1].id: duplicate node id 1");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1.5, \"op\": \"source\"}]}", 1, 51,
                 "nodes[0].id: expected an integer");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 2147483647, \"op\": \"source\"}]}", 1, 51,
                 "nodes[0].id: expected an integer in [1, 2147483646]");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"rank\", \"top_n\": 9223372036854775808}]}",
                 1, 77, "nodes[0].top_n: expected an integer");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"window\", \"frame\": "
                 "{\"unit\": \"rows\", \"start\": \"preceding\", \"end\": \"current_row\"}}]}",
                 1, 105, "nodes[0].frame.start: a preceding bound needs \"start_offset\"");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"window\", \"frame\": "
                 "{\"unit\": \"groups\", \"start\": \"current_row\", \"end\": \"current_row\"}}]}",
                 1, 88, "nodes[0].frame.unit: unknown value 'groups'");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"window\", \"frame\": "
                 "{\"unit\": \"rows\", \"start\": \"current_row\", \"end\": \"unbounded_preceding\"}}]}",
                 1, 127, "nodes[0].frame.end: a frame cannot end at unbounded_preceding");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"window\", \"frame\": "
                 "{\"unit\": \"rows\", \"start\": \"following\", \"start_offset\": -1, \"end\": \"current_row\"}}]}",
                 1, 134, "nodes[0].frame.start_offset: expected an integer in [0, ");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"params\": [{\"name\": \"P\", \"type\": \"date\"}, "
                 "{\"name\": \"Q\", \"variable\": \"yes\"}]}",
                 1, 102, "params[1].variable: expected true or false");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"project\", \"columns\": "
                 "[{\"name\": \"A\", \"expr\": {\"ref\": [\"x\"]}}]}]}",
                 1, 113, "nodes[0].columns[0].expr.ref: expected [node id, \"column\"]");
    expect_error("{\"ir_version\": 1, \"kind\": \"job\", \"nodes\": [{\"id\": 1, \"op\": \"project\", \"columns\": "
                 "[{\"name\": \"A\", \"expr\": {\"what\": 1}}]}]}",
                 1, 105, "an expression needs one of");
}

/* Truncated and mutated IR never crashes the reader: it either reads or reports an error. */
static void test_reader_robust(void)
{
    ir_job *job = rich_job();
    strbuf a = STRBUF_INIT;
    ir_job_to_json(job, &a);
    diag_ctx dc;
    diag_init(&dc, sink, NULL);
    for (size_t cut = 0; cut < a.len; cut += 13) {
        ir_job *back = NULL;
        int rc = ir_job_from_json(&back, a.data, cut, "cut.json", &dc);
        CHECK(rc == -1 && back == NULL);
    }
    static const char repl[] = {'"', '{', '}', '[', ']', ',', ':', '1', 'x', ' ', '-'};
    int ok = 0;
    for (size_t i = 0; i < a.len; i += 7) {
        char *m = strdup(a.data);
        m[i] = repl[i % sizeof repl];
        ir_job *back = NULL;
        if (ir_job_from_json(&back, m, a.len, "mut.json", &dc) == 0) {
            ok++;
            strbuf out = STRBUF_INIT;
            ir_job_to_json(back, &out); /* whatever was read can be written */
            sb_free(&out);
        } else {
            CHECK(back == NULL);
        }
        ir_job_free(back);
        free(m);
    }
    CHECK(ok > 0 && dc.n_errors > 0);
    sb_free(&a);
    ir_job_free(job);
}

int main(void)
{
    RUN(test_round_trip_rich);
    RUN(test_deterministic);
    RUN(test_small_shape);
    RUN(test_empty_job);
    RUN(test_reader_errors);
    RUN(test_reader_robust);
    return TEST_SUMMARY();
}
