using System.Diagnostics;
using FuseChat.Engine.Checkpoints;
using FuseChat.Engine.Config;
using FuseChat.Engine.Kernels;
using FuseChat.Engine.Model;
using FuseChat.Engine.Training;
using FuseChat.Training.Data;

// SFT forward + backward throughput over the same variable-length documents, trained two ways in the same run:
// unpacked (micro-batches of 8 rows in file order, each padded to its longest row, as SftBatchRunner does) and packed
// (SftPacking's first-fit-decreasing rows of at most --max-length tokens, each document an independent segment).
// The measure is real (non-padding) tokens per second; the two ways alternate --reps times, since this machine is noisy.
int docs = Arg("--docs", 256), maxLength = Arg("--max-length", 512), reps = Arg("--reps", 3), threads = Arg("--threads", Environment.ProcessorCount);
var shape = new ModelShape("llama", Hidden: 256, Layers: 4, Heads: 8, KvHeads: 4, Intermediate: 704, VocabSize: 4096, MaxPositions: maxLength);
var config = ModelConfig.Parse(ModelInitializer.ConfigJson(shape), "bench");
var arena = new ParameterArena(config);
ModelInitializer.Initialize(config, arena, seed: 0);
using var model = new TrainableModel(config, arena, CpuKernels.Create("auto", threads));

// Chat-like lengths: many short documents, a long tail (log-uniform between 16 and maxLength tokens).
var rng = new Random(1);
var examples = Enumerable.Range(0, docs).Select(i =>
{
    int len = (int)Math.Round(Math.Exp(Math.Log(16) + rng.NextDouble() * (Math.Log(maxLength) - Math.Log(16))));
    var ids = Enumerable.Range(0, len).Select(_ => rng.Next(2, shape.VocabSize)).ToArray();
    return new SftExample(ids, ids.Select((_, t) => t > 0).ToArray(), i + 1);
}).ToList();
var packed = SftPacking.Pack(examples, maxLength);
long realTokens = examples.Sum(e => (long)e.Ids.Length);
Console.WriteLine($"PackingBench: llama hidden {shape.Hidden}, {shape.Layers} layers, vocab {shape.VocabSize}; {docs} documents, " +
    $"{realTokens} tokens (16..{maxLength} log-uniform), packed into {packed.Count} rows; {threads} threads; {model.Kernels.Name}");
Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");

var unpackedBatches = examples.Chunk(8).Select(c => SequenceBatch.FromRows(c.Select(e => e.Ids).ToList())).ToList();
// about the same documents per micro-batch both ways: 8 documents unpacked, the rows that hold about 8 documents packed
int packedRowsPerBatch = Math.Max(1, (int)Math.Round(8.0 * packed.Count / examples.Count));
var packedBatches = packed.Chunk(packedRowsPerBatch).Select(c =>
    SequenceBatch.FromRows(c.Select(e => e.Ids).ToList(), segmentLengths: c.Select(e => e.SegmentLengths).ToList())).ToList();
Console.WriteLine($"padded tokens computed: unpacked {unpackedBatches.Sum(b => (long)b.Rows * b.Length)}, packed {packedBatches.Sum(b => (long)b.Rows * b.Length)}");

// Upstream gradients are built once, outside the timing (the unpacked side has more padded positions to fill).
var upstream = unpackedBatches.Concat(packedBatches).ToDictionary(b => b, b => Enumerable.Repeat(-1e-3f, b.Rows * (b.Length - 1)).ToArray());
double Epoch(List<SequenceBatch> batches)
{
    var sw = Stopwatch.StartNew();
    foreach (var b in batches)
    {
        model.ForwardLogProbs(b);
        model.Backward(upstream[b]);
    }
    return realTokens / sw.Elapsed.TotalSeconds;
}
Epoch(unpackedBatches.Take(2).ToList()); Epoch(packedBatches.Take(2).ToList());   // warm-up (JIT, activation memory)
var ratios = new List<double>();
Console.WriteLine("| rep | unpacked real tokens/s | packed real tokens/s | packed / unpacked |");
Console.WriteLine("|---|---|---|---|");
for (int r = 1; r <= reps; r++)
{
    double u = Epoch(unpackedBatches), p = Epoch(packedBatches);
    ratios.Add(p / u);
    Console.WriteLine($"| {r} | {u:F0} | {p:F0} | {p / u:F2}× |");
}
Console.WriteLine($"ratio {ratios.Min():F2}–{ratios.Max():F2}× (median of {reps}: {ratios.Order().ElementAt((reps - 1) / 2):F2}×); load average after: {File.ReadAllText("/proc/loadavg").Trim()}");

int Arg(string name, int dflt) { int i = Array.IndexOf(args, name); return i >= 0 ? int.Parse(args[i + 1]) : dflt; }
