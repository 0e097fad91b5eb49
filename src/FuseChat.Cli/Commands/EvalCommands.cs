using System.CommandLine;
using FuseChat.Core;
using FuseChat.Eval.Benchmarks;
using FuseChat.Eval.Client;
using FuseChat.Eval.Grading;
using FuseChat.Eval.Judging;
using FuseChat.Eval.Reporting;
using FuseChat.Eval.Running;
using FuseChat.Eval.Scoring;
using FuseChat.Eval.Store;
using FuseChat.Server;

namespace FuseChat.Cli.Commands;

/// <summary>`fusechat eval` (benchmarks against a model endpoint) and `fusechat eval-report` (several runs side by side).</summary>
static class EvalCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Eval();
        yield return Report();
    }

    static Command Eval()
    {
        var model = new Option<string>("--model") { Description = "Local model folder (config.json, safetensors, tokenizer with a chat template): served in-process on a free loopback port and evaluated over HTTP, exactly as `fusechat serve` serves it." };
        var endpoint = new Option<string>("--endpoint") { Description = "OpenAI-compatible server of the evaluated model, e.g. http://127.0.0.1:8000/v1 (instead of --model)." };
        var modelName = new Option<string>("--model-name") { Description = "Model name sent to --endpoint (required there); with --model it defaults to the folder's name. Also names the results and the cache entries." };
        var bench = new Option<string>("--bench") { Description = "Comma-separated benchmarks: gsm8k, math, amc23, humaneval, mbpp, alpacaeval2, arena-hard, mt-bench, alignbench; or all, math-all, code-all, judged-all." };
        var custom = new Option<string[]>("--custom") { Description = "A custom verifiable benchmark NAME=PATH: a JSONL file of math rows {id, prompt|messages, answer}, code rows {id, prompt|messages, tests, entry_point} and exact-match rows {id, prompt|messages, expected} (the whole reply, compared ignoring case, surrounding and repeated whitespace and one final '.'), optional skill (sub-score per skill) and system. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var customMathMode = new Option<string>("--custom-math-mode") { Description = "How --custom math rows are graded: strict (semantic equality) or qwen (the Qwen2.5-Math grader the built-in math benchmarks use).", DefaultValueFactory = _ => "strict" };
        customMathMode.AcceptOnlyFromAmong("strict", "qwen");
        var judgeEndpoint = new Option<string>("--judge-endpoint") { Description = "OpenAI-compatible server of the judge (needed by alpacaeval2, arena-hard, mt-bench, alignbench)." };
        var judgeModel = new Option<string>("--judge-model") { Description = "Judge model name sent to --judge-endpoint (e.g. gpt-4-1106-preview)." };
        var judgeTemplates = new Option<string>("--judge-templates") { Description = "Folder of judge prompt files replacing the built-in ones (alpacaeval2.txt, arena-hard.txt, alignbench.txt), e.g. the official templates; see docs/evaluation.md for placeholders." };
        var alpacaDifficulty = new Option<string>("--alpaca-difficulty") { Description = "AlpacaEval's instruction_difficulty.csv (header, then 'index,difficulty' per instruction): enables AlpacaEval's own length-controlled win rate; without it a two-term GLM is reported as lc_win_rate_without_difficulty." };
        var dataDir = new Option<string>("--data-dir") { Description = "Folder holding the benchmark data (gsm8k/, minerva_math/, humaneval/, ...); needed by the built-in benchmarks." };
        var outDir = new Option<string>("--out") { Description = "Output folder: results.json, results.md, items/<benchmark>.jsonl, and the cache eval.sqlite.", Required = true };
        var storePath = new Option<string>("--store") { Description = "SQLite cache of generations and judgments (default: <out>/eval.sqlite); reruns skip what it holds." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only this many items per benchmark, a fixed sample chosen by --seed (default: all)." };
        var seed = new Option<int>("--seed") { Description = "Seed for --limit's sample, Arena-Hard's bootstrap and the per-request seeds of sampled answers (--temperature, MT-Bench).", DefaultValueFactory = _ => 42 };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Tokens the model may generate per turn (default: per benchmark, 1024-4096; a --model with a short context needs less)." };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once per endpoint (with --model they share the server's batched forward passes).", DefaultValueFactory = _ => 8 };
        var temperature = new Option<double>("--temperature") { Description = "Sample math, code and custom answers at this temperature (each request seeded from --seed, the item and the sample, so a rerun draws the same answers where the server honours seeds: exactly with --model or fusechat serve, at any concurrency; see docs/evaluation.md); 0 = greedy, as FuseChat-3.0 evaluates.", DefaultValueFactory = _ => 0.0 };
        var samples = new Option<int>("--samples") { Description = "Answers per item with --temperature: metrics become their mean (avg@k), and pass@k is added; items/<benchmark>.jsonl has one row per answer (id#n).", DefaultValueFactory = _ => 1 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass with --temperature (1 = off).", DefaultValueFactory = _ => 1.0 };
        var mtBenchTemps = new Option<string>("--mt-bench-temperatures") { Description = "MT-Bench answers: fastchat (FastChat's per-category temperatures, as the official harness: writing and roleplay 0.7, STEM and humanities 0.1, the rest greedy; sampled answers seeded from --seed) or greedy.", DefaultValueFactory = _ => "fastchat" };
        mtBenchTemps.AcceptOnlyFromAmong("fastchat", "greedy");
        var rounds = new Option<int>("--bootstrap-rounds") { Description = "Bootstrap rounds for Arena-Hard's 95% interval.", DefaultValueFactory = _ => 100 };
        var showFailures = new Option<int>("--show-failures") { Description = "Wrong answers to print per math, code or custom benchmark (to stderr): id and why (extracted vs gold answer, or the first failing test); 0 = none. All are in items/<benchmark>.jsonl.", DefaultValueFactory = _ => 3 };
        var cmd = new Command("eval", "Evaluate a model on math, code, judged and custom benchmarks; generations and judgments are cached so an interrupted eval resumes.")
        {
            model, endpoint, modelName, bench, custom, customMathMode, judgeEndpoint, judgeModel, judgeTemplates, alpacaDifficulty,
            dataDir, outDir, storePath, limit, seed, maxTokens, temperature, samples, topP, mtBenchTemps, concurrency, rounds, showFailures,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var modelDir = p.GetValue(model);
            var url = p.GetValue(endpoint);
            if ((modelDir is null) == (url is null)) throw new UserError("give either --model DIR or --endpoint URL --model-name NAME");
            if (modelDir is not null && !Directory.Exists(modelDir)) throw new UserError($"--model: folder '{modelDir}' not found");
            var name = p.GetValue(modelName) ?? (modelDir is not null ? Path.GetFileName(Path.GetFullPath(modelDir).TrimEnd('/')) : throw new UserError("--model-name: required with --endpoint"));

            var mathMode = p.GetValue(customMathMode) == "qwen" ? FuseChat.Verifiers.Math.MathMode.Qwen : FuseChat.Verifiers.Math.MathMode.Strict;
            var benchmarks = new List<IBenchmark>(p.GetValue(bench) is { } list ? BenchmarkCatalog.Resolve(list) : []);
            foreach (var spec in p.GetValue(custom) ?? [])
            {
                var c = CustomBenchmark.Parse(spec, mathMode);
                if (benchmarks.Any(b => b.Name == c.Name)) throw new UserError($"--custom: name '{c.Name}' is used twice");
                benchmarks.Add(c);
            }
            if (benchmarks.Count == 0) throw new UserError("--bench or --custom: name at least one benchmark");
            var data = p.GetValue(dataDir);
            if (benchmarks.Any(b => b is not CustomBenchmark))
            {
                if (data is null) throw new UserError("--data-dir: required by the built-in benchmarks");
                if (!Directory.Exists(data)) throw new UserError($"--data-dir: folder '{data}' not found");
            }
            var outPath = p.GetValue(outDir)!;
            var clientOptions = new ChatClientOptions { MaxConcurrency = p.GetValue(concurrency), ApiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY") };
            var judgeUrl = p.GetValue(judgeEndpoint);
            var judgeName = p.GetValue(judgeModel);
            if ((judgeUrl is null) != (judgeName is null)) throw new UserError("--judge-endpoint and --judge-model go together");
            var templates = p.GetValue(judgeTemplates) is { } tdir ? JudgeTemplates.Load(tdir) : null;
            var difficulty = p.GetValue(alpacaDifficulty) is { } dpath ? InstructionDifficulty.Load(dpath) : null;

            // --model: the model is served in-process by the real server and measured through the same HTTP path as --endpoint.
            await using var local = modelDir is null ? null : await ModelServer.StartAsync(new ServeOptions { ModelDir = modelDir, Port = 0, ServedModelName = name }, ct);
            if (local is not null) Console.Error.WriteLine($"serving {modelDir} as '{name}' at {local.BaseUrl}v1");
            using var client = new OpenAiChatClient(local is null ? url! : new Uri(local.BaseUrl, "v1").ToString(), name,
                local is null ? clientOptions : clientOptions with { ApiKey = null });
            using var judge = judgeUrl is null ? null : new OpenAiChatClient(judgeUrl, judgeName!, clientOptions);
            using var store = new EvalStore(p.GetValue(storePath) ?? Path.Combine(outPath, "eval.sqlite"));
            var options = new EvalOptions
            {
                ModelName = name, JudgeName = judgeName, Limit = p.GetValue(limit), Seed = p.GetValue(seed), MaxTokens = p.GetValue(maxTokens),
                Concurrency = p.GetValue(concurrency), BootstrapRounds = p.GetValue(rounds), AlpacaDifficulty = difficulty, JudgeTemplates = templates,
                Temperature = p.GetValue(temperature), Samples = p.GetValue(samples), TopP = p.GetValue(topP),
                MtBenchFastChatTemperatures = p.GetValue(mtBenchTemps) == "fastchat",
            };
            var runner = new EvalRunner(options, client, store, new VerifierMathGrader(), new VerifierCodeGrader(), judge, new ProgressLines());
            var run = await runner.RunAsync(benchmarks, data ?? "", ct);
            ResultFiles.Write(run, outPath);
            foreach (var r in run.Results)
                Console.WriteLine($"{r.Benchmark}\t{r.PrimaryMetric}\t{ResultFiles.Format(r.Primary)}\t({ItemCount(r)})");
            foreach (var r in run.Results)
            {
                var (failed, lines) = FailureDigest.Of(r, p.GetValue(showFailures));
                if (lines.Count == 0) continue;
                Console.Error.WriteLine($"{r.Benchmark}: {failed} of {r.Items} wrong; the first {lines.Count}:");
                foreach (var line in lines) Console.Error.WriteLine("  " + line);
            }
            Console.Error.WriteLine($"wrote {Path.Combine(outPath, ResultFiles.JsonName)}");
            return 0;
        });
        return cmd;
    }

    static Command Report()
    {
        var runs = new Option<string[]>("--runs") { Description = "Output folders of `fusechat eval` runs to compare, in column order.", Required = true, AllowMultipleArgumentsPerToken = true };
        var outDir = new Option<string>("--out") { Description = "Output folder: report.md, report.json and a self-contained report.html.", Required = true };
        var cmd = new Command("eval-report", "Compare several eval runs side by side (Markdown, JSON, and HTML with inline charts).") { runs, outDir };
        cmd.SetAction(p =>
        {
            var summaries = p.GetValue(runs)!.Select(ResultFiles.Read).ToList();
            ComparisonReport.Write(summaries, p.GetValue(outDir)!);
            Console.Write(File.ReadAllText(Path.Combine(p.GetValue(outDir)!, "report.md")));
            return 0;
        });
        return cmd;
    }

    /// <summary>Progress on stderr: one line when a phase starts, every tenth of the way, and when it ends.</summary>
    sealed class ProgressLines : IProgress<EvalProgress>
    {
        readonly Lock _lock = new();
        public void Report(EvalProgress e)
        {
            int step = Math.Max(1, e.Total / 10);
            if (e.Done == 0 || e.Done == e.Total || e.Done % step == 0)
                lock (_lock) Console.Error.WriteLine($"{e.Benchmark}: {e.Phase} {e.Done}/{e.Total}");
        }
    }

    /// <summary>"N items", or "n items × k samples" for a sampled run (whose result counts every answer).</summary>
    static string ItemCount(BenchmarkResult r) =>
        r.Metrics.GetValueOrDefault("samples") is double k && k > 1 ? $"{r.Items / (int)k} items × {k} samples" : $"{r.Items} items";
}
