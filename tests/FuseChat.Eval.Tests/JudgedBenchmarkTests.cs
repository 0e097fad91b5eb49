using System.Text.Json.Nodes;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Running;
using FuseChat.Eval.Store;
using FuseChat.Eval.Tests.Support;
using FuseChat.Tests.Shared;

namespace FuseChat.Eval.Tests;

/// <summary>
/// Judged benchmarks end to end: the model endpoint answers "MODEL-ANSWER", and a loopback judge answers in each real
/// judge's exact output format (AlpacaEval logprobs of m/M, Arena-Hard labels, MT-Bench [[rating]], AlignBench's score dictionary).
/// </summary>
public class JudgedBenchmarkTests
{
    const string Mine = "MODEL-ANSWER";
    const double Favoured = -0.01, Other = -4.6;

    static string Content(JsonObject req, string role) =>
        string.Join("\n", req["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == role).Select(m => m!["content"]!.GetValue<string>()));

    // Arena-Hard: the model wins strongly on even-length questions, loses slightly on others; a few verdicts are contradictory.
    static (string, IReadOnlyList<(string, double)>?) Judge(JsonObject req)
    {
        var user = Content(req, "user");
        var system = Content(req, "system");
        if (req.ContainsKey("top_logprobs"))
        {
            bool modelIsM = user.IndexOf(Mine, StringComparison.Ordinal) < user.IndexOf("## Output of model M", StringComparison.Ordinal);
            var best = modelIsM ? "m" : "M";
            return (best, [(best, Favoured), (modelIsM ? "M" : "m", Other), ("The", -9)]);
        }
        if (system.Contains("[[A>>B]]"))
        {
            var question = user.Split("<|User Prompt|>\n")[1].Split("\n\n<|The Start of Assistant A's Answer|>")[0];
            bool modelIsA = user.IndexOf(Mine, StringComparison.Ordinal) < user.IndexOf("<|The Start of Assistant B's Answer|>", StringComparison.Ordinal);
            if (question.Length % 7 == 0) return ("I cannot decide: [[A>B]] or maybe [[B>A]]", null);
            bool modelWins = question.Length % 2 == 0;
            var label = modelWins ? (modelIsA ? "A>>B" : "B>>A") : (modelIsA ? "B>A" : "A>B");
            return ($"My own answer first... My final verdict is: [[{label}]]", null);
        }
        if (system.Contains("[[rating]]") || user.Contains("[[rating]]"))
            return (user.Contains("<|The Start of Assistant A's Conversation with User|>") ? "Fine second turn. Rating: [[6]]" : "Good. Rating: [[8]]", null);
        if (user.Contains("综合得分"))
            return (user.Contains("问题类别：数学计算") ? "评价……{'事实正确性': 3, '满足用户需求': 4, '综合得分': 4}" : "评价……{'事实正确性': 7, \"满足用户需求\": 6, '综合得分': 6}", null);
        return ("unexpected judge request", null);
    }

    static async Task<EvalRun> RunAsync(string benchmarks, int limit, Scoring.InstructionDifficulty? difficulty = null)
    {
        using var model = LoopbackChatServer.Text(_ => Mine);
        using var judge = new LoopbackChatServer(Judge);
        using var modelClient = new OpenAiChatClient(model.Url, "target");
        using var judgeClient = new OpenAiChatClient(judge.Url, "judge-x");
        using var store = new EvalStore(Path.Combine(TestData.TempDir(), "eval.sqlite"));
        var options = new EvalOptions { ModelName = "target", JudgeName = "judge-x", Limit = limit, BootstrapRounds = 50, AlpacaDifficulty = difficulty };
        return await new EvalRunner(options, modelClient, store, judge: judgeClient).RunAsync(BenchmarkCatalog.Resolve(benchmarks), TestData.BenchmarksDir);
    }

    [Fact]
    public async Task AlpacaEval_win_rate_comes_from_the_logprobs_of_m_and_M_in_either_order()
    {
        var r = (await RunAsync("alpacaeval2", 24)).Results[0];
        double pFavoured = Math.Exp(Favoured) / (Math.Exp(Favoured) + Math.Exp(Other));
        Assert.Equal(100 * pFavoured, r.Metrics["win_rate"]!.Value, 9);
        Assert.Equal(24, r.Metrics["n_wins"]);
        Assert.Equal(0, r.Metrics["unparsed"]);
        // Without the difficulty table AlpacaEval's own LC number is not claimed; the two-term GLM's is reported under its own name.
        // Every verdict is the same, so length explains nothing and the LC rate equals the raw one.
        Assert.Null(r.Metrics["length_controlled_win_rate"]);
        Assert.Equal(r.Metrics["win_rate"]!.Value, r.Metrics["lc_win_rate_without_difficulty"]!.Value, 1);
        var orders = r.ItemRows.Select(row => row["order"]!.GetValue<string>()).Distinct().Count();
        Assert.Equal(2, orders);   // the model's output was shown both first and second
    }

    [Fact]
    public async Task AlpacaEval_reports_alpaca_evals_own_lc_win_rate_when_given_the_difficulty_table()
    {
        var csv = Path.Combine(TestData.TempDir(), "instruction_difficulty.csv");
        File.WriteAllLines(csv, ["index,instruction_difficulty", .. Enumerable.Range(0, 805).Select(i => $"{i},{(i % 5 - 2) * 0.3}")]);
        var r = (await RunAsync("alpacaeval2", 24, Scoring.InstructionDifficulty.Load(csv))).Results[0];
        Assert.Null(r.Metrics["lc_win_rate_without_difficulty"]);
        Assert.Equal(r.Metrics["win_rate"]!.Value, r.Metrics["length_controlled_win_rate"]!.Value, 1);

        File.WriteAllLines(csv, ["index,instruction_difficulty", "0,1.0"]);
        var e = await Assert.ThrowsAsync<FuseChat.Core.UserError>(() => RunAsync("alpacaeval2", 24, Scoring.InstructionDifficulty.Load(csv)));
        Assert.Contains($"{csv}: no difficulty for AlpacaEval instruction", e.Message);
    }

    [Fact]
    public async Task ArenaHard_score_is_the_weighted_win_share_when_only_the_baseline_is_compared()
    {
        var r = (await RunAsync("arena-hard", 30)).Results[0];
        // Independent count from the same rule the judge used: strong wins weigh 3, slight losses 1, contradictions nothing.
        var items = ItemSample.Take(new ArenaHardBenchmark().Load(TestData.BenchmarksDir), 30, 42);
        double won = 0, total = 0;
        foreach (var q in items.Select(i => i.Turns[0]))
        {
            if (q.Length % 7 == 0) continue;
            if (q.Length % 2 == 0) { won += 6; total += 6; } else total += 2;
        }
        Assert.Equal(100 * won / total, r.Metrics["score"]!.Value, 6);
        Assert.True(r.Metrics["ci_lower"] <= r.Metrics["score"] && r.Metrics["score"] <= r.Metrics["ci_upper"]);
        Assert.Equal(2 * items.Count(i => i.Turns[0].Length % 7 == 0), r.Metrics["unparsed_games"]);
    }

    [Fact]
    public async Task MtBench_grades_both_turns_with_the_official_prompts()
    {
        var r = (await RunAsync("mt-bench", 10)).Results[0];
        Assert.Equal(8.0, r.Metrics["turn1"]);
        Assert.Equal(6.0, r.Metrics["turn2"]);
        Assert.Equal(7.0, r.Metrics["average"]);
        Assert.Equal(0, r.Metrics["ungraded"]);
    }

    [Fact]
    public async Task AlignBench_averages_reasoning_and_language_categories()
    {
        var r = (await RunAsync("alignbench", 683)).Results[0];
        Assert.Equal(4.0, r.Metrics["category:数学计算"]);
        Assert.Equal(6.0, r.Metrics["category:逻辑推理"]);
        Assert.Equal(5.0, r.Metrics["reasoning"]);
        Assert.Equal(6.0, r.Metrics["language"]);
        Assert.Equal(5.5, r.Metrics["overall"]);
    }
}
