using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuseChat.Core;
using static FuseChat.Eval.Reporting.HtmlReportParts;

namespace FuseChat.Eval.Reporting;

/// <summary>
/// Several models side by side (e.g. sources, base target, SFT, DPO): <c>report.md</c>, <c>report.json</c>, and a
/// self-contained <c>report.html</c> with one inline-SVG bar chart per benchmark (no scripts, no network).
/// </summary>
public static class ComparisonReport
{
    public static void Write(IReadOnlyList<RunSummary> runs, string outDir)
    {
        if (runs.Count == 0) throw new UserError("--runs: give at least one run folder");
        Directory.CreateDirectory(outDir);
        var benchmarks = runs.SelectMany(r => r.Benchmarks.SelectMany(b => ReportedMetrics(b).Select(m => (b.Benchmark, m)))).Distinct().ToList();
        File.WriteAllText(Path.Combine(outDir, "report.md"), Markdown(runs, benchmarks));
        File.WriteAllText(Path.Combine(outDir, "report.json"), Json(runs, benchmarks));
        File.WriteAllText(Path.Combine(outDir, "report.html"), Html(runs, benchmarks));
    }

    static double? Value(RunSummary run, string benchmark, string metric) =>
        run.Benchmarks.FirstOrDefault(b => b.Benchmark == benchmark)?.Metrics.GetValueOrDefault(metric);

    /// <summary>The rows a benchmark contributes: its headline metric, then per-skill sub-scores (custom benchmarks),
    /// AlpacaEval's length-controlled win rate and a sampled run's pass@k (k ≥ 2), each a row of its own so differently
    /// defined numbers never share a row.</summary>
    static IEnumerable<string> ReportedMetrics(BenchmarkSummary b)
    {
        yield return b.PrimaryMetric;
        foreach (var key in b.Metrics.Keys)
            if (key != b.PrimaryMetric && (key.StartsWith("skill:", StringComparison.Ordinal) || key is "length_controlled_win_rate" or "lc_win_rate_without_difficulty"
                    || IsPassAtK(key))
                && b.Metrics[key] is not null)
                yield return key;
    }

    static bool IsPassAtK(string key) =>
        key.StartsWith("pass@", StringComparison.Ordinal) && !key.StartsWith("pass@1_", StringComparison.Ordinal) && key != "pass@1";

    static string Markdown(IReadOnlyList<RunSummary> runs, IReadOnlyList<(string Benchmark, string Metric)> benchmarks)
    {
        var sb = new StringBuilder("| benchmark | metric | " + string.Join(" | ", runs.Select(r => r.Model)) + " |\n");
        sb.Append("|---|---|" + string.Concat(runs.Select(_ => "---|")) + "\n");
        foreach (var (b, metric) in benchmarks)
            sb.Append($"| {b} | {metric} | " + string.Join(" | ", runs.Select(r => ResultFiles.Format(Value(r, b, metric)))) + " |\n");
        return sb.ToString();
    }

    static string Json(IReadOnlyList<RunSummary> runs, IReadOnlyList<(string Benchmark, string Metric)> benchmarks)
    {
        var rows = new JsonArray();
        foreach (var (b, metric) in benchmarks)
        {
            var values = new JsonObject();
            foreach (var r in runs) values[r.Model] = Value(r, b, metric);
            rows.Add(new JsonObject { ["benchmark"] = b, ["metric"] = metric, ["values"] = values });
        }
        var root = new JsonObject { ["models"] = new JsonArray(runs.Select(r => (JsonNode)r.Model).ToArray()), ["benchmarks"] = rows };
        return root.ToJsonString(new JsonSerializerOptions(JsonLines.WriteOptions) { WriteIndented = true }) + "\n";
    }

    static string Html(IReadOnlyList<RunSummary> runs, IReadOnlyList<(string Benchmark, string Metric)> benchmarks)
    {
        var sb = new StringBuilder();
        HtmlReportParts.AppendHead(sb, "FuseChat eval report", "th:nth-child(2),td:nth-child(2){text-align:left}.charts{display:flex;flex-wrap:wrap;gap:16px}");
        sb.Append("<h1>FuseChat eval report</h1>\n");
        HtmlReportParts.AppendLegend(sb, runs.Select(r => r.Model).ToList());
        sb.Append("<table><tr><th>benchmark</th><th>metric</th>");
        foreach (var r in runs) sb.Append($"<th>{Enc(r.Model)}</th>");
        sb.Append("</tr>\n");
        foreach (var (b, metric) in benchmarks)
        {
            sb.Append($"<tr><td>{Enc(b)}</td><td>{Enc(metric)}</td>");
            foreach (var r in runs) sb.Append($"<td>{ResultFiles.Format(Value(r, b, metric))}</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n<div class=\"charts\">\n");
        foreach (var (b, metric) in benchmarks) sb.Append(Chart(runs, b, metric));
        sb.Append("</div>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>A vertical bar chart of one benchmark's headline metric, one bar per model; 0-100 scale for percentages, 0-10 for judge grades.</summary>
    static string Chart(IReadOnlyList<RunSummary> runs, string benchmark, string metric)
    {
        const int W = 320, H = 220, Left = 36, Bottom = 24, Top = 28;
        var values = runs.Select(r => Value(r, benchmark, metric)).ToList();
        double max = values.All(v => v is null or <= 10) && metric is "average" or "overall" ? 10 : 100;
        double barW = (W - Left - 10.0) / Math.Max(1, runs.Count);
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{Enc(benchmark)}\">");
        sb.Append($"<text x=\"{W / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">{Enc(benchmark)} ({Enc(metric)})</text>");
        double plotH = H - Top - Bottom;
        HtmlReportParts.AppendValueGrid(sb, Left, W - 5, Top, plotH, max);
        for (int i = 0; i < runs.Count; i++)
        {
            double x = Left + i * barW + barW * 0.15;
            if (values[i] is not double v || !double.IsFinite(v))
            {
                sb.Append(F($"<text x=\"{x + barW * 0.35}\" y=\"{Top + plotH - 4}\" text-anchor=\"middle\" font-size=\"10\">n/a</text>"));
                continue;
            }
            double h = plotH * Math.Clamp(v / max, 0, 1);
            sb.Append(F($"<rect x=\"{x}\" y=\"{Top + plotH - h}\" width=\"{barW * 0.7}\" height=\"{h}\" fill=\"{HtmlReportParts.Colour(i)}\"><title>{Enc(runs[i].Model)}: {ResultFiles.Format(v)}</title></rect>"));
            double labelY = Top + plotH - h - 3;
            // Arena-Hard's bootstrap interval as a whisker, when the run has one.
            var metrics = runs[i].Benchmarks.First(b => b.Benchmark == benchmark).Metrics;
            if (metric == "score" && metrics.GetValueOrDefault("ci_lower") is double lo && metrics.GetValueOrDefault("ci_upper") is double hi)
            {
                double yLo = Top + plotH * (1 - Math.Clamp(lo / max, 0, 1)), yHi = Top + plotH * (1 - Math.Clamp(hi / max, 0, 1)), cx = x + barW * 0.35;
                sb.Append(F($"<path d=\"M{cx} {yLo}V{yHi}M{cx - 5} {yLo}h10M{cx - 5} {yHi}h10\" stroke=\"#222\" fill=\"none\"><title>95% CI {ResultFiles.Format(lo)}-{ResultFiles.Format(hi)}</title></path>"));
                labelY = Math.Min(labelY, yHi - 3);
            }
            sb.Append(F($"<text x=\"{x + barW * 0.35}\" y=\"{labelY}\" text-anchor=\"middle\" font-size=\"10\">{ResultFiles.Format(v)}</text>"));
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
