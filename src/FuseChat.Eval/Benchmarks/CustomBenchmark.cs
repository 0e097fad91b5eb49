using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Eval.Client;
using FuseChat.Verifiers.Math;

namespace FuseChat.Eval.Benchmarks;

/// <summary>
/// A verifiable benchmark from the user's own JSONL file (<c>--custom NAME=PATH</c>), e.g. a skill set like the demo's.
/// Each row is a math row <c>{"id", "prompt" | "messages", "answer"}</c> graded by the math verifier in
/// <see cref="MathMode"/>, a code row <c>{"id", "prompt" | "messages", "tests", "entry_point"}</c> graded in the code
/// sandbox, or an exact-match row <c>{"id", "prompt" | "messages", "expected"}</c> whose whole reply must equal the
/// expected text (<see cref="Grading.ExactMatch"/>: whitespace, case and a final '.' aside); an optional <c>"skill"</c>
/// tag gives a sub-score per skill and an optional <c>"system"</c> a system prompt.
/// Prompts are sent exactly as written (no benchmark instruction is added).
/// </summary>
public sealed class CustomBenchmark(string name, string path, MathMode mathMode = MathMode.Strict) : IBenchmark
{
    /// <summary>The name given on the command line; results and cache entries use it.</summary>
    public string Name { get; } = CheckName(name);
    /// <summary>The JSONL file (absolute, or relative to the working folder).</summary>
    public string Path { get; } = path;
    /// <summary>How math rows are graded: <see cref="MathMode.Strict"/> (semantic equality, the default) or <see cref="MathMode.Qwen"/>.</summary>
    public MathMode MathMode { get; } = mathMode;
    public BenchmarkKind Kind => BenchmarkKind.Verifiable;
    public int MaxTokens => 1024;

    /// <summary>Parses "NAME=PATH" as given to <c>--custom</c>.</summary>
    public static CustomBenchmark Parse(string spec, MathMode mathMode = MathMode.Strict)
    {
        int eq = spec.IndexOf('=');
        if (eq <= 0 || eq == spec.Length - 1) throw new UserError($"--custom: expected NAME=PATH, got '{spec}'");
        return new CustomBenchmark(spec[..eq].Trim(), spec[(eq + 1)..].Trim(), mathMode);
    }

    static string CheckName(string name)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new UserError($"--custom: name '{name}' must be letters, digits, '-', '_' or '.'");
        if (BenchmarkCatalog.All.Any(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new UserError($"--custom: name '{name}' is a built-in benchmark; pick another");
        return name;
    }

    /// <summary>Reads every row; <paramref name="dataDir"/> is not used (the file has its own path).</summary>
    public IReadOnlyList<BenchmarkItem> Load(string dataDir)
    {
        if (!File.Exists(Path)) throw new UserError($"--custom {Name}: file '{Path}' not found");
        var items = new List<BenchmarkItem>();
        var seen = new Dictionary<string, int>();
        foreach (var (line, row) in JsonLines.Read(Path))
        {
            var item = ReadRow(row, line);
            if (seen.TryGetValue(item.Id, out var first)) throw new UserError($"{Path}:{line}: id '{item.Id}' repeats line {first}");
            seen[item.Id] = line;
            items.Add(item);
        }
        if (items.Count == 0) throw new UserError($"{Path}: no rows");
        return items;
    }

    BenchmarkItem ReadRow(JsonObject row, int line)
    {
        string Where(string field) => $"{Path}:{line}: field '{field}'";
        var id = row["id"] is JsonValue idv ? (idv.TryGetValue<string>(out var sid) ? sid : idv.ToJsonString()) : (line - 1).ToString();
        var skill = OptionalText(row, "skill", Where);
        var system = OptionalText(row, "system", Where);
        var messages = Conversation(row, system, Where);

        // The field that names a row's kind; a row with none, or with several, is a mistake in the file, not a guess to make.
        string[] kinds = [.. new[] { "answer", "tests", "expected" }.Where(row.ContainsKey)];
        if (kinds.Length != 1)
            throw new UserError($"{Path}:{line}: a row needs exactly one of 'answer' (math), 'tests' + 'entry_point' (code) or 'expected' (exact match), "
                + (kinds.Length == 0 ? "got none" : $"got {string.Join(", ", kinds[..^1].Select(k => $"'{k}'"))} and '{kinds[^1]}'"));
        var item = new BenchmarkItem(id, system, [messages[^1].Content])
        {
            Skill = skill, Messages = messages, Fingerprint = Fingerprint(messages),
        };
        if (kinds[0] == "expected")
        {
            // Blank (or a lone '.') would normalise to nothing and pass an empty reply.
            var expected = row["expected"] is JsonValue e && e.TryGetValue<string>(out var text) && Grading.ExactMatch.Normalize(text).Length > 0
                ? text : throw new UserError(Where("expected") + " must be a non-empty string");
            return item with { Expected = expected };
        }
        if (kinds[0] == "answer")
        {
            var answer = row["answer"] is JsonValue a && (a.TryGetValue<string>(out var s) ? s : a.ToJsonString()) is { Length: > 0 } g
                ? g : throw new UserError(Where("answer") + " must be a non-empty string or number");
            return item with { Gold = answer };
        }
        var entryPoint = OptionalText(row, "entry_point", Where) ?? throw new UserError(Where("entry_point") + " is required with 'tests'");
        var test = CheckFunction(row["tests"], Where("tests"));
        return item with { Code = new CodeTask(id, "", entryPoint, "", test, null) };
    }

    /// <summary>The messages sent: <c>messages</c> as written (ending with a user turn), or <c>system</c> + <c>prompt</c>.</summary>
    IReadOnlyList<ChatMessage> Conversation(JsonObject row, string? system, Func<string, string> where)
    {
        if (row["messages"] is JsonNode node)
        {
            if (row.ContainsKey("prompt")) throw new UserError(where("messages") + " and 'prompt' exclude each other");
            if (node is not JsonArray { Count: > 0 } array) throw new UserError(where("messages") + " must be a non-empty array");
            var list = new List<ChatMessage>();
            if (system is { Length: > 0 }) list.Add(ChatMessage.System(system));
            for (int i = 0; i < array.Count; i++)
            {
                var role = array[i]?["role"] is JsonValue r && r.TryGetValue<string>(out var rs) ? rs : null;
                var content = array[i]?["content"] is JsonValue c && c.TryGetValue<string>(out var cs) ? cs : null;
                if (role is not ("system" or "user" or "assistant") || content is null)
                    throw new UserError(where($"messages[{i}]") + " must be {\"role\": \"system\"|\"user\"|\"assistant\", \"content\": string}");
                list.Add(new ChatMessage(role, content));
            }
            if (list[^1].Role != "user") throw new UserError(where("messages") + " must end with a user message");
            return list;
        }
        var prompt = OptionalText(row, "prompt", where) ?? throw new UserError(where("prompt") + " is missing (or give 'messages')");
        return system is { Length: > 0 } ? [ChatMessage.System(system), ChatMessage.User(prompt)] : [ChatMessage.User(prompt)];
    }

    /// <summary>
    /// The row's tests as Python defining <c>check(candidate)</c>: a string that already defines it is used as is; any other
    /// string, or a list of strings, is a sequence of statements (e.g. <c>assert add(1, 2) == 3</c>) run inside <c>check</c>.
    /// </summary>
    static string CheckFunction(JsonNode? tests, string where)
    {
        IEnumerable<string> lines;
        if (tests is JsonValue v && v.TryGetValue<string>(out var text) && text.Trim().Length > 0)
        {
            if (text.Contains("def check(", StringComparison.Ordinal)) return text;
            lines = text.Split('\n');
        }
        else if (tests is JsonArray { Count: > 0 } array)
            lines = array.Select((n, i) => n is JsonValue s && s.TryGetValue<string>(out var str) ? str
                : throw new UserError($"{where}[{i}] must be a string"));
        else throw new UserError(where + " must be Python source or a non-empty list of assert statements");
        var body = string.Join("\n", lines.SelectMany(l => l.Split('\n')).Where(l => l.Trim().Length > 0).Select(l => "    " + l));
        return "def check(candidate):\n" + body + "\n";
    }

    static string? OptionalText(JsonObject row, string field, Func<string, string> where) => row[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new UserError(where(field) + " must be a string"),
    };

    // Cached answers are keyed by id and this hash of the prompt, so editing a row's prompt regenerates its answer.
    static string Fingerprint(IReadOnlyList<ChatMessage> messages) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u0001", messages.Select(m => m.Role + "\u0002" + m.Content)))))[..16].ToLowerInvariant();
}
