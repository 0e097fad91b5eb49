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
    public void List_tasks_name_four_numbers_inside_one_decade_and_train_on_lazy_prefixes()
    {
        var s = SkillSplits.Create(SkillCatalog.All, Sizes with { SourceTrain = 3000 }, seed: 6);
        var train = s.SourceTrain["list"];
        foreach (var e in s.HeldOut["list"].Concat(train))
        {
            var bounds = System.Text.RegularExpressions.Regex.Matches(e.Prompt, @"\d+").Select(m => int.Parse(m.Value)).ToList();
            var expected = Enumerable.Range(bounds[0] + 1, 4).ToList();
            Assert.Equal(bounds[0] + 5, bounds[1]);
            Assert.Equal(bounds[0] / 10, bounds[1] / 10); // no carry into the tens: listing is copying plus one last-digit step
            Assert.Equal(string.Join(", ", expected) + ".", e.Gold);
            var named = e.Reference.TrimEnd('.').Split(", ").Select(int.Parse).ToList();
            Assert.Equal(expected.Take(named.Count), named);
        }
        // Complete training replies are rare (NumberListSkill.CompleteShare): the sources learn to stop early.
        double complete = train.Count(e => e.Reference == e.Gold) / (double)train.Count;
        Assert.InRange(complete, NumberListSkill.CompleteShare - 0.03, NumberListSkill.CompleteShare + 0.03);
        Assert.Contains(train, e => e.Reference.Split(", ").Length == 1);
    }

    [Fact]
    public void The_demo_scorer_ranks_longer_right_lists_higher_by_a_gap_inside_FuseChats_window()
    {
        var scorer = new FuseChat.Pipeline.Scoring.RuleRewardScorer("rule", workingPenalty: FuseChat.Demo.Fusion.RunConfigWriter.WorkingPenalty,
            referenceWeight: FuseChat.Demo.Fusion.RunConfigWriter.ReferenceWeight);
        const string gold = "5702, 5703, 5704, 5705.";
        var scores = new[] { "5702.", "5702, 5703.", "5702, 5703, 5704.", gold }.Select(r => scorer.Score(false, false, r, gold)).ToList();
        // One more right number is one pair candidate's reward gap inside [0.01, 0.1]; two more is outside, as in FuseChat-3.0.
        for (int i = 1; i < scores.Count; i++) Assert.InRange(scores[i] - scores[i - 1], 0.01, 0.1);
        Assert.True(scores[2] - scores[0] > 0.1);
        // A wrong or repeated number costs what a right one earns.
        Assert.True(scorer.Score(false, false, "5702, 5703, 5709.", gold) < scores[1]);
        Assert.True(scorer.Score(false, false, "5702, 5702, 5703.", gold) < scores[1]);
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
