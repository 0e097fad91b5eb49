using FuseChat.Demo.Running;
using FuseChat.Pipeline.Pairing;
using FuseChat.Pipeline.Running;
using FuseChat.Pipeline.Scoring;

namespace FuseChat.Demo.Stages;

/// <summary>
/// The data stages of `fusechat run` on the generated config, in-process: ingest the prompt sets, sample every source over
/// HTTP, score (the pipeline's built-in rule scorer; strict math verdicts; code run in the sandbox), then apply the pair rules and export sft.jsonl and dpo.jsonl. The run folder keeps its store, so a rerun
/// with the same sources resumes instead of sampling again. The source servers stop at the end.
/// </summary>
public sealed class PipelineStage : IDemoStage
{
    public string Name => "fuse: sample, score, build";

    public async Task<string> RunAsync(DemoContext ctx, CancellationToken ct)
    {
        BuildStage.Summary summary;
        using (var run = RunContext.Open(ctx.Layout.RunConfig))
        {
            var verifiers = new Dictionary<RuleSet, IVerdictProvider>
            {
                [RuleSet.Math] = new MathVerdictProvider(),
                [RuleSet.Code] = new CodeVerdictProvider(),
            };
            summary = await PipelineRunner.RunAllAsync(run, verifiers, ctx.Progress, ct);
            ctx.SftData = Path.Combine(run.OutputFolder, "sft.jsonl");
            ctx.DpoData = Path.Combine(run.OutputFolder, "dpo.jsonl");
        }
        await ctx.StopServersAsync();
        return $"{summary.Prompts} prompts: {summary.Sft} SFT examples, {summary.Dpo} DPO pairs, {summary.Dropped} dropped (reasons in {summary.OutputFolder})";
    }
}
