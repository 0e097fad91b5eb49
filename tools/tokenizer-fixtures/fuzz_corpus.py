#!/usr/bin/env python3
"""Random tokenizer test texts for the differential check in fuzz.sh: mixtures of English, CJK, Hangul, Arabic,
Devanagari, emoji sequences, combining marks, compatibility characters, numbers, code, LaTeX, whitespace runs,
special-token strings (whole and cut), contraction suffixes and control characters.

Usage: python3 fuzz_corpus.py SEED COUNT [--with-known-divergences] > texts.jsonl
--with-known-divergences also draws U+FEFF and U+0085, where JavaScript's \\s (the node reference) and the
Oniguruma/Rust \\s of Hugging Face tokenizers disagree (see README.md here).
"""
import json, random, sys
rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
specials = ["<|begin_of_text|>","<|eot_id|>","<|start_header_id|>","<|end_header_id|>","<|im_start|>","<|im_end|>","<|endoftext|>","<think>","</think>","<tool_call>","<start_of_turn>","<end_of_turn>","<bos>","<eos>","<pad>","<|reserved_special_token_5|>","<mask>","<unk>","[multimodal]","<start_of_image>","<|fim_prefix|>","<|vision_start|>"]
pools = [
 lambda: rng.choice(["the","Hello","world","don't","I'm","we'll","they've","it's","HTTP","naïve","café","Zürich","résumé","ﬁne","straße"]),
 lambda: "".join(rng.choice(" \t\n\r\u00a0\u3000\u2009") for _ in range(rng.randint(1,12))),
 lambda: "".join(chr(rng.randint(0x4e00,0x9fff)) for _ in range(rng.randint(1,20))),
 lambda: "".join(chr(rng.randint(0x3040,0x30ff)) for _ in range(rng.randint(1,8))),
 lambda: "".join(chr(rng.randint(0xac00,0xd7a3)) for _ in range(rng.randint(1,8))),
 lambda: "".join(chr(rng.randint(0x0600,0x06ff)) for _ in range(rng.randint(1,8))),
 lambda: "".join(chr(rng.randint(0x0900,0x097f)) for _ in range(rng.randint(1,8))),
 lambda: rng.choice(["😀","👍🏽","👨‍👩‍👧‍👦","🇺🇸","🏳️‍🌈","❤️","🤖","🧑🏿‍💻","✨","🎉🎉🎉"]),
 lambda: "e\u0301" + rng.choice(["a\u0308","o\u0302\u0323","\u1e9b\u0323","Å","Å","ﾊﾟ","ｶﾞ","①","ℌ","𝔘𝔫𝔦"]),
 lambda: str(rng.randint(0, 10**rng.randint(1,25))) + rng.choice(["",".5","e-3",",000"]),
 lambda: rng.choice(["def f(x):\n    return x**2\n","for (int i=0;i<n;++i){a[i]+=b[i];}","    if x:\n\t\tpass","<div class=\"a\">&amp;</div>","SELECT * FROM t WHERE id=1;","#include <stdio.h>","```python\nprint('hi')\n```"]),
 lambda: rng.choice(["$\\frac{a}{b}$","\\begin{align} x^2 &= y_1 \\\\ \\end{align}","$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$","\\boxed{42}","\\sqrt[3]{x}"]),
 lambda: rng.choice(specials),
 lambda: rng.choice(specials)[:rng.randint(1,5)],
 lambda: "".join(chr(rng.choice([rng.randint(0x20,0x7e), rng.randint(0xa0,0x24f), rng.randint(0x370,0x3ff), rng.randint(0x400,0x4ff), rng.randint(0x1f300,0x1faff), rng.randint(0x10000,0x1d7ff), rng.randint(0xe000,0xf8ff), rng.randint(1,31)])) for _ in range(rng.randint(1,15))),
 lambda: rng.choice(["'s","'S","'ll","'LL","'re","'ve","'d","'m","'t"]) ,
 lambda: rng.choice(["...","!!!","???","---","___","***","–—","“quoted”","«»","…"]),
 lambda: rng.choice(["\u2028","\u2029","\u200b","\u200d","\u180e","\x0b","\x0c","\u1680"]) + rng.choice(["","x"," y"]),
]
if "--with-known-divergences" in sys.argv:
    pools.append(lambda: rng.choice(["\ufeff", "\x85"]) + rng.choice(["", "x", "'re"]))
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
for _ in range(n):
    parts = [rng.choice(pools)() for _ in range(rng.randint(1,10))]
    sep = rng.choice(["", " ", "", "\n"])
    text = sep.join(parts)
    print(json.dumps({"text": text}, ensure_ascii=rng.random()<0.3))
