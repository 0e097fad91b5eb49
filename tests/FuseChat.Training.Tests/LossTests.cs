using FuseChat.Training.Losses;
using FuseChat.Training.Options;

namespace FuseChat.Training.Tests;

/// <summary>DPO/SFT loss values at known points and their gradients against central finite differences in double.</summary>
public class LossTests
{
    static readonly PairLogps Sample = new(-12.5, -20.25, -13.0, -19.0, 7, 11);

    [Theory]
    [InlineData(DpoLossKind.Sigmoid, 0.1, 0.0)]
    [InlineData(DpoLossKind.Sigmoid, 2.0, 0.2)]
    [InlineData(DpoLossKind.SigmoidNorm, 10.0, 0.0)]
    [InlineData(DpoLossKind.Ipo, 0.1, 0.0)]
    [InlineData(DpoLossKind.Ipo, 0.5, 0.0)]
    public void GradientsMatchFiniteDifferences(DpoLossKind kind, double beta, double ls) => AssertFiniteDifferences(Sample, kind, beta, ls, 0, 1e-7);

    /// <summary>The analytic d(loss)/d(policy log-probs) at <paramref name="point"/> against central differences.</summary>
    static void AssertFiniteDifferences(PairLogps point, DpoLossKind kind, double beta, double ls, double dpopLambda, double tolerance)
    {
        var at = DpoLoss.Pair(point, kind, beta, ls, dpopLambda);
        const double h = 1e-5;
        double Loss(PairLogps p) => DpoLoss.Pair(p, kind, beta, ls, dpopLambda).Loss;
        double dc = (Loss(point with { PolicyChosen = point.PolicyChosen + h }) - Loss(point with { PolicyChosen = point.PolicyChosen - h })) / (2 * h);
        double dr = (Loss(point with { PolicyRejected = point.PolicyRejected + h }) - Loss(point with { PolicyRejected = point.PolicyRejected - h })) / (2 * h);
        Assert.Equal(dc, at.DChosen, tolerance);
        Assert.Equal(dr, at.DRejected, tolerance);
    }

    [Fact]
    public void KnownValues()
    {
        var equal = new PairLogps(-5, -6, -5, -6, 3, 4);
        Assert.Equal(Math.Log(2), DpoLoss.Pair(equal, DpoLossKind.Sigmoid, 0.1, 0).Loss, 12);
        Assert.Equal(Math.Log(2), DpoLoss.Pair(equal, DpoLossKind.SigmoidNorm, 10, 0).Loss, 12);
        Assert.Equal(25.0, DpoLoss.Pair(equal, DpoLossKind.Ipo, 0.1, 0).Loss, 12);   // (0 - 1/(2·0.1))²
        // sigmoid: ρc = 0.5, ρr = −1.25, β = 0.1 → z = 0.175
        var s = DpoLoss.Pair(Sample, DpoLossKind.Sigmoid, 0.1, 0);
        Assert.Equal(Math.Log(1 + Math.Exp(-0.175)), s.Loss, 12);
        Assert.Equal(0.05, s.ChosenReward, 12);
        Assert.Equal(-0.125, s.RejectedReward, 12);
        // length-normalised: z = 10·(0.5/7 + 1.25/11)
        var n = DpoLoss.Pair(Sample, DpoLossKind.SigmoidNorm, 10, 0);
        Assert.Equal(Math.Log(1 + Math.Exp(-10 * (0.5 / 7 + 1.25 / 11))), n.Loss, 12);
        // label smoothing mixes in the flipped label
        double z = 0.175, ls = 0.25;
        Assert.Equal(ls * Math.Log(1 + Math.Exp(z)) + (1 - ls) * Math.Log(1 + Math.Exp(-z)), DpoLoss.Pair(Sample, DpoLossKind.Sigmoid, 0.1, ls).Loss, 12);
    }

    // The chosen reply 1 nat below the reference: DPO-Positive's penalty is active.
    static readonly PairLogps BelowReference = new(-14.0, -20.25, -13.0, -19.0, 7, 11);

    [Theory]
    [InlineData(DpoLossKind.Sigmoid, 0.1, 0.0, 50.0)]
    [InlineData(DpoLossKind.Sigmoid, 2.0, 0.2, 5.0)]
    [InlineData(DpoLossKind.SigmoidNorm, 10.0, 0.0, 50.0)]
    public void DpopGradientsMatchFiniteDifferences(DpoLossKind kind, double beta, double ls, double lambda)
    {
        foreach (var point in new[] { Sample, BelowReference }) AssertFiniteDifferences(point, kind, beta, ls, lambda, 1e-6);
    }

    [Fact]
    public void DpopPenalisesOnlyAChosenReplyBelowTheReference()
    {
        // Above the reference (ρc = 0.5) and at a tie up to FP32 rounding, DPOP is plain DPO.
        Assert.Equal(DpoLoss.Pair(Sample, DpoLossKind.SigmoidNorm, 10, 0).Loss, DpoLoss.Pair(Sample, DpoLossKind.SigmoidNorm, 10, 0, 50).Loss, 12);
        var rounding = new PairLogps(-13.0000006, -19, -13.0, -19.0, 7, 11);
        Assert.Equal(DpoLoss.Pair(rounding, DpoLossKind.Sigmoid, 0.1, 0).DChosen, DpoLoss.Pair(rounding, DpoLossKind.Sigmoid, 0.1, 0, 50).DChosen, 12);
        // ρc = −1, ρr = −1.25, λ = 50, t = 1e-4·14: z = β(ρc − ρr − λ(−ρc − t)).
        double t = DpoLoss.DpopTolerance * 14;
        double z = 0.1 * (-1 + 1.25 - 50 * (1 - t));
        Assert.Equal(Math.Log(1 + Math.Exp(-z)), DpoLoss.Pair(BelowReference, DpoLossKind.Sigmoid, 0.1, 0, 50).Loss, 12);
        double zn = 10 * ((-1 - 50 * (1 - t)) / 7 + 1.25 / 11);
        Assert.Equal(Math.Log(1 + Math.Exp(-zn)), DpoLoss.Pair(BelowReference, DpoLossKind.SigmoidNorm, 10, 0, 50).Loss, 12);
        // the rewards TRL logs are unchanged by the penalty
        Assert.Equal(-0.1, DpoLoss.Pair(BelowReference, DpoLossKind.Sigmoid, 0.1, 0, 50).ChosenReward, 12);
    }

    [Fact]
    public void SigmoidIsStableAtExtremes()
    {
        var far = new PairLogps(-1, -1000, -1, -1, 1, 1);
        var l = DpoLoss.Pair(far, DpoLossKind.Sigmoid, 10, 0);
        Assert.True(double.IsFinite(l.Loss) && double.IsFinite(l.DChosen));
        var wrong = new PairLogps(-1000, -1, -1, -1, 1, 1);
        Assert.Equal(9990, DpoLoss.Pair(wrong, DpoLossKind.Sigmoid, 10, 0).Loss, 6);
    }

    [Fact]
    public void SftAveragesOverTheGlobalBatchTokens()
    {
        float[] logps = [-1f, -2f, -3f, -4f];
        float[] mask = [0f, 1f, 1f, 0f];
        var d = new float[4];
        double loss = SftLoss.Compute(logps, mask, 10, d);
        Assert.Equal(0.5, loss, 6);
        Assert.Equal([0f, -0.1f, -0.1f, 0f], d);
    }
}
