using System.Diagnostics;

namespace ReaderStudy.Bench;

/// <summary>Median wall time of repeated runs after one warm-up, with the managed allocation per run.</summary>
internal static class Measure
{
    public static (double MedianSeconds, double AllocatedMb) Time(int repetitions, Action action)
    {
        action();
        var times = new List<double>();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        var perRun = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)repetitions / (1 << 20);
        return (times.Order().ElementAt(times.Count / 2), perRun);
    }

    /// <summary>As <see cref="Time(int, Action)"/>, but each run says how long its measured part took (its set-up left out).</summary>
    public static (double MedianSeconds, double AllocatedMb) Time(int repetitions, Action action, Func<double> measured)
    {
        action();
        var times = new List<double>();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < repetitions; i++)
        {
            action();
            times.Add(measured());
        }
        var perRun = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)repetitions / (1 << 20);
        return (times.Order().ElementAt(times.Count / 2), perRun);
    }

    /// <summary>Median wall and CPU seconds (all threads of the process) of repeated runs after one warm-up.</summary>
    public static (double WallSeconds, double CpuSeconds) WallAndCpu(int repetitions, Action action)
    {
        action();
        var runs = new List<(double Wall, double Cpu)>();
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < repetitions; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            action();
            var wall = clock.Elapsed.TotalSeconds;
            process.Refresh();
            runs.Add((wall, (process.TotalProcessorTime - cpu).TotalSeconds));
        }
        return runs.OrderBy(r => r.Wall).ElementAt(runs.Count / 2);
    }

    public static void Row(string what, double seconds, string detail) =>
        Console.WriteLine($"| {what} | {seconds:F3} s | {detail} |");
}
