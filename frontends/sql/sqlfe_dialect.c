/*
 * sqlfe_dialect.c — dialect names and the guess of a file's dialect from its path and first bytes.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe.h"

static const char *const names[SQLFE__DIALECTS] = {"ansi", "oracle", "tsql", "teradata", "db2", "netezza",
                                                   "snowflake", "spark"};

const char *sqlfe_dialect_name(sqlfe_dialect d)
{
    return (int)d >= 0 && d < SQLFE__DIALECTS ? names[d] : "?";
}

int sqlfe_dialect_by_name(const char *name)
{
    static const struct {
        const char *alias;
        sqlfe_dialect d;
    } aliases[] = {
        {"sqlserver", SQLFE_TSQL}, {"mssql", SQLFE_TSQL},    {"t-sql", SQLFE_TSQL},  {"microsoft sql server", SQLFE_TSQL},
        {"bteq", SQLFE_TERADATA},  {"plsql", SQLFE_ORACLE},  {"pl/sql", SQLFE_ORACLE}, {"generic", SQLFE_ANSI},
        {"ibm db2", SQLFE_DB2},    {"udb", SQLFE_DB2},       {"postgres", SQLFE_ANSI}, {"sql", SQLFE_ANSI},
        {"databricks", SQLFE_SPARK}, {"spark2", SQLFE_SPARK}, {"sparksql", SQLFE_SPARK}, {"spark sql", SQLFE_SPARK},
    };
    if (!name)
        return -1;
    for (int i = 0; i < SQLFE__DIALECTS; i++)
        if (strcasecmp(name, names[i]) == 0)
            return i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(name, aliases[i].alias) == 0)
            return (int)aliases[i].d;
    return -1;
}

/* Case-insensitive search for word in s[0..n). */
static int has(const char *s, size_t n, const char *word)
{
    size_t m = strlen(word);
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(s + i, word, m) == 0)
            return 1;
    return 0;
}

/* What a file holds that only one dialect writes: the text looked for, the dialect, its weight and
 * the label the guess's reason shows (hints with the same label count once in the reason). */
static const struct hint {
    const char *word;
    sqlfe_dialect d;
    int w;
    const char *label;
} hints[] = {
    {".LOGON", SQLFE_TERADATA, 5, "BTEQ dot-commands"}, {"\n.IF ", SQLFE_TERADATA, 3, "BTEQ dot-commands"},
    {"MULTISET", SQLFE_TERADATA, 3, "MULTISET tables"}, {"VOLATILE TABLE", SQLFE_TERADATA, 3, "VOLATILE tables"},
    {"PRIMARY INDEX", SQLFE_TERADATA, 3, "PRIMARY INDEX"}, {"QUALIFY", SQLFE_TERADATA, 1, "QUALIFY"},
    {"ZEROIFNULL", SQLFE_TERADATA, 2, "ZEROIFNULL"}, {"\nSEL ", SQLFE_TERADATA, 2, "SEL"},
    {"COLLECT STATISTICS", SQLFE_TERADATA, 3, "COLLECT STATISTICS"},
    {"\nGO\n", SQLFE_TSQL, 5, "GO batches"}, {"\nGO\r\n", SQLFE_TSQL, 5, "GO batches"},
    {"NVARCHAR", SQLFE_TSQL, 2, "NVARCHAR"}, {"GETDATE()", SQLFE_TSQL, 3, "GETDATE()"},
    {"ISNULL(", SQLFE_TSQL, 2, "ISNULL()"}, {"[dbo]", SQLFE_TSQL, 4, "dbo schema"},
    {"dbo.", SQLFE_TSQL, 2, "dbo schema"},
    {"@@", SQLFE_TSQL, 2, "@@ globals"}, {"SET NOCOUNT", SQLFE_TSQL, 4, "SET NOCOUNT"},
    {"NOLOCK", SQLFE_TSQL, 3, "NOLOCK hints"}, {"DECLARE @", SQLFE_TSQL, 4, "@variables"},
    {"VARCHAR2", SQLFE_ORACLE, 4, "VARCHAR2"}, {"NVL(", SQLFE_ORACLE, 2, "NVL()"},
    {"SYSDATE", SQLFE_ORACLE, 2, "SYSDATE"},
    {"DECODE(", SQLFE_ORACLE, 1, "DECODE()"}, {"\n/\n", SQLFE_ORACLE, 3, "'/' lines"},
    {"(+)", SQLFE_ORACLE, 3, "(+) joins"},
    {"ROWNUM", SQLFE_ORACLE, 2, "ROWNUM"}, {"PL/SQL", SQLFE_ORACLE, 2, "PL/SQL"},
    {"NUMBER(", SQLFE_ORACLE, 2, "NUMBER(p,s)"},
    {"DUAL", SQLFE_ORACLE, 2, "DUAL"}, {"EXCEPTION", SQLFE_ORACLE, 1, "EXCEPTION"},
    {"DBMS_", SQLFE_ORACLE, 3, "DBMS_ packages"},
    {"FETCH FIRST", SQLFE_DB2, 1, "FETCH FIRST"}, {"WITH UR", SQLFE_DB2, 3, "WITH UR"},
    {"SYSIBM", SQLFE_DB2, 5, "SYSIBM"},
    {"CURRENT DATE", SQLFE_DB2, 3, "CURRENT DATE"}, {"CURRENT TIMESTAMP", SQLFE_DB2, 3, "CURRENT TIMESTAMP"},
    {"TERMINATOR", SQLFE_DB2, 2, "CLP terminator"},
    {"DISTRIBUTE ON", SQLFE_NETEZZA, 5, "DISTRIBUTE ON"}, {"NZPLSQL", SQLFE_NETEZZA, 5, "NZPLSQL"},
    {"BEGIN_PROC", SQLFE_NETEZZA, 5, "BEGIN_PROC"}, {"ORGANIZE ON", SQLFE_NETEZZA, 4, "ORGANIZE ON"},
    {"VARIANT", SQLFE_SNOWFLAKE, 3, "VARIANT"}, {"FLATTEN(", SQLFE_SNOWFLAKE, 3, "FLATTEN()"},
    {"CREATE OR REPLACE TABLE", SQLFE_SNOWFLAKE, 2, "CREATE OR REPLACE TABLE"}, {"IFF(", SQLFE_SNOWFLAKE, 2, "IFF()"},
    {"$$", SQLFE_SNOWFLAKE, 0, "$$"},
    /* more of the same kind: words a dialect's own documentation defines and the others reject */
    {"].[", SQLFE_TSQL, 4, "[bracketed] names"}, {"SET @", SQLFE_TSQL, 2, "@variables"},
    {"BEGIN TRAN", SQLFE_TSQL, 3, "BEGIN TRAN"}, {"(@", SQLFE_TSQL, 3, "@parameters"},
    {" AS [", SQLFE_TSQL, 3, "[bracketed] names"},
    {"CROSS APPLY", SQLFE_TSQL, 3, "APPLY"}, {"OUTER APPLY", SQLFE_TSQL, 3, "APPLY"},
    {"OUTPUT INSERTED", SQLFE_TSQL, 4, "OUTPUT clauses"}, {"OUTPUT DELETED", SQLFE_TSQL, 4, "OUTPUT clauses"},
    {"CREATE PROC ", SQLFE_TSQL, 3, "CREATE PROC"}, {"EXEC sp_", SQLFE_TSQL, 3, "sp_ procedures"},
    {"FROM #", SQLFE_TSQL, 3, "#temp tables"}, {"INTO #", SQLFE_TSQL, 3, "#temp tables"},
    {"JOIN #", SQLFE_TSQL, 3, "#temp tables"}, {"TABLE #", SQLFE_TSQL, 3, "#temp tables"},
    {"\nLOCKING ", SQLFE_TERADATA, 3, "LOCKING"}, {"CASESPECIFIC", SQLFE_TERADATA, 4, "CASESPECIFIC"},
    {"FALLBACK", SQLFE_TERADATA, 3, "FALLBACK"}, {"BYTEINT", SQLFE_TERADATA, 4, "BYTEINT"},
    {"(FORMAT '", SQLFE_TERADATA, 4, "(FORMAT ..)"}, {"\nINS ", SQLFE_TERADATA, 2, "INS/DEL/UPD"},
    {"\nDEL ", SQLFE_TERADATA, 2, "INS/DEL/UPD"}, {"\nUPD ", SQLFE_TERADATA, 2, "INS/DEL/UPD"},
    {"SYSCAT.", SQLFE_DB2, 5, "SYSCAT"}, {"SYSPROC.", SQLFE_DB2, 4, "SYSPROC"},
    {"ORGANIZE BY", SQLFE_DB2, 3, "ORGANIZE BY"},
    {"DECLARE GLOBAL TEMPORARY", SQLFE_DB2, 4, "DECLARE GLOBAL TEMPORARY TABLE"},
    {"@\n", SQLFE_DB2, 4, "@ terminators"}, {"@\r\n", SQLFE_DB2, 4, "@ terminators"},
    {"\nCONNECT TO ", SQLFE_DB2, 3, "CLP CONNECT TO"}, {"DECFLOAT", SQLFE_DB2, 4, "DECFLOAT"},
    {"ANCHOR DATA TYPE", SQLFE_DB2, 5, "ANCHOR types"}, {"ANCHOR ROW", SQLFE_DB2, 5, "ANCHOR types"},
    /* a PL/pgSQL body (Greenplum, PostgreSQL): NZPLSQL's reader is the one for $$ .. $$ bodies */
    {"LANGUAGE plpgsql", SQLFE_NETEZZA, 5, "PL/pgSQL bodies (read as NZPLSQL)"},
    {"REFCURSOR", SQLFE_NETEZZA, 2, "REFCURSOR"},
    {"%ROWTYPE", SQLFE_ORACLE, 4, "%TYPE/%ROWTYPE"}, {"%TYPE", SQLFE_ORACLE, 4, "%TYPE/%ROWTYPE"},
    {"RAISE_APPLICATION_ERROR", SQLFE_ORACLE, 4, "RAISE_APPLICATION_ERROR"},
    {"PLS_INTEGER", SQLFE_ORACLE, 4, "PLS_INTEGER"},
    {"SYSTIMESTAMP", SQLFE_ORACLE, 2, "SYSTIMESTAMP"}, {"NVL2(", SQLFE_ORACLE, 2, "NVL2()"},
    {"CREATE OR REPLACE PACKAGE", SQLFE_ORACLE, 5, "packages"}, {"\nSPOOL ", SQLFE_ORACLE, 3, "SQL*Plus commands"},
    {"\nPROMPT ", SQLFE_ORACLE, 3, "SQL*Plus commands"},
    {"GENERATE STATISTICS", SQLFE_NETEZZA, 4, "GENERATE STATISTICS"},
    {"GROOM TABLE", SQLFE_NETEZZA, 5, "GROOM TABLE"},
    {"USING DELTA", SQLFE_SPARK, 4, "USING DELTA"}, {"LATERAL VIEW", SQLFE_SPARK, 4, "LATERAL VIEW"},
    {"TBLPROPERTIES", SQLFE_SPARK, 3, "TBLPROPERTIES"}, {"INSERT OVERWRITE", SQLFE_SPARK, 2, "INSERT OVERWRITE"},
};

sqlfe_dialect sqlfe_dialect_guess_why(const char *path, const char *head, size_t n, char *why, size_t size)
{
    if (why && size)
        why[0] = 0;
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot && strchr(dot, '/'))
        dot = NULL;
    if (dot && (strcasecmp(dot, ".bteq") == 0 || strcasecmp(dot, ".btq") == 0)) {
        if (why && size)
            snprintf(why, size, "file extension %s", dot);
        return SQLFE_TERADATA;
    }
    if (dot && (strcasecmp(dot, ".pls") == 0 || strcasecmp(dot, ".pks") == 0 || strcasecmp(dot, ".pkb") == 0 ||
                strcasecmp(dot, ".prc") == 0 || strcasecmp(dot, ".fnc") == 0)) {
        if (why && size)
            snprintf(why, size, "file extension %s", dot);
        return SQLFE_ORACLE;
    }
    int score[SQLFE__DIALECTS] = {0};
    unsigned char hit[sizeof hints / sizeof hints[0]] = {0};
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (has(head, n, hints[i].word)) {
            score[hints[i].d] += hints[i].w;
            hit[i] = 1;
        }
    int best = SQLFE_ANSI, top = 2; /* below this nothing is telling */
    for (int d = 1; d < SQLFE__DIALECTS; d++)
        if (score[d] > top) {
            top = score[d];
            best = d;
        }
    if (why && size) {
        size_t len = 0;
        for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
            if (!hit[i] || (int)hints[i].d != best || hints[i].w == 0)
                continue;
            int dup = 0;
            for (size_t k = 0; k < i && !dup; k++)
                dup = hit[k] && hints[k].d == hints[i].d && hints[k].w && strcmp(hints[k].label, hints[i].label) == 0;
            if (dup)
                continue;
            int w = snprintf(why + len, size - len, "%s%s", len ? ", " : "", hints[i].label);
            if (w < 0 || (size_t)w >= size - len)
                break; /* cut at the buffer's end (snprintf keeps it terminated) */
            len += (size_t)w;
        }
        if (best == SQLFE_ANSI)
            snprintf(why, size, "no dialect-specific hints");
    }
    return (sqlfe_dialect)best;
}

sqlfe_dialect sqlfe_dialect_guess(const char *path, const char *head, size_t n)
{
    return sqlfe_dialect_guess_why(path, head, n, NULL, 0);
}
