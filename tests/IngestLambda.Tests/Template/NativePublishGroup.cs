using IngestLambda.Tests.EndToEnd;

namespace IngestLambda.Tests.Template;

/// <summary>
/// Tests that run `dotnet publish` of the function share its obj/ folder: they go into this one collection so
/// that xunit runs them one after the other, never two publishes at once. The collection publishes
/// artifacts/function/bootstrap once (when stale) for the tests that run the real binary.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NativePublishGroup : ICollectionFixture<PublishedFunction>
{
    public const string Name = "Native AOT publish";
}
