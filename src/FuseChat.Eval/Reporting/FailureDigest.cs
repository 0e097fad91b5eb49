using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Eval.Running;

namespace FuseChat.Eval.Reporting;

/// <summary>
/// A few of a benchmark's wrong answers, one line each, so a user sees why a score is what it is without opening
/// items/&lt;benchmark&gt;.jsonl: the extracted and gold answer for math, the sandbox's first failure for code, the reply
/// and the expected text for a custom benchmark's exact-match rows.
/// Judged benchmarks have no per-item verdict and give no lines.
/// </summary>
public static class FailureDigest
{
    /// <summary>How many items failed and up to <paramref name="max"/> one-line reasons, in item order.</summary>
    public static (int Failed, IReadOnlyList<string> Lines) Of(BenchmarkResult result, int max)
    {
        var reasons = result.ItemRows.Select(Reason).Where(r => r is not null).Select(r => r!).ToList();
        return (reasons.Count, reasons.Take(Math.Max(0, max)).ToList());
    }

    /// <summary>Why one item counts as wrong, or null when it is right (or has no verdict).</summary>
    public static string? Reason(JsonObject row)
    {
        string id = Text(row["id"]) ?? "?";
        if (row["base_passed"] is JsonNode basePassed)
        {
            if (!basePassed.GetValue<bool>()) return $"{id}: {Text(row["base_failure"]) ?? "failed"}";
            if (row["plus_passed"] is JsonNode plus && !plus.GetValue<bool>()) return $"{id}: plus tests: {Text(row["plus_failure"]) ?? "failed"}";
            return null;
        }
        if (row["correct"] is not JsonNode correct || correct.GetValue<bool>()) return null;
        if (Text(row["failure"]) is { } failure) return $"{id}: {failure}";
        // An exact-match row has no extracted answer: the whole reply is what was compared (quoted, so a blank one shows).
        if (Text(row["kind"]) == "exact") return $"{id}: replied \"{Text(row["response"])}\", expected \"{Text(row["gold"])}\"";
        return $"{id}: answered {Text(row["extracted"]) ?? "nothing extractable"}, gold {Text(row["gold"]) ?? "?"}";
    }

    static string? Text(JsonNode? node)
    {
        if (node is null) return null;
        var s = node is JsonValue v && v.TryGetValue<string>(out var str) ? str : node.ToJsonString();
        s = JsonLines.OneLine(s);
        return s.Length > 160 ? s[..160] + "…" : s;
    }
}
