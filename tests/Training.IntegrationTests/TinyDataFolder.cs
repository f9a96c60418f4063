using System.Text;

namespace Training.IntegrationTests;

/// <summary>
/// A data folder in the layout of <c>../shared/data</c> with a few hundred generated rows whose sentiment a few
/// training steps can pick up: each register's texts say plainly what they feel.
/// </summary>
internal static class TinyDataFolder
{
    private static readonly string[] Things = ["phone", "movie", "game", "pizza", "update", "song", "car", "book", "team", "show"];

    private static readonly string[] Positive = ["I really love this {0}!", "what a wonderful {0}, so happy", "best {0} ever, amazing", "great {0}, thank you"];
    private static readonly string[] Negative = ["I hate this {0}.", "this {0} is awful and sad", "worst {0} ever, terrible", "the {0} broke again, angry"];
    private static readonly string[] Neutral = ["the {0} is on the table", "I bought a {0} on tuesday", "is the {0} from this year", "the {0} has four parts"];

    public static void Write(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "goemotions"));
        Directory.CreateDirectory(Path.Combine(folder, "sentiment"));
        File.WriteAllText(Path.Combine(folder, "goemotions", "emotions.txt"), "admiration\nanger\nneutral\nsurprise\n");
        File.WriteAllText(Path.Combine(folder, "goemotions", "sentiment_mapping.json"),
            """{"positive": ["admiration"], "negative": ["anger"], "ambiguous": ["surprise"]}""");
        File.WriteAllText(Path.Combine(folder, "goemotions", "train.tsv"), GoEmotions(0, 3));
        File.WriteAllText(Path.Combine(folder, "goemotions", "dev.tsv"), GoEmotions(3, 4));
        File.WriteAllText(Path.Combine(folder, "sentiment", "semeval-tweets-2013-2016.tsv"), Labelled(withNeutral: true, prefix: "@friend "));
        File.WriteAllText(Path.Combine(folder, "sentiment", "sst2-train.tsv"), Labelled(withNeutral: false, prefix: "the film : "));
    }

    /// <summary>text, emotion ids (0 admiration, 1 anger, 2 neutral), comment id; templates [from, to).</summary>
    private static string GoEmotions(int from, int to)
    {
        var text = new StringBuilder();
        foreach (var (templates, id) in new[] { (Positive, 0), (Negative, 1), (Neutral, 2) })
        {
            for (var t = from; t < to; t++)
            {
                foreach (var thing in Things)
                {
                    text.Append(string.Format(templates[t], thing)).Append('\t').Append(id).Append("\tc").Append(text.Length).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static string Labelled(bool withNeutral, string prefix)
    {
        var text = new StringBuilder("text\tlabel\n");
        var groups = withNeutral
            ? new[] { (Positive, "positive"), (Negative, "negative"), (Neutral, "neutral") }
            : new[] { (Positive, "positive"), (Negative, "negative") };
        foreach (var (templates, label) in groups)
        {
            foreach (var template in templates)
            {
                foreach (var thing in Things)
                {
                    // Long enough that some review rows qualify for the dev split (10 words or more).
                    var extra = thing.Length % 2 == 0 ? " , said everyone who saw it last week" : "";
                    text.Append(prefix).Append(string.Format(template, thing)).Append(extra).Append('\t').Append(label).Append('\n');
                }
            }
        }

        return text.ToString();
    }
}
