"""Writes the trainer parity fixtures into tests/FuseChat.Training.Tests/Fixtures/parity/: three tiny random checkpoints
(Llama with an untied head; Qwen2 with q/k/v biases and tied embeddings; Gemma-2 with soft-caps and a sliding window), small pre-tokenized SFT and DPO datasets,
and for each case the losses/metrics and updated weights that train_reference.py computes.

Run with the Debian interpreter (needs python3-torch):  /usr/bin/python3 tools/torch-train-reference/make_fixtures.py
"""
import json
import os
import random
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "torch-reference"))
import reference_model as ref  # noqa: E402
import safetensors_io as st  # noqa: E402
from make_fixtures import tensor_shapes  # noqa: E402  (tools/torch-reference/make_fixtures.py)

ROOT = os.path.join(HERE, "..", "..", "tests", "FuseChat.Training.Tests", "Fixtures", "parity")
BASE = dict(vocab_size=64, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5, bos_token_id=0, eos_token_id=1)
MODELS = {
    "llama": dict(model_type="llama", hidden_act="silu", rope_theta=10000.0, tie_word_embeddings=False),
    "qwen2": dict(model_type="qwen2", hidden_act="silu", rope_theta=1000000.0, tie_word_embeddings=True, use_sliding_window=False),
    # Gemma-2: (1+w) norms x4, sqrt(hidden) embedding scale, attention and final soft-caps, a sliding window, GeGLU
    "gemma2": dict(model_type="gemma2", hidden_act="gelu_pytorch_tanh", hidden_activation="gelu_pytorch_tanh", head_dim=8,
                   query_pre_attn_scalar=8, attn_logit_softcapping=5.0, final_logit_softcapping=4.0, sliding_window=6,
                   rope_theta=10000.0, tie_word_embeddings=True),
}
# name: (model, kind, data, extra args); every case runs train_reference.py with --no-shuffle semantics.
CASES = {
    "sft": ("llama", "sft", "sft.jsonl", ["--steps", "1", "--batch-size", "4"]),
    "sft_two_steps_cosine_wd": ("llama", "sft", "sft.jsonl", ["--steps", "2", "--batch-size", "4", "--scheduler", "cosine", "--weight-decay", "0.1"]),
    "sft_qwen2_tied": ("qwen2", "sft", "sft.jsonl", ["--steps", "1", "--batch-size", "4"]),
    # all eight rows in one step, unpacked: the C# trainer's packed rows (positions reset, no attention across examples)
    # must give this same step (ParityTests.PackedStepMatchesPyTorchUnpacked)
    "sft_whole_batch_gemma2": ("gemma2", "sft", "sft.jsonl", ["--steps", "1", "--batch-size", "8"]),
    "sft_sgd": ("llama", "sft", "sft.jsonl", ["--steps", "1", "--batch-size", "4", "--optimizer", "sgd", "--lr", "0.5", "--max-grad-norm", "0"]),
    "dpo_sigmoid": ("llama", "dpo", "dpo.jsonl", ["--steps", "2", "--batch-size", "4", "--loss", "sigmoid", "--beta", "0.5", "--label-smoothing", "0.1"]),
    "dpo_sigmoid_norm": ("llama", "dpo", "dpo.jsonl", ["--steps", "2", "--batch-size", "4", "--loss", "sigmoid_norm", "--beta", "10"]),
    "dpo_ipo": ("llama", "dpo", "dpo.jsonl", ["--steps", "2", "--batch-size", "4", "--loss", "ipo", "--beta", "0.1"]),
    "sft_gemma2": ("gemma2", "sft", "sft.jsonl", ["--steps", "1", "--batch-size", "4"]),
    "dpo_ipo_gemma2": ("gemma2", "dpo", "dpo.jsonl", ["--steps", "2", "--batch-size", "4", "--loss", "ipo", "--beta", "0.5"]),
    "dpo_sigmoid_norm_qwen2": ("qwen2", "dpo", "dpo.jsonl", ["--steps", "2", "--batch-size", "4", "--loss", "sigmoid_norm", "--beta", "2"]),
    # RPO: length-normalised DPO plus the chosen replies' token-mean NLL (TRL's rpo_alpha)
    "dpo_sigmoid_norm_rpo": ("llama", "dpo", "dpo.jsonl", ["--steps", "2", "--batch-size", "4", "--loss", "sigmoid_norm", "--beta", "10", "--rpo-alpha", "0.5"]),
    # DPO-Positive: at step 2 some chosen replies are below the reference (step 1 is a tie, where the penalty is 0)
    "dpo_sigmoid_norm_dpop": ("llama", "dpo", "dpo.jsonl", ["--steps", "2", "--batch-size", "4", "--loss", "sigmoid_norm", "--beta", "10", "--dpop-lambda", "5"]),
    "dpo_sigmoid_dpop": ("llama", "dpo", "dpo.jsonl", ["--steps", "2", "--batch-size", "4", "--loss", "sigmoid", "--beta", "0.5", "--dpop-lambda", "5"]),
}


def random_weights(cfg, seed):
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, shape in tensor_shapes(cfg):
        r = torch.randn(shape, generator=g, dtype=torch.float64)
        if name.endswith("norm.weight"):
            out[name] = (0.2 * r) if cfg.gemma else (1.0 + 0.2 * r)
        elif name.endswith(".bias"):
            out[name] = 0.1 * r
        else:
            out[name] = 0.2 * r if "embed" not in name else 0.6 * r
    return out


def ids(rng, lo, hi, V):
    return [rng.randrange(2, V) for _ in range(rng.randint(lo, hi))]


def main():
    os.makedirs(ROOT, exist_ok=True)
    for seed, (name, extra) in enumerate(MODELS.items()):
        d = os.path.join(ROOT, name)
        os.makedirs(d, exist_ok=True)
        cfg_json = dict(BASE, **extra)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(cfg_json, f, indent=1)
        st.write(os.path.join(d, "model.safetensors"), random_weights(ref.Cfg(cfg_json), 7 + seed), torch.float32)
    rng = random.Random(11)
    V = BASE["vocab_size"]
    with open(os.path.join(ROOT, "sft.jsonl"), "w") as f:
        for _ in range(8):
            f.write(json.dumps({"prompt_ids": ids(rng, 1, 6, V), "completion_ids": ids(rng, 2, 9, V)}) + "\n")
    with open(os.path.join(ROOT, "dpo.jsonl"), "w") as f:
        for _ in range(8):
            f.write(json.dumps({"prompt_ids": ids(rng, 1, 6, V), "chosen_ids": ids(rng, 2, 9, V), "rejected_ids": ids(rng, 2, 9, V)}) + "\n")
    for case, (model, kind, data, extra) in CASES.items():
        out = os.path.join(ROOT, "expected", case)
        subprocess.run([sys.executable, os.path.join(HERE, "train_reference.py"), "--model", os.path.join(ROOT, model),
                        "--data", os.path.join(ROOT, data), "--kind", kind, "--out", out] + extra, check=True)
        res = json.load(open(os.path.join(out, "result.json")))
        res["case"] = {"model": model, "kind": kind, "data": data}
        for k in ("model", "data", "out"):
            res["args"].pop(k)
        with open(os.path.join(out, "result.json"), "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
