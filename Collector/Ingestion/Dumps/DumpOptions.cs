using System.ComponentModel.DataAnnotations;

namespace Collector.Ingestion.Dumps;

/// <summary>Reading dump files (section <c>Collector:Dumps</c>).</summary>
public sealed class DumpOptions
{
    public const string SectionName = "Collector:Dumps";

    /// <summary>
    /// Largest zstd window accepted, as a power of two. Pushshift / Arctic Shift dumps are compressed with
    /// <c>--long=31</c>; zstd's default limit (27) refuses them. Decoding such a file reserves up to 2 GiB of
    /// address space for the window, of which only what the file uses is touched.
    /// </summary>
    [Range(10, 31)]
    public int MaxWindowLog { get; set; } = 31;

    /// <summary>Initial size of the line buffer; it grows for longer lines, up to <see cref="MaxLineBytes"/>.</summary>
    [Range(64, 64 * 1024 * 1024)]
    public int BufferBytes { get; set; } = 1024 * 1024;

    /// <summary>A line longer than this (bytes) is skipped and reported as <c>line_too_long</c>.</summary>
    [Range(1024, 1024 * 1024 * 1024)]
    public int MaxLineBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// How many records a <see cref="DumpSource"/> hands out between two checkpoint writes. A crash re-reads
    /// at most this many records of the current file (delivery is at least once).
    /// </summary>
    [Range(1, 10_000_000)]
    public int CheckpointEveryRecords { get; set; } = 10_000;
}
