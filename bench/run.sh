#!/usr/bin/env bash
# run.sh — throughput and memory of `etlport convert` on synthetic PowerCenter exports, next to
# libxml2's own parser (xmllint --noout) as the floor. Prints figures only: there is no pass or
# fail on timing (machines differ; compare runs on the same machine).
#
# usage: bench/run.sh [SIZE_MB...]          default: 20 200
# environment:
#   ETLPORT    the binary (default build/etlport; build it Release-ish: tools/bootstrap.sh --no-run)
#   BENCH_DIR  where the generated exports and outputs go (default /tmp/etlport-bench); the exports
#              are kept and reused across runs (same seed, same bytes)
#   SEED       gen_repo.py seed (default 1)
#   TO         --to targets (default snowflake,spark)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
etlport=${ETLPORT:-$root/build/etlport}
dir=${BENCH_DIR:-/tmp/etlport-bench}
seed=${SEED:-1}
to=${TO:-snowflake,spark}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20 200)

if [ ! -x /usr/bin/time ]; then
    echo "bench: /usr/bin/time is missing (apt-get install time)" >&2
    exit 2
fi
if [ ! -x "$etlport" ]; then
    echo "bench: $etlport not found; build it first (tools/bootstrap.sh --no-run)" >&2
    exit 2
fi
mkdir -p "$dir"

# measure LABEL CMD... : runs CMD under /usr/bin/time; sets secs, rss_kb, rc.
measure() {
    local label="$1"
    shift
    /usr/bin/time -f '%e %M' -o "$dir/time.txt" "$@" >"$dir/$label.log" 2>&1
    rc=$?
    read -r secs rss_kb <"$dir/time.txt"
}

rate() { # bytes seconds -> MB/s
    awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s; else printf "-" }'
}
per_sec() { # count seconds -> count/s
    awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", n / s; else printf "-" }'
}

echo "etlport bench — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $("$etlport" --version 2>/dev/null | head -n 1)"
printf '%-8s %12s %9s | %9s %9s %10s | %9s %9s %11s %10s %5s\n' \
    "size" "bytes" "mappings" "xmllint s" "MB/s" "peak MB" "convert s" "MB/s" "mappings/s" "peak MB" "exit"
for mb in "${sizes[@]}"; do
    xml="$dir/repo-${mb}mb-seed$seed.xml"
    if [ ! -s "$xml" ]; then
        python3 "$root/bench/gen_repo.py" --size-mb "$mb" --seed "$seed" -o "$xml.tmp" 2>"$dir/gen.log" &&
            mv "$xml.tmp" "$xml" || { cat "$dir/gen.log"; exit 2; }
    fi
    bytes=$(stat -c %s "$xml")
    mappings=$(grep -c '<MAPPING ' "$xml")
    cat "$xml" >/dev/null # warm the page cache for both readers alike

    measure xmllint xmllint --noout --huge "$xml"
    x_secs=$secs x_rss=$rss_kb x_rc=$rc

    rm -rf "$dir/out-$mb"
    measure convert "$etlport" convert "$xml" -o "$dir/out-$mb" --to "$to"
    c_secs=$secs c_rss=$rss_kb c_rc=$rc

    printf '%-8s %12d %9d | %9.2f %9s %10.1f | %9.2f %9s %11s %10.1f %5d\n' \
        "${mb}MB" "$bytes" "$mappings" "$x_secs" "$(rate "$bytes" "$x_secs")" "$(awk -v k="$x_rss" 'BEGIN{print k/1024}')" \
        "$c_secs" "$(rate "$bytes" "$c_secs")" "$(per_sec "$mappings" "$c_secs")" \
        "$(awk -v k="$c_rss" 'BEGIN{print k/1024}')" "$c_rc"
    [ "$x_rc" -eq 0 ] || echo "  note: xmllint exited $x_rc (see $dir/xmllint.log)"
    [ "$c_rc" -eq 0 ] || echo "  note: etlport convert exited $c_rc (see $dir/convert.log)"
    rm -rf "$dir/out-$mb"
done
