namespace ReaderStudy.Core.Statistics;

/// <summary>Input a statistic cannot be computed from; the message says what is wrong, never "NaN".</summary>
public sealed class StatisticsException(string message) : Exception(message);
