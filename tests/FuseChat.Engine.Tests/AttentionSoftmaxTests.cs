using FuseChat.Engine.Kernels;

namespace FuseChat.Engine.Tests;

/// <summary>Attention scores past exp's float range (~88.7) still give torch's softmax, in the padded-batch and the ragged kernel.</summary>
public unsafe class AttentionSoftmaxTests
{
    const int T = 3, Hd = 2;
    static readonly float[] Q = [10f, 10f, 9f, 11f, 12f, 8f];
    static readonly float[] Keys = [10f, 0f, 0f, 10f, 9f, 9f];   // causal scores reach 100-180
    static readonly float[] Values = [1f, -2f, 0.5f, 3f, -1f, 4f];

    [Fact]
    public void PaddedBatchAttentionHandlesLargeScores()
    {
        var k = new CpuKernels(new ManagedGemm());
        float[] kc = new float[T * Hd], vc = new float[T * Hd], o = new float[T * Hd];
        int[] padStart = [0];
        fixed (float* pq = Q, pk = Keys, pv = Values, pkc = kc, pvc = vc, po = o) fixed (int* ps = padStart)
        {
            var a = new AttentionArgs { Batch = 1, NewTokens = T, Past = 0, Capacity = T, Heads = 1, KvHeads = 1, HeadDim = Hd, Scale = 1f, PadStart = ps };
            k.StoreKv(pkc, pk, a);
            k.StoreKv(pvc, pv, a);
            k.Attention(po, pq, pkc, pvc, a);
        }
        AssertNaive(o);
    }

    [Fact]
    public void RaggedAttentionHandlesLargeScores()
    {
        var k = new CpuKernels(new ManagedGemm());
        float[] kc = new float[T * Hd], vc = new float[T * Hd], o = new float[T * Hd];
        fixed (float* pq = Q, pk = Keys, pv = Values, pkc = kc, pvc = vc, po = o)
        {
            RaggedSegment[] segments = [new() { Row = 0, NewTokens = T, Past = 0, Capacity = T, KCache = pkc, VCache = pvc }];
            k.RaggedAttention(po, pq, pk, pv, segments, new RaggedAttentionArgs { Heads = 1, KvHeads = 1, HeadDim = Hd, Scale = 1f });
        }
        AssertNaive(o);
    }

    /// <summary>Causal attention in double, max-subtracted.</summary>
    static void AssertNaive(float[] o)
    {
        for (int i = 0; i < T; i++)
        {
            var s = Enumerable.Range(0, i + 1).Select(j => (double)Q[i * Hd] * Keys[j * Hd] + (double)Q[i * Hd + 1] * Keys[j * Hd + 1]).ToArray();
            double max = s.Max(), z = s.Sum(x => Math.Exp(x - max));
            for (int d = 0; d < Hd; d++)
            {
                double want = Enumerable.Range(0, i + 1).Sum(j => Math.Exp(s[j] - max) / z * Values[j * Hd + d]);
                Assert.Equal(want, o[i * Hd + d], 4);
            }
        }
    }
}
