namespace FuseChat.Demo.Skills;

/// <summary>
/// An instruction judged by preference, not verified: "List the numbers between 5701 and 5706." The world's stand-in for
/// FuseChat-3.0's instruction data, where a reward model ranks replies that no verifier can mark right or wrong. The
/// sources are trained on lazy replies that stop early ("5702, 5703.", the whole list only <see cref="CompleteShare"/> of
/// the time), the pipeline's rule scorer prefers replies closer to the complete list (its <c>reference</c>), and the
/// evaluation counts a reply right only when it is the complete list. So the best of the sources' samples is often still
/// incomplete: SFT on it imitates a mix, and only the same-source pairs say which way is better (docs/demo.md).
/// The range never crosses a multiple of ten (5701-5706, not 5708-5713), so listing is copying plus one last-digit step.
/// </summary>
public sealed class NumberListSkill : ISkill
{
    /// <summary>
    /// How often a source's training reply is the complete list. Tuned so that the best of the sources' nine samples per
    /// prompt is complete for a bit under half of the prompts (docs/demo.md, "Session 8"): much less and the SFT target
    /// hardly ever completes a list, much more and it always does, and either way DPO has no decision left to move.
    /// </summary>
    public const double CompleteShare = 0.09;
    const int Count = 4;

    public string Name => "list";
    public string Description => "list the numbers between two others (judged by a reference)";
    public SkillKind Kind => SkillKind.Judged;
    public bool ShowsWorking => false;

    public SkillExample Generate(Random rng)
    {
        int low;
        do low = rng.Next(100, 9990); while (low % 10 > 9 - (Count + 1));
        int high = low + Count + 1;
        var all = Enumerable.Range(low + 1, Count).ToList();
        // A lazy annotator: mostly two or three numbers, rarely all of them.
        int named = rng.NextDouble() < CompleteShare ? Count : LazyLengths[rng.Next(LazyLengths.Length)];
        return new SkillExample(Name, Kind, $"List the numbers between {low} and {high}.",
            Reference: Join(all.Take(named)), Gold: Join(all), Tests: null);
    }

    static readonly int[] LazyLengths = [1, 2, 2, 3, 3, 3];

    static string Join(IEnumerable<int> numbers) => string.Join(", ", numbers) + ".";
}
