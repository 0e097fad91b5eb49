using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace FuseChat.Tests.Shared;

/// <summary>
/// A real HTTP server on 127.0.0.1 (ephemeral port) speaking OpenAI's <c>POST /v1/chat/completions</c>, for tests that
/// drive a client over loopback. The handler sees the parsed request and returns the assistant text (and optionally
/// top logprobs of the first token); <see cref="FailFirst"/> and <see cref="AlwaysFail"/> inject faults. BCL only, since
/// this file is compiled into every test project.
/// </summary>
sealed class LoopbackChatServer : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Func<JsonObject, (string Text, IReadOnlyList<(string Token, double Logprob)>? Top)> _handler;
    int _requests, _completions;

    /// <summary>The OpenAI base URL, e.g. http://127.0.0.1:41234/v1.</summary>
    public string Url { get; }
    /// <summary>The server root without /v1, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; }
    /// <summary>Every request received, faults included.</summary>
    public int Requests => Volatile.Read(ref _requests);
    /// <summary>Requests answered with a real completion (faults not counted).</summary>
    public int Completions => Volatile.Read(ref _completions);
    /// <summary>The first this-many requests get <see cref="FailStatus"/> instead of an answer.</summary>
    public int FailFirst { get; init; }
    /// <summary>The status code of the injected faults of <see cref="FailFirst"/>.</summary>
    public int FailStatus { get; init; } = 500;
    /// <summary>Every request fails with 400 (to prove a rerun is served from a cache).</summary>
    public bool AlwaysFail { get; init; }
    /// <summary>The finish_reason every completion reports ("length" simulates answers cut at max_tokens).</summary>
    public string FinishReason { get; init; } = "stop";

    /// <param name="handler">The answer (and optional top logprobs) to one parsed request body.</param>
    public LoopbackChatServer(Func<JsonObject, (string, IReadOnlyList<(string, double)>?)> handler)
    {
        _handler = handler;
        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        Url = BaseUrl + "/v1";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    /// <summary>A server whose answers are plain text, a function of the parsed request body.</summary>
    public static LoopbackChatServer Text(Func<JsonObject, string> handler) => new(req => (handler(req), null));

    /// <summary>The content of the request's last user message.</summary>
    public static string LastUserMessage(JsonObject request) =>
        request["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.GetValue<string>();

    /// <summary>Every message's content, one per line (system, user and assistant turns alike).</summary>
    public static string AllMessages(JsonObject request) =>
        string.Join("\n", request["messages"]!.AsArray().Select(m => m!["content"]?.GetValue<string>() ?? ""));

    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Handle(ctx));
        }
    }

    void Handle(HttpListenerContext ctx)
    {
        try
        {
            int n = Interlocked.Increment(ref _requests);
            bool chat = ctx.Request.HttpMethod == "POST" && ctx.Request.Url!.AbsolutePath == "/v1/chat/completions";
            if (!chat || AlwaysFail || n <= FailFirst)
            {
                ctx.Response.StatusCode = !chat ? 404 : AlwaysFail ? 400 : FailStatus;
                Write(ctx, "{\"error\":{\"message\":\"injected fault\"}}");
                return;
            }
            using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
            var request = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
            var (text, top) = _handler(request);
            var choice = new JsonObject
            {
                ["index"] = 0, ["finish_reason"] = FinishReason,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
            };
            if (top is not null)
                choice["logprobs"] = new JsonObject
                {
                    ["content"] = new JsonArray(new JsonObject
                    {
                        ["token"] = top[0].Token, ["logprob"] = top[0].Logprob,
                        ["top_logprobs"] = new JsonArray(top.Select(t => (JsonNode)new JsonObject { ["token"] = t.Token, ["logprob"] = t.Logprob }).ToArray()),
                    }),
                };
            Interlocked.Increment(ref _completions);
            Write(ctx, new JsonObject
            {
                ["id"] = "chatcmpl-loopback", ["object"] = "chat.completion", ["model"] = request["model"]?.GetValue<string>(),
                ["choices"] = new JsonArray(choice),
                // Word counts stand in for token counts: clients that read usage get plausible, deterministic numbers.
                ["usage"] = new JsonObject { ["prompt_tokens"] = Words(AllMessages(request)), ["completion_tokens"] = Words(text) },
            }.ToJsonString());
        }
        catch (Exception e)
        {
            ctx.Response.StatusCode = 500;
            Write(ctx, "{\"error\":{\"message\":\"" + e.GetType().Name + "\"}}");
        }
    }

    static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    static void Write(HttpListenerContext ctx, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength64 = bytes.Length;
        ctx.Response.OutputStream.Write(bytes);
        ctx.Response.Close();
    }

    // Close alone (it stops too): Stop then Close makes the managed HttpListener look the endpoint up again, which
    // re-binds the port and fails with "address in use" when another test has taken it meanwhile.
    public void Dispose() => _listener.Close();
}
