using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FuseChat.Engine.Checkpoints;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Grading;
using FuseChat.Eval.Reporting;
using FuseChat.Eval.Running;
using FuseChat.Eval.Store;
using FuseChat.Eval.Tests.Support;
using FuseChat.Server;

namespace FuseChat.Eval.Tests;

/// <summary>
/// The <c>fusechat eval --model DIR</c> path: a tiny random checkpoint (real Qwen3 tokenizer and chat template) served
/// in-process by the real server on a free loopback port and evaluated over HTTP like any endpoint. Quality is
/// irrelevant (the model is random); the run must complete and write its result files.
/// </summary>
public class LocalModelEvalTests
{
    static string TinyModel()
    {
        var root = Environment.GetEnvironmentVariable("FUSECHAT_TEST_ASSETS") is { Length: > 0 } env
            ? env : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "fusechat", "test-assets");
        var tokenizer = Path.Combine(root, "qwen3");
        if (!File.Exists(Path.Combine(tokenizer, ".complete")))
            throw new InvalidOperationException($"Test asset 'qwen3' is missing at {tokenizer}: run `bash tools/fetch-test-assets.sh`.");
        var dir = Path.Combine(TestData.TempDir(), "tiny-eval");
        var shape = new ModelShape("qwen2", Hidden: 32, Layers: 1, Heads: 2, KvHeads: 1, Intermediate: 64,
            VocabSize: ModelInitializer.VocabSizeFromTokenizer(tokenizer), MaxPositions: 256, TieWordEmbeddings: true);
        ModelInitializer.CreateFolder(shape, 11, dir, tokenizer, TensorDType.F32);
        return dir;
    }

    [Fact]
    public async Task A_local_model_served_in_process_is_evaluated_over_http_into_result_files()
    {
        var work = TestData.TempDir();
        var skills = Path.Combine(work, "skills.jsonl");
        File.WriteAllLines(skills,
        [
            """{"id": "a", "skill": "addition", "prompt": "What is 2 + 3?", "answer": "5"}""",
            """{"id": "b", "skill": "addition", "system": "Answer in \\boxed{}.", "prompt": "What is 10 + 7?", "answer": "17"}""",
            """{"id": "c", "skill": "python", "prompt": "Write inc(x).", "entry_point": "inc", "tests": ["assert inc(1) == 2"]}""",
        ]);

        await using var server = await ModelServer.StartAsync(new ServeOptions { ModelDir = TinyModel(), Port = 0, ServedModelName = "tiny" });
        var v1 = new Uri(server.BaseUrl, "v1").ToString();
        using var client = new OpenAiChatClient(v1, "tiny");
        using var store = new EvalStore(Path.Combine(work, "eval.sqlite"));
        var runner = new EvalRunner(new EvalOptions { ModelName = "tiny", MaxTokens = 12, Concurrency = 3 }, client, store, new VerifierMathGrader(), new VerifierCodeGrader());
        var run = await runner.RunAsync([new CustomBenchmark("skills", skills)], "");
        var outDir = Path.Combine(work, "out");
        ResultFiles.Write(run, outDir);

        var summary = ResultFiles.Read(outDir);
        Assert.Equal("tiny", summary.Model);
        var bench = Assert.Single(summary.Benchmarks);
        Assert.Equal(("skills", "accuracy"), (bench.Benchmark, bench.PrimaryMetric));
        Assert.InRange(bench.Primary!.Value, 0, 100);
        Assert.True(bench.Metrics.ContainsKey("skill:addition") && bench.Metrics.ContainsKey("skill:python"));
        var items = File.ReadAllLines(Path.Combine(outDir, "items", "skills.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["a", "b", "c"], items.Select(i => i["id"]!.GetValue<string>()));

        // What was scored is what a user of the server gets: the same greedy request sent by hand returns the same text.
        using var http = new HttpClient();
        var direct = await http.PostAsJsonAsync(v1 + "/chat/completions", new JsonObject
        {
            ["model"] = "tiny", ["temperature"] = 0, ["max_tokens"] = 12,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "What is 2 + 3?" }),
        });
        direct.EnsureSuccessStatusCode();
        var text = JsonNode.Parse(await direct.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.Equal(text, items[0]["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sampled_answers_from_the_real_server_are_the_same_on_a_rerun_and_differ_between_samples()
    {
        var work = TestData.TempDir();
        var skills = Path.Combine(work, "skills.jsonl");
        File.WriteAllLines(skills, ["""{"id": "a", "prompt": "What is 2 + 3?", "answer": "5"}""", """{"id": "b", "prompt": "What is 1 + 1?", "answer": "2"}"""]);
        await using var server = await ModelServer.StartAsync(new ServeOptions { ModelDir = TinyModel(), Port = 0, ServedModelName = "tiny" });
        using var client = new OpenAiChatClient(new Uri(server.BaseUrl, "v1").ToString(), "tiny");
        async Task<List<string>> Run(string storeName)
        {
            using var store = new EvalStore(Path.Combine(work, storeName));
            // Four requests at a time, so steps mix one request's decoding with others' prompts (past 32 rows): the server's
            // batch-invariant steps give every row the same bits whatever shares its step. Before they existed, one sample
            // in six of a random model drifted on a rerun at this concurrency.
            var options = new EvalOptions { ModelName = "tiny", MaxTokens = 12, Concurrency = 4, Temperature = 1.0, Samples = 3 };
            var run = await new EvalRunner(options, client, store, new VerifierMathGrader(), new VerifierCodeGrader()).RunAsync([new CustomBenchmark("skills", skills)], "");
            var result = Assert.Single(run.Results);
            Assert.Equal(6, result.Items);
            Assert.Equal(3.0, result.Metrics["samples"]);
            return result.ItemRows.Select(r => r["response"]!.GetValue<string>()).ToList();
        }
        var first = await Run("one.sqlite");
        Assert.Equal(first, await Run("two.sqlite"));   // a fresh store: every answer generated again, from the same seeds
        Assert.True(first.Take(3).Distinct().Count() > 1, "three samples at temperature 1 from a random model should not all be the same: " + string.Join(" | ", first));
    }
}
