using FuseChat.Demo.Fusion;
using FuseChat.Demo.Planning;
using FuseChat.Demo.Skills;
using FuseChat.Pipeline.Config;
using FuseChat.Pipeline.Pairing;
using FuseChat.Pipeline.Running;
using FuseChat.Pipeline.Scoring;

namespace FuseChat.Demo.Tests;

public class RunConfigTests
{
    [Fact]
    public void The_generated_config_passes_the_pipelines_own_loader_and_validator()
    {
        var dir = Path.Combine(Path.GetTempPath(), "fusechat-demo-cfg-" + Guid.NewGuid().ToString("N"));
        try
        {
            var plan = DemoPlan.Quick;
            var splits = SkillSplits.Create(SkillCatalog.All, plan.Splits, seed: 2);
            foreach (var skill in SkillCatalog.All)
                SkillFiles.Write(Path.Combine(dir, "prompts", skill.Name + ".jsonl"), splits.Fusion[skill.Name].Select(SkillFiles.PromptRow));
            var sources = plan.Sources.Select((s, i) => new ServedSource(s.Name, s.Name + "-model", $"http://127.0.0.1:{9000 + i}/v1")).ToList();
            var path = Path.Combine(dir, "run.yaml");
            File.WriteAllText(path, RunConfigWriter.Yaml(plan, sources, SkillCatalog.All, seed: 2));

            var config = RunConfigLoader.Load(path);
            Assert.Equal(SkillCatalog.All.Select(s => s.Name), config.PromptSets.Select(p => p.Name));
            Assert.Equal(plan.Sources.Select(s => s.Name), config.Sources.Select(s => s.Name));
            var scorer = Assert.Single(config.Scorers);
            Assert.Equal(("rule", RunConfigWriter.WorkingPenalty), (scorer.Type, scorer.WorkingPenalty));
            var categories = CategoryResolver.ResolveAll(config);
            Assert.Equal(RuleSet.Code, categories["code"].Rules.RuleSet);
            Assert.Equal(RuleSet.Math, categories["add"].Rules.RuleSet);
            Assert.Equal(plan.Sampling.MathSamples, categories["word"].Samples);
            Assert.Null(categories["reverse"].Rules.GapMin);
            Assert.Equal(RunConfigWriter.WorkingGapMin, categories["add"].Rules.GapMin);
            Assert.Equal(3, categories["add"].Sources.Count);
            // The judged skill: instruction rules with FuseChat-3.0's own window, ranked by agreement with its reference.
            Assert.Equal(RuleSet.Instruction, categories["list"].Rules.RuleSet);
            Assert.Equal((0.01, 0.1), (categories["list"].Rules.GapMin, categories["list"].Rules.GapMax));
            Assert.Equal(plan.Sampling.JudgedSamples, categories["list"].Samples);
            Assert.Equal(RunConfigWriter.ReferenceWeight, scorer.ReferenceWeight);

            // Self-contained: the pipeline builds every scorer itself (nothing to register), as `fusechat run` would.
            using var run = RunContext.Open(path);
            Assert.Empty(run.RegisteredScorers);
            Assert.IsType<RuleRewardScorer>(ScorerFactory.Create(config, scorer, new HttpClient(), run.Gate));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}

public class PlanTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sources_have_three_architectures_and_the_target_is_smaller_than_each(bool quick)
    {
        var plan = quick ? DemoPlan.Quick : DemoPlan.Full;
        Assert.Equal(["gemma2", "llama", "qwen2"], plan.Sources.Select(s => s.Shape.Arch).Order());
        long Params(FuseChat.Engine.Checkpoints.ModelShape s) => new FuseChat.Engine.Model.ParameterLayout(
            FuseChat.Engine.Config.ModelConfig.Parse(FuseChat.Engine.Checkpoints.ModelInitializer.ConfigJson(s with { VocabSize = 400 }))).ParameterCount;
        var sizes = plan.Sources.Select(s => Params(s.Shape)).ToList();
        Assert.Equal(sizes.Count, sizes.Distinct().Count());
        Assert.True(sizes.All(s => s > Params(plan.Target.Shape)), string.Join(", ", sizes) + " vs " + Params(plan.Target.Shape));
        foreach (var s in plan.Sources)
        {
            Assert.True(s.ExamplesPerSkill.Values.Max() <= plan.Splits.SourceTrain, $"{s.Name} asks for more examples than the split holds");
            Assert.Contains(s.ExamplesPerSkill.Values, v => v < s.ExamplesPerSkill.Values.Max() / 4); // weak somewhere
        }
    }

    [Fact]
    public void The_source_cache_key_follows_the_plan_the_seed_and_the_tokenizer()
    {
        var s = DemoPlan.Full.Sources[0];
        var k = DemoPlan.SourceKey(s, 1, "tok", DemoPlan.Full.Splits);
        Assert.Equal(k, DemoPlan.SourceKey(s, 1, "tok", DemoPlan.Full.Splits));
        Assert.NotEqual(k, DemoPlan.SourceKey(s, 2, "tok", DemoPlan.Full.Splits));
        Assert.NotEqual(k, DemoPlan.SourceKey(s, 1, "tok2", DemoPlan.Full.Splits));
        Assert.NotEqual(k, DemoPlan.SourceKey(s with { Training = s.Training with { Steps = 1 } }, 1, "tok", DemoPlan.Full.Splits));
    }
}
