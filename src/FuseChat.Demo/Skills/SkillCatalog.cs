namespace FuseChat.Demo.Skills;

/// <summary>The demo's skills, by name.</summary>
public static class SkillCatalog
{
    public static IReadOnlyList<ISkill> All { get; } = [new AdditionSkill(), new WordProblemSkill(), new DigitReversalSkill(), new PythonFunctionSkill(), new NumberListSkill()];

    public static ISkill Get(string name) => All.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"unknown skill '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
