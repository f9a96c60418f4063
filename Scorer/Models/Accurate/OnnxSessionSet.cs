using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace Scorer.Models.Accurate;

/// <summary>
/// One or more sessions of the same model on the same device. A batch rents an idle session, so that
/// batches running side by side never share one session's threads while another sits idle.
/// </summary>
public sealed class OnnxSessionSet : IDisposable
{
    private readonly InferenceSession[] _sessions;
    private readonly ConcurrentQueue<InferenceSession> _idle;
    private int _next = -1;

    internal OnnxSessionSet(InferenceSession[] sessions, string device, AccuratePrecision precision)
    {
        _sessions = sessions;
        _idle = new ConcurrentQueue<InferenceSession>(sessions);
        Device = device;
        Precision = precision;
    }

    public IReadOnlyList<InferenceSession> Sessions => _sessions;

    /// <summary>Where inference actually runs: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; }

    /// <summary><see cref="AccuratePrecision.Fp32"/> or <see cref="AccuratePrecision.Int8"/>, never auto.</summary>
    public AccuratePrecision Precision { get; }

    /// <summary>
    /// An idle session for one run, given back when the lease is disposed. With more runs at once than
    /// sessions, the extra ones share a session in turn (sessions accept concurrent runs safely).
    /// </summary>
    public Lease Rent() =>
        _idle.TryDequeue(out var session)
            ? new Lease(this, session, returns: true)
            : new Lease(this, _sessions[(int)((uint)Interlocked.Increment(ref _next) % (uint)_sessions.Length)], returns: false);

    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }
    }

    public readonly struct Lease(OnnxSessionSet owner, InferenceSession session, bool returns) : IDisposable
    {
        public InferenceSession Session => session;

        public void Dispose()
        {
            if (returns)
            {
                owner._idle.Enqueue(session);
            }
        }
    }
}
