using Collector.Model;
using Collector.Queues;

namespace Collector.UnitTests;

public sealed class QueueEnvelopeTests
{
    private static readonly RedditItem Comment = new(RedditItemKind.Comment, "k1", "pics", "someone", null, "nice pic",
        new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), ParentId: "t3_p1", PostId: "p1", Score: 12);

    [Fact]
    public void An_envelope_survives_the_queue_round_trip()
    {
        var entry = new QueueEnvelope { Item = Comment, Source = "dump:RC_2024-05.zst", Attempts = 2, EnqueuedAt = DateTimeOffset.UnixEpoch };

        var parsed = QueueEnvelope.TryParse(entry.Serialize());

        Assert.Equal(entry, parsed);
    }

    [Fact]
    public void The_wire_format_is_camel_case_with_the_kind_as_a_word()
    {
        var json = new QueueEnvelope { Item = Comment, Source = "api:r/pics" }.Serialize();

        Assert.Contains("\"kind\":\"comment\"", json);
        Assert.Contains("\"postId\":\"p1\"", json);
        Assert.DoesNotContain("\"reason\"", json);
        Assert.DoesNotContain("failedItemKey", json);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"item\":{\"kind\":\"video\"},\"source\":\"x\"}")]
    public void Anything_else_is_not_an_envelope(string value)
    {
        Assert.Null(QueueEnvelope.TryParse(value));
    }

    [Fact]
    public void Failed_entries_are_keyed_by_fullname()
    {
        Assert.Equal("t1_k1", new QueueEnvelope { Item = Comment, Source = "x" }.FailedItemKey);
        var first = new QueueEnvelope { Raw = "/dumps/a.zst@0", Source = "dump:a.zst" }.FailedItemKey;
        Assert.StartsWith("raw:dump:a.zst:", first);
        Assert.Equal(first, new QueueEnvelope { Raw = "/dumps/a.zst@0", Source = "dump:a.zst" }.FailedItemKey);
        Assert.NotEqual(first, new QueueEnvelope { Raw = "/dumps/a.zst@120", Source = "dump:a.zst" }.FailedItemKey);
    }

    [Fact]
    public void Queue_keys_are_the_runbooks()
    {
        Assert.Equal("reddit:posts:queue", RedditItemKind.Post.QueueKey());
        Assert.Equal("reddit:comments:queue", RedditItemKind.Comment.QueueKey());
        Assert.Equal("reddit:processing:w1", RedisKeys.Processing("w1"));
    }
}
