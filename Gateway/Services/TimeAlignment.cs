namespace Gateway.Services;

/// <summary>Instants taken down or up to a whole step (a minute, an hour, a day) in UTC: one rule for every read.</summary>
public static class TimeAlignment
{
    public static DateTimeOffset Floor(DateTimeOffset instant, TimeSpan step) =>
        new(instant.UtcTicks - instant.UtcTicks % step.Ticks, TimeSpan.Zero);

    public static DateTimeOffset Ceiling(DateTimeOffset instant, TimeSpan step)
    {
        var floor = Floor(instant, step);
        return floor == instant ? floor : floor + step;
    }
}
