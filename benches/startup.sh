#!/usr/bin/env bash
# Startup benchmark: `ptuplan size` as a whole process against /bin/true, on this machine,
# in the same run. Target (issue 2): ptuplan size costs at most 3x /bin/true.
#
# Usage: benches/startup.sh            (installs hyperfine with apt-get if it is missing)
# Prints hyperfine's table and the ratio of the mean times; writes target/bench-startup.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine
fi
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/ptuplan"
out=target/bench-startup.json

# -N: no intermediate shell, so both commands are measured as bare process starts.
hyperfine -N --warmup 50 --runs 500 --export-json "$out" \
  "/bin/true" \
  "$bin size --rpm 500 --tokens 800" \
  "$bin size --rpm 500 --tokens 800 --json" \
  "$bin size --rpm 1000 --prompt 200 --completion 20 --model gpt-5.2 --deployment data-zone"

python3 - "$out" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["mean"]
print(f"\nbaseline /bin/true: {base * 1e3:.3f} ms")
for r in results[1:]:
    print(f"{r['mean'] / base:5.2f}x  {r['mean'] * 1e3:.3f} ms  {r['command'].replace('target/release/', '')}")
PY
