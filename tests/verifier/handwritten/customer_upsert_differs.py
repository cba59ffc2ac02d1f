"""Hand-written PySpark for customer_upsert.sql: a Delta MERGE with a slip: the update forgets the city."""
from delta.tables import DeltaTable
from pyspark.sql import functions as F


def run(spark, params):
    src = (spark.table("stg.customers").where(F.col("active") == "Y")
           .select("customer_id", F.upper(F.col("name")).alias("name"), "city"))
    (DeltaTable.forName(spark, "dw.customer_dim").alias("t")
        .merge(src.alias("s"), "t.customer_id = s.customer_id")
        .whenMatchedUpdate(set={"name": "s.name"})
        .whenNotMatchedInsert(values={"customer_id": "s.customer_id", "name": "s.name", "city": "s.city"})
        .execute())
