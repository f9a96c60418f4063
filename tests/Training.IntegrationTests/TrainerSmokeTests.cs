using System.Diagnostics;
using ModelTools.Preparation;
using RedditSentiment.Testing;
using Scorer.Models.Accurate;

namespace Training.IntegrationTests;

/// <summary>
/// The trainer as <c>scripts/train-accurate</c> runs it, on a tiny data folder: the splits are prepared with the
/// Scorer's tokenizer, a few steps of Debian's PyTorch lower the loss, and the weights file it writes is served
/// by the Scorer's own classes with the probabilities PyTorch gave.
/// </summary>
public sealed class TrainerSmokeTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string _folder = Directory.CreateTempSubdirectory("trainer-smoke-").FullName;

    [Fact]
    public async Task A_few_steps_lower_the_loss_and_the_scorer_serves_the_weights_as_trained()
    {
        var data = Path.Combine(_folder, "data");
        var prepared = Path.Combine(_folder, "prepared");
        var weightsPath = Path.Combine(_folder, "weights.safetensors");
        TinyDataFolder.Write(data);
        var corpus = await SentimentCorpus.LoadAsync(data);
        await new TrainingSetWriter(EncoderCatalog.MiniLmL6V2, maxTokens: 64).WriteAsync(corpus, prepared, CancellationToken.None);

        var (exit, output) = await RunTrainerAsync(
            "--data", prepared, "--work", Path.Combine(_folder, "run"), "--output", weightsPath,
            "--max-steps", "30", "--batch-size", "8", "--lr", "1e-4", "--head-lr", "5e-3", "--warmup", "0.1",
            "--eval-every", "15", "--log-every", "5", "--seed", "3");
        Assert.True(exit == 0, $"the trainer exited with {exit}:\n{output}");

        var weights = SentimentWeightsFile.Load(weightsPath);
        var losses = weights.Training!.Value.GetProperty("loss_curve").EnumerateArray().Select(p => p[1].GetDouble()).ToArray();
        Assert.Equal(6, losses.Length);
        Assert.True(losses[^1] < losses[0] * 0.8, $"the loss did not fall: {string.Join(", ", losses)}");
        Assert.Contains(weights.Encoder.Keys, name => name == "encoder.layer.5.output.LayerNorm.bias");
        Assert.DoesNotContain(weights.Encoder.Keys, name => name == "embeddings.word_embeddings.weight");

        using var model = OnnxSentimentModel.Create(
            new AccurateModelOptions { Device = AccurateDevice.Cpu, Precision = AccuratePrecision.Fp32, Sessions = 1, WeightsPath = weightsPath }, weights);
        Assert.NotEmpty(weights.Reference);
        Assert.InRange(model.ReferenceDeviation(), 0f, 2e-3f);
    }

    [Fact]
    public async Task A_stopped_run_resumes_from_its_checkpoint()
    {
        var data = Path.Combine(_folder, "data");
        var prepared = Path.Combine(_folder, "prepared");
        TinyDataFolder.Write(data);
        await new TrainingSetWriter(EncoderCatalog.MiniLmL6V2, maxTokens: 64).WriteAsync(await SentimentCorpus.LoadAsync(data), prepared, CancellationToken.None);
        string[] common = ["--data", prepared, "--work", Path.Combine(_folder, "run"), "--output", Path.Combine(_folder, "w.safetensors"),
            "--batch-size", "8", "--eval-every", "100", "--log-every", "5", "--seed", "3"];

        var (first, _) = await RunTrainerAsync([.. common, "--max-steps", "10"]);
        var (second, output) = await RunTrainerAsync([.. common, "--max-steps", "20"]);

        Assert.Equal(0, first);
        Assert.True(second == 0, output);
        Assert.Contains("resumed at step 10 of 20", output);
    }

    private static async Task<(int Exit, string Output)> RunTrainerAsync(params string[] arguments)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: run ./scripts/setup (it installs Debian's python3-torch for the trainer).");
        }

        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Folder, "training", "trainer", "train.py"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
