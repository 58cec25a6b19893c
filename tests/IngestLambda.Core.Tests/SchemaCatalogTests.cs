using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Tests;

public class SchemaCatalogTests
{
    [Fact]
    public void Built_in_catalog_has_the_exact_documented_headers()
    {
        var headers = SchemaCatalog.BuiltIn.Datasets.ToDictionary(d => d.Name, d => d.Header);
        Assert.Equal(
            "id|tituloPincipal|tituloOriginal|anoLancamento|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos",
            headers["Movies"]);
        Assert.Equal(
            "id|tituloPincipal|tituloOriginal|anoLancamento|anoTermino|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos",
            headers["Series"]);
    }
}
