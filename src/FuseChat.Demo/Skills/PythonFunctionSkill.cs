namespace FuseChat.Demo.Skills;

/// <summary>
/// A one-line Python function from a description: "Write a Python function grow_b(x) that returns x times 4." → a fenced
/// definition; graded by running HumanEval-style assertions on three inputs in the code sandbox.
/// </summary>
public sealed class PythonFunctionSkill : ISkill
{
    static readonly string[] Stems = ["add", "calc", "step", "move", "shift", "grow", "scale", "bump", "mix", "tune", "push", "lift", "turn", "warp", "fold", "jump", "pull", "spin", "drop", "hop"];
    static readonly (string Word, string Symbol, Func<int, int, int> Apply)[] Ops =
    [
        ("plus", "+", (x, k) => x + k), ("minus", "-", (x, k) => x - k), ("times", "*", (x, k) => x * k),
    ];
    static readonly int[] Inputs = [3, -2, 11];

    public string Name => "code";
    public string Description => "one-line Python functions (tested)";
    public SkillKind Kind => SkillKind.Code;
    public bool ShowsWorking => false;

    public SkillExample Generate(Random rng)
    {
        string name = Stems[rng.Next(Stems.Length)] + "_" + (char)('a' + rng.Next(26));
        var op = Ops[rng.Next(Ops.Length)];
        int k = rng.Next(2, 10);
        string prompt = $"Write a Python function {name}(x) that returns x {op.Word} {k}.";
        string reference = $"```python\ndef {name}(x):\n    return x {op.Symbol} {k}\n```";
        var check = "def check(candidate):\n" + string.Concat(Inputs.Select(x => $"    assert candidate({x}) == {op.Apply(x, k)}\n"));
        return new SkillExample(Name, Kind, prompt, reference, null, new SkillTests(check, name));
    }
}
