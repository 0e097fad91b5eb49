#!/usr/bin/env bash
# Differential check of `fusechat tokenize` against node's @lenml/tokenizers on random texts (fuzz_corpus.py),
# for the three real tokenizers, with and without special tokens. Prints one line per tokenizer and mode and the
# first differing texts; exits 1 when any row differs. Not run in CI (it needs node_modules and a few minutes).
# Usage (from the repo root): bash tools/tokenizer-fixtures/fuzz.sh [SEED] [COUNT] [--with-known-divergences]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
seed="${1:-7}"; count="${2:-1500}"; extra="${3:-}"
assets="${FUSECHAT_TEST_ASSETS:-$HOME/.cache/fusechat/test-assets}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
bash "$repo/tools/fetch-test-assets.sh" >/dev/null
(cd "$here" && { npm ci --silent || npm install --silent; }) >/dev/null
dotnet build -c Release "$repo/src/FuseChat.Cli" -o "$work/cli" -v q -nologo --disable-build-servers >/dev/null
python3 "$here/fuzz_corpus.py" "$seed" "$count" $extra > "$work/in.jsonl"
status=0
for name in llama3_1 qwen3 gemma3; do
  for flag in "" --add-special-tokens; do
    node "$here/fuzz-ref.mjs" "$assets/$name" "$work/in.jsonl" "$work/ref.jsonl" $flag
    dotnet "$work/cli/fusechat.dll" tokenize --model "$assets/$name" --in "$work/in.jsonl" --out "$work/ours.jsonl" $flag >/dev/null 2>&1
    python3 - "$name${flag:+ $flag}" "$work" <<'PY' || status=1
import json, sys
label, work = sys.argv[1], sys.argv[2]
read = lambda f, k: [json.loads(line)[k] for line in open(f"{work}/{f}", encoding="utf-8")]
ref, ours, texts = read("ref.jsonl", "ids"), read("ours.jsonl", "ids"), read("in.jsonl", "text")
bad = [i for i in range(len(ref)) if ref[i] != ours[i]]
print(f"{label}: {len(ref)} texts, {len(bad)} differ")
for i in bad[:3]:
    print("  ", repr(texts[i])[:160])
sys.exit(1 if bad else 0)
PY
  done
done
exit $status
