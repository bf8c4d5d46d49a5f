namespace Espwire.At.Errors;

/// <summary>What a code or reply means, in plain words, and what to do about it.</summary>
public sealed record Explanation(string Meaning, string NextStep);
