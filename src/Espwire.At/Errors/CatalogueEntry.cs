namespace Espwire.At.Errors;

/// <summary>One code in one table.</summary>
public sealed record CatalogueEntry(CatalogueTable Table, string Code, string Name, string Meaning, string NextStep)
{
    public Explanation Explanation => new(Meaning, NextStep);
}
