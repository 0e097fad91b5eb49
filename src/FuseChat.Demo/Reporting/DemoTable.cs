namespace FuseChat.Demo.Reporting;

/// <summary>One model's row: held-out accuracy (percent) per skill and over all skills.</summary>
public sealed record DemoRow(string Model, string Role, IReadOnlyDictionary<string, double?> PerSkill, double? Overall);

/// <summary>
/// The demo's results table and the questions issue #8 asks of it: does the DPO target score at least as well as the best
/// single source on the union of skills, and better than the SFT and the base target?
/// </summary>
public sealed record DemoTable(IReadOnlyList<string> Skills, IReadOnlyList<DemoRow> Rows)
{
    /// <summary>A warning printed above the checks (e.g. that a smoke plan's checks are not expected to hold); null for none.</summary>
    public string? Caveat { get; init; }

    public DemoRow? Row(string model) => Rows.FirstOrDefault(r => r.Model == model);

    /// <summary>The source with the highest overall score (the first on ties).</summary>
    public DemoRow? BestSource => Rows.Where(r => r.Role == "source").OrderByDescending(r => r.Overall ?? -1).FirstOrDefault();

    /// <summary>Whether the DPO target scores above the SFT target; null when either row is missing.</summary>
    public bool? DpoBeatsSft => Row("target-dpo") is { } dpo && Row("target-sft") is { } sft ? (dpo.Overall ?? 0) > (sft.Overall ?? 0) : null;

    /// <summary>The checks, each a sentence and whether it holds.</summary>
    public IReadOnlyList<(string Claim, bool Holds)> Checks()
    {
        var dpo = Row("target-dpo");
        var sft = Row("target-sft");
        var @base = Row("target-base");
        var best = BestSource;
        if (dpo is null || best is null) return [];
        var checks = new List<(string, bool)>
        {
            ($"DPO target ({F(dpo.Overall)}) ≥ best single source {best.Model} ({F(best.Overall)}) on all skills", (dpo.Overall ?? 0) >= (best.Overall ?? 0)),
        };
        if (sft is not null) checks.Add(($"DPO target ({F(dpo.Overall)}) > SFT target ({F(sft.Overall)})", DpoBeatsSft == true));
        if (@base is not null) checks.Add(($"DPO target ({F(dpo.Overall)}) > base target ({F(@base.Overall)})", (dpo.Overall ?? 0) > (@base.Overall ?? 0)));
        return checks;
    }

    /// <summary>A percentage with one decimal, or "n/a".</summary>
    public static string F(double? v) => v is double d ? d.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
