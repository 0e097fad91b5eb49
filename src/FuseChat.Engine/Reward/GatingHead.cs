using FuseChat.Engine.Kernels;

namespace FuseChat.Engine.Reward;

/// <summary>
/// ArmoRM's head (RLHFlow/ArmoRM-Llama3-8B-v0.1, modeling_custom.py): rewards = regression_layer(h_last) over the
/// objectives; gating = softmax(MLP(h_gate) / temperature) · logit_scale, the MLP being n_hidden Linear+ReLU layers
/// then a Linear (all with bias); score = Σ_j gating[j] · (rewards · reward_transform_matrix)[j].
/// </summary>
sealed unsafe class GatingHead
{
    readonly GatingConfig _cfg;
    readonly int _hidden;
    readonly float[] _regression, _transform;
    readonly (float[] W, float[] B, int Out, int In)[] _layers;
    readonly float _logitScale;

    GatingHead(GatingConfig cfg, int hidden, float[] regression, float[] transform, (float[], float[], int, int)[] layers, float logitScale)
    {
        _cfg = cfg; _hidden = hidden; _regression = regression; _transform = transform; _layers = layers; _logitScale = logitScale;
    }

    /// <summary>Every tensor the head needs, with its shape, in HF naming.</summary>
    public static IEnumerable<(string Name, int[] Shape)> Tensors(GatingConfig g, int hidden)
    {
        yield return ("regression_layer.weight", [g.Objectives, hidden]);
        yield return ("reward_transform_matrix", [g.Objectives, g.Objectives]);
        yield return ("gating.logit_scale", [1]);
        int inFeatures = hidden;
        for (int i = 0; i <= g.HiddenLayers; i++)
        {
            int outFeatures = i < g.HiddenLayers ? g.HiddenDim : g.Objectives;
            yield return ($"gating.layers.{i}.weight", [outFeatures, inFeatures]);
            yield return ($"gating.layers.{i}.bias", [outFeatures]);
            inFeatures = outFeatures;
        }
    }

    /// <summary>Builds the head from tensors read by <paramref name="read"/> (name, shape) → FP32 data.</summary>
    public static GatingHead Create(GatingConfig g, int hidden, Func<string, int[], float[]> read)
    {
        var layers = new (float[], float[], int, int)[g.HiddenLayers + 1];
        int inFeatures = hidden;
        for (int i = 0; i <= g.HiddenLayers; i++)
        {
            int outFeatures = i < g.HiddenLayers ? g.HiddenDim : g.Objectives;
            layers[i] = (PinnedBuffer.Copy(read($"gating.layers.{i}.weight", [outFeatures, inFeatures])),
                PinnedBuffer.Copy(read($"gating.layers.{i}.bias", [outFeatures])), outFeatures, inFeatures);
            inFeatures = outFeatures;
        }
        return new GatingHead(g, hidden, PinnedBuffer.Copy(read("regression_layer.weight", [g.Objectives, hidden])),
            PinnedBuffer.Copy(read("reward_transform_matrix", [g.Objectives, g.Objectives])), layers, read("gating.logit_scale", [1])[0]);
    }

    /// <summary>
    /// Per row: the score, per-objective rewards and gating weights for final hidden states <paramref name="last"/>
    /// [rows, hidden] and gating hidden states <paramref name="gate"/> [rows, hidden].
    /// </summary>
    public (double Score, float[] Rewards, float[] Gating)[] Apply(IKernels k, float* last, float* gate, int rows)
    {
        int O = _cfg.Objectives;
        var rewards = PinnedBuffer.Allocate(rows * O);
        float* r = PinnedBuffer.Address(rewards);
        k.Matmul(r, last, Weight(_regression), null, rows, _hidden, O);

        float* x = gate;
        float[] activations = [];
        for (int l = 0; l < _layers.Length; l++)
        {
            var (w, b, outF, inF) = _layers[l];
            activations = PinnedBuffer.Allocate(rows * outF);
            float* y = PinnedBuffer.Address(activations);
            k.Matmul(y, x, Weight(w), PinnedBuffer.Address(b), rows, inF, outF);
            if (l < _layers.Length - 1) k.Relu(y, (long)rows * outF);   // ReLU after every layer but the last
            x = y;
        }
        // gating = softmax(x / temperature) · logit_scale, in FP32 as the PyTorch module computes it
        k.Divide(x, (long)rows * O, (float)_cfg.Temperature);
        k.Softmax(x, rows, O);
        k.Scale(x, (long)rows * O, _logitScale);

        // score = Σ_j gating[j] · Σ_i rewards[i] · T[i, j] = Σ_i rewards[i] · (T · gating)[i]: T is already in the
        // [out, in] layout of a Linear weight for the product T · gating, and the last sum is a 1 × 1 product per row.
        var mixed = PinnedBuffer.Allocate(rows * O);
        float* tg = PinnedBuffer.Address(mixed);
        k.Matmul(tg, x, Weight(_transform), null, rows, O, O);
        var scores = PinnedBuffer.Allocate(rows);
        float* s = PinnedBuffer.Address(scores);
        for (int row = 0; row < rows; row++)
            k.Matmul(s + row, r + (long)row * O, WeightPtr.Of(tg + (long)row * O), null, 1, O, 1);

        var results = new (double, float[], float[])[rows];
        for (int row = 0; row < rows; row++)
            results[row] = (scores[row], rewards.AsSpan(row * O, O).ToArray(), activations.AsSpan(row * O, O).ToArray());
        return results;
    }

    static WeightPtr Weight(float[] pinned) => WeightPtr.Of(PinnedBuffer.Address(pinned));
}
