using System.Text.Json.Nodes;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Grading;

namespace FuseChat.Eval.Running;

/// <summary>
/// A custom benchmark's score: each row graded by the verifier its fields call for (math answer, code tests, or exact
/// match of the whole reply); accuracy over all rows is the headline, with math, code and exact-match shares and one
/// <c>skill:NAME</c> percentage per skill tag.
/// </summary>
static class VerifiableScorer
{
    public static async Task<BenchmarkResult> ScoreAsync(CustomBenchmark benchmark, IReadOnlyList<BenchmarkItem> items,
        IReadOnlyDictionary<string, IReadOnlyList<string>> answers, IMathGrader math, ICodeGrader code, int concurrency,
        Action<int, int> report, CancellationToken ct)
    {
        var correct = new bool[items.Count];
        var failures = new string?[items.Count];
        int done = 0;
        report(0, items.Count);
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = ct }, async (i, token) =>
        {
            var item = items[i];
            var response = answers[item.Id][0];
            if (item.Code is { } task)
            {
                var grade = await code.GradeAsync(response, task, CodeTestSet.Base, token);
                (correct[i], failures[i]) = (grade.Passed, grade.Detail);
            }
            else if (item.Expected is { } expected) correct[i] = ExactMatch.IsCorrect(response, expected);
            else correct[i] = math.IsCorrect(response, item.Gold!, benchmark.MathMode);
            report(Interlocked.Increment(ref done), items.Count);
        });

        var rows = items.Select((item, i) => new JsonObject
        {
            ["id"] = item.Id, ["skill"] = item.Skill, ["kind"] = KindOf(item), ["gold"] = item.Gold ?? item.Expected,
            ["extracted"] = KindOf(item) == "math" ? math.Extract(answers[item.Id][0]) : null, ["correct"] = correct[i],
            ["failure"] = failures[i], ["response"] = answers[item.Id][0],
        }).ToList();
        var metrics = new Dictionary<string, double?>
        {
            ["accuracy"] = Share(Enumerable.Range(0, items.Count), correct),
            ["correct"] = correct.Count(c => c),
            ["math_accuracy"] = Share(Enumerable.Range(0, items.Count).Where(i => KindOf(items[i]) == "math"), correct),
            ["code_pass@1"] = Share(Enumerable.Range(0, items.Count).Where(i => KindOf(items[i]) == "code"), correct),
            ["exact_match"] = Share(Enumerable.Range(0, items.Count).Where(i => KindOf(items[i]) == "exact"), correct),
        };
        foreach (var skill in items.Select(i => i.Skill).OfType<string>().Distinct().Order(StringComparer.Ordinal))
            metrics["skill:" + skill] = Share(Enumerable.Range(0, items.Count).Where(i => items[i].Skill == skill), correct);
        return new BenchmarkResult(benchmark.Name, BenchmarkKind.Verifiable, items.Count, "accuracy", metrics, rows);
    }

    /// <summary>The row's kind as its item row reports it: "code" (tests), "exact" (expected reply) or "math" (answer).</summary>
    static string KindOf(BenchmarkItem item) => item.Code is not null ? "code" : item.Expected is not null ? "exact" : "math";

    /// <summary>Percent of the given rows that are correct; null when there are none.</summary>
    static double? Share(IEnumerable<int> rows, bool[] correct)
    {
        int n = 0, k = 0;
        foreach (var i in rows) { n++; if (correct[i]) k++; }
        return n == 0 ? null : 100.0 * k / n;
    }
}
