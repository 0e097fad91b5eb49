using System.Runtime.InteropServices;
using FuseChat.Engine.Inference;
using FuseChat.Engine.Model;
using FuseChat.Server.Scheduling;

namespace FuseChat.Server.Tests;

/// <summary>
/// The scheduler picks a step's tokens on several threads. Each choice must still draw from its own seeded stream and
/// from the pristine logits row, even when n samples of one prompt share that row at their first token: the expected
/// tokens are computed here with the engine alone (same ragged step, same logits kernel, one sampler per stream).
/// </summary>
public class ParallelSamplingTests
{
    [Fact]
    public async Task SamplesSharingALogitsRowDrawAsIfAlone()
    {
        int[] prompt = [1000, 2000, 3000, 4000, 5000];
        var sampling = new SamplingOptions { Temperature = 0.5f, TopP = 0.9f, Seed = 9, MaxNewTokens = 1, EosIds = [] };
        const int n = 8;
        var expected = ExpectedFirstTokens(prompt, sampling, n);
        Assert.True(expected.Distinct().Count() > 1, "a random model's samples should not all agree");

        using var served = Transformer.Load(TinyModel.Dir);
        using var scheduler = new BatchScheduler(served, TinyModel.Tokenizer, maxBatch: n, prefillChunk: 256);
        var request = new GenerationRequest { Prompts = [prompt], N = n, Sampling = sampling, Logprobs = true };
        var got = new int[n];
        await foreach (var e in scheduler.Submit(request, default)!.ReadAllAsync())
            if (e.Tokens.Count > 0) got[e.Choice] = e.Tokens[0].Token;
        Assert.Equal(expected, got);
    }

    static unsafe int[] ExpectedFirstTokens(int[] prompt, SamplingOptions sampling, int n)
    {
        using var model = Transformer.Load(TinyModel.Dir);
        int V = model.Config.VocabSize, C = model.Config.Hidden;
        using var cache = model.NewCache(1, prompt.Length + 1);
        float* h = model.StepRagged([cache], [prompt.Length], prompt);
        float* logits = (float*)NativeMemory.Alloc((nuint)V, 4);
        try
        {
            model.LogitsFewRows(h + (long)(prompt.Length - 1) * C, 1, logits);
            return Enumerable.Range(0, n).Select(k =>
                new Sampler(sampling, k, model.Kernels).Next(new ReadOnlySpan<float>(logits, V).ToArray(), new HashSet<int>(prompt))).ToArray();
        }
        finally { NativeMemory.Free(logits); }
    }
}
