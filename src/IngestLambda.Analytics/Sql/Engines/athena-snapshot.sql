-- The Athena engine layer: what `snapshot_rows` is in a named query. Each dataset's newest date partition
-- (partition projection on dt, yyyy/MM/dd); one day holds each id once per file, as a full extract does.
-- `make generate` writes each named query of template.yaml as `WITH snapshot_rows AS (`, this SELECT once per dataset
-- that has every column the questions read (joined by UNION ALL), `)`, then the question's own CTEs (its leading
-- WITH replaced by a comma). {dataset} is the dataset's name, {table} its Glue table, {columns} the columns the
-- questions read (QuestionSql.SnapshotColumns).
SELECT '{dataset}' AS dataset, {columns}
FROM {table}
WHERE dt = (SELECT max(dt) FROM {table})
