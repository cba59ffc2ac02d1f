"""Hand-written PySpark for orders.sql: bare imported functions and df["col"] references."""
from pyspark.sql.functions import col, upper, trim, when, coalesce, lit, expr


def run(spark, params):
    o = spark.table("sales.orders").filter((col("status") != "X") & col("region").isin("EU", "US"))
    c = spark.table("crm.customer")
    df = o.join(c, o["cust_id"] == c["cust_id"], "left")
    df.select(
        o["order_id"],
        upper(trim(c["name"])).alias("cust_name"),
        expr("amount * 1.1").alias("amount_usd"),
        when(col("amount") > 100, "BIG").when(col("amount").isNull(), "NONE").otherwise("SMALL").alias("size_class"),
        coalesce(o["region"], lit("ZZ")).alias("region"),
    ).write.mode("append").saveAsTable("dw.order_fact")
