#!/bin/ksh
# g18_subgraph_orders.ksh (ours): a deployed graph whose sort and split live in a sub-graph
# `Prepare`: the GDE names sub-graph members `Subgraph.Component` (reference §4.5 [C]); phases 0
# and 1. No .mp form: where a .mp file keeps a sub-graph is not publicly known.
export AI_SERIAL; AI_SERIAL=${AI_SERIAL:-/data/serial}
. "$PROJECT_DIR/.project.ksh" "$PROJECT_DIR" execute start

mp job g18_subgraph_orders
mp metadata metadata1 -file $AI_DML/orders.dml
mp metadata metadata2 -file $AI_DML/order_split.dml

# Components in phase 0:
mp ifile Orders "${AI_SERIAL}/orders.dat"
mp local-sort Prepare.Sort_Customer '{cust_id}' -max-core 67108864
mp reformat-transform Prepare.Split -limit 0 -ramp 0.0
mp add-port Prepare.Split.out.out0 $AI_XFR/split_small.xfr
mp straight-flow Flow_1 Orders.read Prepare.Sort_Customer.in -metadata metadata1
mp straight-flow Flow_2 Prepare.Sort_Customer.out Prepare.Split.in -metadata metadata1

# Components in phase 1:
mp ofile Small_File "${AI_SERIAL}/orders_small.dat"
mp straight-flow Flow_3 Prepare.Split.out0 Small_File.write -metadata metadata2

mp run
exit $?
