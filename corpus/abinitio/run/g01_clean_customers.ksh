#!/bin/ksh
# g01_clean_customers.ksh (ours): the deployed form of mp/g01_clean_customers.mp, in the shape the
# reference describes for GDE-generated scripts (§4.5): parameters exported with defaults, the
# project environment, record formats and transforms by file, then the graph rebuilt with mp
# commands and run.
export AB_GRAPH_NAME; AB_GRAPH_NAME=g01_clean_customers
export AI_SERIAL; AI_SERIAL=${AI_SERIAL:-/data/serial}
. "$PROJECT_DIR/.project.ksh" "$PROJECT_DIR" execute start

#+Script Start+  ==================== Edits in this section are preserved.
#+End Script Start+  ====================

mp job g01_clean_customers
mp metadata metadata1 -file $AI_DML/customers.dml
mp metadata metadata2 -file $AI_DML/customers_clean.dml

# Components in phase 0:
mp ifile Customers "${AI_SERIAL}/customers.dat"
mp reformat-transform Clean_Customers -limit 0 -ramp 0.0
mp add-port Clean_Customers.out.out0 $AI_XFR/clean_customers.xfr
mp ofile Clean_File "${AI_SERIAL}/customers_clean.dat"
mp straight-flow Flow_1 Customers.read Clean_Customers.in -metadata metadata1
mp straight-flow Flow_2 Clean_Customers.out0 Clean_File.write -metadata metadata2

mp run
mp_status=$?
mp reset
exit $mp_status
