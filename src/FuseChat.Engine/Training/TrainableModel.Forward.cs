using FuseChat.Core;
using FuseChat.Engine.Kernels;
using ActivationKind = FuseChat.Engine.Config.Activation;

namespace FuseChat.Engine.Training;

public sealed unsafe partial class TrainableModel
{
    /// <summary>
    /// Per-token log-probabilities log p(ids[r, t+1] | ids[r, ≤t]) laid out [Rows, Length-1] (0 where t+1 is beyond the
    /// row's length), saving every activation <see cref="Backward"/> needs. A later call replaces what was saved.
    /// </summary>
    public float[] ForwardLogProbs(SequenceBatch batch)
    {
        var c = Config;
        int B = batch.Rows, L = batch.Length, R = B * L, C = c.Hidden;
        if (L > c.MaxPositions)
            throw new UserError($"a sequence of {L} tokens exceeds the model's context (max_position_embeddings = {c.MaxPositions})");
        _act.Prepare(B, L);
        BeginLoraForward();
        var a = _act;
        _segmented = batch.SegmentStarts is not null;
        for (int b = 0; b < B; b++)
        {
            int len = batch.Lengths[b];
            a.Lengths[b] = len;
            for (int t = 0; t < L; t++)
            {
                int r = b * L + t, id = batch.Ids[r];
                if (t < len && (uint)id >= (uint)c.VocabSize)
                    throw new UserError($"sequence {b}: token id {id} at position {t} is outside the vocabulary (size {c.VocabSize})");
                a.Ids[r] = t < len ? id : 0;   // padding runs as token 0; nothing real depends on it
                int start = t < len && batch.SegmentStarts is { } s ? s[r] : 0;
                a.SegmentStarts[r] = start;
                a.Positions[r] = t - start;   // a packed example's positions restart at 0, as if it were alone
            }
        }
        Kernels.Embedding(a.Layers[0].XIn, a.Ids, _embed, R, C, EmbeddingScale);
        for (int l = 0; l < c.Layers; l++)
            LayerForward(l, l + 1 < c.Layers ? a.Layers[l + 1].XIn : a.XOut);
        Kernels.RmsNorm(a.XnF, a.XOut, _finalNorm, R, C, c.RmsNormEps, c.IsGemma);

        var result = new float[B * (L - 1)];
        var preds = Predictions(batch, null);
        int chunk = Math.Max(1, LogitChunkRows);
        for (int s0 = 0; s0 < preds.Count; s0 += chunk)
        {
            int n = Math.Min(chunk, preds.Count - s0);
            LoadChunk(preds, s0, n, null);
            Kernels.GatherRows(_gathered, a.XnF, _gatherRows, n, C);
            HeadLogits(n);
            Kernels.LogSoftmaxGather(_dLogp, _logits, _targets, n, c.VocabSize);
            for (int i = 0; i < n; i++) result[preds[s0 + i].OutIndex] = _dLogp[i];
        }
        _saved = batch;
        return result;
    }

    /// <summary>Gemma-2 scales embeddings by sqrt(hidden), cast to the activation dtype as HF does.</summary>
    float EmbeddingScale => Config.IsGemma ? (float)Math.Sqrt(Config.Hidden) : 1f;

    /// <summary>logits[n, V] for the gathered rows: lm_head, then Gemma-2's final soft-cap.</summary>
    void HeadLogits(int n)
    {
        Kernels.Matmul(_logits, _gathered, _lmHead, null, n, Config.Hidden, Config.VocabSize);
        if (Config.FinalLogitSoftcap is float cap) Kernels.SoftCap(_logits, (long)n * Config.VocabSize, cap);
    }

    /// <summary>A position that predicts a next token: its activation row, the target id, its log-prob index.</summary>
    readonly record struct Prediction(int Row, int Target, int OutIndex);

    /// <summary>
    /// Positions that predict a next token, in row order (only those with a non-zero upstream gradient when
    /// <paramref name="dLogProbs"/> is given).
    /// </summary>
    static List<Prediction> Predictions(SequenceBatch batch, float[]? dLogProbs)
    {
        var list = new List<Prediction>();
        int L = batch.Length;
        for (int b = 0; b < batch.Rows; b++)
            for (int t = 0; t + 1 < batch.Lengths[b]; t++)
            {
                int o = batch.LogProbIndex(b, t);
                if (dLogProbs is null || dLogProbs[o] != 0f) list.Add(new Prediction(b * L + t, batch.Ids[b * L + t + 1], o));
            }
        return list;
    }

    /// <summary>Loads predictions [start, start + n) into the gather-row, target and upstream-gradient buffers.</summary>
    void LoadChunk(List<Prediction> preds, int start, int n, float[]? dLogProbs)
    {
        EnsureLogitBuffers(Math.Max(1, LogitChunkRows));
        for (int i = 0; i < n; i++)
        {
            var p = preds[start + i];
            _gatherRows[i] = p.Row;
            _targets[i] = p.Target;
            if (dLogProbs is not null) _dLogp[i] = dLogProbs[p.OutIndex];
        }
    }

    SequenceAttentionArgs AttentionArgs(int layer) => new()
    {
        Rows = _act.Rows, Length = _act.Length, Heads = Config.Heads, KvHeads = Config.KvHeads, HeadDim = Config.HeadDim,
        Scale = Config.AttentionScale, Softcap = Config.AttnLogitSoftcap ?? 0f, Window = Config.LayerWindows[layer] ?? 0,
        Lengths = _act.Lengths, SegmentStarts = _segmented ? _act.SegmentStarts : null,
    };

    /// <summary>Whether the batch being trained packs several sequences per row (set by the forward pass).</summary>
    bool _segmented;

    /// <summary>One decoder layer from s.XIn [R, C] to <paramref name="xOut"/> [R, C], saving what backward needs.</summary>
    void LayerForward(int l, float* xOut)
    {
        var c = Config;
        var k = Kernels;
        var w = _layers[l];
        ref var s = ref _act.Layers[l];
        int R = _act.Tokens, C = c.Hidden;
        bool gemma = c.IsGemma, lora = AdaptersEnabled, train = Training;
        // attention block: Xn1 = norm(XIn); Q, K, V = Xn1·Wᵀ (+b); rope; Att = attention; XMid = XIn + (post-norm of) Att·Woᵀ
        k.RmsNorm(s.Xn1, s.XIn, w.InputNorm, R, C, c.RmsNormEps, gemma);
        w.Q.Forward(k, s.Q, s.Xn1, R, lora, train);
        w.K.Forward(k, s.K, s.Xn1, R, lora, train);
        w.V.Forward(k, s.V, s.Xn1, R, lora, train);
        k.Rope(s.Q, _act.Positions, R, c.Heads, c.HeadDim, _invFreq);
        k.Rope(s.K, _act.Positions, R, c.KvHeads, c.HeadDim, _invFreq);
        k.SequenceAttention(s.Att, s.Lse, s.Q, s.K, s.V, AttentionArgs(l));
        if (gemma)
        {
            w.O.Forward(k, s.O1, s.Att, R, lora, train);
            k.RmsNorm(s.XMid, s.O1, w.PostAttnNorm, R, C, c.RmsNormEps, true);
        }
        else w.O.Forward(k, s.XMid, s.Att, R, lora, train);
        k.AddInPlace(s.XMid, s.XIn, (long)R * C);
        // MLP block: Xn2 = norm(XMid); H = act(Xn2·Wgᵀ) ⊙ (Xn2·Wuᵀ); xOut = XMid + (post-norm of) H·Wdᵀ
        k.RmsNorm(s.Xn2, s.XMid, gemma ? w.PreFfnNorm : w.PostAttnNorm, R, C, c.RmsNormEps, gemma);
        w.Gate.Forward(k, s.Gate, s.Xn2, R, lora, train);
        w.Up.Forward(k, s.Up, s.Xn2, R, lora, train);
        k.GatedActivation(s.H, s.Gate, s.Up, (long)R * c.Intermediate, c.Act == ActivationKind.GeluTanh);
        if (gemma)
        {
            w.Down.Forward(k, s.O2, s.H, R, lora, train);
            k.RmsNorm(xOut, s.O2, w.PostFfnNorm, R, C, c.RmsNormEps, true);
        }
        else w.Down.Forward(k, xOut, s.H, R, lora, train);
        k.AddInPlace(xOut, s.XMid, (long)R * C);
    }
}
