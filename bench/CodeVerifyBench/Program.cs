// Sandbox overhead per sample against Python's own start-up, measured in the same run on the same machine, through the
// zygote (the default: one python3 forks a launcher per sample) and with one python3 started per sample.
// Usage: dotnet run -c Release --project bench/CodeVerifyBench [-- samples]
//        dotnet run -c Release --project bench/CodeVerifyBench -- mbppplus ../shared/data/benchmarks/mbppplus/MbppPlus-v0.1.0.jsonl
using System.Diagnostics;
using FuseChat.Verifiers.Code;
using FuseChat.Verifiers.Code.Sandbox;

if (args.Length == 2 && args[0] == "mbppplus") { await MbppPlusFull.RunAsync(args[1]); return; }
int samples = args.Length > 0 ? int.Parse(args[0]) : 200;

// Busy CPU seconds of the whole machine (all cores, from /proc/stat): the sandbox's zygote and its launchers are not
// children this process waits for, so cutime would miss them. Every process counts, so run it on an idle machine.
static double MachineBusySeconds()
{
    var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(long.Parse).ToArray();
    long idle = cpu[3] + cpu[4];   // idle + iowait
    return (cpu.Sum() - idle) / 100.0;
}
var python = PythonInterpreter.Path;
Console.WriteLine($"python: {python}; cores: {Environment.ProcessorCount}; samples per measurement: {samples}");

async Task<double> BarePython(int workers, params string[] pyArgs)
{
    var sw = Stopwatch.StartNew();
    await Parallel.ForAsync(0, samples, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (_, ct) =>
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in pyArgs) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync(ct);
        var e = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        await o; await e;
    });
    return sw.Elapsed.TotalSeconds;
}

async Task<double> Sandboxed(int workers, CodeTest test, string code, bool zygote = true)
{
    Environment.SetEnvironmentVariable("FUSECHAT_SANDBOX_ZYGOTE", zygote ? null : "0");
    var verifier = new CodeVerifier(workers: workers);
    var items = Enumerable.Range(0, samples).Select(_ => (code, test)).ToList();
    var sw = Stopwatch.StartNew();
    var verdicts = await verifier.VerifyManyAsync(items);
    var t = sw.Elapsed.TotalSeconds;
    if (verdicts.Any(v => !v.Passed)) throw new InvalidOperationException("a trivial sample failed: " + verdicts.First(v => !v.Passed).Detail);
    return t;
}

var assertion = new AssertionTest("def check(f):\n    assert f(2) == 4\n", "double", "def double(x):\n");
var io = new IoFunctionTest(new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonArray(2)), new System.Text.Json.Nodes.JsonArray(4), "double");
await Sandboxed(1, assertion, "    return 2 * x\n");   // warm-up (JIT, page cache)
await BarePython(1, "-c", "pass");

Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine("| what | workers | samples/s | wall ms per sample per worker | wall ratio to bare | machine CPU ms per sample | CPU ratio to bare |");
Console.WriteLine("|---|---|---|---|---|---|---|");
// WORKERS=2,4 (a comma-separated list) measures those worker counts instead of 1 and one per core.
var workerCounts = Environment.GetEnvironmentVariable("WORKERS") is { Length: > 0 } w ? w.Split(',').Select(int.Parse).ToArray() : [1, Environment.ProcessorCount];
foreach (var workers in workerCounts)
{
    double bareWall = 0, bareCpu = 0;
    async Task Row(string what, Func<Task<double>> run, bool isBare = false)
    {
        var cpu0 = MachineBusySeconds();
        var seconds = await run();
        var cpu = (MachineBusySeconds() - cpu0) * 1000 / samples;
        if (isBare) { bareWall = seconds; bareCpu = cpu; }
        Console.WriteLine($"| {what} | {workers} | {samples / seconds:F1} | {seconds * 1000 * workers / samples:F1} | {seconds / bareWall:F2} | {cpu:F1} | {cpu / bareCpu:F2} |");
    }
    await Row("`python3 -c pass` (bare start-up)", () => BarePython(workers, "-c", "pass"), isBare: true);
    await Row("`python3 -s -S -c pass`", () => BarePython(workers, "-s", "-S", "-c", "pass"));
    await Row("sandboxed HumanEval-style assertion sample, one python3 per sample", () => Sandboxed(workers, assertion, "    return 2 * x\n", zygote: false));
    await Row("sandboxed HumanEval-style assertion sample, zygote (default)", () => Sandboxed(workers, assertion, "    return 2 * x\n"));
    await Row("sandboxed MBPP-style function-call sample, one python3 per sample", () => Sandboxed(workers, io, "def double(x):\n    return 2 * x\n", zygote: false));
    await Row("sandboxed MBPP-style function-call sample, zygote (default)", () => Sandboxed(workers, io, "def double(x):\n    return 2 * x\n"));
}
