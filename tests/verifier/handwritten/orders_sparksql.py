"""Hand-written PySpark for orders.sql: the query as spark.sql text, a rename, then the write."""


def run(spark, params):
    df = spark.sql(
        """
        SELECT o.order_id, upper(trim(c.name)) AS cust_name, o.amount * 1.1 AS amount_usd,
               CASE WHEN o.amount > 100 THEN 'BIG' WHEN o.amount IS NULL THEN 'NONE' ELSE 'SMALL' END AS size,
               nvl(o.region, 'ZZ') AS region
        FROM sales.orders o LEFT JOIN crm.customer c ON c.cust_id = o.cust_id
        WHERE o.region IN ('EU', 'US') AND NOT o.status = 'X'
        """
    )
    df.withColumnRenamed("size", "size_class").write.saveAsTable("dw.order_fact", mode="append")
