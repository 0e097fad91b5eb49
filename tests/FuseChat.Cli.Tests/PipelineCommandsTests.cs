using System.Text.Json.Nodes;
using FuseChat.Tests.Shared;

namespace FuseChat.Cli.Tests;

/// <summary>The data-pipeline commands as a user runs them: the real fusechat process, real files, a real loopback server.</summary>
public class PipelineCommandsTests
{
    static string NewFolder() => Path.Combine(Path.GetTempPath(), "fusechat-cli-" + Guid.NewGuid().ToString("N")[..10]);

    [Fact]
    public void HelpListsTheStages()
    {
        var r = CliRunner.Run("--help");
        foreach (var c in new[] { "init-run", "sample", "score", "build", "run", "status" }) Assert.Contains(c, r.StdOut);
    }

    [Fact]
    public void InitRunWritesAConfigThatStatusReads()
    {
        var folder = NewFolder();
        try
        {
            var init = CliRunner.Run("init-run", folder);
            Assert.Equal(0, init.ExitCode);
            Assert.True(File.Exists(Path.Combine(folder, "run.yaml")));
            var status = CliRunner.Run("status", Path.Combine(folder, "run.yaml"));
            Assert.Equal(0, status.ExitCode);
            Assert.Contains("not ingested yet", status.StdOut);
            Assert.Contains("qwen-2.5-72b", status.StdOut);
            var again = CliRunner.Run("init-run", folder);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("already exists", again.StdErr);
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void ConfigMistakesAreOneLineErrorsNamingFileAndLine()
    {
        var folder = NewFolder();
        try
        {
            Assert.Equal(0, CliRunner.Run("init-run", folder).ExitCode);
            var config = Path.Combine(folder, "run.yaml");
            File.WriteAllText(config, File.ReadAllText(config).Replace("top_p: 0.8", "topp: 0.8"));
            var r = CliRunner.Run("sample", config);
            Assert.Equal(2, r.ExitCode);
            Assert.Matches(@"^error: .*run\.yaml:\d+:\d+: unknown key 'topp'", r.StdErr.Trim());
            Assert.DoesNotContain("   at ", r.StdErr);
            var build = CliRunner.Run("build", Path.Combine(folder, "missing.yaml"));
            Assert.Equal(2, build.ExitCode);
            Assert.Contains("config file not found", build.StdErr);
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public async Task RunSamplesAndBuildsAgainstALoopbackModel()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(folder);
        // Answers "答案 N" deterministically from the request's seed.
        using var server = LoopbackChatServer.Text(req => $"答案 {(long)req["seed"]! % 1000}");
        try
        {
            File.WriteAllText(Path.Combine(folder, "prompts.jsonl"), string.Join("\n", Enumerable.Range(0, 12).Select(i => $"{{\"prompt\": \"问题 {i}\"}}")) + "\n");
            File.WriteAllText(Path.Combine(folder, "run.yaml"), $$"""
                prompt_sets: [{name: zh, path: prompts.jsonl, category: chinese}]
                sources: [{name: q, model: qwen, base_urls: ["{{server.BaseUrl}}/v1"], concurrency: 4}]

                """);
            var r = await Task.Run(() => CliRunner.Run("run", Path.Combine(folder, "run.yaml")));
            Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
            Assert.Contains("12 SFT examples", r.StdOut);
            var sft = File.ReadAllLines(Path.Combine(folder, "out", "sft.jsonl"));
            Assert.Equal(12, sft.Length);
            var first = JsonNode.Parse(sft[0])!;
            Assert.Equal("问题 0", (string)first["messages"]![0]!["content"]!);
            Assert.StartsWith("答案", (string)first["messages"]![1]!["content"]!);
            var status = CliRunner.Run("status", Path.Combine(folder, "run.yaml"));
            Assert.Contains("sft", status.StdOut);
            // A second run finds everything done and sends nothing.
            long before = server.Requests;
            Assert.Equal(0, CliRunner.Run("run", Path.Combine(folder, "run.yaml")).ExitCode);
            Assert.Equal(before, server.Requests);
        }
        finally { Directory.Delete(folder, true); }
    }
}
