using Collector.Ingestion;
using System.Text.Json;
using Collector.Model;

namespace Collector.Ingestion.Reddit;

/// <summary>Turns the <c>data</c> object of a Reddit thing into a <see cref="RedditItem"/>.</summary>
public interface IRedditThingMapper
{
    MappingResult Map(JsonElement data, RedditItemKind kind);
}

/// <summary>
/// The API's things have the dump files' field names, so both sources share <see cref="RedditJsonMapper"/>;
/// what makes an item acceptable is decided afterwards by the validator, the same for both.
/// </summary>
internal sealed class ThingMapper : IRedditThingMapper
{
    public MappingResult Map(JsonElement data, RedditItemKind kind) => RedditJsonMapper.Map(data, kind);
}
