using FuseChat.Demo.Skills;
using FuseChat.Verifiers.Code;
using FuseChat.Verifiers.Math;

namespace FuseChat.Demo.Tests;

public class SkillTests
{
    static readonly SplitSizes Sizes = new(HeldOut: 20, Fusion: 30, SourceTrain: 50);

    [Fact]
    public void Splits_are_deterministic_for_a_seed_and_change_with_it()
    {
        var a = SkillSplits.Create(SkillCatalog.All, Sizes, seed: 7);
        var b = SkillSplits.Create(SkillCatalog.All, Sizes, seed: 7);
        var c = SkillSplits.Create(SkillCatalog.All, Sizes, seed: 8);
        foreach (var skill in SkillCatalog.All)
        {
            Assert.Equal(a.HeldOut[skill.Name], b.HeldOut[skill.Name]);
            Assert.Equal(a.Fusion[skill.Name], b.Fusion[skill.Name]);
            Assert.Equal(a.SourceTrain[skill.Name], b.SourceTrain[skill.Name]);
            Assert.NotEqual(a.HeldOut[skill.Name].Select(e => e.Prompt), c.HeldOut[skill.Name].Select(e => e.Prompt));
        }
    }

    [Fact]
    public void Splits_are_disjoint_by_prompt_and_have_the_requested_sizes()
    {
        var s = SkillSplits.Create(SkillCatalog.All, Sizes, seed: 1);
        foreach (var skill in SkillCatalog.All)
        {
            var held = s.HeldOut[skill.Name].Select(e => e.Prompt).ToList();
            var fusion = s.Fusion[skill.Name].Select(e => e.Prompt).ToList();
            var train = s.SourceTrain[skill.Name].Select(e => e.Prompt).ToList();
            Assert.Equal((20, 30, 50), (held.Count, fusion.Count, train.Count));
            var all = held.Concat(fusion).Concat(train).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
        }
    }

    [Fact]
    public void Growing_the_training_pool_keeps_the_held_out_set()
    {
        var small = SkillSplits.Create(SkillCatalog.All, Sizes, seed: 3);
        var large = SkillSplits.Create(SkillCatalog.All, Sizes with { SourceTrain = 500 }, seed: 3);
        foreach (var skill in SkillCatalog.All)
            Assert.Equal(small.HeldOut[skill.Name], large.HeldOut[skill.Name]);
    }

    [Theory]
    [InlineData(MathMode.Strict)]
    [InlineData(MathMode.Qwen)]
    public void Math_references_are_graded_correct_and_a_wrong_answer_is_not(MathMode mode)
    {
        var verifier = new MathVerifier(mode);
        var s = SkillSplits.Create(SkillCatalog.All, Sizes, seed: 5);
        foreach (var skill in SkillCatalog.All.Where(k => k.Kind == SkillKind.Math))
            foreach (var e in s.HeldOut[skill.Name])
            {
                Assert.True(verifier.Verify(e.Reference, e.Gold!).Correct, $"{mode}: {e.Reference} vs {e.Gold}");
                var wrong = (long.Parse(e.Gold!) + 1).ToString();
                Assert.False(verifier.Verify(e.Reference.Replace(e.Gold!, wrong), e.Gold!).Correct, $"{mode}: {wrong} accepted for {e.Gold}");
            }
    }

    [Fact]
    public void Math_references_show_sound_working_that_the_rule_scorer_accepts()
    {
        var s = SkillSplits.Create(SkillCatalog.All, Sizes, seed: 4);
        foreach (var skill in SkillCatalog.All.Where(k => k.Kind == SkillKind.Math))
            foreach (var e in s.HeldOut[skill.Name].Concat(s.SourceTrain[skill.Name]))
                Assert.Equal(0, FuseChat.Pipeline.Scoring.RuleRewardScorer.FalseEquations(e.Reference));
        // The column working carries into the tens: 37 + 48 → 7 + 8 = 15, 3 + 4 + 1 = 8.
        Assert.Equal("7 + 8 = 15, 3 + 4 + 1 = 8.", AdditionSkill.Working(37, 48));
        Assert.Equal("2 + 3 = 5, 9 + 1 + 0 = 10.", AdditionSkill.Working(92, 13));
        Assert.Equal(1, FuseChat.Pipeline.Scoring.RuleRewardScorer.FalseEquations("7 + 8 = 15, 3 + 4 + 0 = 8. The answer is 85."));
    }

    [Fact]
    public async Task Code_references_pass_their_tests_in_the_sandbox_and_a_wrong_function_fails()
    {
        var verifier = new CodeVerifier();
        var tasks = SkillSplits.Create(SkillCatalog.All, Sizes, seed: 9).HeldOut["code"].Take(3).ToList();
        var samples = new List<CodeSample>();
        foreach (var e in tasks)
        {
            var test = new AssertionTest(e.Tests!.Check, e.Tests.EntryPoint);
            samples.Add(CodeSample.FromResponse(e.Reference, test));
            // Off by one constant: a plausible wrong answer a model could give.
            var wrong = e.Reference.Replace("\n```", " + 1\n```");
            samples.Add(CodeSample.FromResponse(wrong, test));
        }
        var verdicts = await verifier.VerifyManyAsync(samples);
        for (int i = 0; i < verdicts.Count; i++)
            Assert.True(verdicts[i].Passed == (i % 2 == 0), $"sample {i}: {verdicts[i].Status} {verdicts[i].Detail}\n{samples[i].Code}");
    }
}
