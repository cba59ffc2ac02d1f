-- Region summary (DB2 CLP, run with -t), rewritten: the join in a CTE, the grouping over the
-- CTE's renamed columns, the view with its table aliased.
CONNECT TO SALESDB;

CREATE TABLE mart.region_summary AS (
    WITH yearly_sales AS (
        SELECT reg.region_name AS region, YEAR(sl.sale_date) AS yr, sl.amount AS amt
          FROM sales.region reg
          JOIN sales.sale sl ON sl.region_id = reg.region_id
    )
    SELECT region AS region_name, yr AS sale_year, COUNT(*) AS n_sales, SUM(amt) AS total_amount
      FROM yearly_sales
     GROUP BY yr, region
    HAVING SUM(amt) > 0
) WITH DATA;

CREATE VIEW mart.v_top_regions AS
SELECT rs.region_name, rs.total_amount
  FROM mart.region_summary rs
 WHERE YEAR(CURRENT DATE) = rs.sale_year;

TERMINATE;
