namespace Espwire.Flasher.Errors;

/// <summary>An operation the ESP8266 ROM cannot do without a flasher stub.</summary>
public sealed class StubRequiredException : FlasherException
{
    public StubRequiredException(string operation)
        : base($"{operation} needs the flasher stub: the ESP8266 ROM cannot do it.",
               "Give a stub with --stub FILE (esptool's stub JSON, e.g. from a local esptool or Arduino ESP8266 core install) and leave out --no-stub.")
    {
    }
}
