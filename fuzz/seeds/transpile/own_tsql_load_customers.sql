-- Nightly customer load for the card platform (SQL Server T-SQL stored procedure).
-- Stages the day's feed in a temp table, upserts the customer dimension with a MERGE, walks
-- the rejected rows one by one (each one is written to the reject log and may page the
-- on-call desk), and re-indexes the day's partition with dynamic SQL.
CREATE PROCEDURE dbo.usp_load_customers
    @load_date   DATE,
    @source_sys  VARCHAR(10) = 'CARDS',
    @rows_loaded INT OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @batch_id INT;
    DECLARE @reject_count INT = 0;
    DECLARE @cust_id INT;
    DECLARE @reason VARCHAR(200);
    DECLARE @sql NVARCHAR(MAX);

    SELECT @batch_id = MAX(batch_id) + 1 FROM etl.load_batches;

    CREATE TABLE #stage (
        cust_id     INT NOT NULL,
        full_name   VARCHAR(120),
        email       VARCHAR(200),
        segment     VARCHAR(20),
        updated_at  DATETIME2
    );

    BEGIN TRY
        BEGIN TRANSACTION;

        INSERT INTO #stage (cust_id, full_name, email, segment, updated_at)
        SELECT f.cust_id, LTRIM(RTRIM(f.first_name)) + ' ' + LTRIM(RTRIM(f.last_name)),
               LOWER(f.email), ISNULL(f.segment, 'RETAIL'), f.updated_at
          FROM stg.customer_feed f
         WHERE f.feed_date = @load_date
           AND f.source_system = @source_sys;

        -- a cursor loop that only copies rows: one INSERT ... SELECT
        DECLARE vip_cur CURSOR LOCAL FAST_FORWARD FOR
            SELECT s.cust_id FROM #stage s WHERE s.segment = 'PRIVATE';
        OPEN vip_cur;
        FETCH NEXT FROM vip_cur INTO @cust_id;
        WHILE @@FETCH_STATUS = 0
        BEGIN
            INSERT INTO dbo.vip_watchlist (cust_id, added_on) VALUES (@cust_id, @load_date);
            FETCH NEXT FROM vip_cur INTO @cust_id;
        END;
        CLOSE vip_cur;
        DEALLOCATE vip_cur;

        MERGE dbo.dim_customer AS t
        USING #stage AS s
           ON t.cust_id = s.cust_id
        WHEN MATCHED AND s.updated_at > t.updated_at THEN
             UPDATE SET t.full_name = s.full_name, t.email = s.email,
                        t.segment = s.segment, t.updated_at = s.updated_at
        WHEN NOT MATCHED BY TARGET THEN
             INSERT (cust_id, full_name, email, segment, updated_at)
             VALUES (s.cust_id, s.full_name, s.email, s.segment, s.updated_at);
        SET @rows_loaded = @@ROWCOUNT;

        -- rejected rows: each one is logged and may page the desk, kept row by row
        DECLARE rej_cur CURSOR LOCAL FOR
            SELECT r.cust_id, r.reject_reason
              FROM stg.customer_rejects r
             WHERE r.feed_date = @load_date
             ORDER BY r.cust_id;
        OPEN rej_cur;
        FETCH NEXT FROM rej_cur INTO @cust_id, @reason;
        WHILE @@FETCH_STATUS = 0
        BEGIN
            INSERT INTO etl.reject_log (batch_id, cust_id, reason, logged_at)
            VALUES (@batch_id, @cust_id, @reason, SYSDATETIME());
            SET @reject_count = @reject_count + 1;
            IF @reason LIKE 'FRAUD%'
                EXEC dbo.usp_page_oncall @cust_id, @reason;
            FETCH NEXT FROM rej_cur INTO @cust_id, @reason;
        END;
        CLOSE rej_cur;
        DEALLOCATE rej_cur;

        IF @reject_count > 1000
            THROW 50001, 'Too many rejected customers in the feed', 1;

        SET @sql = N'ALTER INDEX ALL ON dbo.dim_customer REBUILD PARTITION = '
                 + CAST($PARTITION.pf_load_date(@load_date) AS NVARCHAR(10));
        EXEC sp_executesql @sql;

        INSERT INTO etl.load_batches (batch_id, load_date, rows_loaded, rejects)
        VALUES (@batch_id, @load_date, @rows_loaded, @reject_count);

        COMMIT TRANSACTION;
        PRINT 'customer load complete';
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;
        INSERT INTO etl.job_errors (job_name, run_date, error_code, error_text)
        VALUES ('usp_load_customers', @load_date, ERROR_NUMBER(), ERROR_MESSAGE());
        THROW;
    END CATCH;
END;
GO
