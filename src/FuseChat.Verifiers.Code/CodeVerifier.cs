using System.Text.Json.Nodes;
using FuseChat.Verifiers.Code.Sandbox;

namespace FuseChat.Verifiers.Code;

/// <summary>
/// Judges Python samples against tests, each sample in its own sandboxed python3 process
/// (see <see cref="SandboxLimits"/> and docs/PERFORMANCE.md (Code verifier and sandbox)), up to <c>workers</c> at a time.
/// </summary>
public sealed class CodeVerifier
{
    readonly SandboxLimits _limits;
    readonly SemaphoreSlim _slots;

    /// <param name="limits">Per-sample limits; <see cref="SandboxLimits.Default"/> when null.</param>
    /// <param name="workers">Samples run at once; the number of cores when null.</param>
    public CodeVerifier(SandboxLimits? limits = null, int? workers = null)
    {
        _limits = limits ?? SandboxLimits.Default;
        _limits.Validate();
        Workers = workers ?? Environment.ProcessorCount;
        if (Workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "must be at least 1");
        _slots = new SemaphoreSlim(Workers, Workers);
    }

    /// <summary>The per-sample limits this verifier applies.</summary>
    public SandboxLimits Limits => _limits;

    /// <summary>How many samples run at once.</summary>
    public int Workers { get; }

    /// <summary>The isolation the last run achieved: "namespaces+uid" (full), "namespaces", "userns", "none+uid" or "none".</summary>
    public string? Isolation { get; private set; }

    /// <summary>Runs <paramref name="code"/> as given against <paramref name="test"/>.</summary>
    public Task<CodeVerdict> VerifyAsync(string code, CodeTest test, CancellationToken ct = default) =>
        VerifyAsync(new CodeSample(code, test), ct);

    /// <summary>Runs one sample (optionally sanitised inside the same sandbox run).</summary>
    public Task<CodeVerdict> VerifyAsync(CodeSample sample, CancellationToken ct = default) => VerifyAsync(sample, _limits, ct);

    /// <summary>Runs one sample under its own <paramref name="limits"/> (e.g. a time limit derived from a reference run),
    /// sharing this verifier's workers with every other run.</summary>
    public async Task<CodeVerdict> VerifyAsync(CodeSample sample, SandboxLimits limits, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        if (string.IsNullOrWhiteSpace(sample.Code)) return CodeVerdict.Of(CodeStatus.Error, "no code");
        var (job, expected) = BuildJob(sample);
        var outcome = await RunAsync(job, expected, limits, ct);
        return outcome.Verdict;
    }

    /// <summary>Runs many samples in parallel; verdicts come back in input order. <paramref name="progress"/> gets the count done.</summary>
    public Task<IReadOnlyList<CodeVerdict>> VerifyManyAsync(IReadOnlyList<(string Code, CodeTest Test)> items,
        IProgress<int>? progress = null, CancellationToken ct = default) =>
        VerifyManyAsync(items.Select(i => new CodeSample(i.Code, i.Test)).ToList(), progress, ct);

    /// <summary>Runs many samples in parallel; verdicts come back in input order.</summary>
    public async Task<IReadOnlyList<CodeVerdict>> VerifyManyAsync(IReadOnlyList<CodeSample> samples,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var verdicts = new CodeVerdict[samples.Count];
        int done = 0;
        await Task.WhenAll(samples.Select(async (sample, i) =>
        {
            verdicts[i] = await VerifyAsync(sample, ct);
            progress?.Report(Interlocked.Increment(ref done));
        }));
        return verdicts;
    }

    /// <summary>
    /// Runs trusted reference code (a canonical solution) on <paramref name="inputs"/> and returns its outputs in the
    /// tagged form <see cref="IoFunctionTest.Outputs"/> expects: how evalplus gets MBPP+'s expected outputs.
    /// With <paramref name="mbppOracles"/>, outputs of evalplus's "not None" tasks become booleans, as evalplus stores them.
    /// </summary>
    public Task<(CodeVerdict Verdict, JsonArray? Outputs)> RunReferenceAsync(string code, JsonArray inputs, string entryPoint,
        bool mbppOracles = true, CancellationToken ct = default) => RunReferenceAsync(code, inputs, entryPoint, _limits, mbppOracles, ct);

    /// <summary>Like <see cref="RunReferenceAsync(string, JsonArray, string, bool, CancellationToken)"/> under its own
    /// <paramref name="limits"/>; the verdict's <see cref="CodeVerdict.CpuSeconds"/> is the reference's CPU time.</summary>
    public async Task<(CodeVerdict Verdict, JsonArray? Outputs)> RunReferenceAsync(string code, JsonArray inputs, string entryPoint,
        SandboxLimits limits, bool mbppOracles = true, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        var job = new JsonObject
        {
            ["kind"] = "io", ["code"] = code, ["entry_point"] = entryPoint,
            ["inputs"] = inputs.DeepClone(), ["mbpp_oracles"] = mbppOracles,
        };
        var outcome = await RunAsync(job, null, limits, ct);
        var outputs = outcome.Status == CodeStatus.Passed ? outcome.Raw["outputs"]?.DeepClone() as JsonArray : null;
        return (outcome.Verdict, outputs);
    }

    async Task<SandboxOutcome> RunAsync(JsonObject job, JsonNode? expected, SandboxLimits limits, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            var outcome = await SandboxRunner.RunAsync(job, expected, limits, ct);
            if (outcome.Raw.ContainsKey("isolation")) Isolation = outcome.Isolation;
            return outcome;
        }
        finally { _slots.Release(); }
    }

    static (JsonObject Job, JsonNode? Expected) BuildJob(CodeSample sample)
    {
        var job = new JsonObject { ["code"] = sample.Code, ["sanitize"] = sample.Sanitize };
        switch (sample.Test)
        {
            case AssertionTest a:
                job["kind"] = "assert"; job["test"] = a.Test; job["entry_point"] = a.EntryPoint; job["prompt"] = a.Prompt;
                return (job, null);
            case IoFunctionTest io:
                if (io.Inputs.Count != io.Outputs.Count)
                    throw new ArgumentException($"{io.Inputs.Count} inputs but {io.Outputs.Count} outputs", nameof(sample));
                job["kind"] = "io"; job["entry_point"] = io.EntryPoint; job["inputs"] = io.Inputs.DeepClone();
                job["atol"] = io.Atol; job["mbpp_oracles"] = io.MbppOracles;
                return (job, io.Outputs.DeepClone());
            case StdioTest s:
                if (s.Inputs.Count != s.Outputs.Count)
                    throw new ArgumentException($"{s.Inputs.Count} inputs but {s.Outputs.Count} outputs", nameof(sample));
                job["kind"] = "stdio"; job["inputs"] = new JsonArray(s.Inputs.Select(x => (JsonNode?)x).ToArray());
                return (job, new JsonArray(s.Outputs.Select(x => (JsonNode?)x).ToArray()));
            default:
                throw new ArgumentException("unknown test type " + sample.Test?.GetType().Name, nameof(sample));
        }
    }
}
