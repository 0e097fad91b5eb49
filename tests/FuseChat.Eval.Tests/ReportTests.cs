using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Reporting;
using FuseChat.Eval.Running;
using FuseChat.Eval.Tests.Support;

namespace FuseChat.Eval.Tests;

public class ReportTests
{
    static EvalRun Run(string model, double gsm, double? mt) => new(model, "judge", [
        new BenchmarkResult("gsm8k", BenchmarkKind.Math, 2, "accuracy", new Dictionary<string, double?> { ["accuracy"] = gsm, ["correct"] = 1 },
            [new JsonObject { ["id"] = "0", ["correct"] = true }, new JsonObject { ["id"] = "1", ["correct"] = false }]),
        new BenchmarkResult("mt-bench", BenchmarkKind.Judged, 80, "average", new Dictionary<string, double?> { ["average"] = mt, ["turn1"] = 8 }, []),
        new BenchmarkResult("arena-hard", BenchmarkKind.Judged, 500, "score", new Dictionary<string, double?> { ["score"] = 40, ["ci_lower"] = 37.5, ["ci_upper"] = 43 }, []),
    ]);

    [Fact]
    public void Results_round_trip_and_runs_compare_side_by_side_in_markdown_json_and_html()
    {
        var root = TestData.TempDir();
        ResultFiles.Write(Run("base", 50, 6.5), Path.Combine(root, "a"));
        ResultFiles.Write(Run("dpo <new>", 75, null), Path.Combine(root, "b"));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(root, "a", "items", "gsm8k.jsonl")).Length);
        Assert.Contains("| gsm8k | 2 | accuracy | 50 |", File.ReadAllText(Path.Combine(root, "a", "results.md")));

        var runs = new[] { ResultFiles.Read(Path.Combine(root, "a")), ResultFiles.Read(Path.Combine(root, "b")) };
        Assert.Equal(6.5, runs[0].Benchmarks[1].Primary);
        Assert.Null(runs[1].Benchmarks[1].Primary);
        var outDir = Path.Combine(root, "report");
        ComparisonReport.Write(runs, outDir);

        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| benchmark | metric | base | dpo <new> |", md);
        Assert.Contains("| gsm8k | accuracy | 50 | 75 |", md);
        Assert.Contains("| mt-bench | average | 6.5 | n/a |", md);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        Assert.Equal(75, json["benchmarks"]![0]!["values"]!["dpo <new>"]!.GetValue<double>());

        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Equal(3, html.Split("<svg").Length - 1);
        Assert.Equal(2, html.Split("95% CI 37.5-43").Length - 1);   // Arena-Hard's interval drawn for both runs
        Assert.Contains("dpo &lt;new&gt;", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("https://", html);
    }

    /// <summary>Four models as the demo compares them: a custom skill benchmark with sub-scores, AlpacaEval with a two-term LC, Arena-Hard with its interval.</summary>
    static string WriteDemoLikeReport()
    {
        var root = TestData.TempDir();
        var models = new[] { ("source-llama", 61.0, 40.0, 90.0), ("target-base", 12.5, 5.0, 20.0), ("target-sft", 55.0, 35.0, 75.0), ("target-dpo", 63.5, 45.0, 80.0) };
        var dirs = new List<string>();
        foreach (var (name, acc, add, code) in models)
        {
            var run = new EvalRun(name, "judge", [
                new BenchmarkResult("skills", BenchmarkKind.Verifiable, 40, "accuracy",
                    new Dictionary<string, double?> { ["accuracy"] = acc, ["skill:addition"] = add, ["skill:python"] = code, ["math_accuracy"] = add, ["code_pass@1"] = code }, []),
                new BenchmarkResult("alpacaeval2", BenchmarkKind.Judged, 805, "win_rate",
                    new Dictionary<string, double?> { ["win_rate"] = acc / 2, ["length_controlled_win_rate"] = null, ["lc_win_rate_without_difficulty"] = acc / 2.5 }, []),
                new BenchmarkResult("arena-hard", BenchmarkKind.Judged, 500, "score", new Dictionary<string, double?> { ["score"] = acc / 3, ["ci_lower"] = acc / 3 - 2, ["ci_upper"] = acc / 3 + 2.5 }, []),
            ]);
            var dir = Path.Combine(root, name);
            ResultFiles.Write(run, dir);
            dirs.Add(dir);
        }
        var outDir = Path.Combine(root, "report");
        ComparisonReport.Write(dirs.Select(ResultFiles.Read).ToList(), outDir);
        return outDir;
    }

    [Fact]
    public void Skill_sub_scores_and_the_lc_win_rate_get_rows_and_charts_of_their_own()
    {
        var outDir = WriteDemoLikeReport();
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| skills | accuracy | 61 | 12.5 | 55 | 63.5 |", md);
        Assert.Contains("| skills | skill:addition | 40 | 5 | 35 | 45 |", md);
        Assert.Contains("| skills | skill:python | 90 | 20 | 75 | 80 |", md);
        Assert.Contains("| alpacaeval2 | lc_win_rate_without_difficulty | 24.4 | 5 | 22 | 25.4 |", md);
        Assert.DoesNotContain("| alpacaeval2 | length_controlled_win_rate |", md);   // never computed, so no row
        Assert.DoesNotContain("math_accuracy", md);
        Assert.Contains("without** AlpacaEval's instruction-difficulty term", File.ReadAllText(Path.Combine(Path.GetDirectoryName(outDir)!, "target-dpo", "results.md")));

        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Equal(6, html.Split("<svg").Length - 1);                 // one chart per row
        Assert.Equal(4, html.Split("<title>95% CI").Length - 1);        // only Arena-Hard's score row has whiskers
        Assert.Equal(4 * 6, html.Split("<rect ").Length - 1);           // a bar per model per chart
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("url(", html);
        Assert.DoesNotContain("http://", html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", ""));
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void A_sampled_runs_pass_at_k_gets_a_row_and_pass_at_1_variants_do_not()
    {
        var root = TestData.TempDir();
        var dirs = new List<string>();
        foreach (var (name, acc, passK) in new[] { ("sft", 80.0, 95.0), ("dpo", 82.0, 94.0) })
        {
            var run = new EvalRun(name, null, [new BenchmarkResult("humaneval", BenchmarkKind.Code, 164 * 4, "pass@1_base",
                new Dictionary<string, double?> { ["pass@1_base"] = acc, ["pass@1_plus"] = null, ["samples"] = 4, ["temperature"] = 0.8, ["pass@4_base"] = passK }, [])]);
            var dir = Path.Combine(root, name);
            ResultFiles.Write(run, dir);
            dirs.Add(dir);
        }
        var outDir = Path.Combine(root, "report");
        ComparisonReport.Write(dirs.Select(ResultFiles.Read).ToList(), outDir);
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| humaneval | pass@1_base | 80 | 82 |", md);
        Assert.Contains("| humaneval | pass@4_base | 95 | 94 |", md);
        Assert.DoesNotContain("| humaneval | samples |", md);
    }

    /// <summary>
    /// Renders report.html in headless Chromium (Debian's chromium; skipped where it is not installed, as in CI) with the
    /// network cut off, and checks the browser built the table and every chart and painted a real screenshot.
    /// FUSECHAT_EVAL_SCREENSHOT=FILE keeps the PNG to look at.
    /// </summary>
    [ChromiumFact]
    public void The_html_report_renders_offline_in_headless_chromium()
    {
        var outDir = WriteDemoLikeReport();
        var html = Path.Combine(outDir, "report.html");
        var png = Path.Combine(outDir, "report.png");
        var dom = Chromium.Run($"--dump-dom file://{html}");
        Assert.Equal(6, dom.Split("<svg").Length - 1);
        Assert.Contains("<td>target-dpo</td>", dom.Replace("<th>", "<td>").Replace("</th>", "</td>"));
        Chromium.Run($"--window-size=1100,900 --screenshot={png} file://{html}");
        var bytes = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.True(bytes.Length > 20_000, $"screenshot is only {bytes.Length} bytes: blank page?");
        if (Environment.GetEnvironmentVariable("FUSECHAT_EVAL_SCREENSHOT") is { Length: > 0 } keep) File.Copy(png, keep, overwrite: true);
    }

    [Fact]
    public void A_folder_without_results_is_a_user_error_naming_the_file()
    {
        var dir = TestData.TempDir();
        var e = Assert.Throws<UserError>(() => ResultFiles.Read(dir));
        Assert.Contains("results.json", e.Message);
    }
}
