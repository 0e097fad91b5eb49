using System.Diagnostics;
using FuseChat.Engine.Inference;

namespace EngineBench;

/// <summary>
/// Microseconds per sampled token of <see cref="Sampler.Next"/> (Hugging Face processors, then a draw) for one row of
/// logits at two vocabulary sizes and four settings, beside the same processors in PyTorch (torch_peer.py "sampler").
/// </summary>
static class SamplerBench
{
    /// <summary>The settings measured, by the name torch_peer.py prints them under.</summary>
    public static readonly (string Name, SamplingOptions Options)[] Cases =
    [
        ("greedy+penalty", new SamplingOptions { DoSample = false, RepetitionPenalty = 1.1f }),
        ("temperature", new SamplingOptions { Temperature = 0.7f }),
        ("topk50+topp0.9", new SamplingOptions { Temperature = 0.7f, TopK = 50, TopP = 0.9f }),
        ("topp0.95+minp0.05+penalty", new SamplingOptions { TopP = 0.95f, MinP = 0.05f, RepetitionPenalty = 1.1f }),
    ];

    public static readonly int[] Vocabs = [32000, 151936];

    public static void Run(Dictionary<string, double> torch)
    {
        Console.WriteLine("| vocabulary | setting | fusechat µs/token | PyTorch µs/token | fusechat vs PyTorch (speed) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (int V in Vocabs)
        {
            var rng = new Random(V);
            var logits = Enumerable.Range(0, V).Select(_ => (float)(Gaussian(rng) * 3)).ToArray();
            var seen = new HashSet<int>(Enumerable.Range(0, 256).Select(_ => rng.Next(V)));
            var row = new float[V];
            foreach (var (name, o) in Cases)
            {
                var s = new Sampler(o with { Seed = 1 }, 0);
                int reps = V > 100_000 ? 40 : 150;
                double best = double.MaxValue;
                for (int round = 0; round < 4; round++)   // the first round warms up the JIT
                {
                    var sw = Stopwatch.StartNew();
                    for (int i = 0; i < reps; i++) { logits.CopyTo(row, 0); s.Next(row, seen); }
                    if (round > 0) best = Math.Min(best, sw.Elapsed.TotalSeconds / reps * 1e6);
                }
                torch.TryGetValue($"sampler {V} {name}", out double t);
                Console.WriteLine($"| {V} | {name} | {best:F0} | {(t > 0 ? t.ToString("F0") : "n/a")} | {(t > 0 ? (t / best).ToString("F2") + "×" : "n/a")} |");
            }
        }
    }

    static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
