using FuseChat.Core;

namespace FuseChat.Engine.Training;

/// <summary>
/// Token rows for training, right-padded to a common <see cref="Length"/>: row r holds <c>Lengths[r]</c> real tokens
/// at Ids[r·Length ..], then padding (any value; it is never read as a token). Positions start at 0 in every row, and
/// again at the start of every segment when a row packs several sequences (<see cref="SegmentStarts"/>).
/// </summary>
public sealed class SequenceBatch
{
    /// <summary>Number of sequences.</summary>
    public int Rows { get; }
    /// <summary>Padded length of every row (the longest row's length).</summary>
    public int Length { get; }
    /// <summary>[Rows, Length] row-major token ids.</summary>
    public int[] Ids { get; }
    /// <summary>Real tokens per row (1..Length).</summary>
    public int[] Lengths { get; }

    /// <summary>
    /// Null, or [Rows, Length]: for each real position, the index in its row where its segment starts. A packed row's
    /// segments are independent sequences: positions restart at 0 and attention does not cross a segment boundary.
    /// </summary>
    public int[]? SegmentStarts { get; }

    /// <summary>Wraps already padded ids; checks the shapes.</summary>
    public SequenceBatch(int rows, int length, int[] ids, int[] lengths, int[]? segmentStarts = null)
    {
        if (rows < 1 || length < 1) throw new ArgumentException($"a batch needs at least one row and one position (got {rows}×{length})");
        if (ids.Length != rows * length) throw new ArgumentException($"expected {rows * length} ids, got {ids.Length}");
        if (lengths.Length != rows) throw new ArgumentException($"expected {rows} lengths, got {lengths.Length}");
        for (int r = 0; r < rows; r++)
            if (lengths[r] < 1 || lengths[r] > length) throw new ArgumentException($"row {r}: length {lengths[r]} is outside 1..{length}");
        if (segmentStarts is not null) CheckSegments(rows, length, lengths, segmentStarts);
        Rows = rows; Length = length; Ids = ids; Lengths = lengths; SegmentStarts = segmentStarts;
    }

    static void CheckSegments(int rows, int length, int[] lengths, int[] starts)
    {
        if (starts.Length != rows * length) throw new ArgumentException($"expected {rows * length} segment starts, got {starts.Length}");
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < lengths[r]; t++)
            {
                int s = starts[r * length + t], prev = t == 0 ? 0 : starts[r * length + t - 1];
                // a start is at or before its position, never before the previous position's start, and opens at itself
                if (s > t || s < prev || (s != prev && s != t) || starts[r * length + s] != s)
                    throw new ArgumentException($"row {r}: segment start {s} at position {t} is not a valid segmentation");
            }
    }

    /// <summary>
    /// Right-pads <paramref name="rows"/> (each non-empty) with <paramref name="padId"/>. <paramref name="segmentLengths"/>
    /// (optional, per row; null entries are one segment) splits packed rows into independent sequences.
    /// </summary>
    public static SequenceBatch FromRows(IReadOnlyList<int[]> rows, int padId = 0, IReadOnlyList<int[]?>? segmentLengths = null)
    {
        if (rows.Count == 0) throw new ArgumentException("no rows");
        int length = rows.Max(r => r.Length);
        var ids = new int[rows.Count * length];
        Array.Fill(ids, padId);
        var lengths = new int[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length == 0) throw new UserError($"sequence {r} is empty");
            rows[r].CopyTo(ids, r * length);
            lengths[r] = rows[r].Length;
        }
        return new SequenceBatch(rows.Count, length, ids, lengths, Starts(rows, length, segmentLengths));
    }

    static int[]? Starts(IReadOnlyList<int[]> rows, int length, IReadOnlyList<int[]?>? segmentLengths)
    {
        if (segmentLengths is null || segmentLengths.All(s => s is null || s.Length <= 1)) return null;
        var starts = new int[rows.Count * length];
        for (int r = 0; r < rows.Count; r++)
        {
            var parts = segmentLengths[r] ?? [rows[r].Length];
            if (parts.Sum() != rows[r].Length || parts.Any(n => n < 1))
                throw new ArgumentException($"row {r}: segment lengths [{string.Join(", ", parts)}] do not add up to its {rows[r].Length} tokens");
            int t = 0;
            foreach (int n in parts)
            {
                Array.Fill(starts, t, r * length + t, n);
                t += n;
            }
        }
        return starts;
    }

    /// <summary>Index of log p(ids[r, t+1] | ids[r, ≤t]) in the [Rows, Length-1] log-prob layout.</summary>
    public int LogProbIndex(int row, int t) => row * (Length - 1) + t;

    /// <summary>Total real tokens.</summary>
    public int TokenCount => Lengths.Sum();
}
