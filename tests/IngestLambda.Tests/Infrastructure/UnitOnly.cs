namespace IngestLambda.Tests.Infrastructure;

/// <summary>
/// `make test-unit` runs the tests without <c>[Trait("Category", "Integration")]</c> and sets INGESTLAMBDA_UNIT_ONLY=1.
/// A fixture that needs moto_server, the aws CLI or the published bootstrap calls <see cref="Refuse"/>, so a test
/// that needs one but lacks the trait fails there with this message instead of quietly needing a tool after all.
/// </summary>
internal static class UnitOnly
{
    public const string Variable = "INGESTLAMBDA_UNIT_ONLY";

    public static void Refuse(string need)
    {
        if (Environment.GetEnvironmentVariable(Variable) == "1")
        {
            throw new InvalidOperationException(
                $"{Variable}=1 (make test-unit), but this test needs {need}: give its class [Trait(\"Category\", \"Integration\")].");
        }
    }
}
