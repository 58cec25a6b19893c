using IngestLambda.Host.Runtime;

namespace IngestLambda.Tests.Runtime;

/// <summary>
/// The heap limit the runtime derives from the function memory. That Native AOT honours GC.RefreshMemoryLimit() (and
/// which DOTNET_* forms it ignores) is shown by bench/startup/gc_probe.sh, not here: it would limit the test host.
/// </summary>
public sealed class MemoryLimitTests
{
    [Theory]
    [InlineData("128", 64UL)]
    [InlineData("256", 192UL)]
    [InlineData("1024", 960UL)]
    [InlineData("10240", 10176UL)]
    [InlineData("64", 32UL)] // below Lambda's minimum: never less than half
    public void The_heap_gets_the_function_memory_minus_a_64_MB_native_reserve(string memorySizeMb, ulong expectedMb)
        => Assert.Equal(expectedMb * 1024 * 1024, MemoryLimit.HeapHardLimitBytes(memorySizeMb, null, null));

    [Fact]
    public void A_tiny_memory_size_still_gives_a_limit_never_zero_which_would_mean_none()
        => Assert.Equal(512UL * 1024, MemoryLimit.HeapHardLimitBytes("1", null, null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("-128")]
    public void Without_a_usable_memory_size_no_limit_is_set(string? memorySizeMb)
        => Assert.Null(MemoryLimit.HeapHardLimitBytes(memorySizeMb, null, null));

    [Theory]
    [InlineData("6000000", null)]
    [InlineData(null, "4B")]
    public void A_limit_the_operator_set_in_the_form_native_aot_honours_wins(string? heapHardLimit, string? heapHardLimitPercent)
        => Assert.Null(MemoryLimit.HeapHardLimitBytes("128", heapHardLimit, heapHardLimitPercent));

    [Theory]
    [InlineData("0x6000000")] // Native AOT ignores the 0x form, so without ours there would be no limit at all
    [InlineData("96MB")]
    [InlineData("0")]
    public void An_operator_limit_native_aot_ignores_does_not_disable_ours(string heapHardLimit)
        => Assert.Equal(64UL * 1024 * 1024, MemoryLimit.HeapHardLimitBytes("128", heapHardLimit, null));
}
