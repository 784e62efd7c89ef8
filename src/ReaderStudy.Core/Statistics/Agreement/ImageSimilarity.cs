namespace ReaderStudy.Core.Statistics.Agreement;

/// <summary>Similarity of a synthetic map to the real one over a region: SSIM, PSNR (dB) and NRMSE.</summary>
public sealed record SimilarityResult(double Ssim, double? PsnrDb, double Nrmse, int Voxels);

/// <summary>
/// Image similarity on 2-D slices. SSIM follows Wang et al. (2004): 11×11 Gaussian window, σ 1.5,
/// K1 0.01, K2 0.03, dynamic range L (for T2 maps, the display range, e.g. 100 ms), averaged over the
/// window centres inside the region. PSNR uses L too; NRMSE is RMSE divided by L. Identical images have
/// SSIM 1 and no finite PSNR (null).
/// </summary>
public static class ImageSimilarity
{
    public static SimilarityResult Compare(float[] reference, float[] test, int rows, int columns, bool[] region, double dynamicRange)
    {
        if (reference.Length != test.Length || reference.Length != region.Length || reference.Length % (rows * columns) != 0)
        {
            throw new StatisticsException("the two maps and the region must have the same size.");
        }
        var voxels = region.Count(r => r);
        if (voxels == 0)
        {
            throw new StatisticsException("the region is empty.");
        }
        double squared = 0;
        for (var i = 0; i < region.Length; i++)
        {
            if (region[i])
            {
                squared += Math.Pow(reference[i] - test[i], 2);
            }
        }
        var rmse = Math.Sqrt(squared / voxels);
        double? psnr = rmse == 0 ? null : 20 * Math.Log10(dynamicRange / rmse);
        return new SimilarityResult(Ssim(reference, test, rows, columns, region, dynamicRange), psnr, rmse / dynamicRange, voxels);
    }

    private static double Ssim(float[] x, float[] y, int rows, int columns, bool[] region, double range)
    {
        const int radius = 5;
        var weights = new double[2 * radius + 1];
        for (var k = -radius; k <= radius; k++)
        {
            weights[k + radius] = Math.Exp(-k * k / (2 * 1.5 * 1.5));
        }
        var (c1, c2) = (Math.Pow(0.01 * range, 2), Math.Pow(0.03 * range, 2));
        double sum = 0;
        var count = 0;
        var slices = x.Length / (rows * columns);
        for (var s = 0; s < slices; s++)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    var centre = (s * rows + r) * columns + c;
                    if (!region[centre])
                    {
                        continue;
                    }
                    double w = 0, mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                    for (var dr = -radius; dr <= radius; dr++)
                    {
                        var rr = r + dr;
                        if (rr < 0 || rr >= rows) continue;
                        for (var dc = -radius; dc <= radius; dc++)
                        {
                            var cc = c + dc;
                            if (cc < 0 || cc >= columns) continue;
                            var i = (s * rows + rr) * columns + cc;
                            var g = weights[dr + radius] * weights[dc + radius];
                            w += g; mx += g * x[i]; my += g * y[i]; xx += g * x[i] * x[i]; yy += g * y[i] * y[i]; xy += g * x[i] * y[i];
                        }
                    }
                    (mx, my) = (mx / w, my / w);
                    var (vx, vy, cxy) = (xx / w - mx * mx, yy / w - my * my, xy / w - mx * my);
                    sum += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                    count++;
                }
            }
        }
        return sum / count;
    }
}
