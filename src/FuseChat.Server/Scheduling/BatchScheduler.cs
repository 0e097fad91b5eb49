using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using FuseChat.Engine.Inference;
using FuseChat.Engine.Model;
using FuseChat.Text.Tokenization;

namespace FuseChat.Server.Scheduling;

/// <summary>Counters of the scheduler's work, for tests and logs: how many steps ran and how many sequences shared them.</summary>
public readonly record struct SchedulerStats(long Steps, long SampledTokens, int MostSequencesInOneStep);

/// <summary>
/// Continuous batching. One thread owns the model; requests join the running batch between steps and leave it as soon
/// as they finish. Each step is one ragged forward pass (<see cref="Transformer.StepRagged"/>): one token for every
/// decoding sequence plus up to <c>prefillChunk</c> prompt tokens of newly admitted ones, so new prompts are batched
/// and a long prompt is cut into chunks instead of stalling everyone's decoding. Every sequence has its own cache and
/// sampler, and (batch-invariant, the default) every row of a step is computed by kernels whose arithmetic does not
/// depend on the other rows, so what a sequence generates, sampled replies included, does not depend on what else is
/// running or on how its prompt was cut into chunks.
/// </summary>
public sealed unsafe class BatchScheduler : IDisposable
{
    readonly Transformer _model;
    readonly HfTokenizer _tokenizer;
    readonly int _maxBatch, _prefillChunk, _maxQueued;
    readonly bool _batchInvariant;
    readonly ConcurrentQueue<ScheduledJob> _incoming = new();
    readonly SemaphoreSlim _wake = new(0);
    readonly LinkedList<(ScheduledJob Job, int Prompt)> _waiting = new();
    readonly List<SequenceState> _running = new();
    readonly Thread _thread;
    readonly float* _hidden, _logits;
    readonly ParallelOptions _samplingParallel = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };
    readonly int _vocab, _hiddenSize;
    volatile bool _stopping;
    int _queued;
    long _steps, _sampled;
    int _mostInStep;

    /// <param name="batchInvariant">False lets steps of more than <see cref="Transformer.FewRowsLimit"/> rows use the
    /// packed GEMM: faster prefill of long prompts, but the last bits of a row then depend on the step's other rows.</param>
    public BatchScheduler(Transformer model, HfTokenizer tokenizer, int maxBatch, int prefillChunk, int maxQueued = 1024, bool batchInvariant = true)
    {
        if (maxBatch < 1) throw new ArgumentOutOfRangeException(nameof(maxBatch));
        if (prefillChunk < 1) throw new ArgumentOutOfRangeException(nameof(prefillChunk));
        _model = model; _tokenizer = tokenizer;
        _maxBatch = maxBatch; _prefillChunk = prefillChunk; _maxQueued = maxQueued; _batchInvariant = batchInvariant;
        _vocab = model.Config.VocabSize; _hiddenSize = model.Config.Hidden;
        _hidden = (float*)NativeMemory.AlignedAlloc((nuint)((long)maxBatch * _hiddenSize * 4), 64);
        _logits = (float*)NativeMemory.AlignedAlloc((nuint)((long)maxBatch * _vocab * 4), 64);
        _thread = new Thread(Run) { Name = "fusechat-scheduler", IsBackground = true };
        _thread.Start();
    }

    public int MaxBatch => _maxBatch;
    public SchedulerStats Stats => new(Interlocked.Read(ref _steps), Interlocked.Read(ref _sampled), Volatile.Read(ref _mostInStep));

    /// <summary>
    /// Queues a request; its choices' events arrive on the returned reader, which completes when all choices finished
    /// (or faults, e.g. with OperationCanceledException when <paramref name="cancel"/> fires). Null when the queue is full.
    /// </summary>
    public ChannelReader<ChoiceEvent>? Submit(GenerationRequest request, CancellationToken cancel)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (request.N > _maxBatch) throw new ArgumentException($"n = {request.N} exceeds the batch size {_maxBatch}");
        if (Interlocked.Increment(ref _queued) > _maxQueued) { Interlocked.Decrement(ref _queued); return null; }
        var job = new ScheduledJob(request, cancel);
        _incoming.Enqueue(job);
        _wake.Release();
        return job.Events.Reader;
    }

    void Run()
    {
        while (true)
        {
            while (_incoming.TryDequeue(out var job))
                for (int p = 0; p < job.Request.Prompts.Count; p++) _waiting.AddLast((job, p));
            if (_stopping) break;
            DropCancelled();
            Admit();
            if (_running.Count == 0) { _wake.Wait(); continue; }
            try { Step(); }
            catch (Exception e)
            {
                // A failed forward pass fails the requests in it (the handler answers 500); the server keeps serving.
                foreach (var s in _running) { s.Job.Fail(e); s.Dispose(); }
                _running.Clear();
            }
        }
        var stopped = new OperationCanceledException("the server is shutting down");
        foreach (var s in _running) { s.Job.Fail(stopped); s.Dispose(); }
        foreach (var (job, _) in _waiting) job.Fail(stopped);
        while (_incoming.TryDequeue(out var job)) job.Fail(stopped);
        _running.Clear(); _waiting.Clear();
    }

    void DropCancelled()
    {
        for (int i = _running.Count - 1; i >= 0; i--)
            if (_running[i].Job.Cancel.IsCancellationRequested)
            {
                _running[i].Job.Fail(new OperationCanceledException(_running[i].Job.Cancel));
                _running[i].Dispose();
                _running.RemoveAt(i);
            }
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Job.Cancel.IsCancellationRequested)
            {
                node.Value.Job.Fail(new OperationCanceledException(node.Value.Job.Cancel));
                _waiting.Remove(node);
                if (node.Value.Prompt == 0) Interlocked.Decrement(ref _queued);
            }
            node = next;
        }
    }

    /// <summary>Moves waiting prompts (all N samples of one prompt together, FIFO) into the batch while there is room.</summary>
    void Admit()
    {
        while (_waiting.First is { } node)
        {
            var (job, p) = node.Value;
            int n = job.Request.N;
            if (_running.Count + n > _maxBatch) break;
            _waiting.RemoveFirst();
            if (p == 0) Interlocked.Decrement(ref _queued);
            var prompt = job.Request.Prompts[p];
            int maxNew = Math.Min(job.Request.Sampling.MaxNewTokens, _model.Config.MaxPositions - prompt.Length);
            SequenceState? leader = null;
            for (int k = 0; k < n; k++)
            {
                var s = new SequenceState
                {
                    Job = job, Choice = p * n + k, Prompt = prompt, Leader = leader,
                    Sampler = new Sampler(job.Request.Sampling, k, _model.Kernels),
                    Decoder = _tokenizer.CreateIncrementalDecoder(skipSpecialTokens: true),
                    Text = new StopText(job.Request.Stops),
                    Seen = new HashSet<int>(prompt),
                    Cache = _model.NewCache(1, prompt.Length + Math.Max(1, maxNew)),
                };
                leader ??= s;
                _running.Add(s);
            }
        }
    }

    void Step()
    {
        var caches = new List<KvCache>();
        var counts = new List<int>();
        var ids = new List<int>();
        var sampleRows = new List<(int Row, SequenceState Seq)>();
        var prefillDone = new List<SequenceState>();
        int budget = _prefillChunk, row = 0;
        foreach (var s in _running)
        {
            if (s.Leader is not null && s.Prefilling) continue;   // gets the leader's cache when its prefill is done
            if (s.Prefilling)
            {
                if (budget == 0) continue;
                int take = Math.Min(budget, s.Prompt.Length - s.Prefilled);
                caches.Add(s.Cache!); counts.Add(take);
                ids.AddRange(s.Prompt.AsSpan(s.Prefilled, take));
                s.Prefilled += take; budget -= take; row += take;
                if (!s.Prefilling) { prefillDone.Add(s); sampleRows.Add((row - 1, s)); }
            }
            else
            {
                caches.Add(s.Cache!); counts.Add(1); ids.Add(s.LastToken);
                sampleRows.Add((row, s)); row += 1;
            }
        }
        if (caches.Count == 0) return;
        float* h = _model.StepRagged(caches, counts.ToArray(), ids.ToArray(), _batchInvariant);
        Interlocked.Increment(ref _steps);
        if (caches.Count > _mostInStep) Volatile.Write(ref _mostInStep, caches.Count);
        // Samples of the same prompt share the leader's prefill: copy its cache and sample from its row.
        foreach (var leader in prefillDone)
            foreach (var f in _running)
                if (f.Leader == leader) { f.Cache!.CopyFrom(leader.Cache!); f.Prefilled = f.Prompt.Length; sampleRows.Add((sampleRows.First(r => r.Seq == leader).Row, f)); }
        // Logits only for the rows that sample (one per sequence), not for every prefilled position.
        var distinctRows = sampleRows.Select(r => r.Row).Distinct().ToList();
        for (int i = 0; i < distinctRows.Count; i++)
            Buffer.MemoryCopy(h + (long)distinctRows[i] * _hiddenSize, _hidden + (long)i * _hiddenSize, _hiddenSize * 4L, _hiddenSize * 4L);
        _model.LogitsFewRows(_hidden, distinctRows.Count, _logits, _batchInvariant);
        // Pick every sequence's token, in parallel when the rows are big enough to pay for it (a vocabulary-wide sort per
        // sampled row); each sequence has its own seeded sampler, so the draws do not depend on the order. Then emit the
        // tokens one by one in step order: text decoding and events are cheap, and a job's channel has one writer.
        var logitsRow = distinctRows.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        var readers = sampleRows.GroupBy(x => x.Row).ToDictionary(g => g.Key, g => g.Count());
        Span<float> Row(int r) => new(_logits + (long)logitsRow[r] * _vocab, _vocab);
        // Several samples of one prompt read the same row, and the sampler edits its row: each gets its own copy.
        var copies = sampleRows.Select(x => readers[x.Row] > 1 ? Row(x.Row).ToArray() : null).ToArray();
        var picks = new (int Token, TokenLogprob? Logprob)[sampleRows.Count];
        void Pick(int j) => picks[j] = PickToken(sampleRows[j].Seq, copies[j] is { } own ? own : Row(sampleRows[j].Row));
        if (sampleRows.Count > 1 && (long)sampleRows.Count * _vocab >= ParallelSamplingMinimum) Parallel.For(0, sampleRows.Count, _samplingParallel, Pick);
        else for (int j = 0; j < sampleRows.Count; j++) Pick(j);
        for (int j = 0; j < sampleRows.Count; j++) Emit(sampleRows[j].Seq, picks[j].Token, picks[j].Logprob);
        _running.RemoveAll(s =>
        {
            if (!s.Finished) return false;
            s.Dispose();
            return true;
        });
    }

    /// <summary>Below this many logits in a step (rows × vocabulary) the tokens are picked on the scheduler thread alone.</summary>
    const long ParallelSamplingMinimum = 1 << 16;

    /// <summary>The next token of <paramref name="s"/> from its logits row (edited in place), and its log-probs when asked
    /// for. Touches only this sequence's state, so several run at once.</summary>
    static (int Token, TokenLogprob? Logprob) PickToken(SequenceState s, Span<float> logits)
    {
        var req = s.Job.Request;
        // Log-probs are of the raw distribution, before penalties and the sampler's edits: keep a copy of the row.
        float[]? raw = req.Logprobs ? ArrayPool<float>.Shared.Rent(logits.Length) : null;
        try
        {
            if (raw is not null) logits.CopyTo(raw);
            if (req.PresencePenalty != 0 || req.FrequencyPenalty != 0)
                foreach (var (tok, count) in s.Counts) logits[tok] -= req.PresencePenalty + req.FrequencyPenalty * count;
            int token = s.Sampler.Next(logits, s.Seen);
            return (token, raw is null ? null : Logprobs(raw.AsSpan(0, logits.Length), token, req.TopLogprobs));
        }
        finally { if (raw is not null) ArrayPool<float>.Shared.Return(raw); }
    }

    /// <summary>Appends the picked token to <paramref name="s"/>: text, stop strings, finish reason, the job's events.</summary>
    void Emit(SequenceState s, int token, TokenLogprob? lp)
    {
        var req = s.Job.Request;
        Interlocked.Increment(ref _sampled);
        s.Generated++; s.LastToken = token; s.Seen.Add(token);
        s.Counts[token] = s.Counts.GetValueOrDefault(token) + 1;
        bool eos = Array.IndexOf(req.Sampling.EosIds, token) >= 0;
        string text = eos ? "" : s.Text.Push(s.Decoder.Push(token));
        string? finish = eos || s.Text.Stopped ? "stop"
            : s.Generated >= s.Cache!.Capacity - s.Prompt.Length || s.Generated >= req.Sampling.MaxNewTokens ? "length" : null;
        if (finish is not null)
        {
            if (!s.Text.Stopped) text += s.Text.Push(s.Decoder.Flush()) + s.Text.Flush();
            if (s.Text.Stopped) finish = "stop";
            s.Finished = true;
        }
        s.Job.Events.Writer.TryWrite(new ChoiceEvent(s.Choice, text, lp is null ? [] : [lp], finish, s.Generated));
        if (finish is not null && --s.Job.Unfinished == 0) s.Job.Events.Writer.TryComplete();
    }

    /// <summary>log softmax of the raw row at the chosen token, and the <paramref name="top"/> most likely tokens.</summary>
    static TokenLogprob Logprobs(ReadOnlySpan<float> raw, int token, int top)
    {
        float max = TensorPrimitives.Max(raw);
        double sum = 0;
        foreach (var x in raw) sum += Math.Exp(x - max);
        float lse = max + (float)Math.Log(sum);
        var best = new List<(int Token, float Logprob)>(top + 1);
        if (top > 0)
            for (int i = 0; i < raw.Length; i++)
            {
                if (best.Count == top && raw[i] <= best[^1].Logprob) continue;
                int at = best.Count;
                while (at > 0 && best[at - 1].Logprob < raw[i]) at--;
                best.Insert(at, (i, raw[i]));
                if (best.Count > top) best.RemoveAt(top);
            }
        return new TokenLogprob(token, raw[token] - lse, best.Select(b => (b.Token, b.Logprob - lse)).ToArray());
    }

    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        _wake.Release();
        _thread.Join();
        NativeMemory.AlignedFree(_hidden);
        NativeMemory.AlignedFree(_logits);
        _wake.Dispose();
    }
}
