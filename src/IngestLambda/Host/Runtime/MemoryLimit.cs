using System.Globalization;

namespace IngestLambda.Host.Runtime;

/// <summary>
/// Keeps the managed heap inside the function's memory. Native AOT reads GC settings only at process start, from
/// settings compiled into the binary and from DOTNET_* variables (hex, and without "0x", or they are silently
/// ignored), and Lambda offers no hook to derive a variable from the memory size before start. So at start the
/// runtime sets GCHeapHardLimit from AWS_LAMBDA_FUNCTION_MEMORY_SIZE and calls <see cref="GC.RefreshMemoryLimit"/>,
/// which Native AOT honours (bench/startup/gc_probe.sh shows all of this).
/// </summary>
internal static class MemoryLimit
{
    /// <summary>
    /// Memory kept for what the GC does not manage: mapped code, thread stacks, native TLS and socket state. The
    /// published binary peaks at about 27 MB RSS in all while streaming a 300 MB file (docs/benchmarks.md), so at the
    /// smallest function (128 MB: a 64 MB heap) heap and native memory together stay well inside it.
    /// </summary>
    public const ulong NativeReserveBytes = 64UL * 1024 * 1024;

    /// <summary>Sets the limit unless the operator set one the GC honours; returns the limit in bytes, or null if none was set.</summary>
    public static ulong? Apply()
    {
        var limit = HeapHardLimitBytes(
            Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
            Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit"),
            Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimitPercent"));
        if (limit is { } bytes)
        {
            AppContext.SetData("GCHeapHardLimit", bytes);
            GC.RefreshMemoryLimit();
        }
        return limit;
    }

    internal static ulong? HeapHardLimitBytes(string? memorySizeMb, string? dotnetHeapHardLimit, string? dotnetHeapHardLimitPercent)
    {
        // An operator's limit wins, but only in a form Native AOT actually applied (plain hex).
        if (IsPlainHex(dotnetHeapHardLimit) || IsPlainHex(dotnetHeapHardLimitPercent))
            return null;
        if (!ulong.TryParse(memorySizeMb, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) || mb == 0)
            return null;
        // Everything but the native reserve, and never less than half (that only matters below Lambda's 128 MB minimum).
        var memory = mb * 1024 * 1024;
        return Math.Max(memory / 2, memory - Math.Min(memory, NativeReserveBytes));
    }

    private static bool IsPlainHex(string? value)
        => ulong.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed) && parsed > 0;
}
