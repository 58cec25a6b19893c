-- Q3. Which professions are most common among artists with more than 3 known titles?
-- The files have no artist id: an artist is a distinct (name, birth, death, professions, known titles) across the
-- datasets. The ids in titulosMaisConhecidos are counted as commas + 1 (null counts as 0), which both engines agree on.
-- Shared by DuckDB (`answers`) and Athena (named query); `snapshot_rows` is the engine's view of the snapshot.
WITH artists AS (
    SELECT DISTINCT nomeArtista, anoNascimento, anoFalecimento, profissao, titulosMaisConhecidos
    FROM snapshot_rows
),
prolific AS (
    SELECT profissao
    FROM artists
    WHERE profissao IS NOT NULL
      AND coalesce(length(titulosMaisConhecidos) - length(replace(titulosMaisConhecidos, ',', '')) + 1, 0) > 3
)
SELECT p.profession AS profession,
       count(*) AS artists
FROM prolific
CROSS JOIN UNNEST(split(prolific.profissao, ',')) AS p (profession)
GROUP BY p.profession
ORDER BY artists DESC, profession
