namespace FuseChat.Engine.Kernels;

/// <summary>
/// Shape and masking of causal self-attention over whole right-padded sequences (training): q[rows·length, heads·headDim],
/// k and v [rows·length, kvHeads·headDim]; row b holds <c>Lengths[b]</c> real tokens at positions 0.., padding after them,
/// optionally split into segments (packed examples) that do not see each other.
/// </summary>
public unsafe readonly struct SequenceAttentionArgs
{
    public required int Rows { get; init; }
    public required int Length { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required float Scale { get; init; }
    /// <summary>tanh soft-capping of scores (Gemma-2); 0 means none.</summary>
    public float Softcap { get; init; }
    /// <summary>A query at position i sees keys j with i - j &lt; Window; 0 means unlimited.</summary>
    public int Window { get; init; }
    /// <summary>Real tokens per row (the rest of the row is padding: its queries output zeros and get no gradient).</summary>
    public required int* Lengths { get; init; }
    /// <summary>
    /// [rows·length] index (within its row) of the first token of the segment each position belongs to, non-decreasing
    /// along a row: a query sees only keys of its own segment (packed examples do not attend to each other). Null: each
    /// row is one segment.
    /// </summary>
    public int* SegmentStarts { get; init; }
}

/// <summary>
/// Training kernels: forward passes that keep what backward needs, and backward passes in the llm.c manner. Unless a
/// summary says "writes", every backward ADDS into its gradient outputs (callers zero them), so gradients of shared
/// tensors (tied embeddings, residual streams, GQA key/value heads) and of several micro-batches simply accumulate.
/// A gradient output that is null is skipped.
/// </summary>
public unsafe partial interface IKernels
{
    /// <summary>
    /// Backward of <see cref="Matmul"/> (out[n, m] = inp[n, k] · w[m, k]ᵀ + bias): dinp[n, k] += dout · w,
    /// dweight[m, k] += doutᵀ · inp, dbias[m] += Σ_rows dout. w may be BF16 (a frozen base weight) when dweight is null.
    /// </summary>
    void MatmulBackward(float* dinp, float* dweight, float* dbias, float* dout, float* inp, WeightPtr w, int n, int k, int m);

    /// <summary>Backward of <see cref="Embedding"/>: dtable[ids[i], :] += dout[i, :] · scale (scatter-add; repeated ids accumulate).</summary>
    void EmbeddingBackward(float* dtable, int* ids, float* dout, int n, int c, float scale);

    /// <summary>
    /// Backward of <see cref="RmsNorm"/> given its input (the reciprocal RMS is recomputed exactly as the forward does):
    /// dinp[n, c] += ∂L/∂inp, dweight[c] += ∂L/∂w (the same for the 1 + w form).
    /// </summary>
    void RmsNormBackward(float* dinp, float* dweight, float* dout, float* inp, float* w, int n, int c, float eps, bool addOne);

    /// <summary>Backward of <see cref="Rope"/>, in place: dx[n, heads, headDim] is rotated back by each position's angles (writes).</summary>
    void RopeBackward(float* dx, int* positions, int n, int heads, int headDim, float* invFreq);

    /// <summary>
    /// Causal GQA attention over whole right-padded sequences (writes output [rows·length, heads·headDim]) and the
    /// log-sum-exp of each query's softmax (writes lse[rows, heads, length]) so backward can rebuild the probabilities.
    /// </summary>
    void SequenceAttention(float* output, float* lse, float* q, float* k, float* v, in SequenceAttentionArgs a);

    /// <summary>
    /// Backward of <see cref="SequenceAttention"/> (scores recomputed from q and k, probabilities from lse): dq, dk and
    /// dv (same layouts as q, k, v) += their gradients, soft-capping and windows included.
    /// </summary>
    void SequenceAttentionBackward(float* dq, float* dk, float* dv, float* dout, float* output, float* lse,
        float* q, float* k, float* v, in SequenceAttentionArgs a);

    /// <summary>Backward of <see cref="GatedActivation"/>: dgate[i] += dout·up·act'(gate), dup[i] += dout·act(gate).</summary>
    void GatedActivationBackward(float* dgate, float* dup, float* dout, float* gate, float* up, long n, bool geluTanh);

    /// <summary>Backward of <see cref="SoftCap"/> in place, from its output y = cap·tanh(x/cap): grad[i] ·= 1 - (y[i]/cap)² (writes).</summary>
    void SoftCapBackward(float* grad, float* capped, long n, float cap);

    /// <summary>
    /// Backward of soft-cap + <see cref="LogSoftmaxGather"/>, in place: <paramref name="logits"/>[rows, vocab] (after the
    /// soft-cap when <paramref name="softcap"/> &gt; 0) is replaced by ∂L/∂(pre-cap logits) for the upstream gradients
    /// dLogp[rows] of result[r] = log softmax(logits[r])[targets[r]] (writes).
    /// </summary>
    void LogSoftmaxGatherBackward(float* logits, int* targets, float* dLogp, int rows, int vocab, float softcap);

    /// <summary>x[i] = 0 for n elements (gradient buffers between steps; a GPU backend maps it to a memset).</summary>
    void Zero(float* x, long n);

    /// <summary>Σ x[i]², accumulated in double (gradient norms).</summary>
    double SumOfSquares(float* x, long n);

    /// <summary>x[i] ·= s, in place (gradient clipping).</summary>
    void Scale(float* x, long n, float s);

    /// <summary>
    /// One AdamW step as torch.optim.AdamW computes it (decoupled weight decay, bias correction; <paramref name="step"/>
    /// counts from 1): p ·= 1 - lr·wd; m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; p -= lr/(1-β1^t) · m / (√v/√(1-β2^t) + eps).
    /// </summary>
    void AdamWStep(float* param, float* grad, float* m, float* v, long n, float lr, float beta1, float beta2, float eps,
        float weightDecay, int step);

    /// <summary>One plain SGD step as torch.optim.SGD without momentum: p -= lr · (g + wd·p).</summary>
    void SgdStep(float* param, float* grad, long n, float lr, float weightDecay);

    /// <summary>dst[i, :] = src[rows[i], :] for i &lt; n, rows of width c (writes).</summary>
    void GatherRows(float* dst, float* src, int* rows, int n, int c);

    /// <summary>dst[rows[i], :] += src[i, :] for i &lt; n (rows[] distinct).</summary>
    void ScatterAddRows(float* dst, float* src, int* rows, int n, int c);

    /// <summary>
    /// Inverted dropout (writes): out[i] = inp[i] / (1 - p) where a counter-based hash of (seed, i) keeps the element,
    /// else 0. Deterministic for a seed, so calling it again with the same seed on the gradient is its backward.
    /// </summary>
    void Dropout(float* output, float* inp, long n, float p, ulong seed);
}
