namespace IngestLambda.Tests.Architecture;

/// <summary>
/// The function's layers (README "How it works"): each imports only the ones below it, so the architecture can be
/// read from the folder list and no change can quietly tie a lower layer to a higher one.
/// </summary>
public class LayeringTests
{
    /// <summary>Lowest first. Namespaces in one row are peers and may not use each other.</summary>
    internal static readonly string[][] FunctionLayers =
    [
        ["IngestLambda.Events", "IngestLambda.Observability"],
        ["IngestLambda.Configuration"],
        ["IngestLambda.Lake.Trusted"],
        ["IngestLambda.Lake"],
        ["IngestLambda.Notifications"],
        ["IngestLambda.Pipeline"],
        ["IngestLambda.Host"],
        ["IngestLambda.Host.Operations", "IngestLambda.Host.Runtime"],
        ["IngestLambda.Host.Cli"],
        ["IngestLambda"],
    ];

    /// <summary>ConsoleAppFramework, a source generator, writes the command-line parser into the Cli layer's assembly.</summary>
    internal static readonly Dictionary<string, string> Generated = new() { ["ConsoleAppFramework"] = "IngestLambda.Host.Cli" };

    [Fact]
    public void No_namespace_of_the_function_uses_one_in_a_higher_layer_or_a_peer()
    {
        var violations = LayerRules.Violations(typeof(Pipeline.IngestFunction).Assembly.Location, FunctionLayers, Generated);
        Assert.True(violations.Count == 0, "Upward or sideways references:\n" + string.Join('\n', violations));
    }

    /// <summary>
    /// The shared library under every executable, lowest first: the dataset model and the syntax of its values; reading
    /// contract files into it; the profile; the validator; and what builds on the validator (drafting contracts from a
    /// sample, drift between profiles, reports).
    /// </summary>
    internal static readonly string[][] CoreLayers =
    [
        ["IngestLambda.Core"],
        ["IngestLambda.Core.Schemas", "IngestLambda.Core.Lake"],
        ["IngestLambda.Core.Contracts"],
        ["IngestLambda.Core.Profiling"],
        ["IngestLambda.Core.Validation"],
        ["IngestLambda.Core.Contracts.Inference", "IngestLambda.Core.Quality", "IngestLambda.Core.Reports"],
    ];

    [Fact]
    public void No_namespace_of_the_core_library_uses_one_in_a_higher_layer_or_a_peer()
    {
        var violations = LayerRules.Violations(typeof(Core.Validation.CsvValidator).Assembly.Location, CoreLayers);
        Assert.True(violations.Count == 0, "Upward or sideways references:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_rule_catches_an_upward_reference()
    {
        // The same assembly read with Pipeline placed below Lake: Pipeline's use of Lake must now count as upward.
        var swapped = FunctionLayers.Select(l => l).ToArray();
        var (lake, pipeline) = (Array.FindIndex(swapped, l => l[0] == "IngestLambda.Lake"), Array.FindIndex(swapped, l => l[0] == "IngestLambda.Pipeline"));
        (swapped[lake], swapped[pipeline]) = (swapped[pipeline], swapped[lake]);
        var violations = LayerRules.Violations(typeof(Pipeline.IngestFunction).Assembly.Location, swapped, Generated);
        Assert.Contains(violations, v => v.StartsWith("IngestLambda.Pipeline -> IngestLambda.Lake", StringComparison.Ordinal));
    }
}
