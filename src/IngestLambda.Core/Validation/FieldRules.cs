using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

/// <summary>
/// A column's rule, compiled once per file for the hot path. This file holds the definition (<see cref="CheckValue"/>,
/// byte loops over the field alone); FieldRules.Masked.cs the engine's faster form with the same verdicts.
/// </summary>
internal sealed partial class CompiledColumn
{
    private readonly byte[][] _enumValues;
    private readonly byte[][] _missingValues;
    private readonly bool _onlyBackslashN; // the missing value is \N alone, as in the IMDB feeds: compared as one word
    private readonly ValueRule? _generic;  // the contract's type and constraints, for ColumnRule.Generic

    public CompiledColumn(ColumnSchema column)
    {
        Name = column.Name;
        Rule = column.Rule;
        Nullable = column.Nullable;
        AllowEmpty = column.Rule == ColumnRule.Text && column.AllowEmpty;
        NoSpacesAroundCommas = column.NoSpacesAroundCommas;
        _enumValues = [.. (column.Values ?? []).Select(Encoding.UTF8.GetBytes)];
        if (Rule == ColumnRule.Enum && _enumValues.Length == 0)
            throw new InvalidDataException($"Column '{Name}' has rule 'enum' but no values.");
        _enumWords = EnumWords(_enumValues);
        _missingValues = [.. column.MissingValues.Select(Encoding.UTF8.GetBytes)];
        _onlyBackslashN = _missingValues is [[(byte)'\\', (byte)'N']];
        _generic = Rule == ColumnRule.Generic ? new ValueRule(column) : null;
        _maskable = BitConverter.IsLittleEndian && _onlyBackslashN && _generic is null;
        TextCheckBytes = Math.Max(2, _missingValues.Select(v => v.Length).DefaultIfEmpty(0).Max());
    }

    public string Name { get; }
    public ColumnRule Rule { get; }
    public bool Nullable { get; }
    public bool AllowEmpty { get; }
    public bool NoSpacesAroundCommas { get; }

    /// <summary>
    /// For <see cref="ColumnRule.Text"/>: only text this short can break the rule (be empty or a missing value), so
    /// longer text needs no look (2 bytes: <c>\N</c>).
    /// </summary>
    public int TextCheckBytes { get; }

    /// <summary>Checks one field (without its separators). Returns null when it is valid, else the rule code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public string? Check(ReadOnlySpan<byte> field) =>
        Rule == ColumnRule.Text && field.Length > TextCheckBytes ? null : CheckValue(field); // most text needs no look

    /// <summary>Like <see cref="Check"/>, but also looks at text longer than <see cref="TextCheckBytes"/> (the engine skips those itself).</summary>
    internal string? CheckValue(ReadOnlySpan<byte> field)
    {
        if (IsMissing(field))
            return Nullable ? null : ErrorCodes.NullNotAllowed;
        if (_generic is { } rule)
            return rule.IsValid(field) ? null : field.IsEmpty ? ErrorCodes.EmptyField : ErrorCodes.InvalidValue;
        if (field.IsEmpty)
            return AllowEmpty ? null : ErrorCodes.EmptyField;
        var valid = Rule switch
        {
            ColumnRule.Text => true, // '|', CR, LF, NUL and invalid UTF-8 are found by the line scan.
            ColumnRule.Id => IsId(field),
            ColumnRule.Year => field.Length == 4 && AllDigits(field),
            ColumnRule.WholeNumber => AllDigits(field),
            ColumnRule.Rating => IsRating(field),
            ColumnRule.List => IsList(field, NoSpacesAroundCommas),
            ColumnRule.IdList => IsIdList(field),
            ColumnRule.Enum => IsOneOf(field),
            _ => false,
        };
        return valid ? null : ErrorCodes.InvalidValue;
    }

    /// <summary>Whether the field is one of the texts that mean null (<see cref="ColumnSchema.MissingValues"/>).</summary>
    internal bool IsMissing(ReadOnlySpan<byte> field)
    {
        if (_onlyBackslashN)
            return field.Length == 2 && field[0] == (byte)'\\' && field[1] == (byte)'N';
        foreach (var missing in _missingValues)
        {
            if (field.SequenceEqual(missing))
                return true;
        }
        return false;
    }

    /// <summary>The sentence for an error of this column: it names the rule that was broken.</summary>
    public string Describe(string code) => code switch
    {
        ErrorCodes.NullNotAllowed => $"{Name} may not be null ({NullSpelling}).",
        ErrorCodes.EmptyField => $"{Name} may not be empty.",
        _ => Rule switch
        {
            ColumnRule.Generic => _generic!.Describe(Name),
            ColumnRule.Id => $"{Name} is not a valid id: expected 'tt' followed by 7 or more digits.",
            ColumnRule.Year => $"{Name} is not a valid year: expected 4 digits.",
            ColumnRule.WholeNumber => $"{Name} is not a valid integer: expected a non-negative whole number.",
            ColumnRule.Rating => $"{Name} is not a valid rating: expected a decimal with a dot from 0.0 to 10.0.",
            ColumnRule.List when NoSpacesAroundCommas => $"{Name} is not a valid list: expected comma-separated non-empty names without spaces around commas.",
            ColumnRule.List => $"{Name} is not a valid list: expected comma-separated non-empty names.",
            ColumnRule.IdList => $"{Name} is not a valid id list: expected comma-separated ids ('tt' followed by 7 or more digits).",
            ColumnRule.Enum => $"{Name} is not valid: expected {string.Join(" or ", _enumValues.Select(v => Encoding.UTF8.GetString(v)))}.",
            _ => $"{Name} is not valid.",
        },
    };

    /// <summary>How null is written, for messages: <c>\N</c>, or the contract's missing values.</summary>
    private string NullSpelling => _missingValues.Length == 0 ? "no missing value is declared"
        : string.Join(" or ", _missingValues.Select(v => v.Length == 0 ? "an empty field" : Encoding.UTF8.GetString(v)));

    // The checks below are plain loops on purpose: fields are a few bytes long, where a vectorised
    // search costs more to set up than it saves.

    private static bool AllDigits(ReadOnlySpan<byte> s) => !s.IsEmpty && CountDigits(s, 0) == s.Length;

    /// <summary>How many ASCII digits stand in a row from <paramref name="start"/>: eight at a time, then one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountDigits(ReadOnlySpan<byte> s, int start)
    {
        ref var first = ref MemoryMarshal.GetReference(s);
        var i = start;
        while (BitConverter.IsLittleEndian && i + 8 <= s.Length)
        {
            var x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, i));
            // Per byte, non-zero unless a digit: its high nibble is 3, and adding 6 keeps it there (0x30..0x39). A carry
            // out of a byte can only start at a non-digit and only reaches later bytes, so the first flagged byte is
            // the first non-digit (bytes are in memory order in a little-endian word).
            var notDigit = ((x & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030) | (((x + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030);
            if (notDigit != 0)
                return i - start + (BitOperations.TrailingZeroCount(notDigit) >> 3);
            i += 8;
        }
        while (i < s.Length && (uint)(Unsafe.Add(ref first, i) - '0') <= 9)
            i++;
        return i - start;
    }

    internal static bool IsId(ReadOnlySpan<byte> s) =>
        s.Length >= 9 && s[0] == (byte)'t' && s[1] == (byte)'t' && CountDigits(s, 2) == s.Length - 2;

    private static bool IsRating(ReadOnlySpan<byte> s)
    {
        // d.d+ or dd.d+ with a value from 0.0 to 10.0.
        var dot = s.Length > 1 && s[1] == (byte)'.' ? 1 : s.Length > 2 && s[2] == (byte)'.' ? 2 : -1;
        if (dot < 0 || dot == s.Length - 1 || !AllDigits(s[..dot]) || !AllDigits(s[(dot + 1)..]))
            return false;
        if (dot == 1 || s[0] == (byte)'0')
            return true;
        if (s[0] != (byte)'1' || s[1] != (byte)'0')
            return false; // 11 and up
        return s[(dot + 1)..].IndexOfAnyExcept((byte)'0') < 0; // 10.0 but nothing above
    }

    private static bool IsList(ReadOnlySpan<byte> s, bool noSpacesAroundCommas)
    {
        // Items are non-empty: no comma at either end or next to another; optionally no space beside a comma or at an end.
        ref var first = ref MemoryMarshal.GetReference(s);
        var last = s.Length - 1;
        if (first == (byte)',' || Unsafe.Add(ref first, last) == (byte)',')
            return false;
        if (noSpacesAroundCommas && (first == (byte)' ' || Unsafe.Add(ref first, last) == (byte)' '))
            return false;
        for (var i = 1; i < last; i++)
        {
            if (Unsafe.Add(ref first, i) != (byte)',')
                continue;
            var before = Unsafe.Add(ref first, i - 1);
            var after = Unsafe.Add(ref first, i + 1);
            if (after == (byte)',' || (noSpacesAroundCommas && (before == (byte)' ' || after == (byte)' ')))
                return false;
        }
        return true;
    }

    private static bool IsIdList(ReadOnlySpan<byte> s)
    {
        // tt + 7 or more digits, then either the end or a comma and another id.
        var i = 0;
        while (true)
        {
            if (s.Length - i < 9 || s[i] != (byte)'t' || s[i + 1] != (byte)'t')
                return false;
            var digits = CountDigits(s, i + 2);
            if (digits < 7)
                return false;
            i += 2 + digits;
            if (i == s.Length)
                return true;
            if (s[i] != (byte)',')
                return false;
            i++;
        }
    }

    private bool IsOneOf(ReadOnlySpan<byte> s)
    {
        foreach (var value in _enumValues)
        {
            if (s.SequenceEqual(value))
                return true;
        }
        return false;
    }
}
