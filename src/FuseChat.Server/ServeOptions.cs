namespace FuseChat.Server;

/// <summary>Everything <see cref="ModelServer.StartAsync"/> needs: which model to serve, where, and its limits.</summary>
public sealed record ServeOptions
{
    /// <summary>Hugging Face model folder (config.json, safetensors, tokenizer files with a chat template); null serves only the reward model.</summary>
    public string? ModelDir { get; init; }
    /// <summary>Optional reward-model folder: when set, /classify, /pooling and /score are served too.</summary>
    public string? RewardModelDir { get; init; }
    /// <summary>Interface to listen on; loopback unless the caller opts into more.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="RunningServer.BaseUrl"/>).</summary>
    public int Port { get; init; }
    /// <summary>When set, every /v1 request needs "Authorization: Bearer &lt;key&gt;".</summary>
    public string? ApiKey { get; init; }
    /// <summary>The model id clients name in requests and see in /v1/models (default: the model folder's name).</summary>
    public string? ServedModelName { get; init; }
    /// <summary>Most sequences decoded together in one forward pass (continuous batching); also the largest n.</summary>
    public int MaxBatch { get; init; } = 16;
    /// <summary>Largest max_tokens a request may ask for (also the default when it asks for none, capped by the context).</summary>
    public int MaxTokensLimit { get; init; } = 4096;
    /// <summary>Largest request body in bytes (413 above it).</summary>
    public long MaxBodyBytes { get; init; } = 4 * 1024 * 1024;
    /// <summary>Prompt tokens prefilled per scheduler step across all new requests, so a long prompt never stalls decoding for long.</summary>
    public int PrefillChunk { get; init; } = 256;
    /// <summary>Compute every row of a batched step with kernels whose arithmetic does not depend on the other rows, so
    /// a seeded sampled reply is the same bits whatever else the server is doing. False lets steps of more than 32 rows
    /// (long prompts, many sequences) use the packed GEMM: faster there (5-7 % more throughput at 48 concurrent 128-token
    /// prompts, docs/PERFORMANCE.md), reproducible only to the last bits.</summary>
    public bool BatchInvariant { get; init; } = true;
    /// <summary>Most requests waiting for a batch slot; more are refused with 429.</summary>
    public int MaxQueuedRequests { get; init; } = 1024;
    /// <summary>Kernel worker threads (0 = all cores).</summary>
    public int Threads { get; init; }
    /// <summary>Matrix-multiply backend: auto, managed or openblas.</summary>
    public string Gemm { get; init; } = "auto";
    /// <summary>Weights in memory: null (as stored), "f32" or "bf16".</summary>
    public string? Weights { get; init; }
    /// <summary>How long shutdown waits for in-flight requests to finish before cancelling them.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Where request/startup messages go (null = nowhere).</summary>
    public TextWriter? Log { get; init; }
}
