using System.Net;

namespace Espwire.Receiver.Server;

/// <summary>A TCP connection the receiver accepted.</summary>
public sealed record ConnectionInfo(IPEndPoint Remote, IPEndPoint? Local, DateTimeOffset AcceptedAt);
