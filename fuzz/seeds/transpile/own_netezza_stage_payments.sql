-- Intraday payment staging for the payments hub (Netezza NZPLSQL stored procedure).
-- Copies the settled payments into a temp table, merges them into the payment fact, walks the
-- returned payments one by one (each reverses its ledger entry and notifies the customer),
-- and drops the day's scratch table by a name built at run time.
CREATE OR REPLACE PROCEDURE pay.stage_payments(DATE, VARCHAR(8))
RETURNS INTEGER
LANGUAGE NZPLSQL
AS
BEGIN_PROC
DECLARE
    p_value_date ALIAS FOR $1;
    p_channel    ALIAS FOR $2;
    v_count      INTEGER := 0;
    v_returned   INTEGER := 0;
    v_scratch    VARCHAR(128);
    rec          RECORD;
    ret          RECORD;
BEGIN
    CREATE TEMP TABLE tmp_settled AS
        SELECT p.payment_id, p.account_id, p.amount, p.currency, p.settled_at
          FROM pay.payments p
         WHERE p.value_date = p_value_date
           AND p.channel = p_channel
           AND p.status = 'SETTLED'
    DISTRIBUTE ON (payment_id);

    -- a loop that only copies rows: one INSERT ... SELECT
    FOR rec IN SELECT payment_id, amount FROM tmp_settled WHERE amount >= 10000 LOOP
        INSERT INTO pay.large_payments (payment_id, amount, flagged_on)
        VALUES (rec.payment_id, rec.amount, p_value_date);
    END LOOP;

    MERGE INTO pay.payment_fact f
    USING tmp_settled s
       ON f.payment_id = s.payment_id
     WHEN MATCHED THEN
          UPDATE SET amount = s.amount, settled_at = s.settled_at
     WHEN NOT MATCHED THEN
          INSERT (payment_id, account_id, amount, currency, settled_at)
          VALUES (s.payment_id, s.account_id, s.amount, s.currency, s.settled_at);
    v_count := ROW_COUNT;

    -- returned payments: each reverses its ledger entry and queues a notice, kept row by row
    FOR ret IN SELECT r.payment_id, r.account_id, r.amount, r.return_code
                 FROM pay.payment_returns r
                WHERE r.value_date = p_value_date
                ORDER BY r.payment_id LOOP
        INSERT INTO pay.ledger_entries (account_id, amount, entry_type, ref_payment_id)
        VALUES (ret.account_id, -ret.amount, 'REVERSAL', ret.payment_id);
        IF ret.return_code IN ('R01', 'R09') THEN
            INSERT INTO pay.customer_notices (account_id, notice_type, payment_id)
            VALUES (ret.account_id, 'NSF', ret.payment_id);
        END IF;
        v_returned := v_returned + 1;
    END LOOP;

    IF v_count = 0 AND v_returned = 0 THEN
        RAISE NOTICE 'no payments for % on %', p_channel, p_value_date;
    END IF;

    v_scratch := 'pay.scratch_' || TO_CHAR(p_value_date, 'YYYYMMDD');
    EXECUTE IMMEDIATE 'DROP TABLE ' || v_scratch || ' IF EXISTS';

    RETURN v_count;
EXCEPTION
    WHEN OTHERS THEN
        INSERT INTO etl.job_errors (job_name, run_date, error_text)
        VALUES ('stage_payments', p_value_date, SQLERRM);
        RAISE EXCEPTION 'stage_payments failed: %', SQLERRM;
END;
END_PROC;
