#!/usr/bin/env bash
# transpile.sh — statements per second and MB/s of `etlport transpile` on the TPC-H / TPC-DS
# queries of ../shared/corpus/sql (Oracle -> Snowflake, the comparison the issue names; also
# -> Spark). The queries are concatenated and repeated so one run lasts long enough to time; the
# best of three runs is printed. Figures only, no pass or fail (compare runs on one machine).
#
# usage: bench/transpile.sh [REPEAT]        default 20
# environment: ETLPORT (default build/etlport), CORPUS (default ../shared/corpus/sql)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
etlport=${ETLPORT:-$root/build/etlport}
corpus=${CORPUS:-$root/../shared/corpus/sql}
repeat=${1:-20}
tpc=$corpus/tpc-queries-spark-sql-perf
if [ ! -d "$tpc" ]; then
    echo "bench: $tpc not found" >&2
    exit 2
fi
work=$(mktemp -d /tmp/etlport-bench-tp.XXXXXX)
trap 'rm -rf "$work"' EXIT
one=$work/tpc.sql
find "$tpc" -type f -name '*.sql' | sort | while read -r f; do
    cat "$f"
    printf '\n;\n'
done >"$one"
for _ in $(seq "$repeat"); do cat "$one"; done >"$work/all.sql"
bytes=$(stat -c %s "$work/all.sql")
files=$(find "$tpc" -type f -name '*.sql' | wc -l)
echo "input: $files TPC-H/TPC-DS files, repeated $repeat times: $bytes bytes"
if [ ! -x /usr/bin/time ]; then
    echo "bench: /usr/bin/time is missing (apt-get install time)" >&2
    exit 2
fi
echo "(wall: elapsed time, best of 3; cpu: user+system time of that run, which other load on the machine does not inflate)"
for target in snowflake spark; do
    best=""
    cpu=""
    for _ in 1 2 3; do
        /usr/bin/time -f '%e %U %S' -o "$work/time" \
            "$etlport" transpile --from oracle --to "$target" --stats "$work/all.sql" >"$work/out.sql" 2>"$work/err"
        read -r e u s <"$work/time"
        c=$(echo "$u + $s" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$e < $best" | bc -l)" = 1 ]; then best=$e; fi
        if [ -z "$cpu" ] || [ "$(echo "$c < $cpu" | bc -l)" = 1 ]; then cpu=$c; fi
    done
    [ "$(echo "$best < 0.001" | bc -l)" = 1 ] && best=0.001
    [ "$(echo "$cpu < 0.001" | bc -l)" = 1 ] && cpu=0.001
    stmts=$(sed -n 's/^etlport transpile: \([0-9]*\) statements.*/\1/p' "$work/err")
    printf 'oracle -> %-9s %6d statements; wall %.2f s: %7.0f statements/s %5.1f MB/s; cpu %.2f s: %7.0f statements/s %5.1f MB/s\n' \
        "$target" "$stmts" "$best" "$(echo "$stmts / $best" | bc -l)" "$(echo "$bytes / $best / 1000000" | bc -l)" \
        "$cpu" "$(echo "$stmts / $cpu" | bc -l)" "$(echo "$bytes / $cpu / 1000000" | bc -l)"
    echo "    $(tail -1 "$work/err")"
done
