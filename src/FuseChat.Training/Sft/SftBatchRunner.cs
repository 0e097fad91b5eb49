using FuseChat.Engine.Training;
using FuseChat.Training.Data;
using FuseChat.Training.Losses;
using FuseChat.Training.Loop;

namespace FuseChat.Training.Sft;

/// <summary>
/// SFT's step: micro-batches of right-padded sequences, cross-entropy on their loss tokens, normalised by the loss
/// tokens of the whole global batch so accumulation over micro-batches equals one large batch.
/// </summary>
public sealed class SftBatchRunner(IReadOnlyList<SftExample> examples) : IBatchRunner
{
    public int ExampleCount => examples.Count;

    public StepOutcome Run(TrainableModel model, IReadOnlyList<int> batch, int microBatch)
    {
        double globalTokens = batch.Sum(i => examples[i].LossTokenCount);
        double loss = 0;
        long tokens = 0;
        for (int s = 0; s < batch.Count; s += microBatch)
        {
            var rows = batch.Skip(s).Take(microBatch).Select(i => examples[i]).ToList();
            var seq = SequenceBatch.FromRows(rows.Select(r => r.Ids).ToList(), segmentLengths: rows.Select(r => r.SegmentLengths).ToList());
            var mask = LossMask(seq, rows);
            var logps = model.ForwardLogProbs(seq);
            var dLogps = new float[logps.Length];
            loss += SftLoss.Compute(logps, mask, globalTokens, dLogps);
            model.Backward(dLogps);
            tokens += seq.TokenCount;
        }
        return new StepOutcome(loss, tokens, new Dictionary<string, double> { ["loss_tokens"] = globalTokens });
    }

    /// <summary>[rows, length−1] mask: 1 where position t predicts a loss token (ids[t+1]).</summary>
    public static float[] LossMask(SequenceBatch seq, IReadOnlyList<SftExample> rows)
    {
        var mask = new float[seq.Rows * (seq.Length - 1)];
        for (int r = 0; r < rows.Count; r++)
            for (int t = 0; t + 1 < rows[r].Ids.Length; t++)
                if (rows[r].LossTokens[t + 1]) mask[seq.LogProbIndex(r, t)] = 1f;
        return mask;
    }
}
