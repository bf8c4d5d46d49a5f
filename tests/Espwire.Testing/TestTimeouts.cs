using System.Globalization;

namespace Espwire.Testing;

/// <summary>
/// The one knob for time in the tests: <c>ESPWIRE_TEST_TIME_SCALE</c> (default 1; e.g. 3 on a slow or heavily loaded
/// machine) multiplies every ceiling a test waits under and every timeout a test hands to the code under test.
/// Ceilings are generous on purpose (a healthy run meets them with a wide margin); a timeout under test is the
/// shortest that still lets an answered request beat it on a loaded 2-core machine, scaled the same way.
/// </summary>
public static class TestTimeouts
{
    public const string Variable = "ESPWIRE_TEST_TIME_SCALE";

    /// <summary>The factor from <see cref="Variable"/>; 1 when unset, and never below 1.</summary>
    public static double Scale { get; } = ReadScale();

    /// <summary>The ceiling for anything a healthy system does promptly (start, bind, answer, drain, exit): 60 s scaled.</summary>
    public static TimeSpan Patience { get; } = Seconds(60);

    public static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds * Scale);

    public static TimeSpan Milliseconds(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds * Scale);

    public static TimeSpan Scaled(TimeSpan time) => time * Scale;

    /// <summary>A token that cancels after <paramref name="ceiling"/> (default <see cref="Patience"/>).</summary>
    public static CancellationToken Ceiling(TimeSpan? ceiling = null) => new CancellationTokenSource(ceiling ?? Patience).Token;

    private static double ReadScale()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text)) return 1;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || double.IsNaN(scale) || double.IsInfinity(scale))
            throw new InvalidOperationException($"{Variable}='{text}' is not a number; unset it or write e.g. {Variable}=3.");
        return Math.Max(1, scale);
    }
}
