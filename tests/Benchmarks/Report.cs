using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Benchmarks;

/// <summary>Prints a benchmark's table, then its figures as one JSON object on the last line.</summary>
public static class Report
{
    public static void Print(string title, IEnumerable<(string Name, string Value)> rows, object figures)
    {
        var table = new Table().Title(title).AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in rows)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        AnsiConsole.Write(table);
        Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
    }

    public static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string F(double value, int decimals = 2) => value.ToString($"F{decimals}", CultureInfo.InvariantCulture);

    public static double Round(double value, int decimals = 1) => Math.Round(value, decimals);
}
