#!/usr/bin/env bash
# Cost gate for CI: fail the build when the capacity plan goes over its budget or grows more
# than the plan's max_increase_pct against the plan on the main branch.
#
#   examples/ci/cost-gate.sh PLAN.toml [BASELINE_PLAN.toml]
#
# Exit codes: 0 within budget; 3 over budget (ptuplan check names each limit on stderr);
# 2 a malformed plan. Set PTUPLAN to the command to run (default: ptuplan). Needs jq.
set -euo pipefail

plan=${1:?usage: $0 PLAN.toml [BASELINE_PLAN.toml]}
baseline_plan=${2:-}
read -r -a ptuplan <<< "${PTUPLAN:-ptuplan}"

args=(check "$plan")
if [ -n "$baseline_plan" ]; then
  baseline_json=$(mktemp)
  trap 'rm -f "$baseline_json"' EXIT
  "${ptuplan[@]}" plan "$baseline_plan" --json > "$baseline_json"
  args+=(--baseline "$baseline_json")
fi

# The JSON answer for the log: totals and every budget check.
status=0
"${ptuplan[@]}" "${args[@]}" --json > report.json || status=$?
jq -r '"total: \(.total_ptu) PTU, $\(.monthly_usd)/month",
       (.budget.checks[] | "\(if .ok then "ok      " else "EXCEEDED" end) \(.limit) \(.subject): \(.value) (max \(.max))")' report.json
exit "$status"
