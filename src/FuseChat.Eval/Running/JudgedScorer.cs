using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Judging;
using FuseChat.Eval.Scoring;
using FuseChat.Eval.Store;

namespace FuseChat.Eval.Running;

/// <summary>
/// Judged benchmarks: asks the judge endpoint for every missing verdict (cached per judge, model, baseline, item and order)
/// and turns the verdicts into each benchmark's numbers.
/// </summary>
sealed class JudgedScorer(EvalOptions options, OpenAiChatClient judge, EvalStore store, string dataDir, Action<int, int> report)
{
    const string AlpacaBaseline = "gpt4_turbo";
    readonly JudgeTemplates? templates = options.JudgeTemplates;

    /// <summary>The judge's name in cache keys: a user template adds its hash, so verdicts from another prompt are never reused.</summary>
    string JudgeKey(string benchmark) =>
        templates?.For(benchmark) is { } t ? $"{options.JudgeName}|template:{t.Fingerprint}" : options.JudgeName!;

    IReadOnlyList<ChatMessage> ArenaHardPrompt(string question, string answerA, string answerB) =>
        templates?.ArenaHard(question, answerA, answerB) ?? JudgePrompts.ArenaHard(question, answerA, answerB);

    public Task<BenchmarkResult> ScoreAsync(IBenchmark benchmark, IReadOnlyList<BenchmarkItem> items, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, CancellationToken ct) =>
        benchmark.Name switch
        {
            "alpacaeval2" => AlpacaAsync(items, answers, ct),
            "arena-hard" => ArenaHardAsync(items, answers, ct),
            "mt-bench" => MtBenchAsync(items, answers, ct),
            "alignbench" => AlignBenchAsync(items, answers, ct),
            _ => throw new InvalidOperationException($"no judge scoring for {benchmark.Name}"),
        };

    /// <summary>One judge call per (item, order) job, cached; returns the stored judgments in job order.</summary>
    async Task<StoredJudgment[]> JudgeAllAsync(string benchmark, string baseline, IReadOnlyList<(BenchmarkItem Item, string Order, Func<ChatRequest> Request)> jobs,
        Func<ChatReply, StoredJudgment> parse, CancellationToken ct)
    {
        var results = new StoredJudgment[jobs.Count];
        int done = 0;
        report(0, jobs.Count);
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = ct }, async (i, token) =>
        {
            var (item, order, request) = jobs[i];
            // Keyed like the answer it judges (CacheId: the id, plus MT-Bench's sampling settings), so a judgment is never
            // reused for a different answer to the same question.
            var key = new JudgmentKey(JudgeKey(benchmark), benchmark, options.ModelName, baseline, item.CacheId, order);
            var cached = store.GetJudgment(key);
            if (cached is null)
            {
                cached = parse(await judge.CompleteAsync(request(), token));
                store.PutJudgment(key, cached);
            }
            results[i] = cached;
            report(Interlocked.Increment(ref done), jobs.Count);
        });
        return results;
    }

    async Task<BenchmarkResult> AlpacaAsync(IReadOnlyList<BenchmarkItem> items, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, CancellationToken ct)
    {
        var jobs = items.Select(item =>
        {
            bool modelFirst = AlpacaEvalScoring.ModelShownFirst(item.Id);
            var (first, second) = modelFirst ? (answers[item.Id][0], item.BaselineAnswer!) : (item.BaselineAnswer!, answers[item.Id][0]);
            return (item, modelFirst ? "model-first" : "baseline-first",
                (Func<ChatRequest>)(() => new ChatRequest(templates?.AlpacaEval(item.Turns[0], first, second) ?? JudgePrompts.AlpacaEval(item.Turns[0], first, second), MaxTokens: 1, Temperature: 1, TopLogprobs: 5)));
        }).ToList();
        var verdicts = await JudgeAllAsync("alpacaeval2", AlpacaBaseline, jobs, reply =>
        {
            var raw = new JsonObject { ["text"] = reply.Content };
            if (reply.FirstTokenTopLogprobs is { } top)
                raw["top_logprobs"] = new JsonArray(top.Select(t => (JsonNode)new JsonObject { ["token"] = t.Token, ["logprob"] = t.Logprob }).ToArray());
            return new StoredJudgment(raw.ToJsonString(JsonLines.WriteOptions), AlpacaVerdict.Preference(reply.FirstTokenTopLogprobs, reply.Content));
        }, ct);

        var rows = new List<JsonObject>();
        var prefs = new List<double>();
        for (int i = 0; i < items.Count; i++)
        {
            // The judge's preference is about the outputs' slots (1 = first better); turn it into "2 = the model is better".
            double? modelPref = verdicts[i].Value is double p ? (jobs[i].Item2 == "model-first" ? 3 - p : p) : null;
            if (modelPref is double mp) prefs.Add(mp);
            rows.Add(new JsonObject { ["id"] = items[i].Id, ["order"] = jobs[i].Item2, ["preference"] = modelPref, ["judge"] = verdicts[i].Raw, ["response"] = answers[items[i].Id][0] });
        }
        var s = AlpacaEvalScoring.Score(prefs);
        var difficulty = options.AlpacaDifficulty;
        var lcRows = items.Select((item, i) => new LengthControlRow(rows[i]["preference"]?.GetValue<double>(),
            Characters(answers[item.Id][0]), Characters(item.BaselineAnswer!), difficulty?.For(item.Id))).ToList();
        var lc = LengthControlledWinRate.Fit(lcRows, useDifficulty: difficulty is not null);
        var metrics = new Dictionary<string, double?>
        {
            ["win_rate"] = Finite(s.WinRate), ["standard_error"] = Finite(s.StandardError), ["discrete_win_rate"] = Finite(s.DiscreteWinRate),
            // AlpacaEval's LC needs its instruction-difficulty term; without the table the two-term GLM's number gets its own name.
            ["length_controlled_win_rate"] = difficulty is null ? null : lc?.WinRate,
            ["lc_win_rate_without_difficulty"] = difficulty is null ? lc?.WinRate : null,
            ["lc_length_weight"] = lc?.LengthWeight,
            ["n_wins"] = s.Wins, ["n_losses"] = s.Losses, ["n_draws"] = s.Draws,
            ["n_total"] = s.Total, ["unparsed"] = items.Count - s.Total,
            ["avg_length"] = items.Count == 0 ? null : items.Average(it => (double)Characters(answers[it.Id][0])),
        };
        return new BenchmarkResult("alpacaeval2", BenchmarkKind.Judged, items.Count, "win_rate", metrics, rows);
    }

    async Task<BenchmarkResult> ArenaHardAsync(IReadOnlyList<BenchmarkItem> items, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, CancellationToken ct)
    {
        const string baseline = ArenaHardBenchmark.BaselineModel;
        var jobs = new List<(BenchmarkItem, string, Func<ChatRequest>)>();
        foreach (var item in items)
        {
            var mine = answers[item.Id][0];
            jobs.Add((item, "game1", () => new ChatRequest(ArenaHardPrompt(item.Turns[0], item.BaselineAnswer!, mine), MaxTokens: 4096)));
            jobs.Add((item, "game2", () => new ChatRequest(ArenaHardPrompt(item.Turns[0], mine, item.BaselineAnswer!), MaxTokens: 4096)));
        }
        var verdicts = await JudgeAllAsync("arena-hard", baseline, jobs, reply => new StoredJudgment(reply.Content, LabelCode(ArenaHardVerdict.Label(reply.Content))), ct);

        var battles = new List<Battle>();
        var rows = new List<JsonObject>();
        int unparsed = 0;
        for (int i = 0; i < items.Count; i++)
        {
            var g1 = ArenaHardVerdict.Label(verdicts[2 * i].Raw);
            var g2 = ArenaHardVerdict.Label(verdicts[2 * i + 1].Raw);
            unparsed += (g1 is null ? 1 : 0) + (g2 is null ? 1 : 0);
            battles.AddRange(ArenaHardScoring.BattlesFor(options.ModelName, baseline, g1, g2));
            rows.Add(new JsonObject { ["id"] = items[i].Id, ["game1"] = g1, ["game2"] = g2, ["response"] = answers[items[i].Id][0] });
        }
        var scores = ArenaHardScoring.Score(battles, baseline, options.BootstrapRounds, options.Seed);
        var s = scores.GetValueOrDefault(options.ModelName);
        var metrics = new Dictionary<string, double?>
        {
            ["score"] = s?.Score, ["ci_lower"] = s?.Lower, ["ci_upper"] = s?.Upper, ["battles"] = battles.Count, ["unparsed_games"] = unparsed,
        };
        return new BenchmarkResult("arena-hard", BenchmarkKind.Judged, items.Count, "score", metrics, rows);
    }

    static double? LabelCode(string? label) => label switch { "A>>B" => 2, "A>B" => 1, "A=B" => 0, "B>A" => -1, "B>>A" => -2, _ => null };

    async Task<BenchmarkResult> MtBenchAsync(IReadOnlyList<BenchmarkItem> items, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, CancellationToken ct)
    {
        var prompts = new MtBenchJudgePrompts(dataDir);
        var jobs = new List<(BenchmarkItem, string, Func<ChatRequest>)>();
        foreach (var item in items)
            for (int t = 0; t < 2; t++)
            {
                int turn = t;
                jobs.Add((item, $"turn{turn + 1}", () => new ChatRequest(prompts.For(item, turn, answers[item.Id]), MaxTokens: 2048)));
            }
        var verdicts = await JudgeAllAsync("mt-bench", "single", jobs, reply => new StoredJudgment(reply.Content, MtBenchRating.Rating(reply.Content)), ct);
        var grades = verdicts.Select((v, i) => (Turn: i % 2, Rating: v.Value)).ToList();
        var rows = items.Select((item, i) => new JsonObject
        {
            ["id"] = item.Id, ["category"] = item.Category, ["turn1"] = verdicts[2 * i].Value, ["turn2"] = verdicts[2 * i + 1].Value,
        }).ToList();
        var s = Scoring.JudgeScoreAverages.MtBench(grades);
        var metrics = new Dictionary<string, double?>
        {
            ["average"] = Finite(s.Average), ["turn1"] = Finite(s.Turn1), ["turn2"] = Finite(s.Turn2), ["graded"] = s.Graded, ["ungraded"] = s.Ungraded,
        };
        return new BenchmarkResult("mt-bench", BenchmarkKind.Judged, items.Count, "average", metrics, rows);
    }

    async Task<BenchmarkResult> AlignBenchAsync(IReadOnlyList<BenchmarkItem> items, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, CancellationToken ct)
    {
        var jobs = items.Select(item => (item, "single",
            (Func<ChatRequest>)(() => new ChatRequest(
                templates?.AlignBench(item.Category ?? "", item.Subcategory ?? "", item.Turns[0], item.References![0], answers[item.Id][0])
                ?? JudgePrompts.AlignBench(item.Category ?? "", item.Turns[0], item.References![0], answers[item.Id][0]), MaxTokens: 2048)))).ToList();
        var verdicts = await JudgeAllAsync("alignbench", "reference", jobs, reply => new StoredJudgment(reply.Content, AlignBenchRating.Overall(reply.Content)), ct);
        var s = Scoring.JudgeScoreAverages.AlignBench(items.Select((item, i) => (item.Category ?? "", verdicts[i].Value)).ToList());
        var rows = items.Select((item, i) => new JsonObject { ["id"] = item.Id, ["category"] = item.Category, ["score"] = verdicts[i].Value }).ToList();
        var metrics = new Dictionary<string, double?>
        {
            ["overall"] = Finite(s.Overall), ["reasoning"] = Finite(s.Reasoning), ["language"] = Finite(s.Language), ["graded"] = s.Graded, ["ungraded"] = s.Ungraded,
        };
        foreach (var (category, mean) in s.PerCategory.OrderBy(kv => kv.Key, StringComparer.Ordinal)) metrics["category:" + category] = mean;
        return new BenchmarkResult("alignbench", BenchmarkKind.Judged, items.Count, "overall", metrics, rows);
    }

    static double? Finite(double v) => double.IsFinite(v) ? v : null;

    /// <summary>Length in characters (Unicode scalar values), as AlpacaEval counts them with Python's len().</summary>
    static int Characters(string s) => s.EnumerateRunes().Count();
}
