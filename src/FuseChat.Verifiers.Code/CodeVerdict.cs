namespace FuseChat.Verifiers.Code;

/// <summary>How one sample ended.</summary>
public enum CodeStatus
{
    /// <summary>Every test passed.</summary>
    Passed,
    /// <summary>The code ran but a test failed, raised, or the process died (signal, memory, early exit).</summary>
    Failed,
    /// <summary>The wall-clock or CPU limit ran out.</summary>
    Timeout,
    /// <summary>The code could not be judged: a syntax error (the static gate), no code, or a sandbox problem.</summary>
    Error,
}

/// <summary>The verdict on one sample: <paramref name="Detail"/> says why it did not pass (null when it passed).</summary>
public sealed record CodeVerdict(bool Passed, CodeStatus Status, string? Detail)
{
    internal static CodeVerdict Of(CodeStatus status, string? detail) => new(status == CodeStatus.Passed, status, detail);

    /// <summary>CPU seconds (user + system) the sample's processes used, as the sandbox measured it: exact for runs that
    /// finished, possibly short for killed ones, null when the launcher itself failed. Unlike wall time it hardly depends
    /// on machine load.</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>The lower-case status name used in JSONL output: passed, failed, timeout, error.</summary>
    public string StatusName => Status.ToString().ToLowerInvariant();
}
