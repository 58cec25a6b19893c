namespace IngestLambda.Host.Cli;

/// <summary>
/// One rule for every command (README, "Exit codes"; <c>answers</c> follows it too): 0 when everything was done;
/// 1 when the command ran, but some items failed; 2 when it could not run at all: a usage, configuration or access
/// error (a missing file, bucket or queue, denied access, an unreachable endpoint), and nothing was done.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Ran, but some items failed: validate's file was rejected; a record (invoke), an object (backfill) or a message (replay) failed.</summary>
    public const int Failure = 1;
    /// <summary>Could not run: a usage, configuration or access error; nothing was done.</summary>
    public const int Usage = 2;
}
