"""Hand-written PySpark for orders.sql: other idioms, same meaning."""
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F


def run(spark: SparkSession, params: dict) -> None:
    orders = spark.table("sales.orders").where("status <> 'X'").filter(F.col("region").isin(["US", "EU"]))
    customers = spark.read.table("crm.customer")
    joined = orders.alias("o").join(customers.alias("c"), F.col("c.cust_id") == F.col("o.cust_id"), how="left")
    out = (
        joined
        .withColumn("cust_name", F.expr("upper(trim(c.name))"))
        .withColumn("amount_usd", F.expr("o.amount * 1.1"))
        .withColumn(
            "size_class",
            F.when(F.col("o.amount") > 100, "BIG").when(F.col("o.amount").isNull(), F.lit("NONE")).otherwise("SMALL"),
        )
        .withColumn("region", F.coalesce(F.col("o.region"), F.lit("ZZ")))
        .select("o.order_id", "cust_name", "amount_usd", "size_class", "region")
    )
    out.write.mode("append").saveAsTable("dw.order_fact")
