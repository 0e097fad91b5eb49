using FuseChat.Engine.Kernels;
using static FuseChat.Engine.Tests.Training.FiniteDifference;

namespace FuseChat.Engine.Tests.Training;

/// <summary>Each backward kernel against central finite differences of its forward kernel.</summary>
public unsafe class KernelGradientTests
{
    static IEnumerable<IKernels> AllKernels()
    {
        yield return new CpuKernels(new ManagedGemm());
        if (OpenBlasGemm.TryCreate() is { } blas) yield return new CpuKernels(blas);
    }

    [Fact]
    public void MatmulBackwardMatchesFiniteDifferences()
    {
        foreach (var k in AllKernels())
        {
            int n = 7, kk = 13, m = 9;
            var rng = new Random(1);
            float[] x = Random(rng, n * kk), w = Random(rng, m * kk), b = Random(rng, m), c = Random(rng, n * m);
            var y = new float[n * m];
            double Loss()
            {
                fixed (float* px = x, pw = w, pb = b, py = y) k.Matmul(py, px, WeightPtr.Of(pw), pb, n, kk, m);
                return Dot(c, y);
            }
            float[] dx = Random(rng, n * kk), dw = Random(rng, m * kk), db = Random(rng, m);
            float[] dx0 = (float[])dx.Clone(), dw0 = (float[])dw.Clone(), db0 = (float[])db.Clone();
            fixed (float* px = x, pw = w, pc = c, pdx = dx, pdw = dw, pdb = db)
                k.MatmulBackward(pdx, pdw, pdb, pc, px, WeightPtr.Of(pw), n, kk, m);
            // the kernel adds: subtract what was there before
            for (int i = 0; i < dx.Length; i++) dx[i] -= dx0[i];
            for (int i = 0; i < dw.Length; i++) dw[i] -= dw0[i];
            for (int i = 0; i < db.Length; i++) db[i] -= db0[i];
            Check($"{k.Name} dinp", x, Loss, dx, Probe(x.Length));
            Check($"{k.Name} dweight", w, Loss, dw, Probe(w.Length));
            Check($"{k.Name} dbias", b, Loss, db, Probe(b.Length));
        }
    }

    [Fact]
    public void EmbeddingBackwardScatterAddsWithScaleAndRepeatedIds()
    {
        var k = new CpuKernels(new ManagedGemm());
        int vocab = 6, c = 5;
        int[] ids = [3, 1, 3, 0, 3];
        var rng = new Random(2);
        float[] table = Random(rng, vocab * c), cw = Random(rng, ids.Length * c);
        var y = new float[ids.Length * c];
        const float scale = 2.2360680f;
        double Loss()
        {
            fixed (float* pt = table, py = y) fixed (int* pi = ids) k.Embedding(py, pi, WeightPtr.Of(pt), ids.Length, c, scale);
            return Dot(cw, y);
        }
        var dt = new float[vocab * c];
        fixed (float* pd = dt, pc = cw) fixed (int* pi = ids) k.EmbeddingBackward(pd, pi, pc, ids.Length, c, scale);
        Check("dtable", table, Loss, dt, Probe(table.Length, 100));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RmsNormBackwardMatchesFiniteDifferences(bool addOne)
    {
        var k = new CpuKernels(new ManagedGemm());
        int n = 4, c = 11;
        var rng = new Random(addOne ? 3 : 4);
        float[] x = Random(rng, n * c), w = Random(rng, c), cw = Random(rng, n * c);
        var y = new float[n * c];
        double Loss()
        {
            fixed (float* px = x, pw = w, py = y) k.RmsNorm(py, px, pw, n, c, 1e-5f, addOne);
            return Dot(cw, y);
        }
        float[] dx = new float[n * c], dw = new float[c];
        fixed (float* px = x, pw = w, pc = cw, pdx = dx, pdw = dw) k.RmsNormBackward(pdx, pdw, pc, px, pw, n, c, 1e-5f, addOne);
        Check("dinp", x, Loss, dx, Probe(x.Length, 100), eps: 3e-3f);
        Check("dweight", w, Loss, dw, Probe(w.Length), eps: 3e-3f);
    }

    [Fact]
    public void RopeBackwardMatchesFiniteDifferences()
    {
        var k = new CpuKernels(new ManagedGemm());
        int n = 5, heads = 3, hd = 8;
        var rng = new Random(5);
        float[] x = Random(rng, n * heads * hd), cw = Random(rng, x.Length);
        int[] pos = [0, 3, 7, 1, 20];
        float[] inv = [1f, 0.3f, 0.05f, 0.001f];
        var y = new float[x.Length];
        double Loss()
        {
            Array.Copy(x, y, x.Length);
            fixed (float* py = y, pf = inv) fixed (int* pp = pos) k.Rope(py, pp, n, heads, hd, pf);
            return Dot(cw, y);
        }
        var dx = (float[])cw.Clone();
        fixed (float* pd = dx, pf = inv) fixed (int* pp = pos) k.RopeBackward(pd, pp, n, heads, hd, pf);
        Check("dx", x, Loss, dx, Probe(x.Length, 120));
    }

    [Theory]
    [InlineData(0f, 0, 4, 2)]     // plain causal GQA
    [InlineData(0f, 3, 4, 4)]     // sliding window, MHA
    [InlineData(2.5f, 0, 2, 1)]   // soft-capped scores, MQA
    [InlineData(2.5f, 2, 4, 2)]   // both
    public void SequenceAttentionBackwardMatchesFiniteDifferences(float softcap, int window, int heads, int kvHeads) =>
        CheckSequenceAttention(new AttentionCase(Seed: 6 + window + heads, Length: 6, Lengths: [6, 4], heads, kvHeads, HeadDim: 4,
            Scale: 0.7f, softcap, window), n => Probe(n, 80));

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(0f, 100)]
    [InlineData(3f, 70)]
    public void LongSequenceAttentionAcrossQueryBlocksMatchesFiniteDifferences(float softcap, int window)
    {
        // longer than one query block (128 rows), windows reaching back across block boundaries, a padded row;
        // probes late in the rows, where several blocks and the window matter
        IEnumerable<int> Late(int n) => Enumerable.Range(0, 8).Select(j => n - 1 - j * 37 % (n / 3));
        CheckSequenceAttention(new AttentionCase(Seed: 21 + window, Length: 200, Lengths: [200, 150], Heads: 2, KvHeads: 1, HeadDim: 4,
            Scale: 0.9f, softcap, window), n => Late(n / 2), kvProbes: n => Late(n / 2).Concat(Late(n)));
    }

    /// <summary>Shape and masks of one SequenceAttention gradient check (one row per entry of <paramref name="Lengths"/>).</summary>
    sealed record AttentionCase(int Seed, int Length, int[] Lengths, int Heads, int KvHeads, int HeadDim, float Scale, float Softcap, int Window);

    /// <summary>
    /// SequenceAttentionBackward against finite differences of SequenceAttention on random q, k, v: dq and dv at the
    /// indices <paramref name="probes"/> picks for their length, dk at <paramref name="kvProbes"/>'s (the same when null).
    /// </summary>
    static void CheckSequenceAttention(AttentionCase c, Func<int, IEnumerable<int>> probes, Func<int, IEnumerable<int>>? kvProbes = null)
    {
        var k = new CpuKernels(new ManagedGemm());
        int rows = c.Lengths.Length, L = c.Length, qWidth = c.Heads * c.HeadDim;
        int[] lengths = c.Lengths;
        var rng = new Random(c.Seed);
        float[] q = Random(rng, rows * L * qWidth), kk = Random(rng, rows * L * c.KvHeads * c.HeadDim), v = Random(rng, kk.Length);
        float[] cw = Random(rng, q.Length);
        // padded query rows carry no loss (nothing downstream reads them)
        for (int r = 0; r < rows; r++)
            for (int t = lengths[r]; t < L; t++) Array.Clear(cw, (r * L + t) * qWidth, qWidth);
        var o = new float[q.Length];
        var lse = new float[rows * c.Heads * L];
        SequenceAttentionArgs Args(int* len) => new()
        {
            Rows = rows, Length = L, Heads = c.Heads, KvHeads = c.KvHeads, HeadDim = c.HeadDim, Scale = c.Scale, Softcap = c.Softcap,
            Window = c.Window, Lengths = len,
        };
        double Loss()
        {
            fixed (float* pq = q, pk = kk, pv = v, po = o, pl = lse) fixed (int* pn = lengths) k.SequenceAttention(po, pl, pq, pk, pv, Args(pn));
            return Dot(cw, o);
        }
        Loss();
        float[] dq = new float[q.Length], dk = new float[kk.Length], dv = new float[v.Length];
        fixed (float* pq = q, pk = kk, pv = v, po = o, pl = lse, pc = cw, pdq = dq, pdk = dk, pdv = dv) fixed (int* pn = lengths)
            k.SequenceAttentionBackward(pdq, pdk, pdv, pc, po, pl, pq, pk, pv, Args(pn));
        Check("dq", q, Loss, dq, probes(q.Length), eps: 3e-3f);
        Check("dk", kk, Loss, dk, (kvProbes ?? probes)(kk.Length), eps: 3e-3f);
        Check("dv", v, Loss, dv, probes(v.Length), eps: 3e-3f);
    }

    [Fact]
    public void SequenceAttentionMatchesNaiveSoftmaxAndZeroesPadding()
    {
        var k = new CpuKernels(new ManagedGemm());
        int rows = 1, L = 5, heads = 2, hd = 3;
        int[] lengths = [4];
        var rng = new Random(7);
        float[] q = Random(rng, L * heads * hd), kk = Random(rng, L * heads * hd), v = Random(rng, L * heads * hd);
        var o = new float[q.Length];
        var lse = new float[heads * L];
        fixed (float* pq = q, pk = kk, pv = v, po = o, pl = lse) fixed (int* pn = lengths)
            k.SequenceAttention(po, pl, pq, pk, pv, new SequenceAttentionArgs
            { Rows = rows, Length = L, Heads = heads, KvHeads = heads, HeadDim = hd, Scale = 0.5f, Window = 2, Lengths = pn });
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < lengths[0]; i++)
            {
                int lo = Math.Max(0, i - 1);
                var s = Enumerable.Range(lo, i - lo + 1).Select(j =>
                    0.5 * Enumerable.Range(0, hd).Sum(d => (double)q[(i * heads + h) * hd + d] * kk[(j * heads + h) * hd + d])).ToArray();
                double max = s.Max(), z = s.Sum(x => Math.Exp(x - max));
                Assert.Equal(max + Math.Log(z), lse[h * L + i], 4);
                for (int d = 0; d < hd; d++)
                {
                    double want = Enumerable.Range(0, s.Length).Sum(j => Math.Exp(s[j] - max) / z * v[((lo + j) * heads + h) * hd + d]);
                    Assert.Equal(want, o[(i * heads + h) * hd + d], 4);
                }
            }
        for (int j = 0; j < heads * hd; j++) Assert.Equal(0f, o[(4 * heads) * hd + j]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GatedActivationBackwardMatchesFiniteDifferences(bool gelu)
    {
        var k = new CpuKernels(new ManagedGemm());
        int n = 40;
        var rng = new Random(8);
        float[] g = Random(rng, n, 4), u = Random(rng, n, 2), cw = Random(rng, n);
        var y = new float[n];
        double Loss()
        {
            fixed (float* pg = g, pu = u, py = y) k.GatedActivation(py, pg, pu, n, gelu);
            return Dot(cw, y);
        }
        float[] dg = new float[n], du = new float[n];
        fixed (float* pg = g, pu = u, pc = cw, pdg = dg, pdu = du) k.GatedActivationBackward(pdg, pdu, pc, pg, pu, n, gelu);
        Check("dgate", g, Loss, dg, Probe(n, 40), eps: 1e-3f);
        Check("dup", u, Loss, du, Probe(n, 40), eps: 1e-3f);
    }

    [Fact]
    public void SoftCapBackwardMatchesFiniteDifferences()
    {
        var k = new CpuKernels(new ManagedGemm());
        var rng = new Random(9);
        float[] x = Random(rng, 30, 8), cw = Random(rng, 30);
        var y = new float[30];
        double Loss()
        {
            Array.Copy(x, y, 30);
            fixed (float* py = y) k.SoftCap(py, 30, 3f);
            return Dot(cw, y);
        }
        Loss();
        var d = (float[])cw.Clone();
        fixed (float* pd = d, py = y) k.SoftCapBackward(pd, py, 30, 3f);
        Check("dx", x, Loss, d, Probe(30, 30), eps: 1e-3f);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(4f)]
    public void LogSoftmaxGatherBackwardMatchesFiniteDifferences(float softcap)
    {
        var k = new CpuKernels(new ManagedGemm());
        int rows = 3, vocab = 17;
        var rng = new Random(10);
        float[] x = Random(rng, rows * vocab, 5), dl = [0.7f, -1.3f, 0f];
        int[] targets = [4, 16, 0];
        var scratch = new float[x.Length];
        var lp = new float[rows];
        double Loss()
        {
            Array.Copy(x, scratch, x.Length);
            fixed (float* ps = scratch, pl = lp) fixed (int* pt = targets)
            {
                if (softcap > 0) k.SoftCap(ps, x.Length, softcap);
                k.LogSoftmaxGather(pl, ps, pt, rows, vocab);
            }
            return Dot(dl, lp);
        }
        var g = (float[])x.Clone();
        fixed (float* pg = g, pd = dl) fixed (int* pt = targets)
        {
            if (softcap > 0) k.SoftCap(pg, g.Length, softcap);
            k.LogSoftmaxGatherBackward(pg, pt, pd, rows, vocab, softcap);
        }
        Check("dlogits", x, Loss, g, Probe(x.Length, 51), eps: 1e-3f);
    }

    [Fact]
    public void DropoutIsDeterministicInvertedAndItsOwnBackward()
    {
        var k = new CpuKernels(new ManagedGemm());
        int n = 20000;
        var x = Enumerable.Repeat(1f, n).ToArray();
        float[] a = new float[n], b = new float[n], c = new float[n];
        fixed (float* px = x, pa = a, pb = b, pc = c)
        {
            k.Dropout(pa, px, n, 0.25f, 42);
            k.Dropout(pb, px, n, 0.25f, 42);
            k.Dropout(pc, px, n, 0.25f, 43);
        }
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        double kept = a.Count(v => v != 0) / (double)n;
        Assert.InRange(kept, 0.73, 0.77);
        Assert.All(a, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75f) < 1e-6));
    }
}
