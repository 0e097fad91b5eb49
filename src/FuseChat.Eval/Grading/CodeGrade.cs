using FuseChat.Verifiers.Code;

namespace FuseChat.Eval.Grading;

/// <summary>
/// The grade of one code answer on one test set: whether it passed and, when it did not, why (the sandbox's verdict:
/// "timeout: CPU limit of 10s exceeded", "failed: test 57: got ..., expected ...", "failed: test 3 raised ...").
/// </summary>
/// <param name="Passed">True when every test passed.</param>
/// <param name="Status">How the sandbox run ended (passed, failed, timeout, error).</param>
/// <param name="Detail">Why it did not pass, prefixed with the status name; null when it passed.</param>
public sealed record CodeGrade(bool Passed, CodeStatus Status, string? Detail)
{
    /// <summary>The grade a sandbox verdict gives.</summary>
    public static CodeGrade Of(CodeVerdict verdict) =>
        new(verdict.Passed, verdict.Status, verdict.Passed ? null : $"{verdict.StatusName}: {verdict.Detail}");

    /// <summary>A grade for an answer that was not run (e.g. plus tests after failing the base ones).</summary>
    public static CodeGrade NotRun(string why) => new(false, CodeStatus.Error, why);
}
