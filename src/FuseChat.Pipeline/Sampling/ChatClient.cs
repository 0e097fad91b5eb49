using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FuseChat.Core.OpenAi;
using FuseChat.Pipeline.Store;

namespace FuseChat.Pipeline.Sampling;

/// <summary>
/// Samples one completion from an OpenAI-compatible /v1/chat/completions endpoint (vLLM, SGLang, TGI, llama.cpp, Ollama,
/// OpenAI), retrying per <see cref="RetryPolicy"/> and logging every attempt. A sample that still fails after all retries
/// comes back with status "failed" and the last error; cancellation by the caller (Ctrl-C) propagates instead.
/// </summary>
public sealed class ChatClient(HttpClient http, SourceRequestShape shape, EndpointPool endpoints, RetryPolicy retry, TimeSpan timeout, string? apiKey,
    ConcurrencyGate? gate = null)
{
    readonly ConcurrencyGate _gate = gate ?? ConcurrencyGate.Unlimited;

    public async Task<StoredResponse> SampleAsync(string promptId, JsonArray messages, int sampleIndex, long seed,
        Func<RequestLog, ValueTask> log, CancellationToken ct)
    {
        var source = shape.Source;
        var started = DateTimeOffset.UtcNow;
        byte[] body = shape.Body(messages, seed);
        string? lastError = null;
        string? lastEndpoint = null;
        for (int attempt = 0; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            RetryConditionHeaderValue? retryAfter = null;
            int? status = null;
            var attemptStart = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            bool retryable = true;
            using (await _gate.EnterAsync(ct))
            using (var lease = endpoints.Take())
            {
                lastEndpoint = lease.BaseUrl;
                using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeoutCts.CancelAfter(timeout);
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, lease.BaseUrl + "/chat/completions")
                    {
                        Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                    };
                    if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutCts.Token);
                    status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync(timeoutCts.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        var parsed = ChatCompletion.Parse(text);
                        await log(new RequestLog("sample", promptId, source.Name, sampleIndex, attempt, lease.BaseUrl, status, parsed.Error, attemptStart, clock.Elapsed.TotalMilliseconds));
                        if (parsed.Error is null)
                            return new StoredResponse(promptId, source.Name, sampleIndex, StoredResponse.Ok, parsed.Text, parsed.FinishReason,
                                source.Model, shape.ParamsJson, seed, lease.BaseUrl, attempt + 1, null, parsed.PromptTokens,
                                parsed.CompletionTokens, started, DateTimeOffset.UtcNow);
                        lastError = parsed.Error;
                    }
                    else
                    {
                        retryAfter = response.Headers.RetryAfter;
                        retryable = ChatCompletion.IsRetryable(response.StatusCode);
                        lastError = $"HTTP {status}: {ChatCompletion.Snippet(text)}";
                        await log(new RequestLog("sample", promptId, source.Name, sampleIndex, attempt, lease.BaseUrl, status, lastError, attemptStart, clock.Elapsed.TotalMilliseconds));
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    lastError = $"timed out after {timeout.TotalSeconds:0.###} s";
                    await log(new RequestLog("sample", promptId, source.Name, sampleIndex, attempt, lease.BaseUrl, status, lastError, attemptStart, clock.Elapsed.TotalMilliseconds));
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
                {
                    lastError = "connection error: " + ChatCompletion.Snippet(e.Message);
                    await log(new RequestLog("sample", promptId, source.Name, sampleIndex, attempt, lease.BaseUrl, status, lastError, attemptStart, clock.Elapsed.TotalMilliseconds));
                }
            }
            if (!retryable || attempt >= retry.MaxRetries)
                return new StoredResponse(promptId, source.Name, sampleIndex, StoredResponse.Failed, null, null, source.Model, shape.ParamsJson,
                    seed, lastEndpoint, attempt + 1, lastError, null, null, started, DateTimeOffset.UtcNow);
            await Task.Delay(retry.Delay(attempt, retryAfter), ct);
        }
    }
}
