using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Eval.Reporting;
using static FuseChat.Eval.Reporting.HtmlReportParts;

namespace FuseChat.Demo.Reporting;

/// <summary>Writes the demo's table as Markdown (also what the CLI prints), JSON, and a self-contained HTML page with a chart (no scripts, no network).</summary>
public static class DemoReport
{
    public static string Markdown(DemoTable t)
    {
        var sb = new StringBuilder("| model | " + string.Join(" | ", t.Skills) + " | overall |\n|---|" + string.Concat(t.Skills.Select(_ => "---:|")) + "---:|\n");
        foreach (var r in t.Rows)
            sb.Append($"| {r.Model} | " + string.Join(" | ", t.Skills.Select(s => DemoTable.F(r.PerSkill.GetValueOrDefault(s)))) + $" | {DemoTable.F(r.Overall)} |\n");
        sb.Append('\n');
        if (t.Caveat is { } caveat) sb.Append($"Note: {caveat}\n\n");
        foreach (var (claim, holds) in t.Checks()) sb.Append($"- {(holds ? "yes" : "NO")}: {claim}\n");
        return sb.ToString();
    }

    public static void Write(DemoTable t, string dir, string title, IEnumerable<string> notes)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "demo.md"), $"# {title}\n\nHeld-out accuracy (%) per skill.\n\n" + Markdown(t));
        var json = new JsonObject
        {
            ["skills"] = new JsonArray(t.Skills.Select(s => (JsonNode)s).ToArray()),
            ["rows"] = new JsonArray(t.Rows.Select(r => (JsonNode)new JsonObject
            {
                ["model"] = r.Model, ["role"] = r.Role, ["overall"] = r.Overall,
                ["per_skill"] = new JsonObject(r.PerSkill.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            }).ToArray()),
            ["caveat"] = t.Caveat,
            ["checks"] = new JsonArray(t.Checks().Select(c => (JsonNode)new JsonObject { ["claim"] = c.Claim, ["holds"] = c.Holds }).ToArray()),
        };
        File.WriteAllText(Path.Combine(dir, "demo.json"), json.ToJsonString(new JsonSerializerOptions(JsonLines.WriteOptions) { WriteIndented = true }) + "\n");
        File.WriteAllText(Path.Combine(dir, "demo.html"), Html(t, title, notes));
    }

    static string Html(DemoTable t, string title, IEnumerable<string> notes)
    {
        var sb = new StringBuilder();
        HtmlReportParts.AppendHead(sb, title, "body{max-width:1000px}.yes{color:#2a7d2a}.no{color:#b22}");
        sb.Append($"<h1>{Enc(title)}</h1>\n<p>Held-out accuracy (%) per skill: each source, the base target, the target after SFT on the fused data, and after DPO.</p>\n");
        sb.Append("<table><tr><th>model</th>");
        foreach (var s in t.Skills) sb.Append($"<th>{Enc(s)}</th>");
        sb.Append("<th>overall</th></tr>\n");
        foreach (var r in t.Rows)
        {
            sb.Append($"<tr><td>{Enc(r.Model)}</td>");
            foreach (var s in t.Skills) sb.Append($"<td>{DemoTable.F(r.PerSkill.GetValueOrDefault(s))}</td>");
            sb.Append($"<td><b>{DemoTable.F(r.Overall)}</b></td></tr>\n");
        }
        sb.Append("</table>\n");
        if (t.Caveat is { } caveat) sb.Append($"<p><b>Note:</b> {Enc(caveat)}</p>\n");
        sb.Append("<ul>");
        foreach (var (claim, holds) in t.Checks()) sb.Append($"<li class=\"{(holds ? "yes" : "no")}\">{(holds ? "yes" : "no")}: {Enc(claim)}</li>");
        sb.Append("</ul>\n");
        HtmlReportParts.AppendLegend(sb, t.Rows.Select(r => r.Model).ToList());
        sb.Append(Chart(t)).Append("\n<h2>How this was made</h2>\n<ul>");
        foreach (var n in notes) sb.Append($"<li>{Enc(n)}</li>");
        sb.Append("</ul>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>Grouped bars: one group per skill and one for the overall score, one bar per model, 0-100 %.</summary>
    static string Chart(DemoTable t)
    {
        var groups = t.Skills.Append("overall").ToList();
        int models = t.Rows.Count;
        const int H = 260, Top = 20, Bottom = 30, Left = 40, GroupGap = 24, Bar = 14;
        int groupW = models * Bar + GroupGap, W = Left + groups.Count * groupW + 10;
        double plotH = H - Top - Bottom;
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"held-out accuracy per skill\">");
        HtmlReportParts.AppendValueGrid(sb, Left, W - 5, Top, plotH, 100);
        for (int g = 0; g < groups.Count; g++)
        {
            double x0 = Left + g * groupW + GroupGap / 2.0;
            sb.Append(F($"<text x=\"{x0 + models * Bar / 2.0}\" y=\"{H - 10}\" text-anchor=\"middle\" font-size=\"12\">{Enc(groups[g])}</text>"));
            for (int m = 0; m < models; m++)
            {
                var row = t.Rows[m];
                double? v = groups[g] == "overall" ? row.Overall : row.PerSkill.GetValueOrDefault(groups[g]);
                double h = plotH * Math.Clamp((v ?? 0) / 100.0, 0, 1);
                sb.Append(F($"<rect x=\"{x0 + m * Bar}\" y=\"{Top + plotH - h}\" width=\"{Bar - 2}\" height=\"{h}\" fill=\"{HtmlReportParts.Colour(m)}\"><title>{Enc(row.Model)} {Enc(groups[g])}: {DemoTable.F(v)}</title></rect>"));
            }
        }
        return sb.Append("</svg>").ToString();
    }
}
