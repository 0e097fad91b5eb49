using FuseChat.Core;
using FuseChat.Engine.Checkpoints;
using FuseChat.Engine.Config;
using FuseChat.Engine.Kernels;
using FuseChat.Engine.Model;

namespace FuseChat.Engine.Reward;

/// <summary>
/// A reward model loaded from a Hugging Face folder: the decoder (<see cref="Transformer"/>) plus the head named by
/// <c>architectures</c>: LlamaForSequenceClassification (Skywork-Reward), Qwen2ForSequenceClassification,
/// Gemma2ForSequenceClassification (any *ForSequenceClassification of a supported decoder), or ArmoRM's
/// LlamaForRewardModelWithGating. <see cref="Score"/> runs rows in left-padded batches; each row's result equals what
/// transformers gives for that row alone or in a right-padded batch. Not thread-safe: one Score call at a time.
/// </summary>
public sealed unsafe class RewardModel : IDisposable
{
    public RewardHeadConfig Head { get; }
    public Transformer Backbone { get; }
    public ModelConfig Config => Backbone.Config;
    readonly ClassificationHead? _classifier;
    readonly GatingHead? _gating;

    /// <summary>Positions per forward chunk: bounds activation memory for long rows.</summary>
    public const int DefaultPrefillChunk = 512;

    RewardModel(RewardHeadConfig head, Transformer backbone, ClassificationHead? classifier, GatingHead? gating)
    {
        Head = head; Backbone = backbone; _classifier = classifier; _gating = gating;
    }

    /// <summary>Loads <paramref name="dir"/> (config.json + safetensors); clear errors for other architectures and missing or misshapen head tensors.</summary>
    public static RewardModel Load(string dir, IKernels? kernels = null, WeightStorage? storage = null)
    {
        if (!Directory.Exists(dir)) throw new UserError($"{dir}: model folder not found");
        string configPath = Path.Combine(dir, "config.json");
        var config = ModelConfig.Load(configPath);
        var head = RewardHeadConfig.Parse(config, configPath);
        var tensors = (head.Kind == ModelHead.RewardWithGating
            ? GatingHead.Tensors(head.Gating!, config.Hidden)
            : ClassificationHead.Tensors(head.NumLabels, config.Hidden)).ToList();
        var map = CheckpointLoader.WeightMap(dir);
        // Check the head first: a causal-LM or wrong-head checkpoint fails on its head, not on some backbone detail.
        foreach (var (name, shape) in tensors)
            if (!map.ContainsKey(name))
                throw new UserError($"{dir}: tensor {name} [{string.Join(", ", shape)}] is missing: {head.ArchitectureName} needs it");
        float[] Read(string name, int[] shape) => CheckpointLoader.ReadTensor(dir, map, name, shape);
        ClassificationHead? classifier = null;
        GatingHead? gating = null;
        if (head.Kind == ModelHead.RewardWithGating) gating = GatingHead.Create(head.Gating!, config.Hidden, Read);
        else
        {
            var (name, shape) = tensors[0];
            classifier = new ClassificationHead(Read(name, shape), head.NumLabels, config.Hidden);
        }
        // A reward checkpoint carries no LM head: laying the decoder out as tied means no lm_head tensor is expected
        // (the backbone's Logits is never called).
        var backboneConfig = config with { TieWordEmbeddings = true };
        var arena = CheckpointLoader.LoadBackbone(dir, backboneConfig, storage, tensors.Select(t => t.Name).ToHashSet());
        return new RewardModel(head, new Transformer(backboneConfig, arena, kernels), classifier, gating);
    }

    /// <summary>Scores each row of token ids (no padding: each row is one whole sequence, special tokens included).</summary>
    /// <param name="batchSize">Rows per forward pass; rows are grouped by length so padding stays small.</param>
    public IReadOnlyList<RewardOutput> Score(IReadOnlyList<int[]> ids, int batchSize = 8, int prefillChunk = DefaultPrefillChunk)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        var plans = new RowPlan[ids.Count];
        for (int i = 0; i < ids.Count; i++) plans[i] = Plan(i, ids[i]);
        var results = new RewardOutput[ids.Count];
        // Longest first, so each batch holds rows of similar length.
        var order = Enumerable.Range(0, ids.Count).OrderByDescending(i => plans[i].Length).ToArray();
        for (int s = 0; s < order.Length; s += batchSize)
        {
            var batch = order.Skip(s).Take(batchSize).Select(i => plans[i]).ToArray();
            RunBatch(batch, ids, prefillChunk, results);
        }
        return results;
    }

    /// <summary>The positions a row's head reads, and how much of the row the forward pass needs (tokens after them cannot change them).</summary>
    sealed record RowPlan(int Index, int Position, int GatingPosition, int Length);

    /// <summary>Why <paramref name="row"/> cannot be scored (empty, too long, ids outside the vocabulary, ArmoRM's
    /// gating pattern absent), or null when it can; callers name the file and line.</summary>
    public string? CheckRow(ReadOnlySpan<int> row)
    {
        if (row.Length == 0) return "a reward input needs at least one token";
        if (row.Length > Config.MaxPositions)
            return $"{row.Length} tokens exceed the model's context (max_position_embeddings = {Config.MaxPositions})";
        for (int t = 0; t < row.Length; t++)
            if ((uint)row[t] >= (uint)Config.VocabSize)
                return $"token id {row[t]} at position {t} is outside the vocabulary (size {Config.VocabSize})";
        if (Head.Kind == ModelHead.RewardWithGating && PooledPositions.LastOccurrence(row, Head.Gating!.TokenPattern) < 0)
            return $"ArmoRM's gating token pattern [{string.Join(", ", Head.Gating.TokenPattern)}] (the end of the last user turn " +
                "before the assistant reply) does not occur; render the conversation with the model's chat template";
        return null;
    }

    RowPlan Plan(int index, int[] row)
    {
        if (CheckRow(row) is string problem) throw new UserError($"row {index}: {problem}");
        if (Head.Kind != ModelHead.RewardWithGating)
        {
            int p = PooledPositions.LastNonPad(row, Head.PadTokenId);
            return new RowPlan(index, p, -1, p + 1);
        }
        int last = PooledPositions.BeforeFirstPad(row, Head.PadTokenId);
        int gate = PooledPositions.LastOccurrence(row, Head.Gating!.TokenPattern);
        return new RowPlan(index, last, gate, Math.Max(last, gate) + 1);
    }

    void RunBatch(RowPlan[] rows, IReadOnlyList<int[]> ids, int prefillChunk, RewardOutput[] results)
    {
        int B = rows.Length, L = rows.Max(r => r.Length), C = Config.Hidden;
        var pad = rows.Select(r => L - r.Length).ToArray();
        var tokens = new int[B * L];
        for (int b = 0; b < B; b++) ids[rows[b].Index].AsSpan(0, rows[b].Length).CopyTo(tokens.AsSpan(b * L + pad[b]));
        // The hidden states the heads read, one row per sequence: [B, C] each.
        float[] lastRows = PinnedBuffer.Allocate(B * C), gateRows = PinnedBuffer.Allocate(_gating is null ? 0 : B * C);
        using var cache = Backbone.NewCache(B, L);
        cache.Reset(pad);
        int chunk = Math.Max(1, prefillChunk);
        var chunkIds = new int[B * Math.Min(L, chunk)];
        for (int t0 = 0; t0 < L; t0 += chunk)
        {
            int T = Math.Min(chunk, L - t0);
            for (int b = 0; b < B; b++) Array.Copy(tokens, b * L + t0, chunkIds, b * T, T);
            float* hidden = Backbone.Step(cache, chunkIds.AsSpan(0, B * T), T);
            for (int b = 0; b < B; b++)
            {
                Gather(hidden, b, T, t0, pad[b] + rows[b].Position, C, lastRows);
                if (rows[b].GatingPosition >= 0) Gather(hidden, b, T, t0, pad[b] + rows[b].GatingPosition, C, gateRows);
            }
        }
        ApplyHead(rows, lastRows, gateRows, results);
    }

    /// <summary>The head over the gathered hidden states of a batch (rows [B, C]), into each row's result.</summary>
    void ApplyHead(RowPlan[] rows, float[] lastRows, float[] gateRows, RewardOutput[] results)
    {
        int B = rows.Length;
        if (_gating is not null)
        {
            var outputs = _gating.Apply(Backbone.Kernels, PinnedBuffer.Address(lastRows), PinnedBuffer.Address(gateRows), B);
            for (int b = 0; b < B; b++)
            {
                var (score, rewards, gating) = outputs[b];
                results[rows[b].Index] = new RewardOutput(score, [(float)score], rows[b].Position, rewards, gating, rows[b].GatingPosition);
            }
            return;
        }
        int labels = _classifier!.Labels;
        var logits = PinnedBuffer.Allocate(B * labels);
        _classifier.Apply(Backbone.Kernels, PinnedBuffer.Address(lastRows), B, PinnedBuffer.Address(logits));
        for (int b = 0; b < B; b++)
        {
            var row = logits.AsSpan(b * labels, labels).ToArray();
            results[rows[b].Index] = new RewardOutput(row[^1], row, rows[b].Position);
        }
    }

    /// <summary>Copies the hidden state at padded position <paramref name="pos"/> of row <paramref name="b"/> into row b of <paramref name="dst"/> when this chunk holds it.</summary>
    void Gather(float* hidden, int b, int T, int t0, int pos, int C, float[] dst)
    {
        if (pos < t0 || pos >= t0 + T) return;
        int source = b * T + pos - t0;
        Backbone.Kernels.GatherRows(PinnedBuffer.Address(dst) + (long)b * C, hidden, &source, 1, C);
    }

    public void Dispose() => Backbone.Dispose();
}
