-- Row-by-row PL/SQL loops that are really set operations (Oracle, SQL*Plus)
CREATE TABLE stg.customer_dim (
    cust_id     NUMBER(10) PRIMARY KEY,
    cust_name   VARCHAR2(80),
    region_code VARCHAR2(4),
    status      CHAR(1)
);

-- a cursor FOR loop over an inline query that inserts each row
BEGIN
    FOR r IN (SELECT o.order_id, o.cust_id, o.qty * o.unit_price AS amount
                FROM stg.orders o
               WHERE o.status = 'N') LOOP
        INSERT INTO dw.order_fact (order_id, cust_id, amount, load_ts)
        VALUES (r.order_id, r.cust_id, NVL(r.amount, 0), SYSDATE);
    END LOOP;
    COMMIT;
END;
/

-- a declared cursor and a loop that updates each row
DECLARE
    CURSOR c_moves IS
        SELECT m.cust_id, m.new_region
          FROM stg.region_moves m
         WHERE m.effective_date <= SYSDATE;
BEGIN
    FOR mv IN c_moves LOOP
        UPDATE stg.customer_dim d
           SET region_code = mv.new_region,
               status = 'M'
         WHERE d.cust_id = mv.cust_id;
    END LOOP;
END;
/

-- BULK COLLECT into a collection, FORALL insert
CREATE OR REPLACE PROCEDURE load_returns IS
    CURSOR c_ret IS
        SELECT r.return_id, r.order_id, r.refund_amount
          FROM stg.returns r
         WHERE r.approved = 'Y';
    TYPE t_ret IS TABLE OF c_ret%ROWTYPE;
    l_ret t_ret;
BEGIN
    OPEN c_ret;
    FETCH c_ret BULK COLLECT INTO l_ret;
    CLOSE c_ret;
    FORALL i IN 1 .. l_ret.COUNT
        INSERT INTO dw.returns_fact VALUES l_ret(i);
    COMMIT;
END load_returns;
/

-- stays procedural: the loop body decides per row with IF
BEGIN
    FOR r IN (SELECT cust_id, cust_name FROM stg.customers) LOOP
        IF r.cust_name IS NULL THEN
            INSERT INTO stg.rejects (cust_id, reason) VALUES (r.cust_id, 'no name');
        ELSE
            INSERT INTO stg.customer_names (cust_id, cust_name) VALUES (r.cust_id, r.cust_name);
        END IF;
    END LOOP;
END;
/

-- stays procedural: the cursor reads the table the loop inserts into
BEGIN
    FOR r IN (SELECT h.cust_id, h.balance FROM dw.balance_hist h WHERE h.snapshot = 'PREV') LOOP
        INSERT INTO dw.balance_hist (cust_id, balance, snapshot) VALUES (r.cust_id, r.balance, 'CURR');
    END LOOP;
END;
/
