namespace FuseChat.Demo.Skills;

/// <summary>
/// Two-digit addition worked column by column, ones first, with the carry written into the tens column:
/// "What is 37 + 48?" → "7 + 8 = 15, 3 + 4 + 1 = 8. The answer is 85.". Written left to right ("37 + 48 = 85") the
/// answer's first digit depends on a carry the model has not produced yet, which a model of a few hundred thousand
/// parameters does not learn in minutes (10 % held-out in the first full run); each step of the worked form is one
/// single-digit fact or a copy.
/// </summary>
public sealed class AdditionSkill : ISkill
{
    public string Name => "add";
    public string Description => "two-digit addition, worked column by column";
    public SkillKind Kind => SkillKind.Math;
    public bool ShowsWorking => true;

    public SkillExample Generate(Random rng)
    {
        int a = rng.Next(10, 100), b = rng.Next(10, 100), sum = a + b;
        return new SkillExample(Name, Kind, $"What is {a} + {b}?", Working(a, b) + $" The answer is {sum}.", sum.ToString(), null);
    }

    /// <summary>The column working of a + b (two-digit numbers): "7 + 8 = 15, 3 + 4 + 1 = 8.".</summary>
    public static string Working(int a, int b)
    {
        int ones = a % 10 + b % 10, carry = ones / 10, tens = a / 10 + b / 10 + carry;
        return $"{a % 10} + {b % 10} = {ones}, {a / 10} + {b / 10} + {carry} = {tens}.";
    }
}
