using System.Diagnostics;
using System.Globalization;
using Scorer.Models;
using Scorer.Models.Accurate;
using Scorer.Models.Fast;
using Scorer.Training;

namespace Scorer.Cli;

/// <summary>
/// The Scorer's command line:
/// <list type="bullet">
/// <item><c>train [--data DIR] [--encoder NAME] [--hidden-layers N] [--lexicon vader|none] [--output FILE] [--grid quick|full]</c>: trains
/// the accurate model's head on GoEmotions (train split; selection and calibration on dev) and writes the head file;
/// the encoder's last N hidden states (default 4) are averaged before pooling, and with <c>--lexicon vader</c> (the
/// default) the head also reads VADER's four scores.</item>
/// <item><c>evaluate --input FILE --model accurate|fast [--precision fp32|int8] [--encoder NAME]</c>: scores a
/// labeled TSV and prints a report whose last line is one JSON object.</item>
/// </list>
/// </summary>
public static class ScorerCommands
{
    private static readonly string[] Commands = ["train", "evaluate"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }));
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            var options = ParseOptions(args[1..]);
            return args[0] == "train"
                ? await TrainAsync(options, loggerFactory, cancel.Token)
                : await EvaluateAsync(options, loggerFactory, cancel.Token);
        }
        catch (Exception error) when (error is ArgumentException or FileNotFoundException or DirectoryNotFoundException or TsvFormatException)
        {
            await Console.Error.WriteLineAsync(error.Message);
            return 2;
        }
    }

    private static async Task<int> TrainAsync(Dictionary<string, string> options, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var root = RepositoryRoot();
        var encoderName = options.GetValueOrDefault("encoder", EncoderCatalog.MiniLmL6V2.Name);
        var data = options.GetValueOrDefault("data", Path.Combine(root, "..", "shared", "data", "goemotions"));
        var output = options.GetValueOrDefault("output", Path.Combine(root, "Scorer", "Models", "Accurate", "Heads", $"{encoderName}.json"));
        var grid = options.GetValueOrDefault("grid", "full") switch
        {
            "full" => new HyperparameterGrid(),
            "quick" => new HyperparameterGrid { HiddenUnits = [0, 256], L2Strengths = [1e-4f, 1e-5f], BalanceClasses = [true] },
            var other => throw new ArgumentException($"--grid must be quick or full, not '{other}'"),
        };

        var lexicon = options.GetValueOrDefault("lexicon", LexiconFeatures.Vader) switch
        {
            LexiconFeatures.Vader => LexiconFeatures.CreateVader(),
            "none" => null,
            var other => throw new ArgumentException($"--lexicon must be {LexiconFeatures.Vader} or none, not '{other}'"),
        };

        var hiddenLayers = int.TryParse(options.GetValueOrDefault("hidden-layers", "4"), out var layers) && layers >= 1
            ? layers
            : throw new ArgumentException("--hidden-layers must be a positive whole number");

        // Features come from the fp32 encoder: the head must not learn int8's rounding.
        using var encoder = new OnnxSentenceEncoder(new AccurateModelOptions { Encoder = encoderName, Precision = AccuratePrecision.Fp32, Device = AccurateDevice.Auto },
            loggerFactory: loggerFactory, hiddenLayers: hiddenLayers);
        var request = new HeadTrainingRequest
        {
            GoEmotionsDirectory = Path.GetFullPath(data),
            OutputPath = Path.GetFullPath(output),
            Command = $"dotnet run -c Release --project Scorer -- train {string.Join(' ', options.Select(o => $"--{o.Key} {o.Value}"))}".TrimEnd(),
            Grid = grid,
        };
        var outcome = await HeadTrainingWorkflow.RunAsync(request, new EncoderFeaturizer(encoder, lexicon: lexicon), loggerFactory.CreateLogger("train"), ct);
        HeadTrainingWorkflow.WriteSummary(outcome, Console.Out);
        return 0;
    }

    private static async Task<int> EvaluateAsync(Dictionary<string, string> options, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var input = options.GetValueOrDefault("input") ?? throw new ArgumentException("evaluate needs --input FILE (a TSV with a header: text<TAB>label or text<TAB>rating)");
        var modelName = options.GetValueOrDefault("model", ModelNames.Accurate);
        var set = await LabeledTsvReader.ReadAsync(input, ct);

        using var model = CreateModel(modelName, options, loggerFactory);
        var texts = set.Texts;
        var predictions = new SentimentPrediction[texts.Count];
        var stopwatch = Stopwatch.StartNew();
        ScoreInLengthOrder(model.Model, texts, predictions, batchSize: 32, ct);
        stopwatch.Stop();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model.Model.Name} {model.Model.Version} on {model.Model.Device}: {texts.Count} texts in {stopwatch.Elapsed.TotalSeconds:F1} s ({texts.Count / stopwatch.Elapsed.TotalSeconds:F0} texts/s)"));
        EvaluationReport.Create(set, predictions).WriteTo(Console.Out, $"{Path.GetFileName(input)} scored by {modelName}");
        return 0;
    }

    /// <summary>Batches of similar length, as the service's scheduler forms them.</summary>
    internal static void ScoreInLengthOrder(ISentimentModel model, IReadOnlyList<string> texts, SentimentPrediction[] predictions, int batchSize, CancellationToken ct)
    {
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => model.Cost(texts[i])).ToArray();
        var batch = new string[batchSize];
        var scored = new SentimentPrediction[batchSize];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, order.Length - start);
            for (var i = 0; i < count; i++)
            {
                batch[i] = texts[order[start + i]];
            }

            model.Score(batch.AsSpan(0, count), scored.AsSpan(0, count));
            for (var i = 0; i < count; i++)
            {
                predictions[order[start + i]] = string.IsNullOrWhiteSpace(batch[i])
                    ? SentimentPrediction.Blank
                    : scored[i];
            }
        }
    }

    private sealed record OwnedModel(ISentimentModel Model) : IDisposable
    {
        public void Dispose() => (Model as IDisposable)?.Dispose();
    }

    private static OwnedModel CreateModel(string name, Dictionary<string, string> options, ILoggerFactory loggerFactory)
    {
        if (name == ModelNames.Fast)
        {
            return new OwnedModel(new VaderSentimentModel(new VaderAnalyzer(VaderLexicon.Embedded)));
        }

        if (name != ModelNames.Accurate)
        {
            throw new ArgumentException($"--model must be {ModelNames.Accurate} or {ModelNames.Fast}, not '{name}'");
        }

        var settings = new AccurateModelOptions
        {
            Encoder = options.GetValueOrDefault("encoder", EncoderCatalog.MiniLmL6V2.Name),
            Precision = Enum.Parse<AccuratePrecision>(options.GetValueOrDefault("precision", "auto"), ignoreCase: true),
        };
        if (options.TryGetValue("head", out var head))
        {
            settings.HeadPath = head;
        }

        return new OwnedModel(new OnnxSentimentModel(Microsoft.Extensions.Options.Options.Create(settings), loggerFactory));
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'");
            }

            options[args[i][2..]] = args[++i];
        }

        return options;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aspire.sln")))
            {
                return dir.FullName;
            }
        }

        throw new ArgumentException("Run train from the repository (or pass --data and --output).");
    }
}
