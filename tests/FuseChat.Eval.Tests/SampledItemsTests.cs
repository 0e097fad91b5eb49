using FuseChat.Core;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Running;

namespace FuseChat.Eval.Tests;

/// <summary>Sampled evaluation's item expansion, cache keys, seeds and pass@k.</summary>
public class SampledItemsTests
{
    static readonly BenchmarkItem Item = new("HumanEval/3", null, ["Write f."]) { Fingerprint = "ab12" };

    [Fact]
    public void Expansion_gives_each_sample_its_own_id_and_cache_key_and_leaves_greedy_keys_alone()
    {
        var o = new EvalOptions { ModelName = "m", Temperature = 0.8, Samples = 3, Seed = 5 };
        var items = SampledItems.Expand([Item], o);
        Assert.Equal(["HumanEval/3#0", "HumanEval/3#1", "HumanEval/3#2"], items.Select(i => i.Id));
        Assert.All(items, i => Assert.Equal("HumanEval/3", i.BaseId));
        Assert.Equal(3, items.Select(i => i.CacheId).Distinct().Count());
        Assert.All(items, i => Assert.StartsWith("HumanEval/3@ab12~t0.8-p1-s5#", i.CacheId));
        Assert.Equal("HumanEval/3@ab12", Item.CacheId);   // greedy answers keep their key, so old caches still hit
        // another temperature is another cache entry
        Assert.NotEqual(items[0].CacheId, SampledItems.Expand([Item], o with { Temperature = 1.0 })[0].CacheId);
    }

    [Fact]
    public void Seeds_depend_on_the_eval_seed_the_item_and_the_sample_only()
    {
        var o = new EvalOptions { ModelName = "m", Temperature = 1, Samples = 2, Seed = 1 };
        var a = SampledItems.Expand([Item], o);
        Assert.Equal(SampledItems.SeedFor(a[0], 1), SampledItems.SeedFor(SampledItems.Expand([Item], o)[0], 1));
        Assert.NotEqual(SampledItems.SeedFor(a[0], 1), SampledItems.SeedFor(a[1], 1));
        Assert.NotEqual(SampledItems.SeedFor(a[0], 1), SampledItems.SeedFor(a[0], 2));
        Assert.All(a, i => Assert.InRange(SampledItems.SeedFor(i, 1), 0, int.MaxValue));
    }

    [Fact]
    public void Pass_at_k_counts_base_items_with_any_passing_sample()
    {
        var o = new EvalOptions { ModelName = "m", Temperature = 1, Samples = 2 };
        var items = SampledItems.Expand([Item, Item with { Id = "HumanEval/4" }], o);
        bool[] passed = [false, true, false, false];
        Assert.Equal(50.0, SampledItems.PassAtK(items, i => passed[i]));
    }

    [Fact]
    public void Mt_bench_items_get_fastchat_temperatures_and_sampled_ones_their_own_cache_key()
    {
        BenchmarkItem Q(string id, string category) => new(id, null, ["q1", "q2"]) { Category = category };
        var items = SampledItems.WithMtBenchTemperatures([Q("81", "writing"), Q("111", "math"), Q("131", "stem")], evalSeed: 42);
        Assert.Equal([0.7, 0.0, 0.1], items.Select(i => i.Temperature));
        Assert.Equal(["81", "111", "131"], items.Select(i => i.Id));   // judged rows keep the benchmark's ids
        Assert.Equal("81~fastchat-t0.7-s42#0", items[0].CacheId);
        Assert.Equal("111", items[1].CacheId);                            // greedy: the old key
    }

    [Theory]
    [InlineData(0, 1.0, 1.0, "--samples")]
    [InlineData(2, 0.0, 1.0, "--samples 2")]
    [InlineData(1, -0.5, 1.0, "--temperature")]
    [InlineData(1, 0.7, 0.0, "--top-p")]
    public void Bad_sampling_options_are_one_line_naming_the_option(int samples, double temperature, double topP, string named)
    {
        var e = Assert.Throws<UserError>(() => SampledItems.Validate(new EvalOptions { ModelName = "m", Samples = samples, Temperature = temperature, TopP = topP }));
        Assert.StartsWith(named, e.Message);
    }
}
