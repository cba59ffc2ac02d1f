#!/bin/ksh
# nightly_wrapper.ksh (ours): a hand-written shell script that runs several graphs of this sandbox
# in order — not GDE output. Each graph run is a task of the script's flow.
. $PROJECT_DIR/ab_project_setup.ksh $PROJECT_DIR
export RUN_DATE=${RUN_DATE:-19700101}

# stops when the first graph fails
$AI_RUN/g01_clean_customers.ksh || exit 1

$AI_RUN/g08_table_extract.ksh
if [ $? -ne 0 ]; then
    echo "g08_table_extract failed" >&2
    exit 2
fi

# two graphs side by side, then the next step once both ended (whatever their status)
air sandbox run $AI_MP/g04_rollup_region.mp &
air sandbox run $AI_MP/g05_scan_running_total.mp &
wait

# goes on even when this one fails: no check
air sandbox run $AI_PSET/g12_daily.pset
m_rm -f $AI_SERIAL/tmp_orders.dat
