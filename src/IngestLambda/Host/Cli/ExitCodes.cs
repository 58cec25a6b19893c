namespace IngestLambda.Host.Cli;

internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>validate: the file was rejected. invoke: the handler failed.</summary>
    public const int Failure = 1;
    public const int Usage = 2;
}
