-- T-SQL procedure with a cursor WHILE loop that inserts each fetched row
CREATE PROCEDURE dbo.load_price_history
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @sku VARCHAR(20), @price DECIMAL(12, 2);
    DECLARE price_cur CURSOR LOCAL FAST_FORWARD FOR
        SELECT p.sku, p.list_price
          FROM staging.prices p
         WHERE p.changed = 1;
    OPEN price_cur;
    FETCH NEXT FROM price_cur INTO @sku, @price;
    WHILE @@FETCH_STATUS = 0
    BEGIN
        INSERT INTO dbo.price_history (sku, price, changed_at)
        VALUES (@sku, @price, GETDATE());
        FETCH NEXT FROM price_cur INTO @sku, @price;
    END;
    CLOSE price_cur;
    DEALLOCATE price_cur;
END
GO

-- the same shape at the top of a script, updating each row
DECLARE @id INT, @qty INT;
DECLARE adj_cur CURSOR FOR
    SELECT a.item_id, a.qty_delta FROM staging.adjustments a;
OPEN adj_cur;
FETCH NEXT FROM adj_cur INTO @id, @qty;
WHILE @@FETCH_STATUS = 0
BEGIN
    UPDATE dbo.inventory SET on_hand = on_hand + @qty WHERE item_id = @id;
    FETCH NEXT FROM adj_cur INTO @id, @qty;
END
CLOSE adj_cur;
DEALLOCATE adj_cur;
GO
