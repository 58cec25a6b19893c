-- The Athena engine layer: what `snapshot_rows` is in a named query. Each dataset's newest date partition
-- (partition projection on dt, yyyy/MM/dd); one day holds each id once per file, as a full extract does.
-- A named query is this WITH clause followed by the question's own CTEs (its leading WITH replaced by a comma).
WITH snapshot_rows AS (
    SELECT 'Movies' AS dataset, id, genero, anoLancamento, notaMedia, numeroVotos,
           nomeArtista, anoNascimento, anoFalecimento, profissao, titulosMaisConhecidos
    FROM movies
    WHERE dt = (SELECT max(dt) FROM movies)
    UNION ALL
    SELECT 'Series' AS dataset, id, genero, anoLancamento, notaMedia, numeroVotos,
           nomeArtista, anoNascimento, anoFalecimento, profissao, titulosMaisConhecidos
    FROM series
    WHERE dt = (SELECT max(dt) FROM series)
)
