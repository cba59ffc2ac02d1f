-- legacy: grouping, a window rank kept to the top 3, a union of two sources
INSERT INTO mart.top_products (store_id, product_id, revenue)
SELECT store_id, product_id, revenue
FROM (
  SELECT store_id, product_id, SUM(qty * price) AS revenue,
         ROW_NUMBER() OVER (PARTITION BY store_id ORDER BY SUM(qty * price) DESC) AS rn
  FROM (SELECT store_id, product_id, qty, price FROM pos.sale_line
        UNION ALL
        SELECT store_id, product_id, qty, price FROM web.order_line) s
  GROUP BY store_id, product_id
) t
WHERE rn <= 3;
