using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Judging;
using FuseChat.Eval.Running;
using FuseChat.Eval.Store;
using FuseChat.Eval.Tests.Support;
using FuseChat.Tests.Shared;

namespace FuseChat.Eval.Tests;

/// <summary><c>--judge-templates DIR</c>: user prompt files replace the built-in judge prompts, are checked when read, and key the cache.</summary>
public class JudgeTemplateTests
{
    const string Mine = "MODEL-ANSWER";

    const string AlpacaTemplate = """
        <|im_start|>system
        Custom judge system.
        <|im_end|>
        <|im_start|>user
        Instruction: {instruction}
        First: {output_1}
        Second: {output_2}
        Literal {{braces}} stay.
        <|im_end|>
        """;

    static string Dir(params (string Name, string Text)[] files)
    {
        var dir = TestData.TempDir();
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(dir, name), text);
        return dir;
    }

    static string Messages(JsonObject req, string role) =>
        string.Join("\n", req["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == role).Select(m => m!["content"]!.GetValue<string>()));

    // The judge reads the user's layout: AlpacaEval prefers the model's output in whichever slot it is; Arena-Hard gives
    // the model a strong win when it is answer_1 (A) and a slight loss when it is answer_2 (B).
    static (string, IReadOnlyList<(string, double)>?) Judge(JsonObject req)
    {
        var user = Messages(req, "user");
        if (req.ContainsKey("top_logprobs"))
        {
            var best = user.Contains($"First: {Mine}\n") ? "m" : "M";
            return (best, [(best, -0.01), (best == "m" ? "M" : "m", -4.6)]);
        }
        var parts = user.Split("<<SEP>>");
        return (parts[1] == Mine ? "[[A>>B]]" : "[[A>B]]", null);
    }

    static async Task<(EvalRun Run, ConcurrentBag<JsonObject> Requests, int Calls)> RunAsync(string bench, JudgeTemplates? templates, string db)
    {
        var requests = new ConcurrentBag<JsonObject>();
        using var model = LoopbackChatServer.Text(_ => Mine);
        using var judge = new LoopbackChatServer(req => { requests.Add(req); return Judge(req); });
        using var modelClient = new OpenAiChatClient(model.Url, "target");
        using var judgeClient = new OpenAiChatClient(judge.Url, "judge-x");
        using var store = new EvalStore(db);
        var options = new EvalOptions { ModelName = "target", JudgeName = "judge-x", Limit = 6, BootstrapRounds = 10, JudgeTemplates = templates };
        var run = await new EvalRunner(options, modelClient, store, judge: judgeClient).RunAsync(BenchmarkCatalog.Resolve(bench), TestData.BenchmarksDir);
        return (run, requests, judge.Completions);
    }

    [Fact]
    public async Task An_alpaca_eval_template_in_chat_markup_becomes_the_judge_request_and_keys_the_cache()
    {
        var db = Path.Combine(TestData.TempDir(), "eval.sqlite");
        var (run, requests, calls) = await RunAsync("alpacaeval2", JudgeTemplates.Load(Dir(("alpacaeval2.txt", AlpacaTemplate))), db);
        Assert.True(calls >= 6, $"{calls} judge calls");   // at least one per item (a retried request may add one)
        var items = ItemSample.Take(new AlpacaEval2Benchmark().Load(TestData.BenchmarksDir), 6, 42);
        foreach (var req in requests)
        {
            var messages = req["messages"]!.AsArray();
            Assert.Equal(["system", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
            Assert.Equal("Custom judge system.", messages[0]!["content"]!.GetValue<string>());
            var user = messages[1]!["content"]!.GetValue<string>();
            Assert.EndsWith("Literal {braces} stay.", user);
            Assert.Contains(items, i => user.StartsWith($"Instruction: {i.Turns[0]}\nFirst: ") && user.Contains(i.BaselineAnswer!));
        }
        var r = run.Results[0];
        Assert.Equal(100 * Math.Exp(-0.01) / (Math.Exp(-0.01) + Math.Exp(-4.6)), r.Metrics["win_rate"]!.Value, 9);

        // Same store: the same template is served from the cache, another template asks the judge again, and so does the built-in prompt.
        Assert.Equal(0, (await RunAsync("alpacaeval2", JudgeTemplates.Load(Dir(("alpacaeval2.txt", AlpacaTemplate))), db)).Calls);
        Assert.True((await RunAsync("alpacaeval2", JudgeTemplates.Load(Dir(("alpacaeval2.txt", AlpacaTemplate + "\n"))), db)).Calls >= 6);
        Assert.True((await RunAsync("alpacaeval2", null, db)).Calls >= 6);
    }

    [Fact]
    public async Task A_plain_text_template_is_one_user_message_with_the_arena_hard_placeholders()
    {
        var templates = JudgeTemplates.Load(Dir(("arena-hard.txt", "Q:{question_1}<<SEP>>{answer_1}<<SEP>>{answer_2}<<SEP>>end")));
        var (run, requests, _) = await RunAsync("arena-hard", templates, Path.Combine(TestData.TempDir(), "eval.sqlite"));
        Assert.True(requests.Count >= 12, $"{requests.Count} judge requests");
        Assert.All(requests, req => Assert.Equal("user", req["messages"]!.AsArray().Single()!["role"]!.GetValue<string>()));
        // Game 1 puts the baseline first (slight baseline win: A>B), game 2 the model (strong model win: A>>B): 3 of 4 weighted battles.
        Assert.Equal(75.0, run.Results[0].Metrics["score"]!.Value, 6);
    }

    [Theory]
    [InlineData("alpacaeval2.txt", "{instruction} {output_1}", "placeholder {output_2} is missing")]
    [InlineData("alpacaeval2.txt", "{instruction} {output_1} {output_2} {model}", "unknown placeholder {model}")]
    [InlineData("arena-hard.txt", "{question_1} {answer_1} {answer_2} {'score': 1}", "unknown placeholder {'score': 1}")]
    [InlineData("alignbench.txt", "{question} {reference} {answer} ends with }", "a single '}'")]
    [InlineData("alignbench.txt", "{question} {reference} {answer} {category", "an unclosed '{'")]
    [InlineData("mt-bench.txt", "x", "MT-Bench always uses the judge prompts shipped with its data")]
    [InlineData("arenahard.txt", "x", "unknown template; expected alpacaeval2.txt, arena-hard.txt, alignbench.txt")]
    [InlineData("alpacaeval2.txt", "<|im_start|>system\nS\n<|im_end|>\nstray\n<|im_start|>user\n{instruction}{output_1}{output_2}<|im_end|>", ":3: text outside")]
    [InlineData("alpacaeval2.txt", "<|im_start|>judge\n{instruction}{output_1}{output_2}<|im_end|>", "role 'judge' must be system, user or assistant")]
    [InlineData("alpacaeval2.txt", "<|im_start|>user\n{instruction}{output_1}{output_2}<|im_end|><|im_start|>assistant\nok<|im_end|>", "the last message must be a user message")]
    public void Bad_templates_are_user_errors_naming_the_file(string file, string text, string expected)
    {
        var dir = Dir((file, text));
        var e = Assert.Throws<UserError>(() => JudgeTemplates.Load(dir));
        Assert.StartsWith(Path.Combine(dir, file), e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Alignbench_templates_may_use_category_and_literal_braces()
    {
        var t = JudgeTemplates.Load(Dir(("alignbench.txt", "[{category}/{subcategory}] {question}\n{reference}\n{answer}\n{{'综合得分': 打分}}")));
        var m = t.AlignBench("数学计算", "初等数学", "1+1?", "2", "3");
        Assert.Equal("[数学计算/初等数学] 1+1?\n2\n3\n{'综合得分': 打分}", m!.Single().Content);
        Assert.Null(t.AlpacaEval("i", "a", "b"));
        Assert.Contains("not found", Assert.Throws<UserError>(() => JudgeTemplates.Load("/nonexistent-dir")).Message);
    }
}
