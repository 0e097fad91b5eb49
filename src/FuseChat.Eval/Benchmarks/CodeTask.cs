using FuseChat.Verifiers.Code.Benchmarks;

namespace FuseChat.Eval.Benchmarks;

/// <summary>Which tests a code answer is run against: evalplus reports "base" (the original tests) and "plus" (base and extra inputs).</summary>
public enum CodeTestSet { Base, Plus }

/// <summary>
/// One code problem as the graders need it. HumanEval carries an assertion <see cref="Test"/> (a <c>check(candidate)</c> function);
/// MBPP+ carries its <see cref="MbppPlusProblem"/>, whose expected outputs come from running the canonical solution, as evalplus does.
/// </summary>
public sealed record CodeTask(
    string TaskId,
    string Prompt,
    string EntryPoint,
    string CanonicalSolution,
    string? Test,
    MbppPlusProblem? Mbpp)
{
    /// <summary>True when evalplus reports a plus result for the problem (every MBPP+ problem, even one without plus
    /// inputs such as Mbpp/793): base and plus inputs together.</summary>
    public bool HasPlusScore => Mbpp is not null;
}
