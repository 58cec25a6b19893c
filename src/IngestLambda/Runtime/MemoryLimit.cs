using System.Globalization;

namespace IngestLambda.Runtime;

/// <summary>
/// Keeps the managed heap inside the function's memory. Native AOT reads GC settings only at process start (from
/// settings compiled into the binary and from DOTNET_* variables, in hex without "0x"), and Lambda gives no way to
/// set variables from the memory size before start. So at start the runtime sets GCHeapHardLimit from
/// AWS_LAMBDA_FUNCTION_MEMORY_SIZE and calls <see cref="GC.RefreshMemoryLimit"/>, which Native AOT honours.
/// </summary>
internal static class MemoryLimit
{
    /// <summary>The share of the function memory the GC heap may commit; the rest is code, stacks, native TLS.</summary>
    public const int HeapPercent = 75;

    /// <summary>Sets the limit unless the operator chose one; returns the limit in bytes, or null if none was set.</summary>
    public static ulong? Apply()
    {
        var limit = HeapHardLimitBytes(
            Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
            operatorChoseLimit: Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") is not null
                || Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimitPercent") is not null);
        if (limit is { } bytes)
        {
            AppContext.SetData("GCHeapHardLimit", bytes);
            GC.RefreshMemoryLimit();
        }
        return limit;
    }

    internal static ulong? HeapHardLimitBytes(string? memorySizeMb, bool operatorChoseLimit)
    {
        if (operatorChoseLimit)
            return null;
        if (!ulong.TryParse(memorySizeMb, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) || mb == 0)
            return null;
        return mb * 1024 * 1024 * HeapPercent / 100;
    }
}
