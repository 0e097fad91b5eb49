namespace FuseChat.Eval.Client;

/// <summary>One message of an OpenAI-style chat: role is "system", "user" or "assistant".</summary>
public sealed record ChatMessage(string Role, string Content)
{
    public static ChatMessage System(string content) => new("system", content);
    public static ChatMessage User(string content) => new("user", content);
    public static ChatMessage Assistant(string content) => new("assistant", content);
}

/// <summary>
/// What we ask of a chat endpoint: greedy by default, as FuseChat-3.0 evaluates (MT-Bench aside). A sampled request
/// (<see cref="Temperature"/> &gt; 0) carries a <see cref="Seed"/> so that a rerun draws the same answer where the server honours it.
/// </summary>
public sealed record ChatRequest(IReadOnlyList<ChatMessage> Messages, int MaxTokens, double Temperature = 0, int? TopLogprobs = null)
{
    /// <summary>Nucleus sampling mass; null leaves the server's default (1).</summary>
    public double? TopP { get; init; }
    /// <summary>The OpenAI "seed" field; null sends none.</summary>
    public long? Seed { get; init; }
}

/// <summary>A log-probability the endpoint reported for one candidate token.</summary>
public readonly record struct TokenLogprob(string Token, double Logprob);

/// <summary>An endpoint's answer: the text, why it stopped, and (when asked) the first token's top alternatives.</summary>
public sealed record ChatReply(string Content, string? FinishReason, IReadOnlyList<TokenLogprob>? FirstTokenTopLogprobs);
