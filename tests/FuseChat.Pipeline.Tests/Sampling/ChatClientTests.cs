using System.Diagnostics;
using System.Text.Json.Nodes;
using FuseChat.Pipeline.Config;
using FuseChat.Pipeline.Running;
using FuseChat.Pipeline.Sampling;
using FuseChat.Pipeline.Store;
using FuseChat.Pipeline.Tests.Loopback;

namespace FuseChat.Pipeline.Tests.Sampling;

/// <summary>The sampling client against a real loopback server that misbehaves in each way a real server can.</summary>
public class ChatClientTests
{
    static readonly HttpClient Http = SamplingStage.CreateHttpClient();
    static readonly JsonArray Messages = [new JsonObject { ["role"] = "user", ["content"] = "hello" }];

    static ChatClient Client(params string[] urls) => Client(new RetryPolicy(3, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), urls, null);

    static ChatClient Client(RetryPolicy retry, string[] urls, TimeSpan? timeout = null) =>
        new(Http, new SourceRequestShape(new SourceConfig
        {
            Name = "s", Model = "m", Temperature = 0.7, TopP = 0.8, MaxTokens = 64,
            ExtraBody = new() { ["repetition_penalty"] = "1.05", ["top_k"] = "20" },
        }), new EndpointPool(urls), retry, timeout ?? TimeSpan.FromSeconds(2), "secret");

    static readonly string Ok = new JsonObject
    {
        ["choices"] = new JsonArray(new JsonObject { ["message"] = new JsonObject { ["content"] = "hi there" }, ["finish_reason"] = "length" }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 3, ["completion_tokens"] = 2 },
    }.ToJsonString();

    [Theory]
    [InlineData(Fault.Status500)]
    [InlineData(Fault.Status429)]
    [InlineData(Fault.TruncatedBody)]
    [InlineData(Fault.MalformedJson)]
    [InlineData(Fault.ConnectionReset)]
    [InlineData(Fault.Slow)]
    public async Task EachFaultIsRetriedUntilTheAnswerComes(Fault fault)
    {
        int calls = 0;
        await using var server = new LoopbackHttpServer(_ =>
        {
            int n = Interlocked.Increment(ref calls);
            if (n <= 2)
                return ValueTask.FromResult(fault switch
                {
                    Fault.Status500 => new LoopbackReply(500, "{}"),
                    Fault.Status429 => new LoopbackReply(429, "{}", RetryAfter: "0"),
                    Fault.Slow => new LoopbackReply(200, Ok, Delay: TimeSpan.FromSeconds(2)),
                    Fault.TruncatedBody => new LoopbackReply(200, Ok, Fault.TruncatedBody),
                    Fault.MalformedJson => new LoopbackReply(200, "{\"choices\": [", Fault.MalformedJson),
                    _ => new LoopbackReply(200, "", Fault.ConnectionReset),
                });
            return ValueTask.FromResult(new LoopbackReply(200, Ok));
        });
        var logs = new List<RequestLog>();
        // The timeout only has to be shorter than the slow reply (2 s); at 0.7 s a loaded machine (CI runs test classes in
        // parallel on 2 cores) sometimes let an ordinary attempt time out, which is one attempt more than the faults.
        var client = Client(new RetryPolicy(3, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), [server.BaseUrl + "/v1"], TimeSpan.FromMilliseconds(1500));
        var r = await client.SampleAsync("p1", Messages, 2, 99, l => { lock (logs) logs.Add(l); return ValueTask.CompletedTask; }, CancellationToken.None);
        Assert.Equal(StoredResponse.Ok, r.Status);
        Assert.Equal(("hi there", "length", 3, 2), (r.Text, r.FinishReason, r.PromptTokens, r.CompletionTokens));
        Assert.Equal(3, r.Attempts);
        Assert.Equal(3, logs.Count);
        Assert.All(logs.Take(2), l => Assert.NotNull(l.Error));
        Assert.Null(logs[2].Error);
    }

    [Fact]
    public async Task RequestBodyCarriesTheSourceParametersSeedAndKey()
    {
        JsonNode? seen = null;
        await using var server = new LoopbackHttpServer(req => { seen = JsonNode.Parse(req.Body); return ValueTask.FromResult(new LoopbackReply(200, Ok)); });
        var r = await Client(server.BaseUrl + "/v1").SampleAsync("p1", Messages, 0, 12345, _ => ValueTask.CompletedTask, CancellationToken.None);
        Assert.Equal("m", (string)seen!["model"]!);
        Assert.Equal(12345, (long)seen["seed"]!);
        Assert.Equal(0.7, (double)seen["temperature"]!);
        Assert.Equal(1.05, (double)seen["repetition_penalty"]!);
        Assert.Equal(20, (long)seen["top_k"]!);
        Assert.Equal(64, (int)seen["max_tokens"]!);
        Assert.Equal("hello", (string)seen["messages"]![0]!["content"]!);
        Assert.Contains("\"repetition_penalty\":1.05", r.Params);
    }

    [Fact]
    public async Task RetryAfterIsHonoured()
    {
        int calls = 0;
        await using var server = new LoopbackHttpServer(_ => ValueTask.FromResult(Interlocked.Increment(ref calls) == 1
            ? new LoopbackReply(429, "{}", RetryAfter: "1") : new LoopbackReply(200, Ok)));
        var clock = Stopwatch.StartNew();
        var r = await Client(new RetryPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5)), [server.BaseUrl + "/v1"])
            .SampleAsync("p", Messages, 0, 1, _ => ValueTask.CompletedTask, CancellationToken.None);
        Assert.Equal(StoredResponse.Ok, r.Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"waited only {clock.Elapsed}");
    }

    [Fact]
    public async Task ClientErrorsAreNotRetriedAndFailuresKeepTheReason()
    {
        int calls = 0;
        await using var server = new LoopbackHttpServer(_ => { Interlocked.Increment(ref calls); return ValueTask.FromResult(new LoopbackReply(400, "{\"error\":\"prompt too long\"}")); });
        var r = await Client(server.BaseUrl + "/v1").SampleAsync("p", Messages, 0, 1, _ => ValueTask.CompletedTask, CancellationToken.None);
        Assert.Equal(StoredResponse.Failed, r.Status);
        Assert.Equal(1, calls);
        Assert.Contains("HTTP 400", r.Error);
        Assert.Contains("prompt too long", r.Error);
    }

    [Fact]
    public async Task AfterAllRetriesTheSampleIsFailed()
    {
        int calls = 0;
        await using var server = new LoopbackHttpServer(_ => { Interlocked.Increment(ref calls); return ValueTask.FromResult(new LoopbackReply(503, "{}")); });
        var r = await Client(server.BaseUrl + "/v1").SampleAsync("p", Messages, 0, 1, _ => ValueTask.CompletedTask, CancellationToken.None);
        Assert.Equal((StoredResponse.Failed, 4, 4), (r.Status, r.Attempts, calls));
        Assert.Contains("HTTP 503", r.Error);
    }

    [Fact]
    public async Task RequestsAreSpreadOverEndpoints()
    {
        await using var a = new LoopbackHttpServer(_ => ValueTask.FromResult(new LoopbackReply(200, Ok)));
        await using var b = new LoopbackHttpServer(_ => ValueTask.FromResult(new LoopbackReply(200, Ok)));
        var client = Client(a.BaseUrl + "/v1", b.BaseUrl + "/v1");
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => client.SampleAsync("p", Messages, i, i, _ => ValueTask.CompletedTask, CancellationToken.None)));
        Assert.Equal(40, a.Requests + b.Requests);
        Assert.True(a.Requests >= 10 && b.Requests >= 10, $"{a.Requests} / {b.Requests}");
    }

    [Fact]
    public async Task CancellationStopsAtOnceInsteadOfStoringAFailure()
    {
        await using var server = new LoopbackHttpServer(_ => ValueTask.FromResult(new LoopbackReply(200, Ok, Delay: TimeSpan.FromSeconds(10))));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client(new RetryPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)), [server.BaseUrl + "/v1"], TimeSpan.FromSeconds(30))
                .SampleAsync("p", Messages, 0, 1, _ => ValueTask.CompletedTask, cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void BackoffGrowsWithJitterAndIsCapped()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
        for (int i = 0; i < 50; i++)
        {
            var d0 = policy.Delay(0, null).TotalSeconds;
            var d2 = policy.Delay(2, null).TotalSeconds;
            var d9 = policy.Delay(9, null).TotalSeconds;
            Assert.InRange(d0, 0.5, 1.0);
            Assert.InRange(d2, 2.0, 4.0);
            Assert.InRange(d9, 4.0, 8.0);
        }
        Assert.Equal(TimeSpan.FromSeconds(8), policy.Delay(0, new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(100))));
    }
}
