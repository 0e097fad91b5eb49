using FuseChat.Demo.Planning;
using FuseChat.Demo.Running;

namespace FuseChat.Demo.Tests;

/// <summary>
/// Every stage end to end on the smoke plan (a few training steps, a handful of prompts): real tokenizer, trainer, servers on
/// loopback, pipeline, sandbox, DPO and eval. The numbers mean nothing at this size; the test checks that each stage
/// produces what the next one reads, that a rerun takes the sources from the cache, and that the same seed gives the same files.
/// </summary>
public class SmokeRunTests
{
    [Fact]
    public async Task The_smoke_plan_runs_every_stage_deterministically_and_a_rerun_uses_the_cached_sources()
    {
        var root = Path.Combine(Path.GetTempPath(), "fusechat-demo-smoke-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new DemoOptions { OutDir = Path.Combine(root, "out"), CacheDir = Path.Combine(root, "cache"), Seed = 3, CustomPlan = DemoPlan.Smoke };
            var log = new StringWriter();
            DemoContext ctx;
            try { ctx = await DemoRunner.RunAsync(options, new LineDemoProgress(log)); }
            catch (Exception e) { throw new Exception("demo failed; its log:\n" + log, e); }
            var text = log.ToString();

            var table = ctx.Table!;
            Assert.Equal(["src-llama", "src-qwen", "src-gemma", "target-base", "target-sft", "target-dpo"], table.Rows.Select(r => r.Model));
            Assert.All(table.Rows, r => Assert.NotNull(r.Overall));
            Assert.Equal(3, table.Checks().Count);
            foreach (var f in new[] { "run/run.yaml", "run/store.db", "run/out/sft.jsonl", "models/target-dpo/model.safetensors", "report/demo.html", "report/report.html" })
                Assert.True(File.Exists(Path.Combine(options.OutDir, f)), f + " is missing\n" + text);
            Assert.Contains("0 from the cache", text);
            // A smaller plan's table says that its checks prove nothing.
            Assert.NotNull(table.Caveat);
            Assert.Contains("Note: plan 'smoke' is a smoke run", File.ReadAllText(Path.Combine(options.OutDir, "report/demo.md")));

            // Same seed, a fresh output folder (sharing the source cache): the same data, samples, pairs, trained targets and answers.
            var second = options with { OutDir = Path.Combine(root, "out2") };
            var again = new StringWriter();
            await DemoRunner.RunAsync(second, new LineDemoProgress(again));
            Assert.Contains("3 from the cache", again.ToString());
            foreach (var f in new[] { "run/out/sft.jsonl", "run/out/dpo.jsonl", "data/heldout.jsonl", "report/demo.md" }
                .Concat(table.Rows.Select(r => $"eval/{r.Model}/items/demo.jsonl")))
                Assert.True(File.ReadAllText(Path.Combine(options.OutDir, f)) == File.ReadAllText(Path.Combine(second.OutDir, f)), f + " differs between two runs with the same seed");
        }
        finally { if (Directory.Exists(root)) Directory.Delete(root, true); }
    }
}
