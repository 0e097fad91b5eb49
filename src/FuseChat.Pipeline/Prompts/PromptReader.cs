using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Pipeline.Pairing;

namespace FuseChat.Pipeline.Prompts;

/// <summary>
/// Streams one prompt set file (JSONL, or a JSON array read element by element) into <see cref="PromptRecord"/>s.
/// A row that cannot be used (bad JSON, unknown shape, math without gold, code without tests) goes to onBad with
/// file and line; nothing is dropped silently. Dedup happens in the store, keyed by the prompt id.
/// </summary>
public static class PromptReader
{
    public static IEnumerable<PromptRecord> Read(string path, string format, string shape, string setName, string category,
        RuleSet ruleSet, string? system, Action<BadLine> onBad, string? idField = null)
    {
        foreach (var (line, node) in Rows(path, format, onBad))
        {
            if (node is not JsonObject row) { onBad(new BadLine(path, line, "expected a JSON object")); continue; }
            var (mapped, problem) = PromptShapes.Map(row, shape);
            if (mapped is null) { onBad(new BadLine(path, line, problem!)); continue; }
            if (ruleSet == RuleSet.Math && string.IsNullOrWhiteSpace(mapped.Gold))
            { onBad(new BadLine(path, line, "math prompt without a gold answer")); continue; }
            if (ruleSet == RuleSet.Code && mapped.Tests is null)
            { onBad(new BadLine(path, line, "code prompt without tests")); continue; }
            string? externalId = null;
            if (idField is not null && (externalId = PromptKeys.IdText(row[idField])) is null)
            { onBad(new BadLine(path, line, $"no id in field '{idField}' (a string or number is needed)")); continue; }
            var messages = mapped.Messages;
            if (system is not null && messages[0].Role != "system") messages = [new ChatMessage("system", system), .. messages];
            yield return new PromptRecord(PromptId.Of(messages), setName, category, line, messages, mapped.Gold, mapped.Tests, externalId, mapped.Reference);
        }
    }

    static IEnumerable<(int Line, JsonNode? Row)> Rows(string path, string format, Action<BadLine> onBad)
    {
        if (format == "auto") format = LooksLikeArray(path) ? "json" : "jsonl";
        if (format == "json") return JsonArrayStream.Read(path);
        return JsonLines.Read(path, onBad).Select(l => (l.LineNumber, (JsonNode?)l.Row));
    }

    /// <summary>A file whose first non-blank byte is '[' is a JSON array.</summary>
    internal static bool LooksLikeArray(string path)
    {
        using var s = File.OpenRead(path);
        int b;
        while ((b = s.ReadByte()) >= 0)
        {
            if (b is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) continue;
            return b == '[';
        }
        return false;
    }
}
