#!/usr/bin/env bash
# test_transpile.sh ETLPORT — `etlport transpile` as a user runs it (docs/sql-transpile.md):
#   - canonical comparison: texts of different dialects that mean the same compare equal, and texts
#     that differ in meaning (another function, join type, literal, NULL order, type) never do;
#   - translations read back in the target dialect mean what the source meant;
#   - an unknown function is a hole, counted, and --fail-on unsupported exits 1;
#   - a statement that does not parse gets file:line:col and the next statement is still translated.
set -u
E=$1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

canon() { printf '%s' "$2" | "$E" transpile --from "$1" --canonical - 2>/dev/null; }

same() { # dialect-a text-a dialect-b text-b
    local a b
    a=$(canon "$1" "$2")
    b=$(canon "$3" "$4")
    if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else bad "expected equal: [$1] $2 | [$3] $4"$'\n'"$a"$'\n'"$b"; fi
}

differ() {
    local a b
    a=$(canon "$1" "$2")
    b=$(canon "$3" "$4")
    if [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]; then ok; else bad "expected different: [$1] $2 | [$3] $4"; fi
}

same oracle "SELECT NVL(a, b) FROM t" snowflake "SELECT COALESCE(a, b) FROM t"
same tsql "SELECT ISNULL(a, b) FROM t" spark "SELECT coalesce(a, b) FROM t"
same oracle "SELECT a FROM t ORDER BY a" spark "SELECT a FROM t ORDER BY a NULLS LAST"
same tsql "SELECT a FROM t ORDER BY a" snowflake "SELECT a FROM t ORDER BY a NULLS FIRST"
same tsql "SELECT TOP 5 a FROM t" snowflake "SELECT a FROM t LIMIT 5"
same tsql "SELECT * FROM #tmp" snowflake "SELECT * FROM tmp"
same oracle "SELECT CASE WHEN a > 1 THEN 'x' ELSE 'y' END FROM t" snowflake "SELECT IFF(a > 1, 'x', 'y') FROM t"
same oracle "SELECT a FROM t WHERE ROWNUM <= 3" snowflake "SELECT a FROM t LIMIT 3"
same oracle "SELECT e.n FROM emp e, dept d WHERE e.k = d.k(+) AND d.z(+) = 1 AND e.s > 0" \
     snowflake "SELECT e.n FROM emp e LEFT JOIN dept d ON e.k = d.k AND d.z = 1 WHERE e.s > 0"
same oracle "SELECT DECODE(a, 1, 'x', NULL, 'n', 'y') FROM t" spark "SELECT CASE WHEN a = 1 THEN 'x' WHEN a IS NULL THEN 'n' ELSE 'y' END FROM t"
same snowflake "SELECT i FROM t QUALIFY ROW_NUMBER() OVER (PARTITION BY p ORDER BY o) = 1" \
     snowflake "SELECT i FROM (SELECT i, ROW_NUMBER() OVER (PARTITION BY p ORDER BY o) AS _w FROM t) _t WHERE _w = 1"
same oracle "SELECT LAST_VALUE(i) OVER w FROM t WINDOW w AS (PARTITION BY p ORDER BY o ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING)" \
     oracle "SELECT LAST_VALUE(i) OVER (PARTITION BY p ORDER BY o ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM t"
same snowflake "SELECT IFF(a IS NULL, b, a), IFF(c IS NOT NULL, c, d) FROM t" snowflake "SELECT COALESCE(a, b), COALESCE(c, d) FROM t"
same snowflake "SELECT a / NULLIF(NULLIF(b, 0), 0) FROM t" snowflake "SELECT a / NULLIF(b, 0) FROM t"
same snowflake "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x) FROM t" snowflake "SELECT MEDIAN(x) FROM t"
same tsql "SELECT a, b, SUM(c) FROM t GROUP BY ROLLUP (a, b)" spark "SELECT a, b, sum(c) FROM t GROUP BY ROLLUP(a, b)"

differ oracle "SELECT NVL(a, b) FROM t" snowflake "SELECT NULLIF(a, b) FROM t"
differ oracle "SELECT a FROM t LEFT JOIN u ON t.k = u.k" oracle "SELECT a FROM t INNER JOIN u ON t.k = u.k"
differ oracle "SELECT a FROM t WHERE b = 'x'" oracle "SELECT a FROM t WHERE b = 'y'"
differ oracle "SELECT a FROM t WHERE b > 1" oracle "SELECT a FROM t WHERE b >= 1"
differ oracle "SELECT a FROM t ORDER BY a" tsql "SELECT a FROM t ORDER BY a"
differ oracle "SELECT CAST(a AS VARCHAR(3)) FROM t" oracle "SELECT CAST(a AS VARCHAR(4)) FROM t"
differ oracle "SELECT UPPER(a) FROM t" oracle "SELECT LOWER(a) FROM t"
differ oracle "SELECT a FROM t UNION SELECT a FROM u" oracle "SELECT a FROM t UNION ALL SELECT a FROM u"
differ oracle "SELECT SUM(a) OVER (PARTITION BY b) FROM t" oracle "SELECT SUM(a) OVER (PARTITION BY c) FROM t"
differ oracle "SELECT e.n FROM emp e, dept d WHERE e.k = d.k(+)" oracle "SELECT e.n FROM emp e, dept d WHERE e.k(+) = d.k"
differ oracle "SELECT DECODE(a, NULL, 'n', 'y') FROM t" oracle "SELECT CASE WHEN a = NULL THEN 'n' ELSE 'y' END FROM t"
differ snowflake "SELECT IFF(a IS NULL, b, c) FROM t" snowflake "SELECT COALESCE(a, b) FROM t"
differ snowflake "SELECT PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY x) FROM t" snowflake "SELECT MEDIAN(x) FROM t"
differ snowflake "SELECT i FROM (SELECT i, ROW_NUMBER() OVER (ORDER BY o) AS _w FROM t) _t WHERE _w = 1" \
       snowflake "SELECT i FROM (SELECT i, ROW_NUMBER() OVER (ORDER BY o) AS _w FROM t) _t WHERE _w = 2"
differ oracle "SELECT a, SUM(c) FROM t GROUP BY ROLLUP (a)" oracle "SELECT a, SUM(c) FROM t GROUP BY a"
differ oracle "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.k)" oracle "SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.k = t.k)"

# a translation reads back, in the target dialect, as the source's meaning
for target in snowflake spark; do
    for src in "oracle|SELECT NVL(a, 'x') AS a2, DECODE(b, 1, 'one', 'other') AS b2 FROM t WHERE c > 5 ORDER BY a DESC" \
               "tsql|SELECT TOP 10 ISNULL(a, 0) AS a, COUNT(*) AS n FROM dbo.t GROUP BY ISNULL(a, 0) ORDER BY n" \
               "teradata|SELECT ZEROIFNULL(a) AS z, ROW_NUMBER() OVER (PARTITION BY b ORDER BY c) AS rn FROM t QUALIFY rn = 1"; do
        d=${src%%|*}
        text=${src#*|}
        out=$(printf '%s' "$text" | "$E" transpile --from "$d" --to "$target" - 2>/dev/null)
        a=$(canon "$d" "$text")
        b=$(canon "$target" "$out")
        if [ -n "$out" ] && [ "$a" = "$b" ]; then ok; else bad "round trip $d -> $target: $text"$'\n'"$out"$'\n'"$a"$'\n'"$b"; fi
    done
done

# an unknown function is a hole: marked, counted, and --fail-on unsupported fails the run
out=$(printf 'SELECT NO_SUCH_FN(a) FROM t' | "$E" transpile --from oracle --to snowflake - 2>/tmp/etlport-tp-err.$$)
rc=$?
if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q 'ETLPORT HOLE' && grep -q '1 holes' /tmp/etlport-tp-err.$$; then ok; else bad "unknown function not a counted hole (rc $rc): $out"; fi
printf 'SELECT NO_SUCH_FN(a) FROM t' | "$E" transpile --from oracle --to snowflake --fail-on unsupported - >/dev/null 2>&1
rc=$?
if [ $rc -eq 1 ]; then ok; else bad "--fail-on unsupported exited $rc, not 1"; fi

# a statement that does not parse: file:line:col error, exit 1, the next statement still translated
out=$(printf 'SELECT a FROM t;\nSELECT FROM WHERE;\nSELECT b FROM u;\n' | "$E" transpile --from ansi --to snowflake - 2>/tmp/etlport-tp-err.$$)
rc=$?
if [ $rc -eq 1 ] && grep -q '^<stdin>:2:[0-9]*: error:' /tmp/etlport-tp-err.$$ && printf '%s' "$out" | grep -q 'FROM u'; then
    ok
else
    bad "parse error handling (rc $rc)"$'\n'"$out"$'\n'"$(cat /tmp/etlport-tp-err.$$)"
fi

# Oracle's SQL%ROWCOUNT is a cursor attribute, never a remainder
out=$(printf 'SELECT SQL%%ROWCOUNT FROM dual' | "$E" transpile --from oracle --to snowflake - 2>/dev/null)
if printf '%s' "$out" | grep -q 'ETLPORT HOLE' && ! printf '%s' "$out" | grep -qi 'MOD('; then ok; else bad "SQL%ROWCOUNT: $out"; fi

# a client logon's password never reaches the output or a message
out=$(printf '.LOGON tdprod/etl_user,S3cretPw;\nSELECT a FROM t;\n' | "$E" transpile --from teradata --to snowflake - 2>&1)
if printf '%s' "$out" | grep -q 'S3cretPw'; then bad "password in transpile output: $out"; else ok; fi

# the dialect is guessed and said when --from is not given
printf 'SELECT TOP 3 a FROM dbo.t WITH (NOLOCK)\nGO\n' | "$E" transpile --to snowflake - >/dev/null 2>/tmp/etlport-tp-err.$$
if grep -q 'dialect guessed as tsql' /tmp/etlport-tp-err.$$; then ok; else bad "no dialect note: $(cat /tmp/etlport-tp-err.$$)"; fi
rm -f /tmp/etlport-tp-err.$$

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
