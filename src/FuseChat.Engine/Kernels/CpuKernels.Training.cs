using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FuseChat.Engine.Kernels;

/// <summary>CPU implementations of the training kernels (forward-with-statistics, backward, optimizer updates).</summary>
public sealed unsafe partial class CpuKernels
{
    public void MatmulBackward(float* dinp, float* dweight, float* dbias, float* dout, float* inp, WeightPtr w, int n, int k, int m)
    {
        if (n == 0) return;
        // dinp[n, k] += dout[n, m] · w[m, k]
        if (dinp != null && !w.IsBf16) Gemm.Sgemm(false, false, n, k, m, 1f, dout, m, w.F32, k, 1f, dinp, k);
        else if (dinp != null)
        {
            // a frozen BF16 weight (LoRA base): widen a panel of its rows at a time, exactly, and add that panel's share
            const int panel = 256;
            float* wide = (float*)NativeMemory.AlignedAlloc((nuint)((long)Math.Min(panel, m) * k * 4), 64);
            try
            {
                for (int j0 = 0; j0 < m; j0 += panel)
                {
                    int jn = Math.Min(panel, m - j0);
                    Numerics.Bf16.ToFloat(w.Bf16 + (long)j0 * k, wide, (long)jn * k);
                    Gemm.Sgemm(false, false, n, k, jn, 1f, dout + j0, m, wide, k, 1f, dinp, k);
                }
            }
            finally { NativeMemory.AlignedFree(wide); }
        }
        // dweight[m, k] += dout[n, m]ᵀ · inp[n, k]
        if (dweight != null) Gemm.Sgemm(true, false, m, k, n, 1f, dout, m, inp, k, 1f, dweight, k);
        if (dbias != null)
        {
            var db = new Span<float>(dbias, m);
            for (int i = 0; i < n; i++) TensorPrimitives.Add(db, new ReadOnlySpan<float>(dout + (long)i * m, m), db);
        }
    }

    public void EmbeddingBackward(float* dtable, int* ids, float* dout, int n, int c, float scale)
    {
        // Serial: repeated ids would race under threads, and this is a few MB of adds per step.
        for (int i = 0; i < n; i++)
        {
            var dst = new Span<float>(dtable + (long)ids[i] * c, c);
            var src = new ReadOnlySpan<float>(dout + (long)i * c, c);
            if (scale == 1f) TensorPrimitives.Add(dst, src, dst);
            else TensorPrimitives.MultiplyAdd(src, scale, dst, dst);
        }
    }

    public void RmsNormBackward(float* dinp, float* dweight, float* dout, float* inp, float* w, int n, int c, float eps, bool addOne)
    {
        float[] geff = new float[c], weff = new float[c];
        for (int j = 0; j < c; j++) weff[j] = addOne ? 1f + w[j] : w[j];
        for (int i = 0; i < n; i++)
        {
            var x = new ReadOnlySpan<float>(inp + (long)i * c, c);
            var dy = new ReadOnlySpan<float>(dout + (long)i * c, c);
            float r = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(x) / c + eps);   // as the forward computes it
            TensorPrimitives.Multiply(dy, weff, geff);                             // g = dy · w
            if (dinp != null)
            {
                // y = x·r·w  ⇒  dx = r·g - r³/c · (g·x) · x
                float coef = -r * r * r / c * TensorPrimitives.Dot(geff, x);
                var dx = new Span<float>(dinp + (long)i * c, c);
                TensorPrimitives.MultiplyAdd(geff, r, dx, dx);
                TensorPrimitives.MultiplyAdd(x, coef, dx, dx);
            }
            if (dweight != null)
            {
                var dw = new Span<float>(dweight, c);
                TensorPrimitives.Multiply(dy, x, geff);
                TensorPrimitives.MultiplyAdd(geff, r, dw, dw);
            }
        }
    }

    // The forward is a rotation by +angle on each (f, f + half) pair; its transpose rotates by -angle.
    public void RopeBackward(float* dx, int* positions, int n, int heads, int headDim, float* invFreq) =>
        Rotate(dx, positions, n, heads, headDim, invFreq, direction: -1f);

    public void GatedActivationBackward(float* dgate, float* dup, float* dout, float* gate, float* up, long n, bool geluTanh)
    {
        const int chunk = 1 << 14;
        long chunks = (n + chunk - 1) / chunk;
        Parallel.For(0L, chunks, _parallel, ci =>
        {
            long start = ci * chunk;
            int len = (int)Math.Min(chunk, n - start);
            float* g = gate + start, u = up + start, d = dout + start, dg = dgate + start, du = dup + start;
            if (geluTanh)
            {
                const float c = 0.7978845608028654f, a3 = 0.044715f;
                for (int i = 0; i < len; i++)
                {
                    float x = g[i];
                    float t = MathF.Tanh(c * (x + a3 * x * x * x));
                    float act = 0.5f * x * (1f + t);
                    float dact = 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * c * (1f + 3f * a3 * x * x);
                    dg[i] += d[i] * u[i] * dact;
                    du[i] += d[i] * act;
                }
            }
            else
                for (int i = 0; i < len; i++)
                {
                    float x = g[i];
                    float s = 1f / (1f + MathF.Exp(-x));
                    dg[i] += d[i] * u[i] * s * (1f + x * (1f - s));
                    du[i] += d[i] * x * s;
                }
        });
    }

    public void SoftCapBackward(float* grad, float* capped, long n, float cap)
    {
        float inv = 1f / cap;
        for (long i = 0; i < n; i++)
        {
            float t = capped[i] * inv;
            grad[i] *= 1f - t * t;
        }
    }

    public void LogSoftmaxGatherBackward(float* logits, int* targets, float* dLogp, int rows, int vocab, float softcap)
    {
        Parallel.For(0, rows, _parallel, () => new float[vocab], (r, _, p) =>
        {
            var y = new Span<float>(logits + (long)r * vocab, vocab);
            float g = dLogp[r];
            if (g == 0f) { y.Clear(); return p; }
            // p = softmax(y); dy = g·(onehot(target) - p); then through the soft-cap: ·(1 - (y/cap)²), y being the capped value
            float max = TensorPrimitives.Max(y);
            TensorPrimitives.Subtract(y, max, p);
            TensorPrimitives.Exp(p, p);
            float sum = TensorPrimitives.Sum(p);
            TensorPrimitives.Multiply(p, -g / sum, p);
            p[targets[r]] += g;
            if (softcap > 0)
            {
                TensorPrimitives.Multiply(y, y, y);
                TensorPrimitives.Multiply(y, -1f / (softcap * softcap), y);
                TensorPrimitives.Add(y, 1f, y);
                TensorPrimitives.Multiply(y, p, y);
            }
            else p.CopyTo(y);
            return p;
        }, _ => { });
    }

    public void Zero(float* x, long n) => NativeMemory.Clear(x, (nuint)(n * sizeof(float)));

    public double SumOfSquares(float* x, long n)
    {
        double total = 0;
        const int chunk = 4096;   // float partial sums over short runs, double across them
        for (long s = 0; s < n; s += chunk)
            total += TensorPrimitives.SumOfSquares(new ReadOnlySpan<float>(x + s, (int)Math.Min(chunk, n - s)));
        return total;
    }

    public void Scale(float* x, long n, float s)
    {
        for (long start = 0; start < n; start += int.MaxValue / 2)
        {
            var span = new Span<float>(x + start, (int)Math.Min(int.MaxValue / 2, n - start));
            TensorPrimitives.Multiply(span, s, span);
        }
    }

    public void AdamWStep(float* param, float* grad, float* m, float* v, long n, float lr, float beta1, float beta2, float eps,
        float weightDecay, int step)
    {
        // Scalars in double then rounded once, as torch computes Python-float hyperparameters.
        float decay = (float)(1.0 - (double)lr * weightDecay);
        float b1 = beta1, b2 = beta2, omb1 = (float)(1.0 - beta1), omb2 = (float)(1.0 - beta2);
        double bc1 = 1.0 - Math.Pow(beta1, step), bc2 = 1.0 - Math.Pow(beta2, step);
        float stepSize = (float)(lr / bc1), bc2Sqrt = (float)Math.Sqrt(bc2);
        const int chunk = 1 << 15;
        long chunks = (n + chunk - 1) / chunk;
        Parallel.For(0L, chunks, _parallel, ci =>
        {
            long s = ci * chunk, e = Math.Min(n, s + chunk), i = s;
            // Same operations in the same order as the scalar tail (no fused multiply-add), so results do not depend on the path.
            var vDecay = Vector256.Create(decay); var vb1 = Vector256.Create(b1); var vb2 = Vector256.Create(b2);
            var vo1 = Vector256.Create(omb1); var vo2 = Vector256.Create(omb2); var vStep = Vector256.Create(stepSize);
            var vBc2 = Vector256.Create(bc2Sqrt); var vEps = Vector256.Create(eps);
            for (; i + 8 <= e; i += 8)
            {
                var g = Vector256.Load(grad + i);
                var p = Vector256.Load(param + i) * vDecay;
                var mi = Vector256.Load(m + i) * vb1 + g * vo1;
                var vi = Vector256.Load(v + i) * vb2 + g * g * vo2;
                mi.Store(m + i); vi.Store(v + i);
                (p - vStep * (mi / (Vector256.Sqrt(vi) / vBc2 + vEps))).Store(param + i);
            }
            for (; i < e; i++)
            {
                float g = grad[i];
                float p = param[i] * decay;
                float mi = m[i] * b1 + g * omb1;
                float vi = v[i] * b2 + g * g * omb2;
                m[i] = mi; v[i] = vi;
                param[i] = p - stepSize * (mi / (MathF.Sqrt(vi) / bc2Sqrt + eps));
            }
        });
    }

    public void SgdStep(float* param, float* grad, long n, float lr, float weightDecay)
    {
        for (long i = 0; i < n; i++)
        {
            float g = weightDecay != 0 ? grad[i] + weightDecay * param[i] : grad[i];
            param[i] -= lr * g;
        }
    }

    /// <summary>Query rows per block: scores are formed [block, keys up to the block's end], so causal masking wastes little.</summary>
    const int AttentionBlock = 128;

    /// <summary>Key range [lo, i] a query at position i sees: its own segment (<paramref name="seg"/>: the row's segment
    /// starts, or null for one segment), cut to the sliding window. Non-decreasing in i, so a block's first query has the
    /// block's lowest key.</summary>
    static int FirstKey(int i, int window, int* seg)
    {
        int lo = seg == null ? 0 : seg[i];
        return window > 0 ? Math.Max(lo, i - window + 1) : lo;
    }

    /// <summary>End (exclusive) of the query block starting at i0: at most <see cref="AttentionBlock"/> queries, and never
    /// past the end of i0's segment, so a packed row's blocks only form scores against their own segment's keys.</summary>
    static int BlockEnd(int i0, int len, int* seg)
    {
        int end = Math.Min(len, i0 + AttentionBlock);
        if (seg != null)
            for (int j = i0 + 1; j < end; j++)
                if (seg[j] != seg[i0]) return j;
        return end;
    }

    /// <summary>
    /// Turns raw scores s[r, 0..nk) (keys lo0.. of query i0 + r) into probabilities in place: soft-cap, mask, softmax;
    /// writes lse per row. When <paramref name="dcap"/> is given it receives 1 - tanh² for the soft-cap's backward.
    /// </summary>
    static void BlockSoftmax(float* s, int nq, int nk, int i0, int lo0, in SequenceAttentionArgs a, int* seg, float* lse, float* lseKnown, float* dcap)
    {
        for (int r = 0; r < nq; r++)
        {
            int i = i0 + r, jlo = FirstKey(i, a.Window, seg) - lo0, jhi = i - lo0;   // visible columns [jlo, jhi]
            var row = new Span<float>(s + (long)r * nk, nk);
            var vis = row[jlo..(jhi + 1)];
            if (a.Softcap > 0)
            {
                TensorPrimitives.Multiply(vis, 1f / a.Softcap, vis);
                TensorPrimitives.Tanh(vis, vis);
                if (dcap != null)
                {
                    var d = new Span<float>(dcap + (long)r * nk, nk)[jlo..(jhi + 1)];
                    TensorPrimitives.Multiply(vis, vis, d);
                    TensorPrimitives.Negate(d, d);
                    TensorPrimitives.Add(d, 1f, d);
                }
                TensorPrimitives.Multiply(vis, a.Softcap, vis);
            }
            if (lseKnown != null)
            {
                TensorPrimitives.Subtract(vis, lseKnown[r], vis);
                TensorPrimitives.Exp(vis, vis);
            }
            else
            {
                float max = TensorPrimitives.Max(vis);
                TensorPrimitives.Subtract(vis, max, vis);
                TensorPrimitives.Exp(vis, vis);
                float sum = TensorPrimitives.Sum(vis);
                lse[r] = max + MathF.Log(sum);
                TensorPrimitives.Multiply(vis, 1f / sum, vis);
            }
            if (dcap != null)
            {
                var d = new Span<float>(dcap + (long)r * nk, nk);
                d[..jlo].Clear();
                d[(jhi + 1)..].Clear();
            }
            row[..jlo].Clear();
            row[(jhi + 1)..].Clear();
        }
    }

    public void SequenceAttention(float* output, float* lse, float* q, float* k, float* v, in SequenceAttentionArgs a)
    {
        int groups = a.Heads / a.KvHeads, hd = a.HeadDim, L = a.Length;
        int qs = a.Heads * hd, ks = a.KvHeads * hd;
        float* s = (float*)NativeMemory.AlignedAlloc((nuint)((long)AttentionBlock * L * 4), 64);
        try
        {
            // Heads one after another: each block is two GEMMs, which use every thread themselves.
            for (int b = 0; b < a.Rows; b++)
                for (int h = 0; h < a.Heads; h++)
                {
                    int kvh = h / groups, len = a.Lengths[b];
                    int* seg = a.SegmentStarts == null ? null : a.SegmentStarts + (long)b * L;
                    float* qh = q + (long)b * L * qs + h * hd, oh = output + (long)b * L * qs + h * hd;
                    float* kh = k + (long)b * L * ks + kvh * hd, vh = v + (long)b * L * ks + kvh * hd;
                    float* lseRow = lse + ((long)b * a.Heads + h) * L;
                    for (int i = len; i < L; i++) { new Span<float>(oh + (long)i * qs, hd).Clear(); lseRow[i] = 0; }   // padding
                    for (int i0 = 0, i1; i0 < len; i0 = i1)
                    {
                        i1 = BlockEnd(i0, len, seg);
                        int nq = i1 - i0, lo0 = FirstKey(i0, a.Window, seg), nk = i1 - lo0;
                        Gemm.Sgemm(false, true, nq, nk, hd, a.Scale, qh + (long)i0 * qs, qs, kh + (long)lo0 * ks, ks, 0f, s, nk);
                        BlockSoftmax(s, nq, nk, i0, lo0, a, seg, lseRow + i0, null, null);
                        Gemm.Sgemm(false, false, nq, hd, nk, 1f, s, nk, vh + (long)lo0 * ks, ks, 0f, oh + (long)i0 * qs, qs);
                    }
                }
        }
        finally { NativeMemory.AlignedFree(s); }
    }

    public void SequenceAttentionBackward(float* dq, float* dk, float* dv, float* dout, float* output, float* lse,
        float* q, float* k, float* v, in SequenceAttentionArgs a)
    {
        int groups = a.Heads / a.KvHeads, hd = a.HeadDim, L = a.Length;
        int qs = a.Heads * hd, ks = a.KvHeads * hd;
        long block = (long)AttentionBlock * L;
        float* p = (float*)NativeMemory.AlignedAlloc((nuint)(block * 3 * 4), 64);
        float* ds = p + block, dcap = p + 2 * block;
        float* dRow = stackalloc float[AttentionBlock];
        try
        {
            // Serial over heads, so the query heads sharing a kv head (GQA) add into dk/dv without races.
            for (int b = 0; b < a.Rows; b++)
                for (int h = 0; h < a.Heads; h++)
                {
                    int kvh = h / groups, len = a.Lengths[b];
                    int* seg = a.SegmentStarts == null ? null : a.SegmentStarts + (long)b * L;
                    long qOff = (long)b * L * qs + h * hd, kOff = (long)b * L * ks + kvh * hd;
                    float* lseRow = lse + ((long)b * a.Heads + h) * L;
                    for (int i0 = 0, i1; i0 < len; i0 = i1)
                    {
                        i1 = BlockEnd(i0, len, seg);
                        int nq = i1 - i0, lo0 = FirstKey(i0, a.Window, seg), nk = i1 - lo0;
                        float* qb = q + qOff + (long)i0 * qs, dob = dout + qOff + (long)i0 * qs, kb = k + kOff + (long)lo0 * ks;
                        float* vb = v + kOff + (long)lo0 * ks;
                        // P from the saved log-sum-exp (no second normalisation pass)
                        Gemm.Sgemm(false, true, nq, nk, hd, a.Scale, qb, qs, kb, ks, 0f, p, nk);
                        BlockSoftmax(p, nq, nk, i0, lo0, a, seg, null, lseRow + i0, a.Softcap > 0 ? dcap : null);
                        // dV += Pᵀ·dO;  dP = dO·Vᵀ
                        Gemm.Sgemm(true, false, nk, hd, nq, 1f, p, nk, dob, qs, 1f, dv + kOff + (long)lo0 * ks, ks);
                        Gemm.Sgemm(false, true, nq, nk, hd, 1f, dob, qs, vb, ks, 0f, ds, nk);
                        // dS = P ⊙ (dP - rowdot(dO, O)) ⊙ softcap' · scale
                        for (int r = 0; r < nq; r++)
                            dRow[r] = TensorPrimitives.Dot(new ReadOnlySpan<float>(dob + (long)r * qs, hd),
                                new ReadOnlySpan<float>(output + qOff + (long)(i0 + r) * qs, hd));
                        for (int r = 0; r < nq; r++)
                        {
                            var dsr = new Span<float>(ds + (long)r * nk, nk);
                            var pr = new ReadOnlySpan<float>(p + (long)r * nk, nk);
                            TensorPrimitives.Subtract(dsr, dRow[r], dsr);
                            TensorPrimitives.Multiply(dsr, pr, dsr);
                            if (a.Softcap > 0) TensorPrimitives.Multiply(dsr, new ReadOnlySpan<float>(dcap + (long)r * nk, nk), dsr);
                            TensorPrimitives.Multiply(dsr, a.Scale, dsr);
                        }
                        // dQ += dS·K;  dK += dSᵀ·Q
                        Gemm.Sgemm(false, false, nq, hd, nk, 1f, ds, nk, kb, ks, 1f, dq + qOff + (long)i0 * qs, qs);
                        Gemm.Sgemm(true, false, nk, hd, nq, 1f, ds, nk, qb, qs, 1f, dk + kOff + (long)lo0 * ks, ks);
                    }
                }
        }
        finally { NativeMemory.AlignedFree(p); }
    }

    public void GatherRows(float* dst, float* src, int* rows, int n, int c)
    {
        for (int i = 0; i < n; i++)
            Buffer.MemoryCopy(src + (long)rows[i] * c, dst + (long)i * c, c * 4L, c * 4L);
    }

    public void ScatterAddRows(float* dst, float* src, int* rows, int n, int c)
    {
        for (int i = 0; i < n; i++)
        {
            var d = new Span<float>(dst + (long)rows[i] * c, c);
            TensorPrimitives.Add(d, new ReadOnlySpan<float>(src + (long)i * c, c), d);
        }
    }

    public void Dropout(float* output, float* inp, long n, float p, ulong seed)
    {
        float keep = 1f / (1f - p);
        for (long i = 0; i < n; i++)
        {
            // splitmix64 of (seed, i): 24 random bits give a uniform in [0, 1)
            ulong z = seed + 0x9E3779B97F4A7C15UL * (ulong)(i + 1);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            float u = (z >> 40) * (1f / (1 << 24));
            output[i] = u < p ? 0f : inp[i] * keep;
        }
    }
}
