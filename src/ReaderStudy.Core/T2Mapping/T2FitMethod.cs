namespace ReaderStudy.Core.T2Mapping;

public enum T2FitMethod
{
    /// <summary>Weighted least squares on ln S, weights S² (undoing the log's noise amplification).</summary>
    LogLinear,
    /// <summary>Levenberg-Marquardt on S = S0·exp(−TE/T2) (+ C), seeded from the log-linear fit.</summary>
    Nonlinear,
}
