using FuseChat.Demo.Reporting;
using Xunit;

namespace FuseChat.Demo.Tests;

public class DemoTableTests
{
    static DemoRow Row(string model, string role, double overall) =>
        new(model, role, new Dictionary<string, double?> { ["add"] = overall }, overall);

    static DemoTable Table(double bestSource, double @base, double sft, double dpo) => new(["add"],
    [
        Row("src-a", "source", bestSource - 10), Row("src-b", "source", bestSource),
        Row("target-base", "base", @base), Row("target-sft", "sft", sft), Row("target-dpo", "dpo", dpo),
    ]);

    [Fact]
    public void All_three_checks_hold_when_DPO_beats_everything()
    {
        var t = Table(bestSource: 60, @base: 1, sft: 90, dpo: 91);
        Assert.Equal("src-b", t.BestSource!.Model);
        Assert.True(t.DpoBeatsSft);
        Assert.All(t.Checks(), c => Assert.True(c.Holds, c.Claim));
    }

    [Fact]
    public void A_tie_with_SFT_is_not_a_gain_but_matching_the_best_source_is_enough()
    {
        var t = Table(bestSource: 91, @base: 1, sft: 91, dpo: 91);
        Assert.False(t.DpoBeatsSft);
        Assert.Equal([true, false, true], t.Checks().Select(c => c.Holds));
        Assert.Contains("SFT target (91.0)", t.Checks()[1].Claim);
    }

    [Fact]
    public void Without_an_SFT_row_there_is_no_SFT_check()
    {
        var t = new DemoTable(["add"], [Row("src-a", "source", 50), Row("target-dpo", "dpo", 60)]);
        Assert.Null(t.DpoBeatsSft);
        Assert.Single(t.Checks());
    }
}
