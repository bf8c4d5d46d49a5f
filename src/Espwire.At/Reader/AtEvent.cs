namespace Espwire.At.Reader;

/// <summary>One thing the reader recognised in the byte stream from the module.</summary>
public abstract record AtEvent;
