-- Daily control totals for the reconciliation report: one row per run, even on a day without
-- sales (then the count is 0 and the sum NULL), which is what the reconciliation job expects.
INSERT INTO recon.daily_totals (run_date, sale_count, sale_amount)
SELECT TRUNC(SYSDATE), COUNT(*), SUM(NVL(s.amount, 0))
  FROM sales.sale_line s
 WHERE s.sale_date >= TRUNC(SYSDATE) - 1
   AND s.sale_date < TRUNC(SYSDATE);

-- Per store: no row for a store without sales.
INSERT INTO recon.store_totals (store_id, sale_count, sale_amount)
SELECT s.store_id, COUNT(*), SUM(s.amount)
  FROM sales.sale_line s
 GROUP BY s.store_id;
