namespace Collector.UnitTests.Dumps;

/// <summary>Dump lines hand-copied from real Pushshift / Arctic Shift dumps (some fields trimmed).</summary>
internal static class Samples
{
    /// <summary>2024 (Arctic Shift): float <c>created_utc</c>, <c>_meta</c>, <c>name</c>, empty objects and arrays.</summary>
    public const string Comment2024 =
        """{"_meta": {"retrieved_2nd_on": 1706875209}, "all_awardings": [], "author": "DubsAli", "body": "Absolutely stunning. Really love this, perfect finish IMO as well.", "controversiality": 0, "created": 1706745600.0, "created_utc": 1706745600.0, "edited": false, "gildings": {}, "id": "kod0bkd", "link_id": "t3_1afjd7n", "name": "t1_kod0bkd", "parent_id": "t3_1afjd7n", "permalink": "/r/woodworking/comments/1afjd7n/a_full_maple_farmhouse_table_i_made/kod0bkd/", "score": 2, "subreddit": "woodworking", "subreddit_id": "t5_2qlqp", "ups": 2}""";

    /// <summary>2024: removed by moderators, author deleted.</summary>
    public const string RemovedComment2024 =
        """{"_meta": {"retrieved_2nd_on": 1706875209}, "all_awardings": [], "author": "[deleted]", "body": "[removed]", "collapsed": true, "collapsed_reason_code": "DELETED", "created": 1706745600.0, "created_utc": 1706745600.0, "gildings": {}, "id": "kod0bkj", "link_id": "t3_1afnkw1", "name": "t1_kod0bkj", "parent_id": "t3_1afnkw1", "permalink": "/r/HolUp/comments/1afnkw1/thats_how_you_spell_it/kod0bkj/", "score": 1, "subreddit": "HolUp", "subreddit_id": "t5_qir9n", "ups": 1}""";

    /// <summary>2009 (Pushshift): <c>created_utc</c> as a string, a reply to a comment.</summary>
    public const string Comment2009 =
        """{"edited":false,"distinguished":null,"author_flair_text":null,"controversiality":0,"archived":true,"created_utc":"1251763200","retrieved_on":1426033654,"ups":0,"body":"um. www.cmu.edu proves that we were the *original* CMU. take THAT","link_id":"t3_9fure","id":"c0cmuol","author_flair_css_class":null,"parent_id":"t1_c0cmjyg","score":0,"name":"t1_c0cmuol","author":"tells","gilded":0,"subreddit":"technology","score_hidden":false,"subreddit_id":"t5_2qh16","downs":0}""";

    /// <summary>2005: integer <c>created_utc</c>, 18 fields, no <c>name</c>, author deleted but the text kept.</summary>
    public const string Comment2005 =
        """{"gilded":0,"distinguished":null,"retrieved_on":1473738411,"author":"[deleted]","author_flair_text":null,"edited":false,"id":"c15","parent_id":"t3_17869","subreddit":"reddit.com","score":0,"ups":0,"created_utc":1134366848,"author_flair_css_class":null,"body":"Jython related topics by Frank Wierzbicki","controversiality":0,"subreddit_id":"t5_6","stickied":false,"link_id":"t3_17869"}""";

    /// <summary>2005 link post: no self text, escaped slashes, no <c>name</c>.</summary>
    public const string LinkPost2005 =
        """{"archived":true,"author":"kn0thing","author_flair_richtext":[],"brand_safe":true,"created_utc":1119552233,"domain":"downingstreetmemo.com","gilded":6,"id":"87","is_self":false,"media":null,"media_embed":{},"num_comments":390,"permalink":"\/r\/reddit.com\/comments\/87\/the_downing_street_memo\/","score":183,"secure_media_embed":{},"selftext":"","subreddit":"reddit.com","subreddit_id":"t5_6","subreddit_name_prefixed":"r\/reddit.com","title":"The Downing Street Memo","url":"http:\/\/www.downingstreetmemo.com"}""";

    public static readonly string[] Lines = [Comment2024, RemovedComment2024, Comment2009, Comment2005, LinkPost2005];
}
