using System.Text;

// GET /next, answer every invocation with an empty result, until /next fails: the runtime API loop and no more.
var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")
    ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set.");
using var client = new HttpClient { BaseAddress = new Uri($"http://{api}/2018-06-01/runtime/invocation/") };
while (true)
{
    using var next = await client.GetAsync(new Uri("next", UriKind.Relative)).ConfigureAwait(false);
    if (!next.IsSuccessStatusCode)
        return 0;
    var requestId = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").First();
    await next.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    using var result = new StringContent("{\"records\":[]}", Encoding.UTF8, "application/json");
    using var posted = await client.PostAsync(new Uri($"{requestId}/response", UriKind.Relative), result).ConfigureAwait(false);
}
