using System.Buffers.Binary;

namespace Collector.Ingestion.Dumps;

/// <summary>How a dump file is compressed.</summary>
public enum DumpCompressionKind
{
    None,
    Zstd,
    Gzip,
}

/// <summary>Recognises zstd and gzip data by their magic numbers, whatever the file is called.</summary>
public static class DumpCompression
{
    private const byte GzipId1 = 0x1F;
    private const byte GzipId2 = 0x8B;

    private const uint ZstdFrameMagic = 0xFD2FB528;

    // Skippable frames (0x184D2A50-0x184D2A5F) may precede the first zstd frame.
    private const uint SkippableFrameMagic = 0x184D2A50;
    private const uint SkippableFrameMask = 0xFFFFFFF0;

    /// <summary>True when <paramref name="header"/> (the first bytes of a file) starts a zstd stream.</summary>
    public static bool IsZstd(ReadOnlySpan<byte> header)
    {
        if (header.Length < 4)
        {
            return false;
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        return magic == ZstdFrameMagic || (magic & SkippableFrameMask) == SkippableFrameMagic;
    }

    /// <summary>True when <paramref name="header"/> starts a gzip member (RFC 1952).</summary>
    public static bool IsGzip(ReadOnlySpan<byte> header) => header.Length >= 2 && header[0] == GzipId1 && header[1] == GzipId2;

    /// <summary>Reads the first bytes of a seekable stream to tell, and puts the position back.</summary>
    public static async ValueTask<DumpCompressionKind> DetectAsync(Stream stream, CancellationToken cancellationToken)
    {
        var start = stream.Position;
        var header = new byte[4];
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        stream.Position = start;
        var bytes = header.AsSpan(0, read);
        return IsZstd(bytes) ? DumpCompressionKind.Zstd : IsGzip(bytes) ? DumpCompressionKind.Gzip : DumpCompressionKind.None;
    }
}
