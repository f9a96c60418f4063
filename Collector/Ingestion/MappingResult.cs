using System.Diagnostics.CodeAnalysis;
using Collector.Model;

namespace Collector.Ingestion;

/// <summary>
/// The outcome of turning one JSON object into a <see cref="RedditItem"/>: the item, or the reason it could
/// not be built. Reasons read <c>code</c> or <c>code: detail</c> with a code from <see cref="MappingReasons"/>,
/// so they can be counted by code. Results compare by value.
/// </summary>
public sealed record MappingResult
{
    private MappingResult(RedditItem? item, string? reason)
    {
        Item = item;
        Reason = reason;
    }

    public RedditItem? Item { get; }

    public string? Reason { get; }

    [MemberNotNullWhen(true, nameof(Item))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsSuccess => Item is not null;

    /// <summary>The reason's code (the part before the colon), for metrics; null on success.</summary>
    public string? ReasonCode => Reason is null ? null : MappingReasons.CodeOf(Reason);

    public static MappingResult Success(RedditItem item) => new(item ?? throw new ArgumentNullException(nameof(item)), null);

    public static MappingResult Failure(string reason) =>
        new(null, string.IsNullOrEmpty(reason) ? throw new ArgumentException("A failure needs a reason.", nameof(reason)) : reason);

    public override string ToString() => IsSuccess ? $"{Item.Kind} {Item.Id}" : Reason;
}

/// <summary>The fixed vocabulary of mapping and reading failures (the part of a reason before the colon).</summary>
public static class MappingReasons
{
    /// <summary>The line is not well-formed JSON (detail: the parser's message).</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>The JSON is valid but not an object (detail: what it is).</summary>
    public const string NotAnObject = "not_an_object";

    /// <summary>Neither the fields (<c>title</c>, <c>body</c>, <c>link_id</c>, <c>name</c>) nor the file tell post from comment.</summary>
    public const string UnknownKind = "unknown_kind";

    /// <summary><c>created_utc</c> is absent or null.</summary>
    public const string MissingCreatedUtc = "missing_created_utc";

    /// <summary><c>created_utc</c> is neither a number nor a numeric string, or out of range (detail: the value).</summary>
    public const string InvalidCreatedUtc = "invalid_created_utc";

    /// <summary>A dump line longer than the reader accepts (detail: the limit); the reader skips to the next line.</summary>
    public const string LineTooLong = "line_too_long";

    /// <summary>The file cannot be read further (corrupt or truncated zstd data); the rest of the file is lost.</summary>
    public const string StreamError = "stream_error";

    /// <summary>An API listing child or a dump object that is not a <c>t3</c> or <c>t1</c> thing (detail: its kind, or what it is).</summary>
    public const string UnsupportedKind = "unsupported_kind";

    /// <summary>An object whose fullname or fields say another kind than its source (an <c>RS_</c> file, a listing of comments) does.</summary>
    public const string KindMismatch = "kind_mismatch";

    /// <summary>
    /// An API listing child without a fullname of the listing's kind (detail: what it has instead), which the
    /// poller cannot order against its checkpoint.
    /// </summary>
    public const string NoFullname = "no_fullname";

    public static string CodeOf(string reason)
    {
        var colon = reason.IndexOf(':');
        return colon < 0 ? reason : reason[..colon];
    }
}
