using FuseChat.Eval.Client;

namespace FuseChat.Eval.Benchmarks;

/// <summary>
/// One question of a benchmark: what the model is asked (an optional system prompt and one user message per turn)
/// and what it is scored against (a math gold, a code task, an exact reply, or the material a judge needs).
/// </summary>
public sealed record BenchmarkItem(string Id, string? System, IReadOnlyList<string> Turns)
{
    /// <summary>Math: the gold final answer.</summary>
    public string? Gold { get; init; }
    /// <summary>Code: the problem and its tests.</summary>
    public CodeTask? Code { get; init; }
    /// <summary>Custom benchmarks: the whole reply expected, graded by normalised exact match (<see cref="Grading.ExactMatch"/>).</summary>
    public string? Expected { get; init; }
    /// <summary>Judged pairwise: the baseline model's answer (AlpacaEval's GPT-4-turbo, Arena-Hard's gpt-4-0314).</summary>
    public string? BaselineAnswer { get; init; }
    /// <summary>Judged with a reference: one reference answer per turn (MT-Bench's GPT-4 answers, AlignBench's reference).</summary>
    public IReadOnlyList<string>? References { get; init; }
    /// <summary>The benchmark's category of this item (MT-Bench "math", AlignBench "数学计算", Arena-Hard cluster).</summary>
    public string? Category { get; init; }
    /// <summary>AlignBench's subcategory, which picks the judge's dimensions.</summary>
    public string? Subcategory { get; init; }
    /// <summary>Custom benchmarks: the row's skill tag, reported as a sub-score.</summary>
    public string? Skill { get; init; }
    /// <summary>Custom benchmarks: the row's whole conversation (it ends with the user turn the model answers), sent as written.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }
    /// <summary>A hash of the prompt, added to the cache key where a benchmark's file may change under the same ids (custom files).</summary>
    public string? Fingerprint { get; init; }
    /// <summary>Temperature its answers are generated at; 0 = greedy.</summary>
    public double Temperature { get; init; }
    /// <summary>Sampled answers: which sample of the item this is (with <c>--samples k</c> its <see cref="Id"/> is "id#n").</summary>
    public int? Sample { get; init; }
    /// <summary>Sampled answers: the sampling settings, part of the cache key so greedy and sampled answers never mix.</summary>
    public string? SamplingKey { get; init; }
    /// <summary>The benchmark's own id when <see cref="Id"/> carries a sample suffix.</summary>
    public string? OriginalId { get; init; }
    /// <summary>The benchmark's own id (without a sample suffix).</summary>
    public string BaseId => OriginalId ?? Id;
    /// <summary>The key of this item's answers in the eval store.</summary>
    public string CacheId => (Fingerprint is null ? BaseId : BaseId + "@" + Fingerprint) + (SamplingKey is null ? "" : "~" + SamplingKey + "#" + (Sample ?? 0));

    /// <summary>The messages for turn <paramref name="turn"/> (0-based), given the model's answers to earlier turns.</summary>
    public IReadOnlyList<ChatMessage> MessagesForTurn(int turn, IReadOnlyList<string> earlierAnswers)
    {
        if (Messages is not null && turn == 0) return Messages;
        var messages = new List<ChatMessage>();
        if (System is { Length: > 0 }) messages.Add(ChatMessage.System(System));
        for (int t = 0; t < turn; t++)
        {
            messages.Add(ChatMessage.User(Turns[t]));
            messages.Add(ChatMessage.Assistant(earlierAnswers[t]));
        }
        messages.Add(ChatMessage.User(Turns[turn]));
        return messages;
    }
}
