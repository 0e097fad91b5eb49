using System.Globalization;
using System.Net;
using System.Text;

namespace FuseChat.Eval.Reporting;

/// <summary>
/// The pieces every self-contained HTML report of the project shares (the eval's comparison report and the demo's page):
/// page head and style, the model colour legend, and a bar chart's value grid. No scripts and no network, so a report
/// opens the same offline, in a browser or in CI's headless check.
/// </summary>
public static class HtmlReportParts
{
    /// <summary>One colour per model, in row order (cycled past eight models).</summary>
    public static IReadOnlyList<string> Palette { get; } = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"];

    public static string Colour(int index) => Palette[index % Palette.Count];

    /// <summary>Doctype, title and the shared style (tables, legend swatches); <paramref name="extraCss"/> adds page-specific rules.</summary>
    public static void AppendHead(StringBuilder sb, string title, string extraCss = "") =>
        sb.Append($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Enc(title)}</title>\n<style>" +
            "body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:16px 0}" +
            "td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}" +
            ".legend span{display:inline-block;margin-right:16px}" +
            ".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}" + extraCss + "</style></head><body>\n");

    /// <summary>A row of colour swatches naming the models, in the order their bars are drawn.</summary>
    public static void AppendLegend(StringBuilder sb, IReadOnlyList<string> models)
    {
        sb.Append("<div class=\"legend\">");
        for (int i = 0; i < models.Count; i++) sb.Append($"<span><i class=\"sw\" style=\"background:{Colour(i)}\"></i>{Enc(models[i])}</span>");
        sb.Append("</div>\n");
    }

    /// <summary>Five horizontal grid lines from 0 to <paramref name="max"/>, labelled on the left of the plot area.</summary>
    public static void AppendValueGrid(StringBuilder sb, double left, double right, double top, double plotHeight, double max)
    {
        for (int k = 0; k <= 4; k++)
        {
            double y = top + plotHeight * (1 - k / 4.0);
            sb.Append(F($"<line x1=\"{left}\" x2=\"{right}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#ddd\"/><text x=\"{left - 4}\" y=\"{y + 4}\" text-anchor=\"end\" font-size=\"10\">{max * k / 4}</text>"));
        }
    }

    /// <summary>Formats numbers invariantly (SVG coordinates must use '.' whatever the machine's culture).</summary>
    public static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public static string Enc(string s) => WebUtility.HtmlEncode(s);
}
