namespace IngestLambda.Generate;

/// <summary>
/// The parts of a text file that <c>make generate</c> owns, between two marker comments:
/// <code>
///   # BEGIN GENERATED: named queries (make generate; do not edit)
///   …
///   # END GENERATED: named queries
/// </code>
/// Everything outside the markers is kept as it is; a section's lines are written at its BEGIN marker's indentation.
/// </summary>
internal static class GeneratedSections
{
    public const string Begin = "# BEGIN GENERATED: ";
    public const string End = "# END GENERATED: ";
    public const string Notice = " (make generate; do not edit)";

    /// <summary>
    /// Replaces each section's lines by what <paramref name="sections"/> produces for its name. Every name must appear
    /// exactly once, and every marker must belong to a known section: a broken marker is an error, never skipped.
    /// </summary>
    public static string Rewrite(string text, IReadOnlyDictionary<string, Func<IEnumerable<string>>> sections)
    {
        var lines = text.Split('\n');
        var output = new List<string>(lines.Length);
        var done = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.StartsWith(End, StringComparison.Ordinal))
                throw Bad(i, $"'{trimmed}' closes no open section");
            if (!trimmed.StartsWith(Begin, StringComparison.Ordinal))
            {
                output.Add(lines[i]);
                continue;
            }
            if (!trimmed.EndsWith(Notice, StringComparison.Ordinal))
                throw Bad(i, $"a generated section's first line reads '{Begin}<name>{Notice}'");
            var name = trimmed[Begin.Length..^Notice.Length];
            if (!sections.TryGetValue(name, out var produce))
                throw Bad(i, $"unknown generated section '{name}' (known: {string.Join(", ", sections.Keys)})");
            if (!done.Add(name))
                throw Bad(i, $"the generated section '{name}' appears twice");
            var end = FindEnd(lines, i, name);
            var indent = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
            output.Add(lines[i]);
            output.AddRange(produce().Select(line => line.Length == 0 ? "" : indent + line));
            output.Add(lines[end]);
            i = end;
        }
        var missing = sections.Keys.Where(name => !done.Contains(name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"No generated section {string.Join(", ", missing.Select(n => $"'{n}'"))}: mark where it goes with '{Begin}<name>{Notice}' and '{End}<name>'.");
        }
        return string.Join('\n', output);
    }

    private static int FindEnd(string[] lines, int begin, string name)
    {
        for (var j = begin + 1; j < lines.Length; j++)
        {
            var trimmed = lines[j].Trim();
            if (trimmed == End + name)
                return j;
            if (trimmed.StartsWith(Begin, StringComparison.Ordinal) || trimmed.StartsWith(End, StringComparison.Ordinal))
                break;
        }
        throw Bad(begin, $"the generated section '{name}' has no '{End}{name}' line before the next marker or the end");
    }

    private static InvalidDataException Bad(int index, string problem) => new($"line {index + 1}: {problem}.");
}
