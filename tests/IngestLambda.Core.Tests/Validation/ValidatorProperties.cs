using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Property-based tests: FsCheck generates valid movies files field by field from the rules of docs/contracts.md; they must be
/// accepted however they are segmented, and one injected fault must be found at its line, column and offset.
/// </summary>
public class ValidatorProperties
{
    private static readonly string[] Words = ["Hamlet", "Prince", "of", "Denmark", "\"Crocodile\"", "Dundee", "\"", "O'Brien", "Noite", "São", "Paulo", "千と千尋", "Жили-были", "محمد", "🎬", "Zoë", "a,b", "A.I.", "\\", "N", "—"];
    private static readonly string[] Genres = ["Drama", "Comedy", "Sci-Fi", "Film-Noir", "Talk-Show", "Music", "Reality-TV"];
    private static readonly string[] Professions = ["actor", "actress", "writer", "director", "music_department", "art director"];

    private static Gen<string> Digits(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 9), n)).Select(d => string.Concat(d));

    private static Gen<string> Id => Digits(7, 9).Select(d => "tt" + d);

    private static Gen<string> Text => Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Elements(Words), n)).Select(w => string.Join(' ', w));

    private static Gen<string> Nullable(Gen<string> gen) => Gen.Frequency((1, Gen.Constant("\\N")), (4, gen));

    private static Gen<string> ListOf(Gen<string> item) => Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(item, n)).Select(i => string.Join(',', i));

    private static Gen<string> Year => Gen.Choose(1000, 2030).Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Gen<string> Rating => Gen.Choose(0, 100).Select(r => $"{r / 10}.{r % 10}");

    private static Gen<string[]> Row =>
        from id in Id
        from title in Text
        from original in Text
        from year in Nullable(Year)
        from minutes in Nullable(Gen.Choose(0, 6000).Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        from genres in Nullable(ListOf(Gen.Elements(Genres)))
        from rating in Nullable(Rating)
        from votes in Nullable(Digits(1, 7))
        from gender in Nullable(Gen.Elements("actor", "actress"))
        from character in Gen.Frequency((1, Gen.Constant("\\N")), (1, Gen.Constant("")), (4, Text))
        from name in Text
        from born in Nullable(Year)
        from died in Nullable(Year)
        from professions in Nullable(ListOf(Gen.Elements(Professions)))
        from known in Nullable(ListOf(Id))
        select new[] { id, title, original, year, minutes, genres, rating, votes, gender, character, name, born, died, professions, known };

    /// <summary>Rows as in the real files: one per credited person, so a title's 8 columns often repeat from the row before.</summary>
    private static Gen<string[][]> Rows =>
        from rows in Gen.Choose(1, 40).SelectMany(n => Gen.ArrayOf(Row, n))
        from repeats in Gen.ArrayOf(Gen.Elements(true, false), rows.Length)
        select RepeatTitles(rows, repeats);

    private static string[][] RepeatTitles(string[][] rows, bool[] repeats)
    {
        for (var i = 1; i < rows.Length; i++)
        {
            if (repeats[i])
                Array.Copy(rows[i - 1], rows[i], 8);
        }
        return rows;
    }

    private static Gen<(string[][] Rows, bool Crlf, bool Bom, bool FinalNewline)> File =>
        from rows in Rows
        from crlf in Gen.Elements(true, false)
        from bom in Gen.Elements(true, false)
        from finalNewline in Gen.Elements(true, false)
        select (rows, crlf, bom, finalNewline);

    private static byte[] Render(string[][] rows, bool crlf, bool bom, bool finalNewline)
    {
        var nl = crlf ? "\r\n" : "\n";
        var text = MoviesHeader + nl + string.Join(nl, rows.Select(r => string.Join('|', r))) + (finalNewline ? nl : "");
        var bytes = Encoding.UTF8.GetBytes(text);
        return bom ? [.. Encoding.UTF8.GetPreamble(), .. bytes] : bytes;
    }

    [Property(MaxTest = 150)]
    public Property Generated_valid_files_are_accepted_in_any_segmentation() =>
        Prop.ForAll(File.ToArbitrary(), Gen.Choose(1, 1000).ToArbitrary(), (file, seed) =>
        {
            var data = Render(file.Rows, file.Crlf, file.Bom, file.FinalNewline);
            var whole = Whole(data);
            ValidatorTests.AssertSame(whole, Segmented(data, RandomSizes(seed, 64)), "random segments");
            return whole.Accepted && whole.Rows == file.Rows.Length && whole.Bom == file.Bom
                   && whole.LineEnding == (file.Crlf ? "CRLF" : "LF") && whole.Bytes == data.Length;
        });

    /// <summary>A fault: which column it lands in, what it does to the field, and the code it must raise.</summary>
    private sealed record Fault(string Column, Func<string, string> Apply, string Code, int OffsetInField = 0);

    private static readonly Fault[] Faults =
    [
        new("anoLancamento", _ => "19x9", ErrorCodes.InvalidValue),
        new("notaMedia", _ => "7,5", ErrorCodes.InvalidValue),
        new("id", _ => "tt12", ErrorCodes.InvalidValue),
        new("generoArtista", _ => "self", ErrorCodes.InvalidValue),
        new("genero", _ => "Drama, Music", ErrorCodes.InvalidValue),
        new("titulosMaisConhecidos", _ => "tt1234567,", ErrorCodes.InvalidValue),
        new("id", _ => "\\N", ErrorCodes.NullNotAllowed),
        new("nomeArtista", _ => "", ErrorCodes.EmptyField),
        new("tituloPincipal", v => "\0" + v, ErrorCodes.NulByte),
        new("tituloOriginal", v => "\r" + v, ErrorCodes.BareCr),
        new("nomeArtista", v => "\uFFFF" + v, "invalid-utf8-marker"),
        new("profissao", v => v + "|extra", ErrorCodes.FieldCount),
    ];

    [Property(MaxTest = 200)]
    public Property One_injected_fault_is_found_at_its_line_column_and_offset() =>
        Prop.ForAll(File.ToArbitrary(), Gen.Choose(0, Faults.Length - 1).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (file, faultIndex, pick) =>
        {
            var fault = Faults[faultIndex];
            var rows = file.Rows.Select(r => (string[])r.Clone()).ToArray();
            var rowIndex = pick % rows.Length;
            var column = Array.IndexOf(MoviesColumns, fault.Column);
            rows[rowIndex][column] = fault.Apply(rows[rowIndex][column]);
            var data = Render(rows, file.Crlf, file.Bom, file.FinalNewline);
            var expectedCode = fault.Code;
            if (expectedCode == "invalid-utf8-marker")
            {
                // U+FFFF encodes as EF BF BF; make it an invalid lone lead byte followed by ASCII.
                var at = IndexOf(data, [0xEF, 0xBF, 0xBF]);
                data = [.. data[..at], 0xC3, .. data[(at + 3)..]];
                expectedCode = ErrorCodes.InvalidUtf8;
            }
            var line = rowIndex + 2;
            var fieldStart = ValidatorTests.FieldOffset(data, line, column);
            var r = Whole(data);
            ValidatorTests.AssertSame(r, Segmented(data, RandomSizes(pick, 50)), "random segments");
            var e = r.Errors.SingleOrDefault();
            return (!r.Accepted && r.ErrorCount == 1 && e is not null && e.Code == expectedCode && e.Line == line
                    && e.ByteOffset == (expectedCode == ErrorCodes.FieldCount ? ValidatorTests.FieldOffset(data, line, 0) : fieldStart)
                    && e.Column == (expectedCode == ErrorCodes.FieldCount ? "" : fault.Column))
                .Label($"fault {fault.Code} in {fault.Column} at line {line}: got {string.Join("; ", r.Errors.Select(x => $"{x.Code} line {x.Line} {x.Column} @{x.ByteOffset}"))}, expected offset {fieldStart}");
        });

    private static int IndexOf(byte[] data, byte[] pattern) => data.AsSpan().IndexOf(pattern);
}
