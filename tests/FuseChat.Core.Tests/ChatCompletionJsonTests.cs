using System.Net;
using FuseChat.Core.OpenAi;

namespace FuseChat.Core.Tests;

public class ChatCompletionJsonTests
{
    [Fact]
    public void Reads_text_finish_reason_usage_and_the_first_tokens_top_logprobs()
    {
        var c = ChatCompletion.Parse("""
            {"choices":[{"message":{"role":"assistant","content":"m"},"finish_reason":"stop",
              "logprobs":{"content":[{"token":"m","logprob":-0.1,"top_logprobs":[{"token":"m","logprob":-0.1},{"token":"M","logprob":-2.5}]}]}}],
             "usage":{"prompt_tokens":12,"completion_tokens":1}}
            """);
        Assert.Null(c.Error);
        Assert.Equal("m", c.Text);
        Assert.Equal("stop", c.FinishReason);
        Assert.Equal((12, 1), (c.PromptTokens!.Value, c.CompletionTokens!.Value));
        Assert.Equal([new TopLogprob("m", -0.1), new TopLogprob("M", -2.5)], c.FirstTokenTopLogprobs!);
    }

    [Theory]
    [InlineData("not json", "malformed JSON")]
    [InlineData("{\"choices\": []}", "response has no choices")]
    [InlineData("{\"choices\": [\"text\"]}", "response has no choices")]
    [InlineData("[1, 2]", "response has no choices")]
    public void Unreadable_bodies_give_an_error_instead_of_throwing(string body, string error)
    {
        var c = ChatCompletion.Parse(body);
        Assert.StartsWith(error, c.Error);
        Assert.Null(c.Text);
    }

    [Fact]
    public void Wrongly_typed_optional_fields_are_absent_not_fatal()
    {
        // content 5 used to throw InvalidOperationException in the eval client; now the reply is simply empty.
        var c = ChatCompletion.Parse("""{"choices":[{"message":{"content":5},"finish_reason":null,"logprobs":{"content":"x"}}],"usage":{"prompt_tokens":"12"}}""");
        Assert.Null(c.Error);
        Assert.Null(c.Text);
        Assert.Null(c.FinishReason);
        Assert.Null(c.PromptTokens);
        Assert.Null(c.FirstTokenTopLogprobs);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public void Retries_rate_limits_timeouts_and_server_errors_only(HttpStatusCode code, bool retry) =>
        Assert.Equal(retry, ChatCompletion.IsRetryable(code));
}
