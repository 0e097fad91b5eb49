using FuseChat.Training.Options;

namespace FuseChat.Training.Losses;

/// <summary>One preference pair's sequence log-probs (summed over completion tokens) under the policy and the reference.</summary>
public readonly record struct PairLogps(double PolicyChosen, double PolicyRejected, double RefChosen, double RefRejected, int ChosenTokens, int RejectedTokens);

/// <summary>The loss of one pair and its derivatives with respect to the policy's chosen and rejected log-prob sums.</summary>
public readonly record struct PairLoss(double Loss, double DChosen, double DRejected, double ChosenReward, double RejectedReward);

/// <summary>
/// DPO losses as TRL defines them, on sequence log-prob sums: with log-ratios ρc = πc − refc, ρr = πr − refr,
/// <list type="bullet">
/// <item><c>sigmoid</c>: −(1−ε)·logσ(β(ρc−ρr)) − ε·logσ(−β(ρc−ρr)) (ε = label smoothing);</item>
/// <item><c>sigmoid_norm</c> (FuseChat-3.0's length-normalised DPO): −logσ(β(ρc/|yc| − ρr/|yr|));</item>
/// <item><c>ipo</c>: (ρc/|yc| − ρr/|yr| − 1/(2β))², TRL's per-token-averaged IPO.</item>
/// </list>
/// With λ = <c>dpopLambda</c> &gt; 0 the sigmoid losses become DPO-Positive (DPOP, Pal et al. 2024, "Smaug"): the margin
/// inside σ loses λ·max(0, −ρc − t) (normalised: divided by |yc|), so the loss rises as soon as the chosen reply becomes
/// less likely than under the reference (t = 1e-4·(1 + |refc|) only keeps FP32 rounding from switching the penalty on).
/// Plain DPO can widen the margin by lowering both replies, which on pairs a few tokens apart (math answers) lowers the
/// chosen one too; the penalty forbids that.
/// Rewards are β·ρ (unnormalised, for every loss), as TRL logs them.
/// </summary>
public static class DpoLoss
{
    /// <summary>Loss of one pair and its gradient; the caller scales by 1/(pairs in the global batch).</summary>
    public static PairLoss Pair(in PairLogps p, DpoLossKind kind, double beta, double labelSmoothing, double dpopLambda = 0)
    {
        double rc = p.PolicyChosen - p.RefChosen, rr = p.PolicyRejected - p.RefRejected;
        double nc = Math.Max(1, p.ChosenTokens), nr = Math.Max(1, p.RejectedTokens);
        // DPOP's hinge λ·max(0, −ρc − tol): active once the chosen reply is less likely than under the reference. The
        // tolerance keeps it off while the gap is FP32 rounding (the reference pass and the training pass differ by ~1e-7
        // relative), above all at the first step, where the policy is the reference and ρc is zero up to that noise.
        double hinge = dpopLambda > 0 ? Math.Max(0, -rc - DpopTolerance * (1 + Math.Abs(p.RefChosen))) : 0;
        double dHinge = hinge > 0 ? dpopLambda : 0;   // d(λ·hinge)/d(−ρc)
        double loss, dc, dr;
        switch (kind)
        {
            case DpoLossKind.Sigmoid:
            {
                double z = beta * (rc - rr - dpopLambda * hinge);
                loss = -(1 - labelSmoothing) * LogSigmoid(z) - labelSmoothing * LogSigmoid(-z);
                double dz = -(1 - labelSmoothing) * Sigmoid(-z) + labelSmoothing * Sigmoid(z);
                dc = beta * (1 + dHinge) * dz; dr = -beta * dz;
                break;
            }
            case DpoLossKind.SigmoidNorm:
            {
                double z = beta * ((rc - dpopLambda * hinge) / nc - rr / nr);
                loss = -LogSigmoid(z);
                double dz = -Sigmoid(-z);
                dc = beta * (1 + dHinge) * dz / nc; dr = -beta * dz / nr;
                break;
            }
            case DpoLossKind.Ipo:
            {
                double d = rc / nc - rr / nr - 1.0 / (2.0 * beta);
                loss = d * d;
                dc = 2 * d / nc; dr = -2 * d / nr;
                break;
            }
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
        return new PairLoss(loss, dc, dr, beta * rc, beta * rr);
    }

    /// <summary>How far below the reference (relative to 1 + |log π_ref(chosen)|) a chosen reply must fall before DPOP's penalty starts.</summary>
    public const double DpopTolerance = 1e-4;

    /// <summary>log σ(x) without overflow.</summary>
    public static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));

    /// <summary>σ(x) without overflow.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>Option spelling of a loss (as TRL names it).</summary>
    public static string Name(DpoLossKind k) => k switch { DpoLossKind.SigmoidNorm => "sigmoid_norm", DpoLossKind.Ipo => "ipo", _ => "sigmoid" };

    /// <summary>Parses TRL's loss name.</summary>
    public static DpoLossKind Parse(string s) => s switch
    {
        "sigmoid" => DpoLossKind.Sigmoid, "sigmoid_norm" => DpoLossKind.SigmoidNorm, "ipo" => DpoLossKind.Ipo,
        _ => throw new FuseChat.Core.UserError($"--loss: unsupported value \"{s}\" (supported: sigmoid, sigmoid_norm, ipo)"),
    };
}
