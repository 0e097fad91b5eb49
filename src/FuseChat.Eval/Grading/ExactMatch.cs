namespace FuseChat.Eval.Grading;

/// <summary>
/// Grades a custom benchmark's <c>expected</c> rows: the whole reply must equal the expected text once both are normalised.
/// </summary>
public static class ExactMatch
{
    /// <summary>
    /// The text as compared: trimmed, every run of whitespace one space, one trailing '.' dropped. A model's trailing
    /// newline, a line break inside a list or a final full stop should not fail an otherwise exact reply; any other
    /// character, a different number above all, still does. Case is left as is (<see cref="IsCorrect"/> ignores it).
    /// </summary>
    public static string Normalize(string text)
    {
        // Splitting on null splits on every char.IsWhiteSpace; dropping the empty pieces trims and collapses in one go.
        var collapsed = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.EndsWith('.') ? collapsed[..^1] : collapsed;
    }

    /// <summary>True when the reply equals the expected text after <see cref="Normalize"/>, ignoring case (ordinal).</summary>
    public static bool IsCorrect(string reply, string expected) =>
        string.Equals(Normalize(reply), Normalize(expected), StringComparison.OrdinalIgnoreCase);
}
