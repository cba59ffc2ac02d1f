-- Inventory refresh (SQL Server)
SET NOCOUNT ON
GO

UPDATE i
   SET i.on_hand = s.qty,
       i.last_seen = GETDATE()
  FROM dbo.inventory i
  JOIN staging.stock_snapshot s ON s.sku = i.sku AND s.store_id = i.store_id
 WHERE s.qty <> i.on_hand;
GO

MERGE dbo.product AS t
USING (SELECT sku, ISNULL(descr, '') AS descr, list_price FROM staging.product_feed) AS s
   ON t.sku = s.sku
WHEN MATCHED THEN UPDATE SET t.descr = s.descr, t.list_price = s.list_price
WHEN NOT MATCHED THEN INSERT (sku, descr, list_price) VALUES (s.sku, s.descr, s.list_price);
GO

DELETE d FROM dbo.inventory d JOIN staging.discontinued x ON x.sku = d.sku;
GO

IF OBJECT_ID('tempdb..#audit') IS NOT NULL
    DROP TABLE #audit
GO
