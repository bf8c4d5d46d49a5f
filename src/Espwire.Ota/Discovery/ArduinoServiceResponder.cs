namespace Espwire.Ota.Discovery;

/// <summary>
/// The answering side of DNS-SD for one <see cref="ArduinoService"/>: which records answer which question
/// (RFC 6763 §12: a PTR answer carries the SRV, TXT and address records as additionals). Pure: the device
/// (or the emulator) owns the socket.
/// </summary>
public static class ArduinoServiceResponder
{
    private const string ServicesEnumeration = "_services._dns-sd._udp.local";

    /// <summary>The response to <paramref name="query"/>, or null when none of its questions is about this service.
    /// A query from a port other than 5353 (<paramref name="legacyUnicast"/>) gets its id and questions echoed
    /// and short TTLs, as RFC 6762 §6.7 requires.</summary>
    public static DnsMessage? Answer(DnsMessage query, ArduinoService service, bool legacyUnicast)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(service);
        if (query.IsResponse) return null;
        var instance = service.Instance + "." + ArduinoService.ServiceType;
        var host = service.HostName.EndsWith(".local", StringComparison.OrdinalIgnoreCase) ? service.HostName : service.HostName + ".local";
        var ptr = DnsRecord.Pointer(ArduinoService.ServiceType, instance);
        var srv = DnsRecord.Service(instance, host, (ushort)service.Port);
        var txt = DnsRecord.Text(instance, service.Txt.Select(kv => kv.Key + "=" + kv.Value));
        var address = DnsRecord.HostAddress(host, service.Address);
        var answers = new List<DnsRecord>();
        var additionals = new List<DnsRecord>();
        foreach (var q in query.Questions)
        {
            var any = q.Type == DnsRecordType.Any;
            if (Same(q.Name, ArduinoService.ServiceType) && (any || q.Type == DnsRecordType.Ptr))
            {
                answers.Add(ptr);
                additionals.AddRange([srv, txt, address]);
            }
            else if (Same(q.Name, ServicesEnumeration) && (any || q.Type == DnsRecordType.Ptr))
            {
                answers.Add(DnsRecord.Pointer(ServicesEnumeration, ArduinoService.ServiceType));
            }
            else if (Same(q.Name, instance))
            {
                if (any || q.Type == DnsRecordType.Srv) answers.Add(srv);
                if (any || q.Type == DnsRecordType.Txt) answers.Add(txt);
                if (q.Type == DnsRecordType.Srv) additionals.Add(address);
            }
            else if (Same(q.Name, host) && (any || q.Type == address.Type))
            {
                answers.Add(address);
            }
        }
        if (answers.Count == 0) return null;
        additionals.RemoveAll(answers.Contains);
        if (legacyUnicast)
        {
            // §6.7: legacy resolvers get TTLs of at most 10 s and no cache-flush bits.
            answers = answers.Select(Legacy).ToList();
            additionals = additionals.Distinct().Select(Legacy).ToList();
        }
        return new DnsMessage
        {
            Id = legacyUnicast ? query.Id : (ushort)0,
            IsResponse = true,
            Authoritative = true,
            Questions = legacyUnicast ? query.Questions.ToList() : [],
            Answers = answers,
            Additionals = additionals.Distinct().ToList(),
        };
    }

    private static DnsRecord Legacy(DnsRecord r) => r with { Ttl = Math.Min(r.Ttl, 10), CacheFlush = false };

    private static bool Same(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}
