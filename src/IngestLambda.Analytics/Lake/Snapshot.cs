using System.Globalization;

namespace IngestLambda.Analytics.Lake;

/// <summary>Which days of each dataset a run reads (issue #10's snapshot rule).</summary>
internal abstract record SnapshotChoice
{
    /// <summary>Per dataset, its newest date folder that holds at least one data file.</summary>
    public sealed record Newest : SnapshotChoice;

    /// <summary>One day, for every dataset that has files that day.</summary>
    public sealed record Day(DateOnly Date) : SnapshotChoice;

    /// <summary>Every day; where an id appears on several days, the newest day's rows win.</summary>
    public sealed record All : SnapshotChoice;

    /// <summary>How messages name the choice.</summary>
    public string Describe() => this switch
    {
        Day day => day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        All => "--all",
        _ => "newest",
    };
}

/// <summary>The files one dataset contributes to the answers.</summary>
internal sealed record DatasetSnapshot(string Dataset, IReadOnlyList<DataFile> Files)
{
    public DateOnly FirstDate => Files.Min(file => file.Date);

    public DateOnly LastDate => Files.Max(file => file.Date);

    /// <summary>The day, or for --all the range of days as an ISO 8601 interval (first/last).</summary>
    public string DateLabel => FirstDate == LastDate
        ? Iso(LastDate)
        : $"{Iso(FirstDate)}/{Iso(LastDate)}";

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Applies the rule to every file found under the raw prefix; datasets without a file in it are left out.</summary>
    public static IReadOnlyList<DatasetSnapshot> Select(IEnumerable<DataFile> files, SnapshotChoice choice) =>
        files.GroupBy(file => file.Dataset, StringComparer.Ordinal)
            .Select(dataset =>
            {
                IEnumerable<DataFile> chosen = choice switch
                {
                    SnapshotChoice.All => dataset,
                    SnapshotChoice.Day day => dataset.Where(file => file.Date == day.Date),
                    _ => dataset.Where(file => file.Date == dataset.Max(f => f.Date)),
                };
                return new DatasetSnapshot(dataset.Key, chosen.OrderBy(file => file.Date).ThenBy(file => file.Name, StringComparer.Ordinal).ToList());
            })
            .Where(snapshot => snapshot.Files.Count > 0)
            .OrderBy(snapshot => snapshot.Dataset, StringComparer.Ordinal)
            .ToList();
}
