using System.Globalization;
using System.Text.RegularExpressions;
using FuseChat.Pipeline.Config;

namespace FuseChat.Pipeline.Scoring;

/// <summary>
/// A reward "model" that is a documented rule instead of a network (run config <c>type: rule</c>): it ranks responses by
/// form, sound working, length and (when asked) overlap with the prompt's reference answer, never by verified
/// correctness (the math and code verifiers decide that). The score of a response:
/// <list type="bullet">
/// <item><c>form_bonus</c> when it has the expected form: a math prompt's response ends with a final-answer sentence
/// ("The answer is N." or a \boxed{N}); a code prompt's response is one fenced Python block that defines a function;</item>
/// <item>minus <c>working_penalty</c> for each false equation in its working: every "a + b - c = d" written with integers
/// is evaluated, so "5 - 2 = 1. The answer is 1." (a lucky final number) ranks below "5 - 4 = 1. The answer is 1.";</item>
/// <item>minus <c>length_penalty</c> per character, so among equally good responses the more concise one wins;</item>
/// <item>plus <c>reference_weight</c> × (matched − unmatched) / |reference words| when the prompt has a reference answer
/// (a reference-guided judge in the spirit of MT-Bench's reference-guided grading): the response's words (<c>\w+</c>,
/// lower-cased) are walked in order, each one using up an equal, not yet used word of the reference (matched) or not
/// (unmatched), so repeating or adding words costs what covering the reference earns. Off at the default weight 0.</item>
/// </list>
/// </summary>
public sealed partial class RuleRewardScorer : IRewardScorer
{
    [GeneratedRegex(@"(?:The answer is -?\d+(?:\.\d+)?\.?|\\boxed\{[^{}]*\}\.?)\s*$")] private static partial Regex MathForm();
    [GeneratedRegex(@"^\s*```python\n(?:.*\n)*?def \w+\(.*\):\n(?:.*\n)*?```\s*$")] private static partial Regex CodeForm();
    // An integer equation: a first term, one or more "+ n" / "- n" terms, "=", a result. Digits glued to letters are not terms.
    [GeneratedRegex(@"(?<![\w.])(-?\d+)((?:\s*[+-]\s*\d+)+)\s*=\s*(-?\d+)(?![\w]|\.\d)")] private static partial Regex Equation();
    [GeneratedRegex(@"([+-])\s*(\d+)")] private static partial Regex Term();
    [GeneratedRegex(@"\w+")] private static partial Regex Word();

    readonly double _formBonus, _workingPenalty, _lengthPenalty, _referenceWeight;

    /// <summary>A rule scorer with the given weights (see the type's summary).</summary>
    public RuleRewardScorer(string name, double formBonus = DefaultFormBonus, double workingPenalty = DefaultWorkingPenalty,
        double lengthPenalty = DefaultLengthPenalty, int batchSize = 64, double referenceWeight = DefaultReferenceWeight)
    {
        Name = name;
        _formBonus = formBonus; _workingPenalty = workingPenalty; _lengthPenalty = lengthPenalty; _referenceWeight = referenceWeight;
        BatchSize = Math.Max(1, batchSize);
    }

    /// <summary>The scorer a config's <c>type: rule</c> entry describes; weights it does not give take the constructor's defaults.</summary>
    public static RuleRewardScorer FromConfig(ScorerConfig s) =>
        new(s.Name, s.FormBonus ?? DefaultFormBonus, s.WorkingPenalty ?? DefaultWorkingPenalty, s.LengthPenalty ?? DefaultLengthPenalty, s.BatchSize,
            s.ReferenceWeight ?? DefaultReferenceWeight);

    const double DefaultFormBonus = 1.0, DefaultWorkingPenalty = 0.0, DefaultLengthPenalty = 0.002, DefaultReferenceWeight = 0.0;

    public string Name { get; }
    public string Model => "rule:form-working-length";
    // At reference_weight 0 the string is exactly the one before the term existed, so stores scored then keep their scores.
    public string Fingerprint => string.Create(CultureInfo.InvariantCulture, $"rule:form-working-length:v1:{_formBonus}:{_workingPenalty}:{_lengthPenalty}")
        + (_referenceWeight == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $":ref{_referenceWeight}"));
    public int BatchSize { get; }
    public int Concurrency => 1;

    /// <summary>The score of one response to a prompt with (<paramref name="isCode"/>) or without tests, with or without a
    /// gold answer (<paramref name="isMath"/>) and a reference answer (<paramref name="reference"/>, null = none).</summary>
    public double Score(bool isCode, bool isMath, string response, string? reference = null)
    {
        bool wellFormed = isCode ? CodeForm().IsMatch(response) : isMath && MathForm().IsMatch(response);
        double score = (wellFormed ? _formBonus : 0) - _workingPenalty * FalseEquations(response) - _lengthPenalty * response.Length;
        // Only computed when weighted, so weight 0 gives exactly the score from before the term existed.
        if (_referenceWeight > 0 && reference is not null) score += _referenceWeight * ReferenceAgreement(response, reference);
        return score;
    }

    /// <summary>
    /// (matched − unmatched) / |reference words|, words being <c>\w+</c> lower-cased: each response word in turn uses up
    /// one equal, unused reference word (matched) or finds none (unmatched). 0 when the reference has no words.
    /// "5702, 5703." against "5702, 5703, 5704, 5705." is 0.5; "5702, 5702, 5709." is −0.25.
    /// </summary>
    public static double ReferenceAgreement(string response, string reference)
    {
        var left = new Dictionary<string, int>();
        int total = 0;
        foreach (var w in Words(reference)) { left[w] = left.GetValueOrDefault(w) + 1; total++; }
        if (total == 0) return 0;
        int matched = 0, unmatched = 0;
        foreach (var w in Words(response))
        {
            if (left.TryGetValue(w, out int n) && n > 0) { left[w] = n - 1; matched++; }
            else unmatched++;
        }
        return (double)(matched - unmatched) / total;
    }

    static IEnumerable<string> Words(string text) => Word().Matches(text).Select(m => m.Value.ToLowerInvariant());

    /// <summary>How many integer equations in <paramref name="text"/> do not hold ("3 + 4 = 8" is one; "3 + 4 = 7" is none).</summary>
    public static int FalseEquations(string text)
    {
        int wrong = 0;
        foreach (Match m in Equation().Matches(text))
        {
            if (!long.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out long value)
                || !long.TryParse(m.Groups[3].Value, CultureInfo.InvariantCulture, out long result)) continue;
            bool overflow = false;
            foreach (Match t in Term().Matches(m.Groups[2].Value))
            {
                if (!long.TryParse(t.Groups[2].Value, CultureInfo.InvariantCulture, out long n)) { overflow = true; break; }
                value = t.Groups[1].Value == "+" ? value + n : value - n;
            }
            if (!overflow && value != result) wrong++;
        }
        return wrong;
    }

    public Task<RewardBatch> ScoreAsync(IReadOnlyList<RewardItem> items, CancellationToken ct) =>
        Task.FromResult(RewardBatch.Success(items.Select(i => Score(i.Prompt.Tests is not null, i.Prompt.Gold is not null, i.Response, i.Prompt.Reference)).ToList()));
}
