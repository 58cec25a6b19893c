using IngestLambda.Tests.EndToEnd;
using IngestLambda.Tests.Reliability;

namespace IngestLambda.Tests.Template;

/// <summary>
/// Tests that run `dotnet publish` of the function share its obj/ folder: they go into this one collection so
/// that xunit runs them one after the other, never two publishes at once. The collection publishes
/// artifacts/function/bootstrap once (when stale) for the tests that run the real binary, and holds the 2 GiB
/// landing object the Large tests share (<see cref="LargeLanding"/>, uploaded only when one of them asks).
/// </summary>
[CollectionDefinition(Name)]
public sealed class NativePublishGroup : ICollectionFixture<PublishedFunction>, ICollectionFixture<LargeLanding>
{
    public const string Name = "Native AOT publish";
}
