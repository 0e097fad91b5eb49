using System.Net;
using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Engine.Checkpoints;
using FuseChat.Engine.Kernels;
using FuseChat.Engine.Model;
using FuseChat.Server.Hosting;
using FuseChat.Server.OpenAi;
using FuseChat.Server.Scheduling;
using FuseChat.Text.Chat;
using FuseChat.Text.Tokenization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FuseChat.Server;

/// <summary>
/// Starts an OpenAI-compatible HTTP server for a local model folder on Kestrel: GET /v1/models,
/// POST /v1/chat/completions and /v1/completions (with SSE streaming), GET /health, all requests sharing forward
/// passes through one continuous-batching <see cref="BatchScheduler"/>; plus reward endpoints when a reward model is given.
/// </summary>
public static partial class ModelServer
{
    public static async Task<RunningServer> StartAsync(ServeOptions options, CancellationToken cancellationToken = default)
    {
        Validate(options);
        ReserveWorkerThreads();
        var owned = new List<IDisposable>();
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IHostLifetime, CallerLifetime>();
            builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownGrace);
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(ListenAddress(options.Host), options.Port);
                k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
                k.AddServerHeader = false;
            });
            var app = builder.Build();
            app.Use(new ErrorHandling(options.Log).Invoke);
            if (!string.IsNullOrEmpty(options.ApiKey)) app.Use(new ApiKeyCheck(options.ApiKey).Invoke);
            app.MapGet("/health", () => Results.Ok());

            string modelName = options.ServedModelName ?? DefaultName(options.ModelDir ?? options.RewardModelDir!);
            BatchScheduler? scheduler = null;
            if (options.ModelDir is { } dir)
            {
                scheduler = LoadGenerator(options, dir, modelName, app, owned);
            }
            if (options.RewardModelDir is not null)
            {
                bool mapped = false;
                MapRewardEndpoints(app, options, modelName, owned, ref mapped);
                if (!mapped) throw new UserError("--reward-model: this build has no reward endpoints (src/FuseChat.Server/Reward/ does not implement them yet)");
            }
            app.MapFallback((HttpContext ctx) => throw new ApiError(404, $"Unknown endpoint {ctx.Request.Method} {ctx.Request.Path}.", code: "not_found"));

            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var baseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
            options.Log?.WriteLine($"serving {modelName} at {baseUrl}v1 (max batch {options.MaxBatch})");
            return new RunningServer(app, baseUrl, modelName, scheduler, owned, cancellationToken);
        }
        catch
        {
            for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
            throw;
        }
    }

    /// <summary>
    /// HOOK for the reward endpoints (engineer "reward"): implemented in src/FuseChat.Server/Reward/ as a partial of this
    /// class. It loads <see cref="ServeOptions.RewardModelDir"/>, maps /classify, /pooling and /score on <paramref name="app"/>,
    /// adds what it must dispose to <paramref name="owned"/>, and sets <paramref name="mapped"/>.
    /// </summary>
    static partial void MapRewardEndpoints(WebApplication app, ServeOptions options, string servedModelName, List<IDisposable> owned, ref bool mapped);

    static BatchScheduler LoadGenerator(ServeOptions o, string dir, string modelName, WebApplication app, List<IDisposable> owned)
    {
        var storage = o.Weights switch { null or "auto" => (WeightStorage?)null, "f32" => WeightStorage.F32, "bf16" => WeightStorage.BF16,
            _ => throw new UserError($"weights: unsupported value \"{o.Weights}\" (supported: auto, f32, bf16)") };
        var model = Transformer.Load(dir, CpuKernels.Create(o.Gemm, o.Threads), storage);
        owned.Add(model);
        var tokenizer = HfTokenizer.Load(dir);
        ChatTemplate? template;
        try { template = ChatTemplate.FromTokenizer(tokenizer); }
        catch (UserError e) { template = null; o.Log?.WriteLine($"warning: {e.Message}; /v1/chat/completions is unavailable"); }
        // generation_config's EOS list plus the tokenizer's own EOS token (chat models end turns with it).
        var eos = GenerationDefaults.EosIds(dir).Concat(tokenizer.EosTokenIds).Distinct().ToArray();
        var scheduler = new BatchScheduler(model, tokenizer, o.MaxBatch, o.PrefillChunk, o.MaxQueuedRequests, o.BatchInvariant);
        owned.Add(scheduler);
        int context = model.Config.MaxPositions;
        var parser = new RequestParser(tokenizer, template, modelName, context, model.Config.VocabSize, eos, o);
        var endpoints = new CompletionEndpoints(parser, scheduler, new TokenText(tokenizer), modelName);
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        JsonObject Card() => new()
        {
            ["id"] = modelName, ["object"] = "model", ["created"] = created, ["owned_by"] = "fusechat", ["max_model_len"] = context,
        };
        app.MapGet("/v1/models", (HttpContext ctx) => Json.Write(ctx, 200, new JsonObject { ["object"] = "list", ["data"] = new JsonArray(Card()) }));
        app.MapGet("/v1/models/{id}", (HttpContext ctx, string id) => id == modelName ? Json.Write(ctx, 200, Card())
            : throw new ApiError(404, $"The model `{id}` does not exist.", "model", "model_not_found"));
        app.MapPost("/v1/chat/completions", endpoints.Chat);
        app.MapPost("/v1/completions", endpoints.Completions);
        return scheduler;
    }

    /// <summary>
    /// The kernels' Parallel.For waits for the pool tasks it queues; when the pool holds only one thread per core and
    /// HTTP continuations are queued ahead of them, every kernel call of a decode step waits for a thread to be injected.
    /// Keeping a few spare workers measured 4.6-6.4 → 9.5 tok/s for one streamed request on the loaded dev box
    /// (docs/perf/serving.md). Only ever raised, never lowered.
    /// </summary>
    static void ReserveWorkerThreads()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        int wanted = Math.Max(16, 4 * Environment.ProcessorCount);
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, io);
    }

    static void Validate(ServeOptions o)
    {
        if (o.ModelDir is null && o.RewardModelDir is null) throw new UserError("serve: give --model DIR and/or --reward-model DIR");
        foreach (var (name, dir) in new[] { ("--model", o.ModelDir), ("--reward-model", o.RewardModelDir) })
            if (dir is not null && !File.Exists(Path.Combine(dir, "config.json")))
                throw new UserError($"{name} {dir}: not a model folder (no config.json)");
        if (o.Port is < 0 or > 65535) throw new UserError($"--port: {o.Port} is not a TCP port (0-65535; 0 picks a free one)");
        if (o.MaxBatch < 1) throw new UserError($"--max-batch must be at least 1, got {o.MaxBatch}");
        if (o.MaxTokensLimit < 1) throw new UserError($"--max-tokens-limit must be at least 1, got {o.MaxTokensLimit}");
        if (o.MaxBodyBytes < 1024) throw new UserError($"--max-body-bytes must be at least 1024, got {o.MaxBodyBytes}");
        if (o.PrefillChunk < 1) throw new UserError($"--prefill-chunk must be at least 1, got {o.PrefillChunk}");
        if (o.ApiKey is { Length: 0 }) throw new UserError("the API key is empty");
    }

    static IPAddress ListenAddress(string host)
    {
        if (host == "localhost") return IPAddress.Loopback;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) return ip;
        throw new UserError($"--host: \"{host}\" is not an IP address (use 127.0.0.1, ::1, 0.0.0.0 or localhost)");
    }

    static string DefaultName(string dir) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
}
