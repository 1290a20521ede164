#!/usr/bin/env bash
# CI gate: fail when a workload needs more PTUs than budgeted.
#
#   examples/ptu-budget-check.sh MAX_PTU SIZE-ARGUMENTS...
#   examples/ptu-budget-check.sh 150 --rpm 1000 --prompt 100 --completion 50 \
#       --model gpt-5.2 --deployment regional --target-utilization 85%
#
# Prints each model's PTUs at the target utilization; exits 1 if any is over MAX_PTU,
# 2 if ptuplan rejected the arguments. Set PTUPLAN to the command to run (default: ptuplan),
# e.g. PTUPLAN="cargo run -q --release --" from a checkout. Needs jq.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 MAX_PTU SIZE-ARGUMENTS..." >&2
  exit 2
fi
max_ptu=$1
shift
if ! [[ $max_ptu =~ ^[0-9]+$ ]]; then
  echo "MAX_PTU must be a whole number of PTUs, got '$max_ptu'" >&2
  exit 2
fi
read -r -a ptuplan <<< "${PTUPLAN:-ptuplan}"

answer=$("${ptuplan[@]}" size "$@" --json) || exit 2
echo "$answer" | jq -r '.models[] | "\(.model) (\(.deployment)): \(.ptu_for_target) PTU at \(.target_utilization * 100)% target"'
over=$(echo "$answer" | jq --argjson max "$max_ptu" '[.models[] | select(.ptu_for_target > $max)] | length')
if [ "$over" -gt 0 ]; then
  echo "over budget: $over model(s) need more than $max_ptu PTU" >&2
  exit 1
fi
echo "within budget ($max_ptu PTU)"
