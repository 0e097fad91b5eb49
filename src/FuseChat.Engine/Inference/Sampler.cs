using FuseChat.Engine.Kernels;

namespace FuseChat.Engine.Inference;

/// <summary>
/// Picks the next token from one row of logits, applying HF's processors in HF's order:
/// repetition penalty, then temperature, top-k, top-p, min-p, then a multinomial draw (or argmax when greedy).
/// Every step over the scores is an <see cref="IKernels"/> operation; this class holds the buffers, the order of the
/// steps and the random stream (one uniform draw per sampled token).
/// </summary>
public sealed unsafe class Sampler
{
    /// <summary>The kernels a sampler uses when none are given (the sampling kernels need no GEMM and one thread).</summary>
    static readonly Lazy<IKernels> DefaultKernels = new(() => new CpuKernels(new ManagedGemm(1), 1));

    readonly SamplingOptions _o;
    readonly Random _rng;
    readonly IKernels _k;
    int[] _order = [], _seen = [];
    float[] _sorted = [];
    double[] _probs = [];

    /// <param name="kernels">Where the arithmetic runs; the CPU kernels when null.</param>
    public Sampler(SamplingOptions options, int stream, IKernels? kernels = null)
    {
        _o = options;
        _rng = new Random(StreamSeed(options.Seed, stream));
        _k = kernels ?? DefaultKernels.Value;
    }

    /// <summary>A seed for sample <paramref name="stream"/> of a run seeded with <paramref name="seed"/>: stable across
    /// processes (unlike HashCode), so a seeded request gives the same draws after a restart.</summary>
    public static int StreamSeed(int seed, int stream)
    {
        ulong z = (uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)stream + 0x632BE59BD9B4E019UL;   // SplitMix64 finaliser
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <summary>Chooses a token; <paramref name="logits"/> is modified; <paramref name="seen"/> are prompt + generated ids.</summary>
    public int Next(Span<float> logits, IReadOnlySet<int> seen)
    {
        int V = logits.Length;
        fixed (float* scores = logits)
        {
            if (_o.RepetitionPenalty != 1f) Penalize(scores, V, seen);
            if (_o.IsGreedy) return _k.ArgMax(scores, V);
            if (_o.Temperature != 1f) _k.Divide(scores, V, _o.Temperature);
            if (_order.Length != V) { _order = new int[V]; _sorted = new float[V]; _probs = new double[V]; }
            fixed (int* order = _order)
            fixed (float* sorted = _sorted)
            fixed (double* probs = _probs)
            {
                _k.SortDescending(sorted, order, scores, V);
                int keep = _o.TopK > 0 ? _k.TopKCount(sorted, V, _o.TopK) : V;
                _k.SoftmaxF64(probs, sorted, keep);
                if (_o.TopP < 1f)
                {
                    keep = _k.TopPCount(probs, keep, _o.TopP);
                    _k.SoftmaxF64(probs, sorted, keep);
                }
                if (_o.MinP > 0f)
                {
                    keep = _k.MinPCount(probs, keep, _o.MinP);
                    _k.SoftmaxF64(probs, sorted, keep);
                }
                return _k.DrawSorted(probs, order, keep, _rng.NextDouble());
            }
        }
    }

    void Penalize(float* scores, int V, IReadOnlySet<int> seen)
    {
        if (_seen.Length < seen.Count) _seen = new int[Math.Max(seen.Count, 2 * _seen.Length)];
        int n = 0;
        foreach (int id in seen)
        {
            // the kernel indexes raw memory: an id outside the row is a caller's bug, caught here as the span did
            if ((uint)id >= (uint)V) throw new ArgumentOutOfRangeException(nameof(seen), $"token id {id} is outside the vocabulary (size {V})");
            _seen[n++] = id;
        }
        fixed (int* ids = _seen) _k.RepetitionPenalty(scores, ids, n, _o.RepetitionPenalty);
    }
}
