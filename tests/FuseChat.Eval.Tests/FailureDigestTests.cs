using System.Text.Json.Nodes;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Reporting;
using FuseChat.Eval.Running;

namespace FuseChat.Eval.Tests;

public class FailureDigestTests
{
    static BenchmarkResult Result(BenchmarkKind kind, params JsonObject[] rows) =>
        new("b", kind, rows.Length, "accuracy", new Dictionary<string, double?>(), rows);

    [Fact]
    public void Math_rows_show_the_extracted_and_gold_answer_and_right_rows_are_skipped()
    {
        var (failed, lines) = FailureDigest.Of(Result(BenchmarkKind.Math,
            new JsonObject { ["id"] = "a", ["gold"] = "4", ["extracted"] = "5", ["correct"] = false },
            new JsonObject { ["id"] = "b", ["gold"] = "4", ["extracted"] = "4", ["correct"] = true },
            new JsonObject { ["id"] = "c", ["gold"] = "9", ["extracted"] = null, ["correct"] = false }), max: 5);
        Assert.Equal(2, failed);
        Assert.Equal(["a: answered 5, gold 4", "c: answered nothing extractable, gold 9"], lines);
    }

    [Fact]
    public void Code_rows_give_the_base_failure_first_then_the_plus_failure()
    {
        var (failed, lines) = FailureDigest.Of(Result(BenchmarkKind.Code,
            new JsonObject { ["id"] = "h1", ["base_passed"] = false, ["base_failure"] = "failed: test 3: got 0,\nexpected 8", ["plus_passed"] = false, ["plus_failure"] = "not run" },
            new JsonObject { ["id"] = "h2", ["base_passed"] = true, ["plus_passed"] = false, ["plus_failure"] = "timeout: CPU limit of 1s exceeded" },
            new JsonObject { ["id"] = "h3", ["base_passed"] = true, ["plus_passed"] = null }), max: 1);
        Assert.Equal(2, failed);
        Assert.Equal(["h1: failed: test 3: got 0, expected 8"], lines);
        Assert.Equal("h2: plus tests: timeout: CPU limit of 1s exceeded",
            FailureDigest.Reason(new JsonObject { ["id"] = "h2", ["base_passed"] = true, ["plus_passed"] = false, ["plus_failure"] = "timeout: CPU limit of 1s exceeded" }));
    }

    [Fact]
    public void Custom_rows_prefer_their_failure_detail_and_judged_rows_give_nothing()
    {
        Assert.Equal("x: failed: NameError", FailureDigest.Reason(new JsonObject { ["id"] = "x", ["correct"] = false, ["failure"] = "failed: NameError", ["gold"] = null }));
        var (failed, lines) = FailureDigest.Of(Result(BenchmarkKind.Judged, new JsonObject { ["id"] = "q", ["score"] = 3 }), max: 3);
        Assert.Equal(0, failed);
        Assert.Empty(lines);
    }
}
