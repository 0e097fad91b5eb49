using FuseChat.Engine.Kernels;

namespace FuseChat.Engine.Tests;

/// <summary>
/// The heads' and the sampler's kernels. Expected orders, indices and values are torch's (torch.sort stable descending,
/// torch.argmax, torch.relu, torch.softmax on the same inputs; tools/torch-reference/kernel_expectations.py prints them
/// with python3-torch 1.13) or plain double arithmetic.
/// </summary>
public unsafe class HeadAndSamplingKernelTests
{
    static readonly CpuKernels K = new(new ManagedGemm());

    [Fact]
    public void ReluZeroesOnlyNegativeValues()
    {
        float[] x = [-2f, -0f, 0f, 3f, float.NaN];
        fixed (float* p = x) K.Relu(p, x.Length);
        Assert.Equal([0f, 0f, 0f, 3f], x[..4]);
        Assert.True(float.IsNegative(x[1]));   // torch.relu(-0.0) is -0.0
        Assert.True(float.IsNaN(x[4]));
    }

    [Fact]
    public void DivideIsATrueDivision()
    {
        var rng = new Random(1);
        var x = Enumerable.Range(0, 1000).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray();
        var want = x.Select(v => v / 0.7f).ToArray();
        Assert.Contains(x, v => v / 0.7f != v * (1f / 0.7f));   // the inputs tell division from multiplication by 1/d
        fixed (float* p = x) K.Divide(p, x.Length, 0.7f);
        Assert.Equal(want, x);
    }

    [Fact]
    public void SoftmaxSubtractsEachRowsMaximum()
    {
        float[] x = [1000f, 999f, 0f, 0.5f, -1.25f, 2f];
        fixed (float* p = x) K.Softmax(p, 2, 3);
        Assert.Equal([0.7310585975646973f, 0.2689414322376251f, 0f], x[..3]);   // torch.softmax; a plain exp overflows
        double[] row = [0.5, -1.25, 2];
        double z = row.Sum(Math.Exp);
        for (int j = 0; j < 3; j++) Assert.Equal(Math.Exp(row[j]) / z, x[3 + j], 6);
    }

    [Fact]
    public void SortDescendingPutsNaNFirstAndTiesInIndexOrder()
    {
        float[] scores = [1f, 3f, 3f, float.NaN, float.NegativeInfinity, 3f, 2f];
        var sorted = new float[scores.Length];
        var order = new int[scores.Length];
        fixed (float* s = sorted, x = scores) fixed (int* o = order) K.SortDescending(s, o, x, scores.Length);
        Assert.Equal([3, 1, 2, 5, 6, 0, 4], order);
        Assert.Equal(order.Select(i => BitConverter.SingleToInt32Bits(scores[i])), sorted.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SortDescendingOfAVocabularyMatchesAStableSort(bool withNaN)
    {
        // many ties, both zeros (equal scores: index order), infinities; a NaN sends the kernel to its comparison sort
        var rng = new Random(2);
        var scores = Enumerable.Range(0, 50_000).Select(_ => rng.Next(50) switch
        {
            0 => -0f, 1 => 0f, 2 => float.NegativeInfinity, 3 => float.PositiveInfinity,
            _ => MathF.Round((float)(rng.NextDouble() * 40 - 20), 1),
        }).ToArray();
        if (withNaN) scores[31_337] = float.NaN;
        var sorted = new float[scores.Length];
        var order = new int[scores.Length];
        fixed (float* s = sorted, x = scores) fixed (int* o = order) K.SortDescending(s, o, x, scores.Length);
        // LINQ's OrderByDescending is stable (equal scores keep ascending index order) and puts NaN last, torch first
        var want = Enumerable.Range(0, scores.Length).Where(i => !float.IsNaN(scores[i])).OrderByDescending(i => scores[i]);
        Assert.Equal((withNaN ? want.Prepend(31_337) : want).ToArray(), order);
        Assert.Equal(order.Select(i => scores[i]), sorted);
    }

    [Fact]
    public void ArgMaxTakesTheFirstMaximumOrTheFirstNaN()
    {
        float[] a = [1f, 5f, 5f, 2f], b = [1f, float.NaN, 5f, float.NaN];
        fixed (float* pa = a, pb = b)
        {
            Assert.Equal(1, K.ArgMax(pa, a.Length));
            Assert.Equal(1, K.ArgMax(pb, b.Length));
        }
    }

    [Fact]
    public void RepetitionPenaltyDividesPositiveAndMultipliesNegativeScores()
    {
        float[] x = [2f, -1f, 0f, 3f];
        int[] ids = [0, 1, 2];
        fixed (float* p = x) fixed (int* i = ids) K.RepetitionPenalty(p, i, ids.Length, 2f);
        Assert.Equal([1f, -2f, 0f, 3f], x);
    }

    [Fact]
    public void TopKKeepsTiesWithTheKthScore()
    {
        float[] sorted = [5f, 4f, 4f, 4f, 3f];
        fixed (float* s = sorted)
        {
            Assert.Equal(4, K.TopKCount(s, 5, 2));
            Assert.Equal(1, K.TopKCount(s, 5, 1));
            Assert.Equal(5, K.TopKCount(s, 5, 0));
            Assert.Equal(5, K.TopKCount(s, 5, 9));
        }
    }

    [Fact]
    public void ProbabilityCutsAndTheDrawFollowTheCumulativeMass()
    {
        float[] scores = [2f, 1f, -0.5f, -3f];
        var probs = new double[4];
        double z = scores.Sum(s => Math.Exp(s - 2.0));
        fixed (float* s = scores) fixed (double* p = probs) K.SoftmaxF64(p, s, 4);
        for (int i = 0; i < 4; i++) Assert.Equal(Math.Exp(scores[i] - 2.0) / z, probs[i], 15);

        double[] mass = [0.5, 0.3, 0.15, 0.05];
        int[] order = [7, 2, 9, 4];
        fixed (double* p = mass) fixed (int* o = order)
        {
            Assert.Equal(1, K.TopPCount(p, 4, 0.5f));    // the first token alone reaches 0.5
            Assert.Equal(2, K.TopPCount(p, 4, 0.75f));
            Assert.Equal(3, K.TopPCount(p, 4, 0.85f));
            Assert.Equal(2, K.MinPCount(p, 4, 0.5f));    // keep p >= 0.25
            Assert.Equal(3, K.MinPCount(p, 4, 0.25f));   // keep p >= 0.125
            Assert.Equal(1, K.MinPCount(p, 4, 1f));
            Assert.Equal(7, K.DrawSorted(p, o, 4, 0.0));
            Assert.Equal(7, K.DrawSorted(p, o, 4, 0.49));
            Assert.Equal(2, K.DrawSorted(p, o, 4, 0.5));
            Assert.Equal(4, K.DrawSorted(p, o, 4, 0.99));
            Assert.Equal(9, K.DrawSorted(p, o, 3, 0.99));  // rounding left no token: the last kept one
        }
    }
}
