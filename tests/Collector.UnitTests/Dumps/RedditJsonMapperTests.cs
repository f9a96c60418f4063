using Collector.Ingestion;
using System.Text;
using System.Text.Json;
using Collector.Ingestion.Dumps;
using Collector.Model;

namespace Collector.UnitTests.Dumps;

public sealed class RedditJsonMapperTests
{
    private static RedditItem MapOk(string json, RedditItemKind? kindHint = null)
    {
        var result = RedditJsonMapper.Map(json, kindHint);
        Assert.True(result.IsSuccess, result.Reason);
        return result.Item;
    }

    private static string MapFails(string json, RedditItemKind? kindHint = null)
    {
        var result = RedditJsonMapper.Map(json, kindHint);
        Assert.False(result.IsSuccess);
        return result.Reason;
    }

    [Fact]
    public void A_2024_comment_maps_every_field_and_ignores_meta()
    {
        var item = MapOk(Samples.Comment2024);

        Assert.Equal(new RedditItem(RedditItemKind.Comment, "kod0bkd", "woodworking", "DubsAli", null,
            "Absolutely stunning. Really love this, perfect finish IMO as well.",
            DateTimeOffset.FromUnixTimeSeconds(1706745600),
            ParentId: "t3_1afjd7n", PostId: "1afjd7n", Score: 2,
            Permalink: "/r/woodworking/comments/1afjd7n/a_full_maple_farmhouse_table_i_made/kod0bkd/"), item);
    }

    [Theory]
    [InlineData("1134366848", 1134366848_000L)]
    [InlineData("1706745600.0", 1706745600_000L)]
    [InlineData("1706745600.25", 1706745600_250L)]
    [InlineData("1.7067456E9", 1706745600_000L)]
    [InlineData("\"1251763200\"", 1251763200_000L)]
    [InlineData("\" 1251763200 \"", 1251763200_000L)]
    [InlineData("\"1251763200.5\"", 1251763200_500L)]
    public void Created_utc_is_read_as_an_integer_a_float_or_a_numeric_string(string value, long expectedMilliseconds)
    {
        var item = MapOk($$"""{"id":"c1","body":"hi","subreddit":"a","created_utc":{{value}}}""");

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expectedMilliseconds), item.CreatedAt);
    }

    [Fact]
    public void The_three_eras_of_created_utc_in_real_lines()
    {
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), MapOk(Samples.Comment2024).CreatedAt);
        Assert.Equal(new DateTimeOffset(2009, 9, 1, 0, 0, 0, TimeSpan.Zero), MapOk(Samples.Comment2009).CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1134366848), MapOk(Samples.Comment2005).CreatedAt);
    }

    [Theory]
    [InlineData("""{"id":"c1","body":"hi"}""", "missing_created_utc")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":null}""", "missing_created_utc")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":"yesterday"}""", "invalid_created_utc: \"yesterday\"")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":""}""", "invalid_created_utc: \"\"")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":true}""", "invalid_created_utc: boolean")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":{"$date":1}}""", "invalid_created_utc: object")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":1e300}""", "invalid_created_utc: 1e300")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":99999999999999}""", "invalid_created_utc: 99999999999999")]
    public void Absent_or_garbage_created_utc_fails_with_a_reason(string json, string reason)
    {
        Assert.Equal(reason, MapFails(json));
    }

    [Fact]
    public void A_comment_keeps_the_parent_fullname_and_takes_the_post_id_from_link_id()
    {
        var reply = MapOk(Samples.Comment2009);
        var topLevel = MapOk(Samples.Comment2005);

        Assert.Equal(("c0cmuol", "t1_c0cmjyg", "9fure"), (reply.Id, reply.ParentId, reply.PostId));
        Assert.Equal(("c15", "t3_17869", "17869"), (topLevel.Id, topLevel.ParentId, topLevel.PostId));
        Assert.Null(reply.Title);
    }

    [Fact]
    public void Without_link_id_a_top_level_comment_takes_the_post_id_from_its_parent()
    {
        var item = MapOk("""{"id":"c1","body":"hi","subreddit":"a","created_utc":1200000000,"parent_id":"t3_abc"}""");

        Assert.Equal(("t3_abc", "abc"), (item.ParentId, item.PostId));
    }

    [Fact]
    public void Deleted_and_removed_items_map_as_they_are()
    {
        var removed = MapOk(Samples.RemovedComment2024);
        var deletedAuthor = MapOk(Samples.Comment2005);

        Assert.Equal(("[deleted]", "[removed]"), (removed.Author, removed.Body));
        Assert.Equal(("[deleted]", "Jython related topics by Frank Wierzbicki"), (deletedAuthor.Author, deletedAuthor.Body));
    }

    [Fact]
    public void A_link_post_has_a_title_and_an_empty_body()
    {
        var post = MapOk(Samples.LinkPost2005);

        Assert.Equal(new RedditItem(RedditItemKind.Post, "87", "reddit.com", "kn0thing", "The Downing Street Memo", "",
            DateTimeOffset.FromUnixTimeSeconds(1119552233), Score: 183,
            Permalink: "/r/reddit.com/comments/87/the_downing_street_memo/"), post);
        Assert.Equal("t3_87", post.FullName);
    }

    [Fact]
    public void A_post_without_selftext_has_an_empty_body()
    {
        var post = MapOk("""{"id":"p1","title":"A link","subreddit":"a","created_utc":1200000000,"url":"http://example.com"}""");

        Assert.Equal((RedditItemKind.Post, "A link", ""), (post.Kind, post.Title, post.Body));
    }

    [Fact]
    public void Nested_objects_never_shadow_top_level_fields()
    {
        var item = MapOk("""
            {"_meta":{"id":"meta","body":"meta","created_utc":1},"id":"c1","poll_data":{"options":[{"id":"26934779","text":"Ja"}]},
             "body":"real","subreddit":"a","created_utc":1200000000,"all_awardings":[{"name":"Silver","body":"x"}]}
            """);

        Assert.Equal(("c1", "real", DateTimeOffset.FromUnixTimeSeconds(1200000000)), (item.Id, item.Body, item.CreatedAt));
    }

    [Theory]
    [InlineData("""{"id":"t1_abc","body":"x","subreddit":"a","created_utc":1200000000}""", RedditItemKind.Comment, "abc")]
    [InlineData("""{"id":"t3_abc","title":"x","subreddit":"a","created_utc":1200000000}""", RedditItemKind.Post, "abc")]
    [InlineData("""{"name":"t3_abc","subreddit":"a","created_utc":1200000000}""", RedditItemKind.Post, "abc")]
    [InlineData("""{"name":"t1_abc","subreddit":"a","created_utc":1200000000}""", RedditItemKind.Comment, "abc")]
    [InlineData("""{"id":"abc","name":"t1_abc","body":"x","subreddit":"a","created_utc":1200000000}""", RedditItemKind.Comment, "abc")]
    public void Ids_lose_their_kind_prefix_and_the_fullname_tells_the_kind(string json, RedditItemKind kind, string id)
    {
        var item = MapOk(json);

        Assert.Equal((kind, id), (item.Kind, item.Id));
    }

    [Fact]
    public void The_sources_kind_decides_and_an_object_that_contradicts_it_is_refused()
    {
        const string ambiguous = """{"id":"x1","subreddit":"a","created_utc":1200000000}""";
        const string commentWithTitle = """{"id":"x2","title":"t","body":"the reply","subreddit":"a","created_utc":1200000000}""";
        const string selfPost = """{"id":"x3","title":"t","selftext":"s","subreddit":"a","created_utc":1200000000}""";

        Assert.Equal("unknown_kind", MapFails(ambiguous));
        Assert.Equal(RedditItemKind.Post, MapOk(ambiguous, RedditItemKind.Post).Kind);
        Assert.Equal((RedditItemKind.Comment, "the reply"), (MapOk(commentWithTitle, RedditItemKind.Comment).Kind, MapOk(commentWithTitle, RedditItemKind.Comment).Body));
        Assert.Equal("kind_mismatch: a comment in a source of posts", MapFails(Samples.Comment2009, RedditItemKind.Post));
        Assert.Equal("kind_mismatch: a post in a source of comments", MapFails(selfPost, RedditItemKind.Comment));
        Assert.Equal(RedditItemKind.Post, MapOk(commentWithTitle).Kind); // no source kind: a title makes a post, as before
    }

    [Theory]
    [InlineData(null)]
    [InlineData(RedditItemKind.Post)]
    public void A_thing_that_is_not_a_post_or_comment_is_refused(RedditItemKind? kind)
    {
        const string subreddit = """{"name":"t5_2qh1i","title":"AskReddit","display_name":"AskReddit","created_utc":1201233135}""";

        Assert.Equal("unsupported_kind: t5", MapFails(subreddit, kind));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"id":"c1","body":"hi""")]
    [InlineData("""{"id":"c1" "body":"hi"}""")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":1200000000}}""")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":1200000000} {"id":"c2"}""")]
    [InlineData("""{'id':'c1'}""")]
    [InlineData("""{"id":"c1","body":"hi","created_utc":NaN}""")]
    public void Malformed_json_fails_as_invalid_json(string json)
    {
        Assert.StartsWith("invalid_json", MapFails(json));
    }

    [Theory]
    [InlineData("[1,2]", "not_an_object: array")]
    [InlineData("\"text\"", "not_an_object: string")]
    [InlineData("42", "not_an_object: number")]
    public void Json_that_is_not_an_object_says_what_it_is(string json, string reason)
    {
        Assert.Equal(reason, MapFails(json));
    }

    [Fact]
    public void Escapes_are_decoded()
    {
        var item = MapOk("""{"id":"c1","body":"caf\u00e9 \"quoted\"\n\ud83d\ude00 &gt; quote","subreddit":"a","created_utc":1200000000}""");

        Assert.Equal("café \"quoted\"\n😀 &gt; quote", item.Body);
    }

    [Fact]
    public void A_lone_surrogate_escape_is_replaced_rather_than_failing_the_line()
    {
        var item = MapOk("""{"id":"c1","body":"cut emoji \ud83d and more\u00e9","subreddit":"a","created_utc":1200000000}""");

        Assert.Equal("cut emoji \uFFFD and moreé", item.Body);
    }

    [Fact]
    public void System_text_json_alone_refuses_lone_surrogates_which_is_why_the_mapper_decodes_leniently()
    {
        var json = Encoding.UTF8.GetBytes("""{"body":"cut \ud83d"}""");
        var reader = new Utf8JsonReader(json);
        reader.Read();
        reader.Read();
        reader.Read();

        try
        {
            reader.GetString();
            Assert.Fail("GetString accepted a lone surrogate");
        }
        catch (InvalidOperationException)
        {
        }
    }

    [Fact]
    public void Invalid_utf8_bytes_are_replaced_rather_than_failing_the_line()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"c1","body":"bad X byte","subreddit":"a","created_utc":1200000000}""");
        json[Array.IndexOf(json, (byte)'X')] = 0xC3; // a lead byte without its continuation

        var result = RedditJsonMapper.Map(json);

        Assert.True(result.IsSuccess, result.Reason);
        Assert.Equal("bad \uFFFD byte", result.Item.Body);
    }

    [Theory]
    [InlineData("12", 12)]
    [InlineData("-3", -3)]
    [InlineData("7.0", 7)]
    [InlineData("\"15\"", 15)]
    [InlineData("null", null)]
    [InlineData("\"many\"", null)]
    public void Score_is_read_when_it_is_a_number(string value, int? expected)
    {
        Assert.Equal(expected, MapOk($$"""{"id":"c1","body":"x","subreddit":"a","created_utc":1200000000,"score":{{value}}}""").Score);
    }

    [Fact]
    public void Absent_text_fields_become_empty_for_the_validator_to_judge_and_authors_deleted()
    {
        var item = MapOk("""{"body":"x","created_utc":1200000000,"subreddit":null,"author":17}""");

        Assert.Equal(("", "", "[deleted]"), (item.Id, item.Subreddit, item.Author));
        Assert.Null(item.Permalink);
    }

    [Fact]
    public void The_data_of_an_api_thing_maps_the_same_way()
    {
        using var listing = JsonDocument.Parse($$$"""{"kind":"Listing","data":{"children":[{"kind":"t1","data":{{{Samples.Comment2024}}}}]}}""");
        var data = listing.RootElement.GetProperty("data").GetProperty("children")[0].GetProperty("data");

        Assert.Equal(RedditJsonMapper.Map(Samples.Comment2024), RedditJsonMapper.Map(data));
    }

    [Fact]
    public void A_streaming_caller_maps_an_object_in_place_and_can_read_on()
    {
        var json = Encoding.UTF8.GetBytes($$"""[{{Samples.Comment2009}},{{Samples.LinkPost2005}}]""");
        var reader = new Utf8JsonReader(json);
        var items = new List<RedditItem>();
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var result = RedditJsonMapper.Map(ref reader);
            Assert.True(result.IsSuccess, result.Reason);
            Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
            items.Add(result.Item);
        }

        Assert.Equal(["c0cmuol", "87"], items.Select(i => i.Id));
    }

    [Fact]
    public void Reasons_have_a_countable_code()
    {
        var result = RedditJsonMapper.Map("""{"id":"c1","body":"hi","created_utc":"soon"}""");

        Assert.Equal("invalid_created_utc", result.ReasonCode);
    }
}
