using Gateway.Infrastructure;

namespace Gateway.UnitTests;

public sealed class SingleFlightTests
{
    private readonly SingleFlight<string> _flights = new();

    [Fact]
    public async Task Callers_who_ask_while_a_value_is_being_made_share_that_making()
    {
        var makings = 0;
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<string> Make()
        {
            Interlocked.Increment(ref makings);
            return release.Task;
        }

        var callers = Enumerable.Range(0, 8).Select(_ => _flights.RunAsync("k", Make, CancellationToken.None)).ToArray();
        Assert.All(callers, caller => Assert.False(caller.IsCompleted));
        release.SetResult("value");

        Assert.All(await Task.WhenAll(callers), value => Assert.Equal("value", value));
        Assert.Equal(1, makings);
    }

    [Fact]
    public async Task A_finished_making_is_forgotten_so_the_next_caller_makes_it_anew()
    {
        var makings = 0;
        Task<string> Make() => Task.FromResult($"value {Interlocked.Increment(ref makings)}");

        Assert.Equal("value 1", await _flights.RunAsync("k", Make, CancellationToken.None));
        Assert.Equal("value 2", await _flights.RunAsync("k", Make, CancellationToken.None));
        Assert.Equal(0, _flights.InFlight);
    }

    [Fact]
    public async Task Different_keys_are_made_apart()
    {
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = _flights.RunAsync("a", () => release.Task, CancellationToken.None);

        Assert.Equal("b", await _flights.RunAsync("b", () => Task.FromResult("b"), CancellationToken.None));
        Assert.False(slow.IsCompleted);
        release.SetResult("a");
        Assert.Equal("a", await slow);
    }

    [Fact]
    public async Task A_failure_reaches_everyone_waiting_and_the_next_caller_retries()
    {
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _flights.RunAsync("k", () => release.Task, CancellationToken.None);
        var second = _flights.RunAsync("k", () => Task.FromResult("not run"), CancellationToken.None);
        release.SetException(new InvalidOperationException("database down"));

        Assert.Equal("database down", (await Assert.ThrowsAsync<InvalidOperationException>(() => first)).Message);
        Assert.Equal("database down", (await Assert.ThrowsAsync<InvalidOperationException>(() => second)).Message);
        Assert.Equal("retried", await _flights.RunAsync("k", () => Task.FromResult("retried"), CancellationToken.None));
    }

    [Fact]
    public async Task A_caller_who_gives_up_stops_only_its_own_wait()
    {
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var leaving = new CancellationTokenSource();
        var gone = _flights.RunAsync("k", () => release.Task, leaving.Token);
        var staying = _flights.RunAsync("k", () => Task.FromResult("not run"), CancellationToken.None);

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        Assert.False(staying.IsCompleted);
        release.SetResult("value");
        Assert.Equal("value", await staying);
    }
}
