namespace Scorer.Models;

public static class ModelNames
{
    public const string Accurate = "accurate";
    public const string Fast = "fast";

    public static readonly string[] Labels = ["negative", "neutral", "positive"];
}
