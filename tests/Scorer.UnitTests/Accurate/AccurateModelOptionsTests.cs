using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate;

public sealed class AccurateModelOptionsTests
{
    [Fact]
    public void Binds_from_the_scorer_accurate_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Scorer:Accurate:Device"] = "cuda",
            ["Scorer:Accurate:Precision"] = "int8",
            ["Scorer:Accurate:IntraOpThreads"] = "3",
            ["Scorer:Accurate:Sessions"] = "2",
            ["Scorer:Accurate:CudaDeviceId"] = "1",
            ["Scorer:Accurate:WeightsPath"] = "/tmp/weights.safetensors",
        }).Build();

        var options = configuration.GetSection(AccurateModelOptions.SectionName).Get<AccurateModelOptions>()!;

        Assert.Equal(AccurateDevice.Cuda, options.Device);
        Assert.Equal(AccuratePrecision.Int8, options.Precision);
        Assert.Equal((3, 2, 1), (options.IntraOpThreads, options.Sessions, options.CudaDeviceId));
        Assert.Equal("/tmp/weights.safetensors", options.ResolveWeightsPath());
    }

    [Fact]
    public void Defaults_are_auto_the_shipped_weights_and_single_threaded_sessions_sharing_the_cores()
    {
        var options = new AccurateModelOptions();
        Assert.Equal(AccurateDevice.Auto, options.Device);
        Assert.Equal(AccuratePrecision.Auto, options.Precision);
        Assert.Equal(Math.Clamp(Environment.ProcessorCount, 1, 4), options.Sessions);
        Assert.Null(options.IntraOpThreads);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / options.Sessions), options.ThreadsPerSession);
        Assert.EndsWith(Path.Combine("Models", "Accurate", "Weights", "all-MiniLM-L6-v2-sentiment.safetensors"), options.ResolveWeightsPath());
        Assert.True(File.Exists(options.ResolveWeightsPath()));
    }

    [Fact]
    public void Unset_threads_follow_the_configured_sessions()
    {
        var options = new AccurateModelOptions { Sessions = 1 };
        Assert.Equal(Environment.ProcessorCount, options.ThreadsPerSession);

        options.IntraOpThreads = 3;
        Assert.Equal(3, options.ThreadsPerSession);
    }

    [Fact]
    public void Missing_weights_and_bad_sessions_fail_validation()
    {
        var options = new AccurateModelOptions { WeightsPath = "/nonexistent/weights.safetensors", Sessions = 0 };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        var messages = string.Join("\n", results.Select(r => r.ErrorMessage));

        Assert.Contains("Sessions", messages);

        results.Clear();
        Assert.Contains(options.Validate(new ValidationContext(options)), r => r.ErrorMessage!.Contains("/nonexistent/weights.safetensors"));
    }
}
