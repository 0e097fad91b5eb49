using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Core.OpenAi;

namespace FuseChat.Eval.Client;

/// <summary>
/// A client for any OpenAI-compatible <c>/v1/chat/completions</c> endpoint (vLLM, SGLang, our own server, OpenAI).
/// Retries 429 and 5xx with exponential backoff, bounds concurrency, and turns a misconfigured endpoint into a <see cref="UserError"/>.
/// </summary>
public sealed class OpenAiChatClient : IDisposable
{
    readonly HttpClient _http;
    readonly SemaphoreSlim _gate;
    readonly ChatClientOptions _options;

    /// <summary>The model name sent in every request.</summary>
    public string ModelName { get; }
    /// <summary>The full chat-completions URL requests go to.</summary>
    public Uri Url { get; }

    public OpenAiChatClient(string endpoint, string modelName, ChatClientOptions? options = null)
    {
        _options = options ?? new ChatClientOptions();
        Url = ChatCompletionsUrl(endpoint);
        ModelName = modelName;
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _gate = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrency));
    }

    /// <summary>Accepts a server root, a <c>/v1</c> base or the full chat-completions URL.</summary>
    public static Uri ChatCompletionsUrl(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new UserError($"--endpoint: '{endpoint}' is not an http(s) URL");
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/chat/completions", StringComparison.Ordinal)) return uri;
        if (!path.EndsWith("/v1", StringComparison.Ordinal)) path += "/v1";
        return new UriBuilder(uri) { Path = path + "/chat/completions" }.Uri;
    }

    /// <summary>Sends one chat request, retrying transient failures; throws <see cref="UserError"/> on a non-retryable HTTP error.</summary>
    public async Task<ChatReply> CompleteAsync(ChatRequest request, CancellationToken ct = default)
    {
        var body = RequestBody(request).ToJsonString();
        await _gate.WaitAsync(ct);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                TimeSpan? retryAfter = null;
                string failure;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.RequestTimeout);
                try
                {
                    using var msg = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    if (_options.ApiKey is { Length: > 0 } key) msg.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                    using var resp = await _http.SendAsync(msg, timeout.Token);
                    var text = await resp.Content.ReadAsStringAsync(timeout.Token);
                    if (resp.IsSuccessStatusCode) return ParseReply(text);
                    failure = $"HTTP {(int)resp.StatusCode}: {Snippet(text)}";
                    if (!ChatCompletion.IsRetryable(resp.StatusCode))
                        throw new UserError($"{Url}: model '{ModelName}': {failure}");
                    retryAfter = resp.Headers.RetryAfter?.Delta;
                }
                catch (HttpRequestException e) { failure = "connection failed: " + e.Message; }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { failure = $"no answer within {_options.RequestTimeout.TotalSeconds:0} s"; }
                if (attempt >= _options.MaxRetries)
                    throw new UserError($"{Url}: model '{ModelName}': gave up after {attempt + 1} attempts; last: {failure}");
                await Task.Delay(retryAfter ?? Backoff(attempt), ct);
            }
        }
        finally { _gate.Release(); }
    }

    TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt)));

    JsonObject RequestBody(ChatRequest r)
    {
        var messages = new JsonArray();
        foreach (var m in r.Messages) messages.Add(new JsonObject { ["role"] = m.Role, ["content"] = m.Content });
        var body = new JsonObject
        {
            ["model"] = ModelName,
            ["messages"] = messages,
            ["temperature"] = r.Temperature,
            ["max_tokens"] = r.MaxTokens,
        };
        if (r.TopLogprobs is int k) { body["logprobs"] = true; body["top_logprobs"] = k; }
        if (r.TopP is double topP) body["top_p"] = topP;
        if (r.Seed is long seed) body["seed"] = seed;
        return body;
    }

    ChatReply ParseReply(string text)
    {
        var c = ChatCompletion.Parse(text);
        if (c.Error is not null) throw new UserError($"{Url}: {c.Error}: {Snippet(text)}");
        return new ChatReply(c.Text ?? "", c.FinishReason, c.FirstTokenTopLogprobs?.Select(t => new TokenLogprob(t.Token, t.Logprob)).ToList());
    }

    static string Snippet(string s) => ChatCompletion.Snippet(s, 300);

    public void Dispose() { _http.Dispose(); _gate.Dispose(); }
}
