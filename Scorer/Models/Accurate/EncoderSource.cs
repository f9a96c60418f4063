using System.Reflection;
using System.Text;

namespace Scorer.Models.Accurate;

/// <summary>
/// A sentence encoder shipped inside a NuGet package's assembly as manifest resources: the ONNX graph and its
/// WordPiece vocabulary. Nothing is downloaded at run time.
/// </summary>
/// <param name="Name">The name heads and configuration use, e.g. <c>all-MiniLM-L6-v2</c>.</param>
/// <param name="ShortName">The name in model versions, e.g. <c>minilm-l6-v2</c>.</param>
/// <param name="AssemblyName">The assembly holding the resources.</param>
/// <param name="ModelResource">Manifest resource name of the ONNX graph.</param>
/// <param name="VocabularyResource">Manifest resource name of <c>vocab.txt</c>.</param>
/// <param name="LowerCase">The vocabulary is uncased: inputs are lower-cased before WordPiece.</param>
/// <param name="MaxTokens">Longest input in tokens, [CLS] and [SEP] included.</param>
/// <param name="Pooling">The pooling the encoder was trained with.</param>
/// <param name="EmbeddingDimension">Width of the token and sentence embeddings.</param>
public sealed record EncoderSource(
    string Name,
    string ShortName,
    string AssemblyName,
    string ModelResource,
    string VocabularyResource,
    bool LowerCase,
    int MaxTokens,
    PoolingMode Pooling,
    int EmbeddingDimension)
{
    /// <summary>
    /// The package's assembly, opened from beside the app (where the build copies it) or, failing that, by name.
    /// Only its resources are read: none of its code runs, so its own dependencies need not be present.
    /// </summary>
    private Assembly LoadAssembly()
    {
        var path = Path.Combine(AppContext.BaseDirectory, AssemblyName + ".dll");
        try
        {
            return File.Exists(path) ? Assembly.LoadFrom(path) : Assembly.Load(new AssemblyName(AssemblyName));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new InvalidOperationException(
                $"The assembly {AssemblyName} with the {Name} encoder is missing from {AppContext.BaseDirectory}; " +
                $"copy it there from the {AssemblyName} package (see the accurate model's project file).", e);
        }
    }

    private Stream OpenResource(string resource) =>
        LoadAssembly().GetManifestResourceStream(resource)
        ?? throw new InvalidOperationException($"The resource {resource} is missing from {AssemblyName}.");

    /// <summary>The encoder's ONNX graph (~90 MB: read it once and drop it after the sessions are built).</summary>
    public byte[] ReadModel()
    {
        using var stream = OpenResource(ModelResource);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The WordPiece vocabulary, one token a line (the packages ship it with CRLF line ends).</summary>
    public TextReader OpenVocabulary() => new StreamReader(OpenResource(VocabularyResource), Encoding.UTF8);
}
