namespace ModelTools.Data;

/// <summary>A tab-separated input file is malformed; the message names the file and the line.</summary>
public sealed class TsvFormatException : FormatException
{
    public TsvFormatException(string source, int lineNumber, string problem)
        : base($"{source}, line {lineNumber}: {problem}")
    {
        SourceName = source;
        LineNumber = lineNumber;
    }

    /// <summary>The file (or other source) that was being read.</summary>
    public string SourceName { get; }

    /// <summary>1-based line on which the offending record starts.</summary>
    public int LineNumber { get; }
}
