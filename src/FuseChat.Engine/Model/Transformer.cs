using System.Runtime.InteropServices;
using FuseChat.Core;
using FuseChat.Engine.Checkpoints;
using FuseChat.Engine.Config;
using FuseChat.Engine.Kernels;

namespace FuseChat.Engine.Model;

/// <summary>
/// A decoder-only transformer (Llama, Qwen2, Mistral, Gemma-2) in llm.c style: weights in one arena, explicit
/// per-layer forward functions over flat buffers, every numeric step through <see cref="IKernels"/>.
/// <see cref="Step"/> runs new tokens of a batch through all layers and appends their keys/values to a <see cref="KvCache"/>.
/// Not thread-safe (one activation arena per model: one step at a time); owns and disposes its weights.
/// </summary>
public sealed unsafe partial class Transformer : IDisposable
{
    public ModelConfig Config { get; }
    public ParameterArena Weights { get; }
    public IKernels Kernels { get; }
    readonly LayerWeights[] _layers;
    readonly float* _invFreq;
    readonly WeightPtr _embed, _lmHead;
    readonly float* _finalNorm;
    Activations? _act;

    public Transformer(ModelConfig config, ParameterArena weights, IKernels? kernels = null)
    {
        Config = config; Weights = weights; Kernels = kernels ?? CpuKernels.Create();
        _layers = Enumerable.Range(0, config.Layers).Select(l => new LayerWeights(weights, l)).ToArray();
        var inv = config.Rope.InverseFrequencies(config.HeadDim);
        _invFreq = (float*)NativeMemory.Alloc((nuint)inv.Length, sizeof(float));
        for (int i = 0; i < inv.Length; i++) _invFreq[i] = (float)inv[i];
        _embed = weights.Weight("model.embed_tokens.weight");
        _finalNorm = weights.Ptr("model.norm.weight");
        _lmHead = config.TieWordEmbeddings ? _embed : weights.Weight("lm_head.weight");
    }

    /// <summary>Loads a HF model folder.</summary>
    public static Transformer Load(string dir, IKernels? kernels = null, WeightStorage? storage = null)
    {
        var (config, weights) = CheckpointLoader.Load(dir, storage);
        return new Transformer(config, weights, kernels);
    }

    public KvCache NewCache(int batch, int capacity) => new(Config, batch, capacity);

    /// <summary>
    /// Runs ids[batch, newTokens] (row-major; pad slots may hold any valid id) through the model at cache index
    /// cache.Length, appending to the cache. Returns the final-normed hidden states [batch·newTokens, hidden],
    /// valid until the next call.
    /// </summary>
    public float* Step(KvCache cache, ReadOnlySpan<int> ids, int newTokens)
    {
        int B = cache.Batch, T = newTokens, R = B * T, C = Config.Hidden;
        if (ids.Length != R) throw new ArgumentException($"expected {R} ids, got {ids.Length}");
        if (cache.Length + T > cache.Capacity)
            throw new UserError($"sequence of {cache.Length + T} tokens exceeds the cache capacity of {cache.Capacity}");
        if (cache.Length + T > Config.MaxPositions)
            throw new UserError($"sequence of {cache.Length + T} tokens exceeds the model's context (max_position_embeddings = {Config.MaxPositions})");
        var act = _act ??= new Activations(Config, R);
        act.Ensure(R);
        for (int r = 0; r < R; r++)
        {
            int id = ids[r];
            if ((uint)id >= (uint)Config.VocabSize) throw new UserError($"token id {id} is outside the vocabulary (size {Config.VocabSize})");
            act.Ids[r] = id;
            int b = r / T, i = cache.Length + r % T;
            act.Positions[r] = Math.Max(0, i - cache.PadStart[b]);
        }
        float scale = Config.IsGemma ? (float)Math.Sqrt(C) : 1f;  // HF casts sqrt(hidden) to the activation dtype
        Kernels.Embedding(act.X, act.Ids, _embed, R, C, scale);
        for (int l = 0; l < Config.Layers; l++)
            LayerForward(l, act, R, cache, T, null);
        Kernels.RmsNorm(act.Xn, act.X, _finalNorm, R, C, Config.RmsNormEps, Config.IsGemma);
        cache.Length += T;
        return act.Xn;
    }

    /// <summary>One decoder layer, in place on act.X [R, C]: attention over <paramref name="cache"/> (a rectangular
    /// batch of T new tokens per row) or, when <paramref name="ragged"/> is given, over each sequence's own cache.</summary>
    void LayerForward(int l, Activations a, int R, KvCache? cache, int T, RaggedStep? ragged)
    {
        ref readonly var w = ref _layers[l];
        var c = Config;
        int C = c.Hidden;
        bool gemma = c.IsGemma;
        var k = Kernels;
        // attention block: Xn = norm(X); Q,K,V = Xn·Wᵀ (+b); rope; cache; Att = attention; O = Att·Woᵀ
        k.RmsNorm(a.Xn, a.X, w.InputNorm, R, C, c.RmsNormEps, gemma);
        // Ragged (continuous-batching) steps stream each weight once and sum every element in the same order whatever
        // the row count (see StepRagged's batchInvariant); everything else goes through the general GEMM.
        bool few = ragged is { Few: true };
        Mm(a.Q, a.Xn, w.Wq, w.Bq, R, C, c.QDim, few);
        Mm(a.K, a.Xn, w.Wk, w.Bk, R, C, c.KvDim, few);
        Mm(a.V, a.Xn, w.Wv, w.Bv, R, C, c.KvDim, few);
        k.Rope(a.Q, a.Positions, R, c.Heads, c.HeadDim, _invFreq);
        k.Rope(a.K, a.Positions, R, c.KvHeads, c.HeadDim, _invFreq);
        if (ragged is not null) ragged.Attend(k, l, a);
        else
        {
            var args = new AttentionArgs
            {
                Batch = cache!.Batch, NewTokens = T, Past = cache.Length, Capacity = cache.Capacity,
                Heads = c.Heads, KvHeads = c.KvHeads, HeadDim = c.HeadDim, Scale = c.AttentionScale,
                Softcap = c.AttnLogitSoftcap ?? 0f, Window = c.LayerWindows[l] ?? 0, PadStart = cache.PadStart,
            };
            k.StoreKv(cache.K(l), a.K, args);
            k.StoreKv(cache.V(l), a.V, args);
            k.Attention(a.Att, a.Q, cache.K(l), cache.V(l), args);
        }
        Mm(a.O, a.Att, w.Wo, w.Bo, R, c.QDim, C, few);
        if (gemma) k.RmsNorm(a.O, a.O, w.PostAttnNorm, R, C, c.RmsNormEps, true);
        k.AddInPlace(a.X, a.O, (long)R * C);
        // MLP block: Xn = norm(X); H = act(Xn·Wgᵀ) ⊙ (Xn·Wuᵀ); O = H·Wdᵀ
        k.RmsNorm(a.Xn, a.X, gemma ? w.PreFfnNorm : w.PostAttnNorm, R, C, c.RmsNormEps, gemma);
        Mm(a.Gate, a.Xn, w.Wgate, w.Bgate, R, C, c.Intermediate, few);
        Mm(a.Up, a.Xn, w.Wup, w.Bup, R, C, c.Intermediate, few);
        k.GatedActivation(a.H, a.Gate, a.Up, (long)R * c.Intermediate, c.Act == Activation.GeluTanh);
        Mm(a.O, a.H, w.Wdown, w.Bdown, R, c.Intermediate, C, few);
        if (gemma) k.RmsNorm(a.O, a.O, w.PostFfnNorm, R, C, c.RmsNormEps, true);
        k.AddInPlace(a.X, a.O, (long)R * C);
    }

    /// <summary>Row counts up to which ragged steps and <see cref="LogitsFewRows"/> use <see cref="IKernels.MatmulFewRows"/>
    /// even when batch invariance is not asked for (below it that kernel is also the faster one).</summary>
    public const int FewRowsLimit = 32;

    void Mm(float* output, float* inp, WeightPtr w, float* bias, int n, int k, int m, bool few)
    {
        if (few) Kernels.MatmulFewRows(output, inp, w, bias, n, k, m);
        else Kernels.Matmul(output, inp, w, bias, n, k, m);
    }

    /// <summary>logits[rows, vocab] for hidden[rows, hidden] (lm_head, then Gemma-2's final soft-cap).</summary>
    public void Logits(float* hidden, int rows, float* logits) => Logits(hidden, rows, logits, few: false);

    /// <summary>As <see cref="Logits(float*, int, float*)"/> for the sampling rows of a continuous batch: each row's
    /// logits do not depend on how many rows there are when <paramref name="batchInvariant"/>, or when there are at most
    /// <see cref="FewRowsLimit"/> rows.</summary>
    public void LogitsFewRows(float* hidden, int rows, float* logits, bool batchInvariant = true) =>
        Logits(hidden, rows, logits, few: batchInvariant || rows <= FewRowsLimit);

    void Logits(float* hidden, int rows, float* logits, bool few)
    {
        Mm(logits, hidden, _lmHead, null, rows, Config.Hidden, Config.VocabSize, few);
        if (Config.FinalLogitSoftcap is float cap) Kernels.SoftCap(logits, (long)rows * Config.VocabSize, cap);
    }

    public void Dispose()
    {
        _act?.Dispose();
        NativeMemory.Free(_invFreq);
        Weights.Dispose();
    }
}
