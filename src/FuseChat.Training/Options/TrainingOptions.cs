using FuseChat.Engine.Training;

namespace FuseChat.Training.Options;

/// <summary>Learning-rate schedule after warmup (Hugging Face <c>get_*_schedule_with_warmup</c> semantics).</summary>
public enum ScheduleKind { Cosine, Linear, Constant }

/// <summary>Parameter update rule.</summary>
public enum OptimizerKind { AdamW, Sgd }

/// <summary>Element type of saved weight matrices: the input checkpoint's, or forced.</summary>
public enum SaveDType { Auto, F32, Bf16 }

/// <summary>Settings shared by the SFT and DPO trainers. Null values are resolved from the model family (see <see cref="FamilyDefaults"/>).</summary>
public abstract record TrainingOptions
{
    /// <summary>Starting model: a Hugging Face folder (config.json + safetensors; tokenizer files unless the data is pre-tokenized).</summary>
    public required string ModelDir { get; init; }
    /// <summary>Training data, JSONL.</summary>
    public required string DataPath { get; init; }
    /// <summary>Output folder: checkpoints, metrics.jsonl and the final model.</summary>
    public required string OutDir { get; init; }
    public int Epochs { get; init; } = 1;
    /// <summary>Peak learning rate; null picks the FuseChat-3.0 value for the model family.</summary>
    public double? LearningRate { get; init; }
    /// <summary>Sequences (SFT) or pairs (DPO) per optimizer step: micro-batch × accumulation steps.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Sequences or pairs per forward/backward pass; BatchSize must be a multiple of it.</summary>
    public int MicroBatchSize { get; init; } = 1;
    public int MaxLength { get; init; } = 2048;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
    public ScheduleKind Scheduler { get; init; } = ScheduleKind.Cosine;
    /// <summary>Fraction of the total optimizer steps spent warming up (ignored when WarmupSteps is set).</summary>
    public double WarmupRatio { get; init; } = 0.1;
    public int? WarmupSteps { get; init; }
    public double WeightDecay { get; init; }
    public double AdamBeta1 { get; init; } = 0.9;
    public double AdamBeta2 { get; init; } = 0.999;
    public double AdamEpsilon { get; init; } = 1e-8;
    /// <summary>Global gradient-norm clip; 0 or less disables clipping (the norm is still logged).</summary>
    public double MaxGradNorm { get; init; } = 1.0;
    public int Seed { get; init; } = 42;
    public bool Shuffle { get; init; } = true;
    /// <summary>Stop after this many optimizer steps (overrides epochs when positive).</summary>
    public int MaxSteps { get; init; } = -1;
    /// <summary>Save a checkpoint every N optimizer steps (0 = only the final model).</summary>
    public int SaveSteps { get; init; } = 500;
    /// <summary>Keep at most K checkpoint-* folders (0 = keep all).</summary>
    public int SaveTotalLimit { get; init; }
    public SaveDType SaveDType { get; init; } = SaveDType.Auto;
    /// <summary>"latest" (newest checkpoint in OutDir), a checkpoint folder, or null to start fresh.</summary>
    public string? Resume { get; init; }
    /// <summary>LoRA adapters (the engine's PEFT-named settings), or null for full fine-tuning.</summary>
    public LoraOptions? Lora { get; init; }
    /// <summary>Matrix-multiply backend name for the engine's kernels (auto, managed, openblas).</summary>
    public string Gemm { get; init; } = "auto";
    /// <summary>Worker threads (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>Supervised fine-tuning settings.</summary>
public sealed record SftOptions : TrainingOptions
{
    /// <summary>FuseChat-3.0's SFT stage runs 3 epochs (DPO: 1).</summary>
    public SftOptions() { Epochs = 3; }

    /// <summary>Pack several examples into each row of MaxLength tokens (whole examples, first-fit decreasing).</summary>
    public bool Packing { get; init; }
}

/// <summary>DPO loss variants.</summary>
public enum DpoLossKind { Sigmoid, SigmoidNorm, Ipo }

/// <summary>Direct preference optimisation settings.</summary>
public sealed record DpoOptions : TrainingOptions
{
    /// <summary>Loss; null picks the FuseChat-3.0 choice for the model family (sigmoid_norm for Llama, sigmoid otherwise).</summary>
    public DpoLossKind? Loss { get; init; }
    /// <summary>β; null picks the FuseChat-3.0 value for the model family.</summary>
    public double? Beta { get; init; }
    public double LabelSmoothing { get; init; }
    /// <summary>Weight α of the chosen completions' negative log-likelihood added to the DPO loss (RPO; TRL's rpo_alpha); 0 = off.</summary>
    public double RpoAlpha { get; init; }
    /// <summary>DPO-Positive's λ (Pal et al. 2024): penalises a chosen reply that falls below its reference likelihood; 0 = plain DPO.</summary>
    public double DpopLambda { get; init; }
    /// <summary>Folder for cached reference log-probs, shared between runs (default: ~/.cache/fusechat/ref-logps).</summary>
    public string? ReferenceCacheDir { get; init; }
}
