namespace Espwire.Emulator.Sketch;

/// <summary>What the sketch sends each loop.</summary>
public enum ValueShape
{
    /// <summary>The seed's <c>client.println(num++)</c>: 0, 1, 2, ...</summary>
    Counter,
    /// <summary>Radar-like readings: <c>distance=1.42,velocity=-0.3</c>.</summary>
    Radar,
}
