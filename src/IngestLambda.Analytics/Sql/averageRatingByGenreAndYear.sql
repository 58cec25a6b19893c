-- Q1. What is the average rating per genre of movies and of series, over the years?
-- A title counts once (its columns repeat on each of its rows), in every genre of its list, in its release year.
-- Shared by DuckDB (`answers`) and Athena (named query); `snapshot_rows` is the engine's view of the snapshot.
WITH titles AS (
    SELECT dataset, id,
           max(genero) AS genero,
           max(anoLancamento) AS year,
           max(notaMedia) AS rating
    FROM snapshot_rows
    GROUP BY dataset, id
)
SELECT t.dataset AS dataset,
       g.genre AS genre,
       t.year AS year,
       avg(t.rating) AS averageRating,
       count(*) AS titles
FROM titles AS t
CROSS JOIN UNNEST(split(t.genero, ',')) AS g (genre)
WHERE t.rating IS NOT NULL AND t.genero IS NOT NULL AND t.year IS NOT NULL
GROUP BY t.dataset, g.genre, t.year
ORDER BY dataset, genre, year
