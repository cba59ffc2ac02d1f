-- DB2 CLP: the s option (stop on error) switched on from the script, then off again
UPDATE COMMAND OPTIONS USING S ON;
INSERT INTO mart.accounts_copy (account_id, branch_id) SELECT account_id, branch_id FROM core.accounts;
INSERT INTO mart.branch_counts SELECT branch_id, COUNT(*) FROM mart.accounts_copy GROUP BY branch_id;
UPDATE COMMAND OPTIONS USING S OFF;
INSERT INTO mart.audit_rows SELECT 'branch_counts', COUNT(*) FROM mart.branch_counts;
