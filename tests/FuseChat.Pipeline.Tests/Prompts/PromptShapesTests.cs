using System.Text.Json.Nodes;
using FuseChat.Pipeline.Prompts;

namespace FuseChat.Pipeline.Tests.Prompts;

public class PromptShapesTests
{
    static MappedPrompt Map(string json, string shape = "auto")
    {
        var (p, problem) = PromptShapes.Map(JsonNode.Parse(json)!.AsObject(), shape);
        Assert.True(p is not null, problem);
        return p!;
    }

    static string Problem(string json, string shape = "auto") => PromptShapes.Map(JsonNode.Parse(json)!.AsObject(), shape).Problem!;

    [Fact]
    public void MessagesDropATrailingAssistantAnswer()
    {
        var p = Map("""{"messages":[{"role":"system","content":"s"},{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}""");
        Assert.Equal([new ChatMessage("system", "s"), new ChatMessage("user", "q")], p.Messages);
    }

    [Fact]
    public void ShareGptRolesAreMapped()
    {
        var p = Map("""{"conversations":[{"from":"human","value":"hi"},{"from":"gpt","value":"yo"},{"from":"human","value":"more"}]}""");
        Assert.Equal(["user", "assistant", "user"], p.Messages.Select(m => m.Role));
    }

    [Fact]
    public void AlpacaJoinsInstructionAndInput()
    {
        Assert.Equal("Do it\n\nwith this", Map("""{"instruction":"Do it","input":"with this","output":"x"}""").Messages[0].Content);
        Assert.Equal("Do it", Map("""{"instruction":"Do it","input":""}""").Messages[0].Content);
    }

    [Fact]
    public void GoldAnswersAreExtracted()
    {
        Assert.Equal("1234", Map("""{"question":"q","answer":"work\n#### 1,234"}""").Gold);
        Assert.Equal("\\frac{1}{2}", Map("""{"problem":"p","solution":"so \\boxed{3} then \\boxed{\\frac{1}{2}}."}""").Gold);
        Assert.Equal("27", Map("""{"problem":"p","answer":27.0}""").Gold);
        Assert.Equal("x^2", Map("""{"problem":"p","answer":"x^2"}""").Gold);
        Assert.Contains("no \\boxed{}", Problem("""{"problem":"p","solution":"no box"}"""));
        Assert.Contains("'####'", Problem("""{"question":"q","answer":"none"}""", "gsm8k"));
    }

    [Fact]
    public void CodeTestsComeInThreeKinds()
    {
        var he = Map("""{"prompt":"def f():\n","test":"def check(c): assert c() == 1","entry_point":"f"}""");
        Assert.Equal((CodeTests.CheckKind, "f"), (he.Tests!.Kind, he.Tests.EntryPoint));
        var mbpp = Map("""{"prompt":"Write f","test_list":["assert f(1) == 2","assert f(2) == 3"]}""");
        Assert.Equal(CodeTests.AssertKind, mbpp.Tests!.Kind);
        Assert.Contains("assert f(1) == 2", mbpp.Messages[0].Content); // the first test shows the function's name
        var io = Map("""{"question":"Read n","input_output":"{\"inputs\":[\"1\\n\"],\"outputs\":[\"2\\n\"]}"}""");
        Assert.Equal([new IoCase("1\n", "2\n")], io.Tests!.Cases!);
        Assert.Contains("1 inputs but 0 outputs", Problem("""{"question":"q","inputs":["1"],"outputs":[]}"""));
    }

    [Fact]
    public void UnknownShapesAndBadFieldsAreReasonsNotExceptions()
    {
        Assert.Contains("unrecognised row shape", Problem("""{"foo":1}"""));
        Assert.Contains("not a string", Problem("""{"prompt":5}"""));
        Assert.Contains("unknown role", Problem("""{"messages":[{"role":"robot","content":"x"}]}"""));
        Assert.Contains("does not end with a user message", Problem("""{"messages":[{"role":"assistant","content":"x"}]}"""));
    }

    [Fact]
    public void AReferenceIsAStringOrTheFirstOfAList()
    {
        Assert.Equal("Paris", Map("""{"prompt":"Capital of France?","reference":"Paris"}""").Reference);
        Assert.Equal("r", Map("""{"messages":[{"role":"user","content":"q"}],"reference":"r"}""").Reference);
        Assert.Equal("r", Map("""{"problem":"1+1?","answer":"2","reference":"r"}""").Reference);
        // MT-Bench: one reference per turn; the turns shape takes the first turn, so it takes the first reference.
        var mt = Map("""{"question_id":101,"category":"reasoning","turns":["first q","second q"],"reference":["first a","second a"]}""");
        Assert.Equal("first q", Assert.Single(mt.Messages).Content);
        Assert.Equal("first a", mt.Reference);
        Assert.Null(Map("""{"prompt":"q"}""").Reference);
        Assert.Null(Map("""{"prompt":"q","reference":null}""").Reference);
    }

    [Theory]
    [InlineData("""{"prompt":"q","reference":5}""")]
    [InlineData("""{"prompt":"q","reference":{"text":"a"}}""")]
    [InlineData("""{"prompt":"q","reference":[5,"a"]}""")]
    [InlineData("""{"prompt":"q","reference":[]}""")]
    [InlineData("""{"turns":["q"],"reference":true}""")]
    public void AReferenceOfAnotherTypeIsAReason(string json) =>
        Assert.Equal("field 'reference' must be a string or a list of strings", Problem(json));

    [Fact]
    public void IdsDependOnlyOnTheConversation()
    {
        var a = PromptId.Of(Map("""{"prompt":"same"}""").Messages);
        var b = PromptId.Of(Map("""{"messages":[{"role":"user","content":"same"}]}""").Messages);
        var c = PromptId.Of(Map("""{"prompt":"other"}""").Messages);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Matches("^p[0-9a-f]{32}$", a);
    }
}
