using FuseChat.Demo.Fusion;
using FuseChat.Demo.Running;
using FuseChat.Pipeline.Config;

namespace FuseChat.Demo.Stages;

/// <summary>Prepares the pipeline run folder (fresh when the world changed; resumed otherwise), writes run.yaml for the served sources and checks it with the pipeline's own loader and validator.</summary>
public sealed class RunConfigStage : IDemoStage
{
    public string Name => "write run config";

    public Task<string> RunAsync(DemoContext ctx, CancellationToken ct)
    {
        // The store resumes only the same world (plan, seed, sources, prompts); anything else would be refused by the
        // pipeline as a changed source or prompt set, so a different world gets a fresh run folder. Ports are not part of it,
        // nor is the target's plan: the target is trained after the pipeline, so retuning it reuses the sampled responses.
        string key = Key(ctx);
        if (Directory.Exists(ctx.Layout.Run) && (!File.Exists(ctx.Layout.RunKey) || File.ReadAllText(ctx.Layout.RunKey) != key))
        {
            ctx.Progress.Log($"{ctx.Layout.Run}: built for another plan, seed or source models; starting a fresh run folder");
            Directory.Delete(ctx.Layout.Run, true);
        }
        Directory.CreateDirectory(ctx.Layout.Run);
        foreach (var skill in ctx.Skills)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ctx.Layout.PromptSet(skill.Name))!);
            File.Copy(ctx.Layout.FusionPrompts(skill.Name), ctx.Layout.PromptSet(skill.Name), overwrite: true);
        }
        File.WriteAllText(ctx.Layout.RunKey, key);
        var yaml = RunConfigWriter.Yaml(ctx.Plan, ctx.Servers.Select(s => s.Source).ToList(), ctx.Skills, ctx.Options.Seed);
        File.WriteAllText(ctx.Layout.RunConfig, yaml);
        var config = RunConfigLoader.Load(ctx.Layout.RunConfig);
        return Task.FromResult($"{ctx.Layout.RunConfig}: {config.PromptSets.Count} prompt sets, {config.Sources.Count} sources, scorer {RunConfigWriter.ScorerName}");
    }

    static string Key(DemoContext ctx)
    {
        var text = System.Text.Json.JsonSerializer.Serialize(new
        {
            plan = System.Text.Json.JsonSerializer.Serialize(ctx.Plan with { Target = null! }), ctx.Options.Seed,
            models = ctx.Plan.Sources.Select(s => ctx.SourceModelNames[s.Name]).ToList(),
            prompts = ctx.Skills.Select(k => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(ctx.Layout.FusionPrompts(k.Name))))).ToList(),
        });
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
    }
}
