using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ModelTools.Data;
using ModelTools.Evaluation;
using Scorer.Models;
using Scorer.Models.Accurate;

namespace ModelTools.Cli;

/// <summary>
/// <c>evaluate --input FILE [--model accurate|fast] [--precision auto|fp32|int8] [--device auto|cpu|cuda] [--weights FILE]</c>: scores a
/// labelled or rated TSV with the model exactly as the Scorer serves it (the same classes build the same graph)
/// and prints a report whose last line is one JSON object.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "TSV with a header: text<TAB>label or text<TAB>rating.", Required = true };
        var model = new Option<string>("--model") { Description = "accurate or fast.", DefaultValueFactory = _ => ModelNames.Accurate };
        model.AcceptOnlyFromAmong(ModelNames.Accurate, ModelNames.Fast);
        var precision = new Option<AccuratePrecision>("--precision") { Description = "The accurate model's precision: auto (int8 on CPU), fp32 or int8.", DefaultValueFactory = _ => AccuratePrecision.Auto };
        var weights = new Option<FileInfo?>("--weights") { Description = "Another weights file for the accurate model (default: the shipped one)." };
        var device = new Option<AccurateDevice>("--device") { Description = "The accurate model's device: auto (CUDA where it loads), cpu or cuda.", DefaultValueFactory = _ => AccurateDevice.Auto };
        var command = new Command("evaluate", "Score a labelled or rated TSV with a served model and report its figures.")
        {
            input, model, precision, weights, device,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var file = parsed.GetRequiredValue(input);
            if (!file.Exists)
            {
                throw new UsageException($"The input file {file.FullName} does not exist.");
            }

            var set = await LabeledTsvReader.ReadAsync(file.FullName, cancellationToken);
            foreach (var skipped in set.SkippedLines)
            {
                await Console.Error.WriteLineAsync($"{file.Name}, line {skipped.LineNumber}: {skipped.Problem} (left out)");
            }

            using var scorer = ServedModels.Create(parsed.GetValue(model)!, parsed.GetValue(precision), parsed.GetValue(weights), parsed.GetValue(device));
            var predictions = new SentimentPrediction[set.Count];
            var stopwatch = Stopwatch.StartNew();
            ModelScoring.ScoreInLengthOrder(scorer.Model, set.Texts, predictions, batchSize: 32, cancellationToken);
            stopwatch.Stop();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{scorer.Model.Name} {scorer.Model.Version} on {scorer.Model.Device}: {set.Count} texts in {stopwatch.Elapsed.TotalSeconds:F1} s ({set.Count / stopwatch.Elapsed.TotalSeconds:F0} texts/s)"));
            EvaluationReport.Create(set, predictions).WriteTo(Console.Out, $"{file.Name} scored by {scorer.Model.Name}");
            return 0;
        });
        return command;
    }
}
