namespace IngestLambda.Host.Runtime;

/// <summary>One event from <c>GET /runtime/invocation/next</c>: its payload and the context built from the headers.</summary>
internal sealed class InvocationRequest(Stream inputStream, LambdaContext lambdaContext) : IDisposable
{
    public Stream InputStream { get; } = inputStream;

    public LambdaContext LambdaContext { get; } = lambdaContext;

    public void Dispose() => InputStream.Dispose();
}

/// <summary>What the handler returns: the bytes to POST as the invocation response. The loop disposes the stream.</summary>
internal sealed class InvocationResponse(Stream outputStream)
{
    public Stream OutputStream { get; } = outputStream;
}

/// <summary>The function's handler as the loop sees it (RuntimeSupport's LambdaBootstrapHandler).</summary>
internal delegate Task<InvocationResponse> LambdaBootstrapHandler(InvocationRequest invocation, CancellationToken cancellationToken);
