namespace Espwire.Emulator.World;

/// <summary>Radio band. The ESP8266 has only a 2.4 GHz radio, so 5 GHz access points never show.</summary>
public enum Band
{
    Ghz24,
    Ghz5,
}
