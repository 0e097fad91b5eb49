namespace FuseChat.Training.Data;

/// <summary>
/// Optional SFT packing: whole examples are placed into rows of at most the max length, longest first, each into the
/// first row with room (first-fit decreasing, like TRL's "bfd" strategy). Examples are never split. Each row keeps its
/// examples' lengths, and the engine trains them as independent sequences (positions restart at 0, attention stops at
/// the example's start, as TRL's padding-free packing with position_ids does), so a packed step computes the same loss
/// and gradient as the same examples unpacked; only the row layout (and so the batch composition) differs.
/// </summary>
public static class SftPacking
{
    public static List<SftExample> Pack(IReadOnlyList<SftExample> examples, int maxLength)
    {
        var rows = new List<(List<SftExample> Parts, int Length)>();
        foreach (var ex in examples.OrderByDescending(e => e.Ids.Length).ThenBy(e => e.Line))
        {
            int at = rows.FindIndex(r => r.Length + ex.Ids.Length <= maxLength);
            if (at < 0) rows.Add((new List<SftExample> { ex }, ex.Ids.Length));
            else rows[at] = (rows[at].Parts.Append(ex).ToList(), rows[at].Length + ex.Ids.Length);
        }
        return rows.Select(r => new SftExample(
            r.Parts.SelectMany(p => p.Ids).ToArray(),
            r.Parts.SelectMany(p => p.LossTokens).ToArray(),
            r.Parts[0].Line,
            r.Parts.Select(p => p.Ids.Length).ToArray())).ToList();
    }
}
