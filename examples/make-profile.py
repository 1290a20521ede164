#!/usr/bin/env python3
"""Writes examples/profile-business-day.csv: one weekday of per-minute load for `ptuplan cost
--profile`, deterministic (no randomness). Quiet nights (20 RPM), a working day that peaks at
about 600 RPM late morning and mid-afternoon, 1,000-token prompts (30% served from the prompt
cache) and 300-token completions on average."""
import math
from pathlib import Path

rows = ["timestamp,rpm,prompt,completion,cached"]
for minute in range(24 * 60):
    hour = minute / 60
    day = max(0.0, math.sin(math.pi * (hour - 8) / 10)) if 8 <= hour <= 18 else 0.0
    bumps = 0.25 * math.exp(-((hour - 11) ** 2) / 0.5) + 0.2 * math.exp(-((hour - 15) ** 2) / 0.5)
    wiggle = 1 + 0.05 * math.sin(minute * 0.7) + 0.03 * math.sin(minute * 2.3)
    rpm = round((20 + 460 * day + 600 * bumps * (day > 0)) * wiggle)
    prompt = rpm * (1000 + round(80 * math.sin(minute * 0.11)))
    completion = rpm * (300 + round(40 * math.sin(minute * 0.13)))
    cached = round(prompt * 0.3)
    hh, mm = divmod(minute, 60)
    rows.append(f"2026-11-02T{hh:02d}:{mm:02d}:00Z,{rpm},{prompt},{completion},{cached}")

out = Path(__file__).with_name("profile-business-day.csv")
out.write_text("\n".join(rows) + "\n")
print(f"wrote {out} ({len(rows) - 1} minutes)")
