using System.Text.RegularExpressions;

namespace IngestLambda.Generate;

/// <summary>YAML scalars written so that any text reads back unchanged: plain where that is safe, else single-quoted.</summary>
internal static partial class Yaml
{
    /// <summary>A value in block context (<c>Key: value</c>).</summary>
    public static string Scalar(string text) => PlainInBlock().IsMatch(text) && !ReadAsOtherType().IsMatch(text) ? text : Quoted(text);

    /// <summary>A value inside a flow mapping (<c>{ Name: value }</c>), where commas and brackets end a plain scalar.</summary>
    public static string FlowScalar(string text) => PlainInFlow().IsMatch(text) && !ReadAsOtherType().IsMatch(text) ? text : Quoted(text);

    /// <summary>Blocks of lines (resources), one blank line apart.</summary>
    public static IEnumerable<string> Blocks(IEnumerable<IEnumerable<string>> blocks) =>
        blocks.SelectMany((block, i) => i == 0 ? block : block.Prepend(""));

    /// <summary>Always single-quoted: delimiters and null spellings read back as written.</summary>
    public static string Quoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    // Starts with a letter or digit, holds no character YAML could read as structure (':', '#', brackets, quotes at
    // the start), and ends without a space. Anything else is quoted: '\N' stays two characters either way.
    [GeneratedRegex(@"^[A-Za-z0-9][^:#\[\]{}""\r\n\t]*(?<! )$")]
    private static partial Regex PlainInBlock();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainInFlow();

    /// <summary>Plain words and numbers a YAML reader may turn into a boolean, a null or a number.</summary>
    [GeneratedRegex(@"^(?i:y|n|yes|no|true|false|on|off|null|~|[-+.0-9][-+._0-9a-fA-FxXoOeE:]*)$")]
    private static partial Regex ReadAsOtherType();
}
