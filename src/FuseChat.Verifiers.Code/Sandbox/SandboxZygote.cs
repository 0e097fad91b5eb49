using System.Collections.Concurrent;
using System.Diagnostics;

namespace FuseChat.Verifiers.Code.Sandbox;

/// <summary>
/// The launcher run as a zygote (`sandbox.pyc --serve`): one trusted python3 per .NET process that forks a launcher
/// per job, so a sample costs a fork instead of an interpreter start-up (most of a trivial sample's CPU). Each forked
/// launcher isolates, drops privileges and judges exactly as a freshly started one does. If the zygote dies, the jobs
/// in flight fail with an error verdict and the next job starts a new one.
/// </summary>
internal sealed class SandboxZygote
{
    readonly Process _process;
    readonly ConcurrentDictionary<long, TaskCompletionSource<(int ExitCode, bool Backstop)>> _pending = new();
    readonly Lock _write = new();
    long _nextId;
    volatile bool _dead;

    SandboxZygote(Process process)
    {
        _process = process;
        _ = Task.Run(ReadReplies);
    }

    static readonly Lock StartLock = new();
    static SandboxZygote? _current;

    /// <summary>The exit code <see cref="RunAsync"/> gives for a job whose zygote died (a launcher's own codes are ≥ -64).</summary>
    public const int Died = int.MinValue;

    /// <summary>The zygote's process id (tests kill it to check the recovery).</summary>
    internal int ProcessId => _process.Id;

    /// <summary>The zygote started last (for tests), or null before the first sample.</summary>
    internal static SandboxZygote? Running { get { lock (StartLock) return _current; } }

    /// <summary>The running zygote, started (or restarted after it died) on first use.</summary>
    public static SandboxZygote Current(IReadOnlyList<string> launcherArgs)
    {
        lock (StartLock)
        {
            if (_current is { _dead: false, _process.HasExited: false } z) return z;
            var psi = new ProcessStartInfo(PythonInterpreter.Path)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in launcherArgs) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add("--serve");
            SandboxRunner.MinimalEnvironment(psi);
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
            var zygote = new SandboxZygote(process);
            // The zygote writes nothing there unless it crashes; the last lines are kept to say why it died.
            process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) zygote.KeepError(line); };
            process.BeginErrorReadLine();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } };
            return _current = zygote;
        }
    }

    /// <summary>Runs the job in <paramref name="jobDir"/>; returns the launcher's exit code (<see cref="Died"/> if the zygote
    /// died) and whether the zygote's backstop killed it (it outlived its wall limit by 10 s). Its output is in
    /// <c>jobDir/launcher.out</c>. Cancelling kills that job's launcher tree.</summary>
    public async Task<(int ExitCode, bool Backstop)> RunAsync(string jobDir, double wallSeconds, CancellationToken ct)
    {
        long id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<(int, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        Send($"{id} {wallSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} {jobDir}");
        if (_dead) Fail();   // it died before our job was registered: ReadReplies' Fail may have missed it
        await using (ct.Register(() => Send($"k {id}")))
            return await reply.Task;
    }

    internal void Send(string line)
    {
        lock (_write)
        {
            try
            {
                _process.StandardInput.Write(line + "\n");
                _process.StandardInput.Flush();
            }
            catch (IOException) { }            // the zygote died: ReadReplies fails the job
            catch (ObjectDisposedException) { }
        }
    }

    async Task ReadReplies()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                var parts = line.Split(' ');
                if (parts.Length != 3 || !long.TryParse(parts[0], out long id) || !_pending.TryRemove(id, out var reply)) continue;
                reply.TrySetResult((int.Parse(parts[1]), parts[2] == "b"));
            }
        }
        catch (IOException) { }
        _dead = true;
        // Let its last stderr lines arrive, so the verdicts it leaves can say why (the parameterless wait also waits
        // for the asynchronous stderr reader to finish).
        if (_process.WaitForExit(2000)) _process.WaitForExit();
        Fail();
    }

    readonly Queue<string> _errors = new();

    void KeepError(string line)
    {
        lock (_errors)
        {
            _errors.Enqueue(line.Length > 300 ? line[..300] : line);
            while (_errors.Count > 5) _errors.Dequeue();
        }
    }

    /// <summary>The last lines the zygote wrote to stderr (a traceback if it crashed), for the verdict of a job it left.</summary>
    public string LastErrors { get { lock (_errors) return string.Join(" | ", _errors); } }

    /// <summary>The zygote is gone: every job in flight ends with <see cref="Died"/>.</summary>
    void Fail()
    {
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var reply)) reply.TrySetResult((Died, false));
    }
}
