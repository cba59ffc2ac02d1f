"""Hand-written PySpark for sales_agg.sql: unionByName, groupBy().agg(), a Window and a filter."""
from pyspark.sql import Window
from pyspark.sql import functions as F


def run(spark, params):
    pos = spark.table("pos.sale_line").select("store_id", "product_id", "qty", "price")
    web = spark.table("web.order_line").select("product_id", "store_id", "price", "qty")
    lines = pos.unionByName(web)
    agg = lines.groupBy("store_id", "product_id").agg(F.sum(F.col("price") * F.col("qty")).alias("revenue"))
    w = Window.partitionBy("store_id").orderBy(F.col("revenue").desc())
    top = agg.withColumn("rn", F.row_number().over(w)).where(F.col("rn") <= 3)
    top.select("store_id", "product_id", "revenue").write.mode("append").saveAsTable("mart.top_products")
