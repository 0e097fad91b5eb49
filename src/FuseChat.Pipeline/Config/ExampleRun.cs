namespace FuseChat.Pipeline.Config;

/// <summary>
/// What `fusechat init-run` writes: a commented run.yaml with FuseChat-3.0's settings (PROTOCOL.md) and one tiny prompt
/// file per category, so the folder validates at once and the user replaces the files with real prompt sets.
/// </summary>
public static class ExampleRun
{
    public const string ConfigFileName = "run.yaml";

    /// <summary>Writes the example into <paramref name="folder"/>; refuses to overwrite an existing run.yaml.</summary>
    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, ConfigFileName);
        if (File.Exists(path)) throw new FuseChat.Core.UserError($"{path}: already exists; not overwritten");
        var prompts = System.IO.Path.Combine(folder, "prompts");
        Directory.CreateDirectory(prompts);
        File.WriteAllText(System.IO.Path.Combine(prompts, "instruction.jsonl"),
            "{\"messages\": [{\"role\": \"user\", \"content\": \"Explain why the sky is blue in two sentences.\"}]}\n");
        File.WriteAllText(System.IO.Path.Combine(prompts, "math.jsonl"),
            "{\"question\": \"What is 17 * 23?\", \"answer\": \"17 * 23 = 391\\n#### 391\"}\n");
        File.WriteAllText(System.IO.Path.Combine(prompts, "code.jsonl"),
            "{\"prompt\": \"def add(a, b):\\n    \\\"\\\"\\\"Return a + b.\\\"\\\"\\\"\\n\", \"test\": \"def check(f):\\n    assert f(1, 2) == 3\\n\", \"entry_point\": \"add\"}\n");
        File.WriteAllText(System.IO.Path.Combine(prompts, "chinese.jsonl"),
            "{\"prompt\": \"用一句话介绍长城。\"}\n");
        File.WriteAllText(path, Yaml);
        return path;
    }

    /// <summary>The example config text (FuseChat-3.0 settings).</summary>
    public const string Yaml = """
# FuseChat.NET run configuration. This folder holds everything the run produces:
# the SQLite store (every prompt, response, score, verdict), the exports and the report.
# Stages: fusechat sample | score | build | run (all three) | status.  ${VAR} is read from the environment.

run:
  split_seed: fusechat      # SFT/DPO split hash seed (PROTOCOL.md "Split")
  seed: 42                  # base of the per-sample seeds sent to the sources
  store: store.db
  output: out
  log_all_requests: false   # true: every HTTP attempt in the requests table; false: failed attempts only
  # max_concurrency: 64     # run-wide cap on HTTP requests in flight over all sources (and scorers), on top of theirs

# One file per prompt set; shapes: auto, messages, sharegpt, alpaca, prompt, gsm8k, math, humaneval, mbpp, io.
# messages/sharegpt rows may be multi-turn: the prompt is every turn before the final assistant reply.
# id_field: question_id records each row's original id (to match imported responses by id).
prompt_sets:
  - name: instruction
    path: prompts/instruction.jsonl
    category: instruction
  - name: math
    path: prompts/math.jsonl
    category: math
  - name: code
    path: prompts/code.jsonl
    category: code
  - name: chinese
    path: prompts/chinese.jsonl
    category: chinese

# The four FuseChat-3.0 sources (OpenAI-compatible servers: vLLM, SGLang, TGI, llama.cpp, Ollama, OpenAI).
# Order matters: ties go to the earlier source.
sources:
  - name: gemma-2-27b
    model: google/gemma-2-27b-it
    base_urls: [http://localhost:8001/v1]
    temperature: 0.8
    top_p: 0.95
    max_tokens: 2048
    concurrency: 32
  - name: mistral-large
    model: mistralai/Mistral-Large-Instruct-2407
    base_urls: [http://localhost:8002/v1]
    temperature: 0.8
    top_p: 0.95
    max_tokens: 2048
    concurrency: 32
  - name: qwen-2.5-72b
    model: Qwen/Qwen2.5-72B-Instruct
    base_urls: [http://localhost:8003/v1]
    temperature: 0.7
    top_p: 0.8
    max_tokens: 2048
    extra_body: {repetition_penalty: 1.05}
    concurrency: 32
  - name: llama-3.1-70b
    model: meta-llama/Llama-3.1-70B-Instruct
    base_urls: [http://localhost:8004/v1]
    temperature: 0.8
    top_p: 0.95
    max_tokens: 2048
    concurrency: 32
  - name: qwen-2.5-math-72b      # math only (see categories.math)
    model: Qwen/Qwen2.5-Math-72B-Instruct
    base_urls: [http://localhost:8005/v1]
    temperature: 0.7
    top_p: 0.8
    max_tokens: 2048
    extra_body: {repetition_penalty: 1.05}
    concurrency: 32
  # Responses shipped with a prompt set (FuseChat used OpenMathInstruct-2's Llama-3.1-405B solutions for math) are
  # imported as a source of their own: rows matched to prompts by text (match: prompt, prompt_field) or by id
  # (match: id, id_field, prompt_set whose id_field recorded the ids); response_field: a string or a list of strings.
  # Add it to categories.math.sources to use it.
  # - name: llama-3.1-405b-shipped
  #   model: meta-llama/Llama-3.1-405B-Instruct
  #   import: {path: prompts/openmathinstruct2.jsonl, match: prompt, prompt_field: problem, response_field: generated_solution}

# Reward model. type: http (served by vLLM as a pooling model), local (a model folder run in-process by FuseChat.Engine:
# Llama/Qwen2/Gemma2 *ForSequenceClassification or ArmoRM; model: the folder), rule (built in: form, sound working and
# length, no model; see docs/pipeline.md) or custom (an IRewardScorer a program registers with RunContext.RegisterScorer). http api: pooling (raw reward head), classify (asks for raw logits) or score.
# input: messages (one conversation per request; the server applies the RM's chat template) or text (rendered here with
# the RM's chat template, chat_template: its model/tokenizer folder or a .jinja file, and batched).
scorers:
  - name: rm
    model: RLHFlow/ArmoRM-Llama3-8B-v0.1
    base_urls: [http://localhost:8010]
    api: pooling
    input: messages
    concurrency: 8

verifiers:
  math_mode: strict
  code_timeout_s: 10
  code_concurrency: 2

# PROTOCOL.md rules; unset fields take these defaults. gap_min/gap_max: a number or none.
categories:
  instruction: {samples: 5, sft: 4, dpo: 6, gap_min: 0.01, gap_max: 0.1,
                sources: [gemma-2-27b, mistral-large, qwen-2.5-72b, llama-3.1-70b]}
  math: {samples: 5, sft: 4, dpo: 6, gap_min: 0.01, gap_max: 0.1, sources: [qwen-2.5-math-72b]}
  code: {samples: 8, sft: 4, dpo: 6, gap_min: none, gap_max: none,
         sources: [gemma-2-27b, mistral-large, qwen-2.5-72b, llama-3.1-70b]}
  chinese: {samples: 1, sft_only: true, scorer: none, sources: [qwen-2.5-72b]}

exports:
  trl: true            # out/sft.jsonl (messages), out/dpo.jsonl (prompt/chosen/rejected)
  llamafactory: true   # out/llamafactory/*.jsonl + dataset_info.json
""";
}
