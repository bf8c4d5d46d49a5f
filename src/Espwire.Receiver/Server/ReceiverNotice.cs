using System.Net;

namespace Espwire.Receiver.Server;

/// <summary>Something an operator should hear about (a refused peer, a dropped line). Rate-limited at the source:
/// refused peers once per address, drops once per connection and kind.</summary>
public sealed record ReceiverNotice(NoticeKind Kind, string Message, IPEndPoint? Remote);
