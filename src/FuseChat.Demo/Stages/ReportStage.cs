using FuseChat.Demo.Planning;
using FuseChat.Demo.Reporting;
using FuseChat.Demo.Running;
using FuseChat.Eval.Reporting;

namespace FuseChat.Demo.Stages;

/// <summary>
/// The results table (per skill and overall, for each source, the base, SFT and DPO target) as report/demo.md, demo.json and a
/// self-contained demo.html, plus the eval harness's own side-by-side report (report/report.html) from the same result folders.
/// </summary>
public sealed class ReportStage : IDemoStage
{
    public string Name => "report";

    /// <summary>Why a smaller plan's table proves nothing: its sources are trained too briefly to be good at anything.</summary>
    public static string SmokeCaveat(DemoPlan p) =>
        $"plan '{p.Name}' is a smoke run of every stage, not the demonstration: its sources train for {p.Sources[0].Training.Steps} steps " +
        $"(the full plan: {DemoPlan.Full.Sources[0].Training.Steps}) and learn almost nothing, so the checks below are not expected to hold. " +
        "Run `fusechat demo` without --quick to see fusion work.";

    /// <summary>
    /// Said under the full plan's table when DPO does not beat SFT, so a new user learns how that can happen here and where
    /// the evidence is, rather than guessing at a broken install. The check itself is still computed.
    /// </summary>
    public const string DpoCaveat =
        "DPO did not beat SFT on this run. In this world DPO's gain is on the judged skill (list: a few more complete lists on every seed " +
        "in docs/demo.md), while on the verifiable skills it stays within a prompt or two of SFT, either way; so a seed whose list gain " +
        "is small can land on a tie or below. docs/demo.md (Status and Tuning log) has the seeds tried and the trials.";

    public Task<string> RunAsync(DemoContext ctx, CancellationToken ct)
    {
        var skills = ctx.Skills.Select(s => s.Name).ToList();
        var rows = ctx.Results.Select(r =>
        {
            var metrics = r.Run.Results.Single(b => b.Benchmark == EvaluationStage.BenchmarkName).Metrics;
            return new DemoRow(r.Model.Label, r.Model.Role, skills.ToDictionary(s => s, s => metrics.GetValueOrDefault("skill:" + s)), metrics.GetValueOrDefault("accuracy"));
        }).ToList();
        var p = ctx.Plan;
        var table = new DemoTable(skills, rows);
        ctx.Table = table with { Caveat = p.Name != DemoPlan.Full.Name ? SmokeCaveat(p) : table.DpoBeatsSft == false ? DpoCaveat : null };
        var notes = new List<string>
        {
            $"plan '{p.Name}', seed {ctx.Options.Seed}; skills: {string.Join("; ", ctx.Skills.Select(s => $"{s.Name} = {s.Description}"))}",
        };
        notes.AddRange(p.Sources.Select(s => $"{s.Name}: {s.Shape.Arch}, hidden {s.Shape.Hidden}, {s.Shape.Layers} layers; training examples per skill: " +
            string.Join(", ", s.ExamplesPerSkill.Select(kv => $"{kv.Key} {kv.Value}")) + $"; {s.Training.Steps} SFT steps of {s.Training.BatchSize}"));
        notes.Add($"target: {p.Target.Shape.Arch}, hidden {p.Target.Shape.Hidden}, {p.Target.Shape.Layers} layers, random initialisation; " +
            $"SFT {p.Target.Sft.Steps} steps of {p.Target.Sft.BatchSize}, DPO {p.Target.Dpo.Steps} steps of {p.Target.Dpo.BatchSize} ({p.Target.DpoLoss}, beta {p.Target.DpoBeta})");
        notes.Add($"fusion: {p.Splits.Fusion} prompts per skill, {p.Sampling.MathSamples} (math) / {p.Sampling.CodeSamples} (code) / {p.Sampling.JudgedSamples} (judged) samples per source at temperature {p.Sampling.Temperature}, " +
            $"split SFT:DPO {p.FusionSplit.Sft}:{p.FusionSplit.Dpo}; scored by the strict math verifier, the code sandbox and the pipeline's rule scorer (form, sound working, length, agreement with a judged prompt's reference)");
        notes.Add($"evaluation: {p.Splits.HeldOut} held-out prompts per skill, greedy, through each model's OpenAI-compatible server; a judged reply counts only when it is the complete list");
        DemoReport.Write(ctx.Table, ctx.Layout.Report, "FuseChat demo: fusing three small source models into one smaller target", notes);
        ComparisonReport.Write(ctx.Results.Select(r => ResultFiles.Read(ctx.Layout.Eval(r.Model.Label))).ToList(), ctx.Layout.Report);
        var holds = ctx.Table.Checks();
        return Task.FromResult($"{Path.Combine(ctx.Layout.Report, "demo.html")}; {holds.Count(c => c.Holds)}/{holds.Count} checks hold");
    }
}
