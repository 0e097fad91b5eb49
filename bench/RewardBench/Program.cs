using System.Diagnostics;
using System.Globalization;
using FuseChat.Bench;
using FuseChat.Engine.Checkpoints;
using FuseChat.Engine.Config;
using FuseChat.Engine.Kernels;
using FuseChat.Engine.Reward;

// Reward scoring throughput (tokens/s) of the in-process engine for a sequence classifier and an ArmoRM head on the same
// random ~40M-parameter Llama decoder, at batch 1 and batch 8, against PyTorch (Debian's python3-torch, FP32, one row
// per forward as the HF reward pipelines run) on the same checkpoint and rows. The peer also re-checks the scores.
int rows = args.Length > 0 ? int.Parse(args[0]) : 16, length = args.Length > 1 ? int.Parse(args[1]) : 256;
int threads = Environment.ProcessorCount;
var root = Directory.CreateTempSubdirectory("fusechat-reward-bench-").FullName;
try
{
    var shape = new ModelShape("llama", Hidden: 512, Layers: 6, Heads: 8, KvHeads: 4, Intermediate: 1536, VocabSize: 32000, MaxPositions: 2048);
    string cls = Path.Combine(root, "classifier"), armo = Path.Combine(root, "armorm");
    RewardCheckpointInitializer.CreateFolder(shape, new RewardHeadShape(ModelHead.SequenceClassification), 1, cls);
    RewardCheckpointInitializer.CreateFolder(shape, new RewardHeadShape(ModelHead.RewardWithGating, GatingTokenPattern: [7, 8, 9]), 2, armo);
    var rng = new Random(3);
    var ids = Enumerable.Range(0, rows).Select(i =>
    {
        int n = length - rng.Next(length / 4);
        var r = Enumerable.Range(0, n).Select(_ => 10 + rng.Next(31990)).ToArray();
        r[n * 2 / 3] = 7; r[n * 2 / 3 + 1] = 8; r[n * 2 / 3 + 2] = 9;   // ArmoRM's gating pattern, two thirds in
        return r;
    }).ToArray();
    string rowsFile = Path.Combine(root, "rows.txt");
    File.WriteAllLines(rowsFile, ids.Select(r => string.Join(' ', r)));
    long tokens = ids.Sum(r => (long)r.Length);
    Console.WriteLine($"{rows} rows, {tokens} tokens, {threads} threads, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    foreach (var (name, dir) in new[] { ("classifier", cls), ("armorm", armo) })
    {
        using var model = RewardModel.Load(dir, CpuKernels.Create("auto", 0));
        model.Score([ids[0]]);   // warm-up: JIT and buffers
        double[]? scores = null;
        foreach (int batch in new[] { 1, 8 })
        {
            var sw = Stopwatch.StartNew();
            var r = model.Score(ids, batch);
            sw.Stop();
            scores ??= r.Select(x => x.Score).ToArray();
            Console.WriteLine($"fusechat {name} batch {batch}: {tokens / sw.Elapsed.TotalSeconds:F0} tokens/s ({sw.Elapsed.TotalSeconds:F2} s)");
        }
        var peer = RunPeer(dir, rowsFile, threads, name == "armorm");
        if (peer.TryGetValue("tokens_per_s", out var tps)) Console.WriteLine($"torch    {name} batch 1: {tps:F0} tokens/s");
        var peerScores = File.Exists(rowsFile + ".scores") ? File.ReadAllLines(rowsFile + ".scores").Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray() : null;
        if (peerScores is not null) Console.WriteLine($"max |fusechat - torch| score difference: {scores!.Zip(peerScores).Max(p => Math.Abs(p.First - p.Second)):G3}");
    }
}
finally { Directory.Delete(root, true); }

// The peer imports tools/torch-reference and tools/torch-reward-reference: run it from the repository it lives in.
static Dictionary<string, double> RunPeer(string dir, string rowsFile, int threads, bool armo) =>
    TorchPeer.Run(TorchPeer.InRepository("bench", "RewardBench", "torch_peer.py"), [dir, rowsFile, threads.ToString(), armo ? "armorm" : "classifier"]);
