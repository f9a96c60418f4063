using Microsoft.ML.OnnxRuntime;

namespace Scorer.Models.Accurate;

/// <summary>One or more sessions of the same model on the same device; batches take them in turn.</summary>
public sealed class OnnxSessionSet : IDisposable
{
    private readonly InferenceSession[] _sessions;
    private int _next = -1;

    internal OnnxSessionSet(InferenceSession[] sessions, string device, AccuratePrecision precision)
    {
        _sessions = sessions;
        Device = device;
        Precision = precision;
    }

    public IReadOnlyList<InferenceSession> Sessions => _sessions;

    /// <summary>Where inference actually runs: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; }

    /// <summary><see cref="AccuratePrecision.Fp32"/> or <see cref="AccuratePrecision.Int8"/>, never auto.</summary>
    public AccuratePrecision Precision { get; }

    /// <summary>The next session, round-robin (sessions run concurrent batches safely).</summary>
    public InferenceSession Next() =>
        _sessions.Length == 1 ? _sessions[0] : _sessions[(int)((uint)Interlocked.Increment(ref _next) % (uint)_sessions.Length)];

    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }
    }
}
