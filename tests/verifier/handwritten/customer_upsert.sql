-- legacy: an upsert of active customers into a dimension (MERGE: matched rows updated, new ones inserted)
CREATE TABLE dw.customer_dim (customer_id INTEGER PRIMARY KEY, name VARCHAR(40), city VARCHAR(30));
MERGE INTO dw.customer_dim t
USING (SELECT customer_id, UPPER(name) AS name, city FROM stg.customers WHERE active = 'Y') s
ON (t.customer_id = s.customer_id)
WHEN MATCHED THEN UPDATE SET t.name = s.name, t.city = s.city
WHEN NOT MATCHED THEN INSERT (customer_id, name, city) VALUES (s.customer_id, s.name, s.city);
