#!/usr/bin/env python3
"""Deterministic synthetic request log for `ptuplan analyze` benchmarks: one day (2026-11-02 UTC),
N requests (default 10 million) with a daily pattern (quiet night, busy working day) and short
bursts, one CSV row per request: timestamp,prompt_tokens,completion_tokens,cached_tokens.

    python3 benches/gen_log.py OUT.csv [N]
"""
import math
import random
import sys

out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
rng = random.Random(20261102)
day = 86_400
base = 1_793_577_600  # 2026-11-02T00:00:00Z

# Requests per second follow a daily curve plus 20 bursts of 60 s at 4x; draw each second's
# count so the day totals about n, then spread the requests inside the second.
def rate(second):
    hour = second / 3600
    daily = 0.15 + (max(0.0, math.sin(math.pi * (hour - 7) / 12)) ** 2 if 7 <= hour <= 19 else 0.0)
    burst = 3.0 if (second // 60) % 72 == 0 and second % 3600 < 600 else 0.0
    return daily * (1 + burst)

weights = [rate(s) for s in range(day)]
scale = n / sum(weights)
written = 0
with open(out, "w", buffering=1 << 20) as f:
    f.write("timestamp,prompt_tokens,completion_tokens,cached_tokens\n")
    for second in range(day):
        expected = weights[second] * scale
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        if second == day - 1:
            count = max(0, n - written)
        t = base + second
        hh, rem = divmod(second, 3600)
        mm, ss = divmod(rem, 60)
        prefix = f"2026-11-02T{hh:02d}:{mm:02d}:{ss:02d}."
        lines = []
        for _ in range(count):
            prompt = 200 + int(rng.random() * 2800)
            completion = 20 + int(rng.random() * 580)
            cached = prompt // 3 if prompt > 1024 else 0
            lines.append(f"{prefix}{int(rng.random() * 1000):03d}Z,{prompt},{completion},{cached}\n")
        f.write("".join(lines))
        written += count
print(f"wrote {out}: {written} requests", file=sys.stderr)
