namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>Two one-sided tests (TOST) that a proportion lies within p0 ± margin.</summary>
public sealed record EquivalenceResult(double Proportion, double Margin, double PLower, double PUpper, double P, bool Equivalent, double Alpha);

/// <summary>
/// "Readers could not tell them apart", stated as a claim: accuracy is shown to lie within 50 % ± margin
/// when both exact one-sided binomial tests reject (H01: p ≤ p0 − margin; H02: p ≥ p0 + margin).
/// </summary>
public static class EquivalenceTest
{
    public static EquivalenceResult Binomial(int successes, int n, double margin, double p0 = 0.5, double alpha = 0.05)
    {
        if (margin <= 0 || p0 - margin <= 0 || p0 + margin >= 1)
        {
            throw new StatisticsException($"the equivalence margin {margin} must be positive and keep {p0} ± margin inside 0 to 1.");
        }
        var lower = BinomialTest.Test(successes, n, p0 - margin, Alternative.Greater).P;
        var upper = BinomialTest.Test(successes, n, p0 + margin, Alternative.Less).P;
        var p = Math.Max(lower, upper);
        return new EquivalenceResult((double)successes / n, margin, lower, upper, p, p < alpha, alpha);
    }
}
