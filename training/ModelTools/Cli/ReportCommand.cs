using System.CommandLine;
using System.Globalization;
using System.Text;
using ModelTools.Data;
using ModelTools.Evaluation;
using Scorer.Models;
using Scorer.Models.Accurate;

namespace ModelTools.Cli;

/// <summary>
/// <c>report --dev DIR [--weights FILE]</c>: every <c>dev-*.tsv</c> of a prepared folder scored by the accurate
/// model in fp32 and int8 and by the fast model, as one table (the model card's) and, last, one JSON line.
/// </summary>
public static class ReportCommand
{
    private static readonly (string Model, AccuratePrecision Precision, string Name)[] Variants =
    [
        (ModelNames.Accurate, AccuratePrecision.Fp32, "accurate fp32"),
        (ModelNames.Accurate, AccuratePrecision.Int8, "accurate int8"),
        (ModelNames.Fast, AccuratePrecision.Auto, "fast (VADER)"),
    ];

    public static Command Create()
    {
        var dev = new Option<DirectoryInfo>("--dev") { Description = "A folder written by prepare (its dev-*.tsv files).", Required = true };
        var weights = new Option<FileInfo?>("--weights") { Description = "The accurate model's weights (default: the shipped ones)." };
        var command = new Command("report", "Dev figures of the accurate model (fp32 and int8) and the fast model on every dev split.") { dev, weights };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var folder = parsed.GetRequiredValue(dev);
            var files = folder.Exists ? folder.GetFiles("dev-*.tsv").OrderBy(f => f.Name, StringComparer.Ordinal).ToArray() : [];
            if (files.Length == 0)
            {
                throw new UsageException($"{folder.FullName} holds no dev-*.tsv files; run prepare first.");
            }

            var sets = new List<EvaluationSet>();
            foreach (var file in files)
            {
                sets.Add(await LabeledTsvReader.ReadAsync(file.FullName, cancellationToken));
            }

            var rows = new List<(string Variant, EvaluationSet Set, EvaluationReport Report, double OrdinalR)>();
            foreach (var (model, precision, name) in Variants)
            {
                using var scorer = ServedModels.Create(model, precision, parsed.GetValue(weights), AccurateDevice.Cpu);
                if (scorer.Model is OnnxSentimentModel onnx)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name} ({onnx.Version}): largest deviation from the trainer's reference probabilities {onnx.ReferenceDeviation():F5}"));
                }

                foreach (var set in sets)
                {
                    var predictions = new SentimentPrediction[set.Count];
                    ModelScoring.ScoreInLengthOrder(scorer.Model, set.Texts, predictions, batchSize: 32, cancellationToken);
                    rows.Add((name, set, EvaluationReport.Create(set, predictions), OrdinalR(set, predictions)));
                }
            }

            Console.Write(Table(rows));
            Console.WriteLine(CompactJson.Serialize(writer =>
            {
                writer.WriteStartObject();
                foreach (var group in rows.GroupBy(r => r.Variant))
                {
                    writer.WriteStartObject(group.Key);
                    foreach (var (_, set, report, ordinalR) in group)
                    {
                        writer.WriteStartObject(Path.GetFileNameWithoutExtension(set.Source));
                        writer.WritePropertyName("report");
                        writer.WriteRawValue(report.ToJson());
                        CompactJson.WriteMetric(writer, "ordinal_r", ordinalR);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Pearson r between each prediction's score (−1 to 1) and its label as −1, 0 or 1: how well the score ranks
    /// texts by polarity, a stand-in on labelled sets for the intensity ratings the score is also judged by.
    /// </summary>
    private static double OrdinalR(EvaluationSet set, SentimentPrediction[] predictions) =>
        EvaluationMetrics.PearsonR(
            [.. predictions.Select(p => (double)p.Score)],
            [.. set.Labels!.Select(l => l switch { Sentiment.Negative => -1.0, Sentiment.Positive => 1.0, _ => 0.0 })]);

    private static string Table(List<(string Variant, EvaluationSet Set, EvaluationReport Report, double OrdinalR)> rows)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"{"split",-14}{"model",-16}{"rows",7}{"accuracy",10}{"macro-F1",10}{"macro-recall",14}{"ECE",8}{"ordinal r",11}");
        foreach (var (variant, set, report, ordinalR) in rows.OrderBy(r => r.Set.Source, StringComparer.Ordinal))
        {
            var m = report.Classification!;
            text.AppendLine(invariant,
                $"{Path.GetFileNameWithoutExtension(set.Source),-14}{variant,-16}{set.Count,7}{m.Accuracy,10:F4}{m.MacroF1,10:F4}{m.MacroRecall,14:F4}{m.Ece,8:F4}{ordinalR,11:F4}");
        }

        return text.ToString();
    }
}
