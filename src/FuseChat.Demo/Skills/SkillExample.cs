namespace FuseChat.Demo.Skills;

/// <summary>
/// How a skill's answers are graded: a numeric final answer (math verifier), a Python function run against tests (code
/// verifier), or (judged) a reply the pipeline can only rank, by the rule scorer's agreement with a reference, while the
/// evaluation counts it right only when it is the reference exactly.
/// </summary>
public enum SkillKind { Math, Code, Judged }

/// <summary>HumanEval-style tests of a code task: a <c>check(candidate)</c> function run on the function named <c>EntryPoint</c>.</summary>
public sealed record SkillTests(string Check, string EntryPoint);

/// <summary>
/// One generated task: the user prompt, the reply the sources are trained on (correct for math and code; for a judged skill
/// a lazy, incomplete one), and what grades a reply: the gold answer (math), the tests (code) or the complete reply (judged).
/// </summary>
public sealed record SkillExample(string Skill, SkillKind Kind, string Prompt, string Reference, string? Gold, SkillTests? Tests);
