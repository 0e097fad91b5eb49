using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuseChat.Verifiers.Code.Sandbox;

/// <summary>What the trusted launcher reported for one run: the verdict, its raw JSON, and the isolation it achieved.</summary>
internal sealed record SandboxOutcome(CodeStatus Status, string? Detail, JsonObject Raw)
{
    /// <summary>"namespaces+uid" when fully isolated; see docs in sandbox.py's isolate().</summary>
    public string Isolation => Raw["isolation"]?.GetValue<string>() ?? "unknown";

    public CodeVerdict Verdict => CodeVerdict.Of(Status, Detail) with { CpuSeconds = Raw["cpu"] is JsonValue cpu ? cpu.GetValue<double>() : null };
}

/// <summary>
/// Runs one job in a fresh sandbox: a job folder (0711, files 0600, removed afterwards) holds job.json and the
/// expected outputs; python3 runs the embedded launcher, which isolates, drops privileges and judges.
/// The .NET side only adds a backstop: if the launcher itself outlives its wall limit by 10 s, its tree is killed.
/// </summary>
internal static class SandboxRunner
{
    // Each .NET process takes its own block of 100 uids (far above real accounts), so two verifiers running at once
    // (say the CLI and a test run) neither share an RLIMIT_NPROC budget nor see each other's workers as their own.
    const int UidSpan = 100;
    static readonly int UidBase = 200_000 + Environment.ProcessId % 100_000 * UidSpan;
    static int _uidCounter;

    /// <summary>The uids this process's sandboxes run as: [First, First + Count).</summary>
    public static (int First, int Count) UidRange => (UidBase, UidSpan);

    static readonly Lazy<string[]> LauncherArgs = new(PrepareLauncher);

    static string LoadScript()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("FuseChat.Verifiers.Code.sandbox.py")
            ?? throw new InvalidOperationException("sandbox.py resource missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Compiles the launcher once into a fresh private folder (a random name, so nobody can plant a file that root
    /// would run) and runs the .pyc: compiling the source on every start would cost more than a trivial sample.
    /// Falls back to passing the source with -c if compiling fails.
    /// </summary>
    static string[] PrepareLauncher()
    {
        var script = LoadScript();
        try
        {
            var dir = Directory.CreateTempSubdirectory("fusechat-sandbox-");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { dir.Delete(recursive: true); } catch (IOException) { } };
            var source = Path.Combine(dir.FullName, "sandbox.py");
            var compiled = Path.Combine(dir.FullName, "sandbox.pyc");
            File.WriteAllText(source, script);
            var psi = new ProcessStartInfo(PythonInterpreter.Path) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-s", "-S", "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)", source, compiled })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode == 0 && File.Exists(compiled)) return ["-s", "-S", compiled];
        }
        catch (IOException) { }
        catch (System.ComponentModel.Win32Exception) { }
        return ["-s", "-S", "-c", script];
    }

    /// <summary>Runs <paramref name="job"/> (kind, code, inputs...); <paramref name="expected"/> never reaches the untrusted worker.</summary>
    public static async Task<SandboxOutcome> RunAsync(JsonObject job, JsonNode? expected, SandboxLimits limits, CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the code sandbox needs Linux");
        job["limits"] = new JsonObject
        {
            ["wall"] = limits.WallTimeout.TotalSeconds,
            ["cpu"] = limits.CpuSeconds,
            ["as"] = limits.AddressSpaceBytes,
            ["fsize"] = limits.FileSizeBytes,
            ["nproc"] = limits.MaxProcesses,
            ["out"] = limits.MaxOutputBytes,
        };
        // One uid per concurrent run so RLIMIT_NPROC (counted per uid) is not shared between samples.
        job["uid"] = UidBase + (int)((uint)Interlocked.Increment(ref _uidCounter) % UidSpan);
        var dir = Directory.CreateTempSubdirectory("fusechat-code-");
        try
        {
            // 0711: in the no-namespace fallback the worker (another uid) must reach dir/work but not list or read the job.
            File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                               | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            WritePrivate(Path.Combine(dir.FullName, "job.json"), job.ToJsonString());
            if (expected is not null) WritePrivate(Path.Combine(dir.FullName, "expected.json"), expected.ToJsonString());
            return await LaunchAsync(dir.FullName, limits, ct);
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static void WritePrivate(string path, string text)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the code sandbox needs Linux");
        using (File.Create(path)) { }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, text);
    }

    /// <summary>The backstop's verdict: the launcher itself outlived its wall limit by 10 s and was killed.</summary>
    static SandboxOutcome LauncherKilled => new(CodeStatus.Timeout, "sandbox launcher did not finish; killed", new JsonObject());

    /// <summary>Launches through the zygote unless FUSECHAT_SANDBOX_ZYGOTE=0 (then one python3 per job, as before).</summary>
    static async Task<SandboxOutcome> LaunchAsync(string jobDir, SandboxLimits limits, CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable("FUSECHAT_SANDBOX_ZYGOTE") == "0") return await LaunchProcessAsync(jobDir, limits, ct);
        var zygote = SandboxZygote.Current(LauncherArgs.Value);
        var (exitCode, backstop) = await zygote.RunAsync(jobDir, limits.WallTimeout.TotalSeconds, ct);
        ct.ThrowIfCancellationRequested();
        if (exitCode == SandboxZygote.Died)
            return new SandboxOutcome(CodeStatus.Error, $"the sandbox zygote exited before the sample finished {zygote.LastErrors}".TrimEnd(), new JsonObject());
        if (backstop) return LauncherKilled;
        // The launcher's stdout and stderr share this file (a traceback before the verdict line, if it crashed).
        var path = Path.Combine(jobDir, "launcher.out");
        string output = File.Exists(path) ? await File.ReadAllTextAsync(path, CancellationToken.None) : "";
        return Parse(output, "", exitCode);
    }

    /// <summary>Only what a sandbox may see of our environment: nothing of ours (API keys, tokens) reaches it.</summary>
    internal static void MinimalEnvironment(ProcessStartInfo psi)
    {
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        psi.Environment["LANG"] = "C.UTF-8";
        psi.Environment["PYTHONHASHSEED"] = "0";
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
    }

    static async Task<SandboxOutcome> LaunchProcessAsync(string jobDir, SandboxLimits limits, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(PythonInterpreter.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = jobDir,
        };
        // -s -S: no user or site packages (the tests need the standard library only, and start-up stays lean).
        // Not -I: it would also ignore PYTHONHASHSEED, and a fixed seed keeps set order the same in every run.
        foreach (var a in LauncherArgs.Value) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(jobDir);
        MinimalEnvironment(psi);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var backstop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        backstop.CancelAfter(limits.WallTimeout + TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(backstop.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            return LauncherKilled;
        }
        return Parse(await stdout, await stderr, process.ExitCode);
    }

    /// <summary>The verdict from the launcher's last output line.</summary>
    static SandboxOutcome Parse(string output, string errors, int exitCode)
    {
        var lastLine = output.TrimEnd().Split('\n')[^1];
        JsonObject? raw = null;
        // Deeply nested values (MBPP+ has lists nested dozens deep, and tags double the depth) need more than the default 64.
        string? parseError = null;
        try { raw = JsonNode.Parse(lastLine, documentOptions: new JsonDocumentOptions { MaxDepth = 1000 }) as JsonObject; }
        catch (JsonException e) { parseError = e.Message; }
        if (raw is null)
            return new SandboxOutcome(CodeStatus.Error, $"sandbox launcher failed (exit {exitCode}): {Tail(errors + " " + output)} {parseError}".TrimEnd(), new JsonObject());
        var status = raw["status"]?.GetValue<string>() switch
        {
            "passed" => CodeStatus.Passed,
            "failed" => CodeStatus.Failed,
            "timeout" => CodeStatus.Timeout,
            _ => CodeStatus.Error,
        };
        return new SandboxOutcome(status, raw["detail"]?.GetValue<string>(), raw);
    }

    static string Tail(string text)
    {
        var t = text.Trim().Replace('\n', ' ');
        return t.Length <= 300 ? t : "..." + t[^300..];
    }
}
