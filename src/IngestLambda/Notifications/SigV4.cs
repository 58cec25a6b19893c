using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace IngestLambda.Notifications;

/// <summary>
/// AWS Signature Version 4 for a request without a query string, the only kind <see cref="EventBridgeClient"/>
/// sends (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). Tested
/// against AWS's published test-suite signatures.
/// </summary>
internal static class SigV4
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>
    /// Adds <c>X-Amz-Date</c>, the session token when the credentials have one, and <c>Authorization</c> to
    /// <paramref name="headers"/>, which must already hold every other header to sign (<c>Host</c> included).
    /// </summary>
    public static void Sign(string method, string path, IDictionary<string, string> headers, ReadOnlySpan<byte> payload,
        ImmutableCredentials credentials, string region, string service, DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var day = amzDate[..8];
        headers["X-Amz-Date"] = amzDate;
        if (credentials.UseToken)
            headers["X-Amz-Security-Token"] = credentials.Token;

        var signed = headers.OrderBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(';', signed.Select(h => h.Key.ToLowerInvariant()));
        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(path).Append('\n')
            .Append('\n') // no query string
            .AppendJoin("", signed.Select(h => $"{h.Key.ToLowerInvariant()}:{h.Value.Trim()}\n")).Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(Hex(SHA256.HashData(payload)))
            .ToString();

        var scope = $"{day}/{region}/{service}/aws4_request";
        var toSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretKey), day);
        key = Hmac(Hmac(Hmac(key, region), service), "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        headers["Authorization"] = $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
