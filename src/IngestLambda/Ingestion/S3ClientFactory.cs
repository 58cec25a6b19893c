using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace IngestLambda.Ingestion;

/// <summary>Builds the S3 client from <see cref="IngestConfig"/>: the SDK's own credential chain, or an endpoint override reached path-style.</summary>
public static class S3ClientFactory
{
    public static IAmazonS3 Create(IngestConfig config, AWSCredentials? credentials = null)
    {
        var s3Config = new AmazonS3Config
        {
            // A CopyObject of a multi-GiB object answers only when the copy is done; Lambda's own 15-minute limit is the real bound.
            Timeout = TimeSpan.FromMinutes(15),
        };
        if (config.S3Endpoint is { } endpoint)
        {
            // moto and LocalStack serve buckets as paths, not as virtual hosts.
            s3Config.ServiceURL = endpoint.ToString();
            s3Config.ForcePathStyle = true;
            s3Config.AuthenticationRegion = config.Region ?? "us-east-1";
        }
        else if (config.Region is { } region)
        {
            s3Config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return credentials is null ? new AmazonS3Client(s3Config) : new AmazonS3Client(credentials, s3Config);
    }
}
