-- Daily loan delinquency aging for the consumer-lending book (DB2 SQL PL procedure).
-- Ages every open loan into a bucket through a declared global temporary table, merges the
-- buckets into the delinquency fact, walks the loans that just went 90+ days past due one by
-- one (each gets a collections case and a letter), and refreshes a runstats entry with
-- dynamic SQL.
CREATE OR REPLACE PROCEDURE lending.age_delinquency (
    IN  p_as_of     DATE,
    OUT p_cases     INTEGER
)
LANGUAGE SQL
BEGIN
    DECLARE v_loan_id   BIGINT;
    DECLARE v_cust_id   BIGINT;
    DECLARE v_days      INTEGER;
    DECLARE v_done      SMALLINT DEFAULT 0;
    DECLARE v_stmt      VARCHAR(500);
    DECLARE v_msg       VARCHAR(300);
    DECLARE SQLSTATE    CHAR(5) DEFAULT '00000';

    -- loans whose days past due rose over 90 since yesterday: one case each, row by row
    DECLARE c_new_90 CURSOR WITH HOLD FOR
        SELECT l.loan_id, l.customer_id, l.days_past_due
          FROM lending.loans l
          JOIN lending.delinquency_fact f
            ON f.loan_id = l.loan_id AND f.as_of_date = p_as_of - 1 DAY
         WHERE l.days_past_due > 90 AND f.bucket <> '90+'
         ORDER BY l.loan_id;

    DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;

    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        GET DIAGNOSTICS EXCEPTION 1 v_msg = MESSAGE_TEXT;
        ROLLBACK;
        INSERT INTO etl.job_errors (job_name, run_date, error_code, error_text)
        VALUES ('age_delinquency', p_as_of, SQLSTATE, v_msg);
        COMMIT;
        RESIGNAL;
    END;

    SET p_cases = 0;

    DECLARE GLOBAL TEMPORARY TABLE session.aging (
        loan_id  BIGINT NOT NULL,
        bucket   VARCHAR(5) NOT NULL,
        balance  DECIMAL(15,2)
    ) ON COMMIT PRESERVE ROWS NOT LOGGED WITH REPLACE;

    -- a cursor FOR loop that only copies rows: one INSERT ... SELECT
    FOR v AS c_open CURSOR FOR
        SELECT l.loan_id AS loan_id, l.principal_balance AS balance, l.days_past_due AS dpd
          FROM lending.loans l
         WHERE l.status = 'OPEN'
    DO
        INSERT INTO session.aging (loan_id, bucket, balance)
        VALUES (v.loan_id,
                CASE WHEN v.dpd = 0 THEN 'CUR'
                     WHEN v.dpd <= 30 THEN '1-30'
                     WHEN v.dpd <= 60 THEN '31-60'
                     WHEN v.dpd <= 90 THEN '61-90'
                     ELSE '90+' END,
                v.balance);
    END FOR;

    MERGE INTO lending.delinquency_fact f
    USING session.aging a
       ON f.loan_id = a.loan_id AND f.as_of_date = p_as_of
     WHEN MATCHED THEN
          UPDATE SET f.bucket = a.bucket, f.balance = a.balance
     WHEN NOT MATCHED THEN
          INSERT (loan_id, as_of_date, bucket, balance)
          VALUES (a.loan_id, p_as_of, a.bucket, a.balance);

    OPEN c_new_90;
    fetch_loop:
    LOOP
        FETCH c_new_90 INTO v_loan_id, v_cust_id, v_days;
        IF v_done = 1 THEN
            LEAVE fetch_loop;
        END IF;
        INSERT INTO collections.cases (loan_id, customer_id, opened_on, reason)
        VALUES (v_loan_id, v_cust_id, p_as_of, 'DPD ' || CHAR(v_days));
        CALL collections.queue_letter(v_cust_id, 'LATE90');
        SET p_cases = p_cases + 1;
    END LOOP fetch_loop;
    CLOSE c_new_90;

    IF p_cases > 5000 THEN
        SIGNAL SQLSTATE '75001' SET MESSAGE_TEXT = 'Unusual number of new 90+ loans';
    END IF;

    SET v_stmt = 'CALL SYSPROC.ADMIN_CMD(''RUNSTATS ON TABLE lending.delinquency_fact WITH DISTRIBUTION'')';
    EXECUTE IMMEDIATE v_stmt;

    COMMIT;
END
@
