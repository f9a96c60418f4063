namespace Collector.Ingestion.Reddit;

/// <summary>API children as the pipeline takes them, the same for listings, threads and refreshes.</summary>
public static class SourceRecords
{
    /// <summary>
    /// A mapped child as its item (origin <c>api:{fullname}</c>); any other as a failure with its reason and, as its
    /// origin, the child's JSON as Reddit sent it, so the parked entry can be read and reprocessed.
    /// </summary>
    public static SourceRecord From(ListingChild child) => child.Item is { } item
        ? new SourceRecord(MappingResult.Success(item), $"api:{item.FullName}")
        : new SourceRecord(MappingResult.Failure(child.SkipReason ?? $"{MappingReasons.UnsupportedKind}: {child.Kind}"), child.Raw);
}
