using FuseChat.Core;

namespace FuseChat.Eval.Benchmarks;

/// <summary>
/// MT-Bench: 80 two-turn questions. Math, reasoning and coding questions are graded against GPT-4's reference answers
/// (FastChat's NEED_REF_CATS), so those items carry <see cref="BenchmarkItem.References"/>.
/// </summary>
public sealed class MtBenchBenchmark : IBenchmark
{
    public string Name => "mt-bench";
    public BenchmarkKind Kind => BenchmarkKind.Judged;
    public int MaxTokens => 2048;
    /// <summary>Categories whose judge prompt includes a reference answer.</summary>
    public static readonly IReadOnlySet<string> NeedsReference = new HashSet<string> { "math", "reasoning", "coding" };

    /// <summary>FastChat's temperature_config for generating MT-Bench answers (llm_judge/common.py); other categories 0.7, as there.</summary>
    public static double FastChatTemperature(string? category) => category switch
    {
        "writing" or "roleplay" => 0.7,
        "extraction" or "math" or "coding" or "reasoning" => 0.0,
        "stem" or "humanities" => 0.1,
        _ => 0.7,
    };

    public IReadOnlyList<BenchmarkItem> Load(string dataDir)
    {
        var refPath = BenchmarkRow.File(dataDir, "mt-bench/reference_answer_gpt-4.jsonl");
        var references = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (line, row) in JsonLines.Read(refPath))
        {
            var id = BenchmarkRow.Text(row, "question_id", refPath, line);
            var turns = row["choices"]?[0]?["turns"] as System.Text.Json.Nodes.JsonArray
                ?? throw new UserError($"{refPath}:{line}: field 'choices[0].turns' is missing");
            references[id] = turns.Select(t => t?.GetValue<string>() ?? "").ToList();
        }

        var path = BenchmarkRow.File(dataDir, "mt-bench/question.jsonl");
        var items = new List<BenchmarkItem>();
        foreach (var (line, row) in JsonLines.Read(path))
        {
            var id = BenchmarkRow.Text(row, "question_id", path, line);
            var category = BenchmarkRow.Text(row, "category", path, line);
            var turns = BenchmarkRow.Array(row, "turns", path, line).Select(t => t?.GetValue<string>() ?? "").ToList();
            if (turns.Count != 2) throw new UserError($"{path}:{line}: field 'turns' should hold 2 questions, has {turns.Count}");
            IReadOnlyList<string>? refs = null;
            if (NeedsReference.Contains(category) && !references.TryGetValue(id, out refs))
                throw new UserError($"{refPath}: no reference answer for question_id {id} ({category}, {path}:{line})");
            items.Add(new BenchmarkItem(id, null, turns) { Category = category, References = refs });
        }
        return items;
    }
}
