using System.Text.Json.Nodes;

namespace FuseChat.Pipeline.Prompts;

/// <summary>One chat message.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>How a code prompt is tested: a test script (HumanEval check / MBPP asserts) or stdin/stdout cases.</summary>
public sealed record CodeTests(string Kind, string? Script, string? EntryPoint, IReadOnlyList<IoCase>? Cases)
{
    public const string CheckKind = "check";   // HumanEval: defines check(candidate); run check(entry_point)
    public const string AssertKind = "assert"; // MBPP: plain assert statements after the solution
    public const string IoKind = "io";         // programs reading stdin, compared on stdout

    public JsonObject ToJson() => new()
    {
        ["kind"] = Kind, ["script"] = Script, ["entry_point"] = EntryPoint,
        ["cases"] = Cases is null ? null : new JsonArray(Cases.Select(c => (JsonNode)new JsonObject { ["stdin"] = c.Stdin, ["stdout"] = c.Stdout }).ToArray()),
    };

    public static CodeTests FromJson(JsonObject o) => new(
        (string)o["kind"]!, (string?)o["script"], (string?)o["entry_point"],
        o["cases"] is JsonArray a ? a.Select(c => new IoCase((string)c!["stdin"]!, (string)c["stdout"]!)).ToList() : null);
}

/// <summary>One stdin/stdout test case.</summary>
public sealed record IoCase(string Stdin, string Stdout);

/// <summary>
/// A prompt as the run stores it: a stable id from its content, the set and line it came from, its category,
/// the conversation to send (every turn before the reply to be sampled), (math) the gold answer or (code) the tests,
/// the row's id in its original dataset when the prompt set names an id_field, and the row's reference answer (its
/// <c>reference</c> field) when it has one.
/// </summary>
public sealed record PromptRecord(
    string Id,
    string PromptSet,
    string Category,
    int Line,
    IReadOnlyList<ChatMessage> Messages,
    string? Gold,
    CodeTests? Tests,
    string? ExternalId = null,
    string? Reference = null)
{
    /// <summary>The conversation as OpenAI-style messages.</summary>
    public JsonArray MessagesJson() => new(Messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray());
}
