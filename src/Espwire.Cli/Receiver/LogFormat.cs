namespace Espwire.Cli.Receiver;

/// <summary><c>espwire serve --log</c>: the seed's lines, or one JSON object per event.</summary>
internal enum LogFormat
{
    Text = 0,
    Json = 1,
}
