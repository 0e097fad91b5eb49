using FuseChat.Core;

namespace FuseChat.Pipeline.Config;

/// <summary>Checks ranges and cross-references of a loaded config; every message names the file and the field.</summary>
public static class RunConfigValidator
{
    static readonly string[] Shapes = ["auto", "messages", "sharegpt", "alpaca", "prompt", "gsm8k", "math", "humaneval", "mbpp", "io", "turns", "question"];

    public static void Validate(RunConfig c)
    {
        string f = c.Path;
        void Fail(string field, string problem) => throw new UserError($"{f}: {field}: {problem}");

        if (c.Sources.Count == 0) Fail("sources", "at least one source is needed");
        if (c.PromptSets.Count == 0) Fail("prompt_sets", "at least one prompt set is needed");
        Unique(c.Sources.Select(s => s.Name), "sources", Fail);
        Unique(c.Scorers.Select(s => s.Name), "scorers", Fail);
        Unique(c.PromptSets.Select(s => s.Name), "prompt_sets", Fail);

        if (c.Run.MaxConcurrency is < 1) Fail("run.max_concurrency", "must be at least 1 (or left out for no run-wide cap)");
        for (int i = 0; i < c.Sources.Count; i++)
        {
            var s = c.Sources[i];
            string at = $"sources[{i}]" + (s.Name != "" ? $" ({s.Name})" : "");
            if (s.Name == "") Fail(at + ".name", "required");
            if (s.Model == "") Fail(at + ".model", "required");
            if (s.Import is { } im) { ValidateImport(c, im, at + ".import", Fail); continue; }
            CheckUrls(s.BaseUrls, at + ".base_urls", Fail);
            if (s.Concurrency < 1) Fail(at + ".concurrency", "must be at least 1");
            if (s.TimeoutS <= 0) Fail(at + ".timeout_s", "must be positive");
            if (s.MaxRetries < 0) Fail(at + ".max_retries", "must be 0 or more");
            if (s.BackoffS < 0 || s.MaxBackoffS < s.BackoffS) Fail(at + ".backoff_s", "must be between 0 and max_backoff_s");
            if (s.MaxTokens < 1) Fail(at + ".max_tokens", "must be at least 1");
            if (s.Temperature < 0 || s.Temperature > 2) Fail(at + ".temperature", $"{s.Temperature} is outside [0, 2]");
            if (s.TopP <= 0 || s.TopP > 1) Fail(at + ".top_p", $"{s.TopP} is outside (0, 1]");
            if (s.ApiKeyEnv is { } k && Environment.GetEnvironmentVariable(k) is null) Fail(at + ".api_key_env", $"environment variable {k} is not set");
        }
        for (int i = 0; i < c.Scorers.Count; i++)
        {
            var s = c.Scorers[i];
            string at = $"scorers[{i}]" + (s.Name != "" ? $" ({s.Name})" : "");
            if (s.Name == "") Fail(at + ".name", "required");
            if (s.BatchSize < 1) Fail(at + ".batch_size", "must be at least 1");
            if (s.Concurrency < 1) Fail(at + ".concurrency", "must be at least 1");
            if (s.ChatTemplate is { } template && !File.Exists(c.Resolve(template)) && !Directory.Exists(c.Resolve(template)))
                Fail(at + ".chat_template", $"no such file or folder: {c.Resolve(template)}");
            if (s.Type != "rule")
                foreach (var (field, value) in RuleWeights(s))
                    if (value is not null) Fail($"{at}.{field}", $"applies only to type: rule (this scorer is type: {s.Type})");
            switch (s.Type)
            {
                case "custom":
                    continue; // the program supplies the instance (RunContext.RegisterScorer)
                case "rule":
                    foreach (var (field, value) in RuleWeights(s))
                        if (value < 0) Fail($"{at}.{field}", "must not be negative");
                    if (s.Model != "") Fail(at + ".model", "does not apply to type: rule (the rule is built in)");
                    if (s.BaseUrls.Count > 0) Fail(at + ".base_urls", "does not apply to type: rule (the rule runs in-process)");
                    continue; // built in: no model, server or template
                case "local":
                    if (s.Model == "") Fail(at + ".model", "required: the reward model's folder");
                    else if (!File.Exists(Path.Combine(c.Resolve(s.Model), "config.json")))
                        Fail(at + ".model", $"{c.Resolve(s.Model)} is not a model folder (no config.json)");
                    continue;
                case "http":
                    break;
                default:
                    Fail(at + ".type", $"'{s.Type}' is not one of http, local, rule, custom");
                    break;
            }
            if (s.Model == "") Fail(at + ".model", "required");
            CheckUrls(s.BaseUrls, at + ".base_urls", Fail);
            if (s.Api is not ("pooling" or "classify" or "score")) Fail(at + ".api", $"'{s.Api}' is not one of pooling, classify, score");
            if (s.Input is not ("messages" or "text")) Fail(at + ".input", $"'{s.Input}' is not one of messages, text");
            if (s.Api == "score" && s.Input != "text") Fail(at + ".input", "the score API takes text; set input: text");
            if (s.Api == "classify" && s.Input != "text") Fail(at + ".input", "the classify API takes text; set input: text");
            if (s.Input == "text" && s.ChatTemplate is null && s.TextTemplate is null)
                Fail(at + ".chat_template", "input: text needs the reward model's chat template (a tokenizer folder or .jinja file), or a text_template");
            if (s.Input == "text" && s.ChatTemplate is not null && s.TextTemplate is not null)
                Fail(at + ".text_template", "give chat_template or text_template, not both");
            if (s.Input == "text" && s.TextTemplate is { } tt && !tt.Contains("{response}"))
                Fail(at + ".text_template", "the template must contain {response}");
            if (s.TimeoutS <= 0) Fail(at + ".timeout_s", "must be positive");
            if (s.MaxRetries < 0) Fail(at + ".max_retries", "must be 0 or more");
            if (s.ApiKeyEnv is { } k && Environment.GetEnvironmentVariable(k) is null) Fail(at + ".api_key_env", $"environment variable {k} is not set");
        }
        if (c.Verifiers.MathMode is not ("strict" or "qwen")) Fail("verifiers.math_mode", $"'{c.Verifiers.MathMode}' is not one of strict, qwen");
        if (c.Verifiers.CodeTimeoutS <= 0) Fail("verifiers.code_timeout_s", "must be positive");
        if (c.Verifiers.CodeConcurrency < 1) Fail("verifiers.code_concurrency", "must be at least 1");

        for (int i = 0; i < c.PromptSets.Count; i++)
        {
            var p = c.PromptSets[i];
            string at = $"prompt_sets[{i}]" + (p.Name != "" ? $" ({p.Name})" : "");
            if (p.Name == "") Fail(at + ".name", "required");
            if (p.Path == "") Fail(at + ".path", "required");
            var full = Path.Combine(c.Folder, p.Path);
            if (!File.Exists(full)) Fail(at + ".path", $"file not found: {full}");
            if (p.Format is not ("auto" or "jsonl" or "json")) Fail(at + ".format", $"'{p.Format}' is not one of auto, jsonl, json");
            if (!Shapes.Contains(p.Shape)) Fail(at + ".shape", $"'{p.Shape}' is not one of {string.Join(", ", Shapes)}");
            if (p.Limit is < 0) Fail(at + ".limit", "must be 0 or more");
            if (p.Sft.HasValue != p.Dpo.HasValue) Fail(at + ".sft/dpo", "give both shares of the split, or neither");
            if (p.Sft is { } sft && p.Dpo is { } dpo && (sft < 0 || dpo < 0 || sft + dpo <= 0)) Fail(at + ".sft/dpo", "shares must be non-negative and not both zero");
        }
        // Resolving categories checks their rules, sources and scorers.
        var categories = CategoryResolver.ResolveAll(c);
        for (int i = 0; i < c.PromptSets.Count; i++)
        {
            var p = c.PromptSets[i];
            var cat = categories[p.Category];
            if (p.Dpo is > 0 && !cat.Rules.SftOnly && cat.Scorer is null)
                Fail($"prompt_sets[{i}] ({p.Name}).dpo", $"DPO pairs need a reward model, and category '{p.Category}' has none");
        }
    }

    static void ValidateImport(RunConfig c, ImportConfig im, string at, Action<string, string> fail)
    {
        if (im.Path == "") fail(at + ".path", "required");
        else if (!File.Exists(c.Resolve(im.Path))) fail(at + ".path", $"file not found: {c.Resolve(im.Path)}");
        if (im.Format is not ("auto" or "jsonl" or "json")) fail(at + ".format", $"'{im.Format}' is not one of auto, jsonl, json");
        if (im.PromptSet is { } set && !c.PromptSets.Any(p => p.Name == set)) fail(at + ".prompt_set", $"no prompt set named '{set}'");
        switch (im.Match)
        {
            case "prompt":
                if (im.PromptField is null) fail(at + ".prompt_field", "match: prompt needs the field holding the prompt (a string or a messages list)");
                break;
            case "id":
                if (im.IdField is null) fail(at + ".id_field", "match: id needs the field holding the prompt's id");
                if (im.PromptSet is null) fail(at + ".prompt_set", "match: id needs the prompt set whose ids it refers to");
                else if (c.PromptSets.First(p => p.Name == im.PromptSet).IdField is null)
                    fail(at + ".prompt_set", $"prompt set '{im.PromptSet}' records no ids; set its id_field");
                break;
            default:
                fail(at + ".match", $"'{im.Match}' is not one of prompt, id");
                break;
        }
        if (im.ResponseField is null && im.PromptField is null)
            fail(at + ".response_field", "required (or a prompt_field holding a conversation whose final assistant message is the response)");
    }

    static void CheckUrls(List<string> urls, string at, Action<string, string> fail)
    {
        if (urls.Count == 0) fail(at, "at least one URL is needed");
        foreach (var u in urls)
            if (!Uri.TryCreate(u, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                fail(at, $"'{u}' is not an http(s) URL");
    }

    /// <summary>The rule scorer's weights as (YAML field, value given or null).</summary>
    static (string Field, double? Value)[] RuleWeights(ScorerConfig s) =>
        [("form_bonus", s.FormBonus), ("working_penalty", s.WorkingPenalty), ("length_penalty", s.LengthPenalty),
         ("reference_weight", s.ReferenceWeight)];

    static void Unique(IEnumerable<string> names, string at, Action<string, string> fail)
    {
        var seen = new HashSet<string>();
        foreach (var n in names)
            if (n != "" && !seen.Add(n)) fail(at, $"name '{n}' is used twice");
    }
}
