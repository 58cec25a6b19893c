using System.Text;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>An error as the reference sees it: its line, its byte offset in the content, its code.</summary>
internal readonly record struct ReferenceError(long Line, long Offset, string Code);

/// <summary>The reference verdict on a file.</summary>
internal sealed record ReferenceVerdict(bool Accepted, string? Dataset, long Rows, long ErrorCount, IReadOnlyList<ReferenceError> Errors);

/// <summary>
/// The data rules of README.md "What a file must pass" (and docs/contracts.md) written again, slow and obvious, with
/// nothing shared with the engine but the schemas (data): split the bytes into lines, each line into fields, and
/// judge each byte and field in order. The property tests and the fuzz harness (bench/IngestLambda.Fuzz links this
/// file) compare the engine with it. What it encodes, rule by rule:
/// <list type="bullet">
/// <item>a UTF-8 BOM at the very start is skipped; nothing after it is an empty file;</item>
/// <item>lines end with LF; a CR right before the LF is part of the line ending, any other CR is bare-cr;</item>
/// <item>the header is line 1 and must equal a dataset's header byte for byte (unknown-header);</item>
/// <item>a line whose content is longer than MaxLineBytes is line-too-long and nothing else;</item>
/// <item>per line, the first NUL, the first bare CR and the first invalid UTF-8 sequence are errors at their offset;
///   a field holding a NUL or a bare CR, or the first invalid sequence, is not judged by its column's rule;</item>
/// <item>a data line with the wrong number of fields is one field-count error at the line's start, and its fields
///   are not judged;</item>
/// <item>otherwise each field: \N is null (null-not-allowed unless nullable), empty is empty-field unless the text
///   column allows it, then the column's rule;</item>
/// <item>a known header with no data line is no-data-rows; errors are listed in line order, within a line by offset.</item>
/// </list>
/// </summary>
internal static class ReferenceChecker
{
    public static ReferenceVerdict Check(byte[] file, SchemaCatalog? schemas = null, int maxLineBytes = ValidationOptions.DefaultMaxLineBytes)
    {
        schemas ??= SchemaCatalog.BuiltIn;
        var errors = new List<ReferenceError>();
        var start = file.Length >= 3 && file[0] == 0xEF && file[1] == 0xBB && file[2] == 0xBF ? 3 : 0;
        if (file.Length == start)
            return new ReferenceVerdict(false, null, 0, 1, [new ReferenceError(0, 0, ErrorCodes.EmptyFile)]);

        var lines = SplitLines(file, start);
        DatasetSchema? dataset = null;
        var (headerStart, headerContent) = lines[0];
        if (headerContent.Length > maxLineBytes)
            errors.Add(new ReferenceError(1, headerStart, ErrorCodes.LineTooLong));
        else
            dataset = schemas.Datasets.FirstOrDefault(d => headerContent.SequenceEqual(Encoding.UTF8.GetBytes(d.Header)));
        if (dataset is null && headerContent.Length <= maxLineBytes)
            errors.Add(new ReferenceError(1, headerStart, ErrorCodes.UnknownHeader));

        for (var i = 1; i < lines.Count; i++)
        {
            var (offset, content) = lines[i];
            errors.AddRange(CheckLine(i + 1, offset, content, dataset, maxLineBytes).OrderBy(e => e.Offset));
        }
        var rows = lines.Count - 1;
        if (dataset is not null && rows == 0)
            errors.Add(new ReferenceError(0, file.Length, ErrorCodes.NoDataRows));
        return new ReferenceVerdict(errors.Count == 0 && dataset is not null && rows > 0, dataset?.Name, rows, errors.Count, errors);
    }

    /// <summary>Each line's offset and content (without LF, or CRLF); a last line without LF counts when not empty.</summary>
    private static List<(long Offset, byte[] Content)> SplitLines(byte[] file, int start)
    {
        var lines = new List<(long, byte[])>();
        var lineStart = start;
        for (var i = start; i < file.Length; i++)
        {
            if (file[i] != (byte)'\n')
                continue;
            var end = i > lineStart && file[i - 1] == (byte)'\r' ? i - 1 : i;
            lines.Add((lineStart, file[lineStart..end]));
            lineStart = i + 1;
        }
        if (lineStart < file.Length)
            lines.Add((lineStart, file[lineStart..]));
        return lines;
    }

    private static List<ReferenceError> CheckLine(long line, long offset, byte[] content, DatasetSchema? dataset, int maxLineBytes)
    {
        if (content.Length > maxLineBytes)
            return [new ReferenceError(line, offset, ErrorCodes.LineTooLong)];
        var errors = new List<ReferenceError>();
        var untrusted = new HashSet<int>(); // fields not judged by their rule
        var field = 0;
        bool nul = false, cr = false;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'|')
                field++;
            if (content[i] == 0 || content[i] == (byte)'\r')
            {
                untrusted.Add(field);
                var code = content[i] == 0 ? ErrorCodes.NulByte : ErrorCodes.BareCr;
                if (content[i] == 0 ? !nul : !cr)
                    errors.Add(new ReferenceError(line, offset + i, code));
                nul |= content[i] == 0;
                cr |= content[i] == (byte)'\r';
            }
        }
        if (FirstInvalidUtf8(content) is var bad and >= 0)
        {
            errors.Add(new ReferenceError(line, offset + bad, ErrorCodes.InvalidUtf8));
            untrusted.Add(content[..bad].Count(b => b == (byte)'|'));
        }
        if (dataset is null)
            return errors;

        var fields = Split(content);
        if (fields.Count != dataset.Columns.Count)
        {
            errors.Add(new ReferenceError(line, offset, ErrorCodes.FieldCount));
            return errors;
        }
        var fieldStart = 0;
        for (var f = 0; f < fields.Count; f++)
        {
            if (!untrusted.Contains(f) && Judge(dataset.Columns[f], fields[f]) is { } code)
                errors.Add(new ReferenceError(line, offset + fieldStart, code));
            fieldStart += fields[f].Length + 1;
        }
        return errors;
    }

    private static List<byte[]> Split(byte[] content)
    {
        var fields = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= content.Length; i++)
        {
            if (i == content.Length || content[i] == (byte)'|')
            {
                fields.Add(content[start..i]);
                start = i + 1;
            }
        }
        return fields;
    }

    /// <summary>Where the first byte sequence that is not UTF-8 starts (strict: no overlongs, surrogates or values above U+10FFFF), or -1.</summary>
    private static int FirstInvalidUtf8(byte[] s)
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (var i = 0; i < s.Length;)
        {
            var length = s[i] < 0x80 ? 1 : s[i] >= 0xC2 && s[i] <= 0xDF ? 2 : s[i] >= 0xE0 && s[i] <= 0xEF ? 3 : s[i] >= 0xF0 && s[i] <= 0xF4 ? 4 : 0;
            if (length == 0 || i + length > s.Length)
                return i;
            try
            {
                strict.GetString(s, i, length);
            }
            catch (DecoderFallbackException)
            {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /// <summary>One field against its column: null, empty, then the rule (README.md's list of rules).</summary>
    private static string? Judge(ColumnSchema column, byte[] value)
    {
        var text = Encoding.UTF8.GetString(value);
        if (text == "\\N")
            return column.Nullable ? null : ErrorCodes.NullNotAllowed;
        if (text.Length == 0)
            return column.Rule == ColumnRule.Text && column.AllowEmpty ? null : ErrorCodes.EmptyField;
        var valid = column.Rule switch
        {
            ColumnRule.Text => true,
            ColumnRule.Id => IsId(text),
            ColumnRule.Year => text.Length == 4 && text.All(char.IsAsciiDigit),
            ColumnRule.WholeNumber => text.All(char.IsAsciiDigit),
            ColumnRule.Rating => IsRating(text),
            ColumnRule.List => text.Split(',').All(item => item.Length > 0 && !(column.NoSpacesAroundCommas && (item.StartsWith(' ') || item.EndsWith(' ')))),
            ColumnRule.IdList => text.Split(',').All(IsId),
            ColumnRule.Enum => column.Values!.Contains(text),
            _ => false,
        };
        return valid ? null : ErrorCodes.InvalidValue;
    }

    private static bool IsId(string s) => s.Length >= 9 && s.StartsWith("tt", StringComparison.Ordinal) && s[2..].All(char.IsAsciiDigit);

    /// <summary>One or two digits, a dot, one or more digits; from 0.0 to 10.0.</summary>
    private static bool IsRating(string s)
    {
        var parts = s.Split('.');
        if (parts.Length != 2 || parts[0].Length is < 1 or > 2 || parts[1].Length == 0 || !parts[0].All(char.IsAsciiDigit) || !parts[1].All(char.IsAsciiDigit))
            return false;
        var whole = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        return whole < 10 || (whole == 10 && parts[1].All(c => c == '0'));
    }
}
