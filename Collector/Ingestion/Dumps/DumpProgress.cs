namespace Collector.Ingestion.Dumps;

/// <summary>
/// How far a read has come, in bytes of the files on disk (compressed bytes for <c>.zst</c>), so that
/// <see cref="Percent"/> is meaningful for compressed dumps. Written by the reading loop, safe to read from
/// any thread (e.g. a periodic log or a metrics gauge).
/// </summary>
public sealed class DumpProgress
{
    private readonly Lock _gate = new();
    private readonly List<string> _skipped = [];
    private readonly List<UnfinishedDumpFile> _unfinished = [];
    private string? _currentFile;
    private long _currentFileLength;
    private long _currentFileBytesRead;
    private long _totalBytes;
    private long _completedBytes;
    private int _filesTotal;
    private int _filesCompleted;

    public string? CurrentFile => Volatile.Read(ref _currentFile);

    public long CurrentFileLength => Volatile.Read(ref _currentFileLength);

    /// <summary>Bytes of the current file read from disk so far (its compressed position).</summary>
    public long CurrentFileBytesRead => Volatile.Read(ref _currentFileBytesRead);

    /// <summary>Bytes of all files of the read; the current file's length when one file is read alone.</summary>
    public long TotalBytes => Volatile.Read(ref _totalBytes);

    /// <summary>Bytes of files already finished (or skipped as finished by an earlier run).</summary>
    public long CompletedBytes => Volatile.Read(ref _completedBytes);

    public int FilesTotal => Volatile.Read(ref _filesTotal);

    public int FilesCompleted => Volatile.Read(ref _filesCompleted);

    /// <summary>Files of a folder that are not dumps by their name, left out (a README, a <c>.bz2</c>).</summary>
    public IReadOnlyList<string> Skipped
    {
        get
        {
            lock (_gate)
            {
                return [.. _skipped];
            }
        }
    }

    /// <summary>Files whose compressed stream could not be read to its end.</summary>
    public IReadOnlyList<UnfinishedDumpFile> Unfinished
    {
        get
        {
            lock (_gate)
            {
                return [.. _unfinished];
            }
        }
    }

    public double Percent
    {
        get
        {
            var total = TotalBytes;
            var done = CompletedBytes + CurrentFileBytesRead;
            return total <= 0 ? 0 : Math.Min(100, 100.0 * done / total);
        }
    }

    internal void StartSet(int files, long bytes)
    {
        Volatile.Write(ref _filesTotal, files);
        Volatile.Write(ref _totalBytes, bytes);
        Volatile.Write(ref _filesCompleted, 0);
        Volatile.Write(ref _completedBytes, 0);
    }

    internal void StartFile(string file, long length, long position)
    {
        Volatile.Write(ref _currentFile, file);
        Volatile.Write(ref _currentFileLength, length);
        Volatile.Write(ref _currentFileBytesRead, position);
        if (FilesTotal == 0)
        {
            // Read alone, not as part of a DumpSource set.
            Volatile.Write(ref _totalBytes, length);
        }
    }

    internal void Skip(string file)
    {
        lock (_gate)
        {
            _skipped.Add(file);
        }
    }

    internal void LeaveUnfinished(UnfinishedDumpFile file)
    {
        lock (_gate)
        {
            _unfinished.Add(file);
        }
    }

    internal void FileRead(long position) => Volatile.Write(ref _currentFileBytesRead, position);

    internal void CompleteFile(long length)
    {
        Interlocked.Add(ref _completedBytes, length);
        Interlocked.Increment(ref _filesCompleted);
        Volatile.Write(ref _currentFileBytesRead, 0);
    }

    public override string ToString() =>
        $"{Percent:F1}% ({CompletedBytes + CurrentFileBytesRead:N0} of {TotalBytes:N0} bytes, file {FilesCompleted + 1} of {Math.Max(FilesTotal, 1)}: {CurrentFile})";
}

/// <summary>A dump file readable only up to <paramref name="Offset"/> (decompressed), and why.</summary>
public sealed record UnfinishedDumpFile(string File, long Offset, string Reason);
