using System.Runtime.InteropServices;
using FuseChat.Engine.Kernels;

namespace FuseChat.Server.Tests;

/// <summary>The continuous-batching matmul: right against a double-precision sum, and bit-identical per row whatever the row count.</summary>
public unsafe class FewRowsMatmulTests
{
    [Theory]
    [InlineData(13, 77, 37)]    // odd everything: row blocks of 4 with a remainder, k tail, an odd last column
    [InlineData(32, 256, 300)]  // large enough to split columns over threads
    [InlineData(70, 2048, 61)]  // past 32 rows, k large enough for several row blocks; weights past L2, so weight blocks
    [InlineData(45, 1000, 400)] // weights past L2 per thread: blocks of weight rows meet every row (two threads, ragged ends)
    public void RowsAreExactAndIndependentOfTheRowCount(int n, int k, int m)
    {
        var rng = new Random(n * 1000 + k);
        float[] a = Enumerable.Range(0, n * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] w = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] bias = Enumerable.Range(0, m).Select(_ => (float)rng.NextDouble()).ToArray();
        var kernels = new CpuKernels(threads: 2);
        var all = new float[n * m];
        var one = new float[m];
        fixed (float* pa = a, pw = w, pb = bias, pall = all, pone = one)
        {
            kernels.MatmulFewRows(pall, pa, WeightPtr.Of(pw), pb, n, k, m);
            for (int i = 0; i < n; i++)
            {
                kernels.MatmulFewRows(pone, pa + i * k, WeightPtr.Of(pw), pb, 1, k, m);
                Assert.Equal(one, all.AsSpan(i * m, m).ToArray());   // bitwise: alone = in a batch
                for (int j = 0; j < m; j++)
                {
                    double exact = bias[j];
                    for (int p = 0; p < k; p++) exact += (double)a[i * k + p] * w[j * k + p];
                    Assert.True(Math.Abs(exact - all[i * m + j]) < 1e-4 * Math.Sqrt(k), $"[{i},{j}] {all[i * m + j]} vs {exact}");
                }
            }
        }
    }

    /// <summary>BF16 weights go through the same arithmetic as FP32 ones widened beforehand (widening is exact), so a
    /// BF16-served model is batch-invariant too.</summary>
    [Theory]
    [InlineData(5, 40, 31)]
    [InlineData(37, 300, 100)]
    [InlineData(40, 3000, 50)]   // BF16 weight rows in blocks that fit L2
    public void Bf16WeightsGiveTheBitsOfTheirWidenedCopy(int n, int k, int m)
    {
        var rng = new Random(n + k);
        float[] a = Enumerable.Range(0, n * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        ushort[] w16 = Enumerable.Range(0, m * k).Select(_ => FuseChat.Engine.Numerics.Bf16.ToBits((float)(rng.NextDouble() * 2 - 1))).ToArray();
        float[] w32 = w16.Select(FuseChat.Engine.Numerics.Bf16.FromBits).ToArray();
        var kernels = new CpuKernels(threads: 2);
        var from16 = new float[n * m];
        var from32 = new float[n * m];
        var one = new float[m];
        fixed (float* pa = a, p32 = w32, o16 = from16, o32 = from32, pone = one)
        fixed (ushort* p16 = w16)
        {
            kernels.MatmulFewRows(o16, pa, WeightPtr.Of(p16), null, n, k, m);
            kernels.MatmulFewRows(o32, pa, WeightPtr.Of(p32), null, n, k, m);
            kernels.MatmulFewRows(pone, pa + (n - 1) * k, WeightPtr.Of(p16), null, 1, k, m);
        }
        Assert.Equal(from32, from16);
        Assert.Equal(one, from16.AsSpan((n - 1) * m, m).ToArray());
    }
}
