namespace FuseChat.Eval.Running;

/// <summary>What one eval run does beyond the benchmarks themselves.</summary>
public sealed record EvalOptions
{
    /// <summary>Name of the evaluated model in the store and the results (the endpoint's model name).</summary>
    public required string ModelName { get; init; }
    /// <summary>Judge model name (cache key and request field); required for judged benchmarks.</summary>
    public string? JudgeName { get; init; }
    /// <summary>Evaluate only this many items per benchmark, a fixed pseudo-random sample (by <see cref="Seed"/>); null = all.</summary>
    public int? Limit { get; init; }
    /// <summary>Seed of the item sample and of the Arena-Hard bootstrap.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Overrides each benchmark's generation length (tokens per turn).</summary>
    public int? MaxTokens { get; init; }
    /// <summary>Answers per item for math, code and custom benchmarks; above 1 each is scored and the metrics are their mean (avg@k).</summary>
    public int Samples { get; init; } = 1;
    /// <summary>Sampling temperature of math, code and custom answers; 0 = greedy (the default, as FuseChat-3.0 evaluates).</summary>
    public double Temperature { get; init; }
    /// <summary>Nucleus mass of sampled answers (1 = off).</summary>
    public double TopP { get; init; } = 1;
    /// <summary>MT-Bench answers at FastChat's per-category temperatures (true, as the official harness) or all greedy.</summary>
    public bool MtBenchFastChatTemperatures { get; init; } = true;
    /// <summary>Whether answers are sampled rather than greedy.</summary>
    public bool Sampled => Temperature > 0;
    /// <summary>Items generated, graded or judged at once.</summary>
    public int Concurrency { get; init; } = 8;
    /// <summary>Bootstrap rounds for Arena-Hard's confidence interval (Arena-Hard uses 100).</summary>
    public int BootstrapRounds { get; init; } = 100;
    /// <summary>AlpacaEval's per-instruction difficulties; with them the LC win rate is AlpacaEval's three-term GLM, without them a two-term one reported under its own name.</summary>
    public FuseChat.Eval.Scoring.InstructionDifficulty? AlpacaDifficulty { get; init; }
    /// <summary>User judge prompts (e.g. the official ones) for AlpacaEval 2, Arena-Hard and AlignBench; null keeps the built-in prompts.</summary>
    public FuseChat.Eval.Judging.JudgeTemplates? JudgeTemplates { get; init; }
}

/// <summary>Progress of one phase ("generate", "grade", "judge") of one benchmark.</summary>
public readonly record struct EvalProgress(string Benchmark, string Phase, int Done, int Total);
