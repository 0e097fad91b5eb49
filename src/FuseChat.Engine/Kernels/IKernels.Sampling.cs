namespace FuseChat.Engine.Kernels;

/// <summary>
/// The sampler's operations over one row of vocabulary scores (Hugging Face's logits processors, then a draw). The
/// random number is drawn by the caller and passed in, so a backend changes neither the draws nor their order.
/// Probabilities are in double: the cumulative sums that place the draw must not move when the vocabulary grows.
/// </summary>
public unsafe partial interface IKernels
{
    /// <summary>
    /// transformers' RepetitionPenaltyLogitsProcessor: for each of the distinct ids[0..count), a negative score is
    /// multiplied by <paramref name="penalty"/> and any other divided by it, in place.
    /// </summary>
    void RepetitionPenalty(float* logits, int* ids, int count, float penalty);

    /// <summary>Index of the largest of x[0..n): the first of equal maxima, the first NaN when there is one (torch.argmax).</summary>
    int ArgMax(float* x, int n);

    /// <summary>
    /// Writes order[0..n) = indices of scores by descending score, equal scores by ascending index and NaNs first (as
    /// torch.sort(descending=True, stable=True)), and sorted[i] = scores[order[i]].
    /// </summary>
    void SortDescending(float* sorted, int* order, float* scores, int n);

    /// <summary>How many of the descending <paramref name="sorted"/>[0..n) top-k keeps: the first k and every later one equal to the k-th (n when k is 0 or at least n).</summary>
    int TopKCount(float* sorted, int n, int k);

    /// <summary>probs[0..n) = softmax(scores[0..n)), computed in double (exp of each score less the largest, over their sum).</summary>
    void SoftmaxF64(double* probs, float* scores, int n);

    /// <summary>Top-p over descending probabilities: the fewest leading tokens (at least one) whose mass reaches <paramref name="topP"/>, or n.</summary>
    int TopPCount(double* probs, int n, float topP);

    /// <summary>Min-p over descending probabilities: the leading tokens (at least one) whose probability is at least minP · probs[0].</summary>
    int MinPCount(double* probs, int n, float minP);

    /// <summary>
    /// The multinomial draw for a uniform <paramref name="u"/> in [0, 1): order[i] for the first i whose cumulative
    /// probability through i exceeds u, or order[n - 1] when rounding leaves none.
    /// </summary>
    int DrawSorted(double* probs, int* order, int n, double u);
}
