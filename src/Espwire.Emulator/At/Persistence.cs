namespace Espwire.Emulator.At;

/// <summary>Where a setting command's change goes: 1.x's <c>_CUR</c> (RAM), <c>_DEF</c> (RAM and flash), or the plain form.</summary>
public enum Persistence
{
    /// <summary>The plain form: saved on 1.x (deprecated form), saved on 2.x when AT+SYSSTORE=1.</summary>
    Plain,
    Current,
    Default,
}
