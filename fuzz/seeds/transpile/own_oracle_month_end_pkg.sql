-- Month-end close for the retail bank's deposit ledger (Oracle PL/SQL package).
-- Accrues interest per account, posts it through a MERGE, flags dormant accounts row by row
-- (each one is audited and may be escalated), and rebuilds a partition-named summary with
-- dynamic SQL. Run from the scheduler as: pkg_month_end.close_month(:run_date, :branch, :rows).
CREATE OR REPLACE PACKAGE BODY pkg_month_end AS

    PROCEDURE close_month (
        p_run_date  IN  DATE,
        p_branch    IN  VARCHAR2 DEFAULT 'ALL',
        p_rows      OUT NUMBER
    ) IS
        v_month_start   DATE;
        v_rate          NUMBER(9,6);
        v_posted        NUMBER := 0;
        v_dormant       NUMBER := 0;
        v_sql           VARCHAR2(4000);
        e_no_rate       EXCEPTION;

        -- interest per account: a cursor loop that is really one set operation
        CURSOR c_accruals IS
            SELECT a.account_id, a.balance, a.product_code
              FROM dep.accounts a
             WHERE a.status = 'OPEN'
               AND (p_branch = 'ALL' OR a.branch_code = p_branch);

        -- dormant candidates: each one needs an audit row and a decision, kept row by row
        CURSOR c_dormant IS
            SELECT a.account_id, a.customer_id, a.last_txn_date, a.balance
              FROM dep.accounts a
             WHERE a.status = 'OPEN'
               AND a.last_txn_date < ADD_MONTHS(p_run_date, -24)
             ORDER BY a.account_id;
    BEGIN
        v_month_start := TRUNC(p_run_date, 'MM');

        SELECT r.annual_rate
          INTO v_rate
          FROM dep.interest_rates r
         WHERE r.product_code = 'SAV'
           AND r.effective_date = (SELECT MAX(r2.effective_date)
                                     FROM dep.interest_rates r2
                                    WHERE r2.product_code = 'SAV'
                                      AND r2.effective_date <= p_run_date);

        IF v_rate IS NULL THEN
            RAISE e_no_rate;
        END IF;

        -- session-scoped work table (created once by the DBA as a global temporary table)
        DELETE FROM dep.gtt_accruals;

        FOR r IN c_accruals LOOP
            INSERT INTO dep.gtt_accruals (account_id, accrual_amt, month_start)
            VALUES (r.account_id, ROUND(r.balance * v_rate / 12, 2), v_month_start);
        END LOOP;

        MERGE INTO dep.interest_postings p
        USING dep.gtt_accruals g
           ON (p.account_id = g.account_id AND p.month_start = g.month_start)
         WHEN MATCHED THEN
              UPDATE SET p.amount = g.accrual_amt, p.posted_at = SYSDATE
         WHEN NOT MATCHED THEN
              INSERT (account_id, month_start, amount, posted_at)
              VALUES (g.account_id, g.month_start, g.accrual_amt, SYSDATE);
        v_posted := SQL%ROWCOUNT;

        FOR d IN c_dormant LOOP
            INSERT INTO dep.dormancy_audit (account_id, customer_id, last_txn_date, flagged_on)
            VALUES (d.account_id, d.customer_id, d.last_txn_date, p_run_date);
            IF d.balance > 10000 THEN
                UPDATE dep.accounts
                   SET status = 'REVIEW'
                 WHERE account_id = d.account_id;
            ELSE
                UPDATE dep.accounts
                   SET status = 'DORMANT'
                 WHERE account_id = d.account_id;
            END IF;
            v_dormant := v_dormant + 1;
            EXIT WHEN v_dormant >= 5000;
        END LOOP;

        v_sql := 'ALTER TABLE dep.month_summary TRUNCATE PARTITION p_'
                 || TO_CHAR(p_run_date, 'YYYYMM');
        EXECUTE IMMEDIATE v_sql;

        INSERT INTO dep.month_summary (month_start, branch_code, accounts_posted, accounts_dormant)
        VALUES (v_month_start, p_branch, v_posted, v_dormant);

        p_rows := v_posted + v_dormant;
        DBMS_OUTPUT.PUT_LINE('month-end closed: ' || p_rows || ' rows');
        COMMIT;
    EXCEPTION
        WHEN e_no_rate THEN
            ROLLBACK;
            RAISE_APPLICATION_ERROR(-20010, 'No savings rate for the run date');
        WHEN NO_DATA_FOUND THEN
            ROLLBACK;
            RAISE_APPLICATION_ERROR(-20011, 'Interest rate table is empty');
        WHEN OTHERS THEN
            ROLLBACK;
            INSERT INTO dep.job_errors (job_name, run_date, error_code, error_text)
            VALUES ('close_month', p_run_date, SQLCODE, SQLERRM);
            COMMIT;
            RAISE;
    END close_month;

END pkg_month_end;
/
