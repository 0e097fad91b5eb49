using System.Text.Json.Nodes;
using FuseChat.Core;

namespace FuseChat.Demo.Skills;

/// <summary>The JSONL files the demo's stages read: SFT conversations, pipeline prompt sets and held-out eval rows.</summary>
public static class SkillFiles
{
    /// <summary>A conversational SFT row (<c>{"messages": [user, assistant]}</c>), the trainer's input format.</summary>
    public static JsonObject SftRow(SkillExample e) => new()
    {
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "user", ["content"] = e.Prompt },
            new JsonObject { ["role"] = "assistant", ["content"] = e.Reference }),
    };

    /// <summary>A prompt-set row in a shape the pipeline ingests: MATH-style <c>problem</c>/<c>answer</c>, HumanEval-style
    /// <c>prompt</c>/<c>test</c>/<c>entry_point</c>, or (judged) a plain <c>prompt</c> with the <c>reference</c> reply the rule scorer compares against.</summary>
    public static JsonObject PromptRow(SkillExample e) => e.Kind switch
    {
        SkillKind.Math => new JsonObject { ["problem"] = e.Prompt, ["answer"] = e.Gold, ["skill"] = e.Skill },
        SkillKind.Code => new JsonObject { ["prompt"] = e.Prompt, ["test"] = e.Tests!.Check, ["entry_point"] = e.Tests.EntryPoint, ["skill"] = e.Skill },
        _ => new JsonObject { ["prompt"] = e.Prompt, ["reference"] = e.Gold, ["skill"] = e.Skill },
    };

    /// <summary>A held-out evaluation row in the eval harness's custom-benchmark format (<c>--custom NAME=PATH</c>): the
    /// skill tag (one sub-score per skill), the prompt, and the gold <c>answer</c>, the <c>tests</c> with their <c>entry_point</c>,
    /// or (judged) the <c>expected</c> reply, matched exactly.</summary>
    public static JsonObject EvalRow(SkillExample e, int index)
    {
        var row = new JsonObject { ["id"] = $"{e.Skill}-{index:D4}", ["skill"] = e.Skill, ["prompt"] = e.Prompt };
        switch (e.Kind)
        {
            case SkillKind.Math: row["answer"] = e.Gold; break;
            case SkillKind.Code: row["tests"] = e.Tests!.Check; row["entry_point"] = e.Tests.EntryPoint; break;
            default: row["expected"] = e.Gold; break;
        }
        return row;
    }

    /// <summary>Writes rows to a JSONL file (its folder is created).</summary>
    public static void Write(string path, IEnumerable<JsonObject> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var w = JsonLines.Create(path);
        foreach (var row in rows) w.Write(row);
    }

    /// <summary>A deterministic shuffle (Fisher-Yates with a seeded generator).</summary>
    public static List<T> Shuffled<T>(IEnumerable<T> items, int seed)
    {
        var list = items.ToList();
        var rng = new Random(seed);
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }
}
