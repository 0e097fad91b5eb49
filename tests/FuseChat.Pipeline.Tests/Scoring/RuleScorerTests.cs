using FuseChat.Core;
using FuseChat.Pipeline.Config;
using FuseChat.Pipeline.Pairing;
using FuseChat.Pipeline.Running;
using FuseChat.Pipeline.Scoring;

namespace FuseChat.Pipeline.Tests.Scoring;

/// <summary>The built-in rule scorer (`type: rule`): form, sound working and length, with no program registering anything.</summary>
public class RuleScorerTests
{
    [Theory]
    [InlineData("5 - 4 = 1. The answer is 1.", 0)]
    [InlineData("5 - 2 = 1. The answer is 1.", 1)]
    [InlineData("7 + 8 = 15, 3 + 4 + 1 = 8. The answer is 85.", 0)]
    [InlineData("7 + 8 = 15, 3 + 4 + 1 = 9. The answer is 95.", 1)]
    [InlineData("7 + 8 = 14, 3 + 4 + 1 = 9.", 2)]
    [InlineData("-3 + 10 = 7 and 2 - 5 = -3", 0)]
    [InlineData("x2 + 3 = 4 and 1.5 + 2 = 3.5 and v1 - 1 = 9", 0)] // not integer equations
    [InlineData("The answer is 12.", 0)]
    public void FalseEquationsAreCounted(string text, int expected) => Assert.Equal(expected, RuleRewardScorer.FalseEquations(text));

    [Fact]
    public void FormWorkingAndLengthOrderTheScores()
    {
        var rule = new RuleRewardScorer("r", formBonus: 1, workingPenalty: 0.5, lengthPenalty: 0.002);
        double sound = rule.Score(isCode: false, isMath: true, "5 - 4 = 1. The answer is 1.");
        double lucky = rule.Score(isCode: false, isMath: true, "5 - 2 = 1. The answer is 1.");
        double wordy = rule.Score(isCode: false, isMath: true, "Take away 4 from 5: 5 - 4 = 1. The answer is 1.");
        double unfinished = rule.Score(isCode: false, isMath: true, "5 - 4 = 1.");
        Assert.True(sound > wordy && wordy > lucky && lucky > unfinished, $"{sound} {wordy} {lucky} {unfinished}");
        Assert.Equal(1 - 0.002 * 27, sound, 12);
        Assert.True(rule.Score(true, false, "```python\ndef f(x):\n    return x + 3\n```") > rule.Score(true, false, "def f(x):\n    return x + 3"));
        Assert.True(rule.Score(false, true, "so \\boxed{4}") > rule.Score(false, true, "so 4"));
        // Working off: the lucky guess ties with the sound reply of the same length.
        var formOnly = new RuleRewardScorer("r");
        Assert.Equal(formOnly.Score(false, true, "5 - 4 = 1. The answer is 1."), formOnly.Score(false, true, "5 - 2 = 1. The answer is 1."));
        Assert.NotEqual(formOnly.Fingerprint, rule.Fingerprint);
    }

    [Fact]
    public async Task ARuleScorerInTheConfigRunsWithoutRegistrationAndPrefersSoundWorking()
    {
        using var t = new TempFolder();
        File.WriteAllText(t.File("p.jsonl"), """
            {"problem": "Ray has 5 eggs and gives away 4. How many eggs does Ray have now?", "answer": "1"}

            """);
        // Two correct final answers, the first by luck (its working is false), and a wrong one.
        File.WriteAllText(t.File("shipped.jsonl"), """
            {"q": "Ray has 5 eggs and gives away 4. How many eggs does Ray have now?", "r": ["5 - 2 = 1. The answer is 1.", "5 - 4 = 1. The answer is 1.", "5 - 4 = 2. The answer is 2."]}

            """);
        File.WriteAllText(t.File("run.yaml"), """
            prompt_sets: [{name: p, path: p.jsonl, category: math, shape: math}]
            sources: [{name: s, model: m, import: {path: shipped.jsonl, match: prompt, prompt_field: q, response_field: r}}]
            scorers: [{name: rule, type: rule, working_penalty: 0.5}]
            categories: {math: {samples: 3, sft: 1, dpo: 0, scorer: rule}}
            """);
        var config = RunConfigLoader.Load(t.File("run.yaml"));
        Assert.Equal(0.5, Assert.Single(config.Scorers).WorkingPenalty);
        using var run = RunContext.Open(t.File("run.yaml"));
        await PipelineRunner.RunAllAsync(run, new Dictionary<RuleSet, IVerdictProvider> { [RuleSet.Math] = new MathVerdictProvider() },
            new LineProgress(TextWriter.Null), CancellationToken.None);
        var scores = run.Store.Query("SELECT sample_index, value, model FROM scores ORDER BY sample_index");
        Assert.Equal(3, scores.Count);
        Assert.All(scores, r => Assert.Equal("rule:form-working-length", (string)r[2]!));
        Assert.True((double)scores[1][1]! > (double)scores[0][1]!, "sound working must outscore the lucky guess");
        var sft = Assert.Single(File.ReadAllLines(Path.Combine(t.Path, "out", "sft.jsonl")));
        Assert.Contains("5 - 4 = 1. The answer is 1.", sft);
    }

    [Theory]
    [InlineData("5702, 5703.", 0.5)]         // (2 matched − 0 unmatched) / 4 reference words
    [InlineData("5702, 5702, 5709.", -0.25)] // the second 5702 finds its reference word used: (1 − 2) / 4
    [InlineData("5705 5704 5703 5702", 1.0)] // order does not matter
    [InlineData("", 0.0)]
    public void TheReferenceTermIsMatchedMinusUnmatchedOverTheReferenceWords(string response, double expected)
    {
        const string reference = "5702, 5703, 5704, 5705.";
        Assert.Equal(expected, RuleRewardScorer.ReferenceAgreement(response, reference), 12);
        var plain = new RuleRewardScorer("r");
        var guided = new RuleRewardScorer("r", referenceWeight: 0.5);
        Assert.Equal(plain.Score(false, false, response) + 0.5 * expected, guided.Score(false, false, response, reference), 12);
    }

    [Fact]
    public void ReferenceWordsMatchWhateverTheirCase()
    {
        Assert.Equal(1.0, RuleRewardScorer.ReferenceAgreement("Paris", "paris"));
        Assert.Equal(1.0, RuleRewardScorer.ReferenceAgreement("PARIS.", "Paris"));
        Assert.Equal(-1.0, RuleRewardScorer.ReferenceAgreement("London", "Paris"));
    }

    [Fact]
    public void WithoutAReferenceOrAtWeightZeroTheScoreIsTheOldOne()
    {
        const string response = "5 - 2 = 1. The answer is 1.";
        var plain = new RuleRewardScorer("r", workingPenalty: 0.5);
        var guided = new RuleRewardScorer("r", workingPenalty: 0.5, referenceWeight: 0.5);
        double old = plain.Score(false, true, response);
        Assert.Equal(1 - 0.5 - 0.002 * 27, old, 12);
        Assert.Equal(old, guided.Score(false, true, response));
        Assert.Equal(old, guided.Score(false, true, response, "... !")); // a reference without words gives no term
        Assert.Equal(old, plain.Score(false, true, response, "The answer is 1."));
        Assert.Equal(old + 0.5 * (4 - 3) / 4.0, guided.Score(false, true, response, "The answer is 1."), 12);
    }

    [Fact]
    public void TheFingerprintChangesOnlyWhenTheReferenceIsWeighted()
    {
        // The string stores were scored under before the term existed: they keep their scores.
        const string old = "rule:form-working-length:v1:1:0:0.002";
        Assert.Equal(old, new RuleRewardScorer("r").Fingerprint);
        Assert.Equal(old, new RuleRewardScorer("r", referenceWeight: 0).Fingerprint);
        Assert.Equal(old, RuleRewardScorer.FromConfig(new ScorerConfig { Name = "r", Type = "rule" }).Fingerprint);
        Assert.Equal(old + ":ref0.5", RuleRewardScorer.FromConfig(new ScorerConfig { Name = "r", Type = "rule", ReferenceWeight = 0.5 }).Fingerprint);
    }

    [Fact]
    public async Task AReferenceWeightInTheConfigScoresAgainstTheStoredReference()
    {
        using var t = new TempFolder();
        File.WriteAllText(t.File("p.jsonl"), """
            {"prompt": "Capital of France?", "reference": "Paris"}
            {"prompt": "Capital of Italy?"}

            """);
        File.WriteAllText(t.File("shipped.jsonl"), """
            {"q": "Capital of France?", "r": ["London", "paris", "Paris, of course"]}
            {"q": "Capital of Italy?", "r": ["Rome", "Rome is", "Milan"]}

            """);
        File.WriteAllText(t.File("run.yaml"), """
            prompt_sets: [{name: p, path: p.jsonl, category: instruction}]
            sources: [{name: s, model: m, import: {path: shipped.jsonl, match: prompt, prompt_field: q, response_field: r}}]
            scorers: [{name: rule, type: rule, length_penalty: 0, reference_weight: 0.5}]
            categories: {instruction: {samples: 3, sft: 1, dpo: 0, scorer: rule}}
            """);
        Assert.Equal(0.5, Assert.Single(RunConfigLoader.Load(t.File("run.yaml")).Scorers).ReferenceWeight);
        using var run = RunContext.Open(t.File("run.yaml"));
        await PipelineRunner.RunAllAsync(run, new Dictionary<RuleSet, IVerdictProvider>(), new LineProgress(TextWriter.Null), CancellationToken.None);
        var scores = run.Store.Query("""
            SELECT p.line, s.sample_index, s.value FROM scores s JOIN prompts p ON p.id = s.prompt_id ORDER BY p.line, s.sample_index
            """).Select(r => ((long)r[0]!, (long)r[1]!, (double)r[2]!)).ToList();
        // France: −1, 1, (1 − 2)/1 = −1, times 0.5; Italy has no reference, so no term (and no length penalty): 0.
        Assert.Equal([(1L, 0L, -0.5), (1L, 1L, 0.5), (1L, 2L, -0.5), (2L, 0L, 0.0), (2L, 1L, 0.0), (2L, 2L, 0.0)], scores);
    }

    [Fact]
    public void ANegativeWeightIsRefusedWithTheField()
    {
        using var t = new TempFolder();
        File.WriteAllText(t.File("p.jsonl"), "{\"prompt\": \"a\"}\n");
        File.WriteAllText(t.File("run.yaml"), """
            prompt_sets: [{name: p, path: p.jsonl, category: instruction}]
            sources: [{name: s, model: m, base_urls: ["http://127.0.0.1:9/v1"]}]
            scorers: [{name: rule, type: rule, length_penalty: -1}]
            """);
        var e = Assert.Throws<UserError>(() => RunConfigLoader.Load(t.File("run.yaml")));
        Assert.Contains("length_penalty", e.Message);
    }
}
