using FuseChat.Training.Data;
using FuseChat.Training.Losses;
using FuseChat.Training.Loop;
using FuseChat.Training.Options;
using FuseChat.Training.Reference;

namespace FuseChat.Training.Dpo;

/// <summary>
/// Direct preference optimisation: reads the pairs, gets the reference log-probs (cached; computed with the starting
/// model before the trainable copy is loaded, so two copies never coexist), trains with <see cref="TrainingLoop"/>.
/// </summary>
public static class DpoTrainer
{
    public static TrainingResult Run(DpoOptions o, ITrainingProgress? progress = null, CancellationToken ct = default)
    {
        var config = TrainerSetup.Config(o);
        if (o.Beta is <= 0) throw new FuseChat.Core.UserError("--beta must be positive");
        if (o.LabelSmoothing is < 0 or >= 0.5) throw new FuseChat.Core.UserError("--label-smoothing must be in [0, 0.5)");
        if (o.RpoAlpha is < 0) throw new FuseChat.Core.UserError("--rpo-alpha must be 0 (off) or positive");
        if (o.DpopLambda is < 0) throw new FuseChat.Core.UserError("--dpop-lambda must be 0 (off) or positive");
        var issues = new DataIssues();
        var pairs = DpoDataReader.Read(o.DataPath, new TextEncoder(o.ModelDir), o.MaxLength, issues);
        TrainerSetup.Report(issues, progress);
        TrainerSetup.CheckFits(o.DataPath, pairs.SelectMany(p => new[] { (p.Line, p.Prompt.Concat(p.Chosen).ToArray()), (p.Line, p.Prompt.Concat(p.Rejected).ToArray()) }), config);
        long parameters = new FuseChat.Engine.Model.ParameterLayout(config).ParameterCount;
        var family = FamilyDefaults.Dpo(config, parameters);
        var loss = o.Loss ?? family.Loss;
        double beta = o.Beta ?? family.Beta, lr = o.LearningRate ?? family.LearningRate;
        if (o.DpopLambda > 0 && loss == DpoLossKind.Ipo) throw new FuseChat.Core.UserError("--dpop-lambda applies to the sigmoid losses (sigmoid, sigmoid_norm), not to ipo");
        var reference = ReferenceCache.GetOrCompute(o.ModelDir, pairs, o.ReferenceCacheDir ?? ReferenceCache.DefaultDir,
            o.Gemm, o.Threads, Math.Max(1, 2 * o.MicroBatchSize), progress is null ? null : progress.Note, out _, out _);
        progress?.Note($"DPO: {pairs.Count} pairs; loss {DpoLoss.Name(loss)}, beta {beta:G4}, lr {lr:G3}, batch {o.BatchSize} = {o.MicroBatchSize} × {o.BatchSize / o.MicroBatchSize}{(o.RpoAlpha > 0 ? $"; rpo alpha {o.RpoAlpha:G3}" : "")}{(o.DpopLambda > 0 ? $"; dpop lambda {o.DpopLambda:G3}" : "")}");
        using var model = TrainerSetup.LoadModel(o);
        using var optimizer = TrainerSetup.MakeOptimizer(o, model);
        return TrainingLoop.Run(o, "dpo", new DpoBatchRunner(pairs, reference, loss, beta, o.LabelSmoothing, o.RpoAlpha, o.DpopLambda), model, optimizer, lr, progress, ct);
    }
}
