using System.Text;
using Collector.Ingestion.Dumps;
using Collector.Model;
using ZstdSharp;

namespace Collector.UnitTests.Dumps;

public sealed class DumpFileReaderTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // Blank lines, CRLF and a last line without its newline, as found in hand-made or concatenated dumps.
    private static readonly string Mixed =
        Samples.Comment2024 + "\n" +
        "\n" +
        Samples.RemovedComment2024 + "\r\n" +
        "{\"id\": \"broken\", \"body\": \n" +
        "   \n" +
        Samples.Comment2009 + "\n" +
        Samples.Comment2005 + "\n" +
        Samples.LinkPost2005;

    private static object Shape(DumpRecord record) => (record.Offset, record.NextOffset, record.Result);

    [Fact]
    public async Task Reads_every_line_with_its_offsets_and_skips_blank_lines()
    {
        var path = _folder.Write("mixed.ndjson", Mixed); // a name without a kind: the lines' own fields tell theirs
        var bytes = await File.ReadAllBytesAsync(path);

        var records = await DumpFixtures.Reader().ReadAllAsync(path);

        Assert.Equal(6, records.Count);
        Assert.Equal([1L, 3, 4, 6, 7, 8], records.Select(r => r.LineNumber));
        Assert.All(records, r => Assert.Equal((byte)'{', bytes[r.Offset]));
        Assert.All(records.SkipLast(1), r => Assert.Equal((byte)'\n', bytes[r.NextOffset - 1]));
        Assert.Equal(bytes.Length, records[^1].NextOffset);
        Assert.Equal(["kod0bkd", "kod0bkj", null, "c0cmuol", "c15", "87"], records.Select(r => r.Result.Item?.Id));
    }

    [Fact]
    public async Task A_malformed_line_yields_a_failure_and_reading_goes_on()
    {
        var path = _folder.Write("dump.ndjson", Mixed);

        var records = await DumpFixtures.Reader().ReadAllAsync(path);

        var broken = records[2];
        Assert.False(broken.Result.IsSuccess);
        Assert.Equal("invalid_json", broken.Result.ReasonCode);
        Assert.Equal(4, broken.LineNumber);
        Assert.All(records.Skip(3), r => Assert.True(r.Result.IsSuccess, r.Result.Reason));
    }

    [Fact]
    public async Task The_file_name_gives_the_kind_and_a_line_of_another_kind_is_refused()
    {
        const string ambiguous = """{"id":"x1","subreddit":"a","created_utc":1200000000}""";
        const string commentWithTitle = """{"id":"x2","title":"a post's title","body":"the reply","link_id":"t3_p","subreddit":"a","created_utc":1200000000}""";
        var submissions = _folder.Write("RS_2008-01.ndjson", ambiguous + "\n" + Samples.Comment2009 + "\n");
        var comments = _folder.Write("RC_2008-01.ndjson", commentWithTitle + "\n");
        var unknown = _folder.Write("misc.ndjson", ambiguous + "\n");

        var fromSubmissions = await DumpFixtures.Reader().ReadAllAsync(submissions);
        Assert.Equal(RedditItemKind.Post, fromSubmissions[0].Result.Item?.Kind);
        Assert.Equal("kind_mismatch: a comment in a source of posts", fromSubmissions[1].Result.Reason);
        var reply = (await DumpFixtures.Reader().ReadAllAsync(comments)).Single().Result.Item!;
        Assert.Equal((RedditItemKind.Comment, "the reply", null), (reply.Kind, reply.Body, reply.Title));
        Assert.Equal("unknown_kind", (await DumpFixtures.Reader().ReadAllAsync(unknown))[0].Result.Reason);
    }

    [Fact]
    public async Task A_byte_order_mark_is_ignored()
    {
        var path = _folder.Write("bom.ndjson", [.. "\uFEFF"u8, .. Encoding.UTF8.GetBytes(DumpFixtures.Ndjson(Samples.Comment2009))]);

        var records = await DumpFixtures.Reader().ReadAllAsync(path);

        Assert.True(records.Single().Result.IsSuccess, records[0].Result.Reason);
    }

    [Fact]
    public async Task An_empty_file_has_no_records()
    {
        var path = _folder.Write("empty.zst", "");

        Assert.Empty(await DumpFixtures.Reader().ReadAllAsync(path));
    }

    [Fact]
    public async Task A_zstd_file_with_a_2_GiB_window_reads_the_same_records_as_the_plain_file()
    {
        var plain = _folder.Write("RC_plain.ndjson", Mixed);
        var compressed = DumpFixtures.Zstd(Mixed, windowLog: 31);
        var zst = _folder.Write("RC_plain.ndjson.zst", compressed);

        var fromPlain = await DumpFixtures.Reader().ReadAllAsync(plain);
        var fromZstd = await DumpFixtures.Reader().ReadAllAsync(zst);

        Assert.Equal(31, DumpFixtures.DeclaredWindowLog(compressed));
        Assert.Equal(fromPlain, fromZstd);
    }

    [Fact]
    public async Task Zstd_refuses_a_2_GiB_window_unless_told_so_which_is_why_the_reader_raises_the_limit()
    {
        await using var defaultDecoder = new DecompressionStream(new MemoryStream(DumpFixtures.Zstd(Mixed, windowLog: 31)));

        await Assert.ThrowsAsync<ZstdException>(async () => await defaultDecoder.ReadAtLeastAsync(new byte[1024], 1));
    }

    [Fact]
    public async Task Compression_is_recognised_by_content_not_by_name()
    {
        var zstdNamedPlain = _folder.Write("RC_a.ndjson", DumpFixtures.Zstd(Mixed, windowLog: 20));
        var plainNamedZstd = _folder.Write("RC_b.zst", Mixed);
        var expected = (await DumpFixtures.Reader().ReadAllAsync(_folder.Write("RC_c.ndjson", Mixed))).Select(r => r.Result);

        Assert.Equal(expected, (await DumpFixtures.Reader().ReadAllAsync(zstdNamedPlain)).Select(r => r.Result));
        Assert.Equal(expected, (await DumpFixtures.Reader().ReadAllAsync(plainNamedZstd)).Select(r => r.Result));
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    [Fact]
    public async Task A_gzip_file_reads_the_same_records_as_the_plain_file_even_in_several_members()
    {
        var half = Mixed.Length / 2;
        var gz = _folder.Write("RC_a.ndjson.gz", [.. Gzip(Mixed[..half]), .. Gzip(Mixed[half..])]);
        var expected = await DumpFixtures.Reader().ReadAllAsync(_folder.Write("RC_a.ndjson", Mixed));

        Assert.True(DumpFiles.IsDumpFile(gz));
        Assert.Equal(expected, await DumpFixtures.Reader().ReadAllAsync(gz));
        Assert.Equal(expected.Skip(2).Select(Shape), (await DumpFixtures.Reader().ReadAllAsync(gz, expected[1].NextOffset)).Select(Shape));
    }

    [Fact]
    public async Task Texts_are_decoded_from_the_dumps_html_entities_as_the_api_sends_them()
    {
        var line = Samples.Comment2009.Replace("um. www.cmu.edu proves", "&gt; quoted &amp;amp; AT&amp;T &lt;3 &quot;kept&quot;");
        var path = _folder.Write("RC_entities.ndjson", line + "\n");

        var item = (await DumpFixtures.Reader().ReadAllAsync(path)).Single().Result.Item!;

        Assert.StartsWith("> quoted &amp; AT&T <3 &quot;kept&quot;", item.Body);
    }

    [Fact]
    public async Task Several_frames_and_a_leading_skippable_frame_read_as_one_stream()
    {
        byte[] skippable = [0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 1, 2, 3, 4];
        var half = Mixed.Length / 2;
        var path = _folder.Write("RC_frames.zst",
            [.. skippable, .. DumpFixtures.Zstd(Mixed[..half], windowLog: 20), .. DumpFixtures.Zstd(Mixed[half..], windowLog: 22)]);

        var records = await DumpFixtures.Reader().ReadAllAsync(path);

        Assert.Equal(await DumpFixtures.Reader().ReadAllAsync(_folder.Write("RC_frames.ndjson", Mixed)), records);
    }

    [Fact]
    public async Task A_truncated_zstd_file_ends_with_a_stream_error_after_the_lines_it_could_read()
    {
        var text = string.Concat(Enumerable.Range(0, 2000).Select(i => Samples.Comment2009.Replace("c0cmuol", $"c{i:D6}") + "\n"));
        var compressed = DumpFixtures.Zstd(text, windowLog: 20);
        var path = _folder.Write("RC_cut.zst", compressed[..(compressed.Length * 2 / 3)]);

        var records = await DumpFixtures.Reader().ReadAllAsync(path);

        var last = records[^1];
        Assert.Equal("stream_error", last.Result.ReasonCode);
        Assert.Equal(records[^2].NextOffset, last.Offset);
        Assert.Equal(last.Offset, last.NextOffset);
        Assert.InRange(records.Count, 2, 2000);
        Assert.All(records.SkipLast(1), r => Assert.True(r.Result.IsSuccess, r.Result.Reason));
        Assert.Equal(Enumerable.Range(0, records.Count - 1).Select(i => $"c{i:D6}"), records.SkipLast(1).Select(r => r.Result.Item!.Id));
    }

    [Fact]
    public async Task Resuming_after_any_record_yields_exactly_the_remaining_records()
    {
        var plain = _folder.Write("RC_resume.ndjson", Mixed);
        var zst = _folder.Write("RC_resume.zst", DumpFixtures.Zstd(Mixed));
        foreach (var path in new[] { plain, zst })
        {
            var all = await DumpFixtures.Reader().ReadAllAsync(path);
            for (var i = 0; i < all.Count; i++)
            {
                var rest = await DumpFixtures.Reader().ReadAllAsync(path, all[i].NextOffset);

                Assert.Equal(all.Skip(i + 1).Select(Shape), rest.Select(Shape));
                Assert.Equal(all.Skip(i + 1).Select(r => r.LineNumber - all[i].LineNumber), rest.Select(r => r.LineNumber));
            }
        }
    }

    [Fact]
    public async Task Resuming_inside_a_line_starts_at_the_next_line()
    {
        var path = _folder.Write("RC_offsets.ndjson", Mixed);
        var zst = _folder.Write("RC_offsets.zst", DumpFixtures.Zstd(Mixed));
        var all = await DumpFixtures.Reader().ReadAllAsync(path);
        var length = new FileInfo(path).Length;

        for (var offset = 0L; offset <= length + 1; offset++)
        {
            var expected = all.Where(r => r.Offset >= offset).Select(Shape).ToList();

            Assert.Equal(expected, (await DumpFixtures.Reader().ReadAllAsync(path, offset)).Select(Shape));
            if (offset % 97 == 0 || offset == length)
            {
                Assert.Equal(expected, (await DumpFixtures.Reader().ReadAllAsync(zst, offset)).Select(Shape));
            }
        }
    }

    [Fact]
    public async Task A_100_kB_line_of_multibyte_text_reads_whole_even_through_a_tiny_buffer()
    {
        var body = string.Concat(Enumerable.Repeat("Grüße, naïve café 😀 — ", 4200));
        var line = $$"""{"id":"p1","title":"Long","selftext":"{{body}}","subreddit":"a","created_utc":1200000000}""";
        Assert.True(Encoding.UTF8.GetByteCount(line) > 100_000);
        var text = DumpFixtures.Ndjson(Samples.Comment2009, line, Samples.Comment2005);
        var plain = _folder.Write("long.ndjson", text);
        var zst = _folder.Write("long.zst", DumpFixtures.Zstd(text));

        foreach (var reader in new[] { DumpFixtures.Reader(), DumpFixtures.Reader(bufferBytes: 64) })
        {
            foreach (var path in new[] { plain, zst })
            {
                var records = await reader.ReadAllAsync(path);

                Assert.Equal(3, records.Count);
                Assert.Equal(body, records[1].Result.Item?.Body);
                Assert.Equal(["c0cmuol", "p1", "c15"], records.Select(r => r.Result.Item?.Id));
            }
        }
    }

    [Fact]
    public async Task A_tiny_buffer_splits_lines_and_characters_anywhere_and_reads_the_same()
    {
        var path = _folder.Write("RC_tiny.ndjson", Mixed + "\n" + """{"id":"c9","body":"日本語のテキスト😀","subreddit":"a","created_utc":1200000000}""");

        Assert.Equal(await DumpFixtures.Reader().ReadAllAsync(path), await DumpFixtures.Reader(bufferBytes: 64).ReadAllAsync(path));
    }

    [Fact]
    public async Task A_line_over_the_limit_is_reported_and_skipped()
    {
        var huge = $$"""{"id":"c1","body":"{{new string('x', 5000)}}","subreddit":"a","created_utc":1200000000}""";
        var text = DumpFixtures.Ndjson(Samples.Comment2009, huge, Samples.Comment2005, huge);
        var path = _folder.Write("RC_huge.ndjson", text[..^1]); // the last line ends the file

        var records = await DumpFixtures.Reader(bufferBytes: 256, maxLineBytes: 1024).ReadAllAsync(path);

        Assert.Equal(["c0cmuol", null, "c15", null], records.Select(r => r.Result.Item?.Id));
        Assert.Equal("line_too_long: more than 1024 bytes", records[1].Result.Reason);
        Assert.Equal(records[0].NextOffset, records[1].Offset);
        Assert.Equal(records[2].Offset, records[1].NextOffset);
        Assert.Equal(new FileInfo(path).Length, records[3].NextOffset);
    }

    [Fact]
    public async Task Progress_follows_the_compressed_position()
    {
        var text = string.Concat(Enumerable.Range(0, 5000).Select(i => Samples.Comment2024.Replace("kod0bkd", $"k{i}") + "\n"));
        var path = _folder.Write("RC_progress.zst", DumpFixtures.Zstd(text, windowLog: 20));
        var progress = new DumpProgress();
        var seen = new List<double>();

        await foreach (var _ in DumpFixtures.Reader(bufferBytes: 4096).ReadAsync(path, 0, progress, CancellationToken.None))
        {
            seen.Add(progress.Percent);
        }

        Assert.Equal(new FileInfo(path).Length, progress.TotalBytes);
        Assert.Equal(progress.TotalBytes, progress.CurrentFileBytesRead);
        Assert.Equal(100, progress.Percent);
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task Cancellation_stops_the_read()
    {
        var path = _folder.Write("RC_cancel.ndjson", Mixed);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in DumpFixtures.Reader(bufferBytes: 64).ReadAsync(path, 0, cancel.Token))
            {
                await cancel.CancelAsync();
            }
        });
    }
}
