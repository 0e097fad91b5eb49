using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Grading;
using FuseChat.Eval.Store;

namespace FuseChat.Eval.Running;

/// <summary>
/// Runs benchmarks against one model endpoint: generates every missing answer (greedy, or sampled k times per item with
/// <see cref="EvalOptions.Temperature"/>; cached in the <see cref="EvalStore"/>),
/// then grades math and code with the given graders and judged benchmarks with the judge endpoint.
/// </summary>
public sealed class EvalRunner(
    EvalOptions options,
    OpenAiChatClient model,
    EvalStore store,
    IMathGrader? mathGrader = null,
    ICodeGrader? codeGrader = null,
    OpenAiChatClient? judge = null,
    IProgress<EvalProgress>? progress = null)
{
    /// <summary>Runs each benchmark in turn, reading its data from <paramref name="dataDir"/>.</summary>
    public async Task<EvalRun> RunAsync(IReadOnlyList<IBenchmark> benchmarks, string dataDir, CancellationToken ct = default)
    {
        SampledItems.Validate(options);
        foreach (var b in benchmarks) CheckCanScore(b);
        var results = new List<BenchmarkResult>();
        foreach (var benchmark in benchmarks)
        {
            var items = ItemSample.Take(benchmark.Load(dataDir), options.Limit, options.Seed);
            if (options.Sampled) items = SampledItems.Expand(items, options);
            else if (benchmark is MtBenchBenchmark && options.MtBenchFastChatTemperatures) items = SampledItems.WithMtBenchTemperatures(items, options.Seed);
            // A difficulty table that misses an instruction fails now, before any generation or judging is paid for.
            if (benchmark.Name == "alpacaeval2" && options.AlpacaDifficulty is { } difficulty)
                foreach (var item in items) difficulty.For(item.Id);
            var (answers, truncated) = await GenerateAsync(benchmark, items, ct);
            var result = benchmark.Kind switch
            {
                BenchmarkKind.Math => MathScorer.Score(benchmark.Name, items, answers, mathGrader!, Report(benchmark.Name, "grade")),
                BenchmarkKind.Code => await CodeScorer.ScoreAsync(benchmark.Name, items, answers, codeGrader!, options.Concurrency, Report(benchmark.Name, "grade"), ct),
                BenchmarkKind.Verifiable => await VerifiableScorer.ScoreAsync((CustomBenchmark)benchmark, items, answers, mathGrader!, codeGrader!,
                    options.Concurrency, Report(benchmark.Name, "grade"), ct),
                _ => await new JudgedScorer(options, judge!, store, dataDir, Report(benchmark.Name, "judge")).ScoreAsync(benchmark, items, answers, ct),
            };
            // Answers cut off at max_tokens are scored as they are (as the official harnesses do) but counted, so a too-small limit shows.
            var metrics = new Dictionary<string, double?>(result.Metrics) { ["truncated"] = truncated };
            if (options.Sampled) AddSamplingMetrics(metrics, result, items);
            results.Add(result with { Metrics = metrics });
        }
        return new EvalRun(options.ModelName, options.JudgeName, results);
    }

    /// <summary>The sampling settings, and pass@k where a row says whether its answer passed.</summary>
    void AddSamplingMetrics(Dictionary<string, double?> metrics, BenchmarkResult result, IReadOnlyList<BenchmarkItem> items)
    {
        metrics["samples"] = options.Samples;
        metrics["temperature"] = options.Temperature;
        if (options.Samples < 2) return;
        string suffix = "@" + options.Samples.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (result.Kind == BenchmarkKind.Code)
        {
            metrics["pass" + suffix + "_base"] = SampledItems.PassAtK(items, i => result.ItemRows[i]["base_passed"]?.GetValue<bool>() == true);
            if (result.Metrics.GetValueOrDefault("pass@1_plus") is not null)
                metrics["pass" + suffix + "_plus"] = SampledItems.PassAtK(items, i => result.ItemRows[i]["plus_passed"]?.GetValue<bool>() == true);
        }
        else metrics["pass" + suffix] = SampledItems.PassAtK(items, i => result.ItemRows[i]["correct"]?.GetValue<bool>() == true);
    }

    void CheckCanScore(IBenchmark b)
    {
        if (options.Sampled && b.Kind == BenchmarkKind.Judged)
            throw new UserError($"--bench {b.Name}: --temperature and --samples apply to math, code and custom benchmarks; judged benchmarks generate greedily");
        if (b.Kind == BenchmarkKind.Math && mathGrader is null) throw new UserError($"--bench {b.Name}: no math grader is configured");
        if (b.Kind == BenchmarkKind.Code && codeGrader is null) throw new UserError($"--bench {b.Name}: no code grader is configured");
        if (b.Kind == BenchmarkKind.Verifiable && (mathGrader is null || codeGrader is null))
            throw new UserError($"--custom {b.Name}: a custom benchmark needs both the math and the code grader");
        if (b.Kind == BenchmarkKind.Judged && (judge is null || options.JudgeName is null))
            throw new UserError($"--bench {b.Name}: a judged benchmark needs --judge-endpoint and --judge-model");
    }

    Action<int, int> Report(string bench, string phase) => (done, total) => progress?.Report(new EvalProgress(bench, phase, done, total));

    /// <summary>Every turn of every item, answered in order within an item (turn 2 sees the model's own turn-1 answer); cached answers are reused.
    /// Also counts the items with a turn that stopped at the token limit.</summary>
    async Task<(IReadOnlyDictionary<string, IReadOnlyList<string>> Answers, int Truncated)> GenerateAsync(IBenchmark benchmark, IReadOnlyList<BenchmarkItem> items, CancellationToken ct)
    {
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>>();
        int done = 0, truncated = 0;
        var report = Report(benchmark.Name, "generate");
        report(0, items.Count);
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = ct }, async (item, token) =>
        {
            var turns = new List<string>();
            bool cut = false;
            for (int t = 0; t < item.Turns.Count; t++)
            {
                var cached = store.GetGeneration(options.ModelName, benchmark.Name, item.CacheId, t);
                if (cached is null)
                {
                    var request = new ChatRequest(item.MessagesForTurn(t, turns), options.MaxTokens ?? benchmark.MaxTokens, item.Temperature)
                    {
                        TopP = options.Sampled && options.TopP < 1 ? options.TopP : null,
                        Seed = item.Temperature > 0 ? (SampledItems.SeedFor(item, options.Seed) + t) & int.MaxValue : null,
                    };
                    var reply = await model.CompleteAsync(request, token);
                    cached = new StoredGeneration(reply.Content, reply.FinishReason);
                    store.PutGeneration(options.ModelName, benchmark.Name, item.CacheId, t, cached);
                }
                turns.Add(cached.Content);
                cut |= cached.FinishReason == "length";
            }
            if (cut) Interlocked.Increment(ref truncated);
            answers[item.Id] = turns;
            report(Interlocked.Increment(ref done), items.Count);
        });
        return (answers, truncated);
    }
}

/// <summary>Math accuracy: the share of items whose (first-turn) answer the grader accepts.</summary>
static class MathScorer
{
    public static BenchmarkResult Score(string name, IReadOnlyList<BenchmarkItem> items, IReadOnlyDictionary<string, IReadOnlyList<string>> answers,
        IMathGrader grader, Action<int, int> report)
    {
        var rows = new List<JsonObject>();
        int correct = 0;
        foreach (var item in items)
        {
            var response = answers[item.Id][0];
            bool ok = grader.IsCorrect(name, response, item.Gold!);
            if (ok) correct++;
            rows.Add(new JsonObject { ["id"] = item.Id, ["gold"] = item.Gold, ["extracted"] = grader.Extract(response), ["correct"] = ok, ["response"] = response });
            report(rows.Count, items.Count);
        }
        var metrics = new Dictionary<string, double?> { ["accuracy"] = Percent(correct, items.Count), ["correct"] = correct };
        return new BenchmarkResult(name, BenchmarkKind.Math, items.Count, "accuracy", metrics, rows);
    }

    public static double? Percent(int k, int n) => n == 0 ? null : 100.0 * k / n;
}

/// <summary>Code pass@1 (greedy, one sample): base tests, and for MBPP+ also base+plus tests (evalplus's two numbers); rows keep why an answer failed.</summary>
static class CodeScorer
{
    public static async Task<BenchmarkResult> ScoreAsync(string name, IReadOnlyList<BenchmarkItem> items, IReadOnlyDictionary<string, IReadOnlyList<string>> answers,
        ICodeGrader grader, int concurrency, Action<int, int> report, CancellationToken ct)
    {
        var outcome = new (CodeGrade Base, CodeGrade? Plus)[items.Count];
        int done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = ct }, async (i, token) =>
        {
            var item = items[i];
            var response = answers[item.Id][0];
            var baseGrade = await grader.GradeAsync(response, item.Code!, CodeTestSet.Base, token);
            // As in evalplus, plus = base and plus inputs together, so a failed base fails it (the grader's plus set is
            // the base inputs alone when a problem has no plus inputs, as Mbpp/793).
            CodeGrade? plusGrade = !item.Code!.HasPlusScore ? null
                : !baseGrade.Passed ? CodeGrade.NotRun("not run: the base tests failed")
                : await grader.GradeAsync(response, item.Code, CodeTestSet.Plus, token);
            outcome[i] = (baseGrade, plusGrade);
            report(Interlocked.Increment(ref done), items.Count);
        });
        // The failure details say why an answer failed (timeout, the first wrong test, an exception), for users reading items/<bench>.jsonl.
        var rows = items.Select((item, i) => new JsonObject
        {
            ["id"] = item.Id, ["base_passed"] = outcome[i].Base.Passed, ["plus_passed"] = outcome[i].Plus?.Passed,
            ["base_failure"] = outcome[i].Base.Detail, ["plus_failure"] = outcome[i].Plus?.Detail, ["note"] = grader.NoteFor(item.Code!),
            ["response"] = answers[item.Id][0],
        }).ToList();
        bool anyPlus = items.Any(i => i.Code!.HasPlusScore);
        var metrics = new Dictionary<string, double?>
        {
            ["pass@1_base"] = MathScorer.Percent(outcome.Count(o => o.Base.Passed), items.Count),
            ["pass@1_plus"] = anyPlus ? MathScorer.Percent(outcome.Count(o => o.Plus?.Passed == true), items.Count) : null,
        };
        return new BenchmarkResult(name, BenchmarkKind.Code, items.Count, anyPlus ? "pass@1_plus" : "pass@1_base", metrics, rows);
    }
}
