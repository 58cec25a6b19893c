using System.Security.Cryptography;
using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

// Field values against their column rules.
public partial class ValidatorTests
{
    [Theory]
    [InlineData("id", "\\N")]
    [InlineData("tituloPincipal", "\\N")]
    [InlineData("tituloOriginal", "\\N")]
    [InlineData("nomeArtista", "\\N")]
    public void Null_where_not_allowed_is_null_not_allowed(string column, string value)
    {
        var data = Movies(MovieRow(), MovieRow((column, value)));
        var e = Single(Check(data), ErrorCodes.NullNotAllowed);
        Assert.Equal((3L, column), (e.Line, e.Column));
        Assert.Equal(FieldOffset(data, 3, Array.IndexOf(MoviesColumns, column)), e.ByteOffset);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("tituloPincipal")]
    [InlineData("tituloOriginal")]
    [InlineData("nomeArtista")]
    [InlineData("anoLancamento")]
    [InlineData("tempoMinutos")]
    [InlineData("genero")]
    [InlineData("notaMedia")]
    [InlineData("numeroVotos")]
    [InlineData("generoArtista")]
    [InlineData("anoNascimento")]
    [InlineData("anoFalecimento")]
    [InlineData("profissao")]
    [InlineData("titulosMaisConhecidos")]
    public void An_empty_field_is_not_a_null(string column)
    {
        var data = Movies(MovieRow((column, "")));
        var e = Single(Check(data), ErrorCodes.EmptyField);
        Assert.Equal((2L, column), (e.Line, e.Column));
        Assert.Equal(FieldOffset(data, 2, Array.IndexOf(MoviesColumns, column)), e.ByteOffset);
    }

    [Theory]
    [InlineData("personagem", "")]
    [InlineData("personagem", "\\N")]
    [InlineData("anoLancamento", "\\N")]
    [InlineData("tempoMinutos", "\\N")]
    [InlineData("genero", "\\N")]
    [InlineData("notaMedia", "\\N")]
    [InlineData("numeroVotos", "\\N")]
    [InlineData("generoArtista", "\\N")]
    [InlineData("anoNascimento", "\\N")]
    [InlineData("anoFalecimento", "\\N")]
    [InlineData("profissao", "\\N")]
    [InlineData("titulosMaisConhecidos", "\\N")]
    [InlineData("tempoMinutos", "0")]
    [InlineData("tempoMinutos", "5220")]
    [InlineData("numeroVotos", "2954236")]
    [InlineData("notaMedia", "0.0")]
    [InlineData("notaMedia", "10.0")]
    [InlineData("notaMedia", "9.95")]
    [InlineData("generoArtista", "actor")]
    [InlineData("genero", "Sci-Fi")]
    [InlineData("genero", "Drama,Film-Noir,Talk-Show")]
    [InlineData("profissao", "miscellaneous,music_department")]
    [InlineData("profissao", "art director, set decorator")]
    [InlineData("titulosMaisConhecidos", "tt0000001")]
    [InlineData("titulosMaisConhecidos", "tt10872600,tt0120338")]
    [InlineData("id", "tt123456789")]
    [InlineData("tituloPincipal", "\\")]
    [InlineData("tituloPincipal", "N")]
    [InlineData("tituloPincipal", "\\n")]
    [InlineData("nomeArtista", " ")]
    public void Valid_edge_values_are_accepted(string column, string value)
    {
        var r = Check(Movies(MovieRow((column, value))));
        Assert.True(r.Accepted, string.Join("; ", r.Errors.Select(e => $"{e.Column}: {e.Message}")));
    }

    [Theory]
    [InlineData("id", "t1234567", "id")]
    [InlineData("id", "tt123456", "id")]
    [InlineData("id", "nm1234567", "id")]
    [InlineData("id", "tt12345a7", "id")]
    [InlineData("anoLancamento", "189", "year")]
    [InlineData("anoLancamento", "18981", "year")]
    [InlineData("anoNascimento", "19x8", "year")]
    [InlineData("anoFalecimento", "-200", "year")]
    [InlineData("tempoMinutos", "-5", "integer")]
    [InlineData("tempoMinutos", "1.5", "integer")]
    [InlineData("numeroVotos", "1,000", "integer")]
    [InlineData("numeroVotos", "N", "integer")]
    [InlineData("notaMedia", "7,5", "rating")]
    [InlineData("notaMedia", "10.1", "rating")]
    [InlineData("notaMedia", "11.0", "rating")]
    [InlineData("notaMedia", "7", "rating")]
    [InlineData("notaMedia", ".5", "rating")]
    [InlineData("notaMedia", "7.", "rating")]
    [InlineData("notaMedia", "100.0", "rating")]
    [InlineData("genero", "Drama, Music", "list")]
    [InlineData("genero", "Drama ,Music", "list")]
    [InlineData("genero", "Drama,,Music", "list")]
    [InlineData("genero", ",Drama", "list")]
    [InlineData("genero", "Drama,", "list")]
    [InlineData("genero", " Drama", "list")]
    [InlineData("profissao", "actor,,writer", "list")]
    [InlineData("profissao", ",", "list")]
    [InlineData("titulosMaisConhecidos", "tt1234567,", "id list")]
    [InlineData("titulosMaisConhecidos", "tt1234567,nm1234567", "id list")]
    [InlineData("titulosMaisConhecidos", "tt1234567, tt7654321", "id list")]
    [InlineData("generoArtista", "Actor", "actor or actress")]
    [InlineData("generoArtista", "self", "actor or actress")]
    public void A_value_breaking_its_rule_is_invalid_value_naming_the_rule(string column, string value, string rule)
    {
        var data = Movies(MovieRow(), MovieRow(), MovieRow((column, value)));
        var e = Single(Check(data), ErrorCodes.InvalidValue);
        Assert.Equal((4L, column), (e.Line, e.Column));
        Assert.Equal(FieldOffset(data, 4, Array.IndexOf(MoviesColumns, column)), e.ByteOffset);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Equal(value, e.Excerpt);
    }

    [Fact]
    public void Every_error_of_a_row_is_reported_in_byte_order()
    {
        var data = Movies(MovieRow(("notaMedia", "7,5"), ("id", "x"), ("generoArtista", "self")));
        var r = Check(data);
        Assert.Equal(["id", "notaMedia", "generoArtista"], r.Errors.Select(e => e.Column));
        Assert.Equal(3, r.ErrorCount);
    }

    [Fact]
    public void A_repeated_bad_field_is_reported_on_every_line()
    {
        // Title columns repeat row after row; an error in them must be found on each row, not only the first.
        var bad = MovieRow(("notaMedia", "7,5"));
        var r = Check(Movies(MovieRow(), bad, bad, MovieRow(("notaMedia", "7,5"), ("nomeArtista", "Other")), MovieRow()));
        Assert.Equal([3L, 4L, 5L], r.Errors.Select(e => e.Line));
        Assert.All(r.Errors, e => Assert.Equal("notaMedia", e.Column));
    }

    [Fact]
    public void A_row_that_repeats_a_valid_title_is_still_checked_past_it()
    {
        var r = Check(Movies(MovieRow(), MovieRow(("anoNascimento", "19x0")), MovieRow(("titulosMaisConhecidos", "tt1,"))));
        Assert.Equal([("anoNascimento", 3L), ("titulosMaisConhecidos", 4L)], r.Errors.Select(e => (e.Column, e.Line)));
    }

    [Fact]
    public void Only_the_first_n_errors_are_listed_but_all_are_counted()
    {
        var rows = Enumerable.Range(0, 25).Select(i => MovieRow(("anoLancamento", "x" + i))).ToArray();
        var r = Check(Movies(rows), Options(maxErrors: 10));
        Assert.Equal(25, r.ErrorCount);
        Assert.Equal(10, r.Errors.Count);
        Assert.Equal(Enumerable.Range(2, 10).Select(l => (long)l), r.Errors.Select(e => e.Line));
    }
}
