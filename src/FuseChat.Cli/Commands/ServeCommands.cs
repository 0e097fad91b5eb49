using System.CommandLine;
using FuseChat.Core;
using FuseChat.Server;

namespace FuseChat.Cli.Commands;

/// <summary>`fusechat serve`: an OpenAI-compatible server (continuous batching) for a local model and/or a reward model.</summary>
static class ServeCommands
{
    public static IEnumerable<Command> Create() { yield return Serve(); }

    static Command Serve()
    {
        var model = new Option<string?>("--model") { Description = "Hugging Face model folder to serve for /v1/chat/completions and /v1/completions (config.json, safetensors, tokenizer with a chat template)." };
        var reward = new Option<string?>("--reward-model") { Description = "Reward-model folder to serve on /classify, /pooling and /score (vLLM-compatible)." };
        var host = new Option<string>("--host") { Description = "Interface to listen on (an IP address or localhost); loopback by default, 0.0.0.0 exposes the server to the network.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one; the URL is printed).", DefaultValueFactory = _ => 8000 };
        var keyEnv = new Option<string?>("--api-key-env") { Description = "Name of an environment variable holding the API key; clients must then send \"Authorization: Bearer <key>\"." };
        var name = new Option<string?>("--served-model-name") { Description = "Model id in requests and /v1/models (default: the model folder's name)." };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most sequences decoded together per forward pass (continuous batching); also the largest n.", DefaultValueFactory = _ => 16 };
        var maxTokens = new Option<int>("--max-tokens-limit") { Description = "Largest max_tokens a request may ask for (and the default cap when it asks for none).", DefaultValueFactory = _ => 4096 };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Largest request body in bytes (413 above it).", DefaultValueFactory = _ => 4L * 1024 * 1024 };
        var prefill = new Option<int>("--prefill-chunk") { Description = "Prompt tokens prefilled per step across new requests (smaller: decoding stalls less behind long prompts).", DefaultValueFactory = _ => 256 };
        var variant = new Option<bool>("--no-batch-invariance") { Description = "Let steps of more than 32 rows (long prompts, many sequences) use the packed GEMM: faster there, but a sampled reply may then differ in the last bits, and so in its tokens, with what else the server is doing. By default every row is computed the same way whatever shares its step, so seeded replies reproduce exactly." };
        var queued = new Option<int>("--max-queued") { Description = "Most requests waiting for a batch slot; more get 429.", DefaultValueFactory = _ => 1024 };
        var grace = new Option<double>("--shutdown-grace") { Description = "Seconds in-flight requests get to finish after Ctrl-C before they are cancelled (the process ends 15 s after Ctrl-C at the latest).", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "Kernel worker threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var gemm = new Option<string>("--gemm") { Description = "Matrix-multiply backend: auto (OpenBLAS when installed, else managed), managed, openblas.", DefaultValueFactory = _ => "auto" };
        gemm.AcceptOnlyFromAmong("auto", "managed", "openblas");
        var weights = new Option<string>("--weights") { Description = "Weight matrices in memory: auto (BF16 when the checkpoint is BF16, else F32), f32, or bf16 (half the memory).", DefaultValueFactory = _ => "auto" };
        weights.AcceptOnlyFromAmong("auto", "f32", "bf16");
        var cmd = new Command("serve", "Serve a local model with an OpenAI-compatible API (/v1/models, /v1/chat/completions, /v1/completions, SSE streaming; concurrent requests share forward passes) and optionally a reward model (/classify, /pooling, /score).")
            { model, reward, host, port, keyEnv, name, maxBatch, maxTokens, maxBody, prefill, variant, queued, grace, threads, gemm, weights };
        cmd.SetAction(async (p, ct) =>
        {
            string? key = null;
            if (p.GetValue(keyEnv) is { } env)
            {
                key = Environment.GetEnvironmentVariable(env);
                if (string.IsNullOrEmpty(key)) throw new UserError($"--api-key-env {env}: the environment variable is not set or empty");
            }
            var options = new ServeOptions
            {
                ModelDir = p.GetValue(model), RewardModelDir = p.GetValue(reward), Host = p.GetValue(host)!, Port = p.GetValue(port),
                ApiKey = key, ServedModelName = p.GetValue(name), MaxBatch = p.GetValue(maxBatch), MaxTokensLimit = p.GetValue(maxTokens),
                MaxBodyBytes = p.GetValue(maxBody), PrefillChunk = p.GetValue(prefill), BatchInvariant = !p.GetValue(variant), MaxQueuedRequests = p.GetValue(queued),
                ShutdownGrace = TimeSpan.FromSeconds(Math.Max(0, p.GetValue(grace))), Threads = p.GetValue(threads),
                Gemm = p.GetValue(gemm)!, Weights = p.GetValue(weights), Log = Console.Error,
            };
            await using var server = await ModelServer.StartAsync(options, ct);
            // The one stdout line: the OpenAI base URL, for scripts to pick up (e.g. with --port 0).
            Console.WriteLine(new Uri(server.BaseUrl, "v1"));
            Console.Error.WriteLine("press Ctrl-C to stop");
            await server.WaitForShutdownAsync();
            Console.Error.WriteLine("stopped");
            return 0;
        });
        return cmd;
    }
}
