namespace FuseChat.Demo.Skills;

/// <summary>
/// String manipulation graded as a number: reverse the digits (1-9, so no leading zero) of a 3- or 4-digit number. Not longer:
/// the Qwen grader the evaluation uses compares numbers with a relative tolerance of 1e-4, which would accept a 5-digit
/// answer that is off by one in its last digit.
/// </summary>
public sealed class DigitReversalSkill : ISkill
{
    public string Name => "reverse";
    public string Description => "reverse the digits of a number";
    public SkillKind Kind => SkillKind.Math;
    public bool ShowsWorking => false;

    public SkillExample Generate(Random rng)
    {
        var digits = new char[rng.Next(3, 5)];
        for (int i = 0; i < digits.Length; i++) digits[i] = (char)('1' + rng.Next(9));
        string number = new(digits);
        Array.Reverse(digits);
        string reversed = new(digits);
        return new SkillExample(Name, Kind, $"Reverse the digits of {number}.", $"The answer is {reversed}.", reversed, null);
    }
}
