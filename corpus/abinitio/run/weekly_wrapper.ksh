#!/bin/ksh
# weekly_wrapper.ksh (ours): `set -e` makes every step stop the script when it fails.
set -e
. $PROJECT_DIR/ab_project_setup.ksh $PROJECT_DIR
air sandbox run $AI_MP/g03_join_customer_orders.mp
air sandbox run $AI_MP/g15_three_way_join.mp
for f in $AI_SERIAL/weekly_*.dat; do
    gzip -9 "$f"
done
