using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FuseChat.Demo.Skills;
using FuseChat.Engine.Checkpoints;

namespace FuseChat.Demo.Planning;

/// <summary>How one model is trained with the project's SFT trainer: optimizer steps, sequences per step, peak learning rate.</summary>
public sealed record TrainingBudget(int Steps, int BatchSize, double LearningRate, int MicroBatchSize = 8);

/// <summary>
/// A source model: its shape (architecture and size) and its skill mix, as the number of training examples drawn from each
/// skill's training split. A skill with few examples is one the source stays weak at; one with none it never saw.
/// </summary>
public sealed record SourcePlan(string Name, ModelShape Shape, IReadOnlyDictionary<string, int> ExamplesPerSkill, TrainingBudget Training);

/// <summary>The target: its (smaller) shape, how it is trained on the fused SFT data, then with DPO on the same-source pairs.</summary>
public sealed record TargetPlan(ModelShape Shape, TrainingBudget Sft, TrainingBudget Dpo, double DpoBeta, string DpoLoss);

/// <summary>How the sources are sampled on the fusion prompts (per source, per prompt).</summary>
public sealed record SamplingPlan(int MathSamples, int CodeSamples, int JudgedSamples, double Temperature, double TopP, int MaxTokens);

/// <summary>Shares of the fusion prompts the pipeline's split sends to SFT and to DPO.</summary>
public sealed record FusionSplit(double Sft, double Dpo);

/// <summary>
/// Everything that decides what the demo builds: split sizes, tokenizer merges, source and target shapes and budgets, and
/// sampling. <see cref="Full"/> is sized for the 15-minute budget on a 2-core CPU, <see cref="Quick"/> for a 3-minute smoke run.
/// The numbers behind these choices are in docs/demo.md.
/// </summary>
public sealed record DemoPlan(string Name, SplitSizes Splits, int TokenizerMerges, IReadOnlyList<SourcePlan> Sources, TargetPlan Target,
    SamplingPlan Sampling, FusionSplit FusionSplit, int MaxLength, int ServeBatch)
{
    const int Context = 256;

    /// <summary>
    /// Llama-, Qwen2- and Gemma-2-shaped sources of different sizes; each strong on two verifiable skills and weak on the
    /// other two, and all of them lazy at the judged one (<see cref="NumberListSkill"/>).
    /// </summary>
    public static DemoPlan Full { get; } = new(
        "full",
        new SplitSizes(HeldOut: 100, Fusion: 800, SourceTrain: 3000),
        TokenizerMerges: 160,
        [
            new("src-llama", new ModelShape("llama", Hidden: 128, Layers: 4, Heads: 4, KvHeads: 2, Intermediate: 352, VocabSize: 0, MaxPositions: Context),
                Mix(add: 3000, word: 150, reverse: 150, code: 3000, list: 1500), new TrainingBudget(Steps: 600, BatchSize: 32, LearningRate: 3e-3)),
            new("src-qwen", new ModelShape("qwen2", Hidden: 112, Layers: 4, Heads: 4, KvHeads: 2, Intermediate: 304, VocabSize: 0, MaxPositions: Context),
                Mix(add: 150, word: 3000, reverse: 3000, code: 150, list: 1500), new TrainingBudget(Steps: 600, BatchSize: 32, LearningRate: 3e-3)),
            new("src-gemma", new ModelShape("gemma2", Hidden: 128, Layers: 3, Heads: 4, KvHeads: 2, Intermediate: 320, VocabSize: 0, MaxPositions: Context),
                Mix(add: 150, word: 3000, reverse: 150, code: 3000, list: 1500), new TrainingBudget(Steps: 600, BatchSize: 32, LearningRate: 3e-3)),
        ],
        new TargetPlan(new ModelShape("llama", Hidden: 96, Layers: 4, Heads: 4, KvHeads: 2, Intermediate: 256, VocabSize: 0, MaxPositions: Context),
            Sft: new TrainingBudget(Steps: 1000, BatchSize: 32, LearningRate: 3e-3), Dpo: new TrainingBudget(Steps: 40, BatchSize: 16, LearningRate: 2e-5),
            DpoBeta: 10, DpoLoss: "sigmoid_norm"),
        new SamplingPlan(MathSamples: 3, CodeSamples: 2, JudgedSamples: 3, Temperature: 0.8, TopP: 0.95, MaxTokens: 40),
        new FusionSplit(Sft: 6, Dpo: 4),
        MaxLength: 128,
        ServeBatch: 32);

    /// <summary>The same world at a fraction of the cost: fewer prompts, steps and samples (for smoke runs, not for conclusions).</summary>
    public static DemoPlan Quick { get; } = Scaled(Full, "quick", new SplitSizes(HeldOut: 12, Fusion: 60, SourceTrain: 600),
        sourceSteps: 80, targetSftSteps: 60, targetDpoSteps: 5);

    /// <summary>A world small enough for an end-to-end test (seconds of training; the numbers mean nothing).</summary>
    public static DemoPlan Smoke { get; } = Scaled(Full, "smoke", new SplitSizes(HeldOut: 3, Fusion: 6, SourceTrain: 40),
        sourceSteps: 4, targetSftSteps: 3, targetDpoSteps: 2) with { TokenizerMerges = 40 };

    /// <summary><paramref name="plan"/> with smaller splits (strong skills use the whole training split, weak ones a twentieth) and fewer steps.</summary>
    public static DemoPlan Scaled(DemoPlan plan, string name, SplitSizes splits, int sourceSteps, int targetSftSteps, int targetDpoSteps) => plan with
    {
        Name = name,
        Splits = splits,
        Sources = plan.Sources.Select(s => s with
        {
            ExamplesPerSkill = s.ExamplesPerSkill.ToDictionary(kv => kv.Key,
                kv => kv.Value == s.ExamplesPerSkill.Values.Max() ? splits.SourceTrain : Math.Max(1, splits.SourceTrain / 20)),
            Training = s.Training with { Steps = sourceSteps },
        }).ToList(),
        Target = plan.Target with
        {
            Sft = plan.Target.Sft with { Steps = targetSftSteps },
            Dpo = plan.Target.Dpo with { Steps = targetDpoSteps, BatchSize = Math.Min(plan.Target.Dpo.BatchSize, 8) },
        },
    };

    static IReadOnlyDictionary<string, int> Mix(int add, int word, int reverse, int code, int list) =>
        new Dictionary<string, int> { ["add"] = add, ["word"] = word, ["reverse"] = reverse, ["code"] = code, ["list"] = list };

    /// <summary>A short hash of what decides a source's weights (its plan, the seed, the tokenizer), naming its cache folder.</summary>
    public static string SourceKey(SourcePlan source, int seed, string tokenizerHash, SplitSizes splits)
    {
        var text = JsonSerializer.Serialize(new { source.Name, source.Shape, source.ExamplesPerSkill, source.Training, seed, tokenizerHash, splits, version = 1 });
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }
}
