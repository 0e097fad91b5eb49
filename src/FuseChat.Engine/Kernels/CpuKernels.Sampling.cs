using System.Buffers;
using System.Numerics.Tensors;

namespace FuseChat.Engine.Kernels;

/// <summary>The sampler's kernels on the CPU: one vocabulary row, one thread (the sort dominates; rows are independent).</summary>
public sealed unsafe partial class CpuKernels
{
    public void RepetitionPenalty(float* logits, int* ids, int count, float penalty)
    {
        for (int i = 0; i < count; i++)
        {
            float s = logits[ids[i]];
            logits[ids[i]] = s < 0 ? s * penalty : s / penalty;
        }
    }

    public int ArgMax(float* x, int n) => TensorPrimitives.IndexOfMax(new ReadOnlySpan<float>(x, n));

    public void SortDescending(float* sorted, int* order, float* scores, int n)
    {
        if (n < RadixSortMinimum || !RadixSortDescending(sorted, order, scores, n)) ComparisonSortDescending(sorted, order, scores, n);
    }

    /// <summary>Below this many scores the comparison sort is as quick as building the radix sort's histograms.</summary>
    const int RadixSortMinimum = 2048;
    const int RadixBits = 11, RadixBuckets = 1 << RadixBits, RadixPasses = 3;   // 3 × 11 bits cover a 32-bit key

    /// <summary>
    /// A stable least-significant-digit radix sort on keys that order floats descending (−0 folded onto +0, so equal
    /// scores share a key): stability leaves equal scores in ascending index order, the same permutation the
    /// comparison sort produces, at a fraction of its cost over a vocabulary. False (nothing written) when a score is
    /// NaN: NaNs are left to the comparison sort, which places them first.
    /// </summary>
    static bool RadixSortDescending(float* sorted, int* order, float* scores, int n)
    {
        uint[] keyArray = ArrayPool<uint>.Shared.Rent(2 * n);
        int[] idArray = ArrayPool<int>.Shared.Rent(n);
        int[] counts = ArrayPool<int>.Shared.Rent(RadixPasses * RadixBuckets);
        try
        {
            var keys = keyArray.AsSpan(0, n);
            var keysOut = keyArray.AsSpan(n, n);
            var ids = new Span<int>(order, n);
            var idsOut = idArray.AsSpan(0, n);
            var histogram = counts.AsSpan(0, RadixPasses * RadixBuckets);
            histogram.Clear();
            for (int i = 0; i < n; i++)
            {
                float f = scores[i];
                if (float.IsNaN(f)) return false;
                uint bits = BitConverter.SingleToUInt32Bits(f);
                if ((bits & 0x7FFF_FFFFu) == 0) bits = 0;                                  // −0 → +0
                uint ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;  // unsigned order = float order
                uint key = ~ascending;                                                      // ascending key = descending score
                keys[i] = key;
                ids[i] = i;
                for (int p = 0; p < RadixPasses; p++) histogram[p * RadixBuckets + (int)((key >> (p * RadixBits)) & (RadixBuckets - 1))]++;
            }
            for (int p = 0; p < RadixPasses; p++)
            {
                var count = histogram.Slice(p * RadixBuckets, RadixBuckets);
                if (count.Contains(n)) continue;   // every key has this digit: the pass would not move anything
                int start = 0;
                for (int b = 0; b < RadixBuckets; b++) { int c = count[b]; count[b] = start; start += c; }
                int shift = p * RadixBits;
                for (int i = 0; i < n; i++)
                {
                    uint key = keys[i];
                    int at = count[(int)((key >> shift) & (RadixBuckets - 1))]++;
                    keysOut[at] = key;
                    idsOut[at] = ids[i];
                }
                keysOut.CopyTo(keys);
                idsOut.CopyTo(ids);
            }
            for (int i = 0; i < n; i++) sorted[i] = scores[order[i]];
            return true;
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(keyArray);
            ArrayPool<int>.Shared.Return(idArray);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    static void ComparisonSortDescending(float* sorted, int* order, float* scores, int n)
    {
        // A primitive-key sort (far faster than a comparison delegate) on negated scores, then each run of equal scores
        // put back in index order. Negating twice restores every score bit for bit.
        var keys = new Span<float>(sorted, n);
        var ids = new Span<int>(order, n);
        TensorPrimitives.Negate(new ReadOnlySpan<float>(scores, n), keys);
        for (int i = 0; i < n; i++) ids[i] = i;
        keys.Sort(ids);
        for (int i = 0; i < n;)
        {
            int j = i + 1;
            while (j < n && keys[j] == keys[i]) j++;
            if (j - i > 1) ids[i..j].Sort();
            i = j;
        }
        TensorPrimitives.Negate(keys, keys);
    }

    public int TopKCount(float* sorted, int n, int k)
    {
        if (k <= 0 || k >= n) return n;
        float kth = sorted[k - 1];
        int keep = k;
        while (keep < n && sorted[keep] >= kth) keep++;   // transformers keeps ties with the k-th score
        return keep;
    }

    public void SoftmaxF64(double* probs, float* scores, int n)
    {
        double max = TensorPrimitives.Max(new ReadOnlySpan<float>(scores, n)), sum = 0;
        for (int i = 0; i < n; i++) { probs[i] = Math.Exp(scores[i] - max); sum += probs[i]; }
        for (int i = 0; i < n; i++) probs[i] /= sum;
    }

    public int TopPCount(double* probs, int n, float topP)
    {
        double before = 0;
        int keep = 0;
        while (keep < n && (keep == 0 || before < topP)) { before += probs[keep]; keep++; }
        return keep;
    }

    public int MinPCount(double* probs, int n, float minP)
    {
        double threshold = minP * probs[0];
        int keep = 1;
        while (keep < n && probs[keep] >= threshold) keep++;
        return keep;
    }

    public int DrawSorted(double* probs, int* order, int n, double u)
    {
        double acc = 0;
        for (int i = 0; i < n; i++) { acc += probs[i]; if (u < acc) return order[i]; }
        return order[n - 1];
    }
}
