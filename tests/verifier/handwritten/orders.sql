-- legacy: one INSERT ... SELECT with a join, a filter, a CASE and string functions
INSERT INTO dw.order_fact (order_id, cust_name, amount_usd, size_class, region)
SELECT o.order_id,
       UPPER(TRIM(c.name)),
       o.amount * 1.1,
       CASE WHEN o.amount > 100 THEN 'BIG' WHEN o.amount IS NULL THEN 'NONE' ELSE 'SMALL' END,
       COALESCE(o.region, 'ZZ')
FROM sales.orders o
LEFT JOIN crm.customer c ON o.cust_id = c.cust_id
WHERE o.status <> 'X' AND o.region IN ('EU', 'US');
