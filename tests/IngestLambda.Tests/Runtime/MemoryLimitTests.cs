using IngestLambda.Runtime;

namespace IngestLambda.Tests.Runtime;

public sealed class MemoryLimitTests
{
    [Theory]
    [InlineData("128", 96UL * 1024 * 1024)]
    [InlineData("1024", 768UL * 1024 * 1024)]
    [InlineData("10240", 7680UL * 1024 * 1024)]
    public void The_heap_limit_is_three_quarters_of_the_function_memory(string memorySizeMb, ulong expectedBytes)
        => Assert.Equal(expectedBytes, MemoryLimit.HeapHardLimitBytes(memorySizeMb, operatorChoseLimit: false));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("-128")]
    public void Without_a_usable_memory_size_no_limit_is_set(string? memorySizeMb)
        => Assert.Null(MemoryLimit.HeapHardLimitBytes(memorySizeMb, operatorChoseLimit: false));

    [Fact]
    public void A_limit_the_operator_set_through_DOTNET_variables_wins()
        => Assert.Null(MemoryLimit.HeapHardLimitBytes("128", operatorChoseLimit: true));
}
