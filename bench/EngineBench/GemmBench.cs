using System.Diagnostics;
using FuseChat.Engine.Kernels;

namespace EngineBench;

/// <summary>
/// One GEMM shape in BLAS terms, C[M, N] (+)= op(A)[M, K] · op(B)[K, N]. "linear" cases are a Linear layer's forward
/// (tokens M, in K, out N) through <see cref="IGemm.MatmulTransposedB"/>; the others go through Sgemm, with beta = 1
/// where training accumulates gradients.
/// </summary>
record GemmCase(string Name, bool Linear, bool TransA, bool TransB, int M, int N, int K, float Beta)
{
    public double Flops => 2.0 * M * N * K;
    public string Spec => $"{Name}:{(Linear ? 1 : 0)}:{(TransA ? 1 : 0)}:{(TransB ? 1 : 0)}:{M}:{N}:{K}:{Beta}";
    public static GemmCase Forward(int tokens, int inF, int outF) => new($"fwd {tokens}x{inF}->{outF}", true, false, true, tokens, outF, inF, 0f);
    /// <summary>dX[N, in] += dY[N, out] · W[out, in].</summary>
    public static GemmCase InputGrad(int tokens, int inF, int outF) => new($"dX  {tokens}x{inF}->{outF}", false, false, false, tokens, inF, outF, 1f);
    /// <summary>dW[out, in] += dY[N, out]ᵀ · X[N, in].</summary>
    public static GemmCase WeightGrad(int tokens, int inF, int outF) => new($"dW  {tokens}x{inF}->{outF}", false, true, false, outF, inF, tokens, 1f);
}

/// <summary>GFLOP/s of the managed GEMM and OpenBLAS sgemm, alternated in the same process, plus PyTorch from a child process.</summary>
static unsafe class GemmBench
{
    /// <summary>The cases; <paramref name="only"/> = "inference" (Linear forwards up to 512 tokens) or "training" (N = 1024) narrows them.</summary>
    public static GemmCase[] Cases(bool quick, string? only = null)
    {
        var all = AllCases(quick);
        return only switch
        {
            "inference" => all.Where(c => c.Linear && c.M <= 512).ToArray(),
            "training" => all.Where(c => c.M == 1024 || c.K == 1024).ToArray(),
            _ => all,
        };
    }

    static GemmCase[] AllCases(bool quick)
    {
        var list = new List<GemmCase>();
        foreach (int n in quick ? new[] { 1, 64, 512 } : new[] { 1, 4, 16, 64, 128, 512 }) list.Add(GemmCase.Forward(n, 768, 3072));
        list.Add(GemmCase.Forward(512, 768, 768));
        list.Add(GemmCase.Forward(512, 3072, 768));
        list.Add(GemmCase.Forward(512, 2048, 2048));
        if (!quick) { list.Add(GemmCase.Forward(1, 4096, 4096)); list.Add(GemmCase.Forward(512, 4096, 4096)); }
        foreach (var (inF, outF) in new[] { (768, 3072), (3072, 768), (2048, 2048) })
        {
            list.Add(GemmCase.Forward(1024, inF, outF));
            list.Add(GemmCase.InputGrad(1024, inF, outF));
            list.Add(GemmCase.WeightGrad(1024, inF, outF));
        }
        return list.ToArray();
    }

    /// <summary>A, B and C of a case, filled with seeded values in [-0.5, 0.5) (C zeroed).</summary>
    internal sealed class Buffers : IDisposable
    {
        public float* A, B, C;
        public Buffers(GemmCase c)
        {
            long a = (long)c.M * c.K, b = (long)c.K * c.N, cc = (long)c.M * c.N;
            A = Alloc(a); B = Alloc(b); C = Alloc(cc);
            var rng = new Random(1);
            for (long i = 0; i < a; i++) A[i] = (float)rng.NextDouble() - 0.5f;
            for (long i = 0; i < b; i++) B[i] = (float)rng.NextDouble() - 0.5f;
            new Span<float>(C, (int)cc).Clear();
        }
        static float* Alloc(long n) => (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(n * 4), 64);
        public void Dispose() { System.Runtime.InteropServices.NativeMemory.AlignedFree(A); System.Runtime.InteropServices.NativeMemory.AlignedFree(B); System.Runtime.InteropServices.NativeMemory.AlignedFree(C); }
    }

    static void Call(IGemm g, GemmCase c, Buffers x)
    {
        if (c.Linear) { g.MatmulTransposedB(x.C, x.A, WeightPtr.Of(x.B), c.M, c.K, c.N); return; }
        int lda = c.TransA ? c.M : c.K, ldb = c.TransB ? c.K : c.N;
        g.Sgemm(c.TransA, c.TransB, c.M, c.N, c.K, 1f, x.A, lda, x.B, ldb, c.Beta, x.C, c.N);
    }

    [System.Runtime.InteropServices.DllImport("libc")] static extern int clock_gettime(int clock, out Timespec ts);
    struct Timespec { public long Sec, Nsec; }

    /// <summary>CPU seconds of the whole process (all threads), at nanosecond resolution (Linux CLOCK_PROCESS_CPUTIME_ID).</summary>
    static double ProcessCpuSeconds() { clock_gettime(2, out var t); return t.Sec + t.Nsec * 1e-9; }

    /// <summary>Wall and process-CPU seconds per call over a batch of about 0.1 s.</summary>
    static (double Wall, double Cpu) TimeOnce(IGemm g, GemmCase c, Buffers x)
    {
        int reps = Math.Max(1, (int)(0.1 * 100e9 / c.Flops));
        double cpu0 = ProcessCpuSeconds();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++) Call(g, c, x);
        return (sw.Elapsed.TotalSeconds / reps, (ProcessCpuSeconds() - cpu0) / reps);
    }

    public static void Run(int threads, Dictionary<string, double> torch, bool quick = false, int rounds = 5, string? only = null)
    {
        var blas = OpenBlasGemm.TryCreate(threads);
        var managed = new ManagedGemm(threads);
        Console.WriteLine($"GEMM, {threads} threads, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        // Wall-clock GFLOP/s is what a user sees; per-CPU-second GFLOP/s is steadier on a loaded machine (time slices
        // given to other processes do not count), but idle-spinning worker threads count against it.
        Console.WriteLine("| case (tokens×in->out) | BLAS op | managed GFLOP/s | OpenBLAS GFLOP/s | PyTorch GFLOP/s | managed/OpenBLAS | per CPU-s: managed | OpenBLAS | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        double sumLog = 0, sumLogCpu = 0; int count = 0;
        foreach (var c in Cases(quick, only))
        {
            using var x = new Buffers(c);
            Call(managed, c, x); if (blas is not null) Call(blas, c, x);   // warm-up: JIT, thread pools, page faults
            double tm = double.MaxValue, tb = double.MaxValue, cm = double.MaxValue, cb = double.MaxValue;
            for (int r = 0; r < rounds; r++)   // alternate so both see the same machine load
            {
                var (w, u) = TimeOnce(managed, c, x);
                tm = Math.Min(tm, w); cm = Math.Min(cm, u);
                if (blas is null) continue;
                (w, u) = TimeOnce(blas, c, x);
                tb = Math.Min(tb, w); cb = Math.Min(cb, u);
            }
            double gm = c.Flops / tm / 1e9, gb = blas is null ? double.NaN : c.Flops / tb / 1e9;
            double um = c.Flops / cm / 1e9, ub = blas is null ? double.NaN : c.Flops / cb / 1e9;
            torch.TryGetValue("gemm " + c.Name, out double gt);
            string op = $"{(c.TransA ? "T" : "N")}{(c.TransB ? "T" : "N")} {c.M}×{c.N}×{c.K}";
            Console.WriteLine($"| {c.Name} | {op} | {gm:F1} | {gb:F1} | {(gt > 0 ? gt.ToString("F1") : "n/a")} | {gm / gb:P0} | {um:F1} | {ub:F1} | {um / ub:P0} |");
            if (c.M >= 64) { sumLog += Math.Log(gm / gb); sumLogCpu += Math.Log(um / ub); count++; }
        }
        Console.WriteLine($"geometric mean managed/OpenBLAS over cases with M ≥ 64: wall {Math.Exp(sumLog / Math.Max(1, count)):P0}, per CPU-second {Math.Exp(sumLogCpu / Math.Max(1, count)):P0}");
    }

    /// <summary>The case list for the PyTorch peer, one "name:linear:ta:tb:m:n:k:beta" per entry.</summary>
    public static string Specs(bool quick, string? only = null) => string.Join(";", Cases(quick, only).Select(c => c.Spec));
}
