-- sqlcmd: :on error exit stops the script at the first failing batch
:on error exit
INSERT INTO dbo.sales_copy (sale_id, sale_dt, amount) SELECT sale_id, sale_dt, amount FROM dbo.sales;
GO
INSERT INTO dbo.sales_by_day SELECT sale_dt, SUM(amount) FROM dbo.sales_copy GROUP BY sale_dt;
GO
