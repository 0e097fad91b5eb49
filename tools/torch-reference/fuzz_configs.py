"""Random configurations x random weights: `fusechat logprobs` and greedy `fusechat generate` against
reference_model.py (float64), on configurations no fixture uses (sizes, GQA ratios, explicit head_dim, biases,
llama3/linear rope scaling, Qwen2/Mistral/Gemma-2 windows, soft-caps, tied heads, F32/BF16/F16 files).

Usage (Debian's interpreter for torch; FUSECHAT = the built CLI):
  dotnet build -c Release src/FuseChat.Cli -o /tmp/fusechat-cli
  FUSECHAT=/tmp/fusechat-cli/fusechat.dll /usr/bin/python3 tools/torch-reference/fuzz_configs.py SEED COUNT
Prints one line per configuration and the worst relative error; exits 1 on any error >= 1e-4 or greedy mismatch.
"""
import json, os, random, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import reference_model as ref
import safetensors_io as st
import make_fixtures as mf

FUSE = os.environ["FUSECHAT"]
WORK = tempfile.mkdtemp(prefix="fuzz-configs-")
rng = random.Random(int(sys.argv[1]))
N = int(sys.argv[2])
worst = 0.0
fails = []
for case in range(N):
    arch = rng.choice(["llama", "qwen2", "mistral", "gemma2"])
    kv = rng.choice([1, 2, 3, 4])
    heads = kv * rng.choice([1, 2, 3])
    hd = rng.choice([8, 12, 16, 32])
    hidden = rng.choice([32, 48, 64, 96])
    j = dict(model_type=arch, vocab_size=rng.choice([50, 97, 130, 257]), hidden_size=hidden,
             intermediate_size=rng.choice([40, 64, 100, 128]), num_hidden_layers=rng.choice([1, 2, 3, 4]),
             num_attention_heads=heads, num_key_value_heads=kv, max_position_embeddings=rng.choice([48, 64, 128]),
             rms_norm_eps=rng.choice([1e-5, 1e-6]), initializer_range=0.02, bos_token_id=0, eos_token_id=1,
             tie_word_embeddings=rng.random() < 0.5, rope_theta=rng.choice([10000.0, 500000.0, 1e6]))
    if rng.random() < 0.6 or hidden % heads: j["head_dim"] = hd
    if arch == "llama":
        j["hidden_act"] = "silu"
        if rng.random() < 0.4: j["attention_bias"] = True
        if rng.random() < 0.3: j["mlp_bias"] = True
        r = rng.random()
        if r < 0.3:
            j["rope_scaling"] = dict(rope_type="llama3", factor=rng.choice([2.0, 8.0, 32.0]), low_freq_factor=1.0,
                                     high_freq_factor=rng.choice([2.0, 4.0]), original_max_position_embeddings=rng.choice([16, 32, 64]))
        elif r < 0.45:
            j["rope_scaling"] = dict(type="linear", factor=rng.choice([2.0, 4.0]))
    elif arch == "qwen2":
        j["hidden_act"] = "silu"
        j["use_sliding_window"] = rng.random() < 0.5
        j["sliding_window"] = rng.choice([3, 5, 8, 4096])
        j["max_window_layers"] = rng.choice([0, 1, 2, 28])
    elif arch == "mistral":
        j["hidden_act"] = "silu"
        j["sliding_window"] = rng.choice([2, 4, 7, None, 4096])
    else:
        j["hidden_activation"] = "gelu_pytorch_tanh"; j["hidden_act"] = "gelu_pytorch_tanh"
        j["head_dim"] = hd
        j["query_pre_attn_scalar"] = rng.choice([hd, 24, 144])
        j["attn_logit_softcapping"] = rng.choice([None, 50.0, 3.0])
        j["final_logit_softcapping"] = rng.choice([None, 30.0, 5.0])
        j["sliding_window"] = rng.choice([3, 4, 6, 4096])
        j["tie_word_embeddings"] = True
    dtype = rng.choice([torch.float32, torch.bfloat16, torch.float16])
    cfg = ref.Cfg(j)
    d = f"{WORK}/m{case}"
    os.makedirs(d, exist_ok=True)
    json.dump(j, open(f"{d}/config.json", "w"))
    st.write(f"{d}/model.safetensors", mf.random_weights(cfg, 5000 + case), dtype)
    W = {k: v.to(torch.float64) for k, v in st.read(f"{d}/model.safetensors").items()}
    V = j["vocab_size"]
    rows = []
    for _ in range(3):
        p = [rng.randrange(V) for _ in range(rng.randint(1, 12))]
        r = [rng.randrange(V) for _ in range(rng.randint(1, 20))]
        rows.append((p, r))
    with open(f"{d}/in.jsonl", "w") as f:
        for p, r in rows: f.write(json.dumps({"prompt_ids": p, "response_ids": r}) + "\n")
    res = subprocess.run(["dotnet", FUSE, "logprobs", "--model", d, "--in", f"{d}/in.jsonl", "--out", f"{d}/out.jsonl"], capture_output=True, text=True)
    if res.returncode != 0:
        fails.append((case, arch, "logprobs failed: " + res.stderr.strip()[-300:])); continue
    outs = [json.loads(l) for l in open(f"{d}/out.jsonl")]
    case_worst = 0.0
    for (p, r), o in zip(rows, outs):
        exp = ref.response_logps(cfg, W, p, r)
        s = sum(exp)
        rel = abs(o["logp"] - s) / max(1e-9, abs(s))
        tok = max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(o["token_logps"], exp))
        case_worst = max(case_worst, rel, tok)
    prompt = rows[0][0]
    g = subprocess.run(["dotnet", FUSE, "generate", "--model", d, "--prompt-ids", ",".join(map(str, prompt)), "--greedy", "--max-new-tokens", "12", "--eos-ids", str(V + 5)], capture_output=True, text=True)
    ok_greedy = None
    if g.returncode != 0:
        fails.append((case, arch, "generate failed: " + g.stderr.strip()[-300:]))
    else:
        got = json.loads(g.stdout.strip().splitlines()[-1])
        got = got["ids"] if isinstance(got, dict) else got
        exp_g = ref.greedy(cfg, W, prompt, 12)
        ok_greedy = got == exp_g
        if not ok_greedy:
            fails.append((case, arch, f"greedy differs: {got} vs {exp_g}"))
    worst = max(worst, case_worst)
    flag = "" if case_worst < 1e-4 else "  <-- FAIL"
    if case_worst >= 1e-4: fails.append((case, arch, f"rel err {case_worst:.2e}"))
    print(f"case {case} {arch} {str(dtype)[6:]} L{j['num_hidden_layers']} H{heads}/{kv} hd{j.get('head_dim')} rel {case_worst:.1e} greedy {ok_greedy}{flag}", flush=True)
print("worst", worst)
for f in fails: print("FAIL", f, json.dumps(json.load(open(f"{WORK}/m{f[0]}/config.json"))))
sys.exit(1 if fails else 0)
