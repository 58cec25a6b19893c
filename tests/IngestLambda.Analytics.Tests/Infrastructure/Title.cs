namespace IngestLambda.Analytics.Tests.Infrastructure;

/// <summary>An artist as the files spell one out: no id, just these five columns (null is <c>\N</c>).</summary>
internal sealed record Artist(string Name, string? Birth, string? Death, string? Professions, string? KnownTitles);

/// <summary>One title of a generated file; it becomes one row per artist, its own columns repeated on each.</summary>
internal sealed record Title(string Id, string? Year, string? Genres, string? Rating, string? Votes, IReadOnlyList<Artist> Artists)
{
    public string Name { get; init; } = "\"Crocodile\" Dundee";
    public string? Character { get; init; } = "\"";
}
