using System.Runtime.InteropServices;
using FuseChat.Engine.Config;

namespace FuseChat.Engine.Training;

/// <summary>What one decoder layer's forward keeps for its backward (pointers into <see cref="TrainingActivations"/>).</summary>
public unsafe struct SavedLayer
{
    /// <summary>[R, C] layer input (residual), normed input, residual after attention, normed residual.</summary>
    public float* XIn, Xn1, XMid, Xn2;
    /// <summary>[R, QDim] roped queries and attention output; [R, KvDim] roped keys and values.</summary>
    public float* Q, K, V, Att;
    /// <summary>[Rows, Heads, Length] log-sum-exp of each query's attention softmax.</summary>
    public float* Lse;
    /// <summary>[R, C] o_proj and down_proj outputs before Gemma-2's post-norms (null for other architectures).</summary>
    public float* O1, O2;
    /// <summary>[R, I] gate and up projections and their gated product.</summary>
    public float* Gate, Up, H;
}

/// <summary>
/// The activation arena of a training step, llm.c style: every saved activation of every layer plus the backward scratch,
/// in one native allocation sized for R = rows·length tokens; reused while later batches fit.
/// </summary>
public sealed unsafe class TrainingActivations : IDisposable
{
    readonly ModelConfig _c;
    void* _block;
    long _capacityFloats;
    public int Rows { get; private set; }
    public int Length { get; private set; }
    public int Tokens => Rows * Length;
    public SavedLayer[] Layers { get; }
    /// <summary>[R, C] final residual and its norm; [R] ids (pads as 0), positions and segment starts.</summary>
    public float* XOut, XnF;
    public int* Ids, Positions, SegmentStarts, Lengths;
    /// <summary>Backward scratch: [R, C] residual gradient, normed-input gradient, branch-output gradient.</summary>
    public float* DX, DXn, DO;
    /// <summary>Backward scratch: [R, QDim] dQ and dAtt, [R, KvDim] dK and dV, [R, I] dGate, dUp, dH.</summary>
    public float* DQ, DAtt, DK, DV, DGate, DUp, DH;

    public TrainingActivations(ModelConfig c) { _c = c; Layers = new SavedLayer[c.Layers]; }

    /// <summary>Points every buffer at a block large enough for rows × length tokens (contents are undefined).</summary>
    public void Prepare(int rows, int length)
    {
        long R = (long)rows * length, C = _c.Hidden, Qd = _c.QDim, Kv = _c.KvDim, I = _c.Intermediate;
        long lse = (long)rows * _c.Heads * length;
        bool gemma = _c.IsGemma;
        long perLayer = R * (4 * C + 2 * Qd + 2 * Kv + 3 * I + (gemma ? 2 * C : 0)) + lse;
        long total = _c.Layers * perLayer + R * (2 * C) + 4 * R + rows + R * (3 * C + 2 * Qd + 2 * Kv + 3 * I);
        total += 16 * (_c.Layers * 16 + 32);   // alignment slack
        if (total > _capacityFloats)
        {
            if (_block != null) NativeMemory.AlignedFree(_block);
            _block = NativeMemory.AlignedAlloc((nuint)(total * 4), 64);
            _capacityFloats = total;
        }
        float* p = (float*)_block;
        float* Take(long n) { var r = p; p += (n + 15) / 16 * 16; return r; }
        for (int l = 0; l < _c.Layers; l++)
        {
            ref var s = ref Layers[l];
            s.XIn = Take(R * C); s.Xn1 = Take(R * C); s.XMid = Take(R * C); s.Xn2 = Take(R * C);
            s.Q = Take(R * Qd); s.Att = Take(R * Qd); s.K = Take(R * Kv); s.V = Take(R * Kv);
            s.Lse = Take(lse);
            s.O1 = gemma ? Take(R * C) : null; s.O2 = gemma ? Take(R * C) : null;
            s.Gate = Take(R * I); s.Up = Take(R * I); s.H = Take(R * I);
        }
        XOut = Take(R * C); XnF = Take(R * C);
        Ids = (int*)Take(R); Positions = (int*)Take(R); SegmentStarts = (int*)Take(R); Lengths = (int*)Take(rows);
        DX = Take(R * C); DXn = Take(R * C); DO = Take(R * C);
        DQ = Take(R * Qd); DAtt = Take(R * Qd); DK = Take(R * Kv); DV = Take(R * Kv);
        DGate = Take(R * I); DUp = Take(R * I); DH = Take(R * I);
        Rows = rows; Length = length;
    }

    public long Bytes => _capacityFloats * 4;

    public void Dispose()
    {
        if (_block != null) { NativeMemory.AlignedFree(_block); _block = null; _capacityFloats = 0; }
    }
}
