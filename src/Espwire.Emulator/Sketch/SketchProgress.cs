namespace Espwire.Emulator.Sketch;

/// <summary>One step of a sketch's progress. <see cref="Message"/> is a sentence for the user; for failures it says
/// why and what to do next.</summary>
public sealed record SketchProgress(int ModuleIndex, string? DeviceName, SketchStage Stage, string Message);
