using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FuseChat.Core;
using FuseChat.Eval.Benchmarks;

namespace FuseChat.Eval.Running;

/// <summary>
/// Sampled evaluation (<c>--temperature T --samples k</c>): each item of a math, code or custom benchmark becomes k items
/// "id#0".."id#(k−1)", each answered at temperature T with its own seed, scored as any item is. The benchmark's metrics
/// are then means over all k·n answers (avg@k, an estimate of sampled pass@1); code benchmarks also get pass@k.
/// </summary>
public static class SampledItems
{
    /// <summary>Checks the sampling options; a bad value is one line naming the option.</summary>
    public static void Validate(EvalOptions o)
    {
        if (o.Samples < 1) throw new UserError($"--samples: {o.Samples} is not a positive number of answers per item");
        if (o.Temperature is < 0 or > 2 || double.IsNaN(o.Temperature)) throw new UserError($"--temperature: {o.Temperature} is outside [0, 2]");
        if (o.TopP is <= 0 or > 1 || double.IsNaN(o.TopP)) throw new UserError($"--top-p: {o.TopP} is outside (0, 1]");
        if (o.Samples > 1 && !o.Sampled) throw new UserError($"--samples {o.Samples}: greedy answers are all the same; give --temperature above 0");
    }

    /// <summary>k copies of each item, one per sample, with ids "id#n" and a cache key that names the sampling settings.</summary>
    public static IReadOnlyList<BenchmarkItem> Expand(IReadOnlyList<BenchmarkItem> items, EvalOptions o)
    {
        string key = string.Create(CultureInfo.InvariantCulture, $"t{o.Temperature:R}-p{o.TopP:R}-s{o.Seed}");
        return items.SelectMany(item => Enumerable.Range(0, o.Samples).Select(n => item with { Id = $"{item.Id}#{n}", OriginalId = item.Id, Sample = n, SamplingKey = key, Temperature = o.Temperature })).ToList();
    }

    /// <summary>
    /// MT-Bench as FastChat generates it: each category at its temperature (writing and roleplay 0.7, STEM and humanities
    /// 0.1, the rest greedy); a sampled item is seeded and cached like any sample.
    /// </summary>
    public static IReadOnlyList<BenchmarkItem> WithMtBenchTemperatures(IReadOnlyList<BenchmarkItem> items, int evalSeed) =>
        items.Select(item => MtBenchBenchmark.FastChatTemperature(item.Category) is var t && t > 0
            ? item with { Temperature = t, Sample = 0, SamplingKey = string.Create(CultureInfo.InvariantCulture, $"fastchat-t{t:R}-s{evalSeed}") }
            : item).ToList();

    /// <summary>The seed sent with one sample's request: fixed by the eval seed, the item and the sample number.</summary>
    public static long SeedFor(BenchmarkItem item, int evalSeed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{evalSeed}:{item.BaseId}:{item.Sample}"));
        return BitConverter.ToInt32(hash, 0) & int.MaxValue;   // 31 bits: every server's seed field takes it
    }

    /// <summary>The share (%) of base items with at least one passing sample, from per-sample pass flags: pass@k with n = k.</summary>
    public static double? PassAtK(IReadOnlyList<BenchmarkItem> items, Func<int, bool> passed)
    {
        var byBase = Enumerable.Range(0, items.Count).GroupBy(i => items[i].BaseId).ToList();
        return byBase.Count == 0 ? null : 100.0 * byBase.Count(g => g.Any(passed)) / byBase.Count;
    }
}
