#!/bin/ksh
# b5_flow_to_missing_port.ksh (ours, broken on purpose): the second flow ends at port 'input' of a
# Sort, which has only 'in' and 'out'. The first flow still converts.
export AI_SERIAL; AI_SERIAL=${AI_SERIAL:-/data/serial}
mp job b5_flow_to_missing_port
mp metadata metadata1 -file $AI_DML/orders.dml
# Components in phase 0:
mp ifile Orders "${AI_SERIAL}/orders.dat"
mp ofile Copy "${AI_SERIAL}/orders_copy.dat"
mp local-sort Sort_Orders '{order_id}' -max-core 1000000
mp straight-flow Flow_1 Orders.read Copy.write -metadata metadata1
mp straight-flow Flow_2 Orders.read Sort_Orders.input -metadata metadata1
mp run
