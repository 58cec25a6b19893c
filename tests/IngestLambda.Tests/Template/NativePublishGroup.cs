namespace IngestLambda.Tests.Template;

/// <summary>
/// Tests that run `dotnet publish` of the function share its obj/ folder: they go into this one collection so
/// that xunit runs them one after the other, never two publishes at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NativePublishGroup
{
    public const string Name = "Native AOT publish";
}
