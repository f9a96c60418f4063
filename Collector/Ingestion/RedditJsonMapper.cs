using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Collector.Model;

namespace Collector.Ingestion;

/// <summary>
/// Maps one Reddit JSON object to a <see cref="RedditItem"/>: a line of a Pushshift / Arctic Shift dump, or the
/// <c>data</c> of an API <c>t1</c>/<c>t3</c> thing (the field names are the same). Dumps span 2005-2024, so the
/// mapper reads only the fields it needs, skips the rest (up to ~110 fields, <c>_meta</c>, nested objects)
/// without building a DOM, and tolerates the eras' differences: <c>created_utc</c> as an integer, a float or a
/// numeric string; missing <c>name</c>; escaped lone surrogates (decoded as U+FFFD rather than rejected).
/// </summary>
/// <remarks>
/// Mapping fails only when no item can be built (invalid JSON, no usable <c>created_utc</c>, a kind that is
/// unknown, not a post or comment, or not the source's).
/// Absent text fields become empty strings and are left to <c>ItemValidator</c>, which owns the rules about
/// what an acceptable item is. Texts are returned as the JSON holds them; a dump's HTML-escaped texts are
/// decoded by its reader (<see cref="Dumps.DumpText"/>), the API's come unescaped (<c>raw_json=1</c>).
/// </remarks>
public static class RedditJsonMapper
{
    // An API comment's data nests its whole reply tree (about five levels per reply).
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 1024 };

    /// <summary>Maps one UTF-8 JSON object (a dump line). Never throws for bad input: it fails with a reason.</summary>
    /// <param name="utf8Json">The object's UTF-8 bytes; surrounding whitespace is allowed.</param>
    /// <param name="knownKind">The kind the source says its objects are (a dump file's name, an API thing's kind); null when it does not say.</param>
    public static MappingResult Map(ReadOnlySpan<byte> utf8Json, RedditItemKind? knownKind = null)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                return Failure(MappingReasons.InvalidJson, "empty");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return Failure(MappingReasons.NotAnObject, Describe(reader.TokenType));
            }

            var result = MapObject(ref reader, knownKind);
            return reader.Read() ? Failure(MappingReasons.InvalidJson, "data after the object") : result;
        }
        catch (JsonException e)
        {
            return Failure(MappingReasons.InvalidJson, e.Message);
        }
    }

    /// <inheritdoc cref="Map(ReadOnlySpan{byte}, RedditItemKind?)"/>
    public static MappingResult Map(string json, RedditItemKind? knownKind = null) => Map(Encoding.UTF8.GetBytes(json), knownKind);

    /// <summary>Maps a parsed object, such as the <c>data</c> of an API thing.</summary>
    public static MappingResult Map(JsonElement data, RedditItemKind? knownKind = null) =>
        data.ValueKind == JsonValueKind.Object
            ? Map(JsonMarshal.GetRawUtf8Value(data), knownKind)
            : Failure(MappingReasons.NotAnObject, data.ValueKind.ToString().ToLowerInvariant());

    /// <summary>
    /// Maps the object the reader is on (a <see cref="JsonTokenType.StartObject"/>), for callers that stream a
    /// larger document such as an API listing; leaves the reader on the object's <see cref="JsonTokenType.EndObject"/>.
    /// </summary>
    /// <exception cref="JsonException">
    /// The JSON is malformed (the caller's reader cannot go on either), or the reader's data ends inside the object.
    /// </exception>
    public static MappingResult Map(ref Utf8JsonReader reader, RedditItemKind? knownKind = null) =>
        reader.TokenType == JsonTokenType.StartObject
            ? MapObject(ref reader, knownKind)
            : Failure(MappingReasons.NotAnObject, Describe(reader.TokenType));

    private static MappingResult MapObject(ref Utf8JsonReader reader, RedditItemKind? knownKind)
    {
        string? id = null, name = null, subreddit = null, author = null, title = null, selftext = null, body = null;
        string? parentId = null, linkId = null, permalink = null;
        int? score = null;
        var created = UnixTime.Missing;

        while (true)
        {
            // Read the whole object before judging it, so that malformed JSON is reported as such.
            if (!reader.Read())
            {
                return Failure(MappingReasons.InvalidJson, "the object is not closed");
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var field = Identify(ref reader);
            if (!reader.Read())
            {
                return Failure(MappingReasons.InvalidJson, "the object is not closed");
            }

            switch (field)
            {
                case Field.Id: id = JsonValues.ReadString(ref reader); break;
                case Field.Name: name = JsonValues.ReadString(ref reader); break;
                case Field.Subreddit: subreddit = JsonValues.ReadString(ref reader); break;
                case Field.Author: author = JsonValues.ReadString(ref reader); break;
                case Field.Title: title = JsonValues.ReadString(ref reader); break;
                case Field.Selftext: selftext = JsonValues.ReadString(ref reader); break;
                case Field.Body: body = JsonValues.ReadString(ref reader); break;
                case Field.ParentId: parentId = JsonValues.ReadString(ref reader); break;
                case Field.LinkId: linkId = JsonValues.ReadString(ref reader); break;
                case Field.Permalink: permalink = JsonValues.ReadString(ref reader); break;
                case Field.Score: score = JsonValues.ReadScore(ref reader); break;
                case Field.CreatedUtc: created = JsonValues.ReadUnixTime(ref reader); break;
                default: JsonValues.Skip(ref reader); break;
            }
        }

        var kind = KindOf(name ?? id, knownKind, title is not null || selftext is not null, body is not null || linkId is not null, out var kindError);
        if (kind is null)
        {
            return MappingResult.Failure(kindError);
        }

        if (created.At is not { } createdAt)
        {
            return MappingResult.Failure(created.Error ?? MappingReasons.MissingCreatedUtc);
        }

        var isPost = kind == RedditItemKind.Post;
        return MappingResult.Success(new RedditItem(
            kind.Value,
            WithoutKindPrefix(id ?? name) ?? "",
            subreddit ?? "",
            author ?? "[deleted]",
            isPost ? title : null,
            (isPost ? selftext : body) ?? "",
            createdAt,
            ParentId: isPost ? null : parentId,
            PostId: isPost ? null : PostIdOf(linkId, parentId),
            Score: score,
            Permalink: string.IsNullOrEmpty(permalink) ? null : permalink));
    }

    private static string? PostIdOf(string? linkId, string? parentId)
    {
        if (!string.IsNullOrEmpty(linkId))
        {
            return WithoutKindPrefix(linkId);
        }

        // A top-level comment's parent is the post itself.
        return parentId is not null && parentId.StartsWith("t3_", StringComparison.Ordinal) ? parentId[3..] : null;
    }

    private static string? WithoutKindPrefix(string? id) =>
        id is not null && id.Length > 3 && id[0] == 't' && (id[1] == '1' || id[1] == '3') && id[2] == '_' ? id[3..] : id;

    /// <summary>
    /// The object's kind: its own fullname's prefix first (<c>t1_</c>, <c>t3_</c>; another thing, such as a
    /// <c>t5_</c> subreddit, is refused), then the kind the source knows (a dump file's name, the API thing's
    /// kind), which a contradicting fullname or unambiguous fields turn into a mismatch; only without either do
    /// the fields decide (a title or self text makes a post, a body or link id a comment).
    /// </summary>
    private static RedditItemKind? KindOf(string? name, RedditItemKind? knownKind, bool hasPostFields, bool hasCommentFields, out string error)
    {
        error = MappingReasons.UnknownKind;
        RedditItemKind? byName = null;
        if (name is { Length: > 3 } && name[0] == 't' && name[2] == '_' && char.IsAsciiDigit(name[1]))
        {
            byName = name[1] switch { '1' => RedditItemKind.Comment, '3' => RedditItemKind.Post, _ => null };
            if (byName is null)
            {
                error = $"{MappingReasons.UnsupportedKind}: {name[..2]}";
                return null;
            }
        }

        RedditItemKind? byFields = hasPostFields == hasCommentFields ? null : hasPostFields ? RedditItemKind.Post : RedditItemKind.Comment;
        if (knownKind is { } known)
        {
            if ((byName ?? byFields) is { } seen && seen != known)
            {
                error = $"{MappingReasons.KindMismatch}: a {Noun(seen)} in a source of {Noun(known)}s";
                return null;
            }

            return known;
        }

        return byName ?? (hasPostFields ? RedditItemKind.Post : hasCommentFields ? RedditItemKind.Comment : null);
    }

    private static string Noun(RedditItemKind kind) => kind == RedditItemKind.Post ? "post" : "comment";

    private enum Field
    {
        Other,
        Id,
        Name,
        Subreddit,
        Author,
        Title,
        Selftext,
        Body,
        ParentId,
        LinkId,
        Permalink,
        Score,
        CreatedUtc,
    }

    private static Field Identify(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return Identify(reader.ValueSpan);
        }

        try
        {
            return Identify(Encoding.UTF8.GetBytes(reader.GetString()!));
        }
        catch (InvalidOperationException)
        {
            return Field.Other; // a name with broken escapes is none of ours
        }
    }

    // Dump lines carry up to ~110 fields; comparing by length first keeps the miss path cheap.
    private static Field Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => Field.Id,
        4 when name.SequenceEqual("body"u8) => Field.Body,
        4 when name.SequenceEqual("name"u8) => Field.Name,
        5 when name.SequenceEqual("title"u8) => Field.Title,
        5 when name.SequenceEqual("score"u8) => Field.Score,
        6 when name.SequenceEqual("author"u8) => Field.Author,
        7 when name.SequenceEqual("link_id"u8) => Field.LinkId,
        8 when name.SequenceEqual("selftext"u8) => Field.Selftext,
        9 when name.SequenceEqual("subreddit"u8) => Field.Subreddit,
        9 when name.SequenceEqual("parent_id"u8) => Field.ParentId,
        9 when name.SequenceEqual("permalink"u8) => Field.Permalink,
        11 when name.SequenceEqual("created_utc"u8) => Field.CreatedUtc,
        _ => Field.Other,
    };

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static MappingResult Failure(string code, string detail) => MappingResult.Failure($"{code}: {detail}");
}
