using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using IngestLambda.Configuration;

namespace IngestLambda.Lake;

/// <summary>
/// Builds the S3 client from <see cref="IngestConfig"/>: the SDK's own credential chain, or an endpoint override reached
/// path-style. GetObject bodies come without the SDK's second hash (<see cref="PlainBodyS3Client"/>).
/// </summary>
public static class S3ClientFactory
{
    /// <param name="httpClientFactory">Null in production; the reliability tests pass one that injects faults between the SDK and S3.</param>
    public static IAmazonS3 Create(IngestConfig config, AWSCredentials? credentials = null, HttpClientFactory? httpClientFactory = null)
    {
        var s3Config = new AmazonS3Config
        {
            // A CopyObject of a multi-GiB object answers only when the copy is done; Lambda's own 15-minute limit is the real bound.
            Timeout = TimeSpan.FromMinutes(15),
            // No CRC of the body on top of ours: the validator's pass computes S3's stored checksum itself and compares
            // it (Lake/StoredChecksums.cs), and the byte count is checked against Content-Length. WHEN_REQUIRED still
            // validates a GET that sets ChecksumMode; PlainBodyS3Client removes that hashing wrapper with the MD5 one.
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (httpClientFactory is not null)
            s3Config.HttpClientFactory = httpClientFactory;
        // moto and LocalStack serve buckets as paths, not as virtual hosts.
        s3Config.ForcePathStyle = config.S3Endpoint is not null;
        ApplyEndpoint(s3Config, config.S3Endpoint?.ToString(), config.Region);
        return credentials is null ? new PlainBodyS3Client(s3Config) : new PlainBodyS3Client(credentials, s3Config);
    }

    /// <summary>
    /// An endpoint override (moto, LocalStack) with its signing region, else the configured region, else the SDK's
    /// own resolution: the same rule for every AWS client the program makes (S3 here, SQS for <c>replay</c>).
    /// </summary>
    public static void ApplyEndpoint(ClientConfig clientConfig, string? endpoint, string? region)
    {
        if (endpoint is not null)
        {
            clientConfig.ServiceURL = endpoint;
            clientConfig.AuthenticationRegion = OverrideSigningRegion(region);
        }
        else if (region is not null)
        {
            clientConfig.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
    }

    /// <summary>
    /// The same rule for a client the SDK does not provide (Notifications/EventBridgeClient.cs): the override with
    /// its signing region, else <c>https://SERVICE.REGION.amazonaws.com</c> for the configured region or, without
    /// one, the region the SDK resolves (AWS_REGION, the profile, instance metadata).
    /// </summary>
    public static (Uri Url, string SigningRegion) ServiceEndpoint(string service, Uri? endpoint, string? region)
    {
        if (endpoint is not null)
            return (endpoint, OverrideSigningRegion(region));
        var name = region ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new InvalidOperationException($"No AWS region is set (AWS_REGION) for the {service} endpoint.");
        var suffix = name.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return (new Uri($"https://{service}.{name}.{suffix}/"), name);
    }

    /// <summary>moto and LocalStack accept any region; us-east-1 when none is set.</summary>
    private static string OverrideSigningRegion(string? region) => region ?? "us-east-1";
}
