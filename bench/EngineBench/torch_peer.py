"""PyTorch CPU peer for EngineBench: the same shapes / model config in FP32 with the same thread count."""
import sys
import time

import torch


def gemm(threads, specs):
    """specs: "name:linear:ta:tb:m:n:k:beta;..." as GemmBench.Specs writes it (BLAS terms, row-major)."""
    for spec in specs.split(";"):
        name, linear, ta, tb, m, n, k, beta = spec.split(":")
        linear, ta, tb, m, n, k, beta = linear == "1", ta == "1", tb == "1", int(m), int(n), int(k), float(beta)
        a = torch.rand(k, m) - 0.5 if ta else torch.rand(m, k) - 0.5
        b = torch.rand(n, k) - 0.5 if tb else torch.rand(k, n) - 0.5
        c = torch.zeros(m, n)
        opa, opb = (a.T if ta else a), (b.T if tb else b)
        if linear:
            call = lambda: torch.nn.functional.linear(a, b)
        elif beta == 1.0:
            call = lambda: c.addmm_(opa, opb)
        else:
            call = lambda: torch.mm(opa, opb, out=c)
        call()
        flops = 2.0 * m * n * k
        reps = max(1, int(0.1 * 100e9 / flops))
        best = 1e9
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(reps):
                call()
            best = min(best, (time.perf_counter() - t) / reps)
        print(f"gemm {name} {flops / best / 1e9:.3f}", flush=True)


if __name__ == "__main__":
    mode, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    if mode == "gemm":
        gemm(threads, sys.argv[3])


# ~100M-parameter Llama shape shared with ModelBench.cs
CFG = dict(V=32000, C=768, L=12, H=12, KV=4, I=2048, hd=64)


def llama_weights():
    c = CFG
    g = torch.Generator().manual_seed(0)
    r = lambda *s: torch.randn(*s, generator=g) * 0.02
    layers = []
    for _ in range(c["L"]):
        layers.append(dict(n1=torch.ones(c["C"]), wq=r(c["H"] * c["hd"], c["C"]), wk=r(c["KV"] * c["hd"], c["C"]),
                           wv=r(c["KV"] * c["hd"], c["C"]), wo=r(c["C"], c["H"] * c["hd"]), n2=torch.ones(c["C"]),
                           wg=r(c["I"], c["C"]), wu=r(c["I"], c["C"]), wd=r(c["C"], c["I"])))
    return dict(emb=r(c["V"], c["C"]), layers=layers, norm=torch.ones(c["C"]), head=r(c["V"], c["C"]))


def rms(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * w


def step(W, ids, cache, past):
    """Eager HF-style forward of new tokens ids [T] with a KV cache (list of (k, v) per layer); returns last logits."""
    c = CFG
    T = ids.shape[0]
    x = W["emb"][ids]
    pos = torch.arange(past, past + T, dtype=torch.float32)
    inv = 1.0 / (10000.0 ** (torch.arange(0, c["hd"], 2).float() / c["hd"]))
    f = torch.outer(pos, inv)
    emb = torch.cat((f, f), -1)
    cos, sin = emb.cos(), emb.sin()

    def rope(t):
        h = t.shape[-1] // 2
        return t * cos + torch.cat((-t[..., h:], t[..., :h]), -1) * sin

    mask = torch.full((T, past + T), float("-inf")).triu(past + 1)
    for l, lw in enumerate(W["layers"]):
        h = rms(x, lw["n1"])
        q = rope((h @ lw["wq"].T).view(T, c["H"], c["hd"]).transpose(0, 1))
        k = rope((h @ lw["wk"].T).view(T, c["KV"], c["hd"]).transpose(0, 1))
        v = (h @ lw["wv"].T).view(T, c["KV"], c["hd"]).transpose(0, 1)
        if cache[l] is not None:
            k = torch.cat((cache[l][0], k), 1)
            v = torch.cat((cache[l][1], v), 1)
        cache[l] = (k, v)
        rep = c["H"] // c["KV"]
        kk, vv = k.repeat_interleave(rep, 0), v.repeat_interleave(rep, 0)
        s = (q @ kk.transpose(1, 2)) / (c["hd"] ** 0.5) + mask
        a = (torch.softmax(s, -1) @ vv).transpose(0, 1).reshape(T, -1)
        x = x + a @ lw["wo"].T
        h = rms(x, lw["n2"])
        g = h @ lw["wg"].T
        x = x + (torch.nn.functional.silu(g) * (h @ lw["wu"].T)) @ lw["wd"].T
    x = rms(x[-1:], W["norm"])
    return x @ W["head"].T


def model(prompt_len, new_tokens):
    W = llama_weights()
    ids = torch.randint(0, CFG["V"], (prompt_len,))
    with torch.no_grad():
        step(W, ids[:16], [None] * CFG["L"], 0)  # warm-up
        best_p, best_d = 1e9, 1e9
        for _ in range(2):
            cache = [None] * CFG["L"]
            t = time.perf_counter()
            logits = step(W, ids, cache, 0)
            best_p = min(best_p, time.perf_counter() - t)
            t = time.perf_counter()
            for i in range(new_tokens):
                nxt = torch.argmax(logits[-1]).view(1)
                logits = step(W, nxt, cache, prompt_len + i)
            best_d = min(best_d, time.perf_counter() - t)
    print(f"prefill tokens/s {prompt_len / best_p:.3f}", flush=True)
    print(f"decode tokens/s {new_tokens / best_d:.3f}", flush=True)


if __name__ == "__main__" and sys.argv[1] in ("model", "all"):
    model(int(sys.argv[3]) if len(sys.argv) > 3 else 256, int(sys.argv[4]) if len(sys.argv) > 4 else 32)


def hf_sample(scores, seen, temperature=1.0, top_k=0, top_p=1.0, min_p=0.0, penalty=1.0, greedy=False):
    """One row through Hugging Face's logits processors in generate()'s order, then argmax or a multinomial draw."""
    scores = scores.clone()
    if penalty != 1.0:
        s = torch.gather(scores, 1, seen)
        scores.scatter_(1, seen, torch.where(s < 0, s * penalty, s / penalty))
    if greedy:
        return torch.argmax(scores, -1)
    if temperature != 1.0:
        scores = scores / temperature
    if top_k > 0:
        kth = torch.topk(scores, top_k)[0][..., -1, None]
        scores = scores.masked_fill(scores < kth, float("-inf"))
    if top_p < 1.0:
        sorted_logits, sorted_idx = torch.sort(scores, descending=False)
        cum = sorted_logits.softmax(-1).cumsum(-1)
        remove = cum <= (1 - top_p)
        remove[..., -1:] = False
        scores = scores.masked_fill(remove.scatter(1, sorted_idx, remove), float("-inf"))
    if min_p > 0.0:
        probs = torch.softmax(scores, -1)
        remove = probs < min_p * probs.amax(-1, keepdim=True)
        sorted_idx = torch.argsort(scores, descending=True, dim=-1)
        sorted_remove = torch.gather(remove, -1, sorted_idx)
        sorted_remove[..., :1] = False
        scores = scores.masked_fill(sorted_remove.scatter(1, sorted_idx, sorted_remove), float("-inf"))
    return torch.multinomial(torch.softmax(scores, -1), 1)


# The settings SamplerBench.cs measures, under the same names.
SAMPLER_CASES = {
    "greedy+penalty": dict(greedy=True, penalty=1.1),
    "temperature": dict(temperature=0.7),
    "topk50+topp0.9": dict(temperature=0.7, top_k=50, top_p=0.9),
    "topp0.95+minp0.05+penalty": dict(top_p=0.95, min_p=0.05, penalty=1.1),
}


def sampler():
    torch.manual_seed(0)
    for vocab in (32000, 151936):
        logits = torch.randn(1, vocab) * 3
        seen = torch.randint(0, vocab, (1, 256))
        reps = 40 if vocab > 100000 else 150
        with torch.no_grad():
            for name, kw in SAMPLER_CASES.items():
                best = 1e9
                for r in range(4):  # the first round warms up
                    t = time.perf_counter()
                    for _ in range(reps):
                        hf_sample(logits, seen, **kw)
                    if r > 0:
                        best = min(best, (time.perf_counter() - t) / reps)
                print(f"sampler {vocab} {name} {best * 1e6:.3f}", flush=True)


if __name__ == "__main__" and sys.argv[1] == "sampler":
    sampler()
