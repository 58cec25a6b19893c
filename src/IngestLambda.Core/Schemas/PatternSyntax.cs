using System.Text.RegularExpressions;

namespace IngestLambda.Core.Schemas;

/// <summary>
/// How a contract's <c>pattern</c> constraint is read: a .NET regular expression matched against the whole value, by
/// the non-backtracking engine (so no backreferences or lookarounds). The contract reader uses it to report a pattern
/// it cannot use; the validator, to compile the one it checks.
/// </summary>
public static class PatternSyntax
{
    public static bool TryCompile(string pattern, out Regex regex, out string? problem)
    {
        regex = null!;
        problem = null;
        try
        {
            regex = new Regex($@"\A(?:{pattern})\z", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            problem = $"'{pattern}' is not a usable regular expression: {e.Message}";
            return false;
        }
    }
}
