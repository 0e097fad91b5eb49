using FuseChat.Core;
using FuseChat.Pipeline.Running;
using FuseChat.Pipeline.Store;
using FuseChat.Pipeline.Tests.Loopback;
using Microsoft.Data.Sqlite;

namespace FuseChat.Pipeline.Tests.Store;

public class RunStoreTests
{
    static StoredResponse Response(string status, string? text) => new("p", "s", 0, status, text, "stop", "m", "{}", 1, "http://x", 1,
        status == "ok" ? null : "boom", 1, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task ACompletedResponseIsNeverReplacedAndAFailedOneIsRetried()
    {
        using var t = new TempFolder();
        using var store = RunStore.Open(t.File("store.db"));
        await using (var w = new StoreWriter(store))
        {
            await w.WriteAsync(Response("failed", null));
            await w.WriteAsync(Response("ok", "first"));
            await w.WriteAsync(Response("ok", "second")); // a duplicate completion (e.g. replayed work) changes nothing
            await w.FlushAsync();
        }
        var rows = store.Query("SELECT status, text, attempts FROM responses");
        Assert.Equal("ok", (string)Assert.Single(rows)[0]!);
        Assert.Equal("first", (string)rows[0][1]!);
        Assert.Equal(2L, rows[0][2]); // the failed attempt is counted in the provenance
        Assert.Equal("wal", store.Query("PRAGMA journal_mode")[0][0]);
    }

    [Fact]
    public void AVersion1StoreIsUpgradedInPlace()
    {
        using var t = new TempFolder();
        var path = t.File("store.db");
        // A store as version 1 made it: prompts without the reference column.
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO meta(key, value) VALUES('schema_version', '1');
                CREATE TABLE prompts(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, set_name TEXT NOT NULL, category TEXT NOT NULL,
                    line INTEGER NOT NULL, messages TEXT NOT NULL, gold TEXT, tests TEXT);
                INSERT INTO prompts(id, set_name, category, line, messages, gold, tests)
                    VALUES('p1', 's', 'math', 3, '[{"role":"user","content":"1+1?"}]', '2', NULL);
                """;
            cmd.ExecuteNonQuery();
        }
        for (int open = 0; open < 2; open++) // the second open finds version 2 and changes nothing
        {
            using var store = RunStore.Open(path);
            Assert.Equal("2", store.GetMeta("schema_version"));
            Assert.Contains(store.Query("PRAGMA table_info(prompts)"), col => (string)col[1]! == "reference");
            var p = Assert.Single(store.ReadPrompts(null, 0, 10)).Prompt;
            Assert.Equal(("p1", "2", "1+1?"), (p.Id, p.Gold, p.Messages[0].Content));
            Assert.Null(p.Reference);
        }
    }

    [Fact]
    public void AStoreOfAnUnknownVersionIsRefused()
    {
        using var t = new TempFolder();
        using (var store = RunStore.Open(t.File("store.db"))) store.SetMeta("schema_version", "3");
        var e = Assert.Throws<UserError>(() => RunStore.Open(t.File("store.db")));
        Assert.EndsWith("store schema version 3, this fusechat reads version 2", e.Message);
    }

    [Fact]
    public async Task IngestionKeepsEachPromptsReference()
    {
        using var t = new TempFolder();
        File.WriteAllText(t.File("p.jsonl"), """
            {"prompt": "Capital of France?", "reference": "Paris"}
            {"turns": ["List 4 numbers after 5701.", "And before?"], "reference": ["5702, 5703, 5704, 5705.", "5700, 5699."]}
            {"prompt": "No reference here."}
            {"prompt": "Bad one.", "reference": 7}

            """);
        File.WriteAllText(t.File("run.yaml"), """
            prompt_sets: [{name: p, path: p.jsonl, category: chinese}]
            sources: [{name: a, model: m, base_urls: ["http://127.0.0.1:9/v1"]}]

            """);
        using var run = RunContext.Open(t.File("run.yaml"));
        var summary = Assert.Single(await IngestStage.RunAsync(run, new LineProgress(TextWriter.Null), CancellationToken.None));
        Assert.Equal((3L, 1L), (summary.Prompts, summary.Bad));
        Assert.Contains("field 'reference' must be a string or a list of strings", (string)Assert.Single(run.Store.Query("SELECT detail FROM ingest_issues"))[0]!);
        var prompts = run.Store.ReadPrompts(null, 0, 10).Select(s => s.Prompt).ToList();
        Assert.Equal(["Paris", "5702, 5703, 5704, 5705.", null], prompts.Select(p => p.Reference));
        Assert.Equal("List 4 numbers after 5701.", prompts[1].Messages[^1].Content);
    }

    [Fact]
    public async Task AChangedSourceOrPromptFileIsRefusedNotMixed()
    {
        await using var server = new LoopbackHttpServer(new ScriptedChatModel(new Dictionary<string, Knowledge>()).Handle);
        using var t = new TempFolder();
        File.WriteAllText(t.File("p.jsonl"), "{\"prompt\": \"one\"}\n{\"prompt\": \"two\"}\n{\"prompt\": \"one\"}\n");
        string Yaml(double temperature) => $$"""
            prompt_sets: [{name: p, path: p.jsonl, category: chinese}]
            sources: [{name: a, model: m, base_urls: ["{{server.BaseUrl}}/v1"], temperature: {{temperature}}, backoff_s: 0.01}]

            """;
        File.WriteAllText(t.File("run.yaml"), Yaml(0.5));
        using (var run = RunContext.Open(t.File("run.yaml")))
        {
            await PipelineRunner.SampleAsync(run, new LineProgress(TextWriter.Null), CancellationToken.None);
            Assert.Equal(2, run.Store.Count("SELECT COUNT(*) FROM responses"));
            var issue = Assert.Single(run.Store.Query("SELECT line, kind FROM ingest_issues"));
            Assert.Equal((3L, "duplicate"), ((long)issue[0]!, (string)issue[1]!));
            BuildStage.Run(run, new LineProgress(TextWriter.Null), CancellationToken.None);
            Assert.Equal(2, run.Store.Count("SELECT COUNT(*) FROM outcomes WHERE outcome = 'sft'"));
        }
        File.WriteAllText(t.File("run.yaml"), Yaml(0.9));
        using (var run = RunContext.Open(t.File("run.yaml")))
        {
            var e = await Assert.ThrowsAsync<UserError>(() => PipelineRunner.SampleAsync(run, new LineProgress(TextWriter.Null), CancellationToken.None));
            Assert.Contains("source 'a' changed", e.Message);
        }
        File.WriteAllText(t.File("run.yaml"), Yaml(0.5));
        File.AppendAllText(t.File("p.jsonl"), "{\"prompt\": \"three\"}\n");
        using (var run = RunContext.Open(t.File("run.yaml")))
        {
            var e = await Assert.ThrowsAsync<UserError>(() => PipelineRunner.SampleAsync(run, new LineProgress(TextWriter.Null), CancellationToken.None));
            Assert.Contains("changed since it was ingested", e.Message);
        }
    }

    [Fact]
    public async Task BuildRefusesWhileScoresAreMissing()
    {
        await using var server = new LoopbackHttpServer(new ScriptedChatModel(new Dictionary<string, Knowledge>()).Handle);
        await using var rm = new LoopbackHttpServer(new ScriptedRewardModel().Handle);
        using var t = new TempFolder();
        File.WriteAllText(t.File("p.jsonl"), "{\"prompt\": \"one\"}\n");
        File.WriteAllText(t.File("run.yaml"), $$"""
            prompt_sets: [{name: p, path: p.jsonl}]
            sources: [{name: a, model: m, base_urls: ["{{server.BaseUrl}}/v1"]}]
            scorers: [{name: rm, model: r, base_urls: ["{{rm.BaseUrl}}"]}]

            """);
        using var run = RunContext.Open(t.File("run.yaml"));
        var none = new LineProgress(TextWriter.Null);
        Assert.Contains("not been ingested", Assert.Throws<UserError>(() => BuildStage.Run(run, none, CancellationToken.None)).Message);
        await PipelineRunner.SampleAsync(run, none, CancellationToken.None);
        Assert.Contains("lack an RM score", Assert.Throws<UserError>(() => BuildStage.Run(run, none, CancellationToken.None)).Message);
        await PipelineRunner.ScoreAsync(run, EndToEnd.Scenario.Verifiers(), none, CancellationToken.None);
        Assert.Equal(1, BuildStage.Run(run, none, CancellationToken.None).Prompts);
    }
}
