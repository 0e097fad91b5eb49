using System.Diagnostics;
using System.Globalization;
using FuseChat.Bench;
using FuseChat.Engine.Checkpoints;
using FuseChat.Engine.Config;
using FuseChat.Engine.Kernels;
using FuseChat.Engine.Model;
using FuseChat.Engine.Training;

// Training tokens/s (forward + backward + clip + AdamW) of a Llama-shaped model at one sequence length, beside the
// PyTorch CPU FP32 peer (torch_peer.py) with the same config and threads, run first in the same process tree.
int steps = Arg("--steps", 3), seq = Arg("--seq", 512), threads = Arg("--threads", Environment.ProcessorCount);
string gemm = ArgS("--gemm", "auto");
bool noTorch = args.Contains("--no-torch");
var shape = new ModelShape("llama", Hidden: 768, Layers: 12, Heads: 12, KvHeads: 12, Intermediate: 2048, VocabSize: 32000);
Console.WriteLine($"TrainBench: llama hidden {shape.Hidden}, {shape.Layers} layers, {shape.Heads} heads ({shape.KvHeads} kv), " +
    $"intermediate {shape.Intermediate}, vocab {shape.VocabSize}, untied; batch 1 × {seq} tokens, {steps} timed steps, {threads} threads");
Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");

var torch = noTorch ? new Dictionary<string, double>() : RunTorch();
var config = ModelConfig.Parse(ModelInitializer.ConfigJson(shape), "bench");
var arena = new ParameterArena(config);
ModelInitializer.Initialize(config, arena, seed: 0);
using var model = new TrainableModel(config, arena, CpuKernels.Create(gemm, threads));
using var opt = new AdamW(model);
var rng = new Random(1);
var ids = Enumerable.Range(0, seq).Select(_ => rng.Next(shape.VocabSize)).ToArray();
var batch = new SequenceBatch(1, seq, ids, [seq]);
var up = Enumerable.Repeat(-1f / (seq - 1), seq - 1).ToArray();   // mean token NLL, as cross_entropy

var phases = new double[3];
void Step(bool timed)
{
    var sw = Stopwatch.StartNew();
    model.ZeroGrad();
    model.ForwardLogProbs(batch);
    double f = sw.Elapsed.TotalSeconds;
    model.Backward(up);
    double b = sw.Elapsed.TotalSeconds;
    model.ClipGradNorm(1.0);
    opt.Step(1e-4f);
    if (timed) { phases[0] += f; phases[1] += b - f; phases[2] += sw.Elapsed.TotalSeconds - b; }
}
Step(false);   // warm-up (JIT, first-touch of activation memory)
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var total = Stopwatch.StartNew();
for (int s = 0; s < steps; s++) Step(true);
double seconds = total.Elapsed.TotalSeconds;
double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
double tps = steps * (seq - 1) / seconds;
double peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
Console.WriteLine($"parameters: {model.ParameterCount / 1e6:F1}M; activations {model.ActivationBytes / 1048576.0:F0} MiB");
Console.WriteLine();
Console.WriteLine("| implementation | tokens/s (wall) | CPU s per step | forward / backward / clip+AdamW s | peak RSS MiB | vs PyTorch (wall) | vs PyTorch (CPU) |");
Console.WriteLine("|---|---|---|---|---|---|---|");
torch.TryGetValue("tokens/s", out double ttps);
double cpuPerStep = cpuSeconds / steps;
torch.TryGetValue("cpu s per step", out double tcpu);
Console.WriteLine($"| FuseChat ({model.Kernels.Name}) | {tps:F1} | {cpuPerStep:F2} | {phases[0] / steps:F2} / {phases[1] / steps:F2} / {phases[2] / steps:F2} | {peak:F0} | " +
    $"{(ttps > 0 ? (tps / ttps).ToString("F2") + "×" : "n/a")} | {(tcpu > 0 ? (tcpu / cpuPerStep).ToString("F2") + "×" : "n/a")} |");
if (ttps > 0)
    Console.WriteLine($"| PyTorch {TorchVersion()} | {ttps:F1} | {tcpu:F2} | step {torch["step s"]:F2} | {torch["peak rss MiB"]:F0} | 1× | 1× |");
Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");

Dictionary<string, double> RunTorch() =>
    TorchPeer.Run(TorchPeer.BesideBinary("torch_peer.py"),
        new object[] { threads, shape.VocabSize, shape.Hidden, shape.Layers, shape.Heads, shape.KvHeads, shape.Intermediate, seq, steps }
            .Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)!),
        line => { if (line.StartsWith("torch ")) torchVersion = line.Split(' ')[1]; });

string TorchVersion() => torchVersion;
int Arg(string name, int dflt) { int i = Array.IndexOf(args, name); return i >= 0 ? int.Parse(args[i + 1]) : dflt; }
string ArgS(string name, string dflt) { int i = Array.IndexOf(args, name); return i >= 0 ? args[i + 1] : dflt; }

partial class Program { static string torchVersion = "?"; }
