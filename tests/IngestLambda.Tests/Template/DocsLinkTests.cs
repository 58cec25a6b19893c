using System.Text.RegularExpressions;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>
/// The README and docs/ explain the repository on their own: every relative link stays inside it and reaches a file
/// (and, for a #section, a heading) that a clone has. (SelfContainedRepositoryTests keeps every tracked file from
/// naming documents outside the repository.)
/// </summary>
public sealed partial class DocsLinkTests
{
    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string> { "README.md" };
        foreach (var path in Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md").Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Relative_links_reach_a_file_of_the_repository(string document)
    {
        var source = Path.Combine(RepoPaths.Root, document);
        foreach (Match link in MarkdownLink().Matches(File.ReadAllText(source)))
        {
            var target = link.Groups[1].Value;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                continue;
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var (file, anchor) = hash < 0 ? (target, null) : (target[..hash], target[(hash + 1)..]);
            var path = file.Length == 0 ? source : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, file));
            var relative = Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/');

            Assert.False(relative.StartsWith("..", StringComparison.Ordinal), $"{document}: '{target}' points outside the repository");
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{document}: '{target}' names no file of the repository");
            if (anchor is not null)
                Assert.True(Anchors(path).Contains(anchor), $"{document}: '{target}': {relative} has no heading '#{anchor}'");
        }
    }

    /// <summary>The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Anchors(string path) =>
        File.ReadLines(path).Where(line => line.StartsWith('#'))
            .Select(line => NotInAnchor().Replace(line.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"[^a-z0-9 _-]")]
    private static partial Regex NotInAnchor();
}
