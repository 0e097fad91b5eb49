using System.Diagnostics;
using FuseChat.Engine.Kernels;

namespace EngineBench;

/// <summary>
/// The ragged step's kernel choice: <see cref="CpuKernels.MatmulFewRows"/> (each element summed in one fixed order,
/// so a row's result does not depend on the other rows) against the packed GEMM (managed and OpenBLAS) at row counts
/// past 32, where the packed GEMM used to take over. Same process, alternated rounds, best of each. Run it with
/// DOTNET_TieredCompilation=0: the big shapes are called only a few times, and half-tiered kernels time 2-3× slower.
/// ROWS=64,256 (a comma-separated list) times only those row counts.
/// </summary>
static unsafe class FewRowsBench
{
    static readonly (int K, int M, string What)[] Shapes =
    [
        (96, 288, "demo target MLP up"), (128, 419, "demo lm_head"),
        (768, 768, "111M attn"), (768, 1536, "111M MLP"), (768, 32000, "111M lm_head"), (2048, 8192, "1B-ish MLP"),
    ];
    static readonly int[] Rows = Environment.GetEnvironmentVariable("ROWS") is { Length: > 0 } r
        ? r.Split(',').Select(int.Parse).ToArray() : [1, 4, 16, 32, 64, 128, 256];

    public static void Run(int threads)
    {
        var managed = new CpuKernels(new ManagedGemm(threads), threads);
        var blas = OpenBlasGemm.TryCreate(threads) is { } g ? new CpuKernels(g, threads) : null;
        Console.WriteLine($"few-rows vs packed GEMM, {threads} threads, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("| shape k×m | rows | few-rows ms | managed packed ms | OpenBLAS ms | few / managed | few / OpenBLAS |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (k, m, what) in Shapes)
            foreach (int n in Rows)
            {
                // A Linear layer's forward in GEMM terms: inputs [n, k] in A, weights [m, k] in B, outputs [n, m] in C.
                using var x = new GemmBench.Buffers(GemmCase.Forward(n, k, m));
                float* a = x.A, c = x.C;
                var wp = WeightPtr.Of(x.B);
                double few = double.MaxValue, pm = double.MaxValue, pb = double.MaxValue;
                for (int r = 0; r < 9; r++)
                {
                    few = Math.Min(few, Time(() => managed.MatmulFewRows(c, a, wp, null, n, k, m), n, k, m));
                    pm = Math.Min(pm, Time(() => managed.Matmul(c, a, wp, null, n, k, m), n, k, m));
                    if (blas is not null) pb = Math.Min(pb, Time(() => blas.Matmul(c, a, wp, null, n, k, m), n, k, m));
                }
                Console.WriteLine($"| {k}×{m} ({what}) | {n} | {few * 1e3:F3} | {pm * 1e3:F3} | {(blas is null ? "n/a" : (pb * 1e3).ToString("F3"))} | {few / pm:F2} | {(blas is null ? "n/a" : (few / pb).ToString("F2"))} |");
            }
    }

    static double Time(Action call, int n, int k, int m)
    {
        call();
        int reps = Math.Max(3, (int)(2e8 / (2.0 * n * k * m)));
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++) call();
        return sw.Elapsed.TotalSeconds / reps;
    }
}
