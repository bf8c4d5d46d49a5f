namespace Espwire.Cli.Receiver;

/// <summary><c>espwire readings --format</c>.</summary>
internal enum ReadingsFormat
{
    Table = 0,
    Csv = 1,
    Json = 2,
}
