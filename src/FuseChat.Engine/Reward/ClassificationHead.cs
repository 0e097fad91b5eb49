using FuseChat.Engine.Kernels;

namespace FuseChat.Engine.Reward;

/// <summary>transformers' *ForSequenceClassification head: <c>score = Linear(hidden, num_labels, bias=False)</c>.</summary>
sealed unsafe class ClassificationHead(float[] weight, int labels, int hidden)
{
    public const string WeightName = "score.weight";

    readonly float[] _weight = PinnedBuffer.Copy(weight);

    public int Labels => labels;

    public static IEnumerable<(string Name, int[] Shape)> Tensors(int labels, int hidden) => [(WeightName, [labels, hidden])];

    /// <summary>logits[rows, labels] = h[rows, hidden] · score.weightᵀ.</summary>
    public void Apply(IKernels k, float* h, int rows, float* logits) =>
        k.Matmul(logits, h, WeightPtr.Of(PinnedBuffer.Address(_weight)), null, rows, hidden, labels);
}
