#!/usr/bin/env bash
# simulate benchmark: the speed of ptuplan's simulation core, and a SimPy model of the same
# provisioned leaky bucket on the same trace, in the same run (their 429 counts must agree).
# Needs: python3 with simpy (installed with pip when missing).
#
#   benches/simulate.sh [SIMPY_SECONDS]   (default 3000: a 1,000 requests/s trace that long)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import simpy' 2>/dev/null || pip install -q simpy
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/ptuplan"
out=target/bench-simulate
mkdir -p "$out"
seconds=${1:-3000}

# gpt-4.1 at 1,000 requests/s, prompts of mean 1,000 (p95 3,000) and completions of mean 200
# (p95 600, the max_tokens sent; cut there, their mean is 182): about 1,000 × (1,000 + 4 × 182)
# = 1.73M normalized tokens a second = 104M TPM, 34,600 PTU at 3,000 TPM per PTU.
traffic=(-m gpt-4.1 --qps 1000 --prompt 1000 --prompt-p95 3000 --completion 200
         --completion-p95 600 --seed 42)

# 1. A day, 86.4 million requests, default clients (exponential backoff, 2 retries): near
#    capacity (35,000 PTU, ~99% utilized) and overloaded (30,000 PTU, 15% short). Best of 2,
#    wall seconds, CPU seconds (traffic is made on a second thread) and peak RSS.
for run in 1 2; do
  for ptu in 35000 30000; do
    /usr/bin/time -f "%e %U %S %M" -o "$out/day-$ptu-$run.time" \
      "$bin" simulate "${traffic[@]}" --ptu "$ptu" --duration 1d --json > "$out/day-$ptu.json"
  done
done
for ptu in 35000 30000; do
  sort -n "$out"/day-$ptu-?.time | head -1 > "$out/day-$ptu.time"
done

# 2. 32,000 PTU (8% short) for $seconds s without retries: ptuplan's time (best of 3), then the
#    trace for SimPy.
for run in 1 2 3; do
  /usr/bin/time -f "%e %M" -o "$out/short-$run.time" "$bin" simulate "${traffic[@]}" \
    --ptu 32000 --duration "${seconds}s" --retry none --json > "$out/short.json"
done
sort -n "$out"/short-?.time | head -1 > "$out/short.time"
"$bin" simulate "${traffic[@]}" --ptu 32000 --duration "${seconds}s" --retry none --json \
  --trace-out "$out/trace.csv" > /dev/null

cat > "$out/leaky_bucket_simpy.py" <<'PY'
# The provisioned leaky bucket of ptuplan's sim::provisioned in SimPy, written the plain way:
# each completion correction is an event at its due time (URGENT, so one due at an arrival's
# time runs before it) and levels are in tokens. ptuplan sums the corrections due at the next
# attempt and keeps levels in micro-tokens: the same level up to rounding, so the counts agree.
import csv, sys, time
import simpy
from simpy.events import URGENT

trace = sys.argv[1]
ptu, tpm_per_ptu, output_weight, cached_weight, bucket_s, ttft_ms, tps = map(float, sys.argv[2:9])
with open(trace) as f:
    rows = [(round(float(r["at_ms"]) * 1000), int(r["prompt_tokens"]), int(r["cached_tokens"]),
             int(r["completion_tokens"]), int(r["max_tokens"])) for r in csv.DictReader(f)]
per_s = ptu * tpm_per_ptu / 60.0
depth = bucket_s * per_s
ttft_us, us_per_token = ttft_ms * 1000.0, 1e6 / tps
level, last = [0.0], [0]
counts = {"served": 0, "throttled": 0}

def drain(now):
    if now > last[0]:
        level[0] = max(level[0] - per_s * (now - last[0]) / 1e6, 0.0)
        last[0] = now

def correct(event):
    drain(event.env.now)
    level[0] = max(level[0] + event.value, 0.0)

def clients(env):
    for at, prompt, cached, completion, max_tokens in rows:
        if at > env.now:
            yield env.timeout(at - env.now)
        drain(env.now)
        prompt_part = float(prompt - cached) + float(cached) * cached_weight
        estimate = prompt_part + float(max_tokens) * output_weight
        if level[0] <= depth * (1.0 + 1e-12):
            level[0] += estimate
            counts["served"] += 1
            correction = (prompt_part + float(completion) * output_weight) - estimate
            if correction != 0.0:
                done = simpy.Event(env)
                done._ok, done._value = True, correction
                done.callbacks.append(correct)
                env.schedule(done, URGENT, int(ttft_us + float(completion) * us_per_token + 0.5))
        else:
            counts["throttled"] += 1

env = simpy.Environment()
env.process(clients(env))
start = time.perf_counter()
env.run()
print(len(rows), counts["served"], counts["throttled"], time.perf_counter() - start)
PY
# gpt-4.1: 3,000 input TPM per PTU, output weight 4, cached weight 0 (cached tokens deducted);
# the default bucket (60 s), time to first token (500 ms) and speed (80 tokens/s).
limiter=(32000 3000 4 0 60 500 80)
# SimPy (best of 2 runs) and ptuplan's core on the same preloaded trace (best of 3 × 5 runs),
# interleaved so that a slow spell of this shared VM does not fall on one tool only.
cargo bench --locked --quiet --bench sim_trace --no-run
rm -f "$out/simpy.all" "$out/core.out"
for run in 1 2; do
  cargo bench --locked --quiet --bench sim_trace -- "$out/trace.csv" "${limiter[@]}" >> "$out/core.out"
  python3 "$out/leaky_bucket_simpy.py" "$out/trace.csv" "${limiter[@]}" >> "$out/simpy.all"
done
cargo bench --locked --quiet --bench sim_trace -- "$out/trace.csv" "${limiter[@]}" >> "$out/core.out"
sort -n -k4 "$out/simpy.all" | head -1 > "$out/simpy.out"

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]

short = json.load(open(f"{out}/short.json"))["candidates"][0]
short_s, _ = map(float, open(f"{out}/short.time").read().split())
n, served, throttled, simpy_s = open(f"{out}/simpy.out").read().split()
n, served, throttled, simpy_s = int(n), int(served), int(throttled), float(simpy_s)
assert n == short["requests"], f"trace has {n} requests, ptuplan {short['requests']}"
assert (served, throttled) == (short["served"], short["throttled_final"]), \
    f"SimPy served {served} and throttled {throttled}; ptuplan {short['served']} and {short['throttled_final']}"
for ptu in (35000, 30000):
    day = json.load(open(f"{out}/day-{ptu}.json"))["candidates"][0]
    day_s, user_s, sys_s, day_rss = map(float, open(f"{out}/day-{ptu}.time").read().split())
    print(f"a day at 1,000 requests/s on {ptu:,} PTU: {day['requests']:,} requests in {day_s:.2f} s "
          f"= {day['requests'] / day_s / 1e6:.1f}M simulated requests/s ({day['attempts_per_request']:.2f} "
          f"attempts each, {day['first_attempt_429_rate']:.1%} first-attempt 429s), "
          f"{user_s + sys_s:.1f} s CPU, peak RSS {day_rss / 1024:.0f} MB")
print(f"same trace, {n:,} requests, no retries: ptuplan and SimPy both throttle {throttled:,} "
      f"and serve {served:,}")
core = [line.split() for line in open(f"{out}/core.out")]
assert all((int(c[1]), int(c[2])) == (served, throttled) for c in core), f"core runs differ: {core}"
core_s = min(float(c[3]) for c in core)
print(f"simulation only, trace preloaded: ptuplan {core_s:.3f} s, SimPy {simpy_s:.2f} s: "
      f"{simpy_s / core_s:.0f}x ({n / core_s / 1e6:.1f}M vs {n / simpy_s / 1e3:.0f}K requests/s)")
print(f"ptuplan's whole process, traffic generated too: {short_s:.2f} s ({simpy_s / short_s:.0f}x SimPy)")
PY
