#!/bin/ksh
# g14_split_orders.ksh (ours): the deployed form of mp/g14_split_orders.mp (reference §4.5).
export AI_SERIAL; AI_SERIAL=${AI_SERIAL:-/data/serial}
. "$PROJECT_DIR/.project.ksh" "$PROJECT_DIR" execute start

mp job g14_split_orders
mp metadata metadata1 -file $AI_DML/orders.dml
mp metadata metadata2 -file $AI_DML/order_split.dml

# Components in phase 0:
mp ifile Orders "${AI_SERIAL}/orders.dat"
mp local-sort Sort_Customer '{cust_id}' -max-core 67108864
mp reformat-transform Split -limit 0 -ramp 0.0
mp add-port Split.out.out0 $AI_XFR/split_small.xfr
mp add-port Split.out.out1 $AI_XFR/split_tag.xfr
mp ofile Small_File "${AI_SERIAL}/orders_small.dat"
mp ofile Tagged_File "${AI_SERIAL}/orders_tagged.dat"
mp straight-flow Flow_1 Orders.read Sort_Customer.in -metadata metadata1
mp straight-flow Flow_2 Sort_Customer.out Split.in -metadata metadata1
mp straight-flow Flow_3 Split.out0 Small_File.write -metadata metadata2
mp straight-flow Flow_4 Split.out1 Tagged_File.write -metadata metadata2

mp run
exit $?
