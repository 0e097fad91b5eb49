using FuseChat.Eval.Grading;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Running;
using FuseChat.Eval.Store;
using FuseChat.Eval.Tests.Support;
using FuseChat.Tests.Shared;

namespace FuseChat.Eval.Tests;

/// <summary>The harness end to end against real loopback endpoints: an oracle scores exactly 100%, a wrong model exactly 0%.</summary>
public class OracleEndpointTests
{
    static readonly OracleAnswers Oracle = new(TestData.BenchmarksDir);

    static async Task<EvalRun> RunAsync(bool right, string benchmarks, int? limit, int seed = 7)
    {
        using var server = LoopbackChatServer.Text(req => Oracle.Answer(LoopbackChatServer.LastUserMessage(req), right));
        using var client = new OpenAiChatClient(server.Url, right ? "oracle" : "wrong");
        using var store = new EvalStore(Path.Combine(TestData.TempDir(), "eval.sqlite"));
        var runner = new EvalRunner(new EvalOptions { ModelName = client.ModelName, Limit = limit, Seed = seed, Concurrency = 4 },
            client, store, new VerifierMathGrader(), new VerifierCodeGrader());
        return await runner.RunAsync(BenchmarkCatalog.Resolve(benchmarks), TestData.BenchmarksDir);
    }

    [Fact]
    public async Task Math_benchmarks_score_100_for_the_oracle_and_0_for_a_wrong_model_on_every_item()
    {
        var good = await RunAsync(right: true, "gsm8k,math,amc23", limit: null);
        var bad = await RunAsync(right: false, "gsm8k,math,amc23", limit: null);
        Assert.Equal([1319, 272, 40], good.Results.Select(r => r.Items));
        Assert.All(good.Results, r => Assert.True(r.Primary == 100.0, Misses(r, expectCorrect: true)));
        Assert.All(bad.Results, r => Assert.True(r.Primary == 0.0, Misses(r, expectCorrect: false)));
    }

    static string Misses(BenchmarkResult r, bool expectCorrect) =>
        $"{r.Benchmark}: " + string.Join(" | ", r.ItemRows.Where(i => i["correct"]?.GetValue<bool>() != expectCorrect).Take(5).Select(i => i.ToJsonString()));

    // A small fixed sample keeps CI fast and steady (each item starts python3; a few MBPP+ reference solutions take
    // minutes on their plus inputs). FUSECHAT_EVAL_SEED=<n> draws another sample, FUSECHAT_EVAL_CODE_LIMIT=all checks
    // every item (see docs/PERFORMANCE.md (Evaluation harness)), FUSECHAT_EVAL_CODE_SIDES=wrong (or oracle) runs one side only.
    [Fact]
    public async Task Code_benchmarks_score_100_for_the_oracle_and_0_for_a_wrong_model_on_a_sample()
    {
        var limitVar = Environment.GetEnvironmentVariable("FUSECHAT_EVAL_CODE_LIMIT");
        int? limit = limitVar == "all" ? null : int.TryParse(limitVar, out var l) ? l : 5;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("FUSECHAT_EVAL_SEED"), out var s) ? s : 7;
        var sides = Environment.GetEnvironmentVariable("FUSECHAT_EVAL_CODE_SIDES") ?? "oracle,wrong";
        string Seen(EvalRun run) => $"seed {seed}: " + string.Join("; ", run.Results.Select(r => $"{r.Benchmark} base {r.Metrics["pass@1_base"]} plus {r.Metrics["pass@1_plus"]}"
            + " odd items: " + string.Join(" ", r.ItemRows.Where(i => i["base_passed"]!.GetValue<bool>() != (i["plus_passed"]?.GetValue<bool>() ?? i["base_passed"]!.GetValue<bool>())
                || i["note"] is not null || i["base_passed"]!.GetValue<bool>() != run.ModelName.StartsWith("oracle")).Take(10)
                .Select(i => $"{i["id"]} [{i["note"]}] base: {i["base_failure"]} plus: {i["plus_failure"]}"))));
        if (sides.Contains("wrong"))
        {
            var bad = await RunAsync(right: false, "humaneval,mbpp", limit, seed);
            Assert.True(bad.Results.All(r => r.Metrics["pass@1_base"] == 0.0), Seen(bad));
            Assert.True(bad.Results.Single(r => r.Benchmark == "mbpp").Metrics["pass@1_plus"] == 0.0, Seen(bad));
            // Every failed answer says why (the wrong value at the first test, or the exception for Mbpp/164).
            Assert.All(bad.Results.SelectMany(r => r.ItemRows), row => Assert.StartsWith("failed: ", row["base_failure"]!.GetValue<string>()));
        }
        if (sides.Contains("oracle"))
        {
            var good = await RunAsync(right: true, "humaneval,mbpp", limit, seed);
            var he = good.Results.Single(r => r.Benchmark == "humaneval");
            var mbpp = good.Results.Single(r => r.Benchmark == "mbpp");
            Assert.True(he.Metrics["pass@1_base"] == 100.0 && he.Metrics["pass@1_plus"] is null, Seen(good));
            Assert.True(mbpp.Metrics["pass@1_base"] == 100.0 && mbpp.Metrics["pass@1_plus"] == 100.0, Seen(good));
            Assert.All(good.Results.SelectMany(r => r.ItemRows), row => Assert.True(row["base_failure"] is null && row["plus_failure"] is null, row.ToJsonString()));
        }
    }
}
