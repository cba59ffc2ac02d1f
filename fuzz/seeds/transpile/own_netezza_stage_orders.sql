-- Order staging (Netezza nzsql)
CREATE TEMP TABLE tmp_open_orders AS
SELECT o.order_id, o.cust_id, o.order_ts, COALESCE(o.priority, 'LOW') AS priority
  FROM prod.orders o
 WHERE o.state IN ('NEW', 'HELD')
DISTRIBUTE ON (order_id);

TRUNCATE TABLE stage.open_orders;

INSERT INTO stage.open_orders
SELECT order_id, cust_id, order_ts, priority
  FROM tmp_open_orders
 UNION ALL
SELECT order_id, cust_id, order_ts, 'HIGH'
  FROM prod.escalations;

DROP TABLE tmp_open_orders;
