using Npgsql;

namespace Gateway.Services;

/// <summary>
/// What a rollup read covers: the asked range widened to whole UTC hours (<see cref="From"/> down, <see cref="To"/>
/// up: rollups hold hours, so an aggregate never counts part of one), and within it the whole UTC days
/// [<see cref="DaysFrom"/>, <see cref="DaysTo"/>) read from the daily rollups; an empty day span sits at
/// <see cref="To"/>, so every hour is read from the hourly rollups.
/// </summary>
public sealed record RollupSpan(DateTimeOffset From, DateTimeOffset To, DateTimeOffset DaysFrom, DateTimeOffset DaysTo)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <param name="range">The asked range.</param>
    /// <param name="wholeDays">Whether daily rows may stand in for their hours (not for an hourly series).</param>
    public static RollupSpan Of(TimeRange range, bool wholeDays)
    {
        var from = TimeAlignment.Floor(range.From, Hour);
        var to = TimeAlignment.Ceiling(range.To, Hour);
        var (daysFrom, daysTo) = (TimeAlignment.Ceiling(from, Day), TimeAlignment.Floor(to, Day));
        return wholeDays && daysFrom < daysTo ? new RollupSpan(from, to, daysFrom, daysTo) : new RollupSpan(from, to, to, to);
    }

    public TimeRange Range => new(From, To);

    public void AddParameters(NpgsqlCommand command)
    {
        command.Parameters.AddWithValue("from", From);
        command.Parameters.AddWithValue("to", To);
        command.Parameters.AddWithValue("days_from", DaysFrom);
        command.Parameters.AddWithValue("days_to", DaysTo);
    }
}
