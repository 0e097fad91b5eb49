using System.Runtime.InteropServices;
using FuseChat.Core;
using FuseChat.Engine.Model;

namespace FuseChat.Engine.Inference;

/// <summary>One generated continuation: which prompt and sample it belongs to, its new token ids, and why it stopped.</summary>
public sealed record GeneratedSequence(int PromptIndex, int SampleIndex, int[] Tokens, string FinishReason);

/// <summary>A token just produced for sequence <c>Sequence</c> (index into the result list: prompt-major, then sample).</summary>
public readonly record struct TokenEvent(int Sequence, int PromptIndex, int SampleIndex, int Token);

/// <summary>
/// Batched autoregressive generation with a KV cache: all prompts × samples are left-padded into one batch,
/// prefilled in one forward pass, then decoded one token per row per step. A callback sees each token and may
/// stop its sequence (how stop strings are applied by the text layer).
/// </summary>
public sealed unsafe class Generator
{
    readonly Transformer _model;
    public Generator(Transformer model) { _model = model; }

    /// <param name="onToken">Called for each new token; return false to finish that sequence ("stop").</param>
    public IReadOnlyList<GeneratedSequence> Generate(IReadOnlyList<int[]> prompts, SamplingOptions o, Func<TokenEvent, bool>? onToken = null)
    {
        if (prompts.Count == 0) return [];
        if (o.NumSamples < 1) throw new UserError("--num-samples must be at least 1");
        if (o.MaxNewTokens < 0) throw new UserError("--max-new-tokens must not be negative");
        if (prompts.Any(p => p.Length == 0)) throw new UserError("a prompt must hold at least one token");
        var c = _model.Config;
        int S = o.NumSamples, B = prompts.Count * S, P = prompts.Max(p => p.Length);
        int maxNew = Math.Min(o.MaxNewTokens, c.MaxPositions - P);
        if (P > c.MaxPositions)
            throw new UserError($"a prompt of {P} tokens exceeds the model's context (max_position_embeddings = {c.MaxPositions})");
        var eos = new HashSet<int>(o.EosIds);
        var ids = new int[B * P];
        var pad = new int[B];
        var seen = new HashSet<int>[B];
        var samplers = new Sampler[B];
        var outputs = new List<int>[B];
        var finish = new string?[B];
        for (int r = 0; r < B; r++)
        {
            var p = prompts[r / S];
            pad[r] = P - p.Length;
            p.CopyTo(ids, r * P + pad[r]);
            seen[r] = new HashSet<int>(p);
            samplers[r] = new Sampler(o, r, _model.Kernels);
            outputs[r] = new List<int>();
        }
        using var cache = _model.NewCache(B, P + Math.Max(0, maxNew));
        cache.Reset(pad);
        int V = c.VocabSize, C = c.Hidden;
        float* last = (float*)NativeMemory.AlignedAlloc((nuint)((long)B * C * 4), 64);
        float* logits = (float*)NativeMemory.AlignedAlloc((nuint)((long)B * V * 4), 64);
        try
        {
            if (maxNew > 0)
            {
                // Prefill in chunks of positions (bounded activation memory); keep each row's last hidden state.
                int chunk = LogProbs.DefaultPrefillChunk;
                var chunkIds = new int[B * Math.Min(P, chunk)];
                for (int t0 = 0; t0 < P; t0 += chunk)
                {
                    int T = Math.Min(chunk, P - t0);
                    for (int r = 0; r < B; r++) Array.Copy(ids, r * P + t0, chunkIds, r * T, T);
                    float* h = _model.Step(cache, chunkIds.AsSpan(0, B * T), T);
                    if (t0 + T == P)
                        for (int r = 0; r < B; r++) Buffer.MemoryCopy(h + ((long)r * T + T - 1) * C, last + (long)r * C, C * 4L, C * 4L);
                }
            }
            var next = new int[B];
            for (int step = 0; step < maxNew; step++)
            {
                _model.Logits(last, B, logits);
                bool anyActive = false;
                for (int r = 0; r < B; r++)
                {
                    if (finish[r] is not null) { next[r] = outputs[r].Count > 0 ? outputs[r][^1] : prompts[r / S][^1]; continue; }
                    int tok = samplers[r].Next(new Span<float>(logits + (long)r * V, V), seen[r]);
                    outputs[r].Add(tok); seen[r].Add(tok); next[r] = tok;
                    bool keepGoing = onToken?.Invoke(new TokenEvent(r, r / S, r % S, tok)) ?? true;
                    if (eos.Contains(tok)) finish[r] = "eos";
                    else if (!keepGoing) finish[r] = "stop";
                    else anyActive = true;
                }
                if (!anyActive || step == maxNew - 1) break;
                float* h = _model.Step(cache, next, 1);
                Buffer.MemoryCopy(h, last, (long)B * C * 4, (long)B * C * 4);
            }
        }
        finally { NativeMemory.AlignedFree(last); NativeMemory.AlignedFree(logits); }
        return Enumerable.Range(0, B).Select(r => new GeneratedSequence(r / S, r % S, outputs[r].ToArray(), finish[r] ?? "length")).ToArray();
    }
}
