using FuseChat.Eval.Grading;
using FuseChat.Core;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Running;
using FuseChat.Eval.Store;
using FuseChat.Eval.Tests.Support;
using FuseChat.Tests.Shared;

namespace FuseChat.Eval.Tests;

public class StoreAndClientTests
{
    static readonly OracleAnswers Oracle = new(TestData.BenchmarksDir);

    [Fact]
    public async Task A_second_run_is_served_from_the_store_without_calling_the_endpoint()
    {
        var db = Path.Combine(TestData.TempDir(), "eval.sqlite");
        var options = new EvalOptions { ModelName = "oracle", Limit = 30 };
        using (var server = LoopbackChatServer.Text(req => Oracle.Answer(LoopbackChatServer.LastUserMessage(req), true)))
        using (var client = new OpenAiChatClient(server.Url, "oracle"))
        using (var store = new EvalStore(db))
        {
            var first = await new EvalRunner(options, client, store, new VerifierMathGrader()).RunAsync(BenchmarkCatalog.Resolve("gsm8k"), TestData.BenchmarksDir);
            Assert.Equal(100.0, first.Results[0].Primary);
            Assert.True(server.Completions >= 30);
        }
        using (var dead = new LoopbackChatServer(_ => ("unused", null)) { AlwaysFail = true })
        using (var client = new OpenAiChatClient(dead.Url, "oracle", new ChatClientOptions { MaxRetries = 0 }))
        using (var store = new EvalStore(db))
        {
            var second = await new EvalRunner(options, client, store, new VerifierMathGrader()).RunAsync(BenchmarkCatalog.Resolve("gsm8k"), TestData.BenchmarksDir);
            Assert.Equal(100.0, second.Results[0].Primary);
            Assert.Equal(0, dead.Completions);
            Assert.Equal(30, store.CountGenerations("oracle", "gsm8k"));
        }
    }

    [Fact]
    public async Task Answers_cut_off_at_the_token_limit_are_counted()
    {
        using var server = new LoopbackChatServer(_ => ("no box", null)) { FinishReason = "length" };
        using var client = new OpenAiChatClient(server.Url, "m");
        using var store = new EvalStore(Path.Combine(TestData.TempDir(), "eval.sqlite"));
        var run = await new EvalRunner(new EvalOptions { ModelName = "m", Limit = 3 }, client, store, new VerifierMathGrader())
            .RunAsync(BenchmarkCatalog.Resolve("amc23"), TestData.BenchmarksDir);
        Assert.Equal(3, run.Results[0].Metrics["truncated"]);
        Assert.Equal(0.0, run.Results[0].Primary);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Transient_failures_are_retried(int status)
    {
        using var server = new LoopbackChatServer(_ => ("hello", null)) { FailFirst = 2, FailStatus = status };
        using var client = new OpenAiChatClient(server.Url, "m", new ChatClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) });
        var reply = await client.CompleteAsync(new ChatRequest([ChatMessage.User("hi")], 16));
        Assert.Equal("hello", reply.Content);
        Assert.Equal("stop", reply.FinishReason);
    }

    [Fact]
    public async Task A_client_error_is_a_user_error_naming_the_url_and_model()
    {
        using var server = new LoopbackChatServer(_ => ("x", null)) { AlwaysFail = true };
        using var client = new OpenAiChatClient(server.Url, "my-model");
        var e = await Assert.ThrowsAsync<UserError>(() => client.CompleteAsync(new ChatRequest([ChatMessage.User("hi")], 16)));
        Assert.Contains("my-model", e.Message);
        Assert.Contains("HTTP 400", e.Message);
    }

    [Theory]
    [InlineData("http://h:8000", "http://h:8000/v1/chat/completions")]
    [InlineData("http://h:8000/v1/", "http://h:8000/v1/chat/completions")]
    [InlineData("https://api.example.com/v1/chat/completions", "https://api.example.com/v1/chat/completions")]
    public void Endpoint_urls_are_normalized(string given, string expected) =>
        Assert.Equal(expected, OpenAiChatClient.ChatCompletionsUrl(given).ToString());

    [Fact]
    public void Judgments_round_trip_through_the_store_including_unparsed_ones()
    {
        using var store = new EvalStore(Path.Combine(TestData.TempDir(), "eval.sqlite"));
        var k = new JudgmentKey("judge", "arena-hard", "m", "gpt-4-0314", "q1", "game1");
        Assert.Null(store.GetJudgment(k));
        store.PutJudgment(k, new StoredJudgment("no verdict here", null));
        Assert.Equal(new StoredJudgment("no verdict here", null), store.GetJudgment(k));
        store.PutJudgment(k with { Order = "game2" }, new StoredJudgment("[[A>B]]", 1));
        Assert.Equal(1, store.GetJudgment(k with { Order = "game2" })!.Value);
    }
}
