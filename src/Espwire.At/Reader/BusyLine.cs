namespace Espwire.At.Reader;

/// <summary><c>busy p...</c> or <c>busy s...</c>: the module is still working on an earlier command and ignored this one.</summary>
public sealed record BusyLine(string Text) : AtEvent;
