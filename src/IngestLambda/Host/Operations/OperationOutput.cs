using System.Globalization;
using System.Text.Json;
using IngestLambda.Core.Reports;
using IngestLambda.Pipeline;

namespace IngestLambda.Host.Operations;

/// <summary>
/// What an operator command prints: one result JSON line per object on stdout (the shape of the result JSON's
/// records), progress on stderr when it is a terminal (at most once a second), and a summary by outcome at the end.
/// Safe to call from parallel workers.
/// </summary>
internal sealed class OperationOutput(string command, TextWriter stdout, TextWriter stderr, bool showProgress, TimeProvider time)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly long _started = time.GetTimestamp();
    private long _lastProgress;
    private long _bytesRead;
    private int _done;
    private int _listed;

    /// <summary>True when some object or message failed (exit code 1).</summary>
    public bool AnyFailed
    {
        get
        {
            lock (_gate)
                return _outcomes.ContainsKey(Outcomes.Failed);
        }
    }

    public int Count(string outcome)
    {
        lock (_gate)
            return _outcomes.GetValueOrDefault(outcome);
    }

    /// <summary>One more object found (the total grows as the listing goes page by page).</summary>
    public void Listed() => Interlocked.Increment(ref _listed);

    /// <summary>Objects (or messages) found so far.</summary>
    public int ListedCount => Volatile.Read(ref _listed);

    public void Add(RecordResult result)
    {
        var line = JsonSerializer.Serialize(result, IngestResultJson.Context.RecordResult);
        lock (_gate)
        {
            stdout.WriteLine(line);
            _done++;
            _outcomes[result.Outcome] = _outcomes.GetValueOrDefault(result.Outcome) + 1;
            if (result.Outcome is Outcomes.Accepted or Outcomes.Rejected)
                _bytesRead += result.Bytes ?? 0;
            if (showProgress && time.GetElapsedTime(_lastProgress) >= ProgressEvery)
            {
                _lastProgress = time.GetTimestamp();
                stderr.WriteLine($"{command}: {Progress()}");
            }
        }
    }

    /// <summary>A message or failure that concerns no single object (a listing that failed, say).</summary>
    public void Problem(string message)
    {
        lock (_gate)
        {
            _outcomes[Outcomes.Failed] = _outcomes.GetValueOrDefault(Outcomes.Failed) + 1;
            stderr.WriteLine($"{command}: {message}");
        }
    }

    /// <summary>A line for the operator that counts as no outcome (why the command could not start, say).</summary>
    public void Report(string message)
    {
        lock (_gate)
            stderr.WriteLine($"{command}: {message}");
    }

    /// <summary>The closing line; <paramref name="whenNothing"/> says plainly why nothing was done, when nothing was.</summary>
    public void Summary(string whenNothing = "nothing to do")
    {
        lock (_gate)
            stderr.WriteLine(_done == 0 && _outcomes.Count == 0 ? $"{command}: finished: {whenNothing}" : $"{command}: finished: {Progress()}");
    }

    private string Progress()
    {
        var seconds = Math.Max(time.GetElapsedTime(_started).TotalSeconds, 1e-3);
        var listed = Volatile.Read(ref _listed);
        var total = listed > _done ? $"{_done}/{listed}" : _done.ToString(CultureInfo.InvariantCulture);
        var outcomes = string.Join(", ", _outcomes.Select(o => $"{o.Key} {o.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{total} done in {seconds:F1} s ({outcomes}); {_bytesRead / 1e6:F1} MB read and validated, {_bytesRead / 1e6 / seconds:F1} MB/s");
    }
}
