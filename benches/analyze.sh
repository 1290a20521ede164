#!/usr/bin/env bash
# analyze benchmark: `ptuplan analyze` against DuckDB (SQL) and pandas computing the same
# per-minute sums and busiest-60-second-window maximum on the same 10-million-request log,
# in the same run. Checks that the per-minute sums agree; reports wall time and peak RSS and
# their ratios. Needs: python3 with duckdb and pandas (installed with pip when missing).
#
#   benches/analyze.sh [REQUESTS]        (default 10000000; the log is cached in target/)
#   RUNS=3 (default): each tool runs that many times; its best wall time and its largest peak
#   RSS are reported, so that one run slowed by other work on the machine does not decide.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
log=target/bench-log-$n.csv
python3 -c 'import duckdb, pandas' 2>/dev/null || pip install -q duckdb pandas
cargo build --release --locked --quiet
[ -f "$log" ] || python3 benches/gen_log.py "$log" "$n"
out=target/bench-analyze
mkdir -p "$out"

runs=${RUNS:-3}
measure() { # name, command...: runs $runs times, records "best_seconds max_rss_kb"
  local name=$1; shift
  : > "$out/$name.times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/$name.run" "$@" > "$out/$name.out"
    cat "$out/$name.run" >> "$out/$name.times"
  done
  sort -n "$out/$name.times" | awk 'NR == 1 { t = $1 } $2 > m { m = $2 } END { print t, m }' \
    > "$out/$name.time"
}

measure ptuplan "${CARGO_TARGET_DIR:-target}/release/ptuplan" analyze "$log" --json --profile-out "$out/ptuplan-minutes.csv"

cat > "$out/query_duckdb.py" <<'PY'
import duckdb, sys
log, minutes = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"""
  CREATE TABLE sec AS
  SELECT floor(epoch(timestamp::TIMESTAMPTZ))::BIGINT AS s, count(*) AS r,
         sum(prompt_tokens) AS p, sum(completion_tokens) AS c
  FROM read_csv('{log}', header = true) GROUP BY s""")
con.execute(f"""COPY (SELECT s // 60 AS m, sum(r) AS rpm, sum(p) AS prompt, sum(c) AS completion
                     FROM sec GROUP BY m ORDER BY m) TO '{minutes}' (HEADER)""")
peak = con.execute("""SELECT max(w) FROM (SELECT sum(p + c) OVER (ORDER BY s RANGE BETWEEN
                      CURRENT ROW AND 59 FOLLOWING) AS w FROM sec)""").fetchone()[0]
print(int(peak))
PY

measure duckdb python3 "$out/query_duckdb.py" "$log" "$out/duckdb-minutes.csv"

cat > "$out/query_pandas.py" <<'PY'
import pandas as pd, sys
log, minutes = sys.argv[1], sys.argv[2]
df = pd.read_csv(log)
s = (pd.to_datetime(df["timestamp"], format="ISO8601") - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
df = pd.DataFrame({"s": s, "r": 1, "p": df["prompt_tokens"], "c": df["completion_tokens"]})
sec = df.groupby("s").sum()
per_minute = sec.groupby(sec.index // 60).sum()
per_minute.rename(columns={"r": "rpm", "p": "prompt", "c": "completion"}).to_csv(minutes, index_label="m")
full = sec.reindex(range(sec.index.min(), sec.index.max() + 1), fill_value=0)
tokens = (full["p"] + full["c"])[::-1].rolling(60, min_periods=1).sum()[::-1]
print(int(tokens.max()))
PY
measure pandas python3 "$out/query_pandas.py" "$log" "$out/pandas-minutes.csv"

python3 - "$out" <<'PY'
import csv, json, sys
out = sys.argv[1]
def minutes(path, key):
    with open(path) as f:
        return {int(r[key]) if key == "m" else None: (float(r["rpm"]), float(r["prompt"]), float(r["completion"]))
                for r in csv.DictReader(f)} if key == "m" else None
duck = minutes(f"{out}/duckdb-minutes.csv", "m")
panda = minutes(f"{out}/pandas-minutes.csv", "m")
ours = {}
import datetime
with open(f"{out}/ptuplan-minutes.csv") as f:
    for r in csv.DictReader(f):
        t = datetime.datetime.strptime(r["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
        ours[int(t.timestamp()) // 60] = (float(r["rpm"]), float(r["prompt"]), float(r["completion"]))
ours = {m: v for m, v in ours.items() if v[0] > 0}
assert ours == duck == panda, "per-minute sums differ"
peak = json.load(open(f"{out}/ptuplan.out"))["peak_tpm"]
peaks = {"ptuplan": peak, "duckdb": int(open(f"{out}/duckdb.out").read()), "pandas": int(open(f"{out}/pandas.out").read())}
assert len(set(peaks.values())) == 1, f"peaks differ: {peaks}"
t = {k: tuple(map(float, open(f"{out}/{k}.time").read().split())) for k in ("ptuplan", "duckdb", "pandas")}
print(f"per-minute sums agree over {len(ours)} minutes; busiest 60 s: {peak:,} tokens in all three")
for k, (secs, rss) in t.items():
    print(f"{k:8} {secs:7.2f} s  {rss / 1024:7.1f} MB peak RSS")
print(f"ptuplan / duckdb: {t['ptuplan'][0] / t['duckdb'][0]:.2f}x time, {t['ptuplan'][1] / t['duckdb'][1]:.2f}x memory")
print(f"ptuplan / pandas: {t['ptuplan'][0] / t['pandas'][0]:.3f}x time, {t['ptuplan'][1] / t['pandas'][1]:.2f}x memory")
PY
