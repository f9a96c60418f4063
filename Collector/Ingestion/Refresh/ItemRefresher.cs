using Collector.Ingestion.Reddit;
using Collector.Model;
using Collector.Storage;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Refresh;

/// <summary>
/// One refresh pass: the stored items that are due (<see cref="ItemRefreshStore.DueAsync"/>) are read again through
/// <c>/api/info</c>, 100 a request in the <see cref="RequestLane.Refresh"/> lane. An edited text goes back into the
/// <see cref="IngestionPipeline"/> and is scored again (the upsert then stores the new text, score and sentiment);
/// a deletion or removal is recorded and the text and sentiment collected before it stay; every other item gets
/// its new Reddit score. An edit is queued before the pass is recorded, so a crash between reads it again next pass.
/// </summary>
public sealed class ItemRefresher(
    RedditClient client,
    ItemRefreshStore store,
    IngestionPipeline pipeline,
    IOptions<RefreshOptions> options,
    TimeProvider time,
    ILogger<ItemRefresher> logger)
{
    /// <param name="Read">Items asked about.</param>
    /// <param name="Edited">Of those, edited since: queued to be scored again.</param>
    /// <param name="Removed">Deleted or removed since.</param>
    /// <param name="Unknown">Reddit no longer answered for them.</param>
    public sealed record Pass(int Read, int Edited, int Removed, int Unknown);

    public async Task<Pass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var due = await store.DueAsync(now - settings.MaxAge, now - settings.MinInterval, settings.MaxItemsPerPass, cancellationToken);
        int edited = 0, removed = 0, unknown = 0;
        foreach (var chunk in due.Chunk(ListingQuery.MaxLimit))
        {
            var listing = await client.GetInfoAsync(chunk.Select(item => item.FullName).ToList(), cancellationToken, new RequestLane(RequestLane.Refresh));
            var answers = listing.Children.Where(child => child.Fullname is not null)
                .GroupBy(child => child.Fullname!, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
            var learnt = new List<RefreshedItem>(chunk.Length);
            var edits = new List<SourceRecord>();
            foreach (var stored in chunk)
            {
                if (!answers.TryGetValue(stored.FullName, out var answer))
                {
                    unknown++;
                    learnt.Add(new RefreshedItem(stored.Kind, stored.Id, stored.CreatedAt, null, null));
                    continue;
                }

                var removal = ThingRemoval.Of(answer.Raw);
                removed += removal is null ? 0 : 1;
                learnt.Add(new RefreshedItem(stored.Kind, stored.Id, stored.CreatedAt, answer.Item?.Score, removal));
                if (removal is null && answer.Item is { } item && IsEdited(stored, item))
                {
                    edits.Add(SourceRecords.From(answer));
                }
            }

            if (edits.Count > 0)
            {
                await pipeline.AcceptAsync(edits, "api:refresh", cancellationToken);
                edited += edits.Count;
            }

            await store.RecordAsync(learnt, now, cancellationToken);
        }

        if (due.Count > 0)
        {
            logger.LogInformation("Refresh: {Read} items read again, {Edited} edited (scored again), {Removed} deleted or removed, {Unknown} unknown to Reddit",
                due.Count, edited, removed, unknown);
        }

        return new Pass(due.Count, edited, removed, unknown);
    }

    // Stored texts went through StorableText on the way in; compare like with like.
    internal static bool IsEdited(StoredItem stored, RedditItem now) =>
        StorableText.Clean(now.Body) != stored.Body
        || (stored.Kind == RedditItemKind.Post && StorableText.Clean(now.Title ?? "") != (stored.Title ?? ""));
}
