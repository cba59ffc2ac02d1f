-- Region summary (DB2 CLP, run with -t)
CONNECT TO SALESDB;

CREATE TABLE mart.region_summary AS (
    SELECT r.region_name,
           YEAR(s.sale_date) AS sale_year,
           COUNT(*) AS n_sales,
           SUM(s.amount) AS total_amount
      FROM sales.sale s
      JOIN sales.region r ON r.region_id = s.region_id
     GROUP BY r.region_name, YEAR(s.sale_date)
    HAVING SUM(s.amount) > 0
) WITH DATA;

CREATE VIEW mart.v_top_regions AS
SELECT region_name, total_amount
  FROM mart.region_summary
 WHERE sale_year = YEAR(CURRENT DATE);

TERMINATE;
