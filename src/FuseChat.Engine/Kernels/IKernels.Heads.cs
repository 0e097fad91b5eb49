namespace FuseChat.Engine.Kernels;

/// <summary>
/// The small dense operations of the heads on top of the decoder (reward classifiers, ArmoRM's gating network) and of
/// the sampler's temperature. Their matrix products go through <see cref="Matmul"/> / <see cref="MatmulFewRows"/>.
/// </summary>
public unsafe partial interface IKernels
{
    /// <summary>x[i] = max(x[i], 0), in place (torch.relu; NaN stays NaN).</summary>
    void Relu(float* x, long n);

    /// <summary>x[i] /= divisor, in place: a true division, as torch's <c>scores / temperature</c> computes it.</summary>
    void Divide(float* x, long n, float divisor);

    /// <summary>Softmax of each row of x[rows, cols], in place (FP32, max-subtracted, as torch.softmax over the last dim).</summary>
    void Softmax(float* x, int rows, int cols);
}
