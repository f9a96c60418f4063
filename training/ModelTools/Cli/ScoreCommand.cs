using System.CommandLine;
using System.Globalization;
using ModelTools.Evaluation;
using Scorer.Models;
using Scorer.Models.Accurate;

namespace ModelTools.Cli;

/// <summary>
/// <c>score [--model accurate|fast] [--precision …] [--weights FILE] TEXT…</c> (or one text a line on stdin): each
/// text's label, probabilities and score as the served model gives them, one tab-separated line each.
/// </summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var texts = new Argument<string[]>("TEXT") { Description = "Texts to score; none reads one text a line from stdin.", Arity = ArgumentArity.ZeroOrMore };
        var model = new Option<string>("--model") { Description = "accurate or fast.", DefaultValueFactory = _ => ModelNames.Accurate };
        model.AcceptOnlyFromAmong(ModelNames.Accurate, ModelNames.Fast);
        var precision = new Option<AccuratePrecision>("--precision") { Description = "The accurate model's precision: auto (int8 on CPU), fp32 or int8.", DefaultValueFactory = _ => AccuratePrecision.Auto };
        var weights = new Option<FileInfo?>("--weights") { Description = "Another weights file for the accurate model (default: the shipped one)." };
        var command = new Command("score", "Score texts with a served model: label, negative, neutral, positive, score, text.") { texts, model, precision, weights };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var input = parsed.GetValue(texts) is { Length: > 0 } given ? given : await ReadLinesAsync(Console.In, cancellationToken);
            using var scorer = ServedModels.Create(parsed.GetValue(model)!, parsed.GetValue(precision), parsed.GetValue(weights));
            var predictions = new SentimentPrediction[input.Length];
            ModelScoring.ScoreInLengthOrder(scorer.Model, input, predictions, batchSize: 32, cancellationToken);
            Console.WriteLine("label\tnegative\tneutral\tpositive\tscore\ttext");
            for (var i = 0; i < input.Length; i++)
            {
                var p = predictions[i];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{ModelNames.Labels[(int)p.Label]}\t{p.Negative:F3}\t{p.Neutral:F3}\t{p.Positive:F3}\t{p.Score:+0.000;-0.000}\t{input[i]}"));
            }

            return 0;
        });
        return command;
    }

    private static async Task<string[]> ReadLinesAsync(TextReader reader, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines.Count > 0 ? [.. lines] : throw new UsageException("No texts: pass them as arguments or one a line on stdin.");
    }
}
