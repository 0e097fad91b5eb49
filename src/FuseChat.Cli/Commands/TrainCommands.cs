using System.CommandLine;
using FuseChat.Core;
using FuseChat.Engine.Training;
using FuseChat.Training;
using FuseChat.Training.Dpo;
using FuseChat.Training.Lora;
using FuseChat.Training.Losses;
using FuseChat.Training.Loop;
using FuseChat.Training.Options;
using FuseChat.Training.Sft;
using Spectre.Console;

namespace FuseChat.Cli.Commands;

/// <summary>`fusechat train sft|dpo` and `fusechat merge-lora`: parsing and printing only; the work is in FuseChat.Training.</summary>
static class TrainCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return new Command("train", "Train the target: supervised fine-tuning, then DPO on preference pairs.") { Sft(), Dpo() };
        yield return MergeLora();
    }

    /// <summary>The options both trainers take, and how to read them into the shared option record.</summary>
    sealed class Common
    {
        public readonly Option<string> Model = new("--model") { Description = "Starting model: a Hugging Face folder (config.json + safetensors; tokenizer files unless the data is pre-tokenized).", Required = true };
        public readonly Option<string> Data = new("--data") { Description = "Training data, JSONL (see docs/training.md for the row formats).", Required = true };
        public readonly Option<string> Out = new("--out") { Description = "Output folder: checkpoint-N folders, metrics.jsonl, and the final model.", Required = true };
        public readonly Option<double?> Lr = new("--lr") { Description = "Peak learning rate (default: FuseChat-3.0's value for the model family, from config.json's model_type)." };
        public readonly Option<int> BatchSize = new("--batch-size") { Description = "Global batch per optimizer step (sequences for SFT, pairs for DPO) = micro-batch × accumulation steps.", DefaultValueFactory = _ => 128 };
        public readonly Option<int> MicroBatch = new("--micro-batch-size") { Description = "Sequences (SFT) or pairs (DPO) per forward/backward pass; --batch-size must be a multiple of it.", DefaultValueFactory = _ => 1 };
        public readonly Option<int> MaxLength = new("--max-length") { Description = "Longest sequence in tokens; longer ones keep their start (the end is cut).", DefaultValueFactory = _ => 2048 };
        public readonly Option<string> Optimizer = new("--optimizer") { Description = "adamw (decoupled weight decay, bias correction) or sgd (plain).", DefaultValueFactory = _ => "adamw" };
        public readonly Option<string> Scheduler = new("--scheduler") { Description = "Learning-rate decay after warmup: cosine, linear or constant.", DefaultValueFactory = _ => "cosine" };
        public readonly Option<double> WarmupRatio = new("--warmup-ratio") { Description = "Fraction of the optimizer steps spent in linear warmup (ignored when --warmup-steps is given).", DefaultValueFactory = _ => 0.1 };
        public readonly Option<int?> WarmupSteps = new("--warmup-steps") { Description = "Warmup steps (overrides --warmup-ratio)." };
        public readonly Option<double> WeightDecay = new("--weight-decay") { Description = "Decoupled weight decay (not applied to biases and norm weights).", DefaultValueFactory = _ => 0.0 };
        public readonly Option<double> MaxGradNorm = new("--max-grad-norm") { Description = "Clip the global gradient norm to this (0 = no clipping; the norm is logged either way).", DefaultValueFactory = _ => 1.0 };
        public readonly Option<int> Seed = new("--seed") { Description = "Seed of the data order and LoRA initialisation/dropout.", DefaultValueFactory = _ => 42 };
        public readonly Option<bool> NoShuffle = new("--no-shuffle") { Description = "Visit the rows in file order every epoch." };
        public readonly Option<int> MaxSteps = new("--max-steps") { Description = "Stop after this many optimizer steps (overrides --epochs when positive).", DefaultValueFactory = _ => -1 };
        public readonly Option<int> SaveSteps = new("--save-steps") { Description = "Save a resumable checkpoint-N folder every N optimizer steps (0 = final model only).", DefaultValueFactory = _ => 500 };
        public readonly Option<int> SaveTotalLimit = new("--save-total-limit") { Description = "Keep only the newest K checkpoint folders (0 = keep all).", DefaultValueFactory = _ => 0 };
        public readonly Option<string> SaveDType = new("--save-dtype") { Description = "Element type of saved weights: auto (the input checkpoint's), f32 or bf16.", DefaultValueFactory = _ => "auto" };
        public readonly Option<string?> Resume = new("--resume") { Description = "Continue a run: 'latest' (newest checkpoint in --out) or a checkpoint folder." };
        public readonly Option<int> LoraR = new("--lora-r") { Description = "LoRA rank (0 = full fine-tuning).", DefaultValueFactory = _ => 0 };
        public readonly Option<double> LoraAlpha = new("--lora-alpha") { Description = "LoRA alpha: adapters are scaled by alpha/r (alpha/sqrt(r) with --use-rslora).", DefaultValueFactory = _ => 16.0 };
        public readonly Option<double> LoraDropout = new("--lora-dropout") { Description = "Dropout on the LoRA adapters' input while training.", DefaultValueFactory = _ => 0.0 };
        public readonly Option<string> LoraTargets = new("--lora-target-modules") { Description = "Comma-separated modules that get adapters: q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj.", DefaultValueFactory = _ => "q_proj,v_proj" };
        public readonly Option<bool> RsLora = new("--use-rslora") { Description = "Rank-stabilised LoRA scaling alpha/sqrt(r)." };
        public readonly Option<string> Gemm = new("--gemm") { Description = "Matrix-multiply backend: auto, managed or openblas.", DefaultValueFactory = _ => "auto" };
        public readonly Option<int> Threads = new("--threads") { Description = "Worker threads (0 = all cores).", DefaultValueFactory = _ => 0 };

        public Common()
        {
            Optimizer.AcceptOnlyFromAmong("adamw", "sgd");
            Scheduler.AcceptOnlyFromAmong("cosine", "linear", "constant");
            SaveDType.AcceptOnlyFromAmong("auto", "f32", "bf16");
            Gemm.AcceptOnlyFromAmong("auto", "managed", "openblas");
        }

        public void AddTo(Command c)
        {
            foreach (Option o in new Option[] { Model, Data, Out, Lr, BatchSize, MicroBatch, MaxLength, Optimizer, Scheduler, WarmupRatio, WarmupSteps,
                         WeightDecay, MaxGradNorm, Seed, NoShuffle, MaxSteps, SaveSteps, SaveTotalLimit, SaveDType, Resume,
                         LoraR, LoraAlpha, LoraDropout, LoraTargets, RsLora, Gemm, Threads })
                c.Options.Add(o);
        }

        public T Fill<T>(ParseResult p, T o) where T : TrainingOptions => o with
        {
            LearningRate = p.GetValue(Lr), BatchSize = p.GetValue(BatchSize), MicroBatchSize = p.GetValue(MicroBatch),
            MaxLength = p.GetValue(MaxLength), Optimizer = p.GetValue(Optimizer) == "sgd" ? OptimizerKind.Sgd : OptimizerKind.AdamW,
            Scheduler = Enum.Parse<ScheduleKind>(p.GetValue(Scheduler)!, ignoreCase: true), WarmupRatio = p.GetValue(WarmupRatio),
            WarmupSteps = p.GetValue(WarmupSteps), WeightDecay = p.GetValue(WeightDecay), MaxGradNorm = p.GetValue(MaxGradNorm),
            Seed = p.GetValue(Seed), Shuffle = !p.GetValue(NoShuffle), MaxSteps = p.GetValue(MaxSteps), SaveSteps = p.GetValue(SaveSteps),
            SaveTotalLimit = p.GetValue(SaveTotalLimit), SaveDType = ParseDType(p.GetValue(SaveDType)!), Resume = p.GetValue(Resume),
            Lora = p.GetValue(LoraR) > 0 ? new LoraOptions
            {
                Rank = p.GetValue(LoraR), Alpha = p.GetValue(LoraAlpha), Dropout = p.GetValue(LoraDropout), UseRsLora = p.GetValue(RsLora),
                TargetModules = p.GetValue(LoraTargets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            } : null,
            Gemm = p.GetValue(Gemm)!, Threads = p.GetValue(Threads),
        };
    }

    static SaveDType ParseDType(string s) => s switch { "f32" => Training.Options.SaveDType.F32, "bf16" => Training.Options.SaveDType.Bf16, _ => Training.Options.SaveDType.Auto };

    static Command Sft()
    {
        var c = new Common();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data (FuseChat-3.0 SFT: 3).", DefaultValueFactory = _ => 3 };
        var packing = new Option<bool>("--packing") { Description = "Pack whole examples into rows of up to --max-length tokens (first-fit decreasing); each trains as if alone (positions restart, no attention across examples); --batch-size then counts rows." };
        var cmd = new Command("sft", "Supervised fine-tuning on messages, prompt/completion or pre-tokenized rows (loss on assistant/completion tokens).") { epochs, packing };
        c.AddTo(cmd);
        cmd.SetAction((p, ct) => Task.FromResult(RunWithProgress(progress => SftTrainer.Run(c.Fill(p, new SftOptions
        {
            ModelDir = p.GetValue(c.Model)!, DataPath = p.GetValue(c.Data)!, OutDir = p.GetValue(c.Out)!,
            Epochs = p.GetValue(epochs), Packing = p.GetValue(packing),
        }), progress, ct))));
        return cmd;
    }

    static Command Dpo()
    {
        var c = new Common();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the pairs (FuseChat-3.0 DPO: 1).", DefaultValueFactory = _ => 1 };
        var loss = new Option<string?>("--loss") { Description = "sigmoid (DPO), sigmoid_norm (length-normalised DPO) or ipo (default: sigmoid_norm for Llama/Mistral, sigmoid for Qwen2/Gemma-2)." };
        loss.AcceptOnlyFromAmong("sigmoid", "sigmoid_norm", "ipo");
        var beta = new Option<double?>("--beta") { Description = "DPO β (default: 10 for Llama/Mistral, 0.01 for Qwen2/Gemma-2)." };
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing ε of the sigmoid loss (conservative DPO), in [0, 0.5).", DefaultValueFactory = _ => 0.0 };
        var rpo = new Option<double>("--rpo-alpha") { Description = "Add α × the chosen replies' mean token NLL to the DPO loss (RPO, TRL's rpo_alpha): keeps the chosen replies likely; 0 = off.", DefaultValueFactory = _ => 0.0 };
        var dpop = new Option<double>("--dpop-lambda") { Description = "DPO-Positive's λ (Smaug, Pal et al. 2024) for the sigmoid losses: the margin loses λ × how far the chosen reply's log-prob fell below the reference's, so DPO cannot widen the margin by making the chosen reply less likely (pairs a few tokens apart, such as math answers); the paper uses 50; 0 = plain DPO.", DefaultValueFactory = _ => 0.0 };
        var refCache = new Option<string?>("--ref-cache") { Description = "Folder of cached reference log-probs, shared by runs (default: ~/.cache/fusechat/ref-logps)." };
        var cmd = new Command("dpo", "Direct preference optimisation on {prompt, chosen, rejected} pairs against the frozen starting model.") { epochs, loss, beta, smoothing, rpo, dpop, refCache };
        c.AddTo(cmd);
        cmd.SetAction((p, ct) => Task.FromResult(RunWithProgress(progress => DpoTrainer.Run(c.Fill(p, new DpoOptions
        {
            ModelDir = p.GetValue(c.Model)!, DataPath = p.GetValue(c.Data)!, OutDir = p.GetValue(c.Out)!, Epochs = p.GetValue(epochs),
            Loss = p.GetValue(loss) is string l ? DpoLoss.Parse(l) : null, Beta = p.GetValue(beta), LabelSmoothing = p.GetValue(smoothing),
            RpoAlpha = p.GetValue(rpo), DpopLambda = p.GetValue(dpop), ReferenceCacheDir = p.GetValue(refCache),
        }), progress, ct))));
        return cmd;
    }

    static Command MergeLora()
    {
        var model = new Option<string>("--model") { Description = "Base model folder the adapter was trained on.", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors).", Required = true };
        var outOpt = new Option<string>("--out") { Description = "Output folder for the merged model (HF layout, tokenizer files copied from --model).", Required = true };
        var dtype = new Option<string>("--save-dtype") { Description = "Element type of the merged weights: auto (the base's), f32 or bf16.", DefaultValueFactory = _ => "auto" };
        dtype.AcceptOnlyFromAmong("auto", "f32", "bf16");
        var cmd = new Command("merge-lora", "Merge a LoRA adapter into its base model (PEFT merge_and_unload) and write a plain model folder.") { model, adapter, outOpt, dtype };
        cmd.SetAction(p =>
        {
            LoraMerge.Run(p.GetValue(model)!, p.GetValue(adapter)!, p.GetValue(outOpt)!, ParseDType(p.GetValue(dtype)!));
            Console.WriteLine($"merged model written to {p.GetValue(outOpt)}");
            return 0;
        });
        return cmd;
    }

    /// <summary>Runs a trainer under a Spectre progress bar on a terminal, or plain per-step lines when redirected.</summary>
    static int RunWithProgress(Func<ITrainingProgress, TrainingResult> run)
    {
        TrainingResult result;
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            result = run(new LineProgress());
        else
        {
            TrainingResult? r = null;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx => r = run(new BarProgress(ctx)));
            result = r!;
        }
        Console.WriteLine($"done: {result.Steps} steps; model in {result.ModelDir}" + (result.AdapterDir is null ? "" : $", adapter in {result.AdapterDir}") + $"; metrics in {result.MetricsPath}");
        return 0;
    }

    static string Describe(int step, int total, IReadOnlyDictionary<string, double> m) =>
        $"step {step}/{total} loss {m["loss"]:F4} lr {m["lr"]:0.00e+0} grad_norm {m["grad_norm"]:F3} {m["tokens_per_second"]:F0} tok/s";

    /// <summary>One line per step with the ETA from the mean step time so far (CI logs, pipes).</summary>
    sealed class LineProgress : ITrainingProgress
    {
        int _total, _start;
        readonly System.Diagnostics.Stopwatch _clock = new();
        public void Start(int totalSteps, int startStep) { _total = totalSteps; _start = startStep; _clock.Start(); }
        public void Note(string message) => Console.WriteLine(message);
        public void Step(int step, IReadOnlyDictionary<string, double> metrics)
        {
            double perStep = _clock.Elapsed.TotalSeconds / Math.Max(1, step - _start);
            var eta = TimeSpan.FromSeconds(Math.Round(perStep * (_total - step)));
            Console.WriteLine($"{Describe(step, _total, metrics)} eta {eta:c}");
        }
    }

    /// <summary>A Spectre bar whose description carries step, loss, lr and tokens/s; the column shows the ETA.</summary>
    sealed class BarProgress(ProgressContext ctx) : ITrainingProgress
    {
        ProgressTask? _task;
        int _total;
        public void Start(int totalSteps, int startStep)
        {
            _total = totalSteps;
            _task = ctx.AddTask("training", maxValue: Math.Max(1, totalSteps));
            _task.Value = startStep;
        }
        public void Note(string message) => AnsiConsole.MarkupLine(Markup.Escape(message));
        public void Step(int step, IReadOnlyDictionary<string, double> metrics)
        {
            if (_task is null) return;
            _task.Value = step;
            _task.Description = Markup.Escape(Describe(step, _total, metrics));
        }
    }
}
