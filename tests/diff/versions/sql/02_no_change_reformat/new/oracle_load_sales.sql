-- Nightly sales load (Oracle, SQL*Plus), reformatted: the customer alias renamed, the outer
-- join written the ANSI way, the insert's columns in another order, keywords in lower case.
WHENEVER SQLERROR EXIT FAILURE
SET SERVEROUTPUT ON
PROMPT Loading DW.SALES_FACT

create table stg.customer_dim (
    cust_id     number(10) primary key,
    cust_name   varchar2(80),
    region_code varchar2(4),
    status      char(1)
);

insert into dw.sales_fact (order_day, amount, region, cust_name, cust_id, order_id)
select trunc(o.order_date),
       o.unit_price * o.qty,
       decode(cust.region_code, 'N', 'NORTH',
                                'S', 'SOUTH',
                                'OTHER'),
       nvl(cust.cust_name, 'UNKNOWN'),
       o.cust_id, o.order_id
  from stg.orders o
  left join stg.customer_dim cust on cust.cust_id = o.cust_id
 where o.status != 'X';

update stg.customer_dim set status = 'I' where region_code is null;

BEGIN
    dbms_stats.gather_table_stats('DW', 'SALES_FACT');
END;
/

COMMIT;
EXIT
