namespace ReaderStudy.Core.Synthesis;

/// <summary>A generator that cannot be used as given (wrong shapes, missing manifest, provider that did not load), with what differs.</summary>
public sealed class GeneratorException(string message) : Exception(message);
