namespace FuseChat.Pipeline.Config;

/// <summary>One run, as written in its YAML file; the file's folder holds everything the run produces.</summary>
public sealed class RunConfig
{
    /// <summary>Run-wide settings: seeds and where outputs go.</summary>
    public RunSettings Run { get; set; } = new();
    /// <summary>Input files of prompts, each with one category.</summary>
    public List<PromptSetConfig> PromptSets { get; set; } = [];
    /// <summary>Source models to sample, in priority order (ties go to the earlier source).</summary>
    public List<SourceConfig> Sources { get; set; } = [];
    /// <summary>Reward models served over HTTP.</summary>
    public List<ScorerConfig> Scorers { get; set; } = [];
    /// <summary>Settings passed to the math and code verifiers.</summary>
    public VerifiersConfig Verifiers { get; set; } = new();
    /// <summary>Per-category rules (instruction, math, code, chinese, or user-named categories inheriting one of them).</summary>
    public Dictionary<string, CategoryConfig> Categories { get; set; } = [];
    /// <summary>Which dataset files the build stage writes.</summary>
    public ExportsConfig Exports { get; set; } = new();

    /// <summary>Folder of the config file; relative paths are resolved against it. Not read from YAML.</summary>
    [YamlDotNet.Serialization.YamlIgnore] public string Folder { get; set; } = ".";
    /// <summary>Path of the config file. Not read from YAML.</summary>
    [YamlDotNet.Serialization.YamlIgnore] public string Path { get; set; } = "run.yaml";

    /// <summary>A path from the config, resolved against the run folder (absolute paths stay as they are).</summary>
    public string Resolve(string path) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Folder, path));
}

/// <summary>Run-wide settings.</summary>
public sealed class RunSettings
{
    /// <summary>Seed of the SFT/DPO split hash (PROTOCOL.md "Split").</summary>
    public string SplitSeed { get; set; } = "fusechat";
    /// <summary>Base of the per-sample seeds sent to sources (each sample's seed is derived from it, the prompt, source and index).</summary>
    public long Seed { get; set; } = 42;
    /// <summary>Store file, relative to the run folder.</summary>
    public string Store { get; set; } = "store.db";
    /// <summary>Folder for exports and the report, relative to the run folder.</summary>
    public string Output { get; set; } = "out";
    /// <summary>Log every HTTP attempt in the requests table; by default only failed attempts are logged (a successful
    /// one is fully described by its response row: endpoint, attempts, times, usage), which halves the writes.</summary>
    public bool LogAllRequests { get; set; }
    /// <summary>Most HTTP requests in flight at once over the whole run (all sources while sampling, all scorers while
    /// scoring), on top of each source's and scorer's own concurrency; null = no run-wide cap. Requests waiting out a
    /// retry backoff do not hold a slot.</summary>
    public int? MaxConcurrency { get; set; }
}

/// <summary>One input file of prompts.</summary>
public sealed class PromptSetConfig
{
    /// <summary>Name of the set (unique); appears in exports and statistics.</summary>
    public string Name { get; set; } = "";
    /// <summary>File path (JSONL or JSON array), relative to the run folder.</summary>
    public string Path { get; set; } = "";
    /// <summary>auto (by extension and first byte), jsonl or json.</summary>
    public string Format { get; set; } = "auto";
    /// <summary>Category of every prompt in the file.</summary>
    public string Category { get; set; } = "instruction";
    /// <summary>Row shape: auto, messages, sharegpt, alpaca, prompt, gsm8k, math, humaneval, mbpp, io, turns, question.</summary>
    public string Shape { get; set; } = "auto";
    /// <summary>Take at most this many prompts (after dedup); null = all.</summary>
    public int? Limit { get; set; }
    /// <summary>Optional system message added before every prompt.</summary>
    public string? System { get; set; }
    /// <summary>SFT share of this set's split, overriding its category's (set with dpo).</summary>
    public double? Sft { get; set; }
    /// <summary>DPO share of this set's split, overriding its category's (set with sft).</summary>
    public double? Dpo { get; set; }
    /// <summary>Field of each row holding its id in the original dataset (e.g. question_id); recorded so imported
    /// responses can be matched to prompts by id (sources[].import.match: id). Null = not recorded.</summary>
    public string? IdField { get; set; }
}

/// <summary>A source model behind one or more OpenAI-compatible endpoints, or (with import) responses shipped in a file.</summary>
public sealed class SourceConfig
{
    /// <summary>Short unique name, used as the key of its responses.</summary>
    public string Name { get; set; } = "";
    /// <summary>Model name sent in the request body.</summary>
    public string Model { get; set; } = "";
    /// <summary>Base URLs ending in /v1; requests are spread over them.</summary>
    public List<string> BaseUrls { get; set; } = [];
    /// <summary>Environment variable holding the API key (sent as a Bearer token); null = none.</summary>
    public string? ApiKeyEnv { get; set; }
    /// <summary>Most requests in flight to this source at once.</summary>
    public int Concurrency { get; set; } = 32;
    /// <summary>Per-request timeout in seconds.</summary>
    public double TimeoutS { get; set; } = 600;
    /// <summary>Retries after the first attempt on 429, 5xx, timeouts and broken responses.</summary>
    public int MaxRetries { get; set; } = 6;
    /// <summary>First backoff delay in seconds (doubles each retry, with jitter; Retry-After wins when given).</summary>
    public double BackoffS { get; set; } = 1;
    /// <summary>Longest backoff delay in seconds.</summary>
    public double MaxBackoffS { get; set; } = 60;
    /// <summary>max_tokens sent with every request.</summary>
    public int MaxTokens { get; set; } = 2048;
    /// <summary>Sampling temperature.</summary>
    public double Temperature { get; set; } = 0.8;
    /// <summary>Nucleus sampling threshold.</summary>
    public double TopP { get; set; } = 0.95;
    /// <summary>Other request-body fields (repetition_penalty, top_k, stop, ...), sent as given.</summary>
    public Dictionary<string, object> ExtraBody { get; set; } = [];
    /// <summary>Responses produced elsewhere, read from a file instead of sampled (PROTOCOL.md: "existing responses
    /// shipped with a prompt set can be imported as a source of their own"); base_urls and sampling fields are then unused.</summary>
    public ImportConfig? Import { get; set; }
}

/// <summary>Where an imported source's responses come from and how each row is matched to a stored prompt.</summary>
public sealed class ImportConfig
{
    /// <summary>JSONL or JSON-array file of responses, relative to the run folder.</summary>
    public string Path { get; set; } = "";
    /// <summary>auto (by the first byte), jsonl or json.</summary>
    public string Format { get; set; } = "auto";
    /// <summary>prompt: by the conversation text (system messages ignored); id: by id_field against a prompt set's id_field.</summary>
    public string Match { get; set; } = "prompt";
    /// <summary>match: prompt: the field holding the prompt, a string (one user turn) or a messages/conversations list.</summary>
    public string? PromptField { get; set; }
    /// <summary>match: id: the field holding the original dataset's id of the prompt.</summary>
    public string? IdField { get; set; }
    /// <summary>Only prompts of this prompt set are matched (required for match: id, whose ids are per set).</summary>
    public string? PromptSet { get; set; }
    /// <summary>The field holding the response: a string, or a list of strings (several samples). Unset: the final
    /// assistant message of the conversation in prompt_field is the response.</summary>
    public string? ResponseField { get; set; }
    /// <summary>Optional field holding each response's finish_reason ("length" makes it ineligible like a sampled one).</summary>
    public string? FinishReasonField { get; set; }
}

/// <summary>A reward model: served over HTTP in one of vLLM's pooling APIs, run in-process, or registered by the program.</summary>
public sealed class ScorerConfig
{
    /// <summary>Short unique name; stored with every score it gives.</summary>
    public string Name { get; set; } = "";
    /// <summary>http (a vLLM-style server), local (the model folder run in-process by FuseChat.Engine's reward heads), rule
    /// (the built-in form/working/length/reference rule, RuleRewardScorer) or custom (an IRewardScorer instance the program registers
    /// with RunContext.RegisterScorer under this name).</summary>
    public string Type { get; set; } = "http";
    /// <summary>http: model name sent in the request body; local: the model folder (config.json, safetensors, tokenizer).</summary>
    public string Model { get; set; } = "";
    /// <summary>Where the chat template that renders input: text comes from: a tokenizer/model folder (its
    /// tokenizer_config.json or chat_template.jinja) or a .jinja file; local scorers default to their model folder.</summary>
    public string? ChatTemplate { get; set; }
    /// <summary>Server base URLs (without /v1); requests are spread over them.</summary>
    public List<string> BaseUrls { get; set; } = [];
    /// <summary>pooling (raw reward head output), classify (asks for raw logits with activation: false) or score.</summary>
    public string Api { get; set; } = "pooling";
    /// <summary>messages (the conversation as chat messages, one per request; the server applies the RM's template) or
    /// text (rendered here with chat_template, or text_template, and batched).</summary>
    public string Input { get; set; } = "messages";
    /// <summary>For input: text without a chat template (models that have none): the string sent per response, with
    /// {system}, {prompt} (the final user turn) and {response} placeholders.</summary>
    public string? TextTemplate { get; set; }
    /// <summary>Responses per request for batched inputs.</summary>
    public int BatchSize { get; set; } = 16;
    /// <summary>Environment variable holding the API key; null = none.</summary>
    public string? ApiKeyEnv { get; set; }
    /// <summary>Most requests in flight at once.</summary>
    public int Concurrency { get; set; } = 8;
    /// <summary>Per-request timeout in seconds.</summary>
    public double TimeoutS { get; set; } = 300;
    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; set; } = 6;
    /// <summary>First backoff delay in seconds.</summary>
    public double BackoffS { get; set; } = 1;
    // The rule's weights are nullable so that one given to another type is an error rather than silently unused.
    /// <summary>type: rule only (default 1): added when a response has the expected form (a math final-answer sentence, one fenced Python function).</summary>
    public double? FormBonus { get; set; }
    /// <summary>type: rule only (default 0): subtracted for each integer equation in the response that does not hold ("3 + 4 = 8").</summary>
    public double? WorkingPenalty { get; set; }
    /// <summary>type: rule only (default 0.002): subtracted per character of the response (prefers the concise one among equals).</summary>
    public double? LengthPenalty { get; set; }
    /// <summary>type: rule only (default 0 = off): weight of the response's word overlap with the prompt's reference answer
    /// (a prompt row's <c>reference</c> field), (matched − unmatched) / reference words; prompts without one get no term.</summary>
    public double? ReferenceWeight { get; set; }
}

/// <summary>Settings of the verifiers that judge math and code responses.</summary>
public sealed class VerifiersConfig
{
    /// <summary>Math answer comparison mode: strict or qwen.</summary>
    public string MathMode { get; set; } = "strict";
    /// <summary>Seconds a code test may run.</summary>
    public double CodeTimeoutS { get; set; } = 10;
    /// <summary>Code tests run at once.</summary>
    public int CodeConcurrency { get; set; } = 2;
}

/// <summary>Rules of one category; unset fields take the defaults of the rule set it inherits.</summary>
public sealed class CategoryConfig
{
    /// <summary>Rule set: instruction, math or code (built-in categories know theirs).</summary>
    public string? Rules { get; set; }
    /// <summary>Samples per source per prompt.</summary>
    public int? Samples { get; set; }
    /// <summary>Sources sampled for this category, by name; null = all sources.</summary>
    public List<string>? Sources { get; set; }
    /// <summary>Split ratio: SFT share.</summary>
    public double? Sft { get; set; }
    /// <summary>Split ratio: DPO share.</summary>
    public double? Dpo { get; set; }
    /// <summary>Send every prompt to SFT.</summary>
    public bool? SftOnly { get; set; }
    /// <summary>Smallest accepted RM gap of a DPO pair; "none" = no bound.</summary>
    public string? GapMin { get; set; }
    /// <summary>Largest accepted RM gap of a DPO pair; "none" = no bound.</summary>
    public string? GapMax { get; set; }
    /// <summary>Keep responses cut off by max_tokens eligible.</summary>
    public bool? AllowTruncated { get; set; }
    /// <summary>Name of the reward model used; "none" = no reward model.</summary>
    public string? Scorer { get; set; }
}

/// <summary>Dataset files the build stage writes (under run.output).</summary>
public sealed class ExportsConfig
{
    /// <summary>TRL files: sft.jsonl (messages) and dpo.jsonl (prompt/chosen/rejected).</summary>
    public bool Trl { get; set; } = true;
    /// <summary>LLaMA-Factory ShareGPT files with dataset_info.json.</summary>
    public bool Llamafactory { get; set; } = true;
}
