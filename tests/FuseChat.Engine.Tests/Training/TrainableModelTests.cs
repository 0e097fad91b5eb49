using FuseChat.Engine.Inference;
using FuseChat.Engine.Model;
using FuseChat.Engine.Training;
using static FuseChat.Engine.Tests.Training.FiniteDifference;

namespace FuseChat.Engine.Tests.Training;

/// <summary>The training forward against the inference engine, whole-model finite differences, accumulation and clipping.</summary>
public unsafe class TrainableModelTests
{
    /// <summary>The four architectures, each with its extras (Qwen2 biases + window, Mistral window, Gemma-2 everything).</summary>
    public static IEnumerable<object[]> Architectures => new[] { "llama", "qwen2_sliding", "mistral", "gemma2", "llama3_scaled" }.Select(v => new object[] { v });

    [Theory]
    [MemberData(nameof(Fixture.All), MemberType = typeof(Fixture))]
    public void ForwardLogProbsEqualsTheInferenceEnginesLogProbs(string variant)
    {
        var expected = Fixture.LogProbs(variant);
        using var engine = Transformer.Load(Fixture.Dir(variant), storage: WeightStorage.F32);
        var reference = LogProbs.ComputeBatch(engine, expected.Select(e => e.Request).ToList());
        using var model = TrainableModel.Load(Fixture.Dir(variant));
        var batch = SequenceBatch.FromRows(expected.Select(e => e.Request.PromptIds.Concat(e.Request.ResponseIds).ToArray()).ToList());
        var logps = model.ForwardLogProbs(batch);
        for (int r = 0; r < expected.Count; r++)
        {
            int p = expected[r].Request.PromptIds.Length;
            for (int j = 0; j < expected[r].TokenLogps.Length; j++)
            {
                float got = logps[batch.LogProbIndex(r, p - 1 + j)];
                Assert.True(Math.Abs(got - reference[r].TokenLogps[j]) <= 2e-5 * Math.Max(1, Math.Abs(got)),
                    $"{variant} row {r} token {j}: training forward {got} vs engine {reference[r].TokenLogps[j]}");
                Assert.True(Math.Abs(got - expected[r].TokenLogps[j]) <= 1e-4 * Math.Max(1, Math.Abs(got)),
                    $"{variant} row {r} token {j}: training forward {got} vs PyTorch {expected[r].TokenLogps[j]}");
            }
        }
        // beyond each row's length the layout holds zeros
        for (int r = 0; r < batch.Rows; r++)
            for (int t = batch.Lengths[r] - 1; t < batch.Length - 1; t++) Assert.Equal(0f, logps[batch.LogProbIndex(r, t)]);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void WholeModelGradientsMatchFiniteDifferences(string variant)
    {
        using var model = TrainableModel.Load(Fixture.Dir(variant));
        var batch = SequenceBatch.FromRows([[5, 17, 3, 88, 41, 9], [12, 7, 33]]);
        var rng = new Random(11);
        var up = Random(rng, batch.Rows * (batch.Length - 1));
        double Loss() => Dot(up, model.ForwardLogProbs(batch));
        Loss();
        model.ZeroGrad();
        model.Backward(up);
        foreach (var p in model.Parameters)
        {
            var values = p.Values.ToArray();
            var grad = p.Gradient.ToArray();
            var probe = Probe(values.Length, 3).ToList();
            CheckInArena(variant + " " + p.Name, p, values, grad, probe, Loss);
        }
    }

    static void CheckInArena(string what, TrainableTensor p, float[] values, float[] grad, List<int> probe, Func<double> loss)
    {
        double scale = Math.Sqrt(grad.Sum(g => (double)g * g) / grad.Length);
        const float eps = 1e-2f;
        foreach (int i in probe)
        {
            float v = values[i];
            p.Values[i] = v + eps; double lp = loss();
            p.Values[i] = v - eps; double lm = loss();
            p.Values[i] = v;
            double fd = (lp - lm) / (2.0 * eps);
            double err = Math.Abs(fd - grad[i]), bound = 2e-3 + 2e-2 * Math.Max(Math.Abs(fd), scale);
            Assert.True(err <= bound, $"{what}[{i}]: analytic {grad[i]:G6} vs finite difference {fd:G6} (error {err:E2}, allowed {bound:E2})");
        }
    }

    [Fact]
    public void MicroBatchesAccumulateToTheFullBatchGradient()
    {
        using var model = TrainableModel.Load(Fixture.Dir("qwen2_sliding"));
        int[][] rows = [[5, 17, 3, 88, 41, 9, 60, 2], [12, 7, 33], [44, 3, 19, 27, 61]];
        var rng = new Random(12);
        var full = SequenceBatch.FromRows(rows);
        var upFull = Random(rng, full.Rows * (full.Length - 1));
        model.ForwardLogProbs(full);
        model.ZeroGrad();
        model.Backward(upFull);
        var expected = model.Parameters.Select(p => p.Gradient.ToArray()).ToList();

        model.ZeroGrad();
        foreach (var (from, to) in new[] { (0, 1), (1, 3) })
        {
            var micro = SequenceBatch.FromRows(rows[from..to]);
            var up = new float[micro.Rows * (micro.Length - 1)];
            for (int r = 0; r < micro.Rows; r++)
                for (int t = 0; t + 1 < micro.Lengths[r]; t++) up[micro.LogProbIndex(r, t)] = upFull[full.LogProbIndex(from + r, t)];
            model.ForwardLogProbs(micro);
            model.Backward(up);
        }
        AssertGradientsEqual(model, expected, "accumulated", "one batch");
    }

    /// <summary>Every parameter gradient equals <paramref name="expected"/> to 1e-4 relative (to the element or its tensor's RMS).</summary>
    static void AssertGradientsEqual(TrainableModel model, List<float[]> expected, string gotName, string expectedName)
    {
        for (int t = 0; t < expected.Count; t++)
        {
            var got = model.Parameters[t].Gradient;
            double scale = Math.Sqrt(expected[t].Sum(x => (double)x * x) / expected[t].Length) + 1e-12;
            for (int i = 0; i < got.Length; i++)
                Assert.True(Math.Abs(got[i] - expected[t][i]) <= 1e-4 * Math.Max(Math.Abs(expected[t][i]), scale),
                    $"{model.Config.Arch} {model.Parameters[t].Name}[{i}]: {gotName} {got[i]} vs {expectedName} {expected[t][i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void PackedSegmentsTrainExactlyLikeSeparateRows(string variant)
    {
        // Three sequences packed into one row, plus a fourth alone: every log-prob inside a segment and every parameter
        // gradient must equal those of the four sequences as separate rows (positions restart, no attention across).
        using var model = TrainableModel.Load(Fixture.Dir(variant));
        int[][] parts = [[5, 17, 3, 88, 41, 9, 60, 2], [12, 7, 33], [44, 3, 19, 27, 61], [8, 90, 14, 6]];
        var separate = SequenceBatch.FromRows(parts);
        var packed = SequenceBatch.FromRows([[.. parts[0], .. parts[1], .. parts[2]], parts[3]],
            segmentLengths: [[parts[0].Length, parts[1].Length, parts[2].Length], null]);
        var rng = new Random(13);
        var upSeparate = Random(rng, separate.Rows * (separate.Length - 1));
        for (int r = 0; r < separate.Rows; r++)
            for (int t = separate.Lengths[r] - 1; t < separate.Length - 1; t++) upSeparate[separate.LogProbIndex(r, t)] = 0;
        // where each separate row's log-prob t sits in the packed layout
        int PackedIndex(int r, int t) => r < 3 ? packed.LogProbIndex(0, parts.Take(r).Sum(x => x.Length) + t) : packed.LogProbIndex(1, t);

        var want = model.ForwardLogProbs(separate);
        model.ZeroGrad();
        model.Backward(upSeparate);
        var expected = model.Parameters.Select(p => p.Gradient.ToArray()).ToList();

        var got = model.ForwardLogProbs(packed);
        var upPacked = new float[packed.Rows * (packed.Length - 1)];   // boundary predictions (A's last token → B's first) get 0
        for (int r = 0; r < parts.Length; r++)
            for (int t = 0; t + 1 < parts[r].Length; t++)
            {
                float w = want[separate.LogProbIndex(r, t)], g = got[PackedIndex(r, t)];
                Assert.True(Math.Abs(g - w) <= 2e-5 * Math.Max(1, Math.Abs(w)), $"{variant} sequence {r} token {t}: packed {g} vs alone {w}");
                upPacked[PackedIndex(r, t)] = upSeparate[separate.LogProbIndex(r, t)];
            }
        model.ZeroGrad();
        model.Backward(upPacked);
        AssertGradientsEqual(model, expected, "packed", "separate rows");
    }

    [Fact]
    public void SegmentLengthsThatDoNotCoverTheRowAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => SequenceBatch.FromRows([[1, 2, 3, 4]], segmentLengths: [[1, 2]]));
        Assert.Contains("do not add up", e.Message);
    }

    [Fact]
    public void ClipGradNormScalesLikeTorchAndReturnsThePreClipNorm()
    {
        using var model = TrainableModel.Load(Fixture.Dir("llama"));
        var batch = SequenceBatch.FromRows([[5, 17, 3, 88, 41, 9]]);
        model.ForwardLogProbs(batch);
        model.ZeroGrad();
        model.Backward(Enumerable.Repeat(-1f, batch.Length - 1).ToArray());
        double ss = model.Parameters.Sum(p => { double s = 0; foreach (var g in p.Gradient) s += (double)g * g; return s; });
        double norm = model.GradNorm();
        Assert.Equal(Math.Sqrt(ss), norm, 6);
        Assert.Equal(norm, model.ClipGradNorm(0.5), 9);
        Assert.Equal(0.5 * norm / (norm + 1e-6), model.GradNorm(), 5);
        double before = model.GradNorm();
        Assert.Equal(before, model.ClipGradNorm(1e6), 9);   // above the norm: untouched
        Assert.Equal(before, model.GradNorm(), 9);
    }

    [Fact]
    public void ZeroUpstreamGradientGivesZeroGradients()
    {
        using var model = TrainableModel.Load(Fixture.Dir("gemma2"));
        var batch = SequenceBatch.FromRows([[5, 17, 3], [9]]);
        model.ForwardLogProbs(batch);
        model.ZeroGrad();
        model.Backward(new float[batch.Rows * (batch.Length - 1)]);
        Assert.Equal(0.0, model.GradNorm());
    }

    [Fact]
    public void WeightDecayFlagsFollowTheHfTrainerRule()
    {
        using var model = TrainableModel.Load(Fixture.Dir("llama3_scaled"));
        foreach (var p in model.Parameters)
        {
            bool exempt = p.Name.EndsWith(".bias") || p.Name.Contains("norm");
            Assert.Equal(!exempt, p.WeightDecay);
        }
        Assert.Contains(model.Parameters, p => p.Name == "model.embed_tokens.weight" && p.WeightDecay);
    }
}
