using Gateway.Services;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure;

/// <summary>
/// Evaluates every tracked keyword each <see cref="AlertOptions.Interval"/> (<see cref="KeywordShiftDetector"/>),
/// records the shifts it finds (once per keyword, kind and window, whichever replica finds them first), and reports
/// the z-scores and the alerts raised to <see cref="GatewayTelemetry"/>.
/// </summary>
public sealed class KeywordAlertService(
    KeywordAlerts alerts, IOptions<AlertOptions> options, TimeProvider time, GatewayTelemetry telemetry, ILogger<KeywordAlertService> logger)
    : BackgroundService
{

    /// <summary>One evaluation of every keyword; what it raised, as (keyword, kind).</summary>
    public async Task<IReadOnlyList<(string Keyword, string Kind)>> EvaluateAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var hour = TimeAlignment.Floor(now, TimeSpan.FromHours(1));
        var windowStart = hour.AddHours(1 - settings.WindowHours);
        var baselineStart = windowStart.AddDays(-settings.BaselineDays);
        var windows = await alerts.WindowsAsync(baselineStart, windowStart, hour.AddHours(1), ct);

        var evaluations = windows
            .Select(w => KeywordShiftDetector.Evaluate(w, (now - windowStart).TotalHours, (windowStart - baselineStart).TotalHours, settings))
            .ToList();
        var raised = new List<(string, string)>();
        foreach (var evaluation in evaluations)
        {
            foreach (var shift in evaluation.Shifts)
            {
                if (await alerts.RaiseAsync(evaluation.Window, shift, windowStart, now, ct))
                {
                    var kind = KeywordShiftDetector.Name(shift.Kind);
                    telemetry.AlertRaised(evaluation.Window.Label, kind);
                    logger.LogWarning("Keyword {Keyword}: {Kind} (z = {ZScore:F1}, {Items} mentions since {WindowStart:u})",
                        evaluation.Window.Label, kind, shift.ZScore, evaluation.Window.WindowItems, windowStart);
                    raised.Add((evaluation.Window.Label, kind));
                }
            }
        }

        telemetry.Evaluated(evaluations);
        return raised;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await EvaluateAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // PostgreSQL away: the next tick tries again; the gauges keep their last values meanwhile.
                logger.LogWarning("Keyword alert evaluation failed: {Error}", error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
