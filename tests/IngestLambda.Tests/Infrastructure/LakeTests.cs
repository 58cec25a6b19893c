namespace IngestLambda.Tests.Infrastructure;

/// <summary>
/// Base of the test classes that run the function in-process against the shared moto_server: they join its
/// collection (xunit takes [Collection] from this base class) and start each test from a fresh lake.
/// </summary>
[Collection(MotoServerGroup.Name)]
// moto_server: not in make test-unit (Infrastructure/UnitOnly.cs). xunit gives this trait only to derived classes
// without [Trait] attributes of their own; those repeat it.
[Trait("Category", "Integration")]
public abstract class LakeTests(MotoServer moto)
{
    /// <summary>The landing key most tests put the movies sample at.</summary>
    protected const string Key = "landing/movies.csv";

    /// <summary>The default Raw prefix (RAW_PREFIX), under which each dataset has its folder.</summary>
    protected const string Raw = "Raw/Local/CSV/";

    /// <summary>The shared moto_server, for tests that give its endpoint to a process or another client.</summary>
    protected MotoServer Moto => moto;

    /// <summary>A new, uniquely named bucket (versioned unless asked otherwise) on the shared moto_server.</summary>
    private protected Task<TestLake> NewLakeAsync(bool versioned = true) => TestLake.CreateAsync(moto, versioned);
}
