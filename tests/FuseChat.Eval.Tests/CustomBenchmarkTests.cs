using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Grading;
using FuseChat.Eval.Reporting;
using FuseChat.Eval.Running;
using FuseChat.Eval.Store;
using FuseChat.Eval.Tests.Support;
using FuseChat.Tests.Shared;
using FuseChat.Verifiers.Math;

namespace FuseChat.Eval.Tests;

/// <summary>
/// The generic verifiable benchmark (<c>--custom NAME=PATH</c>) over real HTTP with the real verifiers: an oracle endpoint
/// (the rows' solutions) scores exactly 100%, a wrong one 0%, and one that knows only one skill shows it in the sub-scores;
/// exact-match rows (<c>expected</c>) are graded on the whole reply.
/// </summary>
public class CustomBenchmarkTests
{
    // Each row carries a "solution" field the loader ignores; the oracle answers with it.
    static readonly JsonObject[] Rows =
    [
        Row("""{"id": "add-1", "skill": "addition", "prompt": "What is 1234 + 4321?", "answer": "5555", "solution": "1234 + 4321 = \\boxed{5555}"}"""),
        Row("""{"id": 7, "skill": "addition", "prompt": "Add 19 and 23.", "answer": 42, "solution": "The sum is **42**, so \\boxed{42}."}"""),
        Row("""{"id": "frac", "skill": "fractions", "system": "Answer in \\boxed{}.", "prompt": "Half of one?", "answer": "1/2", "solution": "It is $\\boxed{\\frac{1}{2}}$."}"""),
        Row("""{"id": "few-shot", "skill": "fractions", "messages": [{"role": "user", "content": "1/4 + 1/4?"}, {"role": "assistant", "content": "\\boxed{1/2}"}, {"role": "user", "content": "1/3 + 1/3?"}], "answer": "\\frac{2}{3}", "solution": "\\boxed{2/3}"}"""),
        Row("""{"id": "rev", "skill": "python", "prompt": "Write reverse_words(s) that reverses the order of words.", "entry_point": "reverse_words", "tests": ["assert reverse_words('a b c') == 'c b a'", "assert reverse_words('x') == 'x'"], "solution": "```python\ndef reverse_words(s):\n    return ' '.join(reversed(s.split()))\n```"}"""),
        Row("""{"id": "sq", "skill": "python", "prompt": "Write square(n).", "entry_point": "square", "tests": "def check(candidate):\n    assert candidate(3) == 9\n    assert candidate(-2) == 4\n", "solution": "Sure:\n```python\ndef square(n):\n    return n * n\n```"}"""),
        Row("""{"id": "cnt", "prompt": "Write count_vowels(s).", "entry_point": "count_vowels", "tests": "assert count_vowels('banana') == 3\nassert count_vowels('xyz') == 0", "solution": "```python\ndef count_vowels(s):\n    return sum(c in 'aeiou' for c in s)\n```"}"""),
    ];

    static JsonObject Row(string json) => JsonNode.Parse(json)!.AsObject();

    static string WriteFile(IEnumerable<JsonObject> rows)
    {
        var path = Path.Combine(TestData.TempDir(), "skills.jsonl");
        File.WriteAllLines(path, rows.Select(r => r.ToJsonString()));
        return path;
    }

    static string LastUserOf(JsonObject row) => row["messages"] is JsonArray m ? m[^1]!["content"]!.GetValue<string>() : row["prompt"]!.GetValue<string>();

    static string Wrong(JsonObject row) => row.ContainsKey("entry_point")
        ? $"```python\ndef {row["entry_point"]}(*args):\n    return None\n```"
        : "I think it is \\boxed{-98765}.";

    static async Task<(EvalRun Run, ConcurrentBag<JsonObject> Requests)> RunAsync(string path, Func<JsonObject, string> answer, MathMode mode = MathMode.Strict)
    {
        var requests = new ConcurrentBag<JsonObject>();
        var byPrompt = Rows.ToDictionary(LastUserOf);
        using var server = LoopbackChatServer.Text(req => { requests.Add(req); return answer(byPrompt[LoopbackChatServer.LastUserMessage(req)]); });
        using var client = new OpenAiChatClient(server.Url, "m");
        using var store = new EvalStore(Path.Combine(TestData.TempDir(), "eval.sqlite"));
        var runner = new EvalRunner(new EvalOptions { ModelName = "m", Concurrency = 4 }, client, store, new VerifierMathGrader(), new VerifierCodeGrader());
        var run = await runner.RunAsync([new CustomBenchmark("skills", path, mode)], dataDir: "");
        return (run, requests);
    }

    [Fact]
    public async Task An_oracle_scores_100_and_a_wrong_model_0_on_every_row_and_skill()
    {
        var path = WriteFile(Rows);
        var (good, requests) = await RunAsync(path, row => row["solution"]!.GetValue<string>());
        var r = good.Results.Single();
        Assert.Equal(("skills", BenchmarkKind.Verifiable, 7, "accuracy"), (r.Benchmark, r.Kind, r.Items, r.PrimaryMetric));
        Assert.True(r.Primary == 100.0, string.Join(" | ", r.ItemRows.Where(i => !i["correct"]!.GetValue<bool>()).Select(i => i.ToJsonString())));
        Assert.Equal(100.0, r.Metrics["math_accuracy"]);
        Assert.Equal(100.0, r.Metrics["code_pass@1"]);
        Assert.True(r.Metrics.ContainsKey("exact_match"));
        Assert.Null(r.Metrics["exact_match"]);   // no expected rows: reported, as null (as math_accuracy is for a code-only file)
        Assert.Equal(["skill:addition", "skill:fractions", "skill:python"], r.Metrics.Keys.Where(k => k.StartsWith("skill:")).Order());
        Assert.All(r.Metrics.Where(kv => kv.Key.StartsWith("skill:")), kv => Assert.Equal(100.0, kv.Value));

        // Prompts go out exactly as written: the system field, and a messages row with its few-shot turns.
        // (First, not Single: under load the client may retry a request after a dropped connection.)
        var fewShot = requests.First(q => LoopbackChatServer.LastUserMessage(q) == "1/3 + 1/3?")["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], fewShot.Select(m => m!["role"]!.GetValue<string>()));
        var frac = requests.First(q => LoopbackChatServer.LastUserMessage(q) == "Half of one?")["messages"]!.AsArray();
        Assert.Equal("Answer in \\boxed{}.", frac[0]!["content"]!.GetValue<string>());

        var bad = (await RunAsync(path, Wrong)).Run.Results.Single();
        Assert.Equal(0.0, bad.Primary);
        Assert.All(bad.Metrics.Where(kv => kv.Key.StartsWith("skill:") || kv.Key is "math_accuracy" or "code_pass@1"), kv => Assert.Equal(0.0, kv.Value));
        // Code rows say why they failed (the wrong answer returns None, so an assertion fails); math rows have no such field value.
        Assert.All(bad.ItemRows.Where(i => i["kind"]!.GetValue<string>() == "code"), i => Assert.StartsWith("failed: ", i["failure"]!.GetValue<string>()));
        Assert.All(bad.ItemRows.Where(i => i["kind"]!.GetValue<string>() == "math"), i => Assert.Null(i["failure"]));
        Assert.All(r.ItemRows, i => Assert.Null(i["failure"]));
    }

    [Fact]
    public async Task A_model_that_knows_one_skill_shows_it_in_the_sub_scores()
    {
        var path = WriteFile(Rows);
        var (run, _) = await RunAsync(path, row => row["skill"]?.GetValue<string>() == "addition" ? row["solution"]!.GetValue<string>() : Wrong(row), MathMode.Qwen);
        var r = run.Results.Single();
        Assert.Equal(100.0, r.Metrics["skill:addition"]);
        Assert.Equal(0.0, r.Metrics["skill:fractions"]);
        Assert.Equal(0.0, r.Metrics["skill:python"]);
        Assert.Equal(100.0 * 2 / 7, r.Primary!.Value, 9);
        Assert.Equal(50.0, r.Metrics["math_accuracy"]);
        Assert.Equal(["add-1", "7"], r.ItemRows.Where(i => i["correct"]!.GetValue<bool>()).Select(i => i["id"]!.GetValue<string>()));
    }

    [Fact]
    public void Strict_and_qwen_modes_are_both_available_for_math_rows()
    {
        var grader = new VerifierMathGrader();
        Assert.True(grader.IsCorrect("so \\boxed{\\frac{1}{2}}", "1/2", MathMode.Strict));
        Assert.True(grader.IsCorrect("so \\boxed{0.5}", "1/2", MathMode.Qwen));
        Assert.False(grader.IsCorrect("so \\boxed{0.6}", "1/2", MathMode.Strict));
    }

    [Theory]
    [InlineData("""{"id": "a", "prompt": "p"}""", "a row needs exactly one of 'answer' (math), 'tests' + 'entry_point' (code) or 'expected' (exact match), got none")]
    [InlineData("""{"id": "a", "prompt": "p", "answer": "1", "tests": ["assert 1"], "entry_point": "f"}""", "exactly one of 'answer' (math), 'tests' + 'entry_point' (code) or 'expected' (exact match), got 'answer' and 'tests'")]
    [InlineData("""{"id": "a", "prompt": "p", "answer": "1", "expected": "1"}""", "got 'answer' and 'expected'")]
    [InlineData("""{"id": "a", "prompt": "p", "answer": "1", "tests": ["assert 1"], "entry_point": "f", "expected": "1"}""", "got 'answer', 'tests' and 'expected'")]
    [InlineData("""{"id": "a", "prompt": "p", "expected": ""}""", "field 'expected' must be a non-empty string")]
    [InlineData("""{"id": "a", "prompt": "p", "expected": " \n. "}""", "field 'expected' must be a non-empty string")]
    [InlineData("""{"id": "a", "prompt": "p", "expected": 5702}""", "field 'expected' must be a non-empty string")]
    [InlineData("""{"id": "a", "prompt": "p", "expected": ["5702"]}""", "field 'expected' must be a non-empty string")]
    [InlineData("""{"id": "a", "prompt": "p", "tests": ["assert f()"]}""", "field 'entry_point' is required with 'tests'")]
    [InlineData("""{"id": "a", "answer": "1"}""", "field 'prompt' is missing (or give 'messages')")]
    [InlineData("""{"id": "a", "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}], "answer": "1"}""", "field 'messages' must end with a user message")]
    [InlineData("""{"id": "a", "messages": [{"role": "robot", "content": "q"}], "answer": "1"}""", "field 'messages[0]' must be")]
    [InlineData("""{"id": "a", "prompt": "p", "answer": ""}""", "field 'answer' must be a non-empty string or number")]
    [InlineData("""{"id": "a", "prompt": "p", "answer": "1", "skill": 3}""", "field 'skill' must be a string")]
    public void Bad_rows_are_user_errors_naming_file_line_and_field(string badRow, string expected)
    {
        var path = WriteFile([Row("""{"id": "ok", "prompt": "fine", "answer": "1"}"""), Row(badRow)]);
        var e = Assert.Throws<UserError>(() => new CustomBenchmark("skills", path).Load(""));
        Assert.StartsWith($"{path}:2: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Names_and_ids_are_checked()
    {
        var path = WriteFile([Row("""{"id": "x", "prompt": "a", "answer": "1"}"""), Row("""{"id": "x", "prompt": "b", "answer": "2"}""")]);
        Assert.Contains($"{path}:2: id 'x' repeats line 1", Assert.Throws<UserError>(() => new CustomBenchmark("skills", path).Load("")).Message);
        Assert.Contains("built-in", Assert.Throws<UserError>(() => CustomBenchmark.Parse("gsm8k=" + path)).Message);
        Assert.Contains("NAME=PATH", Assert.Throws<UserError>(() => CustomBenchmark.Parse(path)).Message);
        Assert.Contains("not found", Assert.Throws<UserError>(() => CustomBenchmark.Parse("s=/nonexistent/x.jsonl").Load("")).Message);
        var parsed = CustomBenchmark.Parse("demo-skills=" + path, MathMode.Qwen);
        Assert.Equal(("demo-skills", path, MathMode.Qwen), (parsed.Name, parsed.Path, parsed.MathMode));
    }

    [Fact]
    public async Task Editing_a_prompt_under_the_same_id_regenerates_its_answer()
    {
        var dir = TestData.TempDir();
        var path = Path.Combine(dir, "s.jsonl");
        var db = Path.Combine(dir, "eval.sqlite");
        int calls = 0;
        using var server = LoopbackChatServer.Text(req => { Interlocked.Increment(ref calls); return LoopbackChatServer.LastUserMessage(req) == "2+2?" ? "\\boxed{4}" : "\\boxed{5}"; });
        using var client = new OpenAiChatClient(server.Url, "m");
        async Task<double?> Score()
        {
            using var store = new EvalStore(db);
            var run = await new EvalRunner(new EvalOptions { ModelName = "m" }, client, store, new VerifierMathGrader(), new VerifierCodeGrader())
                .RunAsync([new CustomBenchmark("s", path)], "");
            return run.Results[0].Primary;
        }
        File.WriteAllText(path, """{"id": "q", "prompt": "2+2?", "answer": "4"}""" + "\n");
        Assert.Equal(100.0, await Score());
        Assert.Equal(100.0, await Score());
        Assert.Equal(1, calls);   // the second run came from the store
        File.WriteAllText(path, """{"id": "q", "prompt": "2+3?", "answer": "5"}""" + "\n");
        Assert.Equal(100.0, await Score());
        Assert.Equal(2, calls);
    }

    [Fact]
    public void An_expected_row_is_read_as_an_exact_match_row()
    {
        var path = WriteFile([Row("""{"id": "list", "skill": "listing", "system": "Be brief.", "prompt": "List the numbers between 5701 and 5706.", "expected": "5702, 5703, 5704, 5705."}""")]);
        var item = new CustomBenchmark("skills", path).Load("").Single();
        Assert.Equal(("list", "listing", "5702, 5703, 5704, 5705."), (item.Id, item.Skill, item.Expected));
        Assert.Null(item.Gold);
        Assert.Null(item.Code);
        Assert.Equal(["system", "user"], item.Messages!.Select(m => m.Role));
        Assert.Equal("List the numbers between 5701 and 5706.", item.Turns.Single());
    }

    [Theory]
    [InlineData("5702, 5703, 5704, 5705", "5702, 5703, 5704, 5705.", true)]         // the final full stop left off
    [InlineData("5702, 5703, 5704, 5705.\n", "5702, 5703, 5704, 5705.", true)]     // a trailing newline
    [InlineData("  5702,\n5703,\t 5704,  5705. ", "5702, 5703, 5704, 5705.", true)] // runs of whitespace
    [InlineData("Paris.", "paris", true)]                                          // case
    [InlineData("5702, 5703, 5704, 5706.", "5702, 5703, 5704, 5705.", false)]        // a different number
    [InlineData("5702, 5703, 5704, 5705, 5706.", "5702, 5703, 5704, 5705.", false)]  // one too many
    [InlineData("5702,5703,5704,5705.", "5702, 5703, 5704, 5705.", false)]           // missing spaces are a difference
    [InlineData("5702, 5703, 5704, 5705..", "5702, 5703, 5704, 5705.", false)]       // only one '.' is dropped
    [InlineData("The numbers are 5702, 5703, 5704, 5705.", "5702, 5703, 5704, 5705.", false)]
    public void Exact_match_ignores_surrounding_and_repeated_whitespace_case_and_one_final_period(string reply, string expected, bool correct)
    {
        Assert.Equal(correct, ExactMatch.IsCorrect(reply, expected));
        Assert.Equal(correct, ExactMatch.IsCorrect(expected, reply));   // symmetric: both sides are normalised the same way
    }

    [Fact]
    public void The_normalised_text_is_trimmed_collapsed_and_loses_one_final_period_but_keeps_its_case()
    {
        Assert.Equal("5702, 5703 And", ExactMatch.Normalize(" 5702,\r\n 5703\u00A0 And.\n"));
        Assert.Equal("a.", ExactMatch.Normalize("a.."));
        Assert.Equal("", ExactMatch.Normalize(" . "));
    }

    // Exact rows next to a math row, answered by a served endpoint with these replies; the "number" row's reply carries
    // the right number in a sentence, which the math verifier would accept but exact match must not.
    static readonly (string Json, string Reply)[] ExactRows =
    [
        ("""{"id": "list", "skill": "listing", "prompt": "List the numbers between 5701 and 5706.", "expected": "5702, 5703, 5704, 5705."}""", "5702, 5703, 5704, 5705\n"),
        ("""{"id": "abc", "skill": "listing", "prompt": "Name the first three letters.", "expected": "A, B, C"}""", " a,\n b,  c."),
        ("""{"id": "near", "skill": "listing", "prompt": "List the numbers between 10 and 13.", "expected": "11, 12."}""", "11, 12, 13."),
        ("""{"id": "number", "skill": "arith", "prompt": "Say only the number six times seven.", "expected": "42"}""", "The answer is 42."),
        ("""{"id": "sum", "skill": "arith", "prompt": "What is 2 + 2?", "answer": "4"}""", "So \\boxed{4}."),
    ];

    static async Task<BenchmarkResult> RunExactAsync(EvalOptions options)
    {
        var path = WriteFile(ExactRows.Select(r => Row(r.Json)));
        var replies = ExactRows.ToDictionary(r => LastUserOf(Row(r.Json)), r => r.Reply);
        using var server = LoopbackChatServer.Text(req => replies[LoopbackChatServer.LastUserMessage(req)]);
        using var client = new OpenAiChatClient(server.Url, "m");
        using var store = new EvalStore(Path.Combine(TestData.TempDir(), "eval.sqlite"));
        var run = await new EvalRunner(options, client, store, new VerifierMathGrader(), new VerifierCodeGrader()).RunAsync([new CustomBenchmark("skills", path)], "");
        return run.Results.Single();
    }

    [Fact]
    public async Task Expected_rows_are_graded_on_the_whole_reply_and_count_in_accuracy_and_skills()
    {
        var r = await RunExactAsync(new EvalOptions { ModelName = "m", Concurrency = 4 });
        Assert.Equal(["list", "abc", "sum"], r.ItemRows.Where(i => i["correct"]!.GetValue<bool>()).Select(i => i["id"]!.GetValue<string>()));
        Assert.Equal(50.0, r.Metrics["exact_match"]);
        Assert.Equal(100.0, r.Metrics["math_accuracy"]);   // the math row alone: exact rows are not math rows
        Assert.Null(r.Metrics["code_pass@1"]);
        Assert.Equal(60.0, r.Primary);
        Assert.Equal(3, r.Metrics["correct"]);
        Assert.Equal(200.0 / 3, r.Metrics["skill:listing"]!.Value, 9);
        Assert.Equal(50.0, r.Metrics["skill:arith"]);

        var near = r.ItemRows.Single(i => i["id"]!.GetValue<string>() == "near");
        Assert.Equal(("exact", "11, 12.", "11, 12, 13."), (near["kind"]!.GetValue<string>(), near["gold"]!.GetValue<string>(), near["response"]!.GetValue<string>()));
        Assert.Null(near["extracted"]);
        Assert.Null(near["failure"]);
        Assert.Equal("near: replied \"11, 12, 13.\", expected \"11, 12.\"", FailureDigest.Reason(near));
        Assert.Equal("math", r.ItemRows.Single(i => i["id"]!.GetValue<string>() == "sum")["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expected_rows_keep_their_text_when_sampled()
    {
        var r = await RunExactAsync(new EvalOptions { ModelName = "m", Concurrency = 4, Temperature = 0.7, Samples = 2 });
        Assert.Equal(10, r.Items);
        Assert.All(r.ItemRows.Where(i => i["id"]!.GetValue<string>().StartsWith("list#")), i => Assert.Equal("5702, 5703, 5704, 5705.", i["gold"]!.GetValue<string>()));
        Assert.Equal(["list#0", "list#1", "abc#0", "abc#1", "sum#0", "sum#1"], r.ItemRows.Where(i => i["correct"]!.GetValue<bool>()).Select(i => i["id"]!.GetValue<string>()));
        Assert.Equal(50.0, r.Metrics["exact_match"]);
        Assert.Equal(60.0, r.Metrics["pass@2"]);
    }
}
