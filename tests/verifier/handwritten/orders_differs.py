"""Hand-written PySpark for orders.sql with two slips: an inner join and a changed threshold."""
from pyspark.sql import functions as F


def run(spark, params):
    o = spark.table("sales.orders").filter((F.col("status") != "X") & F.col("region").isin("EU", "US"))
    c = spark.table("crm.customer")
    df = o.join(c, on=["cust_id"], how="inner")
    df.select(
        F.col("order_id"),
        F.upper(F.trim(F.col("name"))).alias("cust_name"),
        F.expr("amount * 1.1").alias("amount_usd"),
        F.when(F.col("amount") > 1000, "BIG").when(F.col("amount").isNull(), "NONE").otherwise("SMALL").alias("size_class"),
        F.coalesce("region", F.lit("ZZ")).alias("region"),
    ).write.insertInto("dw.order_fact")
