#!/usr/bin/env bash
# CLI contract tests: exit codes, the report.json shape (docs/report.md), broken inputs giving
# file:line:col errors while the other files still convert, ir.json round trips through
# `etlport ir`, and byte-identical output across runs.
set -u
etlport=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect_rc() { # want, description, command...
    local want=$1 what=$2; shift 2
    "$@" > "$work/stdout" 2> "$work/stderr"; local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "$what: exit $rc, want $want"; sed 's/^/  | /' "$work/stderr" | head -20; fi
}
jq_py() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); $2" "$1"; }

cd "$src" || exit 1
good=corpus/informatica
broken=corpus/informatica/broken

# usage errors
expect_rc 2 "no arguments" "$etlport"
expect_rc 2 "convert without -o" "$etlport" convert "$good"
expect_rc 2 "unknown option" "$etlport" convert --frobnicate "$good" -o "$work/x"
expect_rc 2 "unknown target" "$etlport" convert "$good" -o "$work/x" --to cobol
expect_rc 2 "unreadable params" "$etlport" convert "$good" -o "$work/x" --params /nonexistent.par
expect_rc 0 "--help" "$etlport" convert --help

# a clean run over the project's own samples: exit 0, every artifact the report names exists
inputs=$(find "$good" -type f \( -name '*.XML' -o -name '*.xml' \) -not -path '*/broken/*' | LC_ALL=C sort)
expect_rc 0 "own samples convert" "$etlport" convert $inputs -o "$work/a" --quiet
if jq_py "$work/a/report.json" "
import os
t=r['totals']; assert r['report_version']==1 and t['failed']==0 and t['jobs']>=15, t
for j in r['jobs']:
    for k,p in j['artifacts'].items():
        assert os.path.isfile(os.path.join(sys.argv[1].rsplit('/',1)[0],p)), p
    assert set(j['artifacts'])=={'ir','snowflake','spark'}, j['artifacts']
    assert j['hole_count']==len(j['holes'])
    for h in j['holes']:
        assert h['kind'] in ('expression','node','sql') and h['file'] and h['line']>0, h
"; then ok; else bad "report.json of the clean run"; fi

# byte-identical output across runs
"$etlport" convert $inputs -o "$work/b" --quiet 2>/dev/null
if diff -r "$work/a" "$work/b" > /dev/null; then ok; else bad "second run differs"; diff -r "$work/a" "$work/b" | head -20; fi

# every ir.json reads back and re-prints byte-identically
n_rt=0
while IFS= read -r f; do
    n_rt=$((n_rt + 1))
    if ! "$etlport" ir "$f" | cmp -s - "$f"; then bad "ir.json round trip: $f"; fi
done < <(find "$work/a" -name ir.json | LC_ALL=C sort)
[ "$n_rt" -gt 0 ] && ok || bad "no ir.json written"

# --to picks the targets
expect_rc 0 "--to spark" "$etlport" convert $inputs -o "$work/s" --to spark --quiet
if [ -z "$(find "$work/s" -name snowflake.sql)" ] && [ -n "$(find "$work/s" -name spark.py)" ]; then ok; else bad "--to spark wrote other targets"; fi

# holes remain in the samples (Stored Procedure, Java, ...): --fail-on unsupported exits 1
expect_rc 1 "--fail-on unsupported" "$etlport" convert $inputs -o "$work/f" --fail-on unsupported --quiet

# unknown files are listed as skipped, and do not fail the run
mkdir -p "$work/mixed" && echo "hello" > "$work/mixed/notes.txt" && cp "$(echo "$inputs" | head -1)" "$work/mixed/"
expect_rc 0 "unknown file skipped" "$etlport" convert "$work/mixed" -o "$work/m" --quiet
if jq_py "$work/m/report.json" "
st={f['path'].rsplit('/',1)[1]: f['status'] for f in r['files']}
assert st['notes.txt']=='skipped' and r['totals']['skipped']==1 and r['totals']['converted']==1, st
"; then ok; else bad "skipped file in report"; fi

# broken samples: each gives its file:line:col error, the good file in the same run converts
if [ -d "$broken" ]; then
    expect_rc 1 "broken samples fail" "$etlport" convert "$broken" "$(echo "$inputs" | head -1)" -o "$work/k" --quiet
    while IFS='|' read -r file loc what; do
        [ -z "$file" ] && continue
        if grep -qF "$broken/$file:$loc: error:" "$work/stderr"; then ok; else bad "no error '$broken/$file:$loc: error: ($what)'"; fi
    done < "$src/tests/cli/broken-expected.txt"
    if jq_py "$work/k/report.json" "
st={f['path']: f['status'] for f in r['files']}
assert sum(1 for s in st.values() if s=='failed')==4, st
assert sum(1 for s in st.values() if s=='converted')==1, st
assert all(f['errors'] for f in r['files'] if f['status']=='failed')
"; then ok; else bad "report of the broken run"; fi
    grep -c ': error:' "$work/stderr" > /dev/null || bad "no errors printed"
fi


# SQL scripts: --dialect is checked, the dialect used is in the report, every statement is listed,
# an XML export is never claimed by the SQL frontend and a .tsv file is skipped
expect_rc 2 "unknown --dialect" "$etlport" convert corpus/sql -o "$work/x" --dialect cobol
mkdir -p "$work/sqlmix" && cp corpus/sql/oracle_load_sales.sql "$work/sqlmix/" && printf 'a\tb\nSELECT 1\n' > "$work/sqlmix/pairs.tsv"
cp "$(echo "$inputs" | head -1)" "$work/sqlmix/export.sql.xml"
expect_rc 0 "SQL script with --dialect" "$etlport" convert "$work/sqlmix" -o "$work/q" --dialect oracle --quiet
if jq_py "$work/q/report.json" "
f={x['path'].rsplit('/',1)[1]: x for x in r['files']}
s=f['oracle_load_sales.sql']
assert s['format']=='sql' and s['dialect']=='oracle' and s['jobs']==2, s
assert [x['status'] for x in s['statements']].count('hole')==0, s['statements']
assert [u['kind'] for u in s['units']]==['block', 'script'], s.get('units')
assert all(x['line']>0 and x['kind'] for x in s['statements'])
assert f['export.sql.xml']['format']=='informatica', f['export.sql.xml']
assert f['pairs.tsv']['status']=='skipped', f['pairs.tsv']
assert r['totals']['statements']['converted']==7 and r['totals']['units']==2, r['totals']
"; then ok; else bad "report of a SQL script run"; fi
expect_rc 1 "SQL procedure is a hole for --fail-on" "$etlport" convert corpus/sql/oracle_load_sales.sql -o "$work/q2" --fail-on unsupported --quiet


# credentials in legacy scripts never reach the report or the outputs
mkdir -p "$work/creds"
printf '.LOGON tdprod/etl_user,s3cr3tPw;\nCREATE TABLE t1 AS (SEL a FROM x.y) WITH DATA;\n.QUIT 0;\n' > "$work/creds/load.bteq"
printf 'CONNECT scott/tiger99@orcl\nCREATE USER app IDENTIFIED BY hunter22;\nINSERT INTO t2 SELECT a FROM x.y;\n' > "$work/creds/load.sql"
"$etlport" convert "$work/creds" -o "$work/cr" --quiet > /dev/null 2>&1
if grep -rqE 's3cr3tPw|tiger99|hunter22' "$work/cr"; then bad "a password from a legacy script reached the output"; else ok; fi


# a zone-aware legacy type loses its zone in the IR: said, with the location, never silently
mkdir -p "$work/tz"
printf 'CREATE TABLE tgt (a TIMESTAMP WITH TIME ZONE);\nINSERT INTO tgt (a) SELECT b FROM src;\n' > "$work/tz/s.sql"
"$etlport" convert "$work/tz" --dialect oracle -o "$work/tzo" > /dev/null 2> "$work/tz.err"
if grep -q "s.sql:1:21: warning: the time zone of TIMESTAMP WITH TIME ZONE is not kept" "$work/tz.err"; then ok; else bad "no warning for a dropped time zone"; cat "$work/tz.err"; fi

# convert --verify: the same run verifies what it wrote; a mutated copy is a difference
expect_rc 0 "convert --verify" "$etlport" convert corpus/informatica/m_bank_card_auth_filter.XML -o "$work/v" --verify --quiet
if jq_py "$work/v/report.json" "
t = r['totals']['verify']
assert t['columns']['spark']['equal'] > 0 and t['columns']['spark']['differs'] == 0, t
j = r['jobs'][0]
assert 'verify' in j and j['verify'], j.keys()
"; then ok; else bad "convert --verify did not score the report"; fi
[ -f "$work/v/BANK_DWH/m_bank_card_auth_filter/verify.json" ] && ok || bad "convert --verify wrote no verify.json"
expect_rc 2 "--policy without a file" "$etlport" convert corpus/informatica/m_bank_card_auth_filter.XML -o "$work/v2" --verify --policy

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
