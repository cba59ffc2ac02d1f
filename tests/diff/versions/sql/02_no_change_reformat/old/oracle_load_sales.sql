-- Nightly sales load (Oracle, SQL*Plus)
WHENEVER SQLERROR EXIT FAILURE
SET SERVEROUTPUT ON
PROMPT Loading DW.SALES_FACT

CREATE TABLE stg.customer_dim (
    cust_id     NUMBER(10) PRIMARY KEY,
    cust_name   VARCHAR2(80),
    region_code VARCHAR2(4),
    status      CHAR(1)
);

INSERT INTO dw.sales_fact (order_id, cust_id, cust_name, region, amount, order_day)
SELECT o.order_id,
       o.cust_id,
       NVL(c.cust_name, 'UNKNOWN'),
       DECODE(c.region_code, 'N', 'NORTH', 'S', 'SOUTH', 'OTHER'),
       o.qty * o.unit_price,
       TRUNC(o.order_date)
  FROM stg.orders o, stg.customer_dim c
 WHERE o.cust_id = c.cust_id(+)
   AND o.status <> 'X';

UPDATE stg.customer_dim SET status = 'I' WHERE region_code IS NULL;

BEGIN
    dbms_stats.gather_table_stats('DW', 'SALES_FACT');
END;
/

COMMIT;
EXIT
