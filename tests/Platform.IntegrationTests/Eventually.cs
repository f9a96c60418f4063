namespace Platform.IntegrationTests;

/// <summary>
/// Polls a condition until it holds or a generous deadline passes. The deadline guards against a hang;
/// it is not a timing assertion, and a pass says nothing about speed.
/// </summary>
public static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (!timeout.IsCancellationRequested)
        {
            try
            {
                if (await condition(timeout.Token))
                {
                    return true;
                }
            }
            catch (Exception) when (!timeout.IsCancellationRequested)
            {
                // A service mid-restart refuses connections; that is "not yet", not a failure.
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return false;
    }
}
