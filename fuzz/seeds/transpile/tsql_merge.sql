UPDATE i SET i.q = s.q FROM inv i JOIN snap s ON s.k = i.k;
GO
MERGE t USING s ON t.k = s.k WHEN MATCHED THEN UPDATE SET t.v = s.v;