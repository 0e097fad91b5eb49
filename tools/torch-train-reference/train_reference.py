"""An independent PyTorch (autograd, float64) implementation of FuseChat.NET's SFT and DPO optimizer steps.

Given a Hugging Face model folder and pre-tokenized JSONL data, it runs N optimizer steps exactly as the C# trainer
defines them (and as TRL / HF Trainer do):
  * global batch = the next `batch_size` rows in file order (no shuffling), micro-batching does not change the math;
  * SFT loss: -sum(log p of completion tokens) / (completion tokens in the global batch);
  * DPO: sequence log-prob sums over completion tokens, reference = the starting model (frozen), losses
    sigmoid (label smoothing), sigmoid_norm (beta/|y| on each log-ratio), ipo (TRL: per-token averaged, (d - 1/(2 beta))^2),
    optionally RPO's chosen NLL and DPO-Positive's penalty on a chosen reply that fell below the reference,
    mean over the pairs of the global batch; metrics rewards/* and logps/* as TRL logs them;
  * gradient clipping as torch.nn.utils.clip_grad_norm_ (coef = max/(norm+1e-6), capped at 1);
  * torch.optim.AdamW (decay on 2-D tensors only, as HF excludes biases and norms) or torch.optim.SGD;
  * HF schedules (cosine/linear/constant with warmup) through LambdaLR.
Writes <out>/result.json (loss, grad_norm, lr and metrics per step) and <out>/model.safetensors (updated weights, F32).

Usage: /usr/bin/python3 tools/torch-train-reference/train_reference.py --model DIR --data FILE --kind sft|dpo --out DIR [...]
"""
import argparse
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "torch-reference"))
import reference_model as ref  # noqa: E402
import safetensors_io as st  # noqa: E402


def token_logps(cfg, W, prompt, completion):
    """log p(completion[t] | prompt + completion[:t]) for every completion token, differentiable."""
    ids = list(prompt) + list(completion)
    logits = ref.forward(cfg, W, ids)
    lp = torch.log_softmax(logits, dim=-1)
    P = len(prompt)
    rows = torch.arange(P - 1, len(ids) - 1)
    return lp[rows, torch.tensor(ids[P:])]


def lr_lambda(kind, warmup, total):
    def f(step):
        if step < warmup:
            return step / max(1, warmup)
        if kind == "constant":
            return 1.0
        if kind == "linear":
            return max(0.0, (total - step) / max(1, total - warmup))
        progress = (step - warmup) / max(1, total - warmup)
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 2.0 * 0.5 * progress)))
    return f


def sft_loss(cfg, W, rows):
    total = sum(len(r["completion_ids"]) for r in rows)
    loss = 0.0
    for r in rows:
        loss = loss - token_logps(cfg, W, r["prompt_ids"], r["completion_ids"]).sum()
    return loss / total, {}


def dpo_loss(cfg, W, W0, rows, kind, beta, ls, rpo_alpha=0.0, dpop_lambda=0.0):
    losses, rc_all, rr_all, pc_all, pr_all = [], [], [], [], []
    for r in rows:
        pc = token_logps(cfg, W, r["prompt_ids"], r["chosen_ids"]).sum()
        pr = token_logps(cfg, W, r["prompt_ids"], r["rejected_ids"]).sum()
        with torch.no_grad():
            qc = token_logps(cfg, W0, r["prompt_ids"], r["chosen_ids"]).sum()
            qr = token_logps(cfg, W0, r["prompt_ids"], r["rejected_ids"]).sum()
        rc, rr = pc - qc, pr - qr
        nc, nr = max(1, len(r["chosen_ids"])), max(1, len(r["rejected_ids"]))
        # DPO-Positive (Pal et al. 2024, eq. 3): the margin loses lambda * max(0, log pi_ref(y_w) - log pi(y_w)), here with
        # FuseChat.NET's rounding allowance (the hinge starts 1e-4 * (1 + |log pi_ref(y_w)|) below the reference); the
        # length-normalised loss divides that by |y_w| as it does the log-ratio.
        hinge = torch.relu(-rc - 1e-4 * (1 + abs(qc.item())))
        if kind == "sigmoid":
            z = beta * (rc - rr - dpop_lambda * hinge)
            l = -(1 - ls) * torch.nn.functional.logsigmoid(z) - ls * torch.nn.functional.logsigmoid(-z)
        elif kind == "sigmoid_norm":
            l = -torch.nn.functional.logsigmoid(beta * (rc / nc - rr / nr - dpop_lambda * hinge / nc))
        elif kind == "ipo":
            l = (rc / nc - rr / nr - 1 / (2 * beta)) ** 2
        else:
            raise ValueError(kind)
        losses.append(l)
        rc_all.append(beta * rc.detach()); rr_all.append(beta * rr.detach())
        pc_all.append(pc.detach()); pr_all.append(pr.detach())
    rc_t, rr_t = torch.stack(rc_all), torch.stack(rr_all)
    metrics = {
        "rewards/chosen": rc_t.mean().item(), "rewards/rejected": rr_t.mean().item(),
        "rewards/accuracies": (rc_t > rr_t).double().mean().item(), "rewards/margins": (rc_t - rr_t).mean().item(),
        "logps/chosen": torch.stack(pc_all).mean().item(), "logps/rejected": torch.stack(pr_all).mean().item(),
    }
    loss = torch.stack(losses).mean()
    if rpo_alpha > 0:
        # RPO: alpha x the chosen completions' negative log-likelihood, averaged over all chosen tokens of the batch
        nll = -torch.stack([token_logps(cfg, W, r["prompt_ids"], r["chosen_ids"]).sum() for r in rows]).sum() / sum(
            len(r["chosen_ids"]) for r in rows)
        metrics["nll_loss"] = nll.item()
        loss = loss + rpo_alpha * nll
    return loss, metrics


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--kind", choices=["sft", "dpo"], required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--loss", default="sigmoid")
    ap.add_argument("--beta", type=float, default=0.1)
    ap.add_argument("--label-smoothing", type=float, default=0.0)
    ap.add_argument("--rpo-alpha", type=float, default=0.0)
    ap.add_argument("--dpop-lambda", type=float, default=0.0)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--steps", type=int, default=1)
    ap.add_argument("--scheduler", default="constant")
    ap.add_argument("--warmup-steps", type=int, default=0)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--max-grad-norm", type=float, default=1.0)
    ap.add_argument("--optimizer", default="adamw")
    a = ap.parse_args()

    cfg = ref.Cfg(json.load(open(os.path.join(a.model, "config.json"))))
    W = {k: v.to(torch.float64).requires_grad_(True) for k, v in st.read(os.path.join(a.model, "model.safetensors")).items()}
    W0 = {k: v.detach().clone() for k, v in W.items()}
    rows = [json.loads(l) for l in open(a.data) if l.strip()]
    decay = [p for n, p in W.items() if p.dim() == 2]
    no_decay = [p for n, p in W.items() if p.dim() != 2]
    groups = [{"params": decay, "weight_decay": a.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    if a.optimizer == "adamw":
        opt = torch.optim.AdamW(groups, lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    else:
        opt = torch.optim.SGD(groups, lr=a.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(a.scheduler, a.warmup_steps, a.steps))
    steps = []
    for s in range(a.steps):
        batch = rows[s * a.batch_size:(s + 1) * a.batch_size]
        assert len(batch) == a.batch_size, "not enough rows for the requested steps"
        opt.zero_grad()
        if a.kind == "sft":
            loss, metrics = sft_loss(cfg, W, batch)
        else:
            loss, metrics = dpo_loss(cfg, W, W0, batch, a.loss, a.beta, a.label_smoothing, a.rpo_alpha, a.dpop_lambda)
        loss.backward()
        if a.max_grad_norm > 0:
            gn = torch.nn.utils.clip_grad_norm_(list(W.values()), a.max_grad_norm).item()
        else:
            gn = torch.sqrt(sum((p.grad ** 2).sum() for p in W.values())).item()
        lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        steps.append(dict(step=s + 1, loss=loss.item(), grad_norm=gn, lr=lr, **metrics))
    os.makedirs(a.out, exist_ok=True)
    st.write(os.path.join(a.out, "model.safetensors"), {k: v.detach() for k, v in W.items()}, torch.float32)
    with open(os.path.join(a.out, "result.json"), "w") as f:
        json.dump({"args": vars(a), "steps": steps}, f, indent=1)
    print(a.out, [round(x["loss"], 8) for x in steps])


if __name__ == "__main__":
    main()
