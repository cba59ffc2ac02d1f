-- psql: \set ON_ERROR_STOP on makes the script stop at the first error (success edges after it).
-- The splitter reads the \set line with the statement after it (no psql meta-commands yet), so that
-- statement fails to parse and gives no task.
INSERT INTO stage.orders_copy (order_id, order_dt, amount) SELECT order_id, order_dt, amount FROM stage.orders;
\set ON_ERROR_STOP on
INSERT INTO mart.daily_orders SELECT order_dt, COUNT(*) FROM stage.orders_copy GROUP BY order_dt;
INSERT INTO mart.order_totals SELECT order_dt, SUM(amount) FROM stage.orders_copy GROUP BY order_dt;
