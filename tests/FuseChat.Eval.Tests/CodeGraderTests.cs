using System.Text.Json.Nodes;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Grading;
using FuseChat.Eval.Running;
using FuseChat.Eval.Store;
using FuseChat.Eval.Tests.Support;
using FuseChat.Tests.Shared;
using FuseChat.Verifiers.Code;
using FuseChat.Verifiers.Code.Benchmarks;

namespace FuseChat.Eval.Tests;

/// <summary>
/// The product code grader on small MBPP+-style problems: a failing answer says why (the wrong input and values, the
/// exception, the limit it hit), and a sample's time limit comes from the reference's CPU time on the same inputs.
/// </summary>
public class CodeGraderTests
{
    // A low floor keeps the timeout case short; the limits a sample actually gets are derived from it.
    static readonly VerifierCodeGrader Grader = new(new CodeVerifier(SandboxLimits.Default with { CpuSeconds = 1, WallTimeout = TimeSpan.FromSeconds(5) }));

    /// <summary>f(x) = 2x on base inputs 1, 2 and plus inputs 3, 4 (expected outputs come from running <paramref name="canonical"/>).</summary>
    static CodeTask Doubling(string canonical = "def f(x):\n    return 2 * x\n", string id = "T/1") =>
        Problem(id, canonical, new JsonArray(new JsonArray(1), new JsonArray(2)), new JsonArray(new JsonArray(3), new JsonArray(4)));

    static CodeTask Problem(string id, string canonical, JsonArray baseInputs, JsonArray plusInputs)
    {
        var problem = new MbppPlusProblem(id, "\"\"\"Doubles x.\"\"\"\n", canonical, "f", baseInputs, plusInputs, Atol: 0);
        return new CodeTask(id, problem.Prompt, "f", canonical, Test: null, Mbpp: problem);
    }

    static string Fenced(string code) => $"Here:\n```python\n{code}```\n";

    [Fact]
    public async Task A_wrong_output_names_the_input_and_both_values()
    {
        var task = Doubling();
        var answer = Fenced("def f(x):\n    return 0 if x == 4 else 2 * x\n");
        var baseGrade = await Grader.GradeAsync(answer, task, CodeTestSet.Base, default);
        Assert.True(baseGrade.Passed);
        Assert.Null(baseGrade.Detail);
        var plus = await Grader.GradeAsync(answer, task, CodeTestSet.Plus, default);
        Assert.False(plus.Passed);
        Assert.Equal(CodeStatus.Failed, plus.Status);
        Assert.Equal("failed: test 3: got 0, expected 8", plus.Detail);   // base inputs first, then plus: x = 4 is test 3
    }

    [Fact]
    public async Task An_exception_and_a_timeout_say_so()
    {
        var task = Doubling();
        var raised = await Grader.GradeAsync(Fenced("def f(x):\n    raise ValueError('boom')\n"), task, CodeTestSet.Base, default);
        Assert.Equal("failed: test 0 raised ValueError: boom", raised.Detail);
        var loop = await Grader.GradeAsync(Fenced("def f(x):\n    while True:\n        pass\n"), task, CodeTestSet.Base, default);
        Assert.Equal(CodeStatus.Timeout, loop.Status);
        Assert.Equal("timeout: CPU limit of 1s exceeded", loop.Detail);
    }

    [Fact]
    public async Task A_sample_may_use_four_times_the_reference_cpu_time_on_the_same_inputs()
    {
        // The reference burns 0.5 s of CPU per input (1 s on the base set): more than the 1 s floor allows a sample,
        // so the same code only passes because its limit is 4x the reference's measured CPU time.
        var burn = "import time\ndef f(x):\n    t = time.process_time()\n    while time.process_time() - t < 0.5:\n        pass\n    return 2 * x\n";
        var task = Doubling(burn, id: "T/burn");   // the grader caches expected outputs by task id
        var grade = await Grader.GradeAsync(Fenced(burn), task, CodeTestSet.Base, default);
        Assert.True(grade.Passed, grade.Detail);

        var limits = Grader.SampleLimits(1.2);
        Assert.Equal(5, limits.CpuSeconds);                                   // ceil(4 x 1.2)
        Assert.Equal(TimeSpan.FromSeconds(5 * VerifierCodeGrader.WallFactor), limits.WallTimeout);
        Assert.Equal(1, Grader.SampleLimits(0.01).CpuSeconds);                 // never below the floor
    }

    /// <summary>Two MBPP+-style problems, one without plus inputs (as Mbpp/793), asked over loopback HTTP.</summary>
    sealed class TwoProblems : IBenchmark
    {
        public string Name => "two";
        public BenchmarkKind Kind => BenchmarkKind.Code;
        public int MaxTokens => 64;
        public IReadOnlyList<BenchmarkItem> Load(string dataDir) =>
        [
            new("T/1", null, ["one"]) { Code = Doubling() },
            new("T/2", null, ["two"]) { Code = Problem("T/2", "def f(x):\n    return 2 * x\n", new JsonArray(new JsonArray(5)), new JsonArray()) },
        ];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Plus_counts_every_mbpp_problem_and_rows_keep_why_an_answer_failed(bool right)
    {
        var code = right ? "def f(x):\n    return 2 * x\n" : "def f(x):\n    return x\n";
        using var server = LoopbackChatServer.Text(_ => Fenced(code));
        using var client = new OpenAiChatClient(server.Url, right ? "right" : "wrong");
        using var store = new EvalStore(Path.Combine(TestData.TempDir(), "eval.sqlite"));
        var run = await new EvalRunner(new EvalOptions { ModelName = client.ModelName }, client, store, codeGrader: Grader).RunAsync([new TwoProblems()], "");
        var r = run.Results.Single();
        // A problem without plus inputs is graded on its base inputs alone for plus, as evalplus does: it still counts.
        Assert.Equal(right ? 100.0 : 0.0, r.Metrics["pass@1_base"]);
        Assert.Equal(right ? 100.0 : 0.0, r.Metrics["pass@1_plus"]);
        Assert.All(r.ItemRows, row => Assert.Equal(right, row["plus_passed"]!.GetValue<bool>()));
        if (right)
            Assert.All(r.ItemRows, row => Assert.True(row["base_failure"] is null && row["plus_failure"] is null));
        else
        {
            Assert.Equal(["failed: test 0: got 1, expected 2", "failed: test 0: got 5, expected 10"], r.ItemRows.Select(row => row["base_failure"]!.GetValue<string>()));
            Assert.All(r.ItemRows, row => Assert.Equal("not run: the base tests failed", row["plus_failure"]!.GetValue<string>()));
        }
    }
}
