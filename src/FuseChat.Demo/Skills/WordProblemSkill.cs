namespace FuseChat.Demo.Skills;

/// <summary>
/// One-step word problems with single-digit numbers: the model must pick the numbers out of a sentence and choose
/// between adding and subtracting ("gets 3 more" vs "gives away 3").
/// </summary>
public sealed class WordProblemSkill : ISkill
{
    static readonly string[] Names = ["Ann", "Bob", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kim", "Lee", "Max", "Ned", "Oli", "Pam", "Ray", "Sam", "Tia", "Uma"];
    static readonly string[] Things = ["apples", "pens", "cards", "eggs", "coins", "books", "cups", "hats", "keys", "rocks"];

    public string Name => "word";
    public string Description => "word problems (add or take away)";
    public SkillKind Kind => SkillKind.Math;
    public bool ShowsWorking => true;

    public SkillExample Generate(Random rng)
    {
        string who = Names[rng.Next(Names.Length)], what = Things[rng.Next(Things.Length)];
        int a = rng.Next(2, 10);
        bool gains = rng.Next(2) == 0;
        int b = gains ? rng.Next(1, 10) : rng.Next(1, a);
        int result = gains ? a + b : a - b;
        string story = gains ? $"gets {b} more" : $"gives away {b}";
        string sign = gains ? "+" : "-";
        return new SkillExample(Name, Kind, $"{who} has {a} {what} and {story}. How many {what} does {who} have now?",
            $"{a} {sign} {b} = {result}. The answer is {result}.", result.ToString(), null);
    }
}
