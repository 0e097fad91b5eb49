using System.Net;
using System.Text.Json;

namespace FuseChat.Core.OpenAi;

/// <summary>One alternative of a token's top log-probabilities, as an OpenAI-compatible server reports it.</summary>
public sealed record TopLogprob(string Token, double Logprob);

/// <summary>
/// What the project reads from a <c>/v1/chat/completions</c> answer: the first choice's text and finish reason, the usage
/// counts, the first generated token's top log-probabilities (AlpacaEval's judge), or why the body could not be read.
/// </summary>
public sealed record ChatCompletion(string? Text, string? FinishReason, int? PromptTokens, int? CompletionTokens,
    IReadOnlyList<TopLogprob>? FirstTokenTopLogprobs, string? Error)
{
    static ChatCompletion Failed(string error) => new(null, null, null, null, null, error);

    /// <summary>
    /// Reads an answer body. Never throws: a body that is not JSON, has no <c>choices[0]</c> object, or has fields of the
    /// wrong type comes back with <see cref="Error"/> set (wrongly typed optional fields are simply absent), so the sampler
    /// can store the failure and the eval can report it, each in its own way.
    /// </summary>
    public static ChatCompletion Parse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices)
                || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0 || choices[0].ValueKind != JsonValueKind.Object)
                return Failed("response has no choices");
            var choice = choices[0];
            string? text = choice.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object ? String(m, "content") : null;
            int? promptTokens = null, completionTokens = null;
            if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
            {
                promptTokens = Int(u, "prompt_tokens");
                completionTokens = Int(u, "completion_tokens");
            }
            return new(text, String(choice, "finish_reason"), promptTokens, completionTokens, ReadTopLogprobs(choice), null);
        }
        catch (JsonException e) { return Failed("malformed JSON: " + Snippet(e.Message)); }
    }

    /// <summary>Statuses worth another attempt: request timeout, rate limiting and server errors.</summary>
    public static bool IsRetryable(HttpStatusCode code) =>
        code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)code >= 500;

    /// <summary>A short one-line excerpt of a body or message for error texts.</summary>
    public static string Snippet(string s, int max = 200) => JsonLines.OneLine(s.Length > max ? s[..max] + "…" : s);

    static IReadOnlyList<TopLogprob>? ReadTopLogprobs(JsonElement choice)
    {
        if (!choice.TryGetProperty("logprobs", out var lp) || lp.ValueKind != JsonValueKind.Object
            || !lp.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array || content.GetArrayLength() == 0
            || content[0].ValueKind != JsonValueKind.Object
            || !content[0].TryGetProperty("top_logprobs", out var top) || top.ValueKind != JsonValueKind.Array)
            return null;
        var list = new List<TopLogprob>();
        foreach (var a in top.EnumerateArray())
            if (a.ValueKind == JsonValueKind.Object && String(a, "token") is { } token
                && a.TryGetProperty("logprob", out var v) && v.ValueKind == JsonValueKind.Number)
                list.Add(new TopLogprob(token, v.GetDouble()));
        return list;
    }

    static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static int? Int(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}
