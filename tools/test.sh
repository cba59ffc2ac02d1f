#!/usr/bin/env bash
# test.sh — THE test command. Builds and tests twice:
#   build/       RelWithDebInfo, as users build it
#   build-asan/  Debug with AddressSanitizer + UndefinedBehaviorSanitizer and the malloc-per-block
#                arena (ETLPORT_SANITIZE, ETLPORT_DEBUG_ARENA), leaks checked
# and ends with one line `N passed, N failed` summing both ctest runs (a build that fails counts as
# one failed test more; the tests whose targets did build still run). Exits non-zero on any failure.
#
# usage: tools/test.sh [-j N] [--no-asan] [-- CTEST_ARGS...]   (e.g. -- -R grammars)
set -uo pipefail

cd "$(dirname "$0")/.."

jobs=2 asan=1 ctest_args=()
while [ $# -gt 0 ]; do
    case "$1" in
    -j) jobs="$2"; shift ;;
    -j*) jobs="${1#-j}" ;;
    --no-asan) asan=0 ;;
    --) shift; ctest_args=("$@"); break ;;
    -h | --help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done

total_passed=0 total_failed=0
summary=()

# run_suite NAME BUILD_DIR CMAKE_ARGS... : configure, build, ctest; adds to the totals.
run_suite() {
    local name="$1" dir="$2"
    shift 2
    local t0=$SECONDS log
    echo "==== $name: configure and build $dir"
    if ! cmake -S . -B "$dir" "$@" >"$dir.configure.log" 2>&1; then
        cat "$dir.configure.log"
        echo "==== $name: configure FAILED"
        total_failed=$((total_failed + 1))
        summary+=("$name: configure failed")
        return
    fi
    rm -f "$dir.configure.log"
    # keep going past a failing target, so the tests of everything else still run
    local keep_going=-k
    [ -f "$dir/build.ninja" ] && keep_going="-k 0"
    local build_failed=0
    if ! cmake --build "$dir" -j "$jobs" -- $keep_going; then
        echo "==== $name: build FAILED (counted as one failure; running the tests that did build)"
        build_failed=1
    fi
    echo "==== $name: ctest"
    log=$(mktemp)
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 1200 "${ctest_args[@]}" 2>&1 | tee "$log"
    # "100% tests passed, 0 tests failed out of 12" / "No tests were found!!!"
    local line passed=0 failed=0 total
    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
    if [ -n "$line" ]; then
        failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
        total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
        passed=$((total - failed))
    elif ! grep -q 'No tests were found' "$log"; then
        failed=1 # ctest itself broke
    fi
    rm -f "$log"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed + build_failed))
    summary+=("$name: $passed passed, $failed failed$([ "$build_failed" -eq 1 ] && echo ", build failed") ($((SECONDS - t0)) s)")
}

run_suite release build -DCMAKE_BUILD_TYPE=RelWithDebInfo

if [ "$asan" -eq 1 ]; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    run_suite asan build-asan -DCMAKE_BUILD_TYPE=Debug -DETLPORT_SANITIZE=ON -DETLPORT_DEBUG_ARENA=ON
fi

echo "==== summary"
printf '  %s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
