using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuseChat.Pipeline.Prompts;

/// <summary>What one input row turned into: the conversation, for math the gold answer, for code the tests, and the
/// row's reference answer when it has one.</summary>
public sealed record MappedPrompt(IReadOnlyList<ChatMessage> Messages, string? Gold, CodeTests? Tests, string? Reference = null);

/// <summary>
/// Maps the common row shapes to a prompt: messages and ShareGPT conversations (from/value), multi-turn included: the
/// prompt is every turn before the final assistant reply; Alpaca instruction/input;
/// plain prompt; GSM8K question/answer (gold after ####); MATH problem/solution (last \boxed{}) or answer;
/// HumanEval prompt/test/entry_point; MBPP prompt with test_list/assertion/test; stdin/stdout lists (inputs/outputs or
/// input_output); Arena-Hard/MT-Bench turns (first turn); plain question. "auto" picks the shape from the fields present. Problems come back as a reason, never an exception.
/// In every shape a top-level <c>reference</c> field (a string, or a list whose first string answers the first turn) is the
/// prompt's reference answer.
/// </summary>
public static class PromptShapes
{
    public static (MappedPrompt? Prompt, string? Problem) Map(JsonObject row, string shape)
    {
        try
        {
            shape = shape == "auto" ? Detect(row) ?? "" : shape;
            var (prompt, problem) = shape switch
            {
                "messages" => Ok(Messages(row["messages"], "role", "content", "messages")),
                "sharegpt" => Ok(Messages(row["conversations"], "from", "value", "conversations")),
                "alpaca" => Ok(Alpaca(row)),
                "prompt" => Ok(Single(Text(row, "prompt"))),
                "gsm8k" => Ok(Single(Text(row, "question")), GsmGold(Text(row, "answer"))),
                "math" => Ok(Single(Text(row, "problem")), MathGold(row)),
                "humaneval" => Ok(Single(Text(row, "prompt")), null,
                    new CodeTests(CodeTests.CheckKind, Text(row, "test"), Text(row, "entry_point"), null)),
                "mbpp" => Ok(Single(MbppText(row)), null, new CodeTests(CodeTests.AssertKind, MbppAsserts(row), (string?)row["entry_point"], null)),
                "io" => Ok(Single(FirstText(row, "question", "prompt", "problem")), null, new CodeTests(CodeTests.IoKind, null, null, IoCases(row))),
                "turns" => Ok(Single(FirstTurn(row))),
                "question" => Ok(Single(Text(row, "question"))),
                "" => (null, "unrecognised row shape (fields: " + string.Join(", ", row.Select(kv => kv.Key)) + "); set shape: in the config"),
                _ => (null, $"unknown shape '{shape}'"),
            };
            return prompt is null ? (null, problem) : (prompt with { Reference = Reference(row) }, null);
        }
        catch (ShapeException e) { return (null, e.Message); }
        catch (InvalidOperationException e) { return (null, "wrong field type: " + e.Message); }
        catch (JsonException e) { return (null, "bad embedded JSON: " + e.Message); }
    }

    /// <summary>Picks a shape from the fields a row has (the first that fits, in the order of the summary above).</summary>
    public static string? Detect(JsonObject row)
    {
        if (row.ContainsKey("messages")) return "messages";
        if (row.ContainsKey("conversations")) return "sharegpt";
        if (row.ContainsKey("instruction")) return "alpaca";
        if (row.ContainsKey("question") && row["answer"] is JsonValue a && a.TryGetValue<string>(out var s) && s.Contains("####")) return "gsm8k";
        if (row.ContainsKey("problem") && (row.ContainsKey("solution") || row.ContainsKey("answer"))) return "math";
        if (row.ContainsKey("inputs") || row.ContainsKey("input_output")) return "io";
        if (row.ContainsKey("prompt") && row.ContainsKey("test") && row.ContainsKey("entry_point")) return "humaneval";
        if (row.ContainsKey("prompt") && (row.ContainsKey("test_list") || row.ContainsKey("assertion"))) return "mbpp";
        if (row.ContainsKey("prompt")) return "prompt";
        if (row.ContainsKey("turns")) return "turns";
        if (row.ContainsKey("question")) return "question";
        return null;
    }

    sealed class ShapeException(string message) : Exception(message);

    static (MappedPrompt?, string?) Ok(IReadOnlyList<ChatMessage> messages, string? gold = null, CodeTests? tests = null)
    {
        if (messages.Count == 0 || messages[^1].Role != "user") throw new ShapeException("the conversation does not end with a user message");
        return (new MappedPrompt(messages, gold, tests), null);
    }

    /// <summary>
    /// The row's reference answer: a string as is, or the first of a list (MT-Bench keeps one per turn, and only the
    /// first turn is a prompt here); null when the field is missing or null.
    /// </summary>
    static string? Reference(JsonObject row) => row["reference"] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a when a.Count > 0 && a[0] is JsonValue f && f.TryGetValue<string>(out var first) => first,
        _ => throw new ShapeException("field 'reference' must be a string or a list of strings"),
    };

    static IReadOnlyList<ChatMessage> Single(string text) => [new ChatMessage("user", text)];

    static string Text(JsonObject row, string field)
    {
        var node = row[field] ?? throw new ShapeException($"missing field '{field}'");
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw new ShapeException($"field '{field}' is not a string");
    }

    static string FirstText(JsonObject row, params string[] fields)
    {
        foreach (var f in fields) if (row.ContainsKey(f)) return Text(row, f);
        throw new ShapeException("missing field " + string.Join(" or ", fields.Select(f => $"'{f}'")));
    }

    static IReadOnlyList<ChatMessage> Messages(JsonNode? node, string roleKey, string contentKey, string field)
    {
        if (node is not JsonArray arr) throw new ShapeException($"field '{field}' is not an array");
        var list = new List<ChatMessage>();
        foreach (var m in arr)
        {
            if (m is not JsonObject o) throw new ShapeException($"'{field}' holds a non-object");
            var role = (string?)o[roleKey] ?? throw new ShapeException($"a message in '{field}' has no '{roleKey}'");
            var content = o[contentKey] is JsonValue cv && cv.TryGetValue<string>(out var cs) ? cs
                : throw new ShapeException($"a message in '{field}' has no string '{contentKey}'");
            role = role switch { "human" => "user", "gpt" => "assistant", "chatgpt" => "assistant", "bing" => "assistant", _ => role };
            if (role is not ("system" or "user" or "assistant")) throw new ShapeException($"unknown role '{role}' in '{field}'");
            list.Add(new ChatMessage(role, content));
        }
        // A multi-turn prompt is every turn before the final assistant reply: a trailing assistant turn is a reference
        // answer (the reply to be sampled), not part of the prompt; earlier assistant turns stay as context.
        while (list.Count > 0 && list[^1].Role == "assistant") list.RemoveAt(list.Count - 1);
        CheckTurnOrder(list, field);
        return list;
    }

    /// <summary>
    /// System messages first, then user and assistant turns alternating from a user turn (what chat templates such as
    /// Gemma's and Mistral's accept, and what LLaMA-Factory's ShareGPT reader requires); anything else is a bad row.
    /// </summary>
    static void CheckTurnOrder(List<ChatMessage> list, string field)
    {
        int i = 0;
        while (i < list.Count && list[i].Role == "system") i++;
        for (int turn = 0; i < list.Count; i++, turn++)
        {
            string expected = turn % 2 == 0 ? "user" : "assistant";
            if (list[i].Role == "system") throw new ShapeException($"'{field}' has a system message after the conversation started (message {i + 1})");
            if (list[i].Role != expected) throw new ShapeException($"'{field}': message {i + 1} is '{list[i].Role}' where a '{expected}' turn should come (turns must alternate, starting with the user)");
        }
    }

    static IReadOnlyList<ChatMessage> Alpaca(JsonObject row)
    {
        var instruction = Text(row, "instruction");
        var input = row.ContainsKey("input") ? Text(row, "input") : "";
        var msgs = new List<ChatMessage>();
        if (row.ContainsKey("system")) msgs.Add(new ChatMessage("system", Text(row, "system")));
        msgs.Add(new ChatMessage("user", string.IsNullOrWhiteSpace(input) ? instruction : instruction + "\n\n" + input));
        return msgs;
    }

    /// <summary>GSM8K: the gold is what follows the last "####", without thousands separators.</summary>
    public static string GsmGold(string answer)
    {
        int i = answer.LastIndexOf("####", StringComparison.Ordinal);
        if (i < 0) throw new ShapeException("'answer' has no '####' gold");
        var gold = answer[(i + 4)..].Trim().Replace(",", "");
        if (gold == "") throw new ShapeException("'answer' has an empty gold after '####'");
        return gold;
    }

    static string MathGold(JsonObject row)
    {
        if (row["answer"] is JsonValue v)
        {
            if (v.TryGetValue<string>(out var s) && s.Trim() != "") return s.Trim();
            if (v.GetValueKind() == JsonValueKind.Number)
            {
                double d = v.GetValue<double>();
                return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);
            }
        }
        if (row.ContainsKey("solution"))
            return LastBoxed(Text(row, "solution")) ?? throw new ShapeException("'solution' has no \\boxed{} answer");
        throw new ShapeException("no gold answer ('answer' or a \\boxed{} in 'solution')");
    }

    /// <summary>The content of the last \boxed{...} (or \fbox{...}), braces balanced; null when there is none.</summary>
    public static string? LastBoxed(string text)
    {
        int at = Math.Max(text.LastIndexOf("\\boxed", StringComparison.Ordinal), text.LastIndexOf("\\fbox", StringComparison.Ordinal));
        if (at < 0) return null;
        int open = text.IndexOf('{', at);
        if (open < 0) return null;
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return text[(open + 1)..i].Trim();
        }
        return null;
    }

    static string MbppText(JsonObject row)
    {
        var text = Text(row, "prompt");
        // Original MBPP gives the description without a test; FuseChat-style prompts show one test so the name is known.
        if (row["test_list"] is JsonArray tl && tl.Count > 0 && !text.Contains("assert")) text += "\n" + (string?)tl[0];
        return text;
    }

    static string MbppAsserts(JsonObject row)
    {
        if (row["test_list"] is JsonArray tl)
        {
            var lines = tl.Select(t => (string?)t ?? "").Where(t => t != "").ToList();
            if (lines.Count == 0) throw new ShapeException("'test_list' is empty");
            var setup = row["test_setup_code"] is JsonValue sv && sv.TryGetValue<string>(out var ss) ? ss + "\n" : "";
            return setup + string.Join("\n", lines) + "\n";
        }
        if (row.ContainsKey("assertion")) return Text(row, "assertion");
        if (row.ContainsKey("test")) return Text(row, "test");
        throw new ShapeException("no tests ('test_list', 'assertion' or 'test')");
    }

    static IReadOnlyList<IoCase> IoCases(JsonObject row)
    {
        JsonNode? holder = row;
        if (row["input_output"] is JsonValue io && io.TryGetValue<string>(out var ioText)) holder = JsonNode.Parse(ioText);
        else if (row["input_output"] is JsonObject ioObj) holder = ioObj;
        if (holder?["inputs"] is not JsonArray ins || holder["outputs"] is not JsonArray outs)
            throw new ShapeException("stdin/stdout tests need 'inputs' and 'outputs' lists");
        if (ins.Count != outs.Count) throw new ShapeException($"{ins.Count} inputs but {outs.Count} outputs");
        if (ins.Count == 0) throw new ShapeException("no stdin/stdout test cases");
        return ins.Zip(outs, (i, o) => new IoCase(AsText(i), AsText(o))).ToList();
    }

    /// <summary>Arena-Hard ({"content": ...} objects) or MT-Bench (strings): only the first turn is a prompt; later turns need the model's answers.</summary>
    static string FirstTurn(JsonObject row)
    {
        if (row["turns"] is not JsonArray t || t.Count == 0) throw new ShapeException("'turns' is not a non-empty array");
        if (t[0] is JsonObject o && o["content"] is JsonValue c && c.TryGetValue<string>(out var s1)) return s1;
        if (t[0] is JsonValue v && v.TryGetValue<string>(out var s2)) return s2;
        throw new ShapeException("the first of 'turns' is neither a string nor {content}");
    }

    static string AsText(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s
        : n is JsonArray a ? string.Join("\n", a.Select(x => x?.ToString() ?? "")) : n?.ToJsonString() ?? "";
}
