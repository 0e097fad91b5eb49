using FuseChat.Engine.Inference;
using FuseChat.Engine.Model;
using FuseChat.Text.Tokenization;

namespace FuseChat.Server.Scheduling;

/// <summary>
/// One choice being generated: its own KV cache, sampler (seeded per choice, so batching never changes its draws),
/// text decoder and stop-string state. Owned by the scheduler thread, which lends it to one pool thread at a time while
/// a step's tokens are picked in parallel.
/// </summary>
sealed class SequenceState : IDisposable
{
    public required ScheduledJob Job { get; init; }
    public required int Choice { get; init; }
    public required int[] Prompt { get; init; }
    /// <summary>The sample of the same prompt that prefills for this one (null: this one prefills itself).</summary>
    public SequenceState? Leader { get; init; }
    public required Sampler Sampler { get; init; }
    public required IncrementalDecoder Decoder { get; init; }
    public required StopText Text { get; init; }
    public required HashSet<int> Seen { get; init; }
    public Dictionary<int, int> Counts { get; } = new();
    public KvCache? Cache { get; set; }
    /// <summary>Prompt tokens already in the cache.</summary>
    public int Prefilled { get; set; }
    public int Generated { get; set; }
    public int LastToken { get; set; }
    public bool Finished { get; set; }

    public bool Prefilling => Prefilled < Prompt.Length;

    public void Dispose() { Cache?.Dispose(); Cache = null; }
}
