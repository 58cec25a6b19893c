using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Lake;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Ingestion;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// Issue #29: a big object read as parallel byte-range GETs (<see cref="RangedObjectStream"/>) gives exactly what one
/// GET gives, and each fault of a range (short, long, reset, the object changed, the deadline) is retried alone or
/// ends the read with nothing written. The threshold and part size are set low so an 11 MiB file has six ranges.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")]
public sealed class RangedReadTests(MotoServer moto) : LakeTests(moto)
{
    private const int Part = 2 * 1024 * 1024;

    /// <summary>The valid 11 MiB movies file; six ranges of <see cref="Part"/>.</summary>
    private static byte[] Large => TestFiles.LargeMovies;

    /// <summary>Ranges start at multiples of <see cref="Part"/>: 0, 2 MiB, ... 10 MiB.</summary>
    private static int Ranges => (Large.Length + Part - 1) / Part;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_ranged_read_gives_the_verdict_rows_report_and_copy_of_a_single_read(bool valid)
    {
        var body = valid ? Large : WithBadRowNearTheEnd(Large);
        var (single, singleValidation, singleLake) = await IngestOnceAsync(body, Key, config: null);
        singleLake.Dispose();
        var injector = new FaultInjector();
        var (ranged, rangedValidation, lake) = await IngestOnceAsync(body, Key, RangedConfig, injector);
        using (lake)
        {
            Assert.Equal(valid ? Outcomes.Accepted : Outcomes.Rejected, ranged.Outcome);
            Assert.Equal(single.Outcome, ranged.Outcome);
            Assert.Equal(single.Rows, ranged.Rows);
            Assert.Equal(single.ErrorCount, ranged.ErrorCount);
            Assert.Equal(body.Length, ranged.Bytes);
            Assert.Equal(singleValidation, rangedValidation); // rows, bytes, SHA-256, every error with its offset
            Assert.Equal(TestLake.Sha256(body), TestLake.Sha256(await lake.GetBytesAsync(ranged.DestinationKey!)));
            Assert.Equal(Ranges, injector.Count(S3Operation.GetObject)); // the first GET gives range 0, then one GET per range
        }
    }

    [Fact]
    public async Task A_gzip_object_read_in_ranges_is_decompressed_in_order_and_copied_as_stored()
    {
        var gzip = Gzip(Large);
        var injector = new FaultInjector();
        var config = (Func<TestLake, IngestConfig>)(l => l.Config(c => c with { RangedReadThresholdBytes = Part, RangedReadPartBytes = 1024 * 1024, RangedReadConcurrency = 3 }));
        var (record, validation, lake) = await IngestOnceAsync(gzip, "landing/movies.csv.gz", config, injector);
        using (lake)
        {
            Assert.Equal(Outcomes.Accepted, record.Outcome);
            Assert.Equal(Large.Count(b => b == '\n') - 1, record.Rows);
            Assert.Equal("gzip", JsonDocument.Parse(validation).RootElement.GetProperty("compression").GetString());
            Assert.Equal(TestLake.Sha256(gzip), TestLake.Sha256(await lake.GetBytesAsync(record.DestinationKey!)));
            Assert.True(injector.Count(S3Operation.GetObject) >= 3, "read in ranges");
        }
    }

    /// <summary>A range that ends early, goes on too long, or breaks mid-way is fetched again alone; the file is accepted whole.</summary>
    [Theory]
    [InlineData("short")]
    [InlineData("long")]
    [InlineData("reset")]
    [InlineData("reset in the first GET")]
    public async Task A_range_that_fails_once_is_fetched_again_alone_and_the_file_is_ingested_whole(string fault)
    {
        var injector = new FaultInjector().Add(fault switch
        {
            "short" => Fault.TruncateBody(S3Operation.GetObject, 1000, times: 1, when: Fault.RangeFrom(2 * Part)),
            "long" => Fault.ExtendBody(S3Operation.GetObject, 10, times: 1, when: Fault.RangeFrom(3 * Part)),
            "reset" => Fault.ResetBody(S3Operation.GetObject, 100_000, times: 1, when: Fault.RangeFrom(Part)),
            _ => Fault.ResetBody(S3Operation.GetObject, 100_000, times: 1, when: r => !Fault.IsRange(r)),
        });
        var (record, _, lake) = await IngestOnceAsync(Large, Key, RangedConfig, injector);
        using (lake)
        {
            Assert.Equal(Outcomes.Accepted, record.Outcome);
            Assert.Equal(Ranges + 1, injector.Count(S3Operation.GetObject)); // one range twice
            Assert.Equal(TestLake.Sha256(Large), TestLake.Sha256(await lake.GetBytesAsync(record.DestinationKey!)));
        }
    }

    [Theory]
    [InlineData("short")]
    [InlineData("long")]
    public async Task A_range_that_keeps_the_wrong_length_fails_the_read_after_its_attempts_and_nothing_is_written(string fault)
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await lake.LandVersionAsync(Key, Large);
        var injector = new FaultInjector().Add(fault == "short"
            ? Fault.TruncateBody(S3Operation.GetObject, Part - 1, when: Fault.RangeFrom(4 * Part))
            : Fault.ExtendBody(S3Operation.GetObject, 1, when: Fault.RangeFrom(4 * Part)));
        var config = RangedConfig(lake);
        using var function = lake.Function(injector, config);

        var (result, failure) = await function.TryInvokeAsync(eventJson);

        Assert.NotNull(failure);
        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Failed, record.Outcome);
        Assert.Contains(fault == "short" ? "ended after" : "went on past", record.Message, StringComparison.Ordinal);
        Assert.Equal(Ranges - 1 + config.RangedReadAttempts, injector.Count(S3Operation.GetObject));
        await lake.AssertNothingWrittenAsync();
        await lake.AssertLandingUntouchedAsync(Key, landed);
    }

    [Fact]
    public async Task An_object_overwritten_between_its_ranges_is_superseded_and_nothing_is_written()
    {
        // Unversioned: the ranges are pinned by If-Match on the first GET's ETag, which the overwrite breaks (412).
        using var lake = await NewLakeAsync(versioned: false);
        var (_, eventJson) = await lake.LandVersionAsync(Key, Large, withVersionId: false);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource();
        var hold = Fault.Hold(S3Operation.GetObject, release.Task, when: r =>
        {
            var match = Fault.RangeFrom(3 * Part)(r);
            if (match)
                reached.TrySetResult();
            return match;
        });
        using var function = lake.Function(new FaultInjector().Add(hold), RangedConfig(lake));

        var run = function.TryInvokeAsync(eventJson);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await lake.PutAsync(Key, TestFiles.Movies);
        release.SetResult();
        var (result, failure) = await run;

        Assert.Null(failure);
        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Superseded, record.Outcome);
        await lake.AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_range_answering_412_makes_the_record_superseded_and_nothing_is_written()
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await lake.LandVersionAsync(Key, Large);
        var injector = new FaultInjector().Add(Fault.S3Error(S3Operation.GetObject, HttpStatusCode.PreconditionFailed, "PreconditionFailed",
            when: Fault.RangeFrom(5 * Part)));
        using var function = lake.Function(injector, RangedConfig(lake));

        var (result, failure) = await function.TryInvokeAsync(eventJson);

        Assert.Null(failure);
        Assert.Equal(Outcomes.Superseded, Assert.Single(result.Records).Outcome);
        await lake.AssertNothingWrittenAsync();
        await lake.AssertLandingUntouchedAsync(Key, landed);
    }

    [Fact]
    public async Task Ranges_in_flight_at_the_deadline_are_cancelled_and_nothing_is_written()
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await lake.LandVersionAsync(Key, Large);
        var never = new TaskCompletionSource();
        var injector = new FaultInjector().Add(Fault.Hold(S3Operation.GetObject, never.Task, times: int.MaxValue, when: Fault.RangeFrom(2 * Part)));
        using var function = lake.Function(injector, RangedConfig(lake) with { DeadlineMargin = TimeSpan.FromSeconds(1) });
        var timeLeft = TimeSpan.FromSeconds(4);
        var started = TimeProvider.System.GetTimestamp();

        var (result, failure) = await function.TryInvokeAsync(eventJson, timeLeft);

        var after = TimeProvider.System.GetElapsedTime(started);
        Assert.NotNull(failure);
        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Failed, record.Outcome);
        Assert.Contains("DEADLINE_MARGIN_MS", record.Message, StringComparison.Ordinal);
        Assert.True(after < timeLeft, $"the run ended {after.TotalSeconds:F2} s in; the deadline was {timeLeft.TotalSeconds} s");
        await lake.AssertNothingWrittenAsync();
        await lake.AssertLandingUntouchedAsync(Key, landed);
    }

    private static IngestConfig RangedConfig(TestLake lake) => lake.Config(c => c with
    {
        RangedReadThresholdBytes = 4 * 1024 * 1024,
        RangedReadPartBytes = Part,
        RangedReadConcurrency = 3,
        RangedReadBackoff = TimeSpan.FromMilliseconds(10),
    });

    /// <summary>Lands <paramref name="body"/> in a new lake and ingests it once: the record, its report's validation section, and the lake.</summary>
    private async Task<(RecordResult Record, string Validation, TestLake Lake)> IngestOnceAsync(
        byte[] body, string key, Func<TestLake, IngestConfig>? config, FaultInjector? injector = null)
    {
        var lake = await NewLakeAsync();
        var (_, eventJson) = await lake.LandVersionAsync(key, body);
        using var function = lake.Function(injector ?? new FaultInjector(), config?.Invoke(lake));
        var (result, failure) = await function.TryInvokeAsync(eventJson);
        Assert.Null(failure);
        var record = Assert.Single(result.Records);
        using var report = await lake.GetJsonAsync(record.ReportKey!);
        return (record, report.RootElement.GetProperty("validation").GetRawText(), lake);
    }

    /// <summary>The file with one row, about 100 KiB before the end, given a decimal comma (an error in the last range).</summary>
    private static byte[] WithBadRowNearTheEnd(byte[] csv)
    {
        var text = Encoding.UTF8.GetString(csv);
        var rowStart = text.IndexOf('\n', text.Length - 100_000) + 1;
        var rowEnd = text.IndexOf('\n', rowStart);
        var fields = text[rowStart..rowEnd].Split('|');
        fields[6] = "7,5";
        return Encoding.UTF8.GetBytes(text[..rowStart] + string.Join('|', fields) + text[rowEnd..]);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(bytes);
        return output.ToArray();
    }
}
