using System.Text;
using System.Text.RegularExpressions;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests;

/// <summary>
/// The repository explains itself: no tracked file points to the design notes outside it, where the contracts were
/// first written. Code comments and docs cite docs/contracts.md and the other pages of docs/ instead.
/// </summary>
public sealed partial class SelfContainedRepositoryTests
{
    [Fact]
    public async Task No_tracked_file_cites_a_document_outside_the_repository()
    {
        var listing = await ProcessRunner.RunAsync("git", ["ls-files", "-z"], RepoPaths.Root, TimeSpan.FromSeconds(30));
        Assert.True(listing.ExitCode == 0, $"git ls-files failed in {RepoPaths.Root}: {listing}");
        var files = listing.StdOut.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("docs/contracts.md", files);

        var citations = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(RepoPaths.Root, file);
            if (!File.Exists(path)) // deleted in the work tree, not yet in the index
                continue;
            var bytes = await File.ReadAllBytesAsync(path);
            if (Array.IndexOf(bytes, (byte)0) >= 0) // binary (images)
                continue;
            var lines = Encoding.UTF8.GetString(bytes).Split('\n');
            citations.AddRange(lines.Select((line, i) => (line, i))
                .Where(l => OutsideDocument().IsMatch(l.line))
                .Select(l => $"{file}:{l.i + 1}: {l.line.Trim()}"));
        }
        Assert.True(citations.Count == 0,
            "These lines cite a document outside the repository; cite docs/contracts.md (and its section) instead:\n"
            + string.Join('\n', citations));
    }

    // The two design notes by name, or the shared folder beside the repository; spelled so that this file does not
    // match itself.
    [GeneratedRegex(@"(?<![A-Za-z])(?:DESIGN|DATA)\.md|\.\./shared\b")]
    private static partial Regex OutsideDocument();
}
