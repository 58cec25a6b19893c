-- Q2. Is there a correlation between the number of votes and the average rating?
-- Pearson's r per dataset and over all titles together, of votes and of ln(votes) (votes span 5 to millions).
-- Shared by DuckDB (`answers`) and Athena (named query); `snapshot_rows` is the engine's view of the snapshot.
WITH titles AS (
    SELECT dataset, id,
           max(notaMedia) AS rating,
           max(numeroVotos) AS votes
    FROM snapshot_rows
    GROUP BY dataset, id
),
rated AS (
    SELECT dataset, rating, CAST(votes AS double) AS votes
    FROM titles
    WHERE rating IS NOT NULL AND votes > 0
)
SELECT dataset, titles, pearson, pearsonLogVotes
FROM (
    SELECT dataset,
           count(*) AS titles,
           corr(votes, rating) AS pearson,
           corr(ln(votes), rating) AS pearsonLogVotes
    FROM rated
    GROUP BY dataset
    UNION ALL
    SELECT 'All' AS dataset,
           count(*) AS titles,
           corr(votes, rating) AS pearson,
           corr(ln(votes), rating) AS pearsonLogVotes
    FROM rated
) AS answers
ORDER BY CASE WHEN dataset = 'All' THEN 1 ELSE 0 END, dataset
