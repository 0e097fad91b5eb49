using System.Buffers;
using System.Numerics.Tensors;

namespace FuseChat.Engine.Kernels;

/// <summary>
/// The CPU implementation of <see cref="IKernels"/>: FP32 everywhere, SIMD through TensorPrimitives, rows spread
/// over cores with Parallel.For. GEMM is delegated to an <see cref="IGemm"/> chosen at run time.
/// </summary>
public sealed unsafe partial class CpuKernels : IKernels
{
    public IGemm Gemm { get; }
    readonly ParallelOptions _parallel;
    readonly ManagedGemm _small;
    public string Name => "cpu/" + Gemm.Name;

    public CpuKernels(IGemm? gemm = null, int threads = 0)
    {
        int t = threads > 0 ? threads : Environment.ProcessorCount;
        Gemm = gemm ?? new ManagedGemm(t);
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = t };
        _small = new ManagedGemm(t);
    }

    /// <summary>"managed", "openblas" or "auto" (OpenBLAS when the library loads, else managed).</summary>
    public static CpuKernels Create(string gemm = "auto", int threads = 0)
    {
        IGemm? g = gemm switch
        {
            "managed" => new ManagedGemm(threads),
            "openblas" => OpenBlasGemm.TryCreate(threads) ?? throw new FuseChat.Core.UserError("--gemm openblas: libopenblas could not be loaded (apt-get install libopenblas0)"),
            "auto" => (IGemm?)OpenBlasGemm.TryCreate(threads) ?? new ManagedGemm(threads),
            _ => throw new FuseChat.Core.UserError($"--gemm: unsupported value \"{gemm}\" (supported: auto, managed, openblas)"),
        };
        return new CpuKernels(g, threads);
    }

    public void Matmul(float* output, float* inp, WeightPtr w, float* bias, int n, int k, int m)
    {
        // A matrix-vector product is bound by streaming the weights; the managed row-dot path does that once,
        // with less threading overhead than a general sgemm.
        (n < 4 || (w.IsBf16 && !Gemm.SupportsBf16) ? _small : Gemm).MatmulTransposedB(output, inp, w, n, k, m);
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

    public void Embedding(float* output, int* ids, WeightPtr table, int n, int c, float scale)
    {
        for (int i = 0; i < n; i++)
        {
            var dst = new Span<float>(output + (long)i * c, c);
            if (table.IsBf16) Numerics.Bf16.ToFloat(table.Bf16 + (long)ids[i] * c, output + (long)i * c, c);
            else new ReadOnlySpan<float>(table.F32 + (long)ids[i] * c, c).CopyTo(dst);
            if (scale != 1f) TensorPrimitives.Multiply(dst, scale, dst);
        }
    }

    public void RmsNorm(float* output, float* inp, float* w, int n, int c, float eps, bool addOne)
    {
        var weight = new ReadOnlySpan<float>(w, c);
        for (int i = 0; i < n; i++)
        {
            var x = new ReadOnlySpan<float>(inp + (long)i * c, c);
            var y = new Span<float>(output + (long)i * c, c);
            float ss = TensorPrimitives.SumOfSquares(x);
            float r = 1f / MathF.Sqrt(ss / c + eps);
            if (addOne)
                for (int j = 0; j < c; j++) y[j] = x[j] * r * (1f + weight[j]);
            else
            {
                TensorPrimitives.Multiply(x, r, y);
                TensorPrimitives.Multiply(y, weight, y);
            }
        }
    }

    public void Rope(float* x, int* positions, int n, int heads, int headDim, float* invFreq) =>
        Rotate(x, positions, n, heads, headDim, invFreq, direction: 1f);

    /// <summary>
    /// Rotates each (f, f + headDim/2) pair of x[n, heads, headDim] by direction · position · invFreq[f]: +1 is RoPE,
    /// -1 its transpose (the backward). Negating the sine is exact, so both directions share one loop.
    /// </summary>
    static void Rotate(float* x, int* positions, int n, int heads, int headDim, float* invFreq, float direction)
    {
        int half = headDim / 2;
        Span<float> cos = stackalloc float[half];
        Span<float> sin = stackalloc float[half];
        for (int i = 0; i < n; i++)
        {
            float pos = positions[i];
            for (int f = 0; f < half; f++)
            {
                float angle = pos * invFreq[f];   // float32 product, as HF computes freqs
                cos[f] = MathF.Cos(angle); sin[f] = direction * MathF.Sin(angle);
            }
            for (int h = 0; h < heads; h++)
            {
                float* v = x + ((long)i * heads + h) * headDim;
                for (int f = 0; f < half; f++)
                {
                    float a = v[f], b = v[f + half];
                    v[f] = a * cos[f] - b * sin[f];
                    v[f + half] = b * cos[f] + a * sin[f];
                }
            }
        }
    }

    public void StoreKv(float* cache, float* kv, in AttentionArgs a)
    {
        int hd = a.HeadDim, kvh = a.KvHeads;
        for (int b = 0; b < a.Batch; b++)
            for (int t = 0; t < a.NewTokens; t++)
                for (int h = 0; h < kvh; h++)
                {
                    float* src = kv + (((long)b * a.NewTokens + t) * kvh + h) * hd;
                    float* dst = cache + (((long)b * kvh + h) * a.Capacity + a.Past + t) * hd;
                    Buffer.MemoryCopy(src, dst, hd * 4L, hd * 4L);
                }
    }

    public void Attention(float* output, float* q, float* kCache, float* vCache, in AttentionArgs a)
    {
        var args = a;
        int groups = a.Heads / a.KvHeads;
        Parallel.For(0, a.Batch * a.Heads, _parallel, bh =>
        {
            int b = bh / args.Heads, h = bh % args.Heads, kvh = h / groups, hd = args.HeadDim;
            float* kBase = kCache + ((long)b * args.KvHeads + kvh) * args.Capacity * hd;
            float* vBase = vCache + ((long)b * args.KvHeads + kvh) * args.Capacity * hd;
            float[] rented = ArrayPool<float>.Shared.Rent(args.Past + args.NewTokens);
            try
            {
                var scores = rented.AsSpan();
                for (int t = 0; t < args.NewTokens; t++)
                {
                    int i = args.Past + t;
                    int lo = args.PadStart[b];
                    if (args.Window > 0) lo = Math.Max(lo, i - args.Window + 1);
                    long row = ((long)b * args.NewTokens + t) * args.Heads + h;
                    var qv = new ReadOnlySpan<float>(q + row * hd, hd);
                    var o = new Span<float>(output + row * hd, hd);
                    o.Clear();
                    if (lo > i) continue;   // a padding query: sees nothing
                    AttendQuery(o, qv, kBase, vBase, lo, scores[..(i - lo + 1)], args.Scale, args.Softcap);
                }
            }
            finally { ArrayPool<float>.Shared.Return(rented); }
        });
    }

    /// <summary>
    /// One query over cache rows lo .. lo + scores.Length - 1 of its key/value head: o += softmax(softcap(q·k · scale)) · v.
    /// The padded-batch and the ragged kernels share it, so a sequence gets the same bits from either.
    /// </summary>
    static void AttendQuery(Span<float> o, ReadOnlySpan<float> q, float* kBase, float* vBase, int lo, Span<float> scores, float scale, float softcap)
    {
        int hd = q.Length;
        for (int j = 0; j < scores.Length; j++)
            scores[j] = TensorPrimitives.Dot(q, new ReadOnlySpan<float>(kBase + (long)(lo + j) * hd, hd)) * scale;
        if (softcap > 0)
        {
            TensorPrimitives.Multiply(scores, 1f / softcap, scores);
            TensorPrimitives.Tanh(scores, scores);
            TensorPrimitives.Multiply(scores, softcap, scores);
        }
        StableSoftmax(scores);
        for (int j = 0; j < scores.Length; j++)
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(vBase + (long)(lo + j) * hd, hd), scores[j], o, o);
    }

    /// <summary>Softmax in place, as torch computes it: TensorPrimitives.SoftMax alone exponentiates without subtracting
    /// the maximum, so any score past ~88.7 overflows to infinity and the row becomes NaN.</summary>
    static void StableSoftmax(Span<float> x)
    {
        TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), x);
        TensorPrimitives.SoftMax(x, x);
    }

    public void GatedActivation(float* output, float* gate, float* up, long n, bool geluTanh)
    {
        const int chunk = 1 << 14;
        long chunks = (n + chunk - 1) / chunk;
        Parallel.For(0L, chunks, _parallel, ci =>
        {
            long start = ci * chunk;
            int len = (int)Math.Min(chunk, n - start);
            float* g = gate + start, u = up + start, y = output + start;
            if (geluTanh)
            {
                const float c = 0.7978845608028654f; // sqrt(2/pi)
                for (int i = 0; i < len; i++)
                {
                    float x = g[i];
                    y[i] = 0.5f * x * (1f + MathF.Tanh(c * (x + 0.044715f * x * x * x))) * u[i];
                }
            }
            else
                for (int i = 0; i < len; i++) { float x = g[i]; y[i] = x / (1f + MathF.Exp(-x)) * u[i]; }
        });
    }

    public void AddInPlace(float* acc, float* x, long n)
    {
        for (long start = 0; start < n; start += int.MaxValue / 2)
        {
            int len = (int)Math.Min(int.MaxValue / 2, n - start);
            var a = new Span<float>(acc + start, len);
            TensorPrimitives.Add(a, new ReadOnlySpan<float>(x + start, len), a);
        }
    }

    public void LogSoftmaxGather(float* result, float* logits, int* targets, int rows, int vocab)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = new Span<float>(logits + (long)r * vocab, vocab);
            float max = TensorPrimitives.Max(row);
            float x = row[targets[r]];
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
            double sum = TensorPrimitives.Sum(row);
            result[r] = (float)(x - max - Math.Log(sum));
        }
    }

    public void SoftCap(float* x, long n, float cap)
    {
        var s = new Span<float>(x, checked((int)n));
        TensorPrimitives.Multiply(s, 1f / cap, s);
        TensorPrimitives.Tanh(s, s);
        TensorPrimitives.Multiply(s, cap, s);
    }
}
