using Collector.Ingestion.Dumps;
using Collector.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Collector.UnitTests.Dumps;

public sealed class DumpSourceTests : IDisposable
{
    private readonly TestFolder _folder = new();
    private readonly InMemoryDumpCheckpointStore _checkpoints = new();

    public void Dispose() => _folder.Dispose();

    private DumpSource Source(int checkpointEvery = 1)
    {
        var options = Options.Create(new DumpOptions { CheckpointEveryRecords = checkpointEvery });
        return new DumpSource(new DumpFileReader(options), _checkpoints, options, NullLogger<DumpSource>.Instance);
    }

    private static string Comments(string prefix, int count) =>
        DumpFixtures.Ndjson([.. Enumerable.Range(0, count).Select(i => Samples.Comment2009.Replace("c0cmuol", $"{prefix}{i}"))]);

    private static async Task<List<DumpSourceRecord>> ReadAsync(DumpSource source, string path, int? stopAfter = null)
    {
        var records = new List<DumpSourceRecord>();
        await foreach (var record in source.ReadAsync(path, CancellationToken.None))
        {
            records.Add(record);
            if (records.Count == stopAfter)
            {
                break;
            }
        }

        return records;
    }

    private static IEnumerable<string?> Ids(IEnumerable<DumpSourceRecord> records) => records.Select(r => r.Result.Item?.Id);

    [Fact]
    public async Task A_folder_is_read_file_by_file_in_name_order_and_other_files_are_ignored()
    {
        var rs = _folder.Write("RS_2006-01.ndjson", DumpFixtures.Ndjson(Samples.LinkPost2005));
        var rc2 = _folder.Write("RC_2006-01.jsonl", Comments("b", 2));
        var rc1 = _folder.Write("RC_2005-12.zst", DumpFixtures.Zstd(Comments("a", 2)));
        _folder.Write("README.txt", "not a dump");
        _folder.Write("RC_2005-12.zst.part", "half a download");

        var records = await ReadAsync(Source(), _folder.Path);

        Assert.Equal([rc1, rc1, rc2, rc2, rs], records.Select(r => r.File));
        Assert.Equal(["a0", "a1", "b0", "b1", "87"], Ids(records));
    }

    [Fact]
    public async Task A_single_file_can_be_read_too()
    {
        var path = _folder.Write("RC_2005-12.ndjson", Comments("a", 3));

        Assert.Equal(["a0", "a1", "a2"], Ids(await ReadAsync(Source(), path)));
    }

    [Fact]
    public async Task A_stopped_read_resumes_per_file_without_gaps()
    {
        _folder.Write("RC_1.ndjson", Comments("a", 3));
        var second = _folder.Write("RC_2.zst", DumpFixtures.Zstd(Comments("b", 4)));
        _folder.Write("RC_3.ndjson", Comments("c", 2));

        var firstRun = await ReadAsync(Source(), _folder.Path, stopAfter: 5);
        var secondRun = await ReadAsync(Source(), _folder.Path);
        var thirdRun = await ReadAsync(Source(), _folder.Path);

        Assert.Equal(["a0", "a1", "a2", "b0", "b1"], Ids(firstRun));
        // The record the consumer stopped on was not confirmed (asking for the next one confirms): it comes again.
        Assert.Equal(["b1", "b2", "b3", "c0", "c1"], Ids(secondRun));
        Assert.Empty(thirdRun);
        Assert.Equal(firstRun[3].Record.NextOffset, secondRun[0].Record.Offset);
        Assert.All(_checkpoints.Offsets.Values, offset => Assert.Equal(DumpCheckpoint.Completed, offset));
        Assert.Equal(second, secondRun[0].File);
    }

    [Fact]
    public async Task Checkpoints_are_written_every_n_confirmed_records()
    {
        var path = Path.GetFullPath(_folder.Write("RC_1.ndjson", Comments("a", 10)));
        var source = Source(checkpointEvery: 3);
        var seen = new List<DumpSourceRecord>();
        var saved = new List<long>();

        await foreach (var record in source.ReadAsync(path, CancellationToken.None))
        {
            seen.Add(record);
            saved.Add(await _checkpoints.GetAsync(path, CancellationToken.None));
        }

        // While record k is being handled, records 1..k-1 are confirmed; every third confirmation is saved.
        var (third, sixth, ninth) = (seen[2].Record.NextOffset, seen[5].Record.NextOffset, seen[8].Record.NextOffset);
        Assert.Equal([0, 0, 0, third, third, third, sixth, sixth, sixth, ninth], saved);
        Assert.Equal(DumpCheckpoint.Completed, await _checkpoints.GetAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_read_keeps_the_chunks_that_were_confirmed_and_rereads_the_rest()
    {
        var path = _folder.Write("RC_1.ndjson", Comments("a", 10));
        using var cancel = new CancellationTokenSource();
        var seen = new List<DumpSourceRecord>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            // Chunks of 2: asking for the 4th record (the 2nd chunk) confirmed the 1st chunk only.
            await foreach (var record in Source(checkpointEvery: 2).ReadAsync(path, cancel.Token))
            {
                seen.Add(record);
                if (seen.Count == 4)
                {
                    await cancel.CancelAsync();
                    cancel.Token.ThrowIfCancellationRequested(); // the consumer's own work is cancelled
                }
            }
        });

        Assert.Equal(seen[1].Record.NextOffset, await _checkpoints.GetAsync(path, CancellationToken.None));
        Assert.Equal(["a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"], Ids(await ReadAsync(Source(), path)));
    }

    [Fact]
    public async Task A_corrupt_file_is_left_unfinished_and_the_folder_goes_on()
    {
        var compressed = DumpFixtures.Zstd(Comments("a", 3000), windowLog: 20);
        var corrupt = _folder.Write("RC_1.zst", compressed[..(compressed.Length / 2)]);
        _folder.Write("RC_2.ndjson", Comments("b", 2));

        var records = await ReadAsync(Source(), _folder.Path);

        var error = records.Single(r => r.Result.ReasonCode == "stream_error");
        Assert.Equal(corrupt, error.File);
        Assert.Equal(["b0", "b1"], Ids(records.Where(r => !r.File.Equals(corrupt))));
        Assert.Equal(error.Record.Offset, await _checkpoints.GetAsync(corrupt, CancellationToken.None));

        // The next run tries again from the checkpoint and meets the same damage: reported, not parked twice.
        var progress = new DumpProgress();
        var retry = new List<DumpRecord>();
        await foreach (var chunk in Source().ReadChunksAsync(_folder.Path, 10, progress, CancellationToken.None))
        {
            retry.AddRange(chunk.Records);
        }

        Assert.Empty(retry);
        var unfinished = Assert.Single(progress.Unfinished);
        Assert.Equal((corrupt, error.Record.Offset), (unfinished.File, unfinished.Offset));
        Assert.StartsWith("stream_error", unfinished.Reason);
    }

    [Fact]
    public async Task Files_of_a_folder_that_are_not_dumps_are_named_in_the_progress()
    {
        _folder.Write("RC_1.ndjson", Comments("a", 1));
        var bz2 = _folder.Write("RC_2.ndjson.bz2", "BZh9");
        var readme = _folder.Write("README.txt", "not a dump");
        var progress = new DumpProgress();

        await foreach (var _ in Source().ReadChunksAsync(_folder.Path, 10, progress, CancellationToken.None))
        {
        }

        Assert.Equal([bz2, readme], progress.Skipped);
        Assert.Empty(progress.Unfinished);
    }

    [Fact]
    public async Task Progress_covers_the_whole_folder_including_files_finished_earlier()
    {
        _folder.Write("RC_1.ndjson", Comments("a", 3));
        _folder.Write("RC_2.zst", DumpFixtures.Zstd(Comments("b", 3)));
        await ReadAsync(Source(), _folder.Path, stopAfter: 4);
        var progress = new DumpProgress();

        await foreach (var _ in Source().ReadAsync(_folder.Path, progress, CancellationToken.None))
        {
            Assert.Equal(1, progress.FilesCompleted);
            Assert.InRange(progress.Percent, 1, 100);
        }

        Assert.Equal((2, 2, 100.0), (progress.FilesTotal, progress.FilesCompleted, progress.Percent));
        Assert.Equal(Directory.EnumerateFiles(_folder.Path).Sum(f => new FileInfo(f).Length), progress.TotalBytes);
    }

    [Theory]
    [InlineData("RC_2019-04.zst", RedditItemKind.Comment)]
    [InlineData("RS_2019-04.zst", RedditItemKind.Post)]
    [InlineData("askscience_comments.zst", RedditItemKind.Comment)]
    [InlineData("askscience_submissions.ndjson", RedditItemKind.Post)]
    [InlineData("export.jsonl", null)]
    public void The_file_name_tells_the_kind_when_it_follows_the_dump_conventions(string name, RedditItemKind? kind)
    {
        Assert.Equal(kind, DumpFiles.KindFromName(Path.Combine("/data", name)));
    }

    [Fact]
    public async Task A_missing_path_is_an_error()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => ReadAsync(Source(), Path.Combine(_folder.Path, "nope")));
    }
}
