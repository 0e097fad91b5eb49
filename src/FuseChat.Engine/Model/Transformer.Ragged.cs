using FuseChat.Core;
using FuseChat.Engine.Kernels;

namespace FuseChat.Engine.Model;

/// <summary>
/// The continuous-batching step: many independent sequences, each with its own single-row <see cref="KvCache"/>
/// and its own length, advance together. Their new tokens are concatenated into one ragged batch so every weight
/// matrix is streamed once for all of them; only attention looks at each sequence's own cache.
/// </summary>
public sealed unsafe partial class Transformer
{
    RaggedStep? _ragged;

    /// <summary>
    /// Runs sequence s's <c>newTokens[s]</c> ids (concatenated in <paramref name="ids"/>, sequence-major) through the model,
    /// each at its own cache's position, appending to its cache. Every cache must have Batch 1. Returns the final-normed
    /// hidden states [sum(newTokens), hidden], valid until the next call. A sequence's result does not depend on which
    /// other sequences share the step: bit for bit when <paramref name="batchInvariant"/> (every row goes through the
    /// few-rows matmul, which sums each element in one order whatever the row count), otherwise up to the last bits of
    /// float rounding in steps of more than <see cref="FewRowsLimit"/> rows, which then use the faster packed GEMM.
    /// </summary>
    public float* StepRagged(IReadOnlyList<KvCache> caches, ReadOnlySpan<int> newTokens, ReadOnlySpan<int> ids, bool batchInvariant = true)
    {
        if (caches.Count != newTokens.Length) throw new ArgumentException($"{caches.Count} caches but {newTokens.Length} token counts");
        int R = 0;
        for (int s = 0; s < caches.Count; s++)
        {
            var cache = caches[s];
            if (cache.Batch != 1) throw new ArgumentException("StepRagged needs single-row caches (one per sequence)");
            if (newTokens[s] < 1) throw new ArgumentException("every sequence in a ragged step brings at least one token");
            if (cache.Length + newTokens[s] > cache.Capacity)
                throw new UserError($"sequence of {cache.Length + newTokens[s]} tokens exceeds the cache capacity of {cache.Capacity}");
            if (cache.Length + newTokens[s] > Config.MaxPositions)
                throw new UserError($"sequence of {cache.Length + newTokens[s]} tokens exceeds the model's context (max_position_embeddings = {Config.MaxPositions})");
            R += newTokens[s];
        }
        if (ids.Length != R) throw new ArgumentException($"expected {R} ids, got {ids.Length}");
        if (R == 0) throw new ArgumentException("a ragged step needs at least one sequence");
        int C = Config.Hidden;
        var act = _act ??= new Activations(Config, R);
        act.Ensure(R);
        var step = _ragged ??= new RaggedStep(this);
        step.Prepare(caches, newTokens, few: batchInvariant || R <= FewRowsLimit);
        for (int s = 0, r = 0; s < caches.Count; s++)
            for (int t = 0; t < newTokens[s]; t++, r++)
            {
                int id = ids[r];
                if ((uint)id >= (uint)Config.VocabSize) throw new UserError($"token id {id} is outside the vocabulary (size {Config.VocabSize})");
                act.Ids[r] = id;
                act.Positions[r] = caches[s].Length + t;
            }
        float scale = Config.IsGemma ? (float)Math.Sqrt(C) : 1f;
        Kernels.Embedding(act.X, act.Ids, _embed, R, C, scale);
        for (int l = 0; l < Config.Layers; l++)
            LayerForward(l, act, R, null, 0, step);
        Kernels.RmsNorm(act.Xn, act.X, _finalNorm, R, C, Config.RmsNormEps, Config.IsGemma);
        for (int s = 0; s < caches.Count; s++) caches[s].Length += newTokens[s];
        return act.Xn;
    }

    /// <summary>The segments of one ragged step, re-pointed at each layer's caches.</summary>
    sealed class RaggedStep(Transformer model)
    {
        IReadOnlyList<KvCache> _caches = [];
        int[] _rows = [], _counts = [];
        RaggedSegment[] _segments = [];

        /// <summary>Whether this step's weight multiplies go through <see cref="IKernels.MatmulFewRows"/>.</summary>
        public bool Few { get; private set; }

        public void Prepare(IReadOnlyList<KvCache> caches, ReadOnlySpan<int> newTokens, bool few)
        {
            _caches = caches;
            Few = few;
            if (_rows.Length < caches.Count) { _rows = new int[caches.Count]; _counts = new int[caches.Count]; _segments = new RaggedSegment[caches.Count]; }
            for (int s = 0, r = 0; s < caches.Count; r += newTokens[s], s++) { _rows[s] = r; _counts[s] = newTokens[s]; }
        }

        public void Attend(IKernels k, int layer, Activations a)
        {
            var c = model.Config;
            int n = _caches.Count;
            for (int s = 0; s < n; s++)
            {
                var cache = _caches[s];
                _segments[s] = new RaggedSegment
                {
                    Row = _rows[s], NewTokens = _counts[s], Past = cache.Length, Capacity = cache.Capacity,
                    KCache = cache.K(layer), VCache = cache.V(layer),
                };
            }
            var args = new RaggedAttentionArgs
            {
                Heads = c.Heads, KvHeads = c.KvHeads, HeadDim = c.HeadDim, Scale = c.AttentionScale,
                Softcap = c.AttnLogitSoftcap ?? 0f, Window = c.LayerWindows[layer] ?? 0,
            };
            k.RaggedAttention(a.Att, a.Q, a.K, a.V, _segments.AsSpan(0, n), args);
        }
    }
}
