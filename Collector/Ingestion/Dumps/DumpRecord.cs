using Collector.Ingestion;
namespace Collector.Ingestion.Dumps;

/// <summary>One non-blank line of a dump file and what it mapped to.</summary>
/// <param name="Offset">Byte offset of the line's start in the decompressed stream.</param>
/// <param name="NextOffset">Byte offset just after the line and its newline: where to resume after this record.</param>
/// <param name="Result">The item, or why there is none.</param>
/// <param name="LineNumber">
/// 1-based line number counted from where the read started (blank lines count). It is the file's own line
/// number only for a read from offset 0; <paramref name="Offset"/> is the stable position.
/// </param>
public readonly record struct DumpRecord(long Offset, long NextOffset, MappingResult Result, long LineNumber);

/// <summary>A record of a <see cref="DumpSource"/>, tagged with the file it comes from (a full path).</summary>
public readonly record struct DumpSourceRecord(string File, DumpRecord Record)
{
    public MappingResult Result => Record.Result;
}

/// <summary>Consecutive records of one dump file, handed over together.</summary>
public sealed record DumpChunk(string File, IReadOnlyList<DumpRecord> Records);
