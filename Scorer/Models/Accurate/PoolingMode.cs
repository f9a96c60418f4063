namespace Scorer.Models.Accurate;

/// <summary>How token embeddings become one sentence embedding.</summary>
public enum PoolingMode
{
    /// <summary>Average of the token embeddings under the attention mask (sentence-transformers' default).</summary>
    Mean,

    /// <summary>The embedding of the first token, [CLS].</summary>
    Cls,
}
