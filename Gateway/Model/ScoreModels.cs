namespace Gateway.Model;

/// <summary>Body of <c>POST /api/v1/sentiment/score</c>: one <see cref="Text"/> or several <see cref="Texts"/>.</summary>
public sealed record ScoreTextsRequest(string? Text, IReadOnlyList<string>? Texts, string? Model);

public sealed record TextSentiment(
    string Text, string Label, float Score, float Confidence, float Negative, float Neutral, float Positive,
    bool Truncated, string Model, string ModelVersion);

public sealed record ScoreTextsResponse(IReadOnlyList<TextSentiment> Results);
