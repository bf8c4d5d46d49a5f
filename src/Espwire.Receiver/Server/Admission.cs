namespace Espwire.Receiver.Server;

/// <summary>Whether a new connection may proceed, and why not.</summary>
internal enum Admission
{
    Admitted = 0,
    NotAllowed = 1,
    TooManyConnections = 2,
    TooManyFromAddress = 3,
}
