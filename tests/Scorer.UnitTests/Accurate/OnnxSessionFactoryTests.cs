using Scorer.UnitTests.Accurate.Support;
using Microsoft.Extensions.Logging;
using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate;

public sealed class OnnxSessionFactoryTests
{
    private static AccurateModelOptions Options(AccurateDevice device, AccuratePrecision precision = AccuratePrecision.Auto) =>
        new() { Device = device, Precision = precision, IntraOpThreads = 1, Sessions = 1 };

    [Fact]
    public void Cpu_runs_on_cpu_and_auto_precision_is_int8_there()
    {
        using var sessions = new OnnxSessionFactory(Options(AccurateDevice.Cpu)).Create(TinyModels.Dense(1, out _, out _, out _));
        Assert.Equal("cpu", sessions.Device);
        Assert.Equal(AccuratePrecision.Int8, sessions.Precision);
        Assert.Single(sessions.Sessions);
    }

    [Fact]
    public void Explicit_precision_wins()
    {
        using var sessions = new OnnxSessionFactory(Options(AccurateDevice.Cpu, AccuratePrecision.Fp32)).Create(TinyModels.Dense(1, out _, out _, out _));
        Assert.Equal(AccuratePrecision.Fp32, sessions.Precision);
    }

    [Fact]
    public void Runs_at_once_rent_distinct_sessions_and_extra_ones_share_in_turn()
    {
        var options = Options(AccurateDevice.Cpu);
        options.Sessions = 3;
        using var sessions = new OnnxSessionFactory(options).Create(TinyModels.Dense(1, out _, out _, out _));
        Assert.Equal(3, sessions.Sessions.Count);

        var leases = Enumerable.Range(0, 5).Select(_ => sessions.Rent()).ToList();

        Assert.Equal(sessions.Sessions, leases.Take(3).Select(l => l.Session));
        Assert.Equal(sessions.Sessions.Take(2), leases.Skip(3).Select(l => l.Session));
        leases[1].Dispose();
        Assert.Same(sessions.Sessions[1], sessions.Rent().Session);
    }

    [Fact]
    public void Cuda_fails_with_a_clear_message_where_it_cannot_load()
    {
        var factory = new OnnxSessionFactory(Options(AccurateDevice.Cuda));
        if (factory.CudaLoads(out _))
        {
            // A machine with a working CUDA: then cuda is what we get.
            using var sessions = factory.Create(TinyModels.Dense(1, out _, out _, out _));
            Assert.Equal("cuda", sessions.Device);
            return;
        }

        var error = Assert.Throws<InvalidOperationException>(() => factory.Create(TinyModels.Dense(1, out _, out _, out _)));
        Assert.Contains("Scorer:Accurate:Device is 'cuda'", error.Message);
        Assert.Contains("CUDA execution provider", error.Message);
        Assert.Contains("'auto' or 'cpu'", error.Message);
    }

    [Fact]
    public void Auto_falls_back_to_cpu_with_one_warning()
    {
        var logger = new ListLogger<OnnxSessionFactory>();
        var factory = new OnnxSessionFactory(Options(AccurateDevice.Auto), logger);
        var cuda = factory.CudaLoads(out _);

        using var sessions = factory.Create(TinyModels.Dense(1, out _, out _, out _));

        Assert.Equal(cuda ? "cuda" : "cpu", sessions.Device);
        if (!cuda)
        {
            var warning = Assert.Single(logger.Entries);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains("runs on CPU", warning.Message);
            Assert.Equal(AccuratePrecision.Int8, sessions.Precision);
        }
    }
}
