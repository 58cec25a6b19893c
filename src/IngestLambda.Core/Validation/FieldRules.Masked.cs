using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

// The engine's form of the field rules: whole fields judged from one 64-bit word or from the bit masks of the 64 bytes
// at the field's start (ByteMasks.ClassifyField), instead of byte loops. Same verdicts as CheckValue, which it falls
// back to where the bytes after the field are not there to read or the field is too long for one mask.
internal sealed partial class CompiledColumn
{
    /// <summary>The longest field judged by masks: id lists need 8 bits of room above the field (see <see cref="IsIdListMasked"/>).</summary>
    private const int MaxMaskedField = 56;

    private static readonly ushort NullWord = BitConverter.IsLittleEndian ? (ushort)('\\' | ('N' << 8)) : (ushort)(('\\' << 8) | 'N');

    private readonly (int Length, ulong Word)[]? _enumWords; // null unless every value fits one 64-bit word
    private readonly bool _maskable; // a fast rule, \N the only missing value, and a little-endian machine

    /// <summary>
    /// Checks the field <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>] like
    /// <see cref="CheckValue"/>, reading up to 64 bytes from <paramref name="start"/> when <paramref name="text"/> has
    /// them (the bytes after the field are read but never judged).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the engine's field loop: most fields take one short path
    public string? Check(ReadOnlySpan<byte> text, int start, int end)
    {
        var length = end - start;
        if (!_maskable || text.Length - start < ByteMasks.BlockBytes || length > MaxMaskedField)
            return CheckValue(text[start..end]);
        ref var at = ref Unsafe.Add(ref MemoryMarshal.GetReference(text), start);
        if (length == 2 && Unsafe.ReadUnaligned<ushort>(ref at) == NullWord)
            return Nullable ? null : ErrorCodes.NullNotAllowed;
        if (length == 0)
            return AllowEmpty ? null : ErrorCodes.EmptyField;
        var valid = Rule switch
        {
            ColumnRule.Text => true,
            ColumnRule.Year => length == 4 && DigitsInWord(ref at, 4),
            ColumnRule.WholeNumber => length <= 8 ? DigitsInWord(ref at, length) : AllDigits(text[start..end]),
            ColumnRule.Id => IsIdListMasked(ref at, length, single: true),
            ColumnRule.IdList => IsIdListMasked(ref at, length, single: false),
            ColumnRule.List => IsListMasked(ref at, length, NoSpacesAroundCommas),
            ColumnRule.Enum when _enumWords is { } words => IsOneOfWords(words, ref at, length),
            _ => CheckValue(text[start..end]) is null, // rating (a few bytes), enums with long values
        };
        return valid ? null : ErrorCodes.InvalidValue;
    }

    /// <summary>Whether the first <paramref name="length"/> (1..8) bytes of the word at <paramref name="at"/> are all digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool DigitsInWord(ref byte at, int length)
    {
        var x = Unsafe.ReadUnaligned<ulong>(ref at);
        // As in CountDigits; bytes past the field can only carry into later bytes, which are masked off.
        var notDigit = ((x & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030) | (((x + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030);
        return (notDigit & (ulong.MaxValue >> (64 - 8 * length))) == 0;
    }

    /// <summary>
    /// Ids ('tt' and 7 or more digits), comma-separated unless <paramref name="single"/>, judged on masks: every byte is
    /// a digit, 't' or comma; the 't's are exactly the pairs at the start and after each comma; and no comma or the end
    /// falls within the 7 bytes after a pair.
    /// </summary>
    private static bool IsIdListMasked(ref byte at, int length, bool single)
    {
        var classes = ByteMasks.ClassifyField(ref at);
        var field = ulong.MaxValue >> (64 - length); // length is 1..56
        var commas = classes.Commas & field;
        if ((single && commas != 0) || ((classes.Digits | classes.Tees | commas) & field) != field)
            return false;
        var starts = (1UL | (commas << 1)) & field; // where an id begins; a trailing comma begins none
        if ((classes.Tees & field) != (starts | (starts << 1)) || (commas >> (length - 1)) != 0)
            return false;
        var digitsOfId = starts << 2; // offsets 2..8 from each start must hold digits: no comma, no end
        digitsOfId |= digitsOfId << 1;
        digitsOfId |= digitsOfId << 2;
        digitsOfId |= digitsOfId << 3;
        return (digitsOfId & (commas | (1UL << length))) == 0;
    }

    /// <summary>Non-empty items: no comma at either end or next to another; optionally no space at an end or beside a comma.</summary>
    private static bool IsListMasked(ref byte at, int length, bool noSpacesAroundCommas)
    {
        var classes = ByteMasks.ClassifyField(ref at);
        var field = ulong.MaxValue >> (64 - length);
        var ends = 1UL | (1UL << (length - 1));
        var commas = classes.Commas & field;
        var bad = (commas & ends) | (commas & (commas >> 1));
        if (noSpacesAroundCommas)
        {
            var spaces = classes.Spaces & field;
            bad |= (spaces & ends) | (commas & (spaces >> 1)) | (commas & (spaces << 1));
        }
        return bad == 0;
    }

    private static bool IsOneOfWords((int Length, ulong Word)[] words, ref byte at, int length)
    {
        if (length > 8)
            return false;
        var x = Unsafe.ReadUnaligned<ulong>(ref at) & (ulong.MaxValue >> (64 - 8 * length));
        foreach (var (valueLength, word) in words)
        {
            if (valueLength == length && word == x)
                return true;
        }
        return false;
    }

    /// <summary>The enum values as little-endian words, when every value is 1..8 bytes long.</summary>
    private static (int, ulong)[]? EnumWords(byte[][] values)
    {
        if (!BitConverter.IsLittleEndian || values.Length == 0 || values.Any(v => v.Length is 0 or > 8))
            return null;
        return [.. values.Select(v =>
        {
            Span<byte> word = stackalloc byte[8];
            v.CopyTo(word);
            return (v.Length, BitConverter.ToUInt64(word));
        })];
    }
}
