namespace FuseChat.Training.Data;

/// <summary>
/// One training sequence: token ids and, per token, whether it is a loss (completion/assistant) token.
/// Token ids[0] is never a loss token (nothing predicts it). <see cref="Line"/> is the source row's line number.
/// <see cref="SegmentLengths"/> is set on a packed row: the lengths of the examples it holds, which train as independent
/// sequences (positions restart, no attention across them).
/// </summary>
public sealed record SftExample(int[] Ids, bool[] LossTokens, int Line, int[]? SegmentLengths = null)
{
    public int LossTokenCount => LossTokens.Count(x => x);
}
