namespace FuseChat.Demo.Skills;

/// <summary>A synthetic skill (verifiable, or judged against a reference): a seeded generator of tasks small enough for a tiny model to learn in minutes.</summary>
public interface ISkill
{
    /// <summary>Short name used in file names, tables and the plan (e.g. "add").</summary>
    string Name { get; }
    /// <summary>One line describing the skill in the report.</summary>
    string Description { get; }
    SkillKind Kind { get; }
    /// <summary>Whether its replies show arithmetic working ("6 - 5 = 1.") that the rule scorer can check, not just an answer.</summary>
    bool ShowsWorking { get; }
    /// <summary>A task drawn from <paramref name="rng"/>; the same random state always gives the same task.</summary>
    SkillExample Generate(Random rng);
}
