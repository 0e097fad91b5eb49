using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuseChat.Core.OpenAi;
using FuseChat.Pipeline.Sampling;

namespace FuseChat.Pipeline.Scoring;

/// <summary>POSTs a JSON body with retries (same policy as sampling) and returns the parsed JSON, or the last error after all retries.</summary>
public sealed class JsonPoster(HttpClient http, EndpointPool endpoints, RetryPolicy retry, TimeSpan timeout, string? apiKey,
    ConcurrencyGate? gate = null)
{
    readonly ConcurrencyGate _gate = gate ?? ConcurrencyGate.Unlimited;

    /// <summary>One attempt, as reported to the caller's log.</summary>
    public sealed record Attempt(int Number, string Endpoint, int? Status, string? Error, DateTimeOffset StartedAt, double ElapsedMs);

    public async Task<(JsonNode? Result, string? Error, string? Endpoint)> PostAsync(string path, JsonObject body,
        Func<JsonNode, string?> validate, Func<Attempt, ValueTask> log, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        string? lastError = null, lastEndpoint = null;
        for (int attempt = 0; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            RetryConditionHeaderValue? retryAfter = null;
            bool retryable = true;
            int? status = null;
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            using (await _gate.EnterAsync(ct))
            using (var lease = endpoints.Take())
            {
                lastEndpoint = lease.BaseUrl;
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                cts.CancelAfter(timeout);
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, lease.BaseUrl + path)
                    {
                        Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                    };
                    if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
                    status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync(cts.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        JsonNode? node = null;
                        try { node = JsonNode.Parse(text); lastError = node is null ? "empty JSON" : validate(node); }
                        catch (JsonException e) { lastError = "malformed JSON: " + ChatCompletion.Snippet(e.Message); }
                        await log(new Attempt(attempt, lease.BaseUrl, status, lastError, started, clock.Elapsed.TotalMilliseconds));
                        if (lastError is null) return (node, null, lease.BaseUrl);
                    }
                    else
                    {
                        retryAfter = response.Headers.RetryAfter;
                        retryable = ChatCompletion.IsRetryable(response.StatusCode);
                        lastError = $"HTTP {status}: {ChatCompletion.Snippet(text)}";
                        await log(new Attempt(attempt, lease.BaseUrl, status, lastError, started, clock.Elapsed.TotalMilliseconds));
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    lastError = $"timed out after {timeout.TotalSeconds:0.###} s";
                    await log(new Attempt(attempt, lease.BaseUrl, status, lastError, started, clock.Elapsed.TotalMilliseconds));
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
                {
                    lastError = "connection error: " + ChatCompletion.Snippet(e.Message);
                    await log(new Attempt(attempt, lease.BaseUrl, status, lastError, started, clock.Elapsed.TotalMilliseconds));
                }
            }
            if (!retryable || attempt >= retry.MaxRetries) return (null, lastError, lastEndpoint);
            await Task.Delay(retry.Delay(attempt, retryAfter), ct);
        }
    }
}
