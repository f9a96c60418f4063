namespace Scorer.Services.Batching;

/// <summary>The model's queue cannot take the texts now; the caller should back off and retry.</summary>
public sealed class QueueFullException(string model, int capacity)
    : Exception($"The '{model}' model's queue is full ({capacity} texts); retry later.");

/// <summary>The caller's deadline passed while its texts were queued; they were dropped, never run.</summary>
public sealed class DeadlineExpiredException(string model)
    : Exception($"The deadline passed while the texts waited in the '{model}' model's queue.");
