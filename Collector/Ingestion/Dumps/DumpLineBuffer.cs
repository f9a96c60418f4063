using System.Buffers;

namespace Collector.Ingestion.Dumps;

/// <summary>
/// Splits a stream into lines without decoding them, tracking each line's byte offset in the stream.
/// The buffer grows for long lines up to a limit; a longer line is dropped in pieces and reported as too long,
/// so one broken line never costs more than the limit in memory.
/// </summary>
internal sealed class DumpLineBuffer(int initialBytes, int maxLineBytes) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);
    private int _start;      // first byte not yet returned as (part of) a line
    private int _end;        // end of valid data
    private int _scanned;    // bytes before this index (from _start) hold no newline
    private long _origin;    // stream offset of _buffer[0]
    private long? _droppingFrom; // stream offset of a too-long line being dropped

    public bool EndOfStream { get; private set; }

    /// <summary>Stream offset of the first byte not yet returned: where an incomplete line starts.</summary>
    public long Position => _droppingFrom ?? _origin + _start;

    /// <summary>Continue from <paramref name="offset"/>: the caller has positioned the stream there.</summary>
    public void StartAt(long offset) => _origin = offset;

    /// <summary>The next complete line (the last line may lack its newline), or false when more data is needed.</summary>
    public bool TryTakeLine(out DumpLine line)
    {
        var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
        if (newline < 0)
        {
            _scanned = _end;
            if (!EndOfStream || (_start == _end && _droppingFrom is null))
            {
                line = default;
                return false;
            }

            line = Take(_end, _end); // the last line, without a newline
            return true;
        }

        newline += _scanned;
        line = Take(newline, newline + 1);
        return true;
    }

    private DumpLine Take(int lineEnd, int next)
    {
        DumpLine line = _droppingFrom is { } droppedFrom
            ? new DumpLine(droppedFrom, _origin + next, 0, 0, TooLong: true)
            : new DumpLine(_origin + _start, _origin + next, _start, lineEnd - _start, TooLong: false);
        _droppingFrom = null;
        _start = _scanned = next;
        return line;
    }

    public ReadOnlySpan<byte> Bytes(in DumpLine line) => _buffer.AsSpan(line.BufferStart, line.Length);

    /// <summary>Reads more of the stream; sets <see cref="EndOfStream"/> when there is no more.</summary>
    public async ValueTask FillAsync(Stream stream, CancellationToken cancellationToken)
    {
        MakeRoom();
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            EndOfStream = true;
        }

        _end += read;
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            // Move the incomplete line to the front.
            var pending = _end - _start;
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _origin += _start;
            _scanned -= _start;
            _start = 0;
            _end = pending;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        if (_buffer.Length < maxLineBytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, maxLineBytes));
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            return;
        }

        // A line longer than the limit: drop what we have of it and look for its end.
        _droppingFrom ??= _origin;
        _origin += _end;
        _end = _scanned = 0;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>A line found by <see cref="DumpLineBuffer"/>: where it is in the stream and in the buffer.</summary>
internal readonly record struct DumpLine(long Offset, long NextOffset, int BufferStart, int Length, bool TooLong);
