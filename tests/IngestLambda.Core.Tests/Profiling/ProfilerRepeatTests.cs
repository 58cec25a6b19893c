using System.Text;
using IngestLambda.Core.Profiling;
using IngestLambda.DataGen;

namespace IngestLambda.Core.Tests.Profiling;

/// <summary>
/// The shortcuts of the profile's hot path give the profile of the plain field-by-field pass, to the last bit:
/// leading fields counted again without their bytes (<see cref="FileProfiler.Repeat"/>), and short values looked up
/// instead of hashed (<see cref="RecentShortValues"/>).
/// </summary>
public class ProfilerRepeatTests
{
    [Theory]
    [InlineData(Dataset.Movies, 41)]
    [InlineData(Dataset.Series, 42)]
    public void Repeating_the_shared_leading_fields_gives_the_profile_of_feeding_every_field(Dataset dataset, int seed)
    {
        var rows = SyntheticCsv.Rows(dataset, seed).Take(20_000).Select(r => r.Select(Encoding.UTF8.GetBytes).ToArray()).ToArray();
        var columns = FileProfilerTests.Kinds(dataset);

        var everyField = new FileProfiler(columns);
        var repeating = new FileProfiler(columns);
        var repeatedFields = 0L;
        byte[][]? previous = null;
        foreach (var row in rows)
        {
            for (var f = 0; f < row.Length; f++)
                everyField.Field(f, row[f]);
            everyField.EndRecord();

            var shared = 0;
            while (previous is not null && shared < row.Length && row[shared].AsSpan().SequenceEqual(previous[shared]))
                shared++;
            var toFeed = repeating.Repeat(shared);
            repeatedFields += shared - System.Numerics.BitOperations.PopCount(toFeed & ((1UL << shared) - 1));
            for (var f = 0; f < row.Length; f++)
            {
                if ((toFeed & (1UL << f)) != 0)
                    repeating.Field(f, row[f]);
            }
            repeating.EndRecord();
            previous = row;
        }

        Assert.True(repeatedFields > rows.Length, $"only {repeatedFields} fields were counted as repeats");
        Assert.Equal(ProfileJson.Serialize(everyField.Result()), ProfileJson.Serialize(repeating.Result()));
    }

    [Fact]
    public void Repeats_of_nulls_empties_numbers_and_list_items_are_counted_and_the_mean_is_the_same_sum()
    {
        ProfiledColumn[] columns = [new("n", ColumnKind.Numeric), new("t", ColumnKind.Text), new("l", ColumnKind.List)];
        var profiler = new FileProfiler(columns);
        string[][] records = [["0.1", "", "a,b"], ["0.1", "", "a,b"], ["0.1", "", "a,b"], [@"\N", "x", "b"], [@"\N", "x", "b"], ["0.7", "x", "c"]];
        string[]? previous = null;
        foreach (var record in records)
        {
            var shared = 0;
            while (previous is not null && shared < record.Length && record[shared] == previous[shared])
                shared++;
            var toFeed = profiler.Repeat(shared);
            for (var f = 0; f < record.Length; f++)
            {
                if ((toFeed & (1UL << f)) != 0)
                    profiler.Field(f, Encoding.UTF8.GetBytes(record[f]));
            }
            profiler.EndRecord();
            previous = record;
        }

        var profile = profiler.Result();
        var numbers = profile.Columns["n"];
        Assert.Equal((2L, 0.1, 0.7), (numbers.Nulls, numbers.Min!.Value, numbers.Max!.Value));
        Assert.Equal((0.1 + 0.1 + 0.1 + 0.7) / 4, numbers.Mean); // added one by one, in the file's order
        Assert.Equal((3L, 1, 1, 1L), (profile.Columns["t"].Empties, profile.Columns["t"].MinBytes!.Value, profile.Columns["t"].MaxBytes!.Value, profile.Columns["t"].Distinct));
        Assert.Equal([new TopItem("b", 5), new TopItem("a", 3), new TopItem("c", 1)], profile.Columns["l"].Top);
    }

    [Fact]
    public void A_list_whose_items_were_dropped_since_is_counted_again_by_its_value()
    {
        // Each value comes twice in a row. New ids push the counter past its capacity, so adding a value often drops
        // items (Misra-Gries), and its repeat must then be counted by its value.
        var profiler = new FileProfiler([new ProfiledColumn("ids", ColumnKind.List)]);
        var everyField = new FileProfiler([new ProfiledColumn("ids", ColumnKind.List)]);
        var fedByValue = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var value = Encoding.UTF8.GetBytes(i / 2 % 3 == 0 ? "tt1,tt2" : $"tt{i / 2},tt1");
            everyField.Field(0, value);
            everyField.EndRecord();
            var toFeed = profiler.Repeat(i % 2); // an odd record repeats the one before
            if ((toFeed & 1) != 0)
            {
                fedByValue++;
                profiler.Field(0, value);
            }
            profiler.EndRecord();
        }

        Assert.InRange(fedByValue, 2_501, 4_999); // some repeats by index, some by value
        Assert.Equal(ProfileJson.Serialize(everyField.Result()), ProfileJson.Serialize(profiler.Result()));
    }

    [Fact]
    public void Short_value_keys_differ_for_different_values()
    {
        var random = new Random(9);
        var values = new HashSet<string>(StringComparer.Ordinal);
        for (var length = 1; length <= RecentShortValues.MaxBytes; length++)
        {
            for (var i = 0; i < 20_000; i++)
            {
                var bytes = new byte[length];
                random.NextBytes(bytes);
                bytes[random.Next(length)] = (byte)random.Next(4); // many near-equal values, and zero bytes
                values.Add(Convert.ToHexString(bytes));
            }
        }

        var keys = values.Select(v => RecentShortValues.KeyOf(Convert.FromHexString(v))).ToHashSet();
        Assert.Equal(values.Count, keys.Count);
        Assert.DoesNotContain(0UL, keys);
        Assert.NotEqual(RecentShortValues.KeyOf("a"u8), RecentShortValues.KeyOf("a\0"u8));
    }
}
