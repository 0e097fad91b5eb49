using System.Diagnostics;
using System.Text.Json.Nodes;
using FuseChat.Demo.Planning;
using FuseChat.Demo.Skills;
using FuseChat.Demo.Tokenizer;
using FuseChat.Engine.Checkpoints;
using FuseChat.Engine.Inference;
using FuseChat.Engine.Model;
using FuseChat.Text.Chat;
using FuseChat.Text.Tokenization;
using FuseChat.Training;
using FuseChat.Training.Options;
using FuseChat.Training.Sft;
using FuseChat.Verifiers.Math;

// Calibrates docs/demo.md: how fast the engine trains and generates at the demo's shapes on this machine, and whether a
// source trained as planned learns its skills (greedy exact grading on held-out prompts, in-process).
string mode = args.FirstOrDefault() ?? "speed";
bool quick = args.Contains("quick");
int steps = args.SkipWhile(a => a != "--steps").Skip(1).Select(int.Parse).FirstOrDefault();
string? only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
// Training examples per skill for the target (the sources use their plan's mix): how much fused data the target needs.
int perSkill = args.SkipWhile(a => a != "--per-skill").Skip(1).Select(int.Parse).DefaultIfEmpty(500).First();
var plan = quick ? DemoPlan.Quick : DemoPlan.Full;
string work = Path.Combine(Path.GetTempPath(), "demobench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
var splits = SkillSplits.Create(SkillCatalog.All, plan.Splits, seed: 1);
string tokDir = Path.Combine(work, "tokenizer");
int vocab = DemoTokenizer.Write(tokDir, splits.SourceTrain.Values.SelectMany(x => x).SelectMany(e => new[] { e.Prompt, e.Reference }), plan.TokenizerMerges);
var tok = HfTokenizer.Load(tokDir);
var template = ChatTemplate.FromTokenizer(tok);
var lens = splits.SourceTrain.Values.SelectMany(x => x.Take(200)).Select(e => tok.Encode(template.Render(
    (JsonArray)SkillFiles.SftRow(e)["messages"]!.DeepClone())).Length).ToList();
Console.WriteLine($"tokenizer: vocab {vocab}; conversation tokens mean {lens.Average():0.0}, max {lens.Max()}");

var shapes = plan.Sources.Select(s => (Name: s.Name, Shape: s.Shape, Training: s.Training)).Append((Name: "target", Shape: plan.Target.Shape, Training: plan.Target.Sft))
    .Where(s => only is null || s.Name == only).ToList();
foreach (var (name, shape0, budget) in shapes)
{
    var shape = shape0 with { VocabSize = vocab };
    string modelDir = Path.Combine(work, name, "init");
    var config = ModelInitializer.CreateFolder(shape, seed: 1, modelDir, tokDir);
    long parameters = new ParameterLayout(config).ParameterCount;
    var source = plan.Sources.FirstOrDefault(s => s.Name == name);
    var examples = source is null
        ? SkillCatalog.All.SelectMany(k => splits.SourceTrain[k.Name].Take(perSkill)).ToList()
        : SkillCatalog.All.SelectMany(k => splits.SourceTrain[k.Name].Take(source.ExamplesPerSkill[k.Name])).ToList();
    string data = Path.Combine(work, name, "sft.jsonl");
    SkillFiles.Write(data, SkillFiles.Shuffled(examples, 1).Select(SkillFiles.SftRow));
    int trainSteps = mode == "speed" ? 10 : steps > 0 ? steps : budget.Steps;
    var o = new SftOptions
    {
        ModelDir = modelDir, DataPath = data, OutDir = Path.Combine(work, name, "sft"), Epochs = 1000, MaxSteps = trainSteps,
        BatchSize = budget.BatchSize, MicroBatchSize = budget.MicroBatchSize, MaxLength = plan.MaxLength, LearningRate = budget.LearningRate,
        WarmupRatio = 0.05, Seed = 1,
    };
    var clock = Stopwatch.StartNew();
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var progress = new StepCounter();
    var result = SftTrainer.Run(o, progress);
    double secs = clock.Elapsed.TotalSeconds, cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
    Console.WriteLine($"{name} ({shape.Arch}, {parameters / 1e6:0.00}M params): {trainSteps} SFT steps x {budget.BatchSize} in {secs:0.0} s wall, {cpu:0.0} s CPU " +
        $"({secs / trainSteps:0.00} s/step, {progress.Tokens / secs:0} tokens/s); final loss {result.LastMetrics["loss"]:0.000}");

    using var model = Transformer.Load(result.ModelDir);
    var gen = new Generator(model);
    var heldout = SkillCatalog.All.SelectMany(k => splits.HeldOut[k.Name].Take(mode == "speed" ? 4 : 40)).ToList();
    var prompts = heldout.Select(e => tok.Encode(template.Render(new JsonArray(new JsonObject { ["role"] = "user", ["content"] = e.Prompt }), addGenerationPrompt: true))).ToList();
    clock.Restart();
    var outputs = new List<GeneratedSequence>();
    for (int i = 0; i < prompts.Count; i += 16)
        outputs.AddRange(gen.Generate(prompts.Skip(i).Take(16).ToList(), new SamplingOptions { DoSample = false, MaxNewTokens = plan.Sampling.MaxTokens, EosIds = [DemoTokenizer.ImEndId] })
            .Select(g => g with { PromptIndex = g.PromptIndex + i }));
    double genSecs = clock.Elapsed.TotalSeconds;
    int newTokens = outputs.Sum(g => g.Tokens.Length);
    Console.WriteLine($"  greedy generation, batches of 16: {newTokens} tokens in {genSecs:0.0} s ({newTokens / genSecs:0} tokens/s)");
    if (mode != "learn") continue;
    var math = new MathVerifier(MathMode.Strict);
    foreach (var skill in SkillCatalog.All)
    {
        int n = 0, ok = 0;
        foreach (var g in outputs.Where(g => heldout[g.PromptIndex].Skill == skill.Name))
        {
            var e = heldout[g.PromptIndex];
            var text = tok.Decode(g.Tokens, skipSpecialTokens: true);
            // Code is compared with the reference text here (the sandbox grades it in the demo itself).
            bool correct = e.Kind == SkillKind.Math ? math.Verify(text, e.Gold!).Correct : text.Trim() == e.Reference;
            n++; if (correct) ok++;
            if (n == 1) Console.WriteLine($"    e.g. {e.Prompt} -> {text.Replace("\n", "\\n")}");
        }
        Console.WriteLine($"  {skill.Name}: {ok}/{n} ({source?.ExamplesPerSkill[skill.Name] ?? perSkill} training examples)");
    }
}
Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
Directory.Delete(work, true);

sealed class StepCounter : ITrainingProgress
{
    public double Tokens;
    public void Start(int totalSteps, int startStep) { }
    public void Note(string message) => Console.WriteLine("  " + message);
    public void Step(int step, IReadOnlyDictionary<string, double> metrics)
    {
        Tokens += metrics["tokens"];
        if (step % 50 == 0) Console.WriteLine($"  step {step}: loss {metrics["loss"]:0.000}");
    }
}
