using System.Text;
using Amazon.Runtime;
using IngestLambda.Notifications;

namespace IngestLambda.Tests.Notifications;

/// <summary>The signer against signatures from AWS's SigV4 test suite (same credentials, time, region and service).</summary>
public sealed class SigV4Tests
{
    private static readonly ImmutableCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("GET", null, "", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("POST", null, "", "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")] // post-vanilla
    [InlineData("POST", "application/x-www-form-urlencoded", "Param1=value1", "content-type;host;x-amz-date",
        "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")] // post-x-www-form-urlencoded
    public void Signs_as_the_AWS_test_suite(string method, string? contentType, string body, string signedHeaders, string signature)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Host"] = "example.amazonaws.com" };
        if (contentType is not null)
            headers["Content-Type"] = contentType;

        SigV4.Sign(method, "/", headers, Encoding.UTF8.GetBytes(body), Example, "us-east-1", "service", SignedAt);

        Assert.Equal("20150830T123600Z", headers["X-Amz-Date"]);
        Assert.Equal($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
            headers["Authorization"]);
    }

    [Fact]
    public void Temporary_credentials_sign_their_session_token_too()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Host"] = "example.amazonaws.com" };

        SigV4.Sign("POST", "/", headers, [], new ImmutableCredentials("AKIDEXAMPLE", "secret", "session-token"), "us-east-1", "events", SignedAt);

        Assert.Equal("session-token", headers["X-Amz-Security-Token"]);
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", headers["Authorization"], StringComparison.Ordinal);
    }
}
