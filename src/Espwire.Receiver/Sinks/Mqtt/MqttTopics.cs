using System.Text;

namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>The forwarder's topics: readings from the template, the device's retained status beside them, the
/// receiver's own status (its LWT) and Home Assistant discovery configs.</summary>
public sealed class MqttTopics
{
    private const string DevicePlaceholder = "{device}";
    private readonly string _before;
    private readonly string _after;

    public MqttTopics(string template, string clientId)
    {
        if (!template.Contains(DevicePlaceholder, StringComparison.Ordinal)) template = template.TrimEnd('/') + "/" + DevicePlaceholder;
        var at = template.IndexOf(DevicePlaceholder, StringComparison.Ordinal);
        _before = template[..at];
        _after = template[(at + DevicePlaceholder.Length)..];
        if (!IsValidName(_before + "x" + _after))
            throw new ArgumentException($"'{template}' is not a topic template: no wildcards (+ #) or NUL, e.g. espwire/{{device}}/reading.", nameof(template));
        Template = template;
        ReceiverStatus = "espwire/receiver/" + Level(clientId) + "/status";
    }

    /// <summary>The template as used, <c>{device}</c> included.</summary>
    public string Template { get; }

    /// <summary><c>espwire/receiver/CLIENT-ID/status</c>: retained <c>online</c>, and <c>offline</c> as the will.</summary>
    public string ReceiverStatus { get; }

    public string Reading(string device) => _before + Level(device) + _after;

    /// <summary>The device's retained status: the template's part up to the device, then <c>/status</c>
    /// (<c>espwire/{device}/status</c> for the default template).</summary>
    public string DeviceStatus(string device) => _before + Level(device) + "/status";

    /// <summary>Home Assistant's discovery topic for one value of one device.</summary>
    public static string Discovery(string device, string value) => $"homeassistant/sensor/{DiscoveryId(device)}/{DiscoveryId(value)}/config";

    /// <summary>A name as one topic level: the wildcards + and #, the separator / and NUL become '_'; an empty name is '_'.</summary>
    public static string Level(string name)
    {
        if (name.Length == 0) return "_";
        if (name.AsSpan().IndexOfAny("+#/\0") < 0) return name;
        var text = new StringBuilder(name);
        for (var i = 0; i < text.Length; i++) if (text[i] is '+' or '#' or '/' or '\0') text[i] = '_';
        return text.ToString();
    }

    /// <summary>Home Assistant's node and object ids allow [a-zA-Z0-9_-] only.</summary>
    public static string DiscoveryId(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name) text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        return text.Length == 0 ? "_" : text.ToString();
    }

    /// <summary>A topic name a client may publish to: not empty, no wildcards, no NUL.</summary>
    public static bool IsValidName(string topic) => topic.Length > 0 && topic.AsSpan().IndexOfAny("+#\0") < 0;
}
