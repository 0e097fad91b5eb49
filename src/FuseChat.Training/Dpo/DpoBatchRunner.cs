using FuseChat.Engine.Training;
using FuseChat.Training.Data;
using FuseChat.Training.Losses;
using FuseChat.Training.Loop;
using FuseChat.Training.Options;
using FuseChat.Training.Reference;

namespace FuseChat.Training.Dpo;

/// <summary>
/// DPO's step: each micro-batch runs its pairs' chosen and rejected sequences (prompt + completion) together, sums the
/// policy's log-probs over completion tokens, takes the loss against the cached reference sums, and back-propagates
/// d(loss)/d(sum) onto each completion token. The loss is the mean over the pairs of the global batch; metrics follow TRL.
/// With <paramref name="rpoAlpha"/> &gt; 0 it adds α times the negative log-likelihood of the chosen completions, averaged
/// over their tokens in the global batch (RPO, Pang et al. 2024; TRL's <c>rpo_alpha</c>): it keeps DPO from lowering the
/// chosen replies' own likelihood while it widens the margin. <paramref name="dpopLambda"/> &gt; 0 makes the loss DPOP (see <see cref="DpoLoss"/>).
/// </summary>
public sealed class DpoBatchRunner(IReadOnlyList<DpoExample> pairs, IReadOnlyList<ReferenceLogps> reference,
    DpoLossKind kind, double beta, double labelSmoothing, double rpoAlpha = 0, double dpopLambda = 0) : IBatchRunner
{
    public int ExampleCount => pairs.Count;

    public StepOutcome Run(TrainableModel model, IReadOnlyList<int> batch, int microBatch)
    {
        double n = batch.Count;
        double loss = 0, rc = 0, rr = 0, acc = 0, margin = 0, lc = 0, lr = 0, nll = 0;
        long tokens = 0;
        double chosenTokens = Math.Max(1, batch.Sum(i => (long)pairs[i].Chosen.Length));
        for (int s = 0; s < batch.Count; s += microBatch)
        {
            var idx = batch.Skip(s).Take(microBatch).ToList();
            int k = idx.Count;
            var rows = new List<int[]>(2 * k);
            foreach (var i in idx) rows.Add(Concat(pairs[i].Prompt, pairs[i].Chosen));
            foreach (var i in idx) rows.Add(Concat(pairs[i].Prompt, pairs[i].Rejected));
            var seq = SequenceBatch.FromRows(rows);
            var logps = model.ForwardLogProbs(seq);
            var dLogps = new float[logps.Length];
            for (int j = 0; j < k; j++)
            {
                var p = pairs[idx[j]];
                double pc = CompletionSum(logps, seq, j, p.Prompt.Length, p.Chosen.Length);
                double pr = CompletionSum(logps, seq, k + j, p.Prompt.Length, p.Rejected.Length);
                var refs = reference[idx[j]];
                var pl = DpoLoss.Pair(new PairLogps(pc, pr, refs.Chosen, refs.Rejected, p.Chosen.Length, p.Rejected.Length), kind, beta, labelSmoothing, dpopLambda);
                loss += pl.Loss / n;
                nll -= pc / chosenTokens;
                Spread(dLogps, seq, j, p.Prompt.Length, p.Chosen.Length, (float)(pl.DChosen / n - rpoAlpha / chosenTokens));
                Spread(dLogps, seq, k + j, p.Prompt.Length, p.Rejected.Length, (float)(pl.DRejected / n));
                rc += pl.ChosenReward; rr += pl.RejectedReward;
                acc += pl.ChosenReward > pl.RejectedReward ? 1 : 0;
                margin += pl.ChosenReward - pl.RejectedReward;
                lc += pc; lr += pr;
            }
            model.Backward(dLogps);
            tokens += seq.TokenCount;
        }
        var metrics = new Dictionary<string, double>
        {
            ["rewards/chosen"] = rc / n, ["rewards/rejected"] = rr / n, ["rewards/accuracies"] = acc / n,
            ["rewards/margins"] = margin / n, ["logps/chosen"] = lc / n, ["logps/rejected"] = lr / n,
        };
        if (rpoAlpha > 0) { loss += rpoAlpha * nll; metrics["nll_loss"] = nll; }   // TRL logs nll_loss only with rpo_alpha
        return new StepOutcome(loss, tokens, metrics);
    }

    static int[] Concat(int[] a, int[] b)
    {
        var r = new int[a.Length + b.Length];
        a.CopyTo(r, 0); b.CopyTo(r, a.Length);
        return r;
    }

    // Completion token j sits at index prompt+j and is predicted at position prompt+j−1.
    static double CompletionSum(float[] logps, SequenceBatch seq, int row, int prompt, int count)
    {
        double sum = 0;
        for (int j = 0; j < count; j++) sum += logps[seq.LogProbIndex(row, prompt + j - 1)];
        return sum;
    }

    static void Spread(float[] d, SequenceBatch seq, int row, int prompt, int count, float value)
    {
        for (int j = 0; j < count; j++) d[seq.LogProbIndex(row, prompt + j - 1)] = value;
    }
}
