using FuseChat.Core;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Running;
using FuseChat.Eval.Tests.Support;

namespace FuseChat.Eval.Tests;

public class BenchmarkLoaderTests
{
    [Fact]
    public void Every_benchmark_loads_its_documented_row_count()
    {
        var counts = BenchmarkCatalog.All.ToDictionary(b => b.Name, b => b.Load(TestData.BenchmarksDir).Count);
        Assert.Equal(new Dictionary<string, int>
        {
            ["gsm8k"] = 1319, ["math"] = 272, ["amc23"] = 40, ["humaneval"] = 164, ["mbpp"] = 399,
            ["alpacaeval2"] = 805, ["arena-hard"] = 500, ["mt-bench"] = 80, ["alignbench"] = 683,
        }, counts);
    }

    [Fact]
    public void Math_items_use_the_qwen25_math_cot_prompt_and_carry_their_gold()
    {
        var first = new Gsm8kBenchmark().Load(TestData.BenchmarksDir)[0];
        Assert.Equal("Please reason step by step, and put your final answer within \\boxed{}.", first.System);
        Assert.Equal("18", first.Gold);
        Assert.Equal("1.6", new MinervaMathBenchmark().Load(TestData.BenchmarksDir)[0].Gold);
        Assert.Equal("27", new Amc23Benchmark().Load(TestData.BenchmarksDir)[0].Gold);
        Assert.Equal("1000", Gsm8kBenchmark.GoldOf("so\n#### 1,000"));
    }

    [Fact]
    public void Code_prompts_fence_the_stub_after_evalplus_instruction()
    {
        var item = new HumanEvalBenchmark().Load(TestData.BenchmarksDir)[0];
        Assert.StartsWith(CodePrompt.Instruction + "\n```\nfrom typing import List", item.Turns[0]);
        Assert.EndsWith("\"\"\"\n```\n", item.Turns[0]);
        var mbpp = new MbppPlusBenchmark().Load(TestData.BenchmarksDir)[0];
        Assert.True(mbpp.Code!.Mbpp!.PlusInputs.Count > 0 && mbpp.Code.HasPlusScore);
        Assert.Equal("similar_elements", mbpp.Code.EntryPoint);
    }

    [Fact]
    public void MtBench_attaches_reference_answers_only_to_math_reasoning_and_coding()
    {
        var items = new MtBenchBenchmark().Load(TestData.BenchmarksDir);
        Assert.All(items, i => Assert.Equal(MtBenchBenchmark.NeedsReference.Contains(i.Category!), i.References is not null));
        Assert.Equal(30, items.Count(i => i.References is not null));
    }

    [Fact]
    public void A_missing_file_names_the_path_and_hints_at_data_dir()
    {
        var e = Assert.Throws<UserError>(() => new Gsm8kBenchmark().Load(TestData.TempDir()));
        Assert.Contains("gsm8k/test.jsonl", e.Message.Replace('\\', '/'));
        Assert.Contains("--data-dir", e.Message);
    }

    [Fact]
    public void Unknown_benchmark_names_are_user_errors_and_aliases_resolve()
    {
        Assert.Equal(["math", "mbpp"], BenchmarkCatalog.Resolve("minerva_math, mbppplus").Select(b => b.Name));
        Assert.Contains("unknown benchmark 'nope'", Assert.Throws<UserError>(() => BenchmarkCatalog.Resolve("gsm8k,nope")).Message);
    }

    [Fact]
    public void Item_samples_are_reproducible_and_differ_by_seed()
    {
        var items = new Gsm8kBenchmark().Load(TestData.BenchmarksDir);
        var a = ItemSample.Take(items, 20, 1).Select(i => i.Id).ToList();
        Assert.Equal(a, ItemSample.Take(items, 20, 1).Select(i => i.Id));
        Assert.NotEqual(a, ItemSample.Take(items, 20, 2).Select(i => i.Id));
        Assert.Equal(20, a.Count);
    }
}
