using FuseChat.Eval.Benchmarks;

namespace FuseChat.Eval.Grading;

/// <summary>
/// Runs a code response against a problem's tests in a sandbox. The product adapter wraps the code verifier
/// (code extraction, HumanEval assertions, MBPP+ input/output tests with expected outputs from the canonical solution).
/// </summary>
public interface ICodeGrader
{
    /// <summary>Runs the code in <paramref name="response"/> on every test of <paramref name="tests"/>
    /// (<see cref="CodeTestSet.Plus"/> means base and plus inputs together, as evalplus counts it); the grade says why it failed.</summary>
    Task<CodeGrade> GradeAsync(string response, CodeTask task, CodeTestSet tests, CancellationToken ct);
    /// <summary>Why <paramref name="task"/> was graded differently from the benchmark's definition (e.g. fewer plus inputs), or null.</summary>
    string? NoteFor(CodeTask task) => null;
}
