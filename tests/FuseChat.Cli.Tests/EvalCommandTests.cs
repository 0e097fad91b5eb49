using FuseChat.Tests.Shared;

namespace FuseChat.Cli.Tests;

/// <summary>`fusechat eval` and `fusechat eval-report` as a user runs them, against loopback OpenAI-style servers.</summary>
public class EvalCommandTests
{
    static string BenchmarksDir() => Path.GetFullPath(RepoPaths.File("../shared/data/benchmarks"));

    static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "fusechat-cli-eval", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    [Fact]
    public void Eval_writes_results_and_eval_report_compares_two_runs()
    {
        using var model = LoopbackChatServer.Text(_ => "A short answer.");
        using var judge = LoopbackChatServer.Text(req => LoopbackChatServer.AllMessages(req) is var text
            && (text.Contains("multi-turn", StringComparison.Ordinal) || text.Contains("Conversation with User")) ? "Rating: [[5]]" : "Rating: [[9]]");
        var root = TempDir();
        var runs = new List<string>();
        foreach (var name in new[] { "base", "dpo" })
        {
            var outDir = Path.Combine(root, name);
            var r = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", name, "--bench", "mt-bench", "--limit", "4",
                "--judge-endpoint", judge.Url, "--judge-model", "judge", "--data-dir", BenchmarksDir(), "--out", outDir);
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Contains("mt-bench\taverage\t7\t(4 items)", r.StdOut);
            Assert.True(File.Exists(Path.Combine(outDir, "eval.sqlite")));
            runs.Add(outDir);
        }
        var report = CliRunner.Run(["eval-report", "--runs", .. runs, "--out", Path.Combine(root, "report")]);
        Assert.True(report.ExitCode == 0, report.StdErr);
        Assert.Contains("| mt-bench | average | 7 | 7 |", report.StdOut);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(root, "report", "report.html")));
    }

    [Fact]
    public void A_missing_local_model_folder_is_one_line_naming_the_option()
    {
        var r = CliRunner.Run("eval", "--model", "/tmp/fusechat-no-such-model", "--bench", "gsm8k", "--data-dir", BenchmarksDir(), "--out", TempDir());
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --model:", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public void Judged_benchmarks_without_a_judge_and_unknown_benchmarks_are_user_errors()
    {
        var noJudge = CliRunner.Run("eval", "--endpoint", "http://127.0.0.1:9/v1", "--model-name", "m", "--bench", "arena-hard", "--data-dir", BenchmarksDir(), "--out", TempDir());
        Assert.Equal(2, noJudge.ExitCode);
        Assert.Contains("--judge-endpoint", noJudge.StdErr);
        var unknown = CliRunner.Run("eval", "--endpoint", "http://127.0.0.1:9/v1", "--model-name", "m", "--bench", "gsm9k", "--data-dir", BenchmarksDir(), "--out", TempDir());
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown benchmark 'gsm9k'", unknown.StdErr);
    }

    [Fact]
    public void Eval_prints_why_the_first_wrong_answers_are_wrong()
    {
        // The model always answers 7 and writes a function returning 0: the math item with gold 7 is right, the other wrong,
        // and the code item fails its first assert in the real sandbox.
        using var model = LoopbackChatServer.Text(req => LoopbackChatServer.AllMessages(req).Contains("function")
            ? "```python\ndef triple(x):\n    return 0\n```" : "The answer is 7.");
        var root = TempDir();
        var data = Path.Combine(root, "mini.jsonl");
        File.WriteAllLines(data,
        [
            """{"id": "m1", "prompt": "What is 3 + 4?", "answer": "7"}""",
            """{"id": "m2", "prompt": "What is 2 + 2?", "answer": "4"}""",
            """{"id": "c1", "prompt": "Write a Python function triple(x).", "tests": ["assert triple(2) == 6"], "entry_point": "triple"}""",
        ]);
        var r = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", "m", "--custom", "mini=" + data, "--out", Path.Combine(root, "out"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("mini: 2 of 3 wrong; the first 2:", r.StdErr);
        Assert.Contains("  m2: answered 7, gold 4", r.StdErr);
        Assert.Contains("  c1: failed", r.StdErr);

        var quiet = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", "m", "--custom", "mini=" + data, "--out", Path.Combine(root, "out"), "--show-failures", "0");
        Assert.True(quiet.ExitCode == 0, quiet.StdErr);
        Assert.DoesNotContain("wrong; the first", quiet.StdErr);
    }

    [Fact]
    public void Sampled_eval_scores_every_answer_and_reruns_draw_the_same_seeds()
    {
        // The endpoint answers greedy requests right; a sampled one is right when its seed is even. So the sampled
        // accuracy depends on which seeds the eval sends, and a rerun must send the same ones.
        var seeds = new System.Collections.Concurrent.ConcurrentBag<long>();
        using var model = LoopbackChatServer.Text(req =>
        {
            double t = req["temperature"]?.GetValue<double>() ?? 0;
            if (t == 0) return "The answer is 7.";
            long seed = req["seed"]!.GetValue<long>();
            seeds.Add(seed);
            return seed % 2 == 0 ? "The answer is 7." : "The answer is 8.";
        });
        var root = TempDir();
        var data = Path.Combine(root, "mini.jsonl");
        File.WriteAllLines(data, Enumerable.Range(1, 5).Select(i => $$"""{"id": "m{{i}}", "prompt": "What is 3 + 4? ({{i}})", "answer": "7"}"""));

        var first = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", "m", "--custom", "mini=" + data, "--out", Path.Combine(root, "a"),
            "--temperature", "0.8", "--samples", "4");
        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Contains("(5 items × 4 samples)", first.StdOut);
        var rows = File.ReadAllLines(Path.Combine(root, "a", "items", "mini.jsonl")).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        Assert.Equal(20, rows.Count);
        Assert.Contains(rows, r => (string)r["id"]! == "m3#2");
        var firstSeeds = seeds.Order().ToList();
        Assert.Equal(20, firstSeeds.Distinct().Count());
        int right = firstSeeds.Count(s => s % 2 == 0);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, "a", "results.json")))!["benchmarks"]![0]!["metrics"]!;
        Assert.Equal(100.0 * right / 20, (double)metrics["accuracy"]!, 9);
        Assert.Equal(4, (double)metrics["samples"]!);
        Assert.True((double)metrics["pass@4"]! >= (double)metrics["accuracy"]!);

        // a fresh rerun sends the same seeds; a greedy run into the same store does not reuse the sampled answers
        seeds.Clear();
        var again = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", "m", "--custom", "mini=" + data, "--out", Path.Combine(root, "b"),
            "--temperature", "0.8", "--samples", "4");
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Equal(firstSeeds, seeds.Order().ToList());
        var greedy = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", "m", "--custom", "mini=" + data, "--out", Path.Combine(root, "b"));
        Assert.True(greedy.ExitCode == 0, greedy.StdErr);
        Assert.Contains("mini\taccuracy\t100\t(5 items)", greedy.StdOut);
    }

    [Fact]
    public void Mt_bench_answers_use_fastchat_temperatures_unless_asked_for_greedy()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<(string Question, double Temperature, bool Seeded)>();
        using var model = LoopbackChatServer.Text(req =>
        {
            seen.Add((LoopbackChatServer.AllMessages(req), req["temperature"]?.GetValue<double>() ?? 0, req["seed"] is not null));
            return "An answer.";
        });
        using var judge = LoopbackChatServer.Text(_ => "Rating: [[6]]");
        var root = TempDir();
        var r = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", "m", "--bench", "mt-bench", "--judge-endpoint", judge.Url,
            "--judge-model", "judge", "--data-dir", BenchmarksDir(), "--out", Path.Combine(root, "a"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        var questions = File.ReadLines(Path.Combine(BenchmarksDir(), "mt-bench", "question.jsonl"))
            .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToDictionary(q => q["turns"]![0]!.GetValue<string>(), q => q["category"]!.GetValue<string>());
        // each request's category, from the question it starts with (a second turn starts with its first turn too)
        var byCategory = seen.Select(s => (Category: questions.FirstOrDefault(q => s.Question.StartsWith(q.Key, StringComparison.Ordinal)).Value, s.Temperature, s.Seeded))
            .Where(s => s.Category is not null).ToList();
        Assert.Contains(byCategory, s => s.Category == "writing" && s.Temperature == 0.7 && s.Seeded);
        Assert.Contains(byCategory, s => s.Category == "stem" && s.Temperature == 0.1 && s.Seeded);
        Assert.All(byCategory.Where(s => s.Category is "math" or "coding" or "reasoning" or "extraction"), s => Assert.True(s.Temperature == 0 && !s.Seeded));

        seen.Clear();
        r = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", "m", "--bench", "mt-bench", "--judge-endpoint", judge.Url,
            "--judge-model", "judge", "--data-dir", BenchmarksDir(), "--out", Path.Combine(root, "b"), "--mt-bench-temperatures", "greedy");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.All(seen, s => Assert.True(s.Temperature == 0 && !s.Seeded));

        // Greedy into the first run's store: the greedy categories' answers and judgments are reused, the sampled ones'
        // are not (another answer needs its own judgment).
        seen.Clear();
        int judged = judge.Requests;
        r = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", "m", "--bench", "mt-bench", "--judge-endpoint", judge.Url,
            "--judge-model", "judge", "--data-dir", BenchmarksDir(), "--out", Path.Combine(root, "a"), "--mt-bench-temperatures", "greedy");
        Assert.True(r.ExitCode == 0, r.StdErr);
        int sampledQuestions = questions.Values.Count(c => MtBenchSampled(c));
        Assert.Equal(2 * sampledQuestions, seen.Count);               // two turns each, regenerated greedily
        Assert.Equal(2 * sampledQuestions, judge.Requests - judged);  // and judged again, one judgment per turn
    }

    static bool MtBenchSampled(string category) => category is "writing" or "roleplay" or "stem" or "humanities";

    [Fact]
    public void Samples_without_a_temperature_is_one_line_naming_the_option()
    {
        using var model = LoopbackChatServer.Text(_ => "The answer is 7.");
        var root = TempDir();
        var data = Path.Combine(root, "mini.jsonl");
        File.WriteAllLines(data, ["""{"id": "m1", "prompt": "What is 3 + 4?", "answer": "7"}"""]);
        var r = CliRunner.Run("eval", "--endpoint", model.Url, "--model-name", "m", "--custom", "mini=" + data, "--out", Path.Combine(root, "o"), "--samples", "3");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --samples 3:", r.StdErr);
        Assert.Equal(0, model.Requests);
    }
}
