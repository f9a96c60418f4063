using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelTools.Cli;
using Scorer.Models;
using Scorer.Models.Accurate;
using Scorer.Models.Fast;

namespace ModelTools.Evaluation;

/// <summary>The Scorer's models built by the Scorer's own classes, for evaluation.</summary>
public static class ServedModels
{
    /// <summary>The named model; the accurate one on the given device, precision and weights (default: the shipped ones).</summary>
    public static OwnedModel Create(string name, AccuratePrecision precision, FileInfo? weights, AccurateDevice device = AccurateDevice.Auto)
    {
        if (name == ModelNames.Fast)
        {
            return new OwnedModel(new VaderSentimentModel(new VaderAnalyzer(VaderLexicon.Embedded)));
        }

        var options = new AccurateModelOptions { Precision = precision, Device = device };
        if (weights is not null)
        {
            options.WeightsPath = weights.Exists ? weights.FullName : throw new UsageException($"The weights file {weights.FullName} does not exist.");
        }

        return new OwnedModel(new OnnxSentimentModel(Options.Create(options), NullLoggerFactory.Instance));
    }
}

/// <summary>A model and its disposal.</summary>
public sealed record OwnedModel(ISentimentModel Model) : IDisposable
{
    public void Dispose() => (Model as IDisposable)?.Dispose();
}
