#!/usr/bin/env bash
# Token-counting throughput: `ptuplan tokens` on a deterministic 8 MiB English-like text file,
# timed with hyperfine against `wc -w` (a peer that reads the same bytes) in the same run.
# Prints MB/s and the ratio; writes target/bench-tokens.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine
fi
cargo build --release --locked --quiet
text=target/bench-tokens.txt
python3 - "$text" <<'PY'
import sys
words = ("capacity planning for provisioned throughput units requires the peak requests per "
         "minute, the prompt and completion tokens of each request, and the share of prompt "
         "tokens served from the prompt cache; Azure bills PTUs per hour or per reservation, "
         "while pay-as-you-go bills input, cached and output tokens separately. ").split()
out, i, size = [], 0, 0
while size < 8 * 1024 * 1024:
    w = words[(i * 7919) % len(words)]
    if i % 13 == 0:
        w = w.capitalize()
    if i % 17 == 0:
        w += f" {i % 1000}"
    out.append(w)
    size += len(w) + 1
    i += 1
open(sys.argv[1], "w").write(" ".join(out) + "\n")
PY
bytes=$(stat -c %s "$text")
bin="${CARGO_TARGET_DIR:-target}/release/ptuplan"
hyperfine --warmup 2 --runs 10 --export-json target/bench-tokens.json \
  "$bin tokens $text --encoding o200k_base" \
  "$bin tokens $text --encoding cl100k_base" \
  "wc -w $text"
python3 - "$bytes" <<'PY'
import json, sys
size = int(sys.argv[1])
results = json.load(open("target/bench-tokens.json"))["results"]
peer = results[-1]["mean"]
print(f"\ninput: {size / 1e6:.1f} MB")
for r in results:
    print(f"{size / 1e6 / r['mean']:8.1f} MB/s  {r['mean'] / peer:6.1f}x wc -w  {r['command'].replace('target/release/', '')}")
PY
