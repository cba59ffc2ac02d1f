#!/bin/ksh
# g08_table_extract.ksh (ours): the deployed form of mp/g08_table_extract.mp (reference §4.5);
# the table's record format is written to the proxy directory as the GDE does for embedded DML.
export AI_SERIAL; AI_SERIAL=${AI_SERIAL:-/data/serial}
. "$PROJECT_DIR/.project.ksh" "$PROJECT_DIR" execute start
export AB_PROXY_DIR; AB_PROXY_DIR=/tmp/etlport-abi-proxy

mp job g08_table_extract
cat > $AB_PROXY_DIR/Customer_Table-0.dml <<'DML_EOF'
/* customer_table.dml (ours): rows read from the CRM.CUSTOMER table. */
record
  decimal("\001") cust_id;
  string("\001", maximum_length=60) cust_name = NULL("");
  string("\001", maximum_length=2) country = NULL("");
  date("YYYY-MM-DD")("\001") created_on;
  string("\n", maximum_length=1) status;
end;
DML_EOF
mp metadata metadata1 -file $AB_PROXY_DIR/Customer_Table-0.dml
mp metadata metadata2 -file $AI_DML/customer_extract.dml

# Components in phase 0:
mp itable Customer_Table '$AI_DB/crm.dbc' -table 'CRM.CUSTOMER' -interface api \
   -field_type_preference delimited
mp reformat-transform Extract -limit 0 -ramp 0.0
mp add-port Extract.out.out0 $AI_XFR/customer_extract.xfr
mp straight-flow Flow_1 Customer_Table.read Extract.in -metadata metadata1

# Components in phase 1:
mp local-sort Sort_Country '{country; cust_id}' -max-core 100663296
mp ofile Extract_File "${AI_SERIAL}/customer_extract.dat"
mp straight-flow Flow_2 Extract.out0 Sort_Country.in -metadata metadata2
mp straight-flow Flow_3 Sort_Country.out Extract_File.write -metadata metadata2

mp run
exit $?
