using System.Diagnostics;

namespace IngestLambda.Tests.Infrastructure;

/// <summary>The environment Lambda gives a `bootstrap` process, pointed at a test Runtime API and a test S3 endpoint.</summary>
internal static class LambdaProcessEnvironment
{
    public static void Apply(ProcessStartInfo start, string runtimeApi, string s3Endpoint, IEnumerable<KeyValuePair<string, string>>? overrides = null)
    {
        // Nothing of the test host's AWS or .NET settings may leak into the function.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "IngestFunction";
        start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "128";
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        start.Environment["AWS_ENDPOINT_URL"] = s3Endpoint;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in overrides ?? [])
            start.Environment[name] = value;
    }
}
