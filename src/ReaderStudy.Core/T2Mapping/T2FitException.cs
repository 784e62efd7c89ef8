namespace ReaderStudy.Core.T2Mapping;

/// <summary>An echo train or option that cannot be fitted; the message names the series and the problem.</summary>
public sealed class T2FitException(string message) : Exception(message);
