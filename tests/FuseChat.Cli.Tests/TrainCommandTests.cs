using System.Text.Json.Nodes;

namespace FuseChat.Cli.Tests;

/// <summary>
/// `fusechat train sft|dpo` and `merge-lora` as a user runs them: a tiny real checkpoint and pre-tokenized rows (the
/// trainer's PyTorch-parity fixtures), then the written model is read back by another command (`logprobs`).
/// </summary>
public class TrainCommandTests
{
    static string Parity(params string[] parts) => RepoPaths.File(Path.Combine(["tests", "FuseChat.Training.Tests", "Fixtures", "parity", .. parts]));

    static List<JsonObject> Metrics(string outDir) =>
        File.ReadLines(Path.Combine(outDir, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [Fact]
    public void Sft_then_dpo_write_metrics_and_models_the_engine_loads()
    {
        using var tmp = new TempDir();
        string sft = Path.Combine(tmp.Path, "sft"), dpo = Path.Combine(tmp.Path, "dpo");
        var r = CliRunner.Run("train", "sft", "--model", Parity("llama"), "--data", Parity("sft.jsonl"), "--out", sft,
            "--batch-size", "4", "--micro-batch-size", "2", "--max-length", "32", "--max-steps", "2", "--lr", "1e-3", "--save-steps", "1");
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        var m = Metrics(sft);
        Assert.Equal([1, 2], m.Select(x => (int)x["step"]!));
        Assert.All(m, x => Assert.True(double.IsFinite((double)x["loss"]!) && (double)x["grad_norm"]! > 0));
        Assert.True(Directory.Exists(Path.Combine(sft, "checkpoint-1")));

        r = CliRunner.Run("train", "dpo", "--model", sft, "--data", Parity("dpo.jsonl"), "--out", dpo, "--loss", "sigmoid_norm",
            "--beta", "10", "--batch-size", "4", "--max-length", "32", "--max-steps", "1", "--lr", "1e-3");
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        var d = Assert.Single(Metrics(dpo));
        foreach (var key in new[] { "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected" })
            Assert.True(d.ContainsKey(key), key);

        // The final folder is a model the inference path loads: score one row with it.
        string rows = Path.Combine(tmp.Path, "rows.jsonl"), scored = Path.Combine(tmp.Path, "scored.jsonl");
        File.WriteAllText(rows, "{\"prompt_ids\":[5,6],\"response_ids\":[7,8,9]}\n");
        r = CliRunner.Run("logprobs", "--model", dpo, "--in", rows, "--out", scored);
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        var row = JsonNode.Parse(File.ReadLines(scored).Single())!;
        Assert.Equal(3, (int)row["tokens"]!);
        Assert.True((double)row["logp"]! < 0);
    }

    [Fact]
    public void Lora_adapter_merges_into_a_loadable_model()
    {
        using var tmp = new TempDir();
        string run = Path.Combine(tmp.Path, "run"), merged = Path.Combine(tmp.Path, "merged");
        var r = CliRunner.Run("train", "sft", "--model", Parity("llama"), "--data", Parity("sft.jsonl"), "--out", run,
            "--batch-size", "2", "--max-length", "32", "--max-steps", "1", "--lr", "1e-2", "--lora-r", "4", "--lora-target-modules", "q_proj,v_proj,down_proj");
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        string adapter = Path.Combine(run, "adapter");
        Assert.True(File.Exists(Path.Combine(adapter, "adapter_config.json")), "no PEFT adapter_config.json in " + adapter);
        r = CliRunner.Run("merge-lora", "--model", Parity("llama"), "--adapter", adapter, "--out", merged);
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        Assert.True(File.Exists(Path.Combine(merged, "config.json")));
    }

    [Fact]
    public void Missing_data_file_is_one_line_naming_it()
    {
        using var tmp = new TempDir();
        var missing = Path.Combine(tmp.Path, "nope.jsonl");
        var r = CliRunner.Run("train", "sft", "--model", Parity("llama"), "--data", missing, "--out", Path.Combine(tmp.Path, "o"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nope.jsonl", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void Dpop_with_ipo_is_refused_before_any_training()
    {
        using var tmp = new TempDir();
        var r = CliRunner.Run("train", "dpo", "--model", Parity("llama"), "--data", Parity("dpo.jsonl"), "--out", Path.Combine(tmp.Path, "o"),
            "--loss", "ipo", "--dpop-lambda", "50", "--batch-size", "4", "--max-length", "32", "--max-steps", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--dpop-lambda", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "o", "metrics.jsonl")));
    }
}
