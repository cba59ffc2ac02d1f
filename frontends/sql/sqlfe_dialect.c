/*
 * sqlfe_dialect.c — dialect names and the guess of a file's dialect from its path and first bytes.
 */
#include <string.h>
#include <strings.h>

#include "frontends/sql/sqlfe.h"

static const char *const names[SQLFE__DIALECTS] = {"ansi", "oracle", "tsql", "teradata", "db2", "netezza",
                                                   "snowflake"};

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

sqlfe_dialect sqlfe_dialect_guess(const char *path, const char *head, size_t n)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot && (strcasecmp(dot, ".bteq") == 0 || strcasecmp(dot, ".btq") == 0))
        return SQLFE_TERADATA;
    if (dot && (strcasecmp(dot, ".pls") == 0 || strcasecmp(dot, ".pks") == 0 || strcasecmp(dot, ".pkb") == 0 ||
                strcasecmp(dot, ".prc") == 0 || strcasecmp(dot, ".fnc") == 0))
        return SQLFE_ORACLE;
    int score[SQLFE__DIALECTS] = {0};
    static const struct {
        const char *word;
        sqlfe_dialect d;
        int w;
    } hints[] = {
        {".LOGON", SQLFE_TERADATA, 5}, {"\n.IF ", SQLFE_TERADATA, 3}, {"MULTISET", SQLFE_TERADATA, 3},
        {"VOLATILE TABLE", SQLFE_TERADATA, 3}, {"PRIMARY INDEX", SQLFE_TERADATA, 3}, {"QUALIFY", SQLFE_TERADATA, 1},
        {"ZEROIFNULL", SQLFE_TERADATA, 2}, {"\nSEL ", SQLFE_TERADATA, 2}, {"COLLECT STATISTICS", SQLFE_TERADATA, 3},
        {"\nGO\n", SQLFE_TSQL, 5}, {"\nGO\r\n", SQLFE_TSQL, 5}, {"NVARCHAR", SQLFE_TSQL, 2}, {"GETDATE()", SQLFE_TSQL, 3},
        {"ISNULL(", SQLFE_TSQL, 2}, {"[dbo]", SQLFE_TSQL, 4}, {"dbo.", SQLFE_TSQL, 2}, {"@@", SQLFE_TSQL, 2},
        {"SET NOCOUNT", SQLFE_TSQL, 4}, {"NOLOCK", SQLFE_TSQL, 3}, {"DECLARE @", SQLFE_TSQL, 4},
        {"VARCHAR2", SQLFE_ORACLE, 4}, {"NVL(", SQLFE_ORACLE, 2}, {"SYSDATE", SQLFE_ORACLE, 2},
        {"DECODE(", SQLFE_ORACLE, 1}, {"\n/\n", SQLFE_ORACLE, 3}, {"(+)", SQLFE_ORACLE, 3},
        {"ROWNUM", SQLFE_ORACLE, 2}, {"PL/SQL", SQLFE_ORACLE, 2}, {"NUMBER(", SQLFE_ORACLE, 2}, {"DUAL", SQLFE_ORACLE, 2},
        {"EXCEPTION", SQLFE_ORACLE, 1}, {"DBMS_", SQLFE_ORACLE, 3},
        {"FETCH FIRST", SQLFE_DB2, 1}, {"WITH UR", SQLFE_DB2, 3}, {"SYSIBM", SQLFE_DB2, 5}, {"CURRENT DATE", SQLFE_DB2, 3},
        {"CURRENT TIMESTAMP", SQLFE_DB2, 3}, {"TERMINATOR", SQLFE_DB2, 2},
        {"DISTRIBUTE ON", SQLFE_NETEZZA, 5}, {"NZPLSQL", SQLFE_NETEZZA, 5}, {"BEGIN_PROC", SQLFE_NETEZZA, 5},
        {"ORGANIZE ON", SQLFE_NETEZZA, 4},
        {"VARIANT", SQLFE_SNOWFLAKE, 3}, {"FLATTEN(", SQLFE_SNOWFLAKE, 3}, {"CREATE OR REPLACE TABLE", SQLFE_SNOWFLAKE, 2},
        {"IFF(", SQLFE_SNOWFLAKE, 2}, {"$$", SQLFE_SNOWFLAKE, 0},
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (has(head, n, hints[i].word))
            score[hints[i].d] += hints[i].w;
    int best = SQLFE_ANSI, top = 2; /* below this nothing is telling */
    for (int d = 1; d < SQLFE__DIALECTS; d++)
        if (score[d] > top) {
            top = score[d];
            best = d;
        }
    return (sqlfe_dialect)best;
}
