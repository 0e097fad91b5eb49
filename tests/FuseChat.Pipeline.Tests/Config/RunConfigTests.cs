using FuseChat.Core;
using FuseChat.Pipeline.Config;
using FuseChat.Pipeline.Pairing;

namespace FuseChat.Pipeline.Tests.Config;

public class RunConfigTests
{
    static string Write(TempFolder t, string yaml)
    {
        File.WriteAllText(t.File("p.jsonl"), "{\"prompt\": \"hi\"}\n");
        var path = t.File("run.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    const string Minimal = """
        prompt_sets:
          - {name: p, path: p.jsonl, category: instruction}
        sources:
          - {name: a, model: m, base_urls: ["http://127.0.0.1:9/v1"]}
        scorers:
          - {name: rm, model: r, base_urls: ["http://127.0.0.1:9"]}

        """;

    [Fact]
    public void InitRunExampleValidatesAndCarriesFuseChatSettings()
    {
        using var t = new TempFolder();
        var path = ExampleRun.Write(Path.Combine(t.Path, "run"));
        var c = RunConfigLoader.Load(path);
        var cats = CategoryResolver.ResolveAll(c);
        Assert.Equal(5, cats["instruction"].Samples);
        Assert.Equal(8, cats["code"].Samples);
        Assert.Equal(1, cats["chinese"].Samples);
        Assert.True(cats["chinese"].Rules.SftOnly);
        Assert.Null(cats["chinese"].Scorer);
        Assert.Equal((0.01, 0.1), (cats["instruction"].Rules.GapMin, cats["instruction"].Rules.GapMax));
        Assert.Null(cats["code"].Rules.GapMin);
        Assert.Equal((4.0, 6.0), (cats["instruction"].Rules.SftShare, cats["instruction"].Rules.DpoShare));
        var qwen = c.Sources.Single(s => s.Model == "Qwen/Qwen2.5-72B-Instruct");
        Assert.Equal((0.7, 0.8), (qwen.Temperature, qwen.TopP));
        Assert.Equal("1.05", qwen.ExtraBody["repetition_penalty"].ToString());
        Assert.Throws<UserError>(() => ExampleRun.Write(Path.Combine(t.Path, "run"))); // never overwrites
    }

    [Fact]
    public void MinimalConfigTakesProtocolDefaults()
    {
        using var t = new TempFolder();
        var c = RunConfigLoader.Load(Write(t, Minimal));
        var inst = CategoryResolver.ResolveAll(c)["instruction"];
        Assert.Equal(RuleSet.Instruction, inst.Rules.RuleSet);
        Assert.Equal("rm", inst.Scorer);
        Assert.Equal(["a"], inst.Sources);
        Assert.Equal("fusechat", c.Run.SplitSeed);
    }

    [Theory]
    [InlineData("sources:\n  - {name: b, model: m, base_urls: [\"http://x/v1\"], temprature: 1}\n", "unknown key 'temprature'")]
    [InlineData("sources:\n  - {name: b, model: m, base_urls: [\"http://x/v1\"], top_p: 1.5}\n", "top_p: 1.5 is outside (0, 1]")]
    [InlineData("sources:\n  - {name: b, model: m, base_urls: [\"ftp://x\"]}\n", "is not an http(s) URL")]
    [InlineData("sources:\n  - {name: b, model: m, base_urls: [\"${FUSECHAT_TEST_UNSET_VAR}\"]}\n", "environment variable FUSECHAT_TEST_UNSET_VAR is not set")]
    [InlineData("categories:\n  instruction: {gap_min: 0.5, gap_max: 0.1}\n", "gap_min 0.5 is above gap_max 0.1")]
    [InlineData("categories:\n  instruction: {sources: [zzz]}\n", "no source named 'zzz'")]
    [InlineData("categories:\n  instruction: {scorer: none}\n", "DPO pairs need a reward model")]
    [InlineData("categories:\n  mine: {samples: 2}\n", "must say which rules it inherits")]
    [InlineData("categories:\n  instruction: {gap_max: lots}\n", "neither a number nor none")]
    [InlineData("scorers:\n  - {name: rm, model: r, base_urls: [\"http://127.0.0.1:9\"], form_bonus: 2}\n", "scorers[0] (rm).form_bonus: applies only to type: rule (this scorer is type: http)")]
    [InlineData("scorers:\n  - {name: rm, type: local, model: r, length_penalty: 0}\n", "scorers[0] (rm).length_penalty: applies only to type: rule")]
    [InlineData("scorers:\n  - {name: rm, type: rule, working_penalty: -1}\n", "scorers[0] (rm).working_penalty: must not be negative")]
    [InlineData("scorers:\n  - {name: rm, model: r, base_urls: [\"http://127.0.0.1:9\"], reference_weight: 1}\n", "scorers[0] (rm).reference_weight: applies only to type: rule (this scorer is type: http)")]
    [InlineData("scorers:\n  - {name: rm, type: rule, reference_weight: -0.5}\n", "scorers[0] (rm).reference_weight: must not be negative")]
    [InlineData("scorers:\n  - {name: rm, type: rule, model: r}\n", "scorers[0] (rm).model: does not apply to type: rule")]
    [InlineData("scorers:\n  - {name: rm, type: rule, base_urls: [\"http://127.0.0.1:9\"]}\n", "scorers[0] (rm).base_urls: does not apply to type: rule")]
    public void BadConfigsFailWithOneLineNamingTheField(string extra, string expected)
    {
        using var t = new TempFolder();
        var yaml = extra.StartsWith("sources") ? Minimal.Replace("sources:\n  - {name: a, model: m, base_urls: [\"http://127.0.0.1:9/v1\"]}\n", extra)
            : extra.StartsWith("scorers") ? Minimal.Replace("scorers:\n  - {name: rm, model: r, base_urls: [\"http://127.0.0.1:9\"]}\n", extra)
            : Minimal + extra;
        var e = Assert.Throws<UserError>(() => RunConfigLoader.Load(Write(t, yaml)));
        Assert.Contains(expected, e.Message);
        Assert.Contains("run.yaml", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void APromptSetCanOverrideItsSplitButDpoStillNeedsAReward()
    {
        using var t = new TempFolder();
        var withSplit = Minimal.Replace("category: instruction}", "category: instruction, sft: 1, dpo: 3}");
        Assert.Equal(3.0, RunConfigLoader.Load(Write(t, withSplit)).PromptSets[0].Dpo);
        var e = Assert.Throws<UserError>(() => RunConfigLoader.Load(Write(t, withSplit + "categories:\n  instruction: {dpo: 0, scorer: none}\n")));
        Assert.Contains("prompt_sets[0] (p).dpo: DPO pairs need a reward model", e.Message);
        e = Assert.Throws<UserError>(() => RunConfigLoader.Load(Write(t, Minimal.Replace("category: instruction}", "category: instruction, sft: 1}"))));
        Assert.Contains("give both shares", e.Message);
    }

    [Fact]
    public void EnvironmentVariablesAreExpanded()
    {
        using var t = new TempFolder();
        var yaml = Minimal.Replace("http://127.0.0.1:9/v1", "${FUSECHAT_TEST_URL}/v1");
        var c = RunConfigLoader.Load(Write(t, yaml), name => name == "FUSECHAT_TEST_URL" ? "http://10.0.0.1:8000" : null);
        Assert.Equal("http://10.0.0.1:8000/v1", c.Sources[0].BaseUrls[0]);
    }

    [Fact]
    public void MissingPromptFileIsReported()
    {
        using var t = new TempFolder();
        var e = Assert.Throws<UserError>(() => RunConfigLoader.Load(Write(t, Minimal.Replace("p.jsonl", "nope.jsonl"))));
        Assert.Contains("prompt_sets[0] (p).path", e.Message);
    }
}
