using System.Security.Cryptography;

namespace ModelTools.Data;

/// <summary>Provenance of an input file: its SHA-256, lower-case hex.</summary>
public static class FileFingerprint
{
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        byte[] hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }
}
