using System.Diagnostics;
using FuseChat.Verifiers.Code.Sandbox;

namespace FuseChat.Verifiers.Code.Tests;

/// <summary>
/// The zygote (one python3 that forks a launcher per sample): a cancelled sample's launcher tree is killed at once,
/// and a zygote that dies fails only the samples in flight, with an error verdict, then is replaced. Exclusive: the
/// second test kills the shared zygote, which would fail other tests' samples.
/// </summary>
[Collection("Exclusive sandbox")]
public class SandboxZygoteTests
{
    static readonly CodeVerifier Verifier = new();
    static CodeTest Double => new AssertionTest("def check(f):\n    assert f(2) == 4\n", "double", "def double(x):\n");
    const string Sleeper = "    import time\n    time.sleep(30)\n    return 2 * x\n";

    [Fact]
    public async Task CancellingASampleKillsItsLauncherTreeAndTheZygoteServesOn()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Verifier.VerifyAsync(Sleeper, Double, cts.Token));
        // The launcher would wait for its 10 s wall limit; the answer came once the zygote had killed its tree.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(6), $"cancelled after {sw.Elapsed.TotalSeconds:F1} s");
        Assert.True((await Verifier.VerifyAsync("    return 2 * x\n", Double)).Passed);
    }

    [Fact]
    public async Task ADeadZygoteFailsTheSamplesInFlightAndIsReplaced()
    {
        Assert.True((await Verifier.VerifyAsync("    return 2 * x\n", Double)).Passed);   // starts the zygote
        var zygote = SandboxZygote.Running!;
        var inFlight = Verifier.VerifyAsync(Sleeper, Double);
        await Task.Delay(500);
        Process.GetProcessById(zygote.ProcessId).Kill(entireProcessTree: true);
        var verdict = await inFlight.WaitAsync(TimeSpan.FromSeconds(8));
        Assert.Equal(CodeStatus.Error, verdict.Status);
        Assert.Contains("zygote", verdict.Detail);
        Assert.True((await Verifier.VerifyAsync("    return 2 * x\n", Double)).Passed);
        Assert.NotEqual(zygote.ProcessId, SandboxZygote.Running!.ProcessId);
    }

    [Fact]
    public async Task ACrashedZygoteSaysWhyInTheVerdictsItLeft()
    {
        Assert.True((await Verifier.VerifyAsync("    return 2 * x\n", Double)).Passed);
        var zygote = SandboxZygote.Running!;
        var inFlight = Verifier.VerifyAsync(Sleeper, Double);
        await Task.Delay(500);
        zygote.Send("not a command");   // the zygote's parser fails on it and the process dies with a traceback
        var verdict = await inFlight.WaitAsync(TimeSpan.FromSeconds(8));
        Assert.Equal(CodeStatus.Error, verdict.Status);
        Assert.Contains("ValueError", verdict.Detail);
        Assert.True((await Verifier.VerifyAsync("    return 2 * x\n", Double)).Passed);
    }
}
