using System.Diagnostics;
using System.Text.Json.Nodes;

namespace FuseChat.Verifiers.Code.Tests;

/// <summary>
/// The sandbox reports the CPU time a run used (graders base time limits on it because, unlike wall time, it hardly
/// depends on machine load), and a verifier can run one sample under limits of its own.
/// </summary>
public class CpuTimeTests
{
    static readonly CodeVerifier Verifier = new();

    [Fact]
    public async Task Cpu_time_counts_work_not_waiting()
    {
        // Burns 0.6 s of its own CPU time, however long the machine makes it wait for it.
        var (busy, _) = await Verifier.RunReferenceAsync(
            "import time\ndef f():\n    t = time.process_time()\n    while time.process_time() - t < 0.6:\n        pass\n    return 1\n",
            new JsonArray(new JsonArray()), "f", mbppOracles: false);
        Assert.True(busy.Passed, busy.Detail);
        Assert.InRange(busy.CpuSeconds!.Value, 0.6, 3.0);

        // Sleeps a second of wall time and uses almost no CPU.
        var clock = Stopwatch.StartNew();
        var (sleeper, _) = await Verifier.RunReferenceAsync("import time\ndef f():\n    time.sleep(1.0)\n    return 1\n",
            new JsonArray(new JsonArray()), "f", mbppOracles: false);
        Assert.True(sleeper.Passed, sleeper.Detail);
        Assert.True(clock.Elapsed.TotalSeconds >= 1.0);
        Assert.InRange(sleeper.CpuSeconds!.Value, 0.0, 0.5);
    }

    [Fact]
    public async Task A_sample_can_run_under_its_own_limits_on_the_shared_workers()
    {
        var loop = new CodeSample("def f():\n    while True:\n        pass\n", new AssertionTest("def check(c):\n    c()\n", "f"));
        var tight = SandboxLimits.Default with { CpuSeconds = 1, WallTimeout = TimeSpan.FromSeconds(20) };
        var v = await Verifier.VerifyAsync(loop, tight);
        Assert.Equal(CodeStatus.Timeout, v.Status);
        Assert.Equal("CPU limit of 1s exceeded", v.Detail);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Verifier.VerifyAsync(loop, tight with { CpuSeconds = 0 }));
        Assert.Equal(SandboxLimits.Default, Verifier.Limits);
    }
}
