using System.Text;
using Collector.Ingestion.Dumps;
using Microsoft.Extensions.Options;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Collector.UnitTests.Dumps;

/// <summary>A temporary folder for the files of one test.</summary>
internal sealed class TestFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("dumps-tests-").FullName;

    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class DumpFixtures
{
    public static string Ndjson(params string[] lines) => string.Join("\n", lines) + "\n";

    public static DumpFileReader Reader(int bufferBytes = 1024 * 1024, int maxLineBytes = 64 * 1024 * 1024) =>
        new(Options.Create(new DumpOptions { BufferBytes = bufferBytes, MaxLineBytes = maxLineBytes }));

    public static async Task<List<DumpRecord>> ReadAllAsync(this DumpFileReader reader, string path, long startOffset = 0)
    {
        var records = new List<DumpRecord>();
        await foreach (var record in reader.ReadAsync(path, startOffset, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Compresses like the dumps are (<c>zstd --long=31</c>): a 2 GiB window and long-distance matching.</summary>
    public static byte[] Zstd(byte[] data, int windowLog = 31, int level = 3)
    {
        using var output = new MemoryStream();
        using (var zstd = new CompressionStream(output, level))
        {
            zstd.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, windowLog);
            zstd.SetParameter(ZSTD_cParameter.ZSTD_c_enableLongDistanceMatching, 1);
            zstd.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Zstd(string text, int windowLog = 31) => Zstd(Encoding.UTF8.GetBytes(text), windowLog);

    /// <summary>The window size a zstd frame header declares, as a power of two (the frame is not single-segment).</summary>
    public static int DeclaredWindowLog(byte[] frame)
    {
        var descriptor = frame[4];
        Assert.Equal(0, descriptor & 0x20); // not single-segment: a window descriptor follows
        return 10 + (frame[5] >> 3);
    }
}
