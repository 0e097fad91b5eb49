// Differential check helper: encodes every {"text"} row of IN.jsonl with @lenml/tokenizers and writes {"ids"} rows.
// Usage: node tools/tokenizer-fixtures/fuzz-ref.mjs TOKENIZER_DIR IN.jsonl OUT.jsonl [--add-special-tokens]
import fs from "node:fs";
import path from "node:path";
import { TokenizerLoader } from "@lenml/tokenizers";
const [dir, inFile, outFile, flag] = process.argv.slice(2);
const tok = TokenizerLoader.fromPreTrained({
  tokenizerJSON: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
  tokenizerConfig: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
});
const add = flag === "--add-special-tokens";
const rows = fs.readFileSync(inFile, "utf8").split("\n").filter((l) => l.length > 0);
fs.writeFileSync(outFile, rows.map((l) => JSON.stringify({ ids: tok.encode(JSON.parse(l).text, { add_special_tokens: add }) })).join("\n") + "\n");
