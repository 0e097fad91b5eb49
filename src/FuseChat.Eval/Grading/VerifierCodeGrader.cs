using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FuseChat.Eval.Benchmarks;
using FuseChat.Verifiers.Code;
using FuseChat.Verifiers.Code.Benchmarks;

namespace FuseChat.Eval.Grading;

/// <summary>
/// Code benchmarks graded in the code verifier's sandbox. HumanEval runs <c>check(entry_point)</c> after the extracted
/// code; MBPP+ calls the function on the base (and plus) inputs and compares with the outputs of the canonical solution,
/// computed once per task and test set, as evalplus does. Like evalplus, a sample may take a multiple
/// (<see cref="TimeFactor"/>) of the reference's time, never less than the sandbox default: a few MBPP+ plus inputs take
/// the canonical solution itself tens of seconds. Both times are CPU seconds, measured on exactly the inputs the sample
/// gets, so the verdict does not depend on how busy the machine is; the wall clock is only a backstop
/// (<see cref="WallFactor"/> times the CPU limit) for samples that sleep or block. When even the reference cannot
/// finish (Mbpp/255's plus outputs are ~1.3 GB), the plus set keeps the longest prefix of plus inputs whose outputs it
/// can produce and a sandbox can take (8 MiB of JSON), and <see cref="NoteFor"/> says so.
/// </summary>
public sealed class VerifierCodeGrader : ICodeGrader
{
    /// <summary>A sample's CPU limit as a multiple of the reference run's CPU time (evalplus's gt_time_limit_factor).</summary>
    public const double TimeFactor = 4;
    /// <summary>A sample's wall-clock limit as a multiple of its CPU limit: room for the other sandboxes sharing the cores.</summary>
    public const double WallFactor = 6;
    static readonly SandboxLimits ReferenceLimits = SandboxLimits.Default with { WallTimeout = TimeSpan.FromMinutes(10), CpuSeconds = 600 };

    readonly CodeVerifier _verifier;
    readonly ConcurrentDictionary<(string, CodeTestSet), Task<(IoFunctionTest Test, double CpuSeconds)>> _expected = new();
    readonly ConcurrentDictionary<string, string> _notes = new();

    /// <param name="verifier">The sandbox (default limits when null): its limits are the least a sample gets, and its
    /// workers run every sandbox of the grader, samples and reference runs (which get 10 minutes) alike.</param>
    public VerifierCodeGrader(CodeVerifier? verifier = null) => _verifier = verifier ?? new CodeVerifier();

    public async Task<CodeGrade> GradeAsync(string response, CodeTask task, CodeTestSet tests, CancellationToken ct)
    {
        if (task.Mbpp is not { } mbpp)
        {
            var assertion = new AssertionTest(task.Test ?? throw new InvalidOperationException($"{task.TaskId}: no tests"), task.EntryPoint, task.Prompt);
            return CodeGrade.Of(await _verifier.VerifyAsync(CodeSample.FromResponse(response, assertion), SampleLimits(0), ct));
        }
        var (test, referenceCpu) = await _expected.GetOrAdd((task.TaskId, tests), _ => ReferenceAsync(mbpp, tests, ct));
        return CodeGrade.Of(await _verifier.VerifyAsync(CodeSample.FromResponse(response, test), SampleLimits(referenceCpu), ct));
    }

    /// <summary>Why a task was graded on fewer inputs than the benchmark lists, or null.</summary>
    public string? NoteFor(CodeTask task) => _notes.GetValueOrDefault(task.TaskId);

    /// <summary>The expected outputs of the canonical solution and its CPU time on exactly the inputs the test keeps.</summary>
    async Task<(IoFunctionTest, double)> ReferenceAsync(MbppPlusProblem mbpp, CodeTestSet tests, CancellationToken ct)
    {
        int total = mbpp.PlusInputs.Count;
        int? limit = tests == CodeTestSet.Base ? 0 : null;
        while (true)
        {
            var inputs = mbpp.Inputs(limit);
            var (verdict, outputs) = await _verifier.RunReferenceAsync(mbpp.ReferenceCode, inputs, mbpp.EntryPoint, ReferenceLimits, mbppOracles: true, ct);
            if (outputs is not null)
            {
                int kept = FittingPrefix(inputs, outputs, mbpp.BaseInputs.Count);
                if (kept < inputs.Count)
                {
                    // Time the reference again on exactly the kept inputs: the sample's limit must come from the work it is given.
                    inputs = new JsonArray(inputs.Take(kept).Select(n => n?.DeepClone()).ToArray());
                    (verdict, outputs) = await _verifier.RunReferenceAsync(mbpp.ReferenceCode, inputs, mbpp.EntryPoint, ReferenceLimits, mbppOracles: true, ct);
                    if (outputs is null) throw new InvalidOperationException($"{mbpp.TaskId}: canonical solution failed on a prefix it passed before: {verdict.Detail}");
                }
                int plusUsed = inputs.Count - mbpp.BaseInputs.Count;
                if (tests == CodeTestSet.Plus && plusUsed < total)
                    _notes[mbpp.TaskId] = $"plus: graded on the first {plusUsed} of {total} plus inputs (the canonical solution's outputs for all of them exceed the sandbox limits)";
                var cpu = verdict.CpuSeconds ?? throw new InvalidOperationException($"{mbpp.TaskId}: the sandbox did not report the reference's CPU time");
                return (new IoFunctionTest(inputs, outputs, mbpp.EntryPoint, mbpp.Atol), cpu);
            }
            // Base inputs must work (otherwise the benchmark file is broken); plus inputs shrink to a prefix the reference can finish.
            int current = limit ?? total;
            if (current == 0) throw new InvalidOperationException($"{mbpp.TaskId}: canonical solution failed: {verdict.Detail}");
            limit = current / 2;
        }
    }

    /// <summary>Test data handed to a sample's sandbox is kept under this size (the sandbox's file limit is 16 MiB).</summary>
    const int MaxTestJsonChars = 8 << 20;

    /// <summary>How many leading tests (never fewer than the base ones) fit in <see cref="MaxTestJsonChars"/> of JSON.</summary>
    static int FittingPrefix(JsonArray inputs, JsonArray outputs, int baseCount)
    {
        long size = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            size += (inputs[i]?.ToJsonString().Length ?? 4) + (outputs[i]?.ToJsonString().Length ?? 4);
            if (size > MaxTestJsonChars && i >= baseCount) return i;
        }
        return inputs.Count;
    }

    /// <summary>The limits a sample gets when the reference took <paramref name="referenceCpuSeconds"/> of CPU on the same inputs.</summary>
    public SandboxLimits SampleLimits(double referenceCpuSeconds)
    {
        var floor = _verifier.Limits;
        int cpu = Math.Max(floor.CpuSeconds, (int)Math.Ceiling(TimeFactor * referenceCpuSeconds));
        var wall = TimeSpan.FromSeconds(Math.Max(floor.WallTimeout.TotalSeconds, WallFactor * cpu));
        return floor with { CpuSeconds = cpu, WallTimeout = wall };
    }
}
