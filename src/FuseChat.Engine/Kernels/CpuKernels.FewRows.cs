using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FuseChat.Engine.Kernels;

/// <summary>
/// The few-rows matmul of continuous batching. A packed GEMM copies every weight into panels on each call, which costs
/// more than the arithmetic when only 2-32 rows multiply it; here each weight row is read once per block of rows and
/// used for tiles of 4 input rows straight from cache. Each output element has one 8-wide accumulator over k in order,
/// then the same horizontal sum and scalar tail, in every code path and for FP32 and BF16 weights alike: a row's
/// results are independent of n and of the other rows, which is what makes the server's steps batch-invariant.
/// </summary>
public sealed unsafe partial class CpuKernels
{
    public void MatmulFewRows(float* output, float* inp, WeightPtr w, float* bias, int n, int k, int m)
    {
        if (w.IsBf16) FewRows<Bf16Rows>(output, inp, w.Address, n, k, m);
        else FewRows<F32Rows>(output, inp, w.Address, n, k, m);
        if (bias != null)
        {
            var b = new ReadOnlySpan<float>(bias, m);
            for (int i = 0; i < n; i++)
            {
                var row = new Span<float>(output + (long)i * m, m);
                TensorPrimitives.Add(row, b, row);
            }
        }
    }

    void FewRows<TW>(float* output, float* inp, nint w, int n, int k, int m) where TW : struct, IWeightRows
    {
        long work = (long)n * k * m;
        int threads = work < 2_000_000 ? 1 : Math.Min(_parallel.MaxDegreeOfParallelism, Math.Max(1, m / 64));
        int chunk = (m + threads - 1) / threads;
        chunk = (chunk + 2) / 3 * 3;   // column ranges in whole tiles of 3 weight rows
        // Rows in blocks whose inputs stay in L2 while a thread's weight rows stream past them once per block. When there
        // are several row blocks and a thread's weight rows do not fit in L2, that would read them from memory once per
        // block; instead blocks of weight rows that fit in L2 meet every row, 4 at a time. Only the loop order changes:
        // each element's arithmetic is the same either way.
        int rowBlock = Math.Clamp(32768 / Math.Max(1, k) & ~3, 4, 32);
        bool weightBlocks = n > rowBlock && (long)chunk * k * TW.ElementBytes > L2WeightBytes;
        int columnBlock = weightBlocks ? Math.Max(3, L2WeightBytes / (k * TW.ElementBytes) / 3 * 3) : chunk;
        int rowGroup = weightBlocks ? 4 : rowBlock;
        void Columns(int t)
        {
            int j0 = t * chunk, j1 = Math.Min(m, j0 + chunk);
            for (int b0 = j0; b0 < j1; b0 += columnBlock)
            {
                int b1 = Math.Min(j1, b0 + columnBlock);
                for (int i0 = 0; i0 < n; i0 += rowGroup)
                {
                    int rows = Math.Min(rowGroup, n - i0);
                    float* a = inp + (long)i0 * k, c = output + (long)i0 * m;
                    int j = b0;
                    for (; j + 3 <= b1; j += 3) ThreeColumns<TW>(c, a, w, rows, k, m, j);
                    for (; j < b1; j++) OneColumn<TW>(c, a, w, rows, k, m, j);
                }
            }
        }
        if (threads == 1) Columns(0);
        else Parallel.For(0, threads, _parallel, Columns);
    }

    /// <summary>Tiles of 4 rows × 3 weight rows: 12 accumulators, enough to hide the FMA latency.</summary>
    static void ThreeColumns<TW>(float* c, float* a, nint w, int n, int k, int m, int j) where TW : struct, IWeightRows
    {
        long w0 = (long)j * k, w1 = w0 + k, w2 = w1 + k;
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            float* a0 = a + (long)i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
            Vector256<float> s00 = default, s01 = default, s02 = default, s10 = default, s11 = default, s12 = default;
            Vector256<float> s20 = default, s21 = default, s22 = default, s30 = default, s31 = default, s32 = default;
            int p = 0;
            for (; p + 8 <= k; p += 8)
            {
                var x0 = TW.Load(w, w0 + p); var x1 = TW.Load(w, w1 + p); var x2 = TW.Load(w, w2 + p);
                var y = Vector256.Load(a0 + p);
                s00 = Vector256.FusedMultiplyAdd(y, x0, s00); s01 = Vector256.FusedMultiplyAdd(y, x1, s01); s02 = Vector256.FusedMultiplyAdd(y, x2, s02);
                y = Vector256.Load(a1 + p);
                s10 = Vector256.FusedMultiplyAdd(y, x0, s10); s11 = Vector256.FusedMultiplyAdd(y, x1, s11); s12 = Vector256.FusedMultiplyAdd(y, x2, s12);
                y = Vector256.Load(a2 + p);
                s20 = Vector256.FusedMultiplyAdd(y, x0, s20); s21 = Vector256.FusedMultiplyAdd(y, x1, s21); s22 = Vector256.FusedMultiplyAdd(y, x2, s22);
                y = Vector256.Load(a3 + p);
                s30 = Vector256.FusedMultiplyAdd(y, x0, s30); s31 = Vector256.FusedMultiplyAdd(y, x1, s31); s32 = Vector256.FusedMultiplyAdd(y, x2, s32);
            }
            Finish<TW>(c, i, j, m, s00, a0, w, w0, p, k); Finish<TW>(c, i, j + 1, m, s01, a0, w, w1, p, k); Finish<TW>(c, i, j + 2, m, s02, a0, w, w2, p, k);
            Finish<TW>(c, i + 1, j, m, s10, a1, w, w0, p, k); Finish<TW>(c, i + 1, j + 1, m, s11, a1, w, w1, p, k); Finish<TW>(c, i + 1, j + 2, m, s12, a1, w, w2, p, k);
            Finish<TW>(c, i + 2, j, m, s20, a2, w, w0, p, k); Finish<TW>(c, i + 2, j + 1, m, s21, a2, w, w1, p, k); Finish<TW>(c, i + 2, j + 2, m, s22, a2, w, w2, p, k);
            Finish<TW>(c, i + 3, j, m, s30, a3, w, w0, p, k); Finish<TW>(c, i + 3, j + 1, m, s31, a3, w, w1, p, k); Finish<TW>(c, i + 3, j + 2, m, s32, a3, w, w2, p, k);
        }
        for (; i < n; i++)   // the last n % 4 rows, one at a time
        {
            float* ai = a + (long)i * k;
            Vector256<float> s0 = default, s1 = default, s2 = default;
            int p = 0;
            for (; p + 8 <= k; p += 8)
            {
                var y = Vector256.Load(ai + p);
                s0 = Vector256.FusedMultiplyAdd(y, TW.Load(w, w0 + p), s0);
                s1 = Vector256.FusedMultiplyAdd(y, TW.Load(w, w1 + p), s1);
                s2 = Vector256.FusedMultiplyAdd(y, TW.Load(w, w2 + p), s2);
            }
            Finish<TW>(c, i, j, m, s0, ai, w, w0, p, k); Finish<TW>(c, i, j + 1, m, s1, ai, w, w1, p, k); Finish<TW>(c, i, j + 2, m, s2, ai, w, w2, p, k);
        }
    }

    static void OneColumn<TW>(float* c, float* a, nint w, int n, int k, int m, int j) where TW : struct, IWeightRows
    {
        long wj = (long)j * k;
        for (int i = 0; i < n; i++)
        {
            float* ai = a + (long)i * k;
            Vector256<float> s = default;
            int p = 0;
            for (; p + 8 <= k; p += 8) s = Vector256.FusedMultiplyAdd(Vector256.Load(ai + p), TW.Load(w, wj + p), s);
            Finish<TW>(c, i, j, m, s, ai, w, wj, p, k);
        }
    }

    /// <summary>The one way every element is completed: horizontal sum of its accumulator, then the k % 8 tail in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Finish<TW>(float* c, int i, int j, int m, Vector256<float> s, float* a, nint w, long wRow, int p, int k) where TW : struct, IWeightRows
    {
        float sum = Vector256.Sum(s);
        for (; p < k; p++) sum = MathF.FusedMultiplyAdd(a[p], TW.At(w, wRow + p), sum);
        c[(long)i * m + j] = sum;
    }

    /// <summary>Weight bytes a thread keeps in L2 while every row passes them (half of a typical 512 KiB L2).</summary>
    const int L2WeightBytes = 256 * 1024;

    /// <summary>How the few-rows kernels read a weight element type as FP32 (widening BF16 is exact).</summary>
    interface IWeightRows
    {
        static abstract int ElementBytes { get; }
        static abstract Vector256<float> Load(nint w, long index);
        static abstract float At(nint w, long index);
    }

    readonly struct F32Rows : IWeightRows
    {
        public static int ElementBytes => 4;
        public static Vector256<float> Load(nint w, long index) => Vector256.Load((float*)w + index);
        public static float At(nint w, long index) => ((float*)w)[index];
    }

    readonly struct Bf16Rows : IWeightRows
    {
        public static int ElementBytes => 2;
        public static Vector256<float> Load(nint w, long index)
        {
            ushort* p = (ushort*)w + index;
            if (Avx2.IsSupported) return Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p), 16).AsSingle();
            var (lo, hi) = Vector128.Widen(Vector128.Load(p));
            return Vector256.ShiftLeft(Vector256.Create(lo, hi), 16).AsSingle();
        }
        public static float At(nint w, long index) => Numerics.Bf16.FromBits(((ushort*)w)[index]);
    }
}
