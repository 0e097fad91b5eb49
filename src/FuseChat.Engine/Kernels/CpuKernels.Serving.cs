using System.Buffers;
using System.Numerics.Tensors;

namespace FuseChat.Engine.Kernels;

/// <summary>The ragged (continuous-batching) attention kernel: work items are (segment, head) pairs spread over cores.</summary>
public sealed unsafe partial class CpuKernels
{
    public void RaggedAttention(float* output, float* q, float* k, float* v, ReadOnlySpan<RaggedSegment> segments, in RaggedAttentionArgs a)
    {
        int hd = a.HeadDim, kvh = a.KvHeads;
        foreach (var s in segments)
            for (int t = 0; t < s.NewTokens; t++)
                for (int h = 0; h < kvh; h++)
                {
                    long src = ((long)(s.Row + t) * kvh + h) * hd;
                    long dst = ((long)h * s.Capacity + s.Past + t) * hd;
                    Buffer.MemoryCopy(k + src, s.KCache + dst, hd * 4L, hd * 4L);
                    Buffer.MemoryCopy(v + src, s.VCache + dst, hd * 4L, hd * 4L);
                }
        var segs = segments.ToArray();
        var args = a;
        int groups = a.Heads / a.KvHeads;
        Parallel.For(0, segs.Length * a.Heads, _parallel, sh =>
        {
            var s = segs[sh / args.Heads];
            int h = sh % args.Heads;
            float* kBase = s.KCache + (long)(h / groups) * s.Capacity * hd;
            float* vBase = s.VCache + (long)(h / groups) * s.Capacity * hd;
            float[] rented = ArrayPool<float>.Shared.Rent(s.Past + s.NewTokens);
            try
            {
                for (int t = 0; t < s.NewTokens; t++)
                {
                    int i = s.Past + t;
                    int lo = args.Window > 0 ? Math.Max(0, i - args.Window + 1) : 0;
                    long row = (long)(s.Row + t) * args.Heads + h;
                    var qv = new ReadOnlySpan<float>(q + row * hd, hd);
                    var o = new Span<float>(output + row * hd, hd);
                    o.Clear();
                    AttendQuery(o, qv, kBase, vBase, lo, rented.AsSpan(0, i - lo + 1), args.Scale, args.Softcap);
                }
            }
            finally { ArrayPool<float>.Shared.Return(rented); }
        });
    }
}
