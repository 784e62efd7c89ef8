using MathNet.Numerics.LinearAlgebra;

namespace ReaderStudy.Core.Reading.Blinding;

/// <summary>Ridge-penalised logistic regression on standardised features, fitted by Newton's method (IRLS).</summary>
internal sealed class LogisticModel(double[] mean, double[] scale, double[] weights, double bias)
{
    private const double Ridge = 1.0;

    public static LogisticModel Fit(double[][] x, bool[] y, bool intercept)
    {
        var features = x.Length == 0 ? 0 : x[0].Length;
        // Paired differences are centred by construction (swapping sides flips both sign and label): scale only.
        var mean = new double[features];
        var scale = new double[features];
        for (var j = 0; j < features; j++)
        {
            var column = x.Select(r => r[j]).ToArray();
            mean[j] = intercept ? column.Average() : 0;
            var spread = Math.Sqrt(column.Sum(v => (v - mean[j]) * (v - mean[j])) / Math.Max(1, column.Length));
            scale[j] = spread > 1e-12 ? spread : 0;
        }
        var columns = features + (intercept ? 1 : 0);
        var design = Matrix<double>.Build.Dense(x.Length, columns, (i, j) =>
            j == features ? 1 : scale[j] == 0 ? 0 : (x[i][j] - mean[j]) / scale[j]);
        var target = Vector<double>.Build.Dense(y.Length, i => y[i] ? 1 : 0);
        var w = Vector<double>.Build.Dense(columns);
        var penalty = Matrix<double>.Build.DenseDiagonal(columns, columns, j => j == features ? 1e-6 : Ridge);
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var p = (design * w).Map(Sigmoid);
            var gradient = design.TransposeThisAndMultiply(target - p) - penalty * w;
            var hessian = design.TransposeThisAndMultiply(design.MapIndexed((i, _, v) => v * p[i] * (1 - p[i]))) + penalty;
            var change = hessian.Solve(gradient);
            w += change;
            if (change.L2Norm() < 1e-9)
            {
                break;
            }
        }
        return new LogisticModel(mean, scale, [.. w.Take(features)], intercept ? w[features] : 0);
    }

    public double Probability(double[] x)
    {
        var z = bias;
        for (var j = 0; j < weights.Length; j++)
        {
            z += scale[j] == 0 ? 0 : weights[j] * (x[j] - mean[j]) / scale[j];
        }
        return Sigmoid(z);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
