using System.Numerics.Tensors;

namespace FuseChat.Engine.Kernels;

/// <summary>Element-wise and row-wise operations of the reward heads and the sampler: vectors of tens to a vocabulary's length.</summary>
public sealed unsafe partial class CpuKernels
{
    public void Relu(float* x, long n)
    {
        for (long start = 0; start < n; start += int.MaxValue / 2)
        {
            var s = new Span<float>(x + start, (int)Math.Min(int.MaxValue / 2, n - start));
            // Max(x, 0) would turn NaN into NaN too, but spell out torch's rule: only values below zero become zero.
            for (int i = 0; i < s.Length; i++) if (s[i] < 0f) s[i] = 0f;
        }
    }

    public void Divide(float* x, long n, float divisor)
    {
        for (long start = 0; start < n; start += int.MaxValue / 2)
        {
            var s = new Span<float>(x + start, (int)Math.Min(int.MaxValue / 2, n - start));
            TensorPrimitives.Divide(s, divisor, s);
        }
    }

    public void Softmax(float* x, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            StableSoftmax(new Span<float>(x + (long)r * cols, cols));
        }
    }
}
