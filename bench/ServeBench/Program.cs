using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using FuseChat.Engine.Checkpoints;
using FuseChat.Engine.Inference;
using FuseChat.Engine.Model;
using FuseChat.Server;

// Serving throughput: aggregate decode tokens/s of C concurrent streaming requests against one request alone, through
// the real HTTP server (continuous batching), on a ~110M-parameter Llama-shaped random model. The peer in the same run
// is the engine's static batch (Generator over the same C prompts, no HTTP, no scheduler): the ceiling batching can reach.
// Options: --tokens N (per request, default 64), --concurrency C (default 16), --prompt P (prompt tokens, default 32),
// --model DIR (reuse a folder), --gemm auto|managed|openblas, --no-batch-invariance (packed GEMM past 32 rows),
// --temperature T and --top-p P (sampled instead of greedy; each request seeded, so runs draw the same tokens).
var opts = Args.Parse(args);
int tokens = opts.Int("--tokens", 64), conc = opts.Int("--concurrency", 16), promptLen = opts.Int("--prompt", 32);
string gemm = opts.Get("--gemm") ?? "auto";
bool invariant = !opts.Flag("--no-batch-invariance");
double temperature = double.Parse(opts.Get("--temperature") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
double topP = double.Parse(opts.Get("--top-p") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
string dir = opts.Get("--model") ?? MakeModel();
Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}; cores {Environment.ProcessorCount}; gemm {gemm}; batch-invariant {invariant}; temperature {temperature}, top-p {topP}; model {dir}");

await using var server = await ModelServer.StartAsync(new ServeOptions { ModelDir = dir, ServedModelName = "bench", MaxBatch = conc, Gemm = gemm, BatchInvariant = invariant });
using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromMinutes(30) };
int[] Prompt(int i) => Enumerable.Range(0, promptLen).Select(t => 1000 + (i * 7919 + t * 104729) % 30000).ToArray();

await Stream(http, Prompt(99), 4);   // warm-up: JIT, thread pool, first allocations
var alone = await Stream(http, Prompt(0), tokens);
{
    // The same single request straight into the scheduler (no HTTP), to split server overhead from HTTP/SSE overhead.
    var req = new FuseChat.Server.Scheduling.GenerationRequest
    {
        Prompts = [Prompt(0)], Sampling = new SamplingOptions { DoSample = false, MaxNewTokens = tokens, EosIds = [] },
    };
    var sw0 = Stopwatch.StartNew();
    double? first0 = null; int n0 = 0;
    await foreach (var e in server.Scheduler!.Submit(req, default)!.ReadAllAsync()) { first0 ??= sw0.Elapsed.TotalSeconds; n0++; }
    double end0 = sw0.Elapsed.TotalSeconds;
    Console.WriteLine($"single request, scheduler only (no HTTP): {n0} tokens, TTFT {first0 * 1000:F0} ms, decode {(n0 - 1) / (end0 - first0):F1} tok/s");
}
Console.WriteLine($"single request: {alone.Tokens} tokens, TTFT {alone.Ttft * 1000:F0} ms, decode {alone.DecodeRate:F1} tok/s");

var wall = Stopwatch.StartNew();
var runs = await Task.WhenAll(Enumerable.Range(0, conc).Select(i => Stream(http, Prompt(i), tokens)));
double total = wall.Elapsed.TotalSeconds;
int generated = runs.Sum(r => r.Tokens);
// Aggregate decode rate: tokens after each request's first, over the span from the first first-token to the last token.
double firstToken = runs.Min(r => r.Ttft), decodeSpan = total - firstToken;
double aggregate = (generated - conc) / decodeSpan;
var ttfts = runs.Select(r => r.Ttft * 1000).Order().ToArray();
Console.WriteLine($"{conc} concurrent: {generated} tokens in {total:F2} s; aggregate decode {aggregate:F1} tok/s ({aggregate / alone.DecodeRate:F1}x single); " +
                  $"end-to-end {generated / total:F1} tok/s; TTFT mean {ttfts.Average():F0} ms, p50 {ttfts[conc / 2]:F0} ms, max {ttfts[^1]:F0} ms");
Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}");
var stats = server.Scheduler!.Stats;
Console.WriteLine($"scheduler: {stats.Steps} steps for {stats.SampledTokens} tokens, at most {stats.MostSequencesInOneStep} sequences in one step");

// Peer: the engine's static batch of the same prompts (one prefill, then C rows per decode step, no server).
using (var model = Transformer.Load(dir, FuseChat.Engine.Kernels.CpuKernels.Create(gemm)))
{
    var gen = new Generator(model);
    var o = new SamplingOptions { DoSample = false, MaxNewTokens = tokens, EosIds = [] };
    gen.Generate([Prompt(99)], o with { MaxNewTokens = 4 });
    var one = Stopwatch.StartNew();
    var solo = gen.Generate([Prompt(0)], o);
    Console.WriteLine($"peer (engine, one sequence, no HTTP): {solo[0].Tokens.Length} tokens in {one.Elapsed.TotalSeconds:F2} s = {solo[0].Tokens.Length / one.Elapsed.TotalSeconds:F1} tok/s end-to-end");
    var sw = Stopwatch.StartNew();
    var outs = gen.Generate(Enumerable.Range(0, conc).Select(Prompt).ToList(), o);
    double s = sw.Elapsed.TotalSeconds;
    Console.WriteLine($"peer (engine static batch of {conc}, no HTTP): {outs.Sum(x => x.Tokens.Length)} tokens in {s:F2} s = {outs.Sum(x => x.Tokens.Length) / s:F1} tok/s end-to-end");
}

async Task<Run> Stream(HttpClient http, int[] prompt, int maxTokens)
{
    var body = new JsonObject
    {
        ["prompt"] = new JsonArray(prompt.Select(t => (JsonNode)t).ToArray()), ["max_tokens"] = maxTokens,
        ["temperature"] = temperature, ["top_p"] = topP, ["seed"] = prompt[0],
        ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true },
    };
    var sw = Stopwatch.StartNew();
    using var req = new HttpRequestMessage(HttpMethod.Post, "v1/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
    resp.EnsureSuccessStatusCode();
    using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync());
    double? first = null;
    int count = 0;
    string? line;
    while ((line = await reader.ReadLineAsync()) is not null)
    {
        if (!line.StartsWith("data: {")) continue;
        var chunk = JsonNode.Parse(line[6..])!;
        if (chunk["usage"] is JsonObject u) count = u["completion_tokens"]!.GetValue<int>();
        else first ??= sw.Elapsed.TotalSeconds;
    }
    double end = sw.Elapsed.TotalSeconds;
    return new Run(count, first ?? end, end);
}

static string MakeModel()
{
    var dir = Path.Combine(Path.GetTempPath(), "fusechat-servebench-llama110m");
    if (File.Exists(Path.Combine(dir, "model.safetensors")) || Directory.Exists(dir) && Directory.GetFiles(dir, "*.safetensors").Length > 0) return dir;
    var tok = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "fusechat", "test-assets", "llama3_1");
    if (!File.Exists(Path.Combine(tok, "tokenizer.json"))) throw new InvalidOperationException($"{tok}: run bash tools/fetch-test-assets.sh first");
    // Llama shape, 32k vocabulary (prompts are token ids below it; the Llama-3 tokenizer decodes them).
    var shape = new ModelShape("llama", Hidden: 768, Layers: 12, Heads: 12, KvHeads: 4, Intermediate: 1536, VocabSize: 32000, MaxPositions: 2048);
    var cfg = ModelInitializer.CreateFolder(shape, 1, dir, tok);
    Console.WriteLine($"wrote {new ParameterLayout(cfg).ParameterCount / 1e6:F0}M-parameter model to {dir}");
    return dir;
}

/// <summary>One streamed request: completion tokens, seconds to the first token and to the end.</summary>
record Run(int Tokens, double Ttft, double End)
{
    public double DecodeRate => (Tokens - 1) / (End - Ttft);
}

/// <summary>Minimal "--name value" parsing; a name followed by another name (or nothing) is a flag.</summary>
sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(string[] a)
    {
        var d = new Dictionary<string, string>();
        for (int i = 0; i < a.Length; i++)
            d[a[i]] = i + 1 < a.Length && !a[i + 1].StartsWith("--") ? a[++i] : "";
        return new Args(d);
    }
    public bool Flag(string name) => values.ContainsKey(name);
    public string? Get(string name) => values.GetValueOrDefault(name);
    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
}
