using IngestLambda.Tests.Architecture;

namespace IngestLambda.Analytics.Tests;

/// <summary>`answers`' layers, lowest first: where the files are, the SQL over them, how answers are shown, the command.</summary>
public class LayeringTests
{
    private static readonly string[][] Layers =
    [
        ["IngestLambda.Analytics.Lake"],
        ["IngestLambda.Analytics.Query"],
        ["IngestLambda.Analytics.Output"],
        ["IngestLambda.Analytics.Cli"],
    ];

    [Fact]
    public void No_namespace_of_answers_uses_one_in_a_higher_layer_or_a_peer()
    {
        var violations = LayerRules.Violations(typeof(Analytics.Cli.AnswersCommand).Assembly.Location, Layers);
        Assert.True(violations.Count == 0, "Upward or sideways references:\n" + string.Join('\n', violations));
    }
}
