using Scorer.Services.Batching;

namespace Scorer.UnitTests.Batching;

public sealed class BatchCutterTests
{
    private static int[] Cut(int[] costs, int maxItems = 32, int maxTokens = 10_000, bool padded = true, int overhead = 1)
    {
        var ends = new int[costs.Length];
        var count = BatchCutter.Cut(costs, maxItems, maxTokens, padded, overhead, ends);
        return ends[..count];
    }

    [Fact]
    public void Padded_texts_of_different_lengths_are_cut_apart()
    {
        Assert.Equal([2, 4], Cut([1, 1, 5, 5]));
    }

    [Fact]
    public void A_large_overhead_keeps_one_batch()
    {
        Assert.Equal([4], Cut([1, 1, 5, 5], overhead: 1000));
    }

    [Fact]
    public void Padded_batches_stay_within_items_and_padded_tokens()
    {
        var costs = Enumerable.Repeat(10, 7).ToArray();

        Assert.Equal([3, 6, 7], Cut(costs, maxItems: 3, overhead: 1000));
        Assert.Equal([2, 4, 6, 7], Cut(costs, maxTokens: 25, overhead: 1000));
    }

    [Fact]
    public void A_text_over_the_token_budget_still_runs_alone()
    {
        Assert.Equal([1, 2], Cut([3, 50], maxTokens: 10, overhead: 1000));
    }

    [Fact]
    public void Unpadded_texts_fill_batches_greedily_by_summed_cost()
    {
        Assert.Equal([3, 5], Cut([1, 2, 3, 4, 5], maxTokens: 9, padded: false));
        Assert.Equal([2, 4, 5], Cut([1, 2, 3, 4, 5], maxItems: 2, padded: false));
    }

    [Fact]
    public void Empty_window_has_no_batches()
    {
        Assert.Empty(Cut([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Padded_cuts_cost_no_more_than_any_other_partition(int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 50; trial++)
        {
            var costs = Enumerable.Range(0, random.Next(1, 11)).Select(_ => random.Next(1, 60)).Order().ToArray();
            var (maxItems, maxTokens, overhead) = (random.Next(1, 6), random.Next(60, 200), random.Next(0, 40));

            var ends = Cut(costs, maxItems, maxTokens, overhead: overhead);

            Assert.Equal(costs.Length, ends[^1]);
            Assert.True(IsAllowed(costs, ends, maxItems, maxTokens));
            Assert.Equal(BruteForceBest(costs, maxItems, maxTokens, overhead), Total(costs, ends, overhead));
        }
    }

    private static long Total(int[] costs, int[] ends, int overhead)
    {
        var (total, start) = (0L, 0);
        foreach (var end in ends)
        {
            total += overhead + (long)(end - start) * costs[end - 1];
            start = end;
        }

        return total;
    }

    private static bool IsAllowed(int[] costs, int[] ends, int maxItems, int maxTokens)
    {
        var start = 0;
        foreach (var end in ends)
        {
            var size = end - start;
            if (size < 1 || size > maxItems || (size > 1 && size * costs[end - 1] > maxTokens))
            {
                return false;
            }

            start = end;
        }

        return true;
    }

    /// <summary>Every way of cutting the sorted costs into consecutive batches (2^(n-1) of them).</summary>
    private static long BruteForceBest(int[] costs, int maxItems, int maxTokens, int overhead)
    {
        var best = long.MaxValue;
        for (var mask = 0; mask < 1 << (costs.Length - 1); mask++)
        {
            var ends = Enumerable.Range(1, costs.Length - 1).Where(i => (mask & (1 << (i - 1))) != 0).Append(costs.Length).ToArray();
            if (IsAllowed(costs, ends, maxItems, maxTokens))
            {
                best = Math.Min(best, Total(costs, ends, overhead));
            }
        }

        return best;
    }
}
