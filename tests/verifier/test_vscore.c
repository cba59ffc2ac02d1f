/*
 * test_vscore.c — the verifier's syntax, security and performance layers, the policy, and the
 * composite score and tiers (verifier/layers.h, policy.h, score.h; docs/verification.md).
 *
 * Security: every SEC_ rule of rules.def has at least one snippet that must trip it and one that
 * must not (test_every_security_rule_has_cases checks the table covers them all); a clean snippet
 * must give no security finding at all. Snippets are read back into IR the way `etlport verify`
 * does, so classified columns are followed through the same code. Credentials in fixtures are
 * obviously fake (FAKE-..., AKIAFAKE...).
 *
 * usage: test_vscore SOURCE_DIR      (policy/default.json and tests/verifier/policy/ are read)
 *        test_vscore SOURCE_DIR --write-default   rewrites policy/default.json from the built-in
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "tests/testlib.h"
#include "verifier/layers.h"
#include "verifier/policy.h"
#include "verifier/readback.h"
#include "verifier/score.h"

static const char *srcdir = ".";

static char *src_path(const char *rel)
{
    static char buf[4][1024];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", srcdir, rel);
    return b;
}

static void quiet(void *userdata, const diag *d)
{
    (void)userdata;
    (void)d;
}

static void load_test_policy(verify_policy *p)
{
    policy_init(p);
    CHECK(policy_load(p, src_path("tests/verifier/policy/test-policy.json"), NULL) == 0);
}

/* ---- running the layers over a snippet ---- */

typedef struct jobs {
    ir_job *v[16];
    int n;
} jobs;

static void keep(void *userdata, ir_job *job)
{
    jobs *js = userdata;
    if (js->n < 16) {
        ir_job_infer_types(job);
        js->v[js->n++] = job;
    } else {
        ir_job_free(job);
    }
}

/* Reads the snippet back and runs every layer; findings into out (findings_init'ed here). */
static void run_layers(verify_findings *out, const verify_policy *p, verify_target target, const char *text,
                       const ir_job *legacy)
{
    diag_ctx dc;
    diag_init(&dc, quiet, NULL);
    jobs js = {{0}, 0};
    const char *path = target == VERIFY_SPARK ? "snippet.py" : "snippet.sql";
    char tmp[] = "/tmp/etlport-vscore-XXXXXX";
    if (target == VERIFY_SPARK) {
        ir_job *g = NULL;
        if (readback_spark(&g, text, strlen(text), path, legacy, &dc) == 0)
            keep(&js, g);
    } else {
        int fd = mkstemp(tmp);
        CHECK(fd >= 0);
        if (fd >= 0) {
            CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
            close(fd);
            readback_snow(tmp, &dc, keep, &js);
            unlink(tmp);
        }
    }
    findings_init(out);
    syntax_layer(out, p, target, text, strlen(text), path, legacy);
    security_layer(out, p, target, text, strlen(text), path, js.v, js.n, legacy);
    perf_layer(out, p, target, text, strlen(text), path, legacy, js.v, js.n);
    findings_sort(out);
    for (int i = 0; i < js.n; i++)
        ir_job_free(js.v[i]);
}

static int layer_findings(const verify_findings *f, verify_layer layer)
{
    int n = 0;
    for (int i = 0; i < f->n; i++)
        n += verify_rule_get(f->v[i].rule)->layer == layer;
    return n;
}

static void dump(const verify_findings *f)
{
    for (int i = 0; i < f->n; i++)
        fprintf(stderr, "    %s:%d:%d: %s [%s]\n", f->v[i].file, f->v[i].line, f->v[i].col, f->v[i].message,
                verify_rule_get(f->v[i].rule)->id);
}

/* ---- security rules: one snippet that trips, one that must not ---- */

typedef struct sec_case {
    verify_rule rule;
    verify_target target;
    const char *trip;  /* must give at least one finding of rule */
    const char *clean; /* must give no security finding */
} sec_case;

#define PY_HEAD "from pyspark.sql import functions as F\n\n\ndef run(spark, params):\n"

static const sec_case sec_cases[] = {
    {VRULE_SEC_PY_DYNAMIC_SQL, VERIFY_SPARK,
     PY_HEAD "    day = params.get(\"DAY\")\n"
             "    df = spark.sql(f\"SELECT ORDER_ID FROM SALES.ORDERS WHERE ORDER_DAY = '{day}'\")\n",
     PY_HEAD "    day = params.get(\"DAY\")\n"
             "    df = spark.sql(\"SELECT ORDER_ID FROM SALES.ORDERS WHERE ORDER_DAY = :day\", args={\"day\": day})\n"},
    {VRULE_SEC_PY_DYNAMIC_SQL, VERIFY_SPARK,
     PY_HEAD "    query = \"SELECT ORDER_ID FROM SALES.ORDERS WHERE REGION = '\" + params[\"REGION\"] + \"'\"\n"
             "    df = spark.sql(query)\n",
     PY_HEAD "    query = \"SELECT ORDER_ID FROM \" \"SALES.ORDERS\"\n    df = spark.sql(query)\n"},
    {VRULE_SEC_PY_DYNAMIC_SQL, VERIFY_SPARK,
     PY_HEAD "    df = spark.sql(\"SELECT ORDER_ID FROM {} WHERE 1 = 1\".format(params[\"TABLE\"]))\n",
     PY_HEAD "    df = spark.table(params[\"TABLE\"]).select(\"ORDER_ID\")\n"},
    {VRULE_SEC_PY_DYNAMIC_SQL, VERIFY_SPARK,
     PY_HEAD "    df = spark.sql(\"SELECT ORDER_ID FROM SALES.ORDERS WHERE REGION = '%s'\" % params[\"REGION\"])\n",
     PY_HEAD "    df = spark.sql(\"SELECT ORDER_ID FROM SALES.ORDERS WHERE QTY % 2 = 0\")\n"},
    {VRULE_SEC_PY_EVAL, VERIFY_SPARK, PY_HEAD "    rule = eval(params[\"RULE\"])\n",
     PY_HEAD "    import re\n    rule = re.compile(\"^[A-Z]+$\")\n"},
    {VRULE_SEC_PY_EVAL, VERIFY_SPARK, PY_HEAD "    exec(params[\"HOOK\"])\n",
     PY_HEAD "    df = spark.table(\"SALES.ORDERS\").filter(F.expr(\"QTY > 0\"))\n"},
    {VRULE_SEC_PY_DESERIALIZE, VERIFY_SPARK, PY_HEAD "    import pickle\n    state = pickle.loads(params[\"STATE\"])\n",
     PY_HEAD "    import json\n    state = json.loads(params[\"STATE\"])\n"},
    {VRULE_SEC_PY_DESERIALIZE, VERIFY_SPARK, PY_HEAD "    import yaml\n    conf = yaml.load(params[\"CONF\"])\n",
     PY_HEAD "    import yaml\n    conf = yaml.load(params[\"CONF\"], Loader=yaml.SafeLoader)\n"},
    {VRULE_SEC_PY_SHELL, VERIFY_SPARK, PY_HEAD "    import os\n    os.system(\"hdfs dfs -rm -r /tmp/stage\")\n",
     PY_HEAD "    import subprocess\n    subprocess.run([\"hdfs\", \"dfs\", \"-ls\", \"/tmp\"], check=True)\n"},
    {VRULE_SEC_PY_SHELL, VERIFY_SPARK,
     PY_HEAD "    import subprocess\n    subprocess.run(\"hdfs dfs -ls \" + params[\"DIR\"], shell=True)\n",
     PY_HEAD "    import subprocess\n    subprocess.run([\"hdfs\", \"dfs\", \"-ls\", params[\"DIR\"]], shell=False)\n"},
    {VRULE_SEC_PY_FILE, VERIFY_SPARK, PY_HEAD "    out = open(params[\"OUT_DIR\"] + \"/orders.csv\", \"w\")\n",
     PY_HEAD "    conf = open(\"/etc/etlport/job.conf\")\n"},
    {VRULE_SEC_PY_FILE, VERIFY_SPARK, PY_HEAD "    import shutil\n    shutil.rmtree(params[\"WORK_DIR\"])\n",
     PY_HEAD "    import shutil\n    shutil.rmtree(\"/tmp/etlport-stage\")\n"},
    {VRULE_SEC_PY_CREDENTIAL, VERIFY_SPARK, PY_HEAD "    password = \"FAKE-PASSWORD-FOR-TESTS\"\n",
     PY_HEAD "    import os\n    password = os.environ[\"DB_PASSWORD\"]\n    password_env = \"DB_PASSWORD\"\n"},
    {VRULE_SEC_PY_CREDENTIAL, VERIFY_SPARK,
     PY_HEAD "    df = (spark.read.format(\"jdbc\").option(\"user\", \"etl\")\n"
             "          .option(\"password\", \"FAKE-PASSWORD-FOR-TESTS\").load())\n",
     PY_HEAD "    df = (spark.read.format(\"jdbc\").option(\"user\", \"etl\")\n"
             "          .option(\"password\", params[\"DB_PASSWORD\"]).load())\n"},
    {VRULE_SEC_PY_CREDENTIAL, VERIFY_SPARK, PY_HEAD "    pw = params.get(\"DB_PASSWORD\", \"FAKE-PASSWORD-FOR-TESTS\")\n",
     PY_HEAD "    pw = params.get(\"DB_PASSWORD\")\n"},
    {VRULE_SEC_PY_CREDENTIAL, VERIFY_SPARK, PY_HEAD "    conn = connect(host=\"db.example.invalid\", api_token=\"FAKE-TOKEN-FOR-TESTS\")\n",
     PY_HEAD "    conn = connect(host=\"db.example.invalid\", api_token=params[\"TOKEN\"])\n"},
    {VRULE_SEC_PY_CREDENTIAL, VERIFY_SPARK, PY_HEAD "    opts = {\"user\": \"etl\", \"secret\": \"FAKE-SECRET-FOR-TESTS\"}\n",
     PY_HEAD "    opts = {\"user\": \"etl\", \"secret\": \"${DB_SECRET}\"}\n"},
    {VRULE_SEC_PY_CREDENTIAL, VERIFY_SPARK,
     PY_HEAD "    url = \"jdbc:postgresql://etl_user:FAKE-PASSWORD@db.example.invalid/sales\"\n"
             "    key = \"AKIAFAKEFAKEFAKEFAKE\"\n",
     PY_HEAD "    url = \"jdbc:postgresql://db.example.invalid/sales\"\n"},
    {VRULE_SEC_PY_LOG_CLASSIFIED, VERIFY_SPARK,
     PY_HEAD "    for row in spark.table(\"CRM.CUSTOMER\").limit(5).toLocalIterator():\n"
             "        print(row[\"EMAIL\"])\n",
     PY_HEAD "    n = spark.table(\"CRM.CUSTOMER\").count()\n    print(\"loaded\", n, \"rows\")\n"},
    {VRULE_SEC_PY_LOG_CLASSIFIED, VERIFY_SPARK,
     PY_HEAD "    import logging\n    cust = spark.table(\"CRM.CUSTOMER\").first()\n"
             "    logging.info(\"customer ssn %s\", cust.SSN)\n",
     PY_HEAD "    import logging\n    df = spark.table(\"CRM.CUSTOMER\")\n    logging.info(\"rows: %d\", df.count())\n"},
    {VRULE_SEC_PY_LOG_CLASSIFIED, VERIFY_SPARK,
     PY_HEAD "    print(spark.table(\"CRM.CUSTOMER\").select(\"CUSTOMER_ID\", \"LOYALTY_CODE\").first())\n",
     PY_HEAD "    print(spark.table(\"CRM.CUSTOMER\").select(\"CUSTOMER_ID\", \"SEGMENT\").first())\n"},
    {VRULE_SEC_PY_SHOW_CLASSIFIED, VERIFY_SPARK,
     PY_HEAD "    df = spark.table(\"CRM.CUSTOMER\").select(\"CUSTOMER_ID\", \"EMAIL\")\n    df.show()\n",
     PY_HEAD "    df = spark.table(\"CRM.CUSTOMER\").select(\"CUSTOMER_ID\", \"SEGMENT\")\n    df.show()\n"},
    {VRULE_SEC_PY_SHOW_CLASSIFIED, VERIFY_SPARK,
     PY_HEAD "    rows = spark.table(\"CLINIC.VISIT\").select(\"VISIT_ID\", \"CLINIC_NOTE\").collect()\n",
     PY_HEAD "    rows = spark.table(\"CLINIC.VISIT\").select(\"VISIT_ID\").collect()\n"},
    {VRULE_SEC_PY_UNMASKED, VERIFY_SPARK,
     PY_HEAD "    src = spark.table(\"CRM.CUSTOMER\")\n"
             "    out = src.select(F.col(\"CUSTOMER_ID\"), F.col(\"EMAIL\"), F.col(\"LOYALTY_CODE\"))\n"
             "    out.write.mode(\"append\").saveAsTable(\"MART.CUSTOMER_DIM\")\n",
     PY_HEAD "    src = spark.table(\"CRM.CUSTOMER\")\n"
             "    out = src.select(F.col(\"CUSTOMER_ID\"), F.sha2(F.col(\"EMAIL\"), 256).alias(\"EMAIL\"),\n"
             "                     F.md5(F.col(\"LOYALTY_CODE\")).alias(\"LOYALTY_CODE\"))\n"
             "    out.write.mode(\"append\").saveAsTable(\"MART.CUSTOMER_DIM\")\n"},
    {VRULE_SEC_PY_UNMASKED, VERIFY_SPARK,
     PY_HEAD "    src = spark.table(\"CLINIC.VISIT\")\n"
             "    out = src.select(F.col(\"VISIT_ID\"), F.upper(F.col(\"CLINIC_NOTE\")).alias(\"NOTE_TEXT\"))\n"
             "    out.write.mode(\"append\").saveAsTable(\"MART.VISIT\")\n",
     PY_HEAD "    src = spark.table(\"CLINIC.VISIT\")\n"
             "    out = src.select(F.col(\"VISIT_ID\"), F.lit(\"(masked)\").alias(\"NOTE_TEXT\"))\n"
             "    out.write.mode(\"append\").saveAsTable(\"MART.VISIT\")\n"},
    {VRULE_SEC_SQL_CREDENTIAL, VERIFY_SNOWFLAKE,
     "CREATE OR REPLACE STAGE RAW_STAGE URL = 's3://example-bucket/raw/'\n"
     "  CREDENTIALS = (AWS_KEY_ID = 'AKIAFAKEFAKEFAKEFAKE' AWS_SECRET_KEY = 'FAKE-SECRET-FOR-TESTS');\n",
     "CREATE OR REPLACE STAGE RAW_STAGE URL = 's3://example-bucket/raw/' STORAGE_INTEGRATION = S3_INT;\n"},
    {VRULE_SEC_SQL_CREDENTIAL, VERIFY_SNOWFLAKE, "CREATE USER ETL_LOADER PASSWORD = 'FAKE-PASSWORD-FOR-TESTS';\n",
     "CREATE USER ETL_LOADER RSA_PUBLIC_KEY_FP = 'SHA256:fake' DEFAULT_ROLE = LOADER;\n"},
    {VRULE_SEC_SQL_DYNAMIC, VERIFY_SNOWFLAKE, "EXECUTE IMMEDIATE 'DELETE FROM ' || $TBL || ' WHERE LOAD_DAY = ' || $DAY;\n",
     "EXECUTE IMMEDIATE 'DELETE FROM STG.ORDERS WHERE LOAD_DAY = ?' USING (DAY);\n"},
    {VRULE_SEC_SQL_GRANT_PUBLIC, VERIFY_SNOWFLAKE, "GRANT SELECT ON TABLE MART.CUSTOMER_DIM TO ROLE PUBLIC;\n",
     "GRANT SELECT ON TABLE MART.CUSTOMER_DIM TO ROLE ANALYST;\n"},
    {VRULE_SEC_SQL_SHOW_CLASSIFIED, VERIFY_SNOWFLAKE, "SELECT CUSTOMER_ID, EMAIL FROM CRM.CUSTOMER;\n",
     "SELECT COUNT(*) FROM CRM.CUSTOMER;\n"},
    {VRULE_SEC_SQL_SHOW_CLASSIFIED, VERIFY_SNOWFLAKE, "SELECT CUSTOMER_ID, LOYALTY_CODE FROM CRM.CUSTOMER;\n",
     "SELECT CUSTOMER_ID, SEGMENT FROM CRM.CUSTOMER;\n"},
    {VRULE_SEC_SQL_SHOW_CLASSIFIED, VERIFY_SNOWFLAKE, "CALL SYSTEM$LOG_INFO('customer ' || :EMAIL);\n",
     "CALL SYSTEM$LOG_INFO('customers loaded');\n"},
    {VRULE_SEC_SQL_UNMASKED, VERIFY_SNOWFLAKE,
     "INSERT INTO MART.CUSTOMER_DIM (CUSTOMER_ID, EMAIL, LOYALTY_CODE)\n"
     "SELECT CUSTOMER_ID, EMAIL, LOYALTY_CODE FROM CRM.CUSTOMER;\n",
     "INSERT INTO MART.CUSTOMER_DIM (CUSTOMER_ID, EMAIL, LOYALTY_CODE)\n"
     "SELECT CUSTOMER_ID, SHA2(EMAIL, 256), MD5(LOYALTY_CODE) FROM CRM.CUSTOMER;\n"},
    {VRULE_SEC_SQL_UNMASKED, VERIFY_SNOWFLAKE,
     "INSERT INTO MART.VISIT (VISIT_ID, NOTE_TEXT)\nSELECT VISIT_ID, UPPER(CLINIC_NOTE) FROM CLINIC.VISIT;\n",
     "ALTER TABLE MART.VISIT MODIFY COLUMN NOTE_TEXT SET MASKING POLICY PHI_TEXT_MASK;\n"
     "INSERT INTO MART.VISIT (VISIT_ID, NOTE_TEXT)\nSELECT VISIT_ID, UPPER(CLINIC_NOTE) FROM CLINIC.VISIT;\n"},
};
#define N_SEC ((int)(sizeof sec_cases / sizeof sec_cases[0]))

static void test_security_rules(void)
{
    verify_policy p;
    load_test_policy(&p);
    for (int i = 0; i < N_SEC; i++) {
        const sec_case *c = &sec_cases[i];
        verify_findings f;
        run_layers(&f, &p, c->target, c->trip, NULL);
        if (findings_count(&f, c->rule) < 1) {
            fprintf(stderr, "case %d: %s not tripped by:\n%s", i, verify_rule_get(c->rule)->id, c->trip);
            dump(&f);
            CHECK(!"tripped");
        }
        findings_free(&f);
        run_layers(&f, &p, c->target, c->clean, NULL);
        if (layer_findings(&f, VERIFY_LAYER_SECURITY) != 0) {
            fprintf(stderr, "case %d (%s): the clean snippet has security findings:\n%s", i,
                    verify_rule_get(c->rule)->id, c->clean);
            dump(&f);
            CHECK(!"clean");
        }
        findings_free(&f);
    }
    policy_free(&p);
}

static void test_every_security_rule_has_cases(void)
{
    for (int r = 0; r < VRULE__COUNT; r++) {
        if (verify_rule_get((verify_rule)r)->layer != VERIFY_LAYER_SECURITY)
            continue;
        int n = 0;
        for (int i = 0; i < N_SEC; i++)
            n += sec_cases[i].rule == (verify_rule)r;
        if (!n)
            fprintf(stderr, "no case for %s\n", verify_rule_get((verify_rule)r)->id);
        CHECK(n > 0);
    }
}

/* The same columns, classified by the test policy, in both targets; the production profile does
 * not ask for masks. */
static void test_classified_both_targets(void)
{
    verify_policy p;
    load_test_policy(&p);
    const sec_case *py = NULL, *sql = NULL;
    for (int i = 0; i < N_SEC; i++) {
        if (sec_cases[i].rule == VRULE_SEC_PY_UNMASKED && !py)
            py = &sec_cases[i];
        if (sec_cases[i].rule == VRULE_SEC_SQL_UNMASKED && !sql)
            sql = &sec_cases[i];
    }
    verify_findings a, b;
    run_layers(&a, &p, VERIFY_SPARK, py->trip, NULL);
    run_layers(&b, &p, VERIFY_SNOWFLAKE, sql->trip, NULL);
    /* EMAIL by the heuristics, LOYALTY_CODE by the test policy's pattern: both, in both targets */
    CHECK(findings_count(&a, VRULE_SEC_PY_UNMASKED) == 2);
    CHECK(findings_count(&b, VRULE_SEC_SQL_UNMASKED) == 2);
    for (int i = 0; i < a.n; i++)
        if (a.v[i].rule == VRULE_SEC_PY_UNMASKED)
            CHECK(strstr(a.v[i].message, "EMAIL (PII)") || strstr(a.v[i].message, "LOYALTY_CODE (PII)"));
    for (int i = 0; i < b.n; i++)
        if (b.v[i].rule == VRULE_SEC_SQL_UNMASKED)
            CHECK(strstr(b.v[i].message, "EMAIL (PII)") || strstr(b.v[i].message, "LOYALTY_CODE (PII)"));
    findings_free(&a);
    findings_free(&b);
    CHECK(policy_set_profile(&p, "production") == 0);
    run_layers(&a, &p, VERIFY_SPARK, py->trip, NULL);
    run_layers(&b, &p, VERIFY_SNOWFLAKE, sql->trip, NULL);
    CHECK(findings_count(&a, VRULE_SEC_PY_UNMASKED) == 0);
    CHECK(findings_count(&b, VRULE_SEC_SQL_UNMASKED) == 0);
    findings_free(&a);
    findings_free(&b);
    policy_free(&p);
}

/* security_tag_job fills the IR's tags: sources by the policy, then along expressions. */
static void test_tags_filled(void)
{
    verify_policy p;
    load_test_policy(&p);
    ir_job *job = ir_job_new("m_tags");
    ir_type str = ir_type_make(IR_TY_STRING, 40, 0);
    ir_node *s = ir_node_add(job, IR_OP_SOURCE, "SQ");
    s->dataset = ir_intern(job, "CRM.CUSTOMER");
    ir_node_add_col(job, s, "CUST_EMAIL_ADDR", str, NULL);
    ir_node_add_col(job, s, "LOYALTY_CODE", str, NULL);
    ir_node_add_col(job, s, "SEGMENT", str, NULL);
    ir_node *x = ir_node_add(job, IR_OP_PROJECT, "EXP");
    ir_node_add_input(job, x, s->id);
    ir_node_add_col(job, x, "E", str, ir_call1(job, IR_FN_UPPER, ir_ref(job, s->id, "CUST_EMAIL_ADDR")));
    ir_node_add_col(job, x, "H", str, ir_call1(job, IR_FN_MD5, ir_ref(job, s->id, "LOYALTY_CODE")));
    ir_node_add_col(job, x, "G", str, ir_ref(job, s->id, "SEGMENT"));
    security_tag_job(&p, job, NULL, NULL);
    CHECK(s->cols[0].tags == IR_TAG_PII);
    CHECK(s->cols[1].tags == IR_TAG_PII);
    CHECK(s->cols[2].tags == 0);
    CHECK(x->cols[0].tags == IR_TAG_PII);
    CHECK(x->cols[1].tags == 0); /* masked */
    CHECK(x->cols[2].tags == 0);
    ir_job_free(job);
    policy_free(&p);
}

/* ---- syntax layer ---- */

static void test_syntax_rules(void)
{
    verify_policy p;
    policy_init(&p);
    static const struct {
        verify_rule rule;
        verify_target target;
        const char *trip, *clean;
    } cases[] = {
        {VRULE_SYN_PARSE, VERIFY_SPARK, "def run(spark params):\n    pass\n", "def run(spark, params):\n    pass\n"},
        {VRULE_SYN_PARSE, VERIFY_SNOWFLAKE, "INSERT INTO T (A) SELECT A FROM S WHERE (;\n", "INSERT INTO T (A) SELECT A FROM S;\n"},
        {VRULE_SYN_HOLE, VERIFY_SPARK, "def run(spark, params):\n    x = _etlport_hole(\"node\", \"m.xml:3\", \"SP\")\n",
         "def _etlport_hole(kind, location, legacy_text):\n    raise NotImplementedError(kind)\n"},
        {VRULE_SYN_HOLE, VERIFY_SNOWFLAKE, "INSERT INTO T (A) SELECT NULL /* ETLPORT HOLE x */ FROM S;\n",
         "INSERT INTO T (A) SELECT A FROM S;\n"},
        {VRULE_STY_LINE_LENGTH, VERIFY_SPARK,
         "X = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n",
         "X = \"short\"\n"},
        {VRULE_STY_WHITESPACE, VERIFY_SPARK, "def run(spark, params):\n\tpass\n", "def run(spark, params):\n    pass\n"},
        {VRULE_STY_WHITESPACE, VERIFY_SNOWFLAKE, "INSERT INTO T (A) SELECT A FROM S; \n", "INSERT INTO T (A) SELECT A FROM S;\n"},
        {VRULE_STY_PY_NAME, VERIFY_SPARK, "def LoadOrders(spark):\n    camelCase = 1\n",
         "MAX_ROWS = 10\n\n\ndef load_orders(spark):\n    row_count = 1\n"},
        {VRULE_STY_PY_STAR_IMPORT, VERIFY_SPARK, "from pyspark.sql.functions import *\n",
         "from pyspark.sql import functions as F\n"},
        {VRULE_STY_SQL_SELECT_STAR, VERIFY_SNOWFLAKE, "INSERT INTO T SELECT * FROM S;\n",
         "INSERT INTO T (A) SELECT A FROM S;\nSELECT * FROM S;\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        verify_findings f;
        run_layers(&f, &p, cases[i].target, cases[i].trip, NULL);
        if (findings_count(&f, cases[i].rule) < 1) {
            fprintf(stderr, "syntax case %zu: %s not tripped\n", i, verify_rule_get(cases[i].rule)->id);
            dump(&f);
            CHECK(!"tripped");
        }
        findings_free(&f);
        run_layers(&f, &p, cases[i].target, cases[i].clean, NULL);
        if (layer_findings(&f, VERIFY_LAYER_SYNTAX) != 0) {
            fprintf(stderr, "syntax case %zu (%s): clean snippet has findings\n", i, verify_rule_get(cases[i].rule)->id);
            dump(&f);
            CHECK(!"clean");
        }
        findings_free(&f);
    }
    /* Snowflake the SQL grammar lacks is excused (tests/grammars/sql-excused.txt, compiled in) */
    verify_findings f;
    run_layers(&f, &p, VERIFY_SNOWFLAKE, "CREATE TABLE IF NOT EXISTS T (A NUMBER(18,0), B TIMESTAMP_NTZ(9));\n", NULL);
    CHECK(findings_count(&f, VRULE_SYN_PARSE) == 0);
    findings_free(&f);
    policy_free(&p);
}

/* ---- performance layer ---- */

static ir_job *perf_job(ir_join_kind kind, bool equi, bool ranked, ir_load_mode load, bool cursor)
{
    ir_type i32 = ir_type_make(IR_TY_INT, 0, 0);
    ir_job *job = ir_job_new("m_perf");
    job->file = ir_intern(job, "m_perf.xml");
    ir_dataset *ds = ir_job_add_dataset(job, "MART.ORDER_FACT");
    ir_dataset_add_col(job, ds, "ORDER_ID", i32)->flags |= IR_COL_KEY;
    ir_node *o = ir_node_add(job, IR_OP_SOURCE, "SQ_ORDERS");
    o->dataset = ir_intern(job, "SALES.ORDERS");
    ir_node_add_col(job, o, "ORDER_ID", i32, NULL);
    ir_node_add_col(job, o, "CUST_ID", i32, NULL);
    ir_node *c = ir_node_add(job, IR_OP_SOURCE, "SQ_CUSTOMERS");
    c->dataset = ir_intern(job, "SALES.CUSTOMERS");
    ir_node_add_col(job, c, "CUST_ID", i32, NULL);
    ir_node *j = ir_node_add(job, IR_OP_JOIN, "JNR");
    ir_node_add_input(job, j, o->id);
    ir_node_add_input(job, j, c->id);
    j->join = kind;
    if (kind != IR_JOIN_CROSS)
        j->predicate = ir_call2(job, equi ? IR_FN_EQ : IR_FN_LT, ir_ref(job, o->id, "CUST_ID"), ir_ref(job, c->id, "CUST_ID"));
    ir_node_add_col(job, j, "ORDER_ID", i32, ir_ref(job, o->id, "ORDER_ID"));
    ir_node *l = ir_node_add(job, IR_OP_LOOKUP, "LKP");
    l->dataset = ir_intern(job, "SALES.CUSTOMERS");
    ir_node_add_input(job, l, j->id);
    ir_node_add_input(job, l, c->id);
    l->predicate = ir_call2(job, equi ? IR_FN_EQ : IR_FN_LE, ir_ref(job, j->id, "ORDER_ID"), ir_ref(job, c->id, "CUST_ID"));
    ir_node_add_col(job, l, "ORDER_ID", i32, ir_ref(job, j->id, "ORDER_ID"));
    ir_node *s = ir_node_add(job, IR_OP_SORT, "SRT");
    ir_node_add_input(job, s, o->id);
    ir_node_add_order(job, s, ir_ref(job, o->id, "ORDER_ID"), false);
    ir_node_add_col(job, s, "ORDER_ID", i32, ir_ref(job, o->id, "ORDER_ID"));
    if (ranked) {
        ir_node *r = ir_node_add(job, IR_OP_RANK, "TOP10");
        ir_node_add_input(job, r, s->id);
        r->top_n = 10;
        ir_node_add_col(job, r, "ORDER_ID", i32, ir_ref(job, s->id, "ORDER_ID"));
    }
    if (cursor) {
        ir_node *pr = ir_node_add(job, IR_OP_PROCEDURE, "SP_FIX");
        pr->legacy = ir_intern(job, "FOR r IN (SELECT * FROM SALES.ORDERS) LOOP UPDATE ... END LOOP;");
        pr->hole_reason = ir_intern(job, "PL/SQL block");
    }
    ir_node *t = ir_node_add(job, IR_OP_TARGET, "ORDER_FACT");
    t->dataset = ir_intern(job, "MART.ORDER_FACT");
    t->load = load;
    ir_node_add_input(job, t, l->id);
    ir_node_add_col(job, t, "ORDER_ID", i32, ir_ref(job, l->id, "ORDER_ID"));
    return job;
}

static int perf_count(const verify_policy *p, const ir_job *job, verify_rule rule)
{
    verify_findings f;
    findings_init(&f);
    perf_layer(&f, p, VERIFY_SNOWFLAKE, "", 0, "x.sql", job, NULL, 0);
    int n = findings_count(&f, rule);
    findings_free(&f);
    return n;
}

static void test_perf_rules(void)
{
    verify_policy p;
    load_test_policy(&p);
    CHECK(policy_load_stats(&p, src_path("tests/verifier/policy/stats.json"), NULL) == 0);
    CHECK(policy_table_rows_of(&p, "sales.orders") == 5000000);
    CHECK(policy_table_rows_of(&p, "OTHER.ORDERS") == 5000000); /* by the last dotted part */
    ir_job *bad = perf_job(IR_JOIN_CROSS, false, false, IR_LOAD_TRUNCATE_INSERT, true);
    ir_job *nonequi = perf_job(IR_JOIN_INNER, false, false, IR_LOAD_APPEND, false);
    ir_job *good = perf_job(IR_JOIN_INNER, true, true, IR_LOAD_MERGE, false);
    CHECK(perf_count(&p, bad, VRULE_PERF_CARTESIAN) == 1);
    CHECK(perf_count(&p, good, VRULE_PERF_CARTESIAN) == 0);
    CHECK(perf_count(&p, nonequi, VRULE_PERF_NON_EQUI) == 2); /* the join and the lookup */
    CHECK(perf_count(&p, good, VRULE_PERF_NON_EQUI) == 0);
    CHECK(perf_count(&p, bad, VRULE_PERF_UNBOUNDED_SORT) == 1);
    CHECK(perf_count(&p, good, VRULE_PERF_UNBOUNDED_SORT) == 0);
    CHECK(perf_count(&p, nonequi, VRULE_PERF_UNCACHED_LOOKUP) == 1);
    CHECK(perf_count(&p, good, VRULE_PERF_UNCACHED_LOOKUP) == 0);
    CHECK(perf_count(&p, bad, VRULE_PERF_FULL_REWRITE) == 1);
    CHECK(perf_count(&p, nonequi, VRULE_PERF_FULL_REWRITE) == 0);
    CHECK(perf_count(&p, bad, VRULE_PERF_ROW_LOOP) == 1);
    CHECK(perf_count(&p, good, VRULE_PERF_ROW_LOOP) == 0);
    CHECK(perf_count(&p, bad, VRULE_PERF_SLA) == 1); /* 5M x 2M rows */
    CHECK(perf_count(&p, good, VRULE_PERF_SLA) == 0);
    /* without statistics nothing is large */
    verify_policy bare;
    load_test_policy(&bare);
    CHECK(perf_count(&bare, bad, VRULE_PERF_UNBOUNDED_SORT) == 0);
    CHECK(perf_count(&bare, bad, VRULE_PERF_FULL_REWRITE) == 0);
    policy_free(&bare);
    ir_job_free(bad);
    ir_job_free(nonequi);
    ir_job_free(good);

    static const struct {
        verify_target target;
        const char *trip, *clean;
    } loops[] = {
        {VERIFY_SPARK, PY_HEAD "    for row in spark.table(\"SALES.ORDERS\").collect():\n        pass\n",
         PY_HEAD "    for name in spark.table(\"SALES.ORDERS\").columns:\n        pass\n"},
        {VERIFY_SNOWFLAKE,
         "CREATE PROCEDURE P() RETURNS INT LANGUAGE SQL AS $$\nDECLARE c1 CURSOR FOR SELECT ORDER_ID FROM SALES.ORDERS;\n"
         "BEGIN\n  FOR rec IN c1 DO\n    UPDATE SALES.ORDERS SET QTY = 0 WHERE ORDER_ID = rec.ORDER_ID;\n  END FOR;\n"
         "  RETURN 0;\nEND;\n$$;\n",
         "SELECT ORDER_ID FROM SALES.ORDERS ORDER BY ORDER_ID FETCH FIRST 10 ROWS ONLY;\n"},
    };
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
        verify_findings f;
        run_layers(&f, &p, loops[i].target, loops[i].trip, NULL);
        CHECK(findings_count(&f, VRULE_PERF_ROW_LOOP) >= 1);
        findings_free(&f);
        run_layers(&f, &p, loops[i].target, loops[i].clean, NULL);
        CHECK(findings_count(&f, VRULE_PERF_ROW_LOOP) == 0);
        findings_free(&f);
    }
    policy_free(&p);
}

/* ---- scores and tiers ---- */

static void test_layer_scores(void)
{
    verify_policy p;
    policy_init(&p);
    verify_findings f;
    findings_init(&f);
    CHECK(score_layer(&f, VERIFY_LAYER_SECURITY, &p) == 1.0);
    findings_add(&f, VRULE_SEC_PY_LOG_CLASSIFIED, "a.py", 3, 5, "x");
    findings_add(&f, VRULE_SEC_PY_FILE, "a.py", 4, 5, "x");
    CHECK(score_layer(&f, VERIFY_LAYER_SECURITY, &p) == 0.6); /* 1 - 0.30 - 0.10 */
    for (int i = 0; i < 5; i++)
        findings_add(&f, VRULE_STY_LINE_LENGTH, "a.py", 10 + i, 121, "x");
    CHECK(score_layer(&f, VERIFY_LAYER_SYNTAX, &p) == 0.94); /* a rule counts at most 3 times */
    findings_add(&f, VRULE_SEC_PY_EVAL, "a.py", 9, 1, "x");
    CHECK(score_layer(&f, VERIFY_LAYER_SECURITY, &p) == 0.0);
    CHECK(score_layer(&f, VERIFY_LAYER_PERFORMANCE, &p) == 1.0);
    findings_free(&f);

    verify_result r;
    memset(&r, 0, sizeof r);
    r.col_counts[VERIFY_EQUAL] = 7;
    r.col_counts[VERIFY_UNVERIFIED] = 1;
    r.node_counts[VERIFY_EQUAL] = 1;
    r.node_counts[VERIFY_DIFFERS] = 1;
    CHECK(score_semantic(&r, &p) == 0.85); /* (8 + 0.5) / 10 */
    CHECK(score_semantic(NULL, &p) == 0.5);
    policy_free(&p);
}

static verify_scores scores(double syn, double sec, double sem, double perf)
{
    verify_scores s;
    memset(&s, 0, sizeof s);
    s.layer[VERIFY_LAYER_SYNTAX] = syn;
    s.layer[VERIFY_LAYER_SECURITY] = sec;
    s.layer[VERIFY_LAYER_SEMANTIC] = sem;
    s.layer[VERIFY_LAYER_PERFORMANCE] = perf;
    return s;
}

static void test_tiers_and_caps(void)
{
    verify_policy p;
    policy_init(&p);
    CHECK(score_tier(1.0, &p) == VERIFY_TIER_AUTO_APPROVE);
    CHECK(score_tier(0.95, &p) == VERIFY_TIER_AUTO_APPROVE);
    CHECK(score_tier(0.94999, &p) == VERIFY_TIER_AUTO_APPROVE); /* rounded to 4 decimals: 0.95 */
    CHECK(score_tier(0.9499, &p) == VERIFY_TIER_PR_REVIEW);
    CHECK(score_tier(0.80, &p) == VERIFY_TIER_PR_REVIEW);
    CHECK(score_tier(0.7999, &p) == VERIFY_TIER_SENIOR_REVIEW);
    CHECK(score_tier(0.65, &p) == VERIFY_TIER_SENIOR_REVIEW);
    CHECK(score_tier(0.6499, &p) == VERIFY_TIER_REGENERATE);
    CHECK(score_tier(0.50, &p) == VERIFY_TIER_REGENERATE);
    CHECK(score_tier(0.4999, &p) == VERIFY_TIER_REJECT);

    verify_scores s = scores(1, 1, 1, 1);
    score_compose(&s, &p, false, false);
    CHECK(s.composite == 1.0 && s.tier == VERIFY_TIER_AUTO_APPROVE && !s.capped_by);
    score_compose(&s, &p, true, false); /* migration artifacts never auto-approve */
    CHECK(s.tier_by_score == VERIFY_TIER_AUTO_APPROVE && s.tier == VERIFY_TIER_PR_REVIEW);
    CHECK_STR(s.capped_by, "migration");
    s = scores(1, 0.7, 1, 1); /* 0.895: pull-request review; not capped further */
    score_compose(&s, &p, true, false);
    CHECK(s.composite == 0.895 && s.tier == VERIFY_TIER_PR_REVIEW && !s.capped_by);
    s = scores(1, 1, 1, 1); /* a critical security finding caps at reject whatever the score */
    score_compose(&s, &p, true, true);
    CHECK(s.tier == VERIFY_TIER_REJECT);
    CHECK_STR(s.capped_by, "critical security finding");

    /* the worked example of docs/verification.md */
    s = scores(0.86, 0.7, 0.9, 1);
    score_compose(&s, &p, true, false);
    CHECK(s.composite == 0.837);
    CHECK(s.tier == VERIFY_TIER_PR_REVIEW);

    /* a policy moves the bands, the weights and the caps */
    const char *moved = "{\"weights\": {\"syntax\": 0.1, \"security\": 0.4, \"semantic\": 0.4, \"performance\": 0.1},"
                        " \"tiers\": {\"auto_approve\": 0.9}, \"caps\": {\"critical_security\": \"senior_review\"}}";
    CHECK(policy_load_text(&p, moved, strlen(moved), "inline.json", NULL) == 0);
    s = scores(1, 0, 1, 1);
    score_compose(&s, &p, false, true);
    CHECK(s.composite == 0.6 && s.tier == VERIFY_TIER_REGENERATE && !s.capped_by); /* already worse than the cap */
    s = scores(1, 1, 0.8, 1);
    score_compose(&s, &p, false, false);
    CHECK(s.composite == 0.92 && s.tier == VERIFY_TIER_AUTO_APPROVE);
    policy_free(&p);
}

static void test_policy_file(void)
{
    verify_policy builtin, file;
    policy_init(&builtin);
    policy_init(&file);
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    policy_to_json(&builtin, &a);
    CHECK(policy_load(&file, src_path("policy/default.json"), NULL) == 0);
    policy_to_json(&file, &b);
    CHECK_STR(sb_cstr(&b), sb_cstr(&a)); /* policy/default.json is the built-in default */
    sb_free(&a);
    sb_free(&b);
    ir_type str = ir_type_make(IR_TY_STRING, 0, 0), date = ir_type_make(IR_TY_DATE, 0, 0);
    CHECK(policy_classify(&builtin, "CRM.CUSTOMER", "CUST_EMAIL_ADDR", str) == IR_TAG_PII);
    CHECK(policy_classify(&builtin, NULL, "CardNumber", str) == 0); /* words are split at '_' and non-letters only */
    CHECK(policy_classify(&builtin, NULL, "card_number", str) == IR_TAG_PCI);
    CHECK(policy_classify(&builtin, NULL, "PAN", str) == IR_TAG_PCI);
    CHECK(policy_classify(&builtin, NULL, "COMPANY_NAME", str) == 0);
    CHECK(policy_classify(&builtin, NULL, "BIRTH_DT", date) == IR_TAG_PII);
    CHECK(policy_classify(&builtin, NULL, "BIRTH_PLACE_CODE", str) == 0);
    CHECK(policy_classify(&builtin, NULL, "PRIMARY_DIAGNOSIS", str) == IR_TAG_PHI);
    CHECK(policy_classify(&builtin, NULL, "MOBILE_PHONE", str) == IR_TAG_PII);
    char tags[32];
    CHECK_STR(policy_tags_text(IR_TAG_PII | IR_TAG_PHI, tags, sizeof tags), "PII,PHI");

    verify_policy bad;
    policy_init(&bad);
    const char *wrong = "{\"weights\": {\"syntax\": 0.5}, \"caps\": {\"migration\": \"someday\"}}";
    CHECK(policy_load_text(&bad, wrong, strlen(wrong), "bad.json", NULL) == -1);
    CHECK(policy_load_text(&bad, "{nope", 5, "bad.json", NULL) == -1);
    CHECK(policy_set_profile(&bad, "staging") == -1);
    policy_free(&bad);
    policy_free(&builtin);
    policy_free(&file);
}

/* The same artifact assessed twice gives byte-identical JSON. */
static void test_deterministic(void)
{
    verify_policy p;
    load_test_policy(&p);
    const char *text = sec_cases[0].trip;
    strbuf out[2] = {STRBUF_INIT, STRBUF_INIT};
    for (int k = 0; k < 2; k++) {
        diag_ctx dc;
        diag_init(&dc, quiet, NULL);
        ir_job *g = NULL;
        CHECK(readback_spark(&g, text, strlen(text), "snippet.py", NULL, &dc) == 0);
        verify_assessment a;
        verify_assess(&a, &p, VERIFY_SPARK, text, strlen(text), "snippet.py", NULL, &g, 1, NULL, true);
        verify_assessment_to_json(&a, &out[k], 1);
        CHECK(a.scores.tier == VERIFY_TIER_REJECT); /* dynamic SQL is critical */
        verify_assessment_free(&a);
        ir_job_free(g);
    }
    CHECK_STR(sb_cstr(&out[0]), sb_cstr(&out[1]));
    sb_free(&out[0]);
    sb_free(&out[1]);
    policy_free(&p);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        srcdir = argv[1];
    if (argc > 2 && strcmp(argv[2], "--write-default") == 0) {
        verify_policy p;
        policy_init(&p);
        strbuf sb = STRBUF_INIT;
        policy_to_json(&p, &sb);
        int rc = fs_write_atomic(src_path("policy/default.json"), sb.data, sb.len);
        sb_free(&sb);
        policy_free(&p);
        return rc ? 1 : 0;
    }
    RUN(test_every_security_rule_has_cases);
    RUN(test_security_rules);
    RUN(test_classified_both_targets);
    RUN(test_tags_filled);
    RUN(test_syntax_rules);
    RUN(test_perf_rules);
    RUN(test_layer_scores);
    RUN(test_tiers_and_caps);
    RUN(test_policy_file);
    RUN(test_deterministic);
    return TEST_SUMMARY();
}
