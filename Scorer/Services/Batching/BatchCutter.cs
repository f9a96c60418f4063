namespace Scorer.Services.Batching;

/// <summary>
/// Cuts a window of queued texts, sorted by cost, into consecutive batches. For a model that pads a batch to
/// its longest text, a batch costs a fixed overhead plus its item count times its longest cost; the cuts that
/// minimise the window's total are found by dynamic programming. A few waiting callers of mixed lengths then
/// run as several tight batches instead of one padded to the longest (at 32 random Reddit comments the
/// padding alone more than doubles the work). A model that does not pad is filled greedily: its batches cost
/// the sum of their texts whichever way they are cut, so fewer, fuller batches are best.
/// </summary>
public static class BatchCutter
{
    /// <summary>
    /// Writes into <paramref name="ends"/> the exclusive end index of each batch of <paramref name="sortedCosts"/>
    /// and returns how many batches there are. Every batch has at most <paramref name="maxItems"/> texts and, unless
    /// it is a single text, at most <paramref name="maxTokens"/> tokens (padded ones for a padded model).
    /// </summary>
    /// <param name="ends">At least as long as <paramref name="sortedCosts"/>.</param>
    /// <param name="overheadTokens">The fixed cost of running one batch, in tokens of work.</param>
    public static int Cut(ReadOnlySpan<int> sortedCosts, int maxItems, int maxTokens, bool padded, int overheadTokens, Span<int> ends)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ends.Length, sortedCosts.Length, nameof(ends));
        if (sortedCosts.IsEmpty)
        {
            return 0;
        }

        return padded
            ? CutPadded(sortedCosts, maxItems, maxTokens, overheadTokens, ends)
            : CutGreedy(sortedCosts, maxItems, maxTokens, ends);
    }

    private static int CutGreedy(ReadOnlySpan<int> costs, int maxItems, int maxTokens, Span<int> ends)
    {
        var batches = 0;
        var (start, tokens) = (0, 0L);
        for (var i = 0; i < costs.Length; i++)
        {
            var count = i - start;
            if (count == maxItems || (count > 0 && tokens + costs[i] > maxTokens))
            {
                ends[batches++] = i;
                (start, tokens) = (i, 0);
            }

            tokens += costs[i];
        }

        ends[batches++] = costs.Length;
        return batches;
    }

    /// <summary>
    /// best[j] = the least cost of the first j texts; a batch (i, j] costs overhead + (j - i) * costs[j - 1],
    /// the longest being last in sorted order. O(n * maxItems) for a window of n texts.
    /// </summary>
    private static int CutPadded(ReadOnlySpan<int> costs, int maxItems, int maxTokens, int overheadTokens, Span<int> ends)
    {
        var n = costs.Length;
        var best = new long[n + 1];
        var start = new int[n + 1];
        for (var j = 1; j <= n; j++)
        {
            best[j] = long.MaxValue;
            long longest = costs[j - 1];
            for (var i = j - 1; i >= 0 && j - i <= maxItems; i--)
            {
                var padded = (j - i) * longest;
                if (j - i > 1 && padded > maxTokens)
                {
                    break; // wider batches ending at j only grow
                }

                var total = best[i] + overheadTokens + padded;
                if (total < best[j])
                {
                    (best[j], start[j]) = (total, i);
                }
            }
        }

        var batches = 0;
        for (var j = n; j > 0; j = start[j])
        {
            ends[batches++] = j;
        }

        ends[..batches].Reverse();
        return batches;
    }
}
