#!/usr/bin/env bash
# Cost gate for CI: fail the build when the capacity plan goes over its budget, or grows more
# than the plan's max_increase_pct against a baseline plan (e.g. the one on the main branch).
#
#   examples/ci/cost-gate.sh PLAN.toml [BASELINE_PLAN.toml]
#
# The baseline plan is read where it is, so its relative profile paths keep working (check it
# out in a worktree rather than copying the file elsewhere). The JSON report is written to
# $REPORT (default: ptuplan-report.json) for the CI log or an artifact.
# Exit codes: 0 within budget; 3 over budget (ptuplan check names each limit on stderr);
# 2 a malformed plan; 1 other failures. PTUPLAN is the command to run (default: ptuplan).
# Needs jq.
set -euo pipefail

plan=${1:?usage: $0 PLAN.toml [BASELINE_PLAN.toml]}
baseline_plan=${2:-}
report=${REPORT:-ptuplan-report.json}
read -r -a ptuplan <<< "${PTUPLAN:-ptuplan}"

args=(check "$plan")
if [ -n "$baseline_plan" ]; then
  baseline_json=$(mktemp)
  trap 'rm -f "$baseline_json"' EXIT
  "${ptuplan[@]}" plan "$baseline_plan" --json > "$baseline_json"
  args+=(--baseline "$baseline_json")
fi

status=0
"${ptuplan[@]}" "${args[@]}" --json > "$report" || status=$?
if [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; then
  jq -r '"total: \(.total_ptu) PTU, $\(.monthly_usd * 100 | round / 100) per month",
         (.budget.checks[] |
           "\(if .ok then "ok      " else "EXCEEDED" end) \(.limit) (\(.subject)): \(.value * 1000 | round / 1000), limit \(.max)")' \
     "$report"
fi
exit "$status"
