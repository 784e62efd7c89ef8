namespace ReaderStudy.Core.Statistics;

/// <summary>Input checks shared by the statistics, each failing with a message that names the problem.</summary>
internal static class Require
{
    public static void Paired(IReadOnlyList<double> x, IReadOnlyList<double> y, int minimum)
    {
        if (x.Count != y.Count)
        {
            throw new StatisticsException($"paired data need as many x as y values (x has {x.Count}, y has {y.Count}).");
        }
        AtLeast(x, minimum, "pairs");
    }

    public static void AtLeast(IReadOnlyList<double> values, int minimum, string what)
    {
        if (values.Count < minimum)
        {
            throw new StatisticsException($"at least {minimum} {what} are needed, got {values.Count}.");
        }
        if (values.Any(v => !double.IsFinite(v)))
        {
            throw new StatisticsException("the data hold a missing or non-finite value.");
        }
    }

    public static void NotConstant(IReadOnlyList<double> values, string name)
    {
        if (values.All(v => v == values[0]))
        {
            throw new StatisticsException($"{name} is constant ({values[0]}); the statistic is undefined.");
        }
    }

    public static void Level(double level)
    {
        if (level is <= 0 or >= 1)
        {
            throw new StatisticsException($"the confidence level must lie between 0 and 1, got {level}.");
        }
    }
}
