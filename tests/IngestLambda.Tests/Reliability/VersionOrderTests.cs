using IngestLambda.Core.Reports;
using IngestLambda.Lake;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// Issue #11 item 1: an older version of a landing key never replaces a newer one in Raw. moto's events carry no
/// versionId and no sequencer, so these tests write the events S3 would send, with both.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")] // the base class\'s trait does not reach a class with traits of its own
public sealed class VersionOrderTests(MotoServer moto) : LakeTests(moto)
{
    /// <summary>The "upload, spot a mistake, upload again" workflow, with the first run slower than the second.</summary>
    [Fact]
    public async Task An_older_run_held_after_validation_while_the_newer_one_is_filed_answers_superseded_and_writes_nothing()
    {
        using var lake = await NewLakeAsync();
        var v1 = await lake.PutAsync(Key, TestFiles.Movies);
        var olderEvent = lake.EventFor(Key, v1, TestFiles.Movies.Length, sequencer: "0062A1F00000000001");
        // The older run is held at its first write, the claim, i.e. after it has read and validated v1.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = Fault.Hold(S3Operation.PutObject, release.Task);
        using var older = lake.Function(new FaultInjector().Add(hold));
        using var newer = lake.Function(new FaultInjector());

        var olderRun = older.TryInvokeAsync(olderEvent);
        await TestLake.WaitForAsync(() => hold.Hits > 0 || olderRun.IsCompleted);
        var shorter = TestFiles.Movies[..(Array.LastIndexOf(TestFiles.Movies[..^1], (byte)'\n') + 1)];
        var v2 = await lake.PutAsync(Key, shorter);
        var (newerResult, newerFailure) = await newer.TryInvokeAsync(lake.EventFor(Key, v2, shorter.Length, sequencer: "0062A1F00000000002"));
        release.SetResult();
        var (olderResult, olderFailure) = await olderRun;

        Assert.Null(newerFailure);
        Assert.Null(olderFailure);
        Assert.Equal(1, hold.Hits);
        var filed = Assert.Single(newerResult.Records);
        Assert.Equal(Outcomes.Accepted, filed.Outcome);
        var late = Assert.Single(olderResult.Records);
        Assert.Equal(Outcomes.Superseded, late.Outcome);
        Assert.Contains(v2.VersionId, late.Message, StringComparison.Ordinal);
        // Raw holds the newer bytes and was written once; one manifest, naming the newer version.
        Assert.Equal(TestLake.Sha256(shorter), TestLake.Sha256(await lake.GetBytesAsync(filed.DestinationKey!)));
        Assert.Equal(1, await lake.CountVersionsAsync(filed.DestinationKey!));
        Assert.Equal("0062A1F00000000002", (await lake.HeadAsync(filed.DestinationKey!)).Metadata["ingest-sequencer"]);
        Assert.Equal(1, await lake.CountVersionsAsync(filed.ReportKey!));
        using var manifest = await lake.GetJsonAsync(filed.ReportKey!);
        Assert.Equal(v2.VersionId, manifest.RootElement.GetProperty("source").GetProperty("versionId").GetString());
        Assert.Equal(1999, manifest.RootElement.GetProperty("validation").GetProperty("rows").GetInt64());
        Assert.Empty(await lake.AllVersionsAsync(filed.ReportKey! + RecordClaims.Suffix));
    }

    /// <summary>
    /// The same bytes landed again (same ETag, as an unversioned bucket or a versionless event sees them): only the
    /// sequencer tells the late event for the first upload from the one for the last. Sequencers of different lengths
    /// are compared as S3 says: padded with leading zeros, as hex ("FF" &lt; "100").
    /// </summary>
    [Fact]
    public async Task A_late_event_never_replaces_a_copy_whose_sequencer_is_greater()
    {
        using var lake = await NewLakeAsync();
        var shorter = TestFiles.Movies[..(Array.LastIndexOf(TestFiles.Movies[..^1], (byte)'\n') + 1)];
        using var function = lake.Function(new FaultInjector());
        var first = await lake.PutAsync(Key, TestFiles.Movies);
        var second = await lake.PutAsync(Key, shorter);
        var (filed, _) = await function.TryInvokeAsync(lake.EventFor(Key, second, shorter.Length, withVersionId: false, sequencer: "100"));
        var third = await lake.PutAsync(Key, TestFiles.Movies); // the first file again: the same ETag
        Assert.Equal(first.ETag, third.ETag);

        // The first upload's event arrives late, without a version id: its ETag is the current one again.
        var (late, lateFailure) = await function.TryInvokeAsync(lake.EventFor(Key, first, TestFiles.Movies.Length, withVersionId: false, sequencer: "FF"));

        Assert.Null(lateFailure);
        Assert.Equal(Outcomes.Accepted, Assert.Single(filed.Records).Outcome);
        var superseded = Assert.Single(late.Records);
        Assert.Equal(Outcomes.Superseded, superseded.Outcome);
        Assert.Contains("sequencer 100 > FF", superseded.Message, StringComparison.Ordinal);
        var raw = filed.Records[0].DestinationKey!;
        Assert.Equal(TestLake.Sha256(shorter), TestLake.Sha256(await lake.GetBytesAsync(raw)));
        Assert.Equal(1, await lake.CountVersionsAsync(raw));

        // The event for the third upload is newer than the copy: it replaces it.
        var (latest, _) = await function.TryInvokeAsync(lake.EventFor(Key, third, TestFiles.Movies.Length, withVersionId: false, sequencer: "0101"));

        Assert.Equal(Outcomes.Accepted, Assert.Single(latest.Records).Outcome);
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(await lake.GetBytesAsync(raw)));
        Assert.Equal("0101", (await lake.HeadAsync(raw)).Metadata["ingest-sequencer"]);
        Assert.Equal(2, await lake.CountVersionsAsync(raw));
    }
}
