using System.Buffers;
using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3.Model;

namespace IngestLambda.Lake;

/// <summary>Fetching one range: pinned, checked for its exact length and version, retried alone.</summary>
internal sealed partial class RangedObjectStream
{
    /// <summary>
    /// The bytes [start, start + length) in a pooled buffer. The first attempt at range 0 reads the first GET's body;
    /// every other attempt is a range GET. A transient failure is retried after a doubling pause.
    /// </summary>
    private async Task<RangeBuffer> FetchAsync(long start, int length, Stream? firstBody)
    {
        await Task.Yield(); // the ranges start together, not one after the other on the reader's thread
        var buffer = _buffers.Rent(length);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (firstBody is not null)
                        await FillAsync(firstBody, buffer, length, start, expectEnd: start + length == _pin.Length).ConfigureAwait(false);
                    else
                        await FetchRangeAsync(start, length, buffer).ConfigureAwait(false);
                    return new RangeBuffer(buffer, length);
                }
                catch (Exception e) when (attempt < _config.RangedReadAttempts && IsTransient(e))
                {
                    var pause = _config.RangedReadBackoff * Math.Pow(2, attempt - 1);
                    await Task.Delay(pause, _time, _token).ConfigureAwait(false);
                }
                finally
                {
                    firstBody?.Dispose(); // read to range 0's end or broken: the rest of the object comes in ranges
                    firstBody = null;
                }
            }
        }
        catch
        {
            _buffers.Return(buffer);
            throw;
        }
    }

    private async Task FetchRangeAsync(long start, int length, byte[] buffer)
    {
        var get = new GetObjectRequest
        {
            BucketName = _pin.Bucket,
            Key = _pin.Key,
            VersionId = _pin.VersionId,
            EtagToMatch = _pin.VersionId is null ? S3Versions.Quote(_pin.ETag) : null,
            ByteRange = new ByteRange(start, start + length - 1),
        };
        using var response = await _s3.GetObjectAsync(get, _token).ConfigureAwait(false);
        if (!string.Equals(S3Versions.Unquote(response.ETag), _pin.ETag, StringComparison.OrdinalIgnoreCase))
        {
            throw new SourceChangedException(
                $"s3://{_pin.Bucket}/{_pin.Key} changed while it was read in ranges: the range at byte {start} has ETag {response.ETag}, the read began with \"{_pin.ETag}\"");
        }
        var served = response.ContentRange;
        var expected = $"bytes {start.ToString(CultureInfo.InvariantCulture)}-{(start + length - 1).ToString(CultureInfo.InvariantCulture)}/";
        if (served is null || !served.StartsWith(expected, StringComparison.Ordinal))
            throw new RangeLengthException($"Asked s3://{_pin.Bucket}/{_pin.Key} for {expected}{_pin.Length} and S3 answered '{served ?? "the whole object"}'.");
        if (served[expected.Length..] != _pin.Length.ToString(CultureInfo.InvariantCulture))
            throw new SourceChangedException($"s3://{_pin.Bucket}/{_pin.Key} changed while it was read in ranges: its size is now {served[expected.Length..]}, not {_pin.Length}");
        await FillAsync(response.ResponseStream, buffer, length, start, expectEnd: true).ConfigureAwait(false);
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes; with <paramref name="expectEnd"/>, the body must end there.</summary>
    private async Task FillAsync(Stream body, byte[] buffer, int length, long start, bool expectEnd)
    {
        var read = await body.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, _token).ConfigureAwait(false);
        if (read < length)
            throw new RangeLengthException($"The range of s3://{_pin.Bucket}/{_pin.Key} at byte {start} ended after {read} of its {length} bytes.");
        if (expectEnd && await body.ReadAsync(new byte[1], _token).ConfigureAwait(false) > 0)
            throw new RangeLengthException($"The range of s3://{_pin.Bucket}/{_pin.Key} at byte {start} went on past its {length} bytes.");
    }

    /// <summary>
    /// Worth another attempt: the network (a reset, a range of the wrong length) or S3's 5xx. Not: 412/404 (the object
    /// changed or went), other 4xx, and a cancellation of the read itself (the deadline).
    /// </summary>
    private bool IsTransient(Exception e) => !_token.IsCancellationRequested && e switch
    {
        IOException or HttpRequestException => true,
        AmazonServiceException s => s.StatusCode >= HttpStatusCode.InternalServerError,
        OperationCanceledException => true, // an HTTP timeout, not ours
        _ => false,
    };
}

/// <summary>A range came back shorter or longer than asked, or for other bytes: never taken as the object.</summary>
internal sealed class RangeLengthException(string message) : IOException(message);

/// <summary>The object changed between the ranges of one read: the event's version is superseded (<see cref="Gone"/>).</summary>
internal sealed class SourceChangedException(string message) : Exception(message)
{
    public SourceGone Gone => new(Core.Reports.Outcomes.Superseded, Message);
}
